"""The coordinator sets up a school's begeleiding; the invited student teacher finds it.

Everything goes through the Dutch UI, as a school's coordinator and student teacher see it,
and every coordinator page is checked with axe.
"""

import re
import time

import pytest
from django.core import mail
from playwright.sync_api import expect

from roles import services
from roles.models import Invitation, RoleAssignment, Trajectory, User
from tests.browser.conftest import open_page, screenshot
from tests.browser.test_foundation_journeys import log_in, serious_violations
from tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MENTOR = ("Marieke Bosman", "m.bosman@school.example")
STUDENT = ("Daan Visser", "d.visser@school.example")
NEW_PASSWORD = "Daan-kiest-een-lang-wachtwoord-2026"
INVITATION_LINK = re.compile(r"https?://\S+/welcome/[^/\s]+/")


def field(page, label: str):
    """A form field by its whole label; crispy marks a required one with an asterisk."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def invitation_link(email: str) -> str:
    """The link in the invitation mail; the job sends it in process, just after the commit."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for message in mail.outbox:
            if email in message.to:
                return INVITATION_LINK.search(message.body).group(0)
        time.sleep(0.1)
    raise AssertionError(f"no invitation mail to {email} in {[m.to for m in mail.outbox]}")


def invite(page, full_name: str, email: str, works_as: str) -> None:
    page.get_by_role("link", name="Mensen", exact=True).first.click()
    expect(page.get_by_role("heading", level=1, name="Mensen")).to_be_visible()
    page.get_by_role("link", name="Iemand uitnodigen").click()
    expect(page.get_by_role("heading", level=1, name="Iemand uitnodigen")).to_be_visible()
    field(page, "Volledige naam").fill(full_name)
    field(page, "E-mailadres").fill(email)
    field(page, "Werkt als").select_option(label=works_as)
    expect(field(page, "Taal van de uitnodiging")).to_have_value("nl")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page.get_by_role("heading", level=1, name=full_name)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(
        f"Er is een uitnodiging verstuurd naar {email}."
    )


def test_coordinator_pairs_a_new_opleider_with_a_new_student_teacher_who_then_finds_them(
    browser, live_server, page, world: World
):
    # The coordinator invites a mentor and a student teacher.
    log_in(page, "coordinator@school.example")
    invite(page, *MENTOR, works_as="docent")
    screenshot(page, "coordinator-person-invited")
    invite(page, *STUDENT, works_as="student (leraar in opleiding)")
    page.get_by_role("link", name="Mensen", exact=True).first.click()
    people = page.get_by_role("table", name="Mensen")
    for name, _email in (MENTOR, STUDENT):
        row = people.get_by_role("row").filter(has=page.get_by_role("link", name=name))
        expect(row).to_contain_text("uitgenodigd")
    screenshot(page, "coordinator-people-list")

    # The mentor becomes a werkplekbegeleider with 40 task hours this school year.
    page.get_by_role("link", name=MENTOR[0]).click()
    page.get_by_role("link", name="Rol toewijzen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Rol toewijzen aan {MENTOR[0]}")
    expect(field(page, "School")).to_have_value(str(world.school.pk))
    field(page, "Schooljaar").select_option(label=world.school_year.name)
    field(page, "Rol").select_option(label="opleider")
    field(page, "Soort opleider").select_option(label="werkplekbegeleider")
    field(page, "Taakuren dit schooljaar").fill("40")
    field(page, "Taakomschrijving").fill("Begeleidt twee studenten in de onderbouw.")
    screenshot(page, "coordinator-role-form")
    page.get_by_role("button", name="Rol toewijzen").click()
    expect(page.get_by_role("status")).to_contain_text("De rol is toegewezen.")
    expect(page.get_by_role("heading", level=1, name=MENTOR[0])).to_be_visible()
    expect(page.locator("main")).to_contain_text("Opleider (werkplekbegeleider)")
    expect(page.locator("main")).to_contain_text("40 taakuren")
    role = RoleAssignment.objects.get(user__email=MENTOR[1])
    assert (role.role, role.opleider_kind, role.task_hours, role.school_year) == (
        "opleider",
        "werkplekbegeleider",
        40,
        world.school_year,
    )

    # The coordinator pairs them in an opleiden trajectory.
    page.get_by_role("link", name="Trajecten", exact=True).first.click()
    page.get_by_role("link", name="Nieuw traject").click()
    expect(page.get_by_role("heading", level=1, name="Nieuw traject")).to_be_visible()
    field(page, "Soort").select_option(label="opleiden")
    field(page, "Begeleider").select_option(
        label=f"{MENTOR[0]} - werkplekbegeleider ({world.school.name}, {world.school_year.name})"
    )
    field(page, "(Aanstaande) docent").select_option(label=STUDENT[0])
    field(page, "Fase van de docent").select_option(label="student (leraar in opleiding)")
    field(page, "Studiejaar").fill("2")
    screenshot(page, "coordinator-trajectory-form")
    page.get_by_role("button", name="Traject aanmaken").click()
    expect(page.get_by_role("status")).to_contain_text("Het traject is aangemaakt.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Opleiden: {STUDENT[0]}")
    screenshot(page, "coordinator-trajectory-detail")

    page.get_by_role("link", name="Trajecten", exact=True).first.click()
    row = (
        page.get_by_role("table", name="Trajecten")
        .get_by_role("row")
        .filter(has=page.get_by_role("link", name=STUDENT[0]))
    )
    expect(row).to_contain_text(MENTOR[0])
    expect(row).to_contain_text("Opleiden")
    expect(row).to_contain_text("Student (leraar in opleiding), jaar 2")
    expect(row).to_contain_text("actief")
    screenshot(page, "coordinator-trajectory-list")
    trajectory = Trajectory.objects.get(teacher__email=STUDENT[1])
    assert (trajectory.begeleider_role, trajectory.study_year) == (role, 2)

    # The student teacher opens the link from the e-mail on their own computer.
    link = invitation_link(STUDENT[1])
    (message,) = [m for m in mail.outbox if m.to == [STUDENT[1]]]
    assert message.subject == f"Je bent uitgenodigd voor Mentoring bij {world.school.name}"
    context, student = open_page(browser, live_server)
    try:
        student.goto(link)
        expect(student.get_by_role("heading", level=1)).to_have_text(
            f"Welkom, {User.objects.get(email=STUDENT[1]).get_short_name()}"
        )
        expect(student.locator("main")).to_contain_text(STUDENT[1])
        field(student, "Nieuw wachtwoord").fill(NEW_PASSWORD)
        field(student, "Nieuw wachtwoord bevestigen").fill(NEW_PASSWORD)
        screenshot(student, "student-invitation-accept")
        student.get_by_role("button", name="Wachtwoord instellen").click()

        expect(student).to_have_url(re.compile(r"/accounts/login/$"))
        expect(student.get_by_role("status")).to_contain_text(
            "Je wachtwoord is ingesteld. Je kunt nu inloggen."
        )
        field(student, "E-mailadres").fill(STUDENT[1])
        field(student, "Wachtwoord").fill(NEW_PASSWORD)
        student.get_by_role("button", name="Inloggen").click()
        expect(student.get_by_role("heading", level=1)).to_contain_text("Welkom")

        begeleiders = student.get_by_role("region", name="Jouw begeleiders")
        expect(begeleiders).to_contain_text("Werkplekbegeleider · opleiden")
        screenshot(student, "student-home-with-begeleider")
        begeleiders.get_by_role("link", name=MENTOR[0]).click()
        expect(student.get_by_role("heading", level=1)).to_have_text(f"Opleiden: {STUDENT[0]}")
        expect(student.locator("main")).to_contain_text(f"{MENTOR[0]} (werkplekbegeleider)")
        screenshot(student, "student-trajectory-detail")
    finally:
        context.close()
    assert Invitation.objects.get(user__email=STUDENT[1]).status == "accepted"


def test_coordinator_pages_have_no_serious_accessibility_violations(page, world: World):
    log_in(page, "coordinator@school.example")
    person = world.people["opleider"]
    pages = {
        "people list": "/people/",
        "person detail": f"/people/{person.public_id}/",
        "invite form": "/people/invite/",
        "role form": f"/people/{person.public_id}/roles/new/",
        "trajectory form": "/trajectories/new/",
        "trajectory list": "/trajectories/",
        "trajectory detail": f"/trajectories/{world.opleiden.public_id}/",
        "learning group list": "/groups/",
        "learning group form": "/groups/new/",
        "school years": "/school-years/",
    }
    for name, path in pages.items():
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert serious_violations(page) == [], name

    # The same forms with their error messages showing.
    for path, button in (
        ("/people/invite/", "Uitnodiging versturen"),
        (f"/people/{person.public_id}/roles/new/", "Rol toewijzen"),
        ("/trajectories/new/", "Traject aanmaken"),
    ):
        page.goto(path)
        page.get_by_role("button", name=button).click()
        expect(page.locator(".invalid-feedback").first).to_be_visible()
        assert serious_violations(page) == [], f"{path} with errors"
    screenshot(page, "coordinator-trajectory-form-errors")


def test_invitation_accept_page_has_no_serious_accessibility_violations(
    browser, live_server, world: World
):
    services.invitation_email_send(
        invitation=world.invitation, domain=live_server.url.split("//")[1], use_https=False
    )
    context, page = open_page(browser, live_server)
    try:
        page.goto(invitation_link(world.invitation.user.email))
        expect(page.get_by_role("heading", level=1)).to_have_text("Welkom, Nieuwe")
        assert serious_violations(page) == []
        page.get_by_role("button", name="Wachtwoord instellen").click()
        expect(page.locator(".invalid-feedback").first).to_be_visible()
        assert serious_violations(page) == []
        page.goto("/welcome/not-a-real-token/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Deze link werkt niet meer")
        assert serious_violations(page) == []
    finally:
        context.close()


def test_people_list_and_trajectory_fit_a_phone_without_serious_violations(phone, world: World):
    log_in(phone, "coordinator@school.example")
    for name, path in (
        ("people-list", "/people/"),
        ("trajectory-detail", f"/trajectories/{world.opleiden.public_id}/"),
    ):
        phone.goto(path)
        expect(phone.get_by_role("heading", level=1)).to_be_visible()
        assert serious_violations(phone) == [], path
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path
        screenshot(phone, f"coordinator-{name}-phone")
