"""The demo installation: realistic, built through the services, and safe to seed again."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from mentoring.access import can
from mentoring.management.commands.seed_demo import DEMO_PASSWORD, PEOPLE, PERSONAS
from mentoring.models import AuditEntry
from roles.models import (
    Institute,
    LearningGroup,
    LearningGroupFormat,
    LearningGroupMember,
    Membership,
    OpleiderKind,
    Role,
    RoleAssignment,
    School,
    SchoolYear,
    StaffKind,
    TeacherStage,
    Trajectory,
    TrajectoryKind,
    TrajectoryStatus,
    User,
)
from tests.conftest import log_in


@pytest.fixture
def seeded(db):
    call_command("seed_demo", force=True, stdout=StringIO())


def snapshot() -> dict[str, list[tuple]]:
    """Every row the demo makes, as values, so a second run that changes anything shows."""
    return {
        "users": sorted(User.objects.values_list("email", "full_name", "is_active", "password")),
        "schools": sorted(School.objects.values_list("brin_code", "name", "is_training_school")),
        "years": sorted(SchoolYear.objects.values_list("name", "starts_on", "ends_on")),
        "institutes": sorted(Institute.objects.values_list("name")),
        "memberships": sorted(
            Membership.objects.values_list(
                "user__email", "school__brin_code", "staff_kind", "is_active"
            )
        ),
        "roles": sorted(
            RoleAssignment.objects.values_list(
                "user__email",
                "school__brin_code",
                "role",
                "opleider_kind",
                "task_hours",
                "active_from",
                "active_until",
            )
        ),
        "trajectories": sorted(
            Trajectory.objects.values_list(
                "begeleider__email",
                "teacher__email",
                "kind",
                "stage",
                "study_year",
                "status",
                "starts_on",
                "ends_on",
                "focus",
            ),
            key=str,
        ),
        "groups": sorted(LearningGroup.objects.values_list("school__brin_code", "name", "format")),
        "group_members": sorted(
            LearningGroupMember.objects.values_list("group__name", "user__email", "left_on"),
            key=str,
        ),
        "audit": [(AuditEntry.objects.count(),)],
    }


def test_seeding_twice_changes_nothing(seeded):
    first = snapshot()
    output = StringIO()
    call_command("seed_demo", force=True, stdout=output)
    assert snapshot() == first
    assert "coach@demo.example" in output.getvalue()


def test_every_persona_can_log_in_with_the_published_password(client, seeded):
    for persona in PERSONAS:
        assert log_in(client, persona.email, DEMO_PASSWORD).status_code == 302, persona.key
        client.logout()


def test_the_other_demo_people_can_log_in_too(client, seeded):
    someone = next(person for person in PEOPLE if not person.persona)
    assert log_in(client, someone.email, DEMO_PASSWORD).status_code == 302


def test_the_persona_coach_coaches_the_persona_coachee(seeded):
    trajectory = Trajectory.objects.get(
        begeleider__email="coach@demo.example", teacher__email="coachee@demo.example"
    )
    assert trajectory.kind == TrajectoryKind.COACHING
    assert trajectory.status == TrajectoryStatus.ACTIVE
    assert trajectory.focus  # something for the coach and coachee to read, and nobody else


def test_the_persona_opleider_trains_the_persona_student_teacher(seeded):
    trajectory = Trajectory.objects.get(
        begeleider__email="opleider@demo.example", teacher__email="student@demo.example"
    )
    assert trajectory.kind == TrajectoryKind.OPLEIDEN
    assert trajectory.stage == TeacherStage.STUDENT_TEACHER
    assert trajectory.study_year in range(1, 5)
    assert trajectory.status == TrajectoryStatus.ACTIVE


@pytest.mark.parametrize("brin", ["99XA", "99XB"])
def test_both_schools_have_people_roles_trajectories_and_groups(seeded, brin):
    school = School.objects.get(brin_code=brin)
    people = User.objects.filter(memberships__school=school, memberships__is_active=True).distinct()
    assert 12 <= people.count() <= 20
    assert Membership.objects.filter(school=school, staff_kind=StaffKind.COORDINATOR).exists()
    assert Membership.objects.filter(school=school, staff_kind=StaffKind.SCHOOL_LEADER).exists()
    assert set(RoleAssignment.objects.filter(school=school).values_list("role", flat=True)) == set(
        Role.values
    )
    kinds = set(Trajectory.objects.filter(school=school).values_list("kind", flat=True))
    assert kinds == set(TrajectoryKind.values)
    groups = LearningGroup.objects.filter(school=school)
    assert set(groups.values_list("format", flat=True)) == set(LearningGroupFormat.values)
    for group in groups:
        assert group.facilitators.exists(), group.name
        assert group.memberships.count() >= 3, group.name


def test_the_demo_has_every_kind_of_opleider_and_teacher(seeded):
    opleider_kinds = set(RoleAssignment.objects.values_list("opleider_kind", flat=True))
    assert {
        OpleiderKind.WERKPLEKBEGELEIDER,
        OpleiderKind.SCHOOLOPLEIDER,
        OpleiderKind.INSTITUUTSOPLEIDER,
    } <= opleider_kinds
    instituut = RoleAssignment.objects.filter(opleider_kind=OpleiderKind.INSTITUUTSOPLEIDER)
    assert all(role.institute is not None for role in instituut)
    stages = set(Trajectory.objects.values_list("stage", flat=True))
    assert {
        TeacherStage.STUDENT_TEACHER,
        TeacherStage.STARTER_1,
        TeacherStage.STARTER_2,
        TeacherStage.STARTER_3,
    } <= stages
    assert set(
        Trajectory.objects.filter(stage=TeacherStage.STUDENT_TEACHER).values_list(
            "study_year", flat=True
        )
    ) >= {1, 2, 3, 4}
    assert Trajectory.objects.filter(status=TrajectoryStatus.ENDED).exists()


def test_the_demo_is_built_through_the_services_and_audited(seeded):
    coordinator = User.objects.get(email="coordinator@demo.example")
    actions = set(AuditEntry.objects.filter(actor=coordinator).values_list("action", flat=True))
    assert {
        "school_year.created",
        "membership.activated",
        "role.assigned",
        "trajectory.created",
        "trajectory.ended",
        "learning_group.created",
    } <= actions
    assert (
        AuditEntry.objects.filter(action="trajectory.created").count() == Trajectory.objects.count()
    )


def test_the_demo_coordinator_reads_opleiden_but_not_coaching_content(seeded):
    # She is also the schoolopleider: the demo shows both sides of the rule.
    coordinator = User.objects.get(email="coordinator@demo.example")
    school = School.objects.get(brin_code="99XA")
    opleiden = Trajectory.objects.filter(school=school, kind=TrajectoryKind.OPLEIDEN).first()
    coaching = Trajectory.objects.filter(school=school, kind=TrajectoryKind.COACHING).first()
    assert can(coordinator, "view_content", opleiden)
    assert can(coordinator, "view", coaching)
    assert not can(coordinator, "view_content", coaching)


def test_demo_accounts_are_refused_outside_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="published passwords"):
        call_command("seed_demo")
    assert User.objects.count() == 0
