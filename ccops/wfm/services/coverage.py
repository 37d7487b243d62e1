"""A site's week: each queue's need from its staffing plans, and the coverage of a
schedule per queue and for the whole site, with the projected service level.

The need of a queue on a day comes from the queue's staffing plan for that day's period
type (the calendar's emergency or billing period, else normal). Coverage counts the
agents on the phones (breaks and activities excluded) and splits those who hold several
skills over the queues they serve, interval by interval, with the balanced allocation of
:func:`ccops.engine.schedule.allocation.allocate`; each queue's service level is then
projected with its plan's targets and shrinkage.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils.module_loading import import_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ccops.core.cache import remember, rows_stamp
from ccops.core.models import CalendarPeriod, Queue, Site
from ccops.engine.schedule.allocation import allocate, attributed
from ccops.engine.schedule.projection import pooled_level, project_service_level
from ccops.wfm.choices import QueueModel
from ccops.wfm.models import (
    IntervalStat,
    Schedule,
    ScheduledShift,
    ShiftActivity,
    StaffingPlan,
)
from ccops.wfm.services import simulation
from ccops.wfm.services.queries import shift_breaks, week_bounds
from ccops.wfm.services.staffing import plan_requirement

DAY_MINUTES = 24 * 60
#: The period types a calendar day may have, strongest first.
PERIOD_PRIORITY = ("emergency", "billing_period")


def day_periods(site: Site, week_start: date) -> list[str]:
    """The period type of each day of the week: ``emergency`` or ``billing_period`` where
    the calendar says so, else ``normal``."""
    periods = CalendarPeriod.objects.filter(
        Q(site=site) | Q(site__isnull=True),
        start_date__lte=week_start + timedelta(days=6),
        end_date__gte=week_start,
    )
    out = []
    for offset in range(7):
        day = week_start + timedelta(days=offset)
        on = {p.kind for p in periods if p.covers(day)}
        out.append(next((k for k in PERIOD_PRIORITY if k in on), "normal"))
    return out


def plan_for(plans: list[StaffingPlan], period: str) -> StaffingPlan | None:
    """The plan of ``period``, else the normal one, else the first."""
    by_period = {p.period_type: p for p in plans}
    return by_period.get(period) or by_period.get("normal") or (plans[0] if plans else None)


@dataclass
class QueueNeed:
    """One queue's week: heads to schedule, calls and AHT per interval, the plan per day."""

    queue: Queue
    need: np.ndarray
    calls: np.ndarray
    aht_seconds: np.ndarray
    plans: list[StaffingPlan]


def site_need(site: Site, week_start: date) -> tuple[list[str], list[QueueNeed], list[Queue]]:
    """Each planned queue's need for the week, the day periods, and the site's queues that
    have no staffing plan (left out of the schedule)."""
    from django.core.exceptions import ValidationError

    ipd = DAY_MINUTES // site.interval_minutes
    periods = day_periods(site, week_start)
    by_queue: dict[int, list[StaffingPlan]] = defaultdict(list)
    for plan in StaffingPlan.objects.filter(site=site).select_related("queue", "site", "forecast"):
        by_queue[plan.queue_id].append(plan)
    out, missing = [], []
    for queue in Queue.objects.filter(site=site).order_by("code"):
        plans = by_queue.get(queue.pk)
        if not plans:
            missing.append(queue)
            continue
        need, calls, aht, chosen = [], [], [], []
        for offset, period in enumerate(periods):
            plan = plan_for(plans, period)
            day = week_start + timedelta(days=offset)
            req = plan_requirement(plan, day)
            if len(req.starts) != ipd:
                raise ValidationError(
                    _("%(day)s is not a 24-hour day (a clock change): schedule it by hand.")
                    % {"day": day}
                )
            need.append(req.scheduled)
            calls.append(req.calls)
            aht.append(req.aht_seconds)
            chosen.append(plan)
        out.append(
            QueueNeed(
                queue,
                np.concatenate(need).astype(np.int64),
                np.concatenate(calls),
                np.concatenate(aht),
                chosen,
            )
        )
    return periods, out, missing


def _interval(moment, origin, im) -> int:
    return int((moment - origin).total_seconds() // 60) // im


def on_phones(
    schedule: Schedule, shifts=None
) -> tuple[dict[tuple[int, ...], np.ndarray], np.ndarray]:
    """Agents on the phones per interval, per set of queues served (a pool), and in all;
    breaks and activities excluded."""
    site = schedule.site
    im = site.interval_minutes
    origin, _end = week_bounds(site, schedule.week_start)
    n = 7 * DAY_MINUTES // im
    pools: dict[tuple[int, ...], np.ndarray] = {}
    total = np.zeros(n)
    if shifts is None:
        shifts = schedule.shifts.prefetch_related("activities")
    for shift in shifts:
        row = np.zeros(n)
        a, b = (
            max(0, _interval(shift.start, origin, im)),
            min(n, -(-_interval(shift.end, origin, 1) // im)),
        )
        if a >= b:
            continue
        row[a:b] += 1
        away = [(s, e) for s, e, _paid, _name in shift_breaks(shift)]
        away += [(x.start, x.end) for x in shift.activities.all()]
        for s, e in away:
            x = max(0, _interval(s, origin, im))
            y = min(n, -(-_interval(e, origin, 1) // im))
            if x < y:
                row[x:y] -= 1
        key = tuple(sorted(shift.serves))
        pools.setdefault(key, np.zeros(n))
        pools[key] += row
        total += row
    return pools, total


def _stored_need(schedule: Schedule):
    """:func:`week_need` from the generation summary, or ``None`` when the summary has none
    that fits (a schedule made by hand)."""
    n = 7 * DAY_MINUTES // schedule.site.interval_minutes
    summary = schedule.summary or {}
    if not (summary.get("queues") and summary.get("need")):
        return None
    ids = [int(q) for q in summary["queues"]]
    need = np.array(summary["need"], dtype=float).reshape(-1, n)
    if need.shape[0] != len(ids):
        return None
    calls = np.array(summary.get("calls") or np.zeros((len(ids), n)), dtype=float)
    aht = np.array(summary.get("aht_seconds") or np.zeros((len(ids), n)), dtype=float)
    plans = summary.get("plans") or [[None] * len(ids)] * 7
    return ids, need, calls.reshape(-1, n), aht.reshape(-1, n), plans


def week_need(schedule: Schedule):
    """Queue ids, need, calls and AHT (``n_queues x n``) and the plan of each queue per day,
    from the generation summary, else (a schedule made by hand) from the site's staffing
    plans as they are now; queues the shifts serve without a plan count with no need."""
    n = 7 * DAY_MINUTES // schedule.site.interval_minutes
    stored = _stored_need(schedule)
    if stored is not None:
        return stored
    from django.core.exceptions import ValidationError

    try:
        _periods, needs, _missing = site_need(schedule.site, schedule.week_start)
    except ValidationError:
        needs = []
    ids = [x.queue.pk for x in needs]
    rows = [x.need for x in needs]
    call_rows = [x.calls for x in needs]
    aht_rows = [x.aht_seconds for x in needs]
    served = {q for s in schedule.shifts.all() for q in s.serves}
    for q in sorted(served - set(ids)):
        ids.append(q)
        rows.append(np.zeros(n))
        call_rows.append(np.zeros(n))
        aht_rows.append(np.zeros(n))
    plans = [[x.plans[d].pk for x in needs] + [None] * (len(ids) - len(needs)) for d in range(7)]
    shape = (len(ids), n)
    return (
        ids,
        np.array(rows, dtype=float).reshape(shape),
        np.array(call_rows, dtype=float).reshape(shape),
        np.array(aht_rows, dtype=float).reshape(shape),
        plans,
    )


def _sum_runs(a: np.ndarray | None, b: np.ndarray) -> np.ndarray:
    """Run-by-run sum of two parts' replication sums (as many runs as the shorter)."""
    if a is None:
        return b
    n = min(a.size, b.size)
    return a[:n] + b[:n]


def coverage(schedule: Schedule, *, simulate: bool = False) -> dict:
    """Required and scheduled agents per queue and interval of the week (from the shifts
    as they are now), the projected service level per queue and for the site.

    Each queue-day is projected with the model its plan names. A simulated queue-day's
    figures are read from :class:`SimulatedFigures` (keyed by its inputs); those not yet
    computed are listed in ``pending`` (their intervals have no projected level, their
    queue and the site no weekly one) unless ``simulate``, which computes and keeps
    them (the background task ``schedule_project`` does).

    A generated schedule's coverage depends only on its own rows, its shifts and
    activities, the plans its summary names and the site's queues: it is computed once per
    state of those rows and language (:func:`ccops.core.cache.remember`), since the
    schedule, intraday and compare pages all read it, and kept only once no simulated
    figures are pending. A schedule made by hand takes its need from the site's plans and
    forecasts as they are now and is computed at every call."""
    if simulate or _stored_need(schedule) is None:
        return _coverage(schedule, simulate=simulate)
    return remember(
        "wfm.coverage",
        coverage_stamp(schedule),
        lambda: _coverage(schedule),
        keep=lambda cov: not cov["pending"],
    )


def coverage_stamp(schedule: Schedule) -> tuple:
    """What a generated schedule's coverage is computed from, as a cache key (the reader's
    language too: the models are named in it)."""
    site = schedule.site
    plan_ids = {int(p) for day in (schedule.summary or {}).get("plans") or [] for p in day if p}
    return (
        schedule.pk,
        get_language(),
        schedule.updated_at.isoformat() if schedule.updated_at else "",
        site.updated_at.isoformat() if site.updated_at else "",
        rows_stamp(ScheduledShift.all_objects.filter(schedule=schedule)),
        rows_stamp(ShiftActivity.all_objects.filter(shift__schedule=schedule)),
        rows_stamp(StaffingPlan.all_objects.filter(pk__in=plan_ids)),
        rows_stamp(Queue.all_objects.filter(site=site)),
    )


def _coverage(schedule: Schedule, *, simulate: bool = False) -> dict:
    """:func:`coverage`, computed."""
    site = schedule.site
    im = site.interval_minutes
    ipd = DAY_MINUTES // im
    n = 7 * ipd
    origin, _end = week_bounds(site, schedule.week_start)
    queue_ids, need, calls, aht, day_plan_ids = week_need(schedule)
    plans = {
        p.pk: p
        for p in StaffingPlan.all_objects.filter(
            pk__in={pid for day in day_plan_ids for pid in day if pid}
        ).select_related("site")
    }
    queues = {q.pk: q for q in Queue.all_objects.filter(pk__in=queue_ids)}
    pools, total = on_phones(schedule)
    index = {q: i for i, q in enumerate(queue_ids)}
    pool_keys = [k for k in pools if any(q in index for q in k)]
    if queue_ids and pool_keys:
        supply = np.array([pools[k] for k in pool_keys])
        pool_queues = [[index[q] for q in k if q in index] for k in pool_keys]
        flows = allocate(supply, need, pool_queues)
        met_by_queue = flows.sum(axis=0)
        served = attributed(supply, flows, need, pool_queues)
    else:
        met_by_queue = np.zeros((len(queue_ids), n))
        served = np.zeros((len(queue_ids), n))
    day_plans_of = [
        [plans.get(int(day[i])) if day[i] else None for day in day_plan_ids][:7]
        for i in range(len(queue_ids))
    ]
    # the simulated queue-days: their stored figures, computed now when asked to
    sim_keys: dict[tuple[int, int], str] = {}
    for i, day_plans in enumerate(day_plans_of):
        for d, plan in enumerate(day_plans):
            part = slice(d * ipd, (d + 1) * ipd)
            if plan is not None and plan.model == QueueModel.SIMULATION and calls[i, part].any():
                sim_keys[i, d] = simulation.projection_key(
                    plan, served[i, part], calls[i, part], aht[i, part], im
                )
    found = simulation.stored(sim_keys.values())
    if simulate:
        for (i, d), key in sim_keys.items():
            if key not in found:
                part = slice(d * ipd, (d + 1) * ipd)
                found[key] = simulation.simulate_projection(
                    day_plans_of[i][d], served[i, part], calls[i, part], aht[i, part], im
                )
                simulation.store(key, "projection", found[key])
    pending = sorted({key for key in sim_keys.values() if key not in found})
    rows = []
    site_runs, site_fixed, site_calls = None, 0.0, 0.0
    for i, qid in enumerate(queue_ids):
        queue = queues.get(qid)
        day_plans = day_plans_of[i]
        sl = np.full(n, np.nan)
        low, high = sl.copy(), sl.copy()
        runs, fixed, waiting = None, 0.0, False
        for d, plan in enumerate(day_plans):
            part = slice(d * ipd, (d + 1) * ipd)
            if plan is None or not calls[i, part].any():
                continue
            if (i, d) in sim_keys:
                figures = found.get(sim_keys[i, d])
                if figures is None:
                    waiting = True
                    continue
                got = simulation.unpack(figures)
                sl[part], low[part], high[part] = got["service_level"], got["low"], got["high"]
                runs = _sum_runs(runs, got["replication_sums"])
                continue
            # Erlang C, or Erlang A with the plan's patience
            sl[part] = project_service_level(
                served[i, part],
                calls[i, part],
                aht[i, part],
                im,
                shrinkage=float(plan.shrinkage_percent) / 100,
                answer_within_seconds=float(plan.answer_within_seconds),
                model=plan.model,
                patience_seconds=plan.patience_seconds,
            ).service_level
            low[part] = high[part] = sl[part]
            ok = ~np.isnan(sl[part])
            fixed += float(np.sum(sl[part][ok] * calls[i, part][ok]))
        busy = ~np.isnan(sl)
        weight = float(calls[i][busy].sum())
        level = None
        if not waiting and weight > 0:
            level = pooled_level(
                runs if runs is not None else np.zeros(0),
                fixed,
                weight,
                confidence=simulation.CONFIDENCE,
            )
        if waiting:
            site_calls = -1.0  # the site's week waits for this queue
        elif weight > 0 and site_calls >= 0:
            site_fixed += fixed
            site_calls += weight
            if runs is not None:
                site_runs = _sum_runs(site_runs, runs)
        target = next((float(p.service_level_percent) / 100 for p in day_plans if p), None)
        models = list(dict.fromkeys(simulation.model_text(p) for p in day_plans if p))
        rows.append(
            {
                "id": qid,
                "queue": queue,
                "name": queue.name if queue else str(qid),
                "required": need[i],
                "scheduled": served[i],
                "calls": calls[i],
                "service_level": sl,
                "service_level_low": low,
                "service_level_high": high,
                "projected": level[0] if level else None,
                "projected_low": level[1] if level and runs is not None else None,
                "projected_high": level[2] if level and runs is not None else None,
                "simulated": any(k[0] == i for k in sim_keys),
                "computing": waiting,
                "models": models,
                "target": target,
                "intervals_below_target": int(np.sum(sl[busy] < target)) if target else 0,
                "under": float(np.clip(need[i] - met_by_queue[i], 0, None).sum()),
            }
        )
    required_total = need.sum(axis=0) if queue_ids else np.zeros(n)
    met = met_by_queue.sum(axis=0) if queue_ids else np.zeros(n)
    with np.errstate(invalid="ignore"):
        call_total = calls.sum(axis=0) if queue_ids else np.zeros(n)
        numer = sum((np.nan_to_num(r["service_level"]) * r["calls"]) for r in rows) if rows else 0
        site_sl = np.where(call_total > 0, numer / np.maximum(call_total, 1e-9), np.nan)
    targets = [r["target"] for r in rows if r["target"]]
    site_level = (
        pooled_level(
            site_runs if site_runs is not None else np.zeros(0),
            site_fixed,
            site_calls,
            confidence=simulation.CONFIDENCE,
        )
        if site_calls > 0
        else None
    )
    return {
        "origin": origin,
        "interval_minutes": im,
        "intervals_per_day": ipd,
        "queues": rows,
        "required": required_total,
        "scheduled": total,
        "met": met,
        "calls": call_total,
        "service_level": site_sl,
        "projected_service_level": site_level[0] if site_level else None,
        "projected_low": site_level[1] if site_level and site_runs is not None else None,
        "projected_high": site_level[2] if site_level and site_runs is not None else None,
        "pending": pending,
        "target": min(targets) if targets else None,
        "intervals_below_target": sum(r["intervals_below_target"] for r in rows),
        "under": float(np.clip(required_total - met, 0, None).sum()),
        "over": float(np.clip(total - met, 0, None).sum()),
    }


def request_projection(schedule: Schedule, cov: dict) -> bool:
    """Ask the background task for the simulated figures ``cov`` lacks (once: a page
    shown again while they are computed asks for nothing more); True when it was asked."""
    if not cov["pending"] or not simulation.request(cov["pending"], "projection"):
        return False
    task = import_string("ccops.wfm.tasks.schedule_project")
    pk = schedule.pk
    transaction.on_commit(lambda: task.enqueue(schedule_id=pk))
    return True


def projected_vs_actual(schedule: Schedule, cov: dict | None = None) -> list[dict] | None:
    """How good the plan was: per queue and day, the service level projected from the
    shifts (on the forecast calls) against the actual one of the imported interval history
    (answered within the target over offered), the forecast and the offered calls, and the
    mean absolute error of the projection over the intervals with both. ``None`` before the
    week starts; days without imported actuals are left out."""
    from django.utils import timezone

    cov = cov or coverage(schedule)
    origin, im, ipd = cov["origin"], cov["interval_minutes"], cov["intervals_per_day"]
    if timezone.now() < origin:
        return None
    n = 7 * ipd
    ids = [q["id"] for q in cov["queues"]]
    offered = np.zeros((len(ids), n))
    within = np.full((len(ids), n), np.nan)
    seen = np.zeros((len(ids), n), dtype=bool)
    row = {q: i for i, q in enumerate(ids)}
    stats = IntervalStat.objects.filter(
        queue_id__in=ids,
        interval_start__gte=origin,
        interval_start__lt=origin + timedelta(days=7),
        interval_minutes=im,
    ).values_list("queue_id", "interval_start", "offered", "answered_within_target")
    for queue_id, start, calls, ok in stats:
        t = int((start - origin).total_seconds() // 60 // im)
        if 0 <= t < n:
            i = row[queue_id]
            offered[i, t] += calls
            seen[i, t] = True
            if ok is not None:
                within[i, t] = (0 if np.isnan(within[i, t]) else within[i, t]) + ok
    out = []
    for i, q in enumerate(cov["queues"]):
        if not seen[i].any():
            continue
        projected = np.asarray(q["service_level"], dtype=float)
        both = seen[i] & ~np.isnan(projected) & ~np.isnan(within[i]) & (offered[i] > 0)
        actual = np.where(both, within[i] / np.maximum(offered[i], 1), np.nan)
        days = []
        for d in range(7):
            part = slice(d * ipd, (d + 1) * ipd)
            if not seen[i, part].any():
                continue
            fc = np.asarray(q["calls"])[part]
            ok = both[part]
            days.append(
                {
                    "day": cov["origin"] + timedelta(days=d),
                    "forecast_calls": float(fc.sum()),
                    "offered": float(offered[i, part].sum()),
                    "projected": float(np.sum(projected[part][ok] * fc[ok]) / fc[ok].sum())
                    if ok.any() and fc[ok].sum() > 0
                    else None,
                    "actual": float(np.nansum(within[i, part][ok]) / offered[i, part][ok].sum())
                    if ok.any() and offered[i, part][ok].sum() > 0
                    else None,
                }
            )
        out.append(
            {
                "id": q["id"],
                "name": q["name"],
                "days": days,
                "intervals": int(both.sum()),
                "mae": float(np.mean(np.abs(projected[both] - actual[both])))
                if both.any()
                else None,
                "bias": float(np.mean(projected[both] - actual[both])) if both.any() else None,
            }
        )
    return out
