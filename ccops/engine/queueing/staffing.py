"""Required agents per interval for service-level, occupancy, abandonment and ASA targets.

Every target improves (or stays) as agents are added, so the feasible agent
counts of an interval form a ray ``{N, N+1, ...}`` and the answer is its first
element ``N``. The search proves that no smaller count works:

* Erlang C: counts ``n <= load`` are unstable (every call waits forever) and
  counts ``n < load / max_occupancy`` break the occupancy cap, so the scan
  starts above both bounds and then tries *every* count in turn, stepping
  Erlang B by its recurrence ``B(n) = a B(n-1) / (n + a B(n-1))``. The answer
  can therefore be ``floor(load) + 1``.
* Erlang A: with abandonment, fewer agents than the offered load can meet the
  targets, so the only bound is ``n >= 1``. All intervals are searched at once
  by galloping from a first guess and bisecting; the last infeasible and the
  first feasible count are always adjacent, so the answer is exact.

The result keeps the search trace: :meth:`StaffingResult.explain` lists, for one
interval, the offered load, the candidates tried with their figures and the
targets they missed, and which target is binding at the answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ccops.engine.queueing._args import as_float_array, check_model, check_range
from ccops.engine.queueing._targets import FIRST_MISSED, TARGETS, Targets, check_targets
from ccops.engine.queueing.erlang import (
    asa_from_measures,
    evaluate,
    log_inv_erlang_b,
    offered_load,
)
from ccops.engine.queueing.explain import Candidate, Explanation, explain_search

__all__ = [
    "TARGETS",
    "Candidate",
    "Explanation",
    "StaffingResult",
    "required_agents",
    "scheduled_agents",
]


@dataclass(frozen=True)
class StaffingResult:
    """Smallest agent counts meeting every target, with the achieved figures.

    Arrays have the broadcast shape of the inputs; ``binding`` names the first
    (in the order service_level, occupancy, abandon_rate, asa) of the targets
    that one agent fewer would miss, "none" when no calls are offered.
    """

    agents: np.ndarray
    offered_load: np.ndarray
    service_level: np.ndarray
    asa_seconds: np.ndarray
    abandon_rate: np.ndarray
    occupancy: np.ndarray
    binding: np.ndarray
    _search: dict = field(repr=False, compare=False, default_factory=dict)

    def explain(self, index: int) -> Explanation:
        """Offered load, candidates tried and binding target for interval ``index``.

        ``index`` is a position in the flattened arrays (the row for 1-d input).
        """
        return explain_search(self, int(index))


def required_agents(
    calls,
    aht_seconds,
    interval_seconds,
    *,
    service_level,
    answer_within_seconds,
    max_occupancy=1.0,
    model: str = "erlang_c",
    patience_seconds=None,
    max_abandon_rate=None,
    max_asa_seconds=None,
) -> StaffingResult:
    """Smallest whole number of agents per interval meeting every target given.

    Parameters
    ----------
    calls, aht_seconds, interval_seconds : array_like
        Offered calls, average handle time and interval length (broadcast).
    service_level : array_like
        Required share of offered calls answered within
        ``answer_within_seconds``, in (0, 1).
    answer_within_seconds : array_like
        Service-level threshold in seconds (``>= 0``).
    max_occupancy : array_like, default 1.0
        Upper bound on carried load / agents, in (0, 1].
    model : {"erlang_c", "erlang_a"}
    patience_seconds : array_like, optional
        Mean caller patience (exponential), required for Erlang A.
    max_abandon_rate, max_asa_seconds : array_like, optional
        Further targets: share of offered calls abandoning, mean wait of the
        answered calls.

    Returns
    -------
    StaffingResult
        ``agents`` (int64; 0 where no calls are offered), the achieved figures
        and the binding target; ``explain(i)`` shows the search for interval i.
    """
    model, patience = check_model(model, patience_seconds)
    load = offered_load(calls, aht_seconds, interval_seconds)
    aht = as_float_array("aht_seconds", aht_seconds)
    interval = as_float_array("interval_seconds", interval_seconds)
    calls_arr = as_float_array("calls", calls)
    parts = [load, aht, interval, calls_arr]
    extra = [service_level, answer_within_seconds, max_occupancy, max_abandon_rate, max_asa_seconds]
    shapes = [np.shape(p) for p in parts] + [np.shape(x) for x in extra if x is not None]
    if patience is not None:
        shapes.append(patience.shape)
    shape = np.broadcast_shapes(*shapes)
    targets = check_targets(shape, *extra)

    def flat(x):
        return np.broadcast_to(x, shape).ravel().astype(np.float64)

    a, aht_f, interval_f, calls_f = (flat(p) for p in parts)
    pat = None if patience is None else flat(patience)
    t = np.broadcast_to(targets.answer_within_seconds, a.shape)
    need_asa = targets.max_asa_seconds is not None

    agents = np.zeros(a.size, dtype=np.int64)
    busy = np.flatnonzero(a > 0)
    search: dict = {"model": model, "calls": calls_f, "aht": aht_f, "interval": interval_f}
    search.update(load=a, patience=pat, targets=targets)
    # Figures at the answer (from an all-zero-load baseline) and targets missed one below it.
    sl, asa, ab = np.ones(a.size), np.zeros(a.size), np.zeros(a.size)
    occ = np.zeros(a.size)
    missed_below = np.zeros(a.size, dtype=np.int64)
    if busy.size:
        sub = targets.take(busy)
        if model == "erlang_c":
            scan = _scan_erlang_c(a[busy], aht_f[busy], t[busy], sub)
            found, start, figures, missed = scan
            search["start"] = np.zeros(a.size, dtype=np.int64)
            search["start"][busy] = start
        else:
            found, trace, missed, at_answer = _search_erlang_a(
                a[busy], aht_f[busy], t[busy], pat[busy], sub, need_asa
            )
            search["trace"] = [(busy[i], probe) for i, probe in trace]
            pw, sl_a, asa_a, ab_a, occ_a = at_answer
            if not need_asa:
                n_found = found.astype(np.float64)
                asa_a = asa_from_measures(n_found, a[busy], aht_f[busy], pat[busy], pw, ab_a)
            figures = (sl_a, asa_a, ab_a, occ_a)
        agents[busy] = found
        sl[busy], asa[busy], ab[busy], occ[busy] = figures
        missed_below[busy] = missed
    binding = FIRST_MISSED[missed_below]
    binding[a == 0] = "none"
    return StaffingResult(
        agents=agents.reshape(shape),
        offered_load=a.reshape(shape),
        service_level=sl.reshape(shape),
        asa_seconds=asa.reshape(shape),
        abandon_rate=ab.reshape(shape),
        occupancy=occ.reshape(shape),
        binding=binding.reshape(shape),
        _search=search,
    )


def _erlang_c_lower_bound(a: np.ndarray, max_occupancy: np.ndarray) -> np.ndarray:
    """Smallest count not ruled out by stability (n > a) or the occupancy cap."""
    return np.maximum(np.floor(a) + 1.0, np.floor(a / max_occupancy))


def _erlang_c_from_b(n, a, b, aht, t):
    """(SL, ASA, occupancy) from Erlang B for ``n > a``; SL 0 and ASA inf otherwise."""
    stable = n > a
    if stable.all():
        gap = n - a
        c = n * b / (gap + a * b)
        return np.minimum(1.0 - c * np.exp(-gap * t / aht), 1.0), c * aht / gap, a / n
    gap = np.where(stable, n - a, 1.0)
    c = np.where(stable, n * b / (gap + a * b), 1.0)
    sl = np.where(stable, np.clip(1.0 - c * np.exp(-gap * t / aht), 0.0, 1.0), 0.0)
    asa = np.where(stable, c * aht / gap, np.inf)
    occ = np.minimum(a / np.maximum(n, 1e-300), 1.0)
    return sl, asa, occ


def _agent_limit(a: np.ndarray, max_occupancy) -> np.ndarray:
    """A count no attainable target needs: far above load/occupancy plus 50 sqrt(load).

    Erlang C needs about ``a + beta sqrt(a)`` agents with ``beta`` below 40 even
    for a probability of waiting of 1e-300; Erlang A needs fewer.
    """
    return np.ceil(a / max_occupancy + 50.0 * np.sqrt(a) + 1000.0)


def _unreachable(a: np.ndarray, limit: np.ndarray, which: np.ndarray) -> ValueError:
    i = int(which[0])
    return ValueError(
        f"the targets cannot be met with up to {int(limit[i])} agents "
        f"(offered load {a[i]:.6g} Erlangs, interval {i} of those with calls); "
        "check service_level, max_asa_seconds and max_abandon_rate"
    )


def _scan_erlang_c(a, aht, t, targets: Targets):
    """Try every count from the proven lower bound up, all intervals together.

    Returns the answers, the lower bounds, the figures (SL, ASA, abandon,
    occupancy) at the answers and the flags of the targets missed one below.
    """
    start = _erlang_c_lower_bound(a, targets.max_occupancy)
    limit = _agent_limit(a, targets.max_occupancy)
    n = start.copy()
    b = np.exp(-log_inv_erlang_b(n, a))
    found = np.zeros(a.size, dtype=np.int64)
    missed_below = np.zeros(a.size, dtype=np.int64)
    tried_below = np.zeros(a.size, dtype=bool)
    active = np.arange(a.size)
    while active.size:
        na, aa = n[active], a[active]
        sl, asa, occ = _erlang_c_from_b(na, aa, b[active], aht[active], t[active])
        flags = targets.take(active).missed(sl, asa, np.zeros_like(sl), occ)
        ok = flags == 0
        found[active[ok]] = na[ok]
        fail = active[~ok]
        missed_below[fail] = flags[~ok]
        tried_below[fail] = True
        active = fail
        over = n[active] >= limit[active]
        if over.any():
            raise _unreachable(a, limit, active[over])
        step = n[active] + 1.0
        n[active] = step
        b[active] = a[active] * b[active] / (step + a[active] * b[active])
    # The figures at the answers, and (where the answer is the bound itself) the
    # targets that the count just below the bound misses.
    sl, asa, occ = _erlang_c_from_b(n, a, b, aht, t)
    first = np.flatnonzero(~tried_below & (n > 0))
    if first.size:
        nb, ab = n[first] - 1.0, a[first]
        bb = np.where(nb > 0, n[first] * b[first] / (ab * (1.0 - b[first])), 1.0)
        below = _erlang_c_from_b(nb, ab, bb, aht[first], t[first])
        missed_below[first] = targets.take(first).missed(
            below[0], below[1], np.zeros(first.size), below[2]
        )
    return found, start.astype(np.int64), (sl, asa, np.zeros_like(sl), occ), missed_below


def _search_erlang_a(a, aht, t, patience, targets: Targets, need_asa: bool):
    """Gallop from a guess, then bisect; every interval ends with lo + 1 == hi."""
    size = a.size
    guess = _scan_erlang_c(a, aht, t, targets)[0]
    limit = _agent_limit(a, targets.max_occupancy).astype(np.int64)
    lo = np.zeros(size, dtype=np.int64)  # n = 0 never meets a service-level target > 0
    hi = np.full(size, -1, dtype=np.int64)  # -1: no feasible count known yet
    step = np.ones(size, dtype=np.int64)
    probe = np.maximum(guess, 1)
    active = np.arange(size)
    trace = []
    lo_probed = np.zeros(size, dtype=bool)
    # With no agent nothing is answered: SL 0, ASA inf, everyone abandons.
    at_answer = tuple(np.zeros(size) for _ in range(5))  # figures at the feasible count
    missed_lo = targets.missed(np.zeros(size), np.full(size, np.inf), np.ones(size), np.ones(size))
    while active.size:
        n = probe[active]
        trace.append((active, n))
        measures = evaluate(
            n.astype(np.float64),
            a[active],
            aht[active],
            t[active],
            patience[active],
            need_asa=need_asa,
        )
        flags = targets.take(active).missed(*measures[1:])
        ok = flags == 0
        hi[active[ok]] = n[ok]
        for store, values in zip(at_answer, measures, strict=True):
            store[active[ok]] = values[ok]
        lo[active[~ok]] = n[~ok]
        missed_lo[active[~ok]] = flags[~ok]
        lo_probed[active[~ok]] = True
        active = active[hi[active] != lo[active] + 1]
        if not active.size:
            break
        h, low, s = hi[active], lo[active], step[active]
        up = h < 0
        down = ~up & ~lo_probed[active]
        nxt = (low + h) // 2
        limit_here = limit[active]
        if (low >= limit_here).any():
            raise _unreachable(a, limit, active[low >= limit_here])
        nxt = np.where(up, np.minimum(low + s, limit_here), nxt)
        nxt = np.where(down, np.maximum(h - s, low + 1), nxt)
        step[active] = np.where(up | down, s * 2, s)
        probe[active] = nxt
    return hi, trace, missed_lo, at_answer


def scheduled_agents(agents, shrinkage) -> np.ndarray:
    """Heads to schedule so that ``agents`` remain after shrinkage.

    ``ceil(agents / (1 - shrinkage))``, with a guard against floating-point
    noise (7 / 0.7 is 10.000000000000002 in binary and must give 10).
    """
    n = check_range("agents", as_float_array("agents", agents), low=0.0)
    s = check_range(
        "shrinkage", as_float_array("shrinkage", shrinkage), low=0.0, high=1.0, high_open=True
    )
    return np.ceil(n / (1.0 - s) - 1e-9).astype(np.int64)
