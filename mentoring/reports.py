"""Report jobs: the one way a PDF report is queued, made, stored, swept and downloaded.

DESIGN.md §8 and reference/security.md §3. The row (a `ReportJob`) is the truth; a message in
Redis only says "look at row N". So:

- `report_queue` puts a row in the queue and sends the message after commit.
- `report_run` (the task body) claims the row atomically: only a queued row, or a running one
  whose lease has expired because its worker died. Each claim counts an attempt; a row that
  has used up its attempts fails instead of crashing workers forever. It then re-checks that
  the person it renders for may still see the subject, renders, writes the file under a name
  fixed by the row and its generation (a second run overwrites, never adds) and marks the row
  done. A second delivery of the same message finds the row done and does nothing.
- `report_sweep` (Celery beat, every minute) sends again what was lost: rows queued for longer
  than QUEUED_GRACE (Redis was down, or restarted without persistence) and running rows whose
  lease expired (the worker was killed).

The lease outlives the hard time limit, so a render still running is never handed to a second
worker: by the time its lease expires, Celery has killed it.

Each kind of report (conversation reports now) describes itself with a `ReportKind`.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from celery import Task
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import models, transaction
from django.http import FileResponse
from django.utils import timezone

from mentoring.jobs import enqueue
from mentoring.models import ReportError, ReportJob, ReportStatus

logger = logging.getLogger(__name__)

# Claims per render before the job is given up: a document that crashes or times out its
# worker every time must not loop (task_reject_on_worker_lost redelivers it).
MAX_ATTEMPTS = 3
# A queued job not picked up after this long is sent again.
QUEUED_GRACE = datetime.timedelta(minutes=2)


def lease_duration() -> datetime.timedelta:
    """How long a claim holds: past the hard time limit, after which the render is dead."""
    return datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 30)


@dataclass(frozen=True)
class RenderedReport:
    pdf: bytes
    fingerprint: str


@dataclass(frozen=True)
class ReportKind:
    """What the machinery needs to know about one kind of report."""

    model: type[ReportJob]
    task: Task  # takes report_id=<pk>
    folder: str  # under the reports storage
    may_render: Callable[[ReportJob], bool]  # may job.render_for still see the subject?
    # None: keep the newest finished file as it is (the subject changed since it was made).
    render: Callable[[ReportJob], RenderedReport | None]


def reports_storage():
    # Looked up on each use, so that a test (or a setting) pointing it elsewhere takes effect.
    return storages["reports"]


def file_name_for(kind: ReportKind, job: ReportJob) -> str:
    return f"{kind.folder}/{job.public_id}/{job.generation}.pdf"


# --- Queueing -------------------------------------------------------------------------------


def report_queue(kind: ReportKind, job: ReportJob, *, render_for) -> ReportJob:
    """Queue a new render of `job` for `render_for`, sent after commit. The newest finished file
    stays downloadable until the new one is done. Call inside the caller's transaction."""
    job.status = ReportStatus.QUEUED
    job.render_for = render_for
    job.attempts = 0
    job.error = ""
    job.sent_at = timezone.now()
    job.lease_expires_at = None
    if job.pk is None:
        job.save()
    else:
        job.generation += 1
        job.save(
            update_fields=[
                "status",
                "render_for",
                "attempts",
                "error",
                "sent_at",
                "lease_expires_at",
                "generation",
            ]
        )
    enqueue(kind.task, report_id=job.pk)
    return job


# --- The task body --------------------------------------------------------------------------


def _claim(kind: ReportKind, job_id: int) -> ReportJob | None:
    now = timezone.now()
    with transaction.atomic():
        job = (
            kind.model.objects.select_for_update(skip_locked=True)
            .filter(pk=job_id)
            .filter(
                models.Q(status=ReportStatus.QUEUED)
                | models.Q(status=ReportStatus.RUNNING, lease_expires_at__lt=now)
            )
            .first()
        )
        if job is None:
            return None  # done, failed, deleted, or another worker holds a live claim
        if job.attempts >= MAX_ATTEMPTS:
            _fail(job, ReportError.CRASHED)
            logger.error("Report %s failed: %s attempts used.", job.public_id, job.attempts)
            return None
        job.status = ReportStatus.RUNNING
        job.attempts += 1
        job.lease_expires_at = now + lease_duration()
        job.save(update_fields=["status", "attempts", "lease_expires_at"])
    return job


def _fail(job: ReportJob, error: str) -> None:
    job.status = ReportStatus.FAILED
    job.error = error
    job.lease_expires_at = None
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "lease_expires_at", "finished_at"])


def report_run(kind: ReportKind, job_id: int) -> None:
    """The body of every report task. Safe to run any number of times for one job."""
    job = _claim(kind, job_id)
    if job is None:
        return
    try:
        if not kind.may_render(job):
            with transaction.atomic():
                if _still_ours(kind, job):
                    _fail(job, ReportError.ACCESS)
            logger.warning("Report %s refused: access re-check failed.", job.public_id)
            return
        rendered = kind.render(job)
        if rendered is None:
            with transaction.atomic():
                if _still_ours(kind, job):
                    _done(job, file_name=job.file_name, fingerprint=job.fingerprint)
            return
    except Exception:
        # Including SoftTimeLimitExceeded. A transient error (a database hiccup) deserves
        # another try; one that repeats uses up the attempts and ends in FAILED.
        logger.exception("Report %s: attempt %s failed.", job.public_id, job.attempts)
        _release(kind, job)
        return
    name = file_name_for(kind, job)
    storage = reports_storage()
    # A fixed name, and the storage overwrites: a run after a crash between writing and
    # marking replaces the file, never adds a second one.
    saved = storage.save(name, ContentFile(rendered.pdf))
    if saved != name:
        raise RuntimeError(f"The reports storage saved {name!r} as {saved!r}.")
    with transaction.atomic():
        current = _locked(kind, job)
        if not _is_our_claim(current, job):
            # A newer render was asked for meanwhile (a confirmation); it writes its own
            # file, and no row will ever point at ours: a copy of confidential text that
            # nothing would delete. (The same generation re-claimed writes the same name.)
            if current is None or current.generation != job.generation:
                transaction.on_commit(lambda: storage.delete(name))
            return
        previous = job.file_name
        _done(job, file_name=name, fingerprint=rendered.fingerprint)
        if previous and previous != name:
            transaction.on_commit(lambda: storage.delete(previous))
    logger.info("Report %s done (attempt %s).", job.public_id, job.attempts)


def _done(job: ReportJob, *, file_name: str, fingerprint: str) -> None:
    job.status = ReportStatus.DONE
    job.file_name = file_name
    job.fingerprint = fingerprint
    job.lease_expires_at = None
    job.finished_at = timezone.now()
    job.save(
        update_fields=["status", "file_name", "fingerprint", "lease_expires_at", "finished_at"]
    )


def _locked(kind: ReportKind, job: ReportJob) -> ReportJob | None:
    return kind.model.objects.select_for_update().filter(pk=job.pk).first()


def _is_our_claim(current: ReportJob | None, job: ReportJob) -> bool:
    """Nobody re-queued or re-claimed the row since our claim."""
    return (
        current is not None
        and current.status == ReportStatus.RUNNING
        and current.generation == job.generation
        and current.attempts == job.attempts
    )


def _still_ours(kind: ReportKind, job: ReportJob) -> bool:
    """Lock the row and check that it is still ours."""
    return _is_our_claim(_locked(kind, job), job)


def _release(kind: ReportKind, job: ReportJob) -> None:
    with transaction.atomic():
        if not _still_ours(kind, job):
            return
        if job.attempts >= MAX_ATTEMPTS:
            _fail(job, ReportError.CRASHED)
            return
        job.status = ReportStatus.QUEUED
        job.lease_expires_at = None
        job.sent_at = timezone.now()
        job.save(update_fields=["status", "lease_expires_at", "sent_at"])
        enqueue(kind.task, report_id=job.pk)


# --- The sweeper ----------------------------------------------------------------------------


def report_sweep(kind: ReportKind) -> int:
    """Send again the jobs of `kind` whose message was lost; returns how many."""
    now = timezone.now()
    lost = models.Q(status=ReportStatus.QUEUED, sent_at__lt=now - QUEUED_GRACE) | models.Q(
        status=ReportStatus.RUNNING, lease_expires_at__lt=now
    )
    with transaction.atomic():
        ids = list(
            kind.model.objects.select_for_update(skip_locked=True)
            .filter(lost)
            .values_list("pk", flat=True)
        )
        # sent_at moves on, so a job is sent again once per grace period, not every minute.
        kind.model.objects.filter(pk__in=ids).update(sent_at=now)
        for job_id in ids:
            enqueue(kind.task, report_id=job_id)
    if ids:
        logger.warning("Sent %s lost %s job(s) again.", len(ids), kind.model._meta.label)
    return len(ids)


# --- Downloading ----------------------------------------------------------------------------


def report_file_response(job: ReportJob, *, download_name: str) -> FileResponse:
    """The newest finished file as an attachment that no cache keeps and no browser sniffs.
    The caller has checked permission and audits the download."""
    response = FileResponse(
        reports_storage().open(job.file_name, "rb"),
        as_attachment=True,
        filename=download_name,
        content_type="application/pdf",
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
