"""Who may do what with a learning group's sessions, session reports and video clips
(mentoring/access.py), on the personas of the `world`.

world.group is an intervisie group: the procesbegeleider facilitates it, the coach and the
opleider are its members. Its content is theirs alone; the coordinator sees that it met, when
and who attended, never what was said; nobody else at the school, and nobody at another
school, sees anything. The tables are written out by hand, so a change in the policy has to be
a change here too.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from mentoring.access import (
    can,
    get_for_user,
    group_sessions_visible_to,
    group_sessions_with_content_for,
)
from reflection import services as reflection_services
from reflection.models import (
    GroupNote,
    GroupPrinciple,
    GroupSession,
    SessionEntry,
    SessionReport,
    SessionStatus,
    VideoClip,
)
from roles.models import LearningGroupFormat, LearningGroupMember, Membership
from tests.conftest import PERSONA_NAMES
from tests.factories import (
    GroupSessionFactory,
    LearningGroupFactory,
    MembershipFactory,
    SessionReportFactory,
    VideoClipFactory,
)
from tests.mentoring.test_access import parse_rights

pytestmark = pytest.mark.django_db

SESSION_ACTIONS = ("view", "view_content", "contribute", "facilitate")
REPORT_ACTIONS = ("view", "request")
CLIP_ACTIONS = ("view", "own")


def allowed(user, obj, actions) -> set[str]:
    return {action for action in actions if can(user, action, obj)}


@pytest.fixture
def people(world, schoolopleider):
    """The world's personas, plus the school's schoolopleider; anonymous is AnonymousUser."""
    return {**world.people, "anonymous": AnonymousUser(), "schoolopleider": schoolopleider}


def leave(world, who: str) -> None:
    membership = LearningGroupMember.objects.get(group=world.group, user=world.people[who])
    reflection_services.group_member_leave(actor=world.people[who], membership=membership)


# --- Sessions -------------------------------------------------------------------------------------


@pytest.fixture
def sessions(world) -> dict[str, GroupSession]:
    """world.group's planned session (with the coach's entry) and a cancelled one; a session of
    another group at the school (a colleague facilitates it, the student teacher is its
    member); a session of a group at the other school."""
    cancelled = GroupSessionFactory(group=world.group, status=SessionStatus.CANCELLED)
    colleague = MembershipFactory(school=world.school).user
    other_group = LearningGroupFactory(
        school=world.school,
        school_year=world.school_year,
        facilitators=[colleague],
        members=[world.people["student_teacher"]],
    )
    elsewhere = LearningGroupFactory(
        school=world.other_school,
        school_year=world.school_year,
        facilitators=[world.other_school_trajectory.begeleider],
    )
    return {
        "planned session": world.group_session,
        "cancelled session": cancelled,
        "other group's session": GroupSessionFactory(group=other_group),
        "other school's session": GroupSessionFactory(group=elsewhere),
    }


SESSION_RIGHTS = """
| persona                  | planned session                                | cancelled session                    | other group's session          | other school's session |
|--------------------------|------------------------------------------------|--------------------------------------|--------------------------------|------------------------|
| anonymous                | -                                              | -                                    | -                              | -                      |
| coordinator              | view                                           | view                                 | view                           | -                      |
| schoolopleider           | -                                              | -                                    | -                              | -                      |
| opleider                 | view, view_content, contribute                 | view, view_content                   | -                              | -                      |
| coach                    | view, view_content, contribute                 | view, view_content                   | -                              | -                      |
| procesbegeleider         | view, view_content, contribute, facilitate     | view, view_content, facilitate       | -                              | -                      |
| student_teacher          | -                                              | -                                    | view, view_content, contribute | -                      |
| coachee                  | -                                              | -                                    | -                              | -                      |
| school_leader            | -                                              | -                                    | -                              | -                      |
| other_school_coordinator | -                                              | -                                    | -                              | view                   |
"""  # noqa: E501

EXPECTED_SESSION_RIGHTS = parse_rights(SESSION_RIGHTS)


def test_the_session_table_has_a_row_for_every_persona():
    assert {persona for persona, _ in EXPECTED_SESSION_RIGHTS} == {
        *PERSONA_NAMES,
        "schoolopleider",
    }


@pytest.mark.parametrize(
    ("persona", "column"),
    EXPECTED_SESSION_RIGHTS,
    ids=[f"{p}-{c}" for p, c in EXPECTED_SESSION_RIGHTS],
)
def test_session_rights_table(people, sessions, persona, column):
    assert (
        allowed(people[persona], sessions[column], SESSION_ACTIONS)
        == EXPECTED_SESSION_RIGHTS[persona, column]
    )


def test_the_session_lists_show_what_can_allows(people, sessions):
    every = list(sessions.values())

    for name, user in people.items():
        assert set(group_sessions_visible_to(user)) == {
            session for session in every if can(user, "view", session)
        }, name
        assert set(group_sessions_with_content_for(user)) == {
            session for session in every if can(user, "view_content", session)
        }, name


def test_a_member_who_left_loses_the_sessions_content(world, sessions):
    session = world.group_session
    coach = world.people["coach"]

    leave(world, "coach")

    assert allowed(coach, session, SESSION_ACTIONS) == set()
    assert not group_sessions_with_content_for(coach).exists()
    assert not group_sessions_visible_to(coach).exists()
    with pytest.raises(PermissionDenied):
        get_for_user(coach, GroupSession.objects.all(), "view_content", pk=session.pk)
    # The entry the coach wrote while a member stays the group's, not theirs to read.
    entry = session.entries.get()
    assert not can(coach, "contribute", entry)
    # The other member is not affected.
    assert allowed(world.people["opleider"], session, SESSION_ACTIONS) == {
        "view",
        "view_content",
        "contribute",
    }


def test_a_member_who_joins_again_reads_the_sessions_again(world):
    coach = world.people["coach"]
    leave(world, "coach")

    reflection_services.group_member_add(
        actor=world.people["coordinator"], group=world.group, person=coach
    )

    assert can(coach, "view_content", world.group_session)


def test_a_facilitator_who_leaves_the_school_loses_the_group(world):
    facilitator = world.people["procesbegeleider"]
    Membership.objects.filter(user=facilitator, school=world.school).update(is_active=False)

    assert allowed(facilitator, world.group_session, SESSION_ACTIONS) == set()
    assert not group_sessions_visible_to(facilitator).exists()
    assert not group_sessions_with_content_for(facilitator).exists()


def test_a_member_who_leaves_the_school_loses_the_group(world):
    coach = world.people["coach"]
    Membership.objects.filter(user=coach, school=world.school).update(is_active=False)

    assert allowed(coach, world.group_session, SESSION_ACTIONS) == set()
    assert not group_sessions_with_content_for(coach).exists()


def test_what_a_session_holds_follows_the_session(world, people):
    entry = world.group_session.entries.get()
    principle = world.group_principle
    readers = {"coach", "opleider", "procesbegeleider"}

    for thing in (entry, principle):
        assert {n for n, u in people.items() if can(u, "view_content", thing)} == readers
        assert {n for n, u in people.items() if can(u, "contribute", thing)} == readers


def test_a_note_to_the_group_is_read_by_the_group_only(world, people):
    note = world.group_note

    assert {n for n, u in people.items() if can(u, "view", note)} == {
        "coach",
        "opleider",
        "procesbegeleider",
    }


def test_the_coordinator_cannot_view_an_entry_or_a_principle(world):
    coordinator = world.people["coordinator"]

    assert not can(coordinator, "view", world.group_session.entries.get())
    assert not can(coordinator, "view", world.group_principle)


# --- Session reports ------------------------------------------------------------------------------

REPORT_RIGHTS = """
| persona                  | session report |
|--------------------------|----------------|
| anonymous                | -              |
| coordinator              | -              |
| schoolopleider           | -              |
| opleider                 | view           |
| coach                    | view           |
| procesbegeleider         | view, request  |
| student_teacher          | -              |
| coachee                  | -              |
| school_leader            | -              |
| other_school_coordinator | -              |
"""

EXPECTED_REPORT_RIGHTS = parse_rights(REPORT_RIGHTS)


@pytest.fixture
def report(world) -> SessionReport:
    return SessionReportFactory(
        session=world.group_session, requested_by=world.people["procesbegeleider"], done=True
    )


def test_the_report_table_has_a_row_for_every_persona():
    assert {persona for persona, _ in EXPECTED_REPORT_RIGHTS} == {
        *PERSONA_NAMES,
        "schoolopleider",
    }


@pytest.mark.parametrize(
    ("persona", "column"), EXPECTED_REPORT_RIGHTS, ids=[p for p, _ in EXPECTED_REPORT_RIGHTS]
)
def test_report_rights_table(people, report, persona, column):
    assert (
        allowed(people[persona], report, REPORT_ACTIONS) == EXPECTED_REPORT_RIGHTS[persona, column]
    )


def test_a_member_who_left_can_no_longer_read_the_report(world, report):
    leave(world, "coach")

    assert allowed(world.people["coach"], report, REPORT_ACTIONS) == set()


# --- Video clips ----------------------------------------------------------------------------------


@pytest.fixture
def clips(world) -> dict[str, VideoClip]:
    """Clips of the coach's lesson in a videoclub session of a group with world.group's people:
    one for the whole group, one for the opleider only, one withdrawn, one expired."""
    group = LearningGroupFactory(
        school=world.school,
        school_year=world.school_year,
        format=LearningGroupFormat.VIDEOCLUB,
        facilitators=[world.people["procesbegeleider"]],
        members=[world.people["coach"], world.people["opleider"]],
    )
    session = GroupSessionFactory(group=group)
    coach = world.people["coach"]
    return {
        "whole group": VideoClipFactory(session=session, owner=coach),
        "opleider only": VideoClipFactory(
            session=session, owner=coach, whole_group=False, viewers=[world.people["opleider"]]
        ),
        "withdrawn": VideoClipFactory(
            session=session, owner=coach, link="", withdrawn_at=timezone.now()
        ),
        "expired": VideoClipFactory(
            session=session,
            owner=coach,
            expires_on=timezone.localdate() - datetime.timedelta(days=1),
        ),
    }


CLIP_RIGHTS = """
| persona                  | whole group | opleider only | withdrawn | expired |
|--------------------------|-------------|---------------|-----------|---------|
| anonymous                | -           | -             | -         | -       |
| coordinator              | -           | -             | -         | -       |
| schoolopleider           | -           | -             | -         | -       |
| opleider                 | view        | view          | -         | -       |
| coach                    | view, own   | view, own     | own       | own     |
| procesbegeleider         | view        | -             | -         | -       |
| student_teacher          | -           | -             | -         | -       |
| coachee                  | -           | -             | -         | -       |
| school_leader            | -           | -             | -         | -       |
| other_school_coordinator | -           | -             | -         | -       |
"""

EXPECTED_CLIP_RIGHTS = parse_rights(CLIP_RIGHTS)


def test_the_clip_table_has_a_row_for_every_persona():
    assert {persona for persona, _ in EXPECTED_CLIP_RIGHTS} == {*PERSONA_NAMES, "schoolopleider"}


@pytest.mark.parametrize(
    ("persona", "column"), EXPECTED_CLIP_RIGHTS, ids=[f"{p}-{c}" for p, c in EXPECTED_CLIP_RIGHTS]
)
def test_clip_rights_table(people, clips, persona, column):
    assert (
        allowed(people[persona], clips[column], CLIP_ACTIONS)
        == EXPECTED_CLIP_RIGHTS[persona, column]
    )


def test_a_chosen_viewer_who_left_the_group_no_longer_sees_the_clip(world, clips):
    clip = clips["opleider only"]
    opleider = world.people["opleider"]
    membership = LearningGroupMember.objects.get(group=clip.session.group, user=opleider)

    reflection_services.group_member_leave(actor=opleider, membership=membership)

    assert allowed(opleider, clip, CLIP_ACTIONS) == set()


# --- Fetching one object: 404 across schools, 403 within ---------------------------------------


def fetch(user, model, obj, action="view"):
    return get_for_user(user, model.objects.all(), action, public_id=obj.public_id)


@pytest.fixture
def group_objects(world, report, clips) -> dict[str, tuple]:
    """(model, object, the action a page asks for) for each kind of group object."""
    return {
        "session": (GroupSession, world.group_session, "view_content"),
        "entry": (SessionEntry, world.group_session.entries.get(), "contribute"),
        "principle": (GroupPrinciple, world.group_principle, "contribute"),
        "note": (GroupNote, world.group_note, "view"),
        "report": (SessionReport, report, "view"),
        "clip": (VideoClip, clips["whole group"], "view"),
    }


@pytest.mark.parametrize("kind", ["session", "entry", "principle", "note", "report", "clip"])
def test_another_school_gets_404_for_a_group_object(world, group_objects, kind):
    model, obj, action = group_objects[kind]

    outsiders = (world.people["other_school_coordinator"], world.other_school_trajectory.begeleider)
    for outsider in outsiders:
        with pytest.raises(Http404):
            fetch(outsider, model, obj, action)


@pytest.mark.parametrize("kind", ["session", "entry", "principle", "note", "report", "clip"])
@pytest.mark.parametrize("name", ["coordinator", "school_leader", "student_teacher", "coachee"])
def test_someone_at_the_school_outside_the_group_gets_403(world, group_objects, kind, name):
    model, obj, action = group_objects[kind]

    with pytest.raises(PermissionDenied):
        fetch(world.people[name], model, obj, action)


@pytest.mark.parametrize("kind", ["session", "entry", "principle", "note", "report", "clip"])
def test_a_member_fetches_a_group_object(world, group_objects, kind):
    model, obj, action = group_objects[kind]

    assert fetch(world.people["opleider"], model, obj, action) == obj


def test_the_coordinator_fetches_a_session_to_see_that_it_met_but_not_its_content(world):
    coordinator, session = world.people["coordinator"], world.group_session

    assert fetch(coordinator, GroupSession, session) == session
    with pytest.raises(PermissionDenied):
        fetch(coordinator, GroupSession, session, "view_content")
    with pytest.raises(PermissionDenied):
        fetch(coordinator, SessionReport, SessionReportFactory(session=session), "view")
