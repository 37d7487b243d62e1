"""Calibration of the prediction band on the forecast's own recent misses.

The negative-binomial band of :mod:`ccops.engine.forecast.intervals` takes its
width from the history's scatter. Where the volume moves faster than that
scatter says (a queue that grows through the year), the band is too narrow
for weeks on end. So, before each forecast, the model is refitted at the
``weeks`` weekly origins before the forecast's own (each sees only the days
before it, as the forecast does), each forecasts its next 7 days, and the
open-hour intervals of those days with an actual count (days with a calendar
entry or no data left out) form a calibration set. The variance of the band
is multiplied by the factor of a fixed grid (1/4 to 8, steps of 2^(1/4))
whose band, on that set, covers the share closest to the level (ties: the
factor nearest 1); the negative-binomial form stays, so a factor below 1 can narrow the
band down to Poisson and no further. Everything used is before the forecast
origin: this is split-conformal calibration on a rolling window (Vovk et al.
2005; the variance scale as the conformity score's parameter).

Counts are whole numbers: where the expected count is under about one call,
any band that contains the forecast holds 80 % or more (at a mean of 0.5,
``P(X <= 1) = 0.91``); no factor changes that (:func:`attainable_coverage`).
"""

from __future__ import annotations

import numpy as np

from ccops.engine.forecast.calendar import SpecialDays
from ccops.engine.forecast.intervals import count_interval
from ccops.engine.forecast.profiles import weekday_of

#: Variance factors tried, 1/4 .. 8.
FACTORS = 2.0 ** (np.arange(-8, 13) / 4.0)
#: Fewer calibration intervals than this: no calibration (factor 1).
MIN_POINTS = 50
CALIBRATION_DAYS = 7
MIN_TRAINING_DAYS = 28


def open_intervals(values: np.ndarray, days: np.ndarray, future_days: np.ndarray, weeks: int = 8):
    """Which intervals of ``future_days`` are open hours, from the history only.

    An interval of a weekday is open when at least half of the last ``weeks``
    same weekdays with data had at least one call in it. Returns a
    ``(len(future_days), K)`` boolean array.
    """
    has = (~np.isnan(values)).any(axis=1)
    wd = weekday_of(days)
    out = np.zeros((future_days.size, values.shape[1]), dtype=bool)
    for j, w in enumerate(weekday_of(future_days)):
        rows = np.flatnonzero(has & (wd == w))[-weeks:]
        if rows.size:
            out[j] = np.mean(np.nan_to_num(values[rows]) > 0, axis=0) >= 0.5
    return out


def scaled_alpha(mu: np.ndarray, alpha: np.ndarray, factor: float) -> np.ndarray:
    """The dispersion whose negative-binomial variance is ``factor`` times that of
    ``(mu, alpha)``: ``factor (mu + alpha mu^2) = mu + alpha' mu^2``, at least 0 (Poisson)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        out = factor * alpha + (factor - 1.0) / np.where(mu > 0, mu, np.inf)
    return np.maximum(out, 0.0)


def best_factor(actual, mu, alpha, level: float) -> tuple[float, float]:
    """The factor of :data:`FACTORS` whose band covers the share of ``actual`` closest
    to ``level`` (ties: the factor nearest 1, i.e. no change without evidence), and that
    share."""
    actual = np.asarray(actual, dtype=float)
    best, best_cov, best_key = 1.0, float("nan"), (np.inf, np.inf)
    for f in FACTORS:
        low, high = count_interval(mu, scaled_alpha(mu, alpha, float(f)), level)
        cov = float(np.mean((actual >= low) & (actual <= high)))
        key = (round(abs(cov - level), 12), abs(float(np.log(f))))
        if key < best_key:
            best, best_cov, best_key = float(f), cov, key
    return best, best_cov


def calibration_factor(
    values: np.ndarray,
    days: np.ndarray,
    calendar: SpecialDays,
    level: float,
    weeks: int,
    fit_predict,
) -> float:
    """The band's variance factor from the ``weeks`` weekly origins before the end of
    ``values`` (whole days). ``fit_predict(train_values, train_days, future_days)``
    returns ``(mu, alpha)`` of shape ``(len(future_days), K)``."""
    n = values.shape[0]
    act_l, mu_l, alpha_l = [], [], []
    for j in range(1, int(weeks) + 1):
        o = n - CALIBRATION_DAYS * j
        if o < MIN_TRAINING_DAYS:
            break
        future = days[o : o + CALIBRATION_DAYS]
        act = values[o : o + CALIBRATION_DAYS]
        mu, alpha = fit_predict(values[:o], days[:o], future)
        keep = open_intervals(values[:o], days[:o], future) & ~np.isnan(act) & (mu > 0)
        keep &= ((~np.isnan(act)).any(axis=1) & ~calendar.on(future))[:, None]
        act_l.append(act[keep])
        mu_l.append(mu[keep])
        alpha_l.append(alpha[keep])
    if not act_l or sum(a.size for a in act_l) < MIN_POINTS:
        return 1.0
    factor, _ = best_factor(
        np.concatenate(act_l), np.concatenate(mu_l), np.concatenate(alpha_l), level
    )
    return factor


def attainable_coverage(mu, alpha, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Per interval, the probability (under the forecast's own distribution) held by the
    band closest to ``level`` among the whole-number bands ``[a, b]`` that contain the
    forecast ``mu``, and among all whole-number bands: what a perfectly calibrated
    forecast with whole-number bands would cover, interval by interval."""
    from scipy import stats

    mu = np.asarray(mu, dtype=float).ravel()
    alpha = np.maximum(np.asarray(alpha, dtype=float), 0.0).ravel()
    with_mu = np.full(mu.size, np.nan)
    any_band = np.full(mu.size, np.nan)
    for i, (m, a) in enumerate(zip(mu, alpha, strict=True)):
        if not m > 0:
            continue
        sd = np.sqrt(m + a * m * m)
        k = np.arange(int(np.ceil(m + 10 * sd + 10)) + 1)
        if a > 1e-9:
            r = 1.0 / a
            pmf = stats.nbinom.pmf(k, r, r / (r + m))
        else:
            pmf = stats.poisson.pmf(k, m)
        cdf = np.concatenate([[0.0], np.cumsum(pmf)])
        lo, hi = np.meshgrid(k, k, indexing="ij")
        valid = lo <= hi
        prob = cdf[hi + 1] - cdf[lo]
        gap = np.where(valid, np.abs(prob - level), np.inf)
        any_band[i] = prob.flat[int(np.argmin(gap))]
        gap_c = np.where(valid & (lo <= m) & (hi >= m), gap, np.inf)
        with_mu[i] = prob.flat[int(np.argmin(gap_c))]
    return with_mu, any_band
