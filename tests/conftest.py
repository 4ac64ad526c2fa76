"""Personas and shared fixtures. Every test that needs people gets them from `personas`."""

import importlib
from dataclasses import dataclass

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from roles.models import (
    Invitation,
    LearningGroup,
    OpleiderKind,
    Role,
    School,
    SchoolYear,
    StaffKind,
    TeacherStage,
    Trajectory,
    User,
)
from tests.factories import (
    PASSWORD,
    InvitationFactory,
    LearningGroupFactory,
    MembershipFactory,
    RoleAssignmentFactory,
    SchoolFactory,
    SchoolYearFactory,
    TrajectoryFactory,
    UserFactory,
)

# Confidential text placed in coaching content; it must never reach anyone outside the pair.
COACHING_SENTINEL = "SENTINEL-coaching-7f3a: ik twijfel of ik dit vak wil blijven geven"
OPLEIDEN_FOCUS = "Klassenmanagement in 2B: duidelijke instructie bij de start van de les"

# The personas of DESIGN.md §10; "anonymous" is nobody logged in.
PERSONA_NAMES = (
    "anonymous",
    "coordinator",
    "opleider",
    "coach",
    "procesbegeleider",
    "student_teacher",
    "coachee",
    "school_leader",
    "other_school_coordinator",
)


@dataclass
class World:
    school: School
    other_school: School
    school_year: SchoolYear
    people: dict[str, User | None]
    opleiden: Trajectory  # opleider with student_teacher
    coaching: Trajectory  # coach with coachee; its focus holds COACHING_SENTINEL
    other_school_trajectory: Trajectory
    group: LearningGroup  # facilitated by procesbegeleider; coach and opleider are members
    invitation: Invitation  # pending, at the school


@pytest.fixture(autouse=True)
def _jobs_in_process(settings):
    """Jobs run in this process after commit, as in the embedded default.

    Only tests/integration talk to the broker (with a real worker); everywhere else a test
    that triggers a job must not leave messages in a Redis that other runs share.
    """
    settings.JOBS_RUN_IN_PROCESS = True


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness costs seconds per persona set; it protects nothing here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def ensure_icalt() -> None:
    """ICALT comes from a data migration; a transactional test's flush removes it, so tests
    that need it put it back with the migration's own function (a no-op when it is there)."""
    migration = importlib.import_module("observations.migrations.0002_icalt")
    migration.add_icalt(django_apps, None)


@pytest.fixture
def world(db) -> World:
    ensure_icalt()
    school = SchoolFactory(name="Het Baken College")
    other_school = SchoolFactory(name="De Horizon")
    year = SchoolYearFactory()

    def person(name: str, school: School, *kinds: str) -> User:
        user = UserFactory(email=f"{name}@school.example")
        for kind in kinds:
            MembershipFactory(user=user, school=school, staff_kind=kind)
        return user

    def role(user: User, role: str, opleider_kind: str = "", at: School = school):
        return RoleAssignmentFactory(
            user=user, school=at, school_year=year, role=role, opleider_kind=opleider_kind
        )

    people: dict[str, User | None] = {
        "anonymous": None,
        "coordinator": person("coordinator", school, StaffKind.COORDINATOR),
        "opleider": person("opleider", school, StaffKind.TEACHER),
        "coach": person("coach", school, StaffKind.TEACHER),
        "procesbegeleider": person("procesbegeleider", school, StaffKind.TEACHER),
        "student_teacher": person("student_teacher", school, StaffKind.STUDENT_TEACHER),
        "coachee": person("coachee", school, StaffKind.TEACHER),
        "school_leader": person("school_leader", school, StaffKind.SCHOOL_LEADER),
        "other_school_coordinator": person(
            "other_school_coordinator", other_school, StaffKind.COORDINATOR
        ),
    }
    opleider_role = role(people["opleider"], Role.OPLEIDER, OpleiderKind.WERKPLEKBEGELEIDER)
    coach_role = role(people["coach"], Role.COACH)
    role(people["procesbegeleider"], Role.PROCESBEGELEIDER)
    assert set(people) == set(PERSONA_NAMES)
    elsewhere = role(
        person("horizon_opleider", other_school, StaffKind.TEACHER),
        Role.OPLEIDER,
        OpleiderKind.WERKPLEKBEGELEIDER,
        at=other_school,
    )
    return World(
        school=school,
        other_school=other_school,
        school_year=year,
        people=people,
        opleiden=TrajectoryFactory(
            begeleider_role=opleider_role,
            teacher=people["student_teacher"],
            stage=TeacherStage.STUDENT_TEACHER,
            study_year=2,
            focus=OPLEIDEN_FOCUS,
        ),
        coaching=TrajectoryFactory(
            begeleider_role=coach_role, teacher=people["coachee"], focus=COACHING_SENTINEL
        ),
        other_school_trajectory=TrajectoryFactory(
            begeleider_role=elsewhere,
            teacher=person("horizon_student", other_school, StaffKind.STUDENT_TEACHER),
            stage=TeacherStage.STUDENT_TEACHER,
            study_year=1,
        ),
        group=LearningGroupFactory(
            school=school,
            school_year=year,
            facilitators=[people["procesbegeleider"]],
            members=[people["coach"], people["opleider"]],
        ),
        invitation=InvitationFactory(
            school=school, invited_by=people["coordinator"], user__full_name="Nieuwe Collega"
        ),
    )


@pytest.fixture
def as_persona(client, world):
    """`as_persona("coach")` returns the test client logged in as that persona."""

    def login(name: str):
        client.logout()
        user = world.people[name]
        if user is not None:
            client.force_login(user)
        return client

    return login


def log_in(client, email: str, password: str = PASSWORD):
    """Log in through the real log-in form, throttling included; returns the response."""
    return client.post(reverse("login"), {"username": email, "password": password})


@pytest.fixture
def schoolopleider(world) -> User:
    """A teacher at the school who is its schoolopleider: reads all opleiden content there."""
    user = MembershipFactory(school=world.school, user__email="schoolopleider@school.example").user
    RoleAssignmentFactory(
        user=user,
        school=world.school,
        school_year=world.school_year,
        role=Role.OPLEIDER,
        opleider_kind=OpleiderKind.SCHOOLOPLEIDER,
    )
    return user
