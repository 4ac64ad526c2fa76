"""Conversations (the nagesprek after a lesson visit, the coachgesprek) and their agreements.

What was said is trajectory content: only the people in the trajectory read it (and in
opleiden the schoolopleider), and only the pair writes it. Every read is written to the audit
log. The topics and notes are long texts saved as the user types through the one autosave
mechanism (mentoring/autosave.py, static/js/autosave.js); without JavaScript the page is an
ordinary form that ends in the same service.
"""

import uuid
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mentoring import access
from mentoring.audit import audit_record
from mentoring.autosave import autosave_response, autosave_view, text_state
from mentoring.versioning import StaleVersion
from observations.models import LessonVisit
from reflection import selectors, services
from reflection.forms import (
    AgreementForm,
    ConversationEditForm,
    ConversationForm,
    ConversationTextsForm,
    form_errors,
    visits_of,
)
from reflection.models import Agreement, Conversation, ConversationKind
from roles.models import Trajectory
from roles.views import add_service_errors, paginate


def conversation_url(conversation: Conversation, anchor: str = "") -> str:
    url = reverse("conversation_detail", kwargs={"public_id": conversation.public_id})
    return f"{url}#{anchor}" if anchor else url


def report_panel_context(
    request: HttpRequest, conversation: Conversation, *, participants=None
) -> dict:
    """What the report panel (reflection/partials/report_panel.html) needs, page or fragment."""
    return {
        "conversation": conversation,
        "panel": selectors.report_panel_for(request.user, conversation, participants=participants),
        "languages": settings.LANGUAGES,
        "current_language": get_language(),
    }


def _conversation_for(request: HttpRequest, public_id, action: str = "view") -> Conversation:
    return access.get_for_user(
        request.user,
        Conversation.objects.select_related(
            "trajectory__teacher",
            "trajectory__begeleider_role",
            "trajectory__begeleider",
            "trajectory__school",
            "visit",
            "cycle",
            "observation__visit",
            "observation__observer",
            "created_by",
        ),
        action,
        public_id=public_id,
    )


@require_http_methods(["GET"])
@login_required
def conversation_list(request: HttpRequest) -> HttpResponse:
    conversations = selectors.conversations_for(request.user)
    trajectory = request.GET.get("trajectory", "")
    if trajectory:
        try:
            conversations = conversations.filter(trajectory__public_id=uuid.UUID(trajectory))
        except ValueError:
            conversations = conversations.none()
    page, query = paginate(request, conversations)
    return render(
        request,
        "reflection/conversation_list.html",
        {"page": page, "query": query, "trajectory": trajectory},
    )


@require_http_methods(["GET", "POST"])
@login_required
def conversation_create(request: HttpRequest, public_id) -> HttpResponse:
    trajectory = access.get_for_user(
        request.user,
        Trajectory.objects.select_related("teacher", "begeleider", "school"),
        "view",
        public_id=public_id,
    )
    if not access.can(request.user, "edit", Conversation(trajectory=trajectory)):
        raise PermissionDenied
    initial = {
        "kind": ConversationKind.COACHGESPREK
        if trajectory.is_coaching
        else ConversationKind.NAGESPREK
    }
    if request.GET.get("visit"):
        # A stale or edited link still leads to the form, without the visit.
        try:
            visit = visits_of(request.user, trajectory).get(
                public_id=uuid.UUID(request.GET["visit"])
            )
        except (ValueError, LessonVisit.DoesNotExist):
            messages.warning(request, _("That lesson visit cannot be chosen here."))
        else:
            initial.update(kind=ConversationKind.NAGESPREK, visit=visit)
    form = ConversationForm(
        request.POST or None, user=request.user, trajectory=trajectory, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conversation = services.conversation_create(
                actor=request.user,
                trajectory=trajectory,
                kind=data["kind"],
                held_on=data["held_on"],
                visit=data["visit"],
                participants=list(data["participants"]),
                topics=data["topics"],
                cycle=data["cycle"],
                observation=data["observation"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The conversation has been added."))
            return redirect(conversation_url(conversation))
    return render(
        request,
        "reflection/conversation_form.html",
        {"trajectory": trajectory, "form": form},
    )


@require_http_methods(["GET", "POST"])
@login_required
def conversation_detail(request: HttpRequest, public_id) -> HttpResponse:
    conversation = _conversation_for(request, public_id)
    can_edit = access.can(request.user, "edit", conversation)
    texts_form, conflict = None, None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        texts_form = ConversationTextsForm(request.POST)
        if texts_form.is_valid():
            try:
                services.conversation_apply(
                    actor=request.user,
                    conversation=conversation,
                    version=texts_form.cleaned_data["version"],
                    changes=texts_form.changes(),
                )
            except StaleVersion as stale:
                # Nothing lost: the saved texts above, the writer's own still in the boxes,
                # now carrying the current version so saving again keeps theirs.
                conflict = stale.current
                data = request.POST.copy()
                data["version"] = conflict.version
                texts_form = ConversationTextsForm(data)
                texts_form.is_valid()
            except ValidationError as error:
                texts_form.add_error(None, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(conversation_url(conversation))
    audit_record(
        actor=request.user,
        action="conversation.viewed",
        obj=conversation,
        school=conversation.trajectory.school,
    )
    participants = list(conversation.participants.order_by("full_name"))
    texts = {
        "topics": conversation.topics,
        "notes": conversation.notes,
        "version": conversation.version,
    }
    if texts_form is not None:
        texts.update(
            {
                name: texts_form.data.get(name, texts[name])
                for name in ("topics", "notes", "version")
            }
        )
    return render(
        request,
        "reflection/conversation_detail.html",
        {
            "conversation": conversation,
            "trajectory": conversation.trajectory,
            "can_edit": can_edit,
            "participants": participants,
            "agreements": list(
                conversation.agreements.select_related("who", "done_by").order_by(
                    "done_at", "due_on", "created_at", "pk"
                )
            ),
            "agreement_form": AgreementForm(conversation=conversation) if can_edit else None,
            "cycle_visible": conversation.cycle is not None
            and access.can(request.user, "view", conversation.cycle),
            "merid_profile": selectors.merid_profile_of_conversation(request.user, conversation)
            if access.can(request.user, "merid", conversation)
            else False,
            "texts": texts,
            "texts_form": texts_form,
            "conflict": conflict,
            "limits": services.CONVERSATION_TEXT_LIMITS,
            "today": timezone.localdate(),
            **report_panel_context(request, conversation, participants=participants),
        },
    )


@require_POST
@autosave_view(
    missing=gettext_lazy("This conversation does not exist."),
    refused=gettext_lazy("You cannot change this conversation."),
)
def conversation_save(request: HttpRequest, public_id) -> JsonResponse:
    """The autosave of the topics and notes: 200 with the new version, 409 with the saved
    texts when the batch was made against an older version, 400 for what cannot be saved."""
    conversation = _conversation_for(request, public_id, "edit")
    return autosave_response(
        request,
        apply=partial(services.conversation_apply, actor=request.user, conversation=conversation),
        state=partial(text_state, fields=services.CONVERSATION_TEXT_LIMITS),
        stale_message=_("Someone else saved this conversation in the meantime."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def conversation_edit(request: HttpRequest, public_id) -> HttpResponse:
    conversation = _conversation_for(request, public_id, "edit")
    conflict = None
    if request.method == "POST":
        form = ConversationEditForm(request.POST, user=request.user, conversation=conversation)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.conversation_update(
                    actor=request.user,
                    conversation=conversation,
                    version=data["version"],
                    held_on=data["held_on"],
                    visit=data["visit"],
                    participants=list(data["participants"]),
                    cycle=data["cycle"],
                    observation=data["observation"],
                )
            except StaleVersion as stale:
                # The saved details above, the writer's still in the form with the current
                # version, so saving again keeps theirs.
                conflict = _conversation_for(request, public_id, "edit")
                data = request.POST.copy()
                data["version"] = stale.current.version
                form = ConversationEditForm(data, user=request.user, conversation=conflict)
                form.is_valid()
                form.add_error(
                    None,
                    _(
                        "Someone else changed these details in the meantime. The saved details "
                        "are shown; yours are still in the form. Save again to keep yours."
                    ),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(conversation_url(conversation))
    else:
        form = ConversationEditForm.for_conversation(request.user, conversation)
    return render(
        request,
        "reflection/conversation_edit.html",
        {
            "conversation": conversation,
            "trajectory": conversation.trajectory,
            "form": form,
            "conflict": conflict,
            "conflict_participants": list(conflict.participants.order_by("full_name"))
            if conflict
            else [],
        },
    )


# --- Agreements -----------------------------------------------------------------------------


@require_POST
@login_required
def agreement_add(request: HttpRequest, public_id) -> HttpResponse:
    conversation = _conversation_for(request, public_id, "edit")
    form = AgreementForm(request.POST, conversation=conversation)
    if not form.is_valid():
        messages.error(
            request,
            _("The agreement was not added: %(errors)s") % {"errors": form_errors(form)},
        )
        return redirect(conversation_url(conversation, "agreements"))
    data = form.cleaned_data
    try:
        services.agreement_add(
            actor=request.user,
            conversation=conversation,
            what=data["what"],
            who=data["who"],
            due_on=data["due_on"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The agreement has been added."))
    return redirect(conversation_url(conversation, "agreements"))


def _agreement_for(request: HttpRequest, public_id) -> Agreement:
    return access.get_for_user(
        request.user,
        Agreement.objects.select_related("who", "conversation__trajectory"),
        "edit",
        public_id=public_id,
    )


@require_POST
@login_required
def agreement_done(request: HttpRequest, public_id) -> HttpResponse:
    agreement = _agreement_for(request, public_id)
    done = request.POST.get("done", "1") != "0"
    services.agreement_set_done(actor=request.user, agreement=agreement, done=done)
    messages.success(
        request,
        _("The agreement is marked as done.") if done else _("The agreement is open again."),
    )
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect(conversation_url(agreement.conversation, "agreements"))


@require_http_methods(["GET", "POST"])
@login_required
def agreement_delete(request: HttpRequest, public_id) -> HttpResponse:
    agreement = _agreement_for(request, public_id)
    conversation = agreement.conversation
    if request.method == "POST":
        services.agreement_delete(actor=request.user, agreement=agreement)
        messages.success(request, _("The agreement has been deleted."))
        return redirect(conversation_url(conversation, "agreements"))
    return render(
        request,
        "reflection/agreement_delete.html",
        {"agreement": agreement, "conversation": conversation},
    )
