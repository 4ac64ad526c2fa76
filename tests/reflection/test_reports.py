"""Conversation reports as jobs: asked for once, sent only after commit, claimed and run
exactly once however often the message arrives, re-checked against who may still read the
conversation, given up after a few crashes (and tried again on request), swept up when lost,
superseded when the conversation changes, confirmed by the people who held it, and downloaded
only as a private attachment that is audited each time.

The task body is real (mentoring/reports.py through reflection/tasks.py) and so is WeasyPrint;
jobs run in this process after the commit that `django_capture_on_commit_callbacks` stands in
for. The only thing made to fail on purpose is the PDF renderer, for the attempt cap.
"""

import datetime
from pathlib import Path

import pytest
from celery.signals import task_prerun
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mentoring.models import AuditEntry, ReportError, ReportStatus
from mentoring.reports import (
    MAX_ATTEMPTS,
    QUEUED_GRACE,
    lease_duration,
    report_run,
    report_sweep,
    reports_storage,
)
from mentoring.tasks import sweep_report_jobs
from reflection import reports as reflection_reports
from reflection import selectors, services
from reflection.models import ConversationReport, ReportConfirmation
from reflection.tasks import CONVERSATION_REPORTS, render_conversation_report
from roles import services as roles_services
from tests.factories import AgreementFactory, ConversationReportFactory, MembershipFactory
from tests.mentoring.test_pdf import pdf_text

pytestmark = pytest.mark.django_db


class RolledBack(Exception):
    """Raised to roll a transaction back."""


def files_in(folder: Path) -> list[str]:
    """Every file in the reports storage, as paths relative to it."""
    if not folder.exists():
        return []
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def url(name: str, obj) -> str:
    return reverse(name, kwargs={"public_id": obj.public_id})


def page_url(conversation, anchor: str = "") -> str:
    return url("conversation_detail", conversation) + (f"#{anchor}" if anchor else "")


def errors_of(response) -> list[str]:
    return [
        str(message)
        for message in get_messages(response.wsgi_request)
        if message.level == messages.ERROR
    ]


def audited(action: str, report) -> int:
    return AuditEntry.objects.filter(action=action, object_id=str(report.public_id)).count()


def request_report(capture, conversation, *, by, language: str = "nl") -> ConversationReport:
    """Ask for a report and let its job run, as the embedded default does after commit."""
    with capture(execute=True):
        report, _created = services.conversation_report_request(
            actor=by, conversation=conversation, language=language
        )
    report.refresh_from_db()
    return report


def run_task(report) -> None:
    """One delivery of the report's message, as a worker gets it."""
    render_conversation_report.apply(kwargs={"report_id": report.pk})
    report.refresh_from_db()


def read(report) -> bytes:
    with reports_storage().open(report.file_name, "rb") as file:
        return file.read()


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def opleider(world):
    return world.people["opleider"]


@pytest.fixture
def student(world):
    return world.people["student_teacher"]


@pytest.fixture
def nagesprek(world):
    return world.opleiden_conversation


@pytest.fixture
def queued_only(settings):
    """Jobs would go to the broker after commit, which in these tests (one transaction,
    rolled back) never comes: a request leaves its job queued and nothing runs it."""
    settings.JOBS_RUN_IN_PROCESS = False


@pytest.fixture
def tasks_started():
    """The ids of the report tasks that started in this process (Celery's own signal)."""
    started: list[int] = []

    def record(sender=None, kwargs=None, **_extra):
        if sender.name == render_conversation_report.name:
            started.append(kwargs["report_id"])

    task_prerun.connect(record, weak=False)
    yield started
    task_prerun.disconnect(record)


# --- Sent after commit, never before --------------------------------------------------------


def test_rolled_back_request_registers_no_task_and_leaves_no_row(
    world, nagesprek, opleider, queued_only, reports_dir, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RolledBack),
        transaction.atomic(),
    ):
        services.conversation_report_request(actor=opleider, conversation=nagesprek, language="nl")
        assert ConversationReport.objects.count() == 1
        raise RolledBack

    assert callbacks == []
    assert not ConversationReport.objects.exists()
    assert files_in(reports_dir) == []
    assert not AuditEntry.objects.filter(action="conversation_report.requested").exists()


def test_committed_request_registers_exactly_one_task_for_after_the_commit(
    world, nagesprek, opleider, queued_only, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        report, created = services.conversation_report_request(
            actor=opleider, conversation=nagesprek, language="nl"
        )

    assert created
    assert len(callbacks) == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.QUEUED


@pytest.mark.django_db(transaction=True)
def test_rolled_back_request_runs_nothing_and_a_committed_one_runs_once(
    world, reports_dir, tasks_started
):
    """With real transactions: the job of a rolled-back request never starts."""
    nagesprek, opleider = world.opleiden_conversation, world.people["opleider"]

    with pytest.raises(RolledBack), transaction.atomic():
        services.conversation_report_request(actor=opleider, conversation=nagesprek, language="nl")
        raise RolledBack

    assert tasks_started == []
    assert not ConversationReport.objects.exists()
    assert files_in(reports_dir) == []

    report, _created = services.conversation_report_request(
        actor=opleider, conversation=nagesprek, language="nl"
    )

    assert tasks_started == [report.pk]
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    assert files_in(reports_dir) == [report.file_name]


# --- Exactly once ---------------------------------------------------------------------------


def test_report_job_runs_once_when_delivered_twice(
    world, nagesprek, opleider, queued_only, reports_dir
):
    report, _created = services.conversation_report_request(
        actor=opleider, conversation=nagesprek, language="nl"
    )

    run_task(report)
    finished_at = report.finished_at
    run_task(report)

    assert report.status == ReportStatus.DONE
    assert report.attempts == 1
    assert report.finished_at == finished_at
    assert files_in(reports_dir) == [f"conversations/{report.public_id}/1.pdf"]
    assert read(report).startswith(b"%PDF")
    # The job itself writes no audit entries; asking for it wrote one.
    assert AuditEntry.objects.filter(object_id=str(report.public_id)).count() == 1
    assert audited("conversation_report.requested", report) == 1


def test_report_task_through_the_machinery_directly_is_just_as_idempotent(
    world, nagesprek, opleider, queued_only, reports_dir
):
    report, _created = services.conversation_report_request(
        actor=opleider, conversation=nagesprek, language="en"
    )

    report_run(CONVERSATION_REPORTS, report.pk)
    report_run(CONVERSATION_REPORTS, report.pk)

    report.refresh_from_db()
    assert (report.status, report.attempts) == (ReportStatus.DONE, 1)
    assert len(files_in(reports_dir)) == 1


# --- Access is checked again when the job runs ----------------------------------------------


@pytest.mark.parametrize("elsewhere", [False, True], ids=["only-school", "still-works-elsewhere"])
def test_requester_who_loses_access_before_the_job_runs_gets_no_report(
    world, nagesprek, opleider, queued_only, reports_dir, elsewhere
):
    if elsewhere:
        # Still an active account, so only the policy itself can refuse the render.
        MembershipFactory(user=opleider, school=world.other_school)
    report, _created = services.conversation_report_request(
        actor=opleider, conversation=nagesprek, language="nl"
    )
    roles_services.person_deactivate(
        actor=world.people["coordinator"], user=opleider, school=world.school
    )
    opleider.refresh_from_db()
    assert opleider.is_active == elsewhere

    run_task(report)

    assert report.status == ReportStatus.FAILED
    assert report.error == ReportError.ACCESS
    assert report.file_name == ""
    assert report.fingerprint == ""
    assert files_in(reports_dir) == []


# --- A render that keeps crashing -----------------------------------------------------------


@pytest.fixture
def broken_renderer(monkeypatch):
    """WeasyPrint falls over on every document until `repair()` is called."""

    def crash(**kwargs):
        raise RuntimeError("the renderer fell over")

    monkeypatch.setattr("reflection.reports.render_pdf", crash)
    return monkeypatch


def test_report_that_keeps_crashing_fails_after_the_attempt_cap_and_can_be_tried_again(
    world,
    nagesprek,
    opleider,
    client,
    broken_renderer,
    reports_dir,
    django_capture_on_commit_callbacks,
):
    report = request_report(django_capture_on_commit_callbacks, nagesprek, by=opleider)

    assert report.status == ReportStatus.FAILED
    assert report.error == ReportError.CRASHED
    assert report.attempts == MAX_ATTEMPTS
    assert files_in(reports_dir) == []
    client.force_login(opleider)
    page = client.get(page_url(nagesprek)).content.decode()
    assert 'data-report-status="failed"' in page
    assert url("report_retry", report) in page

    broken_renderer.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("report_retry", report))

    assert response.status_code == 302
    assert response["Location"] == page_url(nagesprek, "reports")
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    assert (report.error, report.attempts, report.generation) == ("", 1, 2)
    assert files_in(reports_dir) == [report.file_name]
    assert audited("conversation_report.retried", report) == 1


def test_only_a_failed_report_can_be_tried_again(world, nagesprek, opleider):
    report = world.opleiden_report  # done

    with pytest.raises(ValidationError):
        services.conversation_report_retry(actor=opleider, report=report)

    report.refresh_from_db()
    assert (report.status, report.generation) == (ReportStatus.DONE, 1)


# --- Leases: a killed worker's job is picked up, a live one is left alone ---------------------


def running_report(conversation, *, attempts: int, lease_expires_at) -> ConversationReport:
    return ConversationReportFactory(
        conversation=conversation,
        status=ReportStatus.RUNNING,
        attempts=attempts,
        lease_expires_at=lease_expires_at,
    )


def test_job_of_a_killed_worker_is_claimed_again_once_its_lease_expires(
    world, nagesprek, reports_dir
):
    report = running_report(
        nagesprek, attempts=1, lease_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    run_task(report)

    assert report.status == ReportStatus.DONE
    assert report.attempts == 2
    assert files_in(reports_dir) == [report.file_name]


def test_job_with_a_live_lease_is_left_to_the_worker_that_holds_it(world, nagesprek, reports_dir):
    lease = timezone.now() + lease_duration()
    report = running_report(nagesprek, attempts=1, lease_expires_at=lease)

    run_task(report)

    assert report.status == ReportStatus.RUNNING
    assert report.attempts == 1
    assert report.lease_expires_at == lease
    assert files_in(reports_dir) == []


def test_job_at_the_attempt_cap_with_an_expired_lease_fails_instead_of_running(
    world, nagesprek, reports_dir
):
    report = running_report(
        nagesprek,
        attempts=MAX_ATTEMPTS,
        lease_expires_at=timezone.now() - datetime.timedelta(seconds=1),
    )

    run_task(report)

    assert report.status == ReportStatus.FAILED
    assert report.error == ReportError.CRASHED
    assert report.attempts == MAX_ATTEMPTS
    assert files_in(reports_dir) == []


# --- The sweeper ----------------------------------------------------------------------------


def test_sweeper_sends_a_lost_queued_job_again_and_it_gets_done(
    world, nagesprek, reports_dir, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - QUEUED_GRACE - datetime.timedelta(seconds=5)
    lost = ConversationReportFactory(conversation=nagesprek, sent_at=long_ago)
    fresh = ConversationReportFactory(conversation=world.coaching_conversation, language="en")
    fresh_sent_at = fresh.sent_at

    with django_capture_on_commit_callbacks(execute=True):
        sweep_report_jobs.apply()

    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == ReportStatus.DONE
    assert files_in(reports_dir) == [lost.file_name]
    assert (fresh.status, fresh.attempts, fresh.sent_at) == (ReportStatus.QUEUED, 0, fresh_sent_at)


def test_sweeper_sends_a_job_again_once_per_grace_period_not_every_minute(
    world, nagesprek, queued_only, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - QUEUED_GRACE - datetime.timedelta(seconds=5)
    lost = ConversationReportFactory(conversation=nagesprek, sent_at=long_ago)
    before = timezone.now()

    with django_capture_on_commit_callbacks() as first:
        assert report_sweep(CONVERSATION_REPORTS) == 1
    with django_capture_on_commit_callbacks() as second:
        assert report_sweep(CONVERSATION_REPORTS) == 0

    assert (len(first), len(second)) == (1, 0)
    lost.refresh_from_db()
    assert lost.sent_at >= before
    assert lost.status == ReportStatus.QUEUED


def test_sweeper_picks_up_a_running_job_whose_worker_died(
    world, nagesprek, reports_dir, django_capture_on_commit_callbacks
):
    report = running_report(
        nagesprek, attempts=1, lease_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert report_sweep(CONVERSATION_REPORTS) == 1

    report.refresh_from_db()
    assert (report.status, report.attempts) == (ReportStatus.DONE, 2)
    assert files_in(reports_dir) == [report.file_name]


# --- Superseded by a changed conversation ---------------------------------------------------


def notes_changed(world, conversation):
    services.conversation_apply(
        actor=world.people["opleider"],
        conversation=conversation,
        version=conversation.version,
        changes=[{"field": "notes", "text": "Achteraf nog een punt toegevoegd."}],
    )


def agreement_added(world, conversation):
    services.agreement_add(
        actor=world.people["opleider"],
        conversation=conversation,
        what="Nog een afspraak",
        who=world.people["student_teacher"],
    )


def date_changed(world, conversation):
    services.conversation_update(
        actor=world.people["opleider"],
        conversation=conversation,
        version=conversation.version,
        held_on=conversation.held_on - datetime.timedelta(days=1),
        visit=conversation.visit,
        participants=list(conversation.participants.all()),
        cycle=conversation.cycle,
        observation=conversation.observation,
    )


def panel_of(world, conversation, persona: str = "opleider"):
    conversation.refresh_from_db()
    return selectors.report_panel_for(world.people[persona], conversation)


@pytest.mark.parametrize("change", [notes_changed, agreement_added, date_changed])
def test_changed_conversation_supersedes_its_report(world, change):
    report = world.opleiden_report
    conversation = world.opleiden_conversation
    assert panel_of(world, conversation).latest.superseded is False

    change(world, conversation)

    panel = panel_of(world, conversation)
    assert panel.latest.report == report
    assert panel.latest.superseded is True
    assert panel_of(world, conversation, "student_teacher").can_confirm is False


def test_ticking_an_agreement_off_does_not_supersede_the_report(world):
    conversation = world.opleiden_conversation
    agreement = AgreementFactory(conversation=conversation)
    world.opleiden_report  # noqa: B018 -- made now, with the agreement open

    services.agreement_set_done(
        actor=world.people["student_teacher"], agreement=agreement, done=True
    )

    panel = panel_of(world, conversation)
    assert panel.latest.superseded is False
    assert panel_of(world, conversation, "student_teacher").can_confirm is True


def test_marking_the_reflection_discussed_does_not_supersede_the_report(world):
    """The report shows the reflection's texts, not its status: marking it discussed after the
    nagesprek (the natural next step) must not undo everyone's confirmations."""
    world.opleiden_report  # noqa: B018 -- made now, while the reflection is shared
    conversation = world.opleiden_conversation

    services.cycle_mark_discussed(actor=world.people["opleider"], cycle=world.opleiden_cycle)

    assert panel_of(world, conversation).latest.superseded is False


def test_request_after_a_change_is_not_answered_by_a_pending_render_of_the_old_text(
    world, queued_only
):
    """A confirmation's re-render still waiting for a worker shows the conversation as it was;
    asking for a report of the changed conversation must make a new one."""
    stale = world.opleiden_report
    conversation = world.opleiden_conversation
    services.conversation_report_confirm(actor=world.people["student_teacher"], report=stale)
    notes_changed(world, conversation)

    report, created = services.conversation_report_request(
        actor=world.people["opleider"], conversation=conversation, language="nl"
    )

    assert created
    assert report.pk != stale.pk


def test_new_report_after_a_change_and_the_superseded_one_stays_downloadable(
    world, client, queued_only
):
    old = world.opleiden_report
    conversation = world.opleiden_conversation
    notes_changed(world, conversation)

    new, created = services.conversation_report_request(
        actor=world.people["student_teacher"], conversation=conversation, language="nl"
    )

    assert created
    assert new.pk != old.pk
    panel = panel_of(world, conversation)
    assert panel.latest.report == new
    assert [(row.report, row.superseded) for row in panel.earlier] == [(old, True)]
    client.force_login(world.people["student_teacher"])
    response = client.get(url("report_download", old))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


# --- Seen and agreed ------------------------------------------------------------------------


@pytest.fixture
def named_pair(world):
    """The pair with names that read well in the PDF's confirmation table."""
    for persona, full_name in (("student_teacher", "Sem Jansen"), ("opleider", "Anouk de Vries")):
        person = world.people[persona]
        person.full_name = full_name
        person.save(update_fields=["full_name"])


def test_each_participant_confirms_once_and_the_report_shows_who_confirmed(
    world, nagesprek, opleider, student, named_pair, reports_dir, django_capture_on_commit_callbacks
):
    report = request_report(
        django_capture_on_commit_callbacks, nagesprek, by=opleider, language="en"
    )
    text = flat(pdf_text(read(report)))
    assert "Sem Jansen not confirmed yet" in text
    assert "Anouk de Vries not confirmed yet" in text

    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_report_confirm(actor=student, report=report)

    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    text = flat(pdf_text(read(report)))
    assert "Sem Jansen confirmed on" in text
    assert "Anouk de Vries not confirmed yet" in text

    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_report_confirm(actor=opleider, report=report)

    report.refresh_from_db()
    text = flat(pdf_text(read(report)))
    assert "Sem Jansen confirmed on" in text
    assert "Anouk de Vries confirmed on" in text
    assert "not confirmed yet" not in text
    assert report.generation == 3
    # One file per report: each new render replaces the one before.
    assert files_in(reports_dir) == [f"conversations/{report.public_id}/3.pdf"]
    with pytest.raises(ValidationError):
        services.conversation_report_confirm(actor=student, report=report)
    assert ReportConfirmation.objects.filter(report=report).count() == 2
    assert audited("conversation_report.confirmed", report) == 2


def test_two_confirmations_at_the_same_moment_leave_one_file_that_shows_both(
    world,
    nagesprek,
    opleider,
    student,
    named_pair,
    reports_dir,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    """The student teacher and the opleider confirm side by side: the second confirmation
    arrives while the first one's render is under way (a hook in the renderer stands in for
    that moment). The render that lost the race must not leave its file behind."""
    report = request_report(
        django_capture_on_commit_callbacks, nagesprek, by=opleider, language="en"
    )
    real_render_pdf = reflection_reports.render_pdf
    hooked: list[bool] = []

    def render_while_the_opleider_confirms(**kwargs):
        if not hooked:
            hooked.append(True)
            services.conversation_report_confirm(actor=opleider, report=report)
        return real_render_pdf(**kwargs)

    monkeypatch.setattr(reflection_reports, "render_pdf", render_while_the_opleider_confirms)

    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_report_confirm(actor=student, report=report)

    report.refresh_from_db()
    assert (report.status, report.generation) == (ReportStatus.DONE, 3)
    text = flat(pdf_text(read(report)))
    assert "Sem Jansen confirmed on" in text
    assert "Anouk de Vries confirmed on" in text
    assert files_in(reports_dir) == [report.file_name]


def test_schoolopleider_who_reads_the_conversation_cannot_confirm_it(world, schoolopleider, client):
    report = world.opleiden_report
    conversation = world.opleiden_conversation
    client.force_login(schoolopleider)
    page = client.get(page_url(conversation))
    assert page.status_code == 200
    assert url("report_download", report) in page.content.decode()
    assert url("report_confirm", report) not in page.content.decode()

    response = client.post(url("report_confirm", report))

    assert response.status_code == 403
    assert not ReportConfirmation.objects.exists()
    report.refresh_from_db()
    assert report.generation == 1


def test_confirming_a_superseded_report_is_refused_and_records_nothing(
    world, client, django_capture_on_commit_callbacks
):
    report = world.opleiden_report
    notes_changed(world, world.opleiden_conversation)
    client.force_login(world.people["student_teacher"])

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url("report_confirm", report))

    assert response.status_code == 302
    assert len(errors_of(response)) == 1
    assert callbacks == []
    assert not ReportConfirmation.objects.exists()
    assert audited("conversation_report.confirmed", report) == 0
    report.refresh_from_db()
    assert (report.status, report.generation) == (ReportStatus.DONE, 1)


def test_confirming_twice_through_the_page_is_refused_the_second_time(
    world, client, django_capture_on_commit_callbacks
):
    report = world.opleiden_report
    client.force_login(world.people["student_teacher"])

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url("report_confirm", report))
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(url("report_confirm", report))

    assert errors_of(first) == []
    assert len(errors_of(second)) == 1
    assert ReportConfirmation.objects.filter(report=report).count() == 1
    report.refresh_from_db()
    assert report.generation == 2  # rendered again once, for the one confirmation


def test_report_not_ready_yet_cannot_be_confirmed(world, nagesprek, student):
    report = ConversationReportFactory(conversation=nagesprek)  # queued, no file yet

    with pytest.raises(ValidationError):
        services.conversation_report_confirm(actor=student, report=report)

    assert not ReportConfirmation.objects.exists()


# --- One report, however often it is asked for ----------------------------------------------


def test_second_request_while_one_is_being_made_reuses_it(
    world, nagesprek, opleider, student, queued_only
):
    first, created_first = services.conversation_report_request(
        actor=opleider, conversation=nagesprek, language="nl"
    )
    second, created_second = services.conversation_report_request(
        actor=student, conversation=nagesprek, language="nl"
    )

    assert (created_first, created_second) == (True, False)
    assert second.pk == first.pk
    assert ConversationReport.objects.count() == 1
    assert audited("conversation_report.requested", first) == 1


def test_request_for_an_up_to_date_report_returns_it_and_another_language_makes_a_new_one(
    world, opleider, queued_only
):
    done = world.opleiden_report  # Dutch, up to date

    same, created = services.conversation_report_request(
        actor=opleider, conversation=world.opleiden_conversation, language="nl"
    )
    assert (same.pk, created) == (done.pk, False)

    english, created = services.conversation_report_request(
        actor=opleider, conversation=world.opleiden_conversation, language="en"
    )
    assert created
    assert english.pk != done.pk
    assert ConversationReport.objects.count() == 2


# --- The pages ------------------------------------------------------------------------------


def test_requesting_a_report_from_the_page_shows_it_ready_in_the_panel(
    world, nagesprek, opleider, client, django_capture_on_commit_callbacks
):
    client.force_login(opleider)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("conversation_reports", nagesprek), {"language": "en"})

    assert response.status_code == 302
    assert response["Location"] == page_url(nagesprek, "reports")
    report = ConversationReport.objects.get()
    assert (report.status, report.language, report.requested_by) == ("done", "en", opleider)
    page = client.get(page_url(nagesprek)).content.decode()
    assert 'id="reports"' in page
    assert 'data-report-status="done"' in page
    assert url("report_download", report) in page


def test_report_panel_is_a_fragment_for_htmx_and_a_redirect_otherwise(
    world, nagesprek, opleider, client
):
    report = ConversationReportFactory(conversation=nagesprek)  # queued: the panel polls
    client.force_login(opleider)

    fragment = client.get(url("conversation_reports", nagesprek), headers={"HX-Request": "true"})
    plain = client.get(url("conversation_reports", nagesprek))

    assert fragment.status_code == 200
    body = fragment.content.decode()
    assert "<html" not in body
    assert 'data-report-status="queued"' in body
    assert f'hx-get="{url("conversation_reports", nagesprek)}"' in body
    assert "HX-Request" in fragment["Vary"]
    assert plain.status_code == 302
    assert plain["Location"] == page_url(nagesprek, "reports")

    report.status = ReportStatus.DONE
    report.save(update_fields=["status"])
    done = client.get(url("conversation_reports", nagesprek), headers={"HX-Request": "true"})
    assert "hx-trigger" not in done.content.decode()  # nothing left to wait for


def test_download_is_a_private_attachment_and_every_download_is_audited(
    world, nagesprek, opleider, student, client, django_capture_on_commit_callbacks
):
    report = request_report(django_capture_on_commit_callbacks, nagesprek, by=opleider)
    client.force_login(student)

    responses = [client.get(url("report_download", report)) for _ in range(2)]

    for response in responses:
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert f"nagesprek-{nagesprek.held_on:%Y-%m-%d}.pdf" in response["Content-Disposition"]
        assert "no-store" in response["Cache-Control"].replace(" ", "").split(",")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    entries = AuditEntry.objects.filter(
        action="conversation_report.downloaded", object_id=str(report.public_id)
    )
    assert entries.count() == 2
    assert {entry.actor for entry in entries} == {student}
    assert {entry.school for entry in entries} == {world.school}


@pytest.mark.parametrize("language", ["xx", ""], ids=["unknown", "missing"])
def test_request_with_a_language_we_do_not_have_is_refused_with_a_message(
    world, nagesprek, opleider, client, language, django_capture_on_commit_callbacks
):
    client.force_login(opleider)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url("conversation_reports", nagesprek), {"language": language})

    assert response.status_code == 302
    assert response["Location"] == page_url(nagesprek, "reports")
    assert len(errors_of(response)) == 1
    assert callbacks == []
    assert not ConversationReport.objects.exists()
    assert not AuditEntry.objects.filter(action="conversation_report.requested").exists()


def test_download_before_the_report_is_ready_goes_back_to_the_panel_with_a_message(
    world, nagesprek, opleider, client
):
    report = ConversationReportFactory(conversation=nagesprek)  # queued, no file yet
    client.force_login(opleider)

    response = client.get(url("report_download", report))

    assert response.status_code == 302
    assert response["Location"] == page_url(nagesprek, "reports")
    assert len(errors_of(response)) == 1
    assert audited("conversation_report.downloaded", report) == 0
