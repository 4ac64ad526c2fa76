"""The Django admin: administrators only, their schools only, every change audited, no content.

Personas: `administrator` is staff and coordinator at the world's school (so they run that
school only); `superuser` runs the installation. None of the world's personas is staff.
"""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import NoReverseMatch, reverse

from mentoring.admin import admin_site
from mentoring.audit import audit_record
from mentoring.models import AuditEntry
from roles.models import (
    Institute,
    Invitation,
    LearningGroup,
    Membership,
    PeopleImport,
    StaffKind,
    Trajectory,
    User,
)
from tests.conftest import COACHING_SENTINEL, OPLEIDEN_FOCUS
from tests.factories import (
    PASSWORD,
    InstituteFactory,
    MembershipFactory,
    TrajectoryFactory,
    UserFactory,
)
from tests.permission_matrix import MEMBERS

CSV_SENTINEL = "SENTINEL-csv-91c2;Jan Jansen;jan@example.nl"
TOKEN_HASH_SENTINEL = "f" * 56 + "5e171e17"


@pytest.fixture
def administrator(world) -> User:
    user = UserFactory(email="admin@school.example", is_staff=True)
    MembershipFactory(user=user, school=world.school, staff_kind=StaffKind.COORDINATOR)
    return user


@pytest.fixture
def superuser(db) -> User:
    return UserFactory(email="root@school.example", is_staff=True, is_superuser=True)


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def listed(response) -> set:
    return set(response.context["cl"].result_list)


# --- Who gets in ------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_the_apps_own_login_page(client, db):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/admin/"


def test_the_admin_login_url_sends_visitors_to_the_apps_login_page(client, db):
    response = client.get(reverse("admin:login"), {"next": "/admin/roles/"})
    assert response.url == f"{reverse('login')}?next=/admin/roles/"


def test_the_admin_login_url_sends_an_administrator_on_but_never_off_site(client, administrator):
    client.force_login(administrator)
    response = client.get(reverse("admin:login"), {"next": "/admin/roles/"})
    assert response.url == "/admin/roles/"
    response = client.get(reverse("admin:login"), {"next": "https://evil.example/"})
    assert response.url == reverse("admin:index")


def test_an_administrator_logs_in_on_the_apps_page_and_lands_in_the_admin(client, administrator):
    response = client.post(
        reverse("login"),
        {"username": administrator.email, "password": PASSWORD, "next": "/admin/"},
    )
    assert response.url == "/admin/"
    assert client.get(response.url).status_code == 200


@pytest.mark.parametrize("persona", MEMBERS)
def test_people_who_are_not_administrators_are_refused_not_sent_round(as_persona, persona):
    client = as_persona(persona)
    assert client.get(reverse("admin:index")).status_code == 403
    assert client.get(reverse("admin:login")).status_code == 403
    assert client.get(admin_url(Trajectory, "changelist")).status_code == 403


def test_school_administrator_sees_the_admin_index_without_permission_rows(client, administrator):
    client.force_login(administrator)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    models = {
        model["object_name"] for app in response.context["app_list"] for model in app["models"]
    }
    assert {"Trajectory", "User", "Membership", "AuditEntry"} <= models


# --- Scope: their schools only, another school's object is a 404 -----------------------------


def test_school_administrator_sees_only_their_schools_trajectories(client, world, administrator):
    client.force_login(administrator)
    response = client.get(admin_url(Trajectory, "changelist"))
    assert listed(response) == {world.opleiden, world.coaching}


def test_school_administrator_sees_only_their_schools_people(client, world, administrator):
    client.force_login(administrator)
    people = listed(client.get(admin_url(User, "changelist")))
    assert world.people["coachee"] in people
    assert world.people["other_school_coordinator"] not in people
    assert world.other_school_trajectory.teacher not in people


def test_school_administrator_gets_404_for_another_schools_objects(client, world, administrator):
    client.force_login(administrator)
    trajectory = world.other_school_trajectory
    for view in ("change", "history", "delete"):
        assert client.get(admin_url(Trajectory, view, trajectory.pk)).status_code == 404
    person = world.people["other_school_coordinator"]
    assert client.get(admin_url(User, "change", person.pk)).status_code == 404
    assert client.post(admin_url(User, "change", person.pk), {}).status_code == 404


def test_school_administrator_does_not_see_where_else_someone_works(client, world, administrator):
    MembershipFactory(user=world.people["coachee"], school=world.other_school)
    client.force_login(administrator)
    page = client.get(admin_url(User, "changelist")).content.decode()
    assert world.school.name in page
    assert world.other_school.name not in page


def test_superuser_sees_every_school(client, world, superuser):
    client.force_login(superuser)
    response = client.get(admin_url(Trajectory, "changelist"))
    assert listed(response) == {world.opleiden, world.coaching, world.other_school_trajectory}


def test_person_search_offers_only_people_in_scope(client, world, administrator):
    client.force_login(administrator)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "roles", "model_name": "membership", "field_name": "user", "term": "o"},
    )
    offered = {int(result["id"]) for result in response.json()["results"]}
    assert world.people["coachee"].pk in offered
    assert world.people["other_school_coordinator"].pk not in offered


def test_the_admin_has_no_lookup_of_any_object_by_id_outside_the_model_admins():
    # Django's "view on site" shortcut finds an object of any model by its id, unscoped.
    with pytest.raises(NoReverseMatch):
        reverse("admin:view_on_site", args=[1, 1])


def test_audit_log_shows_a_school_administrator_their_schools_entries_only(
    client, world, administrator, superuser
):
    ours = audit_record(actor=superuser, action="test.ours", obj=world.opleiden)
    theirs = audit_record(actor=superuser, action="test.theirs", obj=world.other_school_trajectory)
    installation = audit_record(actor=superuser, action="test.installation", obj=world.school_year)
    client.force_login(administrator)
    assert listed(client.get(admin_url(AuditEntry, "changelist"))) == {ours}
    client.force_login(superuser)
    seen = listed(client.get(admin_url(AuditEntry, "changelist")))
    assert {ours, theirs, installation} <= seen


# --- Content never shows ---------------------------------------------------------------------


@pytest.fixture
def one_of_everything(world, superuser):
    """At least one row of every model in the admin, with content where a model has any."""
    InstituteFactory()
    PeopleImport.objects.create(
        school=world.school,
        created_by=world.people["coordinator"],
        filename="personen.csv",
        content=CSV_SENTINEL,
        row_count=1,
    )
    Invitation.objects.filter(pk=world.invitation.pk).update(token_hash=TOKEN_HASH_SENTINEL)
    audit_record(actor=superuser, action="trajectory.content_viewed", obj=world.coaching)
    assert all(model._default_manager.exists() for model in admin_site._registry)


def assert_shows_no_content(response, url: str) -> None:
    assert response.status_code == 200, url
    page = response.content.decode()
    for secret in (COACHING_SENTINEL, OPLEIDEN_FOCUS, CSV_SENTINEL, TOKEN_HASH_SENTINEL):
        assert secret not in page, f"{url} shows content"


@pytest.mark.parametrize("who", ["superuser", "administrator"])
@pytest.mark.usefixtures("one_of_everything")
def test_no_admin_page_shows_content_to_an_administrator_or_even_a_superuser(
    client, world, request, who
):
    client.force_login(request.getfixturevalue(who))
    index = client.get(reverse("admin:index"))
    assert_shows_no_content(index, "/admin/")
    urls = []
    for model, model_admin in admin_site._registry.items():
        urls.append(admin_url(model, "changelist"))
        if model_admin.has_add_permission(index.wsgi_request):
            urls.append(admin_url(model, "add"))
        for obj in model_admin.get_queryset(index.wsgi_request).order_by("pk")[:3]:
            urls += [admin_url(model, "change", obj.pk), admin_url(model, "history", obj.pk)]
            if model_admin.has_delete_permission(index.wsgi_request, obj):
                urls.append(admin_url(model, "delete", obj.pk))
    urls += [
        admin_url(Trajectory, "change", world.coaching.pk),
        admin_url(Trajectory, "history", world.coaching.pk),
    ]
    for url in urls:
        assert_shows_no_content(client.get(url), url)


@pytest.mark.usefixtures("one_of_everything")
def test_searching_the_admin_for_coaching_content_finds_nothing(client, superuser):
    client.force_login(superuser)
    for model, model_admin in admin_site._registry.items():
        if not model_admin.search_fields:
            continue
        for term in ("twijfel", "Klassenmanagement", "SENTINEL"):
            response = client.get(admin_url(model, "changelist"), {"q": term})
            assert response.context["cl"].result_count == 0, (model, term)


CONTENT_FIELDS = {"focus", "theme", "token_hash", "content", "password"}


def test_no_admin_list_form_search_or_filter_names_a_content_field(rf, superuser):
    request = rf.get("/admin/")
    request.user = superuser
    for model, model_admin in admin_site._registry.items():
        inline_fields = [
            name
            for inline in model_admin.get_inline_instances(request)
            for name in inline.get_fields(request)
        ]
        filters = [f[0] if isinstance(f, tuple) else f for f in model_admin.list_filter]
        named = [
            *model_admin.get_fields(request),
            *model_admin.get_readonly_fields(request),
            *model_admin.get_list_display(request),
            *model_admin.get_search_fields(request),
            *[f for f in filters if isinstance(f, str)],
            *inline_fields,
        ]
        parts = {part for name in named if isinstance(name, str) for part in name.split("__")}
        assert not parts & CONTENT_FIELDS, model


# --- Changes: allowed within scope, audited, never with their values -------------------------


def test_a_change_in_the_admin_is_audited_without_its_values(client, world, administrator):
    coachee = world.people["coachee"]
    client.force_login(administrator)
    response = client.post(
        admin_url(User, "change", coachee.pk),
        {
            "email": "Coachee.Nieuw@School.example",
            "full_name": "Nieuwe Achternaam",
            "preferred_language": "nl",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    coachee.refresh_from_db()
    assert coachee.email == "coachee.nieuw@school.example"
    entry = AuditEntry.objects.get(action="admin.changed")
    assert entry.actor == administrator
    assert entry.actor_email == administrator.email
    assert (entry.object_type, entry.object_id) == ("roles.user", str(coachee.public_id))
    assert entry.school == world.school
    written = " ".join(map(str, AuditEntry.objects.values_list()))
    assert "Nieuwe Achternaam" not in written
    assert "coachee.nieuw" not in written
    # ... and Django's own admin history has it too.
    assert LogEntry.objects.filter(object_id=str(coachee.pk), user=administrator).exists()


def test_an_addition_in_the_admin_is_audited(client, world, administrator):
    coachee = world.people["coachee"]
    client.force_login(administrator)
    response = client.post(
        admin_url(Membership, "add"),
        {
            "user": coachee.pk,
            "school": world.school.pk,
            "staff_kind": StaffKind.SCHOOL_LEADER,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=coachee, staff_kind=StaffKind.SCHOOL_LEADER)
    entry = AuditEntry.objects.get(action="admin.added")
    assert (entry.actor, entry.object_type, entry.object_id, entry.school) == (
        administrator,
        "roles.membership",
        str(membership.pk),
        world.school,
    )


def test_deletions_in_the_admin_are_audited_one_entry_per_object(client, superuser):
    unused = InstituteFactory.create_batch(3)
    client.force_login(superuser)
    response = client.post(admin_url(Institute, "delete", unused[0].pk), {"post": "yes"})
    assert response.status_code == 302
    response = client.post(
        admin_url(Institute, "changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [unused[1].pk, unused[2].pk],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not Institute.objects.exists()
    deleted = AuditEntry.objects.filter(action="admin.deleted", actor=superuser)
    assert sorted(deleted.values_list("object_id", flat=True)) == sorted(
        str(institute.public_id) for institute in unused
    )


def test_an_out_of_scope_choice_posted_to_an_add_form_is_rejected(client, world, administrator):
    elsewhere = world.people["other_school_coordinator"]
    client.force_login(administrator)
    memberships_before = Membership.objects.count()
    for posted, field in (
        ({"user": world.people["coachee"].pk, "school": world.other_school.pk}, "school"),
        ({"user": elsewhere.pk, "school": world.school.pk}, "user"),
    ):
        response = client.post(
            admin_url(Membership, "add"),
            {**posted, "staff_kind": StaffKind.COORDINATOR, "is_active": "on"},
        )
        assert response.status_code == 200
        assert field in response.context["adminform"].form.errors
    assert Membership.objects.count() == memberships_before
    assert not AuditEntry.objects.exists()


def test_school_administrator_cannot_make_someone_an_administrator(client, world, administrator):
    coachee = world.people["coachee"]
    client.force_login(administrator)
    client.post(
        admin_url(User, "change", coachee.pk),
        {
            "email": coachee.email,
            "full_name": coachee.full_name,
            "preferred_language": "nl",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
        },
    )
    coachee.refresh_from_db()
    assert not coachee.is_staff
    assert not coachee.is_superuser


def test_school_administrator_cannot_change_an_account_another_school_shares(
    client, world, administrator
):
    shared = world.people["coach"]
    MembershipFactory(user=shared, school=world.other_school)
    client.force_login(administrator)
    assert client.get(admin_url(User, "change", shared.pk)).status_code == 200  # to look at
    response = client.post(
        admin_url(User, "change", shared.pk),
        {"email": "taken.over@example.nl", "full_name": "X", "preferred_language": "nl"},
    )
    assert response.status_code == 403
    shared.refresh_from_db()
    assert shared.email == "coach@school.example"


def test_school_administrator_cannot_change_another_administrator(client, world, administrator):
    colleague = UserFactory(is_staff=True)
    MembershipFactory(user=colleague, school=world.school, staff_kind=StaffKind.COORDINATOR)
    client.force_login(administrator)
    response = client.post(
        admin_url(User, "change", colleague.pk),
        {"email": "taken.over@example.nl", "full_name": "X", "preferred_language": "nl"},
    )
    assert response.status_code == 403


def test_trajectories_and_people_are_never_deleted_or_added_through_the_admin(
    client, world, superuser
):
    client.force_login(superuser)
    for model, obj in (
        (Trajectory, world.coaching),
        (User, world.people["coachee"]),
        (Membership, Membership.objects.first()),
        (LearningGroup, world.group),
    ):
        assert client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
        assert model.objects.filter(pk=obj.pk).exists()
    assert client.get(admin_url(Trajectory, "add")).status_code == 403
    assert client.get(admin_url(User, "add")).status_code == 403


def test_a_trajectory_cannot_be_changed_through_the_admin(client, world, superuser):
    client.force_login(superuser)
    url = admin_url(Trajectory, "change", world.coaching.pk)
    assert client.post(url, {"status": "ended", "ends_on": "2026-09-01"}).status_code == 403
    world.coaching.refresh_from_db()
    assert world.coaching.status == "active"


def test_the_audit_log_cannot_be_written_through_the_admin_even_by_a_superuser(
    client, world, superuser
):
    entry = audit_record(actor=superuser, action="trajectory.content_viewed", obj=world.coaching)
    client.force_login(superuser)
    assert client.get(admin_url(AuditEntry, "add")).status_code == 403
    assert client.post(admin_url(AuditEntry, "add"), {"action": "forged"}).status_code == 403
    change = admin_url(AuditEntry, "change", entry.pk)
    assert client.get(change).status_code == 200  # to read
    assert client.post(change, {"action": "forged"}).status_code == 403
    assert client.get(admin_url(AuditEntry, "delete", entry.pk)).status_code == 403
    assert (
        client.post(admin_url(AuditEntry, "delete", entry.pk), {"post": "yes"}).status_code == 403
    )
    client.post(
        admin_url(AuditEntry, "changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert list(AuditEntry.objects.values_list("pk", "action")) == [
        (entry.pk, "trajectory.content_viewed")
    ]


# --- Query budgets ---------------------------------------------------------------------------


def test_trajectory_list_takes_the_same_few_queries_for_a_hundred_rows(
    client, world, superuser, django_assert_max_num_queries
):
    coach_role = world.coaching.begeleider_role
    TrajectoryFactory.create_batch(100, begeleider_role=coach_role)
    client.force_login(superuser)
    # Session and user; the schools the superuser runs; the school and year filters'
    # choices; the page's count and its rows, with teacher, begeleider, school and year joined.
    with django_assert_max_num_queries(7):
        response = client.get(admin_url(Trajectory, "changelist"))
    assert response.context["cl"].result_count == 103


def test_people_list_takes_the_same_few_queries_for_a_hundred_rows(
    client, world, superuser, django_assert_max_num_queries
):
    MembershipFactory.create_batch(100, school=world.school)
    client.force_login(superuser)
    # Session and user; the schools the superuser runs; the school filter's choices; the
    # page's count and its rows; the rows' memberships with their school, in one go.
    with django_assert_max_num_queries(7):
        response = client.get(admin_url(User, "changelist"))
    assert response.context["cl"].result_count > 100


def test_a_membership_is_not_switched_off_in_the_admin_but_on_the_people_page(
    client, world, superuser
):
    """Deactivating in the app also ends roles and trajectories; the admin would skip that."""
    membership = Membership.objects.get(user=world.people["coach"])
    client.force_login(superuser)
    url = reverse("admin:roles_membership_change", args=[membership.pk])
    client.post(url, {"staff_kind": StaffKind.TEACHER, "is_active": ""})
    membership.refresh_from_db()
    assert membership.is_active
