"""Forms of the meetings pages; choice lists limited to what the user may see."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ccops.core.forms import DateInput, ScopedFormMixin
from ccops.meetings.models import ActionItem, EmergencyMeetingRequest, ExperienceExchange, Meeting


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class MeetingForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["site", "kind", "title", "starts_at", "location", "chair", "attendees", "agenda"]
        widgets = {"starts_at": DateTimeInput()}


class MeetingEditForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "title",
            "starts_at",
            "location",
            "attendees",
            "agenda",
            "minutes",
            "decisions",
        ]
        widgets = {"starts_at": DateTimeInput()}


class ActionItemForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["meeting", "title", "description", "owner", "due_date"]
        widgets = {"due_date": DateInput()}


class ActionItemEditForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["title", "description", "owner", "due_date"]
        widgets = {"due_date": DateInput()}


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 2}))
    done = forms.BooleanField(label=_("Done: ask for confirmation"), required=False)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("done", _("confirm done")), ("cancelled", _("cancel"))]
    )


class EmergencyMeetingRequestForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = EmergencyMeetingRequest
        fields = ["site", "reason", "proposed_at"]
        widgets = {"proposed_at": DateTimeInput()}


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("true", _("approve")), ("false", _("reject"))],
        coerce=lambda v: v == "true",
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ExperienceExchangeForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = ExperienceExchange
        fields = ["site", "held_on", "topic", "summary", "participants"]
        widgets = {"held_on": DateInput()}


class LessonForm(forms.Form):
    text = forms.CharField(label=_("Lesson"), widget=forms.Textarea(attrs={"rows": 2}))
    for_service_manual = forms.BooleanField(label=_("For the service manual"), required=False)
