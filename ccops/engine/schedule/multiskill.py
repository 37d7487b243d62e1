"""Stage 1 for several queues and pools of agents with different skill sets.

Planning every pool's shifts in one model at once is exact but slow: its LP
relaxation alone takes HiGHS minutes for four queues and fourteen skill sets,
because pools that hold more skills can stand in for pools that hold fewer
and the LP has many equally good splits. ccops therefore plans in three steps,
in the spirit of the decomposition of Bhulai, Koole and Pot (2008, "Simple
methods for shift scheduling in multiskill call centers"):

1. the shifts of the whole center, planned for the total need with the skills
   relaxed (every agent serving every queue, within the pools' total limits),
   by the single-pool pipeline;
2. those shifts handed to the pools by a MIP (:func:`assign_pools`): how many
   of each kind of shift each pool works, so that each queue's need is met by
   agents who hold its skill, within each pool's limits;
3. where the skills bind (the pools' shifts serve less need than the same
   shifts would with the skills relaxed), neighbourhoods of the whole
   multi-skill model re-planned exactly (every pool's shifts starting in a
   window, then in a day, with the flows of the touched intervals), each
   answer scored by the maximum flow.

The bound reported is the LP bound with the skills relaxed: a valid lower
bound on every multi-skill schedule (relaxing the skills can only help),
solved in about a second. The LP relaxation of the flow model is at least as
tight; :func:`multiskill_lp_bound` computes it (HiGHS interior point) when
there is time, as the benchmark does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import highspy
import numpy as np
from scipy import sparse

from ccops.engine.schedule.allocation import allocate, cut_matrices, served
from ccops.engine.schedule.bound import lp_relaxation
from ccops.engine.schedule.lns import (
    DETERMINISTIC_SAFETY,
    deterministic_checks,
    improve_by_days,
    limit_work,
)
from ccops.engine.schedule.model import CoverModel, Pool, build_model
from ccops.engine.schedule.shifts import (
    CoverSettings,
    ShiftInstance,
    aggregate,
    disaggregate,
    interval_minutes_of,
    objective_of,
    shift_coverage,
)
from ccops.engine.schedule.single import DAY_SHARE, WINDOW_SHARE, solve_one_pool

#: Shares of the limit for the plan with the skills relaxed and for handing its shifts
#: to the pools; the whole model's neighbourhoods have the rest.
RELAXED_SHARE = 0.7
ASSIGN_SHARE = 0.15


def merged_pool(pools: Sequence[Pool]) -> Pool:
    """One pool with every pool's agents, serving every queue (the skills relaxed)."""

    def total(field):
        values = [getattr(p, field) for p in pools]
        if any(v is None for v in values):
            return None
        return tuple(int(sum(col)) for col in zip(*values, strict=True))

    templates = None
    if all(p.templates is not None for p in pools):
        templates = frozenset().union(*(p.templates for p in pools))
    return Pool(
        (0,),
        name="all skills",
        daily_agents=total("daily_agents"),
        weekly_shifts=total("weekly_shifts"),
        weekly_paid_minutes=total("weekly_paid_minutes"),
        templates=templates,
    )


def _kind_key(shift: ShiftInstance) -> tuple:
    breaks = tuple((b.start, b.length) for b in shift.breaks)
    return (shift.day, shift.set_name, shift.template, shift.start, breaks)


def _matrix(rows, cols, vals, shape) -> sparse.csc_matrix:
    return sparse.csc_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=shape
    )


class _Capacity:
    """What each pool can still take: agents per day, shifts and paid minutes per week."""

    def __init__(self, pools: Sequence[Pool], interval_minutes: int):
        self.pools = pools
        self.im = interval_minutes
        self.day: dict[tuple[int, int], int] = {}
        self.week: dict[tuple[int, int], int] = {}
        self.paid: dict[tuple[int, int], int] = {}

    def fits(self, s: int, shift: ShiftInstance) -> bool:
        p, d, b = self.pools[s], shift.day, shift.day // 7
        if p.daily_agents is not None and self.day.get((s, d), 0) + 1 > p.daily_agents[d]:
            return False
        if p.weekly_shifts is not None and self.week.get((s, b), 0) + 1 > p.weekly_shifts[b]:
            return False
        minutes = shift.paid_intervals * self.im
        return not (
            p.weekly_paid_minutes is not None
            and self.paid.get((s, b), 0) + minutes > p.weekly_paid_minutes[b]
        )

    def add(self, s: int, shift: ShiftInstance, sign: int = 1) -> None:
        d, b = shift.day, shift.day // 7
        self.day[s, d] = self.day.get((s, d), 0) + sign
        self.week[s, b] = self.week.get((s, b), 0) + sign
        self.paid[s, b] = self.paid.get((s, b), 0) + sign * shift.paid_intervals * self.im


def _pattern(shift: ShiftInstance, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The intervals a shift is on the phones in (inside the horizon) and +1/-1 there."""
    pattern = np.zeros(n)
    pattern[max(shift.start, 0) : min(shift.end, n)] += 1
    for b in shift.breaks:
        pattern[max(b.start, 0) : min(b.start + b.length, n)] -= 1
    span = np.flatnonzero(pattern)
    return span, pattern[span]


def greedy_pools(
    model: CoverModel, shifts: Sequence[ShiftInstance], *, passes: int = 2
) -> list[ShiftInstance]:
    """Hand each shift, in time order, to the pool where it serves the most unmet need
    (the maximum flow, over the shift's intervals, evaluated for every candidate pool at
    once), within the pools' limits; ties go to the pool with fewer skills, keeping the
    flexible agents for where they are needed. Then ``passes`` of moving single shifts
    to another pool where that serves more need."""
    n, need = model.n_intervals, model.need
    queues = [p.queues for p in model.pools]
    cuts = cut_matrices(queues, model.n_queues)
    flex = np.array([len(q) for q in queues])
    capacity = _Capacity(model.pools, interval_minutes_of(model))
    allowed = {
        t: [s for s, p in enumerate(model.pools) if p.templates is None or t in p.templates]
        for t in {sh.template for sh in shifts}
    }
    cov = np.zeros((model.n_pools, n))
    order = sorted(range(len(shifts)), key=lambda i: (shifts[i].start, -shifts[i].length))
    patterns = {i: _pattern(shifts[i], n) for i in order}
    pool_of: dict[int, int] = {}

    def best_pool(i: int, current: int | None) -> int | None:
        sh = shifts[i]
        span, values = patterns[i]
        cands = [s for s in allowed[sh.template] if s == current or capacity.fits(s, sh)]
        if not cands:
            return None
        if span.size == 0:
            return min(cands, key=lambda s: flex[s])
        trial = np.repeat(cov[None, :, span], len(cands), axis=0)
        for c, s in enumerate(cands):
            trial[c, s] += values
        gains = served(trial, need[:, span], queues, cuts=cuts).sum(axis=-1)
        ranked = sorted(range(len(cands)), key=lambda c: (-round(gains[c], 6), flex[cands[c]]))
        return cands[ranked[0]]

    for i in order:
        s = best_pool(i, None)
        if s is None:  # every pool that may work it is full: the least loaded takes it
            options = allowed[shifts[i].template] or [0]
            s = min(options, key=lambda p: capacity.week.get((p, shifts[i].day // 7), 0))
        pool_of[i] = s
        capacity.add(s, shifts[i])
        span, values = patterns[i]
        cov[s, span] += values
    for _ in range(passes):
        moved = False
        for i in order:
            s, sh = pool_of[i], shifts[i]
            span, values = patterns[i]
            cov[s, span] -= values
            capacity.add(s, sh, -1)
            t = best_pool(i, s)
            t = s if t is None else t
            if t != s:
                moved = True
            pool_of[i] = t
            capacity.add(t, sh)
            cov[t, span] += values
        if not moved:
            break
    out = [replace(shifts[i], pool=pool_of[i]) for i in order]
    out.sort(key=lambda x: (x.start, x.template, x.pool))
    return out


def assign_pools(
    model: CoverModel,
    shifts: Sequence[ShiftInstance],
    settings: CoverSettings,
    *,
    seconds: float,
    start: Sequence[ShiftInstance] | None = None,
) -> list[ShiftInstance]:
    """Hand planned shifts to the pools so that the queues' need is met best.

    Identical shifts are grouped into kinds; a MIP (HiGHS) chooses how many of each
    kind each pool works (``z[kind, pool]``), within the pools' limits, with the flows
    of the model splitting every pool's agents over its queues, started from ``start``
    (the same shifts with pools, e.g. :func:`greedy_pools`'s). Shifts keep their times
    and breaks; only their pool changes. With deterministic settings the MIP stops
    after a number of nodes or of HiGHS's limit checks
    (:func:`~ccops.engine.schedule.lns.limit_work`) instead of ``seconds``.
    Never worse than ``start``.
    """
    n, n_p, n_q = model.n_intervals, model.n_pools, model.n_queues
    im = interval_minutes_of(model)
    kinds: dict[tuple, list[ShiftInstance]] = {}
    for sh in shifts:
        kinds.setdefault(_kind_key(sh), []).append(sh)
    keys = list(kinds)
    if not keys:
        return []
    allowed = [
        [s for s, p in enumerate(model.pools) if p.templates is None or key[2] in p.templates]
        for key in keys
    ]
    z_cols = [(k, s) for k, pools_k in enumerate(allowed) for s in pools_k]
    nz, pairs = len(z_cols), model.pairs
    n_k = pairs.shape[0]
    c_f, c_u = nz, nz + n_k * n
    c_o = c_u + n_q * n
    n_cols = c_o + n_p * n
    t = np.arange(n)
    rows, cols, vals, lo, hi = [], [], [], [], []
    # pool rows (s, t): sum_kinds pattern * z - sum f - over = 0
    for j, (k, s) in enumerate(z_cols):
        sh = kinds[keys[k]][0]
        pattern = np.zeros(n)
        pattern[max(sh.start, 0) : min(sh.end, n)] += 1
        for b in sh.breaks:
            pattern[max(b.start, 0) : min(b.start + b.length, n)] -= 1
        on = np.flatnonzero(pattern)
        rows.append(s * n + on)
        cols.append(np.full(on.size, j))
        vals.append(pattern[on])
    for kk, (s, q) in enumerate(pairs):
        rows += [s * n + t, n_p * n + q * n + t]
        cols += [c_f + kk * n + t, c_f + kk * n + t]
        vals += [-np.ones(n), np.ones(n)]
    for s in range(n_p):
        rows.append(s * n + t)
        cols.append(c_o + s * n + t)
        vals.append(-np.ones(n))
    # queue rows (q, t): sum f + under = need
    for q in range(n_q):
        rows.append(n_p * n + q * n + t)
        cols.append(c_u + q * n + t)
        vals.append(np.ones(n))
    need = model.need.ravel().astype(float)
    lo += [np.zeros(n_p * n), need]
    hi += [np.zeros(n_p * n), need]
    r0 = (n_p + n_q) * n
    # every shift is worked by exactly one pool
    counts = np.array([len(kinds[key]) for key in keys], dtype=float)
    for k in range(len(keys)):
        js = [j for j, (kk, _s) in enumerate(z_cols) if kk == k]
        rows.append(np.full(len(js), r0 + k))
        cols.append(np.array(js))
        vals.append(np.ones(len(js)))
    lo.append(counts)
    hi.append(counts)
    r0 += len(keys)
    # the pools' limits: agents per day, shifts and paid minutes per week
    n_blocks = -(-(max(key[0] for key in keys) + 1) // 7)
    for s, pool in enumerate(model.pools):
        mine = [(j, keys[k]) for j, (k, ps) in enumerate(z_cols) if ps == s]
        limits = []
        if pool.daily_agents is not None:
            for d, cap in enumerate(pool.daily_agents):
                limits.append(([j for j, key in mine if key[0] == d], None, float(cap)))
        for b in range(n_blocks):
            block = [(j, key) for j, key in mine if b * 7 <= key[0] < b * 7 + 7]
            if pool.weekly_shifts is not None:
                limits.append(([j for j, _ in block], None, float(pool.weekly_shifts[b])))
            if pool.weekly_paid_minutes is not None:
                paid = [kinds[key][0].paid_intervals * im for _j, key in block]
                limits.append(([j for j, _ in block], paid, float(pool.weekly_paid_minutes[b])))
        for js, weights, cap in limits:
            if js:
                rows.append(np.full(len(js), r0))
                cols.append(np.array(js))
                vals.append(np.ones(len(js)) if weights is None else np.array(weights, float))
                lo.append(np.array([-highspy.kHighsInf]))
                hi.append(np.array([cap]))
                r0 += 1
    matrix = _matrix(rows, cols, vals, (r0, n_cols))
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_cols, r0
    lp.col_cost_ = np.concatenate(
        [
            np.zeros(nz + n_k * n),
            np.full(n_q * n, settings.under_weight),
            np.full(n_p * n, settings.over_weight),
        ]
    )
    lp.col_lower_ = np.zeros(n_cols)
    lp.col_upper_ = np.concatenate(
        [
            np.array([counts[k] for k, _s in z_cols]),
            np.concatenate([model.need[q].astype(float) for _s, q in pairs]),
            need,
            np.full(n_p * n, float(len(shifts) + 1)),
        ]
    )
    lp.row_lower_, lp.row_upper_ = np.concatenate(lo), np.concatenate(hi)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr
    lp.a_matrix_.index_ = matrix.indices
    lp.a_matrix_.value_ = matrix.data
    var = highspy.HighsVarType
    lp.integrality_ = [var.kInteger] * nz + [var.kContinuous] * (n_cols - nz)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", int(settings.seed))
    limit = DETERMINISTIC_SAFETY * seconds if settings.deterministic else seconds
    h.setOptionValue("time_limit", float(max(0.5, limit)))
    if settings.deterministic:
        h.setOptionValue("mip_max_nodes", 200)
        limit_work(h, deterministic_checks(seconds, nz))
    h.passModel(lp)
    if start is not None:
        h.setSolution(_start_columns(model, start, keys, z_cols))
    h.run()
    solution = h.getSolution()
    out: list[ShiftInstance] = []
    if solution.value_valid:
        z = np.rint(np.asarray(solution.col_value)[:nz]).astype(np.int64)
        taken = dict.fromkeys(range(len(keys)), 0)
        for j, (k, s) in enumerate(z_cols):
            members = kinds[keys[k]][taken[k] : taken[k] + int(z[j])]
            out.extend(replace(sh, pool=s) for sh in members)
            taken[k] += int(z[j])
    if len(out) != len(shifts):
        if start is not None:
            return list(start)
        # no assignment in time: each kind's shifts dealt round the pools that may work it
        out = [
            replace(sh, pool=(allowed[k] or [0])[i % max(1, len(allowed[k]))])
            for k, key in enumerate(keys)
            for i, sh in enumerate(kinds[key])
        ]
    out.sort(key=lambda x: (x.start, x.template, x.pool))
    if start is not None:
        score = objective_of(out, model.need, settings, model.pools)[3]
        if score > objective_of(start, model.need, settings, model.pools)[3]:
            return list(start)
    return out


def _start_columns(model, start, keys, z_cols) -> highspy.HighsSolution:
    """The MIP columns of a complete assignment: counts per kind and pool, then the
    flows, under and over of its coverage (a maximum flow)."""
    index = {key: k for k, key in enumerate(keys)}
    per = {}
    for sh in start:
        kk = (index[_kind_key(sh)], sh.pool)
        per[kk] = per.get(kk, 0) + 1
    z = np.array([per.get(col, 0) for col in z_cols], dtype=float)
    cov = shift_coverage(start, model.n_intervals, model.n_pools)[0]
    flows = allocate(cov, model.need, [p.queues for p in model.pools], balance=False)
    f = np.concatenate([flows[s, q] for s, q in model.pairs])
    under = np.clip(model.need - flows.sum(axis=0), 0, None).ravel()
    over = np.clip(cov - flows.sum(axis=1), 0, None).ravel()
    solution = highspy.HighsSolution()
    solution.col_value = np.concatenate([z, f, under, over])
    solution.value_valid = True
    return solution


def solve_pools(
    model: CoverModel,
    settings: CoverSettings,
    day_templates,
    interval_minutes: int,
    began: float,
) -> tuple[list[ShiftInstance], str, float]:
    """The three steps of the module docstring; returns the shifts, how they were found,
    and the LP bound with the skills relaxed."""
    limit = settings.time_limit_seconds
    det = settings.deterministic
    relaxed = build_model(
        model.need.sum(axis=0),
        interval_minutes,
        day_templates,
        under_weight=settings.under_weight,
        over_weight=settings.over_weight,
        paid_off_floor_weight=settings.paid_off_floor_weight,
        pools=[merged_pool(model.pools)],
    )
    lp = lp_relaxation(relaxed)
    share = RELAXED_SHARE * limit
    # without RINS: on the benchmark its MIP rarely finished within this shorter share
    # (1840 against 1586 at load 7, docs/scheduling.md)
    first, _status = solve_one_pool(
        relaxed, replace(settings, time_limit_seconds=share), lp, began, share, rins=False
    )
    assigned = greedy_pools(model, first)
    # with the skills relaxed the same shifts serve at least as much: when the greedy
    # hand-out reaches that, no assignment can do better
    relaxed_score = objective_of(first, model.need.sum(axis=0), settings)[3]
    if objective_of(assigned, model.need, settings, model.pools)[3] > relaxed_score + 1e-9:
        assigned = assign_pools(
            model, first, settings, seconds=ASSIGN_SHARE * limit, start=assigned
        )
    values = aggregate(model, assigned)

    def score(v):
        return objective_of(disaggregate(model, v), model.need, settings, model.pools)[3]

    ipd = 24 * 60 // interval_minutes
    # where the skills bind, re-plan windows and days of the whole model exactly
    binding = score(values) > relaxed_score + 1e-9
    phases = ((ipd // 4, WINDOW_SHARE * limit), (None, DAY_SHARE * limit)) if binding else ()
    for window, seconds in phases:
        values = improve_by_days(
            model,
            values,
            score,
            deadline=float("inf") if det else began + 0.97 * limit,
            under_weight=settings.under_weight,
            over_weight=settings.over_weight,
            seconds_per_day=max(0.3, seconds),
            window_intervals=window,
            step_intervals=None if window is None else window // 2,
            workers=settings.num_workers,
            seed=settings.seed,
            deterministic=det,
        )
    status = "feasible (relaxed plan, pools assigned, neighbourhoods re-planned)"
    return disaggregate(model, values), status, lp.value


def multiskill_lp_bound(model: CoverModel, *, seconds: float) -> float | None:
    """The LP relaxation of the flow model (HiGHS interior point, no crossover): a lower
    bound at least as tight as the skills-relaxed one; ``None`` if not solved in time."""
    a = sparse.vstack([model.a_ub, model.a_eq, model.a_bal], format="csc")
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = model.n_vars, a.shape[0]
    lp.col_cost_ = model.cost
    lp.col_lower_ = np.zeros(model.n_vars)
    lp.col_upper_ = model.upper
    lp.row_lower_ = np.concatenate(
        [np.full(model.a_ub.shape[0], -highspy.kHighsInf), model.b_eq, model.b_bal]
    )
    lp.row_upper_ = np.concatenate([model.b_ub, model.b_eq, model.b_bal])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr
    lp.a_matrix_.index_ = a.indices
    lp.a_matrix_.value_ = a.data
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("solver", "ipm")
    h.setOptionValue("run_crossover", "off")
    h.setOptionValue("time_limit", float(seconds))
    h.passModel(lp)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    return float(h.getInfo().objective_function_value)
