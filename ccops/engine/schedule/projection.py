"""Projected service level of a schedule, through the model its staffing plan names.

The scheduled heads become productive agents as ``floor(heads * (1 - shrinkage))``
(a part-agent answers no call), the same for every model; then

* ``erlang_c``: Erlang C per interval (steady state, nobody abandons);
* ``erlang_a``: Erlang A per interval with an exponential patience of mean
  ``patience_seconds``;
* ``simulation``: :func:`ccops.engine.simulate.simulate` over the whole
  horizon (the queue carried from one interval into the next), with the
  plan's service-time shape and patience distribution, and a confidence
  interval over the replications.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from ccops.engine.queueing import performance
from ccops.engine.simulate import PatienceDistribution, ServiceDistribution, simulate

PROJECTION_MODELS = ("erlang_c", "erlang_a", "simulation")


@dataclass(frozen=True)
class Projection:
    """Projected figures per interval (NaN where no calls are expected).

    ``service_level_low``/``_high`` bound the simulation's confidence interval
    over its replications; for the Erlang models they equal ``service_level``.
    ``replication_service_level`` (simulation only, ``(replications, intervals)``)
    is each replication's service level per interval, NaN where it had no call.
    """

    model: str
    service_level: np.ndarray
    service_level_low: np.ndarray
    service_level_high: np.ndarray
    abandon_rate: np.ndarray
    asa_seconds: np.ndarray
    productive_agents: np.ndarray
    replication_service_level: np.ndarray | None = None

    def replication_sums(self, calls) -> np.ndarray | None:
        """Per replication, ``sum_t calls_t * SL_t`` over the intervals with calls (an
        interval a replication had no call in counts at the mean of the others): the
        numerator of the calls-weighted level, to pool with other days or queues in
        :func:`pooled_level`. ``None`` for the Erlang models."""
        if self.replication_service_level is None:
            return None
        calls = np.asarray(calls, dtype=float)
        busy = ~np.isnan(self.service_level)
        per_rep = np.where(
            np.isnan(self.replication_service_level),
            self.service_level[None, :],
            self.replication_service_level,
        )
        return np.sum(per_rep[:, busy] * calls[busy][None, :], axis=1)

    def calls_weighted(self, calls) -> float | None:
        """The service level over the horizon, each interval weighted by its calls."""
        calls = np.asarray(calls, dtype=float)
        busy = ~np.isnan(self.service_level)
        if not busy.any():
            return None
        return float(np.sum(self.service_level[busy] * calls[busy]) / calls[busy].sum())


def _productive(scheduled_agents, shrinkage) -> np.ndarray:
    heads = np.asarray(scheduled_agents, dtype=float)
    shrink = np.broadcast_to(np.asarray(shrinkage, dtype=float), heads.shape)
    if np.any((shrink < 0) | (shrink >= 1)):
        raise ValueError("shrinkage must lie in [0, 1)")
    return np.floor(heads * (1.0 - shrink) + 1e-9)


def project_service_level(
    scheduled_agents,
    calls,
    aht_seconds,
    interval_minutes: int,
    *,
    shrinkage,
    answer_within_seconds: float,
    model: str = "erlang_c",
    patience_seconds: float | None = None,
    service: ServiceDistribution | None = None,
    patience: PatienceDistribution | None = None,
    replications: int = 20,
    seed: int = 0,
) -> Projection:
    """Service level (and abandonment, ASA) each interval would reach with the heads.

    Parameters
    ----------
    scheduled_agents, calls, aht_seconds : array_like, (intervals,)
        Heads scheduled (breaks taken out), expected calls and AHT on the
        horizon's consecutive intervals.
    interval_minutes : int
    shrinkage : float or array_like
        Share of scheduled time off the phones, in [0, 1).
    answer_within_seconds : float
    model : {"erlang_c", "erlang_a", "simulation"}
        What the staffing plan names.
    patience_seconds : float, optional
        Mean patience: required for ``erlang_a``; for ``simulation`` an
        exponential patience when ``patience`` is not given.
    service, patience : optional
        The simulation's service-time shape and patience distribution
        (default exponential service; patience from ``patience_seconds``, else
        nobody abandons).
    replications, seed : int
        For the simulation.
    """
    name = str(model).lower().replace("-", "_")
    if name not in PROJECTION_MODELS:
        raise ValueError(f"model must be one of {', '.join(PROJECTION_MODELS)}; got {model!r}")
    if answer_within_seconds < 0:
        raise ValueError(f"answer_within_seconds must be >= 0, got {answer_within_seconds}")
    productive = _productive(scheduled_agents, shrinkage)
    calls = np.asarray(calls, dtype=float)
    aht = np.asarray(aht_seconds, dtype=float)
    if calls.shape != productive.shape or aht.shape != productive.shape:
        raise ValueError(
            f"calls and aht_seconds must have the shape of scheduled_agents {productive.shape}"
        )
    busy = (calls > 0) & (aht > 0)
    sl = np.full(productive.shape, np.nan)
    ab, asa = sl.copy(), sl.copy()
    low, high = sl.copy(), sl.copy()
    if name == "erlang_a" and patience_seconds is None:
        raise ValueError("patience_seconds is required when model='erlang_a'")
    if name in ("erlang_c", "erlang_a") and busy.any():
        kwargs = {"model": name}
        if name == "erlang_a":
            kwargs["patience_seconds"] = patience_seconds
        perf = performance(
            productive[busy],
            calls[busy],
            aht[busy],
            interval_minutes * 60,
            answer_within_seconds=answer_within_seconds,
            **kwargs,
        )
        sl[busy] = np.asarray(perf.service_level, dtype=float)
        ab[busy] = np.asarray(perf.abandon_rate, dtype=float)
        asa[busy] = np.asarray(perf.asa_seconds, dtype=float)
        low, high = sl.copy(), sl.copy()
    elif name == "simulation" and busy.any():
        if patience is None and patience_seconds is not None:
            patience = PatienceDistribution.exponential(patience_seconds)
        result = simulate(
            np.where(busy, calls, 0.0),
            np.where(busy, aht, 1.0),
            productive,
            interval_minutes,
            answer_within_seconds=answer_within_seconds,
            service=service,
            patience=patience,
            replications=replications,
            seed=seed,
        )
        est = result.service_level
        sl[busy], low[busy], high[busy] = est.mean[0][busy], est.low[0][busy], est.high[0][busy]
        ab[busy] = result.abandon_rate.mean[0][busy]
        asa[busy] = result.asa_seconds.mean[0][busy]
        with np.errstate(invalid="ignore", divide="ignore"):
            offered = result.offered[:, 0, :]
            per_rep = np.where(
                offered > 0, result.answered_within[:, 0, :] / np.maximum(offered, 1), np.nan
            )
        per_rep[:, ~busy] = np.nan
        return Projection(name, sl, low, high, ab, asa, productive, per_rep)
    return Projection(name, sl, low, high, ab, asa, productive)


def pooled_level(
    replication_sums, fixed_sum: float, calls_total: float, *, confidence: float = 0.95
) -> tuple[float, float, float] | None:
    """Calls-weighted service level over several days or queues, some simulated, with a
    t confidence interval over the replications.

    ``replication_sums`` is ``(replications,)``: the sum of
    :meth:`Projection.replication_sums` over the simulated parts (replication ``r`` of
    each part; the parts are independent runs, so pairing them by index samples their
    sum); ``fixed_sum`` is ``sum_t calls_t * SL_t`` over the parts an Erlang model
    projects (no sampling error); ``calls_total`` the calls of all parts. Returns
    ``(mean, low, high)`` clipped to [0, 1], ``None`` without calls."""
    if calls_total <= 0:
        return None
    levels = (np.asarray(replication_sums, dtype=float) + float(fixed_sum)) / calls_total
    mean = float(levels.mean()) if levels.size else float(fixed_sum) / calls_total
    if levels.size < 2:
        return mean, mean, mean
    half = float(
        stats.t.ppf(0.5 + confidence / 2, levels.size - 1)
        * levels.std(ddof=1)
        / np.sqrt(levels.size)
    )
    return mean, max(0.0, mean - half), min(1.0, mean + half)


def projected_service_level(
    scheduled_agents: np.ndarray,
    calls: np.ndarray,
    aht_seconds: np.ndarray,
    interval_minutes: int,
    *,
    shrinkage: float | np.ndarray,
    answer_within_seconds: float,
) -> np.ndarray:
    """Erlang C service level each interval would reach with the scheduled heads
    (:func:`project_service_level` with ``model="erlang_c"``; NaN without calls)."""
    return project_service_level(
        scheduled_agents,
        calls,
        aht_seconds,
        interval_minutes,
        shrinkage=shrinkage,
        answer_within_seconds=answer_within_seconds,
    ).service_level
