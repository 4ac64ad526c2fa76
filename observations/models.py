"""Observation instruments as versioned data, lesson visits, and the observations made in them.

ICALT is a development instrument, not an appraisal instrument (its authors say so): scores
feed a conversation and a suggested focus, never a grade.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from roles.models import School, Trajectory


class BilingualText(models.Model):
    """Texts kept in Dutch and English; `text` gives the one for the active language."""

    class Meta:
        abstract = True

    def in_language(self, field: str) -> str:
        english = getattr(self, f"{field}_en")
        dutch = getattr(self, f"{field}_nl")
        return english if translation.get_language() == "en" and english else dutch


class Instrument(BilingualText):
    """An observation instrument (ICALT, or a school's own kijkwijzer), in one version.

    A new version is a new row: observations keep pointing at the version they were made with.
    """

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    key = models.SlugField(_("key"), max_length=40)
    version = models.CharField(_("version"), max_length=40)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    source = models.TextField(_("source"), help_text=_("Where the instrument comes from."))
    # Empty for instruments every school may use (ICALT); set for a school's own kijkwijzer.
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instruments",
        verbose_name=_("school"),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["name_nl", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "version"],
                condition=models.Q(school__isnull=True),
                name="instrument_shared_key_version_unique",
            ),
            models.UniqueConstraint(
                fields=["school", "key", "version"], name="instrument_school_key_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"

    @property
    def name(self) -> str:
        return self.in_language("name")


class ScaleLevel(BilingualText):
    """One step of an instrument's rating scale, with its words (1 = overwegend zwak ...)."""

    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="scale", verbose_name=_("instrument")
    )
    value = models.PositiveSmallIntegerField(_("value"))
    label_nl = models.CharField(_("label (Dutch)"), max_length=100)
    label_en = models.CharField(_("label (English)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("scale level")
        verbose_name_plural = _("scale levels")
        ordering = ["instrument", "value"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "value"], name="scale_level_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.value} {self.label}"

    @property
    def label(self) -> str:
        return self.in_language("label")


class Domain(BilingualText):
    """A group of items; ICALT has six teaching domains and learner engagement."""

    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="domains", verbose_name=_("instrument")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    # Learner engagement is an outcome scale, not teaching behaviour: it is left out of the
    # overall teaching score, the zone of proximal development and the finalise check.
    is_teaching = models.BooleanField(_("teaching behaviour"), default=True)

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        ordering = ["instrument", "number"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="domain_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def name(self) -> str:
        return self.in_language("name")


class Item(BilingualText):
    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="items", verbose_name=_("instrument")
    )
    domain = models.ForeignKey(
        Domain, on_delete=models.CASCADE, related_name="items", verbose_name=_("domain")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text_nl = models.CharField(_("text (Dutch)"), max_length=400)
    text_en = models.CharField(_("text (English)"), max_length=400, blank=True)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["instrument", "number"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="item_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"

    @property
    def text(self) -> str:
        return self.in_language("text")


class Indicator(BilingualText):
    """A concrete good-practice indicator under an item, ticked observed or not.

    ICALT's own indicator texts belong to the licensed form, so none ship with the app: a
    school imports them from its copy, and each carries the source it was imported from.

    `school` is the school whose copy the indicator comes from, and the only school that sees
    it; NULL means shared with every school, which only the installation's administrator loads.
    The rule is the same for every instrument: indicators a school loads carry that school,
    whether the instrument is built in (ICALT) or the school's own kijkwijzer. Positions are
    unique per item among the shared indicators and among each school's.
    """

    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("item")
    )
    school = models.ForeignKey(
        "roles.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("school"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text_nl = models.CharField(_("text (Dutch)"), max_length=400)
    text_en = models.CharField(_("text (English)"), max_length=400, blank=True)
    source = models.CharField(_("source"), max_length=400)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["item", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "position"],
                condition=models.Q(school__isnull=True),
                name="indicator_shared_position_unique",
            ),
            models.UniqueConstraint(
                fields=["item", "school", "position"],
                condition=models.Q(school__isnull=False),
                name="indicator_school_position_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return self.in_language("text")


class CalibrationKind(models.TextChoices):
    PUBLISHED = "published", _("published table")
    ESTIMATED = "estimated", _("estimated from this installation's observations")


class Calibration(models.Model):
    """Item difficulties for the zone of proximal development, with where they come from.

    Without one, the analysis falls back to the approximate default order (domain by domain,
    item by item), and says so.
    """

    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.CASCADE,
        related_name="calibrations",
        verbose_name=_("instrument"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CalibrationKind.choices)
    source = models.TextField(_("source"))
    observation_count = models.PositiveIntegerField(_("observations used"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calibration")
        verbose_name_plural = _("calibrations")
        ordering = ["-created_at"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d})"


class ItemDifficulty(models.Model):
    calibration = models.ForeignKey(
        Calibration, on_delete=models.CASCADE, related_name="difficulties"
    )
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="difficulties")
    difficulty = models.FloatField(_("difficulty (logits)"))
    standard_error = models.FloatField(_("standard error"), null=True, blank=True)

    class Meta:
        verbose_name = _("item difficulty")
        verbose_name_plural = _("item difficulties")
        constraints = [
            models.UniqueConstraint(fields=["calibration", "item"], name="item_difficulty_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.difficulty:.2f}"


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class LessonVisit(models.Model):
    """A lesson visit (lesbezoek) in a trajectory: planned, then held or cancelled."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.PROTECT, related_name="visits", verbose_name=_("trajectory")
    )
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visits_planned",
        verbose_name=_("planned by"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=50)
    class_name = models.CharField(_("class"), max_length=40, blank=True)
    subject = models.CharField(_("subject"), max_length=100, blank=True)
    lesson_goal = models.TextField(_("lesson goal"), max_length=2000, blank=True)
    focus_items = models.ManyToManyField(
        Item, blank=True, related_name="+", verbose_name=_("focus items")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("lesson visit")
        verbose_name_plural = _("lesson visits")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=5, duration_minutes__lte=480),
                name="lesson_visit_duration_plausible",
            ),
        ]
        indexes = [models.Index(fields=["trajectory", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.trajectory.teacher} {self.starts_at:%Y-%m-%d %H:%M}"


class ObservationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    FINAL = "final", _("final")


class Observation(models.Model):
    """One observer's scores of one visit with one instrument.

    Two observers of the same lesson make two observations, which is what calibration compares.
    `version` goes up with every saved change, so a save from a stale page is refused instead
    of overwriting someone else's work.
    """

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    visit = models.ForeignKey(
        LessonVisit,
        on_delete=models.PROTECT,
        related_name="observations",
        verbose_name=_("lesson visit"),
    )
    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.PROTECT,
        related_name="observations",
        verbose_name=_("instrument"),
    )
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="observations",
        verbose_name=_("observer"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ObservationStatus.choices,
        default=ObservationStatus.DRAFT,
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "observer"], name="observation_one_per_observer"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="final") | models.Q(finalised_at__isnull=False),
                name="observation_final_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visit} - {self.observer}"


class ItemScore(models.Model):
    """An item's score (1-4) or "not observed", with the observer's note."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    not_observed = models.BooleanField(_("not observed"), default=False)
    note = models.TextField(_("note"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("item score")
        verbose_name_plural = _("item scores")
        constraints = [
            models.UniqueConstraint(fields=["observation", "item"], name="item_score_unique"),
            # The 1-4 range is the ICALT scale; a school's own instrument with another scale
            # is checked against its ScaleLevel rows by the service.
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=9),
                name="item_score_in_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(not_observed=True, score__isnull=False),
                name="item_score_not_both_scored_and_not_observed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.score}"


class IndicatorCheck(models.Model):
    observation = models.ForeignKey(
        Observation, on_delete=models.CASCADE, related_name="indicator_checks"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    observed = models.BooleanField(_("observed"))

    class Meta:
        verbose_name = _("indicator check")
        verbose_name_plural = _("indicator checks")
        constraints = [
            models.UniqueConstraint(
                fields=["observation", "indicator"], name="indicator_check_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.observed}"


class KeyMomentKind(models.TextChoices):
    STRENGTH = "strength", _("strength")
    QUESTION = "question", _("question")
    SUGGESTION = "suggestion", _("suggestion")
    NOTE = "note", _("note")


class KeyMoment(models.Model):
    """A moment worth talking about afterwards: the minute in the lesson or video, and why.

    It belongs to one observation (not to the visit), so that two observers' moments stay
    each their own until they choose to discuss them.
    """

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    observation = models.ForeignKey(
        Observation,
        on_delete=models.CASCADE,
        related_name="key_moments",
        verbose_name=_("observation"),
    )
    minute = models.PositiveSmallIntegerField(_("minute"))
    kind = models.CharField(_("kind"), max_length=12, choices=KeyMomentKind.choices)
    text = models.TextField(_("text"), max_length=2000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("key moment")
        verbose_name_plural = _("key moments")
        ordering = ["observation", "minute", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minute__lte=600), name="key_moment_minute_plausible"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.minute}' {self.get_kind_display()}"


class CalendarFeed(models.Model):
    """A person's private calendar subscription: their lesson visits at a secret URL.

    The token is kept as it is, not hashed, because the person's page shows the link again
    whenever they need it. That is acceptable here: the token unlocks nothing but a read-only
    list of times and names that anyone able to read this table can read anyway, it is 256
    random bits, and a new one replaces it at once (observations/calendar.py).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    # When the current link was made: a new link resets it.
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)
