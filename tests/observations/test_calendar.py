"""The private calendar feed: who gets which visits, what stays out, and the secret link."""

import datetime

import pytest
from django.contrib import messages
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from icalendar import Calendar

from mentoring.models import AuditEntry
from observations.calendar import calendar_feed_get_or_create
from observations.models import CalendarFeed, VisitStatus
from roles.models import Role
from tests.factories import LessonVisitFactory, RoleAssignmentFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db

SECRET_GOAL = "Lesdoel-SENTINEL-4e1c: leerlingen leggen osmose uit"
SUBJECT = "scheikunde-SENTINEL"


def soon(days: int = 3) -> datetime.datetime:
    """A whole minute, as a calendar stores it (iCalendar has no fractions of a second)."""
    return (timezone.now() + datetime.timedelta(days=days)).replace(second=0, microsecond=0)


def feed_url(user) -> str:
    feed = calendar_feed_get_or_create(user=user)
    return reverse("calendar_feed", kwargs={"token": feed.token})


def fetch(client, user):
    """The feed as a calendar app fetches it: not logged in."""
    client.logout()
    return client.get(feed_url(user))


def events(response) -> dict:
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def visit(world):
    return LessonVisitFactory(
        trajectory=world.opleiden,
        starts_at=soon(),
        duration_minutes=50,
        class_name="3H",
        subject=SUBJECT,
        lesson_goal=SECRET_GOAL,
    )


def test_opleider_feed_shows_their_visit_without_the_lesson_goal(client, world, visit):
    opleider, student = world.people["opleider"], world.people["student_teacher"]
    response = fetch(client, opleider)

    (event,) = events(response).values()
    assert str(event["UID"]) == f"{visit.public_id}@testserver"
    assert event.start == visit.starts_at
    assert event.end == visit.starts_at + datetime.timedelta(minutes=50)
    assert event.start.utcoffset() == datetime.timedelta(0)
    assert f"DTSTART:{visit.starts_at.astimezone(datetime.UTC):%Y%m%dT%H%M%S}Z" in (
        response.content.decode()
    )
    with translation.override(opleider.preferred_language):
        expected = gettext("Lesson visit: %(teacher)s") % {"teacher": student.full_name}
    assert str(event["SUMMARY"]) == expected
    assert str(event["LOCATION"]) == "3H"
    assert str(event["CLASS"]) == "PRIVATE"
    # What the lesson is about stays in the app: calendars end up on Google's servers.
    body = response.content.decode()
    assert "SENTINEL" not in body
    assert "DESCRIPTION" not in body


def test_student_teacher_feed_has_the_same_visit_by_their_opleider(client, world, visit):
    student, opleider = world.people["student_teacher"], world.people["opleider"]
    student.preferred_language = "en"
    student.save()

    (event,) = events(fetch(client, student)).values()

    assert str(event["UID"]) == f"{visit.public_id}@testserver"
    assert event.start == visit.starts_at
    assert str(event["SUMMARY"]) == f"Lesson visit by {opleider.full_name}"
    assert "SENTINEL" not in fetch(client, student).content.decode()


def test_coordinator_feed_has_only_the_visits_they_take_part_in(client, world, visit):
    coordinator = world.people["coordinator"]
    LessonVisitFactory(trajectory=world.coaching, starts_at=soon())
    # The coordinator also coaches someone: that visit is theirs.
    own_trajectory = TrajectoryFactory(
        begeleider_role=RoleAssignmentFactory(
            user=coordinator, school=world.school, school_year=world.school_year, role=Role.COACH
        )
    )
    own_visit = LessonVisitFactory(trajectory=own_trajectory, starts_at=soon())

    assert set(events(fetch(client, coordinator))) == {f"{own_visit.public_id}@testserver"}


def test_feed_leaves_out_cancelled_and_long_past_visits(client, world, visit):
    held = LessonVisitFactory(
        trajectory=world.opleiden, starts_at=soon(-59), status=VisitStatus.HELD
    )
    LessonVisitFactory(trajectory=world.opleiden, starts_at=soon(-61), status=VisitStatus.HELD)
    LessonVisitFactory(trajectory=world.opleiden, starts_at=soon(5), status=VisitStatus.CANCELLED)
    # Another school's visits never show, whoever asks.
    LessonVisitFactory(trajectory=world.other_school_trajectory, starts_at=soon())

    assert set(events(fetch(client, world.people["opleider"]))) == {
        f"{visit.public_id}@testserver",
        f"{held.public_id}@testserver",
    }


def test_settings_page_shows_the_absolute_link_and_keeps_it(as_persona, world):
    client = as_persona("coach")
    response = client.get(reverse("calendar_feed_settings"))

    feed = CalendarFeed.objects.get(user=world.people["coach"])
    link = "http://testserver" + reverse("calendar_feed", kwargs={"token": feed.token})
    assert response.status_code == 200
    assert response.context["feed_url"] == link
    assert link in response.content.decode()
    assert response.context["webcal_url"] == link.replace("http://", "webcal://")
    assert len(feed.token) >= 43
    # Showing the page again does not change the link.
    client.get(reverse("calendar_feed_settings"))
    assert CalendarFeed.objects.get(user=world.people["coach"]).token == feed.token


def test_a_new_link_retires_the_old_one(as_persona, world):
    coach = world.people["coach"]
    LessonVisitFactory(trajectory=world.coaching, starts_at=soon())
    old_url = feed_url(coach)
    client = as_persona("coach")

    response = client.post(reverse("calendar_feed_settings"))

    assert response.status_code == 302
    assert response.url == reverse("calendar_feed_settings")
    assert [m.level for m in messages.get_messages(response.wsgi_request)] == [messages.SUCCESS]
    new_url = reverse("calendar_feed", kwargs={"token": CalendarFeed.objects.get().token})
    assert new_url != old_url
    client.logout()
    assert client.get(old_url).status_code == 404
    assert len(events(client.get(new_url))) == 1
    entry = AuditEntry.objects.get(action="calendar_feed.regenerated")
    assert entry.actor == coach


def test_unknown_token_is_not_found(client, world):
    calendar_feed_get_or_create(user=world.people["opleider"])
    for token in ("not-a-real-token", "x" * 43, "x" * 500):
        assert client.get(reverse("calendar_feed", kwargs={"token": token})).status_code == 404


def test_feed_of_a_deactivated_person_is_not_found(client, world, visit):
    opleider = world.people["opleider"]
    url = feed_url(opleider)
    opleider.is_active = False
    opleider.save()

    response = client.get(url)

    assert response.status_code == 404
    assert "SENTINEL" not in response.content.decode()
    assert (
        response["Content-Type"]
        == client.get(reverse("calendar_feed", kwargs={"token": "not-a-real-token"}))[
            "Content-Type"
        ]
    )


def test_feed_headers_keep_it_private_and_typed(client, world, visit):
    response = fetch(client, world.people["opleider"])

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'inline; filename="mentoring.ics"'
    # Calendar apps are asked to fetch it again every hour.
    calendar = Calendar.from_ical(response.content)
    assert calendar["REFRESH-INTERVAL"].dt == datetime.timedelta(hours=1)
    assert "X-PUBLISHED-TTL:PT1H" in response.content.decode().splitlines()


def test_feed_answers_only_get_and_head(client, world, visit):
    url = feed_url(world.people["opleider"])
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405
    assert client.put(url).status_code == 405


def test_feed_query_count_does_not_grow_with_visits(client, world, django_assert_max_num_queries):
    url = feed_url(world.people["opleider"])
    for n in range(100):
        LessonVisitFactory(trajectory=world.opleiden, starts_at=soon() + datetime.timedelta(days=n))
    # the feed with its owner; the visits with teacher and begeleider joined; the sessions of
    # the owner's learning groups with their group
    with django_assert_max_num_queries(3):
        response = client.get(url)
    assert len(events(response)) == 100
