"""The stage-1 covering model in matrix form, shared by the LP bound and CP-SAT.

Time is an absolute clock of intervals counted from 00:00 of the first day of
the horizon, so a shift that crosses midnight simply covers the next day's
first intervals. Coverage beyond the end of the horizon is not counted (it
neither covers need nor counts as overstaffing) but it is paid.

Variables, for every *group* (one template offered on one day):

* ``x[g, i]``: how many shifts of the group start at the group's i-th start time;
* ``y[g, k, tau]``: how many of them take break ``k`` at absolute interval ``tau``.

Breaks are implicit (Bechtold and Jacobs, 1990): instead of one variable per
combination of start time and break offset, the break counts of a group are
tied to its start counts by forward and backward constraints, which say
exactly when the breaks can be handed out to the started shifts, each inside
its own window. Because all shifts of a group share the same relative windows,
the windows are ordered and these constraints are both necessary and
sufficient; :func:`ccops.engine.schedule.cover.disaggregate` hands them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from ccops.engine.schedule.templates import ShiftTemplate


@dataclass(frozen=True)
class Group:
    """One template offered on one day of the horizon."""

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


@dataclass(frozen=True)
class CoverModel:
    """Sparse matrices of the covering model.

    Variable layout: the ``x`` and ``y`` variables of every group, then
    ``under[t]`` and ``over[t]`` for each of the ``n_intervals`` intervals.
    """

    groups: tuple[Group, ...]
    n_intervals: int
    n_shift_vars: int
    coverage: sparse.csr_matrix  # n_intervals x n_shift_vars
    a_eq: sparse.csr_matrix  # break totals (rows over all variables)
    b_eq: np.ndarray
    a_ub: sparse.csr_matrix  # forward/backward break constraints
    b_ub: np.ndarray
    cost: np.ndarray  # objective over all variables, in the caller's weights
    upper: np.ndarray  # upper bound of every variable
    need: np.ndarray  # integer need per interval

    @property
    def n_vars(self) -> int:
        return self.n_shift_vars + 2 * self.n_intervals

    def under_index(self, t: int) -> int:
        return self.n_shift_vars + t

    def over_index(self, t: int) -> int:
        return self.n_shift_vars + self.n_intervals + t


def build_model(
    need: np.ndarray,
    interval_minutes: int,
    day_templates: Sequence[Sequence[tuple[str, ShiftTemplate]]],
    *,
    under_weight: float,
    over_weight: float,
    paid_off_floor_weight: float,
) -> CoverModel:
    """Build the covering model for ``need`` (agents per interval of the horizon).

    ``day_templates[d]`` lists ``(set_name, template)`` offered on day ``d``;
    the horizon holds ``len(day_templates)`` days.
    """
    need = np.asarray(need)
    n = need.shape[0]
    ipd = 24 * 60 // interval_minutes
    peak = int(need.max()) if n else 0
    groups: list[Group] = []
    cov_rows: list[np.ndarray] = []
    cov_cols: list[np.ndarray] = []
    cov_vals: list[np.ndarray] = []
    cost: list[float] = []
    upper: list[float] = []
    eq_rows: list[dict[int, float]] = []
    ub_rows: list[tuple[dict[int, float], float]] = []
    nv = 0

    def add_span(var: int, start: int, length: int, sign: float) -> int:
        """Add coverage of ``var`` on [start, start+length); return intervals beyond horizon."""
        lo, hi = max(start, 0), min(start + length, n)
        if hi > lo:
            cov_rows.append(np.arange(lo, hi))
            cov_cols.append(np.full(hi - lo, var))
            cov_vals.append(np.full(hi - lo, sign))
        return max(0, start + length - max(n, start))

    for day, offered in enumerate(day_templates):
        for set_name, tpl in offered:
            starts = np.array(
                [day * ipd + m // interval_minutes for m in tpl.start_minutes], dtype=np.int64
            )
            length = tpl.length_minutes // interval_minutes
            x_index = np.arange(nv, nv + starts.size)
            for var, s in zip(x_index, starts, strict=True):
                spill = add_span(int(var), int(s), length, 1.0)
                cost.append(paid_off_floor_weight * spill)
                # more shifts at one start than twice the peak need they span never pay
                hi = int(need[int(s) : min(int(s) + length, n)].max(initial=0))
                cap = 2 * hi + 2 if hi > 0 else 0
                if tpl.max_per_start is not None:
                    cap = min(cap, tpl.max_per_start)
                upper.append(float(cap))
            nv += starts.size
            blens, bwins, btimes, yidx = [], [], [], []
            for rule in tpl.breaks:
                blen = rule.length_minutes // interval_minutes
                a = rule.earliest_start_minutes // interval_minutes
                b = rule.latest_start_minutes // interval_minutes
                times = np.unique((starts[:, None] + np.arange(a, b + 1)[None, :]).ravel())
                y_index = np.arange(nv, nv + times.size)
                for var, tau in zip(y_index, times, strict=True):
                    spill = add_span(int(var), int(tau), blen, -1.0)
                    inside = blen - spill
                    off_floor = inside if rule.paid else -spill
                    cost.append(paid_off_floor_weight * off_floor)
                    upper.append(float(sum(upper[int(i)] for i in x_index)))
                nv += times.size
                # total: as many breaks as shifts
                row = {int(i): 1.0 for i in x_index}
                row.update({int(j): -1.0 for j in y_index})
                eq_rows.append(row)
                # forward: shifts starting at or before s_i take their break by s_i + b
                # backward: shifts starting at or after s_i take it at or after s_i + a
                for i, s in enumerate(starts):
                    fwd = {int(v): 1.0 for v in x_index[: i + 1]}
                    fwd.update({int(j): -1.0 for j in y_index[times <= s + b]})
                    ub_rows.append((fwd, 0.0))
                    bwd = {int(v): 1.0 for v in x_index[i:]}
                    bwd.update({int(j): -1.0 for j in y_index[times >= s + a]})
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
                )
            )

    def concat(parts: list[np.ndarray], dtype) -> np.ndarray:
        return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)

    coverage = sparse.csr_matrix(
        (
            concat(cov_vals, float),
            (concat(cov_rows, np.int64), concat(cov_cols, np.int64)),
        ),
        shape=(n, nv),
    )
    n_all = nv + 2 * n

    def to_csr(rows: list[dict[int, float]]) -> sparse.csr_matrix:
        r, c, v = [], [], []
        for k, row in enumerate(rows):
            r.extend([k] * len(row))
            c.extend(row.keys())
            v.extend(row.values())
        return sparse.csr_matrix((v, (r, c)), shape=(len(rows), n_all))

    full_cost = np.concatenate(
        [np.array(cost, dtype=float), np.full(n, under_weight), np.full(n, over_weight)]
    )
    full_upper = np.concatenate(
        [np.array(upper, dtype=float), need.astype(float), np.full(n, float(max(peak, 1) * 4))]
    )
    # the over variables must absorb any coverage the shifts can reach
    full_upper[nv + n :] = np.maximum(
        full_upper[nv + n :], np.asarray(coverage.multiply(coverage > 0) @ full_upper[:nv]).ravel()
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
        need=need.astype(np.int64),
    )
