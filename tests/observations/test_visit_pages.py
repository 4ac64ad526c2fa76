"""Planning, listing and moving lesson visits through the pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from mentoring.models import AuditEntry
from observations.models import LessonVisit, VisitStatus
from tests.factories import LessonVisitFactory, RoleAssignmentFactory, TrajectoryFactory, icalt

pytestmark = pytest.mark.django_db

SECRET_GOAL = "Lesdoel-SENTINEL: leerlingen leggen osmose uit"


def local(dt: datetime.datetime) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def test_opleider_plans_a_visit_with_focus_items(as_persona, world):
    items = list(icalt().items.filter(number__in=[9, 12]))
    when = timezone.now() + datetime.timedelta(days=5)
    response = as_persona("opleider").post(
        reverse("visit_plan", kwargs={"public_id": world.opleiden.public_id}),
        {
            "starts_at": local(when),
            "duration_minutes": 50,
            "class_name": "2B",
            "subject": "biologie",
            "lesson_goal": SECRET_GOAL,
            "focus_items": [item.pk for item in items],
        },
    )
    visit = LessonVisit.objects.get()
    assert response.url == reverse("visit_detail", kwargs={"public_id": visit.public_id})
    assert set(visit.focus_items.all()) == set(items)
    assert visit.starts_at.replace(second=0, microsecond=0) == when.replace(second=0, microsecond=0)


@pytest.mark.parametrize(
    "data",
    [
        {"starts_at": "morgen"},
        {"starts_at": "2026-13-45T25:61"},
        {"duration_minutes": 0},
        {"duration_minutes": "abc"},
        {"focus_items": [10**9]},
        {"class_name": "x" * 41},
    ],
)
def test_plan_form_refuses_bad_input_and_writes_nothing(as_persona, world, data):
    base = {"starts_at": local(timezone.now() + datetime.timedelta(days=1)), "duration_minutes": 50}
    response = as_persona("opleider").post(
        reverse("visit_plan", kwargs={"public_id": world.opleiden.public_id}), {**base, **data}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not LessonVisit.objects.exists()


def test_coordinator_sees_that_a_visit_happens_but_not_its_lesson_goal(as_persona, world):
    visit = LessonVisitFactory(trajectory=world.opleiden, lesson_goal=SECRET_GOAL)
    url = reverse("visit_detail", kwargs={"public_id": visit.public_id})
    coordinator_page = as_persona("coordinator").get(url).content.decode()
    assert escape(world.people["student_teacher"].full_name) in coordinator_page
    assert SECRET_GOAL not in coordinator_page
    assert SECRET_GOAL in as_persona("student_teacher").get(url).content.decode()
    assert (
        AuditEntry.objects.filter(
            action="visit.viewed", actor=world.people["student_teacher"]
        ).count()
        == 1
    )


def test_visit_list_splits_upcoming_from_past_and_filters_by_trajectory(as_persona, world):
    soon = LessonVisitFactory(trajectory=world.opleiden)
    held = LessonVisitFactory(
        trajectory=world.opleiden,
        starts_at=timezone.now() - datetime.timedelta(days=7),
        status=VisitStatus.HELD,
    )
    other = LessonVisitFactory(trajectory=world.coaching)
    client = as_persona("coordinator")

    def listed(**params):
        return list(client.get(reverse("visit_list"), params).context["page"].object_list)

    assert listed() == [other, soon] or listed() == [soon, other]
    assert listed(when="past") == [held]
    assert listed(trajectory=str(world.opleiden.public_id)) == [soon]
    assert listed(trajectory="not-a-uuid") == []
    # The student teacher sees only their own trajectory's visits.
    assert list(
        as_persona("student_teacher").get(reverse("visit_list")).context["page"].object_list
    ) == [soon]


def test_visit_list_query_count_does_not_grow(as_persona, world, django_assert_max_num_queries):
    for n in range(200):
        teacher_role = RoleAssignmentFactory(
            school=world.school, school_year=world.school_year, role="opleider"
        )
        LessonVisitFactory(
            trajectory=TrajectoryFactory(begeleider_role=teacher_role),
            starts_at=timezone.now() + datetime.timedelta(hours=n + 1),
        )
    client = as_persona("coordinator")
    # session, user, count, one page of visits with people and school joined, the menu
    with django_assert_max_num_queries(6):
        response = client.get(reverse("visit_list"))
    assert len(response.context["page"].object_list) == 25


def test_opleider_moves_then_cancels_a_visit_after_confirming(as_persona, world):
    visit = LessonVisitFactory(trajectory=world.opleiden)
    client = as_persona("opleider")
    later = visit.starts_at + datetime.timedelta(days=2)
    client.post(
        reverse("visit_reschedule", kwargs={"public_id": visit.public_id}),
        {"starts_at": local(later)},
    )
    cancel = reverse("visit_cancel", kwargs={"public_id": visit.public_id})
    assert client.get(cancel).status_code == 200
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED  # asking changed nothing
    client.post(cancel)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CANCELLED
    assert timezone.localtime(visit.starts_at).strftime("%Y-%m-%dT%H:%M") == local(later)
    # A cancelled visit cannot be marked held.
    client.post(reverse("visit_mark_held", kwargs={"public_id": visit.public_id}))
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CANCELLED
