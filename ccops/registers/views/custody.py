"""Pages of the confidential documents: the register, periodic checks, custody handovers
(inventory, both keepers' signatures, amendments) and leak reports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccops.core.generic import (
    ObjectArchiveView,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    get_restricted_or_404,
)
from ccops.core.links import linkable_types, visible_target
from ccops.core.permissions import has_model_perm
from ccops.people.services import employee_for
from ccops.registers import forms
from ccops.registers.choices import IncidentStatus
from ccops.registers.filters import (
    ConfidentialDocumentFilter,
    CustodyHandoverFilter,
    LeakReportFilter,
)
from ccops.registers.models import (
    ConfidentialDocument,
    CustodyCheck,
    CustodyHandover,
    CustodyHandoverItem,
    LeakReport,
)
from ccops.registers.services import custody as services
from ccops.registers.views.common import form_errors, post_action

#: Record types offered first when linking a leak to discipline.
DISCIPLINE_WORDS = ("disciplin",)


class ConfidentialDocumentListView(ObjectListView):
    model = ConfidentialDocument
    filterset_class = ConfidentialDocumentFilter
    columns = [
        "reference",
        "title",
        "category",
        "classification",
        "copies",
        "keeper",
        "location",
        "last_checked_at",
        "next_check_due",
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("keeper", "site")


class ConfidentialDocumentDetailView(ObjectDetailView):
    model = ConfidentialDocument
    template_name = "registers/confidentialdocument_detail.html"
    fields = [
        "site",
        "reference",
        "title",
        "category",
        "classification",
        "copies",
        "keeper",
        "scope_of_use",
        "location",
        "check_interval_days",
        "last_checked_at",
        "next_check_due",
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        document, user = self.object, self.request.user
        items = CustodyHandoverItem.objects.filter(document=document).select_related(
            "handover__from_keeper", "handover__to_keeper"
        )
        context.update(
            checks=document.checks.select_related("signed_by")[:20],
            handover_items=items.order_by("-handover__handover_at")[:20],
            leaks=document.leak_reports.all()[:20],
            can_check=has_model_perm(user, CustodyCheck, "add")
            and services.oversees(user)
            and document.keeper.user_id != user.pk
            and not document.archived_at,
            check_form=forms.CustodyCheckForm(initial={"copies_found": document.copies}),
        )
        return context


class ConfidentialDocumentFormView(ObjectFormView):
    model = ConfidentialDocument

    def get_form_class(self):
        return forms.ConfidentialDocumentEditForm if self.object else forms.ConfidentialDocumentForm

    def save(self, form):
        data = dict(form.cleaned_data)
        if self.object is None:
            return services.document_register(actor=self.request.user, **data)
        changed = {name: data[name] for name in form.changed_data}
        return services.document_update(document=self.object, actor=self.request.user, **changed)


class ConfidentialDocumentArchiveView(ObjectArchiveView):
    model = ConfidentialDocument


@post_action(ConfidentialDocument, perm="view", form=forms.CustodyCheckForm)
def document_check(request, document, data):
    if not request.user.has_perm("registers.add_custodycheck"):
        raise PermissionDenied(_("Your role does not check documents."))
    services.document_check_record(document=document, actor=request.user, **data)
    messages.success(request, _("Check recorded and signed."))


class CustodyHandoverListView(ObjectListView):
    model = CustodyHandover
    filterset_class = CustodyHandoverFilter
    columns = ["handover_at", "from_keeper", "to_keeper", "state", "site", "amends"]

    def get_queryset(self):
        return super().get_queryset().select_related("from_keeper", "to_keeper", "site")


class CustodyHandoverDetailView(ObjectDetailView):
    model = CustodyHandover
    template_name = "registers/custodyhandover_detail.html"
    fields = [
        "site",
        "handover_at",
        "from_keeper",
        "to_keeper",
        "notes",
        "outgoing_signed_at",
        "outgoing_signed_by",
        "incoming_signed_at",
        "incoming_signed_by",
        "amends",
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        handover, user = self.object, self.request.user
        can_work = services.may_work_on(user, handover) and not handover.is_signed
        context.update(
            items=handover.items.select_related("document"),
            can_count=can_work and not handover.outgoing_signed_at,
            sign_outgoing=not handover.outgoing_signed_at
            and handover.from_keeper.user_id == user.pk,
            sign_incoming=bool(handover.outgoing_signed_at)
            and not handover.is_signed
            and handover.to_keeper.user_id == user.pk,
            can_amend=handover.is_signed and services.may_work_on(user, handover),
            amendments=CustodyHandover.all_objects.filter(amends=handover),
            amend_form=forms.AmendForm(),
            can_change=False,
            can_archive=False,
        )
        return context


class CustodyHandoverFormView(ObjectFormView):
    model = CustodyHandover
    form_class = forms.CustodyHandoverForm

    def dispatch(self, request, *args, **kwargs):
        if "pk" in kwargs:
            raise PermissionDenied(_("A custody handover changes by counting and signing."))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        initial = super().get_initial()
        employee = employee_for(self.request.user)
        if employee is not None:
            initial.update(site=employee.site_id, from_keeper=employee.pk)
        return initial

    def save(self, form):
        data = dict(form.cleaned_data)
        documents = data.pop("documents", None) or None
        return services.custody_handover_open(actor=self.request.user, documents=documents, **data)


@require_POST
def custody_item_count(request, pk):
    """Record the count of one inventory item (the keepers and the register's keepers)."""
    item = get_object_or_404(CustodyHandoverItem, pk=pk)
    handover = get_restricted_or_404(CustodyHandover, request.user, item.handover_id)
    form = forms.ItemCountForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(handover.get_absolute_url())
    try:
        services.custody_item_count(item=item, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(handover.get_absolute_url())


@post_action(CustodyHandover)
def custody_sign(request, handover, data):
    side = request.POST.get("side", "")
    services.custody_handover_sign(handover=handover, side=side, actor=request.user)
    messages.success(request, _("Signed."))


@post_action(CustodyHandover, form=forms.AmendForm)
def custody_amend(request, handover, data):
    amendment = services.custody_handover_amend(
        handover=handover, notes=data["notes"], actor=request.user
    )
    messages.success(request, _("Amendment opened: count and sign it again."))
    return amendment


class LeakReportListView(ObjectListView):
    model = LeakReport
    filterset_class = LeakReportFilter
    columns = ["id", "kind", "occurred_at", "document", "reported_by", "status", "site"]

    def get_queryset(self):
        return super().get_queryset().select_related("document", "reported_by", "site")


class LeakReportDetailView(ObjectDetailView):
    model = LeakReport
    template_name = "registers/leakreport_detail.html"
    fields = [
        "site",
        "kind",
        "document",
        "occurred_at",
        "reported_by",
        "description",
        "status",
        "handling",
        "handled_by",
        "signed_at",
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report, user = self.object, self.request.user
        handler = user.has_perm("registers.oversee_leakreport")
        links = []
        for link in report.links.select_related("content_type"):
            links.append((link, visible_target(user, link.content_type, link.object_id)))
        types = linkable_types(user, prefer=DISCIPLINE_WORDS) if handler else []
        context.update(
            people=report.people_involved.order_by("full_name"),
            can_handle=handler and report.status != IncidentStatus.CLOSED,
            can_link=handler and bool(types),
            handling_form=forms.HandlingForm(initial={"handling": report.handling}),
            link_form=forms.LinkForm(types=types),
            links=links,
            can_change=False,
            can_archive=False,
        )
        return context


class LeakReportFormView(ObjectFormView):
    model = LeakReport
    form_class = forms.LeakReportForm

    def dispatch(self, request, *args, **kwargs):
        if "pk" in kwargs:
            raise PermissionDenied(_("A leak report changes by its handling."))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        initial = super().get_initial()
        employee = employee_for(self.request.user)
        if employee is not None:
            initial["site"] = employee.site_id
        if "document" in self.request.GET:
            initial["document"] = self.request.GET["document"]
        return initial

    def save(self, form):
        data = dict(form.cleaned_data)
        people = data.pop("people_involved", [])
        return services.leak_report_file(actor=self.request.user, people_involved=people, **data)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Report a leak or material taken out")
        return context


@post_action(LeakReport, perm="change", form=forms.HandlingForm)
def leak_handle(request, report, data):
    if request.POST.get("close"):
        services.leak_report_close(report=report, handling=data["handling"], actor=request.user)
        messages.success(request, _("Report closed and signed."))
    else:
        services.leak_report_handle(report=report, handling=data["handling"], actor=request.user)
        messages.success(request, _("Handling recorded."))


def _link_form(request):
    types = linkable_types(request.user, prefer=DISCIPLINE_WORDS)
    return forms.LinkForm(request.POST, types=types)


@post_action(LeakReport, perm="change")
def leak_link(request, report, data):
    form = _link_form(request)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return report.get_absolute_url()
    services.leak_report_link(
        report=report,
        content_type=form.cleaned_data["content_type"],
        object_id=form.cleaned_data["object_id"],
        note=form.cleaned_data.get("note", ""),
        actor=request.user,
    )
    messages.success(request, _("Discipline record linked."))
