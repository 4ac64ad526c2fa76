"""The observation form's two ways of saving (autosave JSON and the plain form), finalising,
and the finished observation for the observed teacher."""

import json

import pytest
from django.conf import settings
from django.urls import reverse

from mentoring.models import AuditEntry
from observations.models import IndicatorCheck, ItemScore, Observation, ObservationStatus
from tests.factories import LessonVisitFactory, ObservationFactory, icalt

pytestmark = pytest.mark.django_db


@pytest.fixture
def observation(world):
    return ObservationFactory(visit=LessonVisitFactory(trajectory=world.opleiden))


def save(client, observation, version, changes):
    return client.post(
        reverse("observation_save", kwargs={"public_id": observation.public_id}),
        json.dumps({"version": version, "changes": changes}),
        content_type="application/json",
    )


def items():
    return list(icalt().items.filter(domain__is_teaching=True).order_by("number"))


def test_autosave_answers_with_the_new_version(as_persona, observation):
    client = as_persona("opleider")
    first = items()[0]
    response = save(client, observation, 1, [{"type": "score", "item": first.pk, "score": 3}])
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert ItemScore.objects.get(observation=observation, item=first).score == 3


def test_a_second_tab_with_an_old_version_gets_409_with_the_saved_state(as_persona, observation):
    client = as_persona("opleider")
    first, second = items()[:2]
    save(client, observation, 1, [{"type": "score", "item": first.pk, "score": 3}])
    response = save(client, observation, 1, [{"type": "score", "item": second.pk, "score": 1}])
    assert response.status_code == 409
    server = response.json()["server"]
    assert server["version"] == 2
    assert server["scores"][str(first.pk)]["score"] == 3
    assert not ItemScore.objects.filter(observation=observation, item=second).exists()


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        json.dumps({"changes": []}),
        json.dumps({"version": "x", "changes": []}),
        json.dumps({"version": 1, "changes": "all"}),
        json.dumps({"version": 1, "changes": [1, 2]}),
        json.dumps({"version": 1, "changes": [{"type": "score", "item": 1, "score": 5}]}),
        json.dumps({"version": 1, "changes": [{"type": "drop table"}]}),
    ],
)
def test_unreadable_or_invalid_batches_get_400_and_write_nothing(as_persona, observation, body):
    response = as_persona("opleider").post(
        reverse("observation_save", kwargs={"public_id": observation.public_id}),
        body,
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]
    observation.refresh_from_db()
    assert observation.version == 1
    assert not observation.scores.exists()


def test_an_expired_session_gets_a_json_401_not_the_login_page(client, observation):
    response = save(client, observation, 1, [])
    assert response.status_code == 401
    assert "error" in response.json()


def test_the_form_without_javascript_saves_only_what_changed(as_persona, observation):
    client = as_persona("opleider")
    first, second = items()[:2]
    save(client, observation, 1, [{"type": "score", "item": first.pk, "score": 4}])
    url = reverse("observation_detail", kwargs={"public_id": observation.public_id})
    page = client.get(url)
    assert page.status_code == 200
    assert page.templates[0].name == "observations/observation_form.html"
    response = client.post(
        url,
        {
            "version": 2,
            f"item-{first.pk}": "4",
            f"item-{second.pk}": "not_observed",
            "moment-minute": "7",
            "moment-kind": "question",
            "moment-text": "Waarom deze werkvorm?",
        },
    )
    assert response.status_code == 302
    observation.refresh_from_db()
    assert observation.version == 3
    assert ItemScore.objects.get(observation=observation, item=second).not_observed
    assert observation.key_moments.get().text == "Waarom deze werkvorm?"


def test_indicators_are_ticked_when_the_instrument_has_them(as_persona, observation):
    item = items()[0]
    indicator = item.indicators.create(
        position=1, text_nl="Noemt leerlingen bij naam", source="test"
    )
    response = save(
        as_persona("opleider"),
        observation,
        1,
        [{"type": "indicator", "indicator": indicator.pk, "observed": True}],
    )
    assert response.status_code == 200
    assert IndicatorCheck.objects.get(observation=observation, indicator=indicator).observed


def test_the_form_offers_shared_indicators_and_the_schools_own_but_not_another_schools(
    as_persona, observation, world
):
    item = items()[0]
    shared = item.indicators.create(position=1, text_nl="Gedeelde indicator", source="beheer")
    own = item.indicators.create(
        school=world.school, position=2, text_nl="Indicator van Het Baken", source="licentie"
    )
    other = item.indicators.create(
        school=world.other_school, position=2, text_nl="Indicator van De Horizon", source="x"
    )
    client = as_persona("opleider")
    url = reverse("observation_detail", kwargs={"public_id": observation.public_id})

    page = client.get(url).content.decode()
    assert f'name="indicator-{shared.pk}"' in page
    assert f'name="indicator-{own.pk}"' in page
    assert "Indicator van Het Baken" in page
    assert f'name="indicator-{other.pk}"' not in page
    assert "Indicator van De Horizon" not in page

    response = client.post(url, {"version": 1, f"indicator-{own.pk}": "on"})
    assert response.status_code == 302
    assert list(IndicatorCheck.objects.values_list("indicator", "observed")) == [(own.pk, True)]


def test_another_schools_indicator_is_refused_and_nothing_is_written(
    as_persona, observation, world
):
    item = items()[0]
    other = item.indicators.create(
        school=world.other_school, position=1, text_nl="Indicator van De Horizon", source="x"
    )
    client = as_persona("opleider")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = save(
        client,
        observation,
        1,
        [
            {"type": "score", "item": item.pk, "score": 3},
            {"type": "indicator", "indicator": other.pk, "observed": True},
        ],
    )
    assert response.status_code == 400
    assert response.json()["error"] == "This indicator is not part of the observation's instrument."
    observation.refresh_from_db()
    assert observation.version == 1
    assert not observation.scores.exists()
    assert not IndicatorCheck.objects.exists()

    # The plain form does not even read the field: the page never offered it.
    url = reverse("observation_detail", kwargs={"public_id": observation.public_id})
    client.post(url, {"version": 1, f"indicator-{other.pk}": "on"})
    assert not IndicatorCheck.objects.exists()


def test_finalising_shows_what_is_missing_then_opens_it_to_the_teacher(
    as_persona, observation, world
):
    client = as_persona("opleider")
    teaching = items()
    save(
        client, observation, 1, [{"type": "score", "item": i.pk, "score": 3} for i in teaching[:-1]]
    )
    finalise = reverse("observation_finalise", kwargs={"public_id": observation.public_id})
    page = client.post(finalise, {"version": 2}, follow=True).content.decode()
    assert str(teaching[-1].number) in page
    observation.refresh_from_db()
    assert observation.status == ObservationStatus.DRAFT

    save(client, observation, 2, [{"type": "score", "item": teaching[-1].pk, "not_observed": True}])
    client.post(finalise, {"version": 3})
    observation.refresh_from_db()
    assert observation.status == ObservationStatus.FINAL
    # Read-only now, also through autosave.
    assert save(client, observation, observation.version, []).status_code == 403

    url = reverse("observation_detail", kwargs={"public_id": observation.public_id})
    teacher_page = as_persona("student_teacher").get(url)
    assert teacher_page.status_code == 200
    assert teacher_page.templates[0].name == "observations/observation_detail.html"
    assert AuditEntry.objects.filter(
        action="observation.viewed", actor=world.people["student_teacher"]
    ).exists()
    assert as_persona("coordinator").get(url).status_code == 403


def test_starting_twice_opens_the_same_observation(as_persona, world):
    visit = LessonVisitFactory(trajectory=world.opleiden)
    client = as_persona("opleider")
    url = reverse("observation_start", kwargs={"public_id": visit.public_id})
    assert client.post(url).url == client.post(url).url
    assert Observation.objects.filter(visit=visit).count() == 1
