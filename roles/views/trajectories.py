"""Trajectories (begeleidingstrajecten): the list, one trajectory, creating and ending them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mentoring import access
from mentoring.audit import audit_record
from mentoring.versioning import StaleVersion
from reflection import selectors as reflection_selectors
from reflection.models import Conversation
from roles import selectors, services
from roles.forms import TrajectoryEndForm, TrajectoryFocusForm, TrajectoryForm
from roles.models import Trajectory, TrajectoryKind, TrajectoryStatus
from roles.views import add_service_errors, paginate

# The trajectory's page lists the most recent conversations and reflections; the rest are a
# link away.
RECENT = 5


def _trajectory_for(request: HttpRequest, public_id, action: str) -> Trajectory:
    return access.get_for_user(
        request.user,
        Trajectory.objects.select_related(
            "teacher", "begeleider", "begeleider_role", "school", "school_year"
        ),
        action,
        public_id=public_id,
    )


@require_http_methods(["GET"])
@login_required
def trajectory_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", TrajectoryStatus.ACTIVE)
    status = status if status in TrajectoryStatus.values else ""
    kind = request.GET.get("kind", "")
    kind = kind if kind in TrajectoryKind.values else ""
    q = request.GET.get("q", "")[:100]
    trajectories = selectors.trajectory_list_for(request.user, status=status, kind=kind, q=q)
    page, query = paginate(request, trajectories)
    return render(
        request,
        "roles/trajectory_list.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "kind": kind,
            "q": q,
            "statuses": TrajectoryStatus.choices,
            "kinds": TrajectoryKind.choices,
            "can_create": bool(access.coordinated_school_ids(request.user)),
        },
    )


@require_http_methods(["GET", "POST"])
@access.coordinator_required
def trajectory_create(request: HttpRequest) -> HttpResponse:
    form = TrajectoryForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            trajectory = services.trajectory_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The trajectory has been created."))
            return redirect("trajectory_detail", public_id=trajectory.public_id)
    return render(request, "roles/trajectory_form.html", {"form": form})


@require_http_methods(["GET"])
@login_required
def trajectory_detail(request: HttpRequest, public_id) -> HttpResponse:
    trajectory = _trajectory_for(request, public_id, "view")
    show_content = access.can(request.user, "view_content", trajectory)
    is_active = trajectory.status == TrajectoryStatus.ACTIVE
    context = {
        "trajectory": trajectory,
        "show_content": show_content,
        "can_edit_content": access.can(request.user, "edit_content", trajectory),
        "can_end": access.can(request.user, "end", trajectory),
        "can_plan_visit": access.can_plan_visit(request.user, trajectory),
    }
    if show_content:
        audit_record(actor=request.user, action="trajectory.content_viewed", obj=trajectory)
        # Goals, conversations and reflections are content: coordinators and school leaders
        # (who see only that the trajectory exists) get none of it, not even the sections.
        context.update(
            goals=list(reflection_selectors.goals_for(request.user, trajectory=trajectory)),
            conversations=list(
                reflection_selectors.conversations_for(request.user, trajectory=trajectory)[:RECENT]
            ),
            cycles=list(
                access.cycles_visible_to(request.user)
                .filter(trajectory=trajectory)
                .select_related("owner")
                .order_by("-updated_at", "-pk")[:RECENT]
            ),
            can_add_goal=context["can_edit_content"] and is_active,
            can_add_conversation=is_active
            and access.can(request.user, "edit", Conversation(trajectory=trajectory)),
            is_teacher=trajectory.teacher_id == request.user.pk,
        )
    return render(request, "roles/trajectory_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def trajectory_focus_edit(request: HttpRequest, public_id) -> HttpResponse:
    trajectory = _trajectory_for(request, public_id, "edit_content")
    form = TrajectoryFocusForm(
        request.POST or None,
        initial={"focus": trajectory.focus, "version": trajectory.version},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.trajectory_focus_update(
                actor=request.user,
                trajectory=trajectory,
                focus=form.cleaned_data["focus"],
                version=form.cleaned_data["version"],
            )
        except StaleVersion as stale:
            # Keep both texts: theirs shown above, the writer's still in the box.
            conflict = stale.current.focus
            form = TrajectoryFocusForm(
                {"focus": form.cleaned_data["focus"], "version": stale.current.version}
            )
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Someone else changed this text while you were writing. Their version is "
                    "shown below; yours is still in the box. Save again to keep yours."
                ),
            )
        else:
            messages.success(request, _("Saved."))
            return redirect("trajectory_detail", public_id=trajectory.public_id)
    return render(
        request,
        "roles/trajectory_focus_form.html",
        {"trajectory": trajectory, "form": form, "conflict": conflict},
    )


@require_http_methods(["GET", "POST"])
@login_required
def trajectory_end(request: HttpRequest, public_id) -> HttpResponse:
    trajectory = _trajectory_for(request, public_id, "end")
    form = TrajectoryEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.trajectory_end(
                actor=request.user, trajectory=trajectory, ends_on=form.cleaned_data["ends_on"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The trajectory has been ended."))
            return redirect("trajectory_detail", public_id=trajectory.public_id)
    return render(request, "roles/trajectory_end.html", {"trajectory": trajectory, "form": form})
