"""Importing people from a CSV file: every row checked and shown first; all of it or nothing.

The pages are asked for in English (the source strings), so these tests keep reading the same
whatever the Dutch catalogue says.
"""

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from mentoring.models import AuditEntry
from roles import imports
from roles.models import (
    Invitation,
    Membership,
    OpleiderKind,
    PeopleImport,
    Role,
    RoleAssignment,
    StaffKind,
    User,
)
from tests.factories import MembershipFactory, SchoolFactory, UserFactory

VALID = """name,e-mail,staff kind,role
Anna de Vries,A.deVries@school.example,teacher,coach
Sem Jansen,s.jansen@school.example,student teacher,
Fatima el Amrani,f.elamrani@school.example,teacher,opleider
"""


@pytest.fixture
def coordinator(as_persona):
    client = as_persona("coordinator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def csv_file(content: str | bytes, name: str = "mensen.csv") -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


def upload(client, content: str | bytes, **data):
    return client.post(reverse("people_import"), {"file": csv_file(content), **data})


def preview_url(people_import: PeopleImport) -> str:
    return reverse("people_import_preview", kwargs={"public_id": people_import.public_id})


def upload_and_preview(client, content: str | bytes):
    response = upload(client, content)
    assert response.status_code == 302, response.context["form"].errors
    people_import = PeopleImport.objects.get()
    assert response.url == preview_url(people_import)
    return people_import, client.get(response.url)


def form_errors(response) -> str:
    assert response.status_code == 200
    return " ".join(response.context["form"].errors["file"])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def people(n: int) -> str:
    """A Dutch Excel file of n new teachers; three in four get a role."""
    roles = ["", "coach", "opleider", "procesbegeleider"]
    rows = [f"Persoon {i};persoon{i}@school.example;docent;{roles[i % 4]}" for i in range(n)]
    return "naam;e-mail;functie;rol\n" + "\n".join(rows) + "\n"


# --- A good file, from upload to invitations ---------------------------------------------------


def test_valid_file_imports_people_with_memberships_roles_and_invitation_mails(
    coordinator, world, django_capture_on_commit_callbacks
):
    people_import, preview = upload_and_preview(coordinator, VALID)
    page = preview.content.decode()
    assert "Anna de Vries" in page
    assert "Import 3 people" in page
    assert people_import.row_count == 3

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(preview_url(people_import))

    assert response.url == reverse("person_list")
    assert messages_of(response) == ["3 people imported."]
    anna = User.objects.get(email="a.devries@school.example")
    assert anna.full_name == "Anna de Vries"
    assert not anna.has_usable_password()
    memberships = Membership.objects.filter(
        school=world.school,
        is_active=True,
        user__email__in=[
            "a.devries@school.example",
            "s.jansen@school.example",
            "f.elamrani@school.example",
        ],
    )
    assert set(memberships.values_list("user__email", "staff_kind")) == {
        ("a.devries@school.example", StaffKind.TEACHER),
        ("s.jansen@school.example", StaffKind.STUDENT_TEACHER),
        ("f.elamrani@school.example", StaffKind.TEACHER),
    }
    roles = RoleAssignment.objects.filter(school=world.school, school_year=world.school_year)
    assert roles.get(user=anna).role == Role.COACH
    opleider = roles.get(user__email="f.elamrani@school.example")
    assert (opleider.role, opleider.opleider_kind) == (
        Role.OPLEIDER,
        OpleiderKind.WERKPLEKBEGELEIDER,
    )
    assert not roles.filter(user__email="s.jansen@school.example").exists()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "a.devries@school.example",
        "f.elamrani@school.example",
        "s.jansen@school.example",
    ]
    people_import.refresh_from_db()
    assert people_import.imported_at is not None
    assert people_import.content == ""  # names and addresses are not kept once imported
    assert AuditEntry.objects.filter(
        action="people.imported", object_id=str(people_import.public_id), school=world.school
    ).exists()


def test_dutch_excel_file_with_semicolons_byte_order_mark_and_dutch_names(coordinator, world):
    content = (
        "\ufeffNaam;E-mailadres;Functie;Rol;Soort opleider\n"
        "José Álvarez;jose@school.example;Docent;Opleider;Schoolopleider\n"
        "Noor Bakker;noor@school.example;Leraar in opleiding;;\n"
        "Kees Smit;kees@school.example;Coördinator;Werkplekbegeleider;\n"
        "Lotte Visser;lotte@school.example;schoolleider;PROCESBEGELEIDER;\n"
    ).encode()
    people_import, preview = upload_and_preview(coordinator, content)
    rows = preview.context["check"].rows
    assert [row.errors for row in rows] == [[], [], [], []]
    assert [
        (row.line, row.full_name, row.staff_kind, row.role, row.opleider_kind) for row in rows
    ] == [
        (2, "José Álvarez", StaffKind.TEACHER, Role.OPLEIDER, OpleiderKind.SCHOOLOPLEIDER),
        (3, "Noor Bakker", StaffKind.STUDENT_TEACHER, "", ""),
        (4, "Kees Smit", StaffKind.COORDINATOR, Role.OPLEIDER, OpleiderKind.WERKPLEKBEGELEIDER),
        (5, "Lotte Visser", StaffKind.SCHOOL_LEADER, Role.PROCESBEGELEIDER, ""),
    ]

    coordinator.post(preview_url(people_import))
    assert User.objects.get(email="jose@school.example").full_name == "José Álvarez"


def test_english_headers_and_code_values_with_commas(coordinator, world):
    content = (
        "Email,Full name,Staff_kind,Role,Kind of opleider\n"
        "pieter@school.example,Pieter Post,student_teacher,,\n"
        "ines@school.example,Ines Bos,SCHOOL_LEADER,opleider,instituutsopleider\n"
    )
    _people_import, preview = upload_and_preview(coordinator, content)
    rows = preview.context["check"].rows
    assert [(row.email, row.staff_kind, row.opleider_kind, row.errors) for row in rows] == [
        ("pieter@school.example", StaffKind.STUDENT_TEACHER, "", []),
        ("ines@school.example", StaffKind.SCHOOL_LEADER, OpleiderKind.INSTITUUTSOPLEIDER, []),
    ]


def test_unknown_columns_are_ignored_and_named_in_the_preview(coordinator, world):
    content = "naam;e-mail;functie;telefoon\nAnna;anna@school.example;docent;0612345678\n"
    _people_import, preview = upload_and_preview(coordinator, content)
    assert preview.context["check"].ignored_columns == ["telefoon"]
    assert "These columns are not imported: telefoon." in preview.content.decode()


# --- Bad rows: shown with their line numbers, and nothing imported -----------------------------

BAD_ROWS = """naam;e-mail;functie;rol
Goed Persoon;goed@school.example;docent;coach
;geen.naam@school.example;docent;

Verkeerd Adres;niet-een-adres;docent;
Onbekende Functie;functie@school.example;conciërge;
Onbekende Rol;rol@school.example;docent;mentor
Dubbel;GOED@school.example;docent;
Te Veel;teveel@school.example;docent;coach;extra
"""


def test_bad_rows_are_listed_with_line_numbers_and_there_is_no_import_button(coordinator, world):
    people_import, preview = upload_and_preview(coordinator, BAD_ROWS)

    check = preview.context["check"]
    errors = {row.line: row.errors for row in check.error_rows}
    # Line 4 is blank; the numbers are those of the file as the coordinator sees it.
    assert errors == {
        3: ["The name is missing."],
        5: ["“niet-een-adres” is not a valid e-mail address."],
        6: [
            "“conciërge” is not a staff kind. Use one of: teacher, student teacher, "
            "school leader, coordinator."
        ],
        7: [
            "“mentor” is not a role. Use one of: opleider, coach, procesbegeleider, or leave "
            "it empty."
        ],
        8: ["This e-mail address is also on line 2."],
        9: ["This line has 5 values; the first line names 4 columns."],
    }
    page = preview.content.decode()
    assert "6 rows have a problem, so nothing can be imported yet" in page
    assert "This e-mail address is also on line 2." in page
    assert '<th scope="row">8</th>' in page
    assert "Import 1 person" not in page
    assert '<form method="post"' not in page.split("<main", 1)[1]
    assert people_import.row_count == 7


def test_confirming_a_file_with_bad_rows_anyway_imports_nobody(coordinator, world):
    people_import, _preview = upload_and_preview(coordinator, BAD_ROWS)
    users_before = User.objects.count()

    response = coordinator.post(preview_url(people_import), follow=True)

    assert "The file has errors, so nothing has been imported." in response.content.decode()
    assert User.objects.count() == users_before
    assert not User.objects.filter(email="goed@school.example").exists()
    people_import.refresh_from_db()
    assert people_import.imported_at is None
    assert mail.outbox == []


def test_role_without_a_school_year_is_a_row_error(client, db):
    school = SchoolFactory()
    coordinator = UserFactory()
    MembershipFactory(user=coordinator, school=school, staff_kind=StaffKind.COORDINATOR)
    client.force_login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    people_import, preview = upload_and_preview(
        client, "naam;e-mail;functie;rol\nAnna;anna@school.example;docent;coach\n"
    )

    [row] = preview.context["check"].error_rows
    assert row.errors == [
        "No school year has been set up yet, so this role cannot be assigned. Set up the "
        "school year first, or leave the role empty."
    ]
    client.post(preview_url(people_import))
    assert not User.objects.filter(email="anna@school.example").exists()


# --- Files that cannot be read at all: an error on the form, nothing stored --------------------


def test_file_that_is_not_utf8_gets_advice_to_save_as_csv_utf8(coordinator, world):
    response = upload(
        coordinator, "naam;e-mail;functie\nJos\xe9;jose@school.example;docent\n".encode("latin-1")
    )

    error = form_errors(response)
    assert "not saved as UTF-8" in error
    assert "line 2" in error
    assert "CSV UTF-8" in error
    assert not PeopleImport.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"\r\n  \r\n", "The file is empty."),
        (b"\xef\xbb\xbf", "The file is empty."),
        (b"naam;e-mail;functie;rol\n", "The file names the columns but has no people in it."),
        (b"naam;e-mail;functie\n;;\n\n", "The file names the columns but has no people in it."),
    ],
    ids=["empty", "blank lines", "only a byte-order mark", "header only", "header and blanks"],
)
def test_empty_file_gets_a_clear_error(coordinator, world, content, message):
    assert message in form_errors(upload(coordinator, content))
    assert not PeopleImport.objects.exists()


def test_upload_without_a_file_asks_for_one(coordinator, world):
    response = coordinator.post(reverse("people_import"))
    assert form_errors(response) == "Choose the CSV file to import."


def test_file_without_a_header_line_names_the_missing_columns(coordinator, world):
    error = form_errors(upload(coordinator, "Anna;anna@school.example;docent\n"))
    assert "The first line of the file must name the columns." in error
    assert "name, e-mail, staff kind" in error
    assert not PeopleImport.objects.exists()


def test_excel_workbook_is_refused_with_advice(coordinator, world):
    error = form_errors(upload(coordinator, b"PK\x03\x04\x14\x00\x06\x00binary workbook"))
    assert "This is an Excel workbook, not a CSV file." in error


def test_unclosed_quotation_mark_names_the_line(coordinator, world):
    content = (
        'naam;e-mail;functie\nAnna;anna@school.example;docent\n"Sem;sem@school.example;docent\n'
    )
    assert "Line 3 could not be read." in form_errors(upload(coordinator, content))


def test_file_over_the_size_limit_is_refused(coordinator, world):
    content = people(10) + "x" * imports.MAX_FILE_BYTES
    error = form_errors(upload(coordinator, content))
    assert "can be imported at once. Split it into smaller files." in error
    assert not PeopleImport.objects.exists()


def test_file_with_more_than_the_maximum_number_of_people_is_refused(coordinator, world):
    error = form_errors(upload(coordinator, people(imports.MAX_PEOPLE + 1)))
    assert "The file has more than 10000 people." in error
    assert not PeopleImport.objects.exists()


# --- Large files ---------------------------------------------------------------------------------


def test_ten_thousand_people_are_previewed_with_a_fixed_number_of_queries(
    coordinator, world, django_assert_max_num_queries
):
    content = people(imports.MAX_PEOPLE)
    assert len(content.encode()) < imports.MAX_FILE_BYTES
    response = upload(coordinator, content)
    people_import = PeopleImport.objects.get()
    assert response.url == preview_url(people_import)
    assert people_import.row_count == 10_000

    # Session, user, coordinator check, scope and permission (3), school year, the school's
    # memberships and this year's roles: none of them per row.
    with django_assert_max_num_queries(12):
        preview = coordinator.get(preview_url(people_import))

    check = preview.context["check"]
    assert len(check.rows) == 10_000
    assert check.error_rows == []
    assert check.new_count == 10_000
    assert check.role_count == 7_500
    page = preview.content.decode()
    assert "The first 100 of 10000 people are shown." in page
    assert "Import 10000 people" in page
    assert page.count('<th scope="row">') == 100


def test_preview_queries_do_not_grow_with_the_number_of_rows(
    coordinator, world, django_assert_max_num_queries
):
    for size in (1, 2_000):
        upload(coordinator, people(size))
        people_import = PeopleImport.objects.get()  # a new upload replaces the old one
        with django_assert_max_num_queries(12):
            assert coordinator.get(preview_url(people_import)).status_code == 200


def test_confirm_imports_every_row_not_only_the_rows_shown(coordinator, world):
    people_import, _preview = upload_and_preview(coordinator, people(250))

    response = coordinator.post(preview_url(people_import))

    assert messages_of(response) == ["250 people imported."]
    imported = Membership.objects.filter(school=world.school, user__email__startswith="persoon")
    assert imported.count() == 250
    assert RoleAssignment.objects.filter(user__email__startswith="persoon").count() == 187
    assert Invitation.objects.filter(user__email__startswith="persoon").count() == 250


# --- People who are already there ----------------------------------------------------------------


def test_existing_people_are_added_without_invitation_and_their_roles_left_alone(
    coordinator, world, django_capture_on_commit_callbacks
):
    content = (
        "naam;e-mail;functie;rol\n"
        "Coach;COACH@school.example;docent;coach\n"  # here already, with this role
        "Elders;other_school_coordinator@school.example;docent;procesbegeleider\n"
        "Opleider;opleider@school.example;docent;coach\n"  # here already, gets a second role
        "Coachee;coachee@school.example;schoolleider;\n"  # here already, as a teacher
    )
    people_import, preview = upload_and_preview(coordinator, content)
    rows = preview.context["check"].rows
    assert [(row.is_at_school, row.is_member, row.has_role) for row in rows] == [
        (True, True, True),
        (False, False, False),
        (True, True, False),
        (True, False, False),
    ]
    assert "Already has this role this school year." in preview.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(preview_url(people_import))

    assert messages_of(response) == [
        "4 people imported. 1 of them was already at the school and has not been changed."
    ]
    assert mail.outbox == []  # everyone already has an account and a password
    elsewhere = world.people["other_school_coordinator"]
    assert Membership.objects.filter(
        user=elsewhere, school=world.school, staff_kind=StaffKind.TEACHER, is_active=True
    ).exists()
    assert RoleAssignment.objects.filter(user=elsewhere, role=Role.PROCESBEGELEIDER).exists()
    assert RoleAssignment.objects.filter(user=world.people["coach"], role=Role.COACH).count() == 1
    assert set(
        RoleAssignment.objects.filter(user=world.people["opleider"]).values_list("role", flat=True)
    ) == {Role.OPLEIDER, Role.COACH}
    assert set(
        Membership.objects.filter(user=world.people["coachee"], is_active=True).values_list(
            "staff_kind", flat=True
        )
    ) == {StaffKind.TEACHER, StaffKind.SCHOOL_LEADER}


def test_a_new_upload_replaces_the_coordinators_unconfirmed_one(coordinator, world):
    imported, _preview = upload_and_preview(coordinator, VALID)
    coordinator.post(preview_url(imported))
    upload(coordinator, people(3))
    abandoned = PeopleImport.objects.get(imported_at__isnull=True)

    upload(coordinator, people(5))

    assert not PeopleImport.objects.filter(pk=abandoned.pk).exists()
    assert PeopleImport.objects.filter(pk=imported.pk).exists()  # the record of who imported
    assert PeopleImport.objects.get(imported_at__isnull=True).row_count == 5


def test_a_file_is_imported_only_once(coordinator, world):
    people_import, _preview = upload_and_preview(coordinator, VALID)
    coordinator.post(preview_url(people_import))
    users = User.objects.count()

    response = coordinator.post(preview_url(people_import), follow=True)

    assert "This file has already been imported." in response.content.decode()
    assert "This file was imported on" in response.content.decode()
    assert User.objects.count() == users


def test_a_school_changed_during_the_import_leaves_nothing_imported(
    coordinator, world, monkeypatch
):
    """Between the last check and the writes, another coordinator gives someone in the file
    the same role: the database refuses the duplicate and the whole import rolls back."""
    fatima = MembershipFactory(
        school=world.school, staff_kind=StaffKind.TEACHER, user__email="f.elamrani@school.example"
    ).user
    people_import, _preview = upload_and_preview(coordinator, VALID)
    real_check = imports.people_import_check

    def check_then_someone_else_assigns(**kwargs):
        check = real_check(**kwargs)
        RoleAssignment.objects.create(
            user=fatima,
            school=world.school,
            school_year=world.school_year,
            role=Role.OPLEIDER,
            opleider_kind=OpleiderKind.WERKPLEKBEGELEIDER,
            active_from=world.school_year.starts_on,
        )
        return check

    monkeypatch.setattr(imports, "people_import_check", check_then_someone_else_assigns)
    response = coordinator.post(preview_url(people_import))

    assert messages_of(response) == [
        "The school changed while the file was being imported, so nothing has been imported. "
        "Check the file again and confirm once more."
    ]
    assert not User.objects.filter(
        email__in=["a.devries@school.example", "s.jansen@school.example"]
    ).exists()
    people_import.refresh_from_db()
    assert people_import.imported_at is None
    assert mail.outbox == []


def test_ten_thousand_people_are_imported_in_bulk(
    coordinator, world, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    people_import, _preview = upload_and_preview(coordinator, people(10_000))
    # Inserts in batches, not a few queries per person (which would be 100,000 or more).
    # SQLite caps a query at 999 parameters, so there it is about 600 batches of ~100 rows.
    with django_assert_max_num_queries(800), django_capture_on_commit_callbacks() as jobs:
        response = coordinator.post(preview_url(people_import))
    assert response.status_code == 302
    assert (
        Membership.objects.filter(school=world.school, user__email__startswith="persoon").count()
        == 10_000
    )
    assert RoleAssignment.objects.filter(user__email__startswith="persoon").count() == 7_500
    assert Invitation.objects.filter(user__email__startswith="persoon").count() == 10_000
    # The invitation mails go out in jobs of 200 after the commit.
    assert len(jobs) == 50
    jobs[0]()
    assert len(mail.outbox) == 200
    assert AuditEntry.objects.filter(action="role.assigned").count() == 7_500


# --- Who may import ------------------------------------------------------------------------------


def test_coordinator_of_two_schools_chooses_one_they_coordinate(coordinator, world):
    MembershipFactory(
        user=world.people["coordinator"],
        school=world.other_school,
        staff_kind=StaffKind.COORDINATOR,
    )
    stranger = SchoolFactory()
    response = upload(coordinator, VALID, school=stranger.pk)
    assert "school" in response.context["form"].errors

    response = upload(coordinator, VALID, school=world.other_school.pk)
    assert PeopleImport.objects.get().school == world.other_school


def test_a_school_cannot_be_slipped_in_by_a_coordinator_of_one_school(coordinator, world):
    upload(coordinator, VALID, school=world.other_school.pk)
    assert PeopleImport.objects.get().school == world.school


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(reverse("people_import"))
    assert response.url.startswith(reverse("login"))
    assert upload(client, VALID).url.startswith(reverse("login"))
    assert not PeopleImport.objects.exists()


@pytest.mark.parametrize("persona", ["opleider", "school_leader", "student_teacher"])
def test_people_who_do_not_coordinate_may_not_upload(as_persona, world, persona):
    client = as_persona(persona)
    assert client.get(reverse("people_import")).status_code == 403
    assert upload(client, VALID).status_code == 403
    assert not PeopleImport.objects.exists()


def test_another_schools_import_does_not_exist_for_its_coordinator(coordinator, as_persona, world):
    people_import, _preview = upload_and_preview(coordinator, VALID)

    outsider = as_persona("other_school_coordinator")
    assert outsider.get(preview_url(people_import)).status_code == 404
    assert outsider.post(preview_url(people_import)).status_code == 404
    people_import.refresh_from_db()
    assert people_import.imported_at is None


def test_a_colleague_who_does_not_coordinate_is_refused_the_import(coordinator, as_persona, world):
    people_import, _preview = upload_and_preview(coordinator, VALID)

    colleague = as_persona("opleider")
    assert colleague.get(preview_url(people_import)).status_code == 403
    assert colleague.post(preview_url(people_import)).status_code == 403
    assert not User.objects.filter(email="a.devries@school.example").exists()


# --- Reading the file, without the database ------------------------------------------------------


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("typed", "staff_kind"),
    [
        ("docent", StaffKind.TEACHER),
        ("Teacher", StaffKind.TEACHER),
        ("student", StaffKind.STUDENT_TEACHER),
        ("LIO", StaffKind.STUDENT_TEACHER),
        ("student (leraar in opleiding)", StaffKind.STUDENT_TEACHER),
        ("school leader", StaffKind.SCHOOL_LEADER),
        ("coordinator", StaffKind.COORDINATOR),
        ("  Coördinator ", StaffKind.COORDINATOR),
    ],
)
def test_staff_kind_is_understood_in_dutch_and_english(typed, staff_kind):
    [row] = imports.people_csv_read(f"naam,e-mail,functie\nAnna,anna@school.example,{typed}\n").rows
    assert (row.staff_kind, row.errors) == (staff_kind, [])


@pytest.mark.usefixtures("english")
def test_kind_of_opleider_only_goes_with_the_opleider_role():
    rows = imports.people_csv_read(
        "naam;e-mail;functie;rol;soort opleider\n"
        "A;a@school.example;docent;coach;werkplekbegeleider\n"
        "B;b@school.example;docent;stagebegeleider;schoolopleider\n"
        "C;c@school.example;docent;opleider;hoofdopleider\n"
    ).rows
    assert [row.errors for row in rows] == [
        ["A kind of opleider only goes with the role opleider."],
        ["The role says stagebegeleider but the kind of opleider says schoolopleider."],
        [
            "“hoofdopleider” is not a kind of opleider. Use one of: werkplekbegeleider, "
            "stagebegeleider, schoolopleider, instituutsopleider."
        ],
    ]


def test_excel_separator_hint_on_the_first_line_is_understood():
    [row] = imports.people_csv_read(
        "sep=;\r\nnaam;e-mail;functie\r\nJansen, Piet;piet@school.example;docent\r\n"
    ).rows
    assert (row.line, row.full_name, row.errors) == (3, "Jansen, Piet", [])


def test_blank_lines_before_the_header_do_not_confuse_the_separator_or_line_numbers():
    [row] = imports.people_csv_read(
        "\n\nnaam;e-mail;functie\nAnna;anna@school.example;docent\n"
    ).rows
    assert (row.line, row.full_name, row.staff_kind, row.errors) == (
        4,
        "Anna",
        StaffKind.TEACHER,
        [],
    )
