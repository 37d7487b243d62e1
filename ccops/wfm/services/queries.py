"""Reads shared by the workforce services (no writes, no imports of other services)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils.dateparse import parse_datetime

from ccops.core.models import Site
from ccops.wfm.choices import ScheduleStatus
from ccops.wfm.models import ScheduledShift


def published_shifts():
    """Shifts of published schedules (what agents see and work)."""
    return ScheduledShift.objects.filter(schedule__status=ScheduleStatus.PUBLISHED)


def week_bounds(site: Site, week_start: date) -> tuple[datetime, datetime]:
    """UTC start and end of the site-local week starting on ``week_start`` (a Monday)."""
    zone = site.zone
    start = datetime.combine(week_start, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(week_start + timedelta(days=7), datetime.min.time(), tzinfo=zone)
    return start, end


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def shift_breaks(shift) -> list[tuple[datetime, datetime, bool, str]]:
    """``(start, end, paid, name)`` of each break of a shift (stored as ISO times)."""
    out = []
    for item in shift.breaks or []:
        start, end = parse_datetime(item.get("start", "")), parse_datetime(item.get("end", ""))
        if start and end:
            out.append((start, end, bool(item.get("paid")), item.get("name", "")))
    return out


def paid_hours(shift) -> float:
    """Hours of the shift minus its unpaid breaks."""
    total = (shift.end - shift.start).total_seconds()
    for start, end, paid, _name in shift_breaks(shift):
        if not paid:
            total -= (end - start).total_seconds()
    return total / 3600
