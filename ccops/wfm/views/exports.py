"""Downloads: a schedule as Excel, its coverage as CSV."""

from __future__ import annotations

from django.http import HttpResponse

from ccops.core.generic import get_restricted_or_404
from ccops.core.permissions import check_model_perm
from ccops.wfm.models import Schedule
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
