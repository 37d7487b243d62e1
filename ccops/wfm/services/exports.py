"""Exports: a schedule to Excel (one sheet per agent view and per day view), coverage CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from ccops.core import formats
from ccops.core.exports import safe_row
from ccops.core.models import Queue
from ccops.wfm.models import Schedule
from ccops.wfm.services.calendar import break_text
from ccops.wfm.services.coverage import coverage
from ccops.wfm.services.queries import paid_hours


def _shifts(schedule: Schedule):
    return list(
        schedule.shifts.select_related("employee", "queue").order_by("start", "employee__full_name")
    )


def schedule_xlsx(schedule: Schedule) -> bytes:
    """The schedule as an Excel workbook: sheet "By agent" (one row per agent, one column per
    day) and sheet "By day" (one row per shift, grouped by day), in the site's time."""
    zone = schedule.site.zone
    days = [schedule.week_start + timedelta(days=d) for d in range(7)]
    shifts = _shifts(schedule)
    book = Workbook()
    by_agent = book.active
    by_agent.title = str(_("By agent"))[:31]
    bold = Font(bold=True)
    by_agent.append(
        [
            str(_("Employee number")),
            str(_("Employee")),
            *[formats.format_date(d, long=True) for d in days],
            str(_("Paid hours")),
        ]
    )
    for cell in by_agent[1]:
        cell.font = bold
    table: dict = {}
    for s in shifts:
        key = (
            (s.employee.employee_number, s.employee.full_name)
            if s.employee_id
            else ("", str(_("unassigned")))
        )
        row = table.setdefault(key, {"days": {}, "hours": 0.0})
        day = timezone.localtime(s.start, zone).date()
        text = f"{formats.format_time(s.start, zone)}-{formats.format_time(s.end, zone)}"
        row["days"][day] = ", ".join(filter(None, [row["days"].get(day), text]))
        row["hours"] += paid_hours(s)
    for (number, name), row in sorted(table.items(), key=lambda kv: (kv[0][0] == "", kv[0])):
        by_agent.append(
            safe_row(
                [number, name, *[row["days"].get(d, "") for d in days], round(row["hours"], 2)]
            )
        )
    by_day = book.create_sheet(str(_("By day"))[:31])
    by_day.append(
        [
            str(_("Day")),
            str(_("Start")),
            str(_("End")),
            str(_("Employee number")),
            str(_("Employee")),
            str(_("Template")),
            str(_("Queue")),
            str(_("Breaks")),
        ]
    )
    for cell in by_day[1]:
        cell.font = bold
    names = dict(Queue.all_objects.filter(site=schedule.site).values_list("pk", "name"))
    for s in shifts:
        start, end = timezone.localtime(s.start, zone), timezone.localtime(s.end, zone)
        by_day.append(
            safe_row(
                [
                    start.date(),
                    formats.format_time(start),
                    formats.format_time(end),
                    s.employee.employee_number if s.employee_id else "",
                    s.employee.full_name if s.employee_id else str(_("unassigned")),
                    s.template,
                    ", ".join(names.get(q, str(q)) for q in s.serves),
                    break_text(s),
                ]
            )
        )
    for sheet in (by_agent, by_day):
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(40, width + 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def coverage_csv(schedule: Schedule) -> str:
    """``interval_start,queue,required,scheduled,calls,projected_service_level`` per queue
    and interval of the week (site local time with its UTC offset), then the site's
    totals (queue ``*``); when a plan names the simulation, also the bounds of its 95 %
    confidence interval (``projected_service_level_low``, ``_high``; empty while it is
    being computed, and for the site's row)."""
    cov = coverage(schedule)
    simulated = any(q["simulated"] for q in cov["queues"])
    zone = schedule.site.zone
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["interval_start", "queue", "required", "scheduled", "calls"]
    header.append("projected_service_level")
    if simulated:
        header += ["projected_service_level_low", "projected_service_level_high"]
    writer.writerow(header)
    rows = [(q["queue"].code if q["queue"] else str(q["id"]), q) for q in cov["queues"]]
    site = {
        "required": cov["required"],
        "scheduled": cov["scheduled"],
        "calls": cov["calls"],
        "service_level": cov["service_level"],
    }
    for i in range(cov["required"].size):
        start = (cov["origin"] + timedelta(minutes=i * cov["interval_minutes"])).astimezone(zone)
        for code, q in [*rows, ("*", site)]:
            sl = q["service_level"][i]
            row = [
                start.isoformat(timespec="minutes"),
                code,
                round(float(q["required"][i]), 2),
                round(float(q["scheduled"][i]), 2),
                f"{q['calls'][i]:.2f}",
                "" if sl != sl else f"{sl:.4f}",
            ]
            if simulated:
                for bound in ("service_level_low", "service_level_high"):
                    value = q[bound][i] if bound in q else float("nan")
                    row.append("" if value != value else f"{value:.4f}")
            writer.writerow(safe_row(row))
    return out.getvalue()
