"""The Django admin, for administrators only, scoped by the access policy and fully audited.

An administrator is an `is_staff` user. A superuser runs the installation and sees every
school; any other administrator sees the schools where they are an active coordinator
(`access.administered_school_ids`), and another school's object is a 404 here as everywhere.
Django's permission rows are not used: every ModelAdmin states who may view, add, change and
delete, and the default is to look only. Every change made here is written to the audit log.

Content never appears in the admin: not the question for support of a trajectory (in coaching
it is the coachee's own), not an invitation's token, not an uploaded list of people.
"""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin.sites import NotRegistered
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from mentoring.access import administered_school_ids
from mentoring.audit import audit_record
from mentoring.models import AuditEntry


def administered_schools(request: HttpRequest) -> set[int]:
    """The policy's answer, asked once per request: every permission check below needs it."""
    if not hasattr(request, "_administered_school_ids"):
        request._administered_school_ids = administered_school_ids(request.user)
    return request._administered_school_ids


def is_superuser(request: HttpRequest) -> bool:
    return request.user.is_active and request.user.is_staff and request.user.is_superuser


class MentoringAdminSite(admin.AdminSite):
    site_header = _("Mentoring administration")
    site_title = _("Mentoring administration")
    index_title = _("Administration")
    # Every URL has a name, so the permission matrix can hold each one to its answer.
    final_catch_all_view = False

    def admin_view(self, view, cacheable=False):
        """Anonymous visitors go to the app's log-in page; other non-administrators get a 403.

        Django would send both to a log-in form of its own: a second way in without the app's
        throttling, and for a signed-in teacher a loop back to the same refusal.
        """

        def inner(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not self.has_permission(request):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        if not cacheable:
            inner = never_cache(inner)
        if not getattr(view, "csrf_exempt", False):
            inner = csrf_protect(inner)
        return update_wrapper(inner, view)

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        """No log-in form here: the app has one page for that, with its throttling."""
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("admin:index", current_app=self.name)
        if not request.user.is_authenticated:
            return redirect_to_login(next_url)
        if not self.has_permission(request):
            raise PermissionDenied
        return HttpResponseRedirect(next_url)

    def get_urls(self):
        # The content-type shortcut ("view on site") looks up an object of any model by its id,
        # outside any ModelAdmin's scope: an answer that differs by school would leak existence.
        # No page here links to it (ScopedModelAdmin.view_on_site is off).
        return [url for url in super().get_urls() if url.pattern.name != "view_on_site"]


admin_site = MentoringAdminSite(name="admin")


def scoped_choices(site: admin.AdminSite, request: HttpRequest, model: type[Model]) -> QuerySet:
    """The objects of `model` a form in the admin may point to: that model's admin scope."""
    try:
        model_admin = site.get_model_admin(model)
    except NotRegistered:
        return model._default_manager.none()
    queryset = model_admin.scope(request, model._default_manager.all())
    ordering = model_admin.get_ordering(request)
    return queryset.order_by(*ordering) if ordering else queryset


class ScopedChoicesMixin:
    """Choices for foreign keys and many-to-many fields come from the related model's scope,
    so an id from another school, posted by hand, is an invalid choice like any other."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs["queryset"] = scoped_choices(self.admin_site, request, db_field.remote_field.model)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs["queryset"] = scoped_choices(self.admin_site, request, db_field.remote_field.model)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedModelAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    """The rules every admin page follows; subclasses say what they scope and may change.

    - `scope` limits the rows (nothing by default); outside it an object is a 404.
    - Administrators may view; adding, changing and deleting are off unless a subclass allows
      them, because Django's permission rows are not used at all.
    - Every addition, change and deletion is also written to the audit log, without values.
    """

    view_on_site = False
    # One COUNT fewer per list: "3 results (120 total)" is not worth a query on the audit log.
    show_full_result_count = False

    def scope(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.none()

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return self.scope(request, super().get_queryset(request))

    def get_object(self, request, object_id, from_field=None):
        # Django redirects to the index with "... doesn't exist"; the policy answers 404.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def get_urls(self):
        # Django keeps an unnamed "<id>/" redirect from before 1.9; every URL here has a name.
        return [url for url in super().get_urls() if url.name]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.admin_site.has_permission(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def audit_school(self, request: HttpRequest, obj: Model):
        """The school whose administrators see the audit entry about `obj` (None: superusers)."""
        return getattr(obj, "school", None)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        audit_record(
            actor=request.user,
            action="admin.added",
            obj=obj,
            school=self.audit_school(request, obj),
        )
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        audit_record(
            actor=request.user,
            action="admin.changed",
            obj=obj,
            school=self.audit_school(request, obj),
        )
        return entry

    def log_deletions(self, request, queryset):
        # Both the delete page and the "delete selected" action come here, before deleting.
        # (log_deletion, singular, is deprecated in Django 5.1 and no longer called.)
        entries = super().log_deletions(request, queryset)
        for obj in queryset:
            audit_record(
                actor=request.user,
                action="admin.deleted",
                obj=obj,
                school=self.audit_school(request, obj),
            )
        return entries


class SchoolScopedAdmin(ScopedModelAdmin):
    """For models with a `school`: the rows of the schools the administrator runs."""

    def scope(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(school__in=administered_schools(request))


class ScopedInline(ScopedChoicesMixin, admin.TabularInline):
    """Rows shown inside their parent's page, allowed what the parent's admin allows."""

    extra = 0

    def _parent_admin(self) -> ScopedModelAdmin:
        return self.admin_site.get_model_admin(self.parent_model)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._parent_admin().has_view_permission(request, obj)

    def has_add_permission(self, request, obj) -> bool:
        if obj is None:
            return self._parent_admin().has_add_permission(request)
        return self._parent_admin().has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._parent_admin().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEntry, site=admin_site)
class AuditEntryAdmin(ScopedModelAdmin):
    """The audit log, to read only: no one adds, changes or deletes an entry, superusers neither."""

    list_display = ("created_at", "actor_email", "action", "object_type", "object_id", "school")
    list_filter = (
        "action",
        "object_type",
        ("school", admin.RelatedOnlyFieldListFilter),
        "created_at",
    )
    list_select_related = ("school",)
    search_fields = ("actor_email", "object_id")
    date_hierarchy = "created_at"
    fields = ("created_at", "actor", "actor_email", "action", "object_type", "object_id", "school")
    readonly_fields = fields

    def scope(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        in_scope = Q(school__in=administered_schools(request))
        if is_superuser(request):
            # Entries about the installation itself (school years, accounts) have no school.
            in_scope |= Q(school__isnull=True)
        return queryset.filter(in_scope)
