"""The page after log-in shows each person their schools and roles; figures only for those who
lead or coordinate a school."""

import datetime

import pytest
from django.urls import reverse

from roles.models import StaffKind
from roles.selectors import school_year_current
from tests.factories import (
    LearningGroupFactory,
    MembershipFactory,
    RoleAssignmentFactory,
    SchoolYearFactory,
    TrajectoryFactory,
    UserFactory,
)


def home(as_persona, persona):
    response = as_persona(persona).get(reverse("home"))
    assert response.status_code == 200
    return response


def test_begeleider_sees_their_role_hours_and_school(as_persona):
    page = home(as_persona, "opleider").content.decode()
    assert "Jouw rollen als begeleider" in page
    assert "Opleider" in page
    assert "werkplekbegeleider" in page
    assert "40 taakuren dit schooljaar" in page
    assert "Het Baken College" in page


def test_student_teacher_sees_their_school_their_opleider_and_no_figures(as_persona, world):
    response = home(as_persona, "student_teacher")
    page = response.content.decode()
    assert "Student (leraar in opleiding)" in page
    assert response.context["trajectories_as_teacher"] == [world.opleiden]
    assert world.people["opleider"].full_name in page
    assert response.context["school_figures"] == []


def test_teacher_without_a_trajectory_gets_a_helpful_empty_state(client, world):
    teacher = MembershipFactory(school=world.school, staff_kind=StaffKind.TEACHER).user
    client.force_login(teacher)
    assert "Jouw ontwikkeling" in client.get(reverse("home")).content.decode()


def test_begeleider_sees_the_people_they_support(as_persona, world):
    response = home(as_persona, "coach")
    assert response.context["trajectories_as_begeleider"] == [world.coaching]
    assert world.people["coachee"].full_name in response.content.decode()


def test_procesbegeleider_and_members_see_their_learning_group(as_persona, world):
    for persona in ("procesbegeleider", "coach"):
        response = home(as_persona, persona)
        assert response.context["learning_groups"] == [world.group]
    assert home(as_persona, "coachee").context["learning_groups"] == []


def test_an_ended_trajectory_leaves_the_home_page(as_persona, world):
    world.coaching.status = "ended"
    world.coaching.ends_on = world.coaching.starts_on
    world.coaching.save()
    assert home(as_persona, "coachee").context["trajectories_as_teacher"] == []


def test_coordinator_sees_counts_for_their_school_only(as_persona, world):
    MembershipFactory(school=world.school, staff_kind=StaffKind.TEACHER, is_active=False)
    figures = home(as_persona, "coordinator").context["school_figures"]
    assert [f.school for f in figures] == [world.school]
    people = dict(figures[0].people)
    # opleider, coach, procesbegeleider, coachee; the inactive teacher is not counted
    assert people["docent"] == 4
    assert people["student (leraar in opleiding)"] == 1
    assert dict(figures[0].begeleiders) == {"opleider": 1, "coach": 1, "procesbegeleider": 1}
    assert figures[0].task_hours == 120


def test_school_leader_sees_the_same_aggregate_figures(as_persona, world):
    figures = home(as_persona, "school_leader").context["school_figures"]
    assert [f.school for f in figures] == [world.school]


def test_coordinator_of_another_school_sees_nothing_of_this_school(as_persona, world):
    page = home(as_persona, "other_school_coordinator").content.decode()
    assert "Het Baken College" not in page
    assert "De Horizon in één oogopslag" in page


def test_person_without_a_school_gets_a_helpful_empty_state(client, db):
    client.force_login(UserFactory())
    page = client.get(reverse("home")).content.decode()
    assert "Je bent nog niet aan een school gekoppeld" in page


def test_someone_with_several_roles_sees_all_of_them(as_persona, world):
    coordinator = world.people["coordinator"]
    RoleAssignmentFactory(
        user=coordinator, school=world.school, school_year=world.school_year, role="coach"
    )
    response = home(as_persona, "coordinator")
    assert [a.role for a in response.context["role_assignments"]] == ["coach"]
    assert response.context["school_figures"]


@pytest.mark.parametrize("extra_people", [0, 150])
def test_home_query_count_does_not_grow_with_the_school(
    as_persona, world, django_assert_max_num_queries, extra_people
):
    coordinator = world.people["coordinator"]
    for _ in range(extra_people):
        person = MembershipFactory(school=world.school).user
        role = RoleAssignmentFactory(
            user=person, school=world.school, school_year=world.school_year
        )
        TrajectoryFactory(begeleider_role=role, teacher=coordinator)
        LearningGroupFactory(
            school=world.school, school_year=world.school_year, members=[coordinator]
        )
    client = as_persona("coordinator")
    # session, user, school year, memberships, role assignments, school figures (2),
    # trajectories as begeleider and as teacher (2), learning groups, the menu's coordinator
    # check
    with django_assert_max_num_queries(12):
        client.get(reverse("home"))


def test_a_school_year_set_up_ahead_shows_before_it_starts(db):
    assert school_year_current() is None
    coming = SchoolYearFactory(
        name="2099-2100", starts_on=datetime.date(2099, 8, 1), ends_on=datetime.date(2100, 7, 31)
    )
    assert school_year_current() == coming
    current = SchoolYearFactory()  # 2026-2027, started
    assert school_year_current() == current
