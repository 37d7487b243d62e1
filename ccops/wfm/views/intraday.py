"""The intraday page and intraday adjustments."""

from __future__ import annotations

import json

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ccops.core.exports import csv_response
from ccops.core.generic import ObjectDetailView, ObjectFormView, ObjectListView
from ccops.core.permissions import check_model_perm, has_model_perm
from ccops.wfm.filters import AdjustmentFilter
from ccops.wfm.forms import AdjustmentForm, IntradayForm
from ccops.wfm.models import IntradayAdjustment, StaffingPlan
from ccops.wfm.services import intraday as service


def _intraday_csv(queue, day, rows):
    """The intraday table of a queue's day, every interval, as CSV (site time)."""
    header = [
        _("Interval"),
        _("Forecast calls"),
        _("Actual calls"),
        _("Re-forecast"),
        _("Agents needed"),
        _("Scheduled"),
        _("After adjustments"),
        _("Gap"),
    ]
    rows = (
        [
            f"{r['start']:%Y-%m-%d %H:%M}",
            round(r["forecast"], 2),
            "" if r["actual"] is None else round(r["actual"], 2),
            round(r["reforecast"], 2),
            r["needed"],
            r["scheduled"],
            r["adjusted"],
            r["gap"],
        ]
        for r in rows
    )
    return csv_response(header, rows, f"intraday-{queue.code}-{day}.csv")


def intraday_page(request):
    """Today's actual vs forecast, the re-forecast of the rest of the day and the gap."""
    check_model_perm(request.user, IntradayAdjustment, "view")
    form = IntradayForm(request.GET or None, user=request.user)
    queues = form.fields["queue"].queryset
    context = {"form": form, "title": _("Intraday"), "view": None}
    queue = day = plan = None
    if request.GET:
        # what was asked for, or nothing but the form's errors (never another queue's day)
        if form.is_valid():
            queue, day, plan = (form.cleaned_data[k] for k in ("queue", "day", "plan"))
    elif queues.exists():
        queue = queues.first()
    if queue is not None:
        day = day or timezone.localdate(timezone.now(), queue.site.zone)
        plan = plan or (
            StaffingPlan.objects.filter(queue=queue, period_type="normal").first()
            or StaffingPlan.objects.filter(queue=queue).first()
        )
        view = service.intraday(queue, day, plan=plan)
        zone = queue.site.zone
        rows = []
        for i, start in enumerate(view["starts"]):
            actual = view["actual"][i]
            rows.append(
                {
                    "start": start.astimezone(zone),
                    "forecast": view["forecast_calls"][i],
                    "actual": None if actual != actual else actual,
                    "reforecast": view["reforecast"][i],
                    "needed": int(view["needed"][i]),
                    "scheduled": int(view["scheduled"][i]),
                    "adjusted": int(view["adjusted"][i]),
                    "gap": int(view["gap"][i]),
                    "elapsed": bool(view["elapsed"][i]),
                }
            )
        if request.GET.get("export") == "csv":
            return _intraday_csv(queue, day, rows)
        context.update(
            view=view,
            rows=[r for r in rows if r["forecast"] or r["actual"] or r["needed"] or r["scheduled"]],
            zone=zone,
            chart=json.dumps(
                {
                    "labels": [r["start"].strftime("%H:%M") for r in rows],
                    "forecast": [round(r["forecast"], 1) for r in rows],
                    "actual": [r["actual"] for r in rows],
                    "reforecast": [
                        None if r["elapsed"] else round(r["reforecast"], 1) for r in rows
                    ],
                }
            ),
            can_adjust=has_model_perm(request.user, IntradayAdjustment, "add"),
        )
    return render(request, "wfm/intraday.html", context)


class AdjustmentListView(ObjectListView):
    model = IntradayAdjustment
    filterset_class = AdjustmentFilter
    columns = ["start", "end", "kind", "heads", "queue", "employee", "note", "created_by"]


class AdjustmentDetailView(ObjectDetailView):
    model = IntradayAdjustment


class AdjustmentFormView(ObjectFormView):
    model = IntradayAdjustment
    form_class = AdjustmentForm

    def save(self, form):
        if self.object is not None:
            return super().save(form)
        return service.intraday_adjustment_record(actor=self.request.user, **form.cleaned_data)
