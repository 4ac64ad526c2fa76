"""Reflection cycles: the teacher's list and the begeleider's overview, starting a cycle, the
cycle's page, and the transitions of its life (share, withdraw, discussed, next, delete).

The cycle's page has two faces on one URL. Its owner writes in it while it is a draft or
shared: every text is saved as it is typed through the one autosave mechanism
(static/js/autosave.js → `cycle_save` → mentoring/autosave.py), and without JavaScript the
Save button posts the whole page. Both end in `services.cycle_apply`, which refuses a save
made on a stale version, so a second tab never overwrites silently. Everyone else who may
read it (the begeleider, in opleiden also the schoolopleider), and the owner once it has been
discussed, sees the texts with the comments; every read by someone else is audited.
"""

import uuid
from dataclasses import dataclass, field
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from mentoring import access
from mentoring.audit import audit_record
from mentoring.autosave import autosave_response, autosave_view, plain_text, text_state
from mentoring.versioning import StaleVersion
from observations import charts, insights
from observations.models import LessonVisit, Observation, ObservationStatus
from reflection import phases, selectors, services
from reflection.forms import CommentForm, CycleCreateForm, ShareForm
from reflection.models import CycleComment, CycleKind, CycleStatus, ReflectionCycle
from roles.models import Trajectory, TrajectoryStatus, User
from roles.views import add_service_errors, paginate

# The page parameter of the second list on the list page ("shared with me"); the first list
# uses roles.views.paginate's ?page=.
SHARED_PAGE = "shared_page"


def _cycle_for(request: HttpRequest, public_id, action: str = "view") -> ReflectionCycle:
    return access.get_for_user(
        request.user,
        ReflectionCycle.objects.select_related(
            "owner",
            "trajectory__begeleider",
            "trajectory__begeleider_role",
            "trajectory__school",
            "visit",
            "follows",
        ),
        action,
        public_id=public_id,
    )


def _own_trajectories(user: User) -> QuerySet[Trajectory]:
    """The trajectories in which the user is the (student) teacher: current ones first."""
    return (
        access.trajectories_with_content_for(user)
        .filter(teacher=user)
        .select_related("begeleider")
        .order_by("status", "-starts_on", "pk")
    )


def _back_to(cycle: ReflectionCycle) -> HttpResponse:
    return redirect("cycle_detail", public_id=cycle.public_id)


# --- The list --------------------------------------------------------------------------------


@require_http_methods(["GET"])
@login_required
def cycle_list(request: HttpRequest) -> HttpResponse:
    page, query = paginate(request, selectors.cycles_of_owner(request.user))
    # The second list has its own page number, and its links keep the first list's page.
    shared_page, shared_query = paginate(
        request, selectors.cycles_shared_with(request.user), param=SHARED_PAGE
    )
    # Begeleiders see the overview even while nothing has been shared with them yet.
    shows_shared = bool(shared_page.paginator.count) or (
        access.trajectories_with_content_for(request.user).exclude(teacher=request.user).exists()
    )
    return render(
        request,
        "reflection/cycle_list.html",
        {
            "page": page,
            "query": query,
            "shared_page": shared_page,
            "shared_query": shared_query,
            "shared_param": SHARED_PAGE,
            "shows_shared": shows_shared,
        },
    )


# --- Starting a cycle ------------------------------------------------------------------------


def _visit_from_query(request: HttpRequest) -> LessonVisit | None:
    """The lesson visit a cycle is started from (?visit=): one of the user's own lessons.
    Someone else's visit is 404 outside their schools and 403 inside, like any object."""
    value = request.GET.get("visit")
    if not value:
        return None
    try:
        public_id = uuid.UUID(value)
    except ValueError:
        raise Http404 from None
    visit = access.get_for_user(
        request.user,
        LessonVisit.objects.select_related("trajectory__begeleider"),
        "view_content",
        public_id=public_id,
    )
    if visit.trajectory.teacher_id != request.user.pk:
        # A begeleider may read the visit, but a reflection on it is its teacher's to write.
        raise PermissionDenied
    return visit


def _default_title(visit: LessonVisit) -> str:
    day = formats.date_format(timezone.localtime(visit.starts_at), "j F Y")
    if visit.class_name:
        return _("Lesson of %(date)s, %(class_name)s") % {
            "date": day,
            "class_name": visit.class_name,
        }
    return _("Lesson of %(date)s") % {"date": day}


@require_http_methods(["GET", "POST"])
@login_required
def cycle_create(request: HttpRequest) -> HttpResponse:
    visit = _visit_from_query(request)
    trajectories = None if visit else _own_trajectories(request.user)
    initial = {}
    if visit:
        initial["title"] = _default_title(visit)
    elif request.GET.get("trajectory"):
        chosen = [t for t in trajectories if str(t.public_id) == request.GET["trajectory"]]
        if chosen:
            initial["trajectory"] = chosen[0]
    form = CycleCreateForm(
        request.POST if request.method == "POST" else None,
        trajectories=trajectories,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.cycle_create(
                owner=request.user,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                trajectory=form.cleaned_data.get("trajectory"),
                visit=visit,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your reflection has been started. Only you can read it."))
            return redirect("cycle_detail", public_id=cycle.public_id)
    return render(request, "reflection/cycle_form.html", {"form": form, "visit": visit})


# --- The cycle's page ------------------------------------------------------------------------


@dataclass
class FieldView:
    """One text of the cycle as the page shows it."""

    field: phases.Field
    value: str
    # After a conflict on the plain form: what was saved in the meantime, where it differs.
    saved: str | None = None
    # Shown as text, not as a field: the cycle was discussed (phases.OPEN_AFTER_DISCUSSION).
    locked: bool = False

    @property
    def name(self) -> str:
        return self.field.name


@dataclass
class SectionView:
    section: phases.Section
    fields: list[FieldView]
    # ALACT phase 2: the eight questions as rows of (self, pupils).
    grid: list[tuple[FieldView, FieldView]]
    threads: list[CycleComment] = field(default_factory=list)


def _text_fields(cycle: ReflectionCycle) -> list[str]:
    return ["title", *phases.text_limits(cycle.kind)]


def _sections(
    cycle: ReflectionCycle,
    threads: dict[str, list[CycleComment]],
    values: dict[str, str] | None = None,
    saved: dict[str, str] | None = None,
) -> list[SectionView]:
    values = values or {}
    saved = saved or {}
    discussed = cycle.status == CycleStatus.DISCUSSED
    views = []
    for section in phases.sections_of(cycle.kind):
        shown = [
            FieldView(
                f,
                values.get(f.name, getattr(cycle, f.name)),
                saved.get(f.name),
                locked=discussed and f.name not in phases.OPEN_AFTER_DISCUSSION,
            )
            for f in section.fields
        ]
        grid = []
        if section.grid:
            selves = [v for v in shown if v.name.endswith("_self")]
            pupils = [v for v in shown if v.name.endswith("_pupils")]
            grid = list(zip(selves, pupils, strict=True))
            shown = [v for v in shown if v not in selves and v not in pupils]
        views.append(SectionView(section, shown, grid, threads.get(section.key, [])))
    return views


def _threads(cycle: ReflectionCycle) -> dict[str, list[CycleComment]]:
    """The comments by section key ("" for the whole cycle), each with its replies, in one
    query."""
    comments = list(cycle.comments.select_related("author").order_by("created_at", "pk"))
    keys = phases.section_keys(cycle.kind)
    tops = {c.pk: c for c in comments if c.parent_id is None}
    for top in tops.values():
        top.thread_replies = []
    for comment in comments:
        if comment.parent_id in tops:
            tops[comment.parent_id].thread_replies.append(comment)
    threads: dict[str, list[CycleComment]] = {}
    for top in tops.values():
        threads.setdefault(top.phase if top.phase in keys else "", []).append(top)
    return threads


def _core_quality_options(chosen: list[str]) -> list[dict]:
    """The list of core qualities to tick, and the owner's own ones after it (ticked)."""
    options = [
        {"value": value, "label": label, "checked": value in chosen}
        for value, label in phases.CORE_QUALITIES.items()
    ]
    options += [
        {"value": value, "label": value, "checked": True}
        for value in chosen
        if value not in phases.CORE_QUALITIES
    ]
    return options


@dataclass
class ObservationView:
    observation: Observation
    profile: insights.DomainProfile | None
    chart: charts.BarChart | None


def _observations_beside(request: HttpRequest, cycle: ReflectionCycle) -> list[ObservationView]:
    """The final observations of the cycle's lesson the owner may read: their domain profile
    (the chart of the analysis pages) and key moments. A draft observation stays its
    observer's."""
    if cycle.visit_id is None or cycle.owner_id != request.user.pk:
        return []
    observations = list(
        access.observations_visible_to(request.user)
        .filter(visit_id=cycle.visit_id, status=ObservationStatus.FINAL)
        .select_related("observer", "instrument", "visit__trajectory__school")
        .prefetch_related("key_moments")
        .order_by("created_at")
    )
    views = []
    for index, lesson in enumerate(insights.scored_lessons(observations)):
        observation = lesson.observation
        audit_record(
            actor=request.user,
            action="observation.viewed",
            obj=observation,
            school=observation.visit.trajectory.school,
        )
        layout = insights.instrument_layout(observation.instrument)
        profile = insights.domain_profile(lesson, layout) if layout.supports_analysis else None
        chart = (
            charts.domain_profile_chart(profile, chart_id=f"cycle-profile-{index}")
            if profile
            else None
        )
        views.append(ObservationView(observation, profile, chart))
    return views


def _context(
    request: HttpRequest,
    cycle: ReflectionCycle,
    *,
    values: dict[str, str] | None = None,
    saved: dict[str, str] | None = None,
    qualities: list[str] | None = None,
) -> dict:
    user = request.user
    is_owner = cycle.owner_id == user.pk
    threads = _threads(cycle)
    follows = cycle.follows
    context = {
        "cycle": cycle,
        "is_owner": is_owner,
        "sections": _sections(cycle, threads, values, saved),
        "overall_threads": threads.get("", []),
        "core_qualities": _core_quality_options(
            cycle.core_qualities if qualities is None else qualities
        ),
        "quality_labels": [phases.core_quality_label(v) for v in cycle.core_qualities],
        "title_value": (values or {}).get("title", cycle.title),
        "title_saved": (saved or {}).get("title"),
        "can_comment": not is_owner and cycle.status == CycleStatus.SHARED,
        "can_reply": cycle.status == CycleStatus.SHARED,
        "can_discuss": cycle.status == CycleStatus.SHARED and access.can(user, "discuss", cycle),
        "follows": follows if follows and access.can(user, "view", follows) else None,
        "followed_by": list(
            access.cycles_visible_to(user).filter(follows=cycle).order_by("created_at", "pk")
        ),
        "observations": _observations_beside(request, cycle),
        "limit_comment": phases.SHORT,
        "limit_title": 200,
        "limit_quality": phases.CORE_QUALITY_LIMIT,
    }
    if is_owner and cycle.status == CycleStatus.DRAFT and cycle.trajectory_id is None:
        context["share_choices"] = list(
            _own_trajectories(user).filter(status=TrajectoryStatus.ACTIVE)
        )
    return context


def _changes_from_form(cycle: ReflectionCycle, data) -> tuple[list[dict], dict[str, str], list]:
    """The plain form as the same changes the JavaScript sends: only the texts that differ
    from what is saved, so a save without JavaScript does not touch what it did not change.
    Also returns the submitted texts and core qualities, to show them again if it fails."""
    changes, values = [], {}
    for name in _text_fields(cycle):
        if name not in data:
            continue
        text = plain_text(data[name])
        values[name] = text
        if text != getattr(cycle, name):
            changes.append({"field": name, "text": text})
    qualities = None
    if cycle.kind == CycleKind.CORE and "core_qualities_shown" in data:
        qualities = data.getlist("core_qualities")
        own = data.get("core_quality_new", "").strip()
        if own and own not in qualities:
            qualities.append(own)
        if qualities != cycle.core_qualities:
            changes.append({"field": "core_qualities", "values": qualities})
    return changes, values, qualities


@require_http_methods(["GET", "POST"])
@login_required
def cycle_detail(request: HttpRequest, public_id) -> HttpResponse:
    cycle = _cycle_for(request, public_id)
    is_owner = cycle.owner_id == request.user.pk
    if request.method == "POST":
        if not access.can(request.user, "own", cycle):
            raise PermissionDenied
        return _save_plain_form(request, cycle)
    if not is_owner:
        audit_record(
            actor=request.user,
            action="reflection.viewed",
            obj=cycle,
            school=cycle.trajectory.school,
        )
    if is_owner and services.cycle_is_writable(cycle):
        return render(request, "reflection/cycle_edit.html", _context(request, cycle))
    return render(request, "reflection/cycle_read.html", _context(request, cycle))


def _save_plain_form(request: HttpRequest, cycle: ReflectionCycle) -> HttpResponse:
    """The Save button without JavaScript. A save on a stale version writes nothing and shows
    the page again with the user's texts in the fields and the saved ones above them; a
    refused text (too long) stays in its field with the reason. Nothing typed is lost."""
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    changes, values, qualities = _changes_from_form(cycle, request.POST)
    try:
        services.cycle_apply(actor=request.user, cycle=cycle, version=version, changes=changes)
    except StaleVersion:
        cycle.refresh_from_db()
        saved = {
            name: getattr(cycle, name)
            for name, text in values.items()
            if text != getattr(cycle, name)
        }
        messages.warning(
            request,
            _(
                "Someone else saved this reflection in the meantime (another tab or device), so "
                "your changes were not saved yet. Your texts are still in the fields; where the "
                "saved text differs, it is shown above the field. Save again to keep your texts."
            ),
        )
        # The page now carries the saved version: saving again is a choice made after seeing
        # both texts.
        context = _context(request, cycle, values=values, saved=saved, qualities=qualities)
        return render(request, "reflection/cycle_edit.html", context)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        cycle.refresh_from_db()
        context = _context(request, cycle, values=values, qualities=qualities)
        return render(request, "reflection/cycle_edit.html", context)
    messages.success(request, _("Saved."))
    return _back_to(cycle)


@require_POST
@autosave_view(
    missing=gettext_lazy("This reflection does not exist."),
    refused=gettext_lazy("Only its author can change this reflection."),
)
def cycle_save(request: HttpRequest, public_id) -> JsonResponse:
    """The autosave endpoint: 200 with the new version, 409 with the saved texts when the
    batch was made against an older version, 400 with the reason for a refused change."""
    cycle = _cycle_for(request, public_id, "own")
    return autosave_response(
        request,
        apply=partial(services.cycle_apply, actor=request.user, cycle=cycle),
        state=partial(text_state, fields=[*_text_fields(cycle), "core_qualities"]),
        stale_message=_("Someone else saved this reflection in the meantime."),
    )


# --- Transitions -----------------------------------------------------------------------------


def _transition(request: HttpRequest, cycle: ReflectionCycle, change, success: str, **kwargs):
    """Run one transition; a refusal is shown on the page and changes nothing."""
    try:
        result = change(actor=request.user, cycle=cycle, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None
    messages.success(request, success)
    return result


@require_POST
@login_required
def cycle_share(request: HttpRequest, public_id) -> HttpResponse:
    cycle = _cycle_for(request, public_id, "own")
    trajectory = None
    if cycle.trajectory_id is None:
        form = ShareForm(
            request.POST,
            trajectories=_own_trajectories(request.user).filter(status=TrajectoryStatus.ACTIVE),
        )
        # No valid choice: the service says what is missing.
        trajectory = form.cleaned_data.get("trajectory") if form.is_valid() else None
    _transition(
        request,
        cycle,
        services.cycle_share,
        _("Your reflection is shared. Your begeleider can now read it and respond."),
        trajectory=trajectory,
    )
    return _back_to(cycle)


@require_POST
@login_required
def cycle_withdraw(request: HttpRequest, public_id) -> HttpResponse:
    cycle = _cycle_for(request, public_id, "own")
    _transition(
        request,
        cycle,
        services.cycle_withdraw,
        _("Sharing withdrawn: only you can read this reflection now."),
    )
    return _back_to(cycle)


@require_POST
@login_required
def cycle_mark_discussed(request: HttpRequest, public_id) -> HttpResponse:
    cycle = _cycle_for(request, public_id, "discuss")
    _transition(
        request,
        cycle,
        services.cycle_mark_discussed,
        _("The reflection is marked as discussed."),
    )
    return _back_to(cycle)


@require_POST
@login_required
def cycle_start_next(request: HttpRequest, public_id) -> HttpResponse:
    cycle = _cycle_for(request, public_id, "own")
    following = _transition(
        request,
        cycle,
        services.cycle_start_next,
        _("The next cycle has started from your intention."),
    )
    return _back_to(following or cycle)


@require_http_methods(["GET", "POST"])
@login_required
def cycle_delete(request: HttpRequest, public_id) -> HttpResponse:
    cycle = _cycle_for(request, public_id, "own")
    if request.method == "POST":
        try:
            services.cycle_delete(actor=request.user, cycle=cycle)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _back_to(cycle)
        messages.success(request, _("The reflection has been deleted."))
        return redirect("cycle_list")
    return render(request, "reflection/cycle_delete.html", {"cycle": cycle})


@require_POST
@login_required
def cycle_comment_add(request: HttpRequest, public_id) -> HttpResponse:
    cycle = _cycle_for(request, public_id, "view")
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The comment could not be read. Try again."))
        return _back_to(cycle)
    data = form.cleaned_data
    parent = None
    if data["parent"]:
        parent = cycle.comments.filter(public_id=data["parent"]).first()
        if parent is None:
            messages.error(request, _("Reply to a comment on this reflection."))
            return _back_to(cycle)
    try:
        comment = services.comment_add(
            actor=request.user,
            cycle=cycle,
            text=data["text"],
            kind=data["kind"] or "comment",
            phase=data["phase"],
            parent=parent,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back_to(cycle)
    if parent is not None:
        messages.success(request, _("Your reply has been added."))
    elif comment.kind == "question":
        messages.success(request, _("Your question has been added."))
    else:
        messages.success(request, _("Your comment has been added."))
    url = reverse("cycle_detail", kwargs={"public_id": cycle.public_id})
    return redirect(f"{url}#comment-{comment.public_id}")
