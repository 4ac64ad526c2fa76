"""Reads for reflection, goals, conversations and MERID profiles, already limited by the access
policy."""

from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)

from mentoring import access
from reflection import group_phases, merid
from reflection import reports as reports_module
from reflection.models import (
    Agreement,
    Conversation,
    ConversationReport,
    CycleStatus,
    EstimateKind,
    GoalStatus,
    GroupSession,
    LearningGoal,
    MeridEstimate,
    MeridProfile,
    ReflectionCycle,
    ReportConfirmation,
    SessionEntry,
    SessionStatus,
)
from roles.models import Trajectory, TrajectoryStatus, User

# Goals still being worked on: listed first, and the ones the home page shows.
CURRENT_GOAL = [GoalStatus.OPEN, GoalStatus.WORKING]


def cycles_of_owner(user: User) -> QuerySet[ReflectionCycle]:
    """The teacher's own cycles, drafts included, newest work first."""
    return (
        ReflectionCycle.objects.filter(owner=user)
        .select_related("trajectory__begeleider", "visit")
        .annotate(comment_count=Count("comments"))
        .order_by("-updated_at", "-pk")
    )


def cycles_shared_with(user: User) -> QuerySet[ReflectionCycle]:
    """The begeleider's overview: other people's cycles shared with them, those waiting for a
    conversation first."""
    return (
        access.cycles_visible_to(user)
        .exclude(owner=user)
        .select_related("owner", "trajectory")
        .annotate(comment_count=Count("comments"))
        .order_by(
            # "shared" sorts after "discussed": waiting cycles first, then the newest.
            "-status",
            "-shared_at",
            "-pk",
        )
    )


def goals_for(user: User, *, trajectory: Trajectory | None = None) -> QuerySet[LearningGoal]:
    """Goals the user may read: current ones (open, working on it) first, newest first."""
    goals = access.goals_visible_to(user).select_related(
        "owner", "trajectory__begeleider", "source_item"
    )
    if trajectory is not None:
        goals = goals.filter(trajectory=trajectory)
    return goals.annotate(
        evidence_count=Count("evidence"),
        settled=Case(
            When(status__in=CURRENT_GOAL, then=Value(0)), default=1, output_field=IntegerField()
        ),
    ).order_by("settled", "-created_at", "-pk")


def conversations_for(
    user: User, *, trajectory: Trajectory | None = None
) -> QuerySet[Conversation]:
    conversations = access.conversations_visible_to(user).select_related(
        "trajectory__teacher", "trajectory__begeleider", "visit"
    )
    if trajectory is not None:
        conversations = conversations.filter(trajectory=trajectory)
    return conversations.annotate(
        open_agreements=Count("agreements", filter=Q(agreements__done_at__isnull=True))
    ).order_by("-held_on", "-created_at")


def open_agreements_for(user: User) -> QuerySet[Agreement]:
    """Agreements not done yet, for the two people of the trajectory (their home pages)."""
    if not user.is_authenticated:
        return Agreement.objects.none()
    mine = access.trajectories_with_content_for(user).filter(
        Q(teacher=user) | Q(begeleider=user), status=TrajectoryStatus.ACTIVE
    )
    return (
        Agreement.objects.filter(done_at__isnull=True, conversation__trajectory__in=mine)
        .select_related(
            "who", "conversation__trajectory__teacher", "conversation__trajectory__begeleider"
        )
        .order_by(F("due_on").asc(nulls_last=True), "created_at", "pk")
    )


def shared_cycles_waiting_for(user: User) -> QuerySet[ReflectionCycle]:
    """Shared with this begeleider and not discussed yet: for their home page."""
    return cycles_shared_with(user).filter(status=CycleStatus.SHARED)


# How many earlier reports the conversation page lists; older ones are rarely wanted.
EARLIER_REPORTS_SHOWN = 10


@dataclass(frozen=True)
class ReportRow:
    report: ConversationReport
    superseded: bool  # the conversation changed after this report was made


@dataclass(frozen=True)
class ReportPanel:
    """The reports of one conversation as its page shows them: the newest, with who has
    confirmed it, and the earlier ones."""

    latest: ReportRow | None
    earlier: tuple[ReportRow, ...]
    earlier_count: int
    confirmations: tuple[tuple[User, ReportConfirmation | None], ...]  # per participant
    can_confirm: bool

    @property
    def polling(self) -> bool:
        return self.latest is not None and self.latest.report.is_pending


def report_panel_for(
    user: User, conversation: Conversation, *, participants: list[User] | None = None
) -> ReportPanel:
    """`participants`, in name order, when the caller has them already."""
    # The total comes along with the rows, so many reports cost no extra query.
    reports = list(
        conversation.reports.select_related("requested_by")
        .annotate(total=Window(Count("pk")))
        .order_by("-created_at", "-pk")[: EARLIER_REPORTS_SHOWN + 1]
    )
    if not reports:
        return ReportPanel(None, (), 0, (), can_confirm=False)
    current = (
        reports_module.current_fingerprint(conversation)
        if any(report.fingerprint for report in reports)
        else ""
    )

    def row(report: ConversationReport) -> ReportRow:
        return ReportRow(report, bool(report.fingerprint) and report.fingerprint != current)

    latest = row(reports[0])
    confirmed = {
        confirmation.user_id: confirmation
        for confirmation in ReportConfirmation.objects.filter(report=latest.report)
    }
    if participants is None:
        participants = list(conversation.participants.order_by("full_name"))
    is_participant = any(person.pk == user.pk for person in participants)
    return ReportPanel(
        latest=latest,
        earlier=tuple(row(report) for report in reports[1 : EARLIER_REPORTS_SHOWN + 1]),
        earlier_count=reports[0].total - 1,
        confirmations=tuple((person, confirmed.get(person.pk)) for person in participants),
        can_confirm=is_participant
        and bool(latest.report.file_name)
        and not latest.superseded
        and user.pk not in confirmed,
    )


# --- MERID profiles --------------------------------------------------------------------------


@dataclass(frozen=True)
class MeridReading:
    """One profile as a reader may see it: the shares from the coded topics, from the
    begeleider's own estimate, and (for the begeleider alone) from the other participant's
    perception."""

    profile: MeridProfile
    coded: merid.RoleShares | None
    self_estimate: merid.RoleShares | None
    perception: merid.RoleShares | None
    topic_count: int
    uncoded_count: int

    @property
    def coded_count(self) -> int:
        return self.topic_count - self.uncoded_count

    @property
    def main(self) -> merid.RoleShares | None:
        """What the profile stands for over time: the coding when there is one (it measures),
        else the begeleider's own estimate."""
        return self.coded or self.self_estimate


def merid_reading(profile: MeridProfile, *, viewer: User) -> MeridReading:
    """From the profile's topics and estimates (prefetched by the callers that list many)."""
    topics = list(profile.topics.all())
    estimates = list(profile.estimates.all())
    own = merid.percentages_of(estimates, EstimateKind.SELF)
    perception = merid.percentages_of(estimates, EstimateKind.PERCEPTION)
    return MeridReading(
        profile=profile,
        coded=merid.shares_from_topics(topics),
        self_estimate=merid.shares_from_estimate(own) if own else None,
        # The other participant gave it to the begeleider, not to whoever the profile is
        # shared with.
        perception=merid.shares_from_estimate(perception)
        if perception and viewer.pk == profile.owner_id
        else None,
        topic_count=len(topics),
        uncoded_count=sum(1 for topic in topics if not topic.is_coded),
    )


def merid_profiles_of(user: User) -> QuerySet[MeridProfile]:
    """The begeleider's own profiles, oldest first: the order of a comparison over time."""
    return (
        MeridProfile.objects.filter(owner=user)
        .select_related("conversation", "school")
        .prefetch_related("topics", "estimates")
        .order_by("held_on", "created_at", "pk")
    )


def merid_timeline(user: User) -> tuple[list[MeridReading], merid.Trend | None]:
    """Every profile of the begeleider in order, and the trend of their versatility from the
    first profile to the last: over the coded ones when there are two, else over their own
    estimates, so that a measurement is never compared with an estimate."""
    readings = [merid_reading(profile, viewer=user) for profile in merid_profiles_of(user)]
    coded = [reading.coded for reading in readings if reading.coded is not None]
    estimated = [reading.self_estimate for reading in readings if reading.self_estimate]
    points = coded if len(coded) >= 2 else estimated
    return readings, merid.trend(points)


def merid_profile_of_conversation(user: User, conversation: Conversation) -> MeridProfile | None:
    """The begeleider's own profile of a conversation, if they made one."""
    return MeridProfile.objects.filter(owner=user, conversation=conversation).first()


def merid_shared_with(user: User) -> QuerySet[MeridProfile]:
    """Other begeleiders' profiles shared with the user (a trainer, the schoolopleider)."""
    return (
        access.merid_profiles_visible_to(user)
        .exclude(owner=user)
        .select_related("owner", "school")
        .prefetch_related("topics", "estimates")
        .order_by("owner__full_name", "held_on", "pk")
    )


def merid_perceptions_asked_of(user: User) -> QuerySet[MeridProfile]:
    """Conversations whose begeleider asked the user for their perception, unanswered first."""
    given = MeridEstimate.objects.filter(profile=OuterRef("pk"), kind=EstimateKind.PERCEPTION)
    return (
        access.merid_perceptions_asked_of(user)
        .select_related("owner")
        .annotate(perception_given=Exists(given))
        .order_by("perception_given", "-perception_requested_at", "pk")
    )


# --- Learning-group sessions ---------------------------------------------------------------


def revised_lesson_before(session: GroupSession) -> list[SessionEntry]:
    """Lesson study: the revised lesson of the previous research lesson, which this one
    teaches. Empty for the first research lesson and for the other formats."""
    if not session.research_lesson or session.research_lesson < 2:
        return []
    return list(
        SessionEntry.objects.filter(
            session__group=session.group_id,
            session__research_lesson=session.research_lesson - 1,
            phase=group_phases.REVISED_LESSON,
        )
        .exclude(session__status=SessionStatus.CANCELLED)
        .select_related("author")
        .order_by("created_at", "pk")
    )
