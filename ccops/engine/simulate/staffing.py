"""Fewest agents per interval that meet the targets under the simulation.

The search starts from Erlang A (Erlang C without a patience) and moves each
interval's count one agent at a time, every interval at once, re-simulating
the whole horizon each round with the *same* seed (common random numbers:
the callers, their handle times and patience are the same in every round,
so two staffings are compared on the same day):

1. while some interval misses a target (mean over the replications), it gets
   one agent more and is frozen (it will not be lowered again);
2. when every interval meets the targets, every interval not frozen tries one
   agent fewer; those that still meet every target keep the lower count, the
   others are frozen at theirs;
3. stop when every interval is frozen and meets the targets.

Intervals are not independent: a short-staffed interval hands its queue to
the next. So the answer is a local minimum of the search: each interval meets
every target, and its count was frozen because one agent fewer (tried with its
neighbours' counts of that round) missed one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ccops.engine.queueing import required_agents
from ccops.engine.queueing._targets import check_targets, names
from ccops.engine.simulate.core import Estimate, simulate
from ccops.engine.simulate.distributions import PatienceDistribution, ServiceDistribution


@dataclass(frozen=True)
class SimulatedCandidate:
    """One count tried for an interval, with its figures (mean and confidence bounds)."""

    agents: int
    service_level: tuple[float, float, float]
    asa_seconds: tuple[float, float, float]
    abandon_rate: tuple[float, float, float]
    occupancy: tuple[float, float, float]
    missed: tuple[str, ...]


@dataclass(frozen=True)
class SimulatedStaffing:
    """Result of :func:`required_agents_simulated`; arrays are ``(queues, intervals)``."""

    agents: np.ndarray
    start_agents: np.ndarray  # the Erlang A (or C) answer the search started from
    start_model: str
    service_level: Estimate
    asa_seconds: Estimate
    abandon_rate: Estimate
    occupancy: Estimate
    evaluations: int
    replications: int
    confidence: float
    _trace: list = field(repr=False, compare=False, default_factory=list)

    def candidates(self, queue: int, interval: int) -> tuple[SimulatedCandidate, ...]:
        """Every count tried for one interval (the figures of the last round that tried it)."""
        seen: dict[int, SimulatedCandidate] = {}
        for n, est, flags in self._trace:
            k = int(n[queue, interval])

            def trio(e: Estimate, k=k):
                return (
                    float(e.mean[queue, interval]),
                    float(e.low[queue, interval]),
                    float(e.high[queue, interval]),
                )

            seen[k] = SimulatedCandidate(
                k, *(trio(e) for e in est), names(int(flags[queue, interval]))
            )
        return tuple(seen[k] for k in sorted(seen))

    def explain(self, queue: int, interval: int) -> str:
        """The candidates of one interval with their confidence intervals, as text."""
        level = f"{100 * self.confidence:g} %"
        lines = [
            f"model: simulation, {self.replications} replications, {level} confidence "
            f"intervals; search started from the {self.start_model} answer "
            f"{int(self.start_agents[queue, interval])} ({self.evaluations} simulations "
            "of the whole horizon, same seed each)",
            f"{'agents':>7} {'service_level [CI]':>24} {'asa_s [CI]':>22} "
            f"{'abandon [CI]':>22} {'occupancy':>9}  result",
        ]
        answer = int(self.agents[queue, interval])
        for c in self.candidates(queue, interval):
            verdict = "misses " + ", ".join(c.missed) if c.missed else "meets every target"
            if c.agents == answer:
                verdict += "  <= answer"
            sl, asa, ab = c.service_level, c.asa_seconds, c.abandon_rate
            lines.append(
                f"{c.agents:>7d} {sl[0]:>8.4f} [{sl[1]:.4f}, {sl[2]:.4f}] "
                f"{asa[0]:>7.1f} [{asa[1]:>5.1f}, {asa[2]:>5.1f}] "
                f"{ab[0]:>6.4f} [{ab[1]:.4f}, {ab[2]:.4f}] {c.occupancy[0]:>9.4f}  {verdict}"
            )
        lines.append(f"answer: {answer} agents")
        return "\n".join(lines)


def required_agents_simulated(
    calls,
    aht_seconds,
    interval_minutes: int,
    *,
    service_level,
    answer_within_seconds,
    max_occupancy=1.0,
    max_abandon_rate=None,
    max_asa_seconds=None,
    service: ServiceDistribution | None = None,
    patience: PatienceDistribution | None = None,
    replications: int = 10,
    seed: int = 0,
    max_rounds: int = 40,
    confidence: float = 0.95,
) -> SimulatedStaffing:
    """Fewest whole agents per queue and interval that meet the targets under simulation.

    Parameters
    ----------
    calls, aht_seconds : array_like, (queues, intervals) or (intervals,)
        Expected calls (Poisson) and mean handle time per interval; each queue
        has its own agents.
    interval_minutes : int
    service_level, answer_within_seconds, max_occupancy, max_abandon_rate, max_asa_seconds
        Targets as for :func:`ccops.engine.queueing.required_agents`, met by the
        mean over the replications.
    service, patience : optional
        Distributions (default exponential service, nobody abandons).
    replications, seed, confidence
        As for :func:`ccops.engine.simulate.simulate`; the seed is the same in
        every round.
    max_rounds : int
        Upper bound on the rounds of the search (a ``ValueError`` past it).

    Returns
    -------
    SimulatedStaffing
    """
    calls_m = np.atleast_2d(np.asarray(calls, dtype=float))
    aht_m = np.broadcast_to(np.atleast_2d(np.asarray(aht_seconds, dtype=float)), calls_m.shape)
    if not isinstance(seed, int | np.integer):
        raise ValueError(f"seed must be an integer (the same in every round); got {seed!r}")
    targets = check_targets(
        calls_m.shape,
        service_level,
        answer_within_seconds,
        max_occupancy,
        max_abandon_rate,
        max_asa_seconds,
    )
    pat_mean = None if patience is None else float(patience.mean_seconds)
    if pat_mean is not None and np.isfinite(pat_mean):
        model, extra = "Erlang A", {"model": "erlang_a", "patience_seconds": pat_mean}
    else:
        model, extra = "Erlang C", {}
    start = required_agents(
        calls_m,
        np.where(calls_m > 0, aht_m, 1.0),
        interval_minutes * 60.0,
        service_level=service_level,
        answer_within_seconds=answer_within_seconds,
        max_occupancy=max_occupancy,
        max_abandon_rate=max_abandon_rate if extra else None,
        max_asa_seconds=max_asa_seconds,
        **extra,
    ).agents.reshape(calls_m.shape)
    busy = calls_m > 0
    trace: list = []

    def evaluate(n):
        r = simulate(
            calls_m,
            aht_m,
            n.astype(float),
            interval_minutes,
            answer_within_seconds=answer_within_seconds,
            service=service,
            patience=patience,
            replications=replications,
            seed=int(seed),
            confidence=confidence,
        )
        est = (r.service_level, r.asa_seconds, r.abandon_rate, r.occupancy)
        sl = np.nan_to_num(est[0].mean, nan=1.0)
        asa = np.nan_to_num(est[1].mean, nan=0.0)
        ab = np.nan_to_num(est[2].mean, nan=0.0)
        occ = np.nan_to_num(est[3].mean, nan=0.0)
        flags = targets.missed(sl.ravel(), asa.ravel(), ab.ravel(), occ.ravel()).reshape(n.shape)
        flags = np.where(busy, flags, 0)
        trace.append((n.copy(), est, flags))
        return est, flags

    n = np.where(busy, np.maximum(start, 1), 0).astype(np.int64)
    frozen = ~busy
    est, flags = evaluate(n)
    for _ in range(max_rounds):
        fail = flags != 0
        if fail.any():
            n = n + fail
            frozen |= fail
            est, flags = evaluate(n)
            continue
        trial = ~frozen & (n > 1)
        frozen |= ~frozen & (n <= 1)
        if not trial.any():
            break
        est_try, flags_try = evaluate(n - trial)
        keep = trial & (flags_try == 0)
        frozen |= trial & (flags_try != 0)
        if keep.any():
            n = n - keep
            if (keep == trial).all():
                est, flags = est_try, flags_try
            else:
                est, flags = evaluate(n)
    else:
        raise ValueError(
            f"max_rounds: the search did not settle in {max_rounds} rounds; "
            "raise max_rounds or replications"
        )
    return SimulatedStaffing(
        agents=n,
        start_agents=start,
        start_model=model,
        service_level=est[0],
        asa_seconds=est[1],
        abandon_rate=est[2],
        occupancy=est[3],
        evaluations=len(trace),
        replications=int(replications),
        confidence=float(confidence),
        _trace=trace,
    )
