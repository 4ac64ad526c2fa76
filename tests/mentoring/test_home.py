"""The page after log-in shows each person their schools and roles; figures only for those who
lead or coordinate a school."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from reflection.models import GoalStatus
from roles.models import StaffKind
from roles.selectors import school_year_current
from tests.conftest import COACHING_SENTINEL
from tests.factories import (
    AgreementFactory,
    ConversationFactory,
    LearningGoalFactory,
    LearningGroupFactory,
    MembershipFactory,
    ReflectionCycleFactory,
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
    assert escape(world.people["opleider"].full_name) in page
    assert response.context["school_figures"] == []


def test_teacher_without_a_trajectory_gets_a_helpful_empty_state(client, world):
    teacher = MembershipFactory(school=world.school, staff_kind=StaffKind.TEACHER).user
    client.force_login(teacher)
    assert "Jouw ontwikkeling" in client.get(reverse("home")).content.decode()


def test_begeleider_sees_the_people_they_support(as_persona, world):
    response = home(as_persona, "coach")
    assert response.context["trajectories_as_begeleider"] == [world.coaching]
    assert escape(world.people["coachee"].full_name) in response.content.decode()


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
    # session, user, school year, memberships, role assignments, school figures (2), the
    # trajectories taken part in, learning groups; with 150 trajectories as teacher also their
    # open agreements, current goals, the number of draft reflections and the MERID
    # perceptions asked of them; as a member of a learning group, its next sessions. The menu's
    # coordinator check comes from the memberships.
    with django_assert_max_num_queries(14):
        client.get(reverse("home"))


def test_a_school_year_set_up_ahead_shows_before_it_starts(db):
    assert school_year_current() is None
    coming = SchoolYearFactory(
        name="2099-2100", starts_on=datetime.date(2099, 8, 1), ends_on=datetime.date(2100, 7, 31)
    )
    assert school_year_current() == coming
    current = SchoolYearFactory()  # 2026-2027, started
    assert school_year_current() == current


# --- Trajectory content on the home page ----------------------------------------------------


def test_the_teacher_sees_their_current_goals_and_their_drafts(as_persona, world):
    working = LearningGoalFactory(
        trajectory=world.opleiden, title="Heldere instructie", status=GoalStatus.WORKING
    )
    LearningGoalFactory(trajectory=world.opleiden, title="Al bereikt", status=GoalStatus.REACHED)
    ReflectionCycleFactory.create_batch(2, trajectory=world.opleiden)
    ReflectionCycleFactory(trajectory=world.opleiden, shared=True)

    response = home(as_persona, "student_teacher")

    assert response.context["goals"] == [working]
    assert response.context["draft_count"] == 2
    page = response.content.decode()
    assert "Heldere instructie" in page and "Al bereikt" not in page
    assert reverse("cycle_list") in page


def test_the_begeleider_sees_shared_reflections_waiting_for_them(as_persona, world):
    waiting = ReflectionCycleFactory(trajectory=world.opleiden, shared=True, title="Rumoer in 2B")
    ReflectionCycleFactory(trajectory=world.opleiden, discussed=True, title="Al besproken")
    ReflectionCycleFactory(trajectory=world.opleiden, title="Nog een concept")

    response = home(as_persona, "opleider")

    assert response.context["waiting_cycles"] == [waiting]
    page = response.content.decode()
    assert "Rumoer in 2B" in page
    assert "Al besproken" not in page and "Nog een concept" not in page
    assert "waiting_cycles" not in home(as_persona, "coordinator").context


def test_the_agreement_names_the_other_person_and_links_the_conversation(as_persona, world):
    agreement = AgreementFactory(
        conversation=ConversationFactory(trajectory=world.coaching),
        who=world.people["coachee"],
        what="Lesopening voorbereiden",
    )
    conversation_url = reverse(
        "conversation_detail", kwargs={"public_id": agreement.conversation.public_id}
    )
    for persona, other in (("coachee", "coach"), ("coach", "coachee")):
        response = home(as_persona, persona)
        assert response.context["agreements"] == [agreement]
        page = response.content.decode()
        assert escape(world.people[other].full_name) in page
        assert conversation_url in page
        assert reverse("agreement_done", kwargs={"public_id": agreement.public_id}) in page


@pytest.mark.parametrize("persona", ["coordinator", "school_leader", "other_school_coordinator"])
def test_no_coaching_content_on_the_home_page_of_others(as_persona, world, persona):
    conversation = ConversationFactory(trajectory=world.coaching, notes=COACHING_SENTINEL)
    AgreementFactory(conversation=conversation, what=COACHING_SENTINEL)
    LearningGoalFactory(trajectory=world.coaching, title=COACHING_SENTINEL)
    ReflectionCycleFactory(trajectory=world.coaching, shared=True, title=COACHING_SENTINEL)
    response = home(as_persona, persona)
    assert COACHING_SENTINEL not in response.content.decode()
    assert "agreements" not in response.context


def grow_content(world, n: int) -> None:
    for _ in range(n):
        for trajectory in (world.opleiden, world.coaching):
            conversation = ConversationFactory(trajectory=trajectory)
            AgreementFactory.create_batch(2, conversation=conversation)
            LearningGoalFactory(trajectory=trajectory)
            ReflectionCycleFactory(trajectory=trajectory, shared=True)
            ReflectionCycleFactory(trajectory=trajectory)


@pytest.mark.parametrize("persona", ["student_teacher", "opleider", "coach", "coachee"])
def test_home_query_count_does_not_grow_with_the_trajectory_content(as_persona, world, persona):
    client = as_persona(persona)

    def count() -> int:
        client.get(reverse("home"))
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("home"))
        return len(captured.captured_queries)

    few = count()
    grow_content(world, 12)
    # The teacher's page adds open agreements, current goals, the number of drafts and the
    # MERID perceptions asked of them; the begeleider's adds open agreements and the shared
    # reflections waiting for them.
    budget = {"student_teacher": 13, "coachee": 13, "opleider": 12, "coach": 12}
    assert count() == few <= budget[persona]
