"""Reference forecasts every ccops forecast is measured against.

Both work on whole days (rows of a :class:`~ccops.engine.forecast.series.DayMatrix`)
and look back to the most recent *usable* days of the same weekday: days
without any data are always skipped, and ``skip`` can leave out more (e.g.
holidays and outages, for the "clean" variants of the backtest).
"""

from __future__ import annotations

import numpy as np

from ccops.engine.forecast.profiles import weekday_of


def _same_weekday_days(y, days, horizon_days, n_back, skip):
    """Mean of the last ``n_back`` usable same-weekday rows, per target day (unknown -> 0)."""
    usable = (~np.isnan(y)).any(axis=1)
    if skip is not None:
        usable &= ~np.asarray(skip, dtype=bool)
    wd = weekday_of(days)
    target_wd = weekday_of(days[-1] + 1 + np.arange(horizon_days))
    out = np.zeros((horizon_days, y.shape[1]))
    for j, w in enumerate(target_wd):
        rows = np.flatnonzero(usable & (wd == w))[-n_back:]
        if rows.size == 0:
            rows = np.flatnonzero((~np.isnan(y)).any(axis=1) & (wd == w))[-n_back:]
        if rows.size == 0:
            raise ValueError(f"history: no day with data on weekday {int(w)} (0 = Monday)")
        known = ~np.isnan(y[rows])
        total = np.where(known, y[rows], 0.0).sum(axis=0)
        count = known.sum(axis=0)
        out[j] = np.divide(total, count, out=np.zeros(y.shape[1]), where=count > 0)
    return out


def seasonal_naive(
    y: np.ndarray, days: np.ndarray, horizon_days: int, *, skip: np.ndarray | None = None
) -> np.ndarray:
    """Same interval on the most recent usable same weekday ("last week").

    Parameters
    ----------
    y : (n_days, K) array
        History, NaN = unknown.
    days : (n_days,) datetime64[D]
    horizon_days : int
        Days to forecast, starting the day after ``days[-1]``.
    skip : (n_days,) bool, optional
        History days not to look back to.

    Returns
    -------
    (horizon_days, K) array
    """
    return _same_weekday_days(y, days, horizon_days, 1, skip)


def mean_of_last_weekdays(
    y: np.ndarray,
    days: np.ndarray,
    horizon_days: int,
    *,
    weeks: int = 4,
    skip: np.ndarray | None = None,
) -> np.ndarray:
    """Mean of the same interval over the last ``weeks`` usable same weekdays."""
    if weeks < 1:
        raise ValueError(f"weeks: must be at least 1, got {weeks!r}")
    return _same_weekday_days(y, days, horizon_days, weeks, skip)
