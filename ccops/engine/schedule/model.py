"""The stage-1 covering model in matrix form, shared by the LP bound, the
neighbourhood MIPs and CP-SAT: one queue, or several queues served by pools of
agents with different skill sets.

Time is an absolute clock of intervals counted from 00:00 of the first day of
the horizon, so a shift that crosses midnight simply covers the next day's
first intervals. Coverage beyond the end of the horizon is not counted (it
neither covers need nor counts as overstaffing) but it is paid.

Variables, for every *group* (one template offered on one day to one pool):

* ``x[g, i]``: how many shifts of the group start at the group's i-th start time;
* ``y[g, k, tau]``: how many of them take break ``k`` at absolute interval ``tau``.

Breaks are implicit (Bechtold and Jacobs, 1990): instead of one variable per
combination of start time and break offset, the break counts of a group are
tied to its start counts by forward and backward constraints, which say
exactly when the breaks can be handed out to the started shifts, each inside
its own window. Because all shifts of a group share the same relative windows,
the windows are ordered and these constraints are both necessary and
sufficient; :func:`ccops.engine.schedule.shifts.disaggregate` hands them out.

Several queues (multi-skill planning)
-------------------------------------
A *pool* is the agents who hold the same set of skills, that is who may serve
the same queues. Shifts are planned per pool; in every interval each agent on
the phones serves one queue at a time, so the pools' agents are split over the
queues by flow variables ``f[s, q, t]`` (pool ``s`` serving queue ``q`` at
``t``, for ``q`` in ``s``):

    sum_q f[s, q, t] + idle[s, t] = on_phones[s, t]      (pool balance)
    sum_s f[s, q, t] + under[q, t] = need[q, t]           (queue balance)

This is the assignment (transportation) formulation of skill-based staffing
(e.g. Bhulai, Koole and Pot 2008, "Simple methods for shift scheduling in
multiskill call centers"; Cezik and L'Ecuyer 2008 use the same flow as the
lower level of their model): its LP relaxation is a lower bound on every
multi-skill schedule, and it counts an agent with several skills toward one
queue at a time, never toward each of them. With one queue and one pool the
flows are left out and the model is the single-queue one,
``on_phones[t] + under[t] - over[t] = need[t]``.

A pool may also limit what the roster can give it: agents available per day,
shifts and paid minutes per week. Planning within these limits keeps stage 2
from receiving shifts that nobody of the pool can work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from ccops.engine.schedule.templates import ShiftTemplate


@dataclass(frozen=True)
class Pool:
    """Agents with the same skill set: the queues they may serve (indices into the need's
    queues) and how much work the roster can give them (``None``: no limit).

    ``daily_agents[d]``        agents of the pool who can work on day ``d``
    ``weekly_shifts[b]``       shifts the pool's agents can work in week block ``b``
    ``weekly_paid_minutes[b]`` paid minutes they can work in week block ``b``
    ``templates``              names of the templates the pool may work (``None``: all)
    """

    queues: tuple[int, ...]
    name: str = ""
    daily_agents: tuple[int, ...] | None = None
    weekly_shifts: tuple[int, ...] | None = None
    weekly_paid_minutes: tuple[int, ...] | None = None
    templates: frozenset[str] | None = None

    def __post_init__(self) -> None:
        if not self.queues:
            raise ValueError(f"pool {self.name!r}: queues must not be empty")
        if len(set(self.queues)) != len(self.queues):
            raise ValueError(f"pool {self.name!r}: queues {self.queues} repeat a queue")
        for field in ("daily_agents", "weekly_shifts", "weekly_paid_minutes"):
            values = getattr(self, field)
            if values is not None and any(v < 0 for v in values):
                raise ValueError(f"pool {self.name!r}: {field} must be >= 0, got {values}")


@dataclass(frozen=True)
class Group:
    """One template offered on one day to one pool."""

    day: int
    set_name: str
    template: ShiftTemplate
    starts: np.ndarray  # absolute start intervals, increasing
    length: int  # intervals
    x_index: np.ndarray  # variable index of each start
    break_lengths: tuple[int, ...]  # intervals
    break_windows: tuple[tuple[int, int], ...]  # (earliest, latest) offsets in intervals
    break_times: tuple[np.ndarray, ...]  # absolute break start intervals per break
    y_index: tuple[np.ndarray, ...]  # variable index per break time
    pool: int = 0
    paid_intervals: int = 0


@dataclass(frozen=True)
class CoverModel:
    """Sparse matrices of the covering model.

    Variable layout: the ``x`` and ``y`` variables of every group; the flow
    variables ``f[k, t]`` of every (pool, queue) pair ``k`` (none with one
    queue and one pool); ``under[q, t]`` per queue; ``over[s, t]`` (idle
    agents on the phones) per pool. Balance rows (``a_bal x = b_bal``) tie
    them together as the module docstring says.
    """

    groups: tuple[Group, ...]
    n_intervals: int
    n_shift_vars: int
    coverage: sparse.csr_matrix  # (n_pools * n_intervals) x n_shift_vars, row s * n + t
    a_eq: sparse.csr_matrix  # break totals (rows over all variables)
    b_eq: np.ndarray
    a_ub: sparse.csr_matrix  # forward/backward break constraints, pool capacities
    b_ub: np.ndarray
    cost: np.ndarray  # objective over all variables, in the caller's weights
    upper: np.ndarray  # upper bound of every variable
    need: np.ndarray  # integer need, n_queues x n_intervals
    a_bal: sparse.csr_matrix  # balance rows over all variables
    b_bal: np.ndarray
    pools: tuple[Pool, ...]
    pairs: np.ndarray  # (pool, queue) of each flow variable block

    @property
    def n_queues(self) -> int:
        return self.need.shape[0]

    @property
    def n_pools(self) -> int:
        return len(self.pools)

    @property
    def n_flow_vars(self) -> int:
        return self.pairs.shape[0] * self.n_intervals

    @property
    def has_flows(self) -> bool:
        return self.pairs.shape[0] > 0

    @property
    def n_vars(self) -> int:
        n = self.n_intervals
        return self.n_shift_vars + self.n_flow_vars + (self.n_queues + self.n_pools) * n

    def flow_index(self, k: int, t) -> np.ndarray | int:
        return self.n_shift_vars + k * self.n_intervals + t

    def under_index(self, q: int, t) -> np.ndarray | int:
        return self.n_shift_vars + self.n_flow_vars + q * self.n_intervals + t

    def over_index(self, s: int, t) -> np.ndarray | int:
        n = self.n_intervals
        return self.n_shift_vars + self.n_flow_vars + self.n_queues * n + s * n + t

    @property
    def total_need(self) -> np.ndarray:
        """Need per interval summed over the queues."""
        return self.need.sum(axis=0)


def _need_2d(need: np.ndarray) -> np.ndarray:
    need = np.asarray(need)
    return need[None, :] if need.ndim == 1 else need


def pairs_of(pools: Sequence[Pool], n_queues: int) -> np.ndarray:
    """The (pool, queue) pairs of the flow variables; none for one pool serving one queue."""
    if len(pools) == 1 and n_queues == 1:
        return np.zeros((0, 2), dtype=np.int64)
    return np.array([(s, q) for s, p in enumerate(pools) for q in p.queues], dtype=np.int64)


def build_model(
    need: np.ndarray,
    interval_minutes: int,
    day_templates: Sequence[Sequence[tuple[str, ShiftTemplate]]],
    *,
    under_weight: float,
    over_weight: float,
    paid_off_floor_weight: float,
    pools: Sequence[Pool] | None = None,
) -> CoverModel:
    """Build the covering model for ``need``: agents per interval of the horizon (one
    queue), or per queue and interval (an array ``n_queues x n_intervals``).

    ``day_templates[d]`` lists ``(set_name, template)`` offered on day ``d``;
    the horizon holds ``len(day_templates)`` days. ``pools`` (default: one pool
    serving every queue, without limits) are the skill sets shifts are planned for.
    """
    need = _need_2d(need).astype(np.int64)
    n_q, n = need.shape
    if pools is None:
        pools = (Pool(tuple(range(n_q)), name="all"),)
    pools = tuple(pools)
    for s, pool in enumerate(pools):
        if any(not 0 <= q < n_q for q in pool.queues):
            raise ValueError(f"pool {s} ({pool.name!r}) names a queue outside 0..{n_q - 1}")
    ipd = 24 * 60 // interval_minutes
    n_days = len(day_templates)
    groups: list[Group] = []
    cov_rows: list[np.ndarray] = []
    cov_cols: list[np.ndarray] = []
    cov_vals: list[np.ndarray] = []
    cost: list[float] = []
    upper: list[float] = []
    eq_rows: list[dict[int, float]] = []
    ub_rows: list[tuple[dict[int, float], float]] = []
    nv = 0

    def add_span(var: int, row0: int, start: int, length: int, sign: float) -> int:
        """Add coverage of ``var`` on [start, start+length) in the pool's rows (from
        ``row0``); return intervals beyond the horizon."""
        lo, hi = max(start, 0), min(start + length, n)
        if hi > lo:
            cov_rows.append(row0 + np.arange(lo, hi))
            cov_cols.append(np.full(hi - lo, var))
            cov_vals.append(np.full(hi - lo, sign))
        return max(0, start + length - max(n, start))

    for s, pool in enumerate(pools):
        pool_need = need[list(pool.queues)].sum(axis=0)
        row0 = s * n
        for day, offered in enumerate(day_templates):
            day_cap = None if pool.daily_agents is None else int(pool.daily_agents[day])
            for set_name, tpl in offered:
                if pool.templates is not None and tpl.name not in pool.templates:
                    continue
                starts = np.array(
                    [day * ipd + m // interval_minutes for m in tpl.start_minutes], dtype=np.int64
                )
                length = tpl.length_minutes // interval_minutes
                x_index = np.arange(nv, nv + starts.size)
                for var, st in zip(x_index, starts, strict=True):
                    spill = add_span(int(var), row0, int(st), length, 1.0)
                    cost.append(paid_off_floor_weight * spill)
                    # more shifts at one start than twice the peak need they span never pay
                    hi = int(pool_need[int(st) : min(int(st) + length, n)].max(initial=0))
                    cap = 2 * hi + 2 if hi > 0 else 0
                    if tpl.max_per_start is not None:
                        cap = min(cap, tpl.max_per_start)
                    if day_cap is not None:
                        cap = min(cap, day_cap)
                    upper.append(float(cap))
                nv += starts.size
                blens, bwins, btimes, yidx = [], [], [], []
                unpaid = 0
                for rule in tpl.breaks:
                    blen = rule.length_minutes // interval_minutes
                    if not rule.paid:
                        unpaid += blen
                    a = rule.earliest_start_minutes // interval_minutes
                    b = rule.latest_start_minutes // interval_minutes
                    times = np.unique((starts[:, None] + np.arange(a, b + 1)[None, :]).ravel())
                    y_index = np.arange(nv, nv + times.size)
                    group_cap = float(sum(upper[int(i)] for i in x_index))
                    for var, tau in zip(y_index, times, strict=True):
                        spill = add_span(int(var), row0, int(tau), blen, -1.0)
                        inside = blen - spill
                        off_floor = inside if rule.paid else -spill
                        cost.append(paid_off_floor_weight * off_floor)
                        upper.append(group_cap)
                    nv += times.size
                    # total: as many breaks as shifts
                    row = {int(i): 1.0 for i in x_index}
                    row.update({int(j): -1.0 for j in y_index})
                    eq_rows.append(row)
                    # forward: shifts starting at or before s_i take their break by s_i + b
                    # backward: shifts starting at or after s_i take it at or after s_i + a
                    for i, st in enumerate(starts):
                        fwd = {int(v): 1.0 for v in x_index[: i + 1]}
                        fwd.update({int(j): -1.0 for j in y_index[times <= st + b]})
                        ub_rows.append((fwd, 0.0))
                        bwd = {int(v): 1.0 for v in x_index[i:]}
                        bwd.update({int(j): -1.0 for j in y_index[times >= st + a]})
                        ub_rows.append((bwd, 0.0))
                    blens.append(blen)
                    bwins.append((a, b))
                    btimes.append(times)
                    yidx.append(y_index)
                groups.append(
                    Group(
                        day=day,
                        set_name=set_name,
                        template=tpl,
                        starts=starts,
                        length=length,
                        x_index=x_index,
                        break_lengths=tuple(blens),
                        break_windows=tuple(bwins),
                        break_times=tuple(btimes),
                        y_index=tuple(yidx),
                        pool=s,
                        paid_intervals=length - unpaid,
                    )
                )
        # what the roster can give the pool: agents per day, shifts and paid time per week
        mine = [g for g in groups if g.pool == s]
        if pool.daily_agents is not None:
            for day in range(n_days):
                xs = [int(i) for g in mine if g.day == day for i in g.x_index]
                if xs:
                    ub_rows.append(({i: 1.0 for i in xs}, float(pool.daily_agents[day])))
        for b, block in enumerate(range(0, n_days, 7)):
            in_block = [g for g in mine if block <= g.day < block + 7]
            if pool.weekly_shifts is not None and in_block:
                row = {int(i): 1.0 for g in in_block for i in g.x_index}
                ub_rows.append((row, float(pool.weekly_shifts[b])))
            if pool.weekly_paid_minutes is not None and in_block:
                row = {
                    int(i): float(g.paid_intervals * interval_minutes)
                    for g in in_block
                    for i in g.x_index
                }
                ub_rows.append((row, float(pool.weekly_paid_minutes[b])))

    def concat(parts: list[np.ndarray], dtype) -> np.ndarray:
        return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)

    n_p = len(pools)
    coverage = sparse.csr_matrix(
        (
            concat(cov_vals, float),
            (concat(cov_rows, np.int64), concat(cov_cols, np.int64)),
        ),
        shape=(n_p * n, nv),
    )
    pairs = pairs_of(pools, n_q)
    nf = pairs.shape[0] * n
    n_all = nv + nf + (n_q + n_p) * n

    def to_csr(rows: list[dict[int, float]]) -> sparse.csr_matrix:
        r, c, v = [], [], []
        for k, row in enumerate(rows):
            r.extend([k] * len(row))
            c.extend(row.keys())
            v.extend(row.values())
        return sparse.csr_matrix((v, (r, c)), shape=(len(rows), n_all))

    # balance rows
    under0, over0 = nv + nf, nv + nf + n_q * n
    if nf == 0:
        # one pool, one queue: on_phones + under - over = need
        eye = sparse.identity(n, format="csr")
        a_bal = sparse.hstack([coverage, eye, -eye], format="csr")
        b_bal = need[0].astype(float)
    else:
        blocks_r, blocks_c, blocks_v = [], [], []
        t = np.arange(n)
        # pool rows s * n + t: coverage - sum_k f - over = 0
        cov_coo = coverage.tocoo()
        blocks_r.append(cov_coo.row)
        blocks_c.append(cov_coo.col)
        blocks_v.append(cov_coo.data)
        for k, (s, q) in enumerate(pairs):
            blocks_r += [s * n + t, n_p * n + q * n + t]
            blocks_c += [nv + k * n + t, nv + k * n + t]
            blocks_v += [np.full(n, -1.0), np.ones(n)]
        for s in range(n_p):
            blocks_r.append(s * n + t)
            blocks_c.append(over0 + s * n + t)
            blocks_v.append(np.full(n, -1.0))
        # queue rows n_p * n + q * n + t: sum_k f + under = need
        for q in range(n_q):
            blocks_r.append(n_p * n + q * n + t)
            blocks_c.append(under0 + q * n + t)
            blocks_v.append(np.ones(n))
        a_bal = sparse.csr_matrix(
            (np.concatenate(blocks_v), (np.concatenate(blocks_r), np.concatenate(blocks_c))),
            shape=((n_p + n_q) * n, n_all),
        )
        b_bal = np.concatenate([np.zeros(n_p * n), need.ravel().astype(float)])

    peak = int(need.sum(axis=0).max()) if n else 0
    full_cost = np.concatenate(
        [
            np.array(cost, dtype=float),
            np.zeros(nf),
            np.full(n_q * n, under_weight),
            np.full(n_p * n, over_weight),
        ]
    )
    flow_upper = np.concatenate([need[q].astype(float) for _s, q in pairs]) if nf else []
    x_upper = np.array(upper, dtype=float)
    # the over variables must absorb any coverage the shifts can reach
    reach = np.asarray(coverage.multiply(coverage > 0) @ x_upper).ravel()
    full_upper = np.concatenate(
        [
            x_upper,
            np.asarray(flow_upper, dtype=float),
            need.ravel().astype(float),
            np.maximum(np.full(n_p * n, float(max(peak, 1) * 4)), reach),
        ]
    )
    return CoverModel(
        groups=tuple(groups),
        n_intervals=n,
        n_shift_vars=nv,
        coverage=coverage,
        a_eq=to_csr(eq_rows),
        b_eq=np.zeros(len(eq_rows)),
        a_ub=to_csr([r for r, _ in ub_rows]),
        b_ub=np.array([b for _, b in ub_rows], dtype=float),
        cost=full_cost,
        upper=full_upper,
        need=need,
        a_bal=a_bal,
        b_bal=b_bal,
        pools=pools,
        pairs=pairs,
    )


def pool_coverage(model: CoverModel, x: np.ndarray) -> np.ndarray:
    """Agents on the phones per pool and interval (``n_pools x n_intervals``) of shift
    counts ``x`` (the first ``n_shift_vars`` values)."""
    flat = model.coverage @ np.asarray(x[: model.n_shift_vars], dtype=float)
    return np.rint(flat).astype(np.int64).reshape(model.n_pools, model.n_intervals)
