"""observations/insights.py: from stored observations to the analysis inputs and back.

The helpers here build final observations straight in the database (scores in bulk), and the
page and calibration tests use them too.
"""

import datetime

import pytest
from django.utils import timezone, translation

from observations import analysis, insights
from observations.models import (
    Calibration,
    CalibrationKind,
    ItemDifficulty,
    ItemScore,
    Observation,
    ObservationStatus,
)
from tests.factories import LessonVisitFactory, ObservationFactory, icalt

pytestmark = pytest.mark.django_db

ENGAGEMENT = (33, 34, 35)


def teaching_numbers() -> list[int]:
    """The 32 teaching items by number, in the default order (domain 1 to 6, form order)."""
    return list(
        icalt()
        .items.filter(domain__is_teaching=True)
        .order_by("domain__number", "number")
        .values_list("number", flat=True)
    )


def first_shown(count: int, *, shown: int = 3, not_yet: int = 2) -> dict[int, int]:
    """Scores of a lesson that shows the `count` easiest items of the default order."""
    scores = {
        number: shown if index < count else not_yet
        for index, number in enumerate(teaching_numbers())
    }
    return scores | dict.fromkeys(ENGAGEMENT, 3)


def final_observation(
    visit, scores: dict[int, int | None], *, observer=None, notes: dict[int, str] | None = None
) -> Observation:
    """A final observation of `visit` with these scores by item number (None: not observed)."""
    observation = ObservationFactory(
        visit=visit,
        observer=observer or visit.trajectory.begeleider,
        status=ObservationStatus.FINAL,
        finalised_at=timezone.now(),
    )
    items = {item.number: item for item in icalt().items.all()}
    ItemScore.objects.bulk_create(
        ItemScore(
            observation=observation,
            item=items[number],
            score=score,
            not_observed=score is None,
            note=(notes or {}).get(number, ""),
        )
        for number, score in scores.items()
    )
    return observation


def visit_on(trajectory, day: int, **kwargs):
    """A held visit `day` days into the school year."""
    starts_at = datetime.datetime(2026, 9, 1, 9, 0, tzinfo=datetime.UTC) + datetime.timedelta(
        days=day
    )
    return LessonVisitFactory(trajectory=trajectory, starts_at=starts_at, status="held", **kwargs)


def numbers(focus_items) -> list[int]:
    return [entry.item.number for entry in focus_items]


def test_domain_means_from_stored_scores_equal_the_hand_computed_ones(world):
    scores = dict.fromkeys(teaching_numbers(), 3)
    scores |= {1: 4, 2: 3, 3: None, 4: 2}  # domain 1: (4 + 3 + 2) / 3, one not observed
    scores |= {5: 1, 6: 2, 7: 1, 8: 2}  # domain 2: 1.5
    scores |= {33: 2, 34: 3, 35: None}  # learner engagement: 2.5, apart from teaching
    visit = visit_on(world.opleiden, 10)
    final_observation(visit, scores)

    result = insights.trajectory_analysis_for(world.people["opleider"], world.opleiden)
    profile = result.latest.profile

    by_number = {row.domain.number: row.mean for row in profile.teaching}
    assert by_number[1] == analysis.DomainMean(mean=3.0, n_scored=3, n_not_observed=1)
    assert by_number[2] == analysis.DomainMean(mean=1.5, n_scored=4, n_not_observed=0)
    assert by_number[3].mean == 3.0
    (engagement,) = profile.engagement
    assert engagement.mean == analysis.DomainMean(mean=2.5, n_scored=2, n_not_observed=1)
    # 31 scored teaching items: 4 + 3 + 2 + 1 + 2 + 1 + 2 and 24 threes.
    assert profile.overall.mean == pytest.approx((9 + 6 + 24 * 3) / 31)
    assert profile.overall.n_not_observed == 1


def test_growth_follows_the_visit_dates_not_the_order_of_finalising(world):
    later = final_observation(visit_on(world.opleiden, 40), first_shown(20))
    earlier = final_observation(visit_on(world.opleiden, 5), first_shown(4))
    middle = final_observation(visit_on(world.opleiden, 20), first_shown(12))

    growth = insights.trajectory_analysis_for(world.people["student_teacher"], world.opleiden)

    assert [point.lesson.observation for point in growth.growth] == [earlier, middle, later]
    overall = [point.profile.overall.mean for point in growth.growth]
    assert overall == sorted(overall)
    assert growth.focus.lesson.observation == later


def test_a_visit_observed_twice_counts_once_with_the_begeleiders_observation(world, schoolopleider):
    visit = visit_on(world.opleiden, 3)
    final_observation(visit, first_shown(30), observer=schoolopleider)
    own = final_observation(visit, first_shown(10))

    result = insights.trajectory_analysis_for(world.people["student_teacher"], world.opleiden)

    assert [point.lesson.observation for point in result.growth] == [own]


def test_drafts_are_left_out_of_the_analysis(world):
    final = final_observation(visit_on(world.opleiden, 3), first_shown(10))
    draft = ObservationFactory(visit=visit_on(world.opleiden, 9))
    ItemScore.objects.create(observation=draft, item=icalt().items.get(number=1), score=1)

    result = insights.trajectory_analysis_for(world.people["opleider"], world.opleiden)

    assert [point.lesson.observation for point in result.growth] == [final]


def test_nothing_final_gives_an_empty_analysis(world):
    ObservationFactory(visit=visit_on(world.opleiden, 3))

    result = insights.trajectory_analysis_for(world.people["opleider"], world.opleiden)

    assert result.growth == () and result.focus is None


def test_zone_with_the_default_order_suggests_the_next_items_not_yet_shown(world):
    # The twelve easiest items of the default order shown (domains 1 to 3, up to item 12),
    # the rest not yet: the next step is the first items after them, 13, 14 and 15.
    final_observation(visit_on(world.opleiden, 3), first_shown(12))

    focus = insights.trajectory_analysis_for(world.people["opleider"], world.opleiden).focus

    assert focus.status == analysis.ZoneStatus.FOCUS_FOUND
    assert numbers(focus.focus) == [13, 14, 15]
    assert not focus.misfitting
    assert numbers(focus.usable_focus) == [13, 14, 15]
    assert focus.calibration.record is None
    assert all(0.2 < entry.probability_shown < 0.5 for entry in focus.focus)


def test_not_observed_items_are_suggested_to_look_for_not_as_focus(world):
    scores = first_shown(12) | {13: None}
    final_observation(visit_on(world.opleiden, 3), scores)

    focus = insights.trajectory_analysis_for(world.people["opleider"], world.opleiden).focus

    assert 13 not in numbers(focus.focus)
    assert numbers(focus.to_observe) == [13]


def test_a_lesson_against_the_order_is_flagged_and_its_focus_not_used(world):
    # Domains 5 and 6 (the hardest) shown, domains 1 to 3 (the easiest) not: a Guttman violation.
    scores = {number: (3 if number >= 23 else 1) for number in teaching_numbers()}
    final_observation(visit_on(world.opleiden, 3), scores)

    focus = insights.trajectory_analysis_for(world.people["opleider"], world.opleiden).focus

    assert focus.misfitting
    assert focus.focus  # computed, and shown as flagged
    assert focus.usable_focus == ()
    assert insights.suggested_focus_items_for(world.people["opleider"], world.opleiden) == []


def test_suggested_focus_items_are_the_items_of_the_latest_lesson(world):
    final_observation(visit_on(world.opleiden, 3), first_shown(4))
    final_observation(visit_on(world.opleiden, 30), first_shown(12))

    items = insights.suggested_focus_items_for(world.people["opleider"], world.opleiden)

    assert [item.number for item in items] == [13, 14, 15]


def test_no_suggested_focus_for_someone_who_may_not_read_the_trajectory(world):
    final_observation(visit_on(world.opleiden, 3), first_shown(12))

    assert insights.suggested_focus_items_for(world.people["coordinator"], world.opleiden) == []


@pytest.mark.parametrize(
    "probability, words",
    [
        (0.1, "rarely"),
        (0.3, "less than half the time"),
        (0.5, "about half the time"),
        (0.7, "more often than not"),
        (0.95, "almost always"),
    ],
)
def test_probability_in_plain_words(probability, words):
    with translation.override("en"):
        assert words in insights.probability_in_words(probability)


def store_calibration(kind: str, *, source: str, count: int = 0, reverse: bool = False):
    record = Calibration.objects.create(
        instrument=icalt(), kind=kind, source=source, observation_count=count
    )
    items = list(icalt().items.filter(domain__is_teaching=True).order_by("number"))
    step = -0.1 if reverse else 0.1
    ItemDifficulty.objects.bulk_create(
        ItemDifficulty(calibration=record, item=item, difficulty=step * index)
        for index, item in enumerate(items)
    )
    return record


def calibration_in_use() -> insights.CalibrationInUse:
    return insights.current_calibration(insights.instrument_layout(icalt()))


def test_calibration_label_names_the_approximate_default_order():
    with translation.override("en"):
        label = calibration_in_use().label
    assert label == "the approximate default order (domain 1 to 6, item by item)"


def test_calibration_label_names_a_published_tables_source():
    store_calibration(CalibrationKind.PUBLISHED, source="Van der Lans et al. (2018), table 2")
    with translation.override("en"):
        label = calibration_in_use().label
    assert label == "the published table: Van der Lans et al. (2018), table 2"


def test_calibration_label_names_the_number_of_observations_and_the_date():
    record = store_calibration(CalibrationKind.ESTIMATED, source="Rasch fit", count=412)
    Calibration.objects.filter(pk=record.pk).update(
        created_at=datetime.datetime(2027, 3, 14, 12, 0, tzinfo=datetime.UTC)
    )
    with translation.override("en"):
        label = calibration_in_use().label
    assert label == "estimated from 412 observations in this installation on 14 March 2027"
    with translation.override("nl"):
        assert "14 maart 2027" in calibration_in_use().label


def test_the_newest_calibration_is_used_whatever_its_kind():
    store_calibration(CalibrationKind.ESTIMATED, source="older estimate", count=300)
    newest = store_calibration(CalibrationKind.PUBLISHED, source="newer table", reverse=True)

    in_use = calibration_in_use()

    assert in_use.record == newest
    assert in_use.calibration.source == "newer table"
    difficulties = in_use.calibration.difficulties
    item_1, item_32 = (icalt().items.get(number=n).pk for n in (1, 32))
    assert difficulties[item_1] > difficulties[item_32]  # the reversed order is really used


def test_a_stored_calibration_changes_the_suggested_focus(world):
    # With the order reversed, item 32 is the easiest: showing only the last twelve items of
    # the default order is then showing the twelve easiest.
    store_calibration(CalibrationKind.PUBLISHED, source="reversed", reverse=True)
    scores = {number: (3 if number > 20 else 2) for number in teaching_numbers()}
    final_observation(visit_on(world.opleiden, 3), scores)

    focus = insights.trajectory_analysis_for(world.people["opleider"], world.opleiden).focus

    assert not focus.misfitting
    assert numbers(focus.focus) == [20, 19, 18]  # easiest first, in the reversed order
