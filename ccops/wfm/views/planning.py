"""Pages of staffing plans and their what-if panel."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone

from ccops.core.generic import (
    ObjectArchiveView,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    form_errors,
    get_restricted_or_404,
)
from ccops.core.permissions import check_model_perm
from ccops.wfm.filters import StaffingPlanFilter
from ccops.wfm.forms import StaffingPlanForm, WhatIfForm
from ccops.wfm.models import StaffingPlan
from ccops.wfm.services import staffing
from ccops.wfm.views.schedules import can_generate


class StaffingPlanListView(ObjectListView):
    model = StaffingPlan
    filterset_class = StaffingPlanFilter
    columns = [
        "name",
        "queue",
        "period_type",
        "service_level_percent",
        "answer_within_seconds",
        "shrinkage_percent",
        "model",
        "forecast",
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("queue__site", "forecast__queue")


def _what_if(plan: StaffingPlan, data) -> dict:
    """Context of the what-if partial for GET parameters ``data``."""
    initial = {"day": timezone.localdate(timezone.now(), plan.site.zone), "volume_percent": 100}
    form = WhatIfForm({**initial, **{k: v for k, v in data.items() if v != ""}})
    context = {"plan": plan, "whatif_form": form, "requirement": None, "error": None}
    if not form.is_valid():
        # out-of-range inputs answer with what is wrong, not with an empty result
        context["error"] = form_errors(form)
        return context
    values = dict(form.cleaned_data)
    day = values.pop("day")
    try:
        req = staffing.plan_requirement(plan, day, **values)
    except ValidationError as exc:
        context["error"] = " ".join(exc.messages)
        return context
    zone = plan.site.zone
    rows = list(req.rows(zone))
    context.update(
        requirement=req,
        rows=rows,
        day=day,
        chart=json.dumps(
            {
                "labels": [r["start"].strftime("%H:%M") for r in rows],
                "calls": [round(r["calls"], 1) for r in rows],
                "agents": [r["agents"] for r in rows],
                "scheduled": [r["scheduled"] for r in rows],
            }
        ),
    )
    return context


class StaffingPlanDetailView(ObjectDetailView):
    model = StaffingPlan
    template_name = "wfm/staffingplan_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(_what_if(self.object, self.request.GET))
        context["can_generate"] = can_generate(self.request.user)
        return context


def staffing_plan_whatif(request, pk: int):
    """The what-if partial (htmx): heads needed for the changed volume, AHT and targets."""
    check_model_perm(request.user, StaffingPlan, "view")
    plan = get_restricted_or_404(StaffingPlan, request.user, pk)
    return render(request, "wfm/partials/_whatif.html", _what_if(plan, request.GET))


class StaffingPlanFormView(ObjectFormView):
    model = StaffingPlan
    form_class = StaffingPlanForm

    def save(self, form):
        data = dict(form.cleaned_data)
        if self.object is None:
            return staffing.staffing_plan_create(actor=self.request.user, **data)
        changed = {name: data[name] for name in form.changed_data}
        if "queue" in changed:
            changed["site"] = changed["queue"].site
        return staffing.staffing_plan_update(plan=self.object, actor=self.request.user, **changed)


class StaffingPlanArchiveView(ObjectArchiveView):
    model = StaffingPlan
