"""The analysis pages: a trajectory's growth and suggested focus, an observation's domain
profile, two observers' agreement, and the suggested focus carried into the next visit's plan."""

import itertools
import re

import pytest
from django.db import connection
from django.template.defaultfilters import floatformat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from mentoring.models import AuditEntry
from observations import analysis, insights
from observations.models import CalibrationKind
from tests.factories import LessonVisitFactory, ObservationFactory, icalt
from tests.observations.test_insights import (
    final_observation,
    first_shown,
    store_calibration,
    teaching_numbers,
    visit_on,
)

pytestmark = pytest.mark.django_db

NOTE_SENTINEL = "NOTE-SENTINEL-41c2: leerling X werd uitgelachen, bespreken met mentor"


def analysis_url(trajectory) -> str:
    return reverse("trajectory_analysis", kwargs={"public_id": trajectory.public_id})


def agreement_url(visit) -> str:
    return reverse("visit_agreement", kwargs={"public_id": visit.public_id})


def profile_url(observation) -> str:
    return reverse("observation_profile", kwargs={"public_id": observation.public_id})


def text_of(response) -> str:
    return response.content.decode()


# Pages are Dutch by default; tests that read the words ask for English, the source language.
ENGLISH = {"Accept-Language": "en"}


# --- The trajectory's analysis ----------------------------------------------------------------


@pytest.mark.parametrize("persona", ["opleider", "student_teacher"])
def test_the_pair_sees_growth_profile_and_suggested_focus(as_persona, world, persona):
    final_observation(visit_on(world.opleiden, 3), first_shown(6))
    final_observation(visit_on(world.opleiden, 30), first_shown(12))

    page = text_of(as_persona(persona).get(analysis_url(world.opleiden), headers=ENGLISH))

    assert page.count('role="img"') == 2  # the growth chart and the latest profile
    assert "<polyline" in page and "<table" in page
    for number in (13, 14, 15):
        item = icalt().items.get(number=number)
        assert f"{number}. {item.text_en}" in page
    assert "At this level it is shown less than half the time." in page
    assert "Item order used: the approximate default order (domain 1 to 6, item by item)." in page
    assert "several observations are more reliable" in page


def test_the_page_says_which_published_table_it_used(as_persona, world):
    store_calibration(CalibrationKind.PUBLISHED, source="Van de Grift et al. (2014), tabel 3")
    final_observation(visit_on(world.opleiden, 3), first_shown(12))

    page = text_of(as_persona("opleider").get(analysis_url(world.opleiden), headers=ENGLISH))

    assert "Item order used: the published table: Van de Grift et al. (2014), tabel 3." in page


def test_the_growth_table_has_a_row_per_visit_and_a_column_per_domain(as_persona, world):
    for day in (3, 17, 31):
        final_observation(visit_on(world.opleiden, day), first_shown(day // 2))

    response = as_persona("opleider").get(analysis_url(world.opleiden))

    rows = response.context["growth_rows"]
    assert [row["starts_at"].day for row in rows] == [4, 18, 2]  # 4 Sep, 18 Sep, 2 Oct
    assert all(len(row["means"]) == 6 for row in rows)
    table = text_of(response).split("<caption>")[-2]
    assert table.count('<th scope="row"') == 3


def test_the_growth_chart_tells_domains_apart_without_colour(as_persona, world):
    final_observation(visit_on(world.opleiden, 3), first_shown(6))
    final_observation(visit_on(world.opleiden, 30), first_shown(12))

    chart = as_persona("opleider").get(analysis_url(world.opleiden)).context["growth_chart"]

    assert len({line.style.shape for line in chart.series}) == 6
    assert len({line.style.dash for line in chart.series}) == 6
    assert all(line.label.startswith(f"{n}.") for n, line in enumerate(chart.series, start=1))
    label_ys = sorted(line.label_y for line in chart.series)
    assert all(b - a >= 15 for a, b in itertools.pairwise(label_ys))


def test_a_lesson_against_the_order_is_flagged_on_the_page(as_persona, world):
    scores = {number: (4 if number >= 23 else 1) for number in teaching_numbers()}
    final_observation(visit_on(world.opleiden, 3), scores)

    page = text_of(as_persona("opleider").get(analysis_url(world.opleiden), headers=ENGLISH))

    assert "This lesson does not follow the usual order of the items." in page


def test_a_lesson_in_order_is_not_flagged(as_persona, world):
    final_observation(visit_on(world.opleiden, 3), first_shown(12))

    page = text_of(as_persona("opleider").get(analysis_url(world.opleiden), headers=ENGLISH))

    assert "does not follow the usual order" not in page
    assert 'class="alert alert-warning"' not in page


def test_without_final_observations_the_page_explains_what_will_appear(as_persona, world):
    ObservationFactory(visit=visit_on(world.opleiden, 3))  # a draft

    response = as_persona("opleider").get(analysis_url(world.opleiden))

    assert response.status_code == 200
    assert 'role="img"' not in text_of(response)
    assert response.context["analysis"].growth == ()


def test_the_schoolopleider_reads_the_analysis(client, world, schoolopleider):
    final_observation(visit_on(world.opleiden, 3), first_shown(12))
    client.force_login(schoolopleider)

    assert client.get(analysis_url(world.opleiden)).status_code == 200


def test_the_coaching_analysis_is_for_the_pair_only(as_persona, world):
    final_observation(visit_on(world.coaching, 3), first_shown(12))
    url = analysis_url(world.coaching)

    assert as_persona("coachee").get(url).status_code == 200
    assert as_persona("coach").get(url).status_code == 200
    assert as_persona("coordinator").get(url).status_code == 403
    assert as_persona("opleider").get(url).status_code == 403
    assert as_persona("other_school_coordinator").get(url).status_code == 404


def test_notes_never_reach_the_coordinator_nor_the_analysis(as_persona, world):
    visit = visit_on(world.opleiden, 3)
    observation = final_observation(visit, first_shown(12), notes={13: NOTE_SENTINEL})

    coordinator = as_persona("coordinator")
    for url in (analysis_url(world.opleiden), agreement_url(visit), profile_url(observation)):
        response = coordinator.get(url)
        assert response.status_code == 403
        assert NOTE_SENTINEL not in text_of(response)
    detail = coordinator.get(
        reverse("trajectory_detail", kwargs={"public_id": world.opleiden.public_id})
    )
    assert analysis_url(world.opleiden) not in text_of(detail)
    # The analysis reads scores only: the note stays on the observation page.
    assert NOTE_SENTINEL not in text_of(as_persona("opleider").get(analysis_url(world.opleiden)))


def test_the_trajectory_page_links_to_the_analysis_for_those_who_may_read_it(as_persona, world):
    url = reverse("trajectory_detail", kwargs={"public_id": world.opleiden.public_id})

    assert analysis_url(world.opleiden) in text_of(as_persona("student_teacher").get(url))


def test_reading_the_analysis_is_audited(as_persona, world):
    as_persona("student_teacher").get(analysis_url(world.opleiden))

    entry = AuditEntry.objects.get(action="trajectory.analysis_viewed")
    assert entry.actor == world.people["student_teacher"]
    assert entry.object_id == str(world.opleiden.public_id)
    assert entry.school == world.school


def observations_in_bulk(trajectory, indices: range) -> None:
    """Final observations of 35 items each, on visits a week apart."""
    for index in indices:
        final_observation(visit_on(trajectory, 7 * index), first_shown(index % 33))


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


# The session and the user (2); the trajectory (1) and the access checks on it: the user's
# schools, coordinated schools, schoolopleider schools (3), and the scope filter (1); the audit
# entry (1); the final observations (1), their scores (1), the instrument's items (1) and scale
# (1); the newest calibration (1) and its difficulties (1); the navigation's coordinator check (1).
ANALYSIS_QUERY_BUDGET = 15


def test_the_analysis_page_takes_the_same_queries_for_5_and_50_observations(
    as_persona, world, django_assert_max_num_queries
):
    store_calibration(CalibrationKind.PUBLISHED, source="a table, so its query counts too")
    client = as_persona("opleider")
    url = analysis_url(world.opleiden)

    observations_in_bulk(world.opleiden, range(5))
    with django_assert_max_num_queries(ANALYSIS_QUERY_BUDGET):
        assert len(client.get(url).context["growth_rows"]) == 5
    five = queries_for(client, url)

    observations_in_bulk(world.opleiden, range(5, 50))
    with django_assert_max_num_queries(ANALYSIS_QUERY_BUDGET):
        assert len(client.get(url).context["growth_rows"]) == 50
    assert queries_for(client, url) == five


# --- One observation's domain profile ---------------------------------------------------------


def test_the_observation_page_loads_the_domain_profile(as_persona, world):
    observation = final_observation(visit_on(world.opleiden, 3), first_shown(12))
    client = as_persona("student_teacher")

    page = text_of(
        client.get(reverse("observation_detail", kwargs={"public_id": observation.public_id}))
    )
    assert f'hx-get="{profile_url(observation)}"' in page

    fragment = client.get(profile_url(observation), headers={"HX-Request": "true"})
    assert fragment.templates[0].name == "observations/partials/observation_profile.html"
    assert 'role="img"' in text_of(fragment) and "<table" in text_of(fragment)
    assert "<title" in text_of(fragment) and "<desc" in text_of(fragment)

    page_of_its_own = client.get(profile_url(observation))
    assert page_of_its_own.templates[0].name == "observations/analysis_profile.html"


def test_the_profile_shows_each_domain_mean_as_text_and_engagement_apart(as_persona, world):
    scores = first_shown(12) | {1: 4, 2: 4, 3: 4, 4: 3, 33: 4, 34: 4, 35: 3}
    observation = final_observation(visit_on(world.opleiden, 3), scores)

    fragment = text_of(
        as_persona("opleider").get(
            profile_url(observation), headers={"HX-Request": "true", **ENGLISH}
        )
    )

    assert re.search(r"<text[^>]*>3\.8</text>", fragment)  # domain 1: (4 + 4 + 4 + 3) / 4
    assert "not part of the teaching score): 3.7." in fragment


def test_the_profile_links_to_the_agreement_once_two_observations_are_final(
    as_persona, world, schoolopleider
):
    visit = visit_on(world.opleiden, 3)
    own = final_observation(visit, first_shown(12))
    client = as_persona("opleider")
    assert agreement_url(visit) not in text_of(client.get(profile_url(own)))

    final_observation(visit, first_shown(14), observer=schoolopleider)

    assert agreement_url(visit) in text_of(client.get(profile_url(own)))


# --- Two observers of one lesson --------------------------------------------------------------


def two_observers_scores() -> tuple[dict[int, int | None], dict[int, int | None]]:
    numbers = teaching_numbers() + list((33, 34, 35))
    scores_a = {n: 1 + (n % 4) for n in numbers}
    scores_b = dict(scores_a)
    scores_b |= {1: 4, 2: 2, 9: 1, 10: 4, 20: None}  # two large, two small, one not observed
    scores_b[17] = scores_a[17] % 4 + 1
    return scores_a, scores_b


def test_the_agreement_page_shows_what_the_analysis_computes(as_persona, world, schoolopleider):
    visit = visit_on(world.opleiden, 3)
    scores_a, scores_b = two_observers_scores()
    final_observation(visit, scores_a)
    final_observation(visit, scores_b, observer=schoolopleider)
    items = {item.number: item for item in icalt().items.all()}
    expected = analysis.agreement(
        scores_a={items[n].pk: s for n, s in scores_a.items()},
        scores_b={items[n].pk: s for n, s in scores_b.items()},
        domain_of_item={pk: item.domain_id for pk, item in ((i.pk, i) for i in items.values())},
    )

    response = as_persona("student_teacher").get(agreement_url(visit))
    page = text_of(response)

    assert f"{round(expected.overall.exact * 100)}%" in page
    assert f"{round(expected.overall.adjacent * 100)}%" in page
    with translation.override("nl"):
        assert floatformat(expected.kappa_quadratic, 2) in page
        assert floatformat(expected.kappa_linear, 2) in page
    biggest = expected.disagreements[0]
    assert response.context["comparison"].differences[0].item.pk == biggest.item_id
    assert items[9].text_nl in page  # 3 points apart: among the largest differences
    assert AuditEntry.objects.filter(action="visit.agreement_viewed").count() == 1


def test_agreement_with_one_final_observation_explains_what_is_needed(
    as_persona, world, schoolopleider
):
    visit = visit_on(world.opleiden, 3)
    final_observation(visit, first_shown(12))
    ObservationFactory(visit=visit, observer=schoolopleider)  # the second is still a draft

    response = as_persona("opleider").get(agreement_url(visit), headers=ENGLISH)

    assert response.status_code == 200
    assert response.context["comparison"] is None
    assert "there is 1 so far" in text_of(response)


def test_agreement_without_observations_is_an_empty_state(as_persona, world):
    visit = LessonVisitFactory(trajectory=world.opleiden)

    response = as_persona("student_teacher").get(agreement_url(visit))

    assert response.status_code == 200
    assert response.context["comparison"] is None
    assert response.context["reason"]


# --- The next visit's plan --------------------------------------------------------------------


def test_a_new_visit_plan_starts_with_the_suggested_focus(as_persona, world):
    final_observation(visit_on(world.opleiden, 3), first_shown(12))
    expected = [icalt().items.get(number=n).pk for n in (13, 14, 15)]

    response = as_persona("opleider").get(
        reverse("visit_plan", kwargs={"public_id": world.opleiden.public_id})
    )

    form = response.context["form"]
    assert form["focus_items"].value() == expected
    page = text_of(response)
    for pk in expected:
        assert re.search(rf'value="{pk}"[^>]*checked|checked[^>]*value="{pk}"', page)


def test_a_new_visit_plan_has_no_focus_without_a_final_observation(as_persona, world):
    response = as_persona("opleider").get(
        reverse("visit_plan", kwargs={"public_id": world.opleiden.public_id})
    )

    assert not response.context["form"]["focus_items"].value()


def test_a_misfitting_latest_lesson_prefills_nothing(as_persona, world):
    scores = {number: (4 if number >= 23 else 1) for number in teaching_numbers()}
    final_observation(visit_on(world.opleiden, 3), scores)

    response = as_persona("opleider").get(
        reverse("visit_plan", kwargs={"public_id": world.opleiden.public_id})
    )

    assert not response.context["form"]["focus_items"].value()
    assert insights.suggested_focus_items_for(world.people["opleider"], world.opleiden) == []
