"""Lesson visits and observations: their lifecycles, the rules on scores, and who sees what."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from mentoring.access import can, observations_visible_to, visits_visible_to
from mentoring.models import AuditEntry
from mentoring.versioning import StaleVersion
from observations import services
from observations.models import (
    Instrument,
    ItemScore,
    KeyMoment,
    ObservationStatus,
    VisitStatus,
)
from tests.factories import LessonVisitFactory, ObservationFactory, icalt

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    """The services' messages are matched in English, whatever the catalogue says."""
    with translation.override("en"):
        yield


@pytest.fixture
def visit(world):
    return LessonVisitFactory(trajectory=world.opleiden)


@pytest.fixture
def observation(visit, world):
    return services.observation_start(
        actor=world.people["opleider"], visit=visit, instrument=icalt()
    )


def teaching_items():
    return list(icalt().items.filter(domain__is_teaching=True).order_by("number"))


def snapshot(observation):
    return (
        sorted(ItemScore.objects.filter(observation=observation).values_list()),
        KeyMoment.objects.filter(observation=observation).count(),
        type(observation).objects.get(pk=observation.pk).version,
    )


def apply(observation, world, changes, version=None):
    return services.observation_apply(
        actor=world.people["opleider"],
        observation=observation,
        version=observation.version if version is None else version,
        changes=changes,
    )


# --- Visits -------------------------------------------------------------------------------------


def test_begeleider_plans_moves_and_marks_a_visit_held(world):
    opleider = world.people["opleider"]
    visit = services.visit_plan(
        actor=opleider,
        trajectory=world.opleiden,
        starts_at=timezone.now() + datetime.timedelta(days=7),
        class_name="3H",
        subject="wiskunde",
        focus_items=teaching_items()[8:10],
    )
    assert visit.focus_items.count() == 2
    later = visit.starts_at + datetime.timedelta(days=1)
    services.visit_reschedule(actor=opleider, visit=visit, starts_at=later)
    visit = services.visit_mark_held(actor=opleider, visit=visit)
    assert (visit.status, visit.starts_at) == (VisitStatus.HELD, later)
    with pytest.raises(ValidationError):
        services.visit_cancel(actor=opleider, visit=visit)
    with pytest.raises(ValidationError):
        services.visit_reschedule(actor=opleider, visit=visit, starts_at=later)


def test_only_the_begeleider_or_in_coaching_the_coachee_plans_visits(world):
    when = timezone.now() + datetime.timedelta(days=2)
    for persona in ("coordinator", "student_teacher", "school_leader", "coach"):
        with pytest.raises(PermissionDenied):
            services.visit_plan(
                actor=world.people[persona], trajectory=world.opleiden, starts_at=when
            )
    visit = services.visit_plan(
        actor=world.people["coachee"], trajectory=world.coaching, starts_at=when
    )
    assert visit.planned_by == world.people["coachee"]


def test_no_visits_in_an_ended_trajectory(world):
    world.opleiden.status, world.opleiden.ends_on = "ended", world.opleiden.starts_on
    world.opleiden.save()
    with pytest.raises(ValidationError):
        services.visit_plan(
            actor=world.people["opleider"], trajectory=world.opleiden, starts_at=timezone.now()
        )


# --- Scores: bad input is a clear error and writes nothing ------------------------------------


@pytest.mark.parametrize("score", [0, 5, "abc", "3.5", -1, 10**9])
def test_a_score_outside_the_scale_is_refused(observation, world, score):
    before = snapshot(observation)
    item = teaching_items()[0]
    with pytest.raises(ValidationError, match="1, 2, 3, 4"):
        apply(
            observation,
            world,
            [
                {"type": "score", "item": item.pk, "score": 2},
                {"type": "score", "item": item.pk, "score": score},
            ],
        )
    assert snapshot(observation) == before


def test_an_item_of_another_instrument_is_refused(observation, world):
    other = Instrument.objects.create(
        key="kijkwijzer", version="1", name_nl="Kijkwijzer", source="School"
    )
    domain = other.domains.create(number=1, name_nl="Sfeer")
    foreign = other.items.create(domain=domain, number=1, text_nl="Begroet de leerlingen")
    before = snapshot(observation)
    for item in (foreign.pk, "abc", None, 10**12):
        with pytest.raises(ValidationError, match="not part of"):
            apply(observation, world, [{"type": "score", "item": item, "score": 3}])
    assert snapshot(observation) == before


def test_a_stale_version_is_a_conflict_and_writes_nothing(observation, world):
    item_a, item_b = teaching_items()[:2]
    opened_at = observation.version
    saved = apply(observation, world, [{"type": "score", "item": item_a.pk, "score": 3}])
    assert saved.version == opened_at + 1
    before = snapshot(observation)
    with pytest.raises(StaleVersion) as conflict:
        apply(
            observation,
            world,
            [{"type": "score", "item": item_b.pk, "score": 1}],
            version=opened_at,
        )
    assert conflict.value.current.version == saved.version
    assert snapshot(observation) == before


def test_a_finalised_observation_cannot_be_edited(observation, world):
    changes = [{"type": "score", "item": item.pk, "score": 3} for item in teaching_items()]
    observation = apply(observation, world, changes)
    observation = services.observation_finalise(
        actor=world.people["opleider"], observation=observation, version=observation.version
    )
    before = snapshot(observation)
    with pytest.raises(PermissionDenied):
        apply(observation, world, [{"type": "score", "item": teaching_items()[0].pk, "score": 1}])
    assert snapshot(observation) == before


def test_someone_elses_observation_cannot_be_edited(observation, world, schoolopleider):
    with pytest.raises(PermissionDenied):
        services.observation_apply(
            actor=schoolopleider, observation=observation, version=observation.version, changes=[]
        )


def test_a_note_that_is_too_long_is_refused_not_cut_off(observation, world):
    item = teaching_items()[0]
    with pytest.raises(ValidationError, match="2,000"):
        apply(observation, world, [{"type": "score", "item": item.pk, "note": "x" * 2001}])
    observation.refresh_from_db()
    assert not observation.scores.exists()
    assert observation.version == 1
    apply(observation, world, [{"type": "score", "item": item.pk, "note": "x" * 2000}])
    assert observation.scores.get().note == "x" * 2000


def test_scores_notes_not_observed_and_key_moments_are_saved_in_one_batch(observation, world):
    first, second = teaching_items()[:2]
    observation = apply(
        observation,
        world,
        [
            {
                "type": "score",
                "item": first.pk,
                "score": "4",
                "note": "Begroet iedereen bij de deur",
            },
            {"type": "score", "item": second.pk, "not_observed": True},
            {"type": "key_moment", "minute": 12, "kind": "strength", "text": "Rustige start"},
        ],
    )
    scores = {row.item_id: row for row in observation.scores.all()}
    assert (scores[first.pk].score, scores[first.pk].note) == (4, "Begroet iedereen bij de deur")
    assert (scores[second.pk].score, scores[second.pk].not_observed) == (None, True)
    assert observation.key_moments.get().text == "Rustige start"


@pytest.mark.parametrize(
    "moment",
    [
        {"minute": -1, "kind": "note", "text": "x"},
        {"minute": "abc", "kind": "note", "text": "x"},
        {"minute": 601, "kind": "note", "text": "x"},
        {"minute": 5, "kind": "grade", "text": "x"},
        {"minute": 5, "kind": "note", "text": "   "},
        {"minute": 5, "kind": "note", "text": "x" * 2001},
    ],
)
def test_a_bad_key_moment_is_refused(observation, world, moment):
    before = snapshot(observation)
    with pytest.raises(ValidationError):
        apply(observation, world, [{"type": "key_moment", **moment}])
    assert snapshot(observation) == before


# --- Finalising -----------------------------------------------------------------------------


def test_finalising_needs_every_teaching_item_scored_or_not_observed(observation, world):
    items = teaching_items()
    changes = [{"type": "score", "item": item.pk, "score": 3} for item in items[:-2]]
    changes.append({"type": "score", "item": items[-2].pk, "not_observed": True})
    observation = apply(observation, world, changes)
    with pytest.raises(ValidationError, match=str(items[-1].number)):
        services.observation_finalise(
            actor=world.people["opleider"], observation=observation, version=observation.version
        )
    observation = apply(observation, world, [{"type": "score", "item": items[-1].pk, "score": 2}])
    final = services.observation_finalise(
        actor=world.people["opleider"], observation=observation, version=observation.version
    )
    assert final.status == ObservationStatus.FINAL
    assert final.visit.status == VisitStatus.HELD
    assert AuditEntry.objects.filter(action="observation.finalised", object_id=str(final.public_id))


# --- Who sees what ------------------------------------------------------------------------------


def test_a_draft_is_its_observers_alone_and_a_final_observation_is_for_the_trajectory(
    observation, world, schoolopleider
):
    people = world.people
    assert list(observations_visible_to(people["opleider"])) == [observation]
    for user in (people["student_teacher"], schoolopleider, people["coordinator"]):
        assert not observations_visible_to(user).exists()
        assert not can(user, "view", observation)
    observation.status, observation.finalised_at = ObservationStatus.FINAL, timezone.now()
    observation.save()
    for user in (people["opleider"], people["student_teacher"], schoolopleider):
        assert list(observations_visible_to(user)) == [observation]
        assert can(user, "view", observation)
    # The coordinator and school leader see that the visit happened, never the scores.
    assert list(visits_visible_to(people["coordinator"])) == [observation.visit]
    for persona in ("coordinator", "school_leader", "coach", "other_school_coordinator"):
        assert not observations_visible_to(people[persona]).exists()
        assert not can(people[persona], "view", observation)


def test_an_observation_in_a_coaching_trajectory_is_for_coach_and_coachee_only(
    world, schoolopleider
):
    observation = ObservationFactory(
        visit=LessonVisitFactory(trajectory=world.coaching),
        status=ObservationStatus.FINAL,
        finalised_at=timezone.now(),
    )
    allowed = {world.people["coach"], world.people["coachee"]}
    for user in [*filter(None, world.people.values()), schoolopleider]:
        assert can(user, "view", observation) == (user in allowed), user
        assert observations_visible_to(user).filter(pk=observation.pk).exists() == (user in allowed)


def test_a_second_observer_for_calibration_is_a_begeleider_who_may_read_the_trajectory(
    visit, world, schoolopleider
):
    assert can(schoolopleider, "observe", visit)
    second = services.observation_start(actor=schoolopleider, visit=visit, instrument=icalt())
    assert second.observer == schoolopleider
    for persona in ("student_teacher", "coordinator", "coach"):
        with pytest.raises(PermissionDenied):
            services.observation_start(actor=world.people[persona], visit=visit, instrument=icalt())
