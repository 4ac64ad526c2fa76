"""Coaching content belongs to the coachee and their coach: nobody else ever sees it.

A sentinel text sits in the coaching trajectory's content (tests/conftest.py): its focus, and
the coachee's shared reflection (every text field, the coach question and the reply), goal
(title, description, evidence note) and coachgesprek (topics, notes, agreement). Every page
anyone can open is fetched, and the sentinel must be in none of them for anyone outside the
pair, while the coach and coachee do see it (so the test can fail).

Two more sentinels follow the same walk: opleiden content, in the student teacher's shared
reflection and the nagesprek after a lesson visit (for them, their opleider and the
schoolopleider only), and the student teacher's draft reflection (theirs alone).

A fourth is a learning group's content: what was written in its session (an entry), its list of
principles, a note to the group, a session report's file and an uploaded clip's file. It is for
the group's facilitator (the procesbegeleider) and current members (the coach, the opleider);
the coordinator sees on the group's page that the group met, and when, but none of this.
"""

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import dateformat, timezone, translation

from mentoring.models import AuditEntry, ReportError, ReportStatus
from reflection.models import ConversationReport, ReportConfirmation
from tests.conftest import (
    COACHING_SENTINEL,
    DRAFT_REFLECTION,
    GROUP_SENTINEL,
    OPLEIDEN_CONTENT,
    OPLEIDEN_FOCUS,
    coaching_secret,
    secret,
)
from tests.factories import (
    ConversationReportFactory,
    MembershipFactory,
    SessionReportFactory,
    UserFactory,
)
from tests.permission_matrix import EXPECTED, GROUP_READERS, HX_REQUEST

pytestmark = pytest.mark.django_db


def every_page(world) -> list[str]:
    """Every URL of the matrix with the world's objects, plus pages about the coaching pair
    and the lists, home and trajectory pages where reflections, goals, conversations and
    agreements are shown; and the learning group's pages, where its content would be."""
    world.with_reflection()
    # The group's content: the session with the coach's entry, a principle, a note.
    entry = world.group_session.entries.get()
    world.group_principle, world.group_note  # noqa: B018 (made on first use)
    urls = []
    for name, row in EXPECTED.items():
        kwargs, _ = row.resolve(world)
        try:
            urls.append(reverse(name, kwargs=kwargs))
        except NoReverseMatch:
            continue
    coaching = {"public_id": world.coaching.public_id}
    opleiden = {"public_id": world.opleiden.public_id}
    urls += [
        reverse("home"),
        reverse("trajectory_detail", kwargs=coaching),
        reverse("trajectory_detail", kwargs=opleiden),
        reverse("trajectory_list") + "?status=all",
        reverse("trajectory_list") + "?q=SENTINEL",
        reverse("person_detail", kwargs={"public_id": world.people["coachee"].public_id}),
        reverse("person_detail", kwargs={"public_id": world.people["student_teacher"].public_id}),
        reverse("person_detail", kwargs={"public_id": world.people["coach"].public_id}),
        reverse("person_list") + "?q=coach",
        reverse("cycle_list"),
        reverse("cycle_list") + "?q=SENTINEL",
        reverse("goal_list"),
        reverse("conversation_list"),
        reverse("visit_list"),
        reverse("visit_detail", kwargs={"public_id": world.held_visit.public_id}),
        reverse("trajectory_analysis", kwargs=opleiden),
    ]
    for cycle in (world.coaching_cycle, world.opleiden_cycle, world.opleiden_draft):
        urls.append(reverse("cycle_detail", kwargs={"public_id": cycle.public_id}))
        # Starting from a cycle copies its texts into the new form.
        urls.append(reverse("cycle_create") + f"?follows={cycle.public_id}")
        urls.append(reverse("goal_create", kwargs=coaching) + f"?cycle={cycle.public_id}")
        urls.append(reverse("goal_create", kwargs=opleiden) + f"?cycle={cycle.public_id}")
    urls += [
        reverse("goal_detail", kwargs={"public_id": world.coaching_goal.public_id}),
        reverse("conversation_detail", kwargs={"public_id": world.coaching_conversation.public_id}),
        reverse("conversation_edit", kwargs={"public_id": world.coaching_conversation.public_id}),
        reverse("conversation_detail", kwargs={"public_id": world.opleiden_conversation.public_id}),
        reverse("agreement_delete", kwargs={"public_id": world.coaching_agreement.public_id}),
        reverse("goal_evidence_remove", kwargs={"public_id": world.coaching_evidence.public_id}),
        reverse("conversation_create", kwargs=coaching)
        + f"?cycle={world.coaching_cycle.public_id}",
        download(world.coaching_report),
        download(world.opleiden_report),
    ]
    group = {"public_id": world.group.public_id}
    session = {"public_id": world.group_session.public_id}
    urls += [
        reverse("learning_group_list"),
        reverse("learning_group_detail", kwargs=group),
        reverse("learning_group_detail", kwargs=group) + "?notes=1",
        reverse("session_detail", kwargs=session),
        # The confirmation pages quote what is deleted.
        reverse("session_entry_delete", kwargs={"public_id": entry.public_id}),
        reverse("group_principle_delete", kwargs={"public_id": world.group_principle.public_id}),
        reverse("session_cancel", kwargs=session),
        reverse("group_session_plan", kwargs=group),
        reverse("person_detail", kwargs={"public_id": world.people["procesbegeleider"].public_id}),
        session_download(world.group_session_report),
    ]
    return list(dict.fromkeys(urls))


def fragments(world) -> list[str]:
    """The report panels, as htmx asks for them."""
    return [
        reverse("conversation_reports", kwargs={"public_id": conversation.public_id})
        for conversation in (world.coaching_conversation, world.opleiden_conversation)
    ] + [reverse("session_reports", kwargs={"public_id": world.group_session.public_id})]


def download(report) -> str:
    return reverse("report_download", kwargs={"public_id": report.public_id})


def session_download(report) -> str:
    return reverse("session_report_download", kwargs={"public_id": report.public_id})


def body(response) -> str:
    """The page, or the file a download streams."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


@pytest.fixture
def report_files(world, reports_dir):
    """The finished reports of the coachgesprek, the nagesprek and the group's session, their
    files carrying the conversation's or the group's sentinel (the session's report is kept on
    the world as `group_session_report`)."""
    world.group_session_report = SessionReportFactory(session=world.group_session, done=True)
    for report, text in (
        (world.coaching_report, coaching_secret("report file")),
        (world.opleiden_report, secret(OPLEIDEN_CONTENT, "report file")),
        (world.group_session_report, secret(GROUP_SENTINEL, "session report file")),
    ):
        (reports_dir / report.file_name).write_bytes(f"%PDF-1.7\n% {text}\n".encode())
    return world


@pytest.fixture
def administrator(world):
    """Staff with the run of the installation, and coordinator of the school as well."""
    admin = UserFactory(is_staff=True, is_superuser=True)
    MembershipFactory(user=admin, school=world.school, staff_kind="coordinator")
    return admin


# Who may read each sentinel; everyone else must never be shown it.
READERS = {
    COACHING_SENTINEL: {"coach", "coachee"},
    OPLEIDEN_CONTENT: {"student_teacher", "opleider", "schoolopleider"},
    DRAFT_REFLECTION: {"student_teacher"},
    GROUP_SENTINEL: set(GROUP_READERS),
}
WALKERS = (
    "coordinator",
    "school_leader",
    "administrator",
    "opleider",
    "procesbegeleider",
    "other_school_coordinator",
    "schoolopleider",
    "coach",
    "coachee",
    "student_teacher",
)


def leaks(page: str, sentinel: str) -> list[str]:
    """Where the page shows the sentinel: the marks of the fields it came from."""
    found = []
    start = page.find(sentinel)
    while start != -1:
        after = page[start + len(sentinel) : start + len(sentinel) + 30]
        found.append(after.removeprefix(" [").split("]")[0] if after.startswith(" [") else "?")
        start = page.find(sentinel, start + 1)
    return found


@pytest.mark.parametrize("persona", WALKERS)
def test_confidential_text_reaches_nobody_outside_its_readers(
    client, report_files, administrator, schoolopleider, persona
):
    world = report_files
    extra = {"administrator": administrator, "schoolopleider": schoolopleider}
    user = extra[persona] if persona in extra else world.people[persona]
    forbidden = [sentinel for sentinel, readers in READERS.items() if persona not in readers]
    reports = {
        download(world.coaching_report): READERS[COACHING_SENTINEL],
        download(world.opleiden_report): READERS[OPLEIDEN_CONTENT],
        session_download(world.group_session_report): READERS[GROUP_SENTINEL],
    }
    forbidden += [link for link, readers in reports.items() if persona not in readers]
    client.force_login(user)
    walk = [(url, {}) for url in every_page(world)] + [
        (url, HX_REQUEST) for url in fragments(world)
    ]
    seen, leaked, shown = [], [], set()
    for url, headers in walk:
        response = client.get(url, headers=headers)
        if response.status_code == 200:
            seen.append(url)
            page = body(response)
            shown |= {sentinel for sentinel in READERS if sentinel in page}
            leaked += [
                f"{url}: {sentinel[:30]}{leaks(page, sentinel)}"
                for sentinel in forbidden
                if sentinel in page
            ]
    assert not leaked, leaked
    # The walk did reach the pages where the content would be, had it leaked.
    assert {reverse("home"), reverse("cycle_list"), reverse("goal_list")} <= set(seen)
    assert reverse("conversation_list") in seen
    if persona in ("coordinator", "administrator"):
        assert reverse("trajectory_detail", kwargs={"public_id": world.coaching.public_id}) in seen
    # The readers of a conversation did get its report (so a leak would have been found).
    assert {link for link, readers in reports.items() if persona in readers} <= set(seen)
    # The group's page is seen by whoever may know the group exists; its content (the session
    # page) only by its readers, who were shown it (so the walk could find a leak).
    group_page = reverse("learning_group_detail", kwargs={"public_id": world.group.public_id})
    session_page = reverse("session_detail", kwargs={"public_id": world.group_session.public_id})
    if persona in ("coordinator", "administrator", *GROUP_READERS):
        assert group_page in seen
    assert (session_page in seen) == (persona in GROUP_READERS)
    assert (GROUP_SENTINEL in shown) == (persona in GROUP_READERS)


@pytest.mark.parametrize("persona", ["coach", "coachee"])
def test_the_coaching_pair_does_see_their_own_content(as_persona, world, persona):
    page = as_persona(persona).get(
        reverse("trajectory_detail", kwargs={"public_id": world.coaching.public_id})
    )
    assert COACHING_SENTINEL in page.content.decode()


def page_of(client, name: str, obj) -> str:
    response = client.get(reverse(name, kwargs={"public_id": obj.public_id}))
    assert response.status_code == 200, name
    return response.content.decode()


@pytest.mark.parametrize("persona", ["coach", "coachee"])
def test_the_coaching_pair_reads_the_reflection_goal_and_conversation(
    as_persona, reflection_world, persona
):
    world = reflection_world
    client = as_persona(persona)
    cycle = page_of(client, "cycle_detail", world.coaching_cycle)
    for mark in ("title", "action", "want_pupils", "awareness", "intention", "trial"):
        assert coaching_secret(mark) in cycle, mark
    assert coaching_secret("coach question") in cycle
    assert coaching_secret("coachee reply") in cycle
    goal = page_of(client, "goal_detail", world.coaching_goal)
    for mark in ("goal title", "goal description", "evidence note"):
        assert coaching_secret(mark) in goal, mark
    conversation = page_of(client, "conversation_detail", world.coaching_conversation)
    for mark in ("topics", "notes", "agreement"):
        assert coaching_secret(mark) in conversation, mark
    # An open agreement is on both people's home pages until it is done.
    assert coaching_secret("agreement") in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("persona", ["student_teacher", "opleider", "schoolopleider"])
def test_opleiden_content_is_read_by_the_student_the_opleider_and_the_schoolopleider(
    client, world, schoolopleider, persona
):
    client.force_login(schoolopleider if persona == "schoolopleider" else world.people[persona])
    page = page_of(client, "cycle_detail", world.opleiden_cycle)
    assert secret(OPLEIDEN_CONTENT, "action") in page
    page = page_of(client, "conversation_detail", world.opleiden_conversation)
    assert secret(OPLEIDEN_CONTENT, "nagesprek notes") in page


def test_a_draft_is_read_by_its_owner(as_persona, world):
    page = page_of(as_persona("student_teacher"), "cycle_detail", world.opleiden_draft)
    assert secret(DRAFT_REFLECTION, "action") in page


def test_a_draft_shows_nothing_but_a_refusal_to_the_opleider(as_persona, world):
    response = as_persona("opleider").get(
        reverse("cycle_detail", kwargs={"public_id": world.opleiden_draft.public_id})
    )
    assert response.status_code == 403
    assert DRAFT_REFLECTION not in response.content.decode()


def detail(client, trajectory):
    return client.get(reverse("trajectory_detail", kwargs={"public_id": trajectory.public_id}))


def test_schoolopleider_reads_opleiden_content_but_not_coaching_content(
    client, world, schoolopleider
):
    client.force_login(schoolopleider)
    assert OPLEIDEN_FOCUS in detail(client, world.opleiden).content.decode()
    assert detail(client, world.coaching).status_code == 403


# --- Conversation reports -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "which"),
    [
        ("student_teacher", "opleiden"),
        ("opleider", "opleiden"),
        ("schoolopleider", "opleiden"),
        ("coach", "coaching"),
        ("coachee", "coaching"),
    ],
)
def test_the_readers_of_a_conversation_download_its_report(
    client, report_files, schoolopleider, persona, which
):
    world = report_files
    user = schoolopleider if persona == "schoolopleider" else world.people[persona]
    client.force_login(user)
    report = getattr(world, f"{which}_report")
    response = client.get(download(report))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert (COACHING_SENTINEL if which == "coaching" else OPLEIDEN_CONTENT) in body(response)
    downloads = AuditEntry.objects.filter(action="conversation_report.downloaded", actor=user)
    assert list(downloads.values_list("object_id", flat=True)) == [str(report.public_id)]


# Who meets each conversation's report as a refusal: the school's coordinator, its school leader,
# an administrator (a superuser who coordinates the school), and everyone else at the school who
# does not read the conversation (403); the other school's coordinator (404: for them the
# report does not exist).
OUTSIDERS = {
    "coaching": {
        "coordinator": 403,
        "school_leader": 403,
        "administrator": 403,
        "procesbegeleider": 403,
        "opleider": 403,
        "schoolopleider": 403,
        "student_teacher": 403,
        "other_school_coordinator": 404,
    },
    "opleiden": {
        "coordinator": 403,
        "school_leader": 403,
        "administrator": 403,
        "procesbegeleider": 403,
        "coach": 403,
        "coachee": 403,
        "other_school_coordinator": 404,
    },
}


def report_state() -> list:
    return sorted(
        ConversationReport.objects.values_list("pk", "status", "generation", "render_for_id")
    )


@pytest.mark.parametrize(
    ("which", "persona"), [(which, persona) for which in OUTSIDERS for persona in OUTSIDERS[which]]
)
def test_nobody_outside_the_conversation_asks_for_follows_gets_or_confirms_its_report(
    client, report_files, administrator, schoolopleider, which, persona
):
    world = report_files
    extra = {"administrator": administrator, "schoolopleider": schoolopleider}
    client.force_login(extra[persona] if persona in extra else world.people[persona])
    report = getattr(world, f"{which}_report")
    conversation = {"public_id": report.conversation.public_id}
    failed = ConversationReportFactory(
        conversation=report.conversation,
        status=ReportStatus.FAILED,
        error=ReportError.CRASHED,
        attempts=3,
    )
    before = report_state()
    answers = {
        "ask": client.post(
            reverse("conversation_reports", kwargs=conversation), {"language": "nl"}
        ),
        "panel": client.get(
            reverse("conversation_reports", kwargs=conversation), headers=HX_REQUEST
        ),
        "download": client.get(download(report)),
        "retry": client.post(reverse("report_retry", kwargs={"public_id": failed.public_id})),
        "confirm": client.post(reverse("report_confirm", kwargs={"public_id": report.public_id})),
    }
    expected = OUTSIDERS[which][persona]
    assert {name: answer.status_code for name, answer in answers.items()} == dict.fromkeys(
        answers, expected
    )
    sentinel = COACHING_SENTINEL if which == "coaching" else OPLEIDEN_CONTENT
    for name, answer in answers.items():
        assert not answer.has_header("Content-Disposition"), name
        assert sentinel not in body(answer), name
    # Nothing was asked for, tried again or confirmed, and nothing was downloaded.
    assert report_state() == before
    assert not ReportConfirmation.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="conversation_report.").exists()


# --- Learning groups --------------------------------------------------------------------------


def group_page(client, world) -> str:
    response = client.get(
        reverse("learning_group_detail", kwargs={"public_id": world.group.public_id})
    )
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("persona", GROUP_READERS)
def test_the_group_reads_its_entries_principles_and_notes(as_persona, world, persona):
    world.group_principle, world.group_note  # noqa: B018 (made on first use)
    client = as_persona(persona)
    session = page_of(client, "session_detail", world.group_session)
    assert secret(GROUP_SENTINEL, "session entry") in session
    assert secret(GROUP_SENTINEL, "principle") in session
    page = group_page(client, world)
    assert secret(GROUP_SENTINEL, "principle") in page
    assert secret(GROUP_SENTINEL, "note") in page


def session_date(session) -> str:
    """The session's date and time as the (Dutch) group page shows it."""
    with translation.override("nl"):
        return dateformat.format(timezone.localtime(session.starts_at), "l j F Y, H:i")


def test_the_coordinator_sees_that_the_group_met_but_not_what_was_said(as_persona, world):
    session = world.group_session
    world.group_principle, world.group_note  # noqa: B018 (made on first use)
    page = group_page(as_persona("coordinator"), world)
    assert session_date(session) in page
    assert GROUP_SENTINEL not in page
    # Not even where the session was, or a way to its page.
    assert session.location not in page
    assert reverse("session_detail", kwargs={"public_id": session.public_id}) not in page


@pytest.mark.parametrize(
    "persona", ["coordinator", "school_leader", "student_teacher", "coachee", "other_school"]
)
def test_nobody_outside_the_group_reads_its_content(as_persona, world, persona):
    """The session page and the report panel answer 403 (404 to the other school) and show
    nothing of the group's content."""
    world.group_principle, world.group_note  # noqa: B018 (made on first use)
    session = {"public_id": world.group_session.public_id}
    client = as_persona("other_school_coordinator" if persona == "other_school" else persona)
    expected = 404 if persona == "other_school" else 403
    for url, headers in (
        (reverse("session_detail", kwargs=session), {}),
        (reverse("session_reports", kwargs=session), HX_REQUEST),
    ):
        response = client.get(url, headers=headers)
        assert response.status_code == expected, url
        assert GROUP_SENTINEL not in body(response), url
