"""MERID profiles: a begeleider codes a conversation topic by topic, estimates their own share of
the four roles, asks the other participant for their perception, and follows their profile over
time. The profile is the begeleider's own (mentoring/access.py): nobody else sees it unless they
share it, and the other participant sees only the perception they gave.

The coding table is saved as the user works through the one autosave mechanism
(mentoring/autosave.py, static/js/autosave.js, static/js/merid.js); without JavaScript it is an
ordinary form that ends in the same service.
"""

import uuid
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from mentoring import access
from mentoring.audit import audit_record
from mentoring.autosave import autosave_response, autosave_view
from mentoring.versioning import StaleVersion
from reflection import merid, selectors, services
from reflection.forms import (
    MERID_INPUT_CHOICES,
    MERID_STYLE_CHOICES,
    MeridEstimateForm,
    MeridProfileForm,
    MeridShareForm,
)
from reflection.models import Conversation, EstimateKind, MeridProfile, MeridShare
from reflection.views.conversations import conversation_url
from roles.views import add_service_errors, paginate


def merid_url(profile: MeridProfile, anchor: str = "") -> str:
    url = reverse("merid_detail", kwargs={"public_id": profile.public_id})
    return f"{url}#{anchor}" if anchor else url


def _profile_for(request: HttpRequest, public_id, action: str = "view") -> MeridProfile:
    return access.get_for_user(
        request.user,
        MeridProfile.objects.select_related("owner", "school", "counterpart", "conversation"),
        action,
        public_id=public_id,
    )


def _kites(reading: selectors.MeridReading, prefix: str, *, viewer) -> list[dict]:
    """The drawings of one profile, side by side: coded, own estimate, perception."""
    profile = reading.profile
    sources = [
        ("coded", reading.coded, _("Coded conversation")),
        (
            "self",
            reading.self_estimate,
            _("Your own estimate")
            if viewer.pk == profile.owner_id
            else _("Self-estimate of %(name)s") % {"name": profile.owner.full_name},
        ),
        (
            "perception",
            reading.perception,
            _("Perception of %(name)s") % {"name": profile.counterpart.full_name}
            if profile.counterpart_id
            else "",
        ),
    ]
    return [
        {
            "source": source,
            "heading": heading,
            "shares": shares,
            "kite": merid.kite(
                shares, drawing_id=f"{prefix}-{source}", title=heading, source=source
            ),
            "basis": merid.basis_text(shares),
            "versatility": merid.versatility_text(shares.versatility),
        }
        for source, shares, heading in sources
        if shares is not None
    ]


def _comparison(kites: list[dict]) -> list[dict]:
    """The table beside the drawings: one row per role, one column per source."""
    return [
        {
            "name": merid.role_name(role),
            "values": [kite["shares"].percentages()[role] for kite in kites],
        }
        for role in merid.ROLES
    ]


def _profile_context(request: HttpRequest, profile: MeridProfile) -> dict:
    """What the profile panel (reflection/partials/merid_profile.html) shows."""
    reading = selectors.merid_reading(profile, viewer=request.user)
    kites = _kites(reading, f"merid-{profile.public_id}", viewer=request.user)
    return {
        "profile": profile,
        "reading": reading,
        "kites": kites,
        "comparison": _comparison(kites),
    }


# --- Overview and new profiles ---------------------------------------------------------------


def _main_kite(reading: selectors.MeridReading, drawing_id: str) -> merid.Kite:
    """A profile's drawing in the overview: the coding when there is one, else the estimate."""
    return merid.kite(
        reading.main,
        drawing_id=drawing_id,
        title=reading.profile.title,
        source="coded" if reading.coded else "self",
    )


def _compare(request: HttpRequest, measured: list[selectors.MeridReading]) -> dict | None:
    """Two of the begeleider's profiles side by side (say, before and after a training): the
    ones chosen in the query string, at first the oldest and the newest."""
    if len(measured) < 2:
        return None
    by_id = {str(reading.profile.public_id): reading for reading in measured}
    before = by_id.get(request.GET.get("before", ""), measured[0])
    after = by_id.get(request.GET.get("after", ""), measured[-1])
    before_shares, after_shares = before.main.percentages(), after.main.percentages()
    return {
        "choices": measured,
        "before": before,
        "after": after,
        "sides": [
            (before, _main_kite(before, "compare-before"), _("Before")),
            (after, _main_kite(after, "compare-after"), _("After")),
        ],
        "rows": [
            {
                "name": merid.role_name(role),
                "before": before_shares[role],
                "after": after_shares[role],
            }
            for role in merid.ROLES
        ],
        "versatility": (
            merid.versatility_text(before.main.versatility),
            merid.versatility_text(after.main.versatility),
        ),
    }


@require_http_methods(["GET"])
@login_required
def merid_list(request: HttpRequest) -> HttpResponse:
    readings, trend = selectors.merid_timeline(request.user)
    measured = [reading for reading in readings if reading.main is not None]
    # Newest first on the page; the trend and the comparison are over all of them.
    page, query = paginate(request, readings[::-1])
    cards = [
        {
            "reading": reading,
            "kite": _main_kite(reading, f"timeline-{reading.profile.public_id}")
            if reading.main
            else None,
        }
        for reading in page.object_list
    ]
    shared = [
        selectors.merid_reading(profile, viewer=request.user)
        for profile in selectors.merid_shared_with(request.user)
    ]
    return render(
        request,
        "reflection/merid_list.html",
        {
            "page": page,
            "cards": cards,
            "query": query,
            "trend_sentence": trend.sentence() if trend else "",
            "versatility_table": [
                (reading, merid.versatility_text(reading.main.versatility)) for reading in measured
            ],
            "compare": _compare(request, measured),
            "shared": shared,
            "asked": list(selectors.merid_perceptions_asked_of(request.user)),
            "can_start": access.merid_schools(request.user).exists(),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def merid_create(request: HttpRequest) -> HttpResponse:
    if not access.merid_schools(request.user).exists():
        raise PermissionDenied
    form = MeridProfileForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.merid_profile_create(
                actor=request.user,
                school=form.cleaned_data["school"],
                title=form.cleaned_data["title"],
                held_on=form.cleaned_data["held_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The profile has been made. Add the topics below."))
            return redirect(merid_url(profile, "topics"))
    return render(request, "reflection/merid_form.html", {"form": form})


@require_POST
@login_required
def merid_from_conversation(request: HttpRequest, public_id) -> HttpResponse:
    conversation = access.get_for_user(
        request.user,
        Conversation.objects.select_related("trajectory__teacher", "trajectory__school"),
        "merid",
        public_id=public_id,
    )
    existing = MeridProfile.objects.filter(owner=request.user, conversation=conversation).first()
    if existing:
        return redirect(merid_url(existing))
    try:
        profile = services.merid_profile_create(actor=request.user, conversation=conversation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(conversation_url(conversation))
    messages.success(request, _("The profile has been made. Add the topics below."))
    return redirect(merid_url(profile, "topics"))


# --- One profile ------------------------------------------------------------------------------


def _topic_rows(profile: MeridProfile, posted=None) -> list[dict]:
    """The coding table's rows: the saved topics, or after a refused plain-form save, what the
    user typed (so nothing they wrote is lost)."""
    rows = []
    for topic in profile.topics.all():
        prefix = f"topic-{topic.public_id}"
        rows.append(
            {
                "id": topic.public_id,
                "label": posted.get(f"{prefix}-label", topic.label) if posted else topic.label,
                "input": posted.get(f"{prefix}-input", topic.input) if posted else topic.input,
                "style": posted.get(f"{prefix}-style", topic.style) if posted else topic.style,
                "minutes": posted.get(f"{prefix}-minutes", "")
                if posted
                else ("" if topic.minutes is None else floatformat(topic.minutes, -1)),
                "role": merid.role_name(merid.topic_role(topic)) if topic.is_coded else "",
            }
        )
    return rows


def topic_changes_from_form(post, topic_ids: list[uuid.UUID]) -> tuple[list[dict], bool]:
    """The plain (no-JavaScript) coding form as the autosave's changes: every row's fields, the
    rows ticked for deletion, a filled-in new row, and a row moved up or down. Returns the
    changes and whether the form asked for anything at all."""
    changes = []
    for key in topic_ids:
        prefix = f"topic-{key}"
        if post.get(f"{prefix}-delete"):
            changes.append({"type": "delete", "id": str(key)})
            continue
        changes.append(
            {
                "type": "topic",
                "id": str(key),
                "label": post.get(f"{prefix}-label", ""),
                "input": post.get(f"{prefix}-input", ""),
                "style": post.get(f"{prefix}-style", ""),
                "minutes": post.get(f"{prefix}-minutes", ""),
            }
        )
    new = {field: post.get(f"new-{field}", "") for field in ("label", "input", "style", "minutes")}
    if any(value.strip() for value in new.values()):
        changes.append({"type": "topic", "id": str(uuid.uuid4()), **new})
    for direction, step in (("up", -1), ("down", 1)):
        moved = post.get(f"move-{direction}")
        if not moved:
            continue
        order = [str(key) for key in topic_ids]
        if moved in order:
            index = order.index(moved)
            other = index + step
            if 0 <= other < len(order):
                order[index], order[other] = order[other], order[index]
            changes.append({"type": "order", "ids": order})
    return changes, bool(changes)


def _detail(request: HttpRequest, profile: MeridProfile, **extra) -> HttpResponse:
    is_owner = access.can(request.user, "own", profile)
    can_code = access.can(request.user, "code", profile)
    if not is_owner:
        audit_record(actor=request.user, action="merid.viewed", obj=profile)
    own_estimate = profile.estimates.filter(kind=EstimateKind.SELF).first()
    posted = extra.get("posted")
    context = {
        # After a refused plain-form save, the new row keeps what was typed in it too.
        "new_row": {
            field: posted.get(f"new-{field}", "") if posted else ""
            for field in ("label", "input", "style", "minutes")
        },
        "profile": profile,
        "is_owner": is_owner,
        "can_code": can_code,
        "rows": _topic_rows(profile, extra.pop("posted", None)),
        "input_choices": MERID_INPUT_CHOICES,
        "style_choices": MERID_STYLE_CHOICES,
        "max_topics": services.MERID_MAX_TOPICS,
        "template_row": {"id": "__ID__", "label": "", "input": "", "style": "", "minutes": ""},
        # For the role shown beside each row as the coder chooses (static/js/merid.js).
        "role_names": {
            f"{given_input} {style}": capfirst(merid.role_name(role))
            for (given_input, style), role in merid.ROLE_OF.items()
        },
        "conversation_visible": profile.conversation is not None
        and access.can(request.user, "view", profile.conversation),
        **_profile_context(request, profile),
    }
    if is_owner:
        context.update(
            estimate_form=extra.pop("estimate_form", None)
            or MeridEstimateForm(initial=own_estimate.percentages() if own_estimate else None),
            share_form=extra.pop("share_form", None) or MeridShareForm(profile=profile),
            shares=list(profile.shares.select_related("person").order_by("person__full_name")),
            has_candidates=access.merid_sharing_candidates(profile).exists(),
        )
    context.update(extra)
    return render(request, "reflection/merid_detail.html", context, status=context.get("status"))


@require_http_methods(["GET", "POST"])
@login_required
def merid_detail(request: HttpRequest, public_id) -> HttpResponse:
    profile = _profile_for(request, public_id)
    if request.method == "POST":
        if not access.can(request.user, "code", profile):
            raise PermissionDenied
        topic_ids = list(profile.topics.values_list("public_id", flat=True))
        changes, asked = topic_changes_from_form(request.POST, topic_ids)
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        try:
            if asked:
                services.merid_topics_apply(
                    actor=request.user, profile=profile, version=version, changes=changes
                )
        except StaleVersion:
            messages.error(
                request,
                _(
                    "Someone else changed the topics in the meantime. The saved topics are shown; "
                    "what you typed is still in the rows. Save again to keep yours."
                ),
            )
            profile.refresh_from_db()
            return _detail(request, profile, posted=request.POST, status=409)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _detail(request, profile, posted=request.POST, status=400)
        messages.success(request, _("Saved."))
        return redirect(merid_url(profile, "topics"))
    return _detail(request, profile)


@require_POST
@autosave_view(
    missing=gettext_lazy("This profile does not exist."),
    refused=gettext_lazy("You cannot code the topics of this profile."),
)
def merid_save(request: HttpRequest, public_id) -> JsonResponse:
    """The autosave of the coding table: 200 with the new version, 409 when the batch was made
    against an older version (a co-coder saved in between), 400 for what cannot be saved."""
    profile = _profile_for(request, public_id, "code")
    return autosave_response(
        request,
        apply=partial(services.merid_topics_apply, actor=request.user, profile=profile),
        state=lambda current: {"version": current.version},
        stale_message=_(
            "Someone else changed the topics in the meantime. Load the saved version to see "
            "them; your unsent changes are still in this page until then."
        ),
    )


@require_http_methods(["GET"])
@login_required
def merid_profile(request: HttpRequest, public_id) -> HttpResponse:
    """The profile panel alone, which the page asks for again after every saved change."""
    profile = _profile_for(request, public_id)
    if not request.headers.get("HX-Request"):
        return redirect(merid_url(profile, "profile"))
    return render(
        request, "reflection/partials/merid_profile.html", _profile_context(request, profile)
    )


def _estimate_saved(
    request: HttpRequest, profile: MeridProfile, form: MeridEstimateForm, kind: str
) -> bool:
    """Save a valid estimate form; a refusal (a total other than 100) goes onto the form."""
    if not form.is_valid():
        return False
    try:
        services.merid_estimate_save(
            actor=request.user, profile=profile, kind=kind, percentages=form.percentages()
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


@require_POST
@login_required
def merid_estimate(request: HttpRequest, public_id) -> HttpResponse:
    profile = _profile_for(request, public_id, "own")
    form = MeridEstimateForm(request.POST)
    if _estimate_saved(request, profile, form, EstimateKind.SELF):
        messages.success(request, _("Your estimate has been saved."))
        return redirect(merid_url(profile, "profile"))
    return _detail(request, profile, estimate_form=form, status=400)


@require_POST
@login_required
def merid_perception_request(request: HttpRequest, public_id) -> HttpResponse:
    profile = _profile_for(request, public_id, "own")
    try:
        services.merid_perception_request(actor=request.user, profile=profile)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s is asked for their perception; it appears here once given.")
            % {"name": profile.counterpart.full_name},
        )
    return redirect(merid_url(profile, "perception"))


@require_http_methods(["GET", "POST"])
@login_required
def merid_perception(request: HttpRequest, public_id) -> HttpResponse:
    """The other participant's page: their perception of the begeleider's roles in the
    conversation, and nothing else of the begeleider's profile."""
    profile = _profile_for(request, public_id, "perceive")
    given = profile.estimates.filter(kind=EstimateKind.PERCEPTION).first()
    form = MeridEstimateForm(request.POST or None, initial=given.percentages() if given else None)
    if request.method == "POST" and _estimate_saved(
        request, profile, form, EstimateKind.PERCEPTION
    ):
        messages.success(request, _("Thank you: your perception has been saved."))
        return redirect(reverse("merid_perception", kwargs={"public_id": public_id}))
    kite = None
    if given is not None:
        kite = merid.kite(
            merid.shares_from_estimate(given),
            drawing_id="perception",
            title=_("Your perception"),
            source="perception",
        )
    return render(
        request,
        "reflection/merid_perception.html",
        {"profile": profile, "form": form, "given": given, "kite": kite},
        status=400 if form.is_bound else 200,
    )


@require_POST
@login_required
def merid_share_add(request: HttpRequest, public_id) -> HttpResponse:
    profile = _profile_for(request, public_id, "own")
    form = MeridShareForm(request.POST, profile=profile)
    if form.is_valid():
        try:
            services.merid_share_add(
                actor=request.user,
                profile=profile,
                person=form.cleaned_data["person"],
                may_code=form.cleaned_data["may_code"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The profile is shared with %(name)s.")
                % {"name": form.cleaned_data["person"].full_name},
            )
            return redirect(merid_url(profile, "sharing"))
    return _detail(request, profile, share_form=form, status=400)


@require_POST
@login_required
def merid_share_remove(request: HttpRequest, public_id) -> HttpResponse:
    share = access.get_for_user(
        request.user,
        MeridShare.objects.select_related("profile", "person"),
        "own",
        public_id=public_id,
    )
    services.merid_share_remove(actor=request.user, share=share)
    messages.success(
        request,
        _("%(name)s no longer sees this profile.") % {"name": share.person.full_name},
    )
    return redirect(merid_url(share.profile, "sharing"))


@require_http_methods(["GET", "POST"])
@login_required
def merid_delete(request: HttpRequest, public_id) -> HttpResponse:
    profile = _profile_for(request, public_id, "own")
    if request.method == "POST":
        services.merid_profile_delete(actor=request.user, profile=profile)
        messages.success(request, _("The profile has been deleted."))
        return redirect("merid_list")
    return render(request, "reflection/merid_delete.html", {"profile": profile})
