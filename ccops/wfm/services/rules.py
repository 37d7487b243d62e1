"""Hard rules a set of shifts of one agent must keep (checked on every manual edit and swap).

The rules are those of the scheduling engine's roster checker: one shift per day, no two
shifts overlapping, at least ``MIN_REST_HOURS`` of rest between shifts, at most
``MAX_CONSECUTIVE_DAYS`` working days in a row, and no more paid hours in a week than the
employee's contract allows (plus ``WEEKLY_HOURS_MARGIN``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import timedelta

from django.utils.translation import gettext as _

MIN_REST_HOURS = 11
MAX_CONSECUTIVE_DAYS = 6
WEEKLY_HOURS_MARGIN = 0


def shift_violations(employee, shifts: Iterable, *, zone) -> list[str]:
    """Every hard-rule violation of ``shifts`` (objects with ``start``/``end``) of
    ``employee``, as sentences (empty list when the shifts are fine)."""
    ordered = sorted(shifts, key=lambda s: s.start)
    out: list[str] = []
    days = [s.start.astimezone(zone).date() for s in ordered]
    seen = set()
    for day in days:
        if day in seen:
            out.append(_("%(who)s has two shifts on %(day)s.") % {"who": employee, "day": day})
        seen.add(day)
    for prev, nxt in itertools.pairwise(ordered):
        if nxt.start < prev.end:
            out.append(
                _("%(who)s has overlapping shifts at %(when)s.")
                % {"who": employee, "when": nxt.start.astimezone(zone).strftime("%Y-%m-%d %H:%M")}
            )
        elif nxt.start - prev.end < timedelta(hours=MIN_REST_HOURS):
            rest = (nxt.start - prev.end).total_seconds() / 3600
            out.append(
                _(
                    "%(who)s would rest only %(hours).1f h before the shift of %(day)s "
                    "(minimum %(min)d h)."
                )
                % {
                    "who": employee,
                    "hours": rest,
                    "day": nxt.start.astimezone(zone).date(),
                    "min": MIN_REST_HOURS,
                }
            )
    unique_days = sorted(seen)
    run = 1
    for prev, nxt in itertools.pairwise(unique_days):
        run = run + 1 if (nxt - prev).days == 1 else 1
        if run > MAX_CONSECUTIVE_DAYS:
            out.append(
                _("%(who)s would work more than %(n)d days in a row (until %(day)s).")
                % {"who": employee, "n": MAX_CONSECUTIVE_DAYS, "day": nxt}
            )
            break
    weeks: dict = {}
    for s in ordered:
        local = s.start.astimezone(zone).date()
        monday = local - timedelta(days=local.weekday())
        weeks[monday] = weeks.get(monday, 0.0) + paid_hours(s)
    limit = float(employee.weekly_hours) + WEEKLY_HOURS_MARGIN
    for monday, hours in sorted(weeks.items()):
        if hours > limit + 1e-9:
            out.append(
                _(
                    "%(who)s would work %(hours).1f h in the week of %(day)s "
                    "(contract %(limit).1f h)."
                )
                % {"who": employee, "hours": hours, "day": monday, "limit": limit}
            )
    return out


def paid_hours(shift) -> float:
    """Hours of the shift minus its unpaid breaks."""
    from django.utils.dateparse import parse_datetime

    total = (shift.end - shift.start).total_seconds()
    for item in shift.breaks or []:
        if item.get("paid"):
            continue
        start, end = parse_datetime(item["start"]), parse_datetime(item["end"])
        if start and end:
            total -= (end - start).total_seconds()
    return total / 3600
