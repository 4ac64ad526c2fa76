"""The one access policy (DESIGN.md §6): who may see what, and who may do what.

Two questions, answered in one place:

- `*_visible_to(user)` returns a queryset of what the user may see at all (lists, form
  choices, exports, the admin); a property test keeps it equal to `can(user, "view", obj)`.
- `can(user, action, obj)` answers for one object and one action.

`get_for_user` turns both into responses: outside the user's schools an object does not exist
(404, so its existence does not leak); inside them, an action the user may not take is 403.

Coaching content belongs to the coachee and their coach. Coordinators, school leaders and
administrators see that a coaching trajectory exists, never what it contains.
"""

import logging
from functools import cached_property, wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from observations.models import LessonVisit, Observation, ObservationStatus
from reflection.models import (
    Agreement,
    Conversation,
    ConversationReport,
    CycleComment,
    CycleStatus,
    GoalEvidence,
    GroupNote,
    GroupPrinciple,
    GroupSession,
    LearningGoal,
    MeridProfile,
    MeridShare,
    ReflectionCycle,
    SessionEntry,
    SessionReport,
    SessionStatus,
    VideoClip,
)
from roles.models import (
    Invitation,
    LearningGroup,
    LearningGroupMember,
    Membership,
    OpleiderKind,
    PeopleImport,
    Role,
    RoleAssignment,
    School,
    StaffKind,
    Trajectory,
    TrajectoryKind,
    User,
)

security_log = logging.getLogger("mentoring.security")


# --- Who the user is, per school -------------------------------------------------------------


def _memberships(user: User, *kinds: str) -> QuerySet[Membership]:
    memberships = Membership.objects.filter(user=user, is_active=True)
    return memberships.filter(staff_kind__in=kinds) if kinds else memberships


def _active_roles(user: User) -> QuerySet[RoleAssignment]:
    """Roles that have not ended, at schools where the user is still a member."""
    today = timezone.localdate()
    return RoleAssignment.objects.filter(
        Q(active_until__isnull=True) | Q(active_until__gte=today),
        user=user,
        school__in=_memberships(user).values("school"),
    )


def _schoolopleider_roles(user: User) -> QuerySet[RoleAssignment]:
    return _active_roles(user).filter(role=Role.OPLEIDER, opleider_kind=OpleiderKind.SCHOOLOPLEIDER)


# Sets, for decisions about one object; the querysets below use the same filters as
# subqueries, so that a list costs one query.


def member_school_ids(user: User) -> set[int]:
    """Schools where the user currently works or trains: the outer bound of what they see."""
    if not user.is_authenticated:
        return set()
    return set(_memberships(user).values_list("school_id", flat=True))


def coordinated_school_ids(user: User) -> set[int]:
    if not user.is_authenticated or not user.is_active:
        return set()
    return set(_memberships(user, StaffKind.COORDINATOR).values_list("school_id", flat=True))


def administered_school_ids(user: User) -> set[int]:
    """For the Django admin: a superuser runs the installation; other staff their schools."""
    if not user.is_authenticated or not user.is_staff:
        return set()
    if user.is_superuser:
        return set(School.objects.values_list("pk", flat=True))
    return coordinated_school_ids(user)


def schoolopleider_school_ids(user: User) -> set[int]:
    """Schools where the user is schoolopleider now: they see all opleiden content there."""
    if not user.is_authenticated:
        return set()
    return set(_schoolopleider_roles(user).values_list("school_id", flat=True))


def _role_is_active(assignment: RoleAssignment) -> bool:
    until = assignment.active_until
    return until is None or until >= timezone.localdate()


# --- Querysets of what a user may see -------------------------------------------------------


def _takes_part_in_trajectory(user: User) -> Q:
    """The teacher; the begeleider while their role runs and they work at the school; and for
    opleiden, the school's schoolopleider. Exactly the people who may read its content."""
    today = timezone.localdate()
    active_role = Q(begeleider_role__active_until__isnull=True) | Q(
        begeleider_role__active_until__gte=today
    )
    return (
        Q(teacher=user)
        | (Q(begeleider=user) & active_role & Q(school__in=_memberships(user).values("school")))
        | Q(
            kind=TrajectoryKind.OPLEIDEN,
            school__in=_schoolopleider_roles(user).values("school"),
        )
    )


def trajectories_visible_to(user: User) -> QuerySet[Trajectory]:
    """Trajectories whose existence the user may see (their content is a further question)."""
    if not user.is_authenticated or not user.is_active:
        return Trajectory.objects.none()
    return Trajectory.objects.filter(
        _takes_part_in_trajectory(user)
        | Q(school__in=_memberships(user, StaffKind.COORDINATOR).values("school"))
    )


def trajectories_with_content_for(user: User) -> QuerySet[Trajectory]:
    if not user.is_authenticated or not user.is_active:
        return Trajectory.objects.none()
    return Trajectory.objects.filter(_takes_part_in_trajectory(user))


def visits_visible_to(user: User) -> QuerySet[LessonVisit]:
    """A visit is seen by whoever sees its trajectory; the coordinator sees that and when."""
    return LessonVisit.objects.filter(trajectory__in=trajectories_visible_to(user))


def observations_visible_to(user: User) -> QuerySet[Observation]:
    """A draft is its observer's alone; a final observation is content of the trajectory."""
    return Observation.objects.filter(
        Q(observer=user) | Q(status=ObservationStatus.FINAL),
        visit__trajectory__in=trajectories_with_content_for(user),
    )


def cycles_visible_to(user: User) -> QuerySet[ReflectionCycle]:
    """A draft is its owner's alone; a shared cycle is content of its trajectory."""
    if not user.is_authenticated or not user.is_active:
        return ReflectionCycle.objects.none()
    return ReflectionCycle.objects.filter(
        Q(owner=user)
        | Q(
            status__in=[CycleStatus.SHARED, CycleStatus.DISCUSSED],
            trajectory__in=trajectories_with_content_for(user),
        )
    )


def goals_visible_to(user: User) -> QuerySet[LearningGoal]:
    return LearningGoal.objects.filter(trajectory__in=trajectories_with_content_for(user))


def conversations_visible_to(user: User) -> QuerySet[Conversation]:
    """What was said is content: coordinators see at most that a conversation took place."""
    return Conversation.objects.filter(trajectory__in=trajectories_with_content_for(user))


def learning_groups_visible_to(user: User) -> QuerySet[LearningGroup]:
    if not user.is_authenticated or not user.is_active:
        return LearningGroup.objects.none()
    facilitated = LearningGroup.facilitators.through.objects.filter(user=user)
    current_member = LearningGroupMember.objects.filter(user=user, left_on__isnull=True)
    # Facilitating or joining a group counts only while one still works at its school.
    takes_part = Q(pk__in=facilitated.values("learninggroup")) | Q(
        pk__in=current_member.values("group")
    )
    return LearningGroup.objects.filter(
        (takes_part & Q(school__in=_memberships(user).values("school")))
        | Q(school__in=_memberships(user, StaffKind.COORDINATOR).values("school"))
    )


def group_sessions_visible_to(user: User) -> QuerySet[GroupSession]:
    """Sessions of the groups the user may see: that they took place (the coordinator too)."""
    return GroupSession.objects.filter(group__in=learning_groups_visible_to(user))


def group_sessions_with_content_for(user: User) -> QuerySet[GroupSession]:
    """Sessions whose content the user may read: their group's facilitators (while they work at
    its school) and current members. A member who left reads no session any more."""
    if not user.is_authenticated or not user.is_active:
        return GroupSession.objects.none()
    facilitated = LearningGroup.facilitators.through.objects.filter(user=user)
    current_member = LearningGroupMember.objects.filter(user=user, left_on__isnull=True)
    return GroupSession.objects.filter(
        Q(group__in=facilitated.values("learninggroup"))
        | Q(group__in=current_member.values("group")),
        group__school__in=_memberships(user).values("school"),
    )


def merid_profiles_visible_to(user: User) -> QuerySet[MeridProfile]:
    """A begeleider's MERID profiles are theirs; a colleague sees one only when it is shared
    with them, and only while they work at its school. No one sees them as coordinator, school
    leader or administrator. (The other participant sees only the perception they gave.)"""
    if not user.is_authenticated or not user.is_active:
        return MeridProfile.objects.none()
    shared = MeridShare.objects.filter(person=user).values("profile")
    return MeridProfile.objects.filter(
        Q(owner=user) | Q(pk__in=shared, school__in=_memberships(user).values("school"))
    )


def merid_perceptions_asked_of(user: User) -> QuerySet[MeridProfile]:
    """Profiles whose begeleider asked the user for their perception, at schools where the user
    works now: all the user may do with them is give that perception and see it again."""
    if not user.is_authenticated or not user.is_active:
        return MeridProfile.objects.none()
    return MeridProfile.objects.filter(
        counterpart=user,
        perception_requested_at__isnull=False,
        school__in=_memberships(user).values("school"),
    )


def merid_sharing_candidates(profile: MeridProfile) -> QuerySet[User]:
    """Whom a profile may be shared with: colleagues with a begeleider role at its school now
    (a trainer, the schoolopleider), never the begeleider themself."""
    today = timezone.localdate()
    roles = RoleAssignment.objects.filter(
        Q(active_until__isnull=True) | Q(active_until__gte=today), school=profile.school_id
    )
    members = Membership.objects.filter(school=profile.school_id, is_active=True)
    return (
        User.objects.filter(is_active=True, pk__in=roles.values("user"))
        .filter(pk__in=members.values("user"))
        .exclude(pk=profile.owner_id)
        .order_by("full_name", "email")
    )


def people_visible_to(user: User) -> QuerySet[User]:
    """People the user may look up and manage: everyone with a membership where they coordinate.

    A deactivated membership still counts, so the coordinator keeps the person's history.
    """
    if not user.is_authenticated or not user.is_active:
        return User.objects.none()
    schools = _memberships(user, StaffKind.COORDINATOR).values("school")
    return User.objects.filter(pk__in=Membership.objects.filter(school__in=schools).values("user"))


def schools_coordinated_by(user: User) -> QuerySet[School]:
    if not user.is_authenticated or not user.is_active:
        return School.objects.none()
    return School.objects.filter(pk__in=_memberships(user, StaffKind.COORDINATOR).values("school"))


# --- Single-object decisions ----------------------------------------------------------------


def _is_begeleider_of(user: User, trajectory: Trajectory) -> bool:
    # Like the schoolopleider's, a begeleider's role counts only while they work at the school:
    # person_deactivate ends the role today, and a role counts through its last day.
    return (
        trajectory.begeleider_id == user.pk
        and _role_is_active(trajectory.begeleider_role)
        and trajectory.school_id in member_school_ids(user)
    )


def _can_trajectory(user: User, action: str, trajectory: Trajectory) -> bool:
    # Each question costs a query or two, so ask only those the action needs: pages ask
    # several actions about one trajectory.
    def is_teacher() -> bool:
        return trajectory.teacher_id == user.pk

    def is_begeleider() -> bool:
        return _is_begeleider_of(user, trajectory)

    def is_coordinator() -> bool:
        return trajectory.school_id in coordinated_school_ids(user)

    def is_schoolopleider() -> bool:
        return (
            trajectory.kind == TrajectoryKind.OPLEIDEN
            and trajectory.school_id in schoolopleider_school_ids(user)
        )

    if action == "view":
        return is_teacher() or is_begeleider() or is_coordinator() or is_schoolopleider()
    if action == "view_content":
        # Not the coordinator as such: only the people in the trajectory, and for opleiden the
        # schoolopleider of the school (DESIGN.md §6).
        return is_teacher() or is_begeleider() or is_schoolopleider()
    if action == "edit_content":
        # In coaching the coachee owns goals and content; in opleiden both may write.
        return is_teacher() or (not trajectory.is_coaching and is_begeleider())
    if action == "end":
        return trajectory.status == "active" and is_coordinator()
    raise ValueError(f"Unknown action {action!r} on a trajectory.")


class LearningGroupStanding:
    """Where the user stands in one learning group, each question asked of the database at most
    once: a group page asks several (view, content, manage, facilitate) about the same group."""

    def __init__(self, user: User, group: LearningGroup):
        self.user, self.group = user, group

    @cached_property
    def works_here(self) -> bool:
        return self.group.school_id in member_school_ids(self.user)

    @cached_property
    def is_facilitator(self) -> bool:
        # Facilitating or joining a group counts only while one still works at its school.
        return self.works_here and self.group.facilitators.filter(pk=self.user.pk).exists()

    @cached_property
    def is_member(self) -> bool:
        return (
            self.works_here
            and self.group.memberships.filter(user=self.user, left_on__isnull=True).exists()
        )

    @cached_property
    def is_coordinator(self) -> bool:
        return self.group.school_id in coordinated_school_ids(self.user)

    def can(self, action: str) -> bool:
        if not self.user.is_authenticated or not self.user.is_active:
            return False
        if action == "view":
            return self.is_facilitator or self.is_member or self.is_coordinator
        if action == "view_content":
            # The coordinator sees that the group met and who attended, not what was said.
            return self.is_facilitator or self.is_member
        if action == "manage":
            return self.is_coordinator or self.is_facilitator
        if action == "facilitate":
            # Planning sessions, moving through their phases, the report: the procesbegeleiders.
            return self.is_facilitator
        raise ValueError(f"Unknown action {action!r} on a learning group.")


def _can_learning_group(user: User, action: str, group: LearningGroup) -> bool:
    return LearningGroupStanding(user, group).can(action)


def _can_group_session(user: User, action: str, session: GroupSession) -> bool:
    group = session.group
    if action == "view":
        # That the group met, when, and who attended: the coordinator sees this too.
        return _can_learning_group(user, "view", group)
    if action == "view_content":
        return _can_learning_group(user, "view_content", group)
    if action == "contribute":
        return session.status != SessionStatus.CANCELLED and _can_learning_group(
            user, "view_content", group
        )
    if action == "facilitate":
        # Planning, moving through the phases, attendance, the report: the procesbegeleiders.
        return _can_learning_group(user, "facilitate", group)
    raise ValueError(f"Unknown action {action!r} on a group session.")


def _can_video_clip(user: User, action: str, clip: VideoClip) -> bool:
    """The filmed teacher owns the clip: they decide who sees it and may withdraw it. A
    withdrawn or expired clip is seen by nobody, its owner included (the file is deleted)."""
    is_owner = clip.owner_id == user.pk and clip.session.group.school_id in member_school_ids(user)
    if action == "own":
        return is_owner
    if action == "view":
        if clip.withdrawn_at is not None or clip.expires_on < timezone.localdate():
            return False
        if not _can_group_session(user, "view_content", clip.session):
            return False
        return is_owner or clip.whole_group or clip.viewers.filter(pk=user.pk).exists()
    raise ValueError(f"Unknown action {action!r} on a video clip.")


def _can_visit(user: User, action: str, visit: LessonVisit) -> bool:
    trajectory = visit.trajectory
    if action == "view":
        return _can_trajectory(user, "view", trajectory)
    if action == "view_content":
        return _can_trajectory(user, "view_content", trajectory)
    if action == "manage":
        # Planning, moving, cancelling: the begeleider; in coaching the coachee as well, who
        # decides whether and when a coach comes to watch.
        if trajectory.status != "active":
            return False
        return _is_begeleider_of(user, trajectory) or (
            trajectory.is_coaching and trajectory.teacher_id == user.pk
        )
    if action == "observe":
        # The begeleider, or for a second opinion (calibration) another begeleider who may read
        # the trajectory's content: in opleiden, the schoolopleider.
        return user.pk != trajectory.teacher_id and _can_trajectory(
            user, "view_content", trajectory
        )
    raise ValueError(f"Unknown action {action!r} on a lesson visit.")


def can_plan_visit(user: User, trajectory: Trajectory) -> bool:
    return can(user, "manage", LessonVisit(trajectory=trajectory))


def _can_observation(user: User, action: str, observation: Observation) -> bool:
    may_read = _can_trajectory(user, "view_content", observation.visit.trajectory)
    is_observer = observation.observer_id == user.pk
    if action == "view":
        return may_read and (is_observer or observation.status == ObservationStatus.FINAL)
    if action == "edit":
        return may_read and is_observer and observation.status == ObservationStatus.DRAFT
    raise ValueError(f"Unknown action {action!r} on an observation.")


def _can_cycle(user: User, action: str, cycle: ReflectionCycle) -> bool:
    is_owner = cycle.owner_id == user.pk
    is_shared = cycle.status != CycleStatus.DRAFT and cycle.trajectory_id is not None
    may_read = is_owner or (is_shared and _can_trajectory(user, "view_content", cycle.trajectory))
    if action == "view":
        return may_read
    if action == "own":
        # Writing, sharing, withdrawing, deleting, continuing: the owner alone. Which of these
        # the cycle's state allows is the service's question (reflection/services.py).
        return is_owner
    if action == "discuss":
        # Marking a cycle discussed: the owner, or the begeleider they talked it through with.
        return is_owner or (is_shared and _is_begeleider_of(user, cycle.trajectory))
    raise ValueError(f"Unknown action {action!r} on a reflection cycle.")


def _can_conversation(user: User, action: str, conversation: Conversation) -> bool:
    trajectory = conversation.trajectory
    if action == "view":
        return _can_trajectory(user, "view_content", trajectory)
    if action == "edit":
        # The two people in the trajectory keep the record; in coaching as well, because the
        # coach and the coachee hold the conversation together.
        return trajectory.teacher_id == user.pk or _is_begeleider_of(user, trajectory)
    if action == "merid":
        # Looking at one's own conversation style (MERID) is the begeleider's.
        return _is_begeleider_of(user, trajectory)
    raise ValueError(f"Unknown action {action!r} on a conversation.")


def _can_conversation_report(user: User, action: str, report: ConversationReport) -> bool:
    conversation = report.conversation
    if action == "view":
        # Requesting, downloading and retrying: whoever may read the conversation, never a
        # coordinator or school leader as such (it is trajectory content).
        return _can_conversation(user, "view", conversation)
    if action == "confirm":
        # "Seen and agreed" is for the people who held the conversation.
        return conversation.participants.filter(pk=user.pk).exists() and _can_conversation(
            user, "view", conversation
        )
    raise ValueError(f"Unknown action {action!r} on a conversation report.")


def merid_schools(user: User) -> QuerySet[School]:
    """Where the user may start MERID profiles: the schools where they are a begeleider now."""
    if not user.is_authenticated or not user.is_active:
        return School.objects.none()
    return School.objects.filter(pk__in=_active_roles(user).values("school")).order_by("name")


def _can_merid_profile(user: User, action: str, profile: MeridProfile) -> bool:
    is_owner = profile.owner_id == user.pk

    def share() -> MeridShare | None:
        if profile.school_id not in member_school_ids(user):
            return None
        return profile.shares.filter(person=user).first()

    if action == "view":
        return is_owner or share() is not None
    if action == "code":
        # The begeleider, or a trainer they invited to code the topics with them.
        if is_owner:
            return True
        shared = share()
        return shared is not None and shared.may_code
    if action == "own":
        # Estimating, asking for a perception, sharing, deleting: the begeleider alone.
        return is_owner
    if action == "perceive":
        # The other participant, once asked, while they still work at the school.
        return (
            profile.counterpart_id == user.pk
            and profile.perception_requested_at is not None
            and profile.school_id in member_school_ids(user)
        )
    raise ValueError(f"Unknown action {action!r} on a MERID profile.")


def _can_goal(user: User, action: str, goal: LearningGoal) -> bool:
    if action == "view":
        return _can_trajectory(user, "view_content", goal.trajectory)
    if action == "edit":
        # In coaching only the coachee sets and changes goals; in opleiden the opleider may too.
        return _can_trajectory(user, "edit_content", goal.trajectory)
    raise ValueError(f"Unknown action {action!r} on a learning goal.")


def _can_school_object(user: User, action: str, school_id: int) -> bool:
    if action in {"view", "manage"}:
        return school_id in coordinated_school_ids(user)
    raise ValueError(f"Unknown action {action!r}.")


def _can_person(user: User, action: str, person: User) -> bool:
    if action in {"view", "manage"}:
        return people_visible_to(user).filter(pk=person.pk).exists()
    raise ValueError(f"Unknown action {action!r} on a person.")


def can(user: User, action: str, obj: Model) -> bool:
    """May `user` do `action` to `obj`? Actions: view, view_content, edit_content, end,
    manage, observe (a visit), edit (an observation, goal or conversation), own and discuss
    (a reflection cycle), merid (a conversation), confirm (a conversation report), code, own
    and perceive (a MERID profile), contribute and facilitate (a group session), request (a
    session report)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if isinstance(obj, Trajectory):
        return _can_trajectory(user, action, obj)
    if isinstance(obj, LearningGroup):
        return _can_learning_group(user, action, obj)
    if isinstance(obj, User):
        return _can_person(user, action, obj)
    if isinstance(obj, LessonVisit):
        return _can_visit(user, action, obj)
    if isinstance(obj, Observation):
        return _can_observation(user, action, obj)
    if isinstance(obj, ReflectionCycle):
        return _can_cycle(user, action, obj)
    if isinstance(obj, CycleComment):
        return _can_cycle(user, action, obj.cycle)
    if isinstance(obj, LearningGoal):
        return _can_goal(user, action, obj)
    if isinstance(obj, GoalEvidence):
        return _can_goal(user, action, obj.goal)
    if isinstance(obj, Conversation):
        return _can_conversation(user, action, obj)
    if isinstance(obj, Agreement):
        return _can_conversation(user, action, obj.conversation)
    if isinstance(obj, ConversationReport):
        return _can_conversation_report(user, action, obj)
    if isinstance(obj, MeridProfile):
        return _can_merid_profile(user, action, obj)
    if isinstance(obj, MeridShare):
        return _can_merid_profile(user, action, obj.profile)
    if isinstance(obj, GroupSession):
        return _can_group_session(user, action, obj)
    if isinstance(obj, SessionEntry | GroupPrinciple):
        # What someone wrote in a session is content: seeing it is view_content, never the
        # coordinator's "view" of the session.
        if action not in {"view", "view_content", "contribute"}:
            raise ValueError(f"Unknown action {action!r} on a session contribution.")
        return _can_group_session(user, "view_content" if action == "view" else action, obj.session)
    if isinstance(obj, SessionReport):
        # Asking for it is the facilitators'; reading it, the group's (never the coordinator).
        return _can_group_session(
            user, "facilitate" if action == "request" else "view_content", obj.session
        )
    if isinstance(obj, VideoClip):
        return _can_video_clip(user, action, obj)
    if isinstance(obj, GroupNote):
        if action != "view":
            raise ValueError(f"Unknown action {action!r} on a group note.")
        return _can_learning_group(user, "view_content", obj.group)
    if isinstance(obj, School):
        return _can_school_object(user, action, obj.pk)
    if isinstance(obj, Invitation | RoleAssignment | PeopleImport):
        return _can_school_object(user, action, obj.school_id)
    raise TypeError(f"No access rule for {type(obj).__name__}.")


# --- From a URL to an object, or a 404/403 --------------------------------------------------


def _in_scope(user: User, queryset: QuerySet) -> QuerySet:
    """Objects in the user's schools, or ones they take part in themselves."""
    model = queryset.model
    schools = member_school_ids(user)
    if model is User:
        return queryset.filter(memberships__school__in=schools).distinct()
    if model is Trajectory:
        return queryset.filter(Q(school__in=schools) | Q(teacher=user) | Q(begeleider=user))
    if model is LessonVisit:
        return queryset.filter(trajectory__in=_in_scope(user, Trajectory.objects.all()))
    if model is Observation:
        return queryset.filter(visit__trajectory__in=_in_scope(user, Trajectory.objects.all()))
    if model is ReflectionCycle:
        # A draft without a trajectory exists for its owner only.
        return queryset.filter(
            Q(owner=user) | Q(trajectory__in=_in_scope(user, Trajectory.objects.all()))
        )
    if model in {LearningGoal, Conversation}:
        return queryset.filter(trajectory__in=_in_scope(user, Trajectory.objects.all()))
    if model is CycleComment:
        return queryset.filter(cycle__in=_in_scope(user, ReflectionCycle.objects.all()))
    if model is GoalEvidence:
        return queryset.filter(goal__in=_in_scope(user, LearningGoal.objects.all()))
    if model in {Agreement, ConversationReport}:
        return queryset.filter(conversation__in=_in_scope(user, Conversation.objects.all()))
    if model in {GroupSession, GroupNote, GroupPrinciple}:
        return queryset.filter(group__school__in=schools)
    if model in {SessionEntry, SessionReport, VideoClip}:
        return queryset.filter(session__group__school__in=schools)
    if model is MeridProfile:
        # A begeleider keeps their own profiles wherever they work now.
        return queryset.filter(Q(school__in=schools) | Q(owner=user))
    if model is MeridShare:
        return queryset.filter(profile__in=_in_scope(user, MeridProfile.objects.all()))
    return queryset.filter(school__in=schools)


def get_for_user(user: User, queryset: QuerySet, action: str = "view", **lookup) -> Model:
    """Fetch an object through the policy: 404 outside the user's schools, 403 inside them."""
    try:
        obj = _in_scope(user, queryset).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None
    if not can(user, action, obj):
        security_log.warning(
            "refused: user=%s action=%s object=%s:%s",
            user.pk,
            action,
            obj._meta.label_lower,
            getattr(obj, "public_id", obj.pk),
        )
        raise PermissionDenied
    return obj


def coordinator_required(view):
    """For pages that only coordinators use: log-in first, then 403 for everyone else."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not coordinated_school_ids(request.user):
            security_log.warning("refused: user=%s view=%s", request.user.pk, view.__name__)
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
