from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mentoring import access
from mentoring.jobs import enqueue
from roles import selectors
from roles.models import (
    Institute,
    LearningGroupFormat,
    OpleiderKind,
    Role,
    RoleAssignment,
    School,
    SchoolYear,
    StaffKind,
    TeacherStage,
    TrajectoryKind,
    User,
)
from roles.tasks import send_password_reset_email


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's reset form, but the mail goes out as a background job.

    Django answers the same whether or not the address is known; sending in the background
    also keeps the response time from telling the two apart.
    """

    def save(self, *, domain_override=None, use_https=False, request=None, **kwargs) -> None:
        domain = domain_override or request.get_host()
        for user in self.get_users(self.cleaned_data["email"]):
            enqueue(send_password_reset_email, user_id=user.pk, domain=domain, use_https=use_https)


# --- The coordinator's forms. Every choice of a person, school or role comes from the access
# policy, so an id from outside the user's scope is simply not a valid choice. ---------------


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SchoolYearForm(forms.Form):
    name = forms.RegexField(
        label=_("Name"),
        regex=r"^\d{4}-\d{4}$",
        max_length=9,
        help_text=_("For example 2027-2028."),
        error_messages={"invalid": _("Write the school year as 2027-2028.")},
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        first, second = (int(part) for part in name.split("-"))
        if second != first + 1:
            raise ValidationError(
                gettext("A school year spans two consecutive years, e.g. 2027-2028.")
            )
        return name


class PersonFilterForm(forms.Form):
    """The filters above the people list; every field is optional."""

    ACTIVE_CHOICES = [("active", _("Active")), ("inactive", _("Deactivated")), ("all", _("All"))]

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    school = forms.ModelChoiceField(
        label=_("School"), queryset=School.objects.none(), required=False
    )
    staff_kind = forms.ChoiceField(
        label=_("Staff kind"), choices=[("", _("All")), *StaffKind.choices], required=False
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("All")), *Role.choices], required=False
    )
    active = forms.ChoiceField(label=_("Status"), choices=ACTIVE_CHOICES, required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = access.schools_coordinated_by(user)


class PersonInviteForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    staff_kind = forms.ChoiceField(label=_("Works as"), choices=StaffKind.choices)
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=settings.LANGUAGES, initial="nl"
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        schools = access.schools_coordinated_by(user)
        self.fields["school"].queryset = schools
        if len(schools) == 1:
            self.fields["school"].initial = schools[0]


class RoleAssignForm(forms.Form):
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    school_year = forms.ModelChoiceField(label=_("School year"), queryset=SchoolYear.objects.all())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    opleider_kind = forms.ChoiceField(
        label=_("Kind of opleider"),
        choices=[("", "---------"), *OpleiderKind.choices],
        required=False,
        help_text=_("Only for the opleider role."),
    )
    institute = forms.ModelChoiceField(
        label=_("Teacher-training institute"),
        queryset=Institute.objects.all(),
        required=False,
        help_text=_("Only for an instituutsopleider."),
    )
    task_hours = forms.IntegerField(label=_("Task hours this year"), min_value=0, max_value=1659)
    task_description = forms.CharField(
        label=_("Task description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    active_from = forms.DateField(label=_("Active from"), required=False, widget=DateInput())
    active_until = forms.DateField(label=_("Active until"), required=False, widget=DateInput())

    def __init__(self, *args, user: User, person: User, **kwargs):
        super().__init__(*args, **kwargs)
        schools = (
            access.schools_coordinated_by(user)
            .filter(memberships__user=person, memberships__is_active=True)
            .distinct()
        )
        self.fields["school"].queryset = schools
        if len(schools) == 1:
            self.fields["school"].initial = schools[0]
        self.fields["school_year"].initial = selectors.school_year_current()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.OPLEIDER and not cleaned.get("opleider_kind"):
            self.add_error("opleider_kind", gettext("Choose the kind of opleider."))
        return cleaned


class BegeleiderRoleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: RoleAssignment) -> str:
        return gettext("%(person)s - %(role)s (%(school)s, %(year)s)") % {
            "person": obj.user,
            "role": obj.get_opleider_kind_display() or obj.get_role_display(),
            "school": obj.school,
            "year": obj.school_year,
        }


class TrajectoryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=TrajectoryKind.choices,
        help_text=_(
            "Opleiden: the opleider trains and may assess. Coaching: the coachee owns goals "
            "and content; nobody else reads them."
        ),
    )
    begeleider_role = BegeleiderRoleChoiceField(
        label=_("Begeleider"), queryset=RoleAssignment.objects.none()
    )
    teacher = forms.ModelChoiceField(label=_("(Student) teacher"), queryset=User.objects.none())
    stage = forms.ChoiceField(label=_("Stage of the teacher"), choices=TeacherStage.choices)
    study_year = forms.IntegerField(
        label=_("Study year"),
        min_value=1,
        max_value=4,
        required=False,
        help_text=_("Only for student teachers."),
    )
    starts_on = forms.DateField(
        label=_("Starts on"), widget=DateInput(), initial=timezone.localdate
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["begeleider_role"].queryset = selectors.begeleider_roles_for_trajectories(user)
        self.fields["teacher"].queryset = selectors.people_working_where_user_coordinates(user)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("stage") == TeacherStage.STUDENT_TEACHER and not cleaned.get("study_year"):
            self.add_error("study_year", gettext("Give the student teacher's study year."))
        return cleaned


class TrajectoryEndForm(forms.Form):
    ends_on = forms.DateField(label=_("End date"), widget=DateInput(), initial=timezone.localdate)


class TrajectoryFocusForm(forms.Form):
    focus = forms.CharField(
        label=_("Question for support"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What do you want to work on? Only the two of you can read this."),
    )
    # The version the form was opened with (mentoring/versioning.py).
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class LearningGroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    school_year = forms.ModelChoiceField(label=_("School year"), queryset=SchoolYear.objects.all())
    format = forms.ChoiceField(label=_("Format"), choices=LearningGroupFormat.choices)
    theme = forms.CharField(label=_("Theme or question"), max_length=300, required=False)
    facilitators = forms.ModelMultipleChoiceField(
        label=_("Procesbegeleiders"), queryset=User.objects.none()
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Members"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Hold Ctrl (or Cmd) to choose several people."),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        schools = access.schools_coordinated_by(user)
        self.fields["school"].queryset = schools
        if len(schools) == 1:
            self.fields["school"].initial = schools[0]
        self.fields["school_year"].initial = selectors.school_year_current()
        self.fields["facilitators"].queryset = selectors.procesbegeleiders_for_groups(user)
        self.fields["members"].queryset = selectors.people_working_where_user_coordinates(user)


class DeactivateForm(forms.Form):
    school = forms.ModelChoiceField(
        label=_("Deactivate at"), queryset=School.objects.none(), empty_label=None
    )

    def __init__(self, *args, user: User, person: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = (
            access.schools_coordinated_by(user)
            .filter(memberships__user=person, memberships__is_active=True)
            .distinct()
        )
