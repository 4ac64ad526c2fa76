"""People, schools and roles: the backbone every access rule is scoped by."""

import uuid

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("A user needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str) -> "User":
        # E-mail addresses are stored lower-cased; log-in is case-insensitive.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with their e-mail address."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("administrator"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]
        constraints = [
            # Stored lower-cased, but also refused case-insensitively at the database.
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class SchoolBoard(models.Model):
    """A schoolbestuur: the legal body (and data controller) above one or more schools."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("school board")
        verbose_name_plural = _("school boards")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


brin_validator = RegexValidator(
    r"^[0-9]{2}[A-Z]{2}$",
    _("A BRIN code is two digits followed by two capital letters, e.g. 12AB."),
)


class School(models.Model):
    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    board = models.ForeignKey(
        SchoolBoard, on_delete=models.PROTECT, related_name="schools", verbose_name=_("board")
    )
    name = models.CharField(_("name"), max_length=200)
    brin_code = models.CharField(
        _("BRIN code"), max_length=4, unique=True, validators=[brin_validator]
    )
    is_training_school = models.BooleanField(
        _("opleidingsschool"),
        default=False,
        help_text=_(
            "The school trains student teachers together with a teacher-training institute."
        ),
    )

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SchoolYear(models.Model):
    """A school year such as 2026-2027; roles and trajectories belong to one."""

    name = models.CharField(_("name"), max_length=9, unique=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("school year")
        verbose_name_plural = _("school years")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="school_year_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StaffKind(models.TextChoices):
    TEACHER = "teacher", _("teacher")
    STUDENT_TEACHER = "student_teacher", _("student teacher")
    SCHOOL_LEADER = "school_leader", _("school leader")
    COORDINATOR = "coordinator", _("coordinator")


class Membership(models.Model):
    """That a person works (or trains) at a school, and as what. The unit of school scoping."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("school")
    )
    staff_kind = models.CharField(_("staff kind"), max_length=20, choices=StaffKind.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["school__name", "staff_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "school", "staff_kind"], name="membership_unique_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.school} ({self.get_staff_kind_display()})"


class Institute(models.Model):
    """A partner lerarenopleiding (teacher-training institute); instituutsopleiders work there."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("teacher-training institute")
        verbose_name_plural = _("teacher-training institutes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OPLEIDER = "opleider", _("opleider")
    COACH = "coach", _("coach")
    PROCESBEGELEIDER = "procesbegeleider", _("procesbegeleider")


class OpleiderKind(models.TextChoices):
    WERKPLEKBEGELEIDER = "werkplekbegeleider", _("werkplekbegeleider")
    STAGEBEGELEIDER = "stagebegeleider", _("stagebegeleider")
    SCHOOLOPLEIDER = "schoolopleider", _("schoolopleider")
    INSTITUUTSOPLEIDER = "instituutsopleider", _("instituutsopleider")


class RoleAssignment(models.Model):
    """A begeleider role at one school for one school year, with its task hours."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("person")
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="role_assignments", verbose_name=_("school")
    )
    school_year = models.ForeignKey(
        SchoolYear,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        verbose_name=_("school year"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    opleider_kind = models.CharField(
        _("kind of opleider"), max_length=20, choices=OpleiderKind.choices, blank=True
    )
    institute = models.ForeignKey(
        Institute,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("teacher-training institute"),
    )
    task_hours = models.PositiveIntegerField(_("task hours per year"), default=0)
    task_description = models.TextField(_("task description"), blank=True)
    active_from = models.DateField(_("active from"))
    active_until = models.DateField(_("active until"), null=True, blank=True)

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["school_year", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "school", "school_year", "role"], name="role_assignment_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(role="opleider") | models.Q(opleider_kind=""),
                name="role_assignment_kind_only_for_opleider",
            ),
            # A full-time Dutch teaching post is 1,659 hours a year; more is a typing error.
            models.CheckConstraint(
                condition=models.Q(task_hours__lte=1659),
                name="role_assignment_hours_at_most_a_year",
            ),
            models.CheckConstraint(
                condition=models.Q(institute__isnull=True)
                | models.Q(opleider_kind="instituutsopleider"),
                name="role_assignment_institute_only_for_instituutsopleider",
            ),
            models.CheckConstraint(
                condition=models.Q(active_until__isnull=True)
                | models.Q(active_until__gte=models.F("active_from")),
                name="role_assignment_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} ({self.school}, {self.school_year})"


class TrajectoryKind(models.TextChoices):
    OPLEIDEN = "opleiden", _("opleiden")
    COACHING = "coaching", _("coaching")


class TeacherStage(models.TextChoices):
    STUDENT_TEACHER = "student_teacher", _("student teacher")
    STARTER_1 = "starter_1", _("starting teacher, year 1")
    STARTER_2 = "starter_2", _("starting teacher, year 2")
    STARTER_3 = "starter_3", _("starting teacher, year 3")
    EXPERIENCED = "experienced", _("experienced teacher")
    SENIOR = "senior", _("senior teacher")
    RETURNING = "returning", _("returning after illness")


class TrajectoryStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    ENDED = "ended", _("ended")


# Which begeleider role may run which kind of trajectory.
ROLE_FOR_KIND = {TrajectoryKind.OPLEIDEN: Role.OPLEIDER, TrajectoryKind.COACHING: Role.COACH}


class Trajectory(models.Model):
    """A begeleidingstraject: one begeleider (through their role) and one (student) teacher.

    The kind decides ownership: in coaching the teacher owns goals and content, and only the
    two of them see it; in opleiden the opleider may assess.
    """

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    begeleider_role = models.ForeignKey(
        RoleAssignment,
        on_delete=models.PROTECT,
        related_name="trajectories",
        verbose_name=_("begeleider"),
    )
    # Copied from the role assignment so that every scoping query is a plain filter.
    begeleider = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="trajectories_as_begeleider",
        editable=False,
        verbose_name=_("begeleider"),
    )
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        related_name="trajectories",
        editable=False,
        verbose_name=_("school"),
    )
    school_year = models.ForeignKey(
        SchoolYear,
        on_delete=models.PROTECT,
        related_name="trajectories",
        editable=False,
        verbose_name=_("school year"),
    )
    teacher = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="trajectories_as_teacher",
        verbose_name=_("(student) teacher"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=TrajectoryKind.choices)
    stage = models.CharField(_("stage"), max_length=20, choices=TeacherStage.choices)
    study_year = models.PositiveSmallIntegerField(
        _("study year"),
        null=True,
        blank=True,
        help_text=_("Only for student teachers: the year of their teacher training (1-4)."),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=TrajectoryStatus.choices,
        default=TrajectoryStatus.ACTIVE,
    )
    # Content, not metadata: in coaching it belongs to the coachee and is never shown to
    # coordinators, school leaders or administrators.
    focus = models.TextField(_("question for support"), max_length=4000, blank=True)
    # Counts saves of the content, so that a save from a stale page is refused
    # (mentoring/versioning.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(stage="student_teacher", study_year__gte=1, study_year__lte=4)
                    | (~models.Q(stage="student_teacher") & models.Q(study_year__isnull=True))
                ),
                name="trajectory_study_year_for_student_teachers",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="trajectory_period_in_order",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="ended") | models.Q(ends_on__isnull=False),
                name="trajectory_ended_has_end_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(begeleider=models.F("teacher")),
                name="trajectory_begeleider_is_not_teacher",
            ),
            models.UniqueConstraint(
                fields=["begeleider", "teacher", "kind"],
                condition=models.Q(status="active"),
                name="trajectory_one_open_per_pair_and_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.teacher} - {self.begeleider}"

    @property
    def is_coaching(self) -> bool:
        return self.kind == TrajectoryKind.COACHING


class LearningGroupFormat(models.TextChoices):
    INTERVISIE = "intervisie", _("intervisie")
    LESSON_STUDY = "lesson_study", _("lesson study")
    ONTWERPATELIER = "ontwerpatelier", _("ontwerpatelier")
    VIDEOCLUB = "videoclub", _("videoclub")


class LearningGroup(models.Model):
    """A group of colleagues learning together, facilitated by one or more procesbegeleiders."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="learning_groups", verbose_name=_("school")
    )
    school_year = models.ForeignKey(
        SchoolYear,
        on_delete=models.PROTECT,
        related_name="learning_groups",
        verbose_name=_("school year"),
    )
    name = models.CharField(_("name"), max_length=150)
    format = models.CharField(_("format"), max_length=20, choices=LearningGroupFormat.choices)
    theme = models.CharField(_("theme or question"), max_length=300, blank=True)
    facilitators = models.ManyToManyField(
        User, related_name="learning_groups_facilitated", verbose_name=_("procesbegeleiders")
    )
    members = models.ManyToManyField(
        User,
        through="LearningGroupMember",
        related_name="learning_groups",
        verbose_name=_("members"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("learning group")
        verbose_name_plural = _("learning groups")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "name"], name="learning_group_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LearningGroupMember(models.Model):
    """A member of a learning group; leaving keeps the row, so attendance history stays."""

    group = models.ForeignKey(
        LearningGroup,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("learning group"),
    )
    user = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="learning_group_memberships",
        verbose_name=_("person"),
    )
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("learning-group member")
        verbose_name_plural = _("learning-group members")
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="learning_group_member_unique"),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="learning_group_member_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.group}"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    ACCEPTED = "accepted", _("accepted")
    REVOKED = "revoked", _("revoked")


class Invitation(models.Model):
    """An e-mailed, single-use link with which an invited person sets their password.

    Only a hash of the token is stored, so a database leak does not hand out accounts.
    """

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("person")
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="invitations", verbose_name=_("school")
    )
    invited_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="invitations_sent",
        verbose_name=_("invited by"),
    )
    # NULL until the first mail goes out (the worker makes the token at sending time); NULL,
    # unlike "", is not counted by the unique constraint.
    token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)  # noqa: DJ001
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InvitationStatus.choices,
        default=InvitationStatus.PENDING,
    )
    sent_at = models.DateTimeField(_("sent at"))
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-sent_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("sent_at")),
                name="invitation_expires_after_sending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.email} ({self.get_status_display()})"

    @property
    def is_usable(self) -> bool:
        return self.status == InvitationStatus.PENDING and self.expires_at > timezone.now()


class PeopleImport(models.Model):
    """An uploaded CSV of people, kept between the preview and the coordinator's confirmation.

    The text is cleared once it has been imported; the row stays as a record of who did it.
    """

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="people_imports", verbose_name=_("school")
    )
    created_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="people_imports",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.TextField(blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("people import")
        verbose_name_plural = _("people imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename
