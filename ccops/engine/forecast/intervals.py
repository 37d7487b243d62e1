"""Prediction intervals for counts: negative-binomial quantiles.

The model gives each interval a mean ``mu`` and an overdispersion ``alpha``
(variance ``mu + alpha * mu**2``), measured from the history: ``alpha`` grows
with the lead time (how far the day-total forecast strayed in the past at that
lead) and adds the intraday scatter of intervals around the day's profile.
With ``alpha = 0`` the counts are Poisson.

Counts are whole numbers, so the interval ``[q(10 %), q(90 %)]`` between the
two quantiles, both included, holds *more* than 80 % of the probability: the
mass at its two ends counts in full. For a mean of 2 calls that is 95 %, for
50 calls still about 82 %. Of the interval and the three that drop one or
both ends, the one whose probability is closest to the level is taken
(still containing the point forecast), so that the band covers about the
share it says: measured per queue over open hours in
``benchmarks/eval_intervals_anonymous_bank.py``.
"""

from __future__ import annotations

import numpy as np
from scipy import stats


def count_interval(
    mu: np.ndarray, alpha: np.ndarray, level: float
) -> tuple[np.ndarray, np.ndarray]:
    """Central prediction interval of a negative-binomial (or Poisson) count.

    Parameters
    ----------
    mu : array
        Expected counts (>= 0).
    alpha : array
        Overdispersion (>= 0), same shape.
    level : float
        Coverage in (0, 1), e.g. 0.8 for the 10 % and 90 % quantiles.

    Returns
    -------
    low, high : arrays
        Quantiles, always with ``low <= mu <= high`` and both 0 where ``mu`` is 0.
    """
    if not 0 < level < 1:
        raise ValueError(f"level: must be within (0, 1), got {level!r}")
    mu = np.asarray(mu, dtype=float)
    alpha = np.maximum(np.asarray(alpha, dtype=float), 0.0)
    q_lo, q_hi = (1 - level) / 2, (1 + level) / 2
    low = np.zeros_like(mu)
    high = np.zeros_like(mu)
    pos = mu > 0
    nb = pos & (alpha > 1e-9)
    po = pos & ~nb
    if po.any():
        dist = stats.poisson(mu[po])
        low[po], high[po] = _closest(dist, dist.ppf(q_lo), dist.ppf(q_hi), mu[po], level)
    if nb.any():
        r = 1.0 / alpha[nb]
        dist = stats.nbinom(r, r / (r + mu[nb]))
        low[nb], high[nb] = _closest(dist, dist.ppf(q_lo), dist.ppf(q_hi), mu[nb], level)
    return np.minimum(low, mu), np.maximum(high, mu)


def _closest(dist, low, high, mu, level):
    """Of ``[low, high]`` and the intervals one end shorter, the one whose probability
    is closest to ``level`` (ties: the wider), among those that contain ``mu``."""
    best_low, best_high = low.copy(), high.copy()
    best_gap = np.abs(dist.cdf(high) - dist.cdf(low - 1) - level)
    for dl, dh in ((1, 0), (0, 1), (1, 1)):
        lo, hi = low + dl, high - dh
        ok = (lo <= mu) & (mu <= hi) & (lo <= hi)
        gap = np.abs(dist.cdf(hi) - dist.cdf(lo - 1) - level)
        better = ok & (gap < best_gap - 1e-12)
        best_low = np.where(better, lo, best_low)
        best_high = np.where(better, hi, best_high)
        best_gap = np.where(better, gap, best_gap)
    return best_low, best_high
