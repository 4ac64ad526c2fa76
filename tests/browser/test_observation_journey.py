"""An opleider observes a lesson on a phone, loses the connection halfway, and loses nothing.

Then the student teacher reads the finished observation, the growth chart and the suggested
focus. At 390x844, with axe on the form, the observation and the analysis.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from observations.models import KeyMoment, Observation, ObservationStatus
from tests.browser.conftest import screenshot
from tests.browser.test_foundation_journeys import log_in, serious_violations
from tests.factories import icalt

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def score(page, item, value: str) -> None:
    """Tap a score button: the label of the hidden radio input (Bootstrap's btn-check)."""
    page.locator(f"label[for='item-{item.pk}-{value}']").click()


def test_opleider_scores_offline_and_nothing_is_lost_then_the_student_reads_it(
    phone, world, browser, live_server
):
    page = phone
    log_in(page, "opleider@school.example")
    page.goto(f"/trajectories/{world.opleiden.public_id}/")
    page.get_by_role("link", name="Lesbezoek plannen").click()
    when = timezone.localtime() + datetime.timedelta(days=1)
    page.get_by_label("Datum en tijd").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Klas", exact=True).fill("2B")
    page.get_by_role("button", name="Bezoek plannen").click()
    expect(page.get_by_role("status").first).to_contain_text("Het lesbezoek is gepland.")

    page.get_by_role("button", name="Beginnen met observeren").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Observatie van")
    assert not serious_violations(page), serious_violations(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the form scrolls sideways on a phone ({width}px)"

    items = list(icalt().items.filter(domain__is_teaching=True).order_by("number"))
    half = len(items) // 2
    status = page.locator("#save-status")
    for item in items[:half]:
        score(page, item, "3")
    expect(status).to_contain_text("Opgeslagen om")

    page.context.set_offline(True)
    for item in items[half:-1]:
        score(page, item, "2")
    score(page, items[-1], "no")
    page.get_by_label("Minuut").fill("14")
    page.get_by_label("Wat er gebeurde").fill("Sterke uitleg met een voorbeeld op het bord")
    page.get_by_role("button", name="Moment toevoegen").click()
    expect(status).to_contain_text("Offline")
    screenshot(page, "observation-offline-phone")
    observation = Observation.objects.get()
    assert observation.scores.count() == half, "offline changes must not have reached the server"

    # Leaving now would lose the unsent changes: the browser asks first, and we stay.
    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert not page.is_closed()
    page.remove_listener("dialog", stay)

    page.context.set_offline(False)
    expect(status).to_contain_text("Opgeslagen om", timeout=15_000)
    assert observation.scores.exclude(score__isnull=True, not_observed=False).count() == len(items)
    assert KeyMoment.objects.get(observation=observation).minute == 14

    page.get_by_role("button", name="Observatie definitief maken").click()
    expect(page.get_by_role("status").first).to_contain_text("definitief")
    observation.refresh_from_db()
    assert observation.status == ObservationStatus.FINAL

    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 390, "height": 844}
    )
    student = context.new_page()
    log_in(student, "student_teacher@school.example")
    student.goto(f"/observations/{observation.public_id}/")
    expect(student.get_by_role("heading", level=1)).to_contain_text("Observatie van")
    expect(student.get_by_text("Sterke uitleg met een voorbeeld op het bord")).to_be_visible()
    expect(student.get_by_text(re.compile("niet waargenomen"))).not_to_have_count(0)
    assert not serious_violations(student), serious_violations(student)
    screenshot(student, "observation-student-phone")

    # Growth and the suggested focus: the first items not yet shown, in ICALT's order.
    student.goto(f"/trajectories/{world.opleiden.public_id}/analysis/")
    expect(student.locator("svg[role=img]").first).to_be_visible()
    expect(student.locator("table").first).to_be_visible()
    expect(student.get_by_text(items[half].text_nl).first).to_be_visible()
    assert not serious_violations(student), serious_violations(student)
    screenshot(student, "analysis-student-phone")
    context.close()


def test_two_tabs_never_overwrite_each_other(page, world, browser, live_server):
    """The second tab, still on the old version, is told and keeps its change."""
    from tests.factories import LessonVisitFactory, ObservationFactory

    observation = ObservationFactory(visit=LessonVisitFactory(trajectory=world.opleiden))
    first_item, second_item = icalt().items.order_by("number")[:2]
    log_in(page, "opleider@school.example")
    url = f"/observations/{observation.public_id}/"
    page.goto(url)
    other = page.context.new_page()
    other.goto(url)

    score(page, first_item, "4")
    expect(page.locator("#save-status")).to_contain_text("Opgeslagen om")
    score(other, second_item, "1")
    expect(other.locator("#save-status")).to_contain_text("Niet opgeslagen")
    expect(other.get_by_role("button", name="Mijn wijzigingen bewaren")).to_be_visible()
    observation.refresh_from_db()
    assert list(observation.scores.values_list("item_id", "score")) == [(first_item.pk, 4)]

    other.get_by_role("button", name="Mijn wijzigingen bewaren").click()
    expect(other.locator("#save-status")).to_contain_text("Opgeslagen om")
    assert dict(observation.scores.values_list("item_id", "score")) == {
        first_item.pk: 4,
        second_item.pk: 1,
    }
