"""MERID profiles written through their services (reflection/services.py): who may start one,
how the coding table's batches are saved (all or nothing), estimates, perceptions, sharing and
deleting, and what the audit log keeps of it."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from mentoring import access
from mentoring.models import AuditEntry
from mentoring.versioning import StaleVersion
from reflection import services
from reflection.models import (
    Conversation,
    EstimateKind,
    MeridEstimate,
    MeridProfile,
    MeridShare,
    MeridTopic,
)
from roles.models import Membership, StaffKind
from tests.conftest import COACH_PERCEPTION, COACH_SELF_ESTIMATE, MERID_CONTENT
from tests.factories import (
    MembershipFactory,
    MeridProfileFactory,
    MeridTopicFactory,
)

pytestmark = pytest.mark.django_db

HELD_ON = datetime.date(2026, 11, 12)


@pytest.fixture(autouse=True)
def _in_english():
    """The services' messages are matched in English, whatever the catalogue says."""
    with translation.override("en"):
        yield


def message(error: ValidationError) -> str:
    return " ".join(error.messages)


def fresh(profile: MeridProfile) -> MeridProfile:
    return MeridProfile.objects.get(pk=profile.pk)


def topics_of(profile: MeridProfile) -> list[tuple]:
    return list(
        MeridTopic.objects.filter(profile=profile)
        .order_by("position")
        .values_list("position", "label", "input", "style", "minutes")
    )


# --- Starting a profile ----------------------------------------------------------------------


def test_a_coach_starts_a_profile_of_their_coachgesprek(world):
    coach, conversation = world.people["coach"], world.coaching_conversation

    profile = services.merid_profile_create(actor=coach, conversation=conversation)

    assert profile.owner == coach
    assert profile.school == world.school
    assert profile.conversation == conversation
    assert profile.held_on == conversation.held_on
    assert profile.counterpart == world.people["coachee"]
    assert world.people["coachee"].full_name in profile.title
    assert profile.perception_requested_at is None
    assert profile.version == 1


def test_a_profile_of_a_conversation_may_have_its_own_title(world):
    profile = services.merid_profile_create(
        actor=world.people["coach"],
        conversation=world.coaching_conversation,
        title="  Gesprek over de startopdracht  ",
    )

    assert profile.title == "Gesprek over de startopdracht"


@pytest.mark.parametrize("name", ["coachee", "coordinator", "opleider", "school_leader"])
def test_only_the_begeleider_starts_a_profile_of_a_conversation(world, name):
    with pytest.raises(PermissionDenied):
        services.merid_profile_create(
            actor=world.people[name], conversation=world.coaching_conversation
        )
    assert not MeridProfile.objects.exists()


def test_a_conversation_gets_one_profile_per_begeleider(world):
    coach = world.people["coach"]
    services.merid_profile_create(actor=coach, conversation=world.coaching_conversation)

    with pytest.raises(ValidationError) as refused:
        services.merid_profile_create(actor=coach, conversation=world.coaching_conversation)

    assert "already made a MERID profile of this conversation" in message(refused.value)
    assert MeridProfile.objects.count() == 1


def test_a_begeleider_starts_a_profile_of_a_conversation_recorded_elsewhere(world):
    opleider = world.people["opleider"]

    profile = services.merid_profile_create(
        actor=opleider, school=world.school, title=" Video van de training ", held_on=HELD_ON
    )

    assert (profile.owner, profile.school, profile.held_on) == (opleider, world.school, HELD_ON)
    assert profile.title == "Video van de training"
    assert profile.conversation is None
    assert profile.counterpart is None


@pytest.mark.parametrize(
    ("name", "school"),
    [
        ("coach", "other_school"),  # not their school
        ("coordinator", "school"),  # works there, but is no begeleider
        ("coachee", "school"),
        ("other_school_coordinator", "other_school"),
    ],
)
def test_a_profile_recorded_elsewhere_needs_a_school_where_the_user_is_a_begeleider(
    world, name, school
):
    with pytest.raises(ValidationError) as refused:
        services.merid_profile_create(
            actor=world.people[name],
            school=getattr(world, school),
            title="Video",
            held_on=HELD_ON,
        )

    assert "Choose a school where you are a begeleider." in message(refused.value)
    assert not MeridProfile.objects.exists()


def test_a_profile_needs_a_school_a_title_and_a_date(world):
    coach = world.people["coach"]
    with pytest.raises(ValidationError, match="Choose a school"):
        services.merid_profile_create(actor=coach, title="Video", held_on=HELD_ON)
    with pytest.raises(ValidationError, match="title of at most 200 characters"):
        services.merid_profile_create(actor=coach, school=world.school, title="  ", held_on=HELD_ON)
    with pytest.raises(ValidationError, match="title of at most 200 characters"):
        services.merid_profile_create(
            actor=coach, school=world.school, title="x" * 201, held_on=HELD_ON
        )
    with pytest.raises(ValidationError, match="date of the conversation"):
        services.merid_profile_create(actor=coach, school=world.school, title="Video")
    assert not MeridProfile.objects.exists()


# --- Coding topics ---------------------------------------------------------------------------


@pytest.fixture
def profile(world) -> MeridProfile:
    """The opleider's empty profile of a conversation recorded outside the app."""
    return world.opleider_profile


def apply(world, profile, changes, *, actor="opleider", version=None):
    return services.merid_topics_apply(
        actor=world.people[actor],
        profile=profile,
        version=fresh(profile).version if version is None else version,
        changes=changes,
    )


def test_a_new_topic_keeps_the_id_the_page_made(world, profile):
    key = uuid.uuid4()

    saved = apply(
        world,
        profile,
        [
            {
                "type": "topic",
                "id": str(key),
                "label": "  Lesopening  ",
                "input": "active",
                "style": "directive",
                "minutes": "4",
            }
        ],
    )

    topic = MeridTopic.objects.get(profile=profile)
    assert topic.public_id == key
    assert (topic.position, topic.label, topic.input, topic.style) == (
        1,
        "Lesopening",
        "active",
        "directive",
    )
    assert topic.minutes == Decimal(4)
    assert saved.version == 2 == fresh(profile).version


def test_a_batch_sent_again_makes_no_second_topic(world, profile):
    # The answer to the first send was lost; the page sends the same batch again, with the
    # version it got back after the conflict.
    batch = [{"type": "topic", "id": str(uuid.uuid4()), "label": "Lesopening", "input": "active"}]
    apply(world, profile, batch, version=1)

    with pytest.raises(StaleVersion):
        apply(world, profile, batch, version=1)
    apply(world, profile, batch, version=2)

    assert topics_of(profile) == [(1, "Lesopening", "active", "", None)]


def test_a_topic_is_typed_first_and_coded_later(world, profile):
    key = str(uuid.uuid4())
    apply(world, profile, [{"type": "topic", "id": key, "label": "Klassenmanagement"}])
    apply(world, profile, [{"type": "topic", "id": key, "input": "reactive"}])
    apply(world, profile, [{"type": "topic", "id": key, "style": "non_directive", "minutes": 3}])

    assert topics_of(profile) == [(1, "Klassenmanagement", "reactive", "non_directive", Decimal(3))]
    apply(world, profile, [{"type": "topic", "id": key, "input": "", "minutes": ""}])
    assert topics_of(profile) == [(1, "Klassenmanagement", "", "non_directive", None)]


def test_a_topic_is_deleted(world, profile):
    keep, drop = str(uuid.uuid4()), str(uuid.uuid4())
    apply(
        world,
        profile,
        [{"type": "topic", "id": keep, "label": "A"}, {"type": "topic", "id": drop, "label": "B"}],
    )

    apply(world, profile, [{"type": "delete", "id": drop}])

    assert topics_of(profile) == [(1, "A", "", "", None)]


def test_a_topic_deleted_in_the_same_batch_is_not_made_again(world, profile):
    key = str(uuid.uuid4())
    apply(world, profile, [{"type": "topic", "id": key, "label": "A"}])

    apply(
        world,
        profile,
        [{"type": "delete", "id": key}, {"type": "topic", "id": key, "label": "A again"}],
    )

    assert topics_of(profile) == []


def test_topics_are_put_in_the_order_the_page_sends(world, profile):
    a, b, c = (str(uuid.uuid4()) for _ in range(3))
    apply(
        world,
        profile,
        [
            {"type": "topic", "id": key, "label": label}
            for key, label in ((a, "A"), (b, "B"), (c, "C"))
        ],
    )

    apply(world, profile, [{"type": "order", "ids": [c, a, b]}])

    assert [label for _, label, *_ in topics_of(profile)] == ["C", "A", "B"]


def test_an_order_that_repeats_a_topic_still_numbers_every_topic_once(world, profile):
    a, b, c = (str(uuid.uuid4()) for _ in range(3))
    apply(
        world,
        profile,
        [
            {"type": "topic", "id": key, "label": label}
            for key, label in ((a, "A"), (b, "B"), (c, "C"))
        ],
    )

    apply(world, profile, [{"type": "order", "ids": [a, a, b]}])

    assert [(position, label) for position, label, *_ in topics_of(profile)] == [
        (1, "A"),
        (2, "B"),
        (3, "C"),
    ]


def test_a_topic_the_page_did_not_know_keeps_its_place_at_the_end(world, profile):
    a, b, c = (str(uuid.uuid4()) for _ in range(3))
    apply(
        world,
        profile,
        [
            {"type": "topic", "id": key, "label": label}
            for key, label in ((a, "A"), (b, "B"), (c, "C"))
        ],
    )

    apply(world, profile, [{"type": "order", "ids": [b, a]}])

    assert [label for _, label, *_ in topics_of(profile)] == ["B", "A", "C"]


def test_a_batch_on_a_stale_version_writes_nothing(world, profile):
    key = str(uuid.uuid4())
    apply(world, profile, [{"type": "topic", "id": key, "label": "A"}])

    with pytest.raises(StaleVersion):
        apply(
            world,
            profile,
            [
                {"type": "topic", "id": key, "label": "changed"},
                {"type": "topic", "id": str(uuid.uuid4()), "label": "B"},
            ],
            version=1,
        )

    assert topics_of(profile) == [(1, "A", "", "", None)]
    assert fresh(profile).version == 2


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"minutes": "abc"}, "Give the minutes as a number above 0 and at most 600"),
        ({"minutes": "0"}, "Give the minutes as a number above 0 and at most 600"),
        ({"minutes": -3}, "Give the minutes as a number above 0 and at most 600"),
        ({"minutes": "601"}, "Give the minutes as a number above 0 and at most 600"),
        ({"minutes": "NaN"}, "Give the minutes as a number above 0 and at most 600"),
        ({"minutes": "2.25"}, "at most one decimal"),
        ({"label": "x" * 201}, "A topic's label is at most 200 characters"),
        ({"input": "passive"}, "Choose who brought the topic in."),
        ({"style": "socratic"}, "Choose directive or non-directive."),
    ],
    ids=[
        "minutes-abc",
        "minutes-0",
        "minutes-negative",
        "minutes-601",
        "minutes-nan",
        "minutes-two-decimals",
        "label-201",
        "input-unknown",
        "style-unknown",
    ],
)
def test_a_refused_change_writes_nothing_of_its_batch(world, profile, change, words):
    existing = str(uuid.uuid4())
    apply(world, profile, [{"type": "topic", "id": existing, "label": "A"}])

    with pytest.raises(ValidationError) as refused:
        apply(
            world,
            profile,
            [
                {"type": "topic", "id": existing, "label": "changed"},
                {"type": "topic", "id": str(uuid.uuid4()), "label": "new"},
                {"type": "topic", "id": str(uuid.uuid4()), **change},
            ],
        )

    assert words in message(refused.value)
    assert topics_of(profile) == [(1, "A", "", "", None)]
    assert fresh(profile).version == 2


def test_a_label_of_200_characters_is_saved(world, profile):
    apply(world, profile, [{"type": "topic", "id": str(uuid.uuid4()), "label": "x" * 200}])

    assert MeridTopic.objects.get(profile=profile).label == "x" * 200


@pytest.mark.parametrize(
    ("typed", "saved"),
    [("2,5", Decimal("2.5")), (" 12 ", Decimal(12)), (7, Decimal(7)), ("0.5", Decimal("0.5"))],
)
def test_minutes_are_read_as_people_type_them(world, profile, typed, saved):
    apply(world, profile, [{"type": "topic", "id": str(uuid.uuid4()), "minutes": typed}])

    assert MeridTopic.objects.get(profile=profile).minutes == saved


@pytest.mark.parametrize(
    "change",
    [
        {"type": "topic", "id": "not-a-uuid"},
        {"type": "delete", "id": None},
        {"type": "order", "ids": "abc"},
        {"type": "rename", "id": "x"},
        {"id": str(uuid.uuid4())},
    ],
    ids=["bad-id", "delete-without-id", "order-not-a-list", "unknown-type", "no-type"],
)
def test_an_unreadable_batch_is_refused(world, profile, change):
    with pytest.raises(ValidationError):
        apply(world, profile, [{"type": "topic", "id": str(uuid.uuid4()), "label": "A"}, change])

    assert topics_of(profile) == []


def test_a_topic_of_another_profile_cannot_be_taken_over(world, profile):
    elsewhere = MeridProfileFactory(owner=world.people["opleider"], school=world.school)
    others = MeridTopicFactory(profile=elsewhere, label="theirs")

    with pytest.raises(ValidationError, match="A topic could not be read"):
        apply(world, profile, [{"type": "topic", "id": str(others.public_id), "label": "mine"}])

    others.refresh_from_db()
    assert (others.profile, others.label) == (elsewhere, "theirs")
    assert topics_of(profile) == []


def test_deleting_a_topic_of_another_profile_does_nothing_to_it(world, profile):
    others = MeridTopicFactory(profile=world.coach_profile)

    apply(world, profile, [{"type": "delete", "id": str(others.public_id)}])

    assert MeridTopic.objects.filter(pk=others.pk).exists()


def test_a_profile_has_at_most_200_topics(world, profile):
    batch = [{"type": "topic", "id": str(uuid.uuid4()), "label": f"#{n}"} for n in range(200)]
    apply(world, profile, batch)
    assert MeridTopic.objects.filter(profile=profile).count() == 200

    with pytest.raises(ValidationError, match="at most 200 topics"):
        apply(world, profile, [{"type": "topic", "id": str(uuid.uuid4()), "label": "one more"}])

    assert MeridTopic.objects.filter(profile=profile).count() == 200
    # Deleting one makes room for another in the same batch.
    first = MeridTopic.objects.filter(profile=profile).order_by("position").first()
    apply(
        world,
        profile,
        [
            {"type": "delete", "id": str(first.public_id)},
            {"type": "topic", "id": str(uuid.uuid4()), "label": "instead"},
        ],
    )
    assert MeridTopic.objects.filter(profile=profile).count() == 200


@pytest.mark.parametrize("name", ["coordinator", "coach", "school_leader", "procesbegeleider"])
def test_others_cannot_code_a_profile(world, profile, name):
    with pytest.raises(PermissionDenied):
        apply(world, profile, [{"type": "topic", "id": str(uuid.uuid4())}], actor=name)

    assert topics_of(profile) == []


# --- Estimates and perceptions ---------------------------------------------------------------


def percentages(imperator, initiator, encourager, advisor):
    return {
        "imperator": imperator,
        "initiator": initiator,
        "encourager": encourager,
        "advisor": advisor,
    }


def test_a_begeleider_saves_their_own_estimate(world, profile):
    estimate = services.merid_estimate_save(
        actor=world.people["opleider"],
        profile=profile,
        kind=EstimateKind.SELF,
        percentages=percentages(10, 20, 30, 40),
    )

    assert estimate.author == world.people["opleider"]
    assert estimate.percentages() == percentages(10, 20, 30, 40)


@pytest.mark.parametrize(
    ("given", "total"),
    [((10, 20, 30, 39), 99), ((10, 20, 30, 41), 101), ((0, 0, 0, 0), 0)],
)
def test_an_estimate_must_total_100(world, profile, given, total):
    with pytest.raises(ValidationError) as refused:
        services.merid_estimate_save(
            actor=world.people["opleider"],
            profile=profile,
            kind=EstimateKind.SELF,
            percentages=percentages(*given),
        )

    assert message(refused.value) == (
        f"The four shares add up to {total}; together they must make 100."
    )
    assert not MeridEstimate.objects.exists()


@pytest.mark.parametrize(
    "given",
    [(110, -10, 0, 0), (25.5, 24.5, 25, 25), ("25", 25, 25, 25), (None, 50, 25, 25)],
    ids=["out-of-range", "fractions", "text", "missing"],
)
def test_an_estimate_is_four_whole_numbers_from_0_to_100(world, profile, given):
    with pytest.raises(ValidationError, match="whole number from 0 to 100"):
        services.merid_estimate_save(
            actor=world.people["opleider"],
            profile=profile,
            kind=EstimateKind.SELF,
            percentages=percentages(*given),
        )

    assert not MeridEstimate.objects.exists()


def test_a_second_estimate_replaces_the_first(world):
    profile = world.coach_profile  # has the coach's self-estimate

    services.merid_estimate_save(
        actor=world.people["coach"],
        profile=profile,
        kind=EstimateKind.SELF,
        percentages=percentages(0, 0, 50, 50),
    )

    estimate = MeridEstimate.objects.get(profile=profile)
    assert estimate.kind == EstimateKind.SELF
    assert estimate.percentages() == percentages(0, 0, 50, 50)


@pytest.mark.parametrize("name", ["coachee", "opleider", "coordinator"])
def test_only_the_begeleider_gives_their_own_estimate(world, name):
    with pytest.raises(PermissionDenied):
        services.merid_estimate_save(
            actor=world.people[name],
            profile=world.coach_profile,
            kind=EstimateKind.SELF,
            percentages=percentages(25, 25, 25, 25),
        )

    assert MeridEstimate.objects.get().percentages() == COACH_SELF_ESTIMATE


def test_the_coachee_gives_a_perception_only_once_asked(world):
    coachee, profile = world.people["coachee"], world.coach_profile

    with pytest.raises(PermissionDenied):
        services.merid_estimate_save(
            actor=coachee,
            profile=profile,
            kind=EstimateKind.PERCEPTION,
            percentages=COACH_PERCEPTION,
        )
    services.merid_perception_request(actor=world.people["coach"], profile=profile)
    perception = services.merid_estimate_save(
        actor=coachee,
        profile=fresh(profile),
        kind=EstimateKind.PERCEPTION,
        percentages=COACH_PERCEPTION,
    )

    assert perception.author == coachee
    assert perception.percentages() == COACH_PERCEPTION
    # The coach's own estimate is still there beside it.
    assert MeridEstimate.objects.get(profile=profile, kind=EstimateKind.SELF).percentages() == (
        COACH_SELF_ESTIMATE
    )


def test_a_perception_given_again_replaces_the_first(world):
    assert world.coach_perception.percentages() == COACH_PERCEPTION

    services.merid_estimate_save(
        actor=world.people["coachee"],
        profile=fresh(world.coach_profile),
        kind=EstimateKind.PERCEPTION,
        percentages=percentages(25, 25, 25, 25),
    )

    perception = MeridEstimate.objects.get(
        profile=world.coach_profile, kind=EstimateKind.PERCEPTION
    )
    assert perception.percentages() == percentages(25, 25, 25, 25)


@pytest.mark.parametrize("name", ["coach", "opleider", "student_teacher"])
def test_no_one_but_the_asked_counterpart_gives_a_perception(world, name):
    profile = services.merid_perception_request(
        actor=world.people["coach"], profile=world.coach_profile
    )
    if name == "opleider":
        assert world.coach_profile_shared.person == world.people["opleider"]

    with pytest.raises(PermissionDenied):
        services.merid_estimate_save(
            actor=world.people[name],
            profile=profile,
            kind=EstimateKind.PERCEPTION,
            percentages=COACH_PERCEPTION,
        )

    assert not MeridEstimate.objects.filter(kind=EstimateKind.PERCEPTION).exists()


def test_asking_twice_keeps_the_first_moment_asked(world):
    coach = world.people["coach"]
    first = services.merid_perception_request(actor=coach, profile=world.coach_profile)
    asked_at = first.perception_requested_at

    again = services.merid_perception_request(actor=coach, profile=fresh(world.coach_profile))

    assert asked_at is not None
    assert again.perception_requested_at == asked_at
    assert AuditEntry.objects.filter(action="merid.perception_requested").count() == 1


def test_a_profile_recorded_elsewhere_has_no_one_to_ask(world, profile):
    with pytest.raises(ValidationError, match="Only the other participant"):
        services.merid_perception_request(actor=world.people["opleider"], profile=profile)

    assert fresh(profile).perception_requested_at is None


def test_only_the_begeleider_asks_for_a_perception(world):
    with pytest.raises(PermissionDenied):
        services.merid_perception_request(
            actor=world.people["coachee"], profile=world.coach_profile
        )

    assert fresh(world.coach_profile).perception_requested_at is None


# --- Sharing ---------------------------------------------------------------------------------


def test_a_begeleider_shares_a_profile_with_a_colleague_begeleider(world):
    profile, opleider = world.coach_profile, world.people["opleider"]
    assert list(access.merid_sharing_candidates(profile)) == sorted(
        [opleider, world.people["procesbegeleider"]], key=lambda u: (u.full_name, u.email)
    )

    share = services.merid_share_add(actor=world.people["coach"], profile=profile, person=opleider)

    assert (share.profile, share.person, share.may_code) == (profile, opleider, False)
    assert access.can(opleider, "view", profile)


def test_sharing_again_changes_whether_they_may_code(world):
    share = world.coach_profile_shared

    again = services.merid_share_add(
        actor=world.people["coach"],
        profile=world.coach_profile,
        person=world.people["opleider"],
        may_code=True,
    )

    assert again.pk == share.pk
    assert MeridShare.objects.get().may_code


@pytest.mark.parametrize(
    "who",
    ["coordinator", "school_leader", "coachee", "coach", "other_school_begeleider", "former"],
)
def test_a_profile_is_shared_only_with_a_begeleider_at_its_school(world, who):
    if who == "other_school_begeleider":
        person = world.other_school_trajectory.begeleider
    elif who == "former":
        # A begeleider who has left the school.
        person = world.people["procesbegeleider"]
        Membership.objects.filter(user=person, school=world.school).update(is_active=False)
    else:
        person = world.people[who]

    with pytest.raises(ValidationError) as refused:
        services.merid_share_add(
            actor=world.people["coach"], profile=world.coach_profile, person=person
        )

    assert "Share with a colleague who is a begeleider at this school" in message(refused.value)
    assert not MeridShare.objects.exists()


def test_a_coordinator_who_is_no_begeleider_there_is_not_a_candidate(world):
    coordinator = world.people["coordinator"]

    assert coordinator not in access.merid_sharing_candidates(world.coach_profile)


@pytest.mark.parametrize("name", ["opleider", "coachee", "coordinator"])
def test_only_the_begeleider_shares_their_profile(world, name):
    with pytest.raises(PermissionDenied):
        services.merid_share_add(
            actor=world.people[name],
            profile=world.coach_profile,
            person=world.people["procesbegeleider"],
        )

    assert not MeridShare.objects.exists()


def test_shared_to_look_at_the_colleague_cannot_code(world):
    assert not world.coach_profile_shared.may_code
    before = topics_of(world.coach_profile)

    with pytest.raises(PermissionDenied):
        apply(
            world,
            world.coach_profile,
            [{"type": "topic", "id": str(uuid.uuid4()), "label": "mine"}],
        )

    assert topics_of(world.coach_profile) == before


def test_shared_to_code_the_colleague_codes_with_them(world):
    services.merid_share_add(
        actor=world.people["coach"],
        profile=world.coach_profile,
        person=world.people["opleider"],
        may_code=True,
    )

    apply(
        world,
        world.coach_profile,
        [
            {
                "type": "topic",
                "id": str(uuid.uuid4()),
                "label": "Van de trainer",
                "input": "active",
                "style": "non_directive",
                "minutes": "2,5",
            }
        ],
    )

    assert topics_of(world.coach_profile)[-1] == (
        7,
        "Van de trainer",
        "active",
        "non_directive",
        Decimal("2.5"),
    )


def test_a_colleague_allowed_to_code_still_cannot_estimate_share_or_delete(world):
    services.merid_share_add(
        actor=world.people["coach"],
        profile=world.coach_profile,
        person=world.people["opleider"],
        may_code=True,
    )
    opleider, profile = world.people["opleider"], world.coach_profile

    with pytest.raises(PermissionDenied):
        services.merid_estimate_save(
            actor=opleider,
            profile=profile,
            kind=EstimateKind.SELF,
            percentages=percentages(25, 25, 25, 25),
        )
    with pytest.raises(PermissionDenied):
        services.merid_share_add(
            actor=opleider, profile=profile, person=world.people["procesbegeleider"]
        )
    with pytest.raises(PermissionDenied):
        services.merid_profile_delete(actor=opleider, profile=profile)
    assert MeridProfile.objects.filter(pk=profile.pk).exists()


def test_unsharing_ends_the_colleagues_view(world):
    share, opleider = world.coach_profile_shared, world.people["opleider"]

    services.merid_share_remove(actor=world.people["coach"], share=share)

    assert not MeridShare.objects.exists()
    assert not access.can(opleider, "view", world.coach_profile)
    assert world.coach_profile not in access.merid_profiles_visible_to(opleider)


def test_only_the_begeleider_unshares(world):
    share = world.coach_profile_shared

    with pytest.raises(PermissionDenied):
        services.merid_share_remove(actor=world.people["opleider"], share=share)

    assert MeridShare.objects.filter(pk=share.pk).exists()


# --- Deleting --------------------------------------------------------------------------------


def test_deleting_a_profile_deletes_its_topics_estimates_and_shares(world):
    shared, perception = world.coach_profile_shared, world.coach_perception
    profile = world.coach_profile
    assert (shared.profile, perception.profile) == (profile, profile)
    kept = world.opleider_profile
    MeridTopicFactory(profile=kept)

    services.merid_profile_delete(actor=world.people["coach"], profile=profile)

    assert not MeridProfile.objects.filter(pk=profile.pk).exists()
    assert not MeridTopic.objects.filter(profile_id=profile.pk).exists()
    assert not MeridEstimate.objects.filter(profile_id=profile.pk).exists()
    assert not MeridShare.objects.filter(profile_id=profile.pk).exists()
    # The conversation it was made of, and other profiles, stay.
    assert Conversation.objects.filter(pk=world.coaching_conversation.pk).exists()
    assert MeridTopic.objects.filter(profile=kept).count() == 1


@pytest.mark.parametrize("name", ["coachee", "opleider", "coordinator", "school_leader"])
def test_only_the_begeleider_deletes_their_profile(world, name):
    assert world.coach_profile_shared.person == world.people["opleider"]

    with pytest.raises(PermissionDenied):
        services.merid_profile_delete(actor=world.people[name], profile=world.coach_profile)

    assert MeridProfile.objects.filter(pk=world.coach_profile.pk).exists()


def test_after_deleting_a_new_profile_of_the_conversation_can_be_made(world):
    coach = world.people["coach"]
    services.merid_profile_delete(actor=coach, profile=world.coach_profile)

    again = services.merid_profile_create(actor=coach, conversation=world.coaching_conversation)

    assert again.conversation == world.coaching_conversation


# --- The audit log ---------------------------------------------------------------------------


def test_every_step_is_in_the_audit_log_without_what_was_written(world):
    coach, coachee = world.people["coach"], world.people["coachee"]
    profile = services.merid_profile_create(
        actor=coach,
        conversation=world.coaching_conversation,
        title=f"{MERID_CONTENT} [title]",
    )
    apply(
        world,
        profile,
        [{"type": "topic", "id": str(uuid.uuid4()), "label": f"{MERID_CONTENT} [topic]"}],
        actor="coach",
    )
    services.merid_estimate_save(
        actor=coach, profile=profile, kind=EstimateKind.SELF, percentages=COACH_SELF_ESTIMATE
    )
    services.merid_perception_request(actor=coach, profile=profile)
    services.merid_estimate_save(
        actor=coachee,
        profile=fresh(profile),
        kind=EstimateKind.PERCEPTION,
        percentages=COACH_PERCEPTION,
    )
    share = services.merid_share_add(actor=coach, profile=profile, person=world.people["opleider"])
    services.merid_share_remove(actor=coach, share=share)
    public_id = str(profile.public_id)
    services.merid_profile_delete(actor=coach, profile=profile)

    entries = AuditEntry.objects.filter(object_id=public_id).order_by("pk")
    assert [(entry.action, entry.actor) for entry in entries] == [
        ("merid.created", coach),
        ("merid.self_estimated", coach),
        ("merid.perception_requested", coach),
        ("merid.perception_estimated", coachee),
        ("merid.shared", coach),
        ("merid.unshared", coach),
        ("merid.deleted", coach),
    ]
    for entry in entries:
        assert entry.object_type == "reflection.meridprofile"
        assert entry.school == world.school
        recorded = " ".join(
            str(value) for value in AuditEntry.objects.filter(pk=entry.pk).values().get().values()
        )
        assert "SENTINEL" not in recorded
        assert world.people["coachee"].full_name not in recorded


def test_a_refused_write_leaves_no_audit_entry(world):
    profile = world.coach_profile
    before = AuditEntry.objects.count()

    with pytest.raises(PermissionDenied):
        services.merid_profile_create(
            actor=world.people["coordinator"], conversation=world.coaching_conversation
        )
    with pytest.raises(ValidationError):
        services.merid_estimate_save(
            actor=world.people["coach"],
            profile=profile,
            kind=EstimateKind.SELF,
            percentages=percentages(1, 1, 1, 1),
        )
    with pytest.raises(ValidationError):
        services.merid_share_add(
            actor=world.people["coach"], profile=profile, person=world.people["coordinator"]
        )

    assert AuditEntry.objects.count() == before


# --- A begeleider who leaves -----------------------------------------------------------------


def test_a_begeleider_who_left_the_school_cannot_start_a_profile_there(world):
    coach = world.people["coach"]
    MembershipFactory(user=coach, school=world.other_school, staff_kind=StaffKind.TEACHER)
    Membership.objects.filter(user=coach, school=world.school).update(is_active=False)

    with pytest.raises(PermissionDenied):
        services.merid_profile_create(actor=coach, conversation=world.coaching_conversation)
    with pytest.raises(ValidationError, match="Choose a school"):
        services.merid_profile_create(
            actor=coach, school=world.school, title="Video", held_on=timezone.localdate()
        )
