"""ICALT analysis on plain data: domain scores, Rasch calibration, ability, person fit, the zone of
proximal development and inter-rater agreement.

Nothing here touches the database or Django, so views, a management command and a periodic job
can all call it with lists, dicts and numpy arrays. The method follows `icalt.md` ("Analysis"):

1. Dichotomise: a score of 3 or 4 means the behaviour is shown (1), 1 or 2 not yet (0),
   "not observed" is missing (NaN in arrays, None in dicts). Missing is never read as 0: the
   lesson gave no evidence either way.
2. Item difficulties come from a `Calibration`: the approximate default order
   (`default_difficulties`), a published table loaded as data, or `rasch_fit` on the
   installation's own final observations. Every zone result names the calibration it used.
3. A teacher's ability θ is Warm's weighted likelihood estimate (WLE). Unlike the plain maximum
   likelihood estimate it is finite for all-shown and none-shown lessons, and it is strictly
   increasing in the number of items shown, so no fallback rule is needed for extreme patterns.
4. The zone is the not-yet-shown items whose probability of being shown is nearest 50 %.
5. A lesson whose pattern misfits the cumulative order is flagged (`is_misfitting`): about one
   lesson in six misfits in Van der Lans et al. (2017), incidentally, so conclusions should rest
   on several observations.

The numeric functions (`rasch_fit`, `ability_estimate`, `person_fit`) take arrays aligned by
position; the functions a screen calls (`zone_of_proximal_development`, `domain_means`,
`agreement`) take dicts keyed by item id.

Functions with one argument take it positionally; all others are keyword-only.
"""

import enum
import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

ItemId: TypeAlias = Hashable
DomainKey: TypeAlias = Hashable

SHOWN = 1
NOT_YET_SHOWN = 0
LOWEST_SCORE = 1
HIGHEST_SCORE = 4
# The cut sits between "more weaknesses than strengths" (2) and "more strengths than weaknesses"
# (3); domain.md §1.6 marks the cut itself as unverified, so it lives in one place.
LOWEST_SHOWN_SCORE = 3

DEFAULT_MIN_OBSERVATIONS = 100

# Person misfit (Linacre's rule of thumb for mean-squares): above 2.0 a pattern distorts the
# measurement; infit above 1.5 means the responses near θ, which decide the zone, are erratic.
# Fewer than 8 scored items give mean-squares too noisy to judge, so such lessons are never
# flagged. Lessons simulated from the model on 32 items are flagged about 3-4 % of the time
# (test_lessons_that_follow_the_model_are_rarely_flagged), against about 17 % real misfit.
MISFIT_OUTFIT_MSQ = 2.0
MISFIT_INFIT_MSQ = 1.5
MIN_ITEMS_FOR_PERSON_FIT = 8

# Not-observed items whose probability of being shown lies in this band are worth looking for at
# the next visit: they would sit in the zone had they been scored "not yet".
ZONE_PROBABILITY_BAND = (0.2, 0.8)

# The default order is a coarse ranking, not a measurement: it is spread evenly over this many
# logits so that probabilities stay moderate and the zone has a few items in it.
DEFAULT_ORDER_SPAN = 5.0
DEFAULT_ORDER_SOURCE = "ICALT default order: domain 1 to 6, form order within a domain"

# Newton steps are limited to one logit: far from the solution the quadratic model overshoots.
_MAX_STEP = 1.0
_WLE_TOLERANCE = 1e-10
_WLE_MAX_ITERATIONS = 200
_WLE_BRACKET_MARGIN = 12.0


class CalibrationError(ValueError):
    """A Rasch calibration could not be made from the data given."""


class InsufficientDataError(CalibrationError):
    """Too few observations, or too few non-extreme ones, to estimate item difficulties."""


class NotConvergedError(CalibrationError):
    """The estimation did not settle within the allowed iterations."""


# --- Dichotomising ----------------------------------------------------------------------------


def dichotomise(score: int | None) -> int | None:
    """1 (shown) for a score of 3 or 4, 0 (not yet) for 1 or 2, None for "not observed"."""
    if score is None:
        return None
    if isinstance(score, bool) or score not in range(LOWEST_SCORE, HIGHEST_SCORE + 1):
        raise ValueError(f"An ICALT score is 1 to 4 or None (not observed), not {score!r}.")
    return SHOWN if score >= LOWEST_SHOWN_SCORE else NOT_YET_SHOWN


def dichotomise_scores(scores: Mapping[ItemId, int | None]) -> dict[ItemId, int | None]:
    """One lesson's item scores as a 0/1/None pattern, keyed like the input."""
    return {item_id: dichotomise(score) for item_id, score in scores.items()}


def dichotomise_matrix(scores: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Scores 1-4 with NaN (or None) for "not observed" as 0/1 with NaN kept, element-wise."""
    values = np.asarray(scores, dtype=float)
    scored = ~np.isnan(values)
    valid = np.isin(values[scored], np.arange(LOWEST_SCORE, HIGHEST_SCORE + 1))
    if not valid.all():
        raise ValueError("ICALT scores are 1 to 4, with NaN or None for not observed.")
    return np.where(scored, (values >= LOWEST_SHOWN_SCORE).astype(float), np.nan)


def response_matrix(
    *, observations: Sequence[Mapping[ItemId, int | None]], item_ids: Sequence[ItemId]
) -> npt.NDArray[np.float64]:
    """Lessons x items of 0/1/NaN from each lesson's raw scores, columns in `item_ids` order.

    `item_ids` chooses the scale: items outside it (the learner-engagement items, which form a
    separate outcome scale) are left out, and items a lesson has no score for are missing.
    """
    raw = np.full((len(observations), len(item_ids)), np.nan)
    for row, scores in enumerate(observations):
        for column, item_id in enumerate(item_ids):
            score = scores.get(item_id)
            if score is not None:
                raw[row, column] = score
    return dichotomise_matrix(raw)


# --- Calibrations -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Calibration:
    """Item difficulties in logits (higher is harder) and where they came from."""

    source: str
    difficulties: Mapping[ItemId, float]
    approximate: bool = False


def default_difficulties(item_ids_in_domain_order: Sequence[ItemId]) -> Calibration:
    """The coarse default order as evenly spaced pseudo-difficulties, marked approximate.

    The published difficulty tables could not be verified (icalt.md), so instead of invented
    numbers the app ships only the verified direction: climate and management first, then
    instruction, activating, adaptive teaching and learning strategies. Pass the teaching items
    in domain order 1→6 and form order within each domain.
    """
    if len(set(item_ids_in_domain_order)) != len(item_ids_in_domain_order):
        raise ValueError("Each item may appear only once in the default order.")
    count = len(item_ids_in_domain_order)
    if count == 0:
        raise ValueError("The default order needs at least one item.")
    spaced = np.linspace(-DEFAULT_ORDER_SPAN / 2, DEFAULT_ORDER_SPAN / 2, count)
    return Calibration(
        source=DEFAULT_ORDER_SOURCE,
        difficulties={
            item_id: float(value)
            for item_id, value in zip(item_ids_in_domain_order, spaced, strict=True)
        },
        approximate=True,
    )


# --- Ability and person fit -------------------------------------------------------------------


@dataclass(frozen=True)
class AbilityEstimate:
    """A teacher's position θ on the logit scale for one lesson, with its standard error."""

    theta: float
    standard_error: float
    n_scored: int
    n_shown: int

    @property
    def extreme(self) -> bool:
        """All scored items shown, or none: θ then rests on the WLE correction alone."""
        return self.n_shown in (0, self.n_scored)


@dataclass(frozen=True)
class PersonFit:
    """Mean-squares (expected 1.0) and their Wilson-Hilferty standardisation (expected 0)."""

    infit_msq: float
    outfit_msq: float
    infit_zstd: float
    outfit_zstd: float
    n_items: int


def _probability(logit: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """The logistic function. Small tail probabilities keep their precision (1 - p would round
    them to 0), and an overflowing exp(-logit) correctly gives 0."""
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-np.asarray(logit, dtype=float)))


def _responses_and_difficulties(
    responses: npt.ArrayLike, difficulties: npt.ArrayLike
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """The scored responses and their difficulties, with missing responses dropped."""
    pattern = np.asarray(responses, dtype=float)
    locations = np.asarray(difficulties, dtype=float)
    if pattern.ndim != 1 or pattern.shape != locations.shape:
        raise ValueError("Responses and difficulties must be 1-D and of the same length.")
    if np.isnan(locations).any():
        raise ValueError("Every difficulty must be a number.")
    scored = ~np.isnan(pattern)
    if not np.isin(pattern[scored], (NOT_YET_SHOWN, SHOWN)).all():
        raise ValueError("Responses are 0 (not yet), 1 (shown) or NaN/None (not observed).")
    return pattern[scored], locations[scored]


def _wle(
    responses: npt.NDArray[np.float64],
    scored: npt.NDArray[np.bool_],
    difficulties: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Warm's WLE and its standard error for every row with at least one scored item.

    Solves r - Σp + J / 2I = 0 (I = Σp(1-p), J = Σp(1-p)(1-2p)). The left side is not
    monotone in θ for every set of difficulties, so plain Newton-Raphson can wander off; each
    row keeps a bracket around its root and falls back to bisection whenever the Newton step
    would leave it. Rows without a scored item get NaN.
    """
    n_scored = scored.sum(axis=1)
    theta = np.full(len(responses), np.nan)
    standard_error = np.full(len(responses), np.nan)
    rows = n_scored > 0
    if not rows.any():
        return theta, standard_error
    mask = scored[rows].astype(float)
    shown = np.where(scored[rows], responses[rows], 0.0).sum(axis=1)
    count = n_scored[rows]
    # Far below every scored item the equation tends to r + 1/2 > 0, far above to
    # r - n - 1/2 < 0, so these bounds hold the root.
    low = np.where(scored[rows], difficulties, np.inf).min(axis=1) - _WLE_BRACKET_MARGIN
    high = np.where(scored[rows], difficulties, -np.inf).max(axis=1) + _WLE_BRACKET_MARGIN
    mean_difficulty = (mask * difficulties).sum(axis=1) / count
    estimate = mean_difficulty + np.log((shown + 0.5) / (count - shown + 0.5))
    estimate = np.clip(estimate, low, high)

    def moments(values: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.float64], ...]:
        """P(shown), P(not yet) and the masked item variances p(1-p) at θ = values."""
        logits = values[:, None] - difficulties[None, :]
        p, q = _probability(logits), _probability(-logits)
        return p, q, p * q * mask

    for _ in range(_WLE_MAX_ITERATIONS):
        p, q, variance = moments(estimate)
        information = variance.sum(axis=1)
        skew = (variance * (q - p)).sum(axis=1)
        skew_slope = (variance * (1.0 - 6.0 * p * q)).sum(axis=1)
        equation = shown - (p * mask).sum(axis=1) + skew / (2.0 * information)
        slope = -information + (information * skew_slope - skew**2) / (2.0 * information**2)
        low = np.where(equation > 0.0, estimate, low)
        high = np.where(equation < 0.0, estimate, high)
        with np.errstate(divide="ignore", invalid="ignore"):
            newton = estimate - equation / slope
        usable = (slope < 0.0) & (newton > low) & (newton < high)
        step = np.where(
            usable,
            np.clip(newton - estimate, -_MAX_STEP, _MAX_STEP),
            (low + high) / 2.0 - estimate,
        )
        step = np.where(equation == 0.0, 0.0, step)
        estimate += step
        if np.abs(step).max() < _WLE_TOLERANCE:
            break
    else:  # pragma: no cover - bisection alone halves the bracket to the tolerance in time
        raise ArithmeticError("The ability estimate did not converge.")
    theta[rows] = estimate
    standard_error[rows] = 1.0 / np.sqrt(moments(estimate)[2].sum(axis=1))
    return theta, standard_error


def ability_estimate(*, responses: npt.ArrayLike, difficulties: npt.ArrayLike) -> AbilityEstimate:
    """θ for one lesson's 0/1 pattern (NaN or None = not observed) given known difficulties.

    Warm's WLE throughout, so the result is finite for every pattern with a scored item, and
    all-shown lies above every other pattern, none-shown below. A lesson without any scored
    item carries no information about θ and raises ValueError rather than inventing a value.
    """
    pattern, locations = _responses_and_difficulties(responses, difficulties)
    if len(pattern) == 0:
        raise ValueError("The lesson has no scored items, so it says nothing about ability.")
    theta, standard_error = _wle(pattern[None, :], np.ones((1, len(pattern)), bool), locations)
    return AbilityEstimate(
        theta=float(theta[0]),
        standard_error=float(standard_error[0]),
        n_scored=len(pattern),
        n_shown=int(pattern.sum()),
    )


def _standardise(msq: float, spread: float) -> float:
    """Wilson-Hilferty cube-root transformation of a mean-square with model SD `spread`."""
    if spread <= 0.0:
        return 0.0
    return (msq ** (1.0 / 3.0) - 1.0) * (3.0 / spread) + spread / 3.0


def person_fit(*, responses: npt.ArrayLike, difficulties: npt.ArrayLike, theta: float) -> PersonFit:
    """How well one lesson's pattern follows the cumulative order, given θ.

    Outfit is the plain mean of squared standardised residuals, so one surprise far from θ (an
    easy item not shown by a strong teacher) weighs heavily; infit weights by information and
    reacts to erratic responses near θ.
    """
    pattern, locations = _responses_and_difficulties(responses, difficulties)
    n_items = len(pattern)
    if n_items == 0:
        raise ValueError("Person fit needs at least one scored item.")
    p = _probability(theta - locations)
    variance = p * _probability(locations - theta)
    squared_residual = (pattern - p) ** 2
    outfit = float(np.mean(squared_residual / variance))
    infit = float(squared_residual.sum() / variance.sum())
    fourth_moment = variance * (1.0 - 3.0 * variance)
    outfit_spread = math.sqrt(
        max(float(np.sum(fourth_moment / variance**2)) / n_items**2 - 1.0 / n_items, 0.0)
    )
    infit_spread = math.sqrt(
        max(float(np.sum(fourth_moment - variance**2)) / float(variance.sum()) ** 2, 0.0)
    )
    return PersonFit(
        infit_msq=infit,
        outfit_msq=outfit,
        infit_zstd=_standardise(infit, infit_spread),
        outfit_zstd=_standardise(outfit, outfit_spread),
        n_items=n_items,
    )


def is_misfitting(fit: PersonFit) -> bool:
    """True when the lesson should be flagged rather than read as a position in the order.

    Needs at least MIN_ITEMS_FOR_PERSON_FIT scored items, then outfit above MISFIT_OUTFIT_MSQ or
    infit above MISFIT_INFIT_MSQ.
    """
    if fit.n_items < MIN_ITEMS_FOR_PERSON_FIT:
        return False
    return fit.outfit_msq > MISFIT_OUTFIT_MSQ or fit.infit_msq > MISFIT_INFIT_MSQ


# --- Zone of proximal development --------------------------------------------------------------


class ZoneStatus(enum.StrEnum):
    """What the zone result amounts to; the screen turns each into a translated sentence."""

    FOCUS_FOUND = "focus_found"
    ALL_SHOWN = "all_shown"  # every scored item is shown: no "not yet" item to aim at
    NO_SCORED_ITEMS = "no_scored_items"  # nothing on the calibrated scale was scored


@dataclass(frozen=True)
class ZoneItem:
    item_id: ItemId
    difficulty: float
    probability_shown: float


@dataclass(frozen=True)
class ZoneResult:
    """The suggested focus for the next goal and visit, and how far it can be trusted.

    A misfitting lesson still gets its focus computed, but it must be shown as flagged rather
    than as the teacher's zone: prefer the picture from several observations.
    """

    status: ZoneStatus
    calibration_source: str
    calibration_approximate: bool
    ability: AbilityEstimate | None
    fit: PersonFit | None
    misfitting: bool
    focus: tuple[ZoneItem, ...]
    to_observe: tuple[ZoneItem, ...]
    uncalibrated_items: tuple[ItemId, ...]


def zone_of_proximal_development(
    *,
    pattern: Mapping[ItemId, int | None],
    calibration: Calibration,
    size: int = 3,
) -> ZoneResult:
    """The not-yet-shown items nearest to a 50 % chance of being shown, easiest first.

    `pattern` is one lesson's 0/1/None per item (see `dichotomise_scores`). The focus is drawn
    from items scored "not yet" (0) only, ranked by |P(shown) - 0.5| and returned in difficulty
    order. Not-observed items never become a focus: the lesson gave no evidence the behaviour is
    missing, and a development goal set on a guess undermines the conversation. Those whose
    P(shown) lies in ZONE_PROBABILITY_BAND are returned as `to_observe`, to look for at the next
    visit. Scored items the calibration has no difficulty for are listed, not used.
    """
    if size < 1:
        raise ValueError("The zone needs room for at least one item.")
    for value in pattern.values():
        if value not in (None, NOT_YET_SHOWN, SHOWN):
            raise ValueError(f"A pattern holds 0, 1 or None, not {value!r}.")
    item_ids = list(calibration.difficulties)
    locations = np.array([calibration.difficulties[item_id] for item_id in item_ids], dtype=float)
    responses = np.array(
        [np.nan if pattern.get(item_id) is None else pattern[item_id] for item_id in item_ids],
        dtype=float,
    )
    uncalibrated = tuple(
        item_id
        for item_id, value in pattern.items()
        if value is not None and item_id not in calibration.difficulties
    )
    if np.isnan(responses).all():
        return ZoneResult(
            status=ZoneStatus.NO_SCORED_ITEMS,
            calibration_source=calibration.source,
            calibration_approximate=calibration.approximate,
            ability=None,
            fit=None,
            misfitting=False,
            focus=(),
            to_observe=(),
            uncalibrated_items=uncalibrated,
        )

    ability = ability_estimate(responses=responses, difficulties=locations)
    fit = person_fit(responses=responses, difficulties=locations, theta=ability.theta)
    probabilities = _probability(ability.theta - locations)
    # Position in the calibration breaks ties, so equal difficulties keep the form's order.
    nearest_to_half = sorted(
        range(len(item_ids)), key=lambda i: (abs(probabilities[i] - 0.5), locations[i], i)
    )

    def zone_items(indices: Sequence[int]) -> tuple[ZoneItem, ...]:
        ordered = sorted(indices, key=lambda i: (locations[i], i))
        return tuple(
            ZoneItem(
                item_id=item_ids[i],
                difficulty=float(locations[i]),
                probability_shown=float(probabilities[i]),
            )
            for i in ordered
        )

    not_yet = [i for i in nearest_to_half if responses[i] == NOT_YET_SHOWN][:size]
    low, high = ZONE_PROBABILITY_BAND
    unobserved = [
        i for i in nearest_to_half if np.isnan(responses[i]) and low <= probabilities[i] <= high
    ][:size]
    return ZoneResult(
        status=ZoneStatus.FOCUS_FOUND if not_yet else ZoneStatus.ALL_SHOWN,
        calibration_source=calibration.source,
        calibration_approximate=calibration.approximate,
        ability=ability,
        fit=fit,
        misfitting=is_misfitting(fit),
        focus=zone_items(not_yet),
        to_observe=zone_items(unobserved),
        uncalibrated_items=uncalibrated,
    )


# --- Rasch calibration ------------------------------------------------------------------------


class ItemExtreme(enum.StrEnum):
    """Why an item has no difficulty: its responses carry no information about its place."""

    ALL_SHOWN = "all_shown"
    NONE_SHOWN = "none_shown"
    NO_RESPONSES = "no_responses"


@dataclass(frozen=True)
class ItemCalibration:
    """One item's fitted difficulty; None with `extreme` set when it could not be estimated.

    Infit and outfit mean-squares near 1 mean the item follows the cumulative order; the counts
    are over every lesson given, including those left out of the estimation.
    """

    item_id: ItemId
    difficulty: float | None
    standard_error: float | None
    infit_msq: float | None
    outfit_msq: float | None
    n_responses: int
    n_shown: int
    extreme: ItemExtreme | None


@dataclass(frozen=True)
class RaschFit:
    """A dichotomous Rasch calibration from an installation's own observations.

    `abilities` follows the input rows: the WLE of each lesson on the estimated items, None for
    a lesson without any of them scored. Extreme lessons (all shown or none shown) are left out
    of the item estimation but still get a finite ability here.
    """

    items: tuple[ItemCalibration, ...]
    abilities: tuple[AbilityEstimate | None, ...]
    n_observations: int
    n_persons_used: int
    n_extreme_persons: int
    bias_correction: float
    iterations: int

    @property
    def difficulties(self) -> dict[ItemId, float]:
        return {item.item_id: item.difficulty for item in self.items if item.difficulty is not None}

    def calibration(self, *, source: str) -> Calibration:
        return Calibration(source=source, difficulties=self.difficulties, approximate=False)


def _drop_extremes(
    responses: npt.NDArray[np.float64], scored: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Active persons and items once every all-0 or all-1 row and column is removed.

    Removing an extreme item can make a person extreme and the reverse, so repeat until stable.
    """
    persons = scored.any(axis=1)
    items = scored.any(axis=0)
    while True:
        active = scored & persons[:, None] & items[None, :]
        shown = np.where(active, responses, 0.0)
        person_count, person_shown = active.sum(axis=1), shown.sum(axis=1)
        item_count, item_shown = active.sum(axis=0), shown.sum(axis=0)
        new_persons = persons & (person_shown > 0) & (person_shown < person_count)
        new_items = items & (item_shown > 0) & (item_shown < item_count)
        if (new_persons == persons).all() and (new_items == items).all():
            return persons, items
        persons, items = new_persons, new_items


def rasch_fit(
    *,
    responses: npt.ArrayLike,
    item_ids: Sequence[ItemId] | None = None,
    min_observations: int = DEFAULT_MIN_OBSERVATIONS,
    max_iterations: int = 500,
    tolerance: float = 1e-6,
) -> RaschFit:
    """Item difficulties (centred at 0) from a lessons x items matrix of 0/1/NaN.

    Joint maximum likelihood: person and item parameters are updated in turn by Newton steps
    limited to one logit, until no parameter moves more than `tolerance`. JML overstates the
    spread of the difficulties by about L/(L-1) for L items per person, so the difficulties and
    their standard errors are multiplied by (L-1)/L, with L the mean number of estimated items
    a lesson scored (missing responses shorten L). Lessons and items with all-0 or all-1
    responses have no finite JML estimate and are left out of the estimation and reported.

    Raises InsufficientDataError with fewer than `min_observations` lessons with a scored item,
    or when fewer than two items and two lessons remain after removing extremes, and
    NotConvergedError when `max_iterations` is reached.
    """
    if max_iterations < 1:
        raise ValueError("The calibration needs at least one iteration.")
    matrix = np.asarray(responses, dtype=float)
    if matrix.ndim != 2:
        raise ValueError("Responses must be a lessons x items matrix.")
    scored = ~np.isnan(matrix)
    if not np.isin(matrix[scored], (NOT_YET_SHOWN, SHOWN)).all():
        raise ValueError("Responses are 0 (not yet), 1 (shown) or NaN (not observed).")
    ids = list(range(matrix.shape[1])) if item_ids is None else list(item_ids)
    if len(ids) != matrix.shape[1] or len(set(ids)) != len(ids):
        raise ValueError("There must be one distinct item id per column.")

    n_observations = int(scored.any(axis=1).sum())
    if n_observations < min_observations:
        raise InsufficientDataError(
            f"A Rasch calibration needs at least {min_observations} observed lessons; "
            f"there are {n_observations}."
        )
    persons, items = _drop_extremes(matrix, scored)
    if persons.sum() < 2 or items.sum() < 2:
        raise InsufficientDataError(
            "After leaving out lessons and items with all-shown or none-shown responses, "
            f"{int(persons.sum())} lessons and {int(items.sum())} items remain; "
            "at least two of each are needed."
        )

    active = scored[np.ix_(persons, items)]
    mask = active.astype(float)
    data = np.where(active, matrix[np.ix_(persons, items)], 0.0)
    person_count, person_shown = mask.sum(axis=1), data.sum(axis=1)
    item_count, item_shown = mask.sum(axis=0), data.sum(axis=0)
    theta = np.log(person_shown / (person_count - person_shown))
    difficulty = np.log((item_count - item_shown) / item_shown)
    difficulty -= difficulty.mean()

    iterations = 0
    while True:
        iterations += 1
        p = _probability(theta[:, None] - difficulty[None, :]) * mask
        theta_step = (person_shown - p.sum(axis=1)) / (p * (1.0 - p)).sum(axis=1)
        theta += np.clip(theta_step, -_MAX_STEP, _MAX_STEP)
        p = _probability(theta[:, None] - difficulty[None, :]) * mask
        item_step = (p.sum(axis=0) - item_shown) / (p * (1.0 - p)).sum(axis=0)
        difficulty += np.clip(item_step, -_MAX_STEP, _MAX_STEP)
        # The Rasch scale has no origin of its own; centring the items fixes it.
        difficulty -= difficulty.mean()
        if max(np.abs(theta_step).max(), np.abs(item_step).max()) < tolerance:
            break
        if iterations == max_iterations:
            raise NotConvergedError(
                f"The Rasch calibration did not converge in {max_iterations} iterations."
            )

    p = _probability(theta[:, None] - difficulty[None, :])
    variance = p * (1.0 - p) * mask
    squared_residual = (data - p) ** 2 * mask
    item_information = variance.sum(axis=0)
    infit = squared_residual.sum(axis=0) / item_information
    standardised = np.divide(squared_residual, variance, out=np.zeros_like(variance), where=active)
    outfit = standardised.sum(axis=0) / item_count
    mean_length = float(person_count.mean())
    correction = (mean_length - 1.0) / mean_length
    corrected = difficulty * correction
    standard_error = correction / np.sqrt(item_information)

    calibrations: list[ItemCalibration] = []
    estimated = iter(range(int(items.sum())))
    for column, item_id in enumerate(ids):
        n_responses = int(scored[:, column].sum())
        n_shown = int(np.nansum(matrix[:, column]))
        if items[column]:
            k = next(estimated)
            calibrations.append(
                ItemCalibration(
                    item_id=item_id,
                    difficulty=float(corrected[k]),
                    standard_error=float(standard_error[k]),
                    infit_msq=float(infit[k]),
                    outfit_msq=float(outfit[k]),
                    n_responses=n_responses,
                    n_shown=n_shown,
                    extreme=None,
                )
            )
            continue
        # Judged on the lessons left in the estimation, so the shown count may differ.
        kept = scored[:, column] & persons
        kept_shown = int(np.nansum(matrix[kept, column]))
        if not kept.any():
            extreme = ItemExtreme.NO_RESPONSES
        elif kept_shown == kept.sum():
            extreme = ItemExtreme.ALL_SHOWN
        else:
            extreme = ItemExtreme.NONE_SHOWN
        calibrations.append(
            ItemCalibration(
                item_id=item_id,
                difficulty=None,
                standard_error=None,
                infit_msq=None,
                outfit_msq=None,
                n_responses=n_responses,
                n_shown=n_shown,
                extreme=extreme,
            )
        )

    item_responses = matrix[:, items]
    item_scored = scored[:, items]
    thetas, errors = _wle(np.nan_to_num(item_responses), item_scored, corrected)
    abilities = tuple(
        None
        if not item_scored[row].any()
        else AbilityEstimate(
            theta=float(thetas[row]),
            standard_error=float(errors[row]),
            n_scored=int(item_scored[row].sum()),
            n_shown=int(np.nansum(item_responses[row])),
        )
        for row in range(len(matrix))
    )
    return RaschFit(
        items=tuple(calibrations),
        abilities=abilities,
        n_observations=n_observations,
        n_persons_used=int(persons.sum()),
        n_extreme_persons=n_observations - int(persons.sum()),
        bias_correction=correction,
        iterations=iterations,
    )


# --- Domain scores ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DomainMean:
    """Mean of the scored items; None when nothing was scored. Not-observed items are counted
    separately so the screen can show them as such."""

    mean: float | None
    n_scored: int
    n_not_observed: int


@dataclass(frozen=True)
class DomainScores:
    by_domain: dict[DomainKey, DomainMean]
    teaching: DomainMean  # all scored items of the teaching domains, pooled


def _validated_score(item_id: ItemId, score: int | None) -> int | None:
    if score is not None and (
        isinstance(score, bool) or score not in range(LOWEST_SCORE, HIGHEST_SCORE + 1)
    ):
        raise ValueError(f"Item {item_id!r} has score {score!r}; scores are 1 to 4 or None.")
    return score


def _mean_of(scores: Sequence[int | None]) -> DomainMean:
    given = [score for score in scores if score is not None]
    return DomainMean(
        mean=sum(given) / len(given) if given else None,
        n_scored=len(given),
        n_not_observed=len(scores) - len(given),
    )


def domain_means(
    *,
    scores: Mapping[ItemId, int | None],
    domain_of_item: Mapping[ItemId, DomainKey],
    engagement_domains: frozenset[DomainKey] = frozenset(),
) -> DomainScores:
    """Per-domain means of one lesson's 1-4 scores, and the overall teaching mean.

    `domain_of_item` defines the instrument (its order is the domains' order); an item it lists
    without a score counts as not observed. The overall mean pools the scored items of every
    domain except `engagement_domains`: learner engagement is a separate outcome scale.
    """
    unknown = [item_id for item_id in scores if item_id not in domain_of_item]
    if unknown:
        raise ValueError(f"Scores for items outside the instrument: {unknown!r}.")
    by_domain: dict[DomainKey, list[int | None]] = {}
    teaching: list[int | None] = []
    for item_id, domain in domain_of_item.items():
        score = _validated_score(item_id, scores.get(item_id))
        by_domain.setdefault(domain, []).append(score)
        if domain not in engagement_domains:
            teaching.append(score)
    return DomainScores(
        by_domain={domain: _mean_of(values) for domain, values in by_domain.items()},
        teaching=_mean_of(teaching),
    )


# --- Inter-rater agreement --------------------------------------------------------------------


class KappaUnavailable(enum.StrEnum):
    NO_COMMON_ITEMS = "no_common_items"
    # With one observer on a single score the kappa formula gives exactly 0 whatever the
    # agreement (with both on the same score it divides by zero); 0 next to, say, 90 % exact
    # agreement would read as "no agreement", so no kappa is given.
    SINGLE_SCORE_USED = "single_score_used"


@dataclass(frozen=True)
class AgreementRate:
    """Shares (0-1) of the items both observers scored; None when there are none."""

    n_items: int
    exact: float | None
    adjacent: float | None  # scores at most one point apart


@dataclass(frozen=True)
class ItemDisagreement:
    item_id: ItemId
    domain: DomainKey
    score_a: int
    score_b: int

    @property
    def difference(self) -> int:
        return abs(self.score_a - self.score_b)


@dataclass(frozen=True)
class Agreement:
    """How closely two observers scored the same lesson, for a calibration conversation.

    Quadratic weighted kappa is the primary figure: on an ordinal scale a 1-vs-4 difference
    should weigh far more than 2-vs-3. The linear kappa is given beside it.
    """

    overall: AgreementRate
    by_domain: dict[DomainKey, AgreementRate]
    kappa_quadratic: float | None
    kappa_linear: float | None
    kappa_unavailable: KappaUnavailable | None
    disagreements: tuple[ItemDisagreement, ...]  # largest difference first
    scored_by_one_observer: tuple[ItemId, ...]

    @property
    def kappa(self) -> float | None:
        return self.kappa_quadratic


def _agreement_rate(differences: Sequence[int]) -> AgreementRate:
    if not differences:
        return AgreementRate(n_items=0, exact=None, adjacent=None)
    return AgreementRate(
        n_items=len(differences),
        exact=sum(1 for d in differences if d == 0) / len(differences),
        adjacent=sum(1 for d in differences if d <= 1) / len(differences),
    )


def weighted_kappa(
    *, ratings_a: Sequence[int], ratings_b: Sequence[int], weighting: str
) -> float | None:
    """Cohen's weighted kappa over the scores 1-4; `weighting` is "linear" or "quadratic".

    κ = (p_o - p_e) / (1 - p_e), with agreement weights 1 - |i-j|/3 or 1 - (i-j)²/9, p_o from
    the confusion matrix and p_e from the product of its margins. None when p_e is 1.
    """
    categories = HIGHEST_SCORE - LOWEST_SCORE + 1
    distance = np.abs(np.subtract.outer(np.arange(categories), np.arange(categories)))
    if weighting == "linear":
        weights = 1.0 - distance / (categories - 1)
    elif weighting == "quadratic":
        weights = 1.0 - (distance / (categories - 1)) ** 2
    else:
        raise ValueError(f"Weighting is 'linear' or 'quadratic', not {weighting!r}.")
    a = np.asarray(ratings_a, dtype=int) - LOWEST_SCORE
    b = np.asarray(ratings_b, dtype=int) - LOWEST_SCORE
    if a.shape != b.shape or a.size == 0:
        raise ValueError("Kappa needs two equally long, non-empty lists of ratings.")
    confusion = np.zeros((categories, categories))
    np.add.at(confusion, (a, b), 1.0)
    observed = confusion / a.size
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    expected_agreement = float((weights * expected).sum())
    if math.isclose(expected_agreement, 1.0, rel_tol=0.0, abs_tol=1e-12):
        return None
    observed_agreement = float((weights * observed).sum())
    return (observed_agreement - expected_agreement) / (1.0 - expected_agreement)


def agreement(
    *,
    scores_a: Mapping[ItemId, int | None],
    scores_b: Mapping[ItemId, int | None],
    domain_of_item: Mapping[ItemId, DomainKey],
) -> Agreement:
    """Exact and adjacent agreement per domain and overall, weighted kappas and the items the
    two observers differ on most. Only items both scored count; None means not observed."""
    unknown = [item_id for item_id in {**scores_a, **scores_b} if item_id not in domain_of_item]
    if unknown:
        raise ValueError(f"Scores for items outside the instrument: {unknown!r}.")
    differences_by_domain: dict[DomainKey, list[int]] = {d: [] for d in domain_of_item.values()}
    common: list[ItemDisagreement] = []
    one_observer: list[ItemId] = []
    for item_id, domain in domain_of_item.items():
        a = _validated_score(item_id, scores_a.get(item_id))
        b = _validated_score(item_id, scores_b.get(item_id))
        if a is None and b is None:
            continue
        if a is None or b is None:
            one_observer.append(item_id)
            continue
        pair = ItemDisagreement(item_id=item_id, domain=domain, score_a=a, score_b=b)
        common.append(pair)
        differences_by_domain[domain].append(pair.difference)

    kappas: dict[str, float | None] = {"linear": None, "quadratic": None}
    unavailable: KappaUnavailable | None = None
    if not common:
        unavailable = KappaUnavailable.NO_COMMON_ITEMS
    elif len({p.score_a for p in common}) == 1 or len({p.score_b for p in common}) == 1:
        unavailable = KappaUnavailable.SINGLE_SCORE_USED
    else:
        for weighting in kappas:
            kappas[weighting] = weighted_kappa(
                ratings_a=[p.score_a for p in common],
                ratings_b=[p.score_b for p in common],
                weighting=weighting,
            )
    # sorted() is stable, so equal differences keep the instrument's order.
    disagreements = sorted(
        (p for p in common if p.difference > 0), key=lambda p: p.difference, reverse=True
    )
    return Agreement(
        overall=_agreement_rate([p.difference for p in common]),
        by_domain={d: _agreement_rate(diffs) for d, diffs in differences_by_domain.items()},
        kappa_quadratic=kappas["quadratic"],
        kappa_linear=kappas["linear"],
        kappa_unavailable=unavailable,
        disagreements=tuple(disagreements),
        scored_by_one_observer=tuple(one_observer),
    )
