"""Training, coaching and meetings inside shifts, placed by the engine in the intervals the
center can best spare the agents (:mod:`ccops.engine.schedule.activities`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ccops.core.formats import format_range
from ccops.core.services import (
    lock_for_update,
    notify,
    record_archive,
    record_create,
    require_state,
)
from ccops.engine.schedule.activities import ActivityAgent, place_activities
from ccops.people.models import Employee
from ccops.wfm.choices import ActivityKind, ScheduleStatus
from ccops.wfm.models import Schedule, ScheduledShift, ShiftActivity
from ccops.wfm.services.coverage import coverage
from ccops.wfm.services.queries import shift_breaks

#: An activity lasts at most this long.
MAX_ACTIVITY_MINUTES = 8 * 60
#: Agents one placement takes at most.
MAX_ACTIVITY_AGENTS = 200


@dataclass(frozen=True)
class Placed:
    """One employee's outcome: the activity placed (``None``: no stretch of their shifts
    that day is long enough, or they have no shift) and the lowest spare coverage of
    their queues during it before they left the phones (below zero: it costs service)."""

    employee: Employee
    activity: ShiftActivity | None
    lowest_spare: float | None


def _interval(moment, origin, im: int, *, up: bool = False) -> int:
    minutes = (moment - origin).total_seconds() / 60
    return int(-(-minutes // im)) if up else int(minutes // im)


def _windows(shift: ScheduledShift, origin, im: int) -> list[tuple[int, int]]:
    """The interval stretches of a shift its agent is on the phones."""
    a, b = _interval(shift.start, origin, im, up=True), _interval(shift.end, origin, im)
    away = [(s, e) for s, e, _paid, _name in shift_breaks(shift)]
    away += [(x.start, x.end) for x in shift.activities.all()]
    away = sorted((_interval(s, origin, im), _interval(e, origin, im, up=True)) for s, e in away)
    out, at = [], a
    for s, e in away:
        if s > at:
            out.append((at, min(s, b)))
        at = max(at, e)
    if at < b:
        out.append((at, b))
    return [(x, y) for x, y in out if x < y]


@transaction.atomic
def activity_place(
    *,
    schedule: Schedule,
    employees,
    kind: str,
    title: str,
    minutes: int,
    actor,
    day: date | None = None,
) -> list[Placed]:
    """Place one activity of ``minutes`` for each of ``employees`` inside their shifts of
    the schedule (on ``day`` only, when given), where the least coverage is lost. On a
    published schedule the agents are told."""
    schedule = lock_for_update(schedule)
    require_state(
        schedule,
        "status",
        [ScheduleStatus.DRAFT, ScheduleStatus.PUBLISHED],
        message=_("Activities are placed in a draft or the published schedule only."),
    )
    errors = {}
    if kind not in ActivityKind.values:
        errors["kind"] = _("Not a kind of activity: %(value)s.") % {"value": str(kind)[:40]}
    if not (title or "").strip():
        errors["title"] = _("Give the activity a title.")
    if not isinstance(minutes, int) or not 1 <= minutes <= MAX_ACTIVITY_MINUTES:
        errors["minutes"] = _("An activity lasts 1 to %(max)d minutes.") % {
            "max": MAX_ACTIVITY_MINUTES
        }
    employees = list(employees)
    if not employees:
        errors["employees"] = _("Choose at least one employee.")
    elif len(employees) > MAX_ACTIVITY_AGENTS:
        errors["employees"] = _("At most %(max)d employees at a time.") % {
            "max": MAX_ACTIVITY_AGENTS
        }
    elsewhere = [e.full_name for e in employees if e.site_id != schedule.site_id]
    if elsewhere:
        errors["employees"] = _("Not on the schedule's site: %(names)s.") % {
            "names": ", ".join(elsewhere[:5])
        }
    if errors:
        raise ValidationError(errors)
    zone = schedule.site.zone
    cov = coverage(schedule)
    im, origin = cov["interval_minutes"], cov["origin"]
    rows = {q["id"]: i for i, q in enumerate(cov["queues"])}
    spare = [np.asarray(q["scheduled"]) - np.asarray(q["required"]) for q in cov["queues"]]
    spare.append(np.zeros(7 * cov["intervals_per_day"]))  # queues nobody planned
    spare = np.vstack(spare)
    shifts = (
        schedule.shifts.filter(employee__in=employees)
        .select_related("employee", "schedule__site")
        .defer("schedule__summary")
        .prefetch_related("activities")
        .order_by("start")
    )
    if day is not None:
        first = timezone.make_aware(datetime.combine(day, time.min), zone)
        shifts = shifts.filter(start__gte=first, start__lt=first + timedelta(days=1))
    by_employee: dict[int, list[ScheduledShift]] = {}
    for shift in shifts:
        by_employee.setdefault(shift.employee_id, []).append(shift)
    agents = []
    for e in employees:
        mine = by_employee.get(e.pk, [])
        queues = sorted({rows.get(q, len(rows)) for s in mine for q in s.serves} or {len(rows)})
        windows = [w for s in mine for w in _windows(s, origin, im)]
        agents.append(ActivityAgent(str(e.pk), tuple(queues), tuple(windows)))
    length = -(-minutes // im)
    placements, _left = place_activities(spare, agents, length)
    out = []
    for e, p in zip(employees, placements, strict=True):
        if p.start is None:
            out.append(Placed(e, None, None))
            continue
        start = origin + timedelta(minutes=p.start * im)
        end = start + timedelta(minutes=minutes)
        shift = next(s for s in by_employee[e.pk] if s.start <= start and end <= s.end)
        activity = record_create(
            ShiftActivity,
            data={
                "shift": shift,
                "kind": kind,
                "title": title.strip(),
                "start": start,
                "end": end,
                "created_by": actor,
            },
            actor=actor,
            verb="activity_place",
        )
        out.append(Placed(e, activity, p.lowest_spare))
        if schedule.status == ScheduleStatus.PUBLISHED and e.user_id:
            notify(
                user=e.user,
                message=gettext_noop("%(title)s is in your shift: %(when)s."),
                params={"title": activity.title, "when": format_range(start, end, zone)},
                url=reverse("wfm:my_schedule"),
            )
    return out


@transaction.atomic
def activity_remove(*, activity: ShiftActivity, actor) -> ShiftActivity:
    """Take an activity out of its shift (archived: the audit log keeps it); on a
    published schedule the agent is told."""
    activity = lock_for_update(activity)
    schedule = activity.shift.schedule
    require_state(
        schedule,
        "status",
        [ScheduleStatus.DRAFT, ScheduleStatus.PUBLISHED],
        message=_("Activities are changed in a draft or the published schedule only."),
    )
    record_archive(activity, actor=actor)
    employee = activity.shift.employee
    if schedule.status == ScheduleStatus.PUBLISHED and employee and employee.user_id:
        notify(
            user=employee.user,
            message=gettext_noop("%(title)s on %(when)s is cancelled."),
            params={
                "title": activity.title,
                "when": format_range(activity.start, activity.end, schedule.site.zone),
            },
            url=reverse("wfm:my_schedule"),
        )
    return activity
