"""Importing people from a CSV file: reading it, checking every row, and the import itself.

The coordinator uploads a file; it is kept as text (`PeopleImport`) and every row is checked
and shown. Nothing about the people is written until the coordinator confirms a file without
errors, and then everything is written in one transaction, or nothing is.

The file:

- UTF-8, with or without a byte-order mark (Excel's "CSV UTF-8"); at most 2 MB and 10,000
  people. Separated by semicolons (Dutch Excel) or commas (or tabs); Excel's `sep=;` first line
  is understood.
- A first line naming the columns, in Dutch or English, in any order, case and accents
  ignored: name (naam), e-mail (e-mailadres), staff kind (functie, soort) and, optionally,
  role (rol) and kind of opleider (soort opleider). Other columns are ignored, and the preview
  says which.
- Staff kinds and roles by their Dutch or English name or their code: docent / teacher,
  student / leraar in opleiding / student teacher, schoolleider / school leader, coördinator /
  coordinator; opleider, coach, procesbegeleider. A role may also name a kind of opleider
  (werkplekbegeleider, ...), meaning the opleider role of that kind; an opleider whose kind is
  not given is a werkplekbegeleider, the most common kind at a school.

Existing people: an address that has an account already is added to the school without an
invitation (`person_invite`); someone already active at the school with that staff kind, or
already holding the role at the school this school year, is left as they are, so importing
the same file twice changes nothing and sends no second invitation.
"""

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from django import forms
from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from mentoring import access
from mentoring.audit import audit_record
from mentoring.jobs import enqueue
from mentoring.models import AuditEntry
from roles.models import (
    Invitation,
    InvitationStatus,
    Membership,
    OpleiderKind,
    PeopleImport,
    Role,
    RoleAssignment,
    School,
    SchoolYear,
    StaffKind,
    User,
)
from roles.selectors import school_year_current
from roles.services import INVITATION_VALID_FOR
from roles.tasks import send_invitation_emails

# Rows per INSERT: well inside SQLite's limit on query parameters.
BATCH = 500

# 10,000 rows of name, address, staff kind and role take about 0.6 MB, so 2 MB leaves room
# for long names and extra columns while keeping one upload well within a request.
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_PEOPLE = 10_000
# The preview shows every problem up to this many rows, and a sample of the good rows; more
# would make a page nobody reads.
PREVIEW_ERROR_ROWS = 500
PREVIEW_GOOD_ROWS = 100

NAME_MAX_LENGTH = User._meta.get_field("full_name").max_length
EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length

# Column names as people type them; compared by `_key`, so case, accents, spaces and dashes
# do not matter. The Dutch names are also what the catalogue calls these fields.
COLUMN_NAMES = {
    "full_name": ("naam", "volledige naam", "name", "full name"),
    "email": ("e-mail", "e-mailadres", "email", "e-mail address", "mail"),
    "staff_kind": ("functie", "soort", "staff kind", "kind"),
    "role": ("rol", "role"),
    "opleider_kind": ("soort opleider", "kind of opleider", "opleider kind"),
}
COLUMN_LABELS = {
    "full_name": _("name"),
    "email": _("e-mail"),
    "staff_kind": _("staff kind"),
    "role": _("role"),
    "opleider_kind": _("kind of opleider"),
}
REQUIRED_COLUMNS = ("full_name", "email", "staff_kind")

# Names besides the code and the label in each language (which are always accepted).
STAFF_KIND_NAMES = {
    StaffKind.TEACHER: ("docent", "leraar"),
    StaffKind.STUDENT_TEACHER: ("student", "leraar in opleiding", "lio"),
    StaffKind.SCHOOL_LEADER: ("schoolleider",),
    StaffKind.COORDINATOR: ("coördinator",),
}
DEFAULT_OPLEIDER_KIND = OpleiderKind.WERKPLEKBEGELEIDER

EMPTY_FILE = _(
    "The file is empty. Upload a CSV file whose first line names the columns, with one line "
    "for each person after it."
)


def _key(text: str) -> str:
    """A column name or value as compared: no case, accents, spaces or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    return "".join(char for char in decomposed if char.isalnum())


COLUMN_FOR_KEY = {_key(name): column for column, names in COLUMN_NAMES.items() for name in names}


def _names_of(choices: type[models.TextChoices], extra=None) -> dict[str, str]:
    """Every accepted spelling of each choice, keyed by `_key`, in every language we speak."""
    names = {}
    for value, label in choices.choices:
        names[_key(value)] = value
        for language, _language_name in settings.LANGUAGES:
            with translation.override(language):
                names[_key(str(label))] = value
        for name in (extra or {}).get(value, ()):
            names[_key(name)] = value
    return names


class _Names:
    """The accepted spellings of staff kinds, roles and kinds of opleider, made once per file."""

    def __init__(self):
        self.staff_kinds = _names_of(StaffKind, STAFF_KIND_NAMES)
        self.roles = _names_of(Role)
        self.opleider_kinds = _names_of(OpleiderKind)


def _labels(choices: type[models.TextChoices]) -> str:
    return ", ".join(str(label) for label in choices.labels)


# --- Reading the file -------------------------------------------------------------------------


@dataclass
class ImportRow:
    """One person in the file, as typed and as understood, with what is wrong with it."""

    line: int
    full_name: str
    email: str
    staff_kind_text: str
    role_text: str
    staff_kind: str = ""
    role: str = ""
    opleider_kind: str = ""
    errors: list[str] = field(default_factory=list)
    # Filled in by `people_import_check`, against the school as it is now.
    is_at_school: bool = False  # active at the school, with any staff kind
    member_id: int | None = None  # the user, if active at the school with this staff kind
    has_role: bool = False

    @property
    def is_member(self) -> bool:
        return self.member_id is not None

    @property
    def staff_kind_display(self) -> str:
        return StaffKind(self.staff_kind).label if self.staff_kind else self.staff_kind_text

    @property
    def role_display(self) -> str:
        if not self.role:
            return self.role_text
        if self.opleider_kind:
            return f"{Role(self.role).label} ({OpleiderKind(self.opleider_kind).label})"
        return Role(self.role).label


@dataclass
class PeopleCsv:
    rows: list[ImportRow]
    ignored_columns: list[str]


def people_csv_decode(data: bytes) -> str:
    """The uploaded bytes as text, or a ValidationError that says how to save the file."""
    if data.startswith(b"PK\x03\x04"):
        raise ValidationError(
            gettext(
                "This is an Excel workbook, not a CSV file. In Excel, choose “Save as” and the "
                "file type “CSV UTF-8”, and upload that file."
            ),
            code="workbook",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            gettext(
                "The file is not saved as UTF-8 text: line %(line)s has a character that cannot "
                "be read. In Excel, choose “Save as” and the file type “CSV UTF-8”, and upload "
                "the file again."
            ),
            code="encoding",
            params={"line": data.count(b"\n", 0, error.start) + 1},
        ) from None
    if "\x00" in text:
        # Not text at all; PostgreSQL could not even store it.
        raise ValidationError(
            gettext("The file contains characters that do not belong in a CSV file."),
            code="binary",
        )
    if not text.strip():
        raise ValidationError(str(EMPTY_FILE), code="empty")
    return text


def _delimiter(line: str) -> str:
    # Dutch Excel separates with semicolons, English Excel with commas; the header line has
    # no names with commas in it, so counting there is reliable.
    counts = {delimiter: line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def people_csv_read(text: str) -> PeopleCsv:
    """Every person in the file with their row errors; a ValidationError for the whole file.

    Uses no database: the preview adds what depends on the school.
    """
    stream = io.StringIO(text, newline="")
    first_line = stream.readline().strip()
    if first_line.lower().startswith("sep=") and len(first_line) == 5:
        delimiter, line_offset = first_line[4], 1  # Excel's own hint, not part of the table
    else:
        stream.seek(0)
        delimiter, line_offset = _delimiter(next((x for x in stream if x.strip()), "")), 0
        stream.seek(0)
    reader = csv.reader(stream, delimiter=delimiter, strict=True)
    names = _Names()

    def records():
        """(line number where the record starts, cells) for each line that is not blank."""
        start = 1
        try:
            for record in reader:
                if any(cell.strip() for cell in record):
                    yield start + line_offset, [cell.strip() for cell in record]
                start = reader.line_num + 1
        except csv.Error:
            raise ValidationError(
                gettext(
                    "Line %(line)s could not be read. Check it for a quotation mark that is not "
                    "closed."
                ),
                code="csv",
                params={"line": start + line_offset},
            ) from None

    lines = records()
    header = next(lines, None)
    if header is None:
        raise ValidationError(str(EMPTY_FILE), code="empty")
    columns, ignored = _columns(header[1])
    rows: list[ImportRow] = []
    first_line_of: dict[str, int] = {}
    for line, cells in lines:
        if len(rows) == MAX_PEOPLE:
            raise ValidationError(
                gettext(
                    "The file has more than %(max)s people. Split it into files of at most "
                    "%(max)s people and import them one by one."
                ),
                code="too_many",
                params={"max": MAX_PEOPLE},
            )
        rows.append(_row(line, cells, columns, len(header[1]), first_line_of, names))
    if not rows:
        raise ValidationError(
            gettext("The file names the columns but has no people in it."), code="no_rows"
        )
    return PeopleCsv(rows=rows, ignored_columns=ignored)


def _columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    columns: dict[str, int] = {}
    ignored = []
    for index, name in enumerate(header):
        column = COLUMN_FOR_KEY.get(_key(name))
        if column is None:
            if name:
                ignored.append(name)
        elif column in columns:
            raise ValidationError(
                gettext("The first line names the column “%(column)s” twice."),
                code="duplicate_column",
                params={"column": name},
            )
        else:
            columns[column] = index
    missing = [str(COLUMN_LABELS[column]) for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise ValidationError(
            gettext(
                "The first line of the file must name the columns. It has no column for: "
                "%(columns)s."
            ),
            code="missing_columns",
            params={"columns": ", ".join(missing)},
        )
    return columns, ignored


def _row(
    line: int,
    cells: list[str],
    columns: dict[str, int],
    width: int,
    first_line_of: dict[str, int],
    names: _Names,
) -> ImportRow:
    def cell(column: str) -> str:
        index = columns.get(column)
        return cells[index] if index is not None and index < len(cells) else ""

    row = ImportRow(
        line=line,
        full_name=cell("full_name"),
        email=cell("email").lower(),
        staff_kind_text=cell("staff_kind"),
        role_text=cell("role"),
    )
    errors = row.errors
    if any(cells[width:]):
        errors.append(
            gettext("This line has %(count)s values; the first line names %(columns)s columns.")
            % {"count": len(cells), "columns": width}
        )

    if not row.full_name:
        errors.append(gettext("The name is missing."))
    elif len(row.full_name) > NAME_MAX_LENGTH:
        errors.append(
            gettext("The name is longer than %(max)s characters.") % {"max": NAME_MAX_LENGTH}
        )
    elif any(unicodedata.category(char) == "Cc" for char in row.full_name):
        errors.append(gettext("The name contains a line break or another control character."))

    if not row.email:
        errors.append(gettext("The e-mail address is missing."))
    elif not _is_email(row.email):
        errors.append(gettext("“%(email)s” is not a valid e-mail address.") % {"email": row.email})
    elif row.email in first_line_of:
        errors.append(
            gettext("This e-mail address is also on line %(line)s.")
            % {"line": first_line_of[row.email]}
        )
    else:
        first_line_of[row.email] = line

    if not row.staff_kind_text:
        errors.append(
            gettext("The staff kind is missing. Use one of: %(choices)s.")
            % {"choices": _labels(StaffKind)}
        )
    elif (staff_kind := names.staff_kinds.get(_key(row.staff_kind_text))) is None:
        errors.append(
            gettext("“%(value)s” is not a staff kind. Use one of: %(choices)s.")
            % {"value": row.staff_kind_text, "choices": _labels(StaffKind)}
        )
    else:
        row.staff_kind = staff_kind

    _read_role(row, cell("opleider_kind"), names)
    return row


def _is_email(text: str) -> bool:
    if len(text) > EMAIL_MAX_LENGTH:
        return False
    try:
        validate_email(text)
    except ValidationError:
        return False
    return True


def _read_role(row: ImportRow, kind_text: str, names: _Names) -> None:
    roles, kinds = names.roles, names.opleider_kinds
    kind_in_role = ""
    if row.role_text:
        role_key = _key(row.role_text)
        if role_key in roles:
            row.role = roles[role_key]
        elif role_key in kinds:
            row.role, kind_in_role = Role.OPLEIDER, kinds[role_key]
        else:
            row.errors.append(
                gettext("“%(value)s” is not a role. Use one of: %(choices)s, or leave it empty.")
                % {"value": row.role_text, "choices": _labels(Role)}
            )
            return
    kind = ""
    if kind_text:
        kind = kinds.get(_key(kind_text), "")
        if not kind:
            row.errors.append(
                gettext("“%(value)s” is not a kind of opleider. Use one of: %(choices)s.")
                % {"value": kind_text, "choices": _labels(OpleiderKind)}
            )
            return
        if row.role != Role.OPLEIDER:
            row.errors.append(gettext("A kind of opleider only goes with the role opleider."))
            return
        if kind_in_role and kind != kind_in_role:
            row.errors.append(
                gettext("The role says %(role)s but the kind of opleider says %(kind)s.")
                % {"role": row.role_text, "kind": kind_text}
            )
            return
    if row.role == Role.OPLEIDER:
        row.opleider_kind = kind or kind_in_role or DEFAULT_OPLEIDER_KIND


# --- Checking against the school, and the import ---------------------------------------------


@dataclass
class PeopleImportCheck:
    """What the preview shows and the import relies on: every row, checked as of now."""

    people_import: PeopleImport
    school_year: SchoolYear | None
    rows: list[ImportRow]
    ignored_columns: list[str]
    file_error: str = ""

    @cached_property
    def error_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]

    @cached_property
    def good_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.errors]

    @property
    def shown_error_rows(self) -> list[ImportRow]:
        return self.error_rows[:PREVIEW_ERROR_ROWS]

    @property
    def shown_good_rows(self) -> list[ImportRow]:
        return self.good_rows[:PREVIEW_GOOD_ROWS]

    @property
    def new_count(self) -> int:
        return sum(not row.is_member for row in self.good_rows)

    @property
    def role_count(self) -> int:
        return sum(bool(row.role) and not row.has_role for row in self.good_rows)

    @property
    def can_import(self) -> bool:
        return (
            self.people_import.imported_at is None
            and not self.file_error
            and not self.error_rows
            and bool(self.rows)
        )


def people_import_check(*, people_import: PeopleImport) -> PeopleImportCheck:
    """Read the stored file again and check each row against the school as it is now.

    A fixed number of queries however long the file: the school's memberships and this
    year's roles are fetched once, and looked up in memory.
    """
    school_year = school_year_current()
    check = PeopleImportCheck(
        people_import=people_import, school_year=school_year, rows=[], ignored_columns=[]
    )
    if people_import.imported_at is not None:
        return check
    try:
        parsed = people_csv_read(people_import.content)
    except ValidationError as error:
        check.file_error = " ".join(error.messages)
        return check
    check.rows, check.ignored_columns = parsed.rows, parsed.ignored_columns
    school = people_import.school
    members = {
        (email.lower(), staff_kind): user_id
        for user_id, email, staff_kind in Membership.objects.filter(
            school=school, is_active=True
        ).values_list("user_id", "user__email", "staff_kind")
    }
    at_school = {email for email, _staff_kind in members}
    roles = set()
    if school_year is not None:
        roles = {
            (email.lower(), role)
            for email, role in RoleAssignment.objects.filter(
                school=school, school_year=school_year
            ).values_list("user__email", "role")
        }
    for row in check.rows:
        if row.errors:
            continue
        row.is_at_school = row.email in at_school
        row.member_id = members.get((row.email, row.staff_kind))
        if row.role and school_year is None:
            row.errors.append(
                gettext(
                    "No school year has been set up yet, so this role cannot be assigned. Set "
                    "up the school year first, or leave the role empty."
                )
            )
        elif row.role:
            row.has_role = (row.email, row.role) in roles
    return check


@transaction.atomic
def people_import_create(
    *, actor: User, school: School, filename: str, content: str
) -> PeopleImport:
    """Keep an uploaded file for its preview; a ValidationError if it cannot be read at all.

    The coordinator's earlier uploads for the school that were never imported are removed:
    they hold names and addresses nobody is going to use.
    """
    parsed = people_csv_read(content)
    PeopleImport.objects.filter(created_by=actor, school=school, imported_at__isnull=True).delete()
    return PeopleImport.objects.create(
        school=school,
        created_by=actor,
        filename=filename[: PeopleImport._meta.get_field("filename").max_length],
        content=content,
        row_count=len(parsed.rows),
    )


@dataclass(frozen=True)
class PeopleImportResult:
    people: int
    unchanged: int


def people_import_confirm(
    *, actor: User, people_import: PeopleImport, domain: str, use_https: bool
) -> PeopleImportResult:
    """Add everyone in the file to the school, with their roles; all of it or none of it.

    The rows are read and checked again from the stored text, never taken from the browser.
    The same rules as inviting one person and assigning one role apply (see
    `services.person_invite` and `services.role_assign`), but written in bulk: a file of
    10,000 people is a few dozen queries, not a few hundred thousand. New people get their
    invitation mail from background jobs once the transaction has committed.
    """
    with transaction.atomic():
        # Locked, so that a double click cannot import the file twice.
        people_import = (
            PeopleImport.objects.select_for_update()
            .select_related("school")
            .get(pk=people_import.pk)
        )
        if people_import.imported_at is not None:
            raise ValidationError(
                gettext("This file has already been imported."), code="already_imported"
            )
        check = people_import_check(people_import=people_import)
        if not check.can_import:
            raise ValidationError(
                gettext(
                    "The file has errors, so nothing has been imported. Correct the file and "
                    "upload it again."
                ),
                code="invalid",
            )
        try:
            with transaction.atomic():
                invitations = _people_import_write(
                    actor=actor, people_import=people_import, check=check
                )
        except IntegrityError as error:
            # Someone changed the school between the check above and the writes.
            raise ValidationError(
                gettext(
                    "The school changed while the file was being imported, so nothing has "
                    "been imported. Check the file again and confirm once more."
                ),
                code="conflict",
            ) from error
        people_import.imported_at = timezone.now()
        people_import.content = ""
        people_import.save(update_fields=["imported_at", "content"])
        audit_record(actor=actor, action="people.imported", obj=people_import)
        for start in range(0, len(invitations), INVITATIONS_PER_JOB):
            enqueue(
                send_invitation_emails,
                invitation_ids=invitations[start : start + INVITATIONS_PER_JOB],
                domain=domain,
                use_https=use_https,
            )
    unchanged = sum(row.is_member and (not row.role or row.has_role) for row in check.rows)
    return PeopleImportResult(people=len(check.rows), unchanged=unchanged)


# Small enough that one job stays far inside the Celery time limit; large enough that a big
# import is a few dozen jobs, not thousands.
INVITATIONS_PER_JOB = 200


def _people_import_write(
    *, actor: User, people_import: PeopleImport, check: PeopleImportCheck
) -> list[int]:
    """The writes of an import, in bulk; returns the ids of the invitations to mail."""
    school, school_year, now = people_import.school, check.school_year, timezone.now()
    rows = [row for row in check.rows if not row.is_member or (row.role and not row.has_role)]
    audit = []

    def record(action: str, obj) -> None:
        audit.append(
            AuditEntry(
                actor=actor,
                actor_email=actor.email,
                action=action,
                object_type=obj._meta.label_lower,
                object_id=str(obj.public_id),
                school=school,
            )
        )

    # People: the accounts that exist already, then the new ones (without a password).
    emails = [row.email for row in rows]
    users = {user.email: user for user in User.objects.filter(email__in=emails)}
    new_users = []
    for row in rows:
        if row.email not in users:
            user = User(
                email=row.email, full_name=row.full_name, preferred_language=settings.LANGUAGE_CODE
            )
            user.set_unusable_password()
            users[row.email] = user
            new_users.append(user)
    User.objects.bulk_create(new_users, batch_size=BATCH)
    for user in new_users:
        record("person.created", user)
    # Someone deactivated earlier who still has a password comes back, as with one invitation.
    User.objects.filter(pk__in=[user.pk for user in users.values()], is_active=False).exclude(
        password__startswith=UNUSABLE_PASSWORD_PREFIX
    ).update(is_active=True)

    # Memberships: switch on the ones that exist, create the rest.
    wanted = {(users[row.email].pk, row.staff_kind) for row in rows if not row.is_member}
    existing = {
        (membership.user_id, membership.staff_kind): membership
        for membership in Membership.objects.filter(
            school=school, user__in=[user_id for user_id, _kind in wanted]
        )
    }
    Membership.objects.filter(
        pk__in=[m.pk for key, m in existing.items() if key in wanted and not m.is_active]
    ).update(is_active=True)
    Membership.objects.bulk_create(
        [
            Membership(user_id=user_id, school=school, staff_kind=kind)
            for user_id, kind in wanted
            if (user_id, kind) not in existing
        ],
        batch_size=BATCH,
    )
    by_id = {user.pk: user for user in users.values()}
    for user_id, _kind in wanted:
        record("membership.activated", by_id[user_id])

    # Invitations for everyone without a password who has no open one at this school.
    waiting = {
        users[row.email].pk
        for row in rows
        if not row.is_member and not users[row.email].has_usable_password()
    }
    already_invited = set(
        Invitation.objects.filter(
            user__in=waiting, school=school, status=InvitationStatus.PENDING
        ).values_list("user_id", flat=True)
    )
    invitations = Invitation.objects.bulk_create(
        [
            Invitation(
                user_id=user_id,
                school=school,
                invited_by=actor,
                sent_at=now,
                expires_at=now + INVITATION_VALID_FOR,
            )
            for user_id in sorted(waiting - already_invited)
        ],
        batch_size=BATCH,
    )
    for invitation in invitations:
        record("invitation.created", invitation)

    # Roles for this school year; someone who has the role already keeps it as it is.
    roles = RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(
                user=users[row.email],
                school=school,
                school_year=school_year,
                role=row.role,
                opleider_kind=row.opleider_kind,
                active_from=max(school_year.starts_on, timezone.localdate()),
            )
            for row in rows
            if row.role and not row.has_role
        ],
        batch_size=BATCH,
    )
    for role in roles:
        record("role.assigned", role)
    AuditEntry.objects.bulk_create(audit, batch_size=BATCH)
    return [invitation.pk for invitation in invitations]


def people_import_result_message(result: PeopleImportResult) -> str:
    message = ngettext(
        "%(count)s person imported.", "%(count)s people imported.", result.people
    ) % {"count": result.people}
    if result.unchanged:
        message += " " + ngettext(
            "%(count)s of them was already at the school and has not been changed.",
            "%(count)s of them were already at the school and have not been changed.",
            result.unchanged,
        ) % {"count": result.unchanged}
    return message


# --- The upload form --------------------------------------------------------------------------


class PeopleImportForm(forms.Form):
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    file = forms.FileField(
        label=_("CSV file"),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": _("Choose the CSV file to import."), "empty": EMPTY_FILE},
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "Saved from Excel as “CSV UTF-8”; at most %(max)s people and %(size)s."
        ) % {"max": MAX_PEOPLE, "size": filesizeformat(MAX_FILE_BYTES)}
        schools = access.schools_coordinated_by(user)
        self.fields["school"].queryset = schools
        # With one school there is nothing to choose; the page names it instead.
        self.only_school = schools[0] if len(schools) == 1 else None
        if self.only_school is not None:
            self.fields["school"].initial = self.only_school
            self.fields["school"].disabled = True
            self.fields["school"].widget = forms.HiddenInput()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(
                gettext(
                    "The file is %(size)s; at most %(max)s can be imported at once. Split it "
                    "into smaller files."
                ),
                code="too_big",
                params={"size": filesizeformat(upload.size), "max": filesizeformat(MAX_FILE_BYTES)},
            )
        self.cleaned_data["content"] = people_csv_decode(upload.read())
        return upload
