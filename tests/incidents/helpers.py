"""Builders of the incidents tests: an outage yesterday morning on a build_world() center
with a forecast, interval history and a published week."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ccops.core import audit
from ccops.core.testing import build_world
from ccops.incidents import services
from ccops.wfm.models import Forecast, ForecastInterval, IntervalStat
from ccops.wfm.services.staffing import day_intervals
from tests.wfm.helpers import local, make_plan, monday, publish_week

FORECAST_CALLS = 20.0


def yesterday() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=1)


def ops(w):
    return w.users["operations_supervisor"]


def declare(w, *, kind="billing", day=None, hour=10, actor=None, **extra):
    day = day or yesterday()
    data = {
        "site": w.site,
        "kind": kind,
        "severity": "high",
        "title": f"{kind} down",
        "started_at": local(w.site, day, hour),
        "symptoms": "Agents cannot open accounts.",
        "systems": ["billing"],
        "queues": [w.queue],
        **extra,
    }
    return services.incident_declare(actor=actor or ops(w), **data)


def recovered(w, *, day=None, hour=10, minutes=90, **extra):
    incident = declare(w, day=day, hour=hour, **extra)
    return services.incident_recover(
        incident=incident,
        recovered_at=incident.started_at + dt.timedelta(minutes=minutes),
        actor=ops(w),
    )


def write_fault(w, incident):
    return services.fault_record_save(
        incident=incident,
        actor=ops(w),
        cause="The billing database ran out of disk space.",
        actions_taken="IT extended the disk and restarted the service.",
        responsible_department="IT operations",
        agreement="IT alerts at 80% disk use.",
        impact="Account queries impossible for 90 minutes.",
    )


def closed(w, **extra):
    incident = recovered(w, **extra)
    write_fault(w, incident)
    return services.incident_close(incident=incident, actor=ops(w))


def forecast(w, days, calls=FORECAST_CALLS, aht=240.0):
    """A ready forecast of ``w.queue`` over ``days`` (a list of dates): ``calls`` in every
    interval from 08:00 to 20:00 local."""
    with audit.acting_as(None, via=audit.VIA_SYSTEM):
        fc = Forecast.objects.create(
            site=w.site,
            queue=w.queue,
            version=Forecast.objects.filter(queue=w.queue).count() + 1,
            horizon_start=min(days),
            horizon_days=(max(days) - min(days)).days + 1,
            method="test",
            status="ready",
        )
        rows = []
        for day in days:
            for start in day_intervals(w.site, day):
                if 8 <= start.astimezone(w.site.zone).hour < 20:
                    rows.append(
                        ForecastInterval(
                            forecast=fc, interval_start=start, calls=calls, aht_seconds=aht
                        )
                    )
        ForecastInterval.objects.bulk_create(rows)
    return fc


def history(w, start, end, *, offered, answered, abandoned=None):
    step = dt.timedelta(minutes=w.site.interval_minutes)
    rows, t = [], start
    while t < end:
        value = offered(t) if callable(offered) else offered
        rows.append(
            IntervalStat(
                site=w.site,
                queue=w.queue,
                interval_start=t,
                interval_minutes=w.site.interval_minutes,
                offered=int(value),
                answered=int(answered),
                abandoned=int(value - answered if abandoned is None else abandoned),
            )
        )
        t += step
    IntervalStat.objects.bulk_create(rows)


def surge_world(extra=None):
    """A center with an outage yesterday 10:00-11:30 on the queue: forecast 20 calls an
    interval, the switch counted 5 an interval in the outage and answered none; the agent
    works 09:00-17:00 yesterday (published), the other agent rests; a staffing plan.

    ``extra(w)`` may give more shifts, ``{employee: [(date, start hour, hours)]}``: each week
    is published once with all its shifts (a second version of a week replaces the first)."""
    w = build_world()
    day = yesterday()
    forecast(w, [day - dt.timedelta(days=1), day])
    make_plan(w)
    shifts = {w.employees["agent"]: [(day, 9, 8)]}
    shifts.update(extra(w) if extra else {})
    weeks: dict = {}
    for employee, items in shifts.items():
        for when, hour, hours in items:
            week = weeks.setdefault(monday(when), {})
            week.setdefault(employee, []).append(((when - monday(when)).days, hour, hours))
    for week_start, plan in sorted(weeks.items()):
        publish_week(w, week_start, plan)
    incident = recovered(w, day=day)
    history(w, incident.started_at, incident.recovered_at, offered=5, answered=0)
    w.incident = incident
    return w
