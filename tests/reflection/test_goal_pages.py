"""Learning goals through the pages: set from a suggested focus, from a reflection or freely,
changed without losing anyone's words, evidence linked within the trajectory only, and in
coaching the coachee's alone to set."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from mentoring.models import AuditEntry
from reflection.models import GoalEvidence, GoalSource, GoalStatus, LearningGoal
from tests.conftest import COACHING_SENTINEL
from tests.factories import (
    GoalEvidenceFactory,
    LearningGoalFactory,
    LessonVisitFactory,
    ReflectionCycleFactory,
    icalt,
)
from tests.observations.test_insights import final_observation, first_shown, visit_on

pytestmark = pytest.mark.django_db

ENGLISH = {"Accept-Language": "en"}
GOAL_SENTINEL = "SENTINEL-coaching-goal-5d21: minder piekeren over de lessen"


def create_url(trajectory, query: str = "") -> str:
    url = reverse("goal_create", kwargs={"public_id": trajectory.public_id})
    return f"{url}?{query}" if query else url


def detail_url(goal) -> str:
    return reverse("goal_detail", kwargs={"public_id": goal.public_id})


def evidence_url(goal) -> str:
    return reverse("goal_evidence_add", kwargs={"public_id": goal.public_id})


def remove_url(evidence) -> str:
    return reverse("goal_evidence_remove", kwargs={"public_id": evidence.public_id})


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def edit(goal, **changes) -> dict:
    return {
        "status": goal.status,
        "title": goal.title,
        "description": goal.description,
        "version": goal.version,
        **changes,
    }


@pytest.fixture
def coaching_goal(world):
    return LearningGoalFactory(
        trajectory=world.coaching, title="Rust in mijn hoofd", description=GOAL_SENTINEL
    )


# --- Setting a goal ---------------------------------------------------------------------------


def test_a_goal_starts_from_an_item_of_the_suggested_focus(as_persona, world):
    observation = final_observation(visit_on(world.opleiden, 3), first_shown(12))
    item = icalt().items.get(number=13)
    client = as_persona("student_teacher")
    url = create_url(world.opleiden, f"observation={observation.public_id}&item={item.pk}")

    page = client.get(url, headers=ENGLISH)

    assert page.context["form"].initial["title"] == item.text_en
    assert page.context["source"]["source_item"] == item
    assert "From the suggested focus" in page.content.decode()
    response = client.post(url, {"title": "Ik laat leerlingen hardop denken", "description": ""})
    goal = LearningGoal.objects.get()
    assert response.url == detail_url(goal)
    assert (goal.source, goal.source_item, goal.source_observation) == (
        GoalSource.OBSERVATION,
        item,
        observation,
    )
    assert (goal.owner, goal.created_by) == (world.people["student_teacher"],) * 2
    detail = client.get(detail_url(goal), headers=ENGLISH).content.decode()
    assert "From the suggested focus of an observation" in detail
    assert reverse("observation_detail", kwargs={"public_id": observation.public_id}) in detail


def test_the_analysis_page_offers_each_suggested_item_as_a_goal(as_persona, world):
    observation = final_observation(visit_on(world.opleiden, 3), first_shown(12))
    item = icalt().items.get(number=13)
    link = create_url(world.opleiden, f"observation={observation.public_id}&amp;item={item.pk}")
    analysis = reverse("trajectory_analysis", kwargs={"public_id": world.opleiden.public_id})
    for persona in ("student_teacher", "opleider"):
        assert link in as_persona(persona).get(analysis).content.decode()

    final_observation(visit_on(world.coaching, 3), first_shown(12))
    coaching = reverse("trajectory_analysis", kwargs={"public_id": world.coaching.public_id})
    assert "goals/new/" in as_persona("coachee").get(coaching).content.decode()
    # The coach reads the analysis but does not set the coachee's goals.
    assert "goals/new/" not in as_persona("coach").get(coaching).content.decode()


def test_a_goal_starts_from_the_intention_of_a_reflection(as_persona, world):
    cycle = ReflectionCycleFactory(
        trajectory=world.opleiden,
        shared=True,
        intention="Ik start elke les met een vraag op het bord.\nDan weten ze waar het om gaat.",
    )
    client = as_persona("opleider")
    url = create_url(world.opleiden, f"cycle={cycle.public_id}")

    initial = client.get(url).context["form"].initial

    assert initial == {
        "title": "Ik start elke les met een vraag op het bord.",
        "description": cycle.intention,
    }
    client.post(url, initial)
    goal = LearningGoal.objects.get()
    assert (goal.source, goal.source_cycle) == (GoalSource.CYCLE, cycle)
    assert goal.owner == world.people["student_teacher"]
    assert goal.created_by == world.people["opleider"]


def test_a_free_goal_needs_only_a_title(as_persona, world):
    client = as_persona("student_teacher")
    assert client.post(create_url(world.opleiden), {"title": ""}).status_code == 200
    assert not LearningGoal.objects.exists()

    client.post(create_url(world.opleiden), {"title": "Duidelijke instructie", "description": ""})

    assert LearningGoal.objects.get().source == GoalSource.FREE


@pytest.mark.parametrize(
    "query",
    [
        "observation=not-a-uuid",
        "observation=00000000-0000-0000-0000-000000000000",
        "observation={other}",
        "observation={draft}",
        "observation={own}&item=abc",
        "observation={own}&item=999999",
        "observation={own}&item=99999999999999999999",
        "observation={own}&item=²",
        "cycle=not-a-uuid",
        "cycle={draft_cycle}",
    ],
)
def test_a_bad_or_foreign_starting_point_is_left_out_with_a_message(as_persona, world, query):
    own = final_observation(visit_on(world.opleiden, 3), first_shown(12))
    other = final_observation(visit_on(world.other_school_trajectory, 3), first_shown(12))
    draft = final_observation(visit_on(world.opleiden, 5), first_shown(12))
    draft.status = "draft"
    draft.save()
    draft_cycle = ReflectionCycleFactory(trajectory=world.opleiden)  # the student's own draft
    query = query.format(
        own=own.public_id,
        other=other.public_id,
        draft=draft.public_id,
        draft_cycle=draft_cycle.public_id,
    )
    client = as_persona("opleider")

    response = client.get(create_url(world.opleiden, query))

    assert response.status_code == 200
    assert messages_of(response)
    assert "source_item" not in response.context["source"]
    response = client.post(create_url(world.opleiden, query), {"title": "Mijn eigen woorden"})
    assert response.status_code == 302
    assert LearningGoal.objects.get().source_item is None


def test_in_coaching_only_the_coachee_sets_and_changes_goals(as_persona, world, coaching_goal):
    coach = as_persona("coach")
    assert coach.get(create_url(world.coaching)).status_code == 403
    assert coach.post(create_url(world.coaching), {"title": "Van de coach"}).status_code == 403
    assert coach.post(detail_url(coaching_goal), edit(coaching_goal, title="X")).status_code == 403
    page = coach.get(detail_url(coaching_goal))
    assert page.status_code == 200
    assert page.context["form"] is None
    assert GOAL_SENTINEL in page.content.decode()

    coachee = as_persona("coachee")
    assert coachee.post(create_url(world.coaching), {"title": "Van mij"}).status_code == 302
    response = coachee.post(detail_url(coaching_goal), edit(coaching_goal, status="working"))
    assert response.status_code == 302
    assert LearningGoal.objects.get(pk=coaching_goal.pk).status == GoalStatus.WORKING
    assert LearningGoal.objects.count() == 2


def test_the_opleider_may_set_a_goal_in_opleiden(as_persona, world):
    response = as_persona("opleider").post(
        create_url(world.opleiden), {"title": "Samen afgesproken doel"}
    )
    assert response.status_code == 302
    assert LearningGoal.objects.get().owner == world.people["student_teacher"]


@pytest.mark.parametrize("persona", ["coordinator", "school_leader", "procesbegeleider"])
def test_others_at_the_school_get_403_on_a_coaching_goal(as_persona, coaching_goal, persona):
    client = as_persona(persona)
    for response in (
        client.get(detail_url(coaching_goal)),
        client.get(create_url(coaching_goal.trajectory)),
        client.post(evidence_url(coaching_goal), {}),
    ):
        assert response.status_code == 403
        assert GOAL_SENTINEL not in response.content.decode()
        assert COACHING_SENTINEL not in response.content.decode()
    assert GOAL_SENTINEL not in client.get(reverse("home")).content.decode()
    assert GOAL_SENTINEL not in client.get(reverse("goal_list")).content.decode()


def test_another_school_gets_404_on_a_coaching_goal(as_persona, coaching_goal):
    client = as_persona("other_school_coordinator")
    assert client.get(detail_url(coaching_goal)).status_code == 404
    assert client.get(create_url(coaching_goal.trajectory)).status_code == 404


# --- Changing a goal ---------------------------------------------------------------------------


def test_the_status_changes_and_the_version_counts_up(as_persona, world):
    goal = LearningGoalFactory(trajectory=world.opleiden)
    response = as_persona("student_teacher").post(
        detail_url(goal), edit(goal, status=GoalStatus.REACHED)
    )
    assert response.url == detail_url(goal)
    goal.refresh_from_db()
    assert (goal.status, goal.version) == (GoalStatus.REACHED, 2)


def test_an_empty_edit_shows_the_form_again(as_persona, world):
    goal = LearningGoalFactory(trajectory=world.opleiden)
    response = as_persona("student_teacher").post(detail_url(goal), {})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert LearningGoal.objects.get().version == 1


def test_a_stale_edit_shows_both_versions_and_overwrites_nothing(as_persona, world):
    goal = LearningGoalFactory(trajectory=world.opleiden, description="Eerste versie")
    opened = edit(goal)
    as_persona("opleider").post(detail_url(goal), {**opened, "description": "Van de opleider"})

    response = as_persona("student_teacher").post(
        detail_url(goal), {**opened, "description": "Van de student"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Van de opleider" in page and "Van de student" in page
    assert response.context["form"]["version"].value() == 2
    goal.refresh_from_db()
    assert (goal.description, goal.version) == ("Van de opleider", 2)
    # Saving again, now knowingly over the other version, keeps the student's words.
    resend = {**opened, "description": "Van de student", "version": 2}
    as_persona("student_teacher").post(detail_url(goal), resend)
    goal.refresh_from_db()
    assert goal.description == "Van de student"


def test_reading_someone_elses_goal_is_audited(as_persona, world, coaching_goal):
    as_persona("coachee").get(detail_url(coaching_goal))
    assert not AuditEntry.objects.filter(action="goal.viewed").exists()
    as_persona("coach").get(detail_url(coaching_goal))
    entry = AuditEntry.objects.get(action="goal.viewed")
    assert (entry.actor, entry.object_id) == (world.people["coach"], str(coaching_goal.public_id))


# --- Evidence --------------------------------------------------------------------------------


def test_a_visit_an_observation_and_a_shared_reflection_are_linked(as_persona, world):
    goal = LearningGoalFactory(trajectory=world.opleiden)
    visit = LessonVisitFactory(trajectory=world.opleiden)
    observation = final_observation(visit_on(world.opleiden, 3), first_shown(12))
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, shared=True)
    client = as_persona("student_teacher")

    for value in (
        f"visit:{visit.public_id}",
        f"observation:{observation.public_id}",
        f"cycle:{cycle.public_id}",
    ):
        response = client.post(evidence_url(goal), {"link": value, "note": "Zie de start"})
        assert response.status_code == 302

    rows = GoalEvidence.objects.filter(goal=goal)
    assert {(r.visit, r.observation, r.cycle) for r in rows} == {
        (visit, None, None),
        (None, observation, None),
        (None, None, cycle),
    }
    page = client.get(detail_url(goal)).content.decode()
    assert cycle.title in page
    assert reverse("visit_detail", kwargs={"public_id": visit.public_id}) in page


@pytest.mark.parametrize("what", ["other_trajectory", "other_school", "draft_cycle", "nonsense"])
def test_evidence_from_outside_the_trajectory_is_refused(as_persona, world, what):
    goal = LearningGoalFactory(trajectory=world.opleiden)
    trajectory = {
        "other_trajectory": world.coaching,
        "other_school": world.other_school_trajectory,
    }.get(what)
    value = {
        "other_trajectory": lambda: f"visit:{LessonVisitFactory(trajectory=trajectory).public_id}",
        "other_school": lambda: f"visit:{LessonVisitFactory(trajectory=trajectory).public_id}",
        "draft_cycle": lambda: (
            f"cycle:{ReflectionCycleFactory(trajectory=world.opleiden).public_id}"
        ),
        "nonsense": lambda: "visit:'; drop table",
    }[what]()

    response = as_persona("opleider").post(evidence_url(goal), {"link": value})

    assert response.status_code == 302
    assert messages_of(response)
    assert not GoalEvidence.objects.exists()


def test_a_note_over_500_characters_is_refused(as_persona, world):
    goal = LearningGoalFactory(trajectory=world.opleiden)
    visit = LessonVisitFactory(trajectory=world.opleiden)
    as_persona("student_teacher").post(
        evidence_url(goal), {"link": f"visit:{visit.public_id}", "note": "x" * 501}
    )
    assert not GoalEvidence.objects.exists()


def test_evidence_is_removed_after_a_confirmation(as_persona, world):
    evidence = GoalEvidenceFactory(goal=LearningGoalFactory(trajectory=world.opleiden))
    client = as_persona("student_teacher")

    confirm = client.get(remove_url(evidence))

    assert confirm.status_code == 200
    assert GoalEvidence.objects.exists()
    response = client.post(remove_url(evidence))
    assert response.url.startswith(detail_url(evidence.goal))
    assert not GoalEvidence.objects.exists()


def test_the_coach_cannot_remove_a_coachees_evidence(as_persona, world, coaching_goal):
    evidence = GoalEvidenceFactory(goal=coaching_goal)
    assert as_persona("coach").post(remove_url(evidence)).status_code == 403
    assert GoalEvidence.objects.exists()


# --- Lists -----------------------------------------------------------------------------------


def test_the_list_shows_my_goals_and_those_of_people_i_support(as_persona, world, coaching_goal):
    reached = LearningGoalFactory(
        trajectory=world.coaching, title="Al gelukt", status=GoalStatus.REACHED
    )
    LearningGoalFactory(trajectory=world.opleiden, title="Niet van de coach")
    for persona in ("coach", "coachee"):
        client = as_persona(persona)
        current = client.get(reverse("goal_list"))
        assert list(current.context["page"].object_list) == [coaching_goal]
        everything = client.get(reverse("goal_list"), {"status": "all"})
        assert set(everything.context["page"].object_list) == {coaching_goal, reached}


def test_the_list_has_an_empty_state(as_persona, world):
    response = as_persona("coordinator").get(reverse("goal_list"), headers=ENGLISH)
    assert "No current learning goals." in response.content.decode()


def test_the_trajectory_page_shows_goals_to_the_pair_only(as_persona, world, coaching_goal):
    url = reverse("trajectory_detail", kwargs={"public_id": world.coaching.public_id})
    coachee = as_persona("coachee").get(url)
    assert coachee.context["goals"] == [coaching_goal]
    assert coachee.context["can_add_goal"]
    coach = as_persona("coach").get(url)
    assert coach.context["goals"] == [coaching_goal]
    assert not coach.context["can_add_goal"]
    assert create_url(world.coaching) not in coach.content.decode()
    coordinator = as_persona("coordinator").get(url)
    assert "goals" not in coordinator.context
    assert coaching_goal.title not in coordinator.content.decode()
