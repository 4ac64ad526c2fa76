"""Conversation reports made by real Celery worker processes, through a real Redis: the PDF
arrives; a worker killed in the middle of a render costs a retry, never a second report; a
request made while Redis is down is kept and sent once Redis is back (mentoring/reports.py)."""

import datetime
import logging
import time

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from mentoring.models import ReportStatus
from mentoring.reports import QUEUED_GRACE
from mentoring.tasks import sweep_report_jobs
from reflection.models import ConversationReport
from reflection.tasks import render_conversation_report
from tests.conftest import log_in
from tests.integration.conftest import wait_until
from tests.mentoring.test_pdf import pdf_text

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# Time limits for the worker in the kill test, in seconds. The solo pool does not enforce time
# limits, so a render is never cut short by them; what they set here is what follows from them
# in production: the lease of a claim (hard limit + 30 s, mentoring/reports.py) and Redis's
# visibility timeout, after which an unacknowledged message is handed out again
# (4 times the hard limit, mentoring/celery.py). 32 s and 8 s instead of 210 s and 720 s.
SOFT_LIMIT, HARD_LIMIT = 1, 2
VISIBILITY_TIMEOUT = 4 * HARD_LIMIT


@pytest.fixture
def opleider(client, world):
    assert log_in(client, "opleider@school.example").status_code == 302
    return client


def request_report(client, conversation) -> ConversationReport:
    response = client.post(
        reverse("conversation_reports", kwargs={"public_id": conversation.public_id}),
        {"language": "nl"},
    )
    assert response.status_code == 302  # back to the conversation, not an error page
    return conversation.reports.get()


def finished(report: ConversationReport, worker) -> ConversationReport:
    """Wait until the report is done or failed, and return it as the database has it."""

    def settled():
        report.refresh_from_db()
        return report.status in (ReportStatus.DONE, ReportStatus.FAILED)

    wait_until(
        settled,
        f"report {report.public_id} is finished",
        details=lambda: f"status {report.status}; {worker.name}:\n{worker.log()}",
    )
    return report


def pdf_files(reports_dir) -> list[str]:
    return sorted(str(path.relative_to(reports_dir)) for path in reports_dir.rglob("*.pdf"))


def test_a_worker_makes_the_requested_report_and_the_user_downloads_it(
    opleider, world, start_worker, reports_dir
):
    worker = start_worker()
    conversation = world.opleiden_conversation

    report = finished(request_report(opleider, conversation), worker)

    assert (report.status, report.attempts) == (ReportStatus.DONE, 1)
    panel = opleider.get(
        reverse("conversation_reports", kwargs={"public_id": conversation.public_id}),
        headers={"HX-Request": "true"},
    )
    download_url = reverse("report_download", kwargs={"public_id": report.public_id})
    assert 'data-report-status="done"' in panel.text
    assert download_url in panel.text
    response = opleider.get(download_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    pdf = b"".join(response.streaming_content)
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert world.people["opleider"].full_name in text
    assert world.people["student_teacher"].full_name in text


def test_a_worker_killed_mid_render_costs_a_retry_and_the_report_is_made_exactly_once(
    opleider, world, start_worker, render_hooks, broker, reports_dir
):
    limits = {
        "CELERY_TASK_SOFT_TIME_LIMIT": str(SOFT_LIMIT),
        "CELERY_TASK_TIME_LIMIT": str(HARD_LIMIT),
        **render_hooks.environment,
    }
    render_hooks.hold()
    first = start_worker(**limits)
    report = request_report(opleider, world.opleiden_conversation)

    started = wait_until(render_hooks.started, "the render has started", details=first.log)
    assert started == {first.pid: [str(report.public_id)]}
    first.kill()

    report.refresh_from_db()
    assert (report.status, report.attempts) == (ReportStatus.RUNNING, 1)
    assert pdf_files(reports_dir) == []
    # The dead worker never acknowledged its message; Redis still holds it.
    ((task_id, handed_out_at),) = broker.unacknowledged().items()

    # A replacement worker comes up after the visibility timeout, so it hands the dead
    # worker's message out again as it starts. The dead worker's lease still runs: the
    # message is taken and acknowledged without a claim, and nothing is rendered.
    time.sleep(max(0.0, handed_out_at + VISIBILITY_TIMEOUT + 1 - time.time()))
    render_hooks.release()
    second = start_worker(**limits)
    wait_until(
        lambda: second.has_done(task_id), "the returned message has been run", details=second.log
    )
    wait_until(broker.idle, "the returned message has been acknowledged")
    report.refresh_from_db()
    assert (report.status, report.attempts) == (ReportStatus.RUNNING, 1)
    assert render_hooks.started() == {first.pid: [str(report.public_id)]}

    # Once the lease has expired, the sweeper (Celery beat, every minute) sends it again.
    time.sleep(max(0.0, (report.lease_expires_at - timezone.now()).total_seconds() + 1))
    sweep_report_jobs()
    report = finished(report, second)

    assert (report.status, report.attempts, report.error) == (ReportStatus.DONE, 2, "")
    assert pdf_files(reports_dir) == [report.file_name]
    file = reports_dir / report.file_name
    made = (file.read_bytes(), file.stat().st_mtime_ns, report.finished_at)
    assert render_hooks.started() == {
        first.pid: [str(report.public_id)],
        second.pid: [str(report.public_id)],
    }

    # The same message once more, as when Redis hands a message out after the job is done:
    # the worker takes it and changes nothing.
    late = render_conversation_report.delay(report_id=report.pk)
    wait_until(
        lambda: second.has_done(late.id), "the late message has been run", details=second.log
    )
    wait_until(broker.idle, "the late message has been acknowledged")
    report.refresh_from_db()
    assert (report.status, report.attempts) == (ReportStatus.DONE, 2)
    assert pdf_files(reports_dir) == [report.file_name]
    assert (file.read_bytes(), file.stat().st_mtime_ns, report.finished_at) == made
    assert len(render_hooks.started()[second.pid]) == 1


def test_a_report_requested_while_redis_is_down_is_made_once_redis_is_back(
    opleider, world, start_worker, broker, caplog
):
    broker.stop()

    with caplog.at_level(logging.ERROR, logger="mentoring.jobs"):
        report = request_report(opleider, world.opleiden_conversation)

    assert "could not be sent to the broker" in caplog.text
    assert report.status == ReportStatus.QUEUED

    broker.start()  # same port, empty: the message was never there
    worker = start_worker()
    assert broker.messages_waiting() == 0
    report.refresh_from_db()
    assert report.status == ReportStatus.QUEUED

    # The sweeper sends a queued job again once it has waited QUEUED_GRACE (2 minutes) for a
    # worker. Rather than wait, the request is made that much older.
    ConversationReport.objects.filter(pk=report.pk).update(
        sent_at=F("sent_at") - QUEUED_GRACE - datetime.timedelta(seconds=1)
    )
    sweep_report_jobs()
    report = finished(report, worker)

    assert (report.status, report.attempts) == (ReportStatus.DONE, 1)
    response = opleider.get(reverse("report_download", kwargs={"public_id": report.public_id}))
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
