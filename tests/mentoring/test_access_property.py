"""The access policy against random schools: what a list shows is exactly what `can` allows.

Hypothesis draws small worlds (1-3 schools, 2-8 people, random memberships, roles,
trajectories and learning groups, and for some properties lesson visits and observations, or
reflection cycles, learning goals and conversations) as plain data, and each example builds
them with the ORM inside a savepoint that is rolled back afterwards. Rows are made directly,
not through the services: the services refuse some combinations, but the policy must be right
for any data the database constraints allow (a role without a membership, a facilitator who
left the school, a reflection in a trajectory of someone else).
"""

import datetime
from dataclasses import dataclass, replace

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mentoring.access import (
    can,
    conversations_visible_to,
    cycles_visible_to,
    get_for_user,
    goals_visible_to,
    learning_groups_visible_to,
    observations_visible_to,
    people_visible_to,
    trajectories_visible_to,
    visits_visible_to,
)
from observations.models import LessonVisit, Observation, ObservationStatus, VisitStatus
from reflection.models import (
    Conversation,
    ConversationKind,
    ConversationReport,
    CycleKind,
    CycleStatus,
    LearningGoal,
    ReflectionCycle,
)
from roles.models import (
    ROLE_FOR_KIND,
    LearningGroup,
    LearningGroupMember,
    Membership,
    OpleiderKind,
    Role,
    StaffKind,
    TeacherStage,
    Trajectory,
    TrajectoryKind,
    TrajectoryStatus,
    User,
)
from tests.conftest import ensure_icalt
from tests.factories import (
    LearningGroupFactory,
    MembershipFactory,
    RoleAssignmentFactory,
    SchoolFactory,
    SchoolYearFactory,
    TrajectoryFactory,
    UserFactory,
    icalt,
)

pytestmark = pytest.mark.django_db

TRAJECTORY_ACTIONS = ("view", "view_content", "edit_content", "end")
GROUP_ACTIONS = ("view", "view_content", "manage")
PERSON_ACTIONS = ("view", "manage")

KIND_FOR_ROLE = {role: kind for kind, role in ROLE_FOR_KIND.items()}
# How a role assignment's period relates to today; "today" is its last day, so still active.
ROLE_PERIODS = ("open", "today", "later", "ended")

property_settings = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# --- Worlds as plain data -------------------------------------------------------------------


@dataclass(frozen=True)
class RolePlan:
    user: int
    school: int
    role: str
    opleider_kind: str = ""
    period: str = "open"


@dataclass(frozen=True)
class TrajectoryPlan:
    role: int  # index into WorldPlan.roles; the role decides begeleider, school and kind
    teacher: int
    stage: str = TeacherStage.STARTER_1
    study_year: int | None = None
    ended: bool = False


@dataclass(frozen=True)
class GroupPlan:
    school: int
    facilitators: tuple[int, ...] = ()
    members: tuple[tuple[int, bool], ...] = ()  # (user, has left)


@dataclass(frozen=True)
class ObservationPlan:
    observer: int  # usually the trajectory's begeleider, sometimes anyone in the world
    final: bool = False


@dataclass(frozen=True)
class VisitPlan:
    trajectory: int  # index into WorldPlan.trajectories; planned by its begeleider
    status: str = VisitStatus.PLANNED
    observations: tuple[ObservationPlan, ...] = ()


@dataclass(frozen=True)
class CyclePlan:
    owner: int  # usually the trajectory's teacher, sometimes anyone in the world
    trajectory: int | None  # None: a draft not yet meant for any trajectory
    status: str = CycleStatus.DRAFT


@dataclass(frozen=True)
class WorldPlan:
    schools: int
    active_accounts: tuple[bool, ...]  # one per person: may they log in at all?
    memberships: tuple[tuple[int, int, str, bool], ...] = ()  # (user, school, kind, active)
    roles: tuple[RolePlan, ...] = ()
    trajectories: tuple[TrajectoryPlan, ...] = ()
    groups: tuple[GroupPlan, ...] = ()
    visits: tuple[VisitPlan, ...] = ()
    cycles: tuple[CyclePlan, ...] = ()
    goals: tuple[int, ...] = ()  # the trajectory of each learning goal
    conversations: tuple[int, ...] = ()  # the trajectory of each conversation


mostly_true = st.sampled_from((True, True, True, False))
# The kinds that widen what someone sees come up twice as often as the others.
staff_kinds = st.sampled_from((*StaffKind.values, StaffKind.COORDINATOR))
opleider_kinds = st.sampled_from((*OpleiderKind.values, OpleiderKind.SCHOOLOPLEIDER))


@st.composite
def role_plans(draw, places) -> RolePlan:
    user, school = draw(places)
    role = draw(st.sampled_from(Role.values))
    return RolePlan(
        user=user,
        school=school,
        role=role,
        opleider_kind=draw(opleider_kinds) if role == Role.OPLEIDER else "",
        period=draw(st.sampled_from(ROLE_PERIODS)),
    )


@st.composite
def trajectory_plans(draw, roles, users) -> TrajectoryPlan:
    stage = draw(st.sampled_from(TeacherStage.values))
    return TrajectoryPlan(
        role=draw(roles),
        teacher=draw(users),
        stage=stage,
        study_year=draw(st.integers(1, 4)) if stage == TeacherStage.STUDENT_TEACHER else None,
        ended=draw(st.booleans()),
    )


@st.composite
def worlds(draw, *, deactivated_accounts: bool = False) -> WorldPlan:
    # sampled_from rather than integers: sizes spread evenly instead of clustering at the
    # minimum, so a third person (a coordinator, a schoolopleider) is usually around.
    n_schools = draw(st.sampled_from((1, 2, 3)))
    n_users = draw(st.sampled_from(range(2, 9)))
    schools = st.integers(0, n_schools - 1)
    users = st.integers(0, n_users - 1)
    active_accounts = tuple(
        draw(mostly_true) if deactivated_accounts else True for _ in range(n_users)
    )
    memberships = [
        (user, school, kind, active)
        for user in range(n_users)
        for school, kind, active in draw(
            st.lists(
                st.tuples(schools, staff_kinds, mostly_true),
                min_size=1,
                max_size=2,
                unique_by=lambda m: m[:2],
            )
        )
    ]
    # Roles mostly where the person works, sometimes anywhere (a role the database allows
    # without a membership).
    places = st.one_of(
        st.sampled_from([(user, school) for user, school, _, _ in memberships]),
        st.tuples(users, schools),
    )
    roles = draw(
        st.lists(
            role_plans(places),
            min_size=1,
            max_size=8,
            unique_by=lambda r: (r.user, r.school, r.role),
        )
    )
    begeleider_roles = [i for i, r in enumerate(roles) if r.role in ROLE_FOR_KIND.values()]
    trajectories = []
    if begeleider_roles:
        open_pairs = set()
        for plan in draw(
            st.lists(
                trajectory_plans(st.sampled_from(begeleider_roles), users), min_size=1, max_size=8
            )
        ):
            role = roles[plan.role]
            pair = (role.user, plan.teacher, role.role)
            # The database refuses self-supervision and a second open trajectory per pair.
            if plan.teacher == role.user or (not plan.ended and pair in open_pairs):
                continue
            if not plan.ended:
                open_pairs.add(pair)
            trajectories.append(plan)
    groups = draw(
        st.lists(
            st.builds(
                GroupPlan,
                school=schools,
                facilitators=st.lists(users, max_size=2, unique=True).map(tuple),
                members=st.lists(
                    st.tuples(users, st.booleans()), max_size=4, unique_by=lambda m: m[0]
                ).map(tuple),
            ),
            max_size=3,
        )
    )
    return WorldPlan(
        schools=n_schools,
        active_accounts=active_accounts,
        memberships=tuple(memberships),
        roles=tuple(roles),
        trajectories=tuple(trajectories),
        groups=tuple(groups),
    )


@st.composite
def worlds_with_visits(draw) -> WorldPlan:
    """A world as above, with 0-2 lesson visits per trajectory and 0-2 observations per visit
    (one per observer, as the database demands)."""
    world = draw(worlds(deactivated_accounts=True))
    users = st.integers(0, len(world.active_accounts) - 1)
    visits = []
    for index, trajectory in enumerate(world.trajectories):
        begeleider = world.roles[trajectory.role].user
        observers = st.one_of(st.just(begeleider), users)
        for status in draw(st.lists(st.sampled_from(VisitStatus.values), max_size=2)):
            observations = draw(
                st.lists(
                    st.builds(ObservationPlan, observer=observers, final=st.booleans()),
                    max_size=2,
                    unique_by=lambda o: o.observer,
                )
            )
            visits.append(
                VisitPlan(trajectory=index, status=status, observations=tuple(observations))
            )
    return replace(world, visits=tuple(visits))


@st.composite
def worlds_with_reflection(draw) -> WorldPlan:
    """A world as above, with 0-6 reflection cycles in any state (a shared one always has a
    trajectory, as the database demands) and 0-3 goals and conversations."""
    world = draw(worlds(deactivated_accounts=True))
    users = st.integers(0, len(world.active_accounts) - 1)
    n_trajectories = len(world.trajectories)
    cycles = []
    for _ in range(draw(st.integers(0, 6))):
        trajectory = (
            draw(st.none() | st.integers(0, n_trajectories - 1)) if n_trajectories else None
        )
        teacher = world.trajectories[trajectory].teacher if trajectory is not None else None
        owner = draw(users if teacher is None else st.one_of(st.just(teacher), users))
        statuses = CycleStatus.values if trajectory is not None else [CycleStatus.DRAFT]
        cycles.append(CyclePlan(owner, trajectory, draw(st.sampled_from(statuses))))
    in_a_trajectory = st.lists(st.integers(0, n_trajectories - 1), max_size=3).map(tuple)
    return replace(
        world,
        cycles=tuple(cycles),
        goals=draw(in_a_trajectory) if n_trajectories else (),
        conversations=draw(in_a_trajectory) if n_trajectories else (),
    )


# --- Building a world in the database -------------------------------------------------------


@dataclass
class BuiltWorld:
    users: list[User]
    trajectories: list[Trajectory]
    groups: list[LearningGroup]
    visits: list[LessonVisit]
    observations: list[Observation]
    cycles: list[ReflectionCycle]
    goals: list[LearningGoal]
    conversations: list[Conversation]


def build(plan: WorldPlan) -> BuiltWorld:
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(days=90)
    year = SchoolYearFactory()
    schools = [SchoolFactory() for _ in range(plan.schools)]
    users = [UserFactory(is_active=active) for active in plan.active_accounts]
    for user, school, kind, active in plan.memberships:
        MembershipFactory(
            user=users[user], school=schools[school], staff_kind=kind, is_active=active
        )
    until = {
        "open": None,
        "today": today,
        "later": today + datetime.timedelta(days=30),
        "ended": today - datetime.timedelta(days=1),
    }
    roles = [
        RoleAssignmentFactory(
            user=users[r.user],
            school=schools[r.school],
            school_year=year,
            role=r.role,
            opleider_kind=r.opleider_kind,
            active_from=long_ago,
            active_until=until[r.period],
        )
        for r in plan.roles
    ]
    trajectories = [
        TrajectoryFactory(
            begeleider_role=roles[t.role],
            teacher=users[t.teacher],
            kind=KIND_FOR_ROLE[plan.roles[t.role].role],
            stage=t.stage,
            study_year=t.study_year,
            starts_on=long_ago,
            status=TrajectoryStatus.ENDED if t.ended else TrajectoryStatus.ACTIVE,
            ends_on=today - datetime.timedelta(days=1) if t.ended else None,
        )
        for t in plan.trajectories
    ]
    groups = []
    for g in plan.groups:
        group = LearningGroupFactory(
            school=schools[g.school],
            school_year=year,
            facilitators=[users[f] for f in g.facilitators],
        )
        for member, has_left in g.members:
            LearningGroupMember.objects.create(
                group=group,
                user=users[member],
                joined_on=long_ago,
                left_on=today - datetime.timedelta(days=1) if has_left else None,
            )
        groups.append(group)
    visits, observations = [], []
    if plan.visits:
        ensure_icalt()
        instrument = icalt()
    now = timezone.now()
    for v in plan.visits:
        trajectory = trajectories[v.trajectory]
        visit = LessonVisit.objects.create(
            trajectory=trajectory,
            planned_by=trajectory.begeleider,
            starts_at=now,
            status=v.status,
        )
        visits.append(visit)
        for o in v.observations:
            observations.append(
                Observation.objects.create(
                    visit=visit,
                    instrument=instrument,
                    observer=users[o.observer],
                    status=ObservationStatus.FINAL if o.final else ObservationStatus.DRAFT,
                    finalised_at=now if o.final else None,
                )
            )
    cycles = [
        ReflectionCycle.objects.create(
            owner=users[c.owner],
            trajectory=None if c.trajectory is None else trajectories[c.trajectory],
            kind=CycleKind.ALACT,
            title="reflectie",
            status=c.status,
            shared_at=None if c.status == CycleStatus.DRAFT else now,
            discussed_at=now if c.status == CycleStatus.DISCUSSED else None,
        )
        for c in plan.cycles
    ]
    goals = [
        LearningGoal.objects.create(
            trajectory=trajectories[t],
            owner=trajectories[t].teacher,
            created_by=trajectories[t].teacher,
            title="leerdoel",
        )
        for t in plan.goals
    ]
    conversations = [
        Conversation.objects.create(
            trajectory=trajectories[t],
            kind=ConversationKind.COACHGESPREK,
            held_on=today,
            created_by=trajectories[t].begeleider,
        )
        for t in plan.conversations
    ]
    return BuiltWorld(
        users=users,
        trajectories=trajectories,
        groups=groups,
        visits=visits,
        observations=observations,
        cycles=cycles,
        goals=goals,
        conversations=conversations,
    )


def in_a_rolled_back_savepoint(check):
    """Build the example's world, run `check` on it, and leave nothing behind for the next."""

    def run(plan: WorldPlan) -> None:
        with transaction.atomic():
            check(build(plan))
            transaction.set_rollback(True)

    return run


def pks(queryset) -> list[int]:
    return list(queryset.values_list("pk", flat=True))


def active_school_ids(user: User) -> set[int]:
    return set(
        Membership.objects.filter(user=user, is_active=True).values_list("school_id", flat=True)
    )


def works_at(user: User, school_id: int) -> bool:
    return Membership.objects.filter(user=user, school_id=school_id, is_active=True).exists()


def is_active_begeleider(user: User, trajectory: Trajectory) -> bool:
    """Worked out from the rows, not through the policy: their account, role and membership
    all still run."""
    until = trajectory.begeleider_role.active_until
    return (
        user.is_active
        and trajectory.begeleider_id == user.pk
        and (until is None or until >= timezone.localdate())
        and works_at(user, trajectory.school_id)
    )


def is_schoolopleider_at(user: User, school_id: int) -> bool:
    """Any schoolopleider role there, running or not: those people are left out of the rule
    that coordinators never see observations, since for opleiden they read content."""
    return user.role_assignments.filter(
        school_id=school_id, role=Role.OPLEIDER, opleider_kind=OpleiderKind.SCHOOLOPLEIDER
    ).exists()


# --- The checks ----------------------------------------------------------------------------


def check_lists_equal_can_view(world: BuiltWorld) -> None:
    for i, user in enumerate(world.users):
        listed = {
            "trajectory": pks(trajectories_visible_to(user)),
            "group": pks(learning_groups_visible_to(user)),
            "person": pks(people_visible_to(user)),
        }
        for kind, found in listed.items():
            assert len(found) == len(set(found)), f"user {i} is shown a {kind} twice"
        objects = {
            "trajectory": world.trajectories,
            "group": world.groups,
            "person": world.users,
        }
        for kind, candidates in objects.items():
            for j, obj in enumerate(candidates):
                assert (obj.pk in listed[kind]) == can(user, "view", obj), (
                    f"user {i}, {kind} {j}: listed={obj.pk in listed[kind]}, "
                    f"can view={can(user, 'view', obj)}"
                )


def check_content_rules(world: BuiltWorld) -> None:
    for i, user in enumerate(world.users):
        schools = active_school_ids(user)
        for j, trajectory in enumerate(world.trajectories):
            allowed = {a for a in TRAJECTORY_ACTIONS if can(user, a, trajectory)}
            where = f"user {i}, trajectory {j}: {sorted(allowed)}"
            # Whatever one may do to a trajectory, one may see that it exists.
            assert not allowed or "view" in allowed, where
            assert "edit_content" not in allowed or "view_content" in allowed, where
            participant = user.pk in (trajectory.teacher_id, trajectory.begeleider_id)
            # Coaching content belongs to the pair: no coordinator, school leader or
            # schoolopleider reads it, whatever else they are.
            if trajectory.is_coaching and "view_content" in allowed:
                assert participant, where
            # Outside one's own schools, only one's own trajectories exist...
            if trajectory.school_id not in schools and not participant:
                assert not allowed, where
                # ... and the others are a 404, so their existence does not leak.
                with pytest.raises(Http404):
                    get_for_user(user, Trajectory.objects.all(), pk=trajectory.pk)
            # What a list shows, the page opens.
            if "view" in allowed:
                assert get_for_user(user, Trajectory.objects.all(), pk=trajectory.pk) == trajectory
        for j, group in enumerate(world.groups):
            allowed = {a for a in GROUP_ACTIONS if can(user, a, group)}
            assert not allowed or "view" in allowed, f"user {i}, group {j}: {sorted(allowed)}"
        for j, person in enumerate(world.users):
            allowed = {a for a in PERSON_ACTIONS if can(user, a, person)}
            if allowed:
                # Only a coordinator of a school the person belongs (or belonged) to.
                shared = Membership.objects.filter(
                    user=person,
                    school__memberships__user=user,
                    school__memberships__is_active=True,
                    school__memberships__staff_kind=StaffKind.COORDINATOR,
                )
                assert shared.exists(), f"user {i}, person {j}: {sorted(allowed)}"


def check_visits_and_observations(world: BuiltWorld) -> None:
    for i, user in enumerate(world.users):
        listed_visits = pks(visits_visible_to(user))
        listed_observations = pks(observations_visible_to(user))
        assert len(listed_visits) == len(set(listed_visits)), f"user {i} is shown a visit twice"
        assert len(listed_observations) == len(set(listed_observations)), (
            f"user {i} is shown an observation twice"
        )
        manages_a_school = Membership.objects.filter(
            user=user,
            is_active=True,
            staff_kind__in=(StaffKind.COORDINATOR, StaffKind.SCHOOL_LEADER),
        ).exists()
        for j, visit in enumerate(world.visits):
            listed = visit.pk in listed_visits
            may_view = can(user, "view", visit)
            assert listed == may_view, f"user {i}, visit {j}: listed={listed}, can view={may_view}"
            # A visit is seen by whoever sees its trajectory, no one else.
            assert may_view == can(user, "view", visit.trajectory), f"user {i}, visit {j}"
        for j, observation in enumerate(world.observations):
            listed = observation.pk in listed_observations
            may_view = can(user, "view", observation)
            where = f"user {i}, observation {j}: listed={listed}, can view={may_view}"
            assert listed == may_view, where
            trajectory = observation.visit.trajectory
            is_observer = observation.observer_id == user.pk
            is_teacher = user.is_active and trajectory.teacher_id == user.pk
            if listed:
                # Who sees an observation sees the visit it belongs to.
                assert observation.visit_id in listed_visits, where
            if observation.status == ObservationStatus.DRAFT and listed:
                # A draft is its observer's alone, and only while they may read the content.
                assert is_observer, where
                assert can(user, "view_content", trajectory), where
            if observation.status == ObservationStatus.FINAL and trajectory.is_coaching:
                # Final coaching observations: exactly the coachee and the active coach. (Only
                # the coach may observe in coaching, so an observer outside the pair sees
                # nothing either.)
                assert listed == (is_teacher or is_active_begeleider(user, trajectory)), where
            if (
                manages_a_school
                and user.pk
                not in (trajectory.teacher_id, trajectory.begeleider_id, observation.observer_id)
                and not (
                    trajectory.kind == TrajectoryKind.OPLEIDEN
                    and is_schoolopleider_at(user, trajectory.school_id)
                )
            ):
                # Coordinators and school leaders as such never see an observation.
                assert not listed, where


def check_reflection_goals_and_conversations(world: BuiltWorld) -> None:
    for i, user in enumerate(world.users):
        schools = active_school_ids(user)
        listed = {
            "cycle": pks(cycles_visible_to(user)),
            "goal": pks(goals_visible_to(user)),
            "conversation": pks(conversations_visible_to(user)),
        }
        for kind, found in listed.items():
            assert len(found) == len(set(found)), f"user {i} is shown a {kind} twice"
        objects = {"cycle": world.cycles, "goal": world.goals, "conversation": world.conversations}
        for kind, candidates in objects.items():
            for j, obj in enumerate(candidates):
                where = f"user {i}, {kind} {j}"
                shown = obj.pk in listed[kind]
                assert shown == can(user, "view", obj), f"{where}: listed={shown}"
                if shown:
                    # What a list shows, the page opens.
                    assert get_for_user(user, type(obj).objects.all(), pk=obj.pk) == obj, where
                if kind != "cycle":
                    # Goals and conversations are content of the trajectory, nothing more.
                    assert shown == can(user, "view_content", obj.trajectory), where
        for j, cycle in enumerate(world.cycles):
            where = f"user {i}, cycle {j} ({cycle.status})"
            shown = cycle.pk in listed["cycle"]
            is_owner = user.is_active and cycle.owner_id == user.pk
            trajectory = cycle.trajectory
            if cycle.status == CycleStatus.DRAFT:
                # A draft is its owner's alone; without a trajectory it exists for no one else.
                assert shown == is_owner, where
                if trajectory is None and cycle.owner_id != user.pk:
                    with pytest.raises(Http404):
                        get_for_user(user, ReflectionCycle.objects.all(), pk=cycle.pk)
                continue
            if trajectory.is_coaching and shown and not is_owner:
                # A shared coaching reflection: the coachee and the active coach, no one else.
                assert user.is_active and (
                    trajectory.teacher_id == user.pk or is_active_begeleider(user, trajectory)
                ), where
            if not is_owner:
                assert shown == can(user, "view_content", trajectory), where
            participant = user.pk in (trajectory.teacher_id, trajectory.begeleider_id)
            if (
                cycle.owner_id != user.pk
                and trajectory.school_id not in schools
                and not participant
            ):
                # Outside one's schools, someone else's reflection does not exist.
                with pytest.raises(Http404):
                    get_for_user(user, ReflectionCycle.objects.all(), pk=cycle.pk)


def answer(user: User, model, pk: int) -> str:
    """What a URL naming the object answers the user: the object, 403 or 404."""
    try:
        get_for_user(user, model.objects.all(), pk=pk)
    except Http404:
        return "404"
    except PermissionDenied:
        return "403"
    return "found"


def check_reports_follow_their_conversation(world: BuiltWorld) -> None:
    """A report of each conversation; the teacher takes part in every conversation, the
    begeleider in every other one."""
    reports = []
    for j, conversation in enumerate(world.conversations):
        trajectory = conversation.trajectory
        conversation.participants.set(
            [trajectory.teacher] if j % 2 == 0 else [trajectory.teacher, trajectory.begeleider]
        )
        reports.append(
            ConversationReport.objects.create(
                conversation=conversation,
                requested_by=trajectory.teacher,
                render_for=trajectory.teacher,
                language="nl",
            )
        )
    for i, user in enumerate(world.users):
        for j, report in enumerate(reports):
            where = f"user {i}, report {j}"
            conversation = report.conversation
            reads = can(user, "view", conversation)
            assert can(user, "view", report) == reads, where
            took_part = conversation.participants.filter(pk=user.pk).exists()
            assert can(user, "confirm", report) == (reads and took_part), where
            # The same answer from a URL as the conversation's: never 403 where that is 404.
            assert answer(user, ConversationReport, report.pk) == answer(
                user, Conversation, conversation.pk
            ), where


def check_nobody_sees_groups_outside_their_schools(world: BuiltWorld) -> None:
    for i, user in enumerate(world.users):
        schools = active_school_ids(user)
        for j, group in enumerate(world.groups):
            where = f"user {i}, group {j}"
            if group.school_id not in schools:
                assert not can(user, "view", group), where
            if can(user, "view", group):
                assert get_for_user(user, LearningGroup.objects.all(), pk=group.pk) == group, where


# --- The properties -------------------------------------------------------------------------


# A deactivated account in a trajectory: lists must hide it from them as can() does.
DEACTIVATED_COACHEE = WorldPlan(
    schools=1,
    active_accounts=(True, False),
    memberships=((0, 0, StaffKind.TEACHER, True), (1, 0, StaffKind.TEACHER, True)),
    roles=(RolePlan(user=0, school=0, role=Role.COACH),),
    trajectories=(TrajectoryPlan(role=0, teacher=1),),
)


@property_settings
@given(plan=worlds(deactivated_accounts=True))
@example(plan=DEACTIVATED_COACHEE)
def test_lists_show_exactly_what_can_view_allows(plan):
    in_a_rolled_back_savepoint(check_lists_equal_can_view)(plan)


@property_settings
@given(plan=worlds(deactivated_accounts=True))
def test_content_stays_with_the_people_it_belongs_to_in_any_world(plan):
    in_a_rolled_back_savepoint(check_content_rules)(plan)


@property_settings
@given(plan=worlds())
@example(
    plan=WorldPlan(
        schools=2,
        active_accounts=(True, True),
        memberships=((0, 1, StaffKind.TEACHER, True), (0, 0, StaffKind.TEACHER, False)),
        groups=(GroupPlan(school=0, facilitators=(0,)),),
    )
)
def test_nobody_sees_a_learning_group_of_a_school_they_do_not_work_at(plan):
    in_a_rolled_back_savepoint(check_nobody_sees_groups_outside_their_schools)(plan)


# A coaching and an opleiden trajectory of the same begeleider, each with their final
# observation and a school leader's draft; the school's coordinator is also its schoolopleider,
# and so reads the final opleiden observation.
VISITED_TRAJECTORIES = WorldPlan(
    schools=1,
    active_accounts=(True, True, True, True),
    memberships=(
        (0, 0, StaffKind.TEACHER, True),
        (1, 0, StaffKind.TEACHER, True),
        (2, 0, StaffKind.COORDINATOR, True),
        (3, 0, StaffKind.SCHOOL_LEADER, True),
    ),
    roles=(
        RolePlan(user=0, school=0, role=Role.COACH),
        RolePlan(
            user=0, school=0, role=Role.OPLEIDER, opleider_kind=OpleiderKind.WERKPLEKBEGELEIDER
        ),
        RolePlan(user=2, school=0, role=Role.OPLEIDER, opleider_kind=OpleiderKind.SCHOOLOPLEIDER),
    ),
    trajectories=(TrajectoryPlan(role=0, teacher=1), TrajectoryPlan(role=1, teacher=1)),
    visits=(
        VisitPlan(
            trajectory=0,
            status=VisitStatus.HELD,
            observations=(ObservationPlan(observer=0, final=True), ObservationPlan(observer=3)),
        ),
        VisitPlan(
            trajectory=1,
            status=VisitStatus.HELD,
            observations=(ObservationPlan(observer=0, final=True), ObservationPlan(observer=3)),
        ),
    ),
)


@property_settings
@given(plan=worlds_with_visits())
@example(plan=VISITED_TRAJECTORIES)
def test_visits_and_observations_are_listed_exactly_as_can_view_allows(plan):
    in_a_rolled_back_savepoint(check_visits_and_observations)(plan)


# A coaching trajectory whose coachee keeps a draft, a shared and a discussed reflection, and a
# draft without a trajectory; a coordinator who is also schoolopleider; and the coach's own
# draft in the coachee's trajectory (the database allows it; the policy must still hide it).
REFLECTING_COACHEE = WorldPlan(
    schools=1,
    active_accounts=(True, True, True),
    memberships=(
        (0, 0, StaffKind.TEACHER, True),
        (1, 0, StaffKind.TEACHER, True),
        (2, 0, StaffKind.COORDINATOR, True),
    ),
    roles=(
        RolePlan(user=0, school=0, role=Role.COACH),
        RolePlan(user=2, school=0, role=Role.OPLEIDER, opleider_kind=OpleiderKind.SCHOOLOPLEIDER),
    ),
    trajectories=(TrajectoryPlan(role=0, teacher=1),),
    cycles=(
        CyclePlan(owner=1, trajectory=0, status=CycleStatus.DRAFT),
        CyclePlan(owner=1, trajectory=0, status=CycleStatus.SHARED),
        CyclePlan(owner=1, trajectory=0, status=CycleStatus.DISCUSSED),
        CyclePlan(owner=1, trajectory=None),
        CyclePlan(owner=0, trajectory=0, status=CycleStatus.DRAFT),
    ),
    goals=(0,),
    conversations=(0,),
)


@property_settings
@given(plan=worlds_with_reflection())
@example(plan=REFLECTING_COACHEE)
def test_reflections_goals_and_conversations_are_listed_exactly_as_can_view_allows(plan):
    in_a_rolled_back_savepoint(check_reflection_goals_and_conversations)(plan)


@property_settings
@given(plan=worlds_with_reflection())
@example(plan=REFLECTING_COACHEE)
def test_a_report_is_for_exactly_those_who_read_its_conversation_in_any_world(plan):
    in_a_rolled_back_savepoint(check_reports_follow_their_conversation)(plan)
