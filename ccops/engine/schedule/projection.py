"""Projected service level of a schedule, through the queueing engine."""

from __future__ import annotations

import numpy as np

from ccops.engine.queueing import performance


def projected_service_level(
    scheduled_agents: np.ndarray,
    calls: np.ndarray,
    aht_seconds: np.ndarray,
    interval_minutes: int,
    *,
    shrinkage: float | np.ndarray,
    answer_within_seconds: float,
) -> np.ndarray:
    """Service level each interval would reach with the scheduled heads.

    Scheduled heads become productive agents as ``floor(heads * (1 - shrinkage))``
    (a part-agent answers no call); Erlang C gives the share of calls answered
    within ``answer_within_seconds``. Intervals without calls get NaN.
    """
    heads = np.asarray(scheduled_agents, dtype=float)
    shrink = np.broadcast_to(np.asarray(shrinkage, dtype=float), heads.shape)
    if np.any((shrink < 0) | (shrink >= 1)):
        raise ValueError("shrinkage must lie in [0, 1)")
    if answer_within_seconds < 0:
        raise ValueError(f"answer_within_seconds must be >= 0, got {answer_within_seconds}")
    calls = np.asarray(calls, dtype=float)
    aht = np.asarray(aht_seconds, dtype=float)
    productive = np.floor(heads * (1.0 - shrink) + 1e-9)
    busy = (calls > 0) & (aht > 0)
    out = np.full(heads.shape, np.nan)
    if np.any(busy):
        perf = performance(
            productive[busy],
            calls[busy],
            aht[busy],
            interval_minutes * 60,
            answer_within_seconds=answer_within_seconds,
        )
        out[busy] = np.asarray(perf.service_level, dtype=float)
    return out
