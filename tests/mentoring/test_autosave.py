"""The one autosave mechanism: long texts are checked whole and never cut short, and a batch
made on a stale copy is refused with what is saved now, so the page can show both."""

import json
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from mentoring.autosave import (
    MAX_BATCH_BYTES,
    autosave_response,
    autosave_view,
    text_changes_apply,
    text_state,
)
from mentoring.versioning import version_bump, version_check
from observations.models import LessonVisit
from roles.models import Trajectory
from tests.factories import LessonVisitFactory, ObservationFactory, icalt

LIMITS = {"lesson_goal": 10, "subject": 20}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def visit(**texts) -> LessonVisit:
    """An unsaved visit: text_changes_apply only sets attributes, the caller saves."""
    return LessonVisit(lesson_goal=texts.get("lesson_goal", ""), subject=texts.get("subject", ""))


# text_changes_apply


def test_texts_are_set_and_the_changed_fields_named_for_the_save():
    obj = visit()
    fields = text_changes_apply(
        obj,
        [{"field": "lesson_goal", "text": "Fractions"}, {"field": "subject", "text": "Maths"}],
        limits=LIMITS,
    )
    assert fields == ["lesson_goal", "subject"]
    assert (obj.lesson_goal, obj.subject) == ("Fractions", "Maths")


def test_a_later_change_to_the_same_field_wins():
    obj = visit()
    fields = text_changes_apply(
        obj,
        [{"field": "lesson_goal", "text": "Fract"}, {"field": "lesson_goal", "text": "Fractions"}],
        limits=LIMITS,
    )
    assert fields == ["lesson_goal"]
    assert obj.lesson_goal == "Fractions"


@pytest.mark.parametrize(
    "change",
    [
        {"field": "status", "text": "held"},  # a real field, but not one the page may write
        {"field": "nonsense", "text": "x"},
        {"field": ["lesson_goal"], "text": "x"},
        {"text": "x"},
    ],
)
def test_a_field_the_page_may_not_write_is_refused(change):
    obj = visit(lesson_goal="kept")
    with pytest.raises(ValidationError) as refused:
        text_changes_apply(obj, [{"field": "lesson_goal", "text": "new"}, change], limits=LIMITS)
    assert refused.value.messages == ["Unknown field."]
    assert obj.lesson_goal == "kept"


@pytest.mark.parametrize("text", [None, 5, ["a"], {"a": 1}])
def test_a_text_that_is_not_a_string_is_refused(text):
    obj = visit(lesson_goal="kept")
    with pytest.raises(ValidationError):
        text_changes_apply(obj, [{"field": "lesson_goal", "text": text}], limits=LIMITS)
    assert obj.lesson_goal == "kept"


def test_a_text_over_the_limit_is_refused_whole_and_nothing_is_set():
    obj = visit(lesson_goal="kept", subject="kept")
    with pytest.raises(ValidationError) as refused:
        text_changes_apply(
            obj,
            [{"field": "subject", "text": "Maths"}, {"field": "lesson_goal", "text": "x" * 11}],
            limits=LIMITS,
        )
    assert refused.value.messages == [
        "Lesson goal is at most 10 characters; shorten it and it will be saved."
    ]
    # Nothing set, not even the valid change before it, and nothing cut short.
    assert (obj.lesson_goal, obj.subject) == ("kept", "kept")


def test_the_limit_in_the_message_is_written_as_people_read_numbers():
    with pytest.raises(ValidationError) as refused:
        text_changes_apply(
            visit(), [{"field": "lesson_goal", "text": "x" * 2001}], limits={"lesson_goal": 2000}
        )
    assert "at most 2,000 characters" in refused.value.messages[0]


def test_a_text_exactly_at_the_limit_is_saved():
    obj = visit()
    text_changes_apply(obj, [{"field": "lesson_goal", "text": "x" * 10}], limits=LIMITS)
    assert obj.lesson_goal == "x" * 10


def test_a_windows_line_break_counts_as_one_character_as_in_the_browser():
    obj = visit()
    # Ten characters as the browser's maxlength counts them; eleven with the CR.
    text_changes_apply(obj, [{"field": "lesson_goal", "text": "abcd\r\nefgh\r"}], limits=LIMITS)
    assert obj.lesson_goal == "abcd\nefgh\n"


def test_text_state_gives_the_version_and_the_saved_texts():
    trajectory = Trajectory(focus="Their text", version=3)
    assert text_state(trajectory, ["focus"]) == {"version": 3, "fields": {"focus": "Their text"}}


# autosave_response with a long-text form: a trajectory's question for support.

FOCUS_LIMITS = {"focus": 4000}


def focus_apply(trajectory):
    """What an app's service does for a long-text form, in its own transaction."""

    def apply(*, version: int, changes: list[dict]) -> Trajectory:
        with transaction.atomic():
            locked = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
            version_check(locked, version)
            fields = text_changes_apply(locked, changes, limits=FOCUS_LIMITS)
            version_bump(locked, *fields)
        return locked

    return apply


def focus_save(trajectory, body) -> JsonResponse:
    request = RequestFactory().post(
        "/save/",
        body if isinstance(body, str) else json.dumps(body),
        content_type="application/json",
    )
    return autosave_response(
        request,
        apply=focus_apply(trajectory),
        state=lambda current: text_state(current, FOCUS_LIMITS),
    )


@pytest.mark.django_db
def test_a_text_batch_is_saved_and_answered_with_the_new_version_and_the_time(world):
    trajectory = world.opleiden
    response = focus_save(
        trajectory, {"version": 1, "changes": [{"field": "focus", "text": "Mine\r\nsecond"}]}
    )
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["version"] == 2
    assert re.fullmatch(r"\d\d:\d\d", body["saved_at"])
    trajectory.refresh_from_db()
    assert (trajectory.focus, trajectory.version) == ("Mine\nsecond", 2)


@pytest.mark.django_db
def test_a_second_tab_gets_409_with_the_saved_text_and_overwrites_nothing(world):
    trajectory = world.opleiden
    focus_save(trajectory, {"version": 1, "changes": [{"field": "focus", "text": "First tab"}]})
    response = focus_save(
        trajectory, {"version": 1, "changes": [{"field": "focus", "text": "Second tab"}]}
    )
    assert response.status_code == 409
    assert json.loads(response.content) == {
        "error": "Someone else saved this in the meantime.",
        "server": {"version": 2, "fields": {"focus": "First tab"}},
    }
    trajectory.refresh_from_db()
    assert (trajectory.focus, trajectory.version) == ("First tab", 2)

    # "Keep my changes": the page sends its text again against the version it was shown.
    response = focus_save(
        trajectory, {"version": 2, "changes": [{"field": "focus", "text": "Second tab"}]}
    )
    assert response.status_code == 200
    trajectory.refresh_from_db()
    assert trajectory.focus == "Second tab"


@pytest.mark.django_db
def test_a_text_over_the_limit_gets_400_with_the_reason_and_writes_nothing(world):
    trajectory = world.opleiden
    before = trajectory.focus
    response = focus_save(
        trajectory, {"version": 1, "changes": [{"field": "focus", "text": "x" * 4001}]}
    )
    assert response.status_code == 400
    assert json.loads(response.content)["error"] == (
        "Question for support is at most 4,000 characters; shorten it and it will be saved."
    )
    trajectory.refresh_from_db()
    assert (trajectory.focus, trajectory.version) == (before, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[]",
        {"changes": []},
        {"version": "x", "changes": []},
        {"version": 1, "changes": {"field": "focus", "text": "x"}},
        {"version": 1, "changes": ["focus"]},
    ],
)
def test_an_unreadable_batch_gets_400_and_writes_nothing(world, body):
    response = focus_save(world.opleiden, body)
    assert response.status_code == 400
    assert json.loads(response.content) == {"error": "The changes could not be read."}
    world.opleiden.refresh_from_db()
    assert world.opleiden.version == 1


@pytest.mark.django_db
def test_a_batch_over_the_size_limit_gets_400_before_it_is_read(world):
    text = "x" * MAX_BATCH_BYTES
    response = focus_save(
        world.opleiden, {"version": 1, "changes": [{"field": "focus", "text": text}]}
    )
    assert response.status_code == 400
    assert json.loads(response.content) == {"error": "Too many changes at once."}
    world.opleiden.refresh_from_db()
    assert world.opleiden.version == 1


def test_an_ended_session_gets_a_json_401_and_a_live_one_reaches_the_view():
    view = autosave_view(missing="gone", refused="no")(
        lambda request: JsonResponse({"reached": True})
    )
    request = RequestFactory().post("/save/")
    request.user = AnonymousUser()
    response = view(request)
    assert response.status_code == 401
    assert json.loads(response.content) == {"error": "Your session has ended. Log in again."}

    request.user = type("LoggedIn", (), {"is_authenticated": True})()
    assert json.loads(view(request).content) == {"reached": True}


def test_a_lookup_refused_by_the_policy_is_answered_as_json():
    def refusing(error):
        def view(request):
            raise error

        return autosave_view(missing="It is gone.", refused="Not yours.")(view)

    request = RequestFactory().post("/save/")
    request.user = type("LoggedIn", (), {"is_authenticated": True})()
    gone, refused = refusing(Http404)(request), refusing(PermissionDenied)(request)
    assert (gone.status_code, json.loads(gone.content)) == (404, {"error": "It is gone."})
    assert (refused.status_code, json.loads(refused.content)) == (403, {"error": "Not yours."})


# The observation's save goes through the same mechanism.


@pytest.fixture
def observation(world):
    return ObservationFactory(visit=LessonVisitFactory(trajectory=world.opleiden))


def observation_save(client, observation, body: str):
    return client.post(
        reverse("observation_save", kwargs={"public_id": observation.public_id}),
        body,
        content_type="application/json",
        headers={"accept-language": "en"},
    )


@pytest.mark.django_db
def test_the_observation_conflict_names_the_observation_and_carries_its_state(
    as_persona, observation
):
    client = as_persona("opleider")
    first, second = icalt().items.filter(domain__is_teaching=True).order_by("number")[:2]
    batch = {"version": 1, "changes": [{"type": "score", "item": first.pk, "score": 3}]}
    assert observation_save(client, observation, json.dumps(batch)).status_code == 200
    batch["changes"] = [{"type": "score", "item": second.pk, "score": 1}]
    response = observation_save(client, observation, json.dumps(batch))
    assert response.status_code == 409
    body = response.json()
    assert body["error"] == "Someone else saved this observation in the meantime."
    assert body["server"]["version"] == 2
    assert body["server"]["scores"] == {
        str(first.pk): {"score": 3, "not_observed": False, "note": ""}
    }


@pytest.mark.django_db
def test_an_oversized_observation_batch_gets_400_and_writes_nothing(as_persona, observation):
    first = icalt().items.filter(domain__is_teaching=True).order_by("number")[0]
    change = {"type": "score", "item": first.pk, "note": "x" * 1000}
    body = json.dumps({"version": 1, "changes": [change] * 300})
    response = observation_save(as_persona("opleider"), observation, body)
    assert response.status_code == 400
    assert response.json() == {"error": "Too many changes at once."}
    observation.refresh_from_db()
    assert observation.version == 1
    assert not observation.scores.exists()


@pytest.mark.django_db
def test_an_anonymous_observation_save_gets_json_401(client, observation):
    response = observation_save(client, observation, json.dumps({"version": 1, "changes": []}))
    assert response.status_code == 401
    assert response.json() == {"error": "Your session has ended. Log in again."}


@pytest.mark.django_db
def test_an_empty_post_by_the_observer_gets_400(as_persona, observation):
    response = observation_save(as_persona("opleider"), observation, "")
    assert response.status_code == 400
    assert response.json() == {"error": "The changes could not be read."}
