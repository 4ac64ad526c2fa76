"""The access policy against random schools: what a list shows is exactly what `can` allows.

Hypothesis draws small worlds (1-3 schools, 2-8 people, random memberships, roles,
trajectories and learning groups) as plain data, and each example builds them with the ORM
inside a savepoint that is rolled back afterwards. Rows are made directly, not through the
services: the services refuse some combinations, but the policy must be right for any data the
database constraints allow (a role without a membership, a facilitator who left the school).
"""

import datetime
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mentoring.access import (
    can,
    get_for_user,
    learning_groups_visible_to,
    people_visible_to,
    trajectories_visible_to,
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
    TrajectoryStatus,
    User,
)
from tests.factories import (
    LearningGroupFactory,
    MembershipFactory,
    RoleAssignmentFactory,
    SchoolFactory,
    SchoolYearFactory,
    TrajectoryFactory,
    UserFactory,
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
class WorldPlan:
    schools: int
    active_accounts: tuple[bool, ...]  # one per person: may they log in at all?
    memberships: tuple[tuple[int, int, str, bool], ...] = ()  # (user, school, kind, active)
    roles: tuple[RolePlan, ...] = ()
    trajectories: tuple[TrajectoryPlan, ...] = ()
    groups: tuple[GroupPlan, ...] = ()


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


# --- Building a world in the database -------------------------------------------------------


@dataclass
class BuiltWorld:
    users: list[User]
    trajectories: list[Trajectory]
    groups: list[LearningGroup]


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
    return BuiltWorld(users=users, trajectories=trajectories, groups=groups)


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
