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
the end, neighbourhood MIPs stop after a number of branch-and-bound nodes and
sweeps, CP-SAT after a deterministic time), so the same input gives the same
schedule whatever the machine's load.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

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
    model = build_model(
        need2,
        interval_minutes,
        day_templates,
        under_weight=settings.under_weight,
        over_weight=settings.over_weight,
        paid_off_floor_weight=settings.paid_off_floor_weight,
        pools=pools,
    )
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
        shifts, status = solve_one_pool(model, settings, lp, began, settings.time_limit_seconds)
        return result(shifts, status, lp.value)
    shifts, status, bound = solve_pools(model, settings, day_templates, interval_minutes, began)
    return result(shifts, status, bound)
