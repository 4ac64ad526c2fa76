"""Writes for reflection cycles, learning goals, conversations, MERID profiles and the sessions of
learning groups.

A cycle's life is draft → shared → discussed, with "withdraw" back to draft while it has not
been discussed; CYCLE_TRANSITIONS is the one statement of that. A refused change raises
ValidationError with a sentence for the user and writes nothing. Long texts are saved through
the one autosave mechanism (mentoring/autosave.py, mentoring/versioning.py).
"""

import datetime
import uuid
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentoring import access
from mentoring.audit import audit_record
from mentoring.autosave import text_changes_apply
from mentoring.models import ReportStatus
from mentoring.reports import report_queue
from mentoring.versioning import version_bump, version_check
from observations.models import Item, LessonVisit, Observation, ObservationStatus
from reflection import clips, group_phases, phases
from reflection import reports as conversation_reports
from reflection.models import (
    Agreement,
    CommentKind,
    Conversation,
    ConversationKind,
    ConversationReport,
    CycleComment,
    CycleKind,
    CycleStatus,
    EstimateKind,
    GoalEvidence,
    GoalSource,
    GoalStatus,
    GroupNote,
    GroupPrinciple,
    GroupSession,
    LearningGoal,
    MeridEstimate,
    MeridInput,
    MeridProfile,
    MeridRole,
    MeridShare,
    MeridStyle,
    MeridTopic,
    ReflectionCycle,
    ReportConfirmation,
    SessionEntry,
    SessionReport,
    SessionStatus,
    VideoClip,
)
from reflection.tasks import CONVERSATION_REPORTS, SESSION_REPORTS
from roles.models import (
    LearningGroup,
    LearningGroupMember,
    Membership,
    School,
    Trajectory,
    TrajectoryStatus,
    User,
)

# action -> (the statuses it may start from, the status it leads to, why it is refused)
CYCLE_TRANSITIONS = {
    "share": (
        {CycleStatus.DRAFT},
        CycleStatus.SHARED,
        gettext_lazy("This reflection is already shared."),
    ),
    "withdraw": (
        {CycleStatus.SHARED},
        CycleStatus.DRAFT,
        gettext_lazy("Only a shared reflection that has not been discussed yet can be withdrawn."),
    ),
    "discuss": (
        {CycleStatus.SHARED},
        CycleStatus.DISCUSSED,
        gettext_lazy("Only a shared reflection can be marked as discussed."),
    ),
}
EDITABLE_CYCLE = {CycleStatus.DRAFT, CycleStatus.SHARED}


def _require(user: User, action: str, obj) -> None:
    if not access.can(user, action, obj):
        raise PermissionDenied


def _locked(model, obj):
    return model.objects.select_for_update().get(pk=obj.pk)


# --- Reflection cycles ----------------------------------------------------------------------


def _check_trajectory_of_owner(owner: User, trajectory: Trajectory) -> None:
    if trajectory.teacher_id != owner.pk:
        raise ValidationError(_("Choose one of your own trajectories."))


def _check_visit_of_owner(owner: User, visit: LessonVisit) -> None:
    if visit.trajectory.teacher_id != owner.pk or not access.can(owner, "view_content", visit):
        raise ValidationError(_("Choose a lesson visit of your own."))


def cycle_create(
    *,
    owner: User,
    kind: str,
    title: str,
    trajectory: Trajectory | None = None,
    visit: LessonVisit | None = None,
    follows: ReflectionCycle | None = None,
    action: str = "",
) -> ReflectionCycle:
    """A new cycle, private to its owner. A cycle about an observed lesson belongs to that
    lesson's trajectory."""
    if kind not in CycleKind.values:
        raise ValidationError(_("Choose an ALACT cycle or a core reflection."))
    title = title.strip()
    if not title:
        raise ValidationError(_("Give the reflection a short title."))
    if visit is not None:
        _check_visit_of_owner(owner, visit)
        if trajectory is not None and trajectory.pk != visit.trajectory_id:
            raise ValidationError(_("This lesson visit belongs to another trajectory."))
        trajectory = visit.trajectory
    if trajectory is not None:
        _check_trajectory_of_owner(owner, trajectory)
    if follows is not None and follows.owner_id != owner.pk:
        raise ValidationError(_("A cycle can only follow on from one of your own."))
    return ReflectionCycle.objects.create(
        owner=owner,
        kind=kind,
        title=title[:200],
        trajectory=trajectory,
        visit=visit,
        follows=follows,
        action=action[: phases.LONG],
    )


def cycle_start_next(*, actor: User, cycle: ReflectionCycle) -> ReflectionCycle:
    """The spiral: phase 5 of this cycle, with its intention, becomes phase 1 of the next."""
    _require(actor, "own", cycle)
    if not cycle.seed:
        raise ValidationError(
            _("Write down your intention (phase 4) or new step before starting the next cycle.")
        )
    return cycle_create(
        owner=actor,
        kind=cycle.kind,
        title=_("Follow-up: %(title)s") % {"title": cycle.title},
        trajectory=cycle.trajectory,
        follows=cycle,
        action=cycle.seed,
    )


def _checked_core_qualities(values) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValidationError(_("The core qualities could not be read."))
    chosen = []
    for value in values:
        value = value.strip()
        if not value or value in chosen:
            continue
        if len(value) > phases.CORE_QUALITY_LIMIT:
            raise ValidationError(
                _("A core quality is at most %(limit)s characters.")
                % {"limit": phases.CORE_QUALITY_LIMIT}
            )
        chosen.append(value)
    if len(chosen) > phases.MAX_CORE_QUALITIES:
        raise ValidationError(
            _("Choose at most %(count)s core qualities.") % {"count": phases.MAX_CORE_QUALITIES}
        )
    return chosen


def _open_after_discussion(cycle: ReflectionCycle, changes: list[dict]) -> bool:
    return (
        cycle.status == CycleStatus.DISCUSSED
        and cycle.kind == CycleKind.ALACT
        and all(change.get("field") in phases.OPEN_AFTER_DISCUSSION for change in changes)
    )


def cycle_is_writable(cycle: ReflectionCycle) -> bool:
    """Whether the owner still gets the form: before the conversation, and for phase 5 after."""
    return cycle.status in EDITABLE_CYCLE or (
        cycle.status == CycleStatus.DISCUSSED and cycle.kind == CycleKind.ALACT
    )


def cycle_apply(
    *, actor: User, cycle: ReflectionCycle, version: int, changes: list[dict]
) -> ReflectionCycle:
    """Save texts typed in the cycle (an autosave batch, or the whole form without
    JavaScript). A batch made against an older version raises StaleVersion, writing nothing."""
    with transaction.atomic():
        cycle = _locked(ReflectionCycle, cycle)
        _require(actor, "own", cycle)
        if cycle.status not in EDITABLE_CYCLE and not _open_after_discussion(cycle, changes):
            raise ValidationError(
                _(
                    "This reflection has been discussed; only how trying it out went (phase 5) "
                    "can still be written."
                )
            )
        version_check(cycle, version)
        qualities = [c for c in changes if c.get("field") == "core_qualities"]
        texts = [c for c in changes if c.get("field") != "core_qualities"]
        if qualities and cycle.kind != CycleKind.CORE:
            raise ValidationError(_("Unknown field."))
        chosen = _checked_core_qualities(qualities[-1].get("values")) if qualities else None
        limits = {"title": 200, **phases.text_limits(cycle.kind)}
        fields = text_changes_apply(cycle, texts, limits=limits)
        if not cycle.title.strip():
            raise ValidationError(_("Give the reflection a short title."))
        if chosen is not None:
            cycle.core_qualities = chosen
            fields.append("core_qualities")
        version_bump(cycle, *fields, "updated_at")
    return cycle


def _transition(
    *, actor: User, cycle: ReflectionCycle, action: str, permission: str
) -> ReflectionCycle:
    sources, target, refusal = CYCLE_TRANSITIONS[action]
    cycle = _locked(ReflectionCycle, cycle)
    _require(actor, permission, cycle)
    if cycle.status not in sources:
        raise ValidationError(str(refusal))
    cycle.status = target
    return cycle


def cycle_share(
    *, actor: User, cycle: ReflectionCycle, trajectory: Trajectory | None = None
) -> ReflectionCycle:
    """Share a draft with the begeleider(s) of a trajectory (and, in opleiden, the school's
    schoolopleider, who may read all opleiden content)."""
    with transaction.atomic():
        cycle = _transition(actor=actor, cycle=cycle, action="share", permission="own")
        trajectory = trajectory or cycle.trajectory
        if trajectory is None:
            raise ValidationError(_("Choose the trajectory whose begeleider may read it."))
        _check_trajectory_of_owner(actor, trajectory)
        if cycle.visit_id and cycle.visit.trajectory_id != trajectory.pk:
            raise ValidationError(_("This lesson visit belongs to another trajectory."))
        if trajectory.status != TrajectoryStatus.ACTIVE:
            raise ValidationError(_("This trajectory has ended; share with a current one."))
        if not cycle.action.strip():
            raise ValidationError(_("Describe what happened (phase 1) before sharing."))
        cycle.trajectory = trajectory
        cycle.shared_at = timezone.now()
        version_bump(cycle, "status", "trajectory", "shared_at", "updated_at")
        audit_record(actor=actor, action="reflection.shared", obj=cycle, school=trajectory.school)
    return cycle


def cycle_withdraw(*, actor: User, cycle: ReflectionCycle) -> ReflectionCycle:
    """Back to private. Comments stay, and are seen again if the cycle is shared again."""
    with transaction.atomic():
        cycle = _transition(actor=actor, cycle=cycle, action="withdraw", permission="own")
        cycle.shared_at = None
        version_bump(cycle, "status", "shared_at", "updated_at")
        audit_record(
            actor=actor, action="reflection.withdrawn", obj=cycle, school=cycle.trajectory.school
        )
    return cycle


def cycle_mark_discussed(*, actor: User, cycle: ReflectionCycle) -> ReflectionCycle:
    with transaction.atomic():
        cycle = _transition(actor=actor, cycle=cycle, action="discuss", permission="discuss")
        cycle.discussed_at = timezone.now()
        version_bump(cycle, "status", "discussed_at", "updated_at")
        audit_record(
            actor=actor, action="reflection.discussed", obj=cycle, school=cycle.trajectory.school
        )
    return cycle


def cycle_delete(*, actor: User, cycle: ReflectionCycle) -> None:
    """Only a draft: once shared, a begeleider may have read and answered it."""
    with transaction.atomic():
        cycle = _locked(ReflectionCycle, cycle)
        _require(actor, "own", cycle)
        if cycle.status != CycleStatus.DRAFT:
            raise ValidationError(_("Only a draft can be deleted; withdraw the sharing first."))
        if cycle.comments.exists():
            raise ValidationError(
                _("This reflection has comments from your begeleider, so it is kept.")
            )
        cycle.delete()


def comment_add(
    *,
    actor: User,
    cycle: ReflectionCycle,
    text: str,
    kind: str = CommentKind.COMMENT,
    phase: str = "",
    parent: CycleComment | None = None,
) -> CycleComment:
    """A begeleider comments or asks on a shared cycle (one phase, or the whole); anyone in the
    conversation replies to a comment. The owner does not start threads on their own cycle."""
    text = text.strip()
    if not text:
        raise ValidationError(_("Write your comment first."))
    if len(text) > phases.SHORT:
        raise ValidationError(
            _("A comment is at most %(limit)s characters.") % {"limit": phases.SHORT}
        )
    with transaction.atomic():
        cycle = ReflectionCycle.objects.select_for_update().get(pk=cycle.pk)
        _require(actor, "view", cycle)
        if cycle.status != CycleStatus.SHARED:
            raise ValidationError(_("Comments are possible while the reflection is shared."))
        if parent is not None:
            if parent.cycle_id != cycle.pk or parent.parent_id is not None:
                raise ValidationError(_("Reply to a comment on this reflection."))
            kind, phase = CommentKind.REPLY, parent.phase
        else:
            if actor.pk == cycle.owner_id:
                raise ValidationError(_("Reply to a comment of your begeleider."))
            if kind not in {CommentKind.COMMENT, CommentKind.QUESTION}:
                raise ValidationError(_("Choose a comment or a question."))
            if phase and phase not in phases.section_keys(cycle.kind):
                raise ValidationError(_("Choose a phase of this reflection."))
        return CycleComment.objects.create(
            cycle=cycle, author=actor, kind=kind, phase=phase, parent=parent, text=text
        )


# --- Learning goals -------------------------------------------------------------------------


def goal_create(
    *,
    actor: User,
    trajectory: Trajectory,
    title: str,
    description: str = "",
    source_observation: Observation | None = None,
    source_item: Item | None = None,
    source_cycle: ReflectionCycle | None = None,
) -> LearningGoal:
    """A goal of the trajectory's teacher, written by them (or in opleiden by the opleider),
    freely, from an observation's suggested focus, or from a cycle's intention."""
    _require(actor, "edit_content", trajectory)
    if trajectory.status != TrajectoryStatus.ACTIVE:
        raise ValidationError(_("This trajectory has ended; no new goals can be added."))
    title = title.strip()
    if not title or len(title) > 200:
        raise ValidationError(_("Write the goal in at most 200 characters."))
    if len(description) > phases.SHORT:
        raise ValidationError(
            _("The description is at most %(limit)s characters.") % {"limit": phases.SHORT}
        )
    source = GoalSource.FREE
    if source_observation is not None:
        if (
            source_observation.visit.trajectory_id != trajectory.pk
            or source_observation.status != ObservationStatus.FINAL
        ):
            raise ValidationError(_("Choose a final observation from this trajectory."))
        if source_item is not None and source_item.instrument_id != (
            source_observation.instrument_id
        ):
            raise ValidationError(_("Choose an item of the observation's instrument."))
        source = GoalSource.OBSERVATION
    elif source_item is not None:
        raise ValidationError(_("An item comes with the observation it was suggested by."))
    if source_cycle is not None:
        # Not a cycle of another trajectory: a zij-instromer who is both trained and coached
        # must not tie an opleiden goal to coaching content.
        if (
            source_cycle.owner_id != trajectory.teacher_id
            or source_cycle.trajectory_id not in (None, trajectory.pk)
            or not access.can(actor, "view", source_cycle)
        ):
            raise ValidationError(_("Choose a reflection of this teacher that you can read."))
        source = GoalSource.CYCLE
    with transaction.atomic():
        goal = LearningGoal.objects.create(
            trajectory=trajectory,
            owner=trajectory.teacher,
            title=title,
            description=description,
            source=source,
            source_item=source_item,
            source_observation=source_observation,
            source_cycle=source_cycle,
            created_by=actor,
        )
        audit_record(actor=actor, action="goal.created", obj=goal, school=trajectory.school)
    return goal


def goal_update(
    *,
    actor: User,
    goal: LearningGoal,
    version: int,
    title: str,
    description: str,
    status: str,
) -> LearningGoal:
    title = title.strip()
    if not title or len(title) > 200:
        raise ValidationError(_("Write the goal in at most 200 characters."))
    if len(description) > phases.SHORT:
        raise ValidationError(
            _("The description is at most %(limit)s characters.") % {"limit": phases.SHORT}
        )
    if status not in GoalStatus.values:
        raise ValidationError(_("Choose open, working on it, reached or dropped."))
    with transaction.atomic():
        goal = LearningGoal.objects.select_for_update().select_related("trajectory").get(pk=goal.pk)
        _require(actor, "edit", goal)
        version_check(goal, version)
        goal.title, goal.description, goal.status = title, description, status
        version_bump(goal, "title", "description", "status", "updated_at")
    return goal


def goal_evidence_add(
    *,
    actor: User,
    goal: LearningGoal,
    visit: LessonVisit | None = None,
    observation: Observation | None = None,
    cycle: ReflectionCycle | None = None,
    note: str = "",
) -> GoalEvidence:
    """Link a visit, an observation or a reflection of the same trajectory that the actor can
    read: evidence never opens up something the begeleider could not see anyway."""
    _require(actor, "edit", goal)
    links = [link for link in (visit, observation, cycle) if link is not None]
    if len(links) != 1:
        raise ValidationError(_("Choose one lesson visit, observation or reflection."))
    if len(note) > 500:
        raise ValidationError(_("The note is at most 500 characters."))
    (link,) = links
    trajectory_id = (
        link.trajectory_id
        if isinstance(link, LessonVisit | ReflectionCycle)
        else link.visit.trajectory_id
    )
    if trajectory_id != goal.trajectory_id or not access.can(actor, "view", link):
        raise ValidationError(_("Choose something from this trajectory that you can read."))
    if isinstance(link, ReflectionCycle) and link.status == CycleStatus.DRAFT:
        raise ValidationError(_("Share the reflection first, so your begeleider can see it too."))
    existing = goal.evidence.filter(visit=visit, observation=observation, cycle=cycle)
    if existing.exists():
        raise ValidationError(_("This is already linked to the goal."))
    return GoalEvidence.objects.create(
        goal=goal, visit=visit, observation=observation, cycle=cycle, note=note, added_by=actor
    )


def goal_evidence_remove(*, actor: User, evidence: GoalEvidence) -> None:
    _require(actor, "edit", evidence.goal)
    evidence.delete()


# --- Conversations and agreements -----------------------------------------------------------

CONVERSATION_TEXT_LIMITS = {"topics": phases.SHORT, "notes": 20000}


def _participants_allowed(trajectory: Trajectory, participants: list[User]) -> list[User]:
    """The pair always takes part; someone else only if they may read the trajectory's
    content (in opleiden, the schoolopleider)."""
    chosen = {person.pk: person for person in (trajectory.teacher, trajectory.begeleider)}
    for person in participants:
        if person.pk not in chosen and not access.can(person, "view_content", trajectory):
            raise ValidationError(
                _("%(name)s cannot take part: they may not read this trajectory.")
                % {"name": person.full_name}
            )
        chosen[person.pk] = person
    return list(chosen.values())


def _check_conversation_links(
    *,
    actor: User,
    trajectory: Trajectory,
    kind: str,
    visit: LessonVisit | None,
    cycle: ReflectionCycle | None,
    observation: Observation | None,
) -> None:
    if kind not in ConversationKind.values:
        raise ValidationError(_("Choose a nagesprek or a coachgesprek."))
    if kind == ConversationKind.NAGESPREK and visit is None:
        raise ValidationError(_("A nagesprek belongs to a lesson visit; choose the visit."))
    if kind == ConversationKind.COACHGESPREK and not trajectory.is_coaching:
        raise ValidationError(_("A coachgesprek belongs to a coaching trajectory."))
    if visit is not None and visit.trajectory_id != trajectory.pk:
        raise ValidationError(_("This lesson visit belongs to another trajectory."))
    if cycle is not None and (
        cycle.trajectory_id != trajectory.pk
        or cycle.status == CycleStatus.DRAFT
        or not access.can(actor, "view", cycle)
    ):
        raise ValidationError(_("Choose a reflection that was shared in this trajectory."))
    if observation is not None and (
        observation.visit.trajectory_id != trajectory.pk
        or not access.can(actor, "view", observation)
    ):
        raise ValidationError(_("Choose an observation from this trajectory that you can read."))


def conversation_create(
    *,
    actor: User,
    trajectory: Trajectory,
    kind: str,
    held_on: datetime.date,
    visit: LessonVisit | None = None,
    participants: list[User] = (),
    topics: str = "",
    cycle: ReflectionCycle | None = None,
    observation: Observation | None = None,
) -> Conversation:
    _require(actor, "edit", Conversation(trajectory=trajectory))
    if trajectory.status != TrajectoryStatus.ACTIVE:
        raise ValidationError(_("This trajectory has ended; no new conversations can be added."))
    _check_conversation_links(
        actor=actor,
        trajectory=trajectory,
        kind=kind,
        visit=visit,
        cycle=cycle,
        observation=observation,
    )
    if len(topics) > phases.SHORT:
        raise ValidationError(
            _("The topics are at most %(limit)s characters.") % {"limit": phases.SHORT}
        )
    with transaction.atomic():
        conversation = Conversation.objects.create(
            trajectory=trajectory,
            kind=kind,
            held_on=held_on,
            visit=visit,
            topics=topics,
            cycle=cycle,
            observation=observation,
            created_by=actor,
        )
        conversation.participants.set(_participants_allowed(trajectory, list(participants)))
        audit_record(
            actor=actor, action="conversation.created", obj=conversation, school=trajectory.school
        )
    return conversation


def conversation_update(
    *,
    actor: User,
    conversation: Conversation,
    version: int,
    held_on: datetime.date,
    visit: LessonVisit | None,
    participants: list[User],
    cycle: ReflectionCycle | None,
    observation: Observation | None,
) -> Conversation:
    """The conversation's details (its texts are saved by `conversation_apply`)."""
    with transaction.atomic():
        conversation = (
            Conversation.objects.select_for_update()
            .select_related("trajectory")
            .get(pk=conversation.pk)
        )
        _require(actor, "edit", conversation)
        version_check(conversation, version)
        _check_conversation_links(
            actor=actor,
            trajectory=conversation.trajectory,
            kind=conversation.kind,
            visit=visit,
            cycle=cycle,
            observation=observation,
        )
        conversation.held_on, conversation.visit = held_on, visit
        conversation.cycle, conversation.observation = cycle, observation
        conversation.participants.set(
            _participants_allowed(conversation.trajectory, list(participants))
        )
        version_bump(conversation, "held_on", "visit", "cycle", "observation", "updated_at")
    return conversation


def conversation_apply(
    *, actor: User, conversation: Conversation, version: int, changes: list[dict]
) -> Conversation:
    """Save the conversation's topics and notes: an autosave batch or the plain form."""
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        _require(actor, "edit", conversation)
        version_check(conversation, version)
        fields = text_changes_apply(conversation, changes, limits=CONVERSATION_TEXT_LIMITS)
        version_bump(conversation, *fields, "updated_at")
    return conversation


def _checked_agreement(conversation: Conversation, what: str, who: User) -> str:
    what = what.strip()
    if not what or len(what) > 500:
        raise ValidationError(_("Write the agreement in at most 500 characters."))
    if not conversation.participants.filter(pk=who.pk).exists():
        raise ValidationError(_("Choose someone who took part in the conversation."))
    return what


def agreement_add(
    *,
    actor: User,
    conversation: Conversation,
    what: str,
    who: User,
    due_on: datetime.date | None = None,
) -> Agreement:
    _require(actor, "edit", conversation)
    what = _checked_agreement(conversation, what, who)
    return Agreement.objects.create(conversation=conversation, what=what, who=who, due_on=due_on)


def agreement_set_done(*, actor: User, agreement: Agreement, done: bool) -> Agreement:
    _require(actor, "edit", agreement)
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if done and agreement.done_at is None:
            agreement.done_at, agreement.done_by = timezone.now(), actor
        elif not done:
            agreement.done_at, agreement.done_by = None, None
        agreement.save(update_fields=["done_at", "done_by"])
    return agreement


def agreement_delete(*, actor: User, agreement: Agreement) -> None:
    _require(actor, "edit", agreement)
    agreement.delete()


# --- Conversation reports -------------------------------------------------------------------


def report_is_current(report: ConversationReport, *, fingerprint: str) -> bool:
    """Does the report still show the conversation as it is (`fingerprint`, read once)?"""
    return report.status != ReportStatus.FAILED and report.fingerprint in {"", fingerprint}


@transaction.atomic
def conversation_report_request(
    *, actor: User, conversation: Conversation, language: str
) -> tuple[ConversationReport, bool]:
    """Queue a report of the conversation in `language`, or return the one that already
    shows it as it is (or is being made): a double click or a second participant asking
    makes no second report. Returns (report, created)."""
    _require(actor, "view", ConversationReport(conversation=conversation))
    conversation = _locked(Conversation, conversation)  # one request at a time per conversation
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationError(_("Choose a language for the report."))
    current = conversation_reports.current_fingerprint(conversation)
    # A render already waiting is reused only if it shows the conversation as it is now: a
    # confirmation's re-render keeps the old text.
    pending = conversation.reports.filter(
        status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING], language=language
    ).first()
    if pending is not None and report_is_current(pending, fingerprint=current):
        return pending, False
    newest = conversation.reports.filter(status=ReportStatus.DONE, language=language).first()
    if newest is not None and newest.fingerprint == current:
        return newest, False
    report = ConversationReport(
        conversation=conversation, requested_by=actor, render_for=actor, language=language
    )
    report_queue(CONVERSATION_REPORTS, report, render_for=actor)
    audit_record(
        actor=actor,
        action="conversation_report.requested",
        obj=report,
        school=conversation.trajectory.school,
    )
    return report, True


@transaction.atomic
def conversation_report_confirm(*, actor: User, report: ConversationReport) -> ReportConfirmation:
    """Record the actor's "seen and agreed" and render the report again to show it."""
    _require(actor, "confirm", report)
    report = _locked(ConversationReport, report)
    if not report.file_name:
        raise ValidationError(_("The report is not ready yet; confirm it once you can read it."))
    if report.fingerprint != conversation_reports.current_fingerprint(report.conversation):
        raise ValidationError(
            _(
                "The conversation has changed since this report was made. Make a new report "
                "and confirm that one."
            )
        )
    if report.confirmations.filter(user=actor).exists():
        raise ValidationError(_("You have already confirmed this report."))
    confirmation = ReportConfirmation.objects.create(report=report, user=actor)
    report_queue(CONVERSATION_REPORTS, report, render_for=actor)
    audit_record(
        actor=actor,
        action="conversation_report.confirmed",
        obj=report,
        school=report.conversation.trajectory.school,
    )
    return confirmation


@transaction.atomic
def conversation_report_retry(*, actor: User, report: ConversationReport) -> ConversationReport:
    """Try a failed report again, for the actor (who must be able to see the conversation)."""
    _require(actor, "view", report)
    report = _locked(ConversationReport, report)
    if report.status != ReportStatus.FAILED:
        raise ValidationError(_("Only a report that failed can be tried again."))
    report_queue(CONVERSATION_REPORTS, report, render_for=actor)
    audit_record(
        actor=actor,
        action="conversation_report.retried",
        obj=report,
        school=report.conversation.trajectory.school,
    )
    return report


# --- MERID profiles ---------------------------------------------------------------------------

# A conversation of an hour has some ten to twenty topics; a long training video a few dozen.
MERID_MAX_TOPICS = 200
MERID_MAX_MINUTES = Decimal(600)
MERID_LABEL_LENGTH = 200


def merid_profile_create(
    *,
    actor: User,
    school: School | None = None,
    title: str = "",
    held_on: datetime.date | None = None,
    conversation: Conversation | None = None,
) -> MeridProfile:
    """A new profile: of a conversation in the app (its begeleider's; the other participant can
    later be asked for their perception), or of a conversation recorded elsewhere."""
    if conversation is not None:
        _require(actor, "merid", conversation)
        if MeridProfile.objects.filter(owner=actor, conversation=conversation).exists():
            raise ValidationError(_("You have already made a MERID profile of this conversation."))
        trajectory = conversation.trajectory
        school = trajectory.school
        held_on = conversation.held_on
        title = title.strip() or _("%(kind)s with %(name)s") % {
            "kind": capfirst(conversation.get_kind_display()),
            "name": trajectory.teacher.full_name,
        }
        counterpart = trajectory.teacher
    else:
        if school is None or not access.merid_schools(actor).filter(pk=school.pk).exists():
            raise ValidationError(_("Choose a school where you are a begeleider."))
        counterpart = None
    title = title.strip()
    if not title or len(title) > 200:
        raise ValidationError(_("Give the profile a title of at most 200 characters."))
    if held_on is None:
        raise ValidationError(_("Give the date of the conversation."))
    profile = MeridProfile.objects.create(
        owner=actor,
        school=school,
        conversation=conversation,
        title=title,
        held_on=held_on,
        counterpart=counterpart,
    )
    audit_record(actor=actor, action="merid.created", obj=profile)
    return profile


def _merid_uuid(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ValidationError(_("A topic could not be read."), code="invalid") from None


def _merid_choice(value, choices, message: str) -> str:
    if value in ("", None):
        return ""
    if value not in choices:
        raise ValidationError(message, code="invalid")
    return value


def _merid_minutes(value) -> Decimal | None:
    """Minutes as typed: empty for "not timed", a number with at most one decimal (a comma
    is read as the decimal sign, as Dutch users write it)."""
    if value in ("", None):
        return None
    try:
        minutes = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        minutes = None
    if minutes is None or not minutes.is_finite() or not 0 < minutes <= MERID_MAX_MINUTES:
        raise ValidationError(
            _("Give the minutes as a number above 0 and at most %(most)s, or leave them empty.")
            % {"most": MERID_MAX_MINUTES},
            code="invalid",
        )
    if minutes != minutes.quantize(Decimal("0.1")):
        raise ValidationError(
            _("Give the minutes with at most one decimal, for example 2.5."), code="invalid"
        )
    return minutes


def _merid_topic_change(topic: MeridTopic, change: dict) -> None:
    if "label" in change:
        label = change["label"]
        if not isinstance(label, str):
            raise ValidationError(_("A topic could not be read."), code="invalid")
        label = label.strip()
        if len(label) > MERID_LABEL_LENGTH:
            raise ValidationError(
                _(
                    "A topic's label is at most %(limit)s characters; shorten it and it will be "
                    "saved."
                )
                % {"limit": MERID_LABEL_LENGTH},
                code="max_length",
            )
        topic.label = label
    if "input" in change:
        topic.input = _merid_choice(
            change["input"], MeridInput.values, _("Choose who brought the topic in.")
        )
    if "style" in change:
        topic.style = _merid_choice(
            change["style"], MeridStyle.values, _("Choose directive or non-directive.")
        )
    if "minutes" in change:
        topic.minutes = _merid_minutes(change["minutes"])


def merid_topics_apply(
    *, actor: User, profile: MeridProfile, version: int, changes: list[dict]
) -> MeridProfile:
    """Save a batch of topic changes from the coding table (autosave or the plain form).

    A change is one of
    `{"type": "topic", "id": <uuid>, "label"?, "input"?, "style"?, "minutes"?}` (adds the topic
    with that id, made by the page, or changes it), `{"type": "delete", "id": <uuid>}` and
    `{"type": "order", "ids": [<uuid>, ...]}`. Everything is checked before anything is written,
    so a refused batch changes nothing. A new topic sent twice is one topic, not two; within a
    batch, a change to a topic deleted earlier in it is ignored (the page turns every change
    still waiting for a deleted row into its deletion, static/js/merid.js), and a batch sent
    again after a later one was saved is refused by its version.
    """
    with transaction.atomic():
        profile = MeridProfile.objects.select_for_update().get(pk=profile.pk)
        _require(actor, "code", profile)
        version_check(profile, version)
        topics = {topic.public_id: topic for topic in profile.topics.all()}
        order = sorted(topics, key=lambda key: topics[key].position)
        new: set[uuid.UUID] = set()
        deleted: set[uuid.UUID] = set()
        for change in changes:
            kind = change.get("type")
            if kind == "topic":
                key = _merid_uuid(change.get("id"))
                if key in deleted:
                    continue
                if key not in topics:
                    if MeridTopic.objects.filter(public_id=key).exists():
                        raise ValidationError(_("A topic could not be read."), code="invalid")
                    topics[key] = MeridTopic(public_id=key, profile=profile, position=0)
                    new.add(key)
                    order.append(key)
                _merid_topic_change(topics[key], change)
            elif kind == "delete":
                key = _merid_uuid(change.get("id"))
                deleted.add(key)
                if key in order:
                    order.remove(key)
            elif kind == "order":
                ids = change.get("ids")
                if not isinstance(ids, list):
                    raise ValidationError(_("The order of the topics could not be read."))
                # Each topic once, in the first place the page gave it.
                wanted = list(dict.fromkeys(key for key in map(_merid_uuid, ids) if key in order))
                # Topics the page did not know of yet (a co-coder's) keep their place at the end.
                order = wanted + [key for key in order if key not in wanted]
            else:
                raise ValidationError(_("The changes could not be read."), code="invalid")
        if len(order) > MERID_MAX_TOPICS:
            raise ValidationError(
                _("A profile has at most %(most)s topics.") % {"most": MERID_MAX_TOPICS}
            )
        MeridTopic.objects.filter(profile=profile, public_id__in=deleted).delete()
        for position, key in enumerate(order, start=1):
            topic = topics[key]
            topic.position = position
            topic.save() if key in new else topic.save(
                update_fields=["position", "label", "input", "style", "minutes"]
            )
        version_bump(profile, "updated_at")
    return profile


def merid_estimate_save(
    *, actor: User, profile: MeridProfile, kind: str, percentages: dict[str, int]
) -> MeridEstimate:
    """The begeleider's own estimate, or the other participant's perception once asked: four
    whole percentages that total 100. A later estimate of the same kind replaces the earlier."""
    _require(actor, "own" if kind == EstimateKind.SELF else "perceive", profile)
    values = {role: percentages.get(role) for role in MeridRole.values}
    if not all(isinstance(value, int) and 0 <= value <= 100 for value in values.values()):
        raise ValidationError(_("Give each role a whole number from 0 to 100."))
    total = sum(values.values())
    if total != 100:
        raise ValidationError(
            _("The four shares add up to %(total)s; together they must make 100.")
            % {"total": total},
            code="total",
        )
    estimate, _created = MeridEstimate.objects.update_or_create(
        profile=profile, kind=kind, defaults={"author": actor, **values}
    )
    audit_record(actor=actor, action=f"merid.{kind}_estimated", obj=profile)
    return estimate


def merid_perception_request(*, actor: User, profile: MeridProfile) -> MeridProfile:
    _require(actor, "own", profile)
    if profile.counterpart_id is None:
        raise ValidationError(
            _("Only the other participant of a conversation in the app can be asked.")
        )
    if profile.perception_requested_at is None:
        profile.perception_requested_at = timezone.now()
        profile.save(update_fields=["perception_requested_at", "updated_at"])
        audit_record(actor=actor, action="merid.perception_requested", obj=profile)
    return profile


def merid_share_add(
    *, actor: User, profile: MeridProfile, person: User, may_code: bool = False
) -> MeridShare:
    _require(actor, "own", profile)
    if not access.merid_sharing_candidates(profile).filter(pk=person.pk).exists():
        raise ValidationError(
            _(
                "Share with a colleague who is a begeleider at this school, such as a trainer or "
                "the schoolopleider."
            )
        )
    share, _created = MeridShare.objects.update_or_create(
        profile=profile, person=person, defaults={"may_code": may_code}
    )
    audit_record(actor=actor, action="merid.shared", obj=profile)
    return share


def merid_share_remove(*, actor: User, share: MeridShare) -> None:
    _require(actor, "own", share)
    audit_record(actor=actor, action="merid.unshared", obj=share.profile)
    share.delete()


def merid_profile_delete(*, actor: User, profile: MeridProfile) -> None:
    _require(actor, "own", profile)
    audit_record(actor=actor, action="merid.deleted", obj=profile)
    profile.delete()


# --- Learning groups: members, notes, sessions and their phases, clips, reports ---------------

GROUP_NOTE_LENGTH = phases.SHORT
PRINCIPLE_LENGTH = 500
# A clip stays visible at most this long; the filmed teacher may choose a shorter time.
CLIP_LONGEST_DAYS = 365


def _require_facilitator(actor: User, group: LearningGroup) -> None:
    if not access.can(actor, "facilitate", GroupSession(group=group)):
        raise PermissionDenied


def _all_in_group(group: LearningGroup, people: list[User]) -> bool:
    """Are all these people the group's current members or facilitators (attendance, a clip's
    viewers)?"""
    current = set(group.memberships.filter(left_on__isnull=True).values_list("user_id", flat=True))
    current |= set(group.facilitators.values_list("pk", flat=True))
    return all(person.pk in current for person in people)


def group_member_add(*, actor: User, group: LearningGroup, person: User) -> LearningGroupMember:
    """The coordinator or a facilitator adds a colleague of the school; someone who left
    before joins again."""
    _require(actor, "manage", group)
    if not Membership.objects.filter(user=person, school=group.school, is_active=True).exists():
        raise ValidationError(_("Choose someone who works at this school."))
    if group.facilitators.filter(pk=person.pk).exists():
        raise ValidationError(_("%(name)s already facilitates this group.") % {"name": person})
    membership, created = LearningGroupMember.objects.get_or_create(group=group, user=person)
    if not created and membership.left_on is not None:
        membership.joined_on, membership.left_on = timezone.localdate(), None
        membership.save(update_fields=["joined_on", "left_on"])
    elif not created:
        raise ValidationError(_("%(name)s is already a member.") % {"name": person})
    audit_record(actor=actor, action="learning_group.member_added", obj=group)
    return membership


def group_member_leave(*, actor: User, membership: LearningGroupMember) -> LearningGroupMember:
    """A member leaves (or is taken off by the coordinator or a facilitator). The row stays
    for the attendance history; the member no longer reads the group's sessions."""
    if actor.pk != membership.user_id:
        _require(actor, "manage", membership.group)
    if membership.left_on is None:
        membership.left_on = max(timezone.localdate(), membership.joined_on)
        membership.save(update_fields=["left_on"])
        audit_record(actor=actor, action="learning_group.member_left", obj=membership.group)
    return membership


def group_note_add(*, actor: User, group: LearningGroup, text: str) -> GroupNote:
    _require(actor, "view_content", group)
    text = text.strip()
    if not text or len(text) > GROUP_NOTE_LENGTH:
        raise ValidationError(
            _("Write the note in at most %(limit)s characters.") % {"limit": GROUP_NOTE_LENGTH}
        )
    return GroupNote.objects.create(group=group, author=actor, text=text)


def group_session_plan(
    *,
    actor: User,
    group: LearningGroup,
    starts_at: datetime.datetime,
    location: str = "",
    focus: str = "",
    research_lesson: int | None = None,
) -> GroupSession:
    """A facilitator plans a session; it starts in the format's first phase."""
    _require_facilitator(actor, group)
    location, focus = location.strip(), focus.strip()
    errors = {}
    if len(location) > 200:
        errors["location"] = _("Give the location in at most 200 characters.")
    if len(focus) > 500:
        errors["focus"] = _("Give the theme or question in at most 500 characters.")
    if research_lesson is not None and not 1 <= research_lesson <= 20:
        errors["research_lesson"] = _("Give the research lesson's number, from 1 to 20.")
    if errors:
        raise ValidationError(errors)
    if research_lesson is not None and group.format != "lesson_study":
        research_lesson = None
    session = GroupSession.objects.create(
        group=group,
        starts_at=starts_at,
        location=location,
        focus=focus or group.theme[:500],
        research_lesson=research_lesson,
        phase=group_phases.phases_of(group.format)[0].key,
        created_by=actor,
    )
    audit_record(actor=actor, action="group_session.planned", obj=session, school=group.school)
    return session


def group_session_move(*, actor: User, session: GroupSession, step: int) -> GroupSession:
    """Take the session one phase on (step 1) or back (step -1). On past the last phase the
    session is held: it is over, and what it produced stays."""
    with transaction.atomic():
        session = (
            GroupSession.objects.select_for_update().select_related("group").get(pk=session.pk)
        )
        _require(actor, "facilitate", session)
        if session.status == SessionStatus.CANCELLED:
            raise ValidationError(_("This session was cancelled."))
        keys = [phase.key for phase in group_phases.phases_of(session.group.format)]
        index = keys.index(session.phase) + step
        if index < 0:
            raise ValidationError(_("The session is already in its first phase."))
        if index >= len(keys):
            session.status = SessionStatus.HELD
        else:
            session.phase = keys[index]
            if session.status == SessionStatus.HELD and step < 0:
                # Going back to add what was forgotten reopens the session.
                session.status = SessionStatus.PLANNED
        version_bump(session, "phase", "status", "updated_at")
    return session


def group_session_cancel(*, actor: User, session: GroupSession) -> GroupSession:
    _require(actor, "facilitate", session)
    if session.status != SessionStatus.PLANNED or session.entries.exists():
        raise ValidationError(_("Only a planned session without contributions can be cancelled."))
    session.status = SessionStatus.CANCELLED
    session.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor, action="group_session.cancelled", obj=session, school=session.group.school
    )
    return session


def group_session_attendance(
    *, actor: User, session: GroupSession, attendees: list[User]
) -> GroupSession:
    """Who was there: the group's current members and facilitators only."""
    _require(actor, "facilitate", session)
    group = session.group
    if not _all_in_group(group, attendees):
        raise ValidationError(_("Choose members or facilitators of this group."))
    session.attendees.set(attendees)
    return session


def _open_phase(session: GroupSession, key: str) -> group_phases.GroupPhase:
    """A phase of the session that has been reached: one writes in the current phase, or goes
    back to an earlier one, never ahead of the group."""
    phase = group_phases.phase_of(session.group.format, key)
    if phase is None:
        raise ValidationError(_("This session has no such phase."))
    if group_phases.phase_index(session.group.format, key) > group_phases.phase_index(
        session.group.format, session.phase
    ):
        raise ValidationError(_("The group has not reached this phase yet."))
    return phase


def session_entry_add(
    *,
    actor: User,
    session: GroupSession,
    phase: str,
    text: str,
    case_pupil: str = "",
    interpretation: str = "",
) -> SessionEntry:
    _require(actor, "contribute", session)
    step = _open_phase(session, phase)
    if step.collects not in {group_phases.TEXT, group_phases.CASE_PUPIL, group_phases.NOTICING}:
        raise ValidationError(_("This phase collects something else."))
    text, case_pupil, interpretation = text.strip(), case_pupil.strip(), interpretation.strip()
    errors = {}
    if not text:
        errors["text"] = _("Write something first.")
    elif len(text) > phases.LONG:
        errors["text"] = _("Write at most %(limit)s characters.") % {"limit": phases.LONG}
    if step.collects == group_phases.CASE_PUPIL and not case_pupil and not step.pupil_optional:
        errors["case_pupil"] = _("Say which case pupil this is about.")
    if len(case_pupil) > 100:
        errors["case_pupil"] = _("Name the case pupil in at most 100 characters.")
    if step.collects == group_phases.NOTICING and not interpretation:
        errors["interpretation"] = _("Write how you interpret what you saw.")
    if len(interpretation) > phases.LONG:
        errors["interpretation"] = _("Write at most %(limit)s characters.") % {"limit": phases.LONG}
    if errors:
        raise ValidationError(errors)
    return SessionEntry.objects.create(
        session=session,
        phase=phase,
        author=actor,
        text=text,
        case_pupil=case_pupil if step.collects == group_phases.CASE_PUPIL else "",
        interpretation=interpretation if step.collects == group_phases.NOTICING else "",
    )


def session_entry_delete(*, actor: User, entry: SessionEntry) -> None:
    """Only its author takes a contribution back."""
    if entry.author_id != actor.pk or not access.can(actor, "contribute", entry):
        raise PermissionDenied
    entry.delete()


def group_principle_add(*, actor: User, session: GroupSession, text: str) -> GroupPrinciple:
    """A principle for the group's "theorie met een kleine t", in the phase that collects them."""
    _require(actor, "contribute", session)
    principle_phases = [
        phase.key
        for phase in group_phases.phases_of(session.group.format)
        if phase.collects == group_phases.PRINCIPLES
    ]
    if not principle_phases:
        raise ValidationError(_("This kind of group keeps no list of principles."))
    _open_phase(session, principle_phases[0])
    text = text.strip()
    if not text or len(text) > PRINCIPLE_LENGTH:
        raise ValidationError(
            _("Write the principle in at most %(limit)s characters.") % {"limit": PRINCIPLE_LENGTH}
        )
    return GroupPrinciple.objects.create(
        group=session.group, session=session, text=text, author=actor
    )


def group_principle_delete(*, actor: User, principle: GroupPrinciple) -> None:
    """Its author, or a facilitator tidying the list."""
    if principle.author_id != actor.pk:
        _require(actor, "facilitate", principle.session)
    elif not access.can(actor, "contribute", principle):
        raise PermissionDenied
    principle.delete()


def video_clip_add(
    *,
    actor: User,
    session: GroupSession,
    title: str,
    consent: bool,
    expires_on: datetime.date,
    link: str = "",
    upload=None,
    whole_group: bool = True,
    viewers: list[User] | None = None,
) -> VideoClip:
    """The filmed teacher adds a clip of their own lesson: a link, or a short upload checked by
    its content and stored under a name the server makes. Nothing is stored when refused."""
    _require(actor, "contribute", session)
    _open_phase(session, group_phases.phases_of(session.group.format)[0].key)
    if not any(
        p.collects == group_phases.CLIPS for p in group_phases.phases_of(session.group.format)
    ):
        raise ValidationError(_("Only a videoclub session has clips."))
    errors = {}
    title = title.strip()
    if not title or len(title) > 200:
        errors["title"] = _("Give the clip a title of at most 200 characters.")
    if not consent:
        errors["consent"] = _(
            "A clip can only be shown with your consent as the filmed teacher, and the pupils' "
            "consent as your school arranges it."
        )
    today = timezone.localdate()
    if not today < expires_on <= today + datetime.timedelta(days=CLIP_LONGEST_DAYS):
        errors["expires_on"] = _("Choose a date after today and within a year.")
    if bool(link) == bool(upload):
        errors["link"] = (
            _("Give either a link or a file, not both.")
            if link
            else _("Give a link to the clip or upload a file.")
        )
    elif link and not link.startswith("https://"):
        errors["link"] = _("Give a link that starts with https://.")
    elif len(link) > 500:
        errors["link"] = _("Give a link of at most 500 characters.")
    kind = None
    if upload is not None and "link" not in errors:
        try:
            kind = clips.clip_kind(upload)
        except ValidationError as error:
            errors["upload"] = error.messages
    group = session.group
    chosen = list(viewers or [])
    if not _all_in_group(group, chosen):
        errors["viewers"] = _("Choose members or facilitators of this group.")
    if errors:
        raise ValidationError(errors)
    clip = VideoClip(
        session=session,
        owner=actor,
        title=title,
        link=link,
        consent_at=timezone.now(),
        expires_on=expires_on,
        whole_group=whole_group,
    )
    if kind is not None:
        extension, clip.content_type = kind
        clip.size = upload.size
        clip.file_name = clips.clip_file_name(clip.public_id, extension)
    with transaction.atomic():
        clip.save()
        clip.viewers.set([] if whole_group else chosen)
        if kind is not None:
            # The name is the clip's own; a failed write rolls the row back with it.
            stored = clips.clips_storage().save(clip.file_name, upload)
            if stored != clip.file_name:
                clip.file_name = stored
                clip.save(update_fields=["file_name"])
    audit_record(actor=actor, action="video_clip.added", obj=clip, school=group.school)
    return clip


def video_clip_viewers(
    *, actor: User, clip: VideoClip, whole_group: bool, viewers: list[User]
) -> VideoClip:
    _require(actor, "own", clip)
    group = clip.session.group
    if not _all_in_group(group, viewers):
        raise ValidationError(_("Choose members or facilitators of this group."))
    clip.whole_group = whole_group
    clip.save(update_fields=["whole_group"])
    clip.viewers.set([] if whole_group else viewers)
    return clip


def _delete_clip_file(clip: VideoClip) -> None:
    if clip.file_name:
        clips.clips_storage().delete(clip.file_name)
        clip.file_name = ""


def video_clip_withdraw(*, actor: User, clip: VideoClip) -> VideoClip:
    """The filmed teacher withdraws the clip: the file is deleted, not hidden, and nobody sees
    the clip any more."""
    _require(actor, "own", clip)
    with transaction.atomic():
        clip = VideoClip.objects.select_for_update().get(pk=clip.pk)
        _delete_clip_file(clip)
        clip.link, clip.withdrawn_at = "", timezone.now()
        clip.save(update_fields=["file_name", "link", "withdrawn_at"])
    audit_record(actor=actor, action="video_clip.withdrawn", obj=clip, school=None)
    return clip


def video_clips_purge_expired() -> int:
    """Delete the files and links of clips past their date (a daily beat job); returns how many."""
    purged = 0
    expired = VideoClip.objects.filter(expires_on__lt=timezone.localdate()).exclude(
        file_name="", link=""
    )
    for clip in expired:
        _delete_clip_file(clip)
        clip.link = ""
        clip.withdrawn_at = clip.withdrawn_at or timezone.now()
        clip.save(update_fields=["file_name", "link", "withdrawn_at"])
        purged += 1
    return purged


@transaction.atomic
def session_report_request(
    *, actor: User, session: GroupSession, language: str
) -> tuple[SessionReport, bool]:
    """A facilitator asks for the session's PDF report; a pending one in that language is
    returned instead of a second. Returns (report, created)."""
    _require(actor, "request", SessionReport(session=session))
    session = _locked(GroupSession, session)
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationError(_("Choose a language for the report."))
    pending = session.reports.filter(
        status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING], language=language
    ).first()
    if pending is not None:
        return pending, False
    report = SessionReport(session=session, requested_by=actor, render_for=actor, language=language)
    report_queue(SESSION_REPORTS, report, render_for=actor)
    audit_record(
        actor=actor, action="session_report.requested", obj=report, school=session.group.school
    )
    return report, True
