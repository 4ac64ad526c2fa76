"""Group sessions outside the group's pages: in the calendar feed of the group's facilitators
and current members (named by the group, never by what it discusses), and on their home page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from icalendar import Calendar

from observations.calendar import calendar_feed_get_or_create
from reflection import services

pytestmark = pytest.mark.django_db

FOCUS = "SENTINEL-groepsthema-8b21: waarom haken mijn leerlingen af"


def soon(days: int = 3) -> datetime.datetime:
    return (timezone.now() + datetime.timedelta(days=days)).replace(second=0, microsecond=0)


def plan(world, *, days: int = 3, location: str = "Lokaal 12"):
    return services.group_session_plan(
        actor=world.people["procesbegeleider"],
        group=world.group,
        starts_at=soon(days),
        location=location,
        focus=FOCUS,
    )


def feed_events(client, user) -> dict:
    client.logout()
    feed = calendar_feed_get_or_create(user=user)
    response = client.get(reverse("calendar_feed", kwargs={"token": feed.token}))
    assert response.status_code == 200
    assert FOCUS not in response.content.decode()
    return {
        str(event["UID"]): event for event in Calendar.from_ical(response.content).walk("VEVENT")
    }


@pytest.mark.parametrize("persona", ["coach", "opleider", "procesbegeleider"])
def test_group_session_is_in_the_feed_of_members_and_facilitators(client, world, persona):
    session = plan(world)
    user = world.people[persona]

    event = feed_events(client, user)[f"{session.public_id}@testserver"]

    assert event.start == session.starts_at
    assert event.end == session.starts_at + datetime.timedelta(minutes=90)
    with translation.override(user.preferred_language):
        expected = gettext("Learning group: %(group)s") % {"group": world.group.name}
    assert str(event["SUMMARY"]) == expected
    assert str(event["LOCATION"]) == "Lokaal 12"
    assert str(event["CLASS"]) == "PRIVATE"


def test_a_member_who_left_no_longer_has_the_groups_sessions(client, world):
    session = plan(world)
    coach = world.people["coach"]
    services.group_member_leave(actor=coach, membership=world.group.memberships.get(user=coach))

    assert f"{session.public_id}@testserver" not in feed_events(client, coach)


@pytest.mark.parametrize("persona", ["coordinator", "school_leader", "coachee"])
def test_people_outside_the_group_do_not_get_its_sessions(client, world, persona):
    session = plan(world)

    assert f"{session.public_id}@testserver" not in feed_events(client, world.people[persona])


def test_a_cancelled_session_leaves_the_feed(client, world):
    session = plan(world)
    services.group_session_cancel(actor=world.people["procesbegeleider"], session=session)

    assert f"{session.public_id}@testserver" not in feed_events(client, world.people["coach"])


# --- Home page ------------------------------------------------------------------------------


def home_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_home_lists_the_next_sessions_of_the_users_groups_in_one_query(as_persona, world):
    client = as_persona("coach")
    first = plan(world, days=1)
    few, html = home_queries(client)
    assert reverse("session_detail", kwargs={"public_id": first.public_id}) in html
    assert world.group.name in html
    assert FOCUS not in html

    later = [plan(world, days=day) for day in range(2, 12)]
    past = services.group_session_plan(
        actor=world.people["procesbegeleider"],
        group=world.group,
        starts_at=timezone.now() - datetime.timedelta(days=1),
    )
    many, html = home_queries(client)

    assert many == few
    shown = [
        session
        for session in [first, *later, past]
        if reverse("session_detail", kwargs={"public_id": session.public_id}) in html
    ]
    assert shown == [first, *later[:4]]


def test_home_of_someone_outside_the_group_has_no_group_sessions(as_persona, world):
    session = plan(world)

    _count, html = home_queries(as_persona("coordinator"))

    assert reverse("session_detail", kwargs={"public_id": session.public_id}) not in html
