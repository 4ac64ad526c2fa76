"""Detail pages take a fixed number of queries, however much hangs off the object.

Each page is fetched with little and with much data behind it; the count must not grow, and
stays within the budget written next to it.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.models import ReportError, ReportStatus
from observations.models import ItemScore
from reflection.models import ConversationReport, ReportConfirmation
from tests.factories import (
    AgreementFactory,
    ConversationFactory,
    ConversationReportFactory,
    CycleCommentFactory,
    GoalEvidenceFactory,
    LearningGoalFactory,
    LearningGroupFactory,
    LessonVisitFactory,
    MembershipFactory,
    ObservationFactory,
    ReflectionCycleFactory,
    RoleAssignmentFactory,
    TrajectoryFactory,
    icalt,
)

pytestmark = pytest.mark.django_db


def queries(client, url: str, **headers) -> int:
    client.get(url, **headers)  # warm caches that are not per request (content types, sessions)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
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
        LearningGoalFactory(trajectory=world.coaching)
        AgreementFactory(conversation=ConversationFactory(trajectory=world.coaching))
        ReflectionCycleFactory(trajectory=world.coaching, shared=True)


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
    # With the group's sessions, principles and notes since issue 8; the queries are listed at
    # GROUP_PAGE_BUDGET in tests/reflection/test_session_pages.py.
    assert queries(client, url) == few <= 20


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


# --- Reflection, goals and conversations -----------------------------------------------------


def other_student_teachers(world, n: int) -> list:
    """n more student teachers of the world's opleider, each in their own opleiden trajectory."""
    role = world.opleiden.begeleider_role
    return [
        TrajectoryFactory(
            begeleider_role=role,
            teacher=MembershipFactory(school=world.school, staff_kind="student_teacher").user,
            stage="student_teacher",
            study_year=1,
        )
        for _ in range(n)
    ]


def grow_cycles(world, trajectories, n: int):
    """n cycles spread over the trajectories: half shared, a quarter discussed, the rest
    drafts; every third about a lesson visit, every second shared one with a question and
    its reply; every fifth following on from the one before."""
    previous = None
    for i in range(n):
        trajectory = trajectories[i % len(trajectories)]
        state = ({}, {"shared": True}, {"discussed": True}, {"shared": True})[i % 4]
        visit = LessonVisitFactory(trajectory=trajectory) if i % 3 == 0 else None
        follows = previous if i % 5 == 4 and previous.owner_id == trajectory.teacher_id else None
        cycle = ReflectionCycleFactory(trajectory=trajectory, visit=visit, follows=follows, **state)
        if state and i % 2 == 1:
            question = CycleCommentFactory(cycle=cycle, kind="question")
            CycleCommentFactory(cycle=cycle, parent=question, kind="reply", author=cycle.owner)
        previous = cycle


def test_the_teachers_reflection_list(as_persona, world):
    client = as_persona("student_teacher")
    url = reverse("cycle_list")
    grow_cycles(world, [world.opleiden], 1)
    few = queries(client, url)
    grow_cycles(world, [world.opleiden], 99)
    # session, user; the count of each list (own, shared with me); whether they are anyone's
    # begeleider (for the empty "shared with me" part); the navigation's schools; one page of
    # own cycles with their trajectory, begeleider, visit and comment count: 7.
    assert queries(client, url) == few <= 7


def test_the_begeleiders_overview_of_shared_reflections(as_persona, world):
    """The opleider's list ("shared with me") and home page, with reflections shared by
    several student teachers."""
    client = as_persona("opleider")
    urls = [reverse("cycle_list"), reverse("home")]
    trajectories = [world.opleiden, *other_student_teachers(world, 3)]
    ReflectionCycleFactory(trajectory=world.opleiden, shared=True)
    few = [queries(client, url) for url in urls]
    grow_cycles(world, trajectories, 132)  # 99 more shared or discussed, 33 drafts
    assert [queries(client, url) for url in urls] == few
    # The list: session, user, the count of each list, the navigation's schools, one page of
    # shared cycles with owner, trajectory and comment count (no own cycles to fetch): 6.
    # Home: session, user, the school year, memberships, roles, trajectories, the role and
    # school figures, learning groups (9 before reflection), the open agreements and the
    # shared cycles waiting for a conversation: 11; and as a member of a learning group, its
    # next sessions: 12.
    assert few[0] <= 6 and few[1] <= 12, few


def test_the_goal_list(as_persona, world):
    def grow(n):
        for i in range(n):
            goal = LearningGoalFactory(trajectory=world.opleiden, status=("open", "working")[i % 2])
            if i % 2:
                GoalEvidenceFactory(goal=goal)

    urls = [reverse("goal_list"), reverse("goal_list") + "?status=all"]
    grow(1)
    few = {}
    for persona in ("student_teacher", "opleider"):
        client = as_persona(persona)
        few[persona] = [queries(client, url) for url in urls]
    grow(60)
    for persona in ("student_teacher", "opleider"):
        client = as_persona(persona)
        assert [queries(client, url) for url in urls] == few[persona], persona
    # session, user, the count, the navigation's schools, one page of goals with their
    # trajectory, begeleider, source item and evidence count: 5.
    assert max(max(counts) for counts in few.values()) <= 5, few


def test_the_conversation_list(as_persona, world):
    def grow(n):
        for _ in range(n):
            conversation = ConversationFactory(trajectory=world.opleiden)
            AgreementFactory(conversation=conversation)
            ConversationFactory(trajectory=world.coaching)

    grow(1)
    url = reverse("conversation_list")
    few = {p: queries(as_persona(p), url) for p in ("opleider", "coachee", "student_teacher")}
    grow(40)
    assert {p: queries(as_persona(p), url) for p in few} == few
    # session, user, the count, the navigation's schools, one page of conversations with
    # the pair, the visit and the count of open agreements: 5.
    assert max(few.values()) <= 5, few


def test_the_conversation_page_with_many_agreements(as_persona, world):
    conversation = ConversationFactory(trajectory=world.coaching)
    AgreementFactory(conversation=conversation)
    url = reverse("conversation_detail", kwargs={"public_id": conversation.public_id})
    few = {p: queries(as_persona(p), url) for p in ("coach", "coachee")}
    for i in range(40):
        AgreementFactory(
            conversation=conversation,
            who=(world.people["coach"], world.people["coachee"])[i % 2],
            done_at=timezone.now() if i % 3 == 0 else None,
            done_by=world.people["coachee"] if i % 3 == 0 else None,
        )
    assert {p: queries(as_persona(p), url) for p in few} == few
    # session, user, 2 for the conversation in the user's schools, the conversation with its
    # trajectory and pair, (the coach only:) 2 policy checks (may read, may edit), the
    # audit entry, the participants, the agreements with who and done by, the reports of the
    # conversation (the report panel; there are none), the navigation's schools, the
    # participants again for the agreement form's choice: 13 for the coach, 11 for the coachee.
    # The coach's page also offers their MERID profile of the conversation: whether they are
    # its begeleider (the memberships once more) and their profile of it: 15.
    assert few["coach"] <= 15 and few["coachee"] <= 11, few


def test_the_goal_page_with_much_evidence(as_persona, world):
    goal = LearningGoalFactory(trajectory=world.opleiden)

    def link_one_of_each():
        GoalEvidenceFactory(goal=goal)
        visit = LessonVisitFactory(trajectory=world.opleiden)
        GoalEvidenceFactory(goal=goal, visit=None, observation=ObservationFactory(visit=visit))
        cycle = ReflectionCycleFactory(trajectory=world.opleiden, shared=True)
        GoalEvidenceFactory(goal=goal, visit=None, cycle=cycle)

    link_one_of_each()
    url = reverse("goal_detail", kwargs={"public_id": goal.public_id})
    few = {p: queries(as_persona(p), url) for p in ("opleider", "student_teacher")}
    for _ in range(10):
        link_one_of_each()
    assert {p: queries(as_persona(p), url) for p in few} == few
    # session, user, 2 for the goal in the user's schools, the goal with its trajectory and
    # sources, policy checks (may edit, may open the source), the audit entry (opleider),
    # the evidence with its links, which linked observations and reflections this reader may
    # open (one query each), the evidence form's choices of visits, observations and shared
    # reflections, the navigation: 16 for the opleider, 12 for the student teacher.
    assert few["opleider"] <= 16 and few["student_teacher"] <= 12, few


def test_the_cycle_page_with_many_comments(as_persona, world):
    visit = LessonVisitFactory(trajectory=world.opleiden)
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, visit=visit, shared=True)
    CycleCommentFactory(cycle=cycle)
    url = reverse("cycle_detail", kwargs={"public_id": cycle.public_id})
    few = {p: queries(as_persona(p), url) for p in ("opleider", "student_teacher")}
    for i in range(30):
        question = CycleCommentFactory(
            cycle=cycle, kind=("comment", "question")[i % 2], phase=("", "awareness")[i % 2]
        )
        CycleCommentFactory(cycle=cycle, parent=question, kind="reply", author=cycle.owner)
    assert {p: queries(as_persona(p), url) for p in few} == few
    # The owner: session, user, 2 for the cycle in the user's schools, the cycle with owner,
    # trajectory, begeleider, visit and the cycle it follows, all comments with their authors,
    # the cycles that follow on, the final observations of the visit, the navigation: 9.
    # The opleider: the same without the observations, plus the audit entry and 3 policy
    # checks (may view, may mark discussed): 12.
    assert few["opleider"] <= 12 and few["student_teacher"] <= 9, few


# --- Conversation reports --------------------------------------------------------------------


def pile_up_reports(conversation, participants, n: int):
    """n more reports of the conversation, newest last: earlier ones superseded (made before
    the conversation changed), one that failed, some in English, each confirmed by the
    participants; the newest is done, up to date and confirmed by both."""
    for i in range(n - 1):
        if i % 5 == 4:
            report = ConversationReportFactory(
                conversation=conversation,
                status=ReportStatus.FAILED,
                error=ReportError.CRASHED,
                attempts=3,
            )
        else:
            report = ConversationReportFactory(
                conversation=conversation, done=True, language=("nl", "en")[i % 2]
            )
            ConversationReport.objects.filter(pk=report.pk).update(fingerprint=f"earlier-{i}")
        for person in participants[: i % 3]:
            ReportConfirmation.objects.create(report=report, user=person)
    newest = ConversationReportFactory(conversation=conversation, done=True)
    for person in participants:
        ReportConfirmation.objects.create(report=newest, user=person)


def test_the_conversation_page_and_its_report_panel_with_many_reports(as_persona, world):
    """The nagesprek (its fingerprint reads the most: the lesson's focus items and the
    observation's key moments), its page and the panel fragment htmx polls, with no report,
    with one, and with thirteen with confirmations."""
    conversation = world.opleiden_conversation
    participants = [world.people["student_teacher"], world.people["opleider"]]
    page = reverse("conversation_detail", kwargs={"public_id": conversation.public_id})
    panel = reverse("conversation_reports", kwargs={"public_id": conversation.public_id})

    def counts() -> dict:
        return {
            persona: (
                queries(as_persona(persona), page),
                queries(as_persona(persona), panel, HTTP_HX_REQUEST="true"),
            )
            for persona in ("opleider", "student_teacher")
        }

    none = counts()
    ConversationReportFactory(conversation=conversation, done=True)
    one = counts()
    pile_up_reports(conversation, participants, 12)
    assert conversation.reports.count() == 13
    assert counts() == one
    # The panel, on the page or alone: the newest reports with who asked for them, the
    # conversation as its report shows it, for the fingerprint (with its trajectory, school,
    # visit, cycle and observation; its participants, agreements, the visit's and the observed
    # lesson's focus items, key moments), the newest report's confirmations, the
    # participants: 10. Without a report it reads only the first of these.
    # The fragment adds session, user, 2 for the conversation in the user's schools, the
    # conversation and (the opleider:) whether they are its begeleider: 15 and 14.
    # The page adds to the panel what test_the_conversation_page_with_many_agreements lists
    # (whose participants the panel reuses), and (the opleider:) the reflection's trajectory
    # and role, whether they may open it, and for the MERID link whether they are the
    # begeleider (the memberships once more) and their profile of it: 25 and 18.
    budget = {"opleider": (25, 15), "student_teacher": (18, 14)}
    for persona, (page_budget, panel_budget) in budget.items():
        page_count, panel_count = one[persona]
        assert page_count <= page_budget and panel_count <= panel_budget, (persona, one)
        assert none[persona][0] <= page_count and none[persona][1] <= panel_count, (persona, none)
