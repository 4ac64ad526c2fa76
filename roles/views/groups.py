"""Learning groups: the list, creating one, the group's page, its members and notes.

The sessions themselves (their phases and what the group wrote) are in
reflection/views/sessions.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mentoring import access
from mentoring.audit import audit_record
from reflection import group_phases
from reflection import services as reflection_services
from reflection.forms import GroupNoteForm, MemberAddForm, form_errors
from reflection.models import SessionEntry, SessionStatus
from roles import selectors, services
from roles.forms import LearningGroupForm
from roles.models import LearningGroup, LearningGroupMember, User
from roles.views import add_service_errors, paginate


@require_http_methods(["GET"])
@login_required
def learning_group_list(request: HttpRequest) -> HttpResponse:
    groups = selectors.learning_group_list_for(request.user)
    page, query = paginate(request, groups)
    return render(
        request,
        "roles/learning_group_list.html",
        {
            "page": page,
            "query": query,
            "can_create": bool(access.coordinated_school_ids(request.user)),
        },
    )


@require_http_methods(["GET", "POST"])
@access.coordinator_required
def learning_group_create(request: HttpRequest) -> HttpResponse:
    form = LearningGroupForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = services.learning_group_create(
                actor=request.user,
                school=data["school"],
                school_year=data["school_year"],
                name=data["name"],
                format=data["format"],
                theme=data["theme"],
                facilitators=list(data["facilitators"]),
                members=list(data["members"]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The learning group has been created."))
            return redirect("learning_group_detail", public_id=group.public_id)
    return render(request, "roles/learning_group_form.html", {"form": form})


def _group_url(group: LearningGroup, anchor: str = "") -> str:
    url = reverse("learning_group_detail", kwargs={"public_id": group.public_id})
    return f"{url}#{anchor}" if anchor else url


def _group_for(request: HttpRequest, public_id, action: str = "view") -> LearningGroup:
    return access.get_for_user(
        request.user,
        LearningGroup.objects.select_related("school", "school_year"),
        action,
        public_id=public_id,
    )


@require_http_methods(["GET"])
@login_required
def learning_group_detail(request: HttpRequest, public_id) -> HttpResponse:
    """Everyone who may see the group sees who is in it and when it met; its content (the
    principles, products and notes, what was said in the sessions) only its facilitators and
    current members. A fixed number of queries, however many sessions and members."""
    group = _group_for(request, public_id)
    user = request.user
    standing = access.LearningGroupStanding(user, group)
    show_content = standing.can("view_content")
    can_manage = standing.can("manage")
    can_facilitate = standing.can("facilitate")
    members = list(group.memberships.select_related("user").order_by("left_on", "user__full_name"))
    phase_titles = {phase.key: phase.title for phase in group_phases.phases_of(group.format)}
    sessions = list(
        group.sessions.prefetch_related(
            Prefetch("attendees", queryset=User.objects.order_by("full_name"))
        ).order_by("starts_at", "pk")
    )
    today = timezone.localdate()
    upcoming, past = [], []
    for session in sessions:
        session.phase_title = phase_titles.get(session.phase, "")
        is_upcoming = (
            session.status == SessionStatus.PLANNED
            and timezone.localdate(session.starts_at) >= today
        )
        (upcoming if is_upcoming else past).append(session)
    context = {
        "group": group,
        "facilitators": list(group.facilitators.order_by("full_name")),
        "members": members,
        "own_membership": next(
            (m for m in members if m.user_id == user.pk and m.left_on is None), None
        ),
        "upcoming_sessions": upcoming,
        "past_sessions": past[::-1],
        "show_content": show_content,
        "can_manage": can_manage,
        "can_facilitate": can_facilitate,
    }
    if show_content:
        context.update(_group_content(request, group, phase_titles))
    if can_manage:
        context["member_form"] = MemberAddForm(group=group)
    return render(request, "roles/learning_group_detail.html", context)


def _group_content(request: HttpRequest, group: LearningGroup, phase_titles: dict) -> dict:
    """The group's own material: its "theorie met een kleine t", the products of its sessions
    (the entries of the phases marked as product), and the notes to the group."""
    product_phases = [
        phase.key
        for phase in group_phases.phases_of(group.format)
        if phase.product and phase.collects != group_phases.PRINCIPLES
    ]
    products = list(
        SessionEntry.objects.filter(session__group=group, phase__in=product_phases)
        .select_related("session", "author")
        .order_by("session__starts_at", "session__pk", "created_at", "pk")
    )
    for entry in products:
        entry.phase_title = phase_titles.get(entry.phase, "")
    notes, notes_query = paginate(
        request, group.notes.select_related("author").order_by("-created_at", "-pk"), param="notes"
    )
    audit_record(actor=request.user, action="learning_group.viewed", obj=group)
    keeps_principles = any(
        phase.collects == group_phases.PRINCIPLES for phase in group_phases.phases_of(group.format)
    )
    return {
        "keeps_principles": keeps_principles,
        "principles": list(
            group.principles.select_related("session", "author").order_by("created_at", "pk")
        )
        if keeps_principles
        else [],
        "products": products,
        "notes": notes,
        "notes_query": notes_query,
        "note_form": GroupNoteForm(),
    }


@require_POST
@login_required
def learning_group_member_add(request: HttpRequest, public_id) -> HttpResponse:
    group = _group_for(request, public_id, "manage")
    form = MemberAddForm(request.POST, group=group)
    if not form.is_valid():
        messages.error(request, _("Nobody was added: %(errors)s") % {"errors": form_errors(form)})
        return redirect(_group_url(group, "members"))
    person = form.cleaned_data["person"]
    try:
        reflection_services.group_member_add(actor=request.user, group=group, person=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s has been added to the group.") % {"name": person.full_name},
        )
    return redirect(_group_url(group, "members"))


@require_http_methods(["GET", "POST"])
@login_required
def learning_group_member_leave(request: HttpRequest, public_id, person) -> HttpResponse:
    """Leaving the group oneself, or (coordinator, facilitator) taking a member off: a
    confirmation page first, then the POST. The membership stays for the attendance history."""
    group = _group_for(request, public_id)
    try:
        membership = group.memberships.select_related("user").get(user__public_id=person)
    except LearningGroupMember.DoesNotExist:
        raise Http404 from None
    is_self = membership.user_id == request.user.pk
    if not is_self and not access.can(request.user, "manage", group):
        raise PermissionDenied
    if membership.left_on is not None:
        messages.info(
            request,
            _("%(name)s already left the group.") % {"name": membership.user.full_name},
        )
        return redirect(_group_url(group, "members"))
    if request.method == "POST":
        reflection_services.group_member_leave(actor=request.user, membership=membership)
        if is_self:
            messages.success(request, _("You have left the group."))
            # A member who left no longer sees the group (a facilitator or coordinator does).
            if access.can(request.user, "view", group):
                return redirect(_group_url(group))
            return redirect("learning_group_list")
        messages.success(
            request,
            _("%(name)s has been taken off the group.") % {"name": membership.user.full_name},
        )
        return redirect(_group_url(group, "members"))
    return render(
        request,
        "roles/learning_group_leave.html",
        {"group": group, "membership": membership, "is_self": is_self},
    )


@require_POST
@login_required
def learning_group_note_add(request: HttpRequest, public_id) -> HttpResponse:
    group = _group_for(request, public_id, "view_content")
    form = GroupNoteForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("The note was not added: %(errors)s") % {"errors": form_errors(form)}
        )
        return redirect(_group_url(group, "notes"))
    try:
        reflection_services.group_note_add(
            actor=request.user, group=group, text=form.cleaned_data["text"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your note has been added."))
    return redirect(_group_url(group, "notes"))
