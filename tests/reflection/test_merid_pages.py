"""MERID profiles through the pages: a profile is its begeleider's alone (and a colleague's they
share it with, without the other participant's perception), the other participant sees only
the perception they gave, the coding table works without JavaScript and loses nothing, the
estimate must make 100, and the lists and the profile page cost the same however much is in
them.

Who may open which URL at all: tests/permission_matrix.py. The coding and the drawing
themselves: tests/reflection/test_merid.py and test_merid_services.py.
"""

import datetime
from html import escape
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from mentoring.models import AuditEntry
from reflection.models import EstimateKind, MeridInput, MeridProfile, MeridStyle, MeridTopic
from reflection.services import MERID_MAX_MINUTES, merid_profile_create
from tests.conftest import (
    COACH_PERCEPTION,
    COACH_SELF_ESTIMATE,
    COACHING_SENTINEL,
    MERID_CONTENT,
)
from tests.factories import (
    ConversationFactory,
    MeridEstimateFactory,
    MeridProfileFactory,
    MeridShareFactory,
    MeridTopicFactory,
)
from tests.permission_matrix import HX_REQUEST

pytestmark = pytest.mark.django_db

PERCEPTION_FIGURE = 'data-source="perception"'
CODED_FIGURE = 'data-source="coded"'
SELF_FIGURE = 'data-source="self"'

# Everyone at the school who is not the coach, nor the coachee, nor someone it is shared with.
OUTSIDERS = (
    "coordinator",
    "school_leader",
    "procesbegeleider",
    "student_teacher",
    "opleider",
    "other_school_coordinator",
)


def url(name: str, obj) -> str:
    return reverse(name, kwargs={"public_id": obj.public_id})


def dutch(text: str, **values) -> str:
    """A message as the Dutch page shows it (escaped, as the templates write it). The source
    text must be translated: a page that falls back to English fails the assertion."""
    with translation.override("nl"):
        translated = translation.gettext(text)
    assert translated != text, f"not in the Dutch catalogue: {text!r}"
    return escape(translated % values if values else translated)


class _Fields(HTMLParser):
    """The values a form would send: inputs by name, and the selected option of each select."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name"):
            self.values[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select":
            self._select = attrs.get("name")
            self.values.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def fields(response) -> dict[str, str]:
    parser = _Fields()
    parser.feed(response.content.decode())
    return parser.values


def every_merid_page(profile) -> list[tuple[str, dict]]:
    """Every MERID URL of the profile that answers a GET (the POST-only ones answer 405 and
    show nothing), the fragment both as htmx asks for it and without, and the pages where
    profiles are listed."""
    pages = [
        (url(name, profile), {})
        for name in ("merid_detail", "merid_profile", "merid_perception", "merid_delete")
    ]
    return [
        *pages,
        (url("merid_profile", profile), HX_REQUEST),
        (reverse("merid_list"), {}),
        (reverse("home"), {}),
    ]


def the_coachs_profile(world) -> MeridProfile:
    """The coach's profile (labels hold MERID_CONTENT) with the coachee's perception given."""
    return world.coach_perception.profile


# --- Confidentiality -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_nobody_else_at_the_school_sees_a_profile_not_shared_with_them(as_persona, world, persona):
    profile = the_coachs_profile(world)
    client = as_persona(persona)
    for page, headers in every_merid_page(profile):
        response = client.get(page, headers=headers, follow=True)
        content = response.content.decode()
        assert MERID_CONTENT not in content, (persona, page)
        assert COACHING_SENTINEL not in content, (persona, page)
        assert PERCEPTION_FIGURE not in content and CODED_FIGURE not in content, (persona, page)
        assert profile.title not in content, (persona, page)


def test_the_coach_sees_everything_of_their_own_profile(as_persona, world):
    """The walk above can fail: the same pages show the coach their topics and all three
    drawings."""
    profile = the_coachs_profile(world)
    client = as_persona("coach")
    page = client.get(url("merid_detail", profile)).content.decode()
    assert MERID_CONTENT in page
    for figure in (CODED_FIGURE, SELF_FIGURE, PERCEPTION_FIGURE):
        assert figure in page
    assert profile.title in client.get(reverse("merid_list")).content.decode()


def test_a_colleague_it_is_shared_with_sees_the_topics_but_not_the_perception(as_persona, world):
    profile = the_coachs_profile(world)
    assert not world.coach_profile_shared.may_code  # to look at, not to code
    client = as_persona("opleider")

    page = client.get(url("merid_detail", profile)).content.decode()
    assert MERID_CONTENT in page
    assert CODED_FIGURE in page and SELF_FIGURE in page
    assert PERCEPTION_FIGURE not in page
    # Looking only: no coding form, and nothing of the coach's own sections.
    assert 'id="merid-topics"' not in page
    assert url("merid_estimate", profile) not in page
    assert url("merid_share_add", profile) not in page

    fragment = client.get(url("merid_profile", profile), headers=HX_REQUEST).content.decode()
    assert CODED_FIGURE in fragment and PERCEPTION_FIGURE not in fragment

    listed = client.get(reverse("merid_list")).content.decode()
    assert url("merid_detail", profile) in listed and MERID_CONTENT not in listed
    # The perception page stays the coachee's.
    assert client.get(url("merid_perception", profile)).status_code == 403


def test_the_coachee_sees_only_their_own_perception(as_persona, world):
    profile = the_coachs_profile(world)
    client = as_persona("coachee")

    response = client.get(url("merid_perception", profile))
    page = response.content.decode()
    assert response.status_code == 200
    assert PERCEPTION_FIGURE in page
    assert CODED_FIGURE not in page and SELF_FIGURE not in page
    assert MERID_CONTENT not in page
    shown = fields(response)
    assert {role: shown[role] for role in COACH_PERCEPTION} == {
        role: str(value) for role, value in COACH_PERCEPTION.items()
    }
    for role, share in COACH_PERCEPTION.items():
        assert f'data-role="{role}" data-share="{share}"' in page
    # Neither the coach's own estimate (initiator 20) nor the coding (leader 15) is drawn.
    assert 'data-role="initiator" data-share="20"' not in page
    assert 'data-role="imperator" data-share="15"' not in page

    for page_url, headers in every_merid_page(profile):
        content = client.get(page_url, headers=headers, follow=True).content.decode()
        assert MERID_CONTENT not in content, page_url
        assert CODED_FIGURE not in content and SELF_FIGURE not in content, page_url


def test_the_coachee_finds_the_question_on_their_home_page_until_they_answer(as_persona, world):
    profile = world.coach_profile
    client = as_persona("coachee")
    ask = url("merid_perception", profile)
    assert ask not in client.get(reverse("home")).content.decode()

    as_persona("coach").post(url("merid_perception_request", profile))
    client = as_persona("coachee")
    assert ask in client.get(reverse("home")).content.decode()
    assert ask in client.get(reverse("merid_list")).content.decode()

    response = client.post(ask, COACH_PERCEPTION)
    assert response.status_code == 302
    assert ask not in client.get(reverse("home")).content.decode()


# --- Audit -----------------------------------------------------------------------------------


def test_a_colleague_looking_at_a_shared_profile_is_recorded_and_the_owner_is_not(
    as_persona, world
):
    profile = world.coach_profile
    assert world.coach_profile_shared.person == world.people["opleider"]

    assert as_persona("coach").get(url("merid_detail", profile)).status_code == 200
    assert not AuditEntry.objects.filter(action="merid.viewed").exists()

    assert as_persona("opleider").get(url("merid_detail", profile)).status_code == 200
    entry = AuditEntry.objects.get(action="merid.viewed")
    assert entry.actor == world.people["opleider"]
    assert entry.object_id == str(profile.public_id)


# --- The coding table without JavaScript -----------------------------------------------------


@pytest.fixture
def coded(world) -> MeridProfile:
    """A profile of the coach with four topics A, B, C, E (in that order), coded and timed."""
    profile = merid_profile_create(
        actor=world.people["coach"], conversation=ConversationFactory(trajectory=world.coaching)
    )
    for position, label in enumerate("ABCE", start=1):
        MeridTopicFactory(
            profile=profile,
            position=position,
            label=f"Onderwerp {label}",
            input=MeridInput.REACTIVE,
            style=MeridStyle.DIRECTIVE,
            minutes=5,
        )
    return profile


def topic_form(profile: MeridProfile, **changed) -> dict:
    """The coding form as the page sends it: the version and every row as saved, with
    `changed` ({"<label letter>-<field>": value}) typed over it."""
    profile.refresh_from_db()
    data = {"version": str(profile.version)}
    for topic in profile.topics.all():
        letter = topic.label.removeprefix("Onderwerp ")
        for field in ("label", "input", "style", "minutes"):
            value = getattr(topic, field)
            data[f"topic-{topic.public_id}-{field}"] = changed.get(
                f"{letter}-{field}", "" if value is None else str(value)
            )
    return data


def topic(profile: MeridProfile, letter: str) -> MeridTopic:
    return profile.topics.get(label__startswith=f"Onderwerp {letter}")


def saved(profile: MeridProfile) -> list[tuple[str, str, str, str]]:
    return [
        (t.label, t.input, t.style, "" if t.minutes is None else str(t.minutes.normalize()))
        for t in profile.topics.order_by("position")
    ]


def test_the_plain_form_saves_changes_a_new_row_a_deletion_and_a_move(as_persona, world, coded):
    client = as_persona("coach")
    detail = url("merid_detail", coded)
    b = topic(coded, "B")
    c = topic(coded, "C")

    # Deleting B (its button sends the whole form): A's new label and the new row go along.
    data = topic_form(coded, **{"A-label": "Onderwerp A, herschreven", "A-style": "non_directive"})
    data |= {
        f"topic-{b.public_id}-delete": "1",
        "new-label": "Onderwerp D",
        "new-input": "active",
        "new-style": "directive",
        "new-minutes": "2,5",
    }
    response = client.post(detail, data)
    assert response.status_code == 302
    assert response.url == detail + "#topics"
    assert saved(coded) == [
        ("Onderwerp A, herschreven", "reactive", "non_directive", "5"),
        ("Onderwerp C", "reactive", "directive", "5"),
        ("Onderwerp E", "reactive", "directive", "5"),
        ("Onderwerp D", "active", "directive", "2.5"),
    ]

    # C one place down, below E.
    response = client.post(detail, topic_form(coded) | {"move-down": str(c.public_id)})
    assert response.status_code == 302
    assert [label for label, *_ in saved(coded)] == [
        "Onderwerp A, herschreven",
        "Onderwerp E",
        "Onderwerp C",
        "Onderwerp D",
    ]
    page = client.get(detail).content.decode()
    assert page.index("Onderwerp E") < page.index("Onderwerp C") < page.index("Onderwerp D")


def test_a_bad_number_of_minutes_is_refused_and_nothing_typed_is_lost(as_persona, world, coded):
    client = as_persona("coach")
    before = saved(coded)
    a = topic(coded, "A")
    data = topic_form(
        coded, **{"A-label": "Nieuwe titel die ik net typte", "A-minutes": "een kwartier"}
    )

    response = client.post(url("merid_detail", coded), data)

    assert response.status_code == 400
    assert saved(coded) == before
    shown = fields(response)
    assert shown[f"topic-{a.public_id}-label"] == "Nieuwe titel die ik net typte"
    assert shown[f"topic-{a.public_id}-minutes"] == "een kwartier"
    assert (
        dutch(
            "Give the minutes as a number above 0 and at most %(most)s, or leave them empty.",
            most=MERID_MAX_MINUTES,
        )
        in response.content.decode()
    )


def test_a_new_row_with_bad_minutes_keeps_what_was_typed(as_persona, world, coded):
    data = topic_form(coded) | {
        "new-label": "Een onderwerp dat ik net toevoegde",
        "new-input": "active",
        "new-minutes": "veel",
    }
    response = as_persona("coach").post(url("merid_detail", coded), data)
    assert response.status_code == 400
    assert fields(response)["new-label"] == "Een onderwerp dat ik net toevoegde"
    assert fields(response)["new-minutes"] == "veel"


def test_a_save_against_an_old_version_shows_a_conflict_and_keeps_the_typing(
    as_persona, world, coded
):
    client = as_persona("coach")
    a = topic(coded, "A")
    data = topic_form(coded, **{"A-label": "Wat ik typte"})
    # Meanwhile the profile changed (another tab, a colleague coding with the coach).
    client.post(url("merid_detail", coded), topic_form(coded, **{"E-label": "Onderwerp E!"}))

    response = client.post(url("merid_detail", coded), data)

    assert response.status_code == 409
    assert topic(coded, "A").label == "Onderwerp A"
    assert fields(response)[f"topic-{a.public_id}-label"] == "Wat ik typte"
    assert (
        dutch(
            "Someone else changed the topics in the meantime. The saved topics are shown; "
            "what you typed is still in the rows. Save again to keep yours."
        )
        in response.content.decode()
    )


# --- The own estimate ------------------------------------------------------------------------


def test_an_estimate_that_does_not_make_100_is_refused_and_stays_filled_in(as_persona, world):
    profile = world.opleider_profile
    client = as_persona("opleider")
    typed = {"imperator": 10, "initiator": 20, "encourager": 30, "advisor": 30}

    response = client.post(url("merid_estimate", profile), typed)

    assert response.status_code == 400
    assert not profile.estimates.exists()
    assert (
        dutch("The four shares add up to %(total)s; together they must make 100.", total=90)
        in response.content.decode()
    )
    shown = fields(response)
    assert {role: shown[role] for role in typed} == {role: str(v) for role, v in typed.items()}


def test_an_estimate_of_100_is_saved_and_drawn_on_the_profile(as_persona, world):
    profile = world.opleider_profile
    client = as_persona("opleider")
    assert SELF_FIGURE not in client.get(url("merid_detail", profile)).content.decode()

    response = client.post(url("merid_estimate", profile), COACH_SELF_ESTIMATE)

    assert response.status_code == 302
    assert response.url == url("merid_detail", profile) + "#profile"
    estimate = profile.estimates.get(kind=EstimateKind.SELF)
    assert estimate.percentages() == COACH_SELF_ESTIMATE
    page = client.get(url("merid_detail", profile)).content.decode()
    assert SELF_FIGURE in page
    for role, share in COACH_SELF_ESTIMATE.items():
        assert f'data-role="{role}" data-share="{share}"' in page


# --- The profile panel as htmx asks for it ---------------------------------------------------


def test_the_panel_comes_alone_for_htmx_and_otherwise_redirects_to_the_page(as_persona, world):
    profile = world.coach_profile
    client = as_persona("coach")

    fragment = client.get(url("merid_profile", profile), headers=HX_REQUEST)
    assert fragment.status_code == 200
    content = fragment.content.decode()
    assert content.lstrip().startswith("<div") and "<html" not in content
    assert 'id="merid-profile"' in content and CODED_FIGURE in content

    response = client.get(url("merid_profile", profile))
    assert response.status_code == 302
    assert response.url == url("merid_detail", profile) + "#profile"


# --- Query budgets ---------------------------------------------------------------------------


def queries(client, page: str, **headers) -> int:
    client.get(page, headers=headers)  # warm what is not per request (content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page, headers=headers)
    assert response.status_code == 200, page
    return len(captured.captured_queries)


def profile_with_content(owner, school, topics: int = 5) -> MeridProfile:
    profile = MeridProfileFactory(owner=owner, school=school)
    for position in range(1, topics + 1):
        MeridTopicFactory(
            profile=profile,
            position=position,
            input=(MeridInput.ACTIVE, MeridInput.REACTIVE)[position % 2],
            style=(MeridStyle.DIRECTIVE, MeridStyle.NON_DIRECTIVE)[position % 3 == 0],
            minutes=position,
        )
    MeridEstimateFactory(profile=profile)
    return profile


def test_the_list_costs_the_same_with_one_profile_or_twelve(as_persona, world):
    coach, opleider = world.people["coach"], world.people["opleider"]
    MeridShareFactory(profile=profile_with_content(coach, world.school), person=opleider)
    urls = {"coach": reverse("merid_list"), "opleider": reverse("merid_list")}
    few = {persona: queries(as_persona(persona), page) for persona, page in urls.items()}
    for _ in range(11):
        MeridShareFactory(profile=profile_with_content(coach, world.school), person=opleider)
    assert {persona: queries(as_persona(persona), page) for persona, page in urls.items()} == few
    # The coach's: session, user, their own profiles with their topics and estimates (3), the
    # profiles shared with them (none, so nothing prefetched), the perceptions asked of them,
    # whether they may start one (a begeleider role now), the navigation's schools: 9.
    # The opleider's: session, user, their own profiles (none), the profiles shared with them
    # with their topics and estimates (3), the perceptions asked of them, whether they may
    # start one, the navigation's schools: 9.
    assert few["coach"] <= 9 and few["opleider"] <= 9, few


def test_the_profile_page_costs_the_same_with_three_topics_or_thirty(as_persona, world):
    coach, opleider = world.people["coach"], world.people["opleider"]
    profile = profile_with_content(coach, world.school, topics=3)
    MeridShareFactory(profile=profile, person=opleider)
    page = url("merid_detail", profile)
    few = {persona: queries(as_persona(persona), page) for persona in ("coach", "opleider")}
    for position in range(4, 31):
        MeridTopicFactory(
            profile=profile,
            position=position,
            input=MeridInput.REACTIVE,
            style=MeridStyle.NON_DIRECTIVE,
            minutes=2,
        )
    assert profile.topics.count() == 30
    assert {persona: queries(as_persona(persona), page) for persona in few} == few
    # The coach's: session, user, 2 for the profile in the user's schools, their own estimate
    # (for the estimate form), the topics for the coding table, the topics and the estimates
    # again for the drawings, the shares with their people, whether there is anyone to share
    # with, the navigation's schools, the share form's choice of colleagues: 12.
    # The opleider's (shared, looking only): session, user, 2 for the profile in the user's
    # schools, 2 policy checks (may view, may code: each the memberships and the share), the
    # audit entry, the own estimate, the topics for the table, the topics and estimates for
    # the drawings, the navigation's schools: 14.
    assert few["coach"] <= 12 and few["opleider"] <= 14, few


# --- Comparing over time ----------------------------------------------------------------------


def profile_of_one_role(owner, school, held_on, role_input, role_style) -> MeridProfile:
    profile = MeridProfileFactory(owner=owner, school=school, held_on=held_on, title=str(held_on))
    MeridTopicFactory(profile=profile, position=1, input=role_input, style=role_style, minutes=5)
    return profile


def test_the_overview_compares_the_first_and_the_last_profile_and_any_two_chosen(as_persona, world):
    coach = world.people["coach"]
    september = profile_of_one_role(
        coach, world.school, datetime.date(2026, 9, 1), MeridInput.REACTIVE, MeridStyle.DIRECTIVE
    )
    october = profile_of_one_role(
        coach, world.school, datetime.date(2026, 10, 1), MeridInput.ACTIVE, MeridStyle.DIRECTIVE
    )
    november = profile_of_one_role(
        coach,
        world.school,
        datetime.date(2026, 11, 1),
        MeridInput.REACTIVE,
        MeridStyle.NON_DIRECTIVE,
    )
    client = as_persona("coach")

    response = client.get(reverse("merid_list"))
    compare = response.context["compare"]
    assert (compare["before"].profile, compare["after"].profile) == (september, november)
    # September was advice only, November encouragement only: 100% moves from one row to another.
    rows = {row["name"]: (row["before"], row["after"]) for row in compare["rows"]}
    assert rows[dutch("advisor")] == (100, 0) and rows[dutch("encourager")] == (0, 100)
    page = response.content.decode()
    assert page.count("data-compare=") == 2
    assert 'id="compare-before-title"' in page and 'id="compare-after-title"' in page

    chosen = client.get(
        reverse("merid_list"), {"before": str(october.public_id), "after": str(september.public_id)}
    ).context["compare"]
    assert (chosen["before"].profile, chosen["after"].profile) == (october, september)
    rows = {row["name"]: (row["before"], row["after"]) for row in chosen["rows"]}
    assert rows[dutch("imperator")] == (100, 0)


def test_a_comparison_asked_with_a_profile_that_is_not_yours_shows_your_own(as_persona, world):
    coach, opleider = world.people["coach"], world.people["opleider"]
    first = profile_of_one_role(
        coach, world.school, datetime.date(2026, 9, 1), MeridInput.REACTIVE, MeridStyle.DIRECTIVE
    )
    last = profile_of_one_role(
        coach, world.school, datetime.date(2026, 11, 1), MeridInput.ACTIVE, MeridStyle.DIRECTIVE
    )
    foreign = profile_of_one_role(
        opleider, world.school, datetime.date(2026, 10, 1), MeridInput.ACTIVE, MeridStyle.DIRECTIVE
    )

    for before in (str(foreign.public_id), "not-a-uuid", ""):
        response = as_persona("coach").get(
            reverse("merid_list"), {"before": before, "after": "x" * 500}
        )
        assert response.status_code == 200
        compare = response.context["compare"]
        assert (compare["before"].profile, compare["after"].profile) == (first, last)
        assert foreign.title not in response.content.decode()


def test_with_one_profile_there_is_nothing_to_compare(as_persona, world):
    profile_with_content(world.people["coach"], world.school)

    response = as_persona("coach").get(reverse("merid_list"))

    assert response.context["compare"] is None
    assert "data-compare=" not in response.content.decode()
