"""Pages of forecasts: versions, forecast against actual, the weekly accuracy review."""

from __future__ import annotations

import json
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ccops.core.generic import ObjectDetailView, ObjectListView
from ccops.core.models import Job, Queue
from ccops.core.permissions import all_rows, check_model_perm, has_model_perm
from ccops.wfm.choices import ForecastStatus
from ccops.wfm.filters import ForecastFilter
from ccops.wfm.forms import ForecastAdjustForm, ForecastCompareForm, ForecastForm, WeekForm
from ccops.wfm.models import Forecast, StaffingPlan
from ccops.wfm.services import forecast_versions, forecasts


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
        "based_on",
        "created_by",
        "created_at",
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("queue__site", "created_by", "based_on__queue")


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
        "based_on",
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
        context["notes"] = forecast_versions.horizon_notes(forecast)
        context["chart"] = json.dumps(forecast_versions.chart_data(forecast))
        context["adjustments"] = forecast_versions.adjustments(forecast)
        versions = Forecast.objects.filter(queue=forecast.queue, status=ForecastStatus.READY)
        others = versions.exclude(pk=forecast.pk)
        if others.exists():
            # The version it was adjusted from, else the newest other one; older first.
            other = forecast.based_on or others.first()
            older, newer = sorted((other, forecast), key=lambda f: f.version)
            context["compare_form"] = ForecastCompareForm(
                initial={"a": older.pk, "b": newer.pk}, versions=versions
            )
        if forecast.status == ForecastStatus.READY and has_model_perm(
            self.request.user, Forecast, "add"
        ):
            context["adjust_form"] = kwargs.get("adjust_form") or ForecastAdjustForm(
                forecast=forecast
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


def _forecast_or_404(request, pk, action="view"):
    forecast = all_rows(Forecast).filter(pk=pk).restrict(request.user, action).first()
    if forecast is None:
        raise Http404
    return forecast


@require_POST
def forecast_adjust(request, pk):
    """A planner's manual adjustment: a new version; the page shows it (or the form's
    errors on the forecast adjusted)."""
    check_model_perm(request.user, Forecast, "add")
    forecast = _forecast_or_404(request, pk)
    form = ForecastAdjustForm(request.POST, forecast=forecast)
    if form.is_valid():
        data = form.cleaned_data
        try:
            adjusted = forecast_versions.forecast_adjust(
                forecast=forecast,
                start=data["start"],
                end=data["end"],
                percent=data["percent"],
                calls=data["calls"],
                reason=data["reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Version %(v)s keeps the adjustment; version %(old)s is unchanged.")
                % {"v": adjusted.version, "old": forecast.version},
            )
            plans = StaffingPlan.objects.filter(forecast=forecast).count()
            if plans:
                messages.info(
                    request,
                    ngettext(
                        "%(n)d staffing plan uses version %(old)s: choose version %(v)s in it "
                        "to plan with the adjustment.",
                        "%(n)d staffing plans use version %(old)s: choose version %(v)s in them "
                        "to plan with the adjustment.",
                        plans,
                    )
                    % {"n": plans, "old": forecast.version, "v": adjusted.version},
                )
            return redirect(adjusted.get_absolute_url())
    view = ForecastDetailView()
    view.setup(request, pk=pk)
    view.object = forecast
    context = view.get_context_data(object=forecast, adjust_form=form)
    return render(request, view.template_name, context, status=422)


def forecast_compare(request):
    """Two versions of a queue's forecast side by side."""
    check_model_perm(request.user, Forecast, "view")
    visible = all_rows(Forecast).restrict(request.user, "view").select_related("queue__site")
    a = request.GET.get("a", "")
    first = visible.filter(pk=int(a)).first() if a.isdigit() and len(a) < 12 else None
    if first is None:
        raise Http404
    versions = visible.filter(queue=first.queue, status=ForecastStatus.READY).order_by("-version")
    form = ForecastCompareForm(request.GET, versions=versions)
    comparison = None
    if form.is_valid():
        try:
            comparison = forecast_versions.versions_compare(
                form.cleaned_data["a"], form.cleaned_data["b"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
    context = {
        "form": form,
        "queue": first.queue,
        "comparison": comparison,
        "title": _("Compare forecast versions"),
    }
    if comparison is not None:
        context["chart"] = json.dumps(comparison.chart())
    status = 200 if comparison is not None or not form.is_bound else 422
    return render(request, "wfm/forecast_compare.html", context, status=status)
