"""A learning group's page and its sessions through the pages: the procesbegeleider plans a
session and takes the group through the phases, the members contribute, the group's
"theorie met een kleine t" grows, and the coordinator sees that the group met and who
attended, never what was said."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from mentoring.models import AuditEntry
from reflection import group_phases
from reflection.models import GroupNote, GroupPrinciple, GroupSession, SessionEntry, SessionStatus
from roles.models import LearningGroupFormat
from tests.conftest import GROUP_SENTINEL, secret
from tests.factories import (
    GroupNoteFactory,
    GroupPrincipleFactory,
    GroupSessionFactory,
    LearningGroupFactory,
    MembershipFactory,
    SessionEntryFactory,
    SessionReportFactory,
    VideoClipFactory,
)

pytestmark = pytest.mark.django_db

ENGLISH = {"Accept-Language": "en"}


def url(name: str, obj, **kwargs) -> str:
    return reverse(name, kwargs={"public_id": obj.public_id, **kwargs})


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def dutch(text: str) -> str:
    """A message as the Dutch pages show it; it must be in the Dutch catalogue."""
    with translation.override("nl"):
        translated = translation.gettext(text)
    assert translated != text, f"not in the Dutch catalogue: {text!r}"
    return translated


def page(client, name: str, obj) -> str:
    response = client.get(url(name, obj), headers=ENGLISH)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def session(world) -> GroupSession:
    """A planned intervisie session of world.group, in its first phase, with nothing in it."""
    return GroupSessionFactory(group=world.group, created_by=world.people["procesbegeleider"])


# --- Every page, for a facilitator and a member ----------------------------------------------


@pytest.mark.parametrize("persona", ["procesbegeleider", "coach"])
def test_the_group_and_session_pages_render_for_facilitator_and_member(as_persona, world, persona):
    session = world.group_session
    principle, note = world.group_principle, world.group_note
    client = as_persona(persona)

    group_page = page(client, "learning_group_detail", world.group)
    session_page = page(client, "session_detail", session)

    assert principle.text == secret(GROUP_SENTINEL, "principle")
    assert principle.text in group_page
    assert note.text in group_page
    assert url("session_detail", session) in group_page
    assert secret(GROUP_SENTINEL, "session entry") in session_page
    assert "V · Voorstructureren" in session_page
    assert 'id="reports"' in session_page
    for phase in group_phases.INTERVISIE:
        assert f'id="phase-{phase.key}"' in session_page


def test_the_facilitator_has_the_planning_and_managing_controls(as_persona, world, session):
    client = as_persona("procesbegeleider")

    group_page = page(client, "learning_group_detail", world.group)
    session_page = page(client, "session_detail", session)

    assert url("group_session_plan", world.group) in group_page
    assert f'action="{url("learning_group_member_add", world.group)}"' in group_page
    coach = world.people["coach"]
    assert url("learning_group_member_leave", world.group, person=coach.public_id) in group_page
    assert url("session_move", session) in session_page
    assert url("session_cancel", session) in session_page
    assert url("session_attendance", session) in session_page
    assert f'action="{url("session_reports", session)}"' in session_page
    assert page(client, "group_session_plan", world.group)
    assert page(client, "session_cancel", session)


def test_a_member_sees_no_facilitator_controls_but_may_leave(as_persona, world, session):
    client = as_persona("coach")

    group_page = page(client, "learning_group_detail", world.group)
    session_page = page(client, "session_detail", session)

    assert url("group_session_plan", world.group) not in group_page
    assert f'action="{url("learning_group_member_add", world.group)}"' not in group_page
    coach, opleider = world.people["coach"], world.people["opleider"]
    assert url("learning_group_member_leave", world.group, person=coach.public_id) in group_page
    assert (
        url("learning_group_member_leave", world.group, person=opleider.public_id) not in group_page
    )
    assert url("session_move", session) not in session_page
    assert url("session_cancel", session) not in session_page
    assert url("session_attendance", session) not in session_page
    assert f'action="{url("session_reports", session)}"' not in session_page
    assert client.get(url("group_session_plan", world.group)).status_code == 403
    assert client.get(url("session_cancel", session)).status_code == 403


def test_a_member_downloads_the_session_report_from_the_session_page(as_persona, world, session):
    report = SessionReportFactory(session=session, done=True)

    html = page(as_persona("coach"), "session_detail", session)

    assert url("session_report_download", report) in html


def test_the_session_page_is_audited(as_persona, world, session):
    as_persona("coach").get(url("session_detail", session))

    entry = AuditEntry.objects.get(action="group_session.viewed")
    assert entry.actor == world.people["coach"]
    assert entry.object_id == str(session.public_id)
    assert entry.school == world.school


# --- Planning and the phase walk ------------------------------------------------------------


def test_the_procesbegeleider_plans_a_session_and_lands_on_its_page(as_persona, world):
    client = as_persona("procesbegeleider")
    starts_at = timezone.localtime() + datetime.timedelta(days=3)

    response = client.post(
        url("group_session_plan", world.group),
        {
            "starts_at": starts_at.strftime("%Y-%m-%dT%H:%M"),
            "location": "Lokaal 2.04",
            "focus": "",
        },
    )

    session = GroupSession.objects.get()
    assert response.status_code == 302
    assert response.url == url("session_detail", session)
    assert session.phase == "voorstructureren"
    assert session.location == "Lokaal 2.04"
    assert session.focus == world.group.theme


def test_a_plan_without_a_date_is_refused_on_the_form(as_persona, world):
    response = as_persona("procesbegeleider").post(
        url("group_session_plan", world.group), {"starts_at": "", "location": "x"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["starts_at"]
    assert not GroupSession.objects.exists()


def test_only_a_lesson_study_session_asks_for_the_research_lesson(as_persona, world):
    client = as_persona("procesbegeleider")
    lesson_study = LearningGroupFactory(
        school=world.school,
        school_year=world.school_year,
        format=LearningGroupFormat.LESSON_STUDY,
        facilitators=[world.people["procesbegeleider"]],
    )

    assert (
        "research_lesson"
        not in client.get(url("group_session_plan", world.group)).context["form"].fields
    )
    client.post(
        url("group_session_plan", lesson_study),
        {"starts_at": "2026-11-02T15:30", "research_lesson": "2"},
    )

    assert GroupSession.objects.get(group=lesson_study).research_lesson == 2


def move(client, session, step="next"):
    return client.post(url("session_move", session), {"step": step})


def contribute(client, session, phase: str, text: str, **fields):
    return client.post(url("session_entry_add", session), {"phase": phase, "text": text, **fields})


def test_the_procesbegeleider_takes_the_group_through_the_five_vesit_phases(as_persona, world):
    """V, E, S, I with experiences by two members, then t with principles, then finished."""
    session = GroupSessionFactory(group=world.group, created_by=world.people["procesbegeleider"])
    before = GroupPrincipleFactory(
        session=GroupSessionFactory(group=world.group, status=SessionStatus.HELD),
        text="Eerder principe: begin met een succeservaring.",
    )
    keys = [phase.key for phase in group_phases.INTERVISIE]

    for key in keys[:4]:
        for member in ("coach", "opleider"):
            response = contribute(as_persona(member), session, key, f"{member} in {key}")
            assert response.status_code == 302
            assert response.url == url("session_detail", session) + f"#phase-{key}"
        response = move(as_persona("procesbegeleider"), session)
        assert response.status_code == 302
    session.refresh_from_db()
    assert session.phase == "theorie"
    for member, text in (
        ("coach", "Geef de opdracht pas als het stil is."),
        ("opleider", "Laat leerlingen eerst zelf een voorbeeld bedenken."),
    ):
        response = as_persona(member).post(url("group_principle_add", session), {"text": text})
        assert response.status_code == 302
    response = move(as_persona("procesbegeleider"), session)

    session.refresh_from_db()
    assert session.status == SessionStatus.HELD
    finished = dutch("The session is finished. What the group made stays here.")
    assert messages_of(response) == [finished]
    assert SessionEntry.objects.filter(session=session).count() == 8
    assert set(SessionEntry.objects.values_list("phase", flat=True)) == set(keys[:4])
    assert world.group.principles.count() == 3
    session_page = page(as_persona("coach"), "session_detail", session)
    assert "opleider in inzoomen" in session_page
    assert "Laat leerlingen eerst zelf een voorbeeld bedenken." in session_page
    assert before.text not in session_page  # the session page lists its own principles
    group_page = page(as_persona("coach"), "learning_group_detail", world.group)
    # The group's list: all its principles, the earlier session's first (newest last).
    assert group_page.index(before.text) < group_page.index("Geef de opdracht pas")
    assert "Finish the session" not in session_page


def test_the_last_phase_offers_finishing_and_a_finished_session_can_be_opened_again(
    as_persona, world
):
    session = GroupSessionFactory(group=world.group, phase="theorie")
    client = as_persona("procesbegeleider")
    assert "Finish the session" in page(client, "session_detail", session)

    move(client, session)
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD
    assert "Open again, back to the previous phase" in page(client, "session_detail", session)
    move(client, session, "previous")

    session.refresh_from_db()
    assert (session.status, session.phase) == (SessionStatus.PLANNED, "inzoomen")


def test_a_member_cannot_move_the_phases(as_persona, world, session):
    response = move(as_persona("coach"), session)

    assert response.status_code == 403
    session.refresh_from_db()
    assert session.phase == "voorstructureren"


def test_a_step_that_is_neither_next_nor_previous_changes_nothing(as_persona, world, session):
    response = move(as_persona("procesbegeleider"), session, "sideways")

    assert response.status_code == 302
    assert messages_of(response) == [dutch("Choose the next or the previous phase.")]
    session.refresh_from_db()
    assert session.phase == "voorstructureren"


def test_an_entry_in_a_phase_not_yet_reached_is_refused_with_a_message(as_persona, world, session):
    response = contribute(as_persona("coach"), session, "inzoomen", "Te vroeg")

    assert response.status_code == 200
    refusal = dutch("The group has not reached this phase yet.")
    assert any(refusal in m for m in messages_of(response))
    assert not SessionEntry.objects.exists()


def test_an_unknown_phase_is_refused_with_a_message(as_persona, world, session):
    response = contribute(as_persona("coach"), session, "../../etc", "Iets")

    assert response.status_code == 302
    assert messages_of(response) == [dutch("This session has no such phase.")]
    assert not SessionEntry.objects.exists()


def test_an_empty_contribution_is_refused_in_its_phase(as_persona, world, session):
    response = contribute(as_persona("coach"), session, "voorstructureren", "   ")

    assert response.status_code == 200
    sections = {s["phase"].key: s for s in response.context["sections"]}
    assert sections["voorstructureren"]["form"].errors
    assert not SessionEntry.objects.exists()


def test_a_lesson_study_observation_names_its_case_pupil(as_persona, world):
    group = LearningGroupFactory(
        school=world.school,
        school_year=world.school_year,
        format=LearningGroupFormat.LESSON_STUDY,
        facilitators=[world.people["procesbegeleider"]],
        members=[world.people["coach"]],
    )
    session = GroupSessionFactory(group=group, phase="observatie", research_lesson=1)
    client = as_persona("coach")
    assert 'name="case_pupil"' in page(client, "session_detail", session)

    refused = contribute(client, session, "observatie", "Zat stil bij de instructie")
    contribute(client, session, "observatie", "Stak twee keer de vinger op", case_pupil="Sam")

    assert refused.status_code == 200
    assert not SessionEntry.objects.filter(text="Zat stil bij de instructie").exists()
    entry = SessionEntry.objects.get()
    assert (entry.case_pupil, entry.text) == ("Sam", "Stak twee keer de vinger op")
    assert "case pupil Sam" in page(client, "session_detail", session)


def test_the_second_research_lesson_shows_the_lesson_revised_after_the_first(as_persona, world):
    group = LearningGroupFactory(
        school=world.school,
        school_year=world.school_year,
        format=LearningGroupFormat.LESSON_STUDY,
        facilitators=[world.people["procesbegeleider"]],
        members=[world.people["coach"]],
    )
    first = GroupSessionFactory(group=group, phase="herontwerp", research_lesson=1)
    second = GroupSessionFactory(group=group, phase="orientatie", research_lesson=2)
    client = as_persona("coach")
    contribute(client, first, "herontwerp", "Eerst het raadsel, dan pas de tweetallen")

    assert "Eerst het raadsel, dan pas de tweetallen" in page(client, "session_detail", second)
    assert 'id="revised-lesson"' not in page(client, "session_detail", first)


def test_a_videoclub_noticing_has_two_steps(as_persona, world):
    group = LearningGroupFactory(
        school=world.school,
        school_year=world.school_year,
        format=LearningGroupFormat.VIDEOCLUB,
        facilitators=[world.people["procesbegeleider"]],
        members=[world.people["coach"]],
    )
    session = GroupSessionFactory(group=group, phase="waarnemen")
    client = as_persona("coach")

    contribute(
        client,
        session,
        "waarnemen",
        "Drie leerlingen kijken naar het bord",
        interpretation="Ze wachten op het voorbeeld",
    )

    html = page(client, "session_detail", session)
    assert "What I see" in html and "Drie leerlingen kijken naar het bord" in html
    assert "How I interpret it" in html and "Ze wachten op het voorbeeld" in html


def test_a_videoclub_session_shows_its_clips_in_the_clip_phase(as_persona, world):
    group = LearningGroupFactory(
        school=world.school,
        school_year=world.school_year,
        format=LearningGroupFormat.VIDEOCLUB,
        facilitators=[world.people["procesbegeleider"]],
        members=[world.people["coach"], world.people["opleider"]],
    )
    session = GroupSessionFactory(group=group)
    clip = VideoClipFactory(session=session, owner=world.people["coach"], title="Mijn instructie")

    html = page(as_persona("opleider"), "session_detail", session)

    clip_phase = html[html.index('id="phase-clip"') : html.index('id="phase-focusvraag"')]
    assert clip.title in clip_phase and clip.link in clip_phase
    assert url("video_clip_add", session) in clip_phase


def test_a_member_deletes_their_own_entry_after_confirming(as_persona, world, session):
    entry = SessionEntryFactory(session=session, author=world.people["coach"], text="Weg ermee")
    client = as_persona("coach")

    confirm = page(client, "session_entry_delete", entry)
    assert "Weg ermee" in confirm and "Delete your contribution?" in confirm
    response = client.post(url("session_entry_delete", entry))

    assert response.status_code == 302
    assert not SessionEntry.objects.exists()


def test_nobody_deletes_someone_elses_entry(as_persona, world, session):
    entry = SessionEntryFactory(session=session, author=world.people["coach"])

    for persona in ("opleider", "procesbegeleider"):
        client = as_persona(persona)
        assert client.get(url("session_entry_delete", entry)).status_code == 403
        assert client.post(url("session_entry_delete", entry)).status_code == 403
    assert SessionEntry.objects.exists()


def test_a_facilitator_takes_a_principle_off_the_list(as_persona, world):
    principle = GroupPrincipleFactory(
        session=GroupSessionFactory(group=world.group, phase="theorie"),
        author=world.people["coach"],
    )

    assert as_persona("opleider").post(url("group_principle_delete", principle)).status_code == 403
    client = as_persona("procesbegeleider")
    assert principle.text in page(client, "group_principle_delete", principle)
    client.post(url("group_principle_delete", principle))

    assert not GroupPrinciple.objects.exists()


def test_the_facilitator_records_attendance(as_persona, world, session):
    coach, opleider = world.people["coach"], world.people["opleider"]
    client = as_persona("procesbegeleider")

    client.post(
        url("session_attendance", session),
        {"attendees": [str(coach.public_id), str(opleider.public_id)]},
    )

    assert set(session.attendees.all()) == {coach, opleider}
    assert as_persona("coach").post(url("session_attendance", session)).status_code == 403


def test_a_planned_session_without_contributions_is_cancelled_after_confirming(
    as_persona, world, session
):
    client = as_persona("procesbegeleider")

    response = client.post(url("session_cancel", session))

    assert response.url == url("learning_group_detail", world.group)
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    html = page(as_persona("coach"), "session_detail", session)
    assert "This session was cancelled." in html and "<textarea" not in html


def test_a_session_with_contributions_cannot_be_cancelled(as_persona, world, session):
    SessionEntryFactory(session=session, author=world.people["coach"])
    client = as_persona("procesbegeleider")

    response = client.get(url("session_cancel", session))

    assert response.status_code == 302
    assert messages_of(response) == [
        dutch("Only a planned session without contributions can be cancelled.")
    ]
    session.refresh_from_db()
    assert session.status == SessionStatus.PLANNED


# --- Members, notes, leaving -----------------------------------------------------------------


def test_the_facilitator_adds_a_colleague_of_the_school(as_persona, world):
    colleague = MembershipFactory(school=world.school, user__full_name="Anna de Vries").user
    outsider = MembershipFactory(school=world.other_school).user
    client = as_persona("procesbegeleider")
    form = client.get(url("learning_group_detail", world.group)).context["member_form"]
    candidates = set(form.fields["person"].queryset)
    assert colleague in candidates
    assert outsider not in candidates
    assert world.people["coach"] not in candidates  # already a member
    assert world.people["procesbegeleider"] not in candidates  # facilitates

    client.post(url("learning_group_member_add", world.group), {"person": colleague.public_id})
    refused = client.post(
        url("learning_group_member_add", world.group), {"person": outsider.public_id}
    )

    assert world.group.memberships.filter(user=colleague, left_on__isnull=True).exists()
    assert not world.group.memberships.filter(user=outsider).exists()
    assert refused.status_code == 302 and messages_of(refused)
    assert (
        as_persona("coach")
        .post(url("learning_group_member_add", world.group), {"person": colleague.public_id})
        .status_code
        == 403
    )


def test_a_member_leaves_after_confirming_and_loses_the_sessions(as_persona, world):
    session = world.group_session
    coach = world.people["coach"]
    client = as_persona("coach")
    leave = url("learning_group_member_leave", world.group, person=coach.public_id)

    confirm = client.get(leave, headers=ENGLISH)
    assert confirm.status_code == 200 and "Leave the group" in confirm.content.decode()
    response = client.post(leave)

    assert response.url == reverse("learning_group_list")
    assert world.group.memberships.get(user=coach).left_on is not None
    assert client.get(url("session_detail", session)).status_code == 403
    assert client.get(url("learning_group_detail", world.group)).status_code == 403
    assert contribute(client, session, "voorstructureren", "Nog iets").status_code == 403


def test_a_member_cannot_take_another_member_off(as_persona, world):
    opleider = world.people["opleider"]
    leave = url("learning_group_member_leave", world.group, person=opleider.public_id)
    client = as_persona("coach")

    assert client.get(leave).status_code == 403
    assert client.post(leave).status_code == 403
    assert world.group.memberships.get(user=opleider).left_on is None


def test_the_coordinator_takes_a_member_off(as_persona, world):
    opleider = world.people["opleider"]
    leave = url("learning_group_member_leave", world.group, person=opleider.public_id)

    response = as_persona("coordinator").post(leave)

    assert response.url == url("learning_group_detail", world.group) + "#members"
    assert world.group.memberships.get(user=opleider).left_on is not None


def test_a_member_leaves_a_note_and_notes_show_newest_first(as_persona, world):
    GroupNoteFactory(group=world.group, text="De oudste notitie")
    client = as_persona("opleider")

    client.post(url("learning_group_note_add", world.group), {"text": "Een nieuwe notitie"})
    refused = client.post(url("learning_group_note_add", world.group), {"text": "x" * 5000})

    assert GroupNote.objects.count() == 2
    not_added = dutch("The note was not added: %(errors)s").split("%(errors)s")[0]
    assert messages_of(refused)[-1].startswith(not_added)
    html = page(client, "learning_group_detail", world.group)
    assert html.index("Een nieuwe notitie") < html.index("De oudste notitie")
    assert (
        as_persona("coordinator")
        .post(url("learning_group_note_add", world.group), {"text": "Van de coördinator"})
        .status_code
        == 403
    )


# --- Confidentiality -------------------------------------------------------------------------


def test_the_coordinator_sees_dates_and_attendance_but_no_content(as_persona, world):
    session = world.group_session
    session.attendees.set([world.people["coach"]])
    made = [world.group_principle, world.group_note]
    GroupSessionFactory(group=world.group, phase="theorie", focus=secret(GROUP_SENTINEL, "focus"))
    client = as_persona("coordinator")

    html = page(client, "learning_group_detail", world.group)

    assert all(GROUP_SENTINEL in obj.text for obj in made)
    assert GROUP_SENTINEL not in html
    assert world.people["coach"].full_name in html
    assert timezone.localtime(session.starts_at).strftime("%H:%M") in html
    assert url("session_detail", session) not in html
    assert "T · Theorie" not in html and "t · Theorie" not in html
    assert client.get(url("session_detail", session)).status_code == 403
    assert client.get(url("group_session_plan", world.group)).status_code == 403


@pytest.mark.parametrize("persona", ["school_leader", "student_teacher", "coachee"])
def test_colleagues_outside_the_group_see_nothing(as_persona, world, persona):
    client = as_persona(persona)

    assert client.get(url("learning_group_detail", world.group)).status_code == 403
    assert client.get(url("session_detail", world.group_session)).status_code == 403


def test_another_school_gets_404(as_persona, world):
    client = as_persona("other_school_coordinator")

    assert client.get(url("learning_group_detail", world.group)).status_code == 404
    assert client.get(url("session_detail", world.group_session)).status_code == 404


# --- Query budget ----------------------------------------------------------------------------


def group_page_queries(client, group) -> int:
    address = url("learning_group_detail", group)
    client.get(address)  # warm what is not per request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return len(captured.captured_queries)


def grow(world, sessions: int, members: int) -> None:
    """More members (each present at the sessions made next), and more sessions: every other
    one held, with an entry, a principle and a note."""
    facilitator, coach = world.people["procesbegeleider"], world.people["coach"]
    for _ in range(members):
        world.group.memberships.create(user=MembershipFactory(school=world.school).user)
    present = [facilitator, *(m.user for m in world.group.memberships.all())]
    for n in range(sessions):
        held = n % 2 == 0
        session = GroupSessionFactory(
            group=world.group,
            created_by=facilitator,
            starts_at=timezone.now() + datetime.timedelta(days=n - sessions // 2),
            phase="theorie" if held else "voorstructureren",
            status=SessionStatus.HELD if held else SessionStatus.PLANNED,
        )
        session.attendees.set(present)
        if held:
            SessionEntryFactory(session=session, phase="inzoomen", author=coach)
            GroupPrincipleFactory(session=session, author=coach)
        GroupNoteFactory(group=world.group, author=coach)


# The group page's queries. For everyone: the session and the user (2); the school scope of
# get_for_user and the group itself (2); the policy: for get_for_user's "view", and once more
# for the page's view_content, manage and facilitate together (access.LearningGroupStanding
# asks each question once): the schools the user works at, whether they facilitate, are a
# current member, coordinate — as far as the answers need; the members with their users, the
# sessions, their attendees, the facilitators (4); the member form's candidates, checked and
# then listed (2), and the navigation's schools (1).
# The procesbegeleider's page adds the content: the principles, the note count and page, and
# the audit entry (4); no products query, as an intervisie group's only product is its list of
# principles. The coordinator sees no content.
GROUP_PAGE_BUDGET = {"procesbegeleider": 20, "coordinator": 19}


@pytest.mark.parametrize("persona", ["procesbegeleider", "coordinator"])
def test_the_group_page_takes_the_same_queries_with_3_or_30_sessions(as_persona, world, persona):
    client = as_persona(persona)
    grow(world, 3, 0)
    few = group_page_queries(client, world.group)

    grow(world, 27, 13)

    assert GroupSession.objects.filter(group=world.group).count() == 30
    assert world.group.memberships.count() == 15
    assert group_page_queries(client, world.group) == few == GROUP_PAGE_BUDGET[persona]


def test_the_group_page_lists_the_products_per_session(as_persona, world):
    """Lesson study: the revised lesson and what was learned are what the group shares; the
    predictions and observations of case pupils stay on the session page."""
    group = LearningGroupFactory(
        school=world.school,
        school_year=world.school_year,
        format=LearningGroupFormat.LESSON_STUDY,
        facilitators=[world.people["procesbegeleider"]],
        members=[world.people["coach"]],
    )
    first = GroupSessionFactory(group=group, phase="opbrengst", research_lesson=1)
    second = GroupSessionFactory(
        group=group,
        phase="herontwerp",
        research_lesson=2,
        starts_at=first.starts_at + datetime.timedelta(days=14),
    )
    coach = world.people["coach"]
    SessionEntryFactory(session=first, phase="herontwerp", author=coach, text="Herontwerp 1")
    SessionEntryFactory(
        session=first, phase="observatie", author=coach, case_pupil="Sam", text="Observatie"
    )
    SessionEntryFactory(session=second, phase="herontwerp", author=coach, text="Herontwerp 2")

    html = page(as_persona("coach"), "learning_group_detail", group)

    products = html[html.index('id="products"') : html.index('id="notes"')]
    assert products.index("Herontwerp 1") < products.index("Herontwerp 2")
    assert "research lesson 2" in products
    assert "Observatie" not in products


def test_the_session_page_costs_the_same_with_one_contribution_or_thirty_one(as_persona, world):
    session = world.group_session
    client = as_persona("procesbegeleider")
    address = url("session_detail", session)

    def queries() -> int:
        client.get(address)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(address)
        assert response.status_code == 200
        return len(captured.captured_queries)

    few = queries()
    for _ in range(30):
        SessionEntryFactory(session=session, phase=session.phase, author=world.people["coach"])
    GroupPrincipleFactory.create_batch(5, session=session, group=session.group)

    # Session, user, the session with its group and school (in scope and fetched), the policy
    # (view_content for get_for_user, then facilitate and contribute, each question once per
    # standing), the audit entry, the attendees, the attendance form's choices, the entries
    # with their authors, the principles with theirs, the report panel, the navigation: 22.
    assert queries() == few <= 22
