"""The demo installation: realistic, built through the services, and safe to seed again."""

import datetime
import statistics
from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, F, Q
from django.test import override_settings
from django.utils import timezone

from mentoring.access import (
    can,
    group_sessions_visible_to,
    group_sessions_with_content_for,
    merid_profiles_visible_to,
)
from mentoring.management.commands.seed_demo import (
    DEMO_PASSWORD,
    LESSON_TIMES,
    PEOPLE,
    PERSONAS,
)
from mentoring.models import AuditEntry
from observations.models import (
    ItemScore,
    KeyMoment,
    LessonVisit,
    Observation,
    ObservationStatus,
    VisitStatus,
)
from reflection.group_phases import phases_of
from reflection.merid import Basis
from reflection.models import (
    Agreement,
    CommentKind,
    Conversation,
    ConversationKind,
    CycleComment,
    CycleKind,
    CycleStatus,
    EstimateKind,
    GoalEvidence,
    GoalSource,
    GoalStatus,
    GroupNote,
    GroupPrinciple,
    GroupSession,
    LearningGoal,
    MeridEstimate,
    MeridProfile,
    MeridRole,
    MeridShare,
    MeridTopic,
    ReflectionCycle,
    SessionEntry,
    SessionStatus,
    VideoClip,
)
from reflection.phases import CORE_QUALITIES
from reflection.selectors import (
    merid_perceptions_asked_of,
    merid_reading,
    merid_timeline,
    open_agreements_for,
)
from roles.models import (
    Institute,
    LearningGroup,
    LearningGroupFormat,
    LearningGroupMember,
    Membership,
    OpleiderKind,
    Role,
    RoleAssignment,
    School,
    SchoolYear,
    StaffKind,
    TeacherStage,
    Trajectory,
    TrajectoryKind,
    TrajectoryStatus,
    User,
)
from tests.conftest import log_in
from tests.factories import icalt


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker):
    """The demo, seeded once for this module: seeding takes seconds (most of it the observations).

    Each test runs in a savepoint inside this transaction, and the transaction is rolled back
    after the last one, so no test sees another's changes and the demo leaves nothing behind.
    """
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        call_command("seed_demo", force=True, stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(_demo, db):
    """The seeded demo, for one test."""


def snapshot() -> dict[str, list[tuple]]:
    """Every row the demo makes, as values, so a second run that changes anything shows."""
    return {
        "users": sorted(User.objects.values_list("email", "full_name", "is_active", "password")),
        "schools": sorted(School.objects.values_list("brin_code", "name", "is_training_school")),
        "years": sorted(SchoolYear.objects.values_list("name", "starts_on", "ends_on")),
        "institutes": sorted(Institute.objects.values_list("name")),
        "memberships": sorted(
            Membership.objects.values_list(
                "user__email", "school__brin_code", "staff_kind", "is_active"
            )
        ),
        "roles": sorted(
            RoleAssignment.objects.values_list(
                "user__email",
                "school__brin_code",
                "role",
                "opleider_kind",
                "task_hours",
                "active_from",
                "active_until",
            )
        ),
        "trajectories": sorted(
            Trajectory.objects.values_list(
                "begeleider__email",
                "teacher__email",
                "kind",
                "stage",
                "study_year",
                "status",
                "starts_on",
                "ends_on",
                "focus",
            ),
            key=str,
        ),
        "groups": sorted(LearningGroup.objects.values_list("school__brin_code", "name", "format")),
        "group_members": sorted(
            LearningGroupMember.objects.values_list("group__name", "user__email", "left_on"),
            key=str,
        ),
        "visits": sorted(
            LessonVisit.objects.values_list(
                "public_id",
                "trajectory__teacher__email",
                "trajectory__begeleider__email",
                "planned_by__email",
                "starts_at",
                "duration_minutes",
                "class_name",
                "subject",
                "lesson_goal",
                "status",
            ),
            key=str,
        ),
        "visit_focus": sorted(
            LessonVisit.focus_items.through.objects.values_list(
                "lessonvisit__public_id", "item__number"
            ),
            key=str,
        ),
        "observations": sorted(
            Observation.objects.values_list(
                "public_id", "visit__public_id", "observer__email", "status", "version"
            ),
            key=str,
        ),
        "scores": sorted(
            ItemScore.objects.values_list(
                "observation__public_id", "item__number", "score", "not_observed", "note"
            ),
            key=str,
        ),
        "key_moments": sorted(
            KeyMoment.objects.values_list("observation__public_id", "minute", "kind", "text"),
            key=str,
        ),
        "cycles": sorted(
            ReflectionCycle.objects.values_list(
                "public_id",
                "owner__email",
                "trajectory__public_id",
                "visit__public_id",
                "follows__public_id",
                "kind",
                "status",
                "version",
                "title",
                "action",
                "intention",
                "core_qualities",
                "shared_at",
                "discussed_at",
            ),
            key=str,
        ),
        "comments": sorted(
            CycleComment.objects.values_list(
                "cycle__public_id", "author__email", "phase", "kind", "parent__public_id", "text"
            ),
            key=str,
        ),
        "goals": sorted(
            LearningGoal.objects.values_list(
                "public_id",
                "trajectory__public_id",
                "owner__email",
                "created_by__email",
                "title",
                "status",
                "source",
                "source_item__number",
                "source_observation__public_id",
                "source_cycle__public_id",
                "version",
            ),
            key=str,
        ),
        "evidence": sorted(
            GoalEvidence.objects.values_list(
                "goal__public_id",
                "visit__public_id",
                "observation__public_id",
                "cycle__public_id",
                "note",
            ),
            key=str,
        ),
        "conversations": sorted(
            Conversation.objects.values_list(
                "public_id",
                "trajectory__public_id",
                "kind",
                "held_on",
                "visit__public_id",
                "cycle__public_id",
                "observation__public_id",
                "topics",
                "notes",
                "version",
            ),
            key=str,
        ),
        "participants": sorted(
            Conversation.participants.through.objects.values_list(
                "conversation__public_id", "user__email"
            ),
            key=str,
        ),
        "agreements": sorted(
            Agreement.objects.values_list(
                "conversation__public_id", "what", "who__email", "due_on", "done_at", "done_by"
            ),
            key=str,
        ),
        "merid_profiles": sorted(
            MeridProfile.objects.values_list(
                "public_id",
                "owner__email",
                "school__brin_code",
                "conversation__public_id",
                "title",
                "held_on",
                "counterpart__email",
                "perception_requested_at",
                "version",
            ),
            key=str,
        ),
        "merid_topics": sorted(
            MeridTopic.objects.values_list(
                "public_id", "profile__public_id", "position", "label", "input", "style", "minutes"
            ),
            key=str,
        ),
        "merid_estimates": sorted(
            MeridEstimate.objects.values_list(
                "profile__public_id",
                "kind",
                "author__email",
                "imperator",
                "initiator",
                "encourager",
                "advisor",
            ),
            key=str,
        ),
        "merid_shares": sorted(
            MeridShare.objects.values_list("profile__public_id", "person__email", "may_code"),
            key=str,
        ),
        "group_sessions": sorted(
            GroupSession.objects.values_list(
                "public_id",
                "group__name",
                "created_by__email",
                "starts_at",
                "location",
                "focus",
                "research_lesson",
                "phase",
                "status",
                "version",
            ),
            key=str,
        ),
        "attendees": sorted(
            GroupSession.attendees.through.objects.values_list(
                "groupsession__public_id", "user__email"
            ),
            key=str,
        ),
        "session_entries": sorted(
            SessionEntry.objects.values_list(
                "session__public_id",
                "phase",
                "author__email",
                "case_pupil",
                "text",
                "interpretation",
            ),
            key=str,
        ),
        "principles": sorted(
            GroupPrinciple.objects.values_list(
                "group__name", "session__public_id", "author__email", "text"
            ),
            key=str,
        ),
        "group_notes": sorted(
            GroupNote.objects.values_list("group__name", "author__email", "text"), key=str
        ),
        "clips": sorted(
            VideoClip.objects.values_list(
                "public_id",
                "session__public_id",
                "owner__email",
                "title",
                "link",
                "file_name",
                "consent_at",
                "expires_on",
                "whole_group",
                "withdrawn_at",
            ),
            key=str,
        ),
        "clip_viewers": sorted(
            VideoClip.viewers.through.objects.values_list("videoclip__public_id", "user__email"),
            key=str,
        ),
        "audit": [(AuditEntry.objects.count(),)],
    }


def mean_teaching_score(observation: Observation) -> float:
    return statistics.mean(
        observation.scores.filter(item__domain__is_teaching=True, score__isnull=False).values_list(
            "score", flat=True
        )
    )


def begeleider_observations_by_teacher() -> dict[str, list[Observation]]:
    """Each teacher's final observations by their own begeleiders, oldest lesson first."""
    observations = (
        Observation.objects.filter(
            status=ObservationStatus.FINAL,
            observer=F("visit__trajectory__begeleider"),
        )
        .select_related("visit__trajectory__teacher")
        .order_by("visit__starts_at")
    )
    by_teacher = defaultdict(list)
    for observation in observations:
        by_teacher[observation.visit.trajectory.teacher.email].append(observation)
    return by_teacher


def test_seeding_twice_changes_nothing(seeded):
    first = snapshot()
    output = StringIO()
    call_command("seed_demo", force=True, stdout=output)
    assert snapshot() == first
    assert "coach@demo.example" in output.getvalue()


def test_every_persona_can_log_in_with_the_published_password(client, seeded):
    for persona in PERSONAS:
        assert log_in(client, persona.email, DEMO_PASSWORD).status_code == 302, persona.key
        client.logout()


def test_the_other_demo_people_can_log_in_too(client, seeded):
    someone = next(person for person in PEOPLE if not person.persona)
    assert log_in(client, someone.email, DEMO_PASSWORD).status_code == 302


def test_the_persona_coach_coaches_the_persona_coachee(seeded):
    trajectory = Trajectory.objects.get(
        begeleider__email="coach@demo.example", teacher__email="coachee@demo.example"
    )
    assert trajectory.kind == TrajectoryKind.COACHING
    assert trajectory.status == TrajectoryStatus.ACTIVE
    assert trajectory.focus  # something for the coach and coachee to read, and nobody else


def test_the_persona_opleider_trains_the_persona_student_teacher(seeded):
    trajectory = Trajectory.objects.get(
        begeleider__email="opleider@demo.example", teacher__email="student@demo.example"
    )
    assert trajectory.kind == TrajectoryKind.OPLEIDEN
    assert trajectory.stage == TeacherStage.STUDENT_TEACHER
    assert trajectory.study_year in range(1, 5)
    assert trajectory.status == TrajectoryStatus.ACTIVE


@pytest.mark.parametrize("brin", ["99XA", "99XB"])
def test_both_schools_have_people_roles_trajectories_and_groups(seeded, brin):
    school = School.objects.get(brin_code=brin)
    people = User.objects.filter(memberships__school=school, memberships__is_active=True).distinct()
    assert 12 <= people.count() <= 20
    assert Membership.objects.filter(school=school, staff_kind=StaffKind.COORDINATOR).exists()
    assert Membership.objects.filter(school=school, staff_kind=StaffKind.SCHOOL_LEADER).exists()
    assert set(RoleAssignment.objects.filter(school=school).values_list("role", flat=True)) == set(
        Role.values
    )
    kinds = set(Trajectory.objects.filter(school=school).values_list("kind", flat=True))
    assert kinds == set(TrajectoryKind.values)
    groups = LearningGroup.objects.filter(school=school)
    assert set(groups.values_list("format", flat=True)) == set(LearningGroupFormat.values)
    for group in groups:
        assert group.facilitators.exists(), group.name
        assert group.memberships.count() >= 3, group.name


def test_the_demo_has_every_kind_of_opleider_and_teacher(seeded):
    opleider_kinds = set(RoleAssignment.objects.values_list("opleider_kind", flat=True))
    assert {
        OpleiderKind.WERKPLEKBEGELEIDER,
        OpleiderKind.SCHOOLOPLEIDER,
        OpleiderKind.INSTITUUTSOPLEIDER,
    } <= opleider_kinds
    instituut = RoleAssignment.objects.filter(opleider_kind=OpleiderKind.INSTITUUTSOPLEIDER)
    assert all(role.institute is not None for role in instituut)
    stages = set(Trajectory.objects.values_list("stage", flat=True))
    assert {
        TeacherStage.STUDENT_TEACHER,
        TeacherStage.STARTER_1,
        TeacherStage.STARTER_2,
        TeacherStage.STARTER_3,
    } <= stages
    assert set(
        Trajectory.objects.filter(stage=TeacherStage.STUDENT_TEACHER).values_list(
            "study_year", flat=True
        )
    ) >= {1, 2, 3, 4}
    assert Trajectory.objects.filter(status=TrajectoryStatus.ENDED).exists()


def test_the_demo_is_built_through_the_services_and_audited(seeded):
    coordinator = User.objects.get(email="coordinator@demo.example")
    actions = set(AuditEntry.objects.filter(actor=coordinator).values_list("action", flat=True))
    assert {
        "school_year.created",
        "membership.activated",
        "role.assigned",
        "trajectory.created",
        "trajectory.ended",
        "learning_group.created",
    } <= actions
    assert (
        AuditEntry.objects.filter(action="trajectory.created").count() == Trajectory.objects.count()
    )
    assert (
        AuditEntry.objects.filter(action="observation.finalised").count()
        == Observation.objects.filter(status=ObservationStatus.FINAL).count()
    )


def test_the_demo_coordinator_reads_opleiden_but_not_coaching_content(seeded):
    # She is also the schoolopleider: the demo shows both sides of the rule.
    coordinator = User.objects.get(email="coordinator@demo.example")
    school = School.objects.get(brin_code="99XA")
    opleiden = Trajectory.objects.filter(school=school, kind=TrajectoryKind.OPLEIDEN).first()
    coaching = Trajectory.objects.filter(school=school, kind=TrajectoryKind.COACHING).first()
    assert can(coordinator, "view_content", opleiden)
    assert can(coordinator, "view", coaching)
    assert not can(coordinator, "view_content", coaching)


def test_every_student_teacher_has_held_visits_observed_with_icalt(seeded):
    teaching_items = set(
        icalt().items.filter(domain__is_teaching=True).values_list("pk", flat=True)
    )
    trajectories = Trajectory.objects.filter(kind=TrajectoryKind.OPLEIDEN)
    assert trajectories.count() >= 6
    for trajectory in trajectories:
        held = trajectory.visits.filter(status=VisitStatus.HELD)
        assert held.count() >= 3, trajectory
        for visit in held:
            observation = visit.observations.get(observer=trajectory.begeleider)
            assert observation.status == ObservationStatus.FINAL
            assert observation.instrument == icalt()
            answered = observation.scores.filter(Q(score__isnull=False) | Q(not_observed=True))
            assert set(answered.values_list("item", flat=True)) >= teaching_items, visit


def test_most_coaching_trajectories_have_visits_and_ended_ones_get_none(seeded):
    coaching = Trajectory.objects.filter(kind=TrajectoryKind.COACHING)
    observed = coaching.filter(visits__status=VisitStatus.HELD).distinct()
    assert observed.count() > coaching.count() / 2
    assert not LessonVisit.objects.filter(trajectory__status=TrajectoryStatus.ENDED).exists()


def test_past_visits_were_lessons_on_school_days(seeded):
    for visit in LessonVisit.objects.filter(status=VisitStatus.HELD):
        local = timezone.localtime(visit.starts_at)
        assert visit.starts_at < timezone.now()
        assert local.weekday() < 5
        assert local.time() in LESSON_TIMES
        assert visit.class_name and visit.subject and visit.lesson_goal
        assert visit.planned_by == visit.trajectory.begeleider


def test_every_observed_trajectory_has_one_visit_planned_in_the_next_two_weeks(seeded):
    today = timezone.localdate()
    for trajectory in Trajectory.objects.filter(visits__isnull=False).distinct():
        upcoming = trajectory.visits.get(status=VisitStatus.PLANNED)
        assert today < timezone.localdate(upcoming.starts_at) <= today + datetime.timedelta(days=14)
        assert not upcoming.observations.exists()
    # The begeleider took the suggested focus of the last lesson into the next visit.
    planned = LessonVisit.objects.filter(status=VisitStatus.PLANNED)
    assert planned.filter(focus_items__isnull=False).distinct().count() > planned.count() / 2


def test_scores_use_the_whole_scale_and_seldom_not_observed(seeded):
    scores = ItemScore.objects.filter(observation__status=ObservationStatus.FINAL)
    assert set(scores.exclude(score=None).values_list("score", flat=True)) == {1, 2, 3, 4}
    for observation in Observation.objects.all():
        assert observation.scores.exclude(score=None).values("score").distinct().count() >= 2
    teaching = scores.filter(item__domain__is_teaching=True)
    assert 0 < teaching.filter(not_observed=True).count() < teaching.count() / 10
    engagement = scores.filter(item__domain__is_teaching=False, score__isnull=False)
    assert engagement.count() == 3 * Observation.objects.count()


def test_scores_follow_the_cumulative_order_of_the_domains(seeded):
    # Climate and management first ... learning strategies last: the order the zone rests on.
    means = [
        statistics.mean(
            ItemScore.objects.filter(item__domain__number=domain, score__isnull=False).values_list(
                "score", flat=True
            )
        )
        for domain in range(1, 7)
    ]
    assert means[0] > means[2] > means[5]
    assert means[1] > means[3] > means[5]


def test_teachers_differ_in_strength_and_grow_from_visit_to_visit(seeded):
    by_teacher = begeleider_observations_by_teacher()
    assert len(by_teacher) >= 10
    first = {email: mean_teaching_score(lessons[0]) for email, lessons in by_teacher.items()}
    latest = {email: mean_teaching_score(lessons[-1]) for email, lessons in by_teacher.items()}
    assert max(first.values()) - min(first.values()) >= 0.75
    # Growth is a tendency, not a law: a teacher may have a bad day at the latest visit, or
    # stand still for a while. But every student teacher has grown since September.
    grown = {email for email in by_teacher if latest[email] > first[email]}
    assert len(grown) >= 0.8 * len(by_teacher)
    student_teachers = Trajectory.objects.filter(kind=TrajectoryKind.OPLEIDEN)
    assert set(student_teachers.values_list("teacher__email", flat=True)) <= grown
    assert statistics.mean(latest[email] - first[email] for email in by_teacher) >= 0.3


def test_observations_have_key_moments_and_a_few_notes(seeded):
    for observation in Observation.objects.all():
        moments = observation.key_moments.all()
        assert 1 <= moments.count() <= 3
        assert all(moment.text and moment.minute <= 50 for moment in moments)
        assert 1 <= observation.scores.exclude(note="").count() <= 4
    kinds = set(KeyMoment.objects.values_list("kind", flat=True))
    assert kinds == {"strength", "question", "suggestion", "note"}


def test_one_lesson_was_observed_twice_to_calibrate_the_scoring(seeded):
    twice = LessonVisit.objects.annotate(
        finals=Count("observations", filter=Q(observations__status=ObservationStatus.FINAL))
    ).filter(finals__gte=2)
    assert twice.count() == 1
    visit = twice.get()
    trajectory = visit.trajectory
    assert trajectory.school.brin_code == "99XA"
    assert trajectory.stage == TeacherStage.STUDENT_TEACHER
    # The second observer is the school's schoolopleider, who may read opleiden content.
    assert set(visit.observations.values_list("observer__email", flat=True)) == {
        trajectory.begeleider.email,
        "coordinator@demo.example",
    }
    first, second = (
        dict(observation.scores.values_list("item__number", "score"))
        for observation in visit.observations.order_by("created_at")
    )
    differences = [
        abs(score - second[item])
        for item, score in first.items()
        if score is not None and second[item] is not None
    ]
    assert max(differences) == 1
    assert differences.count(0) > len(differences) / 2


def cycles_in(kind: str):
    return ReflectionCycle.objects.filter(trajectory__kind=kind)


@pytest.mark.parametrize("kind", TrajectoryKind.values)
def test_reflections_show_every_state_in_both_kinds_of_trajectory(seeded, kind):
    cycles = cycles_in(kind)
    assert set(cycles.values_list("status", flat=True)) == set(CycleStatus.values)
    assert set(cycles.values_list("kind", flat=True)) == set(CycleKind.values)
    assert cycles.filter(status=CycleStatus.DRAFT, kind=CycleKind.ALACT).exists()
    assert cycles.filter(status=CycleStatus.SHARED, kind=CycleKind.ALACT).exists()
    # The spiral: a follow-up cycle starts from the intention and trial of the one before.
    follow_up = cycles.filter(follows__isnull=False).select_related("follows").first()
    assert follow_up is not None
    assert follow_up.follows.intention in follow_up.action
    assert follow_up.follows.trial in follow_up.action
    for core in cycles.filter(kind=CycleKind.CORE):
        qualities = core.core_qualities
        assert set(qualities) & set(CORE_QUALITIES), core  # chosen from the list ...
        assert set(qualities) - set(CORE_QUALITIES), core  # ... and one of their own
        assert core.ideal and core.obstacle and core.new_step
    comments = CycleComment.objects.filter(cycle__in=cycles)
    assert comments.filter(kind=CommentKind.QUESTION, phase__gt="").exists()
    reply = comments.filter(kind=CommentKind.REPLY).select_related("cycle", "parent").first()
    assert reply.author == reply.cycle.owner
    assert reply.parent.author == reply.cycle.trajectory.begeleider
    assert not comments.filter(cycle__status=CycleStatus.DRAFT).exists()


def test_drafts_are_their_owners_alone_and_shared_cycles_reach_the_begeleider(seeded):
    drafts = ReflectionCycle.objects.filter(status=CycleStatus.DRAFT).select_related(
        "owner", "trajectory__begeleider"
    )
    assert drafts.count() >= 4
    for draft in drafts:
        assert can(draft.owner, "view", draft)
        assert not can(draft.trajectory.begeleider, "view", draft)
    for cycle in ReflectionCycle.objects.exclude(status=CycleStatus.DRAFT):
        assert can(cycle.trajectory.begeleider, "view", cycle)
        assert cycle.shared_at is not None
        assert (cycle.discussed_at is not None) == (cycle.status == CycleStatus.DISCUSSED)


@pytest.mark.parametrize("kind", TrajectoryKind.values)
def test_learning_goals_in_every_status_from_every_source(seeded, kind):
    goals = LearningGoal.objects.filter(trajectory__kind=kind)
    assert set(goals.values_list("status", flat=True)) == set(GoalStatus.values)
    assert set(goals.values_list("source", flat=True)) == set(GoalSource.values)
    for goal in goals.filter(source=GoalSource.OBSERVATION).select_related(
        "source_item__domain", "source_observation__visit"
    ):
        # The item comes from the suggested focus of a final observation in the trajectory.
        assert goal.source_observation.status == ObservationStatus.FINAL
        assert goal.source_observation.visit.trajectory_id == goal.trajectory_id
        assert goal.source_item.domain.is_teaching
        assert goal.source_item.text_nl in goal.title
    for goal in goals.filter(source=GoalSource.CYCLE).select_related("source_cycle"):
        assert goal.source_cycle.owner_id == goal.owner_id
    assert GoalEvidence.objects.filter(goal__in=goals).exists()
    if kind == TrajectoryKind.COACHING:
        # In coaching only the coachee sets goals.
        assert not goals.exclude(created_by=F("owner")).exists()
    else:
        assert goals.exclude(created_by=F("owner")).exists()  # the opleider wrote one with them


def test_goal_evidence_links_visits_observations_and_shared_cycles(seeded):
    evidence = GoalEvidence.objects.all()
    assert evidence.filter(visit__isnull=False).exists()
    assert evidence.filter(observation__isnull=False).exists()
    assert evidence.filter(cycle__isnull=False).exists()
    assert not evidence.filter(cycle__status=CycleStatus.DRAFT).exists()
    for link in evidence.select_related("goal", "visit", "observation__visit", "cycle"):
        trajectory_id = (
            link.visit or (link.observation and link.observation.visit) or link.cycle
        ).trajectory_id
        assert trajectory_id == link.goal.trajectory_id


def test_nagesprekken_follow_observed_visits_with_their_observation_and_reflection(seeded):
    nagesprekken = Conversation.objects.filter(kind=ConversationKind.NAGESPREK).select_related(
        "visit", "observation", "cycle", "trajectory"
    )
    assert set(nagesprekken.values_list("trajectory__kind", flat=True)) == set(
        TrajectoryKind.values
    )
    for conversation in nagesprekken:
        assert conversation.visit.status == VisitStatus.HELD
        assert conversation.held_on >= timezone.localdate(conversation.visit.starts_at)
        assert conversation.observation.visit == conversation.visit
        assert conversation.observation.status == ObservationStatus.FINAL
        assert conversation.cycle.status != CycleStatus.DRAFT
        assert conversation.cycle.trajectory == conversation.trajectory
        assert conversation.notes and conversation.agreements.exists()


def test_coachgesprekken_have_agreements_for_both_people(seeded):
    coachgesprekken = Conversation.objects.filter(kind=ConversationKind.COACHGESPREK)
    assert coachgesprekken.count() >= 3
    assert not coachgesprekken.exclude(trajectory__kind=TrajectoryKind.COACHING).exists()
    for conversation in coachgesprekken.select_related("trajectory"):
        pair = {conversation.trajectory.teacher_id, conversation.trajectory.begeleider_id}
        assert set(conversation.participants.values_list("pk", flat=True)) == pair
        assert conversation.agreements.exists()
        assert conversation.held_on <= timezone.localdate()
    agreements = Agreement.objects.filter(conversation__in=coachgesprekken)
    assert agreements.filter(who=F("conversation__trajectory__teacher")).exists()
    assert agreements.filter(who=F("conversation__trajectory__begeleider")).exists()


@pytest.mark.parametrize("kind", TrajectoryKind.values)
def test_agreements_are_done_open_and_overdue(seeded, kind):
    today = timezone.localdate()
    agreements = Agreement.objects.filter(conversation__trajectory__kind=kind)
    done = agreements.filter(done_at__isnull=False)
    assert done.exists()
    assert not done.filter(done_by__isnull=True).exists()
    assert agreements.filter(done_at__isnull=True, due_on__gte=today).exists()
    assert agreements.filter(done_at__isnull=True, due_on__lt=today).exists()  # overdue
    assert not agreements.filter(due_on__lte=F("conversation__held_on")).exists()


def test_open_agreements_show_to_both_people_in_coaching_and_nobody_else(seeded):
    coach = User.objects.get(email="coach@demo.example")
    coachee = User.objects.get(email="coachee@demo.example")
    coordinator = User.objects.get(email="coordinator@demo.example")
    theirs = Agreement.objects.filter(
        conversation__trajectory__teacher=coachee, done_at__isnull=True
    )
    assert theirs.count() >= 3
    assert set(theirs) <= set(open_agreements_for(coach))
    assert set(theirs) <= set(open_agreements_for(coachee))
    assert not set(theirs) & set(open_agreements_for(coordinator))


def test_the_coordinator_reads_no_coaching_reflection_goal_or_conversation(seeded):
    coordinator = User.objects.get(email="coordinator@demo.example")
    coaching = {"trajectory__kind": TrajectoryKind.COACHING}
    for obj in [
        *ReflectionCycle.objects.filter(**coaching),
        *LearningGoal.objects.filter(**coaching),
        *Conversation.objects.filter(**coaching),
    ]:
        assert not can(coordinator, "view", obj), obj


def test_reflections_goals_and_conversations_are_written_through_the_services(seeded):
    def audited(action: str) -> int:
        return AuditEntry.objects.filter(action=action).count()

    assert audited("reflection.shared") == ReflectionCycle.objects.exclude(status="draft").count()
    assert (
        audited("reflection.discussed")
        == ReflectionCycle.objects.filter(status=CycleStatus.DISCUSSED).count()
    )
    assert audited("goal.created") == LearningGoal.objects.count()
    assert audited("conversation.created") == Conversation.objects.count()
    # Who did it: the teacher shares, the begeleider marks a conversation's reflection discussed.
    for entry in AuditEntry.objects.filter(action="reflection.shared"):
        assert ReflectionCycle.objects.get(public_id=entry.object_id).owner == entry.actor


def test_demo_texts_have_no_placeholders_left(seeded):
    texts = [
        *ReflectionCycle.objects.values_list("title", "action", "context", "new_step"),
        *LearningGoal.objects.values_list("title", "description"),
        *Conversation.objects.values_list("topics", "notes"),
        *Agreement.objects.values_list("what"),
        *MeridProfile.objects.values_list("title"),
        *MeridTopic.objects.values_list("label"),
        *GroupSession.objects.values_list("focus", "location"),
        *SessionEntry.objects.values_list("case_pupil", "text", "interpretation"),
        *GroupPrinciple.objects.values_list("text"),
        *GroupNote.objects.values_list("text"),
        *VideoClip.objects.values_list("title"),
    ]
    assert not [text for row in texts for text in row if "{" in text or "}" in text]


def test_the_demo_coach_has_coded_merid_profiles_over_the_school_year(seeded):
    coach = User.objects.get(email="coach@demo.example")
    readings, _trend = merid_timeline(coach)
    assert len(readings) >= 4
    days = [reading.profile.held_on for reading in readings]
    assert days == sorted(set(days))  # one after the other, never on the same day
    assert days[-1] <= timezone.localdate()
    profiles = [reading.profile for reading in readings]
    # Her conversations with her coachee in the app, and recordings made elsewhere.
    in_the_app = [profile for profile in profiles if profile.conversation_id]
    assert {profile.conversation.trajectory.teacher.email for profile in in_the_app} == {
        "coachee@demo.example"
    }
    assert {p.conversation.kind for p in in_the_app} >= {ConversationKind.COACHGESPREK}
    assert any(profile.conversation_id is None for profile in profiles)
    for reading in readings:
        assert 6 <= reading.topic_count <= 12, reading.profile
        assert reading.uncoded_count == 0
        assert reading.coded is not None
    assert {reading.coded.basis for reading in readings} == {Basis.TIME, Basis.TOPICS}
    with_estimate = [reading for reading in readings if reading.self_estimate is not None]
    assert len(with_estimate) > len(readings) / 2
    # She thinks she listens more than her first coding shows: the common finding.
    first = readings[0]
    assert first.self_estimate.shares[MeridRole.ADVISOR] < first.coded.shares[MeridRole.ADVISOR]


def test_the_demo_coach_moves_from_mostly_advisor_to_all_four_roles(seeded):
    coach = User.objects.get(email="coach@demo.example")
    readings, trend = merid_timeline(coach)
    first, last = readings[0].main, readings[-1].main
    assert first.leading_role == MeridRole.ADVISOR
    assert 0.55 <= first.shares[MeridRole.ADVISOR] <= 0.75
    assert first.versatility < last.versatility
    assert last.versatility > 0.9
    assert trend.first == first.versatility and trend.last == last.versatility
    assert trend.change > 0.25  # her timeline says her versatility grew


def test_the_demo_coachee_gave_her_perception_of_the_latest_coachgesprek(seeded):
    coach = User.objects.get(email="coach@demo.example")
    coachee = User.objects.get(email="coachee@demo.example")
    perceptions = MeridEstimate.objects.filter(kind=EstimateKind.PERCEPTION)
    assert list(perceptions.values_list("author__email", flat=True)) == [coachee.email]
    profile = perceptions.get().profile
    latest = (
        MeridProfile.objects.filter(owner=coach, conversation__kind=ConversationKind.COACHGESPREK)
        .order_by("held_on")
        .last()
    )
    assert profile == latest
    assert profile.counterpart == coachee and profile.perception_requested_at is not None
    reading = merid_reading(profile, viewer=coach)
    assert reading.perception.percentages() != reading.self_estimate.percentages()
    assert list(merid_perceptions_asked_of(coachee)) == [profile]
    assert merid_perceptions_asked_of(coachee).get().perception_given
    assert can(coachee, "perceive", profile)
    assert not can(coachee, "view", profile)


def test_the_demo_opleider_shares_a_nagesprek_with_the_schoolopleider_only(seeded):
    opleider = User.objects.get(email="opleider@demo.example")
    readings, _trend = merid_timeline(opleider)
    assert len(readings) == 2
    general, nagesprek = (reading.profile for reading in readings)
    assert general.conversation is None and readings[0].self_estimate is not None
    assert nagesprek.conversation.kind == ConversationKind.NAGESPREK
    assert readings[1].coded is not None
    # Marieke de Vries, the schoolopleider, was in that nagesprek.
    schoolopleider = User.objects.get(
        role_assignments__opleider_kind=OpleiderKind.SCHOOLOPLEIDER,
        role_assignments__school__brin_code="99XA",
    )
    assert schoolopleider in nagesprek.conversation.participants.all()
    assert list(merid_profiles_visible_to(schoolopleider)) == [nagesprek]
    for email in [
        "leader@demo.example",
        "coordinator@horizon.demo.example",
        "coach@demo.example",
        "student@demo.example",
        "a.kok@hva.demo.example",
    ]:
        assert nagesprek not in merid_profiles_visible_to(User.objects.get(email=email)), email


def test_the_coordinator_cannot_see_a_merid_profile_not_shared_with_her(seeded):
    # Marieke de Vries coordinates the school and is its schoolopleider: neither role shows her
    # a begeleider's profiles; only the one Jeroen shared with her.
    coordinator = User.objects.get(email="coordinator@demo.example")
    visible = merid_profiles_visible_to(coordinator)
    assert set(visible.values_list("owner__email", flat=True)) == {"opleider@demo.example"}
    assert list(visible.values_list("shares__person", flat=True)) == [coordinator.pk]
    for profile in MeridProfile.objects.filter(owner__email="coach@demo.example"):
        assert not can(coordinator, "view", profile), profile


def test_the_merid_profiles_are_made_through_the_services_and_audited(seeded):
    def audited(action: str) -> int:
        return AuditEntry.objects.filter(action=action).count()

    assert audited("merid.created") == MeridProfile.objects.count()
    assert audited("merid.shared") == MeridShare.objects.count() == 1
    assert audited("merid.perception_requested") == 1
    assert audited("merid.self_estimated") == MeridEstimate.objects.filter(kind="self").count()
    assert audited("merid.perception_estimated") == 1


def baken_group(format: str) -> LearningGroup:
    """Het Baken College's one learning group of the format."""
    return LearningGroup.objects.get(school__brin_code="99XA", format=format)


def current_people(group: LearningGroup) -> set[User]:
    members = group.memberships.filter(left_on__isnull=True).select_related("user")
    return {membership.user for membership in members} | set(group.facilitators.all())


def test_the_demo_school_has_sessions_in_one_group_of_each_format(seeded):
    groups = LearningGroup.objects.filter(
        school__brin_code="99XA", sessions__isnull=False
    ).distinct()
    assert sorted(groups.values_list("format", flat=True)) == sorted(LearningGroupFormat.values)
    for group in groups:
        procesbegeleiders = RoleAssignment.objects.filter(
            school=group.school, school_year=group.school_year, role=Role.PROCESBEGELEIDER
        ).values("user")
        assert group.facilitators.filter(pk__in=procesbegeleiders).exists(), group.name
        assert 3 <= group.memberships.filter(left_on__isnull=True).count() <= 5, group.name
    # Sessions held, under way in different phases, and still to come.
    sessions = GroupSession.objects.filter(group__in=groups)
    assert sessions.filter(status=SessionStatus.HELD).exists()
    assert sessions.filter(starts_at__gt=timezone.now(), status=SessionStatus.PLANNED).exists()
    under_way = sessions.filter(status=SessionStatus.PLANNED, starts_at__lt=timezone.now())
    assert set(under_way.values_list("phase", flat=True)) == {"observatie", "waarnemen", "iteratie"}


def test_the_intervisie_group_has_five_principles_from_two_sessions(seeded):
    group = baken_group(LearningGroupFormat.INTERVISIE)
    first, second, upcoming = group.sessions.order_by("starts_at")
    assert first.status == second.status == SessionStatus.HELD
    assert [first.principles.count(), second.principles.count()] == [3, 2]
    assert group.principles.count() == 5
    # The first session went through the five VESIt phases, several members writing in each.
    vesit = [phase.key for phase in phases_of(group.format)]
    assert first.phase == vesit[-1]
    members = set(group.memberships.values_list("user", flat=True))
    for key in vesit[:-1]:
        assert first.entries.filter(phase=key).exists(), key
    authors = set(first.entries.values_list("author", flat=True))
    assert len(authors & members) >= 3
    assert len(set(first.principles.values_list("author", flat=True))) == 3
    # The next one is planned for next week, still in its first phase and empty.
    assert (upcoming.status, upcoming.phase) == (SessionStatus.PLANNED, vesit[0])
    days_ahead = (timezone.localdate(upcoming.starts_at) - timezone.localdate()).days
    assert 7 <= days_ahead <= 9
    assert not upcoming.entries.exists() and not upcoming.attendees.exists()


def test_the_lesson_study_cycle_has_sessions_for_research_lessons_1_and_2(seeded):
    group = baken_group(LearningGroupFormat.LESSON_STUDY)
    first, second = group.sessions.order_by("starts_at")
    assert [first.research_lesson, second.research_lesson] == [1, 2]
    assert first.status == SessionStatus.HELD
    case_pupils = {"Leerling A", "Leerling B", "Leerling C"}
    for phase in ["ontwerp", "observatie", "interviews"]:
        entries = first.entries.filter(phase=phase)
        assert set(entries.values_list("case_pupil", flat=True)) == case_pupils, phase
    observers = set(first.entries.filter(phase="observatie").values_list("author", flat=True))
    assert len(observers) >= 3
    for phase in ["nabespreking", "herontwerp"]:
        assert first.entries.filter(phase=phase).exists(), phase
    # The second research lesson, the revised one, is being observed.
    assert (second.status, second.phase) == (SessionStatus.PLANNED, "observatie")
    assert second.entries.filter(phase="ontwerp").count() == 3
    assert second.entries.filter(phase="observatie").exists()


def test_the_videoclub_clip_is_seen_by_its_members_and_not_by_the_coordinator(seeded):
    group = baken_group(LearningGroupFormat.VIDEOCLUB)
    (session,) = group.sessions.all()
    assert (session.status, session.phase) == (SessionStatus.PLANNED, "waarnemen")
    (clip,) = session.clips.all()
    assert clip.link.startswith("https://example.org/")
    assert not clip.file_name  # a demo has no uploads
    assert clip.consent_at is not None and clip.withdrawn_at is None
    assert clip.expires_on == timezone.localdate() + datetime.timedelta(days=30)
    assert group.memberships.filter(user=clip.owner, left_on__isnull=True).exists()
    assert can(clip.owner, "own", clip)
    for person in current_people(group):
        assert can(person, "view", clip), person
    coordinator = User.objects.get(email="coordinator@demo.example")
    assert not can(coordinator, "view", clip)
    assert can(coordinator, "view", session) and not can(coordinator, "view_content", session)
    # Two noticings, each in two steps, by members other than the filmed teacher.
    noticings = session.entries.filter(phase="waarnemen")
    assert noticings.count() == 2
    assert all(noticing.interpretation for noticing in noticings)
    assert clip.owner not in {noticing.author for noticing in noticings}


def test_the_ontwerpatelier_is_iterating_its_material(seeded):
    group = baken_group(LearningGroupFormat.ONTWERPATELIER)
    (session,) = group.sessions.all()
    assert (session.status, session.phase) == (SessionStatus.PLANNED, "iteratie")
    assert session.entries.filter(phase="ontwerpvraag").exists()
    assert session.entries.filter(phase="iteratie").values("author").distinct().count() >= 2


def test_sessions_fall_on_school_days_and_those_begun_have_attendance(seeded):
    now = timezone.now()
    for session in GroupSession.objects.filter(group__school__brin_code="99XA"):
        assert timezone.localtime(session.starts_at).weekday() < 5, session
        attendees = set(session.attendees.all())
        if session.starts_at < now:
            assert attendees, session
            assert attendees <= current_people(session.group), session
        else:
            assert session.status == SessionStatus.PLANNED and not attendees, session
    held = GroupSession.objects.filter(status=SessionStatus.HELD)
    assert held.count() == 3
    assert all(session.starts_at < now for session in held)


def test_group_notes_are_written_by_the_groups_own_people(seeded):
    notes = GroupNote.objects.select_related("group", "author")
    assert notes.values("group").distinct().count() >= 2
    for note in notes:
        assert note.author in current_people(note.group), note


def test_the_coordinator_sees_that_groups_met_but_not_what_was_said(seeded):
    coordinator = User.objects.get(email="coordinator@demo.example")
    sessions = GroupSession.objects.filter(group__school__brin_code="99XA")
    assert set(group_sessions_visible_to(coordinator)) == set(sessions)
    assert not group_sessions_with_content_for(coordinator).exists()
    other_school = User.objects.get(email="coordinator@horizon.demo.example")
    assert not group_sessions_visible_to(other_school).exists()
    procesbegeleider = User.objects.get(email="procesbegeleider@demo.example")
    assert set(group_sessions_with_content_for(procesbegeleider)) == set(
        sessions.filter(group__facilitators=procesbegeleider)
    )


def test_the_group_sessions_are_made_through_the_services_and_audited(seeded):
    planned = AuditEntry.objects.filter(action="group_session.planned").select_related("actor")
    assert planned.count() == GroupSession.objects.count()
    for entry in planned:
        session = GroupSession.objects.get(public_id=entry.object_id)
        assert session.group.facilitators.filter(pk=entry.actor.pk).exists()
    assert AuditEntry.objects.filter(action="video_clip.added").count() == 1


def test_demo_accounts_are_refused_outside_debug(db, settings, django_assert_num_queries):
    settings.DEBUG = False
    # Refused before it touches the database: not one account, not one query.
    with django_assert_num_queries(0), pytest.raises(CommandError, match="published passwords"):
        call_command("seed_demo")
