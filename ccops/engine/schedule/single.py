"""Stage 1 for one pool: LP dives, neighbourhood MIPs, then (when they settle early)
CP-SAT on the whole model.

The LP dive (HiGHS, :func:`ccops.engine.schedule.bound.lp_dive`) rounds the LP
optimum into a first schedule, the neighbourhood MIPs of
:mod:`ccops.engine.schedule.lns` re-plan it exactly (first the counts where it
disagrees with the LP optimum, RINS; then windows and days), and CP-SAT
(OR-Tools) searches the whole model last from the best point found.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
from ortools.sat.python import cp_model

from ccops.engine.schedule.allocation import allocate
from ccops.engine.schedule.bound import lp_dive
from ccops.engine.schedule.greedy import greedy_cover
from ccops.engine.schedule.lns import (
    DETERMINISTIC_SAFETY,
    WorkClock,
    improve_by_days,
    improve_by_rins,
)
from ccops.engine.schedule.model import CoverModel, pool_coverage
from ccops.engine.schedule.shifts import (
    CoverSettings,
    ShiftInstance,
    disaggregate,
    interval_minutes_of,
    objective_of,
)

_SCALE = 100  # weights are taken to 1/100
_DIVE_SHARE = 0.3  # LP dives end by this share of the time limit
_LNS_SHARE = 0.97  # neighbourhood re-planning ends by this share
_CP_SAT_END = 0.94  # CP-SAT ends by this share, when the re-planning converged earlier
WINDOW_SHARE = 1 / 30  # time per window MIP of the first phase (1 s at 30 s)
WIDE_WINDOW_SHARE = 1 / 12  # time per 12-hour window MIP once the 8-hour ones settle
DAY_SHARE = 1 / 6  # time per day MIP once the windows no longer improve
#: the neighbourhood phases in turn: windows of so many hours (``None``: days, then pairs
#: of days) stepped by half their width, and each MIP's share of the limit; a phase ends
#: when a sweep over its neighbourhoods no longer improves (6-hour windows, earlier the
#: first phase, settled sooner and worse on the benchmark week: docs/scheduling.md)
NEIGHBOURHOOD_PHASES = ((8, WINDOW_SHARE), (12, WIDE_WINDOW_SHARE), (None, DAY_SHARE))
RINS_SHARE = 0.2  # time per RINS MIP (6 s at 30 s), right after the dive
_RINS_END = 0.35  # RINS rounds end by this share of the limit
_RINS_LAST = 0.6  # ... or, when the dive ended late, one round ends by this share
#: Deterministic mode: simplex iterations of the LP dive per second of its work clock
#: (the benchmark week's dive: 18,888 iterations in 2.5 s of an idle core)
DETERMINISTIC_SIMPLEX_ITERATIONS_PER_SECOND = 7500
_DIVE_BATCHES = (0.3,)  # share of fractional counts fixed per LP re-solve (60 % and 80 %
# dives ended worse on the benchmark: 1522 and 1704 against 1392; see docs)


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


def _balance_hint(model: CoverModel, x: np.ndarray) -> np.ndarray:
    """Flow, under and over values completing shift counts ``x`` into a feasible point
    (a maximum flow of :func:`ccops.engine.schedule.allocation.allocate`)."""
    per_pool = pool_coverage(model, x)
    if not model.has_flows:
        diff = per_pool[0] - model.need[0]
        return np.concatenate([np.clip(-diff, 0, None), np.clip(diff, 0, None)])
    flows = allocate(per_pool, model.need, [p.queues for p in model.pools], balance=False)
    flows = np.rint(flows).astype(np.int64)
    f = np.concatenate([flows[s, q] for s, q in model.pairs])
    served_q = flows.sum(axis=0)
    under = (model.need - served_q).ravel()
    over = (per_pool - flows.sum(axis=1)).ravel()
    return np.concatenate([f, under, over])


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
    ``deadline`` (a ``time.perf_counter()`` value) when given, building included;
    with deterministic settings it stops after a deterministic time of that many
    seconds instead. With a ``hint`` and a ``radius``, each count is kept within
    ``radius`` of its hinted value (a neighbourhood of the hint, which stays feasible).
    """
    nv = model.n_shift_vars
    m = cp_model.CpModel()
    ub = np.rint(model.upper).astype(np.int64)
    lb = np.zeros(model.n_vars, dtype=np.int64)
    if hint is not None and radius is not None:
        h = np.rint(hint).astype(np.int64)
        lb[:nv] = np.maximum(0, np.minimum(h, ub[:nv]) - radius)
        ub = ub.copy()
        ub[:nv] = np.minimum(ub[:nv], h + radius)
    allv = [m.new_int_var(int(lb[j]), int(max(lb[j], ub[j])), f"v{j}") for j in range(model.n_vars)]

    def add_rows(a, b, sense):
        a = a.tocsr()
        for r in range(a.shape[0]):
            cols = a.indices[a.indptr[r] : a.indptr[r + 1]]
            vals = a.data[a.indptr[r] : a.indptr[r + 1]]
            expr = cp_model.LinearExpr.weighted_sum(
                [allv[int(c)] for c in cols], [round(float(v)) for v in vals]
            )
            if sense == "eq":
                m.add(expr == round(float(b[r])))
            else:
                m.add(expr <= int(np.floor(b[r] + 1e-9)))

    add_rows(model.a_eq, model.b_eq, "eq")
    add_rows(model.a_ub, model.b_ub, "le")
    add_rows(model.a_bal, model.b_bal, "eq")
    coefs = np.rint(model.cost * _SCALE).astype(np.int64)
    nz = np.flatnonzero(coefs)
    m.minimize(
        cp_model.LinearExpr.weighted_sum([allv[int(j)] for j in nz], [int(coefs[j]) for j in nz])
    )
    if hint is None and lp_values is not None:
        hint = _round_hint(model, lp_values)
    if hint is not None:
        hint = np.minimum(np.rint(hint[:nv]).astype(np.int64), ub[:nv])
        rest = _balance_hint(model, hint)
        for j in range(nv):
            m.add_hint(allv[j], int(hint[j]))
        for j, value in enumerate(rest):
            var = nv + j
            m.add_hint(allv[var], int(min(max(value, lb[var]), ub[var])))
    solver = cp_model.CpSolver()
    seconds = float(settings.time_limit_seconds)
    if deadline is not None:
        seconds = max(0.5, deadline - time.perf_counter())
    if settings.deterministic:
        solver.parameters.max_deterministic_time = seconds
        solver.parameters.interleave_search = True
        # a guard only: out of reach on a loaded machine, or runs would differ
        solver.parameters.max_time_in_seconds = DETERMINISTIC_SAFETY * seconds
    else:
        solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = int(settings.num_workers)
    solver.parameters.random_seed = int(settings.seed)
    solver.parameters.linearization_level = 2
    status = solver.solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, solver.status_name(status).lower()
    values = np.array([solver.value(v) for v in allv[:nv]], dtype=float)
    return values, solver.status_name(status).lower()


def solve_one_pool(
    model: CoverModel,
    settings: CoverSettings,
    lp,
    began: float,
    limit: float,
    *,
    rins: bool = True,
):
    """The single-pool pipeline: LP dives (HiGHS) for a complete integer starting point,
    RINS (unless ``rins`` is false), window- and day-wise re-planning (HiGHS MIPs), then
    CP-SAT on the whole model from the best point when the re-planning settled early or
    found nothing. Returns the best shifts and how they were found."""
    need2, pools = model.need, model.pools
    ipd = 24 * 60 // interval_minutes_of(model)
    det = settings.deterministic
    # deterministic: every deadline is on a clock of estimated work (WorkClock), so the
    # phases end at the same shares of the limit as a timed run's on an idle machine
    clock = WorkClock() if det else None
    now = clock if clock is not None else time.perf_counter
    began = 0.0 if det else began
    best, best_obj = None, float("inf")

    def score(values):
        return objective_of(disaggregate(model, values), need2, settings, pools)[3]

    for k in range(len(_DIVE_BATCHES)):
        # the first dive may use more of the limit: without it CP-SAT starts from nothing
        dive_deadline = float("inf") if det else began + (2 if k == 0 else 1) * _DIVE_SHARE * limit
        if k > 0 and (now() > began + _DIVE_SHARE * limit or best_obj <= lp.value + 1e-6):
            break
        iterations: list[int] = []
        values = lp_dive(
            model,
            lp.solution,
            deadline=dive_deadline,
            batch_share=_DIVE_BATCHES[k],
            iterations=iterations,
        )
        if clock is not None:
            clock.advance(sum(iterations) / DETERMINISTIC_SIMPLEX_ITERATIONS_PER_SECOND)
        if values is None:
            break
        obj = score(values)
        if obj < best_obj:
            best, best_obj = values, obj
    if rins and best is not None and best_obj > lp.value + 1e-6:
        # RINS: the counts where the dive agrees with the LP are kept, the rest of the
        # week is one MIP; then windows and days re-plan the week part by part
        best = improve_by_rins(
            model,
            best,
            lp.solution,
            score,
            # one round whenever the dive ends before half the limit (under load it
            # ends late, and RINS gains the most per second), more while time allows
            deadline=min(
                began + _RINS_LAST * limit,
                max(began + _RINS_END * limit, now() + RINS_SHARE * limit),
            ),
            under_weight=settings.under_weight,
            over_weight=settings.over_weight,
            seconds=RINS_SHARE * limit,
            workers=settings.num_workers,
            seed=settings.seed,
            deterministic=det,
            clock=clock,
        )
    lns_deadline = began + _LNS_SHARE * limit
    if best is not None and best_obj > lp.value + 1e-6:
        # first the templates starting within an 8-hour window (4-hour steps): small
        # MIPs that HiGHS often solves to optimality; when a sweep over them no
        # longer improves, 12-hour windows (6-hour steps), then whole days
        for hours, share in NEIGHBOURHOOD_PHASES:
            window = None if hours is None else ipd * hours // 24
            seconds = share * limit
            best = improve_by_days(
                model,
                best,
                score,
                deadline=lns_deadline,
                under_weight=settings.under_weight,
                over_weight=settings.over_weight,
                seconds_per_day=max(0.3, seconds),
                window_intervals=window,
                step_intervals=None if window is None else window // 2,
                workers=settings.num_workers,
                seed=settings.seed,
                deterministic=det,
                clock=clock,
            )
    values, status = None, "not run"
    left = began + _CP_SAT_END * limit - now()
    if best is None or left >= 0.05 * limit:
        # CP-SAT on the whole model when the re-planning stopped early (every
        # neighbourhood settled, as on small inputs, where CP-SAT may prove the plan
        # optimal) or found nothing; on the benchmark week the neighbourhoods use the
        # time better (CP-SAT gained nothing from their schedule in its seconds)
        values, status = solve_cover(
            model,
            replace(settings, time_limit_seconds=max(0.1 * limit, left)),
            lp_values=lp.solution,
            hint=best,
            deadline=None if det else began + _CP_SAT_END * limit,
        )
    candidates = []
    if values is not None:
        candidates.append((disaggregate(model, values), status))
    if best is not None:
        candidates.append(
            (disaggregate(model, best), "feasible (LP dive and neighbourhood re-planning)")
        )
    if not candidates:
        return greedy_fallback(model, settings), f"greedy ({status})"
    scored = [
        (objective_of(sh, need2, settings, pools)[3], i) for i, (sh, _st) in enumerate(candidates)
    ]
    _obj, pick = min(scored)
    return candidates[pick]


def greedy_fallback(model: CoverModel, settings: CoverSettings) -> list[ShiftInstance]:
    im = interval_minutes_of(model)
    days = max(g.day for g in model.groups) + 1
    by_day: list[list] = [[] for _ in range(days)]
    seen = set()
    for g in model.groups:
        key = (g.day, g.set_name, g.template.name)
        if key not in seen:
            seen.add(key)
            by_day[g.day].append((g.set_name, g.template))
    return greedy_cover(model.need, im, by_day, settings, pools=model.pools)
