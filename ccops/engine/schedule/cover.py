"""Stage 1, covering: how many agents of each pool start each template at each
start time.

The model (see :mod:`ccops.engine.schedule.model`) minimises

    under_weight * understaffed agent-intervals (summed over the queues)
    + over_weight * overstaffed (idle) agent-intervals
    + paid_off_floor_weight * paid agent-intervals that cannot serve need
      (paid breaks, and paid time beyond the end of the horizon),

which is the paid time and the weighted gap to the need, not the number of
shifts. One pool: :mod:`ccops.engine.schedule.single` (LP dive, neighbourhood
MIPs, CP-SAT); several pools (multi-skill): :mod:`ccops.engine.schedule.multiskill`.
The LP optimum is reported as the lower bound.

With ``deterministic`` settings every limit is a work limit (LP dives run to
the end, neighbourhood MIPs stop after a number of HiGHS limit checks, the phases
end on a clock of estimated work, CP-SAT after a deterministic time), so the same
input gives the same schedule whatever the machine's load.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from ccops.engine.schedule.bound import lp_relaxation
from ccops.engine.schedule.model import Pool, build_model
from ccops.engine.schedule.multiskill import solve_pools
from ccops.engine.schedule.shifts import (
    BreakInstance,
    CoverResult,
    CoverSettings,
    ShiftInstance,
    aggregate,
    disaggregate,
    objective_of,
    relative_gap,
    shift_coverage,
    uncoverable_by_queue,
    uncoverable_intervals,
)
from ccops.engine.schedule.single import solve_cover, solve_one_pool
from ccops.engine.schedule.templates import ShiftTemplate


def uncoverable_mask(result: CoverResult, queue: int = 0) -> np.ndarray:
    """Intervals where ``queue`` has need that no shift able to serve it spans (from a
    result: ``uncoverable`` per queue is kept when the plan has several queues)."""
    if result.uncoverable_by_queue is not None:
        return result.uncoverable_by_queue[queue]
    return result.uncoverable


__all__ = [
    "BreakInstance",
    "CoverResult",
    "CoverSettings",
    "ShiftInstance",
    "aggregate",
    "cover",
    "disaggregate",
    "objective_of",
    "relative_gap",
    "shift_coverage",
    "solve_cover",
    "uncoverable_by_queue",
    "uncoverable_intervals",
    "uncoverable_mask",
]


def _model(need2, interval_minutes, day_templates, settings, pools):
    """The covering model of ``need2`` under the settings' weights."""
    return build_model(
        need2,
        interval_minutes,
        day_templates,
        under_weight=settings.under_weight,
        over_weight=settings.over_weight,
        paid_off_floor_weight=settings.paid_off_floor_weight,
        pools=pools,
    )


def _without_idle_limits(model, lp, need2, interval_minutes, day_templates, settings):
    """The model of a single pool without its limits (agents a day, shifts and paid
    minutes a week), when the LP optimum leaves each of them 2 % of room or more and the
    LP without them is no better: the same variables, fewer rows. Returns that model and
    its LP optimum, or ``None`` when the pool has no limits or they bind."""
    pool = model.pools[0]
    if (
        pool.daily_agents is None
        and pool.weekly_shifts is None
        and pool.weekly_paid_minutes is None
    ):
        return None
    free = replace(pool, daily_agents=None, weekly_shifts=None, weekly_paid_minutes=None)
    loose = _model(need2, interval_minutes, day_templates, settings, [free])
    nv = model.n_shift_vars
    if loose.n_shift_vars != nv:
        return None
    # the pool's rows come after the break rows, which both models share
    rows = slice(loose.a_ub.shape[0], model.a_ub.shape[0])
    use = model.a_ub[rows, :nv] @ lp.solution[:nv]
    if np.any(use > 0.98 * model.b_ub[rows] + 1e-6):
        return None
    loose_lp = lp_relaxation(loose)
    if loose_lp.value < lp.value - 1e-6 * max(1.0, abs(lp.value)):
        return None  # the limits (or the bounds they set) move the LP optimum
    return loose, loose_lp


def _within_limits(model, shifts) -> bool:
    """Whether planned ``shifts`` keep every row and bound of ``model``."""
    values = aggregate(model, shifts)
    nv = model.n_shift_vars
    if np.any(values > model.upper[:nv] + 1e-6):
        return False
    return bool(np.all(model.a_ub[:, :nv] @ values <= model.b_ub + 1e-6))


def cover(
    need: np.ndarray,
    interval_minutes: int,
    day_templates: Sequence[Sequence[tuple[str, ShiftTemplate]]],
    settings: CoverSettings | None = None,
    *,
    pools: Sequence[Pool] | None = None,
) -> CoverResult:
    """Plan the shifts that cover ``need`` best.

    Parameters
    ----------
    need : agents per interval from 00:00 of the first day (one queue), or an
        array ``n_queues x n_intervals``; its length is
        ``len(day_templates) * intervals per day``.
    interval_minutes : length of an interval (a divisor of 1440).
    day_templates : for each day of the horizon, the ``(set_name, template)``
        pairs offered that day (already filtered by weekday and period type).
    settings : weights, time or work limit and workers.
    pools : the skill sets to plan shifts for (see :class:`~ccops.engine.schedule.model.Pool`);
        default one pool that serves every queue, without limits.

    Returns
    -------
    CoverResult
        The shifts (each with its pool), the coverage, under/over agent-intervals,
        the objective, the LP lower bound and the relative gap to it. Need that no
        template can reach is left understaffed and flagged in ``uncoverable``.
    """
    settings = settings or CoverSettings()
    need = np.ceil(np.asarray(need, dtype=float)).astype(np.int64)
    need2 = need[None, :] if need.ndim == 1 else need
    if need2.ndim != 2:
        raise ValueError(f"need must be 1-D or n_queues x n_intervals, got shape {need.shape}")
    if np.any(need2 < 0):
        raise ValueError("need must be >= 0 in every interval")
    if interval_minutes <= 0 or (24 * 60) % interval_minutes:
        raise ValueError(f"interval_minutes must divide 1440, got {interval_minutes}")
    ipd = 24 * 60 // interval_minutes
    if need2.shape[1] != len(day_templates) * ipd:
        raise ValueError(
            f"need has {need2.shape[1]} intervals; {len(day_templates)} days of "
            f"{interval_minutes}-minute intervals need {len(day_templates) * ipd}"
        )
    began = time.perf_counter()
    model = _model(need2, interval_minutes, day_templates, settings, pools)
    pools = model.pools
    total_need = need2.sum(axis=0)
    by_queue = uncoverable_by_queue(model)
    uncoverable = by_queue.any(axis=0)

    def result(shifts, status, lp_value) -> CoverResult:
        coverage, under, over, obj = objective_of(shifts, need2, settings, pools)
        return CoverResult(
            shifts=tuple(shifts),
            coverage=coverage,
            need=total_need,
            under_agent_intervals=under,
            over_agent_intervals=over,
            objective=obj,
            lp_bound=lp_value,
            gap=relative_gap(obj, lp_value),
            status=status,
            solve_seconds=time.perf_counter() - began,
            uncoverable=uncoverable,
            uncoverable_by_queue=by_queue,
            pool_coverage=shift_coverage(shifts, need2.shape[1], len(pools))[0],
            need_by_queue=need2,
            pools=pools,
        )

    if model.n_shift_vars == 0:
        obj = objective_of([], need2, settings, pools)[3]
        return result([], "optimal", obj)
    if model.n_pools == 1:
        lp = lp_relaxation(model)
        limit = settings.time_limit_seconds
        loose = _without_idle_limits(model, lp, need2, interval_minutes, day_templates, settings)
        if loose is not None:
            # the pool's limits do not bind at the LP optimum: plan without their rows (as
            # stage 1 alone does, from the same LP optimum) and keep the plan if it
            # respects them; the bound reported is the LP with them (the same value)
            shifts, status = solve_one_pool(loose[0], settings, loose[1], began, limit)
            if _within_limits(model, shifts):
                return result(shifts, status, lp.value)
            limit = max(0.25 * limit, limit - (time.perf_counter() - began))
            began = time.perf_counter()
        shifts, status = solve_one_pool(model, settings, lp, began, limit)
        return result(shifts, status, lp.value)
    shifts, status, bound = solve_pools(model, settings, day_templates, interval_minutes, began)
    return result(shifts, status, bound)
