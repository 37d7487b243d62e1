"""Forms of the quality pages; choice lists limited to what the user may see."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ccops.core.forms import DateInput, ScopedFormMixin
from ccops.quality.models import (
    CalibrationSession,
    CoachingSession,
    Complaint,
    DisciplineRecord,
    EvaluationForm,
    FormQuestion,
    FormSection,
    KPIRule,
    QAPlan,
    QualitySettings,
    SkillsTest,
)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m")


class MonthField(forms.DateField):
    """A month (``2026-11``) as the first day of the month."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


class EvaluationFormForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = EvaluationForm
        fields = ["name", "site", "queue", "skill", "description"]


class SectionForm(forms.ModelForm):
    class Meta:
        model = FormSection
        fields = ["title", "weight", "order"]


class QuestionForm(forms.ModelForm):
    class Meta:
        model = FormQuestion
        fields = [
            "text", "guidance", "kind", "points", "scale_min", "scale_max", "allow_na",
            "critical", "fatal", "bonus", "order",
        ]  # fmt: skip
        widgets = {"guidance": forms.Textarea(attrs={"rows": 2})}


class QualitySettingsForm(forms.ModelForm):
    class Meta:
        model = QualitySettings
        fields = [
            "weight_service", "weight_work", "weight_skills", "weight_discipline",
            "dispute_window_days", "review_window_days", "complaint_points", "points_lateness",
            "points_early_leave", "points_absence", "points_missing_handover", "min_evaluations",
        ]  # fmt: skip


class QAPlanForm(ScopedFormMixin, forms.ModelForm):
    month = MonthField(label=_("Month"))

    class Meta:
        model = QAPlan
        fields = [
            "site", "month", "name", "quota_per_agent", "queues", "teams", "min_handle_seconds",
            "transfers", "complaints_only", "seed", "due_days", "inspectors",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seed"].required = False
        self.fields["inspectors"].queryset = self.fields["inspectors"].queryset.filter(
            user__groups__name="qa_inspector"
        )


class EvaluationAddForm(forms.Form):
    """An evaluation outside the plan: pick the call (by its record) and the form."""

    form_version = forms.ModelChoiceField(label=_("Form"), queryset=None)
    recording_url = forms.URLField(
        label=_("Recording"), required=False, max_length=500, assume_scheme="https"
    )

    def __init__(self, *args, versions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form_version"].queryset = versions


class CoachingForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = CoachingSession
        fields = ["agent", "topic", "planned_for", "evaluation"]
        widgets = {"planned_for": DateInput()}


class CoachingHoldForm(forms.Form):
    notes = forms.CharField(label=_("What was agreed"), widget=forms.Textarea(attrs={"rows": 3}))
    follow_up_due = forms.DateField(label=_("Follow-up due"), widget=DateInput())


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class CalibrationForm(ScopedFormMixin, forms.ModelForm):
    recording_url = forms.URLField(
        label=_("Recording"), required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = CalibrationSession
        fields = [
            "site", "title", "form_version", "call_reference", "recording_url", "method",
            "expert", "participants", "due_date",
        ]  # fmt: skip
        widgets = {"due_date": DateInput()}


class ComplaintForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = Complaint
        fields = [
            "site", "received_on", "channel", "category", "customer", "call_reference", "agent",
            "queue", "description",
        ]  # fmt: skip
        widgets = {"received_on": DateInput()}


class ComplaintCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Complaint._meta.get_field("outcome").choices
    )
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}))
    points = forms.FloatField(
        label=_("Points deducted"), required=False, min_value=0, max_value=100,
        help_text=_("Leave empty for the site's rule."),
    )  # fmt: skip


class SummaryForm(forms.Form):
    month = MonthField(label=_("Month"))
    meeting = forms.ModelChoiceField(
        label=_("Monthly operations meeting"), queryset=None, required=False
    )

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File (CSV)"))


class SatisfactionUploadForm(UploadForm):
    scale_max = forms.IntegerField(label=_("Best score"), initial=5, min_value=1, max_value=100)


class MonthSiteForm(forms.Form):
    month = MonthField(label=_("Month"))


class SkillsTestForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = SkillsTest
        fields = [
            "site", "title", "year", "quarter", "time_limit_minutes", "opens_at", "closes_at",
            "pass_percent", "teams",
        ]  # fmt: skip
        widgets = {"opens_at": DateTimeInput(), "closes_at": DateTimeInput()}


class NumberListField(forms.CharField):
    """``300, 360, 420`` as a list of numbers."""

    def to_python(self, value):
        text = super().to_python(value) or ""
        try:
            return [float(v) for v in text.replace("，", ",").split(",") if v.strip()]
        except ValueError:
            raise forms.ValidationError(_("Write numbers separated by commas.")) from None

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(f"{v:g}" for v in value)
        return value


class KPIRuleForm(ScopedFormMixin, forms.ModelForm):
    thresholds = NumberListField(
        label=_("Thresholds"), help_text=_("Ascending, e.g. 300, 360, 420.")
    )
    points = NumberListField(label=_("Points"), help_text=_("One per threshold, e.g. 10, 7, 4."))

    class Meta:
        model = KPIRule
        fields = ["site", "kpi", "better", "thresholds", "points", "order"]


class DisciplineForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = DisciplineRecord
        fields = ["site", "employee", "occurred_on", "kind", "description", "points"]
        widgets = {"occurred_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["points"].required = False
        self.fields["points"].help_text = _("Leave empty for the site's rule (attendance kinds).")


class AmendForm(forms.Form):
    service_points = forms.FloatField(label=_("Service quality"), min_value=0)
    work_points = forms.FloatField(label=_("Work quality"), min_value=0)
    skills_points = forms.FloatField(label=_("Business skills"), min_value=0)
    discipline_points = forms.FloatField(label=_("Labour discipline"), min_value=0)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
