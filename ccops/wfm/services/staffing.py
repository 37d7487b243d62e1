"""Staffing plans: from a day's volume and handle time to the heads needed per interval.

The conversion to the engine: a plan's targets (Decimals in percent) become the float
arguments of :func:`ccops.engine.queueing.required_agents`; the volume comes from the plan's
forecast or, without one, from the mean of the same weekday in the last four weeks of
imported history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ccops.core.services import record_create, record_update
from ccops.engine.queueing import required_agents, scheduled_agents
from ccops.wfm.choices import QueueModel
from ccops.wfm.models import ForecastInterval, IntervalStat, StaffingPlan
from ccops.wfm.services.simulation import simulated_requirement

HISTORY_WEEKS = 4

PLAN_FIELDS = (
    "name",
    "site",
    "queue",
    "period_type",
    "forecast",
    "service_level_percent",
    "answer_within_seconds",
    "max_occupancy_percent",
    "max_abandon_percent",
    "shrinkage_percent",
    "model",
    "patience_seconds",
    "patience_shape",
    "service_shape",
    "service_cv",
    "simulation_replications",
    "simulation_seed",
    "default_aht_seconds",
    "notes",
)


@transaction.atomic
def staffing_plan_create(*, actor, **data) -> StaffingPlan:
    """Record a staffing plan (targets, shrinkage and model of a queue for a period type)."""
    unknown = set(data) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    if data.get("queue") is not None and data.get("site") is None:
        data["site"] = data["queue"].site
    return record_create(StaffingPlan, data=data, actor=actor, verb="staffing_plan_create")


@transaction.atomic
def staffing_plan_update(*, plan: StaffingPlan, actor, **data) -> StaffingPlan:
    unknown = set(data) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    return record_update(plan, data=data, actor=actor, verb="staffing_plan_update")


def day_intervals(site, day: date) -> list[datetime]:
    """UTC starts of the site-local day's intervals (23 or 25 hours on DST days)."""
    zone = site.zone
    start = datetime.combine(day, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    step = timedelta(minutes=site.interval_minutes)
    out, t = [], start.astimezone(UTC)
    end_utc = end.astimezone(UTC)
    while t < end_utc:
        out.append(t)
        t += step
    return out


@dataclass
class Volume:
    """Calls and AHT per interval of one day, and where they come from."""

    starts: list[datetime]
    calls: np.ndarray
    aht_seconds: np.ndarray
    source: str


def day_volume(plan: StaffingPlan, day: date) -> Volume:
    """The plan's volume for ``day``: its forecast, else the recent same-weekday history."""
    site = plan.site
    starts = day_intervals(site, day)
    n = len(starts)
    calls = np.zeros(n)
    aht = np.full(n, float(plan.default_aht_seconds))
    index = {s: i for i, s in enumerate(starts)}
    if plan.forecast_id:
        rows = ForecastInterval.objects.filter(
            forecast_id=plan.forecast_id,
            interval_start__gte=starts[0],
            interval_start__lte=starts[-1],
        ).values_list("interval_start", "calls", "aht_seconds")
        found = 0
        for start, c, a in rows:
            i = index.get(start)
            if i is not None:
                calls[i] = c
                if a and a > 0:
                    aht[i] = a
                found += 1
        if found:
            return Volume(starts, calls, aht, _("forecast %(f)s") % {"f": plan.forecast})
    total = np.zeros(n)
    work = np.zeros(n)
    answered = np.zeros(n)
    weeks = 0
    for back in range(1, HISTORY_WEEKS + 1):
        past = day - timedelta(days=7 * back)
        past_starts = day_intervals(site, past)
        if len(past_starts) != n:
            continue
        rows = IntervalStat.objects.filter(
            queue=plan.queue,
            interval_start__gte=past_starts[0],
            interval_start__lte=past_starts[-1],
        ).values_list("interval_start", "offered", "answered", "aht_seconds")
        past_index = {s: i for i, s in enumerate(past_starts)}
        got = False
        for start, offered, ans, a in rows:
            i = past_index.get(start)
            if i is None:
                continue
            got = True
            total[i] += offered
            if a and ans:
                work[i] += a * ans
                answered[i] += ans
        weeks += got
    if weeks == 0:
        return Volume(starts, calls, aht, _("no forecast and no history"))
    calls = total / weeks
    with np.errstate(invalid="ignore", divide="ignore"):
        aht = np.where(answered > 0, work / np.maximum(answered, 1), aht)
    return Volume(
        starts,
        calls,
        aht,
        _("mean of the last %(n)d same weekdays of history") % {"n": weeks},
    )


@dataclass
class Requirement:
    """Heads per interval for one day under a plan (and what-if changes)."""

    starts: list[datetime]
    calls: np.ndarray
    aht_seconds: np.ndarray
    agents: np.ndarray
    scheduled: np.ndarray
    service_level: np.ndarray
    occupancy: np.ndarray
    binding: np.ndarray
    source: str
    interval_minutes: int
    settings: dict = field(default_factory=dict)

    @property
    def peak_scheduled(self) -> int:
        return int(self.scheduled.max()) if self.scheduled.size else 0

    @property
    def peak_agents(self) -> int:
        return int(self.agents.max()) if self.agents.size else 0

    @property
    def scheduled_hours(self) -> float:
        return float(self.scheduled.sum()) * self.interval_minutes / 60

    @property
    def total_calls(self) -> float:
        return float(self.calls.sum())

    def rows(self, zone):
        for i, start in enumerate(self.starts):
            yield {
                "start": start.astimezone(zone),
                "calls": float(self.calls[i]),
                "aht": float(self.aht_seconds[i]),
                "agents": int(self.agents[i]),
                "scheduled": int(self.scheduled[i]),
                "service_level": float(self.service_level[i]),
                "occupancy": float(self.occupancy[i]),
            }


def plan_requirement(
    plan: StaffingPlan,
    day: date,
    *,
    volume_percent: float = 100.0,
    aht_seconds: float | None = None,
    service_level_percent: float | None = None,
    answer_within_seconds: float | None = None,
    shrinkage_percent: float | None = None,
) -> Requirement:
    """Required and scheduled agents per interval of ``day`` under ``plan``, with what-if
    changes: volume scaled by ``volume_percent``, AHT replaced, targets replaced."""
    if volume_percent < 0:
        raise ValidationError({"volume_percent": _("The volume cannot be negative.")})
    volume = day_volume(plan, day)
    calls = volume.calls * (volume_percent / 100.0)
    aht = (
        np.full_like(volume.aht_seconds, float(aht_seconds)) if aht_seconds else volume.aht_seconds
    )
    sl = float(
        service_level_percent if service_level_percent is not None else plan.service_level_percent
    )
    within = float(
        answer_within_seconds if answer_within_seconds is not None else plan.answer_within_seconds
    )
    shrink = float(shrinkage_percent if shrinkage_percent is not None else plan.shrinkage_percent)
    if not 0 < sl < 100:
        raise ValidationError({"service_level_percent": _("Give a target between 0 and 100 %.")})
    if not 0 <= shrink < 100:
        raise ValidationError({"shrinkage_percent": _("Shrinkage is from 0 to under 100 %.")})
    if plan.model == QueueModel.SIMULATION:
        try:
            sim = simulated_requirement(
                plan, calls, aht, service_level=sl / 100, answer_within_seconds=within
            )
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        agents, service_level = sim["agents"], sim["service_level"]
        occupancy, binding = sim["occupancy"], sim["binding"]
    else:
        kwargs = {
            "service_level": sl / 100,
            "answer_within_seconds": within,
            "max_occupancy": float(plan.max_occupancy_percent) / 100,
            "model": plan.model,
        }
        if plan.model == QueueModel.ERLANG_A:
            kwargs["patience_seconds"] = float(plan.patience_seconds)
        if plan.max_abandon_percent is not None and plan.model == QueueModel.ERLANG_A:
            kwargs["max_abandon_rate"] = float(plan.max_abandon_percent) / 100
        interval_seconds = plan.site.interval_minutes * 60
        try:
            result = required_agents(calls, aht, interval_seconds, **kwargs)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        agents, service_level = result.agents, result.service_level
        occupancy, binding = result.occupancy, result.binding
    scheduled = scheduled_agents(agents, shrink / 100)
    return Requirement(
        starts=volume.starts,
        calls=calls,
        aht_seconds=aht,
        agents=agents,
        scheduled=scheduled,
        service_level=service_level,
        occupancy=occupancy,
        binding=binding,
        source=volume.source,
        interval_minutes=plan.site.interval_minutes,
        settings={
            "service_level_percent": sl,
            "answer_within_seconds": within,
            "shrinkage_percent": shrink,
            "volume_percent": volume_percent,
        },
    )
