"""Shared builders of the wfm tests: a published week of shifts on a build_world() center."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from ccops.core.testing import build_world
from ccops.wfm import services
from ccops.wfm.models import ScheduledShift


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def next_monday(today: date | None = None) -> date:
    today = today or date.today()
    return monday(today) + timedelta(days=7)


def local(site, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=site.zone)


def publish_week(world, week_start: date, plan: dict, *, actor=None) -> tuple:
    """Publish a schedule of ``week_start`` with ``plan = {employee: [(day offset, start
    hour, hours), ...]}``; returns ``(schedule, {employee: [shifts]})``."""
    actor = actor or world.users["operations_supervisor"]
    schedule = services.schedule_create(site=world.site, week_start=week_start, actor=actor)
    made: dict = {}
    for employee, items in plan.items():
        for offset, hour, hours in items:
            start = local(world.site, week_start + timedelta(days=offset), hour)
            shift = services.shift_add(
                schedule=schedule,
                employee=employee,
                start=start,
                end=start + timedelta(hours=hours),
                queue=world.queue,
                actor=actor,
            )
            made.setdefault(employee, []).append(shift)
    services.schedule_publish(schedule=schedule, actor=actor, confirm=True)
    schedule.refresh_from_db()
    return schedule, made


def world_with_week(week_start: date | None = None):
    """build_world() plus a published week: the agent and the other agent work 9-17
    Monday to Friday; returns ``(world, schedule, shifts)``."""
    world = build_world()
    week_start = week_start or next_monday()
    days = [(d, 9, 8) for d in range(5)]
    schedule, shifts = publish_week(
        world, week_start, {world.employees["agent"]: days, world.other_employee: days}
    )
    return world, schedule, shifts


__all__ = [
    "ScheduledShift",
    "local",
    "monday",
    "next_monday",
    "publish_week",
    "ready_forecast",
    "world_with_week",
]


def add_history(world, day: date, *, weeks: int = 4, calls: float = 30.0, aht: float = 240.0):
    """IntervalStat rows for the ``weeks`` same weekdays before ``day``: ``calls`` offered
    (all answered, AHT ``aht``) in every interval from 08:00 to 20:00 local, 0 elsewhere."""
    from ccops.wfm.models import IntervalStat
    from ccops.wfm.services.staffing import day_intervals

    rows = []
    for back in range(1, weeks + 1):
        for start in day_intervals(world.site, day - timedelta(days=7 * back)):
            hour = start.astimezone(world.site.zone).hour
            busy = 8 <= hour < 20
            rows.append(
                IntervalStat(
                    site=world.site,
                    queue=world.queue,
                    interval_start=start,
                    interval_minutes=world.site.interval_minutes,
                    offered=int(calls) if busy else 0,
                    answered=int(calls) if busy else 0,
                    abandoned=0,
                    aht_seconds=aht if busy else None,
                )
            )
    IntervalStat.objects.bulk_create(rows)
    return rows


def make_plan(world, **extra):
    from ccops.wfm.services import staffing

    data = {
        "name": "Retail normal",
        "queue": world.queue,
        "period_type": "normal",
        "service_level_percent": 80,
        "answer_within_seconds": 20,
        "shrinkage_percent": 30,
        **extra,
    }
    return staffing.staffing_plan_create(actor=world.users["operations_supervisor"], **data)


TEMPLATES_YAML = """
sets:
  normal:
    - name: day
      start_earliest: "08:00"
      start_latest: "12:00"
      start_step_minutes: 60
      length_minutes: 480
      days: all
      breaks:
        - name: lunch
          length_minutes: 30
          earliest_after_start_minutes: 180
          latest_after_start_minutes: 300
          paid: false
"""


def make_template_set(world, definition: str = TEMPLATES_YAML):
    from ccops.core.services import record_create
    from ccops.wfm.models import ShiftTemplateSet

    return record_create(
        ShiftTemplateSet,
        data={"site": world.site, "name": f"Standard {world.site.code}", "definition": definition},
        actor=world.users["operations_supervisor"],
    )


def ready_forecast(world, start: date = date(2026, 3, 2), days: int = 7, *, calls=10.0, actor=None):
    """A ready forecast version of the world's queue without running the engine: ``calls``
    (band 0.7x..1.3x, AHT 200 s) in every interval from 08:00 to 20:00 local, 0 elsewhere."""
    from ccops.wfm.models import ForecastInterval
    from ccops.wfm.services import forecasts
    from ccops.wfm.services.staffing import day_intervals

    actor = actor or world.users["statistician"]
    forecast = forecasts.forecast_create(
        queue=world.queue, horizon_start=start, horizon_days=days, actor=actor
    )
    rows = []
    for offset in range(days):
        for begin in day_intervals(world.site, start + timedelta(days=offset)):
            value = calls if 8 <= begin.astimezone(world.site.zone).hour < 20 else 0.0
            rows.append(
                ForecastInterval(
                    forecast=forecast,
                    interval_start=begin,
                    calls=value,
                    calls_low=value * 0.7,
                    calls_high=value * 1.3,
                    aht_seconds=200.0,
                )
            )
    ForecastInterval.objects.bulk_create(rows)
    type(forecast).objects.filter(pk=forecast.pk).update(
        status="ready", summary={"intervals": len(rows), "calls": sum(r.calls for r in rows)}
    )
    forecast.refresh_from_db()
    return forecast
