"""Forms for planning and moving lesson visits."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observations.models import Item


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
