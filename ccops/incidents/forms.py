"""Forms of the incidents pages (the services check the rules)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ccops.core.forms import DateInput, ScopedFormMixin
from ccops.core.models import Queue, Site
from ccops.incidents.choices import (
    AccountActionKind,
    AssignRole,
    IncidentKind,
    MoveKind,
    Severity,
    System,
)
from ccops.people.models import Employee


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DeclareForm(ScopedFormMixin, forms.Form):
    site = forms.ModelChoiceField(label=_("site"), queryset=Site.objects.all())
    kind = forms.ChoiceField(label=_("type"), choices=IncidentKind.choices)
    severity = forms.ChoiceField(label=_("severity"), choices=Severity.choices, initial="high")
    title = forms.CharField(label=_("title"), max_length=200)
    started_at = forms.DateTimeField(label=_("started"), widget=DateTimeInput())
    symptoms = forms.CharField(
        label=_("symptoms"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    systems = forms.MultipleChoiceField(
        label=_("affected systems"),
        choices=System.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    queues = forms.ModelMultipleChoiceField(
        label=_("affected queues"),
        queryset=Queue.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class NoteForm(forms.Form):
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class UpdateForm(forms.Form):
    text = forms.CharField(
        label=_("update"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignForm(ScopedFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("role"), choices=AssignRole.choices)
    employee = forms.ModelChoiceField(label=_("hand over to"), queryset=Employee.objects.all())
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class RecoverForm(forms.Form):
    recovered_at = forms.DateTimeField(label=_("recovered"), required=False, widget=DateTimeInput())


class RecordsForm(forms.Form):
    police_report_number = forms.CharField(
        label=_("police report number"), max_length=60, required=False
    )
    scene_sealed_at = forms.DateTimeField(
        label=_("scene sealed"), required=False, widget=DateTimeInput()
    )
    duty_staff_interviewed = forms.CharField(
        label=_("duty staff interviewed"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AccountForm(forms.Form):
    username = forms.CharField(label=_("login"), max_length=150)
    action = forms.ChoiceField(label=_("action"), choices=AccountActionKind.choices)

    def clean_username(self):
        user = get_user_model().objects.filter(username=self.cleaned_data["username"]).first()
        if user is None:
            raise forms.ValidationError(_("No such login."))
        return user


class FaultForm(forms.Form):
    cause = forms.CharField(
        label=_("cause"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    impact = forms.CharField(
        label=_("impact"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    actions_taken = forms.CharField(
        label=_("what was done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    responsible_department = forms.CharField(label=_("responsible department"), max_length=120)
    agreement = forms.CharField(
        label=_("agreed with the responsible department"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    window_start = forms.DateTimeField(
        label=_("outage from"), required=False, widget=DateTimeInput()
    )
    window_end = forms.DateTimeField(
        label=_("outage until"), required=False, widget=DateTimeInput()
    )


class FollowUpForm(ScopedFormMixin, forms.Form):
    title = forms.CharField(label=_("follow-up action"), max_length=200)
    owner = forms.ModelChoiceField(label=_("who does it"), queryset=Employee.objects.all())
    due_date = forms.DateField(label=_("due date"), widget=DateInput())


class PlaybookForm(forms.Form):
    title_en = forms.CharField(label=_("title (English)"), max_length=200)
    title_zh = forms.CharField(label=_("title (Chinese)"), max_length=200)
    summary_en = forms.CharField(
        label=_("summary (English)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    summary_zh = forms.CharField(
        label=_("summary (Chinese)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    contacts = forms.CharField(
        label=_("contacts"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line: kind | name | phone | Chinese name (optional)."),
    )
    steps = forms.CharField(
        label=_("steps"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("One a line: role | English | Chinese | record (optional)."),
    )


class SurgeForm(ScopedFormMixin, forms.Form):
    queue = forms.ModelChoiceField(label=_("queue"), queryset=Queue.objects.all())
    hours = forms.IntegerField(label=_("hours to plan"), min_value=1, max_value=12, initial=4)
    share = forms.FloatField(
        label=_("retrial share"),
        min_value=0,
        max_value=1,
        required=False,
        help_text=_("Empty: measured on the queue's last outage, else 0.5."),
    )
    delay_minutes = forms.FloatField(
        label=_("retrial delay (minutes)"),
        min_value=1,
        max_value=600,
        required=False,
        help_text=_("Empty: measured on the queue's last outage, else 20."),
    )


class MoveForm(ScopedFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("what"), choices=MoveKind.choices)
    employee = forms.ModelChoiceField(label=_("agent"), queryset=Employee.objects.all())
    start = forms.DateTimeField(label=_("on the phones from"), widget=DateTimeInput())
    end = forms.DateTimeField(label=_("until"), widget=DateTimeInput())


class CallInForm(forms.Form):
    count = forms.IntegerField(label=_("agents to ask"), min_value=1, max_value=50, required=False)


class RespondForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("answer"),
        choices=[("1", _("accept")), ("0", _("decline"))],
        coerce=lambda v: v == "1",
    )
