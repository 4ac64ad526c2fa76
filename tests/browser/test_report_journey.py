"""The report (gespreksverslag) of a nagesprek, in the browser: the opleider asks for it and
watches it being made, downloads the PDF; the student teacher confirms "seen and agreed" and the
report is made again to show it.

The app sends the render job to a broker as in production. Here the broker is Celery's
in-memory one, read by nobody but this test: the test takes the job from it and runs it as a
worker would, at a moment of its choosing, so the page's waiting state can be seen. Nothing
reaches a Redis that other test runs share.

The page is asserted on through stable hooks (data attributes, form actions, the values the
panel shows from the database), not on English or Dutch wording.
"""

import datetime
import io
from dataclasses import dataclass
from pathlib import Path

import kombu.pools
import pytest
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect
from pypdf import PdfReader

from mentoring.celery import app as celery_app
from mentoring.models import AuditEntry, ReportStatus
from reflection.models import Conversation, ConversationReport, ReportConfirmation
from tests.browser.conftest import open_page, screenshot
from tests.browser.test_foundation_journeys import log_in, serious_violations
from tests.browser.test_reflection_journey import MOMENT_STRENGTH, held_lesson
from tests.factories import AgreementFactory, ConversationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RENDER_TASK = "reflection.render_conversation_report"
STUDENT_AGREEMENT = "Startopdracht voorbereiden voor alle lessen in 3H"
OPLEIDER_AGREEMENT = "Volgende les in 3H opnieuw bezoeken, alleen de start"

PANEL = "section#reports"
CARD = f"{PANEL} [data-report-status]"
DOWNLOAD_LINK = f"{CARD} a[href$='/download/']"
CONFIRM_BUTTON = f"{CARD} form[action$='/confirm/'] button[type=submit]"
REQUEST_BUTTON = f"{PANEL} form[action$='/reports/'] button[type=submit]"
# The job has finished when the test's worker returns; the page notices at its next poll
# (every 2 s), given room here for a busy machine.
RENDERED = 30_000


@dataclass(frozen=True)
class Job:
    task: str
    kwargs: dict


class HeldBroker:
    """Celery's in-memory broker: the jobs the app sent, until the test runs them."""

    queue = celery_app.conf.task_default_queue

    def take(self) -> list[Job]:
        jobs = []
        with celery_app.connection_for_write() as connection:
            channel = connection.default_channel
            while (message := channel.basic_get(self.queue, no_ack=True)) is not None:
                _args, kwargs, _embed = message.decode()
                jobs.append(Job(message.headers["task"], kwargs))
        return jobs

    def run(self, job: Job) -> None:
        """Run the task body here, as a worker that took the message would."""
        result = celery_app.tasks[job.task].apply(kwargs=job.kwargs)
        assert result.successful(), result.traceback


@pytest.fixture
def broker(settings):
    """Jobs go to the broker (not run in the request), and the broker is in this process.

    Celery keeps its connection pools once made, so they are put aside for the test and put
    back after it; a later test that talks to Redis gets Redis again.
    """
    settings.JOBS_RUN_IN_PROCESS = False
    changes = celery_app.conf.changes
    saved = (changes.get("broker_url"), celery_app._pool, celery_app.amqp._producer_pool)
    changes["broker_url"] = "memory://"
    celery_app._pool = celery_app.amqp._producer_pool = None
    try:
        # CELERY_BROKER_URL in the environment would win over the configuration.
        assert celery_app.connection_for_write().transport_cls == "memory"
        held = HeldBroker()
        held.take()  # anything an earlier test in this process left
        yield held
    finally:
        for pool in (celery_app._pool, celery_app.amqp._producer_pool):
            if pool is not None:
                pool.force_close_all()
        # kombu keeps producer pools in a registry of its own, keyed by the broker URL: the
        # next test with this fixture would be given the pool just closed.
        kombu.pools.reset()
        url, celery_app._pool, celery_app.amqp._producer_pool = saved
        if url is None:
            changes.pop("broker_url", None)
        else:
            changes["broker_url"] = url


def nagesprek(world) -> Conversation:
    """The nagesprek after a held lesson with the opleider's final ICALT observation, about
    the student teacher's shared reflection, with an agreement for each of them."""
    observation = held_lesson(world)
    conversation = ConversationFactory(
        trajectory=world.opleiden,
        visit=observation.visit,
        observation=observation,
        cycle=world.opleiden_cycle,
        topics="De start van de les in 3H",
        notes="Besproken: de startopdracht en het ontvangen bij de deur.",
    )
    AgreementFactory(
        conversation=conversation,
        what=STUDENT_AGREEMENT,
        who=world.people["student_teacher"],
        due_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    AgreementFactory(
        conversation=conversation, what=OPLEIDER_AGREEMENT, who=world.people["opleider"]
    )
    return conversation


def watch_the_next_poll(page, conversation: Conversation) -> None:
    """Wait until the page has asked for the panel again by itself (htmx, every 2 s)."""
    path = f"/conversations/{conversation.public_id}/reports/"
    with page.expect_response(
        lambda response: response.url.endswith(path) and response.request.method == "GET"
    ) as polled:
        pass
    assert polled.value.ok


def download_report(page, conversation: Conversation) -> bytes:
    with page.expect_download() as info:
        page.locator(DOWNLOAD_LINK).click()
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename == f"nagesprek-{conversation.held_on:%Y-%m-%d}.pdf"
    return Path(download.path()).read_bytes()


def pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-"), pdf[:20]
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def shown_as(moment: datetime.datetime, language: str) -> str:
    """A time as the panel and the report write it ("j F Y, H:i" in Dutch time)."""
    with translation.override(language):
        return dateformat.format(timezone.localtime(moment), "j F Y, H:i")


def confirmation_line(person, confirmation, language: str) -> str:
    """The report's "seen and agreed" row of one person, in the report's language."""
    with translation.override(language):
        if confirmation is None:
            return f"{person.full_name} {gettext('not confirmed yet')}"
        date = shown_as(confirmation.confirmed_at, language)
        return f"{person.full_name} {gettext('confirmed on %(date)s') % {'date': date}}"


def confirmations_shown(page) -> dict[str, str]:
    """The panel's "seen and agreed" list, one line per participant."""
    items = page.locator(f"{CARD} ul li")
    return {text.split(":", 1)[0]: text for text in items.all_inner_texts()}


def test_opleider_watches_the_report_being_made_and_the_student_teacher_confirms_it(
    page, world, browser, live_server, broker
):
    student = world.people["student_teacher"]
    opleider = world.people["opleider"]
    conversation = nagesprek(world)
    conversation_page = f"/conversations/{conversation.public_id}/"

    # --- The opleider asks for the report from the nagesprek. ---------------------------------
    log_in(page, "opleider@school.example")
    page.goto(conversation_page)
    expect(page.locator(CARD)).to_have_count(0)
    expect(page.locator(f"{PANEL} #report-language")).to_have_value("nl")
    page.locator(REQUEST_BUTTON).click()

    # The report waits for a worker: the page says so, offers nothing to download yet, and
    # keeps asking for the panel by itself.
    expect(page).to_have_url(f"{live_server.url}{conversation_page}#reports")
    card = page.locator(CARD)
    expect(card).to_have_attribute("data-report-status", ReportStatus.QUEUED)
    expect(page.locator(DOWNLOAD_LINK)).to_have_count(0)
    expect(page.locator(REQUEST_BUTTON)).to_have_count(0)  # no second request while waiting
    report = ConversationReport.objects.get()
    assert (report.conversation, report.requested_by, report.render_for, report.language) == (
        conversation,
        opleider,
        opleider,
        "nl",
    )
    (job,) = broker.take()
    assert job == Job(RENDER_TASK, {"report_id": report.pk})
    # A mark in this page's JavaScript: a reload would lose it.
    page.evaluate("window.stillTheSamePage = true")
    # The status line is a live region that stays in place (only its text changes), so a
    # screen reader announces "ready"; mark the element itself to see that it is not replaced.
    page.evaluate("document.getElementById('report-status').dataset.kept = 'yes'")
    waiting_text = page.locator("#report-status").inner_text()
    watch_the_next_poll(page, conversation)
    expect(card).to_have_attribute("data-report-status", ReportStatus.QUEUED)
    screenshot(page, "report-waiting-opleider")

    # A worker takes the job; the page shows the finished report without being reloaded.
    broker.run(job)
    expect(card).to_have_attribute("data-report-status", ReportStatus.DONE, timeout=RENDERED)
    expect(page.locator(DOWNLOAD_LINK)).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True
    expect(page.locator("#report-status[role=status][data-kept=yes]")).not_to_have_text(
        waiting_text
    )
    report.refresh_from_db()
    assert (report.status, report.attempts, report.generation) == (ReportStatus.DONE, 1, 1)
    assert confirmations_shown(page).keys() == {student.full_name, opleider.full_name}
    assert broker.take() == [], "a finished report sends nothing more"
    assert serious_violations(page) == []
    screenshot(page, "report-ready-opleider")

    # The download is the PDF of this nagesprek; nobody has confirmed it yet.
    text = pdf_text(download_report(page, conversation))
    for expected in (student.full_name, opleider.full_name, STUDENT_AGREEMENT, MOMENT_STRENGTH):
        assert expected in text
    assert confirmation_line(student, None, "nl") in text
    assert confirmation_line(opleider, None, "nl") in text
    assert AuditEntry.objects.filter(
        action="conversation_report.downloaded", actor=opleider, object_id=str(report.public_id)
    ).exists()

    # --- The student teacher reads it and confirms "seen and agreed". -------------------------
    context, own = open_page(browser, live_server)
    try:
        log_in(own, "student_teacher@school.example")
        own.goto(conversation_page)
        expect(own.locator(CARD)).to_have_attribute("data-report-status", ReportStatus.DONE)
        assert serious_violations(own) == []
        first_pdf = download_report(own, conversation)
        assert student.full_name in pdf_text(first_pdf)
        own.locator(CONFIRM_BUTTON).click()

        confirmation = ReportConfirmation.objects.get()
        assert (confirmation.report, confirmation.user) == (report, student)
        # The panel shows the confirmation at once; the report is made again to show it,
        # and the version read so far can still be downloaded meanwhile.
        own_card = own.locator(CARD)
        expect(own_card).to_have_attribute("data-report-status", ReportStatus.QUEUED)
        shown = confirmations_shown(own)
        assert shown_as(confirmation.confirmed_at, "nl") in shown[student.full_name]
        assert shown_as(confirmation.confirmed_at, "nl") not in shown[opleider.full_name]
        expect(own.locator(CONFIRM_BUTTON)).to_have_count(0)
        assert download_report(own, conversation) == first_pdf
        (job,) = broker.take()
        assert job == Job(RENDER_TASK, {"report_id": report.pk})
        screenshot(own, "report-confirmed-waiting-student")

        own.evaluate("window.stillTheSamePage = true")
        broker.run(job)
        expect(own_card).to_have_attribute(
            "data-report-status", ReportStatus.DONE, timeout=RENDERED
        )
        assert own.evaluate("window.stillTheSamePage") is True
        report.refresh_from_db()
        assert (report.status, report.generation) == (ReportStatus.DONE, 2)
        shown = confirmations_shown(own)
        assert shown_as(confirmation.confirmed_at, "nl") in shown[student.full_name]
        expect(own.locator(CONFIRM_BUTTON)).to_have_count(0)
        assert serious_violations(own) == []
        screenshot(own, "report-confirmed-student")

        # The new PDF shows who confirmed it and when.
        text = pdf_text(download_report(own, conversation))
        assert confirmation_line(student, confirmation, "nl") in text
        assert confirmation_line(opleider, None, "nl") in text
        assert STUDENT_AGREEMENT in text
    finally:
        context.close()

    # The opleider, back on the page, sees the student teacher's confirmation too, and may
    # still give their own.
    page.reload()
    expect(card).to_have_attribute("data-report-status", ReportStatus.DONE)
    shown = confirmations_shown(page)
    assert shown_as(confirmation.confirmed_at, "nl") in shown[student.full_name]
    expect(page.locator(CONFIRM_BUTTON)).to_be_visible()
    assert broker.take() == []
