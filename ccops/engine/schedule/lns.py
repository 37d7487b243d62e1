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
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

import highspy
import numpy as np
from scipy import sparse

from ccops.engine.schedule.allocation import allocate
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


def _rows_touching(a, free: np.ndarray) -> np.ndarray:
    """Indices of the rows of sparse ``a`` (over the shift variables) with a non-zero in a
    ``free`` column: break rows lie inside one group, pool-capacity rows span a day or a
    week of a pool and are kept with their fixed part moved to the right-hand side."""
    if a.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    inside = np.asarray(abs(a.tocsc()[:, free]).sum(axis=1)).ravel()
    return np.flatnonzero(inside > 0)


@dataclass(frozen=True)
class _Hood:
    """A neighbourhood: the free variables and the intervals their coverage touches."""

    free: np.ndarray
    touched: np.ndarray  # intervals t (not pool rows)
    eq_rows: np.ndarray
    ub_rows: np.ndarray


def _make_hood(free: np.ndarray, cov_csc, n_intervals: int, a_eq, a_ub) -> _Hood:
    sub = cov_csc[:, free]
    rows = np.flatnonzero(np.asarray(abs(sub).sum(axis=1)).ravel() > 0)
    touched = np.unique(rows % n_intervals)
    return _Hood(free, touched, _rows_touching(a_eq, free), _rows_touching(a_ub, free))


def _solve_neighbourhood(
    model: CoverModel,
    values: np.ndarray,
    hood: _Hood,
    weights: tuple[float, float],
    seconds: float,
    seed: int,
    radius: int | None,
    cov,
    checks: int | None = None,
    proven: list | None = None,
    used: list | None = None,
) -> np.ndarray | None:
    """Re-plan the hood's free variables exactly (HiGHS MIP), the rest held at ``values``.

    In the touched intervals the sub-problem has its own under/over (and, with
    several queues, flow) variables; everything else is a constant. ``cov`` is
    ``model.coverage`` in CSC form (converted once by the caller). With
    ``checks`` the MIP stops after that many of HiGHS's limit checks (a work limit,
    :func:`limit_work`) rather than by time, and with a list ``used`` the checks it used
    are appended to it. Returns the new values of the free variables
    (not the whole vector), or ``None`` when HiGHS found no schedule; with a list
    ``proven``, whether HiGHS proved the answer optimal is appended to it.
    """
    nv, n = model.n_shift_vars, model.n_intervals
    n_p, n_q = model.n_pools, model.n_queues
    free, touched = hood.free, hood.touched
    n_t, n_f = touched.size, free.size
    fixed_cov = np.rint(cov @ values - cov[:, free] @ values[free]).reshape(n_p, n)
    w_under, w_over = weights
    # sub-problem columns: x_F, then flows (pairs x T), under (Q x T), over (P x T)
    n_k = model.pairs.shape[0]
    c_flow, c_under = n_f, n_f + n_k * n_t
    c_over = c_under + n_q * n_t
    n_cols = c_over + n_p * n_t
    t_idx = np.arange(n_t)
    blocks, lower_rows, upper_rows = [], [], []
    if not model.has_flows:
        sub = cov[:, free][touched]
        gap = model.need[0, touched] - fixed_cov[0, touched]
        eye = sparse.identity(n_t, format="csr")
        blocks.append(sparse.hstack([sub, eye, -eye], format="csr"))
        lower_rows.append(gap)
        upper_rows.append(gap)
    else:
        # pool rows (s, t): cov_F x_F - sum_k f - over = -fixed
        sub = cov[:, free].tocsr()
        pool_blocks = []
        for s in range(n_p):
            rows = sub[s * n + touched]
            extra_r, extra_c, extra_v = [], [], []
            for k in np.flatnonzero(model.pairs[:, 0] == s):
                extra_r.append(t_idx)
                extra_c.append(c_flow + k * n_t + t_idx)
                extra_v.append(-np.ones(n_t))
            extra_r.append(t_idx)
            extra_c.append(c_over + s * n_t + t_idx)
            extra_v.append(-np.ones(n_t))
            tail = sparse.csr_matrix(
                (np.concatenate(extra_v), (np.concatenate(extra_r), np.concatenate(extra_c))),
                shape=(n_t, n_cols),
            )
            head = sparse.hstack([rows, sparse.csr_matrix((n_t, n_cols - n_f))], format="csr")
            pool_blocks.append(head + tail)
            lower_rows.append(-fixed_cov[s, touched].astype(float))
            upper_rows.append(-fixed_cov[s, touched].astype(float))
        blocks.extend(pool_blocks)
        # queue rows (q, t): sum_k f + under = need
        for q in range(n_q):
            r, c = [], []
            for k in np.flatnonzero(model.pairs[:, 1] == q):
                r.append(t_idx)
                c.append(c_flow + k * n_t + t_idx)
            r.append(t_idx)
            c.append(c_under + q * n_t + t_idx)
            rr, cc = np.concatenate(r), np.concatenate(c)
            blocks.append(sparse.csr_matrix((np.ones(rr.size), (rr, cc)), shape=(n_t, n_cols)))
            lower_rows.append(model.need[q, touched].astype(float))
            upper_rows.append(model.need[q, touched].astype(float))
    for a, b, rows, eq in (
        (model.a_eq, model.b_eq, hood.eq_rows, True),
        (model.a_ub, model.b_ub, hood.ub_rows, False),
    ):
        if rows.size:
            shift_part = a.tocsr()[rows][:, :nv]
            block = shift_part[:, free]
            rhs = b[rows] - (shift_part @ values - block @ values[free])
            blocks.append(
                sparse.hstack([block, sparse.csr_matrix((rows.size, n_cols - n_f))], format="csr")
            )
            lower_rows.append(rhs if eq else np.full(rows.size, -highspy.kHighsInf))
            upper_rows.append(rhs)
    matrix = sparse.vstack(blocks, format="csc")
    lower_x = np.zeros(n_f)
    upper_x = model.upper[free].astype(float)
    if radius is not None:
        # stay near the incumbent: an easier MIP whose optimum is still no worse
        lower_x = np.maximum(0, values[free] - radius).astype(float)
        upper_x = np.minimum(upper_x, values[free] + radius)
    need_t = model.need[:, touched].astype(float)
    over_upper = np.concatenate(
        [model.upper[model.over_index(s, touched)] + upper_x.sum() for s in range(n_p)]
    )
    flow_upper = np.concatenate([need_t[q] for q in model.pairs[:, 1]]) if n_k else np.zeros(0)
    lp = highspy.HighsLp()
    lp.num_col_ = n_cols
    lp.num_row_ = matrix.shape[0]
    lp.col_cost_ = np.concatenate(
        [
            model.cost[free],
            np.zeros(n_k * n_t),
            np.full(n_q * n_t, w_under),
            np.full(n_p * n_t, w_over),
        ]
    )
    lp.col_lower_ = np.concatenate([lower_x, np.zeros(n_cols - n_f)])
    lp.col_upper_ = np.concatenate([upper_x, flow_upper, need_t.ravel(), over_upper])
    lp.row_lower_ = np.concatenate(lower_rows)
    lp.row_upper_ = np.concatenate(upper_rows)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr
    lp.a_matrix_.index_ = matrix.indices
    lp.a_matrix_.value_ = matrix.data
    kinds = highspy.HighsVarType
    lp.integrality_ = [kinds.kInteger] * n_f + [kinds.kContinuous] * (n_cols - n_f)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("time_limit", float(max(0.1, seconds)))
    h.setOptionValue("random_seed", int(seed))
    h.setOptionValue("mip_heuristic_effort", _HEURISTIC_EFFORT)
    count = limit_work(h, checks) if checks is not None else None
    h.passModel(lp)
    # the incumbent is feasible for the neighbourhood: HiGHS starts from it
    start = highspy.HighsSolution()
    start.col_value = np.concatenate(
        [values[free].astype(float), _incumbent_rest(model, values, cov, touched)]
    )
    start.value_valid = True
    h.setSolution(start)
    h.run()
    if used is not None and count is not None:
        used.append(count[0])
    solution = h.getSolution()
    if not solution.value_valid:
        return None
    answer = np.rint(np.asarray(solution.col_value)[:n_f]).astype(np.int64)
    if proven is not None:
        proven.append(h.getModelStatus() == highspy.HighsModelStatus.kOptimal)
    return answer


def limit_work(h: highspy.Highs, checks: int) -> list[int]:
    """Stop HiGHS's MIP after ``checks`` of its limit checks: a work limit that does not
    depend on the machine's speed or load.

    HiGHS checks its limits (and calls the MIP interrupt callback) at fixed points of its
    single-threaded search: between the rounds of cuts and the heuristics at the root
    node and at every branch-and-bound node, so the same model stops at the same point
    with the same answer. A node limit (``mip_max_nodes``) bounds none of the root work,
    where the neighbourhood MIPs spend nearly all their time (most never branch).
    Returns a one-element list that counts the checks made.
    """
    count = [0]

    def interrupt(event) -> None:
        count[0] += 1
        if count[0] >= checks:
            event.data_in.user_interrupt = True

    h.cbMipInterrupt.subscribe(interrupt)
    return count


def _incumbent_rest(model: CoverModel, values: np.ndarray, cov, touched: np.ndarray):
    """Flows, under and over of the incumbent in the touched intervals, in the column
    order of the neighbourhood MIP."""
    n = model.n_intervals
    per_pool = np.rint(cov @ values).reshape(model.n_pools, n)[:, touched]
    need = model.need[:, touched]
    if not model.has_flows:
        diff = per_pool[0] - need[0]
        return np.concatenate([np.clip(-diff, 0, None), np.clip(diff, 0, None)]).astype(float)
    flows = allocate(per_pool, need, [p.queues for p in model.pools], balance=False)
    f = np.concatenate([flows[s, q] for s, q in model.pairs])
    under = (need - flows.sum(axis=0)).ravel()
    over = (per_pool - flows.sum(axis=1)).ravel()
    return np.concatenate([f, np.clip(under, 0, None), np.clip(over, 0, None)]).astype(float)


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


#: Deterministic mode: HiGHS limit checks (:func:`limit_work`) a neighbourhood MIP may use
#: per second of its time share (a work limit in place of ``seconds_per_day``), for a MIP
#: of :data:`DETERMINISTIC_REFERENCE_COLUMNS` free counts or fewer; larger MIPs check less
#: often (each check follows a round of cuts or a heuristic over the whole MIP) and get
#: proportionally fewer. Measured on the benchmark week (checks per CPU-second of HiGHS):
#: 106 on windows of 107 counts, 64 on 291, 29 on 540, 10.5 on a day (1,137) and 6.1 on
#: two days (2,274), against 100, 52, 28, 13 and 6.6 here.
DETERMINISTIC_CHECKS_PER_SECOND = 100
DETERMINISTIC_REFERENCE_COLUMNS = 150
#: Deterministic mode: the wall-clock limit of a MIP is this multiple of its time share,
#: a guard against a runaway solve only. It must stay out of reach even on a loaded
#: machine: a MIP stopped by it would end at a different point on every run (at 20, a
#: run at nice 19 under a load average of 5 ended 6 agent-intervals worse than on a
#: quiet machine).
DETERMINISTIC_SAFETY = 1000

#: Sweeps at most in deterministic mode without a :class:`WorkClock` deadline.
DETERMINISTIC_SWEEPS = 2


def _checks_per_second(columns: int) -> float:
    return DETERMINISTIC_CHECKS_PER_SECOND * min(
        1.0, DETERMINISTIC_REFERENCE_COLUMNS / max(1, columns)
    )


#: RINS frees counts spread over the whole horizon, which HiGHS checks more often than
#: their number says (51 a CPU-second on the benchmark week's 964)
DETERMINISTIC_RINS_CHECKS_PER_SECOND = 50


def deterministic_checks(seconds: float, columns: int, per_second: float | None = None) -> int:
    """The work limit (HiGHS limit checks) standing for ``seconds`` of a MIP over
    ``columns`` free counts in deterministic mode (``per_second``: a measured rate)."""
    return max(5, round((per_second or _checks_per_second(columns)) * seconds))


class WorkClock:
    """The clock of deterministic mode: seconds of estimated work instead of wall-clock
    seconds. A MIP advances it by its checks over :func:`_checks_per_second`, MIPs
    solved side by side on threads by the longest of them, the LP dive by its simplex
    iterations; the phases of stage 1 end at the same shares of the limit on it as on
    the wall clock, so a deterministic run follows the same plan as a timed one on an
    idle machine, whatever the load."""

    def __init__(self, seconds: float = 0.0):
        self.seconds = float(seconds)

    def __call__(self) -> float:
        return self.seconds

    def advance(self, seconds: float) -> None:
        self.seconds += max(0.0, float(seconds))

    def charge(self, checks: Sequence[int], columns: int, per_second: float | None = None):
        """Advance by the longest of MIPs over ``columns`` counts run side by side."""
        if checks:
            self.advance(max(checks) / (per_second or _checks_per_second(columns)))


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
    deterministic: bool = False,
    clock: WorkClock | None = None,
) -> np.ndarray:
    """Improve integer start/break counts ``values`` neighbourhood by neighbourhood.

    The neighbourhoods are whole days (then pairs of adjacent days), or, with
    ``window_intervals``, the templates starting within a sliding window (see
    :func:`_hoods`); each gets ``seconds_per_day`` seconds (per day, or per
    window). With ``radius``, every count may move at most that far from its
    current value. Up to ``workers`` neighbourhoods whose shifts touch
    disjoint intervals are solved at once on separate threads; because they
    share no interval, each answer is exact against the current schedule
    whatever the others change (a pool's weekly limits are shared by all its
    days: an answer that would break one with the others' changes is dropped).
    Sweeps repeat until the ``deadline`` or a sweep without improvement.

    With ``deterministic``, each MIP stops after a number of HiGHS limit checks in
    proportion to its time share (:func:`deterministic_checks`; the time
    limit is only a safety
    net), at most :data:`DETERMINISTIC_SWEEPS` sweeps run, and parallel neighbourhoods
    are started in waves and their answers applied in a fixed order, so the result does
    not depend on timing. With a :class:`WorkClock` ``clock`` the ``deadline`` is on that
    clock (each wave advances it) and no sweep limit applies.

    ``objective(values) -> float`` scores a full solution; a neighbourhood's
    answer is kept only when it scores better, so the result is never worse
    than ``values``.
    """
    values = np.rint(np.asarray(values, dtype=float)).astype(np.int64)
    nv = model.n_shift_vars
    cov = model.coverage.tocsc()
    a_eq = model.a_eq.tocsr()[:, :nv]
    a_ub = model.a_ub.tocsr()[:, :nv]
    hoods = [
        _make_hood(free, cov, model.n_intervals, a_eq, a_ub)
        for free in _hoods(model, window_intervals, step_intervals)
    ]
    ref = max(1, min(h.free.size for h in hoods))
    weights = (under_weight, over_weight)
    best = objective(values)
    busy = np.zeros(model.n_intervals, dtype=bool)
    rounds = 0
    now = clock if clock is not None else time.perf_counter
    max_sweeps = DETERMINISTIC_SWEEPS if deterministic and clock is None else None

    def share_of(hood: _Hood) -> float:
        share = seconds_per_day
        if window_intervals is None:
            share *= round(hood.free.size / ref)
        return share

    def budget(hood: _Hood, left: float) -> float:
        if deterministic:
            return DETERMINISTIC_SAFETY * share_of(hood)
        return min(left, share_of(hood))

    def checks(hood: _Hood, left: float) -> int | None:
        if not deterministic:
            return None
        return deterministic_checks(min(left, share_of(hood)), hood.free.size)

    cov_csr = cov.tocsr()
    a_eq_all = model.a_eq.tocsr()[:, :nv]
    n = model.n_intervals
    # a hood whose MIP HiGHS solved to optimality need not be solved again while its
    # context (its counts, the coverage of its intervals, the equality rows it shares)
    # is unchanged and the room its inequality rows leave it (a pool's agents per day,
    # shifts and paid minutes per week) lies between what its answer uses and what it had
    # then: less room that still fits the answer keeps it optimal, more room may not
    settled: dict[int, tuple[bytes, np.ndarray]] = {}
    a_ub_free = [a_ub[h.ub_rows][:, h.free] for h in hoods]

    def context(hood: _Hood, vals: np.ndarray) -> bytes:
        rows = (np.arange(model.n_pools)[:, None] * n + hood.touched[None, :]).ravel()
        return b"".join(
            np.ascontiguousarray(part).tobytes()
            for part in (
                vals[hood.free],
                np.rint(cov_csr[rows] @ vals),
                a_eq_all[hood.eq_rows] @ vals,
            )
        )

    def room(k: int, vals: np.ndarray) -> np.ndarray:
        """Right-hand sides of hood ``k``'s inequality rows less the fixed counts' part."""
        hood = hoods[k]
        own = a_ub_free[k] @ vals[hood.free]
        return model.b_ub[hood.ub_rows] - (a_ub[hood.ub_rows] @ vals - own)

    def is_settled(k: int, vals: np.ndarray) -> bool:
        if k not in settled:
            return False
        key, solved_room = settled[k]
        if key != context(hoods[k], vals):
            return False
        used = a_ub_free[k] @ vals[hoods[k].free]  # the answer's own, unchanged counts
        now_room = room(k, vals)
        return bool(np.all(now_room >= used - 1e-6) and np.all(now_room <= solved_room + 1e-6))

    def consider(k: int, submitted: np.ndarray, answer, proven: list) -> bool:
        nonlocal values, best
        hood = hoods[k]
        if answer is None:
            return False
        cand = values.copy()
        cand[hood.free] = answer
        if proven and proven[0]:
            solved = submitted.copy()
            solved[hood.free] = answer
            settled[k] = (context(hood, solved), room(k, solved))
        if hood.ub_rows.size and np.any(
            a_ub[hood.ub_rows] @ cand > model.b_ub[hood.ub_rows] + 1e-6
        ):
            return False  # another neighbourhood used the pool's weekly room meanwhile
        score = objective(cand)
        if score < best - 1e-9:
            values, best = cand, score
            return True
        return False

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        while now() < deadline and (max_sweeps is None or rounds < max_sweeps):
            improved = False
            waiting = [k for k in range(len(hoods)) if not is_settled(k, values)]
            running: dict[Future, tuple[int, np.ndarray, list, list]] = {}
            while waiting or running:
                left = deadline - now()
                # start every waiting hood that touches no interval of a running one
                for k in list(waiting):
                    if len(running) >= max(1, workers) or left <= 0.2:
                        break
                    hood = hoods[k]
                    if busy[hood.touched].any():
                        if deterministic:
                            break  # waves: the next hood waits for this wave to end
                        continue
                    waiting.remove(k)
                    if is_settled(k, values):
                        continue  # solved to optimality in this very context
                    busy[hood.touched] = True
                    submitted, proven, used = values.copy(), [], []
                    running[
                        pool.submit(
                            _solve_neighbourhood,
                            model,
                            submitted,
                            hood,
                            weights,
                            budget(hood, left),
                            seed + rounds * len(hoods) + k,
                            radius,
                            cov,
                            checks(hood, left),
                            proven,
                            used,
                        )
                    ] = (k, submitted, proven, used)
                if not running:
                    break
                if deterministic:
                    wave = sorted(running.items(), key=lambda item: item[1][0])
                    wait(list(running))
                    running.clear()
                    if clock is not None:
                        # the wave took as long as its longest MIP
                        clock.advance(
                            max(
                                item[3][0] / _checks_per_second(hoods[item[0]].free.size)
                                if item[3]
                                else 0.0
                                for _f, item in wave
                            )
                        )
                    for future, (k, submitted, proven, _used) in wave:
                        busy[hoods[k].touched] = False
                        improved |= consider(k, submitted, future.result(), proven)
                    continue
                done, _ = wait(list(running), return_when=FIRST_COMPLETED)
                for future in done:
                    k, submitted, proven, _used = running.pop(future)
                    busy[hoods[k].touched] = False
                    improved |= consider(k, submitted, future.result(), proven)
            rounds += 1
            if not improved:
                break
    return values


def rins_free(values: np.ndarray, lp_values: np.ndarray) -> np.ndarray:
    """The counts a RINS neighbourhood frees: those where the incumbent ``values`` and
    the LP optimum ``lp_values`` differ by half a shift or more (elsewhere the incumbent
    is the LP value rounded, and is kept)."""
    nv = values.size
    return np.flatnonzero(np.abs(values - np.asarray(lp_values[:nv], dtype=float)) >= 0.5 - 1e-9)


def improve_by_rins(
    model: CoverModel,
    values: np.ndarray,
    lp_values: np.ndarray,
    objective,
    *,
    deadline: float,
    under_weight: float,
    over_weight: float,
    seconds: float,
    workers: int = 2,
    seed: int = 0,
    deterministic: bool = False,
    rounds: int = 4,
    clock: WorkClock | None = None,
) -> np.ndarray:
    """Relaxation-induced neighbourhood search (RINS, Danna, Rothberg and Le Pape 2005)
    on the whole horizon.

    Every count where the incumbent agrees with the LP optimum (rounded) is held; the
    others (:func:`rins_free`), whatever day they fall on, are re-planned by one HiGHS
    MIP from the incumbent, ``seconds`` at most. ``workers`` copies of that MIP run at
    once on threads with different random seeds (their searches differ a lot in a short
    limit) and the best answer is kept. Since the incumbent changes, so does the next
    neighbourhood; rounds repeat until one does not improve, ``rounds`` have run or the
    ``deadline`` passes. The result is never worse than ``values``.

    With ``deterministic``, each MIP stops after a number of HiGHS limit checks in
    proportion to ``seconds`` (as in :func:`improve_by_days`) and the copies' answers
    are compared in seed order, so the result does not depend on timing; with a
    :class:`WorkClock` ``clock`` the ``deadline`` is on that clock, which each round
    advances.
    """
    values = np.rint(np.asarray(values, dtype=float)).astype(np.int64)
    now = clock if clock is not None else time.perf_counter
    nv = model.n_shift_vars
    cov = model.coverage.tocsc()
    a_eq = model.a_eq.tocsr()[:, :nv]
    a_ub = model.a_ub.tocsr()[:, :nv]
    best = objective(values)
    copies = max(1, workers)
    with ThreadPoolExecutor(max_workers=copies) as pool:
        for r in range(rounds):
            left = deadline - now()
            if left <= max(0.5, seconds / 2):
                break  # a round cut to less than half its time rarely gains
            free = rins_free(values, lp_values)
            if free.size == 0:
                break
            hood = _make_hood(free, cov, model.n_intervals, a_eq, a_ub)
            budget = DETERMINISTIC_SAFETY * seconds if deterministic else min(seconds, left)
            rate = DETERMINISTIC_RINS_CHECKS_PER_SECOND
            checks = deterministic_checks(min(seconds, left), 0, rate) if deterministic else None
            used: list[int] = []
            futures = [
                pool.submit(
                    _solve_neighbourhood,
                    model,
                    values.copy(),
                    hood,
                    (under_weight, over_weight),
                    budget,
                    seed + r * copies + k,
                    None,
                    cov,
                    checks,
                    None,
                    used,
                )
                for k in range(copies)
            ]
            improved = False
            answers = [future.result() for future in futures]
            if clock is not None:
                clock.charge(used, free.size, rate)
            for answer in answers:
                if answer is None:
                    continue
                cand = values.copy()
                cand[free] = answer
                score = objective(cand)
                if score < best - 1e-9:
                    values, best, improved = cand, score, True
            if not improved:
                break
    return values
