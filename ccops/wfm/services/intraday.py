"""Intraday: today's actuals against the forecast, a re-forecast of the rest of the day, the
staffing gap with the published schedule, and temporary adjustments (call-in, overtime...).

The re-forecast of the rest of the day is the forecasting engine's intraday update
(``ccops.engine.forecast.intraday.update_rest_of_day``: the morning forecast times the day's
level re-estimated from the calls so far, shrunk toward the forecast); the heads needed come
from the staffing plan through the queueing engine; the heads scheduled are the
site schedule's agents allocated to the queue.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ccops.core.services import record_create
from ccops.engine.forecast.intraday import update_rest_of_day
from ccops.engine.queueing import required_agents, scheduled_agents
from ccops.wfm.choices import ForecastStatus, QueueModel, ScheduleStatus
from ccops.wfm.models import (
    Forecast,
    ForecastInterval,
    IntervalStat,
    IntradayAdjustment,
    Schedule,
    StaffingPlan,
)
from ccops.wfm.services.coverage import coverage
from ccops.wfm.services.simulation import simulated_requirement
from ccops.wfm.services.staffing import day_intervals

#: The re-forecast ratio is kept within these bounds (a quiet first hour is no reason to
#: expect no calls for the rest of the day).
RATIO_BOUNDS = (0.5, 2.0)


@transaction.atomic
def intraday_adjustment_record(
    *,
    site,
    kind: str,
    start: datetime,
    end: datetime,
    heads: int,
    actor,
    queue=None,
    employee=None,
    note: str = "",
) -> IntradayAdjustment:
    """Record a temporary change of today's staffing (call-in, overtime, cancelled
    training: heads added; sent home: heads removed)."""
    if end <= start:
        raise ValidationError({"end": _("The end must be after the start.")})
    if heads == 0:
        raise ValidationError({"heads": _("Give the number of agents added or removed.")})
    if employee is not None and employee.site_id != site.pk:
        raise ValidationError({"employee": _("The employee works on another site.")})
    return record_create(
        IntradayAdjustment,
        data={
            "site": site,
            "queue": queue,
            "kind": kind,
            "start": start,
            "end": end,
            "heads": heads,
            "employee": employee,
            "note": note,
            "created_by": actor,
        },
        actor=actor,
        verb="intraday_adjustment_record",
    )


def forecast_for_day(queue, day: date) -> Forecast | None:
    """The newest ready forecast version of ``queue`` covering ``day``."""
    for forecast in Forecast.objects.filter(
        queue=queue, status=ForecastStatus.READY, horizon_start__lte=day
    ).order_by("-version"):
        if forecast.horizon_start + timedelta(days=forecast.horizon_days) > day:
            return forecast
    return None


def intraday(queue, day: date, *, plan: StaffingPlan | None = None, now=None) -> dict:
    """Per interval of ``day``: forecast, actual, re-forecast, heads needed, heads scheduled
    (published schedule + adjustments) and the gap."""
    site = queue.site
    now = now or timezone.now()
    starts = day_intervals(site, day)
    n = len(starts)
    index = {s: i for i, s in enumerate(starts)}
    step = timedelta(minutes=site.interval_minutes)
    forecast = forecast_for_day(queue, day)
    fc = np.zeros(n)
    aht = np.full(n, float(plan.default_aht_seconds) if plan else 180.0)
    if forecast is not None:
        for start, calls, a in ForecastInterval.objects.filter(
            forecast=forecast, interval_start__gte=starts[0], interval_start__lte=starts[-1]
        ).values_list("interval_start", "calls", "aht_seconds"):
            if start in index:
                fc[index[start]] = calls
                if a:
                    aht[index[start]] = a
    actual = np.full(n, np.nan)
    for start, offered in IntervalStat.objects.filter(
        queue=queue, interval_start__gte=starts[0], interval_start__lte=starts[-1]
    ).values_list("interval_start", "offered"):
        if start in index:
            actual[index[start]] = offered
    elapsed = np.array([s + step <= now for s in starts])
    update = update_rest_of_day(fc, actual, elapsed, bounds=RATIO_BOUNDS)
    ratio, reforecast = update.ratio, update.calls
    needed = np.zeros(n, dtype=np.int64)
    if plan is not None and plan.model == QueueModel.SIMULATION:
        # the plan's own model: the simulation, kept per re-forecast like the plan's page
        sim = simulated_requirement(
            plan,
            reforecast,
            aht,
            service_level=float(plan.service_level_percent) / 100,
            answer_within_seconds=float(plan.answer_within_seconds),
        )
        needed = scheduled_agents(sim["agents"], float(plan.shrinkage_percent) / 100)
    elif plan is not None:
        kwargs = {
            "service_level": float(plan.service_level_percent) / 100,
            "answer_within_seconds": float(plan.answer_within_seconds),
            "max_occupancy": float(plan.max_occupancy_percent) / 100,
            "model": plan.model,
        }
        if plan.model == QueueModel.ERLANG_A:
            kwargs["patience_seconds"] = float(plan.patience_seconds)
        result = required_agents(reforecast, aht, site.interval_minutes * 60, **kwargs)
        needed = scheduled_agents(result.agents, float(plan.shrinkage_percent) / 100)
    scheduled = np.zeros(n, dtype=np.int64)
    monday = day - timedelta(days=day.weekday())
    schedule = Schedule.objects.filter(
        site=site, week_start=monday, status=ScheduleStatus.PUBLISHED
    ).first()
    if schedule is not None:
        # the site schedule's agents allocated to this queue (those with several skills
        # are split over their queues), not every agent on the phones
        cov = coverage(schedule)
        first = (day - monday).days * cov["intervals_per_day"]
        mine = next((q for q in cov["queues"] if q["id"] == queue.pk), None)
        if mine is not None and n == cov["intervals_per_day"]:
            scheduled = np.rint(mine["scheduled"][first : first + n]).astype(np.int64)
    adjustments = list(
        IntradayAdjustment.objects.filter(
            Q(queue=queue) | Q(queue__isnull=True),
            site=site,
            start__lt=starts[-1] + step,
            end__gt=starts[0],
        ).select_related("employee")
    )
    adjusted = np.zeros(n, dtype=np.int64)
    for adj in adjustments:
        for i, s in enumerate(starts):
            if adj.start < s + step and adj.end > s:
                adjusted[i] += adj.heads
    available = scheduled + adjusted
    return {
        "queue": queue,
        "day": day,
        "plan": plan,
        "forecast": forecast,
        "schedule": schedule,
        "starts": starts,
        "forecast_calls": fc,
        "actual": actual,
        "reforecast": reforecast,
        "ratio": ratio,
        "needed": needed,
        "scheduled": scheduled,
        "adjusted": adjusted,
        "available": available,
        "gap": available - needed,
        "elapsed": elapsed,
        "adjustments": adjustments,
    }
