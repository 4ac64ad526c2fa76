"""From the database to observations/analysis.py and back: the inputs the analysis takes, read
in a fixed number of queries, and its results with the items and domains they refer to.

analysis.py works on plain dicts keyed by item id; this module builds those dicts from
`ItemScore` rows (scores only, never the notes), chooses the calibration in use, and turns a
zone result into items a page can show. Reads for a person go through the access policy.

Queries, whatever the number of observations: the trajectory's final observations (1), their
scores (1), the instrument's items with their domains (1) and scale (1), the newest
calibration (1) and its difficulties (1).
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentoring import access
from observations import analysis
from observations.models import (
    Calibration,
    CalibrationKind,
    Domain,
    Instrument,
    Item,
    ItemDifficulty,
    ItemScore,
    LessonVisit,
    Observation,
    ObservationStatus,
)
from roles.models import Trajectory, User

# The zone of proximal development rests on ICALT's cumulative order of items (icalt.md); a
# school's own kijkwijzer has no such order, so it gets the domain profile and growth only.
ZONE_INSTRUMENT_KEY = "icalt"
ANALYSED_SCALE = frozenset(range(analysis.LOWEST_SCORE, analysis.HIGHEST_SCORE + 1))


# --- The instrument ---------------------------------------------------------------------------


@dataclass(frozen=True)
class InstrumentLayout:
    """An instrument's domains and items in form order, in the shapes analysis.py takes."""

    instrument: Instrument
    domains: tuple[Domain, ...]
    items: dict[int, Item]  # by pk, domain by domain and in form order within each
    scale_values: frozenset[int]

    @property
    def domain_of_item(self) -> dict[int, int]:
        return {pk: item.domain_id for pk, item in self.items.items()}

    @property
    def teaching_domains(self) -> tuple[Domain, ...]:
        return tuple(domain for domain in self.domains if domain.is_teaching)

    @property
    def engagement_domains(self) -> tuple[Domain, ...]:
        return tuple(domain for domain in self.domains if not domain.is_teaching)

    @property
    def teaching_item_ids(self) -> list[int]:
        """The teaching scale in the default order: domain 1 to 6, form order within each."""
        return [pk for pk, item in self.items.items() if item.domain.is_teaching]

    @property
    def supports_analysis(self) -> bool:
        """Means and the zone are defined on ICALT's 1-4 scale only."""
        return self.scale_values == ANALYSED_SCALE

    @property
    def supports_zone(self) -> bool:
        return self.supports_analysis and self.instrument.key == ZONE_INSTRUMENT_KEY


def instrument_layout(instrument: Instrument) -> InstrumentLayout:
    items = list(
        Item.objects.filter(instrument=instrument)
        .select_related("domain")
        .order_by("domain__number", "number")
    )
    domains: dict[int, Domain] = {}
    for item in items:
        domains.setdefault(item.domain_id, item.domain)
    return InstrumentLayout(
        instrument=instrument,
        domains=tuple(domains.values()),
        items={item.pk: item for item in items},
        scale_values=frozenset(instrument.scale.values_list("value", flat=True)),
    )


# --- Observations as analysis inputs ----------------------------------------------------------


@dataclass(frozen=True)
class ScoredLesson:
    """One final observation and its scores: 1-4, or None for not observed (or left empty)."""

    observation: Observation
    scores: dict[int, int | None]

    @property
    def starts_at(self) -> datetime.datetime:
        return self.observation.visit.starts_at


def scored_lessons(observations: Sequence[Observation]) -> list[ScoredLesson]:
    """The observations with their scores, read in one query. Notes are not read: nothing
    derived from the scores may carry the observer's words along."""
    scores: dict[int, dict[int, int | None]] = {observation.pk: {} for observation in observations}
    rows = ItemScore.objects.filter(observation__in=[o.pk for o in observations]).values_list(
        "observation_id", "item_id", "score"
    )
    for observation_id, item_id, score in rows:
        scores[observation_id][item_id] = score
    return [ScoredLesson(observation=o, scores=scores[o.pk]) for o in observations]


@dataclass(frozen=True)
class DomainRow:
    domain: Domain
    mean: analysis.DomainMean


@dataclass(frozen=True)
class DomainProfile:
    """One lesson's domain means: the teaching domains, learner engagement apart."""

    teaching: tuple[DomainRow, ...]
    engagement: tuple[DomainRow, ...]
    overall: analysis.DomainMean  # all scored teaching items pooled


def domain_profile(lesson: ScoredLesson, layout: InstrumentLayout) -> DomainProfile:
    # analysis.domain_means refuses scores outside the instrument; an item moved to another
    # instrument by hand in the admin must not take the page down with it.
    scores = {pk: score for pk, score in lesson.scores.items() if pk in layout.items}
    result = analysis.domain_means(
        scores=scores,
        domain_of_item=layout.domain_of_item,
        engagement_domains=frozenset(d.pk for d in layout.engagement_domains),
    )
    return DomainProfile(
        teaching=tuple(DomainRow(d, result.by_domain[d.pk]) for d in layout.teaching_domains),
        engagement=tuple(DomainRow(d, result.by_domain[d.pk]) for d in layout.engagement_domains),
        overall=result.teaching,
    )


def final_responses(layout: InstrumentLayout) -> tuple[npt.NDArray[np.float64], list[int]]:
    """Every final observation of the instrument as a row of 0/1/NaN over the teaching items
    (default order), for a Rasch fit. One query for the scores; lessons without a single scored
    teaching item carry no information and are left out."""
    item_ids = layout.teaching_item_ids
    rows = (
        ItemScore.objects.filter(
            observation__instrument=layout.instrument,
            observation__status=ObservationStatus.FINAL,
            item_id__in=item_ids,
            score__isnull=False,
        )
        .order_by()
        .values_list("observation_id", "item_id", "score")
    )
    lessons: dict[int, dict[int, int]] = {}
    for observation_id, item_id, score in rows.iterator(chunk_size=10_000):
        lessons.setdefault(observation_id, {})[item_id] = score
    return analysis.response_matrix(
        observations=list(lessons.values()), item_ids=item_ids
    ), item_ids


def final_observation_count(instrument: Instrument) -> int:
    """Final observations with at least one scored teaching item: what a Rasch fit counts."""
    return (
        ItemScore.objects.filter(
            observation__instrument=instrument,
            observation__status=ObservationStatus.FINAL,
            item__domain__is_teaching=True,
            score__isnull=False,
        )
        .values("observation")
        .distinct()
        .count()
    )


# --- The calibration in use -------------------------------------------------------------------


@dataclass(frozen=True)
class CalibrationInUse:
    """The item difficulties a zone is computed with, and the stored calibration behind them
    (None for the approximate default order)."""

    calibration: analysis.Calibration
    record: Calibration | None

    @property
    def kind(self) -> str:
        return self.record.kind if self.record else "default"

    @property
    def label(self) -> str:
        """Which calibration, in words the page shows next to every suggested focus."""
        if self.record is None:
            return _("the approximate default order (domain 1 to 6, item by item)")
        if self.record.kind == CalibrationKind.PUBLISHED:
            return _("the published table: %(source)s") % {"source": self.record.source}
        count = self.record.observation_count
        return ngettext(
            "estimated from %(count)s observation in this installation on %(date)s",
            "estimated from %(count)s observations in this installation on %(date)s",
            count,
        ) % {
            "count": count,
            "date": formats.date_format(timezone.localtime(self.record.created_at), "j F Y"),
        }


def newest_calibration(instrument: Instrument) -> Calibration | None:
    return instrument.calibrations.order_by("-created_at", "-pk").first()


def current_calibration(layout: InstrumentLayout) -> CalibrationInUse:
    """The newest stored calibration of the instrument, published or estimated alike; without
    one, the approximate default order over the teaching items.

    Newest wins: loading a published table is a deliberate choice that should take effect,
    and the periodic refit leaves a published table in place (observations/calibration.py).
    """
    record = newest_calibration(layout.instrument)
    teaching = set(layout.teaching_item_ids)
    if record is not None:
        difficulties = {
            item_id: value
            for item_id, value in ItemDifficulty.objects.filter(calibration=record).values_list(
                "item_id", "difficulty"
            )
            if item_id in teaching
        }
        if difficulties:
            return CalibrationInUse(
                calibration=analysis.Calibration(source=record.source, difficulties=difficulties),
                record=record,
            )
    return CalibrationInUse(
        calibration=analysis.default_difficulties(layout.teaching_item_ids), record=None
    )


# --- The suggested focus ----------------------------------------------------------------------


def probability_in_words(probability: float) -> str:
    """P(shown) as a sentence a teacher would say; the zone sits around "about half"."""
    if probability < 0.2:
        return _("At this level it is rarely shown yet.")
    if probability < 0.4:
        return _("At this level it is shown less than half the time.")
    if probability <= 0.6:
        return _("At this level it is shown about half the time.")
    if probability <= 0.8:
        return _("At this level it is shown more often than not.")
    return _("At this level it is almost always shown.")


@dataclass(frozen=True)
class FocusItem:
    item: Item
    probability_shown: float

    @property
    def probability_in_words(self) -> str:
        return probability_in_words(self.probability_shown)


@dataclass(frozen=True)
class FocusSuggestion:
    """The zone of proximal development of one lesson, with its items and its calibration."""

    lesson: ScoredLesson
    zone: analysis.ZoneResult
    calibration: CalibrationInUse
    focus: tuple[FocusItem, ...]
    to_observe: tuple[FocusItem, ...]

    @property
    def status(self) -> analysis.ZoneStatus:
        return self.zone.status

    @property
    def misfitting(self) -> bool:
        return self.zone.misfitting

    @property
    def usable_focus(self) -> tuple[FocusItem, ...]:
        """The items to act on: none for a misfitting lesson, which is flagged rather than
        used (icalt.md, step 5)."""
        return () if self.misfitting else self.focus


def suggested_focus(
    lesson: ScoredLesson, layout: InstrumentLayout, calibration: CalibrationInUse
) -> FocusSuggestion:
    teaching = set(layout.teaching_item_ids)
    pattern = analysis.dichotomise_scores(
        {pk: score for pk, score in lesson.scores.items() if pk in teaching}
    )
    zone = analysis.zone_of_proximal_development(
        pattern=pattern, calibration=calibration.calibration
    )

    def items(zone_items) -> tuple[FocusItem, ...]:
        return tuple(
            FocusItem(item=layout.items[z.item_id], probability_shown=z.probability_shown)
            for z in zone_items
        )

    return FocusSuggestion(
        lesson=lesson,
        zone=zone,
        calibration=calibration,
        focus=items(zone.focus),
        to_observe=items(zone.to_observe),
    )


# --- A trajectory -----------------------------------------------------------------------------


@dataclass(frozen=True)
class GrowthPoint:
    lesson: ScoredLesson
    profile: DomainProfile


@dataclass(frozen=True)
class TrajectoryAnalysis:
    """Everything the trajectory's analysis page shows; empty when nothing is final yet."""

    layout: InstrumentLayout | None = None
    growth: tuple[GrowthPoint, ...] = ()
    focus: FocusSuggestion | None = None
    other_instrument_count: int = 0  # visits observed only with another instrument

    @property
    def latest(self) -> GrowthPoint | None:
        return self.growth[-1] if self.growth else None


def _final_observations_for(user: User, trajectory: Trajectory) -> QuerySet[Observation]:
    return (
        access.observations_visible_to(user)
        .filter(visit__trajectory=trajectory, status=ObservationStatus.FINAL)
        .select_related("visit", "observer", "instrument")
        .order_by("visit__starts_at", "visit__pk", "finalised_at", "pk")
    )


def _one_per_visit(observations: list[Observation], trajectory: Trajectory) -> list[Observation]:
    """A visit observed by two people (calibration) counts once: preferably the trajectory's
    own begeleider's observation, so the line follows one observer where it can; otherwise the
    first one finalised. The two are compared on the visit's agreement page instead."""
    chosen: dict[int, Observation] = {}
    for observation in observations:
        current = chosen.get(observation.visit_id)
        if current is None or (
            observation.observer_id == trajectory.begeleider_id
            and current.observer_id != trajectory.begeleider_id
        ):
            chosen[observation.visit_id] = observation
    return [o for o in observations if chosen[o.visit_id] is o]


def trajectory_analysis_for(
    user: User, trajectory: Trajectory, *, latest_only: bool = False
) -> TrajectoryAnalysis:
    """Growth across the visits of the trajectory, the latest profile and the suggested focus,
    from the final observations `user` may read. The instrument is the one the most recent
    final observation used; observations with another instrument are counted, not mixed in.

    `latest_only` reads the scores of the most recent observation alone (for the focus).
    """
    observations = list(_final_observations_for(user, trajectory))
    if not observations:
        return TrajectoryAnalysis()
    instrument = observations[-1].instrument
    same_instrument = [o for o in observations if o.instrument_id == instrument.pk]
    chosen = _one_per_visit(same_instrument, trajectory)
    other_count = len({o.visit_id for o in observations} - {o.visit_id for o in same_instrument})
    layout = instrument_layout(instrument)
    if not layout.supports_analysis:
        return TrajectoryAnalysis(layout=layout, other_instrument_count=other_count)
    lessons = scored_lessons(chosen[-1:] if latest_only else chosen)
    growth = tuple(GrowthPoint(lesson, domain_profile(lesson, layout)) for lesson in lessons)
    focus = None
    if layout.supports_zone:
        focus = suggested_focus(lessons[-1], layout, current_calibration(layout))
    return TrajectoryAnalysis(
        layout=layout,
        growth=growth,
        focus=focus,
        other_instrument_count=other_count,
    )


def suggested_focus_items_for(user: User, trajectory: Trajectory) -> list[Item]:
    """The focus items to start a new visit's plan with: the trajectory's current suggested
    focus, unless there is none or the latest lesson misfits the order."""
    if not access.can(user, "view_content", trajectory):
        return []
    focus = trajectory_analysis_for(user, trajectory, latest_only=True).focus
    return [entry.item for entry in focus.usable_focus] if focus else []


# --- Two observers of one visit ---------------------------------------------------------------


@dataclass(frozen=True)
class DomainAgreement:
    domain: Domain
    rate: analysis.AgreementRate


@dataclass(frozen=True)
class ItemDifference:
    item: Item
    score_a: int
    score_b: int

    @property
    def difference(self) -> int:
        return abs(self.score_a - self.score_b)


@dataclass(frozen=True)
class VisitAgreement:
    """Two final observations of one visit, by two observers, and how far they agree."""

    first: Observation
    second: Observation
    result: analysis.Agreement
    by_domain: tuple[DomainAgreement, ...]
    differences: tuple[ItemDifference, ...]  # largest first
    final_count: int

    @property
    def kappa_unavailable_reason(self) -> str:
        if self.result.kappa_unavailable == analysis.KappaUnavailable.NO_COMMON_ITEMS:
            return _("The two observers have no scored item in common.")
        if self.result.kappa_unavailable == analysis.KappaUnavailable.SINGLE_SCORE_USED:
            return _(
                "One observer gave the same score to every item, and kappa then says nothing "
                "about agreement: look at the percentages instead."
            )
        return ""


class AgreementUnavailable(Exception):
    """The visit has no pair of final observations to compare; the message says why."""


def visit_agreement_for(user: User, visit: LessonVisit, *, shown: int = 10) -> VisitAgreement:
    """The agreement between the first two final observations of the visit (each observer has
    at most one observation of a visit, so they are by two people). At most `shown` items
    where they differ are listed, the largest differences first."""
    finals = list(
        access.observations_visible_to(user)
        .filter(visit=visit, status=ObservationStatus.FINAL)
        .select_related("observer", "instrument")
        .order_by("finalised_at", "pk")
    )
    if len(finals) < 2:
        raise AgreementUnavailable(
            ngettext(
                "Agreement needs two final observations of this lesson, by two observers; "
                "there is %(count)s so far.",
                "Agreement needs two final observations of this lesson, by two observers; "
                "there are %(count)s so far.",
                len(finals),
            )
            % {"count": len(finals)}
        )
    first, second = finals[:2]
    if first.instrument_id != second.instrument_id:
        raise AgreementUnavailable(
            _("The two observations were made with different instruments and cannot be compared.")
        )
    layout = instrument_layout(first.instrument)
    if not layout.supports_analysis:
        raise AgreementUnavailable(
            _("Agreement is computed on ICALT's 1 to 4 scale; this instrument uses another one.")
        )
    lesson_a, lesson_b = scored_lessons([first, second])
    result = analysis.agreement(
        scores_a={pk: s for pk, s in lesson_a.scores.items() if pk in layout.items},
        scores_b={pk: s for pk, s in lesson_b.scores.items() if pk in layout.items},
        domain_of_item=layout.domain_of_item,
    )
    return VisitAgreement(
        first=first,
        second=second,
        result=result,
        by_domain=tuple(DomainAgreement(d, result.by_domain[d.pk]) for d in layout.domains),
        differences=tuple(
            ItemDifference(item=layout.items[d.item_id], score_a=d.score_a, score_b=d.score_b)
            for d in result.disagreements[:shown]
        ),
        final_count=len(finals),
    )
