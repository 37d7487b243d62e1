"""Average handle time per interval: call-weighted, recent, shrunk where thin."""

from __future__ import annotations

import numpy as np

from ccops.engine.forecast.profiles import weekday_of


def fit_aht(
    aht: np.ndarray,
    calls: np.ndarray,
    days: np.ndarray,
    use: np.ndarray,
    day_type: np.ndarray,
    *,
    window_weeks: int = 8,
    halflife_weeks: float = 2.0,
    prior_calls: float = 30.0,
) -> np.ndarray:
    """Handle time per weekday and interval, ``(7, K)`` seconds.

    For each day type (group of weekdays with alike profiles) the AHT of an
    interval is the call-weighted mean over the last ``window_weeks`` weeks
    (exponentially weighted, half-life ``halflife_weeks``), shrunk toward the
    day type's daily mean with the weight of ``prior_calls`` calls, so that
    intervals with few calls do not swing the forecast. Intervals without any
    handle time get the daily mean; a day type without any gets the overall mean.

    Parameters
    ----------
    aht : (n_days, K) array
        Seconds, NaN where nothing was answered.
    calls : (n_days, K) array
        Calls (weights), NaN = unknown.
    days : (n_days,) datetime64[D]
    use : (n_days,) bool
        Days to learn from (normal days).
    day_type : (7,) int
        Group label per weekday.
    """
    n, k = aht.shape
    wd = weekday_of(days)
    age = (n - 1 - np.arange(n)).astype(float)
    w_day = 0.5 ** (age / (7 * halflife_weeks)) * (age < 7 * window_weeks) * use
    ok = ~np.isnan(aht) & ~np.isnan(calls) & (calls > 0)
    wts = np.where(ok, calls, 0.0) * w_day[:, None]
    val = np.where(ok, aht, 0.0)
    if wts.sum() <= 0:
        ok_all = ~np.isnan(aht) & ~np.isnan(calls) & (calls > 0)
        wts = np.where(ok_all, calls, 0.0)
        if wts.sum() <= 0:
            raise ValueError("aht_seconds: no interval with both calls and a handle time")
    overall = float((wts * val).sum() / wts.sum())
    out = np.full((7, k), overall)
    for g in np.unique(day_type):
        members = np.flatnonzero(day_type == g)
        sel = np.isin(wd, members)
        sw = wts[sel].sum(axis=0)
        sv = (wts[sel] * val[sel]).sum(axis=0)
        if sw.sum() <= 0:
            continue
        daily = float(sv.sum() / sw.sum())
        out[members] = (sv + prior_calls * daily) / (sw + prior_calls)
    return out
