"""Pages of forecasts: versions, forecast against actual, the weekly accuracy review."""

from __future__ import annotations

import json
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ccops.core.generic import ObjectDetailView, ObjectListView
from ccops.core.models import Job, Queue
from ccops.core.permissions import check_model_perm
from ccops.wfm.filters import ForecastFilter
from ccops.wfm.forms import ForecastForm, WeekForm
from ccops.wfm.models import Forecast
from ccops.wfm.services import forecasts


class ForecastListView(ObjectListView):
    model = Forecast
    filterset_class = ForecastFilter
    columns = [
        "queue",
        "version",
        "horizon_start",
        "horizon_days",
        "method",
        "status",
        "created_by",
        "created_at",
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("queue__site", "created_by")


class ForecastDetailView(ObjectDetailView):
    model = Forecast
    template_name = "wfm/forecast_detail.html"
    fields = [
        "queue",
        "version",
        "horizon_start",
        "horizon_days",
        "interval_minutes",
        "method",
        "status",
        "history_start",
        "history_end",
        "created_by",
        "created_at",
        "notes",
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        forecast = self.object
        comparison = forecasts.compare(forecast)
        zone = forecast.site.zone
        context["comparison"] = comparison
        context["summary"] = forecast.summary or {}
        context["notes"] = [forecasts.note_text(n) for n in context["summary"].get("notes", [])]
        context["chart"] = json.dumps(
            {
                "labels": [s.astimezone(zone).strftime("%m-%d %H:%M") for s in comparison.starts],
                "forecast": [round(v, 2) for v in comparison.forecast.tolist()],
                "actual": [None if v != v else v for v in comparison.actual.tolist()],
            }
        )
        if comparison.has_actuals:
            context["daily"] = comparison.daily(zone)
        return context


def forecast_add(request):
    check_model_perm(request.user, Forecast, "add")
    check_model_perm(request.user, Job, "add")
    today = timezone.localdate()
    initial = {"horizon_start": today + timedelta(days=7 - today.weekday())}
    form = ForecastForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            forecast = forecasts.forecast_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            forecasts.forecast_start(forecast=forecast, actor=request.user)
            messages.info(request, _("The forecast is being computed."))
            return redirect(forecast.get_absolute_url())
    return render(
        request,
        "core/object_form.html",
        {"form": form, "title": _("New forecast"), "list_url": "../"},
    )


def forecast_accuracy(request):
    """Weekly review: each queue's forecast in force against the imported actuals."""
    check_model_perm(request.user, Forecast, "view")
    today = timezone.localdate()
    last_monday = today - timedelta(days=today.weekday() + 7)
    form = WeekForm(request.GET or {"week": last_monday})
    week = form.cleaned_data["week"] if form.is_valid() else last_monday
    week -= timedelta(days=week.weekday())
    queues = Queue.objects.restrict(request.user, "view").select_related("site")
    review = forecasts.weekly_review(queues, week)
    return render(
        request,
        "wfm/forecast_accuracy.html",
        {
            "form": form,
            "week": week,
            "review": review,
            "previous": week - timedelta(days=7),
            "next": week + timedelta(days=7),
            "title": _("Forecast accuracy"),
        },
    )
