"""The observation form, used on a tablet during the lesson, and the finished observation.

The page works as an ordinary form (Save posts every field), and with JavaScript every change
is sent as it happens to `observation_save` as a small JSON batch with the version it was
made against (static/js/observation.js on static/js/autosave.js, the one autosave mechanism:
mentoring/autosave.py). Both paths end in `services.observation_apply`.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from mentoring import access
from mentoring.audit import audit_record
from mentoring.autosave import autosave_response, autosave_view
from mentoring.versioning import StaleVersion
from observations import selectors, services
from observations.models import KeyMomentKind, LessonVisit, Observation


def _observation_for(request: HttpRequest, public_id, action: str = "view") -> Observation:
    return access.get_for_user(
        request.user,
        Observation.objects.select_related(
            "instrument",
            "observer",
            "visit__trajectory__teacher",
            "visit__trajectory__begeleider",
            "visit__trajectory__school",
        ),
        action,
        public_id=public_id,
    )


def _state(observation: Observation) -> dict:
    """What the server holds now, for a client that has to reconcile after a conflict."""
    return {
        "version": observation.version,
        "status": observation.status,
        "scores": {
            str(row.item_id): {
                "score": row.score,
                "not_observed": row.not_observed,
                "note": row.note,
            }
            for row in observation.scores.all()
        },
        "key_moments": [
            {"minute": moment.minute, "kind": moment.kind, "text": moment.text}
            for moment in observation.key_moments.all()
        ],
    }


@require_POST
@login_required
def observation_start(request: HttpRequest, public_id) -> HttpResponse:
    visit = access.get_for_user(
        request.user,
        LessonVisit.objects.select_related("trajectory"),
        "observe",
        public_id=public_id,
    )
    try:
        observation = services.observation_start(
            actor=request.user, visit=visit, instrument=selectors.instrument_default()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("visit_detail", public_id=visit.public_id)
    return redirect("observation_detail", public_id=observation.public_id)


def _changes_from_form(observation: Observation, data) -> list[dict]:
    """The plain form's fields as the same changes the JavaScript sends; unchanged items are
    left out, so a save without JavaScript does not touch what it did not change."""
    saved = {row.item_id: row for row in observation.scores.all()}
    changes = []
    for item in observation.instrument.items.all():
        row = saved.get(item.pk)
        value = data.get(f"item-{item.pk}") or ""
        was = "not_observed" if row and row.not_observed else str(row.score or "") if row else ""
        if value != was and value == "not_observed":
            changes.append({"type": "score", "item": item.pk, "not_observed": True})
        elif value != was and value:
            changes.append({"type": "score", "item": item.pk, "score": value})
        note = data.get(f"note-{item.pk}")
        if note is not None and note != (row.note if row else ""):
            changes.append({"type": "score", "item": item.pk, "note": note})
    checked = set(
        observation.indicator_checks.filter(observed=True).values_list("indicator_id", flat=True)
    )
    for indicator in selectors.indicators_of_observation(observation):
        ticked = data.get(f"indicator-{indicator.pk}") is not None
        if ticked != (indicator.pk in checked):
            changes.append({"type": "indicator", "indicator": indicator.pk, "observed": ticked})
    if (data.get("moment-text") or "").strip():
        changes.append(
            {
                "type": "key_moment",
                "minute": data.get("moment-minute"),
                "kind": data.get("moment-kind"),
                "text": data.get("moment-text"),
            }
        )
    return changes


@require_http_methods(["GET", "POST"])
@login_required
def observation_detail(request: HttpRequest, public_id) -> HttpResponse:
    observation = _observation_for(request, public_id)
    editable = access.can(request.user, "edit", observation)
    conflict = None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        try:
            services.observation_apply(
                actor=request.user,
                observation=observation,
                version=version,
                changes=_changes_from_form(observation, request.POST),
            )
        except StaleVersion:
            conflict = _(
                "Someone else saved this observation in the meantime. Their version is shown; "
                "your changes were not saved. Enter them again."
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("observation_detail", public_id=observation.public_id)
        else:
            messages.success(request, _("Saved."))
            return redirect("observation_detail", public_id=observation.public_id)
    if observation.observer_id != request.user.pk:
        audit_record(
            actor=request.user,
            action="observation.viewed",
            obj=observation,
            school=observation.visit.trajectory.school,
        )
    instrument = observation.instrument
    scores = {row.item_id: row for row in observation.scores.all()}
    domains = [
        (domain, [(item, scores.get(item.pk)) for item in domain.items.all()])
        for domain in instrument.domains.prefetch_related(
            Prefetch(
                "items__indicators",
                queryset=selectors.indicators_shown_at(
                    school_id=observation.visit.trajectory.school_id
                ),
            )
        )
    ]
    return render(
        request,
        "observations/observation_form.html"
        if editable
        else "observations/observation_detail.html",
        {
            "observation": observation,
            "visit": observation.visit,
            "domains": domains,
            "scale": list(instrument.scale.all()),
            "key_moments": observation.key_moments.all(),
            "checked_indicators": set(
                observation.indicator_checks.filter(observed=True).values_list(
                    "indicator_id", flat=True
                )
            ),
            "kinds": KeyMomentKind.choices,
            "conflict": conflict,
        },
    )


@require_POST
@autosave_view(
    missing=gettext_lazy("This observation does not exist."),
    refused=gettext_lazy("This observation can no longer be changed."),
)
def observation_save(request: HttpRequest, public_id) -> JsonResponse:
    """Apply a batch of changes: 200 with the new version, 409 with the server's state when
    the batch was made against an older version, 400 with the reason for bad input."""
    observation = _observation_for(request, public_id, "edit")
    return autosave_response(
        request,
        apply=partial(services.observation_apply, actor=request.user, observation=observation),
        state=_state,
        stale_message=_("Someone else saved this observation in the meantime."),
    )


@require_POST
@login_required
def observation_finalise(request: HttpRequest, public_id) -> HttpResponse:
    observation = _observation_for(request, public_id, "edit")
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        services.observation_finalise(actor=request.user, observation=observation, version=version)
    except StaleVersion:
        messages.error(
            request,
            _("Someone else saved this observation in the meantime; check it and finalise again."),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The observation is final and now visible to the observed teacher.")
        )
    return redirect("observation_detail", public_id=observation.public_id)
