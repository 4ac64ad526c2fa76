"""A learning group's sessions: planning one, taking the group through its format's phases,
attendance, and what the members contribute in each phase (reflection/group_phases.py).

What was said in a session is for the group's facilitators and current members only: the
coordinator sees on the group's page that it met and who attended, and gets 403 here. Every
read of a session page is written to the audit log. Destructive actions (cancelling a session,
deleting a contribution or a principle) ask on a page of their own first.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mentoring import access
from mentoring.audit import audit_record
from reflection import group_phases, selectors, services
from reflection.forms import (
    AttendanceForm,
    GroupSessionForm,
    PrincipleForm,
    SessionEntryForm,
    form_errors,
)
from reflection.models import GroupPrinciple, GroupSession, SessionEntry, SessionStatus
from reflection.views.clips import session_clips_context
from reflection.views.session_reports import session_report_panel_context
from roles.models import LearningGroup
from roles.views import add_service_errors

WRITES_ENTRIES = {group_phases.TEXT, group_phases.CASE_PUPIL, group_phases.NOTICING}


def session_url(session: GroupSession, anchor: str = "") -> str:
    url = reverse("session_detail", kwargs={"public_id": session.public_id})
    return f"{url}#{anchor}" if anchor else url


def _session_for(request: HttpRequest, public_id, action: str = "view_content") -> GroupSession:
    return access.get_for_user(
        request.user,
        GroupSession.objects.select_related("group__school", "group__school_year"),
        action,
        public_id=public_id,
    )


def _phase_sections(
    request: HttpRequest,
    session: GroupSession,
    *,
    can_contribute: bool,
    bound: SessionEntryForm | PrincipleForm | None,
) -> list[dict]:
    """The format's phases in order, each with its state, its entries and, in a phase the
    group has reached, the form to add to it. `bound` is a refused form, shown again with what
    was typed and its errors in its own phase."""
    steps = group_phases.phases_of(session.group.format)
    keys = [phase.key for phase in steps]
    current = keys.index(session.phase) if session.phase in keys else 0
    entries: dict[str, list[SessionEntry]] = {key: [] for key in keys}
    for entry in session.entries.select_related("author").order_by("created_at", "pk"):
        entries.setdefault(entry.phase, []).append(entry)
    principles = list(session.principles.select_related("author").order_by("created_at", "pk"))
    facilitates = access.can(request.user, "facilitate", session)
    sections = []
    for index, phase in enumerate(steps):
        if session.status == SessionStatus.HELD or index < current:
            state = "done"
        elif index == current:
            state = "current"
        else:
            state = "ahead"
        open_here = can_contribute and state != "ahead"
        form = None
        if open_here and phase.collects in WRITES_ENTRIES:
            if isinstance(bound, SessionEntryForm) and bound.data.get("phase") == phase.key:
                form = bound
            else:
                form = SessionEntryForm(phase=phase)
        elif open_here and phase.collects == group_phases.PRINCIPLES:
            form = bound if isinstance(bound, PrincipleForm) else PrincipleForm()
        sections.append(
            {
                "phase": phase,
                "number": index + 1,
                "state": state,
                "entries": entries[phase.key],
                "principles": [
                    {
                        "principle": principle,
                        "may_delete": can_contribute
                        and (principle.author_id == request.user.pk or facilitates),
                    }
                    for principle in principles
                ]
                if phase.collects == group_phases.PRINCIPLES
                else [],
                "form": form,
            }
        )
    return sections


def _session_page(
    request: HttpRequest,
    session: GroupSession,
    *,
    bound: SessionEntryForm | PrincipleForm | None = None,
    attendance_form: AttendanceForm | None = None,
) -> HttpResponse:
    user = request.user
    group = session.group
    can_facilitate = access.can(user, "facilitate", session)
    can_contribute = access.can(user, "contribute", session)
    audit_record(actor=user, action="group_session.viewed", obj=session, school=group.school)
    steps = group_phases.phases_of(group.format)
    keys = [phase.key for phase in steps]
    index = keys.index(session.phase) if session.phase in keys else 0
    attendees = list(session.attendees.order_by("full_name"))
    if can_facilitate and attendance_form is None:
        attendance_form = AttendanceForm(
            session=session, initial={"attendees": [person.public_id for person in attendees]}
        )
    has_clips = any(phase.collects == group_phases.CLIPS for phase in steps)
    return render(
        request,
        "reflection/session_detail.html",
        {
            "session": session,
            "group": group,
            "current_phase": steps[index],
            "is_last_phase": index == len(steps) - 1,
            "is_first_phase": index == 0,
            "sections": _phase_sections(
                request, session, can_contribute=can_contribute, bound=bound
            ),
            "attendees": attendees,
            "revised_lesson": selectors.revised_lesson_before(session),
            "attendance_form": attendance_form if can_facilitate else None,
            "can_facilitate": can_facilitate,
            "can_contribute": can_contribute,
            "can_cancel": can_facilitate
            and session.status == SessionStatus.PLANNED
            and not session.entries.exists(),
            **(session_clips_context(user, session) if has_clips else {}),
            **session_report_panel_context(user, session),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def group_session_plan(request: HttpRequest, public_id) -> HttpResponse:
    group = access.get_for_user(
        request.user,
        LearningGroup.objects.select_related("school", "school_year"),
        "view",
        public_id=public_id,
    )
    if not access.can(request.user, "facilitate", GroupSession(group=group)):
        raise PermissionDenied
    form = GroupSessionForm(request.POST or None, group=group, initial={"focus": group.theme})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.group_session_plan(
                actor=request.user,
                group=group,
                starts_at=data["starts_at"],
                location=data["location"],
                focus=data["focus"],
                research_lesson=data.get("research_lesson"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The session has been planned."))
            return redirect(session_url(session))
    return render(request, "reflection/session_form.html", {"group": group, "form": form})


@require_http_methods(["GET"])
@login_required
def session_detail(request: HttpRequest, public_id) -> HttpResponse:
    return _session_page(request, _session_for(request, public_id))


@require_POST
@login_required
def session_move(request: HttpRequest, public_id) -> HttpResponse:
    session = _session_for(request, public_id, "facilitate")
    step = {"next": 1, "previous": -1}.get(request.POST.get("step", ""))
    if step is None:
        messages.error(request, _("Choose the next or the previous phase."))
        return redirect(session_url(session))
    try:
        session = services.group_session_move(actor=request.user, session=session, step=step)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(session_url(session))
    if session.status == SessionStatus.HELD:
        messages.success(request, _("The session is finished. What the group made stays here."))
        return redirect(session_url(session))
    return redirect(session_url(session, f"phase-{session.phase}"))


@require_http_methods(["GET", "POST"])
@login_required
def session_cancel(request: HttpRequest, public_id) -> HttpResponse:
    session = _session_for(request, public_id, "facilitate")
    if session.status != SessionStatus.PLANNED or session.entries.exists():
        messages.error(request, _("Only a planned session without contributions can be cancelled."))
        return redirect(session_url(session))
    if request.method == "POST":
        try:
            services.group_session_cancel(actor=request.user, session=session)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(session_url(session))
        messages.success(request, _("The session has been cancelled."))
        return redirect("learning_group_detail", public_id=session.group.public_id)
    return render(
        request, "reflection/session_cancel.html", {"session": session, "group": session.group}
    )


@require_POST
@login_required
def session_attendance(request: HttpRequest, public_id) -> HttpResponse:
    session = _session_for(request, public_id, "facilitate")
    form = AttendanceForm(request.POST, session=session)
    if not form.is_valid():
        messages.error(
            request,
            _("The attendance was not saved: %(errors)s") % {"errors": form_errors(form)},
        )
        return redirect(session_url(session, "attendance"))
    try:
        services.group_session_attendance(
            actor=request.user, session=session, attendees=list(form.cleaned_data["attendees"])
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The attendance has been saved."))
    return redirect(session_url(session, "attendance"))


def _refused(request: HttpRequest, session: GroupSession, form, error: ValidationError | None):
    """Show the session page again with the refused form, what was typed kept, and say why."""
    if error is not None:
        add_service_errors(form, error)
    messages.error(
        request, _("Your contribution was not added: %(errors)s") % {"errors": form_errors(form)}
    )
    return _session_page(request, session, bound=form)


@require_POST
@login_required
def session_entry_add(request: HttpRequest, public_id) -> HttpResponse:
    session = _session_for(request, public_id)
    if session.status == SessionStatus.CANCELLED:
        messages.error(request, _("This session was cancelled."))
        return redirect(session_url(session))
    phase = group_phases.phase_of(session.group.format, request.POST.get("phase", ""))
    if phase is None or phase.collects not in WRITES_ENTRIES:
        messages.error(request, _("This session has no such phase."))
        return redirect(session_url(session))
    form = SessionEntryForm(request.POST, phase=phase)
    if not form.is_valid():
        return _refused(request, session, form, None)
    data = form.cleaned_data
    try:
        services.session_entry_add(
            actor=request.user,
            session=session,
            phase=phase.key,
            text=data["text"],
            case_pupil=data.get("case_pupil", ""),
            interpretation=data.get("interpretation", ""),
        )
    except ValidationError as error:
        return _refused(request, session, form, error)
    messages.success(request, _("Your contribution has been added."))
    return redirect(session_url(session, f"phase-{phase.key}"))


@require_http_methods(["GET", "POST"])
@login_required
def session_entry_delete(request: HttpRequest, public_id) -> HttpResponse:
    entry = access.get_for_user(
        request.user,
        SessionEntry.objects.select_related("session__group__school", "author"),
        "contribute",
        public_id=public_id,
    )
    if entry.author_id != request.user.pk:
        raise PermissionDenied
    session = entry.session
    if request.method == "POST":
        services.session_entry_delete(actor=request.user, entry=entry)
        messages.success(request, _("Your contribution has been deleted."))
        return redirect(session_url(session, f"phase-{entry.phase}"))
    return render(
        request,
        "reflection/session_entry_delete.html",
        {
            "entry": entry,
            "session": session,
            "phase": group_phases.phase_of(session.group.format, entry.phase),
        },
    )


@require_POST
@login_required
def group_principle_add(request: HttpRequest, public_id) -> HttpResponse:
    session = _session_for(request, public_id)
    if session.status == SessionStatus.CANCELLED:
        messages.error(request, _("This session was cancelled."))
        return redirect(session_url(session))
    form = PrincipleForm(request.POST)
    if not form.is_valid():
        return _refused(request, session, form, None)
    try:
        services.group_principle_add(
            actor=request.user, session=session, text=form.cleaned_data["text"]
        )
    except ValidationError as error:
        return _refused(request, session, form, error)
    messages.success(request, _("The principle has been added to the group's list."))
    return redirect(session_url(session, f"phase-{_principles_phase(session)}"))


def _principles_phase(session: GroupSession) -> str:
    return next(
        (
            phase.key
            for phase in group_phases.phases_of(session.group.format)
            if phase.collects == group_phases.PRINCIPLES
        ),
        "",
    )


@require_http_methods(["GET", "POST"])
@login_required
def group_principle_delete(request: HttpRequest, public_id) -> HttpResponse:
    principle = access.get_for_user(
        request.user,
        GroupPrinciple.objects.select_related("session__group__school", "author"),
        "contribute",
        public_id=public_id,
    )
    session = principle.session
    if principle.author_id != request.user.pk and not access.can(
        request.user, "facilitate", session
    ):
        raise PermissionDenied
    if request.method == "POST":
        services.group_principle_delete(actor=request.user, principle=principle)
        messages.success(request, _("The principle has been taken off the group's list."))
        return redirect(session_url(session, f"phase-{_principles_phase(session)}"))
    return render(
        request,
        "reflection/session_principle_delete.html",
        {"principle": principle, "session": session},
    )
