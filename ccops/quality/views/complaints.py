"""Complaints, satisfaction imports and the monthly complaint summary."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccops.core.generic import (
    ObjectArchiveView,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    get_restricted_or_404,
)
from ccops.core.permissions import check_model_perm, has_model_perm
from ccops.meetings.choices import MeetingKind
from ccops.meetings.models import Meeting
from ccops.people.models import Employee
from ccops.quality import forms
from ccops.quality.choices import ComplaintStatus
from ccops.quality.filters import ComplaintFilter, ComplaintSummaryFilter, SatisfactionImportFilter
from ccops.quality.models import Complaint, ComplaintSummary, SatisfactionImport
from ccops.quality.services import complaints as services
from ccops.quality.services.common import month_start
from ccops.quality.views.common import run, user_site


class ComplaintListView(ObjectListView):
    model = Complaint
    filterset_class = ComplaintFilter
    columns = [
        "id",
        "received_on",
        "category",
        "agent",
        "call_reference",
        "status",
        "outcome",
        "points",
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("agent")


class ComplaintDetailView(ObjectDetailView):
    model = Complaint
    template_name = "quality/complaint_detail.html"
    fields = [
        "site",
        "received_on",
        "channel",
        "category",
        "customer",
        "call_reference",
        "call",
        "agent",
        "queue",
        "description",
        "status",
        "investigator",
        "findings",
        "outcome",
        "points",
        "closed_at",
        "closed_by",
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        c, user = self.object, self.request.user
        may = has_model_perm(user, Complaint, "change")
        context.update(
            can_investigate=may and c.status != ComplaintStatus.CLOSED,
            can_close=may and c.status == ComplaintStatus.INVESTIGATING,
            inspectors=Employee.objects.filter(
                site=c.site, user__groups__name__in=["qa_inspector", "quality_supervisor"]
            ).distinct(),
            close_form=forms.ComplaintCloseForm(),
        )
        return context


class ComplaintFormView(ObjectFormView):
    model = Complaint
    form_class = forms.ComplaintForm

    def get_initial(self):
        return {
            **super().get_initial(),
            "site": user_site(self.request),
            "received_on": timezone.localdate(),
        }

    def save(self, form):
        data = dict(form.cleaned_data)
        if self.object is None:
            return services.complaint_register(actor=self.request.user, **data)
        return super().save(form)


class ComplaintArchiveView(ObjectArchiveView):
    model = Complaint


@require_POST
def complaint_investigate(request, pk):
    check_model_perm(request.user, Complaint, "change")
    complaint = get_restricted_or_404(Complaint, request.user, pk, "change")
    investigator = Employee.objects.filter(pk=request.POST.get("investigator") or 0).first()
    if investigator is None:
        messages.error(request, _("Choose who investigates."))
        return redirect(complaint.get_absolute_url())
    response, _r = run(
        request,
        complaint,
        lambda: services.complaint_investigate(
            complaint=complaint, investigator=investigator, actor=request.user
        ),
        _("Investigation assigned."),
    )
    return response


@require_POST
def complaint_close(request, pk):
    check_model_perm(request.user, Complaint, "change")
    complaint = get_restricted_or_404(Complaint, request.user, pk, "change")
    form = forms.ComplaintCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the outcome and write down the findings."))
        return redirect(complaint.get_absolute_url())
    response, _r = run(
        request,
        complaint,
        lambda: services.complaint_close(
            complaint=complaint, actor=request.user, **form.cleaned_data
        ),
        _("Complaint closed."),
    )
    return response


# --- satisfaction -------------------------------------------------------------------------


class SatisfactionImportListView(ObjectListView):
    model = SatisfactionImport
    filterset_class = SatisfactionImportFilter
    columns = ["filename", "site", "created_at", "rows", "matched", "created_by"]
    template_name = "quality/satisfactionimport_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["upload_form"] = forms.SatisfactionUploadForm()
        return context


class SatisfactionImportDetailView(ObjectDetailView):
    model = SatisfactionImport
    template_name = "quality/satisfactionimport_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["scores"] = self.object.scores.select_related("agent")[:200]
        return context


@require_POST
def satisfaction_upload(request):
    check_model_perm(request.user, SatisfactionImport, "add")
    form = forms.SatisfactionUploadForm(request.POST, request.FILES)
    site = user_site(request)
    if not form.is_valid() or site is None:
        messages.error(request, _("Choose a CSV file."))
        return redirect("quality:satisfactionimport_list")
    upload = form.cleaned_data["file"]
    if upload.size > services.MAX_SATISFACTION_BYTES:
        messages.error(request, _("The file is larger than 20 MB."))
        return redirect("quality:satisfactionimport_list")
    try:
        batch = services.satisfaction_import(
            site=site,
            filename=upload.name,
            content=upload.read(),
            actor=request.user,
            scale_max=form.cleaned_data["scale_max"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("quality:satisfactionimport_list")
    messages.success(
        request,
        _("%(n)s scores imported, %(m)s matched to a call.")
        % {"n": batch.rows, "m": batch.matched},
    )
    return redirect(batch.get_absolute_url())


# --- monthly summary -------------------------------------------------------------------------


class ComplaintSummaryListView(ObjectListView):
    model = ComplaintSummary
    filterset_class = ComplaintSummaryFilter
    columns = ["month", "site", "meeting", "created_at"]
    template_name = "quality/complaintsummary_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        site = user_site(self.request)
        meetings = Meeting.objects.filter(site=site, kind=MeetingKind.MONTHLY_OPERATIONS).order_by(
            "-starts_at"
        )
        today = timezone.localdate()
        last = month_start(month_start(today) - timezone.timedelta(days=1))
        context.update(
            summary_form=forms.SummaryForm(meetings=meetings, initial={"month": last}),
            preview=services.complaint_figures(site, last) if site else None,
            preview_month=last,
            can_create=has_model_perm(self.request.user, ComplaintSummary, "add"),
        )
        return context


class ComplaintSummaryDetailView(ObjectDetailView):
    model = ComplaintSummary
    template_name = "quality/complaintsummary_detail.html"
    fields = ["site", "month", "meeting", "created_at"]


@require_POST
def complaint_summary_create(request):
    check_model_perm(request.user, ComplaintSummary, "add")
    site = user_site(request)
    meetings = Meeting.objects.restrict(request.user, "view").filter(
        site=site, kind=MeetingKind.MONTHLY_OPERATIONS
    )
    form = forms.SummaryForm(request.POST, meetings=meetings)
    if not form.is_valid() or site is None:
        messages.error(request, _("Choose the month (and the meeting)."))
        return redirect("quality:complaintsummary_list")
    response, summary = run(
        request,
        "quality:complaintsummary_list",
        lambda: services.complaint_summary_create(
            site=site, actor=request.user, **form.cleaned_data
        ),
    )
    if summary is not None:
        if summary.meeting:
            messages.success(
                request, _("Summary put on the agenda of %(m)s.") % {"m": summary.meeting}
            )
        return redirect(summary.get_absolute_url())
    return response
