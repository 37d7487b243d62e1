"""Discipline records: derive the month's from attendance and handovers, enter breaches,
appeal, decide."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
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
from ccops.quality import forms
from ccops.quality.choices import DisciplineStatus
from ccops.quality.filters import DisciplineFilter
from ccops.quality.models import DisciplineRecord
from ccops.quality.services import discipline as services
from ccops.quality.views.common import run, user_site


class DisciplineListView(ObjectListView):
    model = DisciplineRecord
    filterset_class = DisciplineFilter
    template_name = "quality/disciplinerecord_list.html"
    columns = ["occurred_on", "employee", "kind", "points", "status", "derived"]

    def get_queryset(self):
        return super().get_queryset().select_related("employee")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            month_form=forms.MonthSiteForm(),
            can_derive=has_model_perm(self.request.user, DisciplineRecord, "change"),
        )
        return context


class DisciplineDetailView(ObjectDetailView):
    model = DisciplineRecord
    template_name = "quality/disciplinerecord_detail.html"
    fields = [
        "employee",
        "occurred_on",
        "kind",
        "description",
        "points",
        "derived",
        "attendance",
        "handover",
        "entered_by",
        "status",
        "appeal_reason",
        "appealed_at",
        "decided_by",
        "decided_at",
        "decision_note",
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        r, user = self.object, self.request.user
        context.update(
            can_appeal=r.employee.user_id == user.pk and r.status == DisciplineStatus.RECORDED,
            can_decide=r.status == DisciplineStatus.APPEALED
            and has_model_perm(user, DisciplineRecord, "change"),
        )
        return context


class DisciplineFormView(ObjectFormView):
    model = DisciplineRecord
    form_class = forms.DisciplineForm

    def get_initial(self):
        return {**super().get_initial(), "site": user_site(self.request)}

    def save(self, form):
        data = dict(form.cleaned_data)
        if self.object is None:
            return services.discipline_record(actor=self.request.user, **data)
        return super().save(form)


class DisciplineArchiveView(ObjectArchiveView):
    model = DisciplineRecord


@require_POST
def discipline_derive(request):
    check_model_perm(request.user, DisciplineRecord, "change")
    form = forms.MonthSiteForm(request.POST)
    site = user_site(request)
    if not form.is_valid() or site is None:
        messages.error(request, _("Choose the month."))
        return redirect("quality:disciplinerecord_list")
    response, report = run(
        request,
        "quality:disciplinerecord_list",
        lambda: services.discipline_derive(
            site=site, month=form.cleaned_data["month"], actor=request.user
        ),
    )
    if report is not None:
        messages.success(
            request,
            _(
                "%(n)s records added from attendance and handovers; %(m)s shift changes had no "
                "handover at all (nobody to name)."
            )
            % {"n": sum(report["added"].values()), "m": report["handovers without record"]},
        )
    return response


@require_POST
def discipline_appeal(request, pk):
    record = get_restricted_or_404(DisciplineRecord, request.user, pk)
    response, _r = run(
        request,
        record,
        lambda: services.discipline_appeal(
            record=record, reason=request.POST.get("reason", "")[:2000], actor=request.user
        ),
        _("Your appeal was sent."),
    )
    return response


@require_POST
def discipline_decide(request, pk):
    check_model_perm(request.user, DisciplineRecord, "change")
    record = get_restricted_or_404(DisciplineRecord, request.user, pk, "change")
    accept = request.POST.get("decision") == "accept"
    response, _r = run(
        request,
        record,
        lambda: services.discipline_decide(
            record=record,
            accept=accept,
            note=request.POST.get("note", "")[:2000],
            actor=request.user,
        ),
        _("Appeal decided."),
    )
    return response
