"""Conversations and agreements through the pages: a nagesprek after a visit, a coachgesprek
in coaching, notes that are never lost, agreements on both people's home pages until done,
and nothing of a coaching conversation for anyone outside the pair."""

import datetime
import json

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from mentoring.models import AuditEntry
from reflection.models import Agreement, Conversation, ConversationKind
from tests.factories import (
    AgreementFactory,
    ConversationFactory,
    LessonVisitFactory,
    ReflectionCycleFactory,
)
from tests.observations.test_insights import final_observation, first_shown, visit_on

pytestmark = pytest.mark.django_db

ENGLISH = {"Accept-Language": "en"}
NOTES_SENTINEL = "SENTINEL-coachgesprek-8b14: ik slaap slecht van de klas"
AGREEMENT_SENTINEL = "SENTINEL-afspraak-c2e9: gesprek met de teamleider voorbereiden"


def create_url(trajectory, query: str = "") -> str:
    url = reverse("conversation_create", kwargs={"public_id": trajectory.public_id})
    return f"{url}?{query}" if query else url


def url(name: str, obj) -> str:
    return reverse(name, kwargs={"public_id": obj.public_id})


def save(client, conversation, body) -> tuple[int, dict]:
    response = client.post(
        url("conversation_save", conversation),
        json.dumps(body) if not isinstance(body, str) else body,
        content_type="application/json",
    )
    return response.status_code, response.json()


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def coachgesprek(world):
    return ConversationFactory(trajectory=world.coaching, notes=NOTES_SENTINEL)


# --- Starting a conversation -----------------------------------------------------------------


def test_the_nagesprek_is_recorded_from_the_visit(as_persona, world):
    visit = LessonVisitFactory(trajectory=world.opleiden)
    client = as_persona("opleider")
    visit_page = client.get(url("visit_detail", visit)).content.decode()
    link = create_url(world.opleiden, f"visit={visit.public_id}")
    assert link in visit_page

    form = client.get(link).context["form"]

    assert form.initial["kind"] == ConversationKind.NAGESPREK
    assert form.initial["visit"] == visit
    response = client.post(
        link,
        {
            "kind": "nagesprek",
            "held_on": "2026-10-02",
            "visit": str(visit.public_id),
            "topics": "De start van de les",
        },
    )
    conversation = Conversation.objects.get()
    assert response.url == url("conversation_detail", conversation)
    assert (conversation.visit, conversation.held_on) == (visit, datetime.date(2026, 10, 2))
    assert set(conversation.participants.all()) == {
        world.people["opleider"],
        world.people["student_teacher"],
    }
    visit_page = client.get(url("visit_detail", visit)).content.decode()
    assert url("conversation_detail", conversation) in visit_page


def test_a_nagesprek_without_a_visit_is_refused_with_a_message(as_persona, world):
    response = as_persona("student_teacher").post(
        create_url(world.opleiden), {"kind": "nagesprek", "held_on": "2026-10-02"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["visit"]
    assert not Conversation.objects.exists()


def test_a_coachgesprek_only_in_a_coaching_trajectory(as_persona, world):
    response = as_persona("opleider").post(
        create_url(world.opleiden), {"kind": "coachgesprek", "held_on": "2026-10-02"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["kind"]
    assert not Conversation.objects.exists()

    for persona in ("coach", "coachee"):
        client = as_persona(persona)
        assert client.get(create_url(world.coaching)).context["form"].initial["kind"] == (
            ConversationKind.COACHGESPREK
        )
        response = client.post(
            create_url(world.coaching), {"kind": "coachgesprek", "held_on": "2026-10-02"}
        )
        assert response.status_code == 302
    assert Conversation.objects.filter(kind="coachgesprek").count() == 2


def test_a_visit_or_reflection_of_another_trajectory_is_not_a_choice(as_persona, world):
    foreign_visit = LessonVisitFactory(trajectory=world.coaching)
    draft = ReflectionCycleFactory(trajectory=world.opleiden)
    for data in (
        {"kind": "nagesprek", "visit": str(foreign_visit.public_id)},
        {"kind": "nagesprek", "visit": "not-a-uuid"},
        {
            "kind": "nagesprek",
            "visit": str(LessonVisitFactory(trajectory=world.opleiden).public_id),
            "cycle": str(draft.public_id),
        },
    ):
        response = as_persona("opleider").post(
            create_url(world.opleiden), {"held_on": "2026-10-02", **data}
        )
        assert response.status_code == 200
        assert response.context["form"].errors
    assert not Conversation.objects.exists()


def test_a_stale_visit_link_still_opens_the_form(as_persona, world):
    other = LessonVisitFactory(trajectory=world.coaching)
    response = as_persona("opleider").get(create_url(world.opleiden, f"visit={other.public_id}"))
    assert response.status_code == 200
    assert messages_of(response)
    assert "visit" not in response.context["form"].initial


def test_a_shared_reflection_and_an_observation_are_linked_and_shown(as_persona, world):
    visit = visit_on(world.opleiden, 3)
    observation = final_observation(visit, first_shown(12))
    cycle = ReflectionCycleFactory(trajectory=world.opleiden, shared=True, title="Rumoer")
    client = as_persona("opleider")
    client.post(
        create_url(world.opleiden),
        {
            "kind": "nagesprek",
            "held_on": "2026-10-02",
            "visit": str(visit.public_id),
            "cycle": str(cycle.public_id),
            "observation": str(observation.public_id),
        },
    )
    conversation = Conversation.objects.get()
    page = client.get(url("conversation_detail", conversation)).content.decode()
    assert url("cycle_detail", cycle) in page
    assert url("observation_detail", observation) in page
    assert url("visit_detail", visit) in page


def test_the_schoolopleider_may_take_part_in_opleiden(as_persona, world, schoolopleider):
    visit = LessonVisitFactory(trajectory=world.opleiden)
    client = as_persona("opleider")
    form = client.get(create_url(world.opleiden)).context["form"]
    assert list(form.fields["participants"].queryset) == [schoolopleider]
    client.post(
        create_url(world.opleiden),
        {
            "kind": "nagesprek",
            "held_on": "2026-10-02",
            "visit": str(visit.public_id),
            "participants": [str(schoolopleider.public_id)],
        },
    )
    assert schoolopleider in Conversation.objects.get().participants.all()
    # In coaching nobody besides the pair: there is nothing to choose.
    assert (
        "participants"
        not in as_persona("coach").get(create_url(world.coaching)).context["form"].fields
    )


# --- The notes --------------------------------------------------------------------------------


def test_notes_are_autosaved_and_a_stale_batch_gets_the_saved_text(as_persona, coachgesprek):
    coach = as_persona("coach")
    status, body = save(
        coach, coachgesprek, {"version": 1, "changes": [{"field": "notes", "text": "Van de coach"}]}
    )
    assert (status, body["version"]) == (200, 2)

    coachee = as_persona("coachee")
    status, body = save(
        coachee, coachgesprek, {"version": 1, "changes": [{"field": "notes", "text": "Van mij"}]}
    )

    assert status == 409
    assert body["server"] == {
        "version": 2,
        "fields": {"topics": coachgesprek.topics, "notes": "Van de coach"},
    }
    coachgesprek.refresh_from_db()
    assert coachgesprek.notes == "Van de coach"


@pytest.mark.parametrize(
    "body",
    [
        "",
        "{",
        {"version": 1, "changes": [{"field": "notes", "text": "x" * 20001}]},
        {"version": 1, "changes": [{"field": "topics", "text": "x" * 2001}]},
        {"version": 1, "changes": [{"field": "held_on", "text": "2020-01-01"}]},
    ],
)
def test_a_batch_that_cannot_be_saved_is_refused_whole(as_persona, coachgesprek, body):
    status, answer = save(as_persona("coachee"), coachgesprek, body)
    assert status == 400
    assert answer["error"]
    coachgesprek.refresh_from_db()
    assert (coachgesprek.version, coachgesprek.notes) == (1, NOTES_SENTINEL)


def test_the_autosave_answers_in_json_to_those_who_may_not_write(as_persona, coachgesprek):
    assert save(as_persona("anonymous"), coachgesprek, {"version": 1, "changes": []})[0] == 401
    assert save(as_persona("coordinator"), coachgesprek, {"version": 1, "changes": []})[0] == 403
    other = as_persona("other_school_coordinator")
    assert save(other, coachgesprek, {"version": 1, "changes": []})[0] == 404


def test_without_javascript_the_form_saves_both_texts(as_persona, coachgesprek):
    response = as_persona("coachee").post(
        url("conversation_detail", coachgesprek),
        {"topics": "Slaap", "notes": "Afspraak met huisarts", "version": 1},
    )
    assert response.status_code == 302
    coachgesprek.refresh_from_db()
    assert (coachgesprek.topics, coachgesprek.notes, coachgesprek.version) == (
        "Slaap",
        "Afspraak met huisarts",
        2,
    )


def test_a_stale_form_shows_the_saved_texts_above_the_users_own(as_persona, coachgesprek):
    as_persona("coach").post(
        url("conversation_detail", coachgesprek),
        {"topics": "", "notes": "Notities van de coach", "version": 1},
    )

    response = as_persona("coachee").post(
        url("conversation_detail", coachgesprek),
        {"topics": "", "notes": "Notities van de coachee", "version": 1},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Notities van de coach") < page.index("Notities van de coachee")
    assert 'name="version" value="2"' in page
    coachgesprek.refresh_from_db()
    assert coachgesprek.notes == "Notities van de coach"


def test_an_empty_post_shows_the_page_and_saves_nothing(as_persona, coachgesprek):
    response = as_persona("coach").post(url("conversation_detail", coachgesprek), {})
    assert response.status_code == 200
    coachgesprek.refresh_from_db()
    assert coachgesprek.version == 1


def test_the_schoolopleider_reads_an_opleiden_conversation_without_writing(
    as_persona, world, schoolopleider, client
):
    conversation = ConversationFactory(trajectory=world.opleiden, notes="Goed gesprek")
    client.force_login(schoolopleider)
    page = client.get(url("conversation_detail", conversation))
    assert page.status_code == 200
    assert not page.context["can_edit"]
    assert "Goed gesprek" in page.content.decode()
    assert "data-autosave-field" not in page.content.decode()
    posted = client.post(url("conversation_detail", conversation), {"notes": "x", "version": 1})
    assert posted.status_code == 403


def test_every_read_is_audited(as_persona, world, coachgesprek):
    as_persona("coachee").get(url("conversation_detail", coachgesprek))
    as_persona("coach").get(url("conversation_detail", coachgesprek))
    readers = AuditEntry.objects.filter(action="conversation.viewed").values_list(
        "actor", flat=True
    )
    assert set(readers) == {world.people["coachee"].pk, world.people["coach"].pk}


def test_the_details_are_edited_with_the_version(as_persona, world):
    conversation = ConversationFactory(trajectory=world.opleiden)
    other_visit = LessonVisitFactory(trajectory=world.opleiden)
    client = as_persona("student_teacher")
    assert client.get(url("conversation_edit", conversation)).status_code == 200
    data = {"held_on": "2026-11-03", "visit": str(other_visit.public_id), "version": 1}

    assert client.post(url("conversation_edit", conversation), data).status_code == 302

    conversation.refresh_from_db()
    assert (conversation.held_on, conversation.visit) == (datetime.date(2026, 11, 3), other_visit)
    stale = client.post(url("conversation_edit", conversation), {**data, "held_on": "2026-11-04"})
    assert stale.status_code == 200
    assert stale.context["conflict"].held_on == datetime.date(2026, 11, 3)
    conversation.refresh_from_db()
    assert conversation.held_on == datetime.date(2026, 11, 3)


# --- Agreements -------------------------------------------------------------------------------


def test_agreements_show_on_both_home_pages_until_done(as_persona, world, coachgesprek):
    coach = as_persona("coach")
    for what, who in (
        ("Lesopening voorbereiden", world.people["coachee"]),
        ("Artikel over klassenmanagement sturen", world.people["coach"]),
    ):
        response = coach.post(
            url("agreement_add", coachgesprek),
            {"what": what, "who": str(who.public_id), "due_on": "2026-12-01"},
        )
        assert response.status_code == 302
    for persona in ("coach", "coachee"):
        page = as_persona(persona).get(reverse("home")).content.decode()
        assert "Lesopening voorbereiden" in page
        assert "Artikel over klassenmanagement sturen" in page

    done = Agreement.objects.get(what="Lesopening voorbereiden")
    response = as_persona("coachee").post(
        url("agreement_done", done), {"done": "1", "next": reverse("home")}
    )

    assert response.url == reverse("home")
    done.refresh_from_db()
    assert done.done_by == world.people["coachee"]
    for persona in ("coach", "coachee"):
        page = as_persona(persona).get(reverse("home")).content.decode()
        assert "Lesopening voorbereiden" not in page
        assert "Artikel over klassenmanagement sturen" in page
    as_persona("coach").post(url("agreement_done", done), {"done": "0"})
    done.refresh_from_db()
    assert done.done_at is None


def test_an_overdue_agreement_says_so_in_words(as_persona, world, coachgesprek):
    AgreementFactory(
        conversation=coachgesprek,
        who=world.people["coachee"],
        due_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    page = as_persona("coachee").get(reverse("home"), headers=ENGLISH).content.decode()
    assert "overdue" in page


def test_an_agreement_for_someone_outside_the_conversation_is_refused(
    as_persona, world, coachgesprek
):
    for who in (str(world.people["coordinator"].public_id), "nobody", ""):
        response = as_persona("coach").post(
            url("agreement_add", coachgesprek), {"what": "Iets", "who": who}
        )
        assert response.status_code == 302
        assert messages_of(response)
    response = as_persona("coach").post(
        url("agreement_add", coachgesprek),
        {"what": "x" * 501, "who": str(world.people["coach"].public_id)},
    )
    assert messages_of(response)
    assert not Agreement.objects.exists()


def test_an_agreement_is_deleted_after_a_confirmation(as_persona, coachgesprek):
    agreement = AgreementFactory(conversation=coachgesprek, what=AGREEMENT_SENTINEL)
    client = as_persona("coachee")
    confirm = client.get(url("agreement_delete", agreement))
    assert confirm.status_code == 200
    assert AGREEMENT_SENTINEL in confirm.content.decode()
    assert Agreement.objects.exists()

    response = client.post(url("agreement_delete", agreement))

    assert response.url == url("conversation_detail", coachgesprek) + "#agreements"
    assert not Agreement.objects.exists()


def test_done_goes_back_only_to_a_page_of_this_site(as_persona, coachgesprek):
    agreement = AgreementFactory(conversation=coachgesprek)
    response = as_persona("coach").post(
        url("agreement_done", agreement), {"done": "1", "next": "https://evil.example/"}
    )
    assert response.url == url("conversation_detail", coachgesprek) + "#agreements"


# --- Who sees what ----------------------------------------------------------------------------


OUTSIDERS = ["coordinator", "school_leader", "procesbegeleider", "opleider"]


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_no_one_outside_the_pair_reads_a_coaching_conversation(as_persona, coachgesprek, persona):
    agreement = AgreementFactory(conversation=coachgesprek, what=AGREEMENT_SENTINEL)
    client = as_persona(persona)
    for response in (
        client.get(url("conversation_detail", coachgesprek)),
        client.get(url("conversation_edit", coachgesprek)),
        client.get(url("agreement_delete", agreement)),
        client.post(url("agreement_done", agreement), {"done": "1"}),
        client.get(create_url(coachgesprek.trajectory)),
    ):
        assert response.status_code == 403
        assert NOTES_SENTINEL not in response.content.decode()
    for page in ("home", "conversation_list", "goal_list"):
        text = client.get(reverse(page)).content.decode()
        assert NOTES_SENTINEL not in text and AGREEMENT_SENTINEL not in text
    trajectory = client.get(url("trajectory_detail", coachgesprek.trajectory))
    if trajectory.status_code == 200:
        assert "conversations" not in trajectory.context
    agreement.refresh_from_db()
    assert agreement.done_at is None


def test_another_school_gets_404(as_persona, coachgesprek):
    agreement = AgreementFactory(conversation=coachgesprek)
    client = as_persona("other_school_coordinator")
    assert client.get(url("conversation_detail", coachgesprek)).status_code == 404
    assert client.get(url("agreement_delete", agreement)).status_code == 404
    assert client.get(create_url(coachgesprek.trajectory)).status_code == 404


def test_the_list_shows_my_conversations_newest_first(as_persona, world):
    older = ConversationFactory(
        trajectory=world.coaching, held_on=datetime.date(2026, 9, 10), notes=""
    )
    newer = ConversationFactory(trajectory=world.coaching, held_on=datetime.date(2026, 10, 10))
    AgreementFactory(conversation=newer)
    ConversationFactory(trajectory=world.opleiden)
    response = as_persona("coachee").get(reverse("conversation_list"))
    rows = list(response.context["page"].object_list)
    assert rows == [newer, older]
    assert [row.open_agreements for row in rows] == [1, 0]
    empty = as_persona("procesbegeleider").get(reverse("conversation_list"), headers=ENGLISH)
    assert "No conversations yet." in empty.content.decode()


def test_the_trajectory_page_lists_conversations_for_the_pair(as_persona, world, coachgesprek):
    page = as_persona("coach").get(url("trajectory_detail", world.coaching))
    assert page.context["conversations"] == [coachgesprek]
    assert page.context["can_add_conversation"]
    assert create_url(world.coaching) in page.content.decode()
