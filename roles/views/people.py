"""The coordinator's people pages: the list, one person, roles, deactivation, school years."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mentoring import access
from roles import selectors, services
from roles.forms import DeactivateForm, PersonFilterForm, RoleAssignForm, SchoolYearForm
from roles.models import InvitationStatus, SchoolYear, User
from roles.views import add_service_errors, paginate


@require_http_methods(["GET", "POST"])
@access.coordinator_required
def school_year_list(request: HttpRequest) -> HttpResponse:
    form = SchoolYearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            school_year = services.school_year_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("School year %(name)s has been added.") % {"name": school_year.name}
            )
            return redirect("school_year_list")
    return render(
        request,
        "roles/school_year_list.html",
        {
            "form": form,
            "school_years": SchoolYear.objects.order_by("-starts_on"),
            "current": selectors.school_year_current(),
        },
    )


@require_http_methods(["GET"])
@access.coordinator_required
def person_list(request: HttpRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    school_year = selectors.school_year_current()
    people = selectors.people_list_for(
        request.user,
        school_year=school_year,
        q=filters.get("q", ""),
        school=filters.get("school"),
        staff_kind=filters.get("staff_kind", ""),
        role=filters.get("role", ""),
        active=filters.get("active") or "active",
    )
    page, query = paginate(request, people)
    return render(
        request,
        "roles/person_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "school_year": school_year,
            "several_schools": len(form.fields["school"].queryset) > 1,
        },
    )


def _person_for(request: HttpRequest, public_id) -> User:
    return access.get_for_user(request.user, User.objects.all(), "manage", public_id=public_id)


@require_http_methods(["GET"])
@login_required
def person_detail(request: HttpRequest, public_id) -> HttpResponse:
    person = _person_for(request, public_id)
    context = {
        **selectors.person_overview_for(request.user, person),
        "person": person,
        "pending": InvitationStatus.PENDING,
    }
    return render(request, "roles/person_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def role_assign(request: HttpRequest, public_id) -> HttpResponse:
    person = _person_for(request, public_id)
    form = RoleAssignForm(request.POST or None, user=request.user, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_assign(actor=request.user, user=person, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The role has been assigned."))
            return redirect("person_detail", public_id=person.public_id)
    return render(request, "roles/role_assign.html", {"person": person, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def person_deactivate(request: HttpRequest, public_id) -> HttpResponse:
    """Ask first; then end the person's memberships, roles and trajectories at the school."""
    person = _person_for(request, public_id)
    form = DeactivateForm(request.POST or None, user=request.user, person=person)
    if request.method == "POST" and form.is_valid():
        school = form.cleaned_data["school"]
        try:
            services.person_deactivate(actor=request.user, user=person, school=school)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(person)s has been deactivated at %(school)s. Their history has been kept.")
                % {"person": person, "school": school},
            )
            return redirect("person_detail", public_id=person.public_id)
    return render(request, "roles/person_deactivate.html", {"person": person, "form": form})
