"""Downloads: a schedule as Excel, its coverage as CSV, a forecast's intervals as CSV."""

from __future__ import annotations

from django.http import HttpResponse

from ccops.core.exports import csv_response
from ccops.core.generic import get_restricted_or_404
from ccops.core.permissions import check_model_perm
from ccops.wfm.models import Forecast, Schedule
from ccops.wfm.services import exports

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _name(schedule: Schedule, ext: str) -> str:
    return f"schedule-{schedule.site.code}-{schedule.week_start}-v{schedule.version}.{ext}"


def schedule_export_xlsx(request, pk):
    check_model_perm(request.user, Schedule, "view")
    schedule = get_restricted_or_404(Schedule, request.user, pk)
    response = HttpResponse(exports.schedule_xlsx(schedule), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_name(schedule, "xlsx")}"'
    return response


def coverage_csv(request, pk):
    check_model_perm(request.user, Schedule, "view")
    schedule = get_restricted_or_404(Schedule, request.user, pk)
    response = HttpResponse(exports.coverage_csv(schedule), content_type="text/csv")
    name = _name(schedule, "csv").replace("schedule-", "coverage-")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def forecast_csv(request, pk):
    """A forecast's intervals in the site's time: calls, the 80 % band and the AHT."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    check_model_perm(request.user, Forecast, "view")
    forecast = get_restricted_or_404(Forecast, request.user, pk)
    zone = forecast.queue.site.zone
    header = [
        _("Interval"),
        _("Calls"),
        _("Calls, low (80 %)"),
        _("Calls, high (80 %)"),
        _("AHT (s)"),
    ]
    rows = (
        [
            f"{timezone.localtime(row.interval_start, zone):%Y-%m-%d %H:%M}",
            round(row.calls, 3),
            "" if row.calls_low is None else round(row.calls_low, 3),
            "" if row.calls_high is None else round(row.calls_high, 3),
            round(row.aht_seconds, 1),
        ]
        for row in forecast.intervals.order_by("interval_start")
    )
    name = f"forecast-{forecast.queue.code}-{forecast.horizon_start}-v{forecast.version}.csv"
    return csv_response(header, rows, name)
