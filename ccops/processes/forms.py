"""Forms of the process register and the improvement projects."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ccops.core.forms import DateInput, ScopedFormMixin
from ccops.core.models import Queue
from ccops.meetings.choices import OPEN_STATUSES
from ccops.meetings.models import ActionItem, Meeting
from ccops.people.models import Employee
from ccops.processes.choices import EvidenceKind, StandardKind, Step
from ccops.processes.models import ImprovementProject, Process, ProcessVersion


def _people(user):
    return Employee.objects.restrict(user, "view").filter(status="active").order_by("full_name")


class ProcessForm(ScopedFormMixin, forms.ModelForm):
    description = forms.CharField(
        label=_("The process"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Its steps, roles and rules: the first version, reviewed before it takes effect."
        ),
    )
    effective_from = forms.DateField(label=_("Takes effect on"), widget=DateInput())

    class Meta:
        model = Process
        fields = ["code", "name", "category", "owner", "purpose"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if user is not None:
            self.fields["owner"].queryset = _people(user)


class ProcessEditForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = Process
        fields = ["code", "name", "category", "owner", "purpose"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if user is not None:
            self.fields["owner"].queryset = _people(user)


class VersionForm(forms.ModelForm):
    class Meta:
        model = ProcessVersion
        fields = ["description", "change_summary", "effective_from"]
        widgets = {"effective_from": DateInput()}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class ReviewForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("true", _("approve")), ("false", _("reject"))],
        coerce=lambda v: v == "true",
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ProjectStartForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = ImprovementProject
        fields = ["process", "title", "lead", "members", "problem", "goal"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if user is not None:
            self.fields["lead"].queryset = _people(user)
            self.fields["members"].queryset = _people(user)


#: The fields filled in at each step (the current step's form).
STEP_FORM_FIELDS = {
    Step.CHOOSE: [
        "title",
        "problem",
        "goal",
        "metric",
        "metric_unit",
        "higher_is_better",
        "queue",
        "stat_metric",
        "baseline_from",
        "baseline_to",
        "baseline_value",
        "baseline_source",
        "target_value",
    ],
    Step.ANALYSE: ["cause_analysis"],
    Step.PLAN: [],
    Step.IMPLEMENT: ["implementation_notes", "implemented_on"],
    Step.EVALUATE: ["result_from", "result_to", "result_value", "result_source", "evaluation"],
    Step.STANDARDISE: ["standardisation_note"],
}


def step_form_class(step: int):
    class StepForm(ScopedFormMixin, forms.ModelForm):
        class Meta:
            model = ImprovementProject
            fields = STEP_FORM_FIELDS[step] or ["title"]
            widgets = {
                name: DateInput()
                for name in (
                    "baseline_from",
                    "baseline_to",
                    "implemented_on",
                    "result_from",
                    "result_to",
                )
            }

    return StepForm


class EvidenceRecordForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[c for c in EvidenceKind.choices if c[0] != "interval_statistics"]
    )
    content_type = forms.ChoiceField(label=_("Record type"))
    object_id = forms.CharField(label=_("Record"), max_length=20)
    note = forms.CharField(label=_("What it shows"), max_length=500)

    def __init__(self, *args, types=(), **kwargs):
        from ccops.core.links import type_label

        super().__init__(*args, **kwargs)
        self.fields["content_type"].choices = [("", "—")] + [
            (ct.pk, type_label(ct)) for ct in types
        ]


class EvidenceStatsForm(forms.Form):
    queue = forms.ModelChoiceField(label=_("Queue"), queryset=Queue.objects.none())
    period_from = forms.DateField(label=_("From"), widget=DateInput())
    period_to = forms.DateField(label=_("Until"), widget=DateInput())
    note = forms.CharField(label=_("What it shows"), max_length=500)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["queue"].queryset = Queue.objects.restrict(user, "view")


class CountermeasureForm(forms.Form):
    cause = forms.CharField(label=_("Cause addressed"), max_length=300)
    action_item = forms.ModelChoiceField(
        label=_("An open action item"), queryset=ActionItem.objects.none(), required=False
    )
    meeting = forms.ModelChoiceField(
        label=_("or a new action item of the meeting"),
        queryset=Meeting.objects.none(),
        required=False,
    )
    title = forms.CharField(label=_("Action"), max_length=200, required=False)
    owner = forms.ModelChoiceField(
        label=_("Action owner"), queryset=Employee.objects.none(), required=False
    )
    due_date = forms.DateField(label=_("Due date"), widget=DateInput(), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["action_item"].queryset = ActionItem.objects.restrict(user, "view").filter(
                status__in=OPEN_STATUSES
            )
            self.fields["meeting"].queryset = Meeting.objects.restrict(user, "view")
            self.fields["owner"].queryset = _people(user)


class StandardiseLinkForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[c for c in StandardKind.choices if c[0] != "process_version"]
    )
    content_type = forms.ChoiceField(label=_("Record type"))
    object_id = forms.CharField(label=_("Record"), max_length=20)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, types=(), **kwargs):
        from ccops.core.links import type_label

        super().__init__(*args, **kwargs)
        self.fields["content_type"].choices = [("", "—")] + [
            (ct.pk, type_label(ct)) for ct in types
        ]


class StandardiseVersionForm(forms.Form):
    description = forms.CharField(
        label=_("The process as it is now"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    change_summary = forms.CharField(label=_("What changes and why"), max_length=2000)
    effective_from = forms.DateField(label=_("Takes effect on"), widget=DateInput())


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Why"), max_length=500)
