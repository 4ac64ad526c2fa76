"""Learning goals (leerdoelen): the list, writing one, its page, and the evidence linked to it.

A goal belongs to the trajectory's (student) teacher. It may start from an item of an
observation's suggested focus, from the intention of a reflection, or freely. Who may write
is the access policy's "edit_content" on the trajectory: the teacher, and in opleiden the
opleider; in coaching only the coachee.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mentoring import access
from mentoring.audit import audit_record
from mentoring.versioning import StaleVersion
from observations.models import Item, ObservationStatus
from reflection import selectors, services
from reflection.forms import EvidenceForm, GoalEditForm, GoalForm, form_errors
from reflection.models import (
    CycleKind,
    GoalEvidence,
    GoalStatus,
    LearningGoal,
)
from roles.models import Trajectory
from roles.views import add_service_errors, paginate

# The list's tabs: which statuses each shows.
STATUS_FILTERS = {
    "current": selectors.CURRENT_GOAL,
    "reached": [GoalStatus.REACHED],
    "dropped": [GoalStatus.DROPPED],
    "all": GoalStatus.values,
}


def goal_url(goal: LearningGoal) -> str:
    return reverse("goal_detail", kwargs={"public_id": goal.public_id})


def _goal_for(request: HttpRequest, public_id, action: str = "view") -> LearningGoal:
    return access.get_for_user(
        request.user,
        LearningGoal.objects.select_related(
            "owner",
            "created_by",
            "trajectory__teacher",
            "trajectory__begeleider",
            "trajectory__school",
            "source_item",
            "source_observation__visit",
            "source_observation__observer",
            "source_cycle",
        ),
        action,
        public_id=public_id,
    )


@require_http_methods(["GET"])
@login_required
def goal_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "current")
    status = status if status in STATUS_FILTERS else "current"
    goals = selectors.goals_for(request.user).filter(status__in=STATUS_FILTERS[status])
    page, query = paginate(request, goals)
    return render(
        request,
        "reflection/goal_list.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "filters": [
                ("current", _("Current")),
                ("reached", _("Reached")),
                ("dropped", _("Dropped")),
                ("all", _("All")),
            ],
        },
    )


def _parse_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _source_from_query(request: HttpRequest, trajectory: Trajectory) -> dict:
    """The goal's starting point from `?observation=&item=` or `?cycle=`, each looked up
    through the access policy. Something that cannot be used is left out with a message, so a
    stale or edited link still leads to a form."""
    source: dict = {}
    user = request.user
    if request.GET.get("observation"):
        public_id = _parse_uuid(request.GET["observation"])
        observation = (
            access.observations_visible_to(user)
            .filter(
                public_id=public_id, visit__trajectory=trajectory, status=ObservationStatus.FINAL
            )
            .select_related("visit", "observer")
            .first()
            if public_id is not None
            else None
        )
        if observation is None:
            messages.warning(
                request,
                _("That observation cannot be used here; write the goal in your own words."),
            )
            return source
        source["source_observation"] = observation
        item_id = request.GET.get("item", "")
        # An item's key, at most nine digits so that it fits the column whatever is typed.
        item = (
            Item.objects.filter(pk=int(item_id), instrument_id=observation.instrument_id).first()
            if item_id.isdecimal() and len(item_id) <= 9
            else None
        )
        if item is None and item_id:
            messages.warning(request, _("That item is not part of the observation's instrument."))
        if item is not None:
            source["source_item"] = item
    elif request.GET.get("cycle"):
        public_id = _parse_uuid(request.GET["cycle"])
        cycle = (
            access.cycles_visible_to(user)
            .filter(public_id=public_id, owner=trajectory.teacher)
            .first()
            if public_id is not None
            else None
        )
        if cycle is None:
            messages.warning(
                request,
                _("That reflection cannot be used here; write the goal in your own words."),
            )
            return source
        source["source_cycle"] = cycle
    return source


def _initial_from_source(source: dict) -> dict:
    if "source_item" in source:
        return {"title": Truncator(source["source_item"].text).chars(200)}
    if "source_cycle" in source:
        cycle = source["source_cycle"]
        chosen = (cycle.new_step if cycle.kind == CycleKind.CORE else cycle.intention).strip()
        if chosen:
            first_line = chosen.splitlines()[0]
            return {"title": Truncator(first_line).chars(200), "description": chosen}
        return {"title": Truncator(cycle.title).chars(200)}
    return {}


@require_http_methods(["GET", "POST"])
@login_required
def goal_create(request: HttpRequest, public_id) -> HttpResponse:
    trajectory = access.get_for_user(
        request.user,
        Trajectory.objects.select_related("teacher", "begeleider", "school"),
        "edit_content",
        public_id=public_id,
    )
    source = _source_from_query(request, trajectory)
    form = GoalForm(request.POST or None, initial=_initial_from_source(source))
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_create(
                actor=request.user, trajectory=trajectory, **form.cleaned_data, **source
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The learning goal has been added."))
            return redirect("goal_detail", public_id=goal.public_id)
    return render(
        request,
        "reflection/goal_form.html",
        {"trajectory": trajectory, "form": form, "source": source},
    )


def _evidence_rows(request: HttpRequest, goal: LearningGoal) -> list[tuple[GoalEvidence, bool]]:
    """The goal's evidence, each with whether this reader may open what it links to: a
    reflection withdrawn after it was linked, or an observer's draft, stays closed."""
    rows = list(
        goal.evidence.select_related(
            "visit", "observation__visit", "observation__observer", "cycle", "added_by"
        )
    )
    observation_ids = [row.observation_id for row in rows if row.observation_id]
    cycle_ids = [row.cycle_id for row in rows if row.cycle_id]
    visible_observations = (
        set(
            access.observations_visible_to(request.user)
            .filter(pk__in=observation_ids)
            .values_list("pk", flat=True)
        )
        if observation_ids
        else set()
    )
    visible_cycles = (
        set(
            access.cycles_visible_to(request.user)
            .filter(pk__in=cycle_ids)
            .values_list("pk", flat=True)
        )
        if cycle_ids
        else set()
    )
    return [
        (
            row,
            row.visit_id is not None
            or row.observation_id in visible_observations
            or row.cycle_id in visible_cycles,
        )
        for row in rows
    ]


@require_http_methods(["GET", "POST"])
@login_required
def goal_detail(request: HttpRequest, public_id) -> HttpResponse:
    goal = _goal_for(request, public_id)
    can_edit = access.can(request.user, "edit", goal)
    form, conflict = None, None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = GoalEditForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.goal_update(
                    actor=request.user,
                    goal=goal,
                    version=data["version"],
                    title=data["title"],
                    description=data["description"],
                    status=data["status"],
                )
            except StaleVersion as stale:
                # Keep both: the saved goal shown above, the writer's input still in the form,
                # now carrying the current version so saving again keeps theirs.
                conflict = stale.current
                data = request.POST.copy()
                data["version"] = conflict.version
                form = GoalEditForm(data)
                form.is_valid()
                form.add_error(
                    None,
                    _(
                        "Someone else changed this goal while you were editing it. The saved "
                        "version is shown; your changes are still in the form. Save again "
                        "to keep yours."
                    ),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("goal_detail", public_id=goal.public_id)
    if goal.owner_id != request.user.pk:
        audit_record(
            actor=request.user, action="goal.viewed", obj=goal, school=goal.trajectory.school
        )
    if can_edit and form is None:
        form = GoalEditForm.for_goal(goal)
    source_cycle_visible = goal.source_cycle is not None and access.can(
        request.user, "view", goal.source_cycle
    )
    source_observation_visible = goal.source_observation is not None and access.can(
        request.user, "view", goal.source_observation
    )
    return render(
        request,
        "reflection/goal_detail.html",
        {
            "goal": goal,
            "trajectory": goal.trajectory,
            "can_edit": can_edit,
            "form": form,
            "conflict": conflict,
            "evidence": _evidence_rows(request, goal),
            "evidence_form": EvidenceForm(user=request.user, goal=goal) if can_edit else None,
            "source_cycle_visible": source_cycle_visible,
            "source_observation_visible": source_observation_visible,
        },
    )


@require_POST
@login_required
def goal_evidence_add(request: HttpRequest, public_id) -> HttpResponse:
    goal = _goal_for(request, public_id, "edit")
    form = EvidenceForm(request.POST, user=request.user, goal=goal)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(f"{goal_url(goal)}#evidence")
    data = form.cleaned_data
    try:
        services.goal_evidence_add(
            actor=request.user,
            goal=goal,
            visit=data["visit"],
            observation=data["observation"],
            cycle=data["cycle"],
            note=data["note"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Linked to the goal."))
    return redirect(f"{goal_url(goal)}#evidence")


@require_http_methods(["GET", "POST"])
@login_required
def goal_evidence_remove(request: HttpRequest, public_id) -> HttpResponse:
    evidence = access.get_for_user(
        request.user,
        GoalEvidence.objects.select_related(
            "goal__trajectory", "visit", "observation__visit", "observation__observer", "cycle"
        ),
        "edit",
        public_id=public_id,
    )
    goal = evidence.goal
    if request.method == "POST":
        services.goal_evidence_remove(actor=request.user, evidence=evidence)
        messages.success(request, _("The link has been removed from the goal."))
        return redirect(f"{goal_url(goal)}#evidence")
    return render(
        request,
        "reflection/goal_evidence_remove.html",
        {
            "evidence": evidence,
            "goal": goal,
            "visible": evidence.visit_id is not None
            or (evidence.observation and access.can(request.user, "view", evidence.observation))
            or (evidence.cycle and access.can(request.user, "view", evidence.cycle)),
        },
    )
