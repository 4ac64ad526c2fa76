"""Forms of the observations app: planning and moving visits, and loading instruments."""

import datetime

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mentoring import access
from observations.instruments import MAX_FILE_BYTES, ImportKind
from observations.models import Item
from roles.models import School, User

# A checked indicators file travels back with the confirmation, signed, so the coordinator
# confirms exactly the file they saw without choosing it again, and nothing is kept on the
# server in between. The load checks it all again.
CONFIRMATION_SALT = "observations.instrument_import.indicators"
CONFIRMATION_MAX_AGE = 60 * 60


class InstrumentImportForm(forms.Form):
    """Two steps for indicators: the upload, then the confirmation that the items match.

    The second step posts `upload` (the signed file) and `items_match` instead of a file.
    """

    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=ImportKind.choices,
        initial=ImportKind.INSTRUMENT,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".yaml,.yml,.csv"}),
    )
    upload = forms.CharField(required=False, widget=forms.HiddenInput)
    items_match = forms.BooleanField(
        label=_("I have checked that the items match"),
        help_text=_(
            "Each item number in the file stands for the instrument's item shown next to it."
        ),
        required=False,
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["file"].help_text = gettext(
            "A YAML file (.yaml or .yml) or a CSV file (.csv), saved as UTF-8; at most %(size)s."
        ) % {"size": filesizeformat(MAX_FILE_BYTES)}
        schools = access.schools_coordinated_by(user)
        self.fields["school"].queryset = schools
        # With one school there is nothing to choose; the page names it instead.
        self.only_school = schools[0] if len(schools) == 1 else None
        if self.only_school is not None:
            self.fields["school"].initial = self.only_school
            self.fields["school"].disabled = True
            self.fields["school"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        school = cleaned.get("school")
        if cleaned.get("upload"):
            payload = self._confirmed_upload(cleaned["upload"])
            if payload is not None and (school is None or payload["school"] != school.pk):
                raise ValidationError(
                    gettext("The school has changed since the check. Load the file again."),
                    code="changed",
                )
            if payload is not None:
                cleaned["kind"] = ImportKind.INDICATORS
                cleaned["filename"] = payload["filename"]
                cleaned["data"] = payload["content"].encode()
                cleaned["confirming"] = True
            return cleaned
        upload = cleaned.get("file")
        if upload is None:
            self.add_error("file", gettext("Choose the file to load."))
            return cleaned
        # One byte more than allowed is enough to say the file is too big.
        cleaned["filename"] = upload.name
        cleaned["data"] = upload.read(MAX_FILE_BYTES + 1)
        # Ticked before the instrument's items were shown, the box confirms nothing.
        cleaned["confirming"] = False
        return cleaned

    def _confirmed_upload(self, token: str) -> dict | None:
        try:
            payload = signing.loads(token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE)
        except signing.SignatureExpired:
            self.add_error(
                None, gettext("The check is more than an hour old. Load the file again.")
            )
            return None
        except signing.BadSignature:
            self.add_error(None, gettext("The check could not be read. Load the file again."))
            return None
        if payload.get("user") != self.user.pk:
            self.add_error(None, gettext("The check could not be read. Load the file again."))
            return None
        return payload

    def confirmation_token(self, *, filename: str, data: bytes) -> str:
        """The checked indicators file, signed for this user and school, for the next step."""
        return signing.dumps(
            {
                "user": self.user.pk,
                "school": self.cleaned_data["school"].pk,
                "filename": filename,
                "content": data.decode("utf-8-sig"),
            },
            salt=CONFIRMATION_SALT,
            compress=True,
        )


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class FocusItemField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Item) -> str:
        return f"{obj.number}. {obj.text}"


class VisitForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date and time"), widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=5, max_value=480, initial=50
    )
    class_name = forms.CharField(label=_("Class"), max_length=40, required=False)
    subject = forms.CharField(label=_("Subject"), max_length=100, required=False)
    lesson_goal = forms.CharField(
        label=_("Lesson goal"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    focus_items = FocusItemField(
        label=_("Focus items"),
        queryset=Item.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the observer pays extra attention to. Optional."),
    )

    def __init__(self, *args, items, suggested_focus=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_items"].queryset = items
        # A new visit starts from the trajectory's current suggested focus (the zone of
        # proximal development of the latest final observation); the observer may change it.
        if suggested_focus:
            self.fields["focus_items"].initial = [item.pk for item in suggested_focus]
            self.fields["focus_items"].help_text = _(
                "What the observer pays extra attention to. Optional. Ticked: the suggested "
                "focus from the latest final observation."
            )

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        if starts_at < timezone.now() - datetime.timedelta(days=365):
            raise forms.ValidationError(_("That is more than a year ago."))
        return starts_at


class RescheduleForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("New date and time"), widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
