"""Forms of the shift-operations pages; choice lists limited to what the user may see."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ccops.core.forms import ScopedFormMixin
from ccops.people.models import Employee
from ccops.shiftops.choices import CheckStatus, HandoverSide
from ccops.shiftops.models import (
    AttendanceRecord,
    Briefing,
    ChecklistItemTemplate,
    DutyDiaryEntry,
    Handover,
    HandoverQuestion,
    HandoverTime,
)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class HandoverForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = Handover
        fields = ["site", "handover_at", "outgoing_lead", "incoming_lead", "notes"]
        widgets = {"handover_at": DateTimeInput()}


class HandoverEditForm(ScopedFormMixin, forms.ModelForm):
    """Editing a handover: once it has started only the notes; before, the time and the
    leads too, with the current leads offered even where the editor may not otherwise see
    them (the outgoing lead need not pick the incoming one again)."""

    class Meta:
        model = Handover
        fields = ["handover_at", "outgoing_lead", "incoming_lead", "notes"]
        widgets = {"handover_at": DateTimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        handover = self.instance
        if handover.pk and handover.is_started:
            for name in ("handover_at", "outgoing_lead", "incoming_lead"):
                self.fields.pop(name)
            return
        for name in ("outgoing_lead", "incoming_lead"):
            current = getattr(handover, f"{name}_id", None)
            if current:
                field = self.fields[name]
                field.queryset = (field.queryset | Employee.objects.filter(pk=current)).distinct()


class HandoverAmendForm(forms.Form):
    notes = forms.CharField(label=_("Corrected notes"), widget=forms.Textarea, required=False)


class HandoverCheckForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CheckStatus.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class HandoverAskForm(forms.Form):
    question = forms.ModelChoiceField(
        label=_("Question"), queryset=HandoverQuestion.objects.filter(for_handovers=True)
    )
    asked_to = forms.ModelChoiceField(label=_("Asked to"), queryset=Employee.objects.all())


class HandoverAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 2}))
    # Marked by the outgoing duty lead only; others record the answer text.
    correct = forms.TypedChoiceField(
        label=_("Correct"),
        choices=[("", _("not marked yet")), ("true", _("correct")), ("false", _("incorrect"))],
        coerce=lambda v: v == "true",
        empty_value=None,
        required=False,
    )


class HandoverSignForm(forms.Form):
    side = forms.ChoiceField(label=_("Side"), choices=HandoverSide.choices)


class DutyDiaryEntryForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = DutyDiaryEntry
        fields = ["site", "time", "category", "text"]
        widgets = {"time": DateTimeInput()}


class DutyDiaryEntryEditForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = DutyDiaryEntry
        fields = ["time", "category", "text"]
        widgets = {"time": DateTimeInput()}


class BriefingForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = Briefing
        fields = [
            "site",
            "team",
            "kind",
            "held_at",
            "led_by",
            "attendees",
            "topics",
            "problems_raised",
            "questions_asked",
        ]
        widgets = {"held_at": DateTimeInput()}


class HandoverTimeForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = HandoverTime
        fields = ["site", "time", "name", "grace_minutes"]
        widgets = {"time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}


class ChecklistItemTemplateForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = ChecklistItemTemplate
        fields = ["site", "category", "text", "order"]


def options_to_text(options) -> str:
    """The options of a choice question as the form's text: one a line, ``*`` marks the
    correct ones."""
    return "\n".join(("* " if o.get("correct") else "") + o["text"] for o in options or [])


def options_from_text(text: str) -> list[dict]:
    options = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        correct = line.startswith("*")
        options.append({"text": line.lstrip("*").strip()[:300], "correct": correct})
    return options


class HandoverQuestionForm(forms.ModelForm):
    """A question of the bank. Choice options are typed one a line; a ``*`` in front marks
    the correct ones."""

    options_text = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Choice questions: one option a line; start the correct ones with *."),
    )

    class Meta:
        model = HandoverQuestion
        fields = [
            "topic",
            "text",
            "kind",
            "options_text",
            "answer_true",
            "expected_answer",
            "points",
            "for_handovers",
            "for_tests",
        ]
        widgets = {
            "answer_true": forms.NullBooleanSelect(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.pk:
            self.fields["options_text"].initial = options_to_text(self.instance.options)

    def clean(self):
        data = super().clean()
        data["options"] = options_from_text(data.pop("options_text", ""))
        self.instance.options = data["options"]
        return data


class AttendanceCorrectForm(forms.ModelForm):
    class Meta:
        model = AttendanceRecord
        fields = ["clock_in", "clock_out", "note"]
        widgets = {"clock_in": DateTimeInput(), "clock_out": DateTimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = True
