"""Stage-1 shifts and their quality, independent of any solver: the settings, the
shifts a plan is made of, their coverage and objective (the maximum flow splitting
multi-skilled agents over queues), and the conversion between shifts and the
covering model's start and break counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ccops.engine.schedule.allocation import served
from ccops.engine.schedule.model import CoverModel, Pool


@dataclass(frozen=True)
class CoverSettings:
    """Weights and limits of stage 1 (weights are per agent-interval)."""

    under_weight: float = 3.0
    over_weight: float = 1.0
    paid_off_floor_weight: float = 1.0
    time_limit_seconds: float = 60.0
    num_workers: int = 2
    seed: int = 0
    #: Work limits instead of wall-clock limits: the same input gives the same schedule.
    #: ``time_limit_seconds`` then sizes the work (about that long on an idle 2-core
    #: machine) instead of bounding the wall-clock time.
    deterministic: bool = False

    def __post_init__(self) -> None:
        for name in ("under_weight", "over_weight", "paid_off_floor_weight"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0, got {getattr(self, name)}")
        if self.time_limit_seconds <= 0:
            raise ValueError(f"time_limit_seconds must be > 0, got {self.time_limit_seconds}")
        if self.num_workers < 1:
            raise ValueError(f"num_workers must be >= 1, got {self.num_workers}")


@dataclass(frozen=True)
class BreakInstance:
    name: str
    start: int  # absolute interval
    length: int  # intervals
    paid: bool


@dataclass(frozen=True)
class ShiftInstance:
    """One shift to be worked: absolute intervals from 00:00 of the horizon's first day."""

    day: int
    set_name: str
    template: str
    start: int
    length: int
    breaks: tuple[BreakInstance, ...]
    paid_intervals: int
    skills: tuple[str, ...] = ()
    pool: int = 0  # the pool (skill set) the shift is planned for

    @property
    def end(self) -> int:
        return self.start + self.length


@dataclass(frozen=True)
class CoverResult:
    """A stage-1 solution with its quality figures."""

    shifts: tuple[ShiftInstance, ...]
    coverage: np.ndarray  # agents on the phones per interval (all pools)
    need: np.ndarray  # per interval, summed over the queues
    under_agent_intervals: int
    over_agent_intervals: int
    objective: float
    lp_bound: float
    gap: float  # (objective - lp_bound) / lp_bound; 0 when both are 0
    status: str  # "optimal", "feasible", "greedy" ...
    solve_seconds: float
    uncoverable: np.ndarray  # bool per interval: a queue's need that no template spans
    pool_coverage: np.ndarray | None = None  # n_pools x n_intervals
    need_by_queue: np.ndarray | None = None  # n_queues x n_intervals
    pools: tuple[Pool, ...] = ()
    uncoverable_by_queue: np.ndarray | None = None  # n_queues x n_intervals


def shift_coverage(
    shifts: Sequence[ShiftInstance], n_intervals: int, n_pools: int = 1
) -> tuple[np.ndarray, int]:
    """Agents on the phones per pool and interval (``n_pools x n``), and the paid
    agent-intervals that cannot serve need (paid breaks, paid time past the horizon)."""
    n = n_intervals
    coverage = np.zeros((n_pools, n), dtype=np.int64)
    off_floor = 0
    for s in shifts:
        row = coverage[s.pool]
        lo, hi = max(s.start, 0), min(s.end, n)
        row[lo:hi] += 1
        off_floor += max(0, s.end - max(n, s.start))
        for b in s.breaks:
            blo, bhi = max(b.start, 0), min(b.start + b.length, n)
            row[blo:bhi] -= 1
            spill = b.length - max(0, bhi - blo)
            off_floor += (b.length - spill) if b.paid else -spill
    return coverage, off_floor


def objective_of(
    shifts: Sequence[ShiftInstance],
    need: np.ndarray,
    settings: CoverSettings,
    pools: Sequence[Pool] | None = None,
) -> tuple[np.ndarray, int, int, float]:
    """Coverage (on the phones per interval, all pools), under, over and objective of a
    list of shifts, independent of the model.

    ``need`` is per interval (one queue) or ``n_queues x n_intervals`` with the
    ``pools`` the shifts belong to; agents are then split over the queues by the
    maximum flow of :mod:`ccops.engine.schedule.allocation`.
    """
    need = np.asarray(need)
    need2 = need[None, :] if need.ndim == 1 else need
    n = need2.shape[1]
    pools = tuple(pools) if pools is not None else (Pool(tuple(range(need2.shape[0]))),)
    per_pool, off_floor = shift_coverage(shifts, n, len(pools))
    coverage = per_pool.sum(axis=0)
    if len(pools) == 1 and need2.shape[0] == 1:
        diff = coverage - need2[0]
        under = int(np.clip(-diff, 0, None).sum())
        over = int(np.clip(diff, 0, None).sum())
    else:
        met = served(per_pool, need2, [p.queues for p in pools])
        under = round(float((need2.sum(axis=0) - met).sum()))
        over = round(float((coverage - met).sum()))
    obj = (
        settings.under_weight * under
        + settings.over_weight * over
        + settings.paid_off_floor_weight * off_floor
    )
    return coverage, under, over, float(obj)


def relative_gap(objective: float, bound: float) -> float:
    if objective <= bound + 1e-9:
        return 0.0
    if bound <= 1e-9:
        return float("inf")
    return (objective - bound) / bound


def uncoverable_by_queue(model: CoverModel) -> np.ndarray:
    """``n_queues x n_intervals``: need that no shift of a pool serving the queue spans."""
    n = model.n_intervals
    reach = np.asarray((model.coverage > 0).sum(axis=1)).ravel().reshape(model.n_pools, n)
    out = np.zeros(model.need.shape, dtype=bool)
    for q in range(model.n_queues):
        pools = [s for s, p in enumerate(model.pools) if q in p.queues]
        reached = reach[pools].sum(axis=0) if pools else np.zeros(n)
        out[q] = (model.need[q] > 0) & (reached == 0)
    return out


def uncoverable_intervals(model: CoverModel) -> np.ndarray:
    """Intervals with need (of any queue) that no shift able to serve it spans."""
    return uncoverable_by_queue(model).any(axis=0)


def disaggregate(model: CoverModel, values: np.ndarray) -> list[ShiftInstance]:
    """Turn integer start and break counts into individual shifts with their breaks.

    Within a group, the i-th earliest shift takes the i-th earliest break of
    each kind; the forward/backward constraints guarantee this lies in its window.
    """
    shifts: list[ShiftInstance] = []
    for g in model.groups:
        counts = np.rint(values[g.x_index]).astype(np.int64)
        starts = np.repeat(g.starts, counts)
        if starts.size == 0:
            continue
        per_break = []
        for k, (times, yidx) in enumerate(zip(g.break_times, g.y_index, strict=True)):
            placed = np.repeat(times, np.rint(values[yidx]).astype(np.int64))
            a, b = g.break_windows[k]
            if (
                placed.size != starts.size
                or np.any(placed < starts + a)
                or np.any(placed > starts + b)
            ):
                raise RuntimeError(
                    f"break {k} of template {g.template.name!r} on day {g.day} cannot be "
                    "handed out within its windows (solution violates the break constraints)"
                )
            per_break.append(placed)
        rules = g.template.breaks
        unpaid = sum(g.break_lengths[k] for k, r in enumerate(rules) if not r.paid)
        for i, s in enumerate(starts):
            breaks = tuple(
                BreakInstance(
                    rules[k].name, int(per_break[k][i]), g.break_lengths[k], rules[k].paid
                )
                for k in range(len(rules))
            )
            shifts.append(
                ShiftInstance(
                    day=g.day,
                    set_name=g.set_name,
                    template=g.template.name,
                    start=int(s),
                    length=g.length,
                    breaks=breaks,
                    paid_intervals=g.length - unpaid,
                    skills=g.template.skills,
                    pool=g.pool,
                )
            )
    shifts.sort(key=lambda s: (s.start, s.template, s.pool))
    return shifts


def aggregate(model: CoverModel, shifts: Sequence[ShiftInstance]) -> np.ndarray:
    """The start and break counts of ``model`` that ``shifts`` make (the inverse of
    :func:`disaggregate`); each shift's (pool, day, template) must be a group of the model."""
    values = np.zeros(model.n_shift_vars, dtype=np.int64)
    index = {(g.pool, g.day, g.set_name, g.template.name): g for g in model.groups}
    for s in shifts:
        g = index.get((s.pool, s.day, s.set_name, s.template))
        if g is None:
            raise ValueError(f"shift {s.template!r} of pool {s.pool} on day {s.day}: no such group")
        i = int(np.searchsorted(g.starts, s.start))
        if i >= g.starts.size or g.starts[i] != s.start:
            raise ValueError(f"shift {s.template!r} starts off its template's start times")
        values[g.x_index[i]] += 1
        for k, b in enumerate(s.breaks):
            j = int(np.searchsorted(g.break_times[k], b.start))
            values[g.y_index[k][j]] += 1
    return values


def interval_minutes_of(model: CoverModel) -> int:
    """The interval length of a model (from a template's length in minutes and intervals)."""
    g = model.groups[0]
    return g.template.length_minutes // g.length
