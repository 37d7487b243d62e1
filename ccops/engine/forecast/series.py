"""Validate an interval series and lay it out as a days x intervals-of-day matrix.

Every forecasting function starts here, so bad input is refused in one place:

- timestamps must be valid ``datetime64`` values on the interval grid (the
  interval divides the day and every timestamp is a multiple of it after
  midnight), without duplicates; they need not be sorted;
- counts must be finite and non-negative; ``NaN`` marks an interval whose count
  is unknown (missing), which is *not* the same as zero;
- an interval absent from the input is also treated as missing (unknown), never
  as zero. The model ignores missing values: in hours that are closed (no call
  seen in recent weeks of that day type) this changes nothing; in open hours the
  day's total is estimated from the part that was observed, and a day with less
  than half of its expected volume observed is left out of training.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ccops.engine.io import grid

MINUTES_PER_DAY = 1440


@dataclass(frozen=True)
class DayMatrix:
    """A regular interval series as a matrix, one row per calendar day.

    Attributes
    ----------
    first_day : numpy.datetime64
        The date (``datetime64[D]``) of row 0.
    interval_minutes : int
        Interval length; ``values`` has ``1440 // interval_minutes`` columns.
    values : numpy.ndarray
        ``(n_days, intervals_per_day)`` float array, ``NaN`` where unknown.
    end : numpy.datetime64
        ``datetime64[m]``: the end of the last interval given in the input (the
        forecast starts here).
    """

    first_day: np.datetime64
    interval_minutes: int
    values: np.ndarray
    end: np.datetime64

    @property
    def intervals_per_day(self) -> int:
        return MINUTES_PER_DAY // self.interval_minutes

    @property
    def n_days(self) -> int:
        return int(self.values.shape[0])

    def days(self) -> np.ndarray:
        """The ``datetime64[D]`` date of every row."""
        return self.first_day + np.arange(self.n_days)


def as_minutes(interval_start, *, name: str = "interval_start") -> np.ndarray:
    """Return timestamps as ``datetime64[m]``, refusing NaT and sub-minute parts."""
    try:
        ts = np.asarray(interval_start)
        if ts.dtype.kind != "M":
            ts = ts.astype("datetime64[s]")
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: not datetime values ({exc})") from None
    if ts.ndim != 1:
        raise ValueError(f"{name}: expected a 1-D array, got shape {ts.shape}")
    if np.isnat(ts).any():
        i = int(np.flatnonzero(np.isnat(ts))[0])
        raise ValueError(f"{name}: missing timestamp (NaT) at position {i}")
    minutes = ts.astype("datetime64[m]")
    if (minutes != ts).any():
        i = int(np.flatnonzero(minutes != ts)[0])
        raise ValueError(f"{name}: {ts[i]} at position {i} is not on a whole minute")
    return minutes


def infer_interval_minutes(minutes: np.ndarray) -> int:
    """The interval length implied by timestamps: the gcd of their minute-of-day offsets.

    Parameters
    ----------
    minutes : numpy.ndarray
        ``datetime64[m]`` timestamps.

    Returns
    -------
    int
        A divisor of 1440 (5, 10, 15, 30, 60, ...).
    """
    if minutes.size < 2:
        raise ValueError("interval_start: need at least two timestamps to infer the interval")
    uniq = np.unique(minutes.astype(np.int64))
    step = int(np.gcd.reduce(np.diff(uniq)))
    step = int(np.gcd(step, MINUTES_PER_DAY))
    if step < 5:
        raise ValueError(
            f"interval_start: timestamps imply {step}-minute intervals; "
            "expected 5 minutes or longer (for example 15 or 30)"
        )
    return step


def check_interval_minutes(interval_minutes: int) -> int:
    """Refuse an interval length that does not divide the day or is below 5 minutes."""
    return grid.check_interval_minutes(interval_minutes, minimum=5)


def check_counts(values, n: int, *, name: str, allow_nan: bool = True) -> np.ndarray:
    """Validate a count (or duration) array of length ``n``: finite or NaN, never negative."""
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: not numbers ({exc})") from None
    if arr.shape != (n,):
        raise ValueError(f"{name}: expected {n} values to match interval_start, got {arr.shape}")
    if np.isinf(arr).any():
        i = int(np.flatnonzero(np.isinf(arr))[0])
        raise ValueError(f"{name}: infinite value at position {i}")
    if not allow_nan and np.isnan(arr).any():
        i = int(np.flatnonzero(np.isnan(arr))[0])
        raise ValueError(f"{name}: missing value at position {i}")
    neg = arr < 0
    if neg.any():
        i = int(np.flatnonzero(neg)[0])
        raise ValueError(f"{name}: negative value {arr[i]:g} at position {i}")
    return arr


def to_day_matrix(
    interval_start,
    values,
    *,
    interval_minutes: int | None = None,
    name: str = "calls",
    first_day: np.datetime64 | None = None,
    n_days: int | None = None,
) -> DayMatrix:
    """Validate a series and lay it out as one row per day.

    Parameters
    ----------
    interval_start : array-like of datetime64
        Start of each interval (naive local time).
    values : array-like of float
        Count per interval; ``NaN`` = unknown.
    interval_minutes : int, optional
        Interval length; inferred from the timestamps when omitted.
    name : str
        Name of ``values`` in error messages.
    first_day, n_days : optional
        Force the matrix to start on ``first_day`` and span ``n_days`` rows
        (used to align a second series, e.g. handle times, with the calls).

    Returns
    -------
    DayMatrix

    Raises
    ------
    ValueError
        Duplicate timestamps, timestamps off the interval grid, negative or
        infinite values, NaT.
    """
    minutes = as_minutes(interval_start)
    arr = check_counts(values, minutes.size, name=name)
    if minutes.size == 0:
        raise ValueError("interval_start: the history is empty")
    im = (
        infer_interval_minutes(minutes)
        if interval_minutes is None
        else check_interval_minutes(interval_minutes)
    )
    m64 = minutes.astype(np.int64)
    off = m64 % MINUTES_PER_DAY
    bad = off % im != 0
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"interval_start: {minutes[i]} at position {i} is not on the {im}-minute grid "
            "(interval starts must be multiples of the interval after midnight)"
        )
    order = np.argsort(m64, kind="stable")
    sm = m64[order]
    dup = np.flatnonzero(sm[1:] == sm[:-1])
    if dup.size:
        t = minutes[order][dup[0]]
        raise ValueError(f"interval_start: duplicate interval {t}; give each interval once")
    day = m64 // MINUTES_PER_DAY
    k = (off // im).astype(np.int64)
    d0 = (
        int(day.min())
        if first_day is None
        else int(first_day.astype("datetime64[D]").astype(np.int64))
    )
    nd = int(day.max()) - d0 + 1 if n_days is None else int(n_days)
    row = day - d0
    keep = (row >= 0) & (row < nd)
    mat = np.full((nd, MINUTES_PER_DAY // im), np.nan)
    mat[row[keep], k[keep]] = arr[keep]
    end = np.datetime64(int(sm[-1]) + im, "m")
    return DayMatrix(np.datetime64(d0, "D"), im, mat, end)
