"""Lesson visits: the list, planning one in a trajectory, its page, moving and cancelling it."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mentoring import access
from mentoring.audit import audit_record
from observations import insights, selectors, services
from observations.forms import RescheduleForm, VisitForm
from observations.models import LessonVisit, ObservationStatus, VisitStatus
from reflection import selectors as reflection_selectors
from reflection.models import Conversation
from roles.models import Trajectory, TrajectoryStatus
from roles.views import add_service_errors, paginate


def _visit_for(request: HttpRequest, public_id, action: str = "view") -> LessonVisit:
    return access.get_for_user(
        request.user,
        LessonVisit.objects.select_related(
            "trajectory__teacher", "trajectory__begeleider", "trajectory__school", "planned_by"
        ),
        action,
        public_id=public_id,
    )


@require_http_methods(["GET"])
@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    past = request.GET.get("when") == "past"
    visits = selectors.visit_list_for(request.user, past=past)
    trajectory = request.GET.get("trajectory", "")
    if trajectory:
        try:
            visits = visits.filter(trajectory__public_id=uuid.UUID(trajectory))
        except ValueError:
            visits = visits.none()
    page, query = paginate(request, visits)
    return render(
        request,
        "observations/visit_list.html",
        {"page": page, "query": query, "past": past, "trajectory": trajectory},
    )


@require_http_methods(["GET", "POST"])
@login_required
def visit_plan(request: HttpRequest, public_id) -> HttpResponse:
    trajectory = access.get_for_user(
        request.user,
        Trajectory.objects.select_related("teacher", "begeleider"),
        "view",
        public_id=public_id,
    )
    if not access.can_plan_visit(request.user, trajectory):
        raise PermissionDenied
    instrument = selectors.instrument_default()
    suggested = []
    if request.method == "GET":
        suggested = [
            item
            for item in insights.suggested_focus_items_for(request.user, trajectory)
            if item.instrument_id == instrument.pk
        ]
    form = VisitForm(
        request.POST or None,
        items=selectors.focus_item_choices(instrument),
        suggested_focus=suggested,
    )
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_plan(
                actor=request.user, trajectory=trajectory, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The lesson visit has been planned."))
            return redirect("visit_detail", public_id=visit.public_id)
    return render(request, "observations/visit_form.html", {"form": form, "trajectory": trajectory})


@require_http_methods(["GET"])
@login_required
def visit_detail(request: HttpRequest, public_id) -> HttpResponse:
    visit = _visit_for(request, public_id)
    show_content = access.can(request.user, "view_content", visit)
    observations = list(selectors.observations_of_visit_for(request.user, visit))
    if show_content:
        audit_record(
            actor=request.user, action="visit.viewed", obj=visit, school=visit.trajectory.school
        )
    return render(
        request,
        "observations/visit_detail.html",
        {
            "visit": visit,
            "show_content": show_content,
            "focus_items": visit.focus_items.order_by("number") if show_content else [],
            "observations": observations,
            "has_own_observation": any(o.observer_id == request.user.pk for o in observations),
            "final_count": sum(o.status == ObservationStatus.FINAL for o in observations),
            "can_observe": access.can(request.user, "observe", visit),
            "can_manage": access.can(request.user, "manage", visit),
            # The conversation after the lesson and the teacher's reflection on it.
            "conversations": list(
                reflection_selectors.conversations_for(request.user).filter(visit=visit)
            )
            if show_content
            else [],
            "can_add_conversation": show_content
            and visit.status != VisitStatus.CANCELLED
            and visit.trajectory.status == TrajectoryStatus.ACTIVE
            and access.can(request.user, "edit", Conversation(trajectory=visit.trajectory)),
            "can_reflect": show_content
            and visit.trajectory.teacher_id == request.user.pk
            and visit.status != VisitStatus.CANCELLED,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def visit_reschedule(request: HttpRequest, public_id) -> HttpResponse:
    visit = _visit_for(request, public_id, "manage")
    form = RescheduleForm(request.POST or None, initial={"starts_at": visit.starts_at})
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_reschedule(
                actor=request.user, visit=visit, starts_at=form.cleaned_data["starts_at"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The lesson visit has been moved."))
            return redirect("visit_detail", public_id=visit.public_id)
    return render(request, "observations/visit_reschedule.html", {"visit": visit, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def visit_cancel(request: HttpRequest, public_id) -> HttpResponse:
    visit = _visit_for(request, public_id, "manage")
    if request.method == "POST":
        try:
            services.visit_cancel(actor=request.user, visit=visit)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The lesson visit has been cancelled."))
        return redirect("visit_detail", public_id=visit.public_id)
    return render(request, "observations/visit_cancel.html", {"visit": visit})


@require_POST
@login_required
def visit_mark_held(request: HttpRequest, public_id) -> HttpResponse:
    visit = _visit_for(request, public_id, "manage")
    try:
        services.visit_mark_held(actor=request.user, visit=visit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The lesson visit has been marked as held."))
    return redirect("visit_detail", public_id=visit.public_id)
