import datetime

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from mentoring.models import ReportStatus
from observations.models import Instrument, LessonVisit, Observation
from reflection import group_phases
from reflection.models import (
    Agreement,
    Conversation,
    ConversationKind,
    ConversationReport,
    CycleComment,
    CycleKind,
    CycleStatus,
    EstimateKind,
    GoalEvidence,
    GroupNote,
    GroupPrinciple,
    GroupSession,
    LearningGoal,
    MeridEstimate,
    MeridProfile,
    MeridShare,
    MeridTopic,
    ReflectionCycle,
    SessionEntry,
    SessionReport,
    VideoClip,
)
from roles.models import (
    Institute,
    Invitation,
    LearningGroup,
    LearningGroupFormat,
    LearningGroupMember,
    Membership,
    Role,
    RoleAssignment,
    School,
    SchoolBoard,
    SchoolYear,
    StaffKind,
    TeacherStage,
    Trajectory,
    TrajectoryKind,
    User,
)

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@school.example")
    full_name = factory.Faker("name", locale="nl_NL")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save(update_fields=["password"])


class SchoolBoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolBoard

    name = factory.Sequence(lambda n: f"Stichting {n}")


def _brin(n: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return f"{n % 100:02d}{letters[(n // 100) % 26]}{letters[(n // 2600) % 26]}"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    board = factory.SubFactory(SchoolBoardFactory)
    name = factory.Sequence(lambda n: f"College {n}")
    brin_code = factory.Sequence(_brin)
    is_training_school = True


class SchoolYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolYear
        django_get_or_create = ("name",)

    name = "2026-2027"
    starts_on = datetime.date(2026, 8, 1)
    ends_on = datetime.date(2027, 7, 31)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    staff_kind = StaffKind.TEACHER


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    school_year = factory.SubFactory(SchoolYearFactory)
    role = Role.COACH
    task_hours = 40
    active_from = factory.SelfAttribute("school_year.starts_on")


class InstituteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institute

    name = factory.Sequence(lambda n: f"Lerarenopleiding {n}")


class TrajectoryFactory(factory.django.DjangoModelFactory):
    """A trajectory whose begeleider, school and year come from its role assignment."""

    class Meta:
        model = Trajectory

    begeleider_role = factory.SubFactory(RoleAssignmentFactory, role=Role.OPLEIDER)
    begeleider = factory.SelfAttribute("begeleider_role.user")
    school = factory.SelfAttribute("begeleider_role.school")
    school_year = factory.SelfAttribute("begeleider_role.school_year")
    teacher = factory.SubFactory(UserFactory)
    kind = factory.LazyAttribute(
        lambda o: (
            TrajectoryKind.COACHING
            if o.begeleider_role.role == Role.COACH
            else TrajectoryKind.OPLEIDEN
        )
    )
    stage = TeacherStage.STARTER_1
    starts_on = factory.SelfAttribute("school_year.starts_on")


class LearningGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningGroup
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    school_year = factory.SubFactory(SchoolYearFactory)
    name = factory.Sequence(lambda n: f"Intervisiegroep {n}")
    format = LearningGroupFormat.INTERVISIE
    theme = "Differentiëren in de les"

    @factory.post_generation
    def facilitators(self, create, extracted, **kwargs):
        if create and extracted:
            self.facilitators.set(extracted)

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        for user in extracted or ():
            LearningGroupMember.objects.create(group=self, user=user)


class InvitationFactory(factory.django.DjangoModelFactory):
    """A pending invitation for someone who has no password yet."""

    class Meta:
        model = Invitation
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    invited_by = factory.SubFactory(UserFactory)
    sent_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda o: o.sent_at + datetime.timedelta(days=14))

    @factory.post_generation
    def without_password(self, create, extracted, **kwargs):
        if create:
            self.user.set_unusable_password()
            self.user.save(update_fields=["password"])


class LessonVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LessonVisit

    trajectory = factory.SubFactory(TrajectoryFactory)
    planned_by = factory.SelfAttribute("trajectory.begeleider")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
    class_name = "2B"
    subject = "biologie"
    lesson_goal = "Leerlingen kunnen de celdeling in eigen woorden uitleggen."


def icalt() -> Instrument:
    """The built-in ICALT instrument (from the data migration)."""
    return Instrument.objects.get(key="icalt", version="1", school=None)


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observation

    visit = factory.SubFactory(LessonVisitFactory)
    instrument = factory.LazyFunction(icalt)
    observer = factory.SelfAttribute("visit.trajectory.begeleider")


class ReflectionCycleFactory(factory.django.DjangoModelFactory):
    """A draft ALACT cycle of the trajectory's teacher. `ReflectionCycleFactory(shared=True)`
    makes it shared now, `discussed=True` shared and discussed; or pass status and times."""

    class Meta:
        model = ReflectionCycle

    class Params:
        shared = factory.Trait(
            status=CycleStatus.SHARED,
            shared_at=factory.LazyFunction(timezone.now),
        )
        discussed = factory.Trait(
            status=CycleStatus.DISCUSSED,
            shared_at=factory.LazyFunction(timezone.now),
            discussed_at=factory.LazyFunction(timezone.now),
        )

    trajectory = factory.SubFactory(TrajectoryFactory)
    owner = factory.SelfAttribute("trajectory.teacher")
    kind = CycleKind.ALACT
    title = factory.Sequence(lambda n: f"Reflectie {n}: de start van de les")
    status = CycleStatus.DRAFT
    action = "De leerlingen kwamen onrustig binnen en de instructie kwam niet aan."


class CycleCommentFactory(factory.django.DjangoModelFactory):
    """A begeleider's comment on a shared cycle."""

    class Meta:
        model = CycleComment

    cycle = factory.SubFactory(ReflectionCycleFactory, shared=True)
    author = factory.SelfAttribute("cycle.trajectory.begeleider")
    kind = "comment"
    phase = ""
    text = "Wat deed jij precies op het moment dat het rumoerig werd?"


class LearningGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningGoal

    trajectory = factory.SubFactory(TrajectoryFactory)
    owner = factory.SelfAttribute("trajectory.teacher")
    created_by = factory.SelfAttribute("owner")
    title = factory.Sequence(lambda n: f"Leerdoel {n}: heldere instructie aan het begin")
    description = "Ik geef de opdracht in drie stappen en check of iedereen weet wat te doen."


class GoalEvidenceFactory(factory.django.DjangoModelFactory):
    """Evidence linking a lesson visit of the goal's trajectory (pass observation= or cycle=
    with visit=None for the other kinds)."""

    class Meta:
        model = GoalEvidence

    goal = factory.SubFactory(LearningGoalFactory)
    visit = factory.SubFactory(
        LessonVisitFactory, trajectory=factory.SelfAttribute("..goal.trajectory")
    )
    added_by = factory.SelfAttribute("goal.owner")
    note = ""


class ConversationFactory(factory.django.DjangoModelFactory):
    """A coachgesprek in a coaching trajectory, otherwise a nagesprek after a new lesson visit.
    The pair takes part unless `participants=[...]` is given."""

    class Meta:
        model = Conversation
        skip_postgeneration_save = True

    trajectory = factory.SubFactory(TrajectoryFactory)
    kind = factory.LazyAttribute(
        lambda o: (
            ConversationKind.COACHGESPREK
            if o.trajectory.is_coaching
            else ConversationKind.NAGESPREK
        )
    )
    visit = factory.Maybe(
        factory.LazyAttribute(lambda o: o.kind == ConversationKind.NAGESPREK),
        yes_declaration=factory.SubFactory(
            LessonVisitFactory, trajectory=factory.SelfAttribute("..trajectory")
        ),
        no_declaration=None,
    )
    held_on = factory.LazyFunction(timezone.localdate)
    topics = "Hoe de lessen in 2B beginnen"
    created_by = factory.SelfAttribute("trajectory.begeleider")

    @factory.post_generation
    def participants(self, create, extracted, **kwargs):
        if create:
            pair = [self.trajectory.teacher, self.trajectory.begeleider]
            self.participants.set(extracted if extracted is not None else pair)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    conversation = factory.SubFactory(ConversationFactory)
    what = "De lesopening voorbereiden met een startopdracht op het bord"
    who = factory.SelfAttribute("conversation.trajectory.teacher")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))


def finish_report(job, folder: str, fingerprint: str) -> None:
    """Leave a report job as the task would: a small file in the reports storage, the
    fingerprint of what it shows, the time it finished."""
    from mentoring.reports import reports_storage

    job.file_name = f"{folder}/{job.public_id}/{job.generation}.pdf"
    reports_storage().save(job.file_name, ContentFile(b"%PDF-1.7\n% a stand-in\n"))
    job.fingerprint = fingerprint
    job.finished_at = timezone.now()
    job.save(update_fields=["file_name", "fingerprint", "finished_at"])


class ConversationReportFactory(factory.django.DjangoModelFactory):
    """A report job of a conversation, queued. With `done=True` it is finished: a small file in
    the reports storage and the conversation's current fingerprint, as the task would leave
    it (tests of the rendering itself run the real task instead)."""

    class Meta:
        model = ConversationReport
        skip_postgeneration_save = True

    class Params:
        done = factory.Trait(status=ReportStatus.DONE, attempts=1)

    conversation = factory.SubFactory(ConversationFactory)
    requested_by = factory.SelfAttribute("conversation.trajectory.begeleider")
    render_for = factory.SelfAttribute("requested_by")
    language = "nl"

    @factory.post_generation
    def finish(obj, create, extracted, **kwargs):
        if not create or obj.status != ReportStatus.DONE:
            return
        from reflection.reports import current_fingerprint

        finish_report(obj, "conversations", current_fingerprint(obj.conversation))


class MeridProfileFactory(factory.django.DjangoModelFactory):
    """A begeleider's MERID profile of a conversation recorded outside the app. Pass
    `conversation=` (and `counterpart=`, its teacher) for one of a conversation in the app."""

    class Meta:
        model = MeridProfile

    owner = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    title = factory.Sequence(lambda n: f"Gesprek {n} over de lesopening")
    held_on = factory.LazyFunction(timezone.localdate)
    conversation = None
    counterpart = None


class MeridTopicFactory(factory.django.DjangoModelFactory):
    """A topic not coded yet, without minutes; pass input=, style= and minutes= to code it."""

    class Meta:
        model = MeridTopic

    profile = factory.SubFactory(MeridProfileFactory)
    position = factory.Sequence(lambda n: n + 1)
    label = factory.Sequence(lambda n: f"Onderwerp {n}")
    input = ""
    style = ""
    minutes = None


class MeridEstimateFactory(factory.django.DjangoModelFactory):
    """The begeleider's own estimate, 25% per role unless given."""

    class Meta:
        model = MeridEstimate

    profile = factory.SubFactory(MeridProfileFactory)
    kind = EstimateKind.SELF
    author = factory.SelfAttribute("profile.owner")
    imperator = 25
    initiator = 25
    encourager = 25
    advisor = 25


class MeridShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeridShare

    profile = factory.SubFactory(MeridProfileFactory)
    person = factory.SubFactory(UserFactory)
    may_code = False


# --- Learning groups: sessions, what the group produced, clips -------------------------------


def _first_facilitator(group: LearningGroup) -> User:
    """A session is planned by a facilitator; a group made without one gets one here."""
    facilitator = group.facilitators.order_by("pk").first()
    if facilitator is None:
        facilitator = MembershipFactory(school=group.school).user
        group.facilitators.add(facilitator)
    return facilitator


class GroupSessionFactory(factory.django.DjangoModelFactory):
    """A planned session of a group (an intervisie group unless given), in the first phase of
    the group's format, planned by its first facilitator. Pass `phase=` to start further on."""

    class Meta:
        model = GroupSession

    group = factory.SubFactory(LearningGroupFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    location = "Lokaal 1.12"
    focus = factory.SelfAttribute("group.theme")
    phase = factory.LazyAttribute(lambda o: group_phases.phases_of(o.group.format)[0].key)
    created_by = factory.LazyAttribute(lambda o: _first_facilitator(o.group))


class SessionEntryFactory(factory.django.DjangoModelFactory):
    """A contribution in the session's current phase by its planner; pass author=, phase=,
    case_pupil= or interpretation= as the phase asks."""

    class Meta:
        model = SessionEntry

    session = factory.SubFactory(GroupSessionFactory)
    phase = factory.SelfAttribute("session.phase")
    author = factory.SelfAttribute("session.created_by")
    case_pupil = ""
    text = factory.Sequence(lambda n: f"Ervaring {n}: de leerlingen gingen meteen aan de slag.")
    interpretation = ""


class GroupPrincipleFactory(factory.django.DjangoModelFactory):
    """A principle of the group's "theorie met een kleine t", from a session of the group."""

    class Meta:
        model = GroupPrinciple

    session = factory.SubFactory(GroupSessionFactory)
    group = factory.SelfAttribute("session.group")
    author = factory.SelfAttribute("session.created_by")
    text = factory.Sequence(lambda n: f"Principe {n}: geef de opdracht pas als het stil is.")


class GroupNoteFactory(factory.django.DjangoModelFactory):
    """A note to the group by its first facilitator (pass author= for a member's)."""

    class Meta:
        model = GroupNote

    group = factory.SubFactory(LearningGroupFactory)
    author = factory.LazyAttribute(lambda o: _first_facilitator(o.group))
    text = "Volgende keer graag een eigen ervaring met differentiëren meenemen."


class VideoClipFactory(factory.django.DjangoModelFactory):
    """A link clip, shown to the whole group for 30 days, with consent recorded now; its owner
    is the session's planner unless given. Uploads go through video_clip_add in the tests."""

    class Meta:
        model = VideoClip
        skip_postgeneration_save = True

    session = factory.SubFactory(GroupSessionFactory, group__format=LearningGroupFormat.VIDEOCLUB)
    owner = factory.SelfAttribute("session.created_by")
    title = factory.Sequence(lambda n: f"Fragment {n}: de uitleg van de opdracht")
    link = factory.Sequence(lambda n: f"https://video.school.example/clip-{n}")
    consent_at = factory.LazyFunction(timezone.now)
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    whole_group = True

    @factory.post_generation
    def viewers(self, create, extracted, **kwargs):
        if create and extracted:
            self.viewers.set(extracted)


class SessionReportFactory(factory.django.DjangoModelFactory):
    """A report job of a group session, queued; with `done=True` finished, with a small file in
    the reports storage, as the task would leave it (like ConversationReportFactory)."""

    class Meta:
        model = SessionReport
        skip_postgeneration_save = True

    class Params:
        done = factory.Trait(status=ReportStatus.DONE, attempts=1)

    session = factory.SubFactory(GroupSessionFactory)
    requested_by = factory.SelfAttribute("session.created_by")
    render_for = factory.SelfAttribute("requested_by")
    language = "nl"

    @factory.post_generation
    def finish(obj, create, extracted, **kwargs):
        if not create or obj.status != ReportStatus.DONE:
            return
        from reflection.group_reports import session_report_context

        finish_report(obj, "sessions", session_report_context(obj.session_id)["fingerprint"])
