"""Cross-cutting pages: the home page after log-in and the language switch."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from mentoring import access
from reflection import selectors as reflection_selectors
from reflection.models import CycleStatus, SessionStatus
from roles import selectors, services
from roles.models import StaffKind, TrajectoryStatus

# How many open agreements, and how many goals or waiting reflections, the home page lists
# before it links to the whole list.
HOME_LIST = 10
HOME_SHORT_LIST = 5


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    school_year = selectors.school_year_current()
    memberships = list(selectors.memberships_of(user))
    kinds = {membership.staff_kind for membership in memberships}
    role_assignments = list(selectors.role_assignments_of(user, school_year=school_year))
    # One query for the trajectories the user takes part in, either side.
    own = list(
        selectors.trajectory_list_for(user, status=TrajectoryStatus.ACTIVE).filter(
            Q(begeleider=user) | Q(teacher=user)
        )
    )
    as_begeleider = [t for t in own if t.begeleider_id == user.pk]
    as_teacher = [t for t in own if t.teacher_id == user.pk]
    context = {
        "school_year": school_year,
        "memberships": memberships,
        "role_assignments": role_assignments,
        "is_learner": bool(kinds & {StaffKind.STUDENT_TEACHER, StaffKind.TEACHER}),
        "is_coordinator": StaffKind.COORDINATOR in kinds,
        # The menu asks the same question; the memberships above already answer it.
        "nav_is_coordinator": StaffKind.COORDINATOR in kinds,
        "school_figures": selectors.school_figures_for(user, school_year=school_year),
        "trajectories_as_begeleider": as_begeleider,
        "trajectories_as_teacher": as_teacher,
        "learning_groups": list(selectors.learning_groups_of(user)),
        "today": timezone.localdate(),
    }
    # Trajectory content, only for the people in a trajectory: one query per card, so the
    # page costs the same however many goals, agreements or reflections there are.
    if own:
        agreements = list(reflection_selectors.open_agreements_for(user)[: HOME_LIST + 1])
        context["agreements"] = agreements[:HOME_LIST]
        context["more_agreements"] = len(agreements) > HOME_LIST
    if as_teacher:
        goals = list(
            reflection_selectors.goals_for(user).filter(
                owner=user, status__in=reflection_selectors.CURRENT_GOAL
            )[: HOME_SHORT_LIST + 1]
        )
        context["goals"] = goals[:HOME_SHORT_LIST]
        context["more_goals"] = len(goals) > HOME_SHORT_LIST
        context["draft_count"] = (
            reflection_selectors.cycles_of_owner(user).filter(status=CycleStatus.DRAFT).count()
        )
        context["merid_asked"] = list(
            reflection_selectors.merid_perceptions_asked_of(user).filter(perception_given=False)[
                :HOME_SHORT_LIST
            ]
        )
    if context["learning_groups"]:
        # One query: the next sessions of the groups the user facilitates or belongs to.
        context["group_sessions"] = list(
            access.group_sessions_with_content_for(user)
            .filter(status=SessionStatus.PLANNED, starts_at__gte=timezone.now())
            .select_related("group")
            .order_by("starts_at", "pk")[:HOME_SHORT_LIST]
        )
    if as_begeleider or role_assignments:
        waiting = list(reflection_selectors.shared_cycles_waiting_for(user)[: HOME_SHORT_LIST + 1])
        context["waiting_cycles"] = waiting[:HOME_SHORT_LIST]
        context["more_waiting"] = len(waiting) > HOME_SHORT_LIST
    return render(request, "mentoring/home.html", context)


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Django's set_language, plus remembering the choice on the user's account."""
    response = set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.user_set_language(user=request.user, language=language)
    return response
