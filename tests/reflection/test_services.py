"""Reflection cycles, learning goals and conversations: the rules a user meets when writing
them, and who may read what."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from mentoring import access
from mentoring.models import AuditEntry
from mentoring.versioning import StaleVersion
from observations.models import ObservationStatus
from reflection import phases, selectors, services
from reflection.models import (
    Agreement,
    CommentKind,
    Conversation,
    ConversationKind,
    CycleComment,
    CycleKind,
    CycleStatus,
    GoalEvidence,
    GoalSource,
    GoalStatus,
    LearningGoal,
    ReflectionCycle,
)
from roles.models import Role, TrajectoryStatus
from tests.factories import (
    AgreementFactory,
    ConversationFactory,
    CycleCommentFactory,
    GoalEvidenceFactory,
    LearningGoalFactory,
    LessonVisitFactory,
    ObservationFactory,
    ReflectionCycleFactory,
    RoleAssignmentFactory,
    TrajectoryFactory,
    UserFactory,
    icalt,
)

pytestmark = pytest.mark.django_db

# A sentence that stands for what a teacher writes: it must never reach the audit log.
PRIVATE_TEXT = "Ik durfde de klas niet aan te spreken en voelde me een bedrieger."


@pytest.fixture(autouse=True)
def _in_english():
    """The services' messages are matched in English, whatever the catalogue says."""
    with translation.override("en"):
        yield


def person(world, name):
    return world.people[name]


def stored(cycle) -> tuple:
    """What a refused change must leave alone, read back from the database."""
    return ReflectionCycle.objects.values_list(
        "status", "version", "shared_at", "discussed_at", "trajectory", "title", "action"
    ).get(pk=cycle.pk)


def final_observation(trajectory, **kwargs):
    return ObservationFactory(
        visit__trajectory=trajectory,
        status=ObservationStatus.FINAL,
        finalised_at=timezone.now(),
        **kwargs,
    )


def assert_no_content_in_audit(*texts: str) -> None:
    for entry in AuditEntry.objects.values_list(
        "actor_email", "action", "object_type", "object_id"
    ):
        for text in texts:
            assert not any(text in value for value in entry), entry


def end(trajectory) -> None:
    trajectory.status, trajectory.ends_on = TrajectoryStatus.ENDED, timezone.localdate()
    trajectory.save()


# --- Sharing, withdrawing, discussing: the transition table -----------------------------------

STATUS_TRAITS = {
    CycleStatus.DRAFT: {},
    CycleStatus.SHARED: {"shared": True},
    CycleStatus.DISCUSSED: {"discussed": True},
}
ACTIONS = {
    "share": (services.cycle_share, "reflection.shared"),
    "withdraw": (services.cycle_withdraw, "reflection.withdrawn"),
    "discuss": (services.cycle_mark_discussed, "reflection.discussed"),
}
# (action, from) -> to; None where the change is refused.
TRANSITIONS = {
    ("share", CycleStatus.DRAFT): CycleStatus.SHARED,
    ("share", CycleStatus.SHARED): None,
    ("share", CycleStatus.DISCUSSED): None,
    ("withdraw", CycleStatus.DRAFT): None,
    ("withdraw", CycleStatus.SHARED): CycleStatus.DRAFT,
    ("withdraw", CycleStatus.DISCUSSED): None,
    ("discuss", CycleStatus.DRAFT): None,
    ("discuss", CycleStatus.SHARED): CycleStatus.DISCUSSED,
    ("discuss", CycleStatus.DISCUSSED): None,
}


def test_the_transition_table_is_the_services_table():
    assert {
        (action, source)
        for action, (sources, _target, _message) in services.CYCLE_TRANSITIONS.items()
        for source in sources
    } == {key for key, target in TRANSITIONS.items() if target is not None}


@pytest.mark.parametrize(
    ("action", "source"),
    [key for key, target in TRANSITIONS.items() if target is not None],
)
def test_an_allowed_transition_changes_status_and_time_and_is_audited(world, action, source):
    cycle = ReflectionCycleFactory(
        trajectory=world.opleiden, action=PRIVATE_TEXT, **STATUS_TRAITS[source]
    )
    perform, audit_action = ACTIONS[action]
    before = timezone.now()
    perform(actor=person(world, "student_teacher"), cycle=cycle)
    cycle.refresh_from_db()
    assert cycle.status == TRANSITIONS[action, source]
    assert cycle.version == 2
    if action == "share":
        assert cycle.shared_at >= before
    if action == "withdraw":
        assert cycle.shared_at is None
    if action == "discuss":
        assert cycle.discussed_at >= before
    entry = AuditEntry.objects.get(action=audit_action)
    assert entry.actor == person(world, "student_teacher")
    assert (entry.object_type, entry.object_id) == (
        "reflection.reflectioncycle",
        str(cycle.public_id),
    )
    assert entry.school == world.school
    assert_no_content_in_audit(PRIVATE_TEXT, cycle.title)


@pytest.mark.parametrize(
    ("action", "source"),
    [key for key, target in TRANSITIONS.items() if target is None],
)
def test_a_refused_transition_says_why_and_changes_nothing(world, action, source):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, **STATUS_TRAITS[source])
    before = stored(cycle)
    perform, audit_action = ACTIONS[action]
    with pytest.raises(ValidationError) as refused:
        perform(actor=person(world, "student_teacher"), cycle=cycle)
    assert refused.value.messages == [str(services.CYCLE_TRANSITIONS[action][2])]
    assert stored(cycle) == before
    assert not AuditEntry.objects.filter(action=audit_action).exists()


@pytest.mark.parametrize("action", ["share", "withdraw"])
@pytest.mark.parametrize(
    "persona", ["opleider", "schoolopleider", "coordinator", "school_leader", "coach"]
)
def test_only_the_owner_shares_and_withdraws(world, schoolopleider, action, persona):
    actor = schoolopleider if persona == "schoolopleider" else person(world, persona)
    source = CycleStatus.DRAFT if action == "share" else CycleStatus.SHARED
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, **STATUS_TRAITS[source])
    before = stored(cycle)
    with pytest.raises(PermissionDenied):
        ACTIONS[action][0](actor=actor, cycle=cycle)
    assert stored(cycle) == before
    assert not AuditEntry.objects.exists()


def test_the_begeleider_marks_a_shared_cycle_discussed(world):
    cycle = ReflectionCycleFactory(trajectory=world.coaching, shared=True)
    services.cycle_mark_discussed(actor=person(world, "coach"), cycle=cycle)
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.DISCUSSED
    assert AuditEntry.objects.get(action="reflection.discussed").actor == person(world, "coach")


def test_nobody_but_the_owner_and_their_begeleider_marks_a_cycle_discussed(world, schoolopleider):
    other_opleider = RoleAssignmentFactory(
        user__email="second_opleider@school.example",
        school=world.school,
        school_year=world.school_year,
        role=Role.OPLEIDER,
    ).user
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, shared=True)
    before = stored(cycle)
    for actor in (
        person(world, "coordinator"),
        person(world, "school_leader"),
        person(world, "coach"),
        other_opleider,
        schoolopleider,  # reads opleiden content, but did not talk it through
    ):
        with pytest.raises(PermissionDenied):
            services.cycle_mark_discussed(actor=actor, cycle=cycle)
    assert stored(cycle) == before


def test_a_begeleider_whose_role_ended_cannot_mark_discussed(world):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, shared=True)
    role = world.opleiden.begeleider_role
    role.active_until = timezone.localdate() - datetime.timedelta(days=1)
    role.save()
    with pytest.raises(PermissionDenied):
        services.cycle_mark_discussed(actor=person(world, "opleider"), cycle=cycle)


# --- Sharing: with whom --------------------------------------------------------------------


def test_sharing_needs_what_happened_first(world):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, action="   ")
    before = stored(cycle)
    with pytest.raises(ValidationError, match="phase 1"):
        services.cycle_share(actor=person(world, "student_teacher"), cycle=cycle)
    assert stored(cycle) == before


def test_a_cycle_without_trajectory_is_shared_with_one_of_the_owners(world):
    student = person(world, "student_teacher")
    cycle = ReflectionCycleFactory(trajectory=None, owner=student)
    with pytest.raises(ValidationError, match="Choose the trajectory"):
        services.cycle_share(actor=student, cycle=cycle)
    assert stored(cycle)[0] == CycleStatus.DRAFT
    services.cycle_share(actor=student, cycle=cycle, trajectory=world.opleiden)
    cycle.refresh_from_db()
    assert (cycle.status, cycle.trajectory) == (CycleStatus.SHARED, world.opleiden)


def test_a_cycle_cannot_be_shared_into_someone_elses_trajectory(world):
    student = person(world, "student_teacher")
    cycle = ReflectionCycleFactory(trajectory=None, owner=student)
    for trajectory in (world.coaching, world.other_school_trajectory):
        with pytest.raises(ValidationError, match="your own trajectories"):
            services.cycle_share(actor=student, cycle=cycle, trajectory=trajectory)
    assert stored(cycle)[:5] == (CycleStatus.DRAFT, 1, None, None, None)


def test_a_cycle_cannot_be_shared_in_an_ended_trajectory(world):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden)
    end(world.opleiden)
    before = stored(cycle)
    with pytest.raises(ValidationError, match="ended"):
        services.cycle_share(actor=person(world, "student_teacher"), cycle=cycle)
    assert stored(cycle) == before


def test_a_cycle_about_a_visit_is_shared_in_that_visits_trajectory(world):
    student = person(world, "student_teacher")
    second = TrajectoryFactory(teacher=student, begeleider_role__school=world.school)
    visit = LessonVisitFactory(trajectory=world.opleiden)
    cycle = services.cycle_create(
        owner=student, kind=CycleKind.ALACT, title="Les in 2B", visit=visit, action="Het begin."
    )
    assert cycle.trajectory == world.opleiden
    with pytest.raises(ValidationError, match="another trajectory"):
        services.cycle_share(actor=student, cycle=cycle, trajectory=second)
    assert stored(cycle)[0] == CycleStatus.DRAFT


def test_withdrawing_and_sharing_again_keeps_the_comments(world):
    student = person(world, "student_teacher")
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, shared=True)
    CycleCommentFactory(cycle=cycle)
    services.cycle_withdraw(actor=student, cycle=cycle)
    assert not access.can(
        person(world, "opleider"), "view", ReflectionCycle.objects.get(pk=cycle.pk)
    )
    services.cycle_share(actor=student, cycle=cycle)
    assert cycle.comments.count() == 1


# --- Writing a cycle ---------------------------------------------------------------------------


def apply(world, cycle, changes, version=None, actor="student_teacher"):
    return services.cycle_apply(
        actor=person(world, actor),
        cycle=cycle,
        version=cycle.version if version is None else version,
        changes=changes,
    )


def test_a_save_writes_the_texts_and_counts_the_version_up(world):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden)
    saved = apply(
        world,
        cycle,
        [
            {"field": "awareness", "text": "We wachtten op elkaar."},
            {"field": "intention", "text": "Ik sta bij de deur."},
            {"field": "title", "text": "De lesstart"},
        ],
    )
    assert saved.version == 2
    cycle.refresh_from_db()
    assert (cycle.awareness, cycle.intention, cycle.title, cycle.version) == (
        "We wachtten op elkaar.",
        "Ik sta bij de deur.",
        "De lesstart",
        2,
    )


def test_the_owner_keeps_writing_after_sharing(world):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, shared=True)
    apply(world, cycle, [{"field": "trial", "text": "Donderdag geprobeerd."}])
    assert ReflectionCycle.objects.get(pk=cycle.pk).trial == "Donderdag geprobeerd."


def test_a_save_on_an_old_version_writes_nothing(world):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden)
    apply(world, cycle, [{"field": "awareness", "text": "Eerste tabblad."}], version=1)
    with pytest.raises(StaleVersion) as stale:
        apply(world, cycle, [{"field": "awareness", "text": "Tweede tabblad."}], version=1)
    assert stale.value.current.awareness == "Eerste tabblad."
    cycle.refresh_from_db()
    assert (cycle.awareness, cycle.version) == ("Eerste tabblad.", 2)


def test_a_text_over_its_limit_is_refused_not_cut_short(world):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden)
    before = stored(cycle)
    with pytest.raises(ValidationError, match="at most"):
        apply(world, cycle, [{"field": "action", "text": "x" * (phases.LONG + 1)}])
    with pytest.raises(ValidationError, match="at most"):
        apply(world, cycle, [{"field": "want_self", "text": "x" * (phases.SHORT + 1)}])
    assert stored(cycle) == before
    apply(world, cycle, [{"field": "action", "text": "x" * phases.LONG}])
    assert len(ReflectionCycle.objects.get(pk=cycle.pk).action) == phases.LONG


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        (CycleKind.ALACT, "status"),
        (CycleKind.ALACT, "owner"),
        (CycleKind.ALACT, "version"),
        (CycleKind.ALACT, "obstacle"),  # a core reflection's field
        (CycleKind.CORE, "awareness"),  # an ALACT field
        (CycleKind.ALACT, "core_qualities"),
    ],
)
def test_a_field_the_cycle_does_not_have_is_refused(world, kind, field):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, kind=kind)
    before = stored(cycle)
    with pytest.raises(ValidationError, match="Unknown field"):
        apply(world, cycle, [{"field": field, "text": "shared", "values": ["care"]}])
    assert stored(cycle) == before


def test_core_qualities_are_chosen_or_own_and_counted_once(world):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, kind=CycleKind.CORE)
    apply(
        world,
        cycle,
        [{"field": "core_qualities", "values": ["care", " care ", "", "oog voor detail", "care"]}],
    )
    assert ReflectionCycle.objects.get(pk=cycle.pk).core_qualities == ["care", "oog voor detail"]


@pytest.mark.parametrize(
    "values",
    [
        [f"kwaliteit {n}" for n in range(phases.MAX_CORE_QUALITIES + 1)],
        ["x" * (phases.CORE_QUALITY_LIMIT + 1)],
        "care",
        [1, 2],
    ],
)
def test_too_many_too_long_or_unreadable_core_qualities_are_refused(world, values):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, kind=CycleKind.CORE)
    with pytest.raises(ValidationError):
        apply(world, cycle, [{"field": "core_qualities", "values": values}])
    cycle.refresh_from_db()
    assert (cycle.core_qualities, cycle.version) == ([], 1)


def test_core_qualities_up_to_the_limits_are_kept(world):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, kind=CycleKind.CORE)
    values = [f"{n}".ljust(phases.CORE_QUALITY_LIMIT, "x") for n in range(12)]
    assert len(values) == phases.MAX_CORE_QUALITIES
    apply(world, cycle, [{"field": "core_qualities", "values": values}])
    assert ReflectionCycle.objects.get(pk=cycle.pk).core_qualities == values


def test_a_discussed_cycle_can_no_longer_be_changed(world):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, discussed=True)
    before = stored(cycle)
    with pytest.raises(ValidationError, match="discussed"):
        apply(world, cycle, [{"field": "action", "text": "Achteraf anders."}])
    assert stored(cycle) == before


def test_a_title_cannot_be_emptied(world):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden)
    before = stored(cycle)
    with pytest.raises(ValidationError, match="title"):
        apply(world, cycle, [{"field": "title", "text": "   "}])
    assert stored(cycle) == before


def test_nobody_else_writes_in_a_cycle(world, schoolopleider):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, shared=True)
    before = stored(cycle)
    for actor in ("opleider", "coordinator", "coach"):
        with pytest.raises(PermissionDenied):
            apply(world, cycle, [{"field": "action", "text": "Overschreven."}], actor=actor)
    with pytest.raises(PermissionDenied):
        services.cycle_apply(
            actor=schoolopleider,
            cycle=cycle,
            version=1,
            changes=[{"field": "action", "text": "Overschreven."}],
        )
    assert stored(cycle) == before


def test_creating_a_cycle_needs_a_title_and_a_kind_and_own_things(world):
    student = person(world, "student_teacher")
    with pytest.raises(ValidationError, match="title"):
        services.cycle_create(owner=student, kind=CycleKind.ALACT, title="  ")
    with pytest.raises(ValidationError):
        services.cycle_create(owner=student, kind="diary", title="Dagboek")
    with pytest.raises(ValidationError, match="own"):
        services.cycle_create(
            owner=student,
            kind=CycleKind.ALACT,
            title="Les",
            visit=LessonVisitFactory(trajectory=world.coaching),
        )
    with pytest.raises(ValidationError, match="own"):
        services.cycle_create(
            owner=student, kind=CycleKind.ALACT, title="Les", trajectory=world.coaching
        )
    assert not ReflectionCycle.objects.exists()


# --- The spiral: the next cycle ------------------------------------------------------------


def test_the_next_cycle_starts_from_the_intention_and_the_trial(world):
    student = person(world, "student_teacher")
    cycle = ReflectionCycleFactory(
        trajectory=world.opleiden,
        discussed=True,
        intention="Ik sta bij de deur.",
        trial="Donderdag ging het beter.",
    )
    following = services.cycle_start_next(actor=student, cycle=cycle)
    assert following.follows == cycle
    assert (following.owner, following.trajectory, following.kind, following.status) == (
        student,
        world.opleiden,
        CycleKind.ALACT,
        CycleStatus.DRAFT,
    )
    assert following.action == "Ik sta bij de deur.\n\nDonderdag ging het beter."
    assert cycle.title in following.title


def test_the_next_core_reflection_starts_from_the_new_step(world):
    cycle = ReflectionCycleFactory(
        trajectory=world.coaching, kind=CycleKind.CORE, new_step="Afspraken maken met 2B."
    )
    following = services.cycle_start_next(actor=person(world, "coachee"), cycle=cycle)
    assert (following.kind, following.action) == (CycleKind.CORE, "Afspraken maken met 2B.")


def test_no_next_cycle_without_an_intention(world):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, intention="  ", trial="")
    with pytest.raises(ValidationError, match="intention"):
        services.cycle_start_next(actor=person(world, "student_teacher"), cycle=cycle)
    assert ReflectionCycle.objects.count() == 1


def test_only_the_owner_starts_the_next_cycle(world):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, shared=True, intention="Iets.")
    with pytest.raises(PermissionDenied):
        services.cycle_start_next(actor=person(world, "opleider"), cycle=cycle)
    assert ReflectionCycle.objects.count() == 1


# --- Deleting -------------------------------------------------------------------------------


def test_the_owner_deletes_a_draft(world):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden)
    services.cycle_delete(actor=person(world, "student_teacher"), cycle=cycle)
    assert not ReflectionCycle.objects.exists()


@pytest.mark.parametrize("status", [CycleStatus.SHARED, CycleStatus.DISCUSSED])
def test_a_shared_cycle_is_not_deleted(world, status):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, **STATUS_TRAITS[status])
    with pytest.raises(ValidationError, match="Only a draft"):
        services.cycle_delete(actor=person(world, "student_teacher"), cycle=cycle)
    assert stored(cycle)[0] == status


def test_a_draft_with_comments_is_kept(world):
    student = person(world, "student_teacher")
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, shared=True)
    CycleCommentFactory(cycle=cycle)
    services.cycle_withdraw(actor=student, cycle=cycle)
    with pytest.raises(ValidationError, match="comments"):
        services.cycle_delete(actor=student, cycle=cycle)
    assert ReflectionCycle.objects.filter(pk=cycle.pk).exists()
    assert CycleComment.objects.filter(cycle=cycle).count() == 1


def test_nobody_else_deletes_a_draft(world):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden)
    for actor in ("opleider", "coordinator"):
        with pytest.raises(PermissionDenied):
            services.cycle_delete(actor=person(world, actor), cycle=cycle)
    assert ReflectionCycle.objects.filter(pk=cycle.pk).exists()


# --- Comments and questions ---------------------------------------------------------------


def comment(world, cycle, actor="opleider", **kwargs):
    kwargs.setdefault("text", "Wat deed jij op dat moment?")
    return services.comment_add(actor=person(world, actor), cycle=cycle, **kwargs)


def test_the_begeleider_comments_and_asks_per_phase_or_on_the_whole(world):
    cycle = ReflectionCycleFactory(trajectory=world.coaching, shared=True)
    overall = comment(world, cycle, actor="coach")
    question = comment(world, cycle, actor="coach", kind=CommentKind.QUESTION, phase="awareness")
    assert (overall.author, overall.kind, overall.phase) == (
        person(world, "coach"),
        CommentKind.COMMENT,
        "",
    )
    assert (question.kind, question.phase) == (CommentKind.QUESTION, "awareness")


@pytest.mark.parametrize(
    ("kind", "phase"),
    [
        (CycleKind.ALACT, "obstacle"),  # a section of a core reflection
        (CycleKind.CORE, "awareness"),  # a section of an ALACT cycle
        (CycleKind.ALACT, "action_plan"),
        (CycleKind.ALACT, "want_self"),  # a field, not a section
    ],
)
def test_a_comment_is_on_a_phase_of_the_cycles_kind(world, kind, phase):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, kind=kind, shared=True)
    with pytest.raises(ValidationError, match="phase"):
        comment(world, cycle, phase=phase)
    assert not CycleComment.objects.exists()


@pytest.mark.parametrize("kind", CycleKind.values)
def test_every_section_of_the_kind_takes_comments(world, kind):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, kind=kind, shared=True)
    for section in phases.sections_of(kind):
        comment(world, cycle, phase=section.key)
    assert cycle.comments.count() == len(phases.sections_of(kind))


def test_the_owner_replies_but_does_not_start_a_thread(world):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, shared=True)
    with pytest.raises(ValidationError, match="Reply"):
        comment(world, cycle, actor="student_teacher", text="Zelf iets opmerken.")
    question = comment(world, cycle, kind=CommentKind.QUESTION, phase="looking_back")
    reply = comment(world, cycle, actor="student_teacher", text="Dat zag ik niet.", parent=question)
    assert (reply.kind, reply.parent, reply.phase) == (CommentKind.REPLY, question, "looking_back")
    # The begeleider answers the reply in the same thread, not one level deeper.
    with pytest.raises(ValidationError, match="Reply to a comment"):
        comment(world, cycle, text="En nu?", parent=reply)
    comment(world, cycle, text="En nu?", parent=question)
    assert question.replies.count() == 2


def test_a_reply_belongs_to_a_comment_on_the_same_cycle(world):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, shared=True)
    elsewhere = CycleCommentFactory(
        cycle=ReflectionCycleFactory(trajectory=world.opleiden, shared=True)
    )
    with pytest.raises(ValidationError, match="Reply to a comment"):
        comment(world, cycle, actor="student_teacher", text="Antwoord", parent=elsewhere)
    assert cycle.comments.count() == 0


def test_a_comment_kind_is_a_comment_or_a_question(world):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, shared=True)
    with pytest.raises(ValidationError, match="comment or a question"):
        comment(world, cycle, kind=CommentKind.REPLY)


@pytest.mark.parametrize("text", ["", "   \n ", "x" * (phases.SHORT + 1)])
def test_an_empty_or_too_long_comment_is_refused(world, text):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, shared=True)
    with pytest.raises(ValidationError):
        comment(world, cycle, text=text)
    assert not CycleComment.objects.exists()


def test_comments_only_while_shared(world):
    discussed = ReflectionCycleFactory(trajectory=world.opleiden, discussed=True)
    with pytest.raises(ValidationError, match="while the reflection is shared"):
        comment(world, discussed)
    # A draft is not even there for the begeleider.
    draft = ReflectionCycleFactory(trajectory=world.opleiden)
    with pytest.raises(PermissionDenied):
        comment(world, draft)
    assert not CycleComment.objects.exists()


@pytest.mark.parametrize("persona", ["coordinator", "school_leader", "coach", "procesbegeleider"])
def test_people_outside_the_trajectory_cannot_comment(world, persona):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, shared=True)
    with pytest.raises(PermissionDenied):
        comment(world, cycle, actor=persona)
    assert not CycleComment.objects.exists()


# --- Learning goals -----------------------------------------------------------------------


def create_goal(world, actor, trajectory, **kwargs):
    kwargs.setdefault("title", "Duidelijke instructie aan het begin van de les")
    return services.goal_create(actor=person(world, actor), trajectory=trajectory, **kwargs)


def test_the_coachee_sets_goals_in_coaching_and_the_coach_does_not(world):
    goal = create_goal(world, "coachee", world.coaching, description="In 2B en 2C.")
    assert (goal.owner, goal.created_by, goal.source, goal.status) == (
        person(world, "coachee"),
        person(world, "coachee"),
        GoalSource.FREE,
        GoalStatus.OPEN,
    )
    entry = AuditEntry.objects.get(action="goal.created")
    assert (entry.object_id, entry.school) == (str(goal.public_id), world.school)
    with pytest.raises(PermissionDenied):
        create_goal(world, "coach", world.coaching)
    assert LearningGoal.objects.count() == 1


def test_the_opleider_writes_a_goal_with_the_student_teacher(world):
    goal = create_goal(world, "opleider", world.opleiden)
    assert (goal.owner, goal.created_by) == (
        person(world, "student_teacher"),
        person(world, "opleider"),
    )


@pytest.mark.parametrize("persona", ["coordinator", "school_leader", "coach", "procesbegeleider"])
def test_nobody_outside_the_trajectory_sets_goals(world, persona):
    with pytest.raises(PermissionDenied):
        create_goal(world, persona, world.opleiden)
    assert not LearningGoal.objects.exists()


def test_a_schoolopleider_reads_but_does_not_set_goals(world, schoolopleider):
    with pytest.raises(PermissionDenied):
        services.goal_create(actor=schoolopleider, trajectory=world.opleiden, title="Doel")


@pytest.mark.parametrize("title", ["", "   ", "x" * 201])
def test_a_goal_needs_a_title_of_at_most_200_characters(world, title):
    with pytest.raises(ValidationError, match="200"):
        create_goal(world, "coachee", world.coaching, title=title)


def test_no_new_goals_in_an_ended_trajectory(world):
    end(world.coaching)
    with pytest.raises(ValidationError, match="ended"):
        create_goal(world, "coachee", world.coaching)


def test_a_goal_from_an_item_of_a_final_observation(world):
    observation = final_observation(world.opleiden)
    item = icalt().items.get(number=12)
    goal = create_goal(
        world, "student_teacher", world.opleiden, source_observation=observation, source_item=item
    )
    assert (goal.source, goal.source_observation, goal.source_item) == (
        GoalSource.OBSERVATION,
        observation,
        item,
    )


def test_a_goal_cannot_come_from_a_draft_or_another_trajectorys_observation(world):
    item = icalt().items.get(number=12)
    draft = ObservationFactory(visit__trajectory=world.opleiden)
    elsewhere = final_observation(world.coaching)
    for observation in (draft, elsewhere):
        with pytest.raises(ValidationError, match="final observation from this trajectory"):
            create_goal(
                world,
                "opleider",
                world.opleiden,
                source_observation=observation,
                source_item=item,
            )
    with pytest.raises(ValidationError, match="comes with the observation"):
        create_goal(world, "opleider", world.opleiden, source_item=item)
    assert not LearningGoal.objects.exists()


def test_a_goal_from_a_cycle_of_the_teacher(world):
    cycle = ReflectionCycleFactory(trajectory=world.coaching, intention="Bij de deur staan.")
    goal = create_goal(world, "coachee", world.coaching, source_cycle=cycle)
    assert (goal.source, goal.source_cycle) == (GoalSource.CYCLE, cycle)


def test_a_goal_cannot_come_from_a_cycle_the_writer_cannot_read(world):
    # The opleider may write a goal, but not from a reflection still private to the student.
    draft = ReflectionCycleFactory(trajectory=world.opleiden)
    someone_elses = ReflectionCycleFactory(trajectory=world.coaching, shared=True)
    for cycle in (draft, someone_elses):
        with pytest.raises(ValidationError, match="reflection of this teacher"):
            create_goal(world, "opleider", world.opleiden, source_cycle=cycle)
    shared = ReflectionCycleFactory(trajectory=world.opleiden, shared=True)
    assert (
        create_goal(world, "opleider", world.opleiden, source_cycle=shared).source_cycle == shared
    )


def test_a_goal_in_opleiden_cannot_come_from_a_coaching_reflection(world):
    # A zij-instromer is trained (opleiden) and coached at once; what they share with their
    # coach must not turn up, as a goal's source, where the opleider and schoolopleider read.
    coachee = person(world, "coachee")
    opleiden = TrajectoryFactory(teacher=coachee, begeleider_role=world.opleiden.begeleider_role)
    coaching_cycle = ReflectionCycleFactory(trajectory=world.coaching, shared=True)
    with pytest.raises(ValidationError, match="reflection"):
        services.goal_create(
            actor=coachee, trajectory=opleiden, title="Doel", source_cycle=coaching_cycle
        )
    assert not LearningGoal.objects.exists()


def test_a_goal_is_updated_with_the_version_it_was_read_at(world):
    goal = LearningGoalFactory(trajectory=world.coaching)
    coachee = person(world, "coachee")
    services.goal_update(
        actor=coachee,
        goal=goal,
        version=1,
        title="Rustig beginnen",
        description="Bij de deur.",
        status=GoalStatus.WORKING,
    )
    with pytest.raises(StaleVersion):
        services.goal_update(
            actor=coachee,
            goal=goal,
            version=1,
            title="Iets anders",
            description="",
            status=GoalStatus.DROPPED,
        )
    goal.refresh_from_db()
    assert (goal.title, goal.status, goal.version) == ("Rustig beginnen", GoalStatus.WORKING, 2)


def test_a_goal_update_is_checked_and_only_by_who_may_edit(world):
    goal = LearningGoalFactory(trajectory=world.coaching)
    arguments = {"version": 1, "title": "Doel", "description": ""}
    with pytest.raises(ValidationError, match="open, working on it"):
        services.goal_update(
            actor=person(world, "coachee"), goal=goal, status="finished", **arguments
        )
    with pytest.raises(PermissionDenied):
        services.goal_update(
            actor=person(world, "coach"), goal=goal, status=GoalStatus.REACHED, **arguments
        )
    goal.refresh_from_db()
    assert (goal.status, goal.version) == (GoalStatus.OPEN, 1)


# --- Evidence ---------------------------------------------------------------------------------


def add_evidence(world, goal, actor="student_teacher", **links):
    return services.goal_evidence_add(actor=person(world, actor), goal=goal, **links)


def test_evidence_links_a_visit_an_observation_or_a_shared_cycle(world):
    goal = LearningGoalFactory(trajectory=world.opleiden)
    visit = LessonVisitFactory(trajectory=world.opleiden)
    observation = final_observation(world.opleiden)
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, shared=True)
    add_evidence(world, goal, visit=visit, note="De start ging goed.")
    add_evidence(world, goal, observation=observation)
    add_evidence(world, goal, actor="opleider", cycle=cycle)
    assert goal.evidence.count() == 3
    assert goal.evidence.get(visit=visit).note == "De start ging goed."


def test_evidence_is_exactly_one_link(world):
    goal = LearningGoalFactory(trajectory=world.opleiden)
    visit = LessonVisitFactory(trajectory=world.opleiden)
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, shared=True)
    with pytest.raises(ValidationError, match="Choose one"):
        add_evidence(world, goal)
    with pytest.raises(ValidationError, match="Choose one"):
        add_evidence(world, goal, visit=visit, cycle=cycle)
    assert not GoalEvidence.objects.exists()


def test_evidence_comes_from_the_same_trajectory(world):
    goal = LearningGoalFactory(trajectory=world.opleiden)
    student = person(world, "student_teacher")
    other = TrajectoryFactory(teacher=student, begeleider_role__school=world.school)
    for links in (
        {"visit": LessonVisitFactory(trajectory=other)},
        {"observation": final_observation(other)},
        {"cycle": ReflectionCycleFactory(trajectory=other, shared=True)},
    ):
        with pytest.raises(ValidationError, match="from this trajectory"):
            add_evidence(world, goal, **links)
    assert not GoalEvidence.objects.exists()


def test_a_draft_cycle_is_no_evidence_until_shared(world):
    goal = LearningGoalFactory(trajectory=world.opleiden)
    draft = ReflectionCycleFactory(trajectory=world.opleiden)
    with pytest.raises(ValidationError, match="Share the reflection first"):
        add_evidence(world, goal, cycle=draft)
    # The opleider does not even know it exists.
    with pytest.raises(ValidationError, match="that you can read"):
        add_evidence(world, goal, actor="opleider", cycle=draft)
    assert not GoalEvidence.objects.exists()


def test_evidence_is_linked_once(world):
    goal = LearningGoalFactory(trajectory=world.opleiden)
    visit = LessonVisitFactory(trajectory=world.opleiden)
    add_evidence(world, goal, visit=visit)
    with pytest.raises(ValidationError, match="already linked"):
        add_evidence(world, goal, visit=visit, note="Nog eens.")
    assert goal.evidence.count() == 1


def test_in_coaching_only_the_coachee_adds_and_removes_evidence(world):
    goal = LearningGoalFactory(trajectory=world.coaching)
    visit = LessonVisitFactory(trajectory=world.coaching)
    with pytest.raises(PermissionDenied):
        add_evidence(world, goal, actor="coach", visit=visit)
    evidence = add_evidence(world, goal, actor="coachee", visit=visit)
    with pytest.raises(PermissionDenied):
        services.goal_evidence_remove(actor=person(world, "coach"), evidence=evidence)
    services.goal_evidence_remove(actor=person(world, "coachee"), evidence=evidence)
    assert not GoalEvidence.objects.exists()


# --- Conversations --------------------------------------------------------------------------


def create_conversation(world, actor, trajectory, **kwargs):
    kwargs.setdefault("held_on", timezone.localdate())
    return services.conversation_create(actor=person(world, actor), trajectory=trajectory, **kwargs)


def pair_of(trajectory):
    return {trajectory.teacher, trajectory.begeleider}


def test_a_nagesprek_belongs_to_a_visit_of_the_same_trajectory(world):
    with pytest.raises(ValidationError, match="choose the visit"):
        create_conversation(world, "opleider", world.opleiden, kind=ConversationKind.NAGESPREK)
    with pytest.raises(ValidationError, match="another trajectory"):
        create_conversation(
            world,
            "opleider",
            world.opleiden,
            kind=ConversationKind.NAGESPREK,
            visit=LessonVisitFactory(trajectory=world.coaching),
        )
    visit = LessonVisitFactory(trajectory=world.opleiden)
    conversation = create_conversation(
        world, "opleider", world.opleiden, kind=ConversationKind.NAGESPREK, visit=visit
    )
    assert (conversation.visit, conversation.created_by) == (visit, person(world, "opleider"))
    assert set(conversation.participants.all()) == pair_of(world.opleiden)
    entry = AuditEntry.objects.get(action="conversation.created")
    assert (entry.object_id, entry.school) == (str(conversation.public_id), world.school)


def test_a_coachgesprek_belongs_to_a_coaching_trajectory(world):
    with pytest.raises(ValidationError, match="coaching trajectory"):
        create_conversation(world, "opleider", world.opleiden, kind=ConversationKind.COACHGESPREK)
    with pytest.raises(ValidationError, match="nagesprek or a coachgesprek"):
        create_conversation(world, "coach", world.coaching, kind="intervisie")
    assert not Conversation.objects.exists()
    # The coachee keeps the record as much as the coach.
    conversation = create_conversation(
        world, "coachee", world.coaching, kind=ConversationKind.COACHGESPREK
    )
    assert set(conversation.participants.all()) == pair_of(world.coaching)


@pytest.mark.parametrize(
    "persona", ["coordinator", "school_leader", "procesbegeleider", "opleider"]
)
def test_only_the_pair_records_a_coaching_conversation(world, persona):
    with pytest.raises(PermissionDenied):
        create_conversation(world, persona, world.coaching, kind=ConversationKind.COACHGESPREK)
    assert not Conversation.objects.exists()


def test_the_pair_always_takes_part_and_outsiders_cannot(world, schoolopleider):
    coaching = create_conversation(
        world,
        "coach",
        world.coaching,
        kind=ConversationKind.COACHGESPREK,
        participants=[person(world, "coachee")],
    )
    assert set(coaching.participants.all()) == pair_of(world.coaching)
    for outsider in ("coordinator", "school_leader", "opleider"):
        with pytest.raises(ValidationError, match="may not read this trajectory"):
            create_conversation(
                world,
                "coach",
                world.coaching,
                kind=ConversationKind.COACHGESPREK,
                participants=[person(world, outsider)],
            )
    with pytest.raises(ValidationError, match="may not read"):
        create_conversation(
            world,
            "opleider",
            world.opleiden,
            kind=ConversationKind.NAGESPREK,
            visit=LessonVisitFactory(trajectory=world.opleiden),
            participants=[UserFactory()],
        )
    # In opleiden the school's schoolopleider may join.
    nagesprek = create_conversation(
        world,
        "opleider",
        world.opleiden,
        kind=ConversationKind.NAGESPREK,
        visit=LessonVisitFactory(trajectory=world.opleiden),
        participants=[schoolopleider],
    )
    assert set(nagesprek.participants.all()) == pair_of(world.opleiden) | {schoolopleider}
    assert Conversation.objects.count() == 2


def test_a_linked_cycle_was_shared_in_this_trajectory(world):
    refused = (
        ReflectionCycleFactory(trajectory=world.coaching),  # a draft
        # Shared with the coachee's coach of another trajectory.
        ReflectionCycleFactory(
            trajectory=TrajectoryFactory(
                teacher=person(world, "coachee"),
                begeleider_role__role=Role.COACH,
                begeleider_role__school=world.school,
            ),
            shared=True,
        ),
    )
    for cycle in refused:
        with pytest.raises(ValidationError, match="shared in this trajectory"):
            create_conversation(
                world, "coachee", world.coaching, kind=ConversationKind.COACHGESPREK, cycle=cycle
            )
    assert not Conversation.objects.exists()
    for traits in ({"shared": True}, {"discussed": True}):
        cycle = ReflectionCycleFactory(trajectory=world.coaching, **traits)
        conversation = create_conversation(
            world, "coach", world.coaching, kind=ConversationKind.COACHGESPREK, cycle=cycle
        )
        assert conversation.cycle == cycle


def test_a_linked_observation_is_from_this_trajectory(world):
    with pytest.raises(ValidationError, match="observation from this trajectory"):
        create_conversation(
            world,
            "coach",
            world.coaching,
            kind=ConversationKind.COACHGESPREK,
            observation=final_observation(world.opleiden),
        )
    observation = final_observation(world.coaching)
    conversation = create_conversation(
        world,
        "coach",
        world.coaching,
        kind=ConversationKind.NAGESPREK,
        visit=observation.visit,
        observation=observation,
    )
    assert conversation.observation == observation


def test_conversation_notes_are_saved_with_the_version_they_were_read_at(world):
    conversation = ConversationFactory(trajectory=world.coaching)
    coach, coachee = person(world, "coach"), person(world, "coachee")
    services.conversation_apply(
        actor=coach,
        conversation=conversation,
        version=1,
        changes=[{"field": "notes", "text": "Lotte oefende het uitademen."}],
    )
    with pytest.raises(StaleVersion):
        services.conversation_apply(
            actor=coachee,
            conversation=conversation,
            version=1,
            changes=[{"field": "notes", "text": "Andere aantekeningen."}],
        )
    for changes in (
        [{"field": "notes", "text": "x" * 20001}],
        [{"field": "kind", "text": "nagesprek"}],
        [{"field": "topics", "text": "x" * (phases.SHORT + 1)}],
    ):
        with pytest.raises(ValidationError):
            services.conversation_apply(
                actor=coach, conversation=conversation, version=2, changes=changes
            )
    with pytest.raises(PermissionDenied):
        services.conversation_apply(
            actor=person(world, "coordinator"),
            conversation=conversation,
            version=2,
            changes=[{"field": "notes", "text": "Gelezen."}],
        )
    conversation.refresh_from_db()
    assert (conversation.notes, conversation.version) == ("Lotte oefende het uitademen.", 2)


def test_conversation_details_are_updated_with_their_version(world):
    conversation = ConversationFactory(trajectory=world.coaching)
    later = timezone.localdate() + datetime.timedelta(days=1)
    arguments = {"visit": None, "participants": [], "cycle": None, "observation": None}
    services.conversation_update(
        actor=person(world, "coachee"),
        conversation=conversation,
        version=1,
        held_on=later,
        **arguments,
    )
    with pytest.raises(StaleVersion):
        services.conversation_update(
            actor=person(world, "coach"),
            conversation=conversation,
            version=1,
            held_on=timezone.localdate(),
            **arguments,
        )
    conversation.refresh_from_db()
    assert (conversation.held_on, conversation.version) == (later, 2)
    assert set(conversation.participants.all()) == pair_of(world.coaching)


# --- Agreements -----------------------------------------------------------------------------


def test_an_agreement_is_for_someone_who_took_part(world, schoolopleider):
    conversation = ConversationFactory(trajectory=world.coaching)
    coach = person(world, "coach")
    for who in (person(world, "coordinator"), schoolopleider, UserFactory()):
        with pytest.raises(ValidationError, match="took part"):
            services.agreement_add(
                actor=coach, conversation=conversation, what="Iets doen", who=who
            )
    for what in ("", "  ", "x" * 501):
        with pytest.raises(ValidationError, match="500"):
            services.agreement_add(actor=coach, conversation=conversation, what=what, who=coach)
    with pytest.raises(PermissionDenied):
        services.agreement_add(
            actor=person(world, "coordinator"),
            conversation=conversation,
            what="Iets doen",
            who=coach,
        )
    assert not Agreement.objects.exists()
    due = timezone.localdate() + datetime.timedelta(days=7)
    agreement = services.agreement_add(
        actor=coach,
        conversation=conversation,
        what=" Na de pauze bij de deur staan ",
        who=person(world, "coachee"),
        due_on=due,
    )
    assert (agreement.what, agreement.who, agreement.due_on, agreement.is_done) == (
        "Na de pauze bij de deur staan",
        person(world, "coachee"),
        due,
        False,
    )


def test_marking_an_agreement_done_records_who_and_when(world):
    agreement = AgreementFactory(conversation=ConversationFactory(trajectory=world.coaching))
    coachee, coach = person(world, "coachee"), person(world, "coach")
    before = timezone.now()
    services.agreement_set_done(actor=coachee, agreement=agreement, done=True)
    agreement.refresh_from_db()
    assert (agreement.done_by, agreement.is_done) == (coachee, True)
    assert agreement.done_at >= before
    first_done_at = agreement.done_at
    # Ticking it again (a second tab) keeps who did it first.
    services.agreement_set_done(actor=coach, agreement=agreement, done=True)
    agreement.refresh_from_db()
    assert (agreement.done_by, agreement.done_at) == (coachee, first_done_at)
    services.agreement_set_done(actor=coach, agreement=agreement, done=False)
    agreement.refresh_from_db()
    assert (agreement.done_by, agreement.done_at) == (None, None)


def test_outsiders_cannot_tick_off_or_delete_an_agreement(world, schoolopleider):
    coaching = AgreementFactory(conversation=ConversationFactory(trajectory=world.coaching))
    opleiden = AgreementFactory(conversation=ConversationFactory(trajectory=world.opleiden))
    for actor, agreement in (
        (person(world, "coordinator"), coaching),
        (person(world, "school_leader"), coaching),
        (person(world, "opleider"), coaching),
        (schoolopleider, opleiden),  # reads it, but the pair keeps the record
    ):
        with pytest.raises(PermissionDenied):
            services.agreement_set_done(actor=actor, agreement=agreement, done=True)
        with pytest.raises(PermissionDenied):
            services.agreement_delete(actor=actor, agreement=agreement)
    assert Agreement.objects.filter(done_at__isnull=True).count() == 2
    services.agreement_delete(actor=person(world, "coachee"), agreement=coaching)
    assert list(Agreement.objects.all()) == [opleiden]


def test_open_agreements_show_to_both_people_until_done(world, schoolopleider):
    agreement = AgreementFactory(conversation=ConversationFactory(trajectory=world.coaching))
    opleiden = AgreementFactory(conversation=ConversationFactory(trajectory=world.opleiden))
    for persona in ("coachee", "coach"):
        assert list(selectors.open_agreements_for(person(world, persona))) == [agreement]
    for persona in ("coordinator", "school_leader", "opleider", "procesbegeleider"):
        assert agreement not in selectors.open_agreements_for(person(world, persona))
    assert list(selectors.open_agreements_for(person(world, "student_teacher"))) == [opleiden]
    assert not selectors.open_agreements_for(schoolopleider).exists()
    services.agreement_set_done(actor=person(world, "coach"), agreement=agreement, done=True)
    for persona in ("coachee", "coach"):
        assert not selectors.open_agreements_for(person(world, persona)).exists()


def test_open_agreements_are_listed_by_due_date_without_one_last(world):
    conversation = ConversationFactory(trajectory=world.coaching)
    today = timezone.localdate()
    later = AgreementFactory(conversation=conversation, due_on=today + datetime.timedelta(days=9))
    undated = AgreementFactory(conversation=conversation, due_on=None)
    overdue = AgreementFactory(conversation=conversation, due_on=today - datetime.timedelta(days=2))
    assert list(selectors.open_agreements_for(person(world, "coachee"))) == [
        overdue,
        later,
        undated,
    ]


def test_agreements_of_an_ended_trajectory_leave_the_home_page(world):
    AgreementFactory(conversation=ConversationFactory(trajectory=world.coaching))
    end(world.coaching)
    assert not selectors.open_agreements_for(person(world, "coachee")).exists()


# --- Who reads which cycle ------------------------------------------------------------------

EVERYONE = (
    "coordinator",
    "opleider",
    "coach",
    "procesbegeleider",
    "student_teacher",
    "coachee",
    "school_leader",
    "other_school_coordinator",
)


def readers(world, cycle, *extra) -> set[str]:
    """Who sees the cycle, by persona name; the list and the single check must agree."""
    people = {name: person(world, name) for name in EVERYONE} | dict(extra)
    seen = set()
    for name, user in people.items():
        listed = access.cycles_visible_to(user).filter(pk=cycle.pk).exists()
        assert listed == access.can(user, "view", cycle), name
        if listed:
            seen.add(name)
    return seen


def test_a_draft_is_its_owners_alone(world, schoolopleider):
    draft = ReflectionCycleFactory(trajectory=world.opleiden)
    assert readers(world, draft, ("schoolopleider", schoolopleider)) == {"student_teacher"}
    loose = ReflectionCycleFactory(trajectory=None, owner=person(world, "coachee"))
    assert readers(world, loose) == {"coachee"}


@pytest.mark.parametrize("status", [CycleStatus.SHARED, CycleStatus.DISCUSSED])
def test_a_shared_opleiden_cycle_reaches_its_opleider_and_the_schoolopleider(
    world, schoolopleider, status
):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, **STATUS_TRAITS[status])
    elsewhere = RoleAssignmentFactory(
        user__email="schoolopleider@horizon.example",
        school=world.other_school,
        school_year=world.school_year,
        role=Role.OPLEIDER,
        opleider_kind="schoolopleider",
    ).user
    assert readers(
        world, cycle, ("schoolopleider", schoolopleider), ("other_schoolopleider", elsewhere)
    ) == {"student_teacher", "opleider", "schoolopleider"}


@pytest.mark.parametrize("status", [CycleStatus.SHARED, CycleStatus.DISCUSSED])
def test_a_shared_coaching_cycle_reaches_the_coach_and_nobody_else(world, schoolopleider, status):
    cycle = ReflectionCycleFactory(trajectory=world.coaching, **STATUS_TRAITS[status])
    assert readers(world, cycle, ("schoolopleider", schoolopleider)) == {"coachee", "coach"}


def test_the_begeleiders_overview_lists_shared_cycles_waiting_first(world):
    opleider = person(world, "opleider")
    draft = ReflectionCycleFactory(trajectory=world.opleiden)
    discussed = ReflectionCycleFactory(trajectory=world.opleiden, discussed=True)
    waiting = ReflectionCycleFactory(trajectory=world.opleiden, shared=True)
    coaching = ReflectionCycleFactory(trajectory=world.coaching, shared=True)
    assert list(selectors.cycles_shared_with(opleider)) == [waiting, discussed]
    assert list(selectors.shared_cycles_waiting_for(opleider)) == [waiting]
    assert list(selectors.cycles_shared_with(person(world, "coach"))) == [coaching]
    own = selectors.cycles_of_owner(person(world, "student_teacher"))
    assert set(own) == {draft, discussed, waiting}
    assert not selectors.cycles_shared_with(person(world, "student_teacher")).exists()


def test_coaching_goals_and_conversations_are_for_the_pair_alone(world, schoolopleider):
    goal = LearningGoalFactory(trajectory=world.coaching)
    evidence = GoalEvidenceFactory(goal=goal)
    conversation = ConversationFactory(trajectory=world.coaching)
    agreement = AgreementFactory(conversation=conversation)
    people = {name: person(world, name) for name in EVERYONE} | {"schoolopleider": schoolopleider}
    for name, user in people.items():
        expected = name in {"coach", "coachee"}
        assert access.goals_visible_to(user).filter(pk=goal.pk).exists() == expected, name
        assert access.conversations_visible_to(user).filter(pk=conversation.pk).exists() == (
            expected
        ), name
        for obj in (goal, evidence, conversation, agreement):
            assert access.can(user, "view", obj) == expected, (name, obj)
    assert list(selectors.goals_for(person(world, "coach"))) == [goal]
    assert list(selectors.conversations_for(person(world, "coachee"))) == [conversation]
    assert not selectors.goals_for(person(world, "coordinator")).exists()
    assert not selectors.conversations_for(person(world, "coordinator")).exists()


def test_no_new_conversations_in_an_ended_trajectory(world):
    end(world.coaching)
    with pytest.raises(ValidationError, match="ended"):
        create_conversation(world, "coach", world.coaching, kind="coachgesprek")
    assert not Conversation.objects.exists()


def test_after_discussion_only_the_trial_of_an_alact_cycle_can_be_written(world):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, discussed=True)
    apply(world, cycle, [{"field": "trial", "text": "Het werkte: de klas was stil."}])
    assert ReflectionCycle.objects.get(pk=cycle.pk).trial == "Het werkte: de klas was stil."
    cycle.refresh_from_db()
    before = stored(cycle)
    with pytest.raises(ValidationError, match="discussed"):
        apply(
            world,
            cycle,
            [{"field": "trial", "text": "Nog meer."}, {"field": "intention", "text": "Anders."}],
        )
    assert stored(cycle) == before
    core = ReflectionCycleFactory(trajectory=world.opleiden, kind=CycleKind.CORE, discussed=True)
    with pytest.raises(ValidationError, match="discussed"):
        apply(world, core, [{"field": "new_step", "text": "Een stap."}])


def test_goals_still_being_worked_on_are_listed_first_then_the_newest(world):
    reached = LearningGoalFactory(trajectory=world.coaching, status=GoalStatus.REACHED)
    working = LearningGoalFactory(trajectory=world.coaching, status=GoalStatus.WORKING)
    dropped = LearningGoalFactory(trajectory=world.coaching, status=GoalStatus.DROPPED)
    opened = LearningGoalFactory(trajectory=world.coaching, status=GoalStatus.OPEN)
    listed = list(selectors.goals_for(person(world, "coachee"), trajectory=world.coaching))
    assert listed == [opened, working, dropped, reached]
