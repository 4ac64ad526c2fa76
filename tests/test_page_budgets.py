"""Detail pages take a fixed number of queries, however much hangs off the object.

Each page is fetched with little and with much data behind it; the count must not grow, and
stays within the budget written next to it.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from observations.models import ItemScore
from tests.factories import (
    LearningGroupFactory,
    LessonVisitFactory,
    MembershipFactory,
    ObservationFactory,
    RoleAssignmentFactory,
    TrajectoryFactory,
    icalt,
)

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    client.get(url)  # warm caches that are not per request (content types, sessions)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def grow_person(world, n):
    coach = world.people["coach"]
    role = coach.role_assignments.get()
    for _ in range(n):
        TrajectoryFactory(begeleider_role=role, teacher=MembershipFactory(school=world.school).user)


def grow_group(world, n):
    for _ in range(n):
        world.group.memberships.create(user=MembershipFactory(school=world.school).user)


def grow_trajectory(world, n):
    for _ in range(n):
        LessonVisitFactory(trajectory=world.coaching)


def test_person_page(as_persona, world):
    client = as_persona("coordinator")
    url = reverse("person_detail", kwargs={"public_id": world.people["coach"].public_id})
    few = queries(client, url)
    grow_person(world, 30)
    assert queries(client, url) == few <= 14


def test_learning_group_page(as_persona, world):
    client = as_persona("procesbegeleider")
    url = reverse("learning_group_detail", kwargs={"public_id": world.group.public_id})
    few = queries(client, url)
    grow_group(world, 40)
    assert queries(client, url) == few <= 11


def test_trajectory_page(as_persona, world):
    client = as_persona("coach")
    url = reverse("trajectory_detail", kwargs={"public_id": world.coaching.public_id})
    few = queries(client, url)
    grow_trajectory(world, 30)
    assert queries(client, url) == few <= 20


def test_visit_and_observation_pages(as_persona, world, schoolopleider):
    visit = LessonVisitFactory(trajectory=world.opleiden)
    observation = ObservationFactory(visit=visit)
    client = as_persona("opleider")
    urls = [
        reverse("visit_detail", kwargs={"public_id": visit.public_id}),
        reverse("observation_detail", kwargs={"public_id": observation.public_id}),
    ]
    few = [queries(client, url) for url in urls]
    ItemScore.objects.bulk_create(
        ItemScore(observation=observation, item=item, score=3, note="notitie")
        for item in icalt().items.all()
    )
    for item in icalt().items.all()[:10]:
        item.indicators.create(position=1, text_nl="indicator", source="test")
    ObservationFactory(visit=visit, observer=schoolopleider)
    assert [queries(client, url) for url in urls] == few
    assert max(few) <= 20, few


def test_coordinator_pages_without_lists_of_people(as_persona, world):
    client = as_persona("coordinator")
    urls = [
        reverse("instrument_list"),
        reverse("school_year_list"),
        reverse("calendar_feed_settings"),
    ]
    few = [queries(client, url) for url in urls]
    for _ in range(10):
        RoleAssignmentFactory(school=world.school, school_year=world.school_year)
        LearningGroupFactory(school=world.school, school_year=world.school_year)
    assert [queries(client, url) for url in urls] == few
