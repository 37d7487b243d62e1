"""Pages of the customer-data disclosure register. Every page that shows a request (the
list, the request, a scanned copy, the report) writes the read to the audit log."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ccops.core.exports import safe_row
from ccops.core.formats import format_datetime
from ccops.core.generic import (
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    get_restricted_or_404,
)
from ccops.core.names import person_name
from ccops.core.permissions import check_model_perm
from ccops.registers import forms
from ccops.registers.choices import DisclosureStatus
from ccops.registers.filters import DisclosureRequestFilter
from ccops.registers.models import DisclosureDocument, DisclosureRequest
from ccops.registers.services import disclosure as services
from ccops.registers.views.common import post_action


class DisclosureListView(ObjectListView):
    model = DisclosureRequest
    filterset_class = DisclosureRequestFilter
    template_name = "registers/disclosurerequest_list.html"
    columns = [
        "reference",
        "received_at",
        "requester_organisation",
        "basis",
        "authority_type",
        "document_number",
        "status",
        "decided_by",
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("decided_by", "site")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        services.log_register_read(context["object_list"], user=self.request.user, where="list")
        context["can_report"] = self.request.user.has_perm("registers.view_disclosurereport")
        return context


class DisclosureDetailView(ObjectDetailView):
    model = DisclosureRequest
    template_name = "registers/disclosurerequest_detail.html"
    fields = [
        "site",
        "status",
        "received_at",
        "received_by",
        "requester_name",
        "requester_position",
        "requester_organisation",
        "requester_id_number",
        "requester_contact",
        "basis",
        "authority_type",
        "document_type",
        "document_number",
        "issuing_authority",
        "document_date",
        "special_reason",
        "customer_reference",
        "records_requested",
        "callback_number",
        "callback_source",
        "callback_contact",
        "callback_note",
        "verified_by",
        "verified_at",
        "outcome",
        "decided_by",
        "decided_at",
        "decision_note",
        "signed_by",
        "signed_at",
        "closed_by",
        "closed_at",
        "closing_note",
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request, user = self.object, self.request.user
        services.log_register_read([request], user=user, where="page")
        handler = user.has_perm(services.HANDLE_PERM)
        status = request.status
        context.update(
            documents=request.documents.filter(archived_at__isnull=True).select_related(
                "uploaded_by"
            ),
            releases=request.releases.select_related("released_by"),
            can_upload=handler and status != DisclosureStatus.CLOSED,
            can_verify=handler and status == DisclosureStatus.RECEIVED,
            can_decide=status in (DisclosureStatus.RECEIVED, DisclosureStatus.VERIFIED)
            and services.may_decide(user, request),
            can_release=handler and status == DisclosureStatus.APPROVED,
            can_fulfil=handler
            and status == DisclosureStatus.APPROVED
            and request.releases.exists(),
            can_close=handler and status in (DisclosureStatus.FULFILLED, DisclosureStatus.REFUSED),
            upload_form=forms.UploadForm(
                initial={"kind": "receipt" if request.is_released else "legal_document"}
            ),
            verify_form=forms.VerifyForm(),
            decide_form=forms.DisclosureDecideForm(),
            release_form=forms.ReleaseForm(
                initial={
                    "recipient_name": request.requester_name,
                    "recipient_organisation": request.requester_organisation,
                }
            ),
            note_form=forms.NoteForm(),
            needs_special=request.basis == "special_case",
        )
        context["can_change"] = handler and status == DisclosureStatus.RECEIVED
        return context


class DisclosureFormView(ObjectFormView):
    model = DisclosureRequest

    def get_form_class(self):
        return forms.DisclosureEditForm if self.object else forms.DisclosureForm

    def get_initial(self):
        initial = super().get_initial()
        if self.object is None:
            initial["received_at"] = timezone.localtime().replace(second=0, microsecond=0)
        return initial

    def save(self, form):
        data = dict(form.cleaned_data)
        if self.object is None:
            return services.disclosure_receive(actor=self.request.user, **data)
        changed = {name: data[name] for name in form.changed_data}
        return services.disclosure_update(request=self.object, actor=self.request.user, **changed)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object is None:
            context["title"] = _("Register a disclosure request")
        context["form_multipart"] = False
        return context


@post_action(DisclosureRequest, perm="change", form=forms.UploadForm)
def disclosure_upload(request, disclosure, data):
    services.disclosure_document_upload(
        request=disclosure, kind=data["kind"], upload=data["file"], actor=request.user
    )
    messages.success(request, _("Scan filed."))


@post_action(DisclosureRequest, perm="change", form=forms.VerifyForm)
def disclosure_verify(request, disclosure, data):
    services.disclosure_verify(request=disclosure, actor=request.user, **data)
    messages.success(request, _("Call back recorded: the request is verified."))


@post_action(DisclosureRequest, form=forms.DisclosureDecideForm)
def disclosure_decide(request, disclosure, data):
    services.disclosure_decide(request=disclosure, actor=request.user, **data)
    messages.success(request, _("Decision recorded."))


@post_action(DisclosureRequest, perm="change", form=forms.ReleaseForm)
def disclosure_release(request, disclosure, data):
    data = {k: v for k, v in data.items() if v not in (None, "") or k == "note"}
    services.disclosure_release_record(request=disclosure, actor=request.user, **data)
    messages.success(request, _("Release recorded."))


@post_action(DisclosureRequest, perm="change")
def disclosure_fulfil(request, disclosure, data):
    services.disclosure_fulfil(request=disclosure, actor=request.user)
    messages.success(request, _("Fulfilled and signed: the request is locked."))


@post_action(DisclosureRequest, perm="change", form=forms.NoteForm)
def disclosure_close(request, disclosure, data):
    services.disclosure_close(request=disclosure, note=data.get("note", ""), actor=request.user)
    messages.success(request, _("Request closed."))


def disclosure_document(request, pk):
    """A scanned copy, only to users who may see its request; the read is audited. It is
    sent as an attachment with its checked type, never rendered as a page."""
    check_model_perm(request.user, DisclosureRequest, "view")
    document = get_object_or_404(DisclosureDocument.all_objects, pk=pk)
    get_restricted_or_404(DisclosureRequest, request.user, document.request_id)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The stored file is missing.")) from None
    services.log_reads(
        [document.request],
        "disclosure_document_read",
        user=request.user,
        note=f"{document.original_name} sha256={document.sha256[:16]}",
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def disclosure_report(request):
    """The auditors' report of a period (default: last month), as a page or CSV."""
    if not request.user.has_perm("registers.view_disclosurereport"):
        raise PermissionDenied(_("Your role cannot read the disclosure report."))
    today = timezone.localdate()
    first = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    last = today.replace(day=1) - dt.timedelta(days=1)
    form = forms.ReportForm(request.GET or {"start": first, "end": last})
    report = None
    if form.is_valid():
        rows = DisclosureRequest.all_objects.all()
        if request.user.has_perm("registers.view_disclosurerequest"):
            rows = rows.restrict(request.user, "view")
        report = services.disclosure_report(
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            queryset=rows,
            zone=timezone.get_current_timezone(),
        )
        services.log_register_read(report["rows"], user=request.user, where="report")
        if request.GET.get("format") == "csv":
            return _report_csv(report)
    return render(
        request,
        "registers/disclosure_report.html",
        {"title": _("Disclosure report"), "form": form, "report": report},
    )


def _report_csv(report) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("reference"),
            _("received"),
            _("basis"),
            _("issuing authority type"),
            _("issuing authority"),
            _("document number"),
            _("customer"),
            _("status"),
            _("decision"),
            _("approved or refused by"),
            _("decided"),
            _("records"),
            _("fields released"),
            _("released to"),
            _("how"),
            _("released"),
        ]
    )
    for r in report["rows"]:
        base = [
            r.reference,
            format_datetime(r.received_at),
            r.get_basis_display(),
            r.get_authority_type_display(),
            r.issuing_authority,
            r.document_number,
            r.customer_reference,
            r.get_status_display(),
            r.get_outcome_display(),
            person_name(r.decided_by, number=True) if r.decided_by_id else "",
            format_datetime(r.decided_at),
        ]
        releases = list(r.releases.all()) or [None]
        for rel in releases:
            extra = (
                [
                    f"{rel.record_type}: {rel.record_reference}",
                    rel.fields_released,
                    f"{rel.recipient_name}, {rel.recipient_organisation}",
                    rel.get_channel_display(),
                    format_datetime(rel.released_at),
                ]
                if rel
                else ["", "", "", "", ""]
            )
            writer.writerow(safe_row(base + extra))
    response = HttpResponse(
        out.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    name = f"disclosures-{report['start']:%Y%m%d}-{report['end']:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
