"""The conversation report as a PDF: what it shows (and what it must not), in which language,
as an accessible A4 document, made from a fixed number of queries, and safe with whatever
people typed into it.

Every report here is made the way a user gets one: the request service queues the job and the
real task body renders it with WeasyPrint, in this process, after the (captured) commit.
"""

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from mentoring.models import ReportStatus
from mentoring.pdf import render_pdf
from mentoring.reports import reports_storage
from observations.models import KeyMoment, VisitStatus
from reflection import phases, services
from reflection.models import ConversationReport, CycleKind, ReportConfirmation
from reflection.reports import TEMPLATE, conversation_report_context
from tests.conftest import DRAFT_REFLECTION
from tests.factories import (
    AgreementFactory,
    ConversationFactory,
    ConversationReportFactory,
    LessonVisitFactory,
    ReflectionCycleFactory,
    icalt,
)
from tests.mentoring.test_pdf import local_secrets, pdf_text, recorder, ssrf_corpus  # noqa: F401
from tests.observations.test_insights import final_observation

pytestmark = pytest.mark.django_db

HELD_ON = datetime.date(2026, 10, 2)
LESSON_AT = datetime.datetime(2026, 10, 1, 8, 30, tzinfo=datetime.UTC)  # 10:30 in Amsterdam
NEXT_VISIT_AT = datetime.datetime(2026, 10, 20, 7, 0, tzinfo=datetime.UTC)  # 09:00 there

# Focus items of the visit and the scores the observer gave them (None: not observed).
FOCUS_SCORES = {3: 4, 10: 2, 22: None}
KEY_MOMENTS = (
    (7, "strength", "Rustige start: iedereen zat binnen een minuut met het boek open."),
    (31, "question", "Waarom bleef de groep achterin stil tijdens de uitleg over mitose?"),
)
REFLECTION = "Ik merkte dat mijn uitleg over de celcyclus te snel ging voor de helft van de klas."
AGREEMENTS = (
    ("student_teacher", "Bij de volgende les een startopdracht op het bord zetten"),
    ("opleider", "Volgende week meekijken bij de uitleg en daarna kort nabespreken"),
)


def flat(text: str) -> str:
    """The text with every run of whitespace as one space: lines wrap where the page ends."""
    return " ".join(text.split())


def unspaced(text: str) -> str:
    """The text without any whitespace: a long word may be broken anywhere on the page."""
    return "".join(text.split())


def make_report(
    capture, conversation, *, by, language: str = "en"
) -> tuple[ConversationReport, bytes]:
    """Ask for the report as `by` would and let the job run; returns the row and the PDF."""
    with capture(execute=True):
        report, created = services.conversation_report_request(
            actor=by, conversation=conversation, language=language
        )
    assert created
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    with reports_storage().open(report.file_name, "rb") as file:
        return report, file.read()


def name(world, persona: str, full_name: str):
    person = world.people[persona]
    person.full_name = full_name
    person.save(update_fields=["full_name"])
    return person


def observed_lesson(trajectory, **visit_fields):
    """A held lesson with the FOCUS_SCORES items as its focus, and a final observation that
    scores them so (every other item 3)."""
    visit = LessonVisitFactory(
        trajectory=trajectory, status=VisitStatus.HELD, starts_at=LESSON_AT, **visit_fields
    )
    items = {item.number: item for item in icalt().items.all()}
    visit.focus_items.set([items[number] for number in FOCUS_SCORES])
    return visit, final_observation(visit, dict.fromkeys(items, 3) | FOCUS_SCORES)


@pytest.fixture
def nagesprek(world, schoolopleider):
    """A nagesprek with all a report shows: three participants, a held lesson with focus items
    and a final observation that scores them, key moments, a shared reflection, topics, notes,
    two agreements, and a next visit planned."""
    student = name(world, "student_teacher", "Sem Jansen")
    opleider = name(world, "opleider", "Anouk de Vries")
    schoolopleider.full_name = "Noor Bakker"
    schoolopleider.save(update_fields=["full_name"])
    visit, observation = observed_lesson(
        world.opleiden,
        class_name="3H",
        subject="aardrijkskunde",
        lesson_goal="Leerlingen kunnen uitleggen waarom rivieren meanderen.",
    )
    for minute, kind, text in KEY_MOMENTS:
        KeyMoment.objects.create(observation=observation, minute=minute, kind=kind, text=text)
    LessonVisitFactory(trajectory=world.opleiden, starts_at=NEXT_VISIT_AT)
    cycle = ReflectionCycleFactory(
        trajectory=world.opleiden, shared=True, title="Te snel uitgelegd", awareness=REFLECTION
    )
    conversation = ConversationFactory(
        trajectory=world.opleiden,
        visit=visit,
        observation=observation,
        cycle=cycle,
        held_on=HELD_ON,
        topics="De uitleg over meanderende rivieren en de vragen achterin",
        notes="Sem wil de uitleg opdelen in drie korte stappen met een check na elke stap.",
        participants=[student, opleider, schoolopleider],
    )
    for persona, what in AGREEMENTS:
        AgreementFactory(conversation=conversation, what=what, who=world.people[persona])
    return conversation


# --- What the report shows -------------------------------------------------------------------


def test_report_shows_participants_lesson_scores_moments_reflection_and_agreements(
    world, nagesprek, django_capture_on_commit_callbacks
):
    _report, pdf = make_report(
        django_capture_on_commit_callbacks, nagesprek, by=world.people["opleider"]
    )
    text = flat(pdf_text(pdf))

    assert "Het Baken College" in text
    assert "2026-2027" in text
    # Participants with their roles (these two role names are the same in both languages).
    assert "Anouk de Vries (werkplekbegeleider)" in text
    assert "Noor Bakker (schoolopleider)" in text
    assert "Sem Jansen" in text
    # The lesson.
    assert "3H" in text
    assert "aardrijkskunde" in text
    assert "Leerlingen kunnen uitleggen waarom rivieren meanderen." in text
    # The focus items with the scores they were given.
    items = {item.number: item for item in icalt().items.all()}
    assert f"3. {items[3].text_en} 4" in text
    assert f"10. {items[10].text_en} 2" in text
    assert f"22. {items[22].text_en} not observed" in text
    # Key moments, with their minute.
    for minute, _kind, moment in KEY_MOMENTS:
        assert f"Minute {minute}" in text
        assert moment in text
    # What was talked about, and the reflection that was shared.
    assert nagesprek.topics in text
    assert nagesprek.notes in text
    assert "Te snel uitgelegd" in text
    assert REFLECTION in text
    # The agreements: what, and who.
    for persona, what in AGREEMENTS:
        assert f"{what} {world.people[persona].full_name}" in text
    assert "Next lesson visit: Tuesday 20 October 2026, 09:00." in text
    # Seen and agreed: nobody has confirmed yet.
    assert text.count("not confirmed yet") == 3


@pytest.mark.parametrize("how", ["never shared", "withdrawn"])
def test_report_leaves_out_a_reflection_that_is_not_shared(
    world, how, django_capture_on_commit_callbacks
):
    if how == "never shared":
        cycle = world.opleiden_draft
    else:
        cycle = ReflectionCycleFactory(
            trajectory=world.opleiden,
            shared=True,
            title=f"{DRAFT_REFLECTION} [title]",
            action=f"{DRAFT_REFLECTION} [action]",
        )
    conversation = ConversationFactory(trajectory=world.opleiden, cycle=cycle)
    if how == "withdrawn":
        services.cycle_withdraw(actor=world.people["student_teacher"], cycle=cycle)

    _report, pdf = make_report(
        django_capture_on_commit_callbacks, conversation, by=world.people["opleider"]
    )

    text = pdf_text(pdf)
    assert conversation.topics in flat(text)  # the report itself was made
    assert "SENTINEL-concept-reflectie" not in text
    assert "Reflection discussed" not in text


def test_coachgesprek_report_has_no_lesson_section(world, django_capture_on_commit_callbacks):
    conversation = world.coaching_conversation

    _report, pdf = make_report(
        django_capture_on_commit_callbacks, conversation, by=world.people["coach"]
    )

    text = flat(pdf_text(pdf))
    assert "coachgesprek" in text.lower()
    assert "SENTINEL-coaching-7f3a" in text  # topics, notes and the shared cycle are there
    assert "The lesson" not in text
    assert "Observation by" not in text
    assert "Lesson goal" not in text


def test_coachgesprek_about_an_observation_shows_the_scores_of_that_lesson(
    world, django_capture_on_commit_callbacks
):
    """A coachgesprek has no visit of its own, but may discuss an observation: its focus
    items come from the observed lesson (this once crashed the render)."""
    _visit, observation = observed_lesson(world.coaching)
    items = {item.number: item for item in icalt().items.all()}
    conversation = ConversationFactory(trajectory=world.coaching, observation=observation)
    assert conversation.visit is None

    _report, pdf = make_report(
        django_capture_on_commit_callbacks, conversation, by=world.people["coach"], language="nl"
    )

    text = flat(pdf_text(pdf))
    assert "Aandachtspunten van dit lesbezoek" in text  # from the compiled Dutch catalogue
    for number in FOCUS_SCORES:
        assert f"{number}. {items[number].text_nl[:20]}" in text


# --- Language -------------------------------------------------------------------------------


def test_report_in_english_has_english_headings_and_dates(
    world, nagesprek, django_capture_on_commit_callbacks
):
    report, pdf = make_report(
        django_capture_on_commit_callbacks, nagesprek, by=world.people["opleider"], language="en"
    )
    text = flat(pdf_text(pdf))

    html = render_pdf(
        template_name=TEMPLATE,
        context=conversation_report_context(nagesprek.pk, report=report),
        language="en",
    ).html
    assert '<html lang="en">' in html
    for heading in ("Conversation report", "The lesson", "Agreements", "Seen and agreed"):
        assert heading in text
    assert "Friday 2 October 2026" in text
    assert "Afspraken" not in text


def test_report_in_english_shows_roles_questions_and_chart_in_english(
    world, nagesprek, django_capture_on_commit_callbacks
):
    """Everything the context builder words (roles, the reflection's questions, the chart's
    domain names) follows the report's language, not the language the worker happens to run
    in (Dutch, the site's default)."""
    _report, pdf = make_report(
        django_capture_on_commit_callbacks, nagesprek, by=world.people["opleider"], language="en"
    )
    text = flat(pdf_text(pdf))

    assert "Sem Jansen (student teacher)" in text
    assert "3. Awareness of essential aspects" in text
    assert "What is essential here?" in text
    domain = icalt().domains.get(number=1)
    assert domain.name_en in text
    assert domain.name_nl not in text


def test_report_in_dutch_is_marked_dutch_and_has_dutch_dates(
    world, nagesprek, django_capture_on_commit_callbacks
):
    report, pdf = make_report(
        django_capture_on_commit_callbacks, nagesprek, by=world.people["opleider"], language="nl"
    )
    text = flat(pdf_text(pdf))

    html = render_pdf(
        template_name=TEMPLATE,
        context=conversation_report_context(nagesprek.pk, report=report),
        language="nl",
    ).html
    assert '<html lang="nl">' in html
    # Month and weekday names come from Django's own catalogue: stable.
    assert "vrijdag 2 oktober 2026" in text
    assert "October" not in text
    # Depends on our Dutch catalogue (locale/nl, compiled by `make messages`): "Agreements".
    assert "Afspraken" in text


# --- The document ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_report_is_a_tagged_a4_pdf_with_page_numbers(
    world, nagesprek, language, django_capture_on_commit_callbacks
):
    _report, pdf = make_report(
        django_capture_on_commit_callbacks,
        nagesprek,
        by=world.people["opleider"],
        language=language,
    )
    reader = PdfReader(io.BytesIO(pdf))

    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    assert catalog["/Lang"] == language
    for page in reader.pages:
        width, height = (float(v) for v in page.mediabox.upper_right)
        assert (round(width), round(height)) == (595, 842)
    pages = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"{number} / {pages}" in text
        assert "Het Baken College" in text  # the school in every page's header


# --- User text cannot make the renderer fetch anything ---------------------------------------


def corpus_within(base: str, limit: int) -> str:
    """As much of the SSRF corpus as a field of `limit` characters holds: short probes first,
    then the corpus's own lines, each whole."""
    short_probes = [
        f"<img src={base}/p>",
        "<img src=file:///etc/passwd>",
        f"<link rel=attachment href={base}/a>",
        f"<style>@import '{base}/i';</style>",
        f"<svg><image href={base}/s /></svg>",
    ]
    chosen: list[str] = []
    for probe in [*short_probes, *ssrf_corpus(base).splitlines()]:
        if len("\n".join([*chosen, probe])) <= limit:
            chosen.append(probe)
    return "\n".join(chosen)


@pytest.mark.parametrize("kind", [CycleKind.ALACT, CycleKind.CORE])
def test_ssrf_corpus_in_every_text_of_the_report_fetches_nothing(
    world,
    schoolopleider,
    recorder,  # noqa: F811 -- the fixture imported from tests/mentoring/test_pdf.py
    kind,
    django_capture_on_commit_callbacks,
):
    corpus = ssrf_corpus(recorder.base)
    names = corpus_within(recorder.base, 150)
    for persona in ("opleider", "student_teacher"):
        name(world, persona, names)
    schoolopleider.full_name = names
    schoolopleider.save(update_fields=["full_name"])
    class_name = f"<img src={recorder.base}/c>"
    own_words = f"<img src={recorder.base}/core-quality>"  # a core quality of one's own
    assert len(class_name) <= 40
    visit = LessonVisitFactory(
        trajectory=world.opleiden,
        status=VisitStatus.HELD,
        starts_at=timezone.now() - datetime.timedelta(days=1),
        class_name=class_name,
        subject=corpus_within(recorder.base, 100),
        lesson_goal=corpus,
    )
    items = list(icalt().items.all())
    visit.focus_items.set(items[:3])
    observation = final_observation(visit, {item.number: 2 for item in items})
    KeyMoment.objects.create(observation=observation, minute=5, kind="strength", text=corpus)
    KeyMoment.objects.create(observation=observation, minute=9, kind="question", text=corpus)
    cycle = ReflectionCycleFactory(
        trajectory=world.opleiden,
        kind=kind,
        shared=True,
        title=corpus_within(recorder.base, 200),
        core_qualities=[own_words, *corpus.splitlines()] if kind == CycleKind.CORE else [],
        **dict.fromkeys(phases.text_limits(kind), corpus),
    )
    conversation = ConversationFactory(
        trajectory=world.opleiden,
        visit=visit,
        observation=observation,
        cycle=cycle,
        topics=corpus,
        notes=corpus,
        participants=[world.people["student_teacher"], world.people["opleider"], schoolopleider],
    )
    for persona in ("student_teacher", "opleider"):
        AgreementFactory(
            conversation=conversation,
            what=corpus_within(recorder.base, 500),
            who=world.people[persona],
        )

    _report, pdf = make_report(
        django_capture_on_commit_callbacks, conversation, by=world.people["opleider"]
    )

    assert recorder.requests == []
    assert PdfReader(io.BytesIO(pdf)).attachments == {}
    text = pdf_text(pdf)
    for secret in local_secrets():
        assert secret not in text
    # What people typed is shown as the text they typed, every line of it.
    for line in corpus.splitlines():
        assert unspaced(line) in unspaced(text)
    assert unspaced(class_name) in unspaced(text)
    assert unspaced(names) in unspaced(text)
    if kind == CycleKind.CORE:
        assert unspaced(own_words) in unspaced(text)


# --- The context builder reads a fixed number of queries --------------------------------------


def conversation_of_size(world, schoolopleider, size: int):
    """A nagesprek with `size` of everything a report lists (participants at most three: the
    pair and the schoolopleider), a long shared cycle and a report with confirmations."""
    visit = LessonVisitFactory(
        trajectory=world.opleiden,
        status=VisitStatus.HELD,
        starts_at=timezone.now() - datetime.timedelta(days=1),
    )
    items = list(icalt().items.all())
    visit.focus_items.set(items[:size])
    observation = final_observation(visit, {item.number: 1 + item.number % 4 for item in items})
    KeyMoment.objects.bulk_create(
        KeyMoment(observation=observation, minute=minute, kind="strength", text=f"Moment {minute}")
        for minute in range(size)
    )
    LessonVisitFactory(trajectory=world.opleiden)  # planned: the next visit
    cycle = ReflectionCycleFactory(
        trajectory=world.opleiden,
        shared=True,
        **{field: "x" * limit for field, limit in phases.text_limits(CycleKind.ALACT).items()},
    )
    pair = [world.people["student_teacher"], world.people["opleider"]]
    participants = pair if size == 1 else [*pair, schoolopleider]
    conversation = ConversationFactory(
        trajectory=world.opleiden,
        visit=visit,
        observation=observation,
        cycle=cycle,
        participants=participants,
    )
    for number in range(size):
        AgreementFactory(
            conversation=conversation, what=f"Afspraak {number}", who=participants[number % 2]
        )
    report = ConversationReportFactory(conversation=conversation, done=True)
    for person in participants[:size]:
        ReportConfirmation.objects.create(report=report, user=person)
    return conversation, report


def test_context_builder_reads_the_same_number_of_queries_for_any_size(
    world, schoolopleider, django_assert_num_queries
):
    small = conversation_of_size(world, schoolopleider, 1)
    large = conversation_of_size(world, schoolopleider, 30)

    # 1. the conversation with its trajectory, school, year, teacher, begeleider and role,
    #    visit, cycle, observation, its instrument, observer and visit (one join)
    # 2. its participants  3. its agreements with who  4. the visit's focus items
    # 5. the observed visit's focus items  6. the observation's key moments
    # 7. the report's confirmations with who
    # 8. the instrument's items with their domains  9. the instrument's scale values
    # 10. the observation's item scores  11. the newest calibration of the instrument
    # 12. the next planned visit of the trajectory
    for conversation, report in (small, large):
        with django_assert_num_queries(12):
            context = conversation_report_context(conversation.pk, report=report)
        assert len(context["agreements"]) == conversation.agreements.count()
