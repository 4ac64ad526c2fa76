"""Reflection cycles, learning goals, conversations with their agreements, MERID profiles, and the
sessions of learning groups.

All of it is trajectory content (DESIGN.md §6): a reflection is its owner's alone until they
share it, and in a coaching trajectory nothing here is ever shown to coordinators, school
leaders or administrators. Who may read and write what is decided in mentoring/access.py;
the rules for state changes live in reflection/services.py.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from mentoring.models import ReportJob
from observations.models import Item, LessonVisit, Observation
from reflection.phases import LONG, SHORT
from roles.models import LearningGroup, School, Trajectory


class CycleKind(models.TextChoices):
    ALACT = "alact", _("ALACT cycle")
    CORE = "core", _("core reflection")


class CycleStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SHARED = "shared", _("shared")
    DISCUSSED = "discussed", _("discussed")


class ReflectionCycle(models.Model):
    """A (student) teacher's reflection on one concrete experience: an ALACT cycle or a core
    reflection (kernreflectie). Private while a draft; shared with the begeleider(s) of one
    trajectory; marked discussed once talked through. Cycles form a spiral: phase 5 of one
    starts the next (`follows`)."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reflection_cycles",
        verbose_name=_("owner"),
    )
    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reflection_cycles",
        verbose_name=_("trajectory"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CycleKind.choices)
    title = models.CharField(_("title"), max_length=200)
    visit = models.ForeignKey(
        LessonVisit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reflection_cycles",
        verbose_name=_("lesson visit"),
    )
    follows = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followed_by",
        verbose_name=_("follows on from"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CycleStatus.choices, default=CycleStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    # ALACT (phase 1 `action` is also the situation of a core reflection)
    action = models.TextField(_("what happened"), max_length=LONG, blank=True)
    context = models.TextField(_("context"), max_length=SHORT, blank=True)
    want_self = models.TextField(_("what I wanted"), max_length=SHORT, blank=True)
    do_self = models.TextField(_("what I did"), max_length=SHORT, blank=True)
    think_self = models.TextField(_("what I was thinking"), max_length=SHORT, blank=True)
    feel_self = models.TextField(_("how I felt"), max_length=SHORT, blank=True)
    want_pupils = models.TextField(_("what the pupils wanted"), max_length=SHORT, blank=True)
    do_pupils = models.TextField(_("what the pupils did"), max_length=SHORT, blank=True)
    think_pupils = models.TextField(
        _("what the pupils were thinking"), max_length=SHORT, blank=True
    )
    feel_pupils = models.TextField(_("how the pupils felt"), max_length=SHORT, blank=True)
    awareness = models.TextField(_("essential aspects"), max_length=LONG, blank=True)
    alternatives = models.TextField(_("alternatives"), max_length=LONG, blank=True)
    intention = models.TextField(_("intention"), max_length=SHORT, blank=True)
    trial = models.TextField(_("trial"), max_length=LONG, blank=True)
    # Core reflection
    environment = models.TextField(_("environment"), max_length=SHORT, blank=True)
    behaviour = models.TextField(_("behaviour"), max_length=SHORT, blank=True)
    competencies = models.TextField(_("competencies"), max_length=SHORT, blank=True)
    beliefs = models.TextField(_("beliefs"), max_length=SHORT, blank=True)
    identity = models.TextField(_("identity"), max_length=SHORT, blank=True)
    mission = models.TextField(_("mission"), max_length=SHORT, blank=True)
    ideal = models.TextField(_("ideal"), max_length=SHORT, blank=True)
    core_qualities = models.JSONField(_("core qualities"), default=list, blank=True)
    obstacle = models.TextField(_("obstacle"), max_length=SHORT, blank=True)
    new_step = models.TextField(_("new step"), max_length=SHORT, blank=True)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    shared_at = models.DateTimeField(_("shared at"), null=True, blank=True)
    discussed_at = models.DateTimeField(_("discussed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reflection cycle")
        verbose_name_plural = _("reflection cycles")
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(trajectory__isnull=False),
                name="reflection_shared_has_trajectory",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(shared_at__isnull=False),
                name="reflection_shared_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="discussed") | models.Q(discussed_at__isnull=False),
                name="reflection_discussed_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "-updated_at"]),
            models.Index(fields=["trajectory", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == CycleStatus.DRAFT

    @property
    def seed(self) -> str:
        """What the next cycle starts from: the chosen intention (or new step) and how trying
        it out went. ALACT's phase 5 is phase 1 of the next cycle."""
        chosen = self.new_step if self.kind == CycleKind.CORE else self.intention
        return "\n\n".join(part for part in (chosen.strip(), self.trial.strip()) if part)


class CommentKind(models.TextChoices):
    COMMENT = "comment", _("comment")
    QUESTION = "question", _("question")
    REPLY = "reply", _("reply")


class CycleComment(models.Model):
    """A begeleider's comment or question on a shared cycle (on one phase or on the whole),
    or a reply to one. Begeleiders deepen a reflection with questions; they do not grade it."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    cycle = models.ForeignKey(
        ReflectionCycle,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("reflection cycle"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    # A section key of the cycle's kind (reflection/phases.py), or empty for the whole cycle.
    phase = models.CharField(_("phase"), max_length=20, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=CommentKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    text = models.TextField(_("text"), max_length=SHORT)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="reply", parent__isnull=False)
                | (~models.Q(kind="reply") & models.Q(parent__isnull=True)),
                name="cycle_comment_reply_has_parent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.author})"


class GoalStatus(models.TextChoices):
    OPEN = "open", _("open")
    WORKING = "working", _("working on it")
    REACHED = "reached", _("reached")
    DROPPED = "dropped", _("dropped")


class GoalSource(models.TextChoices):
    FREE = "free", _("own goal")
    OBSERVATION = "observation", _("suggested focus of an observation")
    CYCLE = "cycle", _("intention from a reflection")


class LearningGoal(models.Model):
    """A (student) teacher's learning goal (leerdoel) in a trajectory. The teacher owns it; in
    opleiden the opleider may write one with them, in coaching only the coachee does."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.PROTECT,
        related_name="learning_goals",
        verbose_name=_("trajectory"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="learning_goals",
        verbose_name=_("owner"),
    )
    title = models.CharField(_("goal"), max_length=200)
    description = models.TextField(_("description"), max_length=SHORT, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=GoalStatus.choices, default=GoalStatus.OPEN
    )
    source = models.CharField(
        _("source"), max_length=12, choices=GoalSource.choices, default=GoalSource.FREE
    )
    source_item = models.ForeignKey(
        Item,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ICALT item"),
    )
    source_observation = models.ForeignKey(
        Observation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("observation"),
    )
    source_cycle = models.ForeignKey(
        ReflectionCycle,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reflection cycle"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("learning goal")
        verbose_name_plural = _("learning goals")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["trajectory", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_current(self) -> bool:
        return self.status in {GoalStatus.OPEN, GoalStatus.WORKING}


class GoalEvidence(models.Model):
    """Something that shows work on a goal: a lesson visit, an observation or a reflection."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    goal = models.ForeignKey(
        LearningGoal,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("learning goal"),
    )
    visit = models.ForeignKey(
        LessonVisit, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    observation = models.ForeignKey(
        Observation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    cycle = models.ForeignKey(
        ReflectionCycle, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(visit__isnull=False, observation__isnull=True, cycle__isnull=True)
                    | models.Q(visit__isnull=True, observation__isnull=False, cycle__isnull=True)
                    | models.Q(visit__isnull=True, observation__isnull=True, cycle__isnull=False)
                ),
                name="goal_evidence_exactly_one_link",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal}: {self.visit or self.observation or self.cycle}"


class ConversationKind(models.TextChoices):
    NAGESPREK = "nagesprek", _("nagesprek")
    COACHGESPREK = "coachgesprek", _("coachgesprek")


class Conversation(models.Model):
    """A conversation in a trajectory: the nagesprek after a lesson visit, or a coachgesprek.
    Group sessions of learning groups come later."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.PROTECT,
        related_name="conversations",
        verbose_name=_("trajectory"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ConversationKind.choices)
    held_on = models.DateField(_("date"))
    visit = models.ForeignKey(
        LessonVisit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conversations",
        verbose_name=_("lesson visit"),
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="conversations", verbose_name=_("participants")
    )
    topics = models.TextField(_("topics"), max_length=SHORT, blank=True)
    notes = models.TextField(_("notes"), max_length=20000, blank=True)
    cycle = models.ForeignKey(
        ReflectionCycle,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversations",
        verbose_name=_("reflection discussed"),
    )
    observation = models.ForeignKey(
        Observation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conversations",
        verbose_name=_("observation discussed"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-held_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="nagesprek") | models.Q(visit__isnull=False),
                name="conversation_nagesprek_has_visit",
            ),
        ]
        indexes = [models.Index(fields=["trajectory", "-held_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%Y-%m-%d}"


class Agreement(models.Model):
    """An agreement made in a conversation (afspraak): what, who, by when, and whether done.
    Open agreements show on the home page of both people in the trajectory."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.CASCADE,
        related_name="agreements",
        verbose_name=_("conversation"),
    )
    what = models.CharField(_("what"), max_length=500)
    who = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("who"),
    )
    due_on = models.DateField(_("by when"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked done by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.what

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class ConversationReport(ReportJob):
    """The PDF report (gespreksverslag) of a conversation, made in the background.

    A report shows the conversation as it was when it was made. When the conversation changes
    afterwards (its fingerprint no longer matches), the report stays available but is marked
    superseded, and a new report needs new confirmations.
    """

    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("conversation"),
    )

    class Meta(ReportJob.Meta):
        verbose_name = _("conversation report")
        verbose_name_plural = _("conversation reports")
        indexes = [
            models.Index(fields=["conversation", "-created_at"]),
            # The sweeper's question: which jobs are waiting or running?
            models.Index(fields=["status", "sent_at"]),
        ]


class ReportConfirmation(models.Model):
    """A participant's "seen and agreed" (gezien en akkoord) on one conversation report."""

    report = models.ForeignKey(
        ConversationReport,
        on_delete=models.CASCADE,
        related_name="confirmations",
        verbose_name=_("report"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("confirmation")
        verbose_name_plural = _("confirmations")
        ordering = ["confirmed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "user"], name="report_confirmation_once_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.confirmed_at:%Y-%m-%d %H:%M}"


# --- MERID: a begeleider's conversation style ------------------------------------------------


class MeridRole(models.TextChoices):
    """The four roles of the MERID model (Crasborn & Hennissen 2010; the source chapter §8.2),
    in the order the drawing goes round: active and steering, active and following, reactive
    and following, reactive and steering."""

    IMPERATOR = "imperator", _("imperator")
    INITIATOR = "initiator", _("initiator")
    ENCOURAGER = "encourager", _("encourager")
    ADVISOR = "advisor", _("advisor")


class MeridInput(models.TextChoices):
    """Who brought a topic in: the begeleider (active) or the other participant (reactive)."""

    ACTIVE = "active", _("active")
    REACTIVE = "reactive", _("reactive")


class MeridStyle(models.TextChoices):
    """How the begeleider mostly handled a topic: directive (judging, giving an opinion,
    advising: OMA) or non-directive (listening, summarising, asking further: LSD)."""

    DIRECTIVE = "directive", _("directive")
    NON_DIRECTIVE = "non_directive", _("non-directive")


class MeridProfile(models.Model):
    """A begeleider's MERID profile of one conversation, held in the app or recorded outside
    it (or a general self-estimate): the topics coded one by one, the begeleider's own estimate
    and the other participant's perception.

    It is the begeleider's own: nobody sees it unless they share it (with a trainer or the
    schoolopleider); the other participant sees only the perception they gave.
    """

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="merid_profiles",
        verbose_name=_("begeleider"),
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="+", verbose_name=_("school")
    )
    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merid_profiles",
        verbose_name=_("conversation"),
    )
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    counterpart = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("other participant"),
    )
    perception_requested_at = models.DateTimeField(
        _("perception asked for at"), null=True, blank=True
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("MERID profile")
        verbose_name_plural = _("MERID profiles")
        ordering = ["held_on", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "conversation"],
                condition=models.Q(conversation__isnull=False),
                name="merid_profile_once_per_conversation",
            ),
            models.CheckConstraint(
                condition=models.Q(perception_requested_at__isnull=True)
                | models.Q(counterpart__isnull=False),
                name="merid_perception_needs_counterpart",
            ),
        ]
        indexes = [models.Index(fields=["owner", "held_on"])]

    def __str__(self) -> str:
        return f"{self.title} {self.held_on:%Y-%m-%d}"


class MeridTopic(models.Model):
    """One topic of a coded conversation: who brought it in, how it was handled, and how long
    it took (optional). Its role follows from the first two."""

    # The page makes the id of a new row itself, so that a batch sent twice (a retry after a
    # dropped connection) updates the row instead of adding it again.
    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True)
    profile = models.ForeignKey(
        MeridProfile,
        on_delete=models.CASCADE,
        related_name="topics",
        verbose_name=_("MERID profile"),
    )
    position = models.PositiveIntegerField(_("position"))
    label = models.CharField(_("topic"), max_length=200, blank=True)
    # Blank while the coder has not decided yet: a row is often typed first and coded after.
    input = models.CharField(_("brought in"), max_length=10, choices=MeridInput.choices, blank=True)
    style = models.CharField(_("style"), max_length=15, choices=MeridStyle.choices, blank=True)
    minutes = models.DecimalField(
        _("minutes"), max_digits=4, decimal_places=1, null=True, blank=True
    )

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__isnull=True) | models.Q(minutes__gt=0),
                name="merid_topic_minutes_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.label or f"#{self.position}"

    @property
    def is_coded(self) -> bool:
        return bool(self.input and self.style)


class EstimateKind(models.TextChoices):
    SELF = "self", _("self-estimate")
    PERCEPTION = "perception", _("perception of the other participant")


class MeridEstimate(models.Model):
    """An estimate of the four roles' shares in one conversation, in whole percentages that
    total 100: the begeleider's own, or the other participant's perception. A practical aid,
    not the validated research instrument, and every page says so."""

    profile = models.ForeignKey(
        MeridProfile,
        on_delete=models.CASCADE,
        related_name="estimates",
        verbose_name=_("MERID profile"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EstimateKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("given by"),
    )
    imperator = models.PositiveSmallIntegerField(_("imperator"))
    initiator = models.PositiveSmallIntegerField(_("initiator"))
    encourager = models.PositiveSmallIntegerField(_("encourager"))
    advisor = models.PositiveSmallIntegerField(_("advisor"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("MERID estimate")
        verbose_name_plural = _("MERID estimates")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "kind"], name="merid_estimate_once_per_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    imperator__lte=100, initiator__lte=100, encourager__lte=100, advisor__lte=100
                ),
                name="merid_estimate_at_most_100",
            ),
            models.CheckConstraint(
                condition=Exact(
                    F("imperator") + F("initiator") + F("encourager") + F("advisor"), 100
                ),
                name="merid_estimate_totals_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.profile}"

    def percentages(self) -> dict[str, int]:
        return {role: getattr(self, role) for role in MeridRole.values}


class MeridShare(models.Model):
    """A begeleider lets one colleague (a trainer, the schoolopleider) see a profile, and
    optionally code its topics with them."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    profile = models.ForeignKey(
        MeridProfile,
        on_delete=models.CASCADE,
        related_name="shares",
        verbose_name=_("MERID profile"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="merid_shares",
        verbose_name=_("shared with"),
    )
    may_code = models.BooleanField(_("may code topics"), default=False)
    created_at = models.DateTimeField(_("shared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("MERID share")
        verbose_name_plural = _("MERID shares")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "person"], name="merid_share_once"),
        ]

    def __str__(self) -> str:
        return f"{self.profile} → {self.person}"


# --- Learning groups: sessions, what the group produced, clips --------------------------------


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class GroupSession(models.Model):
    """A meeting of a learning group, taken through its format's phases one after another
    (reflection/group_phases.py). What the group produced in a phase is a SessionEntry; the
    coordinator sees that the session took place and who attended, never the entries."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(
        LearningGroup,
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("learning group"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    focus = models.CharField(_("theme or question"), max_length=500, blank=True)
    # Lesson study: which research lesson of the cycle this session is about (1, 2, ...).
    research_lesson = models.PositiveSmallIntegerField(_("research lesson"), null=True, blank=True)
    phase = models.CharField(_("phase"), max_length=30)
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="group_sessions_attended", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("group session")
        verbose_name_plural = _("group sessions")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["group", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.group} {self.starts_at:%Y-%m-%d}"


class SessionEntry(models.Model):
    """What one person brought into one phase of a session: an experience, a pattern, a
    prediction or observation of a case pupil, a noticing (what I see, how I read it)."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(
        GroupSession,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("session"),
    )
    phase = models.CharField(_("phase"), max_length=30)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    case_pupil = models.CharField(_("case pupil"), max_length=100, blank=True)
    text = models.TextField(_("text"), max_length=LONG)
    interpretation = models.TextField(_("interpretation"), max_length=LONG, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("session entry")
        verbose_name_plural = _("session entries")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["session", "phase"])]

    def __str__(self) -> str:
        return f"{self.session} {self.phase}"


class GroupPrinciple(models.Model):
    """One principle of the group's "theorie met een kleine t" (VESIt): a practical rule drawn
    from the members' experiences. The list grows session by session."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(
        LearningGroup,
        on_delete=models.CASCADE,
        related_name="principles",
        verbose_name=_("learning group"),
    )
    session = models.ForeignKey(
        GroupSession,
        on_delete=models.CASCADE,
        related_name="principles",
        verbose_name=_("session"),
    )
    text = models.CharField(_("principle"), max_length=500)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("principle")
        verbose_name_plural = _("principles")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text


class GroupNote(models.Model):
    """A member's or facilitator's note to the whole group, on the group's page."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(
        LearningGroup,
        on_delete=models.CASCADE,
        related_name="notes",
        verbose_name=_("learning group"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    text = models.TextField(_("note"), max_length=SHORT)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("group note")
        verbose_name_plural = _("group notes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:50]


class VideoClip(models.Model):
    """A short clip of a member's lesson, for a videoclub session. The filmed teacher owns it:
    they record their consent, choose who may see it, and can withdraw it, which deletes the
    file. It expires on a date, after which nobody sees it and the file is deleted."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(
        GroupSession,
        on_delete=models.CASCADE,
        related_name="clips",
        verbose_name=_("session"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="video_clips",
        verbose_name=_("filmed teacher"),
    )
    title = models.CharField(_("title"), max_length=200)
    link = models.URLField(_("link"), max_length=500, blank=True)
    # Stored under a name the server makes (clips/<public id>.<type>), never the uploader's.
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    content_type = models.CharField(_("type"), max_length=50, blank=True)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    consent_at = models.DateTimeField(_("consent given at"))
    expires_on = models.DateField(_("visible until"))
    whole_group = models.BooleanField(_("visible to the whole group"), default=True)
    viewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, verbose_name=_("visible to")
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("video clip")
        verbose_name_plural = _("video clips")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(link="", file_name="") | models.Q(withdrawn_at__isnull=False),
                name="video_clip_has_link_or_file",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SessionReport(ReportJob):
    """The PDF report of a group session, made in the background by the same machinery as a
    conversation report (mentoring/reports.py); a second kind, not a copy."""

    session = models.ForeignKey(
        GroupSession,
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("session"),
    )

    class Meta(ReportJob.Meta):
        verbose_name = _("session report")
        verbose_name_plural = _("session reports")
        indexes = [
            models.Index(fields=["session", "-created_at"]),
            models.Index(fields=["status", "sent_at"], name="session_report_status_sent"),
        ]
