"""A student teacher reflects on an observed lesson with ALACT, shares it, and the opleider
responds, records the nagesprek with agreements, and the spiral continues in a next cycle.

Everything the two people do happens in the browser, in Dutch; only the observed lesson is
made beforehand (through the observation services) and the database is read for assertions.
Separately: two tabs on one reflection never overwrite each other silently, and a dropped
connection loses nothing and leaves nothing behind in the browser's storage.
"""

import datetime
import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from observations import services as observation_services
from observations.models import Observation, ObservationStatus, VisitStatus
from reflection.models import Agreement, CommentKind, Conversation, CycleStatus, ReflectionCycle
from tests.browser.conftest import open_page, screenshot
from tests.browser.test_foundation_journeys import log_in, serious_violations
from tests.factories import LessonVisitFactory, icalt

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOMENT_STRENGTH = "Rustige, heldere uitleg van de celdeling met een tekening op het bord"
MOMENT_QUESTION = "Na tien minuten praatten de leerlingen achterin door de instructie heen"

TITLE = "Onrust bij de start in 3H"
ACTION = "De les begon rommelig: de helft van de klas had de opdracht niet gelezen."
# Phase 2: the context and the eight questions, by field name and Dutch label.
LOOKING_BACK = {
    "context": ("Wat was de context?", "Derde uur, na de gymles, 28 leerlingen."),
    "want_self": ("Wat wilde ik?", "Ik wilde meteen met de uitleg beginnen."),
    "do_self": ("Wat deed ik?", "Ik praatte boven het rumoer uit."),
    "think_self": ("Wat dacht ik?", "Dit gaat mis, ik verlies ze."),
    "feel_self": ("Wat voelde ik?", "Ik voelde me gehaast en gespannen."),
    "want_pupils": ("Wat wilden de leerlingen?", "Ze wilden eerst bijpraten over de gymles."),
    "do_pupils": ("Wat deden de leerlingen?", "Ze pakten hun spullen langzaam uit."),
    "think_pupils": ("Wat dachten de leerlingen?", "De les is nog niet echt begonnen."),
    "feel_pupils": ("Wat voelden de leerlingen?", "Ze waren druk en nog buiten adem."),
}
AWARENESS = "Ik begon met praten voordat de klas klaar was om te luisteren."
ALTERNATIVES = "Een startopdracht op het bord; bij de deur ontvangen; eerst stilte afwachten."
INTENTION = "Ik zet een startopdracht op het bord en begin pas als iedereen werkt."
TRIAL = "De startopdracht werkte: na drie minuten was het stil en kon ik beginnen."

QUESTION = "Wat merkte je aan jezelf op het moment dat je boven de klas uit ging praten?"
REPLY = "Dat ik de controle wilde houden, terwijl ik die juist kwijtraakte."
NOTES = "Besproken: de startopdracht en het ontvangen bij de deur. Volgende week weer kijken."
STUDENT_AGREEMENT = "Startopdracht voorbereiden voor alle lessen in 3H"
OPLEIDER_AGREEMENT = "Volgende les in 3H opnieuw bezoeken, alleen de start"


def held_lesson(world) -> Observation:
    """A lesson of the student teacher that took place yesterday, with the opleider's final
    ICALT observation: every teaching item scored, and two key moments."""
    opleider = world.people["opleider"]
    visit = LessonVisitFactory(
        trajectory=world.opleiden,
        starts_at=timezone.now() - datetime.timedelta(days=1),
        class_name="3H",
    )
    instrument = icalt()
    observation = observation_services.observation_start(
        actor=opleider, visit=visit, instrument=instrument
    )
    items = instrument.items.filter(domain__is_teaching=True).order_by("number")
    changes = [{"type": "score", "item": item.pk, "score": 1 + item.number % 4} for item in items]
    changes += [
        {"type": "key_moment", "minute": 6, "kind": "strength", "text": MOMENT_STRENGTH},
        {"type": "key_moment", "minute": 11, "kind": "question", "text": MOMENT_QUESTION},
    ]
    observation = observation_services.observation_apply(
        actor=opleider, observation=observation, version=observation.version, changes=changes
    )
    observation = observation_services.observation_finalise(
        actor=opleider, observation=observation, version=observation.version
    )
    visit.refresh_from_db()
    assert visit.status == VisitStatus.HELD
    assert observation.status == ObservationStatus.FINAL
    return observation


def eventually(check, timeout: float = 10.0) -> None:
    """Wait until `check()` (a database read) holds: the browser's answer may arrive a moment
    before or after the status text the test waited for."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            check()
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.1)


def wait_saved(page) -> None:
    """Everything typed has been sent: the status says when it was saved."""
    status = page.locator("#save-status")
    expect(status).to_have_attribute("data-state", "saved", timeout=15_000)
    expect(status).to_contain_text("Opgeslagen om")


def message(page, text: str) -> None:
    expect(page.locator(".messages")).to_contain_text(text)


def section(page, key: str):
    return page.locator(f"section[aria-labelledby='section-{key}']")


def add_agreement(page, what: str, who: str, due: datetime.date | None) -> None:
    form = page.locator("form[action$='/agreements/']")
    form.get_by_label("Wat").fill(what)
    form.get_by_label("Wie").select_option(label=who)
    if due:
        form.get_by_label("Wanneer klaar").fill(due.isoformat())
    form.get_by_role("button", name="Afspraak toevoegen").click()
    message(page, "De afspraak is toegevoegd.")


def _assert_field(obj, name: str, text: str) -> None:
    obj.refresh_from_db()
    assert getattr(obj, name) == text


def _assert_fields(obj, expected: dict[str, str]) -> None:
    obj.refresh_from_db()
    assert {name: getattr(obj, name) for name in expected} == expected


# htmx (loaded on every page) notes the current path in sessionStorage when it loads; that is
# the page's address, not anything typed in it.
HTMX_PATH_KEY = "htmx-current-path-for-history"


def assert_nothing_stored(page, text: str) -> None:
    local = page.evaluate("Object.entries(localStorage)")
    session = dict(page.evaluate("Object.entries(sessionStorage)"))
    assert local == [], f"localStorage holds {local}"
    assert set(session) <= {HTMX_PATH_KEY}, f"sessionStorage holds {session}"
    assert not any(text in value for value in session.values())
    assert page.evaluate("indexedDB.databases().then((dbs) => dbs.length)") == 0


def start_reflection(page, title: str) -> ReflectionCycle:
    """A new ALACT reflection from the reflections page, as its author would start one."""
    page.goto("/reflections/")
    page.get_by_role("link", name="Nieuwe reflectie").click()
    page.get_by_label("ALACT-cyclus").check()
    page.get_by_label("Titel").fill(title)
    page.get_by_role("button", name="Reflectie beginnen").click()
    message(page, "Je reflectie is begonnen")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    return ReflectionCycle.objects.get(title=title)


def test_student_reflects_opleider_responds_and_the_spiral_continues(
    page, world, browser, live_server
):
    student = world.people["student_teacher"]
    opleider = world.people["opleider"]
    observation = held_lesson(world)
    visit = observation.visit

    # --- The student teacher reflects on the observed lesson. ---------------------------------
    log_in(page, "student_teacher@school.example")
    page.goto(f"/visits/{visit.public_id}/")
    page.get_by_role("link", name="Reflecteer op deze les").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe reflectie")
    expect(page.get_by_label("ALACT-cyclus")).to_be_checked()
    page.get_by_label("Titel").fill(TITLE)
    page.get_by_role("button", name="Reflectie beginnen").click()
    message(page, "Je reflectie is begonnen")
    cycle = ReflectionCycle.objects.get()
    assert (cycle.owner, cycle.visit, cycle.trajectory) == (student, visit, world.opleiden)
    assert cycle.status == CycleStatus.DRAFT

    # Beside the form: the observation's domain profile (an SVG) and its key moments.
    aside = page.get_by_role("complementary", name="De observatie van deze les")
    expect(aside.locator("svg[role=img]")).to_be_visible()
    expect(aside.get_by_text(MOMENT_STRENGTH)).to_be_visible()
    expect(aside.get_by_text(MOMENT_QUESTION)).to_be_visible()
    expect(aside.get_by_role("heading", name="Domeinprofiel")).to_be_visible()

    # Phase 1, typed key by key (the autosave waits for a pause in the typing).
    action = page.get_by_label("Wat gebeurde er?")
    action.press_sequentially(ACTION, delay=5)
    counter = page.locator("[data-counter-for='field-action']")
    expect(counter).to_be_visible()
    expect(counter).to_have_text(f"{len(ACTION)} van 5.000 tekens")
    expect(action).to_have_attribute("aria-describedby", re.compile("field-action-counter"))
    wait_saved(page)
    eventually(lambda: _assert_field(cycle, "action", ACTION))

    # Phase 2: the context and the eight questions; phase 3; phase 4 with the intention.
    for label, text in LOOKING_BACK.values():
        page.get_by_label(label, exact=True).fill(text)
    page.get_by_label("Wat is hier essentieel?").fill(AWARENESS)
    page.get_by_label("Welke alternatieven zie je?").fill(ALTERNATIVES)
    page.get_by_label("Wat neem je je voor?").fill(INTENTION)
    page.get_by_label("Titel").click()  # leaving the field sends it at once
    wait_saved(page)
    expected = {name: text for name, (_label, text) in LOOKING_BACK.items()}
    expected.update(awareness=AWARENESS, alternatives=ALTERNATIVES, intention=INTENTION)
    eventually(lambda: _assert_fields(cycle, expected))
    screenshot(page, "reflection-form-desktop")
    assert serious_violations(page) == []

    # On a phone: the observation folds away above the form and nothing scrolls sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.get_by_label("Wat neem je je voor?")).to_have_value(INTENTION)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the reflection form scrolls sideways on a phone ({width}px)"
    assert serious_violations(page) == []
    screenshot(page, "reflection-form-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Delen met mijn begeleider").click()
    message(page, "Je reflectie is gedeeld")
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.SHARED

    # --- The opleider finds it and asks a question on phase 3. --------------------------------
    context, mentor = open_page(browser, live_server)
    try:
        log_in(mentor, "opleider@school.example")
        waiting = mentor.locator("section[aria-labelledby='waiting-reflections']")
        expect(waiting.get_by_role("heading")).to_have_text("Gedeelde reflecties die op je wachten")
        expect(waiting.get_by_role("link", name=TITLE)).to_be_visible()
        mentor.goto("/reflections/")
        shared = mentor.locator("section[aria-labelledby='shared-heading']")
        expect(shared.get_by_role("heading", level=2)).to_have_text("Gedeeld met mij")
        shared.get_by_role("link", name=TITLE).click()
        expect(mentor.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(mentor.get_by_text(AWARENESS)).to_be_visible()
        expect(mentor.get_by_text(LOOKING_BACK["feel_pupils"][1])).to_be_visible()

        awareness = section(mentor, "awareness")
        awareness.get_by_text("Reageer op deze fase of stel een vraag").click()
        awareness.get_by_label("Vraag", exact=True).check()
        awareness.get_by_label("Je opmerking of vraag").fill(QUESTION)
        awareness.get_by_role("button", name="Toevoegen").click()
        message(mentor, "Je vraag is toegevoegd.")
        comment = cycle.comments.get()
        assert (comment.author, comment.kind, comment.phase) == (
            opleider,
            CommentKind.QUESTION,
            "awareness",
        )
        assert serious_violations(mentor) == []
        screenshot(mentor, "reflection-shared-opleider")

        # The student teacher sees the question under phase 3 and replies.
        page.reload()
        awareness = section(page, "awareness")
        expect(awareness.get_by_text(QUESTION)).to_be_visible()
        awareness.get_by_text("Antwoorden", exact=True).click()
        awareness.get_by_label(f"Je antwoord aan {opleider.full_name}").fill(REPLY)
        awareness.get_by_role("button", name="Antwoord versturen").click()
        message(page, "Je antwoord is toegevoegd.")
        reply = cycle.comments.get(parent=comment)
        assert (reply.author, reply.kind) == (student, CommentKind.REPLY)
        mentor.reload()
        expect(section(mentor, "awareness").get_by_text(REPLY)).to_be_visible()

        # --- The nagesprek, recorded by the opleider from the lesson visit. -------------------
        mentor.goto(f"/visits/{visit.public_id}/")
        mentor.get_by_role("link", name="Nagesprek vastleggen").click()
        mentor.get_by_label("Onderwerpen").fill("De start van de les in 3H")
        mentor.get_by_label("Besproken reflectie").select_option(label=f"Reflectie: {TITLE}")
        mentor.get_by_label("Besproken observatie").select_option(index=1)
        mentor.get_by_role("button", name="Gesprek toevoegen").click()
        message(mentor, "Het gesprek is toegevoegd.")
        conversation = Conversation.objects.get()
        assert (conversation.visit, conversation.cycle, conversation.observation) == (
            visit,
            cycle,
            observation,
        )
        assert set(conversation.participants.all()) == {student, opleider}

        mentor.get_by_label("Aantekeningen").fill(NOTES)
        mentor.get_by_label("Onderwerpen").click()
        wait_saved(mentor)
        eventually(lambda: _assert_field(conversation, "notes", NOTES))

        due = timezone.localdate() + datetime.timedelta(days=7)
        add_agreement(mentor, STUDENT_AGREEMENT, student.full_name, due)
        add_agreement(mentor, OPLEIDER_AGREEMENT, opleider.full_name, None)
        agreements = mentor.locator("section[aria-labelledby='agreements']")
        expect(agreements.get_by_text(STUDENT_AGREEMENT, exact=True)).to_be_visible()
        expect(agreements.get_by_text(OPLEIDER_AGREEMENT, exact=True)).to_be_visible()
        assert {(a.what, a.who, a.due_on) for a in Agreement.objects.all()} == {
            (STUDENT_AGREEMENT, student, due),
            (OPLEIDER_AGREEMENT, opleider, None),
        }
        assert serious_violations(mentor) == []
        screenshot(mentor, "nagesprek-opleider")

        # The opleider marks the reflection discussed, reached from the nagesprek.
        mentor.get_by_role("link", name=TITLE).click()
        mentor.get_by_role("button", name="Markeren als besproken").click()
        message(mentor, "De reflectie is gemarkeerd als besproken.")
        cycle.refresh_from_db()
        assert cycle.status == CycleStatus.DISCUSSED

        # --- Phase 5: after the nagesprek the student tries the intention out in a lesson and
        # writes how it went; the phases that were discussed are no longer fields.
        page.reload()
        expect(page.get_by_label("Wat gebeurde er?")).to_have_count(0)
        page.get_by_label("Hoe ging het uitproberen?").fill(TRIAL)
        page.get_by_label("Hoe ging het uitproberen?").blur()
        wait_saved(page)
        eventually(lambda: _assert_field(cycle, "trial", TRIAL))
        mentor.reload()
        expect(mentor.get_by_text(TRIAL)).to_be_visible()

        # --- The spiral: the next cycle starts from the intention and how it went. ------------
        page.reload()
        expect(page.get_by_text(TRIAL)).to_be_visible()
        page.get_by_role("button", name="Start de volgende cyclus").click()
        message(page, "De volgende cyclus is begonnen vanuit je voornemen.")
        following = ReflectionCycle.objects.get(follows=cycle)
        expect(page.get_by_role("heading", level=1)).to_have_text(following.title)
        phase_one = page.get_by_label("Wat gebeurde er?")
        expect(phase_one).to_have_value(re.compile(re.escape(INTENTION)))
        expect(phase_one).to_have_value(re.compile(re.escape(TRIAL)))
        expect(page.get_by_text("Vervolg op:")).to_be_visible()
        page.get_by_role("link", name=TITLE).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(page.get_by_text("Vervolgd in:")).to_be_visible()
        assert (following.owner, following.trajectory, following.status) == (
            student,
            world.opleiden,
            CycleStatus.DRAFT,
        )
        screenshot(page, "reflection-next-cycle")

        # --- Both home pages show both agreements until they are done. ------------------------
        page.goto("/")
        mentor.goto("/")
        for home in (page, mentor):
            card = home.locator("section[aria-labelledby='my-agreements']")
            expect(card.get_by_role("heading")).to_have_text("Afspraken")
            expect(card.get_by_text(STUDENT_AGREEMENT, exact=True)).to_be_visible()
            expect(card.get_by_text(OPLEIDER_AGREEMENT, exact=True)).to_be_visible()
        assert serious_violations(page) == []
        screenshot(page, "home-student-agreements")

        card = page.locator("section[aria-labelledby='my-agreements']")
        # The button's name repeats the agreement for screen readers: "Gedaan: <what>".
        done_button = card.get_by_role(
            "button", name=re.compile(rf"^Gedaan\s*:\s*{re.escape(STUDENT_AGREEMENT)}$")
        )
        done_button.click()
        message(page, "De afspraak is afgevinkt.")
        card = page.locator("section[aria-labelledby='my-agreements']")
        expect(card.get_by_text(STUDENT_AGREEMENT, exact=True)).to_have_count(0)
        expect(card.get_by_text(OPLEIDER_AGREEMENT, exact=True)).to_be_visible()
        mentor.reload()
        card = mentor.locator("section[aria-labelledby='my-agreements']")
        expect(card.get_by_text(STUDENT_AGREEMENT, exact=True)).to_have_count(0)
        expect(card.get_by_text(OPLEIDER_AGREEMENT, exact=True)).to_be_visible()
        done = Agreement.objects.get(what=STUDENT_AGREEMENT)
        assert done.done_by == student and done.done_at is not None
        assert Agreement.objects.get(what=OPLEIDER_AGREEMENT).done_at is None
    finally:
        context.close()


def test_two_tabs_on_one_reflection_show_both_texts_and_overwrite_nothing(page, world):
    """The second tab, opened before the first saved, is refused and shows both texts; the
    first tab's text stays until its author chooses to keep their own."""
    log_in(page, "student_teacher@school.example")
    cycle = start_reflection(page, "Twee tabbladen")
    other = page.context.new_page()
    other.goto(f"/reflections/{cycle.public_id}/")
    expect(other.get_by_role("heading", level=1)).to_have_text("Twee tabbladen")

    first = "Tabblad 1: de kern is dat ik te snel begon."
    second = "Tabblad 2: de kern is dat de klas niet wist wat er van ze verwacht werd."
    page.get_by_label("Wat is hier essentieel?").fill(first)
    page.get_by_label("Titel").click()
    wait_saved(page)
    eventually(lambda: _assert_field(cycle, "awareness", first))

    other.get_by_label("Wat is hier essentieel?").fill(second)
    other.get_by_label("Titel").click()
    conflict = other.locator("#save-conflict")
    expect(conflict).to_be_visible()
    expect(other.locator("#save-status")).to_contain_text("Niet opgeslagen")
    expect(conflict).to_contain_text("Intussen opgeslagen:")
    expect(conflict).to_contain_text(first)
    expect(conflict).to_contain_text("Jouw tekst:")
    expect(conflict).to_contain_text(second)
    expect(other.get_by_label("Wat is hier essentieel?")).to_have_value(second)
    cycle.refresh_from_db()
    assert cycle.awareness == first, "the second tab must not overwrite the first silently"
    assert serious_violations(other) == []
    screenshot(other, "reflection-two-tabs-conflict")

    other.get_by_role("button", name="Mijn wijzigingen bewaren").click()
    expect(conflict).to_be_hidden()
    wait_saved(other)
    eventually(lambda: _assert_field(cycle, "awareness", second))


def test_writing_offline_keeps_everything_in_the_page_and_saves_when_back(page, world):
    log_in(page, "student_teacher@school.example")
    cycle = start_reflection(page, "Zonder verbinding")
    before = cycle.version
    text = "Geschreven in de trein zonder verbinding: de leerlingen wachtten op mij."

    page.context.set_offline(True)
    page.get_by_label("Wat gebeurde er?").fill(text)
    page.get_by_label("Titel").click()
    status = page.locator("#save-status")
    expect(status).to_contain_text("Offline")
    expect(status).to_contain_text("wijzigingen nog niet verstuurd")
    screenshot(page, "reflection-offline")
    cycle.refresh_from_db()
    assert (cycle.action, cycle.version) == ("", before), "nothing may reach the server offline"
    # The text waits in the page only: nothing in the browser's storage.
    assert_nothing_stored(page, text)

    page.context.set_offline(False)
    wait_saved(page)
    eventually(lambda: _assert_field(cycle, "action", text))
    assert_nothing_stored(page, text)
