"""Admin pages for people, schools and roles; the rules they share are in mentoring/admin.py.

Who may do what here:

- Every administrator may look at the rows of the schools they run (a superuser: all).
- Within those schools they may correct people, the school's name, memberships and roles.
  Whatever reaches beyond one school is for superusers: creating schools, school boards,
  school years and institutes, and making someone an administrator.
- Trajectories, learning groups, invitations and imports are shown, not changed: the app's
  own pages create and end them, with the rules and audit entries that belong to them.
- Nothing with history is deleted (deactivate instead); superusers may delete reference data
  that nothing uses yet.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mentoring.admin import (
    SchoolScopedAdmin,
    ScopedInline,
    ScopedModelAdmin,
    admin_site,
    administered_schools,
    is_superuser,
)
from roles.models import (
    Institute,
    Invitation,
    LearningGroup,
    LearningGroupMember,
    Membership,
    PeopleImport,
    RoleAssignment,
    School,
    SchoolBoard,
    SchoolYear,
    Trajectory,
    User,
)

related_only = admin.RelatedOnlyFieldListFilter


class ReferenceDataAdmin(ScopedModelAdmin):
    """Shared by every school: every administrator may look, only a superuser may change."""

    def scope(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_superuser(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_superuser(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Rows in use are protected by their foreign keys; the delete page says which.
        return is_superuser(request)


@admin.register(SchoolYear, site=admin_site)
class SchoolYearAdmin(ReferenceDataAdmin):
    list_display = ("name", "starts_on", "ends_on")
    search_fields = ("name",)


@admin.register(Institute, site=admin_site)
class InstituteAdmin(ReferenceDataAdmin):
    list_display = ("name",)
    search_fields = ("name",)
    fields = ("name", "public_id")
    readonly_fields = ("public_id",)


@admin.register(SchoolBoard, site=admin_site)
class SchoolBoardAdmin(ReferenceDataAdmin):
    list_display = ("name",)
    search_fields = ("name",)
    fields = ("name", "public_id")
    readonly_fields = ("public_id",)

    def scope(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if is_superuser(request):
            return queryset
        return queryset.filter(schools__in=administered_schools(request)).distinct()


@admin.register(School, site=admin_site)
class SchoolAdmin(ScopedModelAdmin):
    list_display = ("name", "brin_code", "board", "is_training_school")
    list_select_related = ("board",)
    list_filter = ("is_training_school",)
    search_fields = ("name", "brin_code")
    fields = ("name", "brin_code", "board", "is_training_school", "public_id")
    readonly_fields = ("public_id",)

    def scope(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(pk__in=administered_schools(request))

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        if is_superuser(request):
            return self.readonly_fields
        # Which board a school belongs to and its BRIN code are facts about the installation.
        return (*self.readonly_fields, "brin_code", "board")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_superuser(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.admin_site.has_permission(request)

    def audit_school(self, request: HttpRequest, obj: School) -> School:
        return obj


class PersonSchoolFilter(admin.SimpleListFilter):
    """People by school, offering only the schools the administrator runs."""

    title = _("school")
    parameter_name = "school"

    def lookups(self, request, model_admin):
        schools = School.objects.filter(pk__in=administered_schools(request))
        return [(str(school.pk), school.name) for school in schools]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if self.value() not in {str(pk) for pk in administered_schools(request)}:
            raise IncorrectLookupParameters
        members = Membership.objects.filter(school=self.value()).values("user")
        return queryset.filter(pk__in=members)


class UserAdminForm(forms.ModelForm):
    def clean_email(self) -> str:
        # Stored lower-cased, as everywhere else that makes accounts (log-in ignores case).
        return self.cleaned_data["email"].lower()


@admin.register(User, site=admin_site)
class UserAdmin(ScopedModelAdmin):
    """People: corrected here, but added only through an invitation or an import.

    No password, groups or permissions: people set their own password, and who may do what
    follows from memberships and roles, not from Django's permission rows.
    """

    form = UserAdminForm
    list_display = ("full_name", "email", "school_names", "is_active", "is_staff", "last_login")
    list_filter = (PersonSchoolFilter, "is_active", "is_staff")
    search_fields = ("full_name", "email")
    fields = (
        "email",
        "full_name",
        "preferred_language",
        "is_active",
        "is_staff",
        "is_superuser",
        "public_id",
        "date_joined",
        "last_login",
    )
    readonly_fields = ("public_id", "date_joined", "last_login")

    def scope(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if is_superuser(request):
            return queryset
        # As access.people_visible_to: a deactivated membership still counts, so history stays.
        members = Membership.objects.filter(school__in=administered_schools(request))
        return queryset.filter(pk__in=members.values("user"))

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        memberships = Membership.objects.filter(is_active=True).select_related("school")
        if not is_superuser(request):
            # Where else someone works is not this administrator's business.
            memberships = memberships.filter(school__in=administered_schools(request))
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("memberships", memberships, to_attr="admin_memberships"))
        )

    @admin.display(description=_("schools"))
    def school_names(self, user: User) -> str:
        return ", ".join(sorted({membership.school.name for membership in user.admin_memberships}))

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        if is_superuser(request):
            return self.readonly_fields
        return (*self.readonly_fields, "is_staff", "is_superuser")

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        if not self.admin_site.has_permission(request):
            return False
        if obj is None or is_superuser(request):
            return True
        # One account serves every school the person works at. An administrator who does not
        # run all of them must not change it (a new e-mail address plus a password reset would
        # open another school's content), nor another administrator's account.
        if obj.is_staff or obj.is_superuser:
            return False
        return not obj.memberships.exclude(school__in=administered_schools(request)).exists()

    def audit_school(self, request: HttpRequest, obj: User) -> School | None:
        return (
            School.objects.filter(memberships__user=obj, pk__in=administered_schools(request))
            .order_by("pk")
            .first()
        )


@admin.register(Membership, site=admin_site)
class MembershipAdmin(SchoolScopedAdmin):
    list_display = ("user", "school", "staff_kind", "is_active", "created_at")
    list_select_related = ("user", "school")
    list_filter = (("school", related_only), "staff_kind", "is_active")
    search_fields = ("user__full_name", "user__email")
    autocomplete_fields = ("user",)
    fields = ("user", "school", "staff_kind", "is_active", "created_at")
    readonly_fields = ("created_at",)

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        if obj is None:
            return self.readonly_fields
        # Who and where is what a membership is; another person or school is a new one. Ending
        # it is the People page's "Deactivate", which also ends the person's roles,
        # trajectories and groups at the school; switching it off here would skip all that.
        return (*self.readonly_fields, "user", "school", "is_active")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.admin_site.has_permission(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.admin_site.has_permission(request)


@admin.register(RoleAssignment, site=admin_site)
class RoleAssignmentAdmin(SchoolScopedAdmin):
    """Roles are assigned in the app (which checks the person works there); corrected here."""

    list_display = (
        "user",
        "role",
        "opleider_kind",
        "school",
        "school_year",
        "task_hours",
        "active_from",
        "active_until",
    )
    list_select_related = ("user", "school", "school_year")
    list_filter = (("school", related_only), "school_year", "role", "opleider_kind")
    search_fields = ("user__full_name", "user__email")
    fields = (
        "user",
        "school",
        "school_year",
        "role",
        "opleider_kind",
        "institute",
        "task_hours",
        "task_description",
        "active_from",
        "active_until",
        "public_id",
    )
    # Trajectories hang on a role: its person, school, year and kind stay as they were.
    readonly_fields = ("user", "school", "school_year", "role", "public_id")

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.admin_site.has_permission(request)


@admin.register(Trajectory, site=admin_site)
class TrajectoryAdmin(SchoolScopedAdmin):
    """That a trajectory exists, between whom and when; never its question for support.

    `focus` is content (in coaching, the coachee's own) and is left out of every list, form,
    search and filter here. Trajectories are started and ended in the app.
    """

    list_display = (
        "teacher",
        "begeleider",
        "kind",
        "stage",
        "school",
        "school_year",
        "status",
        "starts_on",
    )
    list_select_related = ("teacher", "begeleider", "school", "school_year")
    list_filter = ("kind", "status", ("school", related_only), "school_year")
    search_fields = (
        "teacher__full_name",
        "teacher__email",
        "begeleider__full_name",
        "begeleider__email",
    )
    fields = (
        "teacher",
        "begeleider",
        "begeleider_role",
        "kind",
        "stage",
        "study_year",
        "school",
        "school_year",
        "starts_on",
        "ends_on",
        "status",
        "public_id",
        "created_at",
    )
    readonly_fields = fields


class LearningGroupMemberInline(ScopedInline):
    model = LearningGroupMember
    fields = ("user", "joined_on", "left_on")
    readonly_fields = fields


@admin.register(LearningGroup, site=admin_site)
class LearningGroupAdmin(SchoolScopedAdmin):
    """Who is in which group; the theme is the group's own question and is not shown here."""

    list_display = ("name", "format", "school", "school_year")
    list_select_related = ("school", "school_year")
    list_filter = (("school", related_only), "school_year", "format")
    search_fields = ("name",)
    fields = ("name", "format", "school", "school_year", "facilitators", "public_id", "created_at")
    readonly_fields = fields
    inlines = (LearningGroupMemberInline,)


@admin.register(Invitation, site=admin_site)
class InvitationAdmin(SchoolScopedAdmin):
    """Sent, accepted or revoked in the app; never the token (only its hash is stored)."""

    list_display = ("user", "school", "status", "sent_at", "expires_at", "invited_by")
    list_select_related = ("user", "school", "invited_by")
    list_filter = (("school", related_only), "status")
    search_fields = ("user__full_name", "user__email")
    fields = (
        "user",
        "school",
        "invited_by",
        "status",
        "sent_at",
        "expires_at",
        "accepted_at",
        "public_id",
    )
    readonly_fields = fields


@admin.register(PeopleImport, site=admin_site)
class PeopleImportAdmin(SchoolScopedAdmin):
    """Who imported which file and when; never the uploaded list of people itself."""

    list_display = ("filename", "school", "created_by", "created_at", "row_count", "imported_at")
    list_select_related = ("school", "created_by")
    list_filter = (("school", related_only),)
    search_fields = ("filename",)
    fields = (
        "filename",
        "school",
        "created_by",
        "created_at",
        "row_count",
        "imported_at",
        "public_id",
    )
    readonly_fields = fields
