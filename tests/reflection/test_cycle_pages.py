"""The reflection cycle's pages: starting one from a lesson, writing it (autosave and the plain
form, with a second tab), its transitions through the views, reading and commenting by the
begeleider, and core qualities."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.text import capfirst

from mentoring.models import AuditEntry
from observations.models import ItemScore, KeyMoment, ObservationStatus
from reflection import phases, services
from reflection.models import CycleComment, CycleKind, CycleStatus, ReflectionCycle
from tests.factories import (
    CycleCommentFactory,
    LessonVisitFactory,
    ObservationFactory,
    ReflectionCycleFactory,
    icalt,
)

pytestmark = pytest.mark.django_db

FIRST_TEXT = "Tab 1: de leerlingen kwamen binnen terwijl ik nog met de beamer bezig was."
SECOND_TEXT = "Tab 2: ik stond bij de deur en begroette iedereen."


def url(name, cycle, **query):
    address = reverse(name, kwargs={"public_id": cycle.public_id})
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def save(client, cycle, version, changes):
    return client.post(
        url("cycle_save", cycle),
        json.dumps({"version": version, "changes": changes}),
        content_type="application/json",
    )


def shown_messages(response) -> list[tuple[str, str]]:
    """The messages on the page a redirect led to: (level, text)."""
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


def in_dutch(text) -> str:
    """A message as the page shows it (in Dutch, the default language)."""
    with translation.override("nl"):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def row(cycle) -> tuple:
    cycle.refresh_from_db()
    return (cycle.status, cycle.shared_at, cycle.discussed_at, cycle.version)


@pytest.fixture
def draft(world):
    return ReflectionCycleFactory(trajectory=world.opleiden, intention="Ik begin met een opdracht.")


@pytest.fixture
def shared(world):
    return ReflectionCycleFactory(trajectory=world.opleiden, shared=True)


def final_observation(visit, *, status=ObservationStatus.FINAL, moment="Sterke start: 2B luistert"):
    observation = ObservationFactory(
        visit=visit,
        status=status,
        finalised_at=timezone.now() if status == ObservationStatus.FINAL else None,
    )
    for item in icalt().items.filter(domain__is_teaching=True):
        ItemScore.objects.create(observation=observation, item=item, score=3)
    KeyMoment.objects.create(observation=observation, minute=4, kind="strength", text=moment)
    return observation


# --- Starting a cycle -----------------------------------------------------------------------


def test_a_cycle_about_a_lesson_shows_its_final_observation_beside_the_form(as_persona, world):
    visit = LessonVisitFactory(trajectory=world.opleiden, class_name="2B")
    final_observation(visit)
    client = as_persona("student_teacher")

    form = client.get(reverse("cycle_create") + f"?visit={visit.public_id}")
    assert form.status_code == 200
    assert "2B" in form.context["form"].initial["title"]

    response = client.post(
        reverse("cycle_create") + f"?visit={visit.public_id}",
        {"kind": "alact", "title": "De les in 2B"},
    )
    cycle = ReflectionCycle.objects.get(owner=world.people["student_teacher"])
    assert response.status_code == 302
    assert response.url == url("cycle_detail", cycle)
    assert (cycle.visit, cycle.trajectory, cycle.status) == (visit, world.opleiden, "draft")

    page = client.get(url("cycle_detail", cycle))
    body = page.content.decode()
    assert page.status_code == 200
    assert page.context["observations"][0].profile is not None
    assert 'role="img"' in body  # the domain profile chart
    assert "Sterke start: 2B luistert" in body


def test_a_draft_observation_of_the_lesson_is_not_shown_to_the_teacher(as_persona, world):
    visit = LessonVisitFactory(trajectory=world.opleiden)
    final_observation(visit, status=ObservationStatus.DRAFT, moment="CONCEPT-notitie van opleider")
    cycle = services.cycle_create(
        owner=world.people["student_teacher"], kind="alact", title="Les", visit=visit
    )
    page = as_persona("student_teacher").get(url("cycle_detail", cycle))
    assert page.status_code == 200
    assert page.context["observations"] == []
    assert "CONCEPT-notitie van opleider" not in page.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("opleider", 403), ("coachee", 403), ("other_school_coordinator", 404)],
)
def test_a_cycle_cannot_be_started_from_someone_elses_visit(as_persona, world, persona, status):
    visit = LessonVisitFactory(trajectory=world.opleiden)
    client = as_persona(persona)
    address = reverse("cycle_create") + f"?visit={visit.public_id}"
    assert client.get(address).status_code == status
    assert client.post(address, {"kind": "alact", "title": "Niet van mij"}).status_code == status
    assert not ReflectionCycle.objects.exists()


def test_a_bad_visit_id_is_not_found_and_a_bad_trajectory_id_is_ignored(as_persona, world):
    client = as_persona("student_teacher")
    assert client.get(reverse("cycle_create") + "?visit=not-a-uuid").status_code == 404
    page = client.get(reverse("cycle_create") + "?trajectory=not-a-uuid")
    assert page.status_code == 200
    # Exactly one trajectory of their own: it is chosen already.
    assert page.context["form"].initial["trajectory"] == world.opleiden


def test_an_empty_start_form_shows_its_errors_and_creates_nothing(as_persona, world):
    response = as_persona("student_teacher").post(reverse("cycle_create"), {})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"kind", "title"}
    assert not ReflectionCycle.objects.exists()


def test_only_own_trajectories_are_offered(as_persona, world):
    form = as_persona("student_teacher").get(reverse("cycle_create")).context["form"]
    assert list(form.fields["trajectory"].queryset) == [world.opleiden]


# --- Writing: autosave, the plain form, and a second tab -------------------------------------


def test_the_owner_writes_through_autosave_and_sees_the_text_on_reload(as_persona, draft):
    client = as_persona("student_teacher")
    response = save(client, draft, 1, [{"field": "awareness", "text": "Het begin is essentieel."}])
    assert response.status_code == 200
    assert response.json()["version"] == 2
    page = client.get(url("cycle_detail", draft))
    assert "Het begin is essentieel." in page.content.decode()
    assert 'data-version="2"' in page.content.decode()


def test_a_text_over_its_limit_is_refused_and_nothing_is_saved(as_persona, draft):
    too_long = "x" * (phases.LONG + 1)
    response = save(
        as_persona("student_teacher"), draft, 1, [{"field": "action", "text": too_long}]
    )
    assert response.status_code == 400
    assert "5" in response.json()["error"]
    draft.refresh_from_db()
    assert draft.version == 1
    assert draft.action != too_long


def test_an_empty_autosave_body_is_400_and_others_cannot_save(as_persona, client, shared):
    owner = as_persona("student_teacher")
    assert (
        owner.post(url("cycle_save", shared), "", content_type="application/json").status_code
        == 400
    )
    assert owner.get(url("cycle_save", shared)).status_code == 405
    opleider = as_persona("opleider")
    response = save(opleider, shared, 1, [{"field": "action", "text": "van de opleider"}])
    assert response.status_code == 403
    assert response.json()["error"]
    client.logout()
    assert save(client, shared, 1, []).status_code == 401
    assert (
        as_persona("other_school_coordinator")
        .post(url("cycle_save", shared), "{}", content_type="application/json")
        .status_code
        == 404
    )


def test_two_tabs_the_second_autosave_gets_409_with_the_first_text(as_persona, draft):
    client = as_persona("student_teacher")
    version = draft.version  # both tabs loaded this
    first = save(client, draft, version, [{"field": "action", "text": FIRST_TEXT}])
    assert first.status_code == 200
    second = save(client, draft, version, [{"field": "action", "text": SECOND_TEXT}])
    assert second.status_code == 409
    body = second.json()
    assert body["server"]["fields"]["action"] == FIRST_TEXT
    assert body["server"]["version"] == version + 1
    draft.refresh_from_db()
    assert draft.action == FIRST_TEXT


def test_two_tabs_the_plain_form_shows_both_texts_and_keeps_the_first(as_persona, draft):
    client = as_persona("student_teacher")
    version = draft.version
    assert (
        save(client, draft, version, [{"field": "action", "text": FIRST_TEXT}]).status_code == 200
    )
    response = client.post(
        url("cycle_detail", draft),
        {"version": version, "title": draft.title, "action": SECOND_TEXT},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert FIRST_TEXT in body  # saved in the meantime, shown above the field
    assert f'data-autosave-field="action">{SECOND_TEXT}</textarea>' in body  # the user's own
    assert in_dutch("Saved in the meantime:") in body
    draft.refresh_from_db()
    assert draft.action == FIRST_TEXT
    assert draft.version == version + 1
    # Saving again, after seeing both, keeps the user's text.
    again = client.post(
        url("cycle_detail", draft),
        {"version": draft.version, "title": draft.title, "action": SECOND_TEXT},
    )
    assert again.status_code == 302
    draft.refresh_from_db()
    assert draft.action == SECOND_TEXT


def test_the_plain_form_saves_only_what_changed_and_never_cuts_a_text(as_persona, draft):
    client = as_persona("student_teacher")
    response = client.post(
        url("cycle_detail", draft),
        {"version": 1, "title": draft.title, "action": draft.action, "trial": "Het\r\nging goed."},
        follow=True,
    )
    assert shown_messages(response) == [("success", in_dutch("Saved."))]
    draft.refresh_from_db()
    assert (draft.trial, draft.version) == ("Het\nging goed.", 2)

    too_long = "y" * (phases.LONG + 1)
    refused = client.post(url("cycle_detail", draft), {"version": 2, "awareness": too_long})
    assert refused.status_code == 200
    assert too_long in refused.content.decode()  # still in the field, not lost
    assert [level for level, _ in shown_messages(refused)] == ["error"]
    draft.refresh_from_db()
    assert (draft.awareness, draft.version) == ("", 2)


def test_an_empty_post_is_a_conflict_page_not_a_save(as_persona, shared):
    response = as_persona("student_teacher").post(url("cycle_detail", shared), {})
    assert response.status_code == 200
    assert row(shared)[3] == 1


# --- Transitions through the views -----------------------------------------------------------


def transition(client, name, cycle):
    return client.post(url(name, cycle), follow=True)


def test_sharing_a_draft_then_sharing_again_is_refused(as_persona, draft):
    client = as_persona("student_teacher")
    response = transition(client, "cycle_share", draft)
    assert response.redirect_chain[-1] == (url("cycle_detail", draft), 302)
    assert [level for level, _ in shown_messages(response)] == ["success"]
    before = row(draft)
    assert before[0] == CycleStatus.SHARED and before[1] is not None

    again = transition(client, "cycle_share", draft)
    assert shown_messages(again) == [("error", in_dutch(services.CYCLE_TRANSITIONS["share"][2]))]
    assert row(draft) == before


def test_a_cycle_without_trajectory_is_shared_with_the_chosen_one(as_persona, world):
    cycle = services.cycle_create(
        owner=world.people["student_teacher"], kind="alact", title="Los", action="Er gebeurde iets."
    )
    client = as_persona("student_teacher")
    page = client.get(url("cycle_detail", cycle))
    assert page.context["share_choices"] == [world.opleiden]
    refused = client.post(url("cycle_share", cycle), {}, follow=True)
    assert [level for level, _ in shown_messages(refused)] == ["error"]
    assert row(cycle)[0] == CycleStatus.DRAFT
    client.post(url("cycle_share", cycle), {"trajectory": world.opleiden.public_id})
    cycle.refresh_from_db()
    assert (cycle.status, cycle.trajectory) == (CycleStatus.SHARED, world.opleiden)


def test_withdrawing_is_possible_only_while_shared(as_persona, world, shared, draft):
    client = as_persona("student_teacher")
    ok = transition(client, "cycle_withdraw", shared)
    assert [level for level, _ in shown_messages(ok)] == ["success"]
    assert row(shared)[:2] == (CycleStatus.DRAFT, None)

    refusal = in_dutch(services.CYCLE_TRANSITIONS["withdraw"][2])
    discussed = ReflectionCycleFactory(trajectory=world.opleiden, discussed=True)
    for cycle in (discussed, draft):
        before = row(cycle)
        response = transition(client, "cycle_withdraw", cycle)
        assert shown_messages(response) == [("error", refusal)]
        assert row(cycle) == before


@pytest.mark.parametrize("persona", ["opleider", "student_teacher"])
def test_the_begeleider_or_the_owner_marks_a_shared_cycle_discussed(as_persona, shared, persona):
    response = transition(as_persona(persona), "cycle_mark_discussed", shared)
    assert [level for level, _ in shown_messages(response)] == ["success"]
    assert row(shared)[0] == CycleStatus.DISCUSSED


def test_a_draft_cannot_be_marked_discussed(as_persona, draft):
    before = row(draft)
    response = transition(as_persona("student_teacher"), "cycle_mark_discussed", draft)
    assert shown_messages(response) == [
        ("error", in_dutch(services.CYCLE_TRANSITIONS["discuss"][2]))
    ]
    assert row(draft) == before
    # The opleider cannot even see the draft.
    assert as_persona("opleider").post(url("cycle_mark_discussed", draft)).status_code == 403


def test_a_draft_is_deleted_after_confirmation_but_a_shared_cycle_is_kept(
    as_persona, draft, shared
):
    client = as_persona("student_teacher")
    assert client.get(url("cycle_delete", draft)).status_code == 200
    response = client.post(url("cycle_delete", draft), follow=True)
    assert response.redirect_chain == [(reverse("cycle_list"), 302)]
    assert [level for level, _ in shown_messages(response)] == ["success"]
    assert not ReflectionCycle.objects.filter(pk=draft.pk).exists()

    before = row(shared)
    refused = client.post(url("cycle_delete", shared), follow=True)
    assert [level for level, _ in shown_messages(refused)] == ["error"]
    assert row(shared) == before


def test_the_next_cycle_starts_from_the_intention(as_persona, draft):
    client = as_persona("student_teacher")
    response = client.post(url("cycle_start_next", draft), follow=True)
    following = ReflectionCycle.objects.get(follows=draft)
    assert response.redirect_chain[-1] == (url("cycle_detail", following), 302)
    assert "Ik begin met een opdracht." in following.action
    assert following.trajectory == draft.trajectory and following.status == CycleStatus.DRAFT
    body = response.content.decode()
    assert draft.title in body  # "follows on from" links back
    assert following.title in client.get(url("cycle_detail", draft)).content.decode()


def test_the_next_cycle_needs_an_intention(as_persona, world):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden)
    response = transition(as_persona("student_teacher"), "cycle_start_next", cycle)
    assert [level for level, _ in shown_messages(response)] == ["error"]
    assert not ReflectionCycle.objects.filter(follows=cycle).exists()


@pytest.mark.parametrize("name", ["cycle_share", "cycle_withdraw", "cycle_start_next"])
def test_transitions_are_post_only_and_the_owners_alone(as_persona, shared, name):
    assert as_persona("student_teacher").get(url(name, shared)).status_code == 405
    before = row(shared)
    assert as_persona("opleider").post(url(name, shared)).status_code == 403
    assert as_persona("other_school_coordinator").post(url(name, shared)).status_code == 404
    assert row(shared) == before


# --- Reading and comments --------------------------------------------------------------------


def test_the_opleider_reads_a_shared_cycle_and_the_read_is_audited(as_persona, world, shared):
    client = as_persona("opleider")
    page = client.get(url("cycle_detail", shared))
    assert page.status_code == 200
    assert shared.action in page.content.decode()
    assert "data-autosave-field" not in page.content.decode()
    assert AuditEntry.objects.filter(
        actor=world.people["opleider"],
        action="reflection.viewed",
        object_id=str(shared.public_id),
        school=world.school,
    ).exists()


def test_the_opleider_cannot_read_a_draft_nor_edit_a_shared_cycle(as_persona, draft, shared):
    client = as_persona("opleider")
    assert client.get(url("cycle_detail", draft)).status_code == 403
    assert (
        client.post(url("cycle_detail", shared), {"version": 1, "action": "X"}).status_code == 403
    )
    assert row(shared)[3] == 1


def test_the_owner_does_not_audit_their_own_reads(as_persona, shared):
    as_persona("student_teacher").get(url("cycle_detail", shared))
    assert not AuditEntry.objects.filter(action="reflection.viewed").exists()


def test_comments_per_phase_and_replies(as_persona, world, shared):
    opleider = as_persona("opleider")
    response = opleider.post(
        url("cycle_comment_add", shared),
        {"text": "Wat was voor jou de kern?", "kind": "question", "phase": "awareness"},
    )
    assert response.status_code == 302
    question = CycleComment.objects.get(cycle=shared)
    assert (question.kind, question.phase, question.author) == (
        "question",
        "awareness",
        world.people["opleider"],
    )

    owner = as_persona("student_teacher")
    page = owner.get(url("cycle_detail", shared))
    section = next(v for v in page.context["sections"] if v.section.key == "awareness")
    assert section.threads == [question]
    assert "Wat was voor jou de kern?" in page.content.decode()
    assert escape(world.people["opleider"].full_name) in page.content.decode()

    reply = owner.post(
        url("cycle_comment_add", shared),
        {"text": "Dat ik te laat begon.", "parent": question.public_id},
    )
    assert reply.status_code == 302
    answer = CycleComment.objects.get(parent=question)
    assert (answer.kind, answer.phase, answer.author) == (
        "reply",
        "awareness",
        world.people["student_teacher"],
    )
    assert "Dat ik te laat begon." in opleider.get(url("cycle_detail", shared)).content.decode()


def test_the_owner_cannot_start_a_thread_and_an_empty_comment_is_refused(as_persona, shared):
    owner = as_persona("student_teacher")
    response = owner.post(url("cycle_comment_add", shared), {"text": "Zelf iets", "phase": ""})
    assert response.status_code == 302
    followed = owner.get(response.url)
    assert [level for level, _ in shown_messages(followed)] == ["error"]
    empty = as_persona("opleider").post(
        url("cycle_comment_add", shared), {"text": "  "}, follow=True
    )
    assert [level for level, _ in shown_messages(empty)] == ["error"]
    assert not CycleComment.objects.exists()


def test_a_comment_on_a_draft_or_by_an_outsider_is_refused(as_persona, world, draft, shared):
    CycleCommentFactory(cycle=shared)
    services.cycle_withdraw(actor=world.people["student_teacher"], cycle=shared)
    response = as_persona("student_teacher").post(
        url("cycle_comment_add", shared),
        {"text": "Antwoord", "parent": shared.comments.get().public_id},
        follow=True,
    )
    assert [level for level, _ in shown_messages(response)] == ["error"]
    assert (
        as_persona("opleider").post(url("cycle_comment_add", draft), {"text": "Hoi"}).status_code
        == 403
    )
    assert (
        as_persona("coordinator")
        .post(url("cycle_comment_add", shared), {"text": "Hoi"})
        .status_code
        == 403
    )
    assert CycleComment.objects.count() == 1


# --- Core reflection -------------------------------------------------------------------------


def test_core_qualities_from_the_list_and_an_own_one_are_saved_and_shown(as_persona, world):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, kind=CycleKind.CORE)
    client = as_persona("student_teacher")
    page = client.get(url("cycle_detail", cycle))
    assert 'name="core_qualities" value="courage"' in page.content.decode()
    response = save(
        client,
        cycle,
        1,
        [{"field": "core_qualities", "values": ["courage", "Rust in de klas"]}],
    )
    assert response.status_code == 200
    cycle.refresh_from_db()
    assert cycle.core_qualities == ["courage", "Rust in de klas"]
    # On the form the own one is a ticked checkbox too.
    options = client.get(url("cycle_detail", cycle)).context["core_qualities"]
    assert {"value": "Rust in de klas", "label": "Rust in de klas", "checked": True} in options

    services.cycle_share(actor=world.people["student_teacher"], cycle=cycle)
    body = as_persona("opleider").get(url("cycle_detail", cycle)).content.decode()
    assert capfirst(in_dutch(phases.CORE_QUALITIES["courage"])) in body
    assert "Rust in de klas" in body


def test_core_qualities_through_the_plain_form(as_persona, world):
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, kind=CycleKind.CORE)
    as_persona("student_teacher").post(
        url("cycle_detail", cycle),
        {
            "version": 1,
            "core_qualities_shown": "1",
            "core_qualities": ["care", "humour"],
            "core_quality_new": "Geduld met 2B",
        },
    )
    cycle.refresh_from_db()
    assert cycle.core_qualities == ["care", "humour", "Geduld met 2B"]


# --- The list --------------------------------------------------------------------------------


def test_the_list_shows_own_cycles_and_those_shared_with_the_begeleider(
    as_persona, world, draft, shared
):
    own = as_persona("student_teacher").get(reverse("cycle_list"))
    assert own.status_code == 200
    assert {c.pk for c in own.context["page"].object_list} == {draft.pk, shared.pk}
    overview = as_persona("opleider").get(reverse("cycle_list"))
    assert [c.pk for c in overview.context["shared_page"].object_list] == [shared.pk]
    assert draft.title not in overview.content.decode()
    assert as_persona("opleider").post(reverse("cycle_list")).status_code == 405


def test_the_list_pages_its_two_lists_apart(as_persona, world, draft):
    for _ in range(26):
        ReflectionCycleFactory(trajectory=world.opleiden, shared=True)
    page = as_persona("opleider").get(reverse("cycle_list") + "?shared_page=2&page=1")
    assert page.context["shared_page"].number == 2
    assert len(page.context["shared_page"].object_list) == 1
    assert "page=1&amp;shared_page=1" in page.content.decode()


def test_the_list_query_count_does_not_grow(as_persona, world, django_assert_max_num_queries):
    client = as_persona("student_teacher")
    for _ in range(3):
        ReflectionCycleFactory(
            trajectory=world.opleiden, visit=LessonVisitFactory(trajectory=world.opleiden)
        )
    client.get(reverse("cycle_list"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("cycle_list"))
    for _ in range(20):
        CycleCommentFactory(
            cycle=ReflectionCycleFactory(
                trajectory=world.opleiden,
                shared=True,
                visit=LessonVisitFactory(trajectory=world.opleiden),
            )
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("cycle_list"))


def test_the_empty_list_says_what_to_do(as_persona):
    page = as_persona("coachee").get(reverse("cycle_list"))
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 0
    assert reverse("cycle_create") in page.content.decode()


def test_after_the_conversation_only_phase_5_is_still_written(as_persona, world):
    # Trying the intention out comes after the nagesprek: the owner writes how it went on the
    # discussed cycle, while what was talked about stays as it was discussed.
    cycle = ReflectionCycleFactory(
        trajectory=world.opleiden, discussed=True, action="Wat er gebeurde in 2B."
    )
    client = as_persona("student_teacher")
    page = client.get(url("cycle_detail", cycle)).content.decode()
    assert 'data-autosave-field="trial"' in page
    assert 'data-autosave-field="action"' not in page
    assert 'data-autosave-field="title"' not in page
    assert "Wat er gebeurde in 2B." in page

    trial = "Ik begon met een opdracht op het bord; na twee minuten was het stil."
    assert (
        save(client, cycle, cycle.version, [{"field": "trial", "text": trial}]).status_code == 200
    )
    refused = save(client, cycle, cycle.version + 1, [{"field": "action", "text": "Achteraf."}])
    assert refused.status_code == 400
    assert "5" in refused.json()["error"]
    cycle.refresh_from_db()
    assert (cycle.trial, cycle.action, cycle.status) == (
        trial,
        "Wat er gebeurde in 2B.",
        "discussed",
    )
