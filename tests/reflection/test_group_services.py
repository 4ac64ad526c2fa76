"""Learning groups written through their services (reflection/services.py): a session taken
through its format's phases (intervisie by VESIt, a lesson study cycle over two research
lessons, a videoclub, an ontwerpatelier), the group's growing "theorie met een kleine t",
members joining and leaving, notes, attendance, and video clips: consent, expiry, links and
uploads checked by content, viewers, withdrawal and the purge of expired clips.

world.group is an intervisie group facilitated by the procesbegeleider, with the coach and the
opleider as members.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from mentoring import access
from reflection import group_phases, services
from reflection.models import (
    GroupNote,
    GroupPrinciple,
    GroupSession,
    SessionEntry,
    SessionStatus,
    VideoClip,
)
from roles.models import LearningGroupFormat, LearningGroupMember, Membership
from tests.factories import (
    LearningGroupFactory,
    MembershipFactory,
    VideoClipFactory,
)

pytestmark = pytest.mark.django_db

MP4 = b"\x00\x00\x00\x18ftypmp42" + bytes(64)


@pytest.fixture(autouse=True)
def _in_english():
    """The services' messages are matched in English, whatever the catalogue says."""
    with translation.override("en"):
        yield


def message(error: ValidationError) -> str:
    return " ".join(error.messages)


def stored_files(folder) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def keys(format: str) -> list[str]:
    return [phase.key for phase in group_phases.phases_of(format)]


def group_of(world, format: str):
    """A group of `format` at the school, facilitated by the procesbegeleider, with the coach
    and the opleider as members (like world.group, which is intervisie)."""
    return LearningGroupFactory(
        school=world.school,
        school_year=world.school_year,
        format=format,
        theme="Hoe laat je leerlingen hardop denken?",
        facilitators=[world.people["procesbegeleider"]],
        members=[world.people["coach"], world.people["opleider"]],
    )


def plan(world, group=None, **fields) -> GroupSession:
    return services.group_session_plan(
        actor=world.people["procesbegeleider"],
        group=group or world.group,
        starts_at=timezone.now() + datetime.timedelta(days=7),
        **fields,
    )


def move(world, session: GroupSession, step: int = 1) -> GroupSession:
    return services.group_session_move(
        actor=world.people["procesbegeleider"], session=session, step=step
    )


def write(world, who: str, session: GroupSession, text: str, **fields) -> SessionEntry:
    return services.session_entry_add(
        actor=world.people[who], session=session, phase=session.phase, text=text, **fields
    )


def principle(world, who: str, session: GroupSession, text: str) -> GroupPrinciple:
    return services.group_principle_add(actor=world.people[who], session=session, text=text)


def entries_by_phase(session: GroupSession) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for entry in session.entries.select_related("author").order_by("pk"):
        found.setdefault(entry.phase, []).append((entry.author.email, entry.text))
    return found


def membership(world, who: str = "opleider") -> LearningGroupMember:
    return LearningGroupMember.objects.get(group=world.group, user=world.people[who])


# --- Intervisie by the VESIt model ------------------------------------------------------------


def test_an_intervisie_session_goes_through_vesit_with_two_members_and_ends_held(world):
    session = plan(world, focus="Differentiëren in de les")
    assert session.phase == "voorstructureren"
    assert session.status == SessionStatus.PLANNED

    seen = [session.phase]
    for _ in range(4):
        write(world, "coach", session, f"Coach in {session.phase}")
        write(world, "opleider", session, f"Opleider in {session.phase}")
        session = move(world, session)
        seen.append(session.phase)
    principle(world, "coach", session, "Geef de opdracht pas als het stil is.")
    principle(world, "opleider", session, "Laat een leerling de opdracht herhalen.")
    session = move(world, session)

    assert seen == ["voorstructureren", "ervaringen", "structureren", "inzoomen", "theorie"]
    assert seen == keys(LearningGroupFormat.INTERVISIE)
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD
    assert session.phase == "theorie"
    assert entries_by_phase(session) == {
        phase: [
            ("coach@school.example", f"Coach in {phase}"),
            ("opleider@school.example", f"Opleider in {phase}"),
        ]
        for phase in seen[:4]
    }
    assert list(world.group.principles.values_list("text", "session")) == [
        ("Geef de opdracht pas als het stil is.", session.pk),
        ("Laat een leerling de opdracht herhalen.", session.pk),
    ]


def test_the_vesit_theory_phase_collects_principles_not_entries(world):
    session = plan(world)
    for _ in range(4):
        session = move(world, session)

    with pytest.raises(ValidationError) as refused:
        write(world, "coach", session, "Een gewone bijdrage")

    assert "collects something else" in message(refused.value)
    assert not session.entries.exists()


def test_the_principles_list_grows_across_two_intervisie_sessions(world):
    first = plan(world)
    for _ in range(4):
        first = move(world, first)
    principle(world, "coach", first, "Begin met een startopdracht op het bord.")
    principle(world, "opleider", first, "Geef de opdracht in drie stappen.")
    move(world, first)
    assert world.group.principles.count() == 2

    second = plan(world)
    for _ in range(4):
        second = move(world, second)
    for text in ("Check of iedereen weet wat te doen.", "Noem leerlingen bij naam.", "Wacht."):
        principle(world, "procesbegeleider", second, text)
    move(world, second)

    assert world.group.principles.count() == 5
    assert list(world.group.principles.values_list("session", flat=True)) == [
        first.pk,
        first.pk,
        second.pk,
        second.pk,
        second.pk,
    ]


def test_a_principle_is_refused_before_the_theory_phase_and_when_too_long(world):
    session = plan(world)

    with pytest.raises(ValidationError) as early:
        principle(world, "coach", session, "Te vroeg")
    for _ in range(4):
        session = move(world, session)
    with pytest.raises(ValidationError) as long:
        principle(world, "coach", session, "x" * (services.PRINCIPLE_LENGTH + 1))
    with pytest.raises(ValidationError):
        principle(world, "coach", session, "   ")

    assert "not reached this phase" in message(early.value)
    assert "at most 500 characters" in message(long.value)
    assert principle(world, "coach", session, "x" * services.PRINCIPLE_LENGTH)
    assert world.group.principles.count() == 1


def test_only_lesson_study_groups_keep_a_research_lesson(world):
    assert plan(world, research_lesson=2).research_lesson is None
    lesson_study = group_of(world, LearningGroupFormat.LESSON_STUDY)
    assert plan(world, lesson_study, research_lesson=2).research_lesson == 2


def test_a_session_takes_the_group_theme_when_it_has_no_focus_of_its_own(world):
    assert plan(world).focus == world.group.theme
    assert plan(world, focus="  Feedback geven  ").focus == "Feedback geven"


# --- Lesson study: a cycle over two research lessons ------------------------------------------

CASE_PUPILS = ("Sem", "Noor")


def research_lesson(world, group, number: int, revised_from: str = "") -> GroupSession:
    """One research lesson of the cycle, taken through all seven phases by the group."""
    session = plan(world, group, research_lesson=number)
    assert session.phase == "orientatie"
    write(world, "procesbegeleider", session, "Onderzoeksvraag: hoe laten we leerlingen denken?")
    # The "research lesson" phase takes only entries about a case pupil, so the lesson plan
    # itself is written down here, at the start.
    write(world, "coach", session, revised_from or "Les 1: een denkvraag, dan in tweetallen.")
    session = move(world, session)

    assert session.phase == "ontwerp"
    for pupil in CASE_PUPILS:
        write(world, "coach", session, f"Voorspelling les {number}", case_pupil=pupil)
    session = move(world, session)

    assert session.phase == "observatie"
    for who in ("coach", "opleider"):
        for pupil in CASE_PUPILS:
            write(world, who, session, f"Waarneming les {number} door {who}", case_pupil=pupil)
    session = move(world, session)

    assert session.phase == "interviews"
    for pupil in CASE_PUPILS:
        write(world, "opleider", session, f"{pupil}: ik snapte de vraag niet", case_pupil=pupil)
    session = move(world, session)

    assert session.phase == "nabespreking"
    write(world, "opleider", session, "Sem deed meer dan voorspeld; Noor haakte af.")
    session = move(world, session)

    assert session.phase == "herontwerp"
    write(world, "coach", session, f"Les {number + 1}: de denkvraag eerst op papier.")
    session = move(world, session)

    assert session.phase == "opbrengst"
    write(world, "procesbegeleider", session, f"Geleerd in les {number}: eerst schrijven.")
    return move(world, session)


def test_a_lesson_study_cycle_spans_two_research_lessons(world):
    group = group_of(world, LearningGroupFormat.LESSON_STUDY)

    first = research_lesson(world, group, 1)
    # The revised lesson of the first research lesson is the group's product: the second
    # research lesson is designed from it.
    revised = SessionEntry.objects.get(session=first, phase="herontwerp")
    assert group_phases.phase_of(group.format, "herontwerp").product
    second = research_lesson(world, group, 2, revised_from=revised.text)

    for session, number in ((first, 1), (second, 2)):
        session.refresh_from_db()
        assert session.status == SessionStatus.HELD
        assert session.research_lesson == number
        observations = session.entries.filter(phase="observatie")
        # Each observing member, each case pupil.
        assert sorted(observations.values_list("author__email", "case_pupil")) == sorted(
            (f"{who}@school.example", pupil)
            for who in ("coach", "opleider")
            for pupil in CASE_PUPILS
        )
        predictions = session.entries.filter(phase="ontwerp")
        assert sorted(predictions.values_list("case_pupil", flat=True)) == sorted(CASE_PUPILS)
        assert session.entries.filter(phase="interviews").count() == 2
    assert second.entries.get(phase="orientatie", author=world.people["coach"]).text == (
        "Les 2: de denkvraag eerst op papier."
    )
    products = SessionEntry.objects.filter(
        session__group=group,
        phase__in=[phase.key for phase in group_phases.phases_of(group.format) if phase.product],
    )
    assert products.count() == 4


@pytest.mark.parametrize("phase", ["observatie", "interviews"])
def test_a_lesson_study_entry_about_pupils_needs_a_case_pupil(world, phase):
    group = group_of(world, LearningGroupFormat.LESSON_STUDY)
    session = plan(world, group, research_lesson=1)
    while session.phase != phase:
        session = move(world, session)

    with pytest.raises(ValidationError) as refused:
        write(world, "opleider", session, "Ze keek uit het raam", case_pupil="  ")

    assert refused.value.message_dict == {"case_pupil": ["Say which case pupil this is about."]}
    assert not session.entries.exists()


def test_the_research_lesson_plan_is_written_for_the_whole_lesson_beside_the_predictions(world):
    group = group_of(world, LearningGroupFormat.LESSON_STUDY)
    session = plan(world, group, research_lesson=1)
    while session.phase != "ontwerp":
        session = move(world, session)

    write(world, "opleider", session, "Start met een raadsel; daarna in tweetallen", case_pupil="")
    write(world, "coach", session, "Haakt af bij de tweetallen", case_pupil="Leerling B")

    assert sorted(session.entries.values_list("case_pupil", flat=True)) == ["", "Leerling B"]


def test_a_case_pupil_is_kept_only_where_the_phase_asks_for_one(world):
    group = group_of(world, LearningGroupFormat.LESSON_STUDY)
    session = plan(world, group, research_lesson=1)

    entry = write(world, "coach", session, "Onderzoeksvraag", case_pupil="Sem")

    assert entry.case_pupil == ""


# --- Videoclub: noticing in two steps -----------------------------------------------------------


def test_videoclub_noticing_requires_both_what_i_see_and_how_i_interpret_it(world):
    group = group_of(world, LearningGroupFormat.VIDEOCLUB)
    session = plan(world, group)
    assert session.phase == "clip"
    VideoClipFactory(session=session, owner=world.people["coach"])
    session = move(world, session)
    write(world, "coach", session, "Wat denken de leerlingen als ze de som zien?")
    session = move(world, session)
    assert session.phase == "waarnemen"

    with pytest.raises(ValidationError) as no_interpretation:
        write(world, "opleider", session, "Femke wijst naar het bord.")
    with pytest.raises(ValidationError) as no_text:
        write(world, "opleider", session, "", interpretation="Ze zoekt steun.")
    noticing = write(
        world,
        "opleider",
        session,
        "Femke wijst naar het bord.",
        interpretation="Ze zoekt steun bij het voorbeeld.",
    )

    assert no_interpretation.value.message_dict == {
        "interpretation": ["Write how you interpret what you saw."]
    }
    assert no_text.value.message_dict == {"text": ["Write something first."]}
    assert (noticing.text, noticing.interpretation) == (
        "Femke wijst naar het bord.",
        "Ze zoekt steun bij het voorbeeld.",
    )
    session = move(world, session)
    write(world, "procesbegeleider", session, "De leraar neemt mee: langer wachten.")
    assert move(world, session).status == SessionStatus.HELD
    assert session.entries.count() == 3


def test_the_clip_phase_takes_clips_not_text(world):
    session = plan(world, group_of(world, LearningGroupFormat.VIDEOCLUB))

    with pytest.raises(ValidationError) as refused:
        write(world, "coach", session, "Hier is mijn fragment")

    assert "collects something else" in message(refused.value)


def test_an_interpretation_is_kept_only_in_the_noticing_phase(world):
    session = plan(world)

    entry = write(world, "coach", session, "Mijn ervaring", interpretation="Mijn duiding")

    assert entry.interpretation == ""


# --- Ontwerpatelier ------------------------------------------------------------------------------


def test_an_ontwerpatelier_goes_back_for_another_iteration(world):
    group = group_of(world, LearningGroupFormat.ONTWERPATELIER)
    session = plan(world, group)
    write(world, "procesbegeleider", session, "Hoe oefenen leerlingen woordenschat zelfstandig?")
    session = move(world, session)
    write(world, "coach", session, "Iteratie 1: kaartjes met plaatjes.")
    session = move(world, session)
    write(world, "coach", session, "Uitgeprobeerd in 1A: plaatjes te klein.")
    write(world, "opleider", session, "Uitgeprobeerd in 1C: werkte goed.")
    session = move(world, session)
    write(world, "opleider", session, "Grotere plaatjes, dan opnieuw proberen.")

    # Back to the iteration phase for the next version of the material.
    session = move(world, session, step=-1)
    session = move(world, session, step=-1)
    assert session.phase == "iteratie"
    write(world, "coach", session, "Iteratie 2: grotere plaatjes, met het woord op de achterkant.")
    while session.status != SessionStatus.HELD:
        session = move(world, session)

    assert session.phase == "evaluatie"
    assert list(session.entries.filter(phase="iteratie").values_list("text", flat=True)) == [
        "Iteratie 1: kaartjes met plaatjes.",
        "Iteratie 2: grotere plaatjes, met het woord op de achterkant.",
    ]
    assert keys(group.format) == ["ontwerpvraag", "iteratie", "uitproberen", "evaluatie"]


# --- Phases, moving, cancelling, attendance -------------------------------------------------------


def test_an_entry_in_a_phase_the_group_has_not_reached_is_refused(world):
    session = plan(world)

    with pytest.raises(ValidationError) as ahead:
        services.session_entry_add(
            actor=world.people["coach"], session=session, phase="structureren", text="Te vroeg"
        )
    with pytest.raises(ValidationError) as unknown:
        services.session_entry_add(
            actor=world.people["coach"], session=session, phase="clip", text="Geen fase hier"
        )

    assert "not reached this phase yet" in message(ahead.value)
    assert "no such phase" in message(unknown.value)
    assert not session.entries.exists()


def test_an_entry_in_an_earlier_phase_is_still_welcome(world):
    session = move(world, move(world, plan(world)))

    entry = services.session_entry_add(
        actor=world.people["coach"], session=session, phase="voorstructureren", text="Vergeten"
    )

    assert entry.phase == "voorstructureren"


def test_an_entry_is_refused_when_empty_or_too_long(world):
    session = plan(world)

    with pytest.raises(ValidationError) as empty:
        write(world, "coach", session, "   ")
    with pytest.raises(ValidationError) as long:
        write(world, "coach", session, "x" * 20_000)

    assert empty.value.message_dict == {"text": ["Write something first."]}
    assert "text" in long.value.message_dict
    assert not session.entries.exists()


@pytest.mark.parametrize("name", ["coach", "opleider", "coordinator", "school_leader"])
def test_only_facilitators_move_the_session_through_its_phases(world, name):
    session = plan(world)

    with pytest.raises(PermissionDenied):
        services.group_session_move(actor=world.people[name], session=session, step=1)

    session.refresh_from_db()
    assert session.phase == "voorstructureren"


def test_a_session_cannot_move_back_from_its_first_phase_nor_move_once_cancelled(world):
    session = plan(world)

    with pytest.raises(ValidationError) as first:
        move(world, session, step=-1)
    services.group_session_cancel(actor=world.people["procesbegeleider"], session=session)
    with pytest.raises(ValidationError) as cancelled:
        move(world, session)

    assert "already in its first phase" in message(first.value)
    assert "cancelled" in message(cancelled.value)


def test_moving_back_from_a_held_session_reopens_it(world):
    session = plan(world)
    for _ in range(5):
        session = move(world, session)
    assert session.status == SessionStatus.HELD

    session = move(world, session, step=-1)

    assert (session.status, session.phase) == (SessionStatus.PLANNED, "inzoomen")


def test_each_move_counts_the_version_up(world):
    session = plan(world)
    version = session.version

    session = move(world, session)

    assert GroupSession.objects.get(pk=session.pk).version == version + 1


def test_a_planned_session_without_contributions_can_be_cancelled(world):
    session = plan(world)

    services.group_session_cancel(actor=world.people["procesbegeleider"], session=session)

    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    with pytest.raises(PermissionDenied):
        write(world, "coach", session, "Toch nog iets")


def test_a_session_with_contributions_or_held_cannot_be_cancelled(world):
    with_entry = plan(world)
    write(world, "coach", with_entry, "Mijn ervaring")
    held = plan(world)
    for _ in range(5):
        held = move(world, held)

    for session in (with_entry, held):
        with pytest.raises(ValidationError) as refused:
            services.group_session_cancel(actor=world.people["procesbegeleider"], session=session)
        assert "Only a planned session without contributions" in message(refused.value)
        session.refresh_from_db()
        assert session.status != SessionStatus.CANCELLED


@pytest.mark.parametrize("name", ["coach", "coordinator"])
def test_only_facilitators_cancel_or_plan_a_session(world, name):
    session = plan(world)

    with pytest.raises(PermissionDenied):
        services.group_session_cancel(actor=world.people[name], session=session)
    with pytest.raises(PermissionDenied):
        services.group_session_plan(
            actor=world.people[name], group=world.group, starts_at=timezone.now()
        )
    assert GroupSession.objects.count() == 1


def test_attendance_is_of_members_and_facilitators_only(world):
    session = plan(world)
    people = world.people

    services.group_session_attendance(
        actor=people["procesbegeleider"],
        session=session,
        attendees=[people["procesbegeleider"], people["coach"]],
    )
    for outsider in ("coordinator", "student_teacher", "other_school_coordinator"):
        with pytest.raises(ValidationError) as refused:
            services.group_session_attendance(
                actor=people["procesbegeleider"],
                session=session,
                attendees=[people["opleider"], people[outsider]],
            )
        assert "members or facilitators of this group" in message(refused.value)
    with pytest.raises(PermissionDenied):
        services.group_session_attendance(
            actor=people["coach"], session=session, attendees=[people["coach"]]
        )

    assert set(session.attendees.all()) == {people["procesbegeleider"], people["coach"]}


def test_a_member_who_left_cannot_be_marked_present(world):
    session = plan(world)
    services.group_member_leave(actor=world.people["opleider"], membership=membership(world))

    with pytest.raises(ValidationError):
        services.group_session_attendance(
            actor=world.people["procesbegeleider"],
            session=session,
            attendees=[world.people["opleider"]],
        )


# --- Deleting contributions -----------------------------------------------------------------------


def test_only_its_author_takes_an_entry_back(world):
    session = plan(world)
    entry = write(world, "coach", session, "Mijn ervaring")

    for name in ("opleider", "procesbegeleider", "coordinator"):
        with pytest.raises(PermissionDenied):
            services.session_entry_delete(actor=world.people[name], entry=entry)
    services.session_entry_delete(actor=world.people["coach"], entry=entry)

    assert not session.entries.exists()


def test_a_principle_is_taken_off_by_its_author_or_a_facilitator_only(world):
    session = plan(world)
    for _ in range(4):
        session = move(world, session)
    by_coach = principle(world, "coach", session, "Eerst stilte.")
    by_opleider = principle(world, "opleider", session, "Dan de opdracht.")

    with pytest.raises(PermissionDenied):
        services.group_principle_delete(actor=world.people["opleider"], principle=by_coach)
    with pytest.raises(PermissionDenied):
        services.group_principle_delete(actor=world.people["coordinator"], principle=by_coach)
    services.group_principle_delete(actor=world.people["coach"], principle=by_coach)
    services.group_principle_delete(actor=world.people["procesbegeleider"], principle=by_opleider)

    assert not world.group.principles.exists()


# --- Members joining and leaving ------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["coordinator", "procesbegeleider"])
def test_the_coordinator_or_a_facilitator_adds_a_colleague_of_the_school(world, actor):
    joined = services.group_member_add(
        actor=world.people[actor], group=world.group, person=world.people["coachee"]
    )

    assert (joined.user, joined.left_on) == (world.people["coachee"], None)
    assert access.can(world.people["coachee"], "view_content", world.group)


@pytest.mark.parametrize("actor", ["coach", "school_leader", "other_school_coordinator"])
def test_a_member_or_an_outsider_cannot_add_members(world, actor):
    with pytest.raises(PermissionDenied):
        services.group_member_add(
            actor=world.people[actor], group=world.group, person=world.people["coachee"]
        )

    assert not world.group.memberships.filter(user=world.people["coachee"]).exists()


def test_only_people_who_work_at_the_school_can_join(world):
    coordinator = world.people["coordinator"]
    gone = MembershipFactory(school=world.school, is_active=False).user

    for person in (world.people["other_school_coordinator"], gone):
        with pytest.raises(ValidationError) as refused:
            services.group_member_add(actor=coordinator, group=world.group, person=person)
        assert "works at this school" in message(refused.value)
    with pytest.raises(ValidationError) as facilitator:
        services.group_member_add(
            actor=coordinator, group=world.group, person=world.people["procesbegeleider"]
        )
    with pytest.raises(ValidationError) as twice:
        services.group_member_add(
            actor=coordinator, group=world.group, person=world.people["coach"]
        )

    assert "already facilitates" in message(facilitator.value)
    assert "already a member" in message(twice.value)
    assert world.group.memberships.count() == 2


def test_someone_who_left_joins_again_as_a_current_member(world):
    joined = membership(world)
    LearningGroupMember.objects.filter(pk=joined.pk).update(
        joined_on=datetime.date(2026, 9, 1), left_on=datetime.date(2026, 10, 1)
    )
    assert not access.can(world.people["opleider"], "view_content", world.group)

    again = services.group_member_add(
        actor=world.people["procesbegeleider"], group=world.group, person=world.people["opleider"]
    )

    assert again.pk == joined.pk
    assert (again.joined_on, again.left_on) == (timezone.localdate(), None)
    assert access.can(world.people["opleider"], "view_content", world.group)


def test_a_member_leaves_of_their_own_accord(world):
    left = services.group_member_leave(actor=world.people["opleider"], membership=membership(world))

    assert left.left_on == timezone.localdate()
    # Leaving again changes nothing.
    assert (
        services.group_member_leave(actor=world.people["opleider"], membership=left).left_on
        == timezone.localdate()
    )


@pytest.mark.parametrize("actor", ["coordinator", "procesbegeleider"])
def test_the_coordinator_or_a_facilitator_takes_a_member_off(world, actor):
    left = services.group_member_leave(actor=world.people[actor], membership=membership(world))

    assert left.left_on is not None


@pytest.mark.parametrize("actor", ["coach", "school_leader", "other_school_coordinator"])
def test_nobody_else_takes_a_member_off(world, actor):
    with pytest.raises(PermissionDenied):
        services.group_member_leave(actor=world.people[actor], membership=membership(world))

    assert membership(world).left_on is None


def test_a_member_who_left_cannot_contribute_and_no_longer_reads_the_session(world):
    session = world.group_session
    for _ in range(4):
        session = move(world, session)
    coach = world.people["coach"]
    assert session in access.group_sessions_with_content_for(coach)

    services.group_member_leave(actor=coach, membership=membership(world, "coach"))

    with pytest.raises(PermissionDenied):
        services.session_entry_add(
            actor=coach, session=session, phase="voorstructureren", text="Nog iets"
        )
    with pytest.raises(PermissionDenied):
        principle(world, "coach", session, "Nog een principe")
    with pytest.raises(PermissionDenied):
        services.group_note_add(actor=coach, group=world.group, text="Nog een notitie")
    with pytest.raises(PermissionDenied):
        services.session_entry_delete(actor=coach, entry=session.entries.get())
    assert session not in access.group_sessions_with_content_for(coach)
    assert session not in access.group_sessions_visible_to(coach)
    # The other member still reads it.
    assert session in access.group_sessions_with_content_for(world.people["opleider"])


def test_a_facilitator_who_left_the_school_cannot_move_the_session(world):
    session = plan(world)
    Membership.objects.filter(user=world.people["procesbegeleider"]).update(is_active=False)

    with pytest.raises(PermissionDenied):
        move(world, session)


# --- Notes to the group ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["coach", "procesbegeleider"])
def test_members_and_facilitators_leave_a_note_to_the_group(world, who):
    note = services.group_note_add(
        actor=world.people[who], group=world.group, text="  Neem een eigen ervaring mee.  "
    )

    assert (note.author, note.text) == (world.people[who], "Neem een eigen ervaring mee.")


@pytest.mark.parametrize("who", ["coordinator", "school_leader", "coachee"])
def test_no_one_outside_the_group_leaves_a_note(world, who):
    with pytest.raises(PermissionDenied):
        services.group_note_add(actor=world.people[who], group=world.group, text="Hallo")

    assert not GroupNote.objects.exists()


def test_a_note_is_refused_when_empty_or_too_long(world):
    coach = world.people["coach"]

    for text in ("   ", "x" * (services.GROUP_NOTE_LENGTH + 1)):
        with pytest.raises(ValidationError) as refused:
            services.group_note_add(actor=coach, group=world.group, text=text)
        assert f"at most {services.GROUP_NOTE_LENGTH} characters" in message(refused.value)
    services.group_note_add(actor=coach, group=world.group, text="x" * services.GROUP_NOTE_LENGTH)

    assert GroupNote.objects.count() == 1


# --- Video clips --------------------------------------------------------------------------------


@pytest.fixture
def videoclub(world) -> GroupSession:
    """A videoclub session of a group like world.group, in its first phase (the clip)."""
    return plan(world, group_of(world, LearningGroupFormat.VIDEOCLUB))


def upload(content: bytes = MP4, name: str = "les-2b.mp4") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="video/mp4")


def add_clip(world, session, who: str = "coach", **fields) -> VideoClip:
    values = {
        "title": "Mijn uitleg van de opdracht",
        "consent": True,
        "expires_on": timezone.localdate() + datetime.timedelta(days=30),
        "link": "https://video.school.example/les-2b",
        **fields,
    }
    return services.video_clip_add(actor=world.people[who], session=session, **values)


def test_the_filmed_teacher_adds_a_link_to_a_clip(world, videoclub, clips_dir):
    clip = add_clip(world, videoclub)

    assert (clip.owner, clip.link, clip.file_name) == (
        world.people["coach"],
        "https://video.school.example/les-2b",
        "",
    )
    assert clip.consent_at is not None
    assert access.can(world.people["opleider"], "view", clip)
    assert stored_files(clips_dir) == []


def test_an_uploaded_clip_is_stored_under_a_name_the_server_makes(world, videoclub, clips_dir):
    clip = add_clip(world, videoclub, link="", upload=upload(name="../../../etc/passwd.mp4"))

    assert clip.file_name == f"clips/{clip.public_id}.mp4"
    assert (clip.content_type, clip.size) == ("video/mp4", len(MP4))
    assert stored_files(clips_dir) == [f"clips/{clip.public_id}.mp4"]
    assert (clips_dir / clip.file_name).read_bytes() == MP4


def test_a_clip_needs_the_filmed_teachers_consent(world, videoclub):
    with pytest.raises(ValidationError) as refused:
        add_clip(world, videoclub, consent=False)

    assert list(refused.value.message_dict) == ["consent"]
    assert not VideoClip.objects.exists()


@pytest.mark.parametrize("days", [-1, 0, 366])
def test_a_clip_expires_after_today_and_within_a_year(world, videoclub, days):
    with pytest.raises(ValidationError) as refused:
        add_clip(world, videoclub, expires_on=timezone.localdate() + datetime.timedelta(days))

    assert refused.value.message_dict == {
        "expires_on": ["Choose a date after today and within a year."]
    }
    assert not VideoClip.objects.exists()


def test_a_clip_may_stay_visible_for_a_year(world, videoclub):
    clip = add_clip(world, videoclub, expires_on=timezone.localdate() + datetime.timedelta(365))

    assert clip.pk


@pytest.mark.parametrize(
    "link", ["http://video.school.example/les", "javascript:alert(1)", "ftp://x.example/a.mp4"]
)
def test_a_clip_link_must_be_https(world, videoclub, link):
    with pytest.raises(ValidationError) as refused:
        add_clip(world, videoclub, link=link)

    assert refused.value.message_dict == {"link": ["Give a link that starts with https://."]}
    assert not VideoClip.objects.exists()


def test_a_clip_is_a_link_or_an_upload_not_both_nor_neither(world, videoclub, clips_dir):
    with pytest.raises(ValidationError) as both:
        add_clip(world, videoclub, upload=upload())
    with pytest.raises(ValidationError) as neither:
        add_clip(world, videoclub, link="")

    assert both.value.message_dict == {"link": ["Give either a link or a file, not both."]}
    assert neither.value.message_dict == {"link": ["Give a link to the clip or upload a file."]}
    assert not VideoClip.objects.exists()
    assert stored_files(clips_dir) == []


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"<html><script>alert(1)</script></html>", "les.mp4"),
        (b"", "leeg.mp4"),
        (b"\x00\x00\x00\x18mdat" + bytes(64), "geen-ftyp.mp4"),
    ],
)
def test_an_upload_that_is_not_a_video_by_its_content_is_refused(
    world, videoclub, clips_dir, content, name
):
    with pytest.raises(ValidationError) as refused:
        add_clip(world, videoclub, link="", upload=upload(content, name))

    assert list(refused.value.message_dict) == ["upload"]
    assert not VideoClip.objects.exists()
    assert stored_files(clips_dir) == []


def test_an_upload_over_the_size_limit_is_refused(world, videoclub, clips_dir, settings):
    settings.CLIP_MAX_MEGABYTES = 1

    with pytest.raises(ValidationError) as refused:
        add_clip(world, videoclub, link="", upload=upload(MP4 + bytes(1024 * 1024)))

    assert "larger than 1 MB" in message(refused.value)
    assert not VideoClip.objects.exists()
    assert stored_files(clips_dir) == []


def test_a_webm_upload_is_accepted(world, videoclub, clips_dir):
    clip = add_clip(
        world, videoclub, link="", upload=upload(b"\x1a\x45\xdf\xa3" + bytes(32), "les.webm")
    )

    assert (clip.file_name, clip.content_type) == (f"clips/{clip.public_id}.webm", "video/webm")


def test_the_chosen_viewers_must_be_members_or_facilitators(world, videoclub):
    people = world.people

    with pytest.raises(ValidationError) as refused:
        add_clip(
            world,
            videoclub,
            whole_group=False,
            viewers=[people["opleider"], people["coordinator"]],
        )
    clip = add_clip(world, videoclub, whole_group=False, viewers=[people["opleider"]])

    assert list(refused.value.message_dict) == ["viewers"]
    assert list(clip.viewers.all()) == [people["opleider"]]
    assert access.can(people["opleider"], "view", clip)
    assert not access.can(people["procesbegeleider"], "view", clip)


def test_the_whole_group_needs_no_list_of_viewers(world, videoclub):
    clip = add_clip(world, videoclub, whole_group=True, viewers=[world.people["opleider"]])

    assert not clip.viewers.exists()


def test_only_the_filmed_teacher_changes_who_sees_the_clip(world, videoclub):
    clip = add_clip(world, videoclub)
    people = world.people

    with pytest.raises(PermissionDenied):
        services.video_clip_viewers(
            actor=people["procesbegeleider"], clip=clip, whole_group=False, viewers=[]
        )
    with pytest.raises(ValidationError):
        services.video_clip_viewers(
            actor=people["coach"], clip=clip, whole_group=False, viewers=[people["coachee"]]
        )
    services.video_clip_viewers(
        actor=people["coach"], clip=clip, whole_group=False, viewers=[people["procesbegeleider"]]
    )

    clip.refresh_from_db()
    assert not clip.whole_group
    assert access.can(people["procesbegeleider"], "view", clip)
    assert not access.can(people["opleider"], "view", clip)


@pytest.mark.parametrize("who", ["coordinator", "school_leader"])
def test_no_one_outside_the_group_adds_a_clip(world, videoclub, who):
    with pytest.raises(PermissionDenied):
        add_clip(world, videoclub, who=who)


def test_only_a_videoclub_session_has_clips(world):
    with pytest.raises(ValidationError) as refused:
        add_clip(world, plan(world))

    assert "Only a videoclub session has clips." in message(refused.value)


def test_withdrawing_a_clip_deletes_its_file(world, videoclub, clips_dir):
    clip = add_clip(world, videoclub, link="", upload=upload())
    assert stored_files(clips_dir) == [clip.file_name]

    with pytest.raises(PermissionDenied):
        services.video_clip_withdraw(actor=world.people["procesbegeleider"], clip=clip)
    assert stored_files(clips_dir) == [clip.file_name]
    services.video_clip_withdraw(actor=world.people["coach"], clip=clip)

    clip.refresh_from_db()
    assert stored_files(clips_dir) == []
    assert (clip.file_name, clip.link) == ("", "")
    assert clip.withdrawn_at is not None
    for user in world.people.values():
        assert user is None or not access.can(user, "view", clip)


def test_withdrawing_a_link_clip_forgets_the_link(world, videoclub):
    clip = add_clip(world, videoclub)

    services.video_clip_withdraw(actor=world.people["coach"], clip=clip)

    clip.refresh_from_db()
    assert clip.link == ""
    assert not access.can(world.people["coach"], "view", clip)


def test_purging_deletes_the_files_and_links_of_expired_clips_only(world, videoclub, clips_dir):
    expired = add_clip(world, videoclub, link="", upload=upload())
    expired_link = add_clip(world, videoclub)
    current = add_clip(world, videoclub, link="", upload=upload())
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    VideoClip.objects.filter(pk__in=[expired.pk, expired_link.pk]).update(expires_on=yesterday)

    assert services.video_clips_purge_expired() == 2
    assert services.video_clips_purge_expired() == 0

    assert stored_files(clips_dir) == [current.file_name]
    for clip in (expired, expired_link):
        clip.refresh_from_db()
        assert (clip.file_name, clip.link) == ("", "")
        assert clip.withdrawn_at is not None
    current.refresh_from_db()
    assert current.withdrawn_at is None


def test_an_expired_clip_is_seen_by_nobody_even_before_the_purge(world, videoclub):
    clip = add_clip(world, videoclub)
    VideoClip.objects.filter(pk=clip.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    clip.refresh_from_db()

    assert not access.can(world.people["coach"], "view", clip)
    assert access.can(world.people["coach"], "own", clip)
