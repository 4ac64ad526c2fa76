"""observations/analysis.py: the ICALT analysis on plain data, no database.

Simulated data use fixed seeds so every run sees the same lessons.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from observations.analysis import (
    DEFAULT_ORDER_SOURCE,
    MIN_ITEMS_FOR_PERSON_FIT,
    Calibration,
    InsufficientDataError,
    ItemExtreme,
    KappaUnavailable,
    NotConvergedError,
    PersonFit,
    ZoneStatus,
    ability_estimate,
    agreement,
    default_difficulties,
    dichotomise,
    dichotomise_matrix,
    dichotomise_scores,
    domain_means,
    is_misfitting,
    person_fit,
    rasch_fit,
    response_matrix,
    weighted_kappa,
    zone_of_proximal_development,
)

TRUE_DIFFICULTIES = np.linspace(-2.5, 2.5, 32)
EIGHT_ITEMS = Calibration(
    source="hand-made test order",
    difficulties={f"item{n}": float(d) for n, d in enumerate(np.linspace(-3, 3, 8), start=1)},
)


def simulate_lessons(*, seed: int, n_lessons: int = 2000) -> tuple[np.ndarray, np.ndarray]:
    """Lessons x 32 items of 0/1 drawn from the Rasch model, and the abilities used."""
    rng = np.random.default_rng(seed)
    abilities = rng.normal(0.0, 1.2, n_lessons)
    p_shown = 1.0 / (1.0 + np.exp(-(abilities[:, None] - TRUE_DIFFICULTIES[None, :])))
    return (rng.random(p_shown.shape) < p_shown).astype(float), abilities


def pattern_of(shown: str) -> dict[str, int | None]:
    """'11110000' → item1..item8 shown/not yet; '.' is not observed."""
    return {f"item{n}": None if mark == "." else int(mark) for n, mark in enumerate(shown, start=1)}


def ids(zone_items) -> list[str]:
    return [item.item_id for item in zone_items]


# --- Dichotomising ----------------------------------------------------------------------------


def test_scores_three_and_four_count_as_shown_one_and_two_as_not_yet():
    assert [dichotomise(score) for score in (1, 2, 3, 4)] == [0, 0, 1, 1]


def test_not_observed_stays_missing_and_never_becomes_not_yet():
    assert dichotomise(None) is None
    assert dichotomise_scores({"a": 4, "b": None, "c": 2}) == {"a": 1, "b": None, "c": 0}
    matrix = dichotomise_matrix([[1, np.nan, 3], [None, 4, 2]])
    np.testing.assert_array_equal(matrix, [[0, np.nan, 1], [np.nan, 1, 0]])


def test_response_matrix_keeps_only_the_chosen_items_in_their_order():
    lessons = [{"i1": 3, "i2": 1, "engagement": 4}, {"i2": None, "i1": 2}]
    matrix = response_matrix(observations=lessons, item_ids=["i2", "i1"])
    np.testing.assert_array_equal(matrix, [[0, 1], [np.nan, 0]])


@pytest.mark.parametrize("score", [0, 5, 2.5, True])
def test_a_score_outside_one_to_four_is_rejected(score):
    with pytest.raises(ValueError, match="1 to 4"):
        dichotomise(score)


def test_a_matrix_score_outside_one_to_four_is_rejected():
    with pytest.raises(ValueError, match="1 to 4"):
        dichotomise_matrix([[1, 5]])


# --- The default order ------------------------------------------------------------------------


def test_default_order_is_evenly_spaced_centred_and_marked_approximate():
    item_ids = [f"icalt-{n}" for n in range(1, 33)]
    calibration = default_difficulties(item_ids)
    values = list(calibration.difficulties.values())

    assert list(calibration.difficulties) == item_ids
    assert calibration.approximate is True
    assert calibration.source == DEFAULT_ORDER_SOURCE
    assert np.allclose(np.diff(values), values[1] - values[0]) and values[1] > values[0]
    assert math.isclose(sum(values), 0.0, abs_tol=1e-12)


def test_default_order_rejects_a_repeated_item():
    with pytest.raises(ValueError, match="only once"):
        default_difficulties(["a", "b", "a"])


# --- Ability ----------------------------------------------------------------------------------


def test_ability_rises_with_every_extra_item_shown_and_stays_finite_at_the_extremes():
    difficulties = list(EIGHT_ITEMS.difficulties.values())
    estimates = [
        ability_estimate(responses=[1] * shown + [0] * (8 - shown), difficulties=difficulties)
        for shown in range(9)
    ]
    thetas = [estimate.theta for estimate in estimates]

    assert all(math.isfinite(theta) for theta in thetas)
    assert all(math.isfinite(estimate.standard_error) for estimate in estimates)
    assert thetas == sorted(thetas) and len(set(thetas)) == 9
    assert estimates[0].extreme and estimates[8].extreme and not estimates[4].extreme
    # Symmetric difficulties: half shown sits at the centre, the extremes mirror each other.
    assert thetas[4] == pytest.approx(0.0, abs=1e-9)
    assert thetas[0] == pytest.approx(-thetas[8])
    # All-shown lies beyond the hardest item but not absurdly far.
    assert 3.0 < thetas[8] < 6.0


def test_ability_depends_on_how_many_items_are_shown_not_which():
    difficulties = list(EIGHT_ITEMS.difficulties.values())
    cumulative = ability_estimate(responses=[1, 1, 1, 0, 0, 0, 0, 0], difficulties=difficulties)
    scattered = ability_estimate(responses=[0, 1, 0, 0, 1, 0, 0, 1], difficulties=difficulties)

    assert scattered.theta == pytest.approx(cumulative.theta)


def test_a_single_scored_item_gives_a_finite_ability_either_side_of_its_difficulty():
    shown = ability_estimate(responses=[1, None, None], difficulties=[0.5, -1.0, 2.0])
    not_yet = ability_estimate(responses=[0, None, None], difficulties=[0.5, -1.0, 2.0])

    # With one item the WLE equation solves to P(shown) = 3/4 or 1/4: θ = b ± ln 3.
    assert shown.theta == pytest.approx(0.5 + math.log(3))
    assert not_yet.theta == pytest.approx(0.5 - math.log(3))
    assert shown.n_scored == not_yet.n_scored == 1


def test_not_observed_items_do_not_count_as_not_shown():
    difficulties = [-1.0, 0.0, 1.0, 2.0]
    with_gap = ability_estimate(responses=[1, 1, None, None], difficulties=difficulties)
    with_zeros = ability_estimate(responses=[1, 1, 0, 0], difficulties=difficulties)

    assert with_gap.n_scored == 2
    assert with_gap.theta > with_zeros.theta


def test_a_lesson_without_scored_items_has_no_ability():
    with pytest.raises(ValueError, match="no scored items"):
        ability_estimate(responses=[None, np.nan], difficulties=[0.0, 1.0])
    with pytest.raises(ValueError, match="no scored items"):
        ability_estimate(responses=[], difficulties=[])


@settings(max_examples=60, deadline=None)
@given(
    difficulties=st.lists(
        st.floats(min_value=-4, max_value=4, allow_nan=False), min_size=1, max_size=32
    ),
    data=st.data(),
)
def test_showing_one_more_item_never_lowers_the_ability(difficulties, data):
    pattern = data.draw(
        st.lists(
            st.sampled_from([0, 1, None]), min_size=len(difficulties), max_size=len(difficulties)
        )
    )
    not_yet = [i for i, value in enumerate(pattern) if value == 0]
    if not not_yet:
        return
    improved = list(pattern)
    improved[data.draw(st.sampled_from(not_yet))] = 1

    before = ability_estimate(responses=pattern, difficulties=difficulties)
    after = ability_estimate(responses=improved, difficulties=difficulties)

    assert math.isfinite(before.theta) and math.isfinite(after.theta)
    assert after.theta > before.theta


# --- Person fit -------------------------------------------------------------------------------


def fit_of(pattern: list[int]) -> PersonFit:
    difficulties = list(EIGHT_ITEMS.difficulties.values())
    theta = ability_estimate(responses=pattern, difficulties=difficulties).theta
    return person_fit(responses=pattern, difficulties=difficulties, theta=theta)


def test_a_pattern_that_follows_the_cumulative_order_fits():
    fit = fit_of([1, 1, 1, 1, 0, 0, 0, 0])

    assert fit.outfit_msq < 1.0 and fit.infit_msq < 1.0
    assert not is_misfitting(fit)


def test_a_pattern_against_the_cumulative_order_is_flagged():
    # The hard half shown, the easy half not: the reverse of the order.
    fit = fit_of([0, 0, 0, 0, 1, 1, 1, 1])

    assert fit.outfit_msq > 5.0 and fit.outfit_zstd > 2.0
    assert is_misfitting(fit)


def test_too_few_scored_items_are_never_flagged():
    difficulties = [-3.0, -1.0, 1.0, 3.0]
    fit = person_fit(responses=[0, 0, 1, 1], difficulties=difficulties, theta=0.0)

    assert fit.n_items < MIN_ITEMS_FOR_PERSON_FIT
    assert fit.outfit_msq > 2.0
    assert not is_misfitting(fit)


def test_lessons_that_follow_the_model_are_rarely_flagged():
    lessons, abilities = simulate_lessons(seed=11, n_lessons=600)
    flagged = [
        is_misfitting(
            person_fit(responses=lesson, difficulties=TRUE_DIFFICULTIES, theta=float(theta))
        )
        for lesson, theta in zip(lessons, abilities, strict=True)
    ]

    assert np.mean(flagged) < 0.06


# --- Zone of proximal development --------------------------------------------------------------


def test_teacher_showing_the_easy_half_gets_the_next_three_items_as_focus():
    zone = zone_of_proximal_development(pattern=pattern_of("11110000"), calibration=EIGHT_ITEMS)

    assert zone.status == ZoneStatus.FOCUS_FOUND
    assert ids(zone.focus) == ["item5", "item6", "item7"]
    assert [item.difficulty for item in zone.focus] == sorted(
        item.difficulty for item in zone.focus
    )
    assert all(item.probability_shown < 0.5 for item in zone.focus)
    assert zone.focus[0].probability_shown == pytest.approx(0.39, abs=0.01)
    assert not zone.misfitting


def test_focus_size_can_be_chosen():
    zone = zone_of_proximal_development(
        pattern=pattern_of("11110000"), calibration=EIGHT_ITEMS, size=2
    )

    assert ids(zone.focus) == ["item5", "item6"]


def test_teacher_showing_everything_gets_no_focus_and_status_all_shown():
    zone = zone_of_proximal_development(pattern=pattern_of("11111111"), calibration=EIGHT_ITEMS)

    assert zone.status == ZoneStatus.ALL_SHOWN
    assert zone.focus == ()
    assert zone.ability.theta > max(EIGHT_ITEMS.difficulties.values())


def test_teacher_showing_nothing_gets_the_easiest_items_as_focus():
    zone = zone_of_proximal_development(pattern=pattern_of("00000000"), calibration=EIGHT_ITEMS)

    assert zone.status == ZoneStatus.FOCUS_FOUND
    assert ids(zone.focus) == ["item1", "item2", "item3"]


def test_not_observed_items_are_never_a_focus_but_are_suggested_to_observe_in_the_zone():
    zone = zone_of_proximal_development(pattern=pattern_of("1111.000"), calibration=EIGHT_ITEMS)

    assert "item5" not in ids(zone.focus)
    assert ids(zone.focus) == ["item6", "item7", "item8"]
    assert ids(zone.to_observe) == ["item5"]


def test_not_observed_items_far_from_the_zone_are_not_suggested():
    zone = zone_of_proximal_development(pattern=pattern_of("1111000."), calibration=EIGHT_ITEMS)

    assert zone.to_observe == ()


def test_a_lesson_against_the_order_is_flagged_in_the_zone_result():
    zone = zone_of_proximal_development(pattern=pattern_of("00001111"), calibration=EIGHT_ITEMS)

    assert zone.misfitting
    assert zone.fit.outfit_msq > 2.0


def test_a_lesson_without_scored_items_has_no_zone():
    zone = zone_of_proximal_development(pattern=pattern_of("........"), calibration=EIGHT_ITEMS)

    assert zone.status == ZoneStatus.NO_SCORED_ITEMS
    assert zone.ability is None and zone.focus == () and not zone.misfitting


def test_the_zone_names_the_calibration_it_used():
    calibration = default_difficulties(list(EIGHT_ITEMS.difficulties))
    zone = zone_of_proximal_development(pattern=pattern_of("11110000"), calibration=calibration)

    assert zone.calibration_source == DEFAULT_ORDER_SOURCE
    assert zone.calibration_approximate is True


def test_scored_items_without_a_difficulty_are_listed_not_used():
    pattern = pattern_of("11110000") | {"engagement": 1, "unscored": None}
    zone = zone_of_proximal_development(pattern=pattern, calibration=EIGHT_ITEMS)

    assert zone.uncalibrated_items == ("engagement",)
    assert zone.ability.n_scored == 8


def test_a_pattern_holding_raw_scores_is_rejected():
    with pytest.raises(ValueError, match="0, 1 or None"):
        zone_of_proximal_development(pattern={"item1": 3}, calibration=EIGHT_ITEMS)


# --- Rasch calibration ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def simulated():
    return simulate_lessons(seed=20240611)


def assert_recovers(lessons: np.ndarray, abilities: np.ndarray) -> None:
    fit = rasch_fit(responses=lessons)
    difficulties = np.array([item.difficulty for item in fit.items])

    assert np.corrcoef(difficulties, TRUE_DIFFICULTIES)[0, 1] >= 0.98
    # The (L-1)/L correction keeps the scale: the fitted spread matches the true one.
    assert np.polyfit(TRUE_DIFFICULTIES, difficulties, 1)[0] == pytest.approx(1.0, abs=0.025)
    assert difficulties.mean() == pytest.approx(0.0, abs=1e-9)

    estimated, true = [], []
    for lesson, theta in zip(lessons, abilities, strict=True):
        estimate = ability_estimate(responses=lesson, difficulties=difficulties)
        if not estimate.extreme:
            estimated.append(estimate.theta)
            true.append(theta)
    assert np.corrcoef(estimated, true)[0, 1] >= 0.9


def test_rasch_recovers_known_difficulties_and_abilities(simulated):
    lessons, abilities = simulated

    assert_recovers(lessons, abilities)


def test_rasch_recovers_known_parameters_with_ten_percent_missing(simulated):
    lessons, abilities = simulated
    rng = np.random.default_rng(5)
    with_gaps = np.where(rng.random(lessons.shape) < 0.1, np.nan, lessons)

    assert_recovers(with_gaps, abilities)


def test_items_following_the_model_have_mean_squares_near_one(simulated):
    fit = rasch_fit(responses=simulated[0])

    assert all(0.8 < item.infit_msq < 1.2 for item in fit.items)
    assert all(0.7 < item.outfit_msq < 1.4 for item in fit.items)
    assert all(0.0 < item.standard_error < 0.2 for item in fit.items)


def test_an_item_unrelated_to_ability_shows_misfit(simulated):
    lessons = simulated[0].copy()
    lessons[:, 15] = np.random.default_rng(3).random(len(lessons)) < 0.5

    fit = rasch_fit(responses=lessons)

    assert fit.items[15].infit_msq > 1.2
    assert fit.items[15].infit_msq == max(item.infit_msq for item in fit.items)


def test_items_everyone_or_no_one_shows_are_reported_without_a_difficulty(simulated):
    lessons = np.column_stack(
        [simulated[0][:300], np.ones(300), np.zeros(300), np.full(300, np.nan)]
    )
    item_ids = [f"i{n}" for n in range(32)] + ["always", "never", "unscored"]

    fit = rasch_fit(responses=lessons, item_ids=item_ids)
    by_id = {item.item_id: item for item in fit.items}

    assert by_id["always"].extreme == ItemExtreme.ALL_SHOWN
    assert by_id["never"].extreme == ItemExtreme.NONE_SHOWN
    assert by_id["unscored"].extreme == ItemExtreme.NO_RESPONSES
    assert by_id["always"].difficulty is None and by_id["always"].n_shown == 300
    assert set(fit.difficulties) == {f"i{n}" for n in range(32)}
    assert np.corrcoef(list(fit.difficulties.values()), TRUE_DIFFICULTIES)[0, 1] >= 0.95


def test_extreme_lessons_are_left_out_of_the_estimation_but_get_a_finite_ability(simulated):
    lessons = simulated[0][:300].copy()
    lessons[0] = 1.0
    lessons[1] = 0.0
    lessons[2] = np.nan

    fit = rasch_fit(responses=lessons)
    top, bottom = fit.abilities[0], fit.abilities[1]
    others = [a.theta for a in fit.abilities[3:] if not a.extreme]

    assert fit.n_observations == 299
    assert fit.n_persons_used == 299 - fit.n_extreme_persons
    assert fit.abilities[2] is None
    assert math.isfinite(top.theta) and math.isfinite(bottom.theta)
    assert bottom.theta < min(others) and top.theta > max(others)


def test_fitted_abilities_are_the_ability_estimates_on_the_fitted_difficulties(simulated):
    lessons = simulated[0][:300]
    fit = rasch_fit(responses=lessons)
    difficulties = [item.difficulty for item in fit.items]

    for row in (0, 1, 2):
        expected = ability_estimate(responses=lessons[row], difficulties=difficulties)
        assert fit.abilities[row].theta == pytest.approx(expected.theta)


def test_rasch_fit_with_too_few_observations_raises_a_clear_error(simulated):
    with pytest.raises(InsufficientDataError, match="at least 100 observed lessons; there are 99"):
        rasch_fit(responses=simulated[0][:99])


def test_the_minimum_number_of_observations_can_be_lowered(simulated):
    fit = rasch_fit(responses=simulated[0][:60], min_observations=50)

    assert fit.n_observations == 60


def test_data_with_only_extreme_lessons_cannot_be_calibrated():
    guttman = np.vstack([np.ones((60, 5)), np.zeros((60, 5))])

    with pytest.raises(InsufficientDataError, match="at least two of each"):
        rasch_fit(responses=guttman)


def test_a_fit_that_does_not_settle_raises(simulated):
    with pytest.raises(NotConvergedError, match="did not converge in 2 iterations"):
        rasch_fit(responses=simulated[0], max_iterations=2)


def test_a_fit_becomes_a_calibration_for_the_zone(simulated):
    item_ids = [f"i{n}" for n in range(32)]
    fit = rasch_fit(responses=simulated[0], item_ids=item_ids)
    calibration = fit.calibration(source="own observations, 2,000 lessons")
    easy_half = {item_id: int(n < 16) for n, item_id in enumerate(item_ids)}

    zone = zone_of_proximal_development(pattern=easy_half, calibration=calibration)

    assert not calibration.approximate
    assert ids(zone.focus) == ["i16", "i17", "i18"]
    assert zone.calibration_source == "own observations, 2,000 lessons"


# --- Domain scores ----------------------------------------------------------------------------

DOMAINS = {
    "c1": "climate",
    "c2": "climate",
    "c3": "climate",
    "m1": "management",
    "m2": "management",
    "e1": "engagement",
    "e2": "engagement",
}


def test_domain_means_leave_out_not_observed_items_and_count_them():
    scores = {"c1": 4, "c2": None, "c3": 3, "m1": 2, "m2": 1, "e1": 4}

    result = domain_means(
        scores=scores, domain_of_item=DOMAINS, engagement_domains=frozenset({"engagement"})
    )

    climate = result.by_domain["climate"]
    assert (climate.mean, climate.n_scored, climate.n_not_observed) == (3.5, 2, 1)
    assert result.by_domain["management"].mean == 1.5
    engagement = result.by_domain["engagement"]
    assert (engagement.mean, engagement.n_not_observed) == (4.0, 1)
    assert list(result.by_domain) == ["climate", "management", "engagement"]


def test_overall_teaching_mean_pools_the_scored_items_and_leaves_out_engagement():
    scores = {"c1": 4, "c2": None, "c3": 3, "m1": 2, "m2": 1, "e1": 4, "e2": 4}

    result = domain_means(
        scores=scores, domain_of_item=DOMAINS, engagement_domains=frozenset({"engagement"})
    )

    # (4 + 3 + 2 + 1) / 4, not the mean of the domain means (3.5 + 1.5) / 2.
    assert result.teaching.mean == 2.5
    assert (result.teaching.n_scored, result.teaching.n_not_observed) == (4, 1)


def test_a_domain_with_nothing_scored_has_no_mean():
    result = domain_means(scores={"c1": 3}, domain_of_item=DOMAINS)

    assert result.by_domain["management"].mean is None
    assert result.by_domain["management"].n_not_observed == 2
    assert result.teaching.n_scored == 1


def test_domain_means_reject_scores_for_unknown_items_and_impossible_scores():
    with pytest.raises(ValueError, match="outside the instrument"):
        domain_means(scores={"x9": 3}, domain_of_item=DOMAINS)
    with pytest.raises(ValueError, match="1 to 4"):
        domain_means(scores={"c1": 7}, domain_of_item=DOMAINS)


# --- Inter-rater agreement --------------------------------------------------------------------

TWO_DOMAINS = {f"k{n}": "climate" for n in range(1, 5)} | {
    f"k{n}": "instruction" for n in range(5, 13)
}
# Items k1-k10 are scored by both; k11 only by observer A; k12 by nobody.
OBSERVER_A = {"k1": 3, "k2": 4, "k3": 2, "k4": 3, "k5": 1, "k6": 2, "k7": 4, "k8": 3, "k9": 2,
              "k10": 3, "k11": 3, "k12": None}  # fmt: skip
OBSERVER_B = {"k1": 3, "k2": 4, "k3": 3, "k4": 3, "k5": 2, "k6": 2, "k7": 3, "k8": 1, "k9": 2,
              "k10": 4, "k11": None}  # fmt: skip


def test_agreement_matches_the_hand_computation():
    # |a - b| on k1..k10: 0 0 1 0 1 0 1 2 0 1 → exact 5/10, adjacent 9/10.
    # Confusion matrix (rows A = 1..4, columns B = 1..4):
    #   A1: . 1 . .     A2: . 2 1 .     A3: 1 . 2 1     A4: . . 1 1
    # Margins are the same for both observers: (1, 3, 4, 2) out of 10.
    # Products of margins by distance |i - j|: d0 1+9+16+4 = 30, d1 2(3 + 12 + 8) = 46,
    # d2 2(4 + 6) = 20, d3 2·2 = 4 (total 100).
    # Linear weights 1, 2/3, 1/3, 0:
    #   p_o = (5 + 4·2/3 + 1·1/3) / 10 = 0.8
    #   p_e = (30 + 46·2/3 + 20·1/3) / 100 = 202/300
    #   κ = (240/300 - 202/300) / (98/300) = 38/98 = 19/49
    # Quadratic weights 1, 8/9, 5/9, 0:
    #   p_o = (5 + 4·8/9 + 1·5/9) / 10 = 41/45
    #   p_e = (30 + 46·8/9 + 20·5/9) / 100 = 0.82 = 41/50
    #   κ = (41/45 - 41/50) / (9/50) = 41/81
    result = agreement(scores_a=OBSERVER_A, scores_b=OBSERVER_B, domain_of_item=TWO_DOMAINS)

    assert result.overall.n_items == 10
    assert result.overall.exact == pytest.approx(0.5, abs=1e-9)
    assert result.overall.adjacent == pytest.approx(0.9, abs=1e-9)
    assert result.kappa_linear == pytest.approx(19 / 49, abs=1e-9)
    assert result.kappa_quadratic == pytest.approx(41 / 81, abs=1e-9)
    assert result.kappa == result.kappa_quadratic
    assert result.kappa_unavailable is None


def test_agreement_per_domain():
    result = agreement(scores_a=OBSERVER_A, scores_b=OBSERVER_B, domain_of_item=TWO_DOMAINS)

    # climate k1-k4: differences 0 0 1 0; instruction k5-k10: 1 0 1 2 0 1.
    climate, instruction = result.by_domain["climate"], result.by_domain["instruction"]
    assert (climate.n_items, climate.exact, climate.adjacent) == (4, 0.75, 1.0)
    assert instruction.n_items == 6
    assert instruction.exact == pytest.approx(2 / 6, abs=1e-9)
    assert instruction.adjacent == pytest.approx(5 / 6, abs=1e-9)


def test_disagreements_are_listed_largest_first_then_in_instrument_order():
    result = agreement(scores_a=OBSERVER_A, scores_b=OBSERVER_B, domain_of_item=TWO_DOMAINS)

    assert [(d.item_id, d.difference) for d in result.disagreements] == [
        ("k8", 2),
        ("k3", 1),
        ("k5", 1),
        ("k7", 1),
        ("k10", 1),
    ]
    assert (result.disagreements[0].score_a, result.disagreements[0].score_b) == (3, 1)


def test_items_scored_by_only_one_observer_are_listed_but_do_not_count():
    result = agreement(scores_a=OBSERVER_A, scores_b=OBSERVER_B, domain_of_item=TWO_DOMAINS)

    assert result.scored_by_one_observer == ("k11",)
    assert result.overall.n_items == 10


def test_no_common_items_gives_no_figures_and_says_why():
    result = agreement(
        scores_a={"k1": 3, "k2": None}, scores_b={"k2": 4}, domain_of_item=TWO_DOMAINS
    )

    assert result.overall.n_items == 0
    assert result.overall.exact is None and result.overall.adjacent is None
    assert result.kappa is None and result.kappa_linear is None
    assert result.kappa_unavailable == KappaUnavailable.NO_COMMON_ITEMS
    assert result.by_domain["climate"].exact is None


def test_both_observers_on_one_and_the_same_score_give_no_kappa():
    same = {f"k{n}": 3 for n in range(1, 11)}

    result = agreement(scores_a=same, scores_b=same, domain_of_item=TWO_DOMAINS)

    assert result.overall.exact == 1.0
    assert result.kappa is None and result.kappa_linear is None
    assert result.kappa_unavailable == KappaUnavailable.SINGLE_SCORE_USED
    assert weighted_kappa(ratings_a=[3] * 10, ratings_b=[3] * 10, weighting="quadratic") is None


def test_one_observer_on_a_single_score_gives_no_kappa_instead_of_a_misleading_zero():
    constant = {f"k{n}": 3 for n in range(1, 11)}
    varied = constant | {"k4": 4}

    result = agreement(scores_a=constant, scores_b=varied, domain_of_item=TWO_DOMAINS)

    assert result.overall.exact == 0.9
    assert weighted_kappa(
        ratings_a=list(constant.values()), ratings_b=list(varied.values()), weighting="quadratic"
    ) == pytest.approx(0.0, abs=1e-12)
    assert result.kappa is None
    assert result.kappa_unavailable == KappaUnavailable.SINGLE_SCORE_USED


def test_identical_varied_scores_give_kappa_one():
    result = agreement(scores_a=OBSERVER_A, scores_b=OBSERVER_A, domain_of_item=TWO_DOMAINS)

    assert result.kappa_quadratic == pytest.approx(1.0)
    assert result.kappa_linear == pytest.approx(1.0)
    assert result.disagreements == ()


def test_agreement_rejects_items_outside_the_instrument():
    with pytest.raises(ValueError, match="outside the instrument"):
        agreement(scores_a={"zz": 3}, scores_b={}, domain_of_item=TWO_DOMAINS)
