"""Log in, see the home page, switch language; on a desktop and on a 390 px phone; with axe."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import open_page, screenshot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, email: str) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_coordinator_logs_in_sees_their_school_and_switches_language(page, world):
    log_in(page, "coordinator@school.example")
    expect(page.get_by_role("heading", name="Het Baken College in één oogopslag")).to_be_visible()
    screenshot(page, "home-coordinator-nl")

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(page.get_by_role("heading", name="Het Baken College at a glance")).to_be_visible()
    coordinator = world.people["coordinator"]
    coordinator.refresh_from_db()
    assert coordinator.preferred_language == "en"

    page.get_by_role("button", name="Nederlands").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")
    coordinator.refresh_from_db()
    assert coordinator.preferred_language == "nl"


def test_logging_out_returns_to_the_login_page(page, world):
    log_in(page, "coach@school.example")
    page.get_by_role("button", name=world.people["coach"].full_name).click()
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_skip_link_is_the_first_stop_and_jumps_to_the_content(page):
    page.goto("/accounts/password/reset/")  # the log-in page puts the cursor in its form
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Naar de inhoud")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_navigation_works_on_a_phone(phone):
    log_in(phone, "student_teacher@school.example")
    menu = phone.get_by_role("button", name="Menu openen")
    expect(menu).to_be_visible()
    expect(phone.get_by_role("link", name="Start")).to_be_hidden()
    menu.click()
    expect(phone.get_by_role("link", name="Start")).to_be_visible()
    expect(phone.get_by_role("button", name="English")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "home-student-phone-menu")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_account_and_home_pages_have_no_serious_accessibility_violations(
    browser, live_server, world, viewport
):
    size = {"desktop": (1280, 900), "phone": (390, 844)}[viewport]
    context, page = open_page(browser, live_server, width=size[0], height=size[1])
    try:
        for anonymous_page in ("/accounts/login/", "/accounts/password/reset/"):
            page.goto(anonymous_page)
            assert serious_violations(page) == [], anonymous_page
        page.get_by_label("E-mailadres").fill("coach@school.example")
        page.get_by_role("button", name="Link versturen").click()
        expect(page.get_by_role("heading", name="Kijk in je e-mail")).to_be_visible()
        assert serious_violations(page) == []
        log_in(page, "coordinator@school.example")
        assert serious_violations(page) == []
        page.goto("/accounts/password/change/")
        assert serious_violations(page) == []
    finally:
        context.close()
