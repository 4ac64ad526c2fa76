"""Writes for lesson visits and observations. Each lifecycle's transitions live here, once."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring import access
from mentoring.audit import audit_record
from mentoring.autosave import plain_text
from mentoring.versioning import version_bump, version_check
from observations import selectors
from observations.models import (
    Indicator,
    IndicatorCheck,
    Instrument,
    Item,
    ItemScore,
    KeyMoment,
    KeyMomentKind,
    LessonVisit,
    Observation,
    ObservationStatus,
    VisitStatus,
)
from roles.models import Trajectory, TrajectoryStatus, User

# status -> the statuses a visit may move to
VISIT_TRANSITIONS = {
    VisitStatus.PLANNED: {VisitStatus.HELD, VisitStatus.CANCELLED},
    VisitStatus.HELD: set(),
    VisitStatus.CANCELLED: set(),
}


def _require(user: User, action: str, obj) -> None:
    if not access.can(user, action, obj):
        raise PermissionDenied


# --- Visits -------------------------------------------------------------------------------------


def visit_plan(
    *,
    actor: User,
    trajectory: Trajectory,
    starts_at: datetime.datetime,
    duration_minutes: int = 50,
    class_name: str = "",
    subject: str = "",
    lesson_goal: str = "",
    focus_items: list[Item] = (),
) -> LessonVisit:
    if trajectory.status != TrajectoryStatus.ACTIVE:
        raise ValidationError(_("This trajectory has ended; no new visits can be planned."))
    visit = LessonVisit(
        trajectory=trajectory,
        planned_by=actor,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        class_name=class_name,
        subject=subject,
        lesson_goal=lesson_goal,
    )
    _require(actor, "manage", visit)
    with transaction.atomic():
        visit.save()
        visit.focus_items.set(focus_items)
    return visit


def _visit_move(*, actor: User, visit: LessonVisit, to: str) -> LessonVisit:
    with transaction.atomic():
        visit = (
            LessonVisit.objects.select_for_update().select_related("trajectory").get(pk=visit.pk)
        )
        _require(actor, "manage", visit)
        if to not in VISIT_TRANSITIONS[visit.status]:
            raise ValidationError(
                _("A %(from)s visit cannot become %(to)s.")
                % {"from": visit.get_status_display(), "to": VisitStatus(to).label}
            )
        visit.status = to
        visit.save(update_fields=["status"])
    return visit


def visit_mark_held(*, actor: User, visit: LessonVisit) -> LessonVisit:
    return _visit_move(actor=actor, visit=visit, to=VisitStatus.HELD)


def visit_cancel(*, actor: User, visit: LessonVisit) -> LessonVisit:
    return _visit_move(actor=actor, visit=visit, to=VisitStatus.CANCELLED)


def visit_reschedule(
    *, actor: User, visit: LessonVisit, starts_at: datetime.datetime
) -> LessonVisit:
    with transaction.atomic():
        visit = (
            LessonVisit.objects.select_for_update().select_related("trajectory").get(pk=visit.pk)
        )
        _require(actor, "manage", visit)
        if visit.status != VisitStatus.PLANNED:
            raise ValidationError(_("Only a planned visit can be moved."))
        visit.starts_at = starts_at
        visit.save(update_fields=["starts_at"])
    return visit


# --- Observations ---------------------------------------------------------------------------


def observation_start(*, actor: User, visit: LessonVisit, instrument: Instrument) -> Observation:
    """The actor's observation of this visit, made on first use; one per observer."""
    _require(actor, "observe", visit)
    if visit.status == VisitStatus.CANCELLED:
        raise ValidationError(_("This visit was cancelled."))
    if not instrument.is_active:
        raise ValidationError(_("This instrument is no longer in use."))
    observation, _created = Observation.objects.get_or_create(
        visit=visit, observer=actor, defaults={"instrument": instrument}
    )
    return observation


def _item_of(observation: Observation, item_id) -> Item:
    try:
        return observation.instrument.items.get(pk=int(item_id))
    except (Item.DoesNotExist, TypeError, ValueError):
        raise ValidationError(_("This item is not part of the observation's instrument.")) from None


def _indicator_of(observation: Observation, indicator_id) -> Indicator:
    # Another school's indicator is refused as if it did not exist: its text is that school's.
    try:
        return selectors.indicators_of_observation(observation).get(pk=int(indicator_id))
    except (Indicator.DoesNotExist, TypeError, ValueError):
        raise ValidationError(
            _("This indicator is not part of the observation's instrument.")
        ) from None


def _checked_score(observation: Observation, score) -> int | None:
    if score in (None, ""):
        return None
    values = set(observation.instrument.scale.values_list("value", flat=True))
    try:
        value = int(score)
    except (TypeError, ValueError):
        value = None
    if value not in values:
        raise ValidationError(
            _("A score is one of %(values)s.")
            % {"values": ", ".join(str(v) for v in sorted(values))}
        )
    return value


def observation_apply(
    *, actor: User, observation: Observation, version: int, changes: list[dict]
) -> Observation:
    """Apply a batch of changes made on the form (scores, notes, key moments) at once.

    The batch is what a tablet collected, possibly while offline; `version` is the version it
    was made against. If someone saved in between, nothing is written and StaleVersion
    says so: the client shows both and the observer decides. All changes are checked before
    any is written.
    """
    with transaction.atomic():
        observation = (
            Observation.objects.select_for_update()
            .select_related("instrument", "visit__trajectory")
            .get(pk=observation.pk)
        )
        _require(actor, "edit", observation)
        version_check(observation, version)
        scores, indicators, moments = {}, {}, []
        for change in changes:
            kind = change.get("type")
            if kind == "score":
                item = _item_of(observation, change.get("item"))
                entry = scores.setdefault(item.pk, {"item": item})
                if "not_observed" in change:
                    entry["not_observed"] = bool(change["not_observed"])
                if "score" in change:
                    entry["score"] = _checked_score(observation, change["score"])
                    if entry["score"] is not None:
                        entry["not_observed"] = False
                if "note" in change:
                    entry["note"] = _checked_note(change["note"])
            elif kind == "indicator":
                indicator = _indicator_of(observation, change.get("indicator"))
                indicators[indicator.pk] = bool(change.get("observed"))
            elif kind == "key_moment":
                moments.append(_checked_moment(observation, change))
            else:
                raise ValidationError(_("Unknown change."))
        for item_id, entry in scores.items():
            row, _created = ItemScore.objects.get_or_create(
                observation=observation, item_id=item_id
            )
            if entry.get("not_observed"):
                row.score, row.not_observed = None, True
            else:
                if "score" in entry:
                    row.score = entry["score"]
                if "not_observed" in entry:
                    row.not_observed = entry["not_observed"]
            if "note" in entry:
                row.note = entry["note"]
            row.save()
        for indicator_id, observed in indicators.items():
            IndicatorCheck.objects.update_or_create(
                observation=observation, indicator_id=indicator_id, defaults={"observed": observed}
            )
        KeyMoment.objects.bulk_create(moments)
        version_bump(observation, "updated_at")
    return observation


def _checked_note(note) -> str:
    # The form's maxlength keeps notes short; a longer one (a script, an old page) is refused
    # rather than cut off, so no text is ever lost without the observer knowing.
    note = plain_text(str(note or ""))
    if len(note) > 2000:
        raise ValidationError(_("A note is at most 2,000 characters; shorten it to save it."))
    return note


def _checked_moment(observation: Observation, change: dict) -> KeyMoment:
    try:
        minute = int(change.get("minute"))
    except (TypeError, ValueError):
        minute = -1
    if not 0 <= minute <= 600:
        raise ValidationError(_("The minute is a number from 0 to 600."))
    if change.get("kind") not in KeyMomentKind.values:
        raise ValidationError(_("Choose strength, question, suggestion or note."))
    text = str(change.get("text") or "").strip()
    if not text or len(text) > 2000:
        raise ValidationError(_("Write the key moment in at most 2,000 characters."))
    return KeyMoment(observation=observation, minute=minute, kind=change["kind"], text=text)


def observation_finalise(*, actor: User, observation: Observation, version: int) -> Observation:
    """Every teaching item scored or marked not observed; then read-only, and visible to the
    observed teacher."""
    with transaction.atomic():
        observation = (
            Observation.objects.select_for_update()
            .select_related("visit__trajectory")
            .get(pk=observation.pk)
        )
        _require(actor, "edit", observation)
        version_check(observation, version)
        answered = ItemScore.objects.filter(observation=observation).exclude(
            score__isnull=True, not_observed=False
        )
        missing = (
            observation.instrument.items.filter(domain__is_teaching=True)
            .exclude(pk__in=answered.values("item"))
            .order_by("number")
        )
        if missing.exists():
            raise ValidationError(
                _("Score these items or mark them not observed first: %(items)s.")
                % {"items": ", ".join(str(item.number) for item in missing)}
            )
        observation.status = ObservationStatus.FINAL
        observation.finalised_at = timezone.now()
        version_bump(observation, "status", "finalised_at", "updated_at")
        visit = observation.visit
        if visit.status == VisitStatus.PLANNED:
            visit.status = VisitStatus.HELD
            visit.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="observation.finalised",
            obj=observation,
            school=visit.trajectory.school,
        )
    return observation
