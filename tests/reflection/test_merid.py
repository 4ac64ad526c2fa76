"""MERID profiles computed and drawn (reflection/merid.py): the four roles' shares from coded
topics, how evenly they are used, and the kite as SVG, on the page and in a PDF.

The expected numbers are worked out by hand in the comments, not computed by the code under
test."""

import io
import itertools
import math
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from pypdf import PdfReader

from mentoring.pdf import render_pdf
from reflection import merid
from reflection.models import MeridInput, MeridStyle, MeridTopic

SVG = "{http://www.w3.org/2000/svg}"
KITE_TEMPLATE = "reflection/partials/merid_kite.svg"

ACTIVE, REACTIVE = MeridInput.ACTIVE, MeridInput.REACTIVE
DIRECTIVE, NON_DIRECTIVE = MeridStyle.DIRECTIVE, MeridStyle.NON_DIRECTIVE

# Who brought the topic in and how it was handled, per role (the source chapter §8.2).
CODE_OF = {
    "imperator": (ACTIVE, DIRECTIVE),
    "initiator": (ACTIVE, NON_DIRECTIVE),
    "encourager": (REACTIVE, NON_DIRECTIVE),
    "advisor": (REACTIVE, DIRECTIVE),
}


def topic(role: str | None, minutes: str | int | None = None) -> MeridTopic:
    """An unsaved topic coded as `role` (None: not coded yet), lasting `minutes`."""
    input_, style = CODE_OF[role] if role else ("", "")
    return MeridTopic(
        label=f"{role} topic",
        input=input_,
        style=style,
        minutes=None if minutes is None else Decimal(str(minutes)),
    )


def shares(**percentages: int) -> merid.RoleShares:
    return merid.shares_from_percentages(
        {"imperator": 0, "initiator": 0, "encourager": 0, "advisor": 0, **percentages}
    )


# --- Shares from coded topics ----------------------------------------------------------------


def test_a_profile_with_minutes_for_every_topic_is_weighed_by_time():
    # 10 min imperator, 5 + 5 min advisor, 20 min encourager: 40 minutes in all.
    # imperator 10/40 = 1/4, advisor 10/40 = 1/4, encourager 20/40 = 1/2, initiator 0.
    profile = merid.shares_from_topics(
        [topic("imperator", 10), topic("advisor", 5), topic("advisor", 5), topic("encourager", 20)]
    )

    assert profile.basis == merid.Basis.TIME
    assert profile.shares == {
        "imperator": 0.25,
        "initiator": 0.0,
        "encourager": 0.5,
        "advisor": 0.25,
    }
    assert profile.percentages() == {
        "imperator": 25,
        "initiator": 0,
        "encourager": 50,
        "advisor": 25,
    }
    assert profile.leading_role == "encourager"


def test_minutes_with_a_decimal_weigh_as_typed():
    # 2.5 min initiator and 7.5 min advisor: 2.5/10 = 25%, 7.5/10 = 75%.
    profile = merid.shares_from_topics([topic("initiator", "2.5"), topic("advisor", "7.5")])

    assert profile.percentages() == {
        "imperator": 0,
        "initiator": 25,
        "encourager": 0,
        "advisor": 75,
    }


def test_one_topic_without_minutes_makes_the_profile_a_count_of_topics():
    # The same four topics as above plus an initiator topic without minutes: five topics,
    # imperator 1/5 = 20%, advisor 2/5 = 40%, encourager 1/5 = 20%, initiator 1/5 = 20%. The
    # twenty minutes of the encourager topic no longer weigh more than the others.
    profile = merid.shares_from_topics(
        [
            topic("imperator", 10),
            topic("advisor", 5),
            topic("advisor", 5),
            topic("encourager", 20),
            topic("initiator", None),
        ]
    )

    assert profile.basis == merid.Basis.TOPICS
    assert profile.percentages() == {
        "imperator": 20,
        "initiator": 20,
        "encourager": 20,
        "advisor": 40,
    }


def test_topics_not_coded_yet_do_not_count():
    # A typed but uncoded row without minutes, and one with input but no style yet: neither
    # counts, and neither turns the timed profile into a count. 30 min imperator, 10 advisor.
    half_coded = topic("imperator", 99)
    half_coded.style = ""
    profile = merid.shares_from_topics(
        [topic("imperator", 30), topic(None), half_coded, topic("advisor", 10)]
    )

    assert profile.basis == merid.Basis.TIME
    assert profile.percentages() == {
        "imperator": 75,
        "initiator": 0,
        "encourager": 0,
        "advisor": 25,
    }


def test_a_profile_without_coded_topics_has_no_shares():
    assert merid.shares_from_topics([]) is None
    assert merid.shares_from_topics([topic(None), topic(None, 5)]) is None


def test_thirds_are_rounded_so_the_percentages_still_total_100():
    # 1/3 each: 33.33…% three times. The one percent left over goes to the first of the
    # three in the drawing's order (imperator, initiator, encourager, advisor).
    profile = merid.shares_from_topics(
        [topic("encourager", 5), topic("advisor", 5), topic("initiator", 5)]
    )

    assert profile.percentages() == {
        "imperator": 0,
        "initiator": 34,
        "encourager": 33,
        "advisor": 33,
    }


def test_the_largest_remainder_gets_the_rounding():
    # 2 topics advisor, 1 imperator, counted: 66.67% and 33.33%. 66.67 has the larger
    # remainder (.67), so it rounds up: 67 + 33.
    profile = merid.shares_from_topics([topic("advisor"), topic("imperator"), topic("advisor")])

    assert profile.percentages() == {
        "imperator": 33,
        "initiator": 0,
        "encourager": 0,
        "advisor": 67,
    }


def test_percentages_always_total_100():
    roles = list(CODE_OF)
    for minutes in itertools.product((0, 1, 2, 3, 7), repeat=4):
        topics = [topic(role, m) for role, m in zip(roles, minutes, strict=True) if m]
        profile = merid.shares_from_topics(topics)
        if profile is None:
            continue
        percentages = profile.percentages()
        assert sum(percentages.values()) == 100, minutes
        for role in roles:
            # Never further than one point from the exact share.
            assert abs(percentages[role] - profile.shares[role] * 100) < 1, (minutes, role)


def test_an_estimate_gives_its_own_percentages():
    profile = shares(imperator=10, initiator=20, encourager=30, advisor=40)

    assert profile.basis == merid.Basis.ESTIMATE
    assert profile.percentages() == {
        "imperator": 10,
        "initiator": 20,
        "encourager": 30,
        "advisor": 40,
    }


# --- Versatility -----------------------------------------------------------------------------


def test_one_role_only_is_no_versatility():
    assert shares(advisor=100).versatility == 0.0
    assert merid.shares_from_topics([topic("imperator", 4), topic("imperator", 6)]).versatility == 0


def test_four_equal_roles_is_full_versatility():
    assert shares(imperator=25, initiator=25, encourager=25, advisor=25).versatility == 1.0


def test_two_equal_roles_is_half_versatility():
    # Entropy of 50/50 is ln 2; divided by the most there can be, ln 4 = 2 ln 2: exactly 0.5.
    assert shares(advisor=50, encourager=50).versatility == pytest.approx(0.5, abs=1e-12)


def test_a_lopsided_profile_is_less_versatile_than_an_even_one():
    # 70/10/10/10: -(0.7 ln 0.7 + 3 * 0.1 ln 0.1) / ln 4 = (0.24967 + 0.69078) / 1.38629
    # = 0.6784.
    lopsided = shares(advisor=70, imperator=10, initiator=10, encourager=10)

    assert lopsided.versatility == pytest.approx(0.6784, abs=1e-4)
    assert (
        lopsided.versatility
        < shares(advisor=40, imperator=20, initiator=20, encourager=20).versatility
    )


def trend_of(*profiles: merid.RoleShares) -> merid.Trend | None:
    return merid.trend(list(profiles))


def test_a_trend_needs_two_profiles():
    assert trend_of() is None
    assert trend_of(shares(advisor=100)) is None


def test_the_trend_sentence_says_when_versatility_grew():
    with translation.override("en"):
        sentence = trend_of(shares(advisor=100), shares(advisor=50, encourager=50)).sentence()

    assert sentence == (
        "Your versatility grew from 0.00 to 0.50: you use the four roles more evenly than before."
    )


def test_the_trend_sentence_says_when_versatility_went_down():
    even = shares(imperator=25, initiator=25, encourager=25, advisor=25)
    with translation.override("en"):
        sentence = trend_of(even, shares(advisor=50, encourager=50)).sentence()

    assert sentence.startswith("Your versatility went down from 1.00 to 0.50")


def test_the_trend_sentence_says_when_versatility_stayed_the_same():
    # 25/25/25/25 (1.00) to 30/25/25/20 (0.9927): a change of less than 0.05; the
    # advisor-only profile in between (0.00) does not count, only the first and the last.
    first = shares(imperator=25, initiator=25, encourager=25, advisor=25)
    last = shares(imperator=30, initiator=25, encourager=25, advisor=20)
    with translation.override("en"):
        sentence = trend_of(first, shares(advisor=100), last).sentence()

    assert sentence == "Your versatility stayed about the same (1.00, now 0.99)."


def test_the_trend_runs_from_the_first_profile_to_the_last():
    trend = trend_of(shares(advisor=100), shares(imperator=50, advisor=50), shares(advisor=100))

    assert (trend.first, trend.last) == (0.0, 0.0)
    assert trend.change == 0.0


# --- The kite --------------------------------------------------------------------------------

# The square is 260 px wide with its top left at (80, 40): the centre is (210, 170) and each
# corner 130 px away from it along both axes.
CENTRE = (210.0, 170.0)
HALF = 130.0


def draw(profile: merid.RoleShares, language: str = "en", title: str = "Coachgesprek") -> str:
    with translation.override(language):
        kite = merid.kite(profile, drawing_id="kite-1", title=title)
        return render_to_string(KITE_TEMPLATE, {"kite": kite})


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 -- our own template's output


def circles(root: ET.Element) -> dict[str, tuple[float, float]]:
    return {
        circle.get("data-role"): (float(circle.get("cx")), float(circle.get("cy")))
        for circle in root.iter(f"{SVG}circle")
    }


def centre(root: ET.Element) -> tuple[float, float]:
    """Where the two axes cross, read from the drawing itself."""
    lines = {line.get("data-axis"): line for line in root.iter(f"{SVG}line")}
    return float(lines["input"].get("x1")), float(lines["style"].get("y1"))


def texts(root: ET.Element, attribute: str) -> dict[str, str]:
    return {
        text.get(attribute): text.text for text in root.iter(f"{SVG}text") if text.get(attribute)
    }


UNEVEN = {"imperator": 40, "initiator": 30, "encourager": 20, "advisor": 10}


def test_each_role_is_drawn_in_its_own_quadrant():
    root = parse(draw(shares(**UNEVEN)))
    cx, cy = centre(root)
    points = circles(root)

    assert (cx, cy) == CENTRE
    assert set(points) == {"imperator", "initiator", "encourager", "advisor"}
    # Active at the top, directive on the left.
    x, y = points["imperator"]
    assert x < cx and y < cy
    x, y = points["initiator"]
    assert x > cx and y < cy
    x, y = points["encourager"]
    assert x > cx and y > cy
    x, y = points["advisor"]
    assert x < cx and y > cy


def test_each_point_lies_on_its_diagonal_at_its_share_of_the_way():
    root = parse(draw(shares(**UNEVEN)))
    cx, cy = centre(root)

    for role, (x, y) in circles(root).items():
        reach = UNEVEN[role] / 100 * HALF  # 40% of 130 px = 52 px along each axis
        assert abs(x - cx) == pytest.approx(reach), role
        assert abs(y - cy) == pytest.approx(reach), role
        assert math.dist((x, y), (cx, cy)) == pytest.approx(reach * math.sqrt(2)), role


def test_a_full_share_reaches_the_corner_and_none_stays_at_the_centre():
    root = parse(draw(shares(advisor=100)))
    rect = root.find(f"{SVG}rect")
    left, top = float(rect.get("x")), float(rect.get("y"))
    bottom = top + float(rect.get("height"))
    points = circles(root)

    assert points["advisor"] == (left, bottom) == (80.0, 300.0)
    for role in ("imperator", "initiator", "encourager"):
        assert points[role] == CENTRE, role


def test_the_kite_shape_joins_the_four_points():
    root = parse(draw(shares(**UNEVEN)))
    polygon = root.find(f"{SVG}polygon[@class='merid-kite-shape']")
    corners = [tuple(float(n) for n in pair.split(",")) for pair in polygon.get("points").split()]
    points = circles(root)

    assert corners == [
        points["imperator"],
        points["initiator"],
        points["encourager"],
        points["advisor"],
    ]


def test_the_drawing_has_a_title_and_a_description_for_screen_readers():
    root = parse(draw(shares(**UNEVEN), title="Coachgesprek van 3 oktober"))
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")

    assert root.get("role") == "img"
    assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]
    assert title.text == "Coachgesprek van 3 oktober"
    assert desc.text == (
        "Share per role: imperator 40%, initiator 30%, encourager 20%, advisor 10%. "
        "Versatility 0.92."
    )


def test_the_title_is_escaped():
    root = parse(draw(shares(**UNEVEN), title='<script>alert("x")</script> & meer'))

    assert root.find(f"{SVG}title").text == '<script>alert("x")</script> & meer'
    assert root.find(f".//{SVG}script") is None


def test_the_shares_are_written_beside_the_drawing():
    root = parse(draw(shares(**UNEVEN)))

    assert texts(root, "data-role-share") == {
        "imperator": "40%",
        "initiator": "30%",
        "encourager": "20%",
        "advisor": "10%",
    }
    assert {
        circle.get("data-role"): circle.get("data-share") for circle in root.iter(f"{SVG}circle")
    } == {role: str(value) for role, value in UNEVEN.items()}


def test_the_roles_are_named_in_english():
    root = parse(draw(shares(**UNEVEN), language="en"))

    assert texts(root, "data-role-label") == {
        "imperator": "Imperator",
        "initiator": "Initiator",
        "encourager": "Encourager",
        "advisor": "Advisor",
    }


def test_the_roles_are_named_in_dutch():
    root = parse(draw(shares(**UNEVEN), language="nl"))

    assert texts(root, "data-role-label") == {
        "imperator": "Leider",
        "initiator": "Initiator",
        "encourager": "Aanmoediger",
        "advisor": "Adviseur",
    }
    desc = root.find(f"{SVG}desc").text
    for words in ("leider 40%", "initiator 30%", "aanmoediger 20%", "adviseur 10%"):
        assert words in desc


def test_numbers_in_the_drawing_are_not_localised():
    # A Dutch decimal comma in a coordinate would break the SVG.
    thirds = merid.shares_from_topics(
        [topic("encourager", 5), topic("advisor", 5), topic("initiator", 5)]
    )
    root = parse(draw(thirds, language="nl"))

    for x, y in circles(root).values():
        assert math.isfinite(x) and math.isfinite(y)
    assert "," not in root.get("viewBox")


# --- The drawing in a PDF --------------------------------------------------------------------


@pytest.fixture
def kite_page(settings, tmp_path):
    """A small PDF page holding one kite, made through the project's locked-down renderer."""
    (tmp_path / "kite_probe.html").write_text(
        '{% extends "pdf/base.html" %}'
        "{% block title %}MERID{% endblock title %}"
        "{% block content %}<h1>MERID</h1>"
        f'{{% include "{KITE_TEMPLATE}" with kite=kite %}}'
        "{% endblock content %}"
    )
    templates = [{**engine} for engine in settings.TEMPLATES]
    templates[0]["DIRS"] = [*templates[0]["DIRS"], tmp_path]
    settings.TEMPLATES = templates
    return "kite_probe.html"


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("nl", ["Leider", "Initiator", "Aanmoediger", "Adviseur"]),
        ("en", ["Imperator", "Initiator", "Encourager", "Advisor"]),
    ],
)
def test_the_kite_in_a_pdf_names_the_roles_and_their_shares(kite_page, language, names):
    with translation.override(language):
        kite = merid.kite(shares(**UNEVEN), drawing_id="kite-pdf", title="Coachgesprek")

    rendered = render_pdf(
        template_name=kite_page,
        context={"kite": kite, "school_name": "Het Baken"},
        language=language,
    )

    assert rendered.pdf.startswith(b"%PDF")
    assert 'data-role="imperator"' in rendered.html
    text = pdf_text(rendered.pdf)
    for name in names:
        assert name in text
    for share in ("40%", "30%", "20%", "10%"):
        assert share in text
