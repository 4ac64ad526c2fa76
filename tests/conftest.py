"""Personas and shared fixtures. Every test that needs people gets them from `personas`."""

import datetime
import importlib
from dataclasses import dataclass
from functools import cached_property

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from observations.models import LessonVisit, Observation, ObservationStatus, VisitStatus
from reflection.models import (
    Agreement,
    CommentKind,
    Conversation,
    ConversationReport,
    EstimateKind,
    GoalEvidence,
    GroupNote,
    GroupPrinciple,
    GroupSession,
    LearningGoal,
    MeridEstimate,
    MeridInput,
    MeridProfile,
    MeridShare,
    MeridStyle,
    ReflectionCycle,
)
from reflection.services import (
    merid_estimate_save,
    merid_perception_request,
    merid_profile_create,
    merid_share_add,
)
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
    AgreementFactory,
    ConversationFactory,
    ConversationReportFactory,
    CycleCommentFactory,
    GoalEvidenceFactory,
    GroupNoteFactory,
    GroupPrincipleFactory,
    GroupSessionFactory,
    InvitationFactory,
    LearningGoalFactory,
    LearningGroupFactory,
    LessonVisitFactory,
    MembershipFactory,
    MeridEstimateFactory,
    MeridTopicFactory,
    ObservationFactory,
    ReflectionCycleFactory,
    RoleAssignmentFactory,
    SchoolFactory,
    SchoolYearFactory,
    SessionEntryFactory,
    TrajectoryFactory,
    UserFactory,
)

# Confidential text placed in coaching content; it must never reach anyone outside the pair.
COACHING_SENTINEL = "SENTINEL-coaching-7f3a: ik twijfel of ik dit vak wil blijven geven"
OPLEIDEN_FOCUS = "Klassenmanagement in 2B: duidelijke instructie bij de start van de les"
# Opleiden content (a shared reflection, a nagesprek): for the student teacher, the opleider and
# the schoolopleider; the coordinator sees at most that it exists.
OPLEIDEN_CONTENT = "SENTINEL-opleiden-inhoud-31c8: mijn uitleg over celdeling liep vast"
# A draft reflection: its owner's alone, not even their opleider's.
DRAFT_REFLECTION = "SENTINEL-concept-reflectie-92e0: dit wil ik eerst zelf uitzoeken"

# A MERID topic label of the coach's profile: the coach's own, and a trainer's they share it with.
MERID_CONTENT = "SENTINEL-merid-onderwerp-5d17: mijn advies over de lesopening"

# What a learning group produced (a session entry, a principle, a note): for its current members
# and facilitators; the coordinator sees that the group met and who attended, not this.
GROUP_SENTINEL = "SENTINEL-leergroep-inhoud-4b6e: mijn les liep uit de hand bij de werkvorm"

# The coded topics of World.coach_profile, in order: (input, style, minutes). 40 minutes in
# all: imperator 6 (15%), initiator 4 (10%), encourager 8 (20%), advisor 10 + 7 + 5 (55%).
COACH_PROFILE_TOPICS = (
    (MeridInput.ACTIVE, MeridStyle.DIRECTIVE, 6),
    (MeridInput.REACTIVE, MeridStyle.DIRECTIVE, 10),
    (MeridInput.REACTIVE, MeridStyle.NON_DIRECTIVE, 8),
    (MeridInput.REACTIVE, MeridStyle.DIRECTIVE, 7),
    (MeridInput.ACTIVE, MeridStyle.NON_DIRECTIVE, 4),
    (MeridInput.REACTIVE, MeridStyle.DIRECTIVE, 5),
)
COACH_PROFILE_CODED = {"imperator": 15, "initiator": 10, "encourager": 20, "advisor": 55}
COACH_SELF_ESTIMATE = {"imperator": 10, "initiator": 20, "encourager": 30, "advisor": 40}
COACH_PERCEPTION = {"imperator": 30, "initiator": 10, "encourager": 10, "advisor": 50}

# The text fields of a reflection cycle (ALACT and core reflection alike).
CYCLE_TEXT_FIELDS = (
    "action",
    "context",
    "want_self",
    "do_self",
    "think_self",
    "feel_self",
    "want_pupils",
    "do_pupils",
    "think_pupils",
    "feel_pupils",
    "awareness",
    "alternatives",
    "intention",
    "trial",
    "environment",
    "behaviour",
    "competencies",
    "beliefs",
    "identity",
    "mission",
    "ideal",
    "obstacle",
    "new_step",
)


def secret(sentinel: str, where: str) -> str:
    """The sentinel, marked with where it was put, so a leak names its source."""
    return f"{sentinel} [{where}]"


def coaching_secret(where: str) -> str:
    return secret(COACHING_SENTINEL, where)


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

    # Reflection, goals and conversations. Made on first use, so that the many tests that
    # count visits, observations or home-page items are not changed by objects they do not
    # ask for, and a world stays cheap to build (the permission matrix builds one per URL).
    # The `reflection_world` fixture makes them all.

    @cached_property
    def opleiden_cycle(self) -> ReflectionCycle:
        """The student teacher's ALACT cycle, shared in opleiden, with an intention (so a next
        cycle can start from it)."""
        return ReflectionCycleFactory(
            trajectory=self.opleiden,
            shared=True,
            title=secret(OPLEIDEN_CONTENT, "title"),
            action=secret(OPLEIDEN_CONTENT, "action"),
            awareness=secret(OPLEIDEN_CONTENT, "awareness"),
            intention=secret(OPLEIDEN_CONTENT, "intention"),
        )

    @cached_property
    def opleiden_draft(self) -> ReflectionCycle:
        """The student teacher's draft in opleiden: not shared, so not even the opleider's."""
        return ReflectionCycleFactory(
            trajectory=self.opleiden,
            title=secret(DRAFT_REFLECTION, "title"),
            action=secret(DRAFT_REFLECTION, "action"),
            awareness=secret(DRAFT_REFLECTION, "awareness"),
            intention=secret(DRAFT_REFLECTION, "intention"),
        )

    @cached_property
    def coaching_cycle(self) -> ReflectionCycle:
        """The coachee's cycle, shared with the coach; the sentinel is in its title and in
        every text field, and in the coach's question and the coachee's reply."""
        cycle = ReflectionCycleFactory(
            trajectory=self.coaching,
            shared=True,
            title=coaching_secret("title"),
            **{name: coaching_secret(name) for name in CYCLE_TEXT_FIELDS},
        )
        question = CycleCommentFactory(
            cycle=cycle,
            kind=CommentKind.QUESTION,
            phase="awareness",
            text=coaching_secret("coach question"),
        )
        CycleCommentFactory(
            cycle=cycle,
            author=self.coaching.teacher,
            kind=CommentKind.REPLY,
            phase=question.phase,
            parent=question,
            text=coaching_secret("coachee reply"),
        )
        return cycle

    @cached_property
    def coaching_goal(self) -> LearningGoal:
        """The coachee's goal, with the shared cycle as evidence."""
        goal = LearningGoalFactory(
            trajectory=self.coaching,
            title=coaching_secret("goal title"),
            description=coaching_secret("goal description"),
        )
        GoalEvidenceFactory(
            goal=goal,
            visit=None,
            cycle=self.coaching_cycle,
            note=coaching_secret("evidence note"),
        )
        return goal

    @cached_property
    def coaching_conversation(self) -> Conversation:
        """A coachgesprek about the shared cycle, with one open agreement for the coachee."""
        conversation = ConversationFactory(
            trajectory=self.coaching,
            cycle=self.coaching_cycle,
            topics=coaching_secret("topics"),
            notes=coaching_secret("notes"),
        )
        AgreementFactory(conversation=conversation, what=coaching_secret("agreement"))
        return conversation

    @cached_property
    def coaching_evidence(self) -> GoalEvidence:
        return GoalEvidence.objects.get(
            goal=self.coaching_goal, note=coaching_secret("evidence note")
        )

    @cached_property
    def coaching_agreement(self) -> Agreement:
        return Agreement.objects.get(
            conversation=self.coaching_conversation, what=coaching_secret("agreement")
        )

    @cached_property
    def held_visit(self) -> LessonVisit:
        """An opleiden visit that took place, with the opleider's final observation."""
        visit = LessonVisitFactory(
            trajectory=self.opleiden,
            status=VisitStatus.HELD,
            starts_at=timezone.now() - datetime.timedelta(days=2),
        )
        ObservationFactory(visit=visit, status=ObservationStatus.FINAL, finalised_at=timezone.now())
        return visit

    @cached_property
    def opleiden_conversation(self) -> Conversation:
        """The nagesprek after the held visit, about its observation and the shared cycle."""
        visit = self.held_visit
        return ConversationFactory(
            trajectory=self.opleiden,
            visit=visit,
            observation=Observation.objects.get(visit=visit),
            cycle=self.opleiden_cycle,
            topics=secret(OPLEIDEN_CONTENT, "nagesprek topics"),
            notes=secret(OPLEIDEN_CONTENT, "nagesprek notes"),
        )

    @cached_property
    def opleiden_report(self) -> ConversationReport:
        """A finished report of the nagesprek, asked for by the opleider."""
        return ConversationReportFactory(conversation=self.opleiden_conversation, done=True)

    @cached_property
    def coaching_report(self) -> ConversationReport:
        """A finished report of the coachgesprek, asked for by the coach."""
        return ConversationReportFactory(conversation=self.coaching_conversation, done=True)

    # MERID profiles, made on first use like the reflection objects above (not by
    # with_reflection: pages that list reflection content need not have them).

    @cached_property
    def coach_profile(self) -> MeridProfile:
        """The coach's MERID profile of the coachgesprek (made with merid_profile_create, so
        the coachee is its counterpart), with the six coded, timed topics of
        COACH_PROFILE_TOPICS (coded shares COACH_PROFILE_CODED; labels hold MERID_CONTENT) and
        the coach's self-estimate COACH_SELF_ESTIMATE. The coachee has not been asked yet."""
        profile = merid_profile_create(
            actor=self.people["coach"], conversation=self.coaching_conversation
        )
        for position, (input_, style, minutes) in enumerate(COACH_PROFILE_TOPICS, start=1):
            MeridTopicFactory(
                profile=profile,
                position=position,
                label=secret(MERID_CONTENT, f"topic {position}"),
                input=input_,
                style=style,
                minutes=minutes,
            )
        MeridEstimateFactory(profile=profile, kind=EstimateKind.SELF, **COACH_SELF_ESTIMATE)
        return profile

    @cached_property
    def coach_perception(self) -> MeridEstimate:
        """The coach asks the coachee for their perception of coach_profile, and the coachee
        gives it (COACH_PERCEPTION), both through the services."""
        profile = merid_perception_request(actor=self.people["coach"], profile=self.coach_profile)
        return merid_estimate_save(
            actor=self.people["coachee"],
            profile=profile,
            kind=EstimateKind.PERCEPTION,
            percentages=COACH_PERCEPTION,
        )

    @cached_property
    def coach_profile_shared(self) -> MeridShare:
        """The coach shares coach_profile with the opleider (a begeleider at the same school,
        standing in for a trainer), to look at only: may_code is False."""
        return merid_share_add(
            actor=self.people["coach"],
            profile=self.coach_profile,
            person=self.people["opleider"],
            may_code=False,
        )

    @cached_property
    def opleider_profile(self) -> MeridProfile:
        """The opleider's profile of a conversation recorded outside the app, at the school:
        no conversation, no counterpart, no topics and no estimates yet."""
        return merid_profile_create(
            actor=self.people["opleider"],
            school=self.school,
            title="Video-opname van een nagesprek (training)",
            held_on=timezone.localdate() - datetime.timedelta(days=7),
        )

    # The learning group's content, made on first use like the reflection objects above.
    # world.group is an intervisie group (LearningGroupFactory's default format).

    @cached_property
    def group_session(self) -> GroupSession:
        """A planned intervisie session of world.group (so in its first phase, V ·
        voorstructureren), planned by the procesbegeleider, with one entry by the coach that
        holds GROUP_SENTINEL."""
        session = GroupSessionFactory(
            group=self.group,
            created_by=self.people["procesbegeleider"],
            focus="Differentiëren in de les",
        )
        SessionEntryFactory(
            session=session,
            author=self.people["coach"],
            text=secret(GROUP_SENTINEL, "session entry"),
        )
        return session

    @cached_property
    def group_note(self) -> GroupNote:
        """The opleider's note to world.group, holding GROUP_SENTINEL."""
        return GroupNoteFactory(
            group=self.group, author=self.people["opleider"], text=secret(GROUP_SENTINEL, "note")
        )

    @cached_property
    def group_principle(self) -> GroupPrinciple:
        """A principle of world.group's list, by the coach, from group_session (made directly,
        so the session stays in its first phase), holding GROUP_SENTINEL."""
        return GroupPrincipleFactory(
            session=self.group_session,
            author=self.people["coach"],
            text=secret(GROUP_SENTINEL, "principle"),
        )

    def with_reflection(self) -> "World":
        """Make every reflection object now (for pages that list them)."""
        for name in (
            "opleiden_cycle",
            "opleiden_draft",
            "coaching_cycle",
            "coaching_goal",
            "coaching_conversation",
            "opleiden_conversation",
        ):
            getattr(self, name)
        return self


@pytest.fixture(autouse=True)
def reports_dir(settings, tmp_path):
    """Reports are written to a folder of this test's own (settings.STORAGES["reports"])."""
    folder = tmp_path / "reports"
    storages = {**settings.STORAGES}
    storages["reports"] = {
        **storages["reports"],
        "OPTIONS": {**storages["reports"]["OPTIONS"], "location": folder},
    }
    settings.STORAGES = storages
    return folder


@pytest.fixture(autouse=True)
def clips_dir(settings, tmp_path, reports_dir):
    """Video clips are written to a folder of this test's own (settings.STORAGES["clips"]), never
    to the installation's CLIPS_ROOT. After reports_dir, so that both changes stand."""
    folder = tmp_path / "clips"
    storages = {**settings.STORAGES}
    storages["clips"] = {
        **storages["clips"],
        "OPTIONS": {**storages["clips"]["OPTIONS"], "location": folder},
    }
    settings.STORAGES = storages
    return folder


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
def reflection_world(world) -> World:
    """The world with its reflection cycles, goals, conversations and agreements made."""
    return world.with_reflection()


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
