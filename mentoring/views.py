"""Cross-cutting pages: the home page after log-in and the language switch."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from roles import selectors, services
from roles.models import StaffKind, TrajectoryStatus


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    school_year = selectors.school_year_current()
    memberships = list(selectors.memberships_of(user))
    kinds = {membership.staff_kind for membership in memberships}
    own = selectors.trajectory_list_for(user, status=TrajectoryStatus.ACTIVE)
    context = {
        "school_year": school_year,
        "memberships": memberships,
        "role_assignments": list(selectors.role_assignments_of(user, school_year=school_year)),
        "is_learner": bool(kinds & {StaffKind.STUDENT_TEACHER, StaffKind.TEACHER}),
        "is_coordinator": StaffKind.COORDINATOR in kinds,
        "school_figures": selectors.school_figures_for(user, school_year=school_year),
        "trajectories_as_begeleider": list(own.filter(begeleider=user)),
        "trajectories_as_teacher": list(own.filter(teacher=user)),
        "learning_groups": list(selectors.learning_groups_of(user)),
    }
    return render(request, "mentoring/home.html", context)


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Django's set_language, plus remembering the choice on the user's account."""
    response = set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.user_set_language(user=request.user, language=language)
    return response
