"""An intervision session of a learning group in the browser (issue 8): the procesbegeleider
plans it from the group's page and takes the group through the five VESIt phases while the two
members write in their own browsers; attendance is recorded, the session is finished, the
session report is made and downloaded, and the group's "theorie met een kleine t" holds the
session's principles. The coordinator sees that the group met, and is refused the session.

The report's render job goes to Celery's in-memory broker (the `broker` fixture of
test_report_journey.py) and the test runs it as a worker would, so the panel can be seen to turn
ready by itself. The pages are asserted on through stable hooks (ids, form actions, data
attributes) and the texts the group wrote, not on English or Dutch wording; the database is read
to see what was saved.
"""

import datetime
import re

import pytest
from django.utils import dateformat, timezone, translation
from playwright.sync_api import expect

from mentoring.models import AuditEntry, ReportStatus
from reflection import group_phases
from reflection.models import GroupPrinciple, GroupSession, SessionEntry, SessionReport
from roles.models import LearningGroupFormat
from tests.browser.conftest import open_page, screenshot
from tests.browser.test_foundation_journeys import log_in, serious_violations
from tests.browser.test_merid_journey import server_errors, watch_for_errors
from tests.browser.test_report_journey import (
    RENDERED,
    Job,
    broker,  # noqa: F401 (a fixture, see `jobs`)
    pdf_text,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RENDER_TASK = "reflection.render_session_report"
PHASES = [phase.key for phase in group_phases.phases_of(LearningGroupFormat.INTERVISIE)]
V, E, S, I, T = PHASES  # noqa: E741 (the letters of VESIt)

LOCATION = "Lokaal 2.14"
FOCUS = "Leerlingen activeren bij de start van de les"
COACH_EXPERIENCE = "In 2B besprak de klas eerst in tweetallen de vraag. Iedereen deed mee."
OPLEIDER_EXPERIENCE = "Mijn student liet de leerlingen bij binnenkomst een kaartje invullen."
COACH_CONCRETE = "De tweetallen kregen precies twee minuten en een vaste rol: vrager en schrijver."
OPLEIDER_PATTERN = "In beide ervaringen begon de les met een korte taak voor iedereen tegelijk."
FACILITATOR_ZOOM = "De leerlingen wisten meteen wat er van hen verwacht werd, zonder uitleg vooraf."
PRINCIPLES = [
    "Begin de les met een taak die iedereen binnen een minuut kan starten.",
    "Geef bij samenwerken een vaste rol en een korte, zichtbare tijd.",
]

PANEL = "section#reports"
CARD = f"{PANEL} [data-report-status]"
DOWNLOAD_LINK = f"{CARD} a[href$='/download/']"
REQUEST_BUTTON = f"{PANEL} form[action$='/reports/'] button[type=submit]"
NEXT_BUTTON = "form[action$='/move/']:has(input[name=step][value=next]) button[type=submit]"
PRINCIPLE_LIST = "section[aria-labelledby=principles] ol > li"


@pytest.fixture
def jobs(request):
    """The jobs the app sent to the in-memory broker, until the test runs them."""
    return request.getfixturevalue("broker")


def phase_section(page, key: str):
    return page.locator(f"section#phase-{key}")


def write_entry(page, key: str, text: str) -> None:
    """Write a contribution in a phase of the session page and send it."""
    form = phase_section(page, key).locator("form[action$='/entries/']")
    form.locator(f"textarea#id_{key}_text").fill(text)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/sessions/[0-9a-f-]{{36}}/#phase-{key}$"))
    expect(phase_section(page, key).locator("li", has_text=text)).to_have_count(1)


def add_principle(page, text: str) -> None:
    form = phase_section(page, T).locator("form[action$='/principles/']")
    form.locator("input[name=text]").fill(text)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/sessions/[0-9a-f-]{{36}}/#phase-{T}$"))
    expect(phase_section(page, T).locator("ol > li", has_text=text)).to_have_count(1)


def phase_states(page) -> dict[str, str]:
    """Which phase the page marks as current: the phase card with the primary border."""
    return {
        key: "current"
        if "border-primary" in (phase_section(page, key).get_attribute("class") or "")
        else "other"
        for key in PHASES
    }


def move_on(page, session: GroupSession, to: str | None) -> None:
    """The facilitator presses the next button of the current phase; `to` None: finished."""
    expect(page.locator(NEXT_BUTTON)).to_have_count(1)
    page.locator(NEXT_BUTTON).click()
    session.refresh_from_db()
    if to is None:
        expect(page).to_have_url(re.compile(rf"/sessions/{session.public_id}/$"))
        assert session.status == "held"
        expect(page.locator(NEXT_BUTTON)).to_have_count(0)
    else:
        expect(page).to_have_url(re.compile(rf"/sessions/{session.public_id}/#phase-{to}$"))
        assert (session.phase, session.status) == (to, "planned")
        assert phase_states(page)[to] == "current"


def shown_as(moment: datetime.datetime) -> str:
    """A session's date and time as the group's page writes it, in Dutch."""
    with translation.override("nl"):
        return dateformat.format(timezone.localtime(moment), "l j F Y, H:i")


def test_procesbegeleider_takes_the_group_through_an_intervision_session(
    page, world, browser, live_server, jobs, caplog
):
    group = world.group
    assert group.format == LearningGroupFormat.INTERVISIE
    facilitator = world.people["procesbegeleider"]
    coach = world.people["coach"]
    opleider = world.people["opleider"]
    assert list(group.facilitators.all()) == [facilitator]
    assert {m.user for m in group.memberships.filter(left_on__isnull=True)} == {coach, opleider}
    group_page = f"/groups/{group.public_id}/"
    errors = watch_for_errors(page)

    # --- The procesbegeleider plans a session from the group's page. --------------------------
    log_in(page, "procesbegeleider@school.example")
    page.goto(group_page)
    assert serious_violations(page) == []
    screenshot(page, "group-before-session-procesbegeleider")
    plan = page.locator(f"a[href='/groups/{group.public_id}/sessions/new/']")
    expect(plan).to_have_count(1)
    plan.click()
    expect(page).to_have_url(f"{live_server.url}/groups/{group.public_id}/sessions/new/")
    expect(page.locator("#id_research_lesson")).to_have_count(0)  # lesson study only
    starts_at = timezone.localtime().replace(second=0, microsecond=0) + datetime.timedelta(days=1)
    starts_at = starts_at.replace(hour=15, minute=30)
    page.locator("#id_starts_at").fill(starts_at.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_location").fill(LOCATION)
    page.locator("#id_focus").fill(FOCUS)
    assert serious_violations(page) == []
    page.locator("form:has(#id_starts_at) button[type=submit]").click()

    session = GroupSession.objects.get(group=group)
    session_page = f"/sessions/{session.public_id}/"
    expect(page).to_have_url(f"{live_server.url}{session_page}")
    assert (session.starts_at, session.location, session.focus) == (starts_at, LOCATION, FOCUS)
    assert (session.phase, session.status, session.created_by) == (V, "planned", facilitator)
    assert phase_states(page)[V] == "current"
    for key in (E, S, I, T):
        expect(phase_section(page, key).locator("form")).to_have_count(0)  # not reached yet
    assert serious_violations(page) == []
    screenshot(page, "session-planned-procesbegeleider")

    coach_context, coach_page = open_page(browser, live_server)
    opleider_context, opleider_page = open_page(browser, live_server)
    try:
        coach_errors = watch_for_errors(coach_page)
        opleider_errors = watch_for_errors(opleider_page)
        log_in(coach_page, "coach@school.example")
        log_in(opleider_page, "opleider@school.example")

        # --- V: both members write down an experience, each in their own browser. ----------
        for member_page, text in (
            (coach_page, COACH_EXPERIENCE),
            (opleider_page, OPLEIDER_EXPERIENCE),
        ):
            member_page.goto(session_page)
            assert phase_states(member_page)[V] == "current"
            expect(member_page.locator(NEXT_BUTTON)).to_have_count(0)  # only the facilitator
            expect(member_page.locator("form[action$='/attendance/']")).to_have_count(0)
            expect(member_page.locator(REQUEST_BUTTON)).to_have_count(0)
            write_entry(member_page, V, text)
        assert serious_violations(opleider_page) == []
        screenshot(opleider_page, "session-voorstructureren-opleider")

        # The facilitator's page shows both experiences after a reload, then moves on.
        page.reload()
        for text in (COACH_EXPERIENCE, OPLEIDER_EXPERIENCE):
            expect(phase_section(page, V).locator("li", has_text=text)).to_have_count(1)
        move_on(page, session, E)

        # --- E and S: the members make the experiences concrete and look for patterns. -----
        coach_page.reload()
        assert phase_states(coach_page)[E] == "current"
        write_entry(coach_page, E, COACH_CONCRETE)
        move_on(page, session, S)
        opleider_page.reload()
        assert phase_states(opleider_page)[S] == "current"
        write_entry(opleider_page, S, OPLEIDER_PATTERN)
        move_on(page, session, I)

        # --- I: the facilitator writes down what the group zoomed in on. -------------------
        page.reload()
        write_entry(page, I, FACILITATOR_ZOOM)
        move_on(page, session, T)

        # --- t: two principles for the group's list, one by each member. -------------------
        coach_page.reload()
        add_principle(coach_page, PRINCIPLES[0])
        opleider_page.reload()
        add_principle(opleider_page, PRINCIPLES[1])
        assert serious_violations(opleider_page) == []
        screenshot(opleider_page, "session-theorie-opleider")
        assert coach_errors == []
        assert opleider_errors == []
    finally:
        coach_context.close()
        opleider_context.close()

    assert [
        (entry.phase, entry.author, entry.text)
        for entry in SessionEntry.objects.filter(session=session).order_by("created_at", "pk")
    ] == [
        (V, coach, COACH_EXPERIENCE),
        (V, opleider, OPLEIDER_EXPERIENCE),
        (E, coach, COACH_CONCRETE),
        (S, opleider, OPLEIDER_PATTERN),
        (I, facilitator, FACILITATOR_ZOOM),
    ]
    assert [
        (principle.group, principle.author, principle.text)
        for principle in GroupPrinciple.objects.filter(session=session).order_by("created_at")
    ] == [(group, coach, PRINCIPLES[0]), (group, opleider, PRINCIPLES[1])]

    # --- Attendance: the facilitator and both members were there. -----------------------------
    page.reload()
    for text in PRINCIPLES:
        expect(phase_section(page, T).locator("ol > li", has_text=text)).to_have_count(1)
    attendance = page.locator("form[action$='/attendance/']")
    for person in (facilitator, coach, opleider):
        attendance.locator(f"input[name=attendees][value='{person.public_id}']").check()
    attendance.locator("button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}{session_page}#attendance")
    assert set(session.attendees.all()) == {facilitator, coach, opleider}
    for person in (facilitator, coach, opleider):
        expect(
            page.locator(f"form[action$='/attendance/'] input[value='{person.public_id}']")
        ).to_be_checked()

    # --- The last phase's next button finishes the session. -----------------------------------
    move_on(page, session, None)
    for key in PHASES:
        assert phase_states(page)[key] == "other"
    assert serious_violations(page) == []
    screenshot(page, "session-held-procesbegeleider")

    # --- The report: asked for, made by a worker, shown ready without a reload. ---------------
    expect(page.locator(CARD)).to_have_count(0)
    expect(page.locator(f"{PANEL} #session-report-language")).to_have_value("nl")
    page.locator(REQUEST_BUTTON).click()
    expect(page).to_have_url(f"{live_server.url}{session_page}#reports")
    card = page.locator(CARD)
    expect(card).to_have_attribute("data-report-status", ReportStatus.QUEUED)
    expect(page.locator(DOWNLOAD_LINK)).to_have_count(0)
    expect(page.locator(REQUEST_BUTTON)).to_have_count(0)
    report = SessionReport.objects.get(session=session)
    assert (report.requested_by, report.language) == (facilitator, "nl")
    (job,) = jobs.take()
    assert job == Job(RENDER_TASK, {"report_id": report.pk})
    page.evaluate("window.stillTheSamePage = true")
    page.evaluate("document.getElementById('report-status').dataset.kept = 'yes'")
    waiting_text = page.locator("#report-status").inner_text()
    jobs.run(job)
    expect(card).to_have_attribute("data-report-status", ReportStatus.DONE, timeout=RENDERED)
    expect(page.locator(DOWNLOAD_LINK)).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True
    expect(page.locator("#report-status[role=status][data-kept=yes]")).not_to_have_text(
        waiting_text
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    assert jobs.take() == []
    assert serious_violations(page) == []
    screenshot(page, "session-report-ready-procesbegeleider")

    with page.expect_download() as info:
        page.locator(DOWNLOAD_LINK).click()
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename == f"bijeenkomst-{starts_at:%Y-%m-%d}.pdf"
    with open(download.path(), "rb") as pdf:
        text = pdf_text(pdf.read())
    for expected in (
        *PRINCIPLES,
        COACH_EXPERIENCE,
        OPLEIDER_PATTERN,
        FACILITATOR_ZOOM,
        group.name,
        coach.full_name,
        opleider.full_name,
    ):
        assert expected in text, expected
    assert AuditEntry.objects.filter(
        action="session_report.downloaded", actor=facilitator, object_id=str(report.public_id)
    ).exists()

    # --- The group's page: the session is an earlier one, the principles are on the list. -----
    page.goto(group_page)
    expect(page.locator(f"a[href='{session_page}']").first).to_be_visible()
    expect(page.locator(f"a[href='{session_page}']", has_text=shown_as(starts_at))).to_have_count(1)
    principles = page.locator(PRINCIPLE_LIST)
    expect(principles).to_have_count(2)
    for item, text in zip(principles.all(), PRINCIPLES, strict=True):
        expect(item).to_contain_text(text)
        expect(item.locator(f"a[href='{session_page}']")).to_have_count(1)
    for person in (facilitator, coach, opleider):
        expect(page.locator("section[aria-labelledby=sessions]")).to_contain_text(person.full_name)
    assert serious_violations(page) == []
    screenshot(page, "group-after-session-procesbegeleider")
    assert errors == []
    assert server_errors(caplog) == []

    # --- The coordinator sees that the group met and who attended, not what was said. ---------
    context, coordinator = open_page(browser, live_server)
    try:
        log_in(coordinator, "coordinator@school.example")
        coordinator.goto(group_page)
        sessions = coordinator.locator("section[aria-labelledby=sessions]")
        expect(sessions).to_contain_text(shown_as(starts_at))
        expect(sessions.locator(f"a[href='{session_page}']")).to_have_count(0)
        expect(coordinator.locator(PRINCIPLE_LIST)).to_have_count(0)
        for text in (*PRINCIPLES, FOCUS, LOCATION, COACH_EXPERIENCE):
            expect(coordinator.locator("body")).not_to_contain_text(text)
        assert serious_violations(coordinator) == []
        screenshot(coordinator, "group-after-session-coordinator")

        response = coordinator.goto(session_page)
        assert response.status == 403
        for text in (*PRINCIPLES, COACH_EXPERIENCE, FOCUS):
            expect(coordinator.locator("body")).not_to_contain_text(text)
        response = coordinator.goto(f"/session-reports/{report.public_id}/download/")
        assert response.status == 403
    finally:
        context.close()
