"""Forms of the registers' pages; choice lists limited to what the user may see."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ccops.core.forms import DateInput, ScopedFormMixin
from ccops.people.models import Employee
from ccops.registers.choices import DocumentKind, ReleaseChannel
from ccops.registers.models import (
    AreaAccess,
    AreaAuthorization,
    ConfidentialDocument,
    CustodyHandover,
    DisclosureRequest,
    LeakReport,
    RestrictedArea,
    RestRoom,
    Visit,
)
from ccops.registers.services.custody import DOCUMENT_FIELDS
from ccops.registers.services.disclosure import DETAIL_FIELDS
from ccops.registers.services.visitors import DETAIL_FIELDS as VISIT_FIELDS
from ccops.registers.uploads import MAX_UPLOAD_BYTES


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def _people(user):
    return Employee.objects.restrict(user, "view").filter(status="active").order_by("full_name")


class _PeopleMixin(ScopedFormMixin):
    """Employee choices: active people the user may see (a host or escort need not be in
    the user's team, so door staff see everyone they are allowed to)."""

    people_fields: tuple[str, ...] = ()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if user is not None:
            for name in self.people_fields:
                if name in self.fields:
                    self.fields[name].queryset = _people(user)


# --- visitors -----------------------------------------------------------------------------


class VisitAnnounceForm(_PeopleMixin, forms.ModelForm):
    people_fields = ("host",)

    class Meta:
        model = Visit
        fields = ["site", "host", *VISIT_FIELDS]
        widgets = {"expected_at": DateTimeInput(), "expected_until": DateTimeInput()}


class VisitWalkInForm(_PeopleMixin, forms.ModelForm):
    people_fields = ("host",)

    class Meta:
        model = Visit
        fields = [
            "site",
            "host",
            "visitor_name",
            "organisation",
            "visitor_phone",
            "id_document",
            "party_size",
            "reason",
        ]


class VisitEditForm(forms.ModelForm):
    class Meta:
        model = Visit
        fields = [*VISIT_FIELDS, "handling"]
        widgets = {"expected_at": DateTimeInput(), "expected_until": DateTimeInput()}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.arrived_at is not None:
            for name in VISIT_FIELDS:
                self.fields.pop(name)


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("true", _("approve")), ("false", _("refuse"))],
        coerce=lambda v: v == "true",
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class CheckInForm(forms.Form):
    badge_number = forms.CharField(label=_("Badge number"), max_length=20)
    escort = forms.ModelChoiceField(
        label=_("Escort"), queryset=Employee.objects.none(), required=False
    )
    id_document = forms.CharField(label=_("Identity document"), max_length=60, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["escort"].queryset = _people(user)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class HandlingForm(forms.Form):
    handling = forms.CharField(
        label=_("How it was handled"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- restricted areas -----------------------------------------------------------------------


class RestrictedAreaForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = RestrictedArea
        fields = ["site", "code", "name", "kind", "location", "rules"]


class AreaAuthorizationForm(_PeopleMixin, forms.ModelForm):
    people_fields = ("employee",)

    class Meta:
        model = AreaAuthorization
        fields = ["area", "employee", "valid_from", "valid_until", "reason"]
        widgets = {"valid_from": DateInput(), "valid_until": DateInput()}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class AreaEntryForm(_PeopleMixin, forms.ModelForm):
    people_fields = ("employee", "escort")
    approval_note = forms.CharField(
        label=_("Your approval (if the entrant is not on the list)"),
        max_length=300,
        required=False,
        help_text=_("Only an approver records an approval; otherwise the entry waits for one."),
    )

    class Meta:
        model = AreaAccess
        fields = ["area", "employee", "visit", "escort", "purpose"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["visit"].queryset = (
            Visit.objects.restrict(user, "view").filter(status="on_site")
            if user is not None
            else Visit.objects.none()
        )
        self.fields["visit"].label = _("or a visitor on site")


class ReviewOpenForm(ScopedFormMixin, forms.Form):
    area = forms.ModelChoiceField(label=_("Area"), queryset=RestrictedArea.objects.all())
    month = forms.DateField(
        label=_("Month"), widget=DateInput(), help_text=_("Any day of the month to review.")
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["area"].queryset = RestrictedArea.objects.restrict(user, "view")


class ReviewSignForm(forms.Form):
    findings = forms.CharField(
        label=_("Findings"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    actions = forms.CharField(
        label=_("Actions decided"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- disclosure -------------------------------------------------------------------------------


class DisclosureForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = DisclosureRequest
        fields = ["site", *DETAIL_FIELDS]
        widgets = {"received_at": DateTimeInput(), "document_date": DateInput()}


class DisclosureEditForm(forms.ModelForm):
    class Meta:
        model = DisclosureRequest
        fields = list(DETAIL_FIELDS)
        widgets = {"received_at": DateTimeInput(), "document_date": DateInput()}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("Scanned copy"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # in the reader's language (a lazy text formatted at import time would be English)
        self.fields["file"].help_text = _("PDF, JPEG, PNG or TIFF, at most %(mb)s MB.") % {
            "mb": MAX_UPLOAD_BYTES // 1048576
        }


class VerifyForm(forms.Form):
    callback_number = forms.CharField(label=_("Number called back"), max_length=30)
    callback_source = forms.CharField(
        label=_("Where the number came from"),
        max_length=150,
        help_text=_("An official directory or switchboard, never the number on the document."),
    )
    callback_contact = forms.CharField(label=_("Who confirmed"), max_length=100)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class DisclosureDecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("true", _("approve")), ("false", _("refuse"))],
        coerce=lambda v: v == "true",
    )
    note = forms.CharField(label=_("Grounds"), max_length=500)


class ReleaseForm(forms.Form):
    record_type = forms.CharField(label=_("Records"), max_length=100)
    record_reference = forms.CharField(label=_("Which records"), max_length=300)
    fields_released = forms.CharField(
        label=_("Fields released"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    recipient_name = forms.CharField(label=_("Released to"), max_length=100)
    recipient_organisation = forms.CharField(label=_("Recipient's organisation"), max_length=150)
    channel = forms.ChoiceField(label=_("How"), choices=ReleaseChannel.choices)
    released_at = forms.DateTimeField(label=_("Released"), widget=DateTimeInput(), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ReportForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("Until"), widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period ends before it starts."))
        return data


# --- custody --------------------------------------------------------------------------------


class ConfidentialDocumentForm(_PeopleMixin, forms.ModelForm):
    people_fields = ("keeper",)

    class Meta:
        model = ConfidentialDocument
        fields = ["site", "keeper", *DOCUMENT_FIELDS]


class ConfidentialDocumentEditForm(forms.ModelForm):
    class Meta:
        model = ConfidentialDocument
        fields = list(DOCUMENT_FIELDS)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class CustodyCheckForm(forms.Form):
    copies_found = forms.IntegerField(label=_("Copies found"), min_value=0, max_value=999)
    note = forms.CharField(label=_("Discrepancy"), max_length=500, required=False)


class CustodyHandoverForm(_PeopleMixin, forms.ModelForm):
    people_fields = ("from_keeper", "to_keeper")
    documents = forms.ModelMultipleChoiceField(
        label=_("Documents"),
        queryset=ConfidentialDocument.objects.none(),
        required=False,
        help_text=_("Leave empty to hand over every document of the outgoing keeper."),
    )

    class Meta:
        model = CustodyHandover
        fields = ["site", "from_keeper", "to_keeper", "handover_at", "notes"]
        widgets = {"handover_at": DateTimeInput()}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if user is not None:
            self.fields["documents"].queryset = ConfidentialDocument.objects.restrict(user, "view")


class ItemCountForm(forms.Form):
    copies_counted = forms.IntegerField(label=_("Copies counted"), min_value=0, max_value=999)
    note = forms.CharField(label=_("Discrepancy"), max_length=500, required=False)


class AmendForm(forms.Form):
    notes = forms.CharField(
        label=_("What the amendment corrects"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class LeakReportForm(_PeopleMixin, forms.ModelForm):
    people_fields = ("people_involved",)

    class Meta:
        model = LeakReport
        fields = ["site", "kind", "document", "occurred_at", "description", "people_involved"]
        widgets = {"occurred_at": DateTimeInput()}


class LinkForm(forms.Form):
    content_type = forms.ChoiceField(label=_("Record type"))
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    object_id = forms.CharField(label=_("Record"), max_length=20)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, types=(), **kwargs):
        from ccops.core.links import type_label

        super().__init__(*args, **kwargs)
        self.fields["content_type"].choices = [("", "—")] + [
            (ct.pk, type_label(ct)) for ct in types
        ]


# --- rest room --------------------------------------------------------------------------------


class RestRoomForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = RestRoom
        fields = ["site", "name", "location", "capacity", "weekly_cleaning_day", "rules"]


class RotaForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput())
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=92, initial=14)
    assignees = forms.ModelMultipleChoiceField(
        label=_("Who takes turns"), queryset=Employee.objects.none()
    )

    def __init__(self, *args, user=None, site=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            people = _people(user)
            self.fields["assignees"].queryset = people.filter(site=site) if site else people


class ReassignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=Employee.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["assignee"].queryset = _people(user)
