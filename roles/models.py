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

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
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

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
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
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
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
    created_at = models.DateTimeField(auto_now_add=True)

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
    task_hours = models.PositiveIntegerField(_("task hours per year"), default=0)
    task_description = models.TextField(_("task description"), blank=True)
    active_from = models.DateField(_("active from"))
    active_until = models.DateField(_("active until"), null=True, blank=True)

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
            models.CheckConstraint(
                condition=models.Q(active_until__isnull=True)
                | models.Q(active_until__gte=models.F("active_from")),
                name="role_assignment_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} ({self.school}, {self.school_year})"
