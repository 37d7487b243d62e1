"""A new shift plan against the old one, and the staff's feedback once it runs (the manual:
compare every new plan with the old, explain it to front-line managers before release,
collect the staff's views after)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count
from django.utils.translation import gettext as _

from ccops.core.formats import to_local
from ccops.core.services import lock_for_update, record_create, require_state
from ccops.people.models import Employee
from ccops.wfm.choices import ScheduleStatus
from ccops.wfm.models import Schedule, ScheduleFeedback
from ccops.wfm.services.coverage import coverage, request_projection
from ccops.wfm.services.queries import paid_hours


@dataclass
class AgentWeek:
    hours: float = 0.0
    starts: list = field(default_factory=list)  # (weekday, "HH:MM") in the site's time
    days: set = field(default_factory=set)  # weekdays worked


@dataclass(frozen=True)
class AgentChange:
    employee: Employee | None  # None: the open shifts
    hours: tuple[float, float]
    starts: tuple[tuple, tuple]
    days_off: tuple[tuple[int, ...], tuple[int, ...]]

    @property
    def changed(self) -> bool:
        return (
            abs(self.hours[0] - self.hours[1]) > 0.01
            or self.starts[0] != self.starts[1]
            or self.days_off[0] != self.days_off[1]
        )


def _weeks(schedule: Schedule) -> dict[int | None, AgentWeek]:
    zone = schedule.site.zone
    out: dict[int | None, AgentWeek] = defaultdict(AgentWeek)
    for shift in (
        schedule.shifts.select_related("schedule__site")
        .defer("schedule__summary")
        .order_by("start")
    ):
        local = to_local(shift.start, zone)
        day = (local.date() - schedule.week_start).days
        week = out[shift.employee_id]
        week.hours += paid_hours(shift)
        week.starts.append((day, f"{local:%H:%M}"))
        week.days.add(day)
    return out


def _site_figures(schedule: Schedule) -> dict:
    cov = coverage(schedule)
    request_projection(schedule, cov)
    return {
        "required": np.asarray(cov["required"]),
        "met": np.asarray(cov["met"]),
        "projected": cov["projected_service_level"],
        "projected_low": cov["projected_low"],
        "projected_high": cov["projected_high"],
        "computing": bool(cov["pending"]),
        "under": cov["under"],
        "over": cov["over"],
        "interval_minutes": cov["interval_minutes"],
        "intervals_per_day": cov["intervals_per_day"],
        "origin": cov["origin"],
    }


def schedule_compare(old: Schedule, new: Schedule) -> dict:
    """Two versions (or two weeks) of a site's schedule side by side: per agent the paid
    hours, start times and days off in each; per interval the agents on the phones
    against the need, aligned by weekday and time; and the totals."""
    if old.site_id != new.site_id:
        raise ValidationError(_("Only schedules of one site can be compared."))
    a, b = _weeks(old), _weeks(new)
    people = {
        e.pk: e for e in Employee.all_objects.filter(pk__in=[k for k in {*a, *b} if k is not None])
    }
    rows = []
    for pk in sorted({*a, *b}, key=lambda k: (k is None, people[k].full_name if k else "")):
        x, y = a.get(pk, AgentWeek()), b.get(pk, AgentWeek())
        rows.append(
            AgentChange(
                employee=people.get(pk) if pk is not None else None,
                hours=(round(x.hours, 2), round(y.hours, 2)),
                starts=(tuple(x.starts), tuple(y.starts)),
                days_off=(
                    tuple(d for d in range(7) if d not in x.days),
                    tuple(d for d in range(7) if d not in y.days),
                ),
            )
        )
    fa, fb = _site_figures(old), _site_figures(new)
    ipd = fb["intervals_per_day"]
    same_grid = fa["intervals_per_day"] == ipd
    days = []
    for d in range(7):
        part = slice(d * ipd, (d + 1) * ipd)
        short = [
            float(np.clip(f["required"][part] - f["met"][part], 0, None).sum())
            * f["interval_minutes"]
            / 60
            for f in (fa, fb)
        ]
        days.append({"day": d, "short_hours": tuple(round(s, 1) for s in short)})
    moved = 0
    if same_grid:
        moved = int(np.sum(np.round(fa["met"]) != np.round(fb["met"])))
    return {
        "old": old,
        "new": new,
        "agents": rows,
        "changed_agents": sum(1 for r in rows if r.changed and r.employee is not None),
        "hours": tuple(round(sum(r.hours[i] for r in rows), 1) for i in (0, 1)),
        "open_shifts": tuple(s.shifts.filter(employee__isnull=True).count() for s in (old, new)),
        "projected": (fa["projected"], fb["projected"]),
        "projected_low": (fa["projected_low"], fb["projected_low"]),
        "projected_high": (fa["projected_high"], fb["projected_high"]),
        "computing": (fa["computing"], fb["computing"]),
        "under": (fa["under"], fb["under"]),
        "over": (fa["over"], fb["over"]),
        "days": days,
        "intervals_changed": moved,
        "interval_minutes": fb["interval_minutes"],
    }


def compare_default(schedule: Schedule) -> Schedule | None:
    """What a version is compared with by default: the published version of its week
    (for a draft), else the version before it, else the site's schedule of the week
    before."""
    same_week = Schedule.objects.filter(site=schedule.site, week_start=schedule.week_start)
    if schedule.status != ScheduleStatus.PUBLISHED:
        published = same_week.filter(status=ScheduleStatus.PUBLISHED).exclude(pk=schedule.pk)
        if published.exists():
            return published.first()
    earlier = same_week.filter(version__lt=schedule.version).order_by("-version").first()
    if earlier is not None:
        return earlier
    return (
        Schedule.objects.filter(
            site=schedule.site,
            week_start__lt=schedule.week_start,
            status__in=[ScheduleStatus.PUBLISHED, ScheduleStatus.SUPERSEDED],
        )
        .order_by("-week_start", "-version")
        .first()
    )


def schedule_for_feedback(pk: int, employee: Employee | None) -> Schedule:
    """The schedule an employee gives feedback on: any schedule of their own site (agents
    do not see schedules as such, only their shifts); else ``Http404``."""
    from django.http import Http404

    schedule = Schedule.objects.filter(
        pk=pk, site_id=employee.site_id if employee else None
    ).first()
    if schedule is None:
        raise Http404(_("Schedule %(pk)s is not a schedule of your site.") % {"pk": pk})
    return schedule


@transaction.atomic
def schedule_feedback_add(
    *, schedule: Schedule, employee: Employee, actor, rating: int | None = None, comment=""
) -> ScheduleFeedback:
    """An agent's view of a published schedule (a rating from 1 to 5 and/or a comment);
    each one is kept, the planners see them all."""
    schedule = lock_for_update(schedule)
    require_state(
        schedule,
        "status",
        [ScheduleStatus.PUBLISHED, ScheduleStatus.SUPERSEDED],
        message=_("Feedback is given on a published schedule."),
    )
    if employee.site_id != schedule.site_id:
        raise ValidationError({"schedule": _("The schedule is of another site.")})
    if rating is None and not (comment or "").strip():
        raise ValidationError(_("Give a rating or a comment."))
    return record_create(
        ScheduleFeedback,
        data={
            "schedule": schedule,
            "employee": employee,
            "rating": rating,
            "comment": (comment or "").strip(),
        },
        actor=actor,
        verb="schedule_feedback",
    )


def feedback_summary(schedule: Schedule) -> dict:
    rows = ScheduleFeedback.objects.filter(schedule=schedule)
    figures = rows.aggregate(n=Count("id"), rated=Count("rating"), mean=Avg("rating"))
    return {
        "count": figures["n"],
        "rated": figures["rated"],
        "mean": round(figures["mean"], 1) if figures["mean"] is not None else None,
        "rows": rows.select_related("employee")[:200],
    }
