"""Stage 1, covering: how many agents start each template at each start time.

The model (see :mod:`ccops.engine.schedule.model`) minimises

    under_weight * understaffed agent-intervals
    + over_weight * overstaffed agent-intervals
    + paid_off_floor_weight * paid agent-intervals that cannot serve need
      (paid breaks, and paid time beyond the end of the horizon),

which is the paid time and the weighted gap to the need, not the number of
shifts. CP-SAT solves it under a time limit, started from the rounded LP
optimum; the LP optimum (HiGHS) is reported as the lower bound.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from ccops.engine.schedule.bound import lp_dive, lp_relaxation
from ccops.engine.schedule.lns import improve_by_days
from ccops.engine.schedule.model import CoverModel, build_model
from ccops.engine.schedule.templates import ShiftTemplate

_SCALE = 100  # weights are taken to 1/100
_DIVE_SHARE = 0.3  # LP dives end by this share of the time limit
_LNS_SHARE = 0.88  # neighbourhood re-planning ends by this share; CP-SAT has the rest
_WINDOW_SHARE = 1 / 30  # time per 6-hour window MIP (1 s at 30 s)
_DAY_SHARE = 1 / 6  # time per day MIP once the windows no longer improve
_DIVE_BATCHES = (0.3,)  # share of fractional counts fixed per LP re-solve (60 % and 80 %
# dives ended worse on the benchmark: 1522 and 1704 against 1392; see docs)


@dataclass(frozen=True)
class CoverSettings:
    """Weights and limits of stage 1 (weights are per agent-interval)."""

    under_weight: float = 3.0
    over_weight: float = 1.0
    paid_off_floor_weight: float = 1.0
    time_limit_seconds: float = 60.0
    num_workers: int = 2
    seed: int = 0

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

    @property
    def end(self) -> int:
        return self.start + self.length


@dataclass(frozen=True)
class CoverResult:
    """A stage-1 solution with its quality figures."""

    shifts: tuple[ShiftInstance, ...]
    coverage: np.ndarray  # agents on the phones per interval
    need: np.ndarray
    under_agent_intervals: int
    over_agent_intervals: int
    objective: float
    lp_bound: float
    gap: float  # (objective - lp_bound) / lp_bound; 0 when both are 0
    status: str  # "optimal", "feasible", "greedy" ...
    solve_seconds: float
    uncoverable: np.ndarray  # bool per interval: need > 0 but no template spans it


def objective_of(
    shifts: Sequence[ShiftInstance], need: np.ndarray, settings: CoverSettings
) -> tuple[np.ndarray, int, int, float]:
    """Coverage, under, over and objective of a list of shifts (independent of the model)."""
    n = need.shape[0]
    coverage = np.zeros(n, dtype=np.int64)
    off_floor = 0
    for s in shifts:
        lo, hi = max(s.start, 0), min(s.end, n)
        coverage[lo:hi] += 1
        off_floor += max(0, s.end - max(n, s.start))
        for b in s.breaks:
            blo, bhi = max(b.start, 0), min(b.start + b.length, n)
            coverage[blo:bhi] -= 1
            spill = b.length - max(0, bhi - blo)
            off_floor += (b.length - spill) if b.paid else -spill
    diff = coverage - need
    under = int(np.clip(-diff, 0, None).sum())
    over = int(np.clip(diff, 0, None).sum())
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


def uncoverable_intervals(model: CoverModel) -> np.ndarray:
    """Intervals with need that no shift of any offered template spans."""
    reach = np.asarray((model.coverage > 0).sum(axis=1)).ravel()
    return (model.need > 0) & (reach == 0)


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
                )
            )
    shifts.sort(key=lambda s: (s.start, s.template))
    return shifts


def _round_hint(model: CoverModel, lp: np.ndarray) -> np.ndarray:
    """Round the LP solution, keeping each group's break totals equal to its starts."""
    hint = np.zeros(model.n_shift_vars, dtype=np.int64)
    for g in model.groups:
        x = np.rint(lp[g.x_index]).astype(np.int64)
        hint[g.x_index] = x
        total = int(x.sum())
        for yidx in g.y_index:
            frac = np.clip(lp[yidx], 0, None)
            if frac.sum() <= 0 or total == 0:
                continue
            want = frac / frac.sum() * total
            base = np.floor(want).astype(np.int64)
            rest = total - int(base.sum())
            if rest > 0:
                base[np.argsort(-(want - base))[:rest]] += 1
            hint[yidx] = base
    return hint


def solve_cover(
    model: CoverModel,
    settings: CoverSettings,
    *,
    lp_values=None,
    hint=None,
    deadline=None,
    radius: int | None = None,
):
    """Solve the model with CP-SAT; return (values, status) or (None, status).

    The search stops ``settings.time_limit_seconds`` after it starts, or at
    ``deadline`` (a ``time.perf_counter()`` value) when given, building included.
    With a ``hint`` and a ``radius``, each count is kept within ``radius`` of
    its hinted value (a neighbourhood of the hint, which stays feasible).
    """
    n, nv = model.n_intervals, model.n_shift_vars
    m = cp_model.CpModel()
    ub = np.rint(model.upper).astype(np.int64)
    lb = np.zeros(nv, dtype=np.int64)
    if hint is not None and radius is not None:
        h = np.rint(hint).astype(np.int64)
        lb = np.maximum(0, np.minimum(h, ub[:nv]) - radius)
        ub = ub.copy()
        ub[:nv] = np.minimum(ub[:nv], h + radius)
    xs = [m.new_int_var(int(lb[j]), int(ub[j]), f"v{j}") for j in range(nv)]
    under = [m.new_int_var(0, int(ub[nv + t]), f"under{t}") for t in range(n)]
    over = [m.new_int_var(0, int(ub[nv + n + t]), f"over{t}") for t in range(n)]
    allv = xs + under + over

    def add_rows(a, b, sense):
        a = a.tocsr()
        for r in range(a.shape[0]):
            cols = a.indices[a.indptr[r] : a.indptr[r + 1]]
            vals = a.data[a.indptr[r] : a.indptr[r + 1]]
            expr = sum(int(v) * allv[int(c)] for c, v in zip(cols, vals, strict=True))
            if sense == "eq":
                m.add(expr == int(b[r]))
            else:
                m.add(expr <= int(b[r]))

    add_rows(model.a_eq, model.b_eq, "eq")
    add_rows(model.a_ub, model.b_ub, "le")
    cov = model.coverage.tocsr()
    for t in range(n):
        cols = cov.indices[cov.indptr[t] : cov.indptr[t + 1]]
        vals = cov.data[cov.indptr[t] : cov.indptr[t + 1]]
        expr = cp_model.LinearExpr.weighted_sum([xs[int(c)] for c in cols], [int(v) for v in vals])
        m.add(expr - over[t] + under[t] == int(model.need[t]))
    coefs = np.rint(model.cost * _SCALE).astype(np.int64)
    nz = np.flatnonzero(coefs)
    m.minimize(
        cp_model.LinearExpr.weighted_sum([allv[int(j)] for j in nz], [int(coefs[j]) for j in nz])
    )
    if hint is None and lp_values is not None:
        hint = _round_hint(model, lp_values)
    if hint is not None:
        hint = np.rint(hint).astype(np.int64)
        cover = cov @ hint
        diff = cover - model.need
        for j in range(nv):
            m.add_hint(xs[j], int(min(hint[j], ub[j])))
        for t in range(n):
            m.add_hint(under[t], int(max(0, min(-diff[t], ub[nv + t]))))
            m.add_hint(over[t], int(max(0, diff[t])))
    solver = cp_model.CpSolver()
    seconds = float(settings.time_limit_seconds)
    if deadline is not None:
        seconds = max(0.5, deadline - time.perf_counter())
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = int(settings.num_workers)
    solver.parameters.random_seed = int(settings.seed)
    solver.parameters.linearization_level = 2
    status = solver.solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, solver.status_name(status).lower()
    values = np.array([solver.value(v) for v in xs], dtype=float)
    return values, solver.status_name(status).lower()


def cover(
    need: np.ndarray,
    interval_minutes: int,
    day_templates: Sequence[Sequence[tuple[str, ShiftTemplate]]],
    settings: CoverSettings | None = None,
) -> CoverResult:
    """Plan the shifts that cover ``need`` (agents per interval) best.

    Parameters
    ----------
    need : array of int, one value per interval from 00:00 of the first day;
        its length is ``len(day_templates) * intervals per day``.
    interval_minutes : length of an interval (a divisor of 1440).
    day_templates : for each day of the horizon, the ``(set_name, template)``
        pairs offered that day (already filtered by weekday and period type).
    settings : weights, time limit and workers.

    Returns
    -------
    CoverResult
        The shifts, the coverage, under/over agent-intervals, the objective,
        the LP lower bound and the relative gap to it. Need that no template
        can reach is left understaffed and flagged in ``uncoverable``.
    """
    settings = settings or CoverSettings()
    need = np.ceil(np.asarray(need, dtype=float)).astype(np.int64)
    if np.any(need < 0):
        raise ValueError("need must be >= 0 in every interval")
    if interval_minutes <= 0 or (24 * 60) % interval_minutes:
        raise ValueError(f"interval_minutes must divide 1440, got {interval_minutes}")
    ipd = 24 * 60 // interval_minutes
    if need.shape[0] != len(day_templates) * ipd:
        raise ValueError(
            f"need has {need.shape[0]} intervals; {len(day_templates)} days of "
            f"{interval_minutes}-minute intervals need {len(day_templates) * ipd}"
        )
    began = time.perf_counter()
    model = build_model(
        need,
        interval_minutes,
        day_templates,
        under_weight=settings.under_weight,
        over_weight=settings.over_weight,
        paid_off_floor_weight=settings.paid_off_floor_weight,
    )
    uncoverable = uncoverable_intervals(model)
    if model.n_shift_vars == 0:
        coverage, under, over, obj = objective_of([], need, settings)
        return CoverResult(
            (), coverage, need, under, over, obj, obj, 0.0, "optimal", 0.0, uncoverable
        )
    lp = lp_relaxation(model)
    # LP dives (HiGHS) for a complete integer starting point, day-by-day
    # re-planning (HiGHS MIP), then CP-SAT on the whole model from the best point
    limit = settings.time_limit_seconds
    best, best_obj = None, float("inf")

    def score(values):
        return objective_of(disaggregate(model, values), need, settings)[3]

    for k in range(len(_DIVE_BATCHES)):
        # the first dive may use more of the limit: without it CP-SAT starts from nothing
        dive_deadline = began + (2 if k == 0 else 1) * _DIVE_SHARE * limit
        if k > 0 and (
            time.perf_counter() > began + _DIVE_SHARE * limit or best_obj <= lp.value + 1e-6
        ):
            break
        values = lp_dive(model, lp.solution, deadline=dive_deadline, batch_share=_DIVE_BATCHES[k])
        if values is None:
            break
        obj = score(values)
        if obj < best_obj:
            best, best_obj = values, obj
    if best is not None and best_obj > lp.value + 1e-6:
        # first the templates starting within a 6-hour window (3-hour steps): small
        # MIPs that HiGHS mostly solves to optimality; when a sweep over them no
        # longer improves, whole days with the rest of the time
        ipd = 24 * 60 // interval_minutes
        for window, seconds in ((ipd // 4, _WINDOW_SHARE * limit), (None, _DAY_SHARE * limit)):
            best = improve_by_days(
                model,
                best,
                score,
                deadline=began + _LNS_SHARE * limit,
                under_weight=settings.under_weight,
                over_weight=settings.over_weight,
                seconds_per_day=max(0.3, seconds),
                window_intervals=window,
                step_intervals=None if window is None else window // 2,
                workers=settings.num_workers,
                seed=settings.seed,
            )
    values, status = solve_cover(
        model, settings, lp_values=lp.solution, hint=best, deadline=began + 0.94 * limit
    )
    candidates = []
    if values is not None:
        candidates.append((disaggregate(model, values), status))
    if best is not None:
        candidates.append(
            (disaggregate(model, best), "feasible (LP dive and neighbourhood re-planning)")
        )
    if not candidates:
        from ccops.engine.schedule.greedy import greedy_cover

        candidates.append(
            (greedy_cover(need, interval_minutes, day_templates, settings), f"greedy ({status})")
        )
    scored = [(objective_of(s, need, settings), s, st) for s, st in candidates]
    (coverage, under, over, obj), shifts, status = min(scored, key=lambda c: c[0][3])
    return CoverResult(
        shifts=tuple(shifts),
        coverage=coverage,
        need=need,
        under_agent_intervals=under,
        over_agent_intervals=over,
        objective=obj,
        lp_bound=lp.value,
        gap=relative_gap(obj, lp.value),
        status=status,
        solve_seconds=time.perf_counter() - began,
        uncoverable=uncoverable,
    )
