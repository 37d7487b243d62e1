"""``simulate``: argument checks, the call into the compiled kernel, and the estimates."""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from scipy import stats

from ccops.engine.queueing._args import as_float_array, check_range
from ccops.engine.simulate._kernel import run_fcfs, run_replications
from ccops.engine.simulate.distributions import PatienceDistribution, ServiceDistribution

ARRIVAL_PROCESSES = ("poisson", "fixed")


@dataclass(frozen=True)
class Estimate:
    """A figure estimated over replications: mean and confidence bounds (same shape)."""

    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray

    def __getitem__(self, index) -> Estimate:
        return Estimate(self.mean[index], self.low[index], self.high[index])


def _estimate(
    per_rep: np.ndarray, confidence: float, low: float = 0.0, high: float = np.inf
) -> Estimate:
    """t-interval over the replications (axis 0), NaN replications left out, clipped
    to the figure's range ``[low, high]``."""
    valid = ~np.isnan(per_rep)
    n = valid.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, np.nansum(per_rep, axis=0) / np.maximum(n, 1), np.nan)
        dev = np.where(valid, per_rep - mean, 0.0)
        var = np.where(n > 1, (dev**2).sum(axis=0) / np.maximum(n - 1, 1), np.nan)
        t = stats.t.ppf(0.5 + confidence / 2, np.maximum(n - 1, 1))
        half = np.where(n > 1, t * np.sqrt(var / np.maximum(n, 1)), np.nan)
    return Estimate(mean, np.clip(mean - half, low, high), np.clip(mean + half, low, high))


@dataclass(frozen=True)
class SimulationResult:
    """Counts per replication, queue (or agent group) and interval, and estimates from them.

    Count arrays have shape ``(replications, queues, intervals)``;
    ``busy_seconds`` is ``(replications, groups, intervals)``. A call is
    counted in the interval it arrived in. ``answered_within`` counts the
    calls answered within ``answer_within_seconds`` of their queue.
    """

    offered: np.ndarray
    answered: np.ndarray
    answered_within: np.ndarray
    abandoned: np.ndarray
    wait_seconds_sum: np.ndarray
    busy_seconds: np.ndarray
    agents: np.ndarray
    interval_minutes: int
    answer_within_seconds: np.ndarray
    confidence: float

    @property
    def replications(self) -> int:
        return int(self.offered.shape[0])

    def _ratio(self, num: np.ndarray, den: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)

    @property
    def service_level(self) -> Estimate:
        """Share of offered calls answered within the threshold, per queue and interval."""
        return _estimate(self._ratio(self.answered_within, self.offered), self.confidence, 0, 1)

    @property
    def abandon_rate(self) -> Estimate:
        """Share of offered calls that hung up before an agent answered."""
        return _estimate(self._ratio(self.abandoned, self.offered), self.confidence, 0, 1)

    @property
    def asa_seconds(self) -> Estimate:
        """Mean wait of the answered calls (zero waits included)."""
        return _estimate(self._ratio(self.wait_seconds_sum, self.answered), self.confidence)

    @property
    def occupancy(self) -> Estimate:
        """Busy agent time / agent time present, per agent group and interval."""
        present = self.agents[None] * (self.interval_minutes * 60.0)
        occ = self._ratio(self.busy_seconds, np.broadcast_to(present, self.busy_seconds.shape))
        return _estimate(np.minimum(occ, 1.0), self.confidence, 0, 1)

    def totals(self, intervals=None) -> dict[str, Estimate]:
        """Figures pooled over ``intervals`` (a boolean mask or index array over the
        interval axis; default all) per queue (occupancy per group), with their
        confidence intervals over the replications."""
        sel = slice(None) if intervals is None else intervals

        def pooled(x):
            return x[:, :, sel].sum(axis=2)

        offered = pooled(self.offered)
        answered = pooled(self.answered)
        present = (self.agents[:, sel] * (self.interval_minutes * 60.0)).sum(axis=1)
        busy = pooled(self.busy_seconds)
        return {
            "service_level": _estimate(
                self._ratio(pooled(self.answered_within), offered), self.confidence, 0, 1
            ),
            "abandon_rate": _estimate(
                self._ratio(pooled(self.abandoned), offered), self.confidence, 0, 1
            ),
            "asa_seconds": _estimate(
                self._ratio(pooled(self.wait_seconds_sum), answered), self.confidence
            ),
            "occupancy": _estimate(
                np.minimum(self._ratio(busy, np.broadcast_to(present, busy.shape)), 1.0),
                self.confidence,
                0,
                1,
            ),
        }


def _per_queue(name: str, value, n_queues: int, kind) -> list:
    if value is None or isinstance(value, kind):
        return [value] * n_queues
    items = list(value)
    if len(items) != n_queues:
        raise ValueError(
            f"{name} must be one {kind.__name__} or one per queue ({n_queues}); got {len(items)}"
        )
    for i, item in enumerate(items):
        if item is not None and not isinstance(item, kind):
            raise ValueError(f"{name}[{i}] must be a {kind.__name__}; got {item!r}")
    return items


def _matrix(name: str, value, *, rows: int | None = None) -> np.ndarray:
    array = as_float_array(name, value)
    if array.ndim == 1:
        array = array[None, :]
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be 1-d (intervals) or 2-d (rows x intervals); got {array.ndim}-d"
        )
    if rows is not None and array.shape[0] != rows:
        raise ValueError(f"{name} must have {rows} rows; got {array.shape[0]}")
    return np.ascontiguousarray(array)


def _seeds(seed, replications: int) -> np.ndarray:
    if isinstance(seed, np.random.Generator):
        rng = seed
    elif seed is None or isinstance(seed, int | np.integer):
        rng = np.random.default_rng(seed)
    else:
        raise ValueError(f"seed must be an int, None or a numpy.random.Generator; got {seed!r}")
    return rng.integers(0, 2**32 - 1, size=replications, dtype=np.int64)


def _threaded(kernel, jobs: int, *args) -> None:
    """Run ``kernel(first, last, *args)`` on slices of the jobs, one thread per core.

    The kernels release the GIL and write disjoint parts of the count arrays.
    """
    threads = max(1, min(os.cpu_count() or 1, jobs))
    bounds = np.linspace(0, jobs, threads + 1).round().astype(int)
    if threads == 1:
        kernel(0, jobs, *args)
        return
    with ThreadPoolExecutor(threads) as pool:
        futures = [
            pool.submit(kernel, int(a), int(b), *args) for a, b in itertools.pairwise(bounds)
        ]
        for f in futures:
            f.result()


def simulate(
    calls,
    aht_seconds,
    agents,
    interval_minutes: int,
    *,
    answer_within_seconds,
    service: ServiceDistribution | Sequence[ServiceDistribution] | None = None,
    patience: PatienceDistribution | Sequence[PatienceDistribution | None] | None = None,
    skills=None,
    priority_shares=None,
    priority_advance_seconds=None,
    arrivals: str = "poisson",
    exact_aht: bool = False,
    replications: int = 30,
    seed=None,
    confidence: float = 0.95,
) -> SimulationResult:
    """Simulate a multi-queue, multi-skill call center interval by interval.

    Parameters
    ----------
    calls : array_like, (queues, intervals) or (intervals,)
        Expected calls offered per interval (Poisson arrivals at a constant
        rate within each interval), or, with ``arrivals="fixed"``, the number
        of calls (a fraction ``f`` adds one call with probability ``f``) at
        uniformly random times in the interval.
    aht_seconds : array_like, same shape as ``calls``
        Mean handle time of the calls arriving in each interval (> 0 where
        there are calls); the service-time shape comes from ``service``.
    agents : array_like, (groups, intervals) or (intervals,)
        Agents present per agent group and interval, fractions allowed (a
        presence of 6.4 is 6 agents plus a seventh for 40 % of the interval).
        A schedule gives these counts with its breaks taken out.
    interval_minutes : int
        Length of an interval (divides a day).
    answer_within_seconds : float or array_like (queues,)
        Service-level threshold.
    service : ServiceDistribution or one per queue, optional
        Service-time shape (default exponential).
    patience : PatienceDistribution or one per queue, optional
        Callers' patience (default: nobody abandons, as in Erlang C).
    skills : array_like of bool, (queues, groups), optional
        Which agent group serves which queue. Default: the identity when
        there are as many groups as queues (one group per queue), all queues
        when there is one group.
    priority_shares : array_like, (queues, classes), optional
        Share of each queue's calls in each priority class (rows sum to 1).
    priority_advance_seconds : array_like, (classes,), optional
        How far each class is moved ahead in the queue: a free agent takes
        the waiting call with the smallest ``arrival - advance``. Anonymous
        Bank moved its priority customers 90 s ahead; a very large advance
        is a strict priority.
    arrivals : {"poisson", "fixed"}
    exact_aht : bool
        False (the default): every call's handle time is an independent draw of
        mean ``aht_seconds``, so an interval's own mean handle time varies from
        run to run, as it does ahead of the day. True: the draws of each queue's
        interval are scaled so that their mean is exactly ``aht_seconds`` (the
        handle time the interval really had, when the simulation is checked
        against records that give it); after-call work is added to each call
        after the scaling.
    replications : int
        Independent runs of the whole horizon (at least 2 for a confidence interval).
    seed : int, numpy.random.Generator or None
        Same seed, same result (whatever the number of threads).
    confidence : float
        Level of the confidence intervals, in (0, 1).

    Returns
    -------
    SimulationResult
    """
    if not isinstance(interval_minutes, int | np.integer) or isinstance(interval_minutes, bool):
        raise ValueError(f"interval_minutes must be an integer; got {interval_minutes!r}")
    if interval_minutes <= 0 or 1440 % int(interval_minutes):
        raise ValueError(f"interval_minutes must divide a day; got {interval_minutes!r}")
    if not isinstance(replications, int | np.integer) or replications < 1:
        raise ValueError(f"replications must be a positive integer; got {replications!r}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie in (0, 1); got {confidence!r}")
    if arrivals not in ARRIVAL_PROCESSES:
        raise ValueError(f"arrivals must be 'poisson' or 'fixed'; got {arrivals!r}")
    if not isinstance(exact_aht, bool | np.bool_):
        raise ValueError(f"exact_aht must be True or False; got {exact_aht!r}")
    calls_m = _matrix("calls", calls)
    check_range("calls", calls_m, low=0.0)
    n_queues, n_intervals = calls_m.shape
    aht_m = np.broadcast_to(
        _matrix("aht_seconds", np.where(calls_m > 0, aht_seconds, 1.0), rows=n_queues),
        calls_m.shape,
    )
    check_range("aht_seconds", aht_m, low=0.0, low_open=True)
    agents_m = _matrix("agents", agents)
    check_range("agents", agents_m, low=0.0)
    if agents_m.shape[1] != n_intervals:
        raise ValueError(
            f"agents must have {n_intervals} intervals like calls; got {agents_m.shape[1]}"
        )
    n_groups = agents_m.shape[0]
    if skills is None:
        if n_groups == n_queues:
            skill = np.eye(n_queues, dtype=bool)
        elif n_groups == 1:
            skill = np.ones((n_queues, 1), dtype=bool)
        else:
            raise ValueError(f"skills is required: {n_groups} agent groups for {n_queues} queues")
    else:
        skill = np.asarray(skills, dtype=bool)
        if skill.shape != (n_queues, n_groups):
            raise ValueError(
                f"skills must have shape (queues, groups) = {(n_queues, n_groups)}; "
                f"got {skill.shape}"
            )
    orphan = ~skill.any(axis=1) & (calls_m.sum(axis=1) > 0)
    if orphan.any():
        raise ValueError(f"skills: no agent group serves queue {int(np.argmax(orphan))}")
    t_sl = np.broadcast_to(
        check_range(
            "answer_within_seconds",
            as_float_array("answer_within_seconds", answer_within_seconds),
            low=0.0,
        ),
        (n_queues,),
    ).astype(np.float64)

    # Routing: fewest skills first (specialists before generalists), then group order.
    width = skill.sum(axis=0)
    route_groups = np.zeros((n_queues, n_groups), dtype=np.int64)
    route_n = skill.sum(axis=1).astype(np.int64)
    for q in range(n_queues):
        gs = np.flatnonzero(skill[q])
        gs = gs[np.argsort(width[gs], kind="stable")]
        route_groups[q, : gs.size] = gs
    group_queues = np.zeros((n_groups, n_queues), dtype=np.int64)
    group_nq = skill.sum(axis=0).astype(np.int64)
    for g in range(n_groups):
        qs = np.flatnonzero(skill[:, g])
        group_queues[g, : qs.size] = qs

    if priority_shares is None:
        shares = np.ones((n_queues, 1))
    else:
        shares = _matrix("priority_shares", priority_shares)
        if shares.shape[0] == 1:
            shares = np.repeat(shares, n_queues, axis=0)
        elif shares.shape[0] != n_queues:
            raise ValueError(
                f"priority_shares must have one row per queue ({n_queues}); got {shares.shape[0]}"
            )
        check_range("priority_shares", shares, low=0.0, high=1.0)
        sums = shares.sum(axis=1)
        if not np.allclose(sums, 1.0, atol=1e-6):
            raise ValueError(
                f"priority_shares rows must sum to 1; got {sums[np.argmax(np.abs(sums - 1))]:.6g}"
                f" for queue {int(np.argmax(np.abs(sums - 1)))}"
            )
    n_classes = shares.shape[1]
    if priority_advance_seconds is None:
        advance = np.zeros(n_classes)
    else:
        advance = check_range(
            "priority_advance_seconds",
            as_float_array("priority_advance_seconds", priority_advance_seconds).ravel(),
            low=0.0,
        )
        if advance.size != n_classes:
            raise ValueError(
                f"priority_advance_seconds must have one value per class ({n_classes}); "
                f"got {advance.size}"
            )
    class_cum = np.cumsum(shares, axis=1)
    class_cum[:, -1] = 1.0

    services = _per_queue("service", service, n_queues, ServiceDistribution)
    svc_kind = np.zeros(n_queues, dtype=np.int64)
    svc_sigma = np.zeros(n_queues)
    width_s = max([1] + [s.sample.size for s in services if s is not None])
    svc_table = np.zeros((n_queues, width_s))
    svc_n = np.ones(n_queues, dtype=np.int64)
    for q, s in enumerate(services):
        if s is None or s.kind == "exponential":
            continue
        if s.kind == "lognormal":
            svc_kind[q], svc_sigma[q] = 1, s.sigma
        else:
            svc_kind[q], svc_n[q] = 2, s.sample.size
            svc_table[q, : s.sample.size] = s.sample

    width_a = max([1] + [s.after_call_seconds.size for s in services if s is not None])
    ac_table = np.zeros((n_queues, width_a))
    ac_n = np.zeros(n_queues, dtype=np.int64)
    for q, s in enumerate(services):
        if s is not None and s.after_call_seconds.size:
            ac_n[q] = s.after_call_seconds.size
            ac_table[q, : ac_n[q]] = s.after_call_seconds
    by_waiting = [s.after_call_by_waiting if s is not None else () for s in services]
    n_bands = max([1] + [len(b) for b in by_waiting])
    width_w = max([1] + [a.size for b in by_waiting for _, a in b])
    acw_nb = np.zeros(n_queues, dtype=np.int64)
    acw_from = np.zeros((n_queues, n_bands), dtype=np.int64)
    acw_table = np.zeros((n_queues, n_bands, width_w))
    acw_n = np.zeros((n_queues, n_bands), dtype=np.int64)
    for q, bands in enumerate(by_waiting):
        acw_nb[q] = len(bands)
        for b, (low, seconds) in enumerate(bands):
            acw_from[q, b] = low
            acw_n[q, b] = seconds.size
            acw_table[q, b, : seconds.size] = seconds
    patiences = _per_queue("patience", patience, n_queues, PatienceDistribution)
    pat_kind = np.zeros(n_queues, dtype=np.int64)
    pat_mean = np.full(n_queues, np.inf)
    width_p = max([1] + [p.times.size for p in patiences if p is not None])
    pat_times = np.zeros((n_queues, width_p))
    pat_cdf = np.zeros((n_queues, width_p))
    pat_n = np.ones(n_queues, dtype=np.int64)
    pat_tail = np.zeros(n_queues)
    for q, p in enumerate(patiences):
        if p is None:
            continue
        if p.kind == "exponential":
            pat_mean[q] = p.mean_seconds
        else:
            pat_kind[q], pat_n[q], pat_tail[q] = 1, p.times.size, p.tail_rate
            pat_times[q, : p.times.size] = p.times
            pat_cdf[q, : p.times.size] = p.cdf

    shape = (int(replications), n_queues, n_intervals)
    offered = np.zeros(shape, dtype=np.int64)
    answered = np.zeros(shape, dtype=np.int64)
    within = np.zeros(shape, dtype=np.int64)
    abandoned = np.zeros(shape, dtype=np.int64)
    wait_sum = np.zeros(shape)
    busy = np.zeros((int(replications), n_groups, n_intervals))
    svc_spec = (svc_kind, svc_sigma, svc_table, svc_n, ac_table, ac_n)
    pat_spec = (pat_kind, pat_mean, pat_times, pat_cdf, pat_n, pat_tail)
    counts = (offered, answered, within, abandoned, wait_sum, busy)
    own_agents = n_groups == n_queues and bool(np.array_equal(skill, np.eye(n_queues, dtype=bool)))
    if own_agents and np.all(advance == advance[0]) and not acw_nb.any():
        # Every queue has its own agents and one class: FCFS per queue, the fast path.
        seeds = _seeds(seed, int(replications) * n_queues).reshape(int(replications), n_queues)
        _threaded(
            run_fcfs,
            int(replications) * n_queues,
            seeds,
            float(interval_minutes) * 60.0,
            calls_m,
            np.ascontiguousarray(aht_m),
            arrivals == "fixed",
            bool(exact_aht),
            agents_m,
            svc_spec,
            pat_spec,
            t_sl,
            counts,
        )
    else:
        _threaded(
            run_replications,
            int(replications),
            _seeds(seed, int(replications)),
            float(interval_minutes) * 60.0,
            calls_m,
            np.ascontiguousarray(aht_m),
            arrivals == "fixed",
            bool(exact_aht),
            agents_m,
            (
                route_groups,
                route_n,
                group_queues,
                group_nq,
                np.ascontiguousarray(class_cum),
                np.ascontiguousarray(advance, dtype=np.float64),
            ),
            svc_spec,
            (acw_nb, acw_from, acw_table, acw_n),
            pat_spec,
            t_sl,
            counts,
        )
    return SimulationResult(
        offered=offered,
        answered=answered,
        answered_within=within,
        abandoned=abandoned,
        wait_seconds_sum=wait_sum,
        busy_seconds=busy,
        agents=agents_m,
        interval_minutes=int(interval_minutes),
        answer_within_seconds=t_sl,
        confidence=float(confidence),
    )
