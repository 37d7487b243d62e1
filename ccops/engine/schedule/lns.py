"""Large-neighbourhood search for stage 1: re-plan one day at a time exactly.

The whole week is too large to improve quickly, but one day (its templates'
start and break counts, everything else held fixed) is small: the other days'
shifts become a constant coverage, and a MIP re-plans the day under a short
time limit. Days are visited in turn, then pairs of adjacent days (for shifts
crossing midnight), until the deadline.

The day problems go to HiGHS (``scipy.optimize.milp``), not CP-SAT: on the
benchmark week CP-SAT improved no day in 5 s each (its bound stays far below
the incumbent), while HiGHS solved days to optimality or near it in seconds
(see docs/scheduling.md).
"""

from __future__ import annotations

import time

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from ccops.engine.schedule.model import CoverModel


def _rows_within(a, free: np.ndarray) -> np.ndarray:
    """Indices of the rows of sparse ``a`` whose non-zeros all lie in ``free`` columns."""
    if a.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    a = abs(a.tocsr())
    total = np.asarray(a.sum(axis=1)).ravel()
    inside = np.asarray(a[:, free].sum(axis=1)).ravel()
    return np.flatnonzero((total > 0) & np.isclose(total, inside))


def _solve_neighbourhood(
    model: CoverModel, values, free, weights, seconds, workers, seed, radius=None
):
    """Re-plan the ``free`` variables exactly (HiGHS MIP), the rest held at ``values``."""
    del workers, seed  # HiGHS through SciPy runs single-threaded and deterministic
    nv, n = model.n_shift_vars, model.n_intervals
    cov = model.coverage.tocsc()
    sub = cov[:, free]
    touched = np.flatnonzero(np.asarray(abs(sub).sum(axis=1)).ravel() > 0)
    const = cov @ values - sub @ values[free]
    gap = model.need[touched] - np.rint(const[touched])
    s_rows = sub[touched]
    n_t, n_f = touched.size, free.size
    eye = sparse.identity(n_t, format="csr")
    constraints = [LinearConstraint(sparse.hstack([s_rows, eye, -eye], format="csr"), gap, gap)]
    for a, b, eq in ((model.a_eq, model.b_eq, True), (model.a_ub, model.b_ub, False)):
        a = a.tocsr()[:, :nv]
        rows = _rows_within(a, free)
        if rows.size:
            block = sparse.hstack(
                [a[rows][:, free], sparse.csr_matrix((rows.size, 2 * n_t))], format="csr"
            )
            constraints.append(LinearConstraint(block, b[rows] if eq else -np.inf, b[rows]))
    w_under, w_over = weights
    cost = np.concatenate([model.cost[free], np.full(n_t, w_under), np.full(n_t, w_over)])
    lower_x = np.zeros(n_f)
    upper_x = model.upper[free]
    if radius is not None:
        # stay near the incumbent: an easier MIP whose optimum is still no worse
        lower_x = np.maximum(0, values[free] - radius)
        upper_x = np.minimum(upper_x, values[free] + radius)
    upper = np.concatenate(
        [
            upper_x,
            np.maximum(gap, 0) + model.upper[free].sum(),
            model.upper[nv + n + touched] + np.abs(gap),
        ]
    )
    integrality = np.concatenate([np.ones(n_f), np.zeros(2 * n_t)])
    result = milp(
        cost,
        constraints=constraints,
        integrality=integrality,
        bounds=Bounds(np.concatenate([lower_x, np.zeros(2 * n_t)]), upper),
        options={"time_limit": max(0.1, seconds), "disp": False},
    )
    if result.x is None:
        return None
    out = values.copy()
    out[free] = np.rint(result.x[:n_f]).astype(np.int64)
    return out


def _hoods(model: CoverModel, window_intervals: int | None, step_intervals: int | None):
    """Neighbourhoods as arrays of variable indices.

    Without a window: each day, then each pair of adjacent days. With one: the
    templates whose first start lies in ``[k * step, k * step + window)``,
    sliding over the horizon.
    """
    idx = [np.concatenate([g.x_index, *g.y_index]).astype(np.int64) for g in model.groups]
    if window_intervals is None:
        days = sorted({g.day for g in model.groups})
        by_day = {
            d: np.concatenate([ix for ix, g in zip(idx, model.groups, strict=True) if g.day == d])
            for d in days
        }
        hoods = [[d] for d in days] + [[d, d + 1] for d in days if d + 1 in by_day]
        return [np.sort(np.concatenate([by_day[d] for d in h])) for h in hoods]
    first = np.array([int(g.starts[0]) for g in model.groups])
    step = step_intervals or max(1, window_intervals // 2)
    hoods = []
    for lo in range(int(first.min()) - window_intervals + step, int(first.max()) + 1, step):
        inside = [ix for ix, f in zip(idx, first, strict=True) if lo <= f < lo + window_intervals]
        if inside:
            free = np.sort(np.concatenate(inside))
            if not hoods or not np.array_equal(free, hoods[-1]):
                hoods.append(free)
    return hoods


def improve_by_days(
    model: CoverModel,
    values: np.ndarray,
    objective,
    *,
    deadline: float,
    under_weight: float,
    over_weight: float,
    workers: int = 2,
    seed: int = 0,
    seconds_per_day: float = 3.0,
    window_intervals: int | None = None,
    step_intervals: int | None = None,
    radius: int | None = None,
) -> np.ndarray:
    """Improve integer start/break counts ``values`` neighbourhood by neighbourhood.

    The neighbourhoods are whole days (then pairs of adjacent days), or, with
    ``window_intervals``, the templates starting within a sliding window (see
    :func:`_hoods`); each gets ``seconds_per_day`` seconds (per day, or per
    window). With ``radius``, every count may move at most that far from its
    current value, which keeps each MIP small enough to solve in time.
    Sweeps repeat until the ``deadline`` or a sweep without improvement.

    ``objective(values) -> float`` scores a full solution; a neighbourhood's
    answer is kept only when it scores better, so the result is never worse
    than ``values``.
    """
    values = np.rint(np.asarray(values, dtype=float)).astype(np.int64)
    hoods = _hoods(model, window_intervals, step_intervals)
    per_var = seconds_per_day / max(1, max(h.size for h in hoods)) if window_intervals else None
    ref = max(1, min(h.size for h in hoods))
    weights = (under_weight, over_weight)
    best = objective(values)
    rounds = 0
    while time.perf_counter() < deadline:
        improved = False
        for free in hoods:
            left = deadline - time.perf_counter()
            if left <= 0.2:
                break
            share = seconds_per_day if per_var else seconds_per_day * round(free.size / ref)
            cand = _solve_neighbourhood(
                model,
                values,
                free,
                weights,
                min(left, share),
                workers,
                seed + rounds,
                radius,
            )
            if cand is not None:
                score = objective(cand)
                if score < best - 1e-9:
                    values, best, improved = cand, score, True
        rounds += 1
        if not improved:
            break
    return values
