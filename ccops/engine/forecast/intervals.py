"""Prediction intervals for counts: negative-binomial quantiles.

The model gives each interval a mean ``mu`` and an overdispersion ``alpha``
(variance ``mu + alpha * mu**2``), measured from the history: ``alpha`` grows
with the lead time (how far the day-total forecast strayed in the past at that
lead) and adds the intraday scatter of intervals around the day's profile.
With ``alpha = 0`` the counts are Poisson.
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
        low[po] = stats.poisson.ppf(q_lo, mu[po])
        high[po] = stats.poisson.ppf(q_hi, mu[po])
    if nb.any():
        r = 1.0 / alpha[nb]
        p = r / (r + mu[nb])
        low[nb] = stats.nbinom.ppf(q_lo, r, p)
        high[nb] = stats.nbinom.ppf(q_hi, r, p)
    return np.minimum(low, mu), np.maximum(high, mu)
