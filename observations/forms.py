"""The coordinator's form for loading an instrument, or indicators for one, from a file."""

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mentoring import access
from observations.instruments import MAX_FILE_BYTES, ImportKind
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
