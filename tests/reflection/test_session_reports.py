"""Session reports of a learning group, through the pages: a facilitator asks for one, the job
runs (in this process, after the commit `django_capture_on_commit_callbacks` stands in for),
and the PDF shows the session phase by phase; the group's members download it; nobody outside
the group's content (the coordinator, the school leader) asks, polls or downloads."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from mentoring.models import AuditEntry, ReportStatus
from mentoring.reports import reports_storage
from reflection import group_phases, services
from reflection.models import SessionReport
from reflection.views.session_reports import session_report_panel_context
from tests.mentoring.test_pdf import pdf_text

pytestmark = pytest.mark.django_db

EXPERIENCE = "Mijn klas 2B werkte zelfstandig door na een duidelijke start"
PATTERN = "Een heldere start maakt zelfstandig werken mogelijk"
PRINCIPLE = "Begin elke les met een zichtbaar doel op het bord"


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def session(world):
    """An intervisie session of world.group taken through all five VESIt phases: the coach and
    the opleider write, the opleider formulates a principle."""
    facilitator = world.people["procesbegeleider"]
    coach, opleider = world.people["coach"], world.people["opleider"]
    session = services.group_session_plan(
        actor=facilitator,
        group=world.group,
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        focus="Zelfstandig werken",
    )
    services.session_entry_add(
        actor=coach, session=session, phase="voorstructureren", text=EXPERIENCE
    )
    for _step in range(2):
        session = services.group_session_move(actor=facilitator, session=session, step=1)
    services.session_entry_add(actor=opleider, session=session, phase="structureren", text=PATTERN)
    for _step in range(2):
        session = services.group_session_move(actor=facilitator, session=session, step=1)
    services.group_principle_add(actor=opleider, session=session, text=PRINCIPLE)
    services.group_session_attendance(
        actor=facilitator, session=session, attendees=[coach, opleider, facilitator]
    )
    return session


def reports_url(session) -> str:
    return reverse("session_reports", kwargs={"public_id": session.public_id})


def download_url(report) -> str:
    return reverse("session_report_download", kwargs={"public_id": report.public_id})


def request_through_page(client, capture, session, language="en"):
    with capture(execute=True):
        response = client.post(reports_url(session), {"language": language})
    return response


@pytest.fixture
def done_report(as_persona, session, django_capture_on_commit_callbacks) -> SessionReport:
    request_through_page(
        as_persona("procesbegeleider"), django_capture_on_commit_callbacks, session
    )
    return SessionReport.objects.get(session=session)


def test_facilitator_requests_and_the_pdf_shows_the_session_phase_by_phase(
    as_persona, world, session, django_capture_on_commit_callbacks
):
    client = as_persona("procesbegeleider")

    response = request_through_page(client, django_capture_on_commit_callbacks, session)

    assert response.status_code == 302
    assert response["Location"].endswith(f"/sessions/{session.public_id}/#reports")
    report = SessionReport.objects.get(session=session)
    assert report.status == ReportStatus.DONE
    assert report.requested_by == world.people["procesbegeleider"]
    with reports_storage().open(report.file_name, "rb") as file:
        text = flat(pdf_text(file.read()))
    with translation.override("en"):
        for phase in group_phases.phases_of(world.group.format):
            assert flat(str(phase.title)) in text
    for written in (EXPERIENCE, PATTERN, PRINCIPLE, world.group.name):
        assert written in text
    for person in ("coach", "opleider", "procesbegeleider"):
        assert world.people[person].full_name in text


def test_panel_fragment_polls_while_the_report_is_being_made(as_persona, world, session, settings):
    settings.JOBS_RUN_IN_PROCESS = False  # the job stays queued
    client = as_persona("procesbegeleider")
    services.session_report_request(
        actor=world.people["procesbegeleider"], session=session, language="nl"
    )

    response = client.get(reports_url(session), HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'hx-get="{reports_url(session)}" hx-trigger="every 2s"' in html
    assert 'data-report-status="queued"' in html
    with translation.override("nl"):
        assert gettext("The report is waiting to be made. This page updates by itself.") in html
    assert 'hx-swap-oob="innerHTML"' in html
    assert 'name="language"' not in html  # no second request while one is being made


def test_panel_without_htmx_sends_the_reader_to_the_session_page(as_persona, session):
    response = as_persona("coach").get(reports_url(session))

    assert response.status_code == 302
    assert response["Location"].endswith(f"/sessions/{session.public_id}/#reports")


def test_member_downloads_the_report_and_the_download_is_audited(as_persona, world, done_report):
    client = as_persona("coach")

    panel = client.get(reports_url(done_report.session), HTTP_HX_REQUEST="true").content.decode()
    assert download_url(done_report) in panel
    assert 'name="language"' not in panel  # only facilitators ask for a report
    response = client.get(download_url(done_report))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(
        action="session_report.downloaded",
        object_id=str(done_report.public_id),
        actor=world.people["coach"],
    ).exists()


def test_member_who_is_no_facilitator_cannot_request_a_report(
    as_persona, session, django_capture_on_commit_callbacks
):
    response = request_through_page(
        as_persona("coach"), django_capture_on_commit_callbacks, session
    )

    assert response.status_code == 403
    assert not SessionReport.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 403),
        ("school_leader", 403),
        ("coachee", 403),
        ("other_school_coordinator", 404),
    ],
)
def test_people_outside_the_group_neither_request_nor_poll_nor_download(
    as_persona, done_report, django_capture_on_commit_callbacks, persona, status
):
    client = as_persona(persona)
    session = done_report.session

    assert (
        request_through_page(client, django_capture_on_commit_callbacks, session).status_code
        == status
    )
    assert client.get(reports_url(session), HTTP_HX_REQUEST="true").status_code == status
    assert client.get(download_url(done_report)).status_code == status
    assert SessionReport.objects.count() == 1
    assert not AuditEntry.objects.filter(action="session_report.downloaded").exists()


def test_a_report_not_ready_cannot_be_downloaded_yet(as_persona, world, session, settings):
    settings.JOBS_RUN_IN_PROCESS = False
    report, _created = services.session_report_request(
        actor=world.people["procesbegeleider"], session=session, language="nl"
    )

    response = as_persona("coach").get(download_url(report))

    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="session_report.downloaded").exists()


def test_a_bad_language_is_refused_with_a_message(as_persona, session):
    response = as_persona("procesbegeleider").post(reports_url(session), {"language": "xx"})

    assert response.status_code == 302
    assert not SessionReport.objects.exists()


def render_panel(user, session) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(
        "reflection/partials/session_report_panel.html",
        session_report_panel_context(user, session),
        request=request,
    )


def test_the_panel_on_the_session_page_offers_the_report_to_facilitators_only(world, done_report):
    session = done_report.session

    facilitator = render_panel(world.people["procesbegeleider"], session)
    member = render_panel(world.people["coach"], session)

    for html in (facilitator, member):
        assert 'id="report-status"' in html
        assert download_url(done_report) in html
        assert "hx-get" not in html  # the report is done: nothing to poll
    assert f'action="{reports_url(session)}"' in facilitator
    assert 'name="language"' in facilitator
    assert 'name="language"' not in member
