"""The audit log (who did what to which object, and when; never the content itself) and the
shape every report job shares."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One recorded read of confidential content, or one change by a coordinator or admin.

    Append-only: the application never updates or deletes a row, and on PostgreSQL a trigger
    (migration 0002) refuses it too.
    """

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    # Kept as text too, so the entry still says who it was if the account is renamed.
    actor_email = models.EmailField(_("actor's e-mail address"), blank=True)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=64, db_index=True)
    school = models.ForeignKey(
        "roles.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("school"),
    )

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_email} {self.action}"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("being made")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


class ReportError(models.TextChoices):
    """Why a report job failed, as the person who asked for it reads it."""

    ACCESS = "access", _("You may no longer see what this report is about, so it was not made.")
    CRASHED = "crashed", _("The report could not be made, even after several attempts.")


class ReportJob(models.Model):
    """A PDF report as a job with a state (DESIGN.md §8): queued, running, done or failed.

    The row is the truth, never the message in Redis: the task gets only the row's id, claims
    the row, re-checks access, renders and marks it done, so a second delivery does nothing.
    `generation` counts the renders asked for; the file of the newest finished one is kept.
    Each kind of report is a concrete model with its subject (mentoring/reports.py).
    """

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    # Whose request the next render carries out (the requester, or whoever confirmed it since);
    # the job renders only what this person may still see.
    render_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("rendered for"),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("error"), max_length=8, choices=ReportError.choices, blank=True)
    generation = models.PositiveIntegerField(_("generation"), default=1)
    # The newest finished file in the private "reports" storage (settings.STORAGES); read
    # through mentoring/reports.py only, which looks the storage up on each use.
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    # A digest of what the report shows, to tell when its subject has changed since.
    fingerprint = models.CharField(_("fingerprint"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("last sent at"), default=timezone.now)
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.public_id} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status in {ReportStatus.QUEUED, ReportStatus.RUNNING}
