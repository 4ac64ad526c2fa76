"""Who may do what with a MERID profile (mentoring/access.py), on the personas of the `world`.

A profile is its begeleider's own: a colleague sees it only when it is shared with them (and
codes only when allowed to), the other participant only gives their perception once asked, and
no coordinator, school leader or other school sees it at all. The table is written out by
hand, so a change in the policy has to be a change here too.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from mentoring.access import can, get_for_user, merid_profiles_visible_to
from reflection import services as reflection_services
from reflection.models import MeridProfile
from roles import services as roles_services
from roles.models import Membership, StaffKind
from tests.conftest import PERSONA_NAMES
from tests.factories import MembershipFactory, MeridProfileFactory
from tests.mentoring.test_access import parse_rights

pytestmark = pytest.mark.django_db

ACTIONS = ("view", "code", "own", "perceive")


def allowed(user, profile: MeridProfile) -> set[str]:
    return {action for action in ACTIONS if can(user, action, profile)}


@pytest.fixture
def people(world, schoolopleider):
    """The world's personas, plus the school's schoolopleider; anonymous is AnonymousUser."""
    return {**world.people, "anonymous": AnonymousUser(), "schoolopleider": schoolopleider}


def share_with_opleider(world, *, may_code: bool):
    return reflection_services.merid_share_add(
        actor=world.people["coach"],
        profile=world.coach_profile,
        person=world.people["opleider"],
        may_code=may_code,
    )


def ask_the_coachee(world):
    return reflection_services.merid_perception_request(
        actor=world.people["coach"], profile=world.coach_profile
    )


# The coach's profile of their coachgesprek, in four situations (one column each).
SITUATIONS = {
    "coach profile": lambda world: None,
    "coachee asked": ask_the_coachee,
    "shared to look": lambda world: share_with_opleider(world, may_code=False),
    "shared to code": lambda world: share_with_opleider(world, may_code=True),
}

RIGHTS = """
| persona                  | coach profile   | coachee asked   | shared to look  | shared to code  |
|--------------------------|-----------------|-----------------|-----------------|-----------------|
| anonymous                | -               | -               | -               | -               |
| coordinator              | -               | -               | -               | -               |
| schoolopleider           | -               | -               | -               | -               |
| opleider                 | -               | -               | view            | view, code      |
| coach                    | view, code, own | view, code, own | view, code, own | view, code, own |
| procesbegeleider         | -               | -               | -               | -               |
| student_teacher          | -               | -               | -               | -               |
| coachee                  | -               | perceive        | -               | -               |
| school_leader            | -               | -               | -               | -               |
| other_school_coordinator | -               | -               | -               | -               |
"""

EXPECTED_RIGHTS = parse_rights(RIGHTS)


def profile_in(world, situation: str) -> MeridProfile:
    SITUATIONS[situation](world)
    return MeridProfile.objects.get(pk=world.coach_profile.pk)


def test_the_merid_rights_table_has_a_row_for_every_persona_and_a_column_per_situation():
    assert {persona for persona, _ in EXPECTED_RIGHTS} == {*PERSONA_NAMES, "schoolopleider"}
    assert {column for _, column in EXPECTED_RIGHTS} == set(SITUATIONS)


@pytest.mark.parametrize(
    ("persona", "situation"), EXPECTED_RIGHTS, ids=[f"{p}-{s}" for p, s in EXPECTED_RIGHTS]
)
def test_merid_rights_table(world, people, persona, situation):
    profile = profile_in(world, situation)

    assert allowed(people[persona], profile) == EXPECTED_RIGHTS[persona, situation]


@pytest.mark.parametrize("situation", SITUATIONS)
def test_the_list_of_profiles_shows_what_can_view_allows(world, people, situation):
    profile = profile_in(world, situation)
    # Profiles around it: the opleider's own, which they share with the coach, and one at the
    # other school.
    others = [
        world.opleider_profile,
        MeridProfileFactory(
            owner=world.other_school_trajectory.begeleider, school=world.other_school
        ),
    ]
    reflection_services.merid_share_add(
        actor=world.people["opleider"],
        profile=world.opleider_profile,
        person=world.people["coach"],
    )
    every = [profile, *others]

    for name, user in people.items():
        listed = set(merid_profiles_visible_to(user))
        assert listed == {p for p in every if can(user, "view", p)}, name
        assert (profile in listed) == ("view" in EXPECTED_RIGHTS[name, situation]), name


def test_a_shared_profile_disappears_when_the_colleague_leaves_the_school(world):
    share_with_opleider(world, may_code=True)
    opleider, profile = world.people["opleider"], world.coach_profile
    assert allowed(opleider, profile) == {"view", "code"}

    Membership.objects.filter(user=opleider, school=world.school).update(is_active=False)

    assert allowed(opleider, profile) == set()
    assert profile not in merid_profiles_visible_to(opleider)


def test_a_shared_profile_disappears_when_the_colleague_is_deactivated_at_the_school(world):
    share_with_opleider(world, may_code=False)
    opleider, profile = world.people["opleider"], world.coach_profile
    # They still work at another school, so their account stays active.
    MembershipFactory(user=opleider, school=world.other_school, staff_kind=StaffKind.TEACHER)

    roles_services.person_deactivate(
        actor=world.people["coordinator"], user=opleider, school=world.school
    )

    opleider.refresh_from_db()
    assert opleider.is_active
    assert allowed(opleider, profile) == set()
    assert not merid_profiles_visible_to(opleider).exists()
    with pytest.raises(Http404):
        get_for_user(opleider, MeridProfile.objects.all(), public_id=profile.public_id)


def test_the_coachee_cannot_give_a_perception_after_leaving_the_school(world):
    ask_the_coachee(world)
    coachee = world.people["coachee"]
    profile = MeridProfile.objects.get(pk=world.coach_profile.pk)
    assert allowed(coachee, profile) == {"perceive"}

    Membership.objects.filter(user=coachee, school=world.school).update(is_active=False)

    assert allowed(coachee, profile) == set()


def test_a_begeleider_keeps_their_own_profiles_after_leaving_the_school(world):
    coach, profile = world.people["coach"], world.coach_profile
    MembershipFactory(user=coach, school=world.other_school, staff_kind=StaffKind.TEACHER)
    Membership.objects.filter(user=coach, school=world.school).update(is_active=False)

    assert allowed(coach, profile) == {"view", "code", "own"}
    assert list(merid_profiles_visible_to(coach)) == [profile]
    assert get_for_user(coach, MeridProfile.objects.all(), public_id=profile.public_id) == profile


def test_the_coachee_never_sees_the_profile_itself(world):
    ask_the_coachee(world)
    coachee = world.people["coachee"]

    assert not merid_profiles_visible_to(coachee).exists()
    with pytest.raises(PermissionDenied):
        get_for_user(coachee, MeridProfile.objects.all(), public_id=world.coach_profile.public_id)


def test_only_the_begeleider_of_a_conversation_may_profile_it(world, people):
    conversation = world.coaching_conversation

    assert {name for name, user in people.items() if can(user, "merid", conversation)} == {"coach"}


# --- Fetching one profile: 404 across schools, 403 within ------------------------------------


def fetch(user, profile, action="view"):
    return get_for_user(user, MeridProfile.objects.all(), action, public_id=profile.public_id)


def test_the_owner_gets_their_profile(world):
    profile = world.coach_profile

    assert fetch(world.people["coach"], profile) == profile
    assert fetch(world.people["coach"], profile, "own") == profile


def test_another_school_gets_404_for_a_profile(world):
    with pytest.raises(Http404):
        fetch(world.people["other_school_coordinator"], world.coach_profile)
    with pytest.raises(Http404):
        fetch(world.other_school_trajectory.begeleider, world.coach_profile)


@pytest.mark.parametrize(
    "name", ["coordinator", "school_leader", "procesbegeleider", "opleider", "student_teacher"]
)
def test_someone_at_the_same_school_gets_403_for_a_profile_not_shared_with_them(world, name):
    with pytest.raises(PermissionDenied):
        fetch(world.people[name], world.coach_profile)


def test_a_colleague_it_is_shared_with_gets_it_to_view_but_not_to_code(world):
    share_with_opleider(world, may_code=False)
    opleider, profile = world.people["opleider"], world.coach_profile

    assert fetch(opleider, profile) == profile
    with pytest.raises(PermissionDenied):
        fetch(opleider, profile, "code")
    with pytest.raises(PermissionDenied):
        fetch(opleider, profile, "own")
