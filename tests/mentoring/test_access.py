"""The access policy (mentoring/access.py) as a specification, on the personas of the `world`.

The rights table at the bottom is the summary: for every persona and every kind of object, the
set of actions `can` allows. It is written out by hand, so a change in the policy has to be a
change in this table too.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from mentoring.access import (
    can,
    conversations_visible_to,
    cycles_visible_to,
    get_for_user,
    goals_visible_to,
    learning_groups_visible_to,
    people_visible_to,
    trajectories_visible_to,
)
from reflection import services as reflection_services
from reflection.models import (
    Agreement,
    Conversation,
    ConversationReport,
    CycleStatus,
    ReflectionCycle,
)
from roles import services
from roles.models import (
    LearningGroup,
    LearningGroupMember,
    Membership,
    OpleiderKind,
    Role,
    StaffKind,
    Trajectory,
    TrajectoryStatus,
)
from tests.conftest import PERSONA_NAMES
from tests.factories import (
    AgreementFactory,
    ConversationFactory,
    ConversationReportFactory,
    CycleCommentFactory,
    GoalEvidenceFactory,
    LearningGoalFactory,
    MembershipFactory,
    ReflectionCycleFactory,
    RoleAssignmentFactory,
    TrajectoryFactory,
    UserFactory,
)

TRAJECTORY_ACTIONS = ("view", "view_content", "edit_content", "end")
GROUP_ACTIONS = ("view", "view_content", "manage")
SCHOOL_OBJECT_ACTIONS = ("view", "manage")


def yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def allowed(user, obj) -> set[str]:
    if isinstance(obj, Trajectory):
        actions = TRAJECTORY_ACTIONS
    elif isinstance(obj, LearningGroup):
        actions = GROUP_ACTIONS
    else:
        actions = SCHOOL_OBJECT_ACTIONS
    return {action for action in actions if can(user, action, obj)}


def sees_trajectory(user, trajectory) -> bool:
    return trajectories_visible_to(user).filter(pk=trajectory.pk).exists()


def sees_group(user, group) -> bool:
    return learning_groups_visible_to(user).filter(pk=group.pk).exists()


@pytest.fixture
def people(world, schoolopleider):
    """The world's personas, plus the school's schoolopleider; anonymous is AnonymousUser."""
    return {
        **world.people,
        "anonymous": AnonymousUser(),
        "schoolopleider": schoolopleider,
    }


@pytest.fixture
def colleague(world):
    """A teacher at the school who takes part in nothing: a person record to look up."""
    user = UserFactory(email="colleague@school.example", full_name="Bas Collega")
    MembershipFactory(user=user, school=world.school, staff_kind=StaffKind.TEACHER)
    return user


@pytest.fixture
def objects(world, colleague):
    """One object of each kind, under the names of the rights table's columns."""
    return {
        "opleiden trajectory": world.opleiden,
        "coaching trajectory": world.coaching,
        "other school's trajectory": world.other_school_trajectory,
        "learning group": world.group,
        "colleague": colleague,
        "invitation": world.invitation,
    }


# --- Coaching: the coachee's and their coach's only -----------------------------------------


def test_coordinator_sees_that_a_coaching_trajectory_exists_but_not_its_content(world):
    coordinator = world.people["coordinator"]
    assert sees_trajectory(coordinator, world.coaching)
    assert can(coordinator, "view", world.coaching)
    assert not can(coordinator, "view_content", world.coaching)
    with pytest.raises(PermissionDenied):
        get_for_user(coordinator, Trajectory.objects.all(), "view_content", pk=world.coaching.pk)


def test_only_the_coach_and_the_coachee_see_coaching_content(people, world):
    readers = {name for name, user in people.items() if can(user, "view_content", world.coaching)}
    assert readers == {"coach", "coachee"}


def test_the_coachee_owns_coaching_content_so_the_coach_cannot_edit_it(world):
    assert can(world.people["coachee"], "edit_content", world.coaching)
    assert not can(world.people["coach"], "edit_content", world.coaching)


def test_a_schoolopleider_does_not_read_coaching_content(people, world):
    assert not can(people["schoolopleider"], "view", world.coaching)
    assert not can(people["schoolopleider"], "view_content", world.coaching)


def test_a_coordinator_who_is_also_schoolopleider_still_cannot_read_coaching_content(world):
    coordinator = world.people["coordinator"]
    RoleAssignmentFactory(
        user=coordinator,
        school=world.school,
        school_year=world.school_year,
        role=Role.OPLEIDER,
        opleider_kind=OpleiderKind.SCHOOLOPLEIDER,
    )
    assert can(coordinator, "view_content", world.opleiden)
    assert not can(coordinator, "view_content", world.coaching)


# --- Opleiden: student teacher, opleider, and the schoolopleider of the school --------------


def test_opleiden_content_is_for_the_student_teacher_the_opleider_and_the_schoolopleider(
    people, world
):
    readers = {name for name, user in people.items() if can(user, "view_content", world.opleiden)}
    assert readers == {"student_teacher", "opleider", "schoolopleider"}


def test_the_plain_coordinator_sees_an_opleiden_trajectory_but_not_its_content(world):
    coordinator = world.people["coordinator"]
    assert sees_trajectory(coordinator, world.opleiden)
    assert not can(coordinator, "view_content", world.opleiden)


def test_the_schoolopleider_reads_but_does_not_write_opleiden_content(people, world):
    schoolopleider = people["schoolopleider"]
    assert sees_trajectory(schoolopleider, world.opleiden)
    assert can(schoolopleider, "view_content", world.opleiden)
    assert not can(schoolopleider, "edit_content", world.opleiden)
    assert not can(schoolopleider, "end", world.opleiden)


def test_a_schoolopleider_of_another_school_does_not_see_our_opleiden_trajectories(world):
    elsewhere = UserFactory()
    MembershipFactory(user=elsewhere, school=world.other_school)
    RoleAssignmentFactory(
        user=elsewhere,
        school=world.other_school,
        school_year=world.school_year,
        role=Role.OPLEIDER,
        opleider_kind=OpleiderKind.SCHOOLOPLEIDER,
    )
    assert not can(elsewhere, "view", world.opleiden)
    assert can(elsewhere, "view_content", world.other_school_trajectory)


def test_a_schoolopleider_who_left_the_school_loses_opleiden_content(people, world):
    schoolopleider = people["schoolopleider"]
    Membership.objects.filter(user=schoolopleider).update(is_active=False)
    assert not sees_trajectory(schoolopleider, world.opleiden)
    assert not can(schoolopleider, "view_content", world.opleiden)


# --- School leaders and coordinators --------------------------------------------------------


def test_the_school_leader_sees_no_individual_trajectory(world):
    leader = world.people["school_leader"]
    assert not trajectories_visible_to(leader).exists()
    for trajectory in (world.opleiden, world.coaching):
        assert allowed(leader, trajectory) == set()
        with pytest.raises(PermissionDenied):
            get_for_user(leader, Trajectory.objects.all(), pk=trajectory.pk)


def test_the_coordinator_ends_an_active_trajectory_but_not_an_ended_one(world):
    coordinator = world.people["coordinator"]
    assert can(coordinator, "end", world.coaching)
    world.coaching.status = TrajectoryStatus.ENDED
    world.coaching.ends_on = timezone.localdate()
    world.coaching.save()
    assert not can(coordinator, "end", world.coaching)
    assert can(coordinator, "view", world.coaching)


def test_the_coordinator_keeps_seeing_a_person_who_left_the_school(world, colleague):
    coordinator = world.people["coordinator"]
    Membership.objects.filter(user=colleague).update(is_active=False)
    assert people_visible_to(coordinator).filter(pk=colleague.pk).exists()
    assert can(coordinator, "manage", colleague)


def test_people_are_only_looked_up_by_coordinators(people, colleague):
    lookers = {name for name, user in people.items() if can(user, "view", colleague)}
    assert lookers == {"coordinator"}


# --- 404 across schools, 403 within a school ------------------------------------------------


@pytest.mark.parametrize(
    "what",
    ["opleiden trajectory", "coaching trajectory", "learning group", "colleague", "invitation"],
)
def test_the_other_schools_coordinator_gets_404_for_anything_at_our_school(world, objects, what):
    obj = objects[what]
    with pytest.raises(Http404):
        get_for_user(world.people["other_school_coordinator"], type(obj).objects.all(), pk=obj.pk)


def test_the_other_schools_coordinator_opens_their_own_schools_trajectory(world):
    other = world.people["other_school_coordinator"]
    found = get_for_user(
        other, Trajectory.objects.all(), "end", pk=world.other_school_trajectory.pk
    )
    assert found == world.other_school_trajectory


@pytest.mark.parametrize(
    ("persona", "what"),
    [
        ("school_leader", "coaching trajectory"),
        ("coach", "opleiden trajectory"),
        ("opleider", "coaching trajectory"),
        ("student_teacher", "learning group"),
        ("procesbegeleider", "colleague"),
        ("coachee", "invitation"),
    ],
)
def test_someone_at_the_same_school_who_may_not_see_it_gets_403(world, objects, persona, what):
    obj = objects[what]
    with pytest.raises(PermissionDenied):
        get_for_user(world.people[persona], type(obj).objects.all(), pk=obj.pk)


def test_people_in_a_trajectory_open_it_with_the_action_they_may_take(world):
    get = Trajectory.objects.all()
    assert get_for_user(world.people["coachee"], get, "edit_content", pk=world.coaching.pk)
    assert get_for_user(world.people["coach"], get, "view_content", pk=world.coaching.pk)
    assert get_for_user(world.people["student_teacher"], get, "view_content", pk=world.opleiden.pk)
    with pytest.raises(PermissionDenied):
        get_for_user(world.people["coach"], get, "edit_content", pk=world.coaching.pk)


# --- Losing access --------------------------------------------------------------------------


def test_a_begeleider_whose_role_has_ended_loses_the_trajectory(world):
    coach = world.people["coach"]
    role = world.coaching.begeleider_role
    role.active_until = yesterday()
    role.save()
    world.coaching.refresh_from_db()
    assert not sees_trajectory(coach, world.coaching)
    assert allowed(coach, world.coaching) == set()
    with pytest.raises(PermissionDenied):
        get_for_user(coach, Trajectory.objects.all(), pk=world.coaching.pk)
    # The coachee keeps their own trajectory and its content.
    assert allowed(world.people["coachee"], world.coaching) >= {"view", "view_content"}


def test_a_role_that_ends_today_still_counts_today(world):
    role = world.coaching.begeleider_role
    role.active_until = timezone.localdate()
    role.save()
    world.coaching.refresh_from_db()
    assert can(world.people["coach"], "view_content", world.coaching)


def test_a_group_member_who_left_no_longer_sees_the_group(world):
    coach = world.people["coach"]
    LearningGroupMember.objects.filter(group=world.group, user=coach).update(
        left_on=timezone.localdate()
    )
    assert not sees_group(coach, world.group)
    assert allowed(coach, world.group) == set()
    with pytest.raises(PermissionDenied):
        get_for_user(coach, LearningGroup.objects.all(), pk=world.group.pk)
    # The members who stayed still see it.
    assert sees_group(world.people["opleider"], world.group)


@pytest.mark.parametrize("persona", ["coordinator", "coach", "coachee", "procesbegeleider"])
def test_an_inactive_user_can_do_nothing(world, colleague, persona):
    user = world.people[persona]
    user.is_active = False
    user.save()
    for obj in (
        world.opleiden,
        world.coaching,
        world.group,
        colleague,
        world.invitation,
        world.school,
    ):
        assert allowed(user, obj) == set(), obj
    assert not trajectories_visible_to(user).exists()
    assert not learning_groups_visible_to(user).exists()
    assert not people_visible_to(user).exists()


def test_anonymous_can_do_nothing(world):
    anonymous = AnonymousUser()
    assert not trajectories_visible_to(anonymous).exists()
    assert not learning_groups_visible_to(anonymous).exists()
    assert not people_visible_to(anonymous).exists()
    assert allowed(anonymous, world.coaching) == set()


def test_a_facilitator_deactivated_at_the_school_loses_the_group(world):
    facilitator = world.people["procesbegeleider"]
    # They still work at another school, so their account stays active.
    MembershipFactory(user=facilitator, school=world.other_school)
    services.person_deactivate(
        actor=world.people["coordinator"], user=facilitator, school=world.school
    )
    facilitator.refresh_from_db()
    assert facilitator.is_active
    assert not sees_group(facilitator, world.group)
    assert allowed(facilitator, world.group) == set()


def test_a_begeleider_deactivated_at_the_school_loses_coaching_content_at_once(world):
    coach = world.people["coach"]
    MembershipFactory(user=coach, school=world.other_school)
    services.person_deactivate(actor=world.people["coordinator"], user=coach, school=world.school)
    coaching = Trajectory.objects.get(pk=world.coaching.pk)
    assert not can(coach, "view_content", coaching)
    assert not sees_trajectory(coach, coaching)


# --- The rights table -----------------------------------------------------------------------

# Every persona against one object of each kind: which actions `can` allows. "-" is none.
# Trajectories: view, view_content, edit_content, end. Learning group: view, view_content,
# manage. Colleague (a teacher at the school) and invitation: view, manage.
RIGHTS = """
| persona                  | opleiden trajectory              | coaching trajectory              | other school's trajectory | learning group             | colleague    | invitation   |
|--------------------------|----------------------------------|----------------------------------|---------------------------|----------------------------|--------------|--------------|
| anonymous                | -                                | -                                | -                         | -                          | -            | -            |
| coordinator              | view, end                        | view, end                        | -                         | view, manage               | view, manage | view, manage |
| schoolopleider           | view, view_content               | -                                | -                         | -                          | -            | -            |
| opleider                 | view, view_content, edit_content | -                                | -                         | view, view_content         | -            | -            |
| coach                    | -                                | view, view_content               | -                         | view, view_content         | -            | -            |
| procesbegeleider         | -                                | -                                | -                         | view, view_content, manage | -            | -            |
| student_teacher          | view, view_content, edit_content | -                                | -                         | -                          | -            | -            |
| coachee                  | -                                | view, view_content, edit_content | -                         | -                          | -            | -            |
| school_leader            | -                                | -                                | -                         | -                          | -            | -            |
| other_school_coordinator | -                                | -                                | view, end                 | -                          | -            | -            |
"""  # noqa: E501 -- a table reads best unwrapped


def parse_rights(table: str) -> dict[tuple[str, str], set[str]]:
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in table.strip().splitlines()
    ]
    header, _rule, *body = rows
    return {
        (row[0], column): set() if cell == "-" else set(cell.split(", "))
        for row in body
        for column, cell in zip(header[1:], row[1:], strict=True)
    }


EXPECTED_RIGHTS = parse_rights(RIGHTS)


def test_the_rights_table_has_a_row_for_every_persona():
    assert {persona for persona, _ in EXPECTED_RIGHTS} == {*PERSONA_NAMES, "schoolopleider"}


@pytest.mark.parametrize(
    ("persona", "column"), EXPECTED_RIGHTS, ids=[f"{p}-{c}" for p, c in EXPECTED_RIGHTS]
)
def test_rights_table(people, objects, persona, column):
    assert allowed(people[persona], objects[column]) == EXPECTED_RIGHTS[persona, column]


def test_what_the_lists_show_matches_the_rights_table(people, objects):
    for name, user in people.items():
        listed = {
            *trajectories_visible_to(user),
            *learning_groups_visible_to(user),
            *people_visible_to(user),
        }
        for column, obj in objects.items():
            if column == "invitation":
                continue  # invitations are listed per person, not through a queryset here
            expected = "view" in EXPECTED_RIGHTS[name, column]
            assert (obj in listed) == expected, (name, column)


def test_unknown_actions_are_refused_loudly(world):
    with pytest.raises(ValueError, match="Unknown action"):
        can(world.people["coach"], "delete", world.coaching)
    with pytest.raises(ValueError, match="Unknown action"):
        can(world.people["coordinator"], "end", world.group)


def test_objects_without_a_rule_are_refused_loudly(world):
    with pytest.raises(TypeError, match="No access rule"):
        can(world.people["coordinator"], "view", Membership.objects.first())


# --- Reflection, goals and conversations ----------------------------------------------------
# A reflection cycle: view, own (write, share, withdraw, delete, continue), discuss (mark it
# discussed). Goals: view, edit. Conversations and their agreements: view, edit. Which of the
# owner's actions a cycle's state allows is the service's question, not the policy's.

CYCLE_ACTIONS = ("view", "own", "discuss")
CONTENT_ACTIONS = ("view", "edit")


def content_allowed(user, obj) -> set[str]:
    actions = CYCLE_ACTIONS if isinstance(obj, ReflectionCycle) else CONTENT_ACTIONS
    return {action for action in actions if can(user, action, obj)}


def cycle_in(trajectory, status: str) -> ReflectionCycle:
    traits = {CycleStatus.SHARED: {"shared": True}, CycleStatus.DISCUSSED: {"discussed": True}}
    return ReflectionCycleFactory(trajectory=trajectory, **traits.get(status, {}))


@pytest.fixture
def content(world):
    """Cycles in each state in both trajectories, goals, conversations and an agreement."""
    opleiden_conversation = ConversationFactory(trajectory=world.opleiden)
    coaching_conversation = ConversationFactory(trajectory=world.coaching)
    return {
        "opleiden draft": cycle_in(world.opleiden, CycleStatus.DRAFT),
        "opleiden shared": cycle_in(world.opleiden, CycleStatus.SHARED),
        "opleiden discussed": cycle_in(world.opleiden, CycleStatus.DISCUSSED),
        "coaching draft": cycle_in(world.coaching, CycleStatus.DRAFT),
        "coaching shared": cycle_in(world.coaching, CycleStatus.SHARED),
        "coaching discussed": cycle_in(world.coaching, CycleStatus.DISCUSSED),
        "other school's shared": cycle_in(world.other_school_trajectory, CycleStatus.SHARED),
        "opleiden goal": LearningGoalFactory(trajectory=world.opleiden),
        "coaching goal": LearningGoalFactory(trajectory=world.coaching),
        "opleiden conversation": opleiden_conversation,
        "coaching conversation": coaching_conversation,
        "opleiden agreement": AgreementFactory(conversation=opleiden_conversation),
        "coaching agreement": AgreementFactory(conversation=coaching_conversation),
    }


CYCLE_RIGHTS = """
| persona                  | opleiden draft      | opleiden shared     | opleiden discussed  | coaching draft      | coaching shared     | coaching discussed  | other school's shared |
|--------------------------|---------------------|---------------------|---------------------|---------------------|---------------------|---------------------|-----------------------|
| anonymous                | -                   | -                   | -                   | -                   | -                   | -                   | -                     |
| coordinator              | -                   | -                   | -                   | -                   | -                   | -                   | -                     |
| schoolopleider           | -                   | view                | view                | -                   | -                   | -                   | -                     |
| opleider                 | -                   | view, discuss       | view, discuss       | -                   | -                   | -                   | -                     |
| coach                    | -                   | -                   | -                   | -                   | view, discuss       | view, discuss       | -                     |
| procesbegeleider         | -                   | -                   | -                   | -                   | -                   | -                   | -                     |
| student_teacher          | view, own, discuss  | view, own, discuss  | view, own, discuss  | -                   | -                   | -                   | -                     |
| coachee                  | -                   | -                   | -                   | view, own, discuss  | view, own, discuss  | view, own, discuss  | -                     |
| school_leader            | -                   | -                   | -                   | -                   | -                   | -                   | -                     |
| other_school_coordinator | -                   | -                   | -                   | -                   | -                   | -                   | -                     |
"""  # noqa: E501 -- a table reads best unwrapped

# In coaching the coachee alone sets and changes goals; conversations are kept by both people
# of the trajectory, who held them together. The schoolopleider reads opleiden content.
GOAL_AND_CONVERSATION_RIGHTS = """
| persona                  | opleiden goal | coaching goal | opleiden conversation | coaching conversation | opleiden agreement | coaching agreement |
|--------------------------|---------------|---------------|-----------------------|-----------------------|--------------------|--------------------|
| anonymous                | -             | -             | -                     | -                     | -                  | -                  |
| coordinator              | -             | -             | -                     | -                     | -                  | -                  |
| schoolopleider           | view          | -             | view                  | -                     | view               | -                  |
| opleider                 | view, edit    | -             | view, edit            | -                     | view, edit         | -                  |
| coach                    | -             | view          | -                     | view, edit            | -                  | view, edit         |
| procesbegeleider         | -             | -             | -                     | -                     | -                  | -                  |
| student_teacher          | view, edit    | -             | view, edit            | -                     | view, edit         | -                  |
| coachee                  | -             | view, edit    | -                     | view, edit            | -                  | view, edit         |
| school_leader            | -             | -             | -                     | -                     | -                  | -                  |
| other_school_coordinator | -             | -             | -                     | -                     | -                  | -                  |
"""  # noqa: E501 -- a table reads best unwrapped

EXPECTED_CONTENT_RIGHTS = parse_rights(CYCLE_RIGHTS) | parse_rights(GOAL_AND_CONVERSATION_RIGHTS)


def test_the_content_rights_tables_have_a_row_for_every_persona():
    assert {persona for persona, _ in EXPECTED_CONTENT_RIGHTS} == {*PERSONA_NAMES, "schoolopleider"}


@pytest.mark.parametrize(
    ("persona", "column"),
    EXPECTED_CONTENT_RIGHTS,
    ids=[f"{p}-{c}" for p, c in EXPECTED_CONTENT_RIGHTS],
)
def test_content_rights_table(people, content, persona, column):
    assert (
        content_allowed(people[persona], content[column])
        == EXPECTED_CONTENT_RIGHTS[persona, column]
    )


def test_what_the_content_lists_show_is_what_can_view_allows(people, content):
    for name, user in people.items():
        listed = {
            *cycles_visible_to(user),
            *goals_visible_to(user),
            *conversations_visible_to(user),
        }
        for column, obj in content.items():
            if isinstance(obj, Agreement):
                continue  # agreements are listed with their conversation
            assert (obj in listed) == can(user, "view", obj), (name, column)
            assert (obj in listed) == ("view" in EXPECTED_CONTENT_RIGHTS[name, column])


def test_comments_evidence_and_agreements_follow_what_they_belong_to(people, content, world):
    cycle = content["coaching shared"]
    comment = CycleCommentFactory(cycle=cycle)
    evidence = GoalEvidenceFactory(goal=content["coaching goal"], visit=None, cycle=cycle)
    for name, user in people.items():
        assert can(user, "view", comment) == can(user, "view", cycle), name
        assert content_allowed(user, evidence) == content_allowed(user, evidence.goal), name


def test_a_cycle_without_a_trajectory_exists_for_its_owner_only(people, world):
    cycle = ReflectionCycleFactory(trajectory=None, owner=world.people["student_teacher"])
    readers = {name for name, user in people.items() if can(user, "view", cycle)}
    assert readers == {"student_teacher"}
    # Even someone at the owner's school finds nothing there: no trajectory, no school.
    with pytest.raises(Http404):
        get_for_user(world.people["opleider"], ReflectionCycle.objects.all(), pk=cycle.pk)


@pytest.mark.parametrize(
    ("persona", "column", "refusal"),
    [
        ("opleider", "opleiden draft", PermissionDenied),
        ("coordinator", "coaching shared", PermissionDenied),
        ("school_leader", "opleiden shared", PermissionDenied),
        ("coach", "opleiden shared", PermissionDenied),
        ("schoolopleider", "coaching shared", PermissionDenied),
        ("other_school_coordinator", "coaching shared", Http404),
        ("other_school_coordinator", "opleiden shared", Http404),
        ("coordinator", "other school's shared", Http404),
    ],
)
def test_a_cycle_is_403_within_the_school_and_404_outside(
    people, content, persona, column, refusal
):
    with pytest.raises(refusal):
        get_for_user(people[persona], ReflectionCycle.objects.all(), pk=content[column].pk)


@pytest.mark.parametrize(
    ("persona", "column", "refusal"),
    [
        ("coordinator", "coaching goal", PermissionDenied),
        ("coordinator", "coaching conversation", PermissionDenied),
        ("coordinator", "coaching agreement", PermissionDenied),
        ("other_school_coordinator", "coaching goal", Http404),
        ("other_school_coordinator", "coaching conversation", Http404),
        ("other_school_coordinator", "coaching agreement", Http404),
    ],
)
def test_coaching_goals_and_conversations_are_403_within_the_school_and_404_outside(
    people, content, persona, column, refusal
):
    obj = content[column]
    with pytest.raises(refusal):
        get_for_user(people[persona], type(obj).objects.all(), pk=obj.pk)


def test_withdrawing_a_cycle_takes_it_from_the_begeleider_at_once(world):
    cycle = cycle_in(world.coaching, CycleStatus.SHARED)
    coach = world.people["coach"]
    assert cycles_visible_to(coach).filter(pk=cycle.pk).exists()
    reflection_services.cycle_withdraw(actor=world.people["coachee"], cycle=cycle)
    cycle.refresh_from_db()
    assert not can(coach, "view", cycle)
    assert not cycles_visible_to(coach).filter(pk=cycle.pk).exists()
    assert content_allowed(world.people["coachee"], cycle) == set(CYCLE_ACTIONS)


def test_a_begeleider_whose_role_ended_no_longer_reads_or_discusses_shared_cycles(world):
    cycle = cycle_in(world.coaching, CycleStatus.SHARED)
    conversation = ConversationFactory(trajectory=world.coaching)
    role = world.coaching.begeleider_role
    role.active_until = yesterday()
    role.save()
    cycle = ReflectionCycle.objects.get(pk=cycle.pk)
    conversation = Conversation.objects.get(pk=conversation.pk)
    coach = world.people["coach"]
    assert content_allowed(coach, cycle) == set()
    assert content_allowed(coach, conversation) == set()
    assert not cycles_visible_to(coach).exists()
    assert not conversations_visible_to(coach).exists()


def test_the_coach_of_a_student_teacher_does_not_read_their_opleiden_reflection(world):
    """A student teacher who is coached too: their opleiden reflection is not the coach's."""
    coaching = TrajectoryFactory(
        begeleider_role=world.coaching.begeleider_role, teacher=world.people["student_teacher"]
    )
    cycle = cycle_in(world.opleiden, CycleStatus.SHARED)
    assert coaching.is_coaching
    assert not can(world.people["coach"], "view", cycle)
    assert can(world.people["coach"], "view_content", coaching)


# --- Conversation reports -------------------------------------------------------------------
# view: ask for a report, follow it, download it, try a failed one again; confirm: "seen and
# agreed". A report is read by whoever reads its conversation, and confirmed by the people who
# took part in it: a coordinator, a school leader or an administrator never has it.

REPORT_ACTIONS = ("view", "confirm")


@pytest.fixture
def reports(world):
    """A finished report of a nagesprek and a coachgesprek (each with the pair taking part),
    and one of the other school's."""
    return {
        "opleiden report": ConversationReportFactory(
            conversation=ConversationFactory(trajectory=world.opleiden), done=True
        ),
        "coaching report": ConversationReportFactory(
            conversation=ConversationFactory(trajectory=world.coaching), done=True
        ),
        "other school's report": ConversationReportFactory(
            conversation=ConversationFactory(trajectory=world.other_school_trajectory), done=True
        ),
    }


REPORT_RIGHTS = """
| persona                  | opleiden report | coaching report | other school's report |
|--------------------------|-----------------|-----------------|-----------------------|
| anonymous                | -               | -               | -                     |
| coordinator              | -               | -               | -                     |
| schoolopleider           | view            | -               | -                     |
| opleider                 | view, confirm   | -               | -                     |
| coach                    | -               | view, confirm   | -                     |
| procesbegeleider         | -               | -               | -                     |
| student_teacher          | view, confirm   | -               | -                     |
| coachee                  | -               | view, confirm   | -                     |
| school_leader            | -               | -               | -                     |
| other_school_coordinator | -               | -               | -                     |
"""

EXPECTED_REPORT_RIGHTS = parse_rights(REPORT_RIGHTS)


def report_allowed(user, report) -> set[str]:
    return {action for action in REPORT_ACTIONS if can(user, action, report)}


def test_the_report_rights_table_has_a_row_for_every_persona():
    assert {persona for persona, _ in EXPECTED_REPORT_RIGHTS} == {*PERSONA_NAMES, "schoolopleider"}


@pytest.mark.parametrize(
    ("persona", "column"),
    EXPECTED_REPORT_RIGHTS,
    ids=[f"{p}-{c}" for p, c in EXPECTED_REPORT_RIGHTS],
)
def test_report_rights_table(people, reports, persona, column):
    assert (
        report_allowed(people[persona], reports[column]) == EXPECTED_REPORT_RIGHTS[persona, column]
    )


def test_a_report_is_read_by_exactly_those_who_read_its_conversation(people, reports):
    for name, user in people.items():
        for column, report in reports.items():
            assert can(user, "view", report) == can(user, "view", report.conversation), (
                name,
                column,
            )


@pytest.mark.parametrize(
    ("persona", "column", "refusal"),
    [
        ("coordinator", "coaching report", PermissionDenied),
        ("coordinator", "opleiden report", PermissionDenied),
        ("school_leader", "coaching report", PermissionDenied),
        ("school_leader", "opleiden report", PermissionDenied),
        ("procesbegeleider", "coaching report", PermissionDenied),
        ("opleider", "coaching report", PermissionDenied),
        ("coach", "opleiden report", PermissionDenied),
        ("schoolopleider", "coaching report", PermissionDenied),
        ("other_school_coordinator", "coaching report", Http404),
        ("other_school_coordinator", "opleiden report", Http404),
        ("coordinator", "other school's report", Http404),
        ("student_teacher", "other school's report", Http404),
    ],
)
def test_a_report_is_403_within_the_school_and_404_outside(
    people, reports, persona, column, refusal
):
    with pytest.raises(refusal):
        get_for_user(people[persona], ConversationReport.objects.all(), pk=reports[column].pk)


def test_the_schoolopleider_confirms_only_a_conversation_they_took_part_in(people, reports):
    """Reading a nagesprek does not make one a participant; being added to it does."""
    schoolopleider = people["schoolopleider"]
    report = reports["opleiden report"]
    with pytest.raises(PermissionDenied):
        get_for_user(schoolopleider, ConversationReport.objects.all(), "confirm", pk=report.pk)
    report.conversation.participants.add(schoolopleider)
    found = get_for_user(schoolopleider, ConversationReport.objects.all(), "confirm", pk=report.pk)
    assert found == report


def test_a_coach_whose_role_ended_can_no_longer_get_or_confirm_the_report(world, reports):
    role = world.coaching.begeleider_role
    role.active_until = yesterday()
    role.save()
    report = ConversationReport.objects.get(pk=reports["coaching report"].pk)
    assert report_allowed(world.people["coach"], report) == set()
    assert report_allowed(world.people["coachee"], report) == set(REPORT_ACTIONS)


def test_an_inactive_participant_can_do_nothing_with_a_report(world, reports):
    coachee = world.people["coachee"]
    coachee.is_active = False
    coachee.save()
    assert report_allowed(coachee, reports["coaching report"]) == set()
