"""Large-neighbourhood search for stage 1: re-plan part of the week exactly.

The whole week is too large to improve quickly, but a part of it (the start
and break counts of the templates starting within a window of hours, or on one
day, everything else held fixed) is small: the other shifts become a constant
coverage, and a MIP re-plans the part under a short time limit, started from
the incumbent. Windows slide over the horizon; days are visited in turn, then
pairs of adjacent days (for shifts crossing midnight); sweeps repeat until the
deadline.

The day problems go to HiGHS through ``highspy`` rather than CP-SAT or SciPy's
``milp``: on the benchmark week CP-SAT improved no day in 5 s each (its bound
stays far below the incumbent); SciPy's ``milp`` cannot be given the incumbent,
so each day MIP had to be kept near it (a radius) to finish; ``highspy`` takes
the incumbent as a starting solution (``setSolution``), solves a whole day to
optimality in 1-12 s, and releases the GIL, so neighbourhoods that touch
disjoint intervals (day 1 and day 3, say) are solved on parallel threads and
their answers combined exactly (see docs/scheduling.md for the measurements).
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

import highspy
import numpy as np
from scipy import sparse

from ccops.engine.schedule.model import CoverModel

# HiGHS's share of effort on primal heuristics (its default is 0.05); 0.3 found
# better day schedules in the same 4 s on the benchmark week (1318 against 1332
# after one sweep, defaults 3/1/1)
_HEURISTIC_EFFORT = 0.3


def _quiet_first_highs() -> None:
    """Create the process's first ``Highs`` with the C-level stdout closed.

    HiGHS writes its copyright banner on the first instance of a process,
    whatever ``output_flag`` says later; ``ccops schedule`` writes results to
    stdout, so the banner goes to ``/dev/null`` once, here, at import.
    """
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no standard output at all: nothing to keep clean
        highspy.Highs()
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
            highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


_quiet_first_highs()


def _rows_within(a, free: np.ndarray) -> np.ndarray:
    """Indices of the rows of sparse ``a`` whose non-zeros all lie in ``free`` columns."""
    if a.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    a = abs(a.tocsr())
    total = np.asarray(a.sum(axis=1)).ravel()
    inside = np.asarray(a[:, free].sum(axis=1)).ravel()
    return np.flatnonzero((total > 0) & np.isclose(total, inside))


@dataclass(frozen=True)
class _Hood:
    """A neighbourhood: the free variables and the intervals their coverage touches."""

    free: np.ndarray
    touched: np.ndarray
    eq_rows: np.ndarray
    ub_rows: np.ndarray


def _make_hood(free: np.ndarray, cov_csc, a_eq, a_ub) -> _Hood:
    sub = cov_csc[:, free]
    touched = np.flatnonzero(np.asarray(abs(sub).sum(axis=1)).ravel() > 0)
    return _Hood(free, touched, _rows_within(a_eq, free), _rows_within(a_ub, free))


def _solve_neighbourhood(
    model: CoverModel,
    values: np.ndarray,
    hood: _Hood,
    weights: tuple[float, float],
    seconds: float,
    seed: int,
    radius: int | None,
    cov,
) -> np.ndarray | None:
    """Re-plan the hood's free variables exactly (HiGHS MIP), the rest held at ``values``.

    ``cov`` is ``model.coverage`` in CSC form (converted once by the caller).
    Returns the new values of the free variables (not the whole vector), or
    ``None`` when HiGHS found no schedule in time.
    """
    nv = model.n_shift_vars
    free, touched = hood.free, hood.touched
    sub = cov[:, free][touched]
    const = cov[touched] @ values - sub @ values[free]
    gap = model.need[touched] - np.rint(const)
    n_t, n_f = touched.size, free.size
    eye = sparse.identity(n_t, format="csr")
    blocks = [sparse.hstack([sub, eye, -eye], format="csr")]
    lower_rows, upper_rows = [gap], [gap]
    for a, b, rows, eq in (
        (model.a_eq, model.b_eq, hood.eq_rows, True),
        (model.a_ub, model.b_ub, hood.ub_rows, False),
    ):
        if rows.size:
            block = a.tocsr()[rows][:, :nv][:, free]
            blocks.append(
                sparse.hstack([block, sparse.csr_matrix((rows.size, 2 * n_t))], format="csr")
            )
            lower_rows.append(b[rows] if eq else np.full(rows.size, -highspy.kHighsInf))
            upper_rows.append(b[rows])
    matrix = sparse.vstack(blocks, format="csc")
    w_under, w_over = weights
    lower_x = np.zeros(n_f)
    upper_x = model.upper[free].astype(float)
    if radius is not None:
        # stay near the incumbent: an easier MIP whose optimum is still no worse
        lower_x = np.maximum(0, values[free] - radius).astype(float)
        upper_x = np.minimum(upper_x, values[free] + radius)
    lp = highspy.HighsLp()
    lp.num_col_ = n_f + 2 * n_t
    lp.num_row_ = matrix.shape[0]
    lp.col_cost_ = np.concatenate([model.cost[free], np.full(n_t, w_under), np.full(n_t, w_over)])
    lp.col_lower_ = np.concatenate([lower_x, np.zeros(2 * n_t)])
    lp.col_upper_ = np.concatenate(
        [
            upper_x,
            np.maximum(gap, 0) + upper_x.sum(),
            model.upper[nv + model.n_intervals + touched] + np.abs(gap),
        ]
    )
    lp.row_lower_ = np.concatenate(lower_rows)
    lp.row_upper_ = np.concatenate(upper_rows)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr
    lp.a_matrix_.index_ = matrix.indices
    lp.a_matrix_.value_ = matrix.data
    kinds = highspy.HighsVarType
    lp.integrality_ = [kinds.kInteger] * n_f + [kinds.kContinuous] * (2 * n_t)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("time_limit", float(max(0.1, seconds)))
    h.setOptionValue("random_seed", int(seed))
    h.setOptionValue("mip_heuristic_effort", _HEURISTIC_EFFORT)
    h.passModel(lp)
    # the incumbent is feasible for the neighbourhood: HiGHS starts from it
    diff = sub @ values[free] - gap
    start = highspy.HighsSolution()
    start.col_value = np.concatenate(
        [values[free], np.clip(-diff, 0, None), np.clip(diff, 0, None)]
    ).astype(float)
    start.value_valid = True
    h.setSolution(start)
    h.run()
    solution = h.getSolution()
    if not solution.value_valid:
        return None
    return np.rint(np.asarray(solution.col_value)[:n_f]).astype(np.int64)


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
    current value. Up to ``workers`` neighbourhoods whose shifts touch
    disjoint intervals are solved at once on separate threads; because they
    share no interval, each answer is exact against the current schedule
    whatever the others change. Sweeps repeat until the ``deadline`` or a sweep
    without improvement.

    ``objective(values) -> float`` scores a full solution; a neighbourhood's
    answer is kept only when it scores better, so the result is never worse
    than ``values``.
    """
    values = np.rint(np.asarray(values, dtype=float)).astype(np.int64)
    cov = model.coverage.tocsc()
    a_eq = model.a_eq.tocsr()[:, : model.n_shift_vars]
    a_ub = model.a_ub.tocsr()[:, : model.n_shift_vars]
    hoods = [
        _make_hood(free, cov, a_eq, a_ub)
        for free in _hoods(model, window_intervals, step_intervals)
    ]
    ref = max(1, min(h.free.size for h in hoods))
    weights = (under_weight, over_weight)
    best = objective(values)
    busy = np.zeros(model.n_intervals, dtype=bool)
    rounds = 0
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        while time.perf_counter() < deadline:
            improved = False
            waiting = list(range(len(hoods)))
            running: dict[Future, int] = {}
            while waiting or running:
                left = deadline - time.perf_counter()
                # start every waiting hood that touches no interval of a running one
                for k in list(waiting):
                    if len(running) >= max(1, workers) or left <= 0.2:
                        break
                    hood = hoods[k]
                    if busy[hood.touched].any():
                        continue
                    share = seconds_per_day
                    if window_intervals is None:
                        share *= round(hood.free.size / ref)
                    busy[hood.touched] = True
                    running[
                        pool.submit(
                            _solve_neighbourhood,
                            model,
                            values.copy(),
                            hood,
                            weights,
                            min(left, share),
                            seed + rounds * len(hoods) + k,
                            radius,
                            cov,
                        )
                    ] = k
                    waiting.remove(k)
                if not running:
                    break
                done, _ = wait(list(running), return_when=FIRST_COMPLETED)
                for future in done:
                    hood = hoods[running.pop(future)]
                    busy[hood.touched] = False
                    answer = future.result()
                    if answer is None:
                        continue
                    cand = values.copy()
                    cand[hood.free] = answer
                    score = objective(cand)
                    if score < best - 1e-9:
                        values, best, improved = cand, score, True
            rounds += 1
            if not improved:
                break
    return values
