"""The coordinator sets up a school: people, invitations, roles, trajectories, groups."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from mentoring.models import AuditEntry
from roles.models import (
    Invitation,
    LearningGroup,
    Membership,
    Role,
    RoleAssignment,
    SchoolYear,
    StaffKind,
    Trajectory,
    TrajectoryStatus,
    User,
)
from tests.conftest import COACHING_SENTINEL, log_in
from tests.factories import (
    InvitationFactory,
    LearningGroupFactory,
    MembershipFactory,
    RoleAssignmentFactory,
    TrajectoryFactory,
)

pytestmark = pytest.mark.django_db


def invitation_link(message) -> str:
    return re.search(r"https?://testserver(/welcome/[^/\s]+/)", message.body).group(1)


# --- People list --------------------------------------------------------------------------------


def test_people_list_shows_the_school_and_not_the_other_school(as_persona, world):
    page = as_persona("coordinator").get(reverse("person_list")).content.decode()
    assert world.people["coach"].email in page
    assert "horizon_opleider@school.example" not in page


def test_people_list_filters_by_search_role_and_staff_kind(as_persona, world):
    client = as_persona("coordinator")

    def listed(**params):
        response = client.get(reverse("person_list"), params)
        return {person.email for person in response.context["page"].object_list}

    assert listed(q="COACH") == {"coach@school.example", "coachee@school.example"}
    assert listed(role=Role.PROCESBEGELEIDER) == {"procesbegeleider@school.example"}
    assert listed(staff_kind=StaffKind.STUDENT_TEACHER) == {"student_teacher@school.example"}


def test_deactivated_people_are_listed_only_under_their_own_filter(as_persona, world):
    client = as_persona("coordinator")
    client.post(
        reverse("person_deactivate", kwargs={"public_id": world.people["coachee"].public_id}),
        {"school": world.school.pk},
    )

    def listed(**params):
        response = client.get(reverse("person_list"), params)
        return {person.email for person in response.context["page"].object_list}

    assert "coachee@school.example" not in listed()
    assert listed(active="inactive") == {"coachee@school.example"}
    assert "coachee@school.example" in listed(active="all")


def test_people_list_pages_through_a_large_school(as_persona, world):
    for n in range(60):
        MembershipFactory(school=world.school, user__full_name=f"Zz Persoon {n:02d}")
    client = as_persona("coordinator")
    first = client.get(reverse("person_list"))
    assert first.context["page"].paginator.num_pages == 3
    last = client.get(reverse("person_list"), {"page": 3})
    assert len(last.context["page"].object_list) == 7 + 60 - 50  # the world has 7
    # A page number that does not exist shows the last page, not an error.
    assert client.get(reverse("person_list"), {"page": "999"}).status_code == 200


@pytest.mark.parametrize("extra_people", [0, 500])
def test_people_list_query_count_does_not_grow(
    as_persona, world, django_assert_max_num_queries, extra_people
):
    for _ in range(extra_people):
        person = MembershipFactory(school=world.school).user
        RoleAssignmentFactory(user=person, school=world.school, school_year=world.school_year)
        InvitationFactory(user=person, school=world.school, invited_by=world.people["coordinator"])
    client = as_persona("coordinator")
    # session, user, school year, coordinated schools (3: list, visibility, the school filter's
    # choices), count, people, their memberships, roles and invitations, the menu
    with django_assert_max_num_queries(12):
        response = client.get(reverse("person_list"), {"role": "", "active": "active"})
    assert response.status_code == 200


@pytest.mark.parametrize("extra", [0, 500])
def test_trajectory_list_query_count_does_not_grow(
    as_persona, world, django_assert_max_num_queries, extra
):
    for _ in range(extra):
        teacher = MembershipFactory(school=world.school).user
        role = RoleAssignmentFactory(school=world.school, school_year=world.school_year)
        TrajectoryFactory(begeleider_role=role, teacher=teacher)
    client = as_persona("coordinator")
    # session, user, the menu's coordinator check, count, one page of trajectories with
    # their people, role, school and year joined in
    with django_assert_max_num_queries(6):
        response = client.get(reverse("trajectory_list"))
    assert len(response.context["page"].object_list) == min(25, 2 + extra)


def test_learning_group_list_query_count_does_not_grow(
    as_persona, world, django_assert_max_num_queries
):
    for _ in range(40):
        LearningGroupFactory(
            school=world.school,
            school_year=world.school_year,
            facilitators=[world.people["procesbegeleider"]],
            members=[world.people["coach"]],
        )
    client = as_persona("coordinator")
    # session, user, coordinator checks (the page's and the menu's), count, groups, and
    # their facilitators
    with django_assert_max_num_queries(7):
        response = client.get(reverse("learning_group_list"))
    assert response.context["page"].paginator.count == 41


# --- Invitations --------------------------------------------------------------------------------


def invite(client, world, email="nieuw@school.example", kind=StaffKind.STUDENT_TEACHER):
    return client.post(
        reverse("person_invite"),
        {
            "full_name": "Sam de Nieuwe",
            "email": email,
            "school": world.school.pk,
            "staff_kind": kind,
            "language": "nl",
        },
    )


def test_invited_person_sets_a_password_and_logs_in(
    as_persona, world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(as_persona("coordinator"), world)
    person = User.objects.get(email="nieuw@school.example")
    assert response.url == reverse("person_detail", kwargs={"public_id": person.public_id})
    assert not person.has_usable_password()
    assert Membership.objects.filter(user=person, school=world.school, is_active=True).exists()
    (message,) = mail.outbox
    assert message.to == ["nieuw@school.example"]
    assert "Het Baken College" in message.subject

    client.logout()
    link = invitation_link(message)
    assert "Welkom, Sam" in client.get(link).content.decode()
    response = client.post(
        link,
        {
            "new_password1": "een-lang-nieuw-wachtwoord",
            "new_password2": "een-lang-nieuw-wachtwoord",
        },
    )
    assert response.url == reverse("login")
    assert log_in(client, "nieuw@school.example", "een-lang-nieuw-wachtwoord").status_code == 302
    # The link worked once.
    client.logout()
    assert "Deze link werkt niet meer" in client.get(link).content.decode()


def test_invitation_refuses_a_weak_password_and_keeps_the_link(
    as_persona, world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(as_persona("coordinator"), world)
    client.logout()
    link = invitation_link(mail.outbox[0])
    response = client.post(link, {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not User.objects.get(email="nieuw@school.example").has_usable_password()
    assert "Welkom" in client.get(link).content.decode()


def test_expired_invitation_link_no_longer_works(
    as_persona, world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(as_persona("coordinator"), world)
    Invitation.objects.filter(user__email="nieuw@school.example").update(
        sent_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
        expires_at=datetime.datetime(2020, 1, 15, tzinfo=datetime.UTC),
    )
    client.logout()
    link = invitation_link(mail.outbox[0])
    response = client.post(
        link, {"new_password1": "x-lang-genoeg-123", "new_password2": "x-lang-genoeg-123"}
    )
    assert "Deze link werkt niet meer" in response.content.decode()
    assert not User.objects.get(email="nieuw@school.example").has_usable_password()


def test_revoked_invitation_link_no_longer_works(
    as_persona, world, client, django_capture_on_commit_callbacks
):
    coordinator = as_persona("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        invite(coordinator, world)
    invitation = Invitation.objects.get(user__email="nieuw@school.example")
    revoke = reverse("invitation_revoke", kwargs={"public_id": invitation.public_id})
    assert "Uitnodiging intrekken" in coordinator.get(revoke).content.decode()
    coordinator.post(revoke)
    invitation.refresh_from_db()
    assert invitation.status == "revoked"
    client.logout()
    assert (
        "Deze link werkt niet meer" in client.get(invitation_link(mail.outbox[0])).content.decode()
    )


def test_resending_sends_a_new_link_and_retires_the_old_one(
    as_persona, world, client, django_capture_on_commit_callbacks
):
    coordinator = as_persona("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        invite(coordinator, world)
    invitation = Invitation.objects.get(user__email="nieuw@school.example")
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(reverse("invitation_resend", kwargs={"public_id": invitation.public_id}))
    old, new = (invitation_link(message) for message in mail.outbox)
    assert old != new
    client.logout()
    assert "Deze link werkt niet meer" in client.get(old).content.decode()
    assert "Welkom" in client.get(new).content.decode()


def test_inviting_someone_who_has_an_account_adds_them_without_a_mail(
    as_persona, world, django_capture_on_commit_callbacks
):
    elsewhere = world.people["other_school_coordinator"]
    with django_capture_on_commit_callbacks(execute=True):
        invite(
            as_persona("coordinator"), world, email=elsewhere.email.upper(), kind=StaffKind.TEACHER
        )
    assert mail.outbox == []
    assert Membership.objects.filter(user=elsewhere, school=world.school).exists()
    elsewhere.refresh_from_db()
    assert elsewhere.has_usable_password()


def test_invite_form_refuses_a_school_the_coordinator_does_not_run(as_persona, world):
    before = User.objects.count()
    response = as_persona("coordinator").post(
        reverse("person_invite"),
        {
            "full_name": "X",
            "email": "x@school.example",
            "school": world.other_school.pk,
            "staff_kind": StaffKind.TEACHER,
            "language": "nl",
        },
    )
    assert response.status_code == 200
    assert "school" in response.context["form"].errors
    assert User.objects.count() == before


# --- Roles, trajectories, groups ----------------------------------------------------------------


def test_coordinator_assigns_a_role_with_hours(as_persona, world):
    person = world.people["coachee"]
    response = as_persona("coordinator").post(
        reverse("role_assign", kwargs={"public_id": person.public_id}),
        {
            "school": world.school.pk,
            "school_year": world.school_year.pk,
            "role": Role.OPLEIDER,
            "opleider_kind": "werkplekbegeleider",
            "task_hours": 40,
        },
    )
    assert response.status_code == 302
    role = RoleAssignment.objects.get(user=person)
    assert (role.role, role.task_hours) == (Role.OPLEIDER, 40)
    assert AuditEntry.objects.filter(action="role.assigned", object_id=str(role.public_id)).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"role": Role.OPLEIDER, "opleider_kind": "", "task_hours": 40},  # kind missing
        {"role": Role.COACH, "task_hours": 5000},  # more than a full-time post
        {"role": Role.COACH, "task_hours": -1},
        {"role": "dictator", "task_hours": 1},
    ],
)
def test_role_form_refuses_bad_input_in_dutch_and_writes_nothing(as_persona, world, data):
    person = world.people["coachee"]
    response = as_persona("coordinator").post(
        reverse("role_assign", kwargs={"public_id": person.public_id}),
        {"school": world.school.pk, "school_year": world.school_year.pk, **data},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not RoleAssignment.objects.filter(user=person).exists()


def trajectory_data(world, **overrides):
    coach_role = RoleAssignment.objects.get(user=world.people["coach"])
    return {
        "kind": "coaching",
        "begeleider_role": coach_role.pk,
        "teacher": world.people["procesbegeleider"].pk,
        "stage": "experienced",
        "starts_on": "2026-09-01",
        **overrides,
    }


def test_coordinator_creates_and_ends_a_trajectory(as_persona, world):
    client = as_persona("coordinator")
    response = client.post(reverse("trajectory_create"), trajectory_data(world))
    trajectory = Trajectory.objects.get(teacher=world.people["procesbegeleider"])
    assert response.url == reverse("trajectory_detail", kwargs={"public_id": trajectory.public_id})
    end = reverse("trajectory_end", kwargs={"public_id": trajectory.public_id})
    assert "Traject beëindigen" in client.get(end).content.decode()
    client.post(end, {"ends_on": "2027-01-31"})
    trajectory.refresh_from_db()
    assert (trajectory.status, trajectory.ends_on) == ("ended", datetime.date(2027, 1, 31))
    assert (
        AuditEntry.objects.filter(
            action__in=["trajectory.created", "trajectory.ended"],
            object_id=str(trajectory.public_id),
        ).count()
        == 2
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "opleiden"}, "begeleider_role"),  # a coach cannot run opleiden
        ({"teacher": "coach"}, "teacher"),  # supervising yourself
        ({"teacher": "coachee"}, None),  # already an open coaching trajectory with this pair
        ({"stage": "student_teacher"}, "study_year"),
        ({"teacher": "other"}, "teacher"),  # out of scope: another school's person
        ({"begeleider_role": "other"}, "begeleider_role"),  # another school's role
        ({"starts_on": "31-31-2026"}, "starts_on"),
    ],
)
def test_trajectory_form_refuses_what_the_rules_forbid(as_persona, world, overrides, field):
    people = {
        "coach": world.people["coach"].pk,
        "coachee": world.people["coachee"].pk,
        "other": world.other_school_trajectory.teacher.pk,
    }
    if overrides.get("teacher") in people:
        overrides["teacher"] = people[overrides["teacher"]]
    if overrides.get("begeleider_role") == "other":
        overrides["begeleider_role"] = world.other_school_trajectory.begeleider_role.pk
    before = Trajectory.objects.count()
    response = as_persona("coordinator").post(
        reverse("trajectory_create"), trajectory_data(world, **overrides)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors if field else errors["__all__"]
    assert Trajectory.objects.count() == before


def test_other_school_coordinator_cannot_use_this_schools_people(as_persona, world):
    before = Trajectory.objects.count()
    response = as_persona("other_school_coordinator").post(
        reverse("trajectory_create"), trajectory_data(world)
    )
    assert response.status_code == 200
    assert {"begeleider_role", "teacher"} <= set(response.context["form"].errors)
    assert Trajectory.objects.count() == before


def test_coordinator_creates_a_learning_group(as_persona, world):
    response = as_persona("coordinator").post(
        reverse("learning_group_create"),
        {
            "name": "Lesson study wiskunde",
            "school": world.school.pk,
            "school_year": world.school_year.pk,
            "format": "lesson_study",
            "theme": "Hoe laten we leerlingen redeneren?",
            "facilitators": [world.people["procesbegeleider"].pk],
            "members": [world.people["coachee"].pk, world.people["student_teacher"].pk],
        },
    )
    group = LearningGroup.objects.get(name="Lesson study wiskunde")
    assert response.url == reverse("learning_group_detail", kwargs={"public_id": group.public_id})
    assert set(group.members.all()) == {world.people["coachee"], world.people["student_teacher"]}


def test_learning_group_refuses_a_facilitator_without_the_role_and_outsiders(as_persona, world):
    response = as_persona("coordinator").post(
        reverse("learning_group_create"),
        {
            "name": "Videoclub",
            "school": world.school.pk,
            "school_year": world.school_year.pk,
            "format": "videoclub",
            "facilitators": [world.people["coach"].pk],
            "members": [world.other_school_trajectory.teacher.pk],
        },
    )
    errors = response.context["form"].errors
    assert {"facilitators", "members"} <= set(errors)
    assert not LearningGroup.objects.filter(name="Videoclub").exists()


# --- Deactivation and school years -----------------------------------------------------------


def test_deactivating_a_person_asks_first_and_keeps_their_history(as_persona, world, client):
    coordinator = as_persona("coordinator")
    coachee = world.people["coachee"]
    url = reverse("person_deactivate", kwargs={"public_id": coachee.public_id})
    page = coordinator.get(url).content.decode()
    assert "Nothing is deleted" in page or "Er wordt niets verwijderd" in page
    assert Membership.objects.get(user=coachee).is_active  # asking changed nothing
    coordinator.post(url, {"school": world.school.pk})
    coachee.refresh_from_db()
    assert not coachee.is_active
    world.coaching.refresh_from_db()
    assert world.coaching.status == TrajectoryStatus.ENDED
    assert world.coaching.focus == COACHING_SENTINEL  # the content is kept
    assert AuditEntry.objects.filter(action="person.deactivated", object_id=str(coachee.public_id))
    client.logout()
    assert log_in(client, coachee.email).status_code == 200  # can no longer log in


def test_coordinator_cannot_deactivate_themselves(as_persona, world):
    coordinator = world.people["coordinator"]
    response = as_persona("coordinator").post(
        reverse("person_deactivate", kwargs={"public_id": coordinator.public_id}),
        {"school": world.school.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Membership.objects.get(user=coordinator).is_active


def test_coordinator_adds_the_next_school_year(as_persona, world):
    client = as_persona("coordinator")
    response = client.post(
        reverse("school_year_list"),
        {"name": "2027-2028", "starts_on": "2027-08-01", "ends_on": "2028-07-31"},
    )
    assert response.status_code == 302
    assert SchoolYear.objects.filter(name="2027-2028").exists()


@pytest.mark.parametrize(
    "data",
    [
        {"name": "2027-2029", "starts_on": "2027-08-01", "ends_on": "2028-07-31"},
        {"name": "2027/2028", "starts_on": "2027-08-01", "ends_on": "2028-07-31"},
        {"name": "2027-2028", "starts_on": "2028-08-01", "ends_on": "2027-07-31"},
        {"name": "2027-2028", "starts_on": "2027-03-01", "ends_on": "2028-07-31"},  # overlaps
        {"name": "2026-2027", "starts_on": "2030-08-01", "ends_on": "2031-07-31"},  # exists
    ],
)
def test_school_year_form_refuses_bad_years(as_persona, world, data):
    before = SchoolYear.objects.count()
    response = as_persona("coordinator").post(reverse("school_year_list"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert SchoolYear.objects.count() == before


# --- Content of a trajectory -------------------------------------------------------------------


def test_coachee_edits_their_question_and_a_stale_save_does_not_overwrite(as_persona, world):
    client = as_persona("coachee")
    url = reverse("trajectory_focus_edit", kwargs={"public_id": world.coaching.public_id})
    opened = client.get(url).context["form"].initial["version"]
    # Meanwhile, in another tab:
    client.post(url, {"focus": "Versie uit tab A", "version": opened})
    response = client.post(url, {"focus": "Versie uit tab B", "version": opened})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Versie uit tab A" in page and "Versie uit tab B" in page
    world.coaching.refresh_from_db()
    assert world.coaching.focus == "Versie uit tab A"


def test_reading_coaching_content_is_audited_without_the_content(as_persona, world):
    page = as_persona("coach").get(
        reverse("trajectory_detail", kwargs={"public_id": world.coaching.public_id})
    )
    assert COACHING_SENTINEL in page.content.decode()
    entry = AuditEntry.objects.get(action="trajectory.content_viewed")
    assert entry.actor == world.people["coach"]
    assert entry.object_id == str(world.coaching.public_id)
    assert COACHING_SENTINEL not in repr(AuditEntry.objects.values_list())
