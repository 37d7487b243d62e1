"""Workload CSV: calls and handle time per queue and interval (the input of staffing).

Columns ``interval_start,queue,calls,aht_seconds`` (ISO 8601 starts, all naive
or all with a UTC offset); any further columns (e.g. ``calls_low,calls_high``
from ``ccops forecast``) are kept and passed through. ``calls`` may be
fractional (a forecast mean); ``aht_seconds`` must be positive, and may be
empty only where ``calls`` is 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ccops.engine.io.cells import read_csv_cells
from ccops.engine.io.errors import InputError
from ccops.engine.io.grid import check_interval_minutes
from ccops.engine.io.timestamps import parse_interval_starts, raise_first_bad

WORKLOAD_COLUMNS = ("interval_start", "queue", "calls", "aht_seconds")


def read_workload_csv(
    path, *, interval_minutes: int | None = None, default_aht_seconds: float | None = None
) -> pd.DataFrame:
    """Read and validate a workload CSV.

    Parameters
    ----------
    path : path-like
    interval_minutes : int, optional
        Expected interval length. The most common distance between a queue's
        consecutive starts must equal it; without it, that distance is used
        (15 minutes when no queue has two intervals).
    default_aht_seconds : float, optional
        Handle time for rows whose ``aht_seconds`` is empty (e.g. a forecast
        for a queue whose history had no handle times); without it an empty
        AHT is an error where there are calls.

    Returns
    -------
    pandas.DataFrame
        The file's columns as text, plus ``start`` (datetime64[s], UTC when the
        file has offsets), ``calls_value`` and ``aht_value`` (float64, AHT NaN
        where empty); in file order. ``df.attrs["interval_minutes"]`` holds
        the interval length.

    Raises
    ------
    InputError
        Naming file, line, column and value: missing file or column, bad
        number, negative calls, AHT <= 0, bad date, mixed time zones, duplicate
        interval and queue, starts off the interval grid or a spacing that
        contradicts ``interval_minutes``.
    """
    cells = read_csv_cells(path, empty="the file is empty (expected a header row)")
    name, raw = cells.name, cells.frame
    missing = [c for c in WORKLOAD_COLUMNS if c not in raw.columns]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}; expected " + ",".join(WORKLOAD_COLUMNS),
            path=name,
            line=1,
        )
    if len(raw) == 0:
        raise InputError("the file has a header but no intervals", path=name)
    for col in raw.columns:
        raw[col] = raw[col].astype(str).str.strip()

    start, wall, _ = parse_interval_starts(raw["interval_start"], name)
    queue = raw["queue"]
    if (queue == "").any():
        raise_first_bad(name, (queue == "").to_numpy(), queue, "queue", "empty queue name")
    calls = pd.to_numeric(raw["calls"], errors="coerce").to_numpy(dtype=np.float64)
    if (~np.isfinite(calls)).any():
        raise_first_bad(
            name, ~np.isfinite(calls), raw["calls"], "calls", "expected a number of calls"
        )
    if (calls < 0).any():
        raise_first_bad(name, calls < 0, raw["calls"], "calls", "negative number of calls")
    empty = (raw["aht_seconds"] == "").to_numpy()
    aht = pd.to_numeric(raw["aht_seconds"].where(~empty, None), errors="coerce").to_numpy(
        dtype=np.float64, copy=True
    )
    bad = ~empty & ~np.isfinite(aht)
    if bad.any():
        raise_first_bad(
            name, bad, raw["aht_seconds"], "aht_seconds", "expected a number of seconds"
        )
    if (aht <= 0).any():
        raise_first_bad(
            name, aht <= 0, raw["aht_seconds"], "aht_seconds", "handle time must be positive"
        )
    if default_aht_seconds is not None:
        if not np.isfinite(default_aht_seconds) or default_aht_seconds <= 0:
            raise ValueError(
                f"default_aht_seconds must be a positive number; got {default_aht_seconds!r}"
            )
        aht[empty] = default_aht_seconds
        empty = np.zeros_like(empty)
    if (empty & (calls > 0)).any():
        raise_first_bad(
            name,
            empty & (calls > 0),
            raw["aht_seconds"],
            "aht_seconds",
            "handle time is empty but the interval has calls "
            "(give one, or a default handle time: --default-aht)",
        )

    keys = pd.DataFrame({"start": start, "queue": queue.to_numpy()})
    dup = keys.duplicated(keep="first").to_numpy()
    if dup.any():
        row = int(np.flatnonzero(dup)[0])
        first = int(
            np.flatnonzero(
                (keys["start"] == keys["start"].iloc[row]).to_numpy()
                & (keys["queue"] == keys["queue"].iloc[row]).to_numpy()
            )[0]
        )
        raise InputError(
            f"duplicate interval: queue {queue.iloc[row]!r} at this start is already on "
            f"line {first + 2}",
            path=name,
            line=row + 2,
            column="interval_start",
            value=raw["interval_start"].iloc[row],
        )

    spacing = _spacing_minutes(start, queue.to_numpy())
    if interval_minutes is None:
        interval_minutes = spacing if spacing is not None else 15
        try:
            interval_minutes = check_interval_minutes(interval_minutes)
        except ValueError as exc:
            raise InputError(str(exc), path=name, column="interval_start") from exc
    else:
        interval_minutes = check_interval_minutes(interval_minutes)
        if spacing is not None and spacing != interval_minutes:
            raise InputError(
                f"the intervals are {spacing} minutes apart but the interval length given "
                f"is {interval_minutes} minutes",
                path=name,
                column="interval_start",
            )
    minutes = wall.astype(np.int64) // 60
    off_grid = (wall.astype(np.int64) % 60 != 0) | (minutes % interval_minutes != 0)
    if off_grid.any():
        raise_first_bad(
            name,
            off_grid,
            raw["interval_start"],
            "interval_start",
            f"interval start is not on the {interval_minutes}-minute grid",
        )
    df = raw.copy()
    df["start"] = start
    df["calls_value"] = calls
    df["aht_value"] = aht
    df.attrs["interval_minutes"] = interval_minutes
    return df


def _spacing_minutes(start: np.ndarray, queue: np.ndarray) -> int | None:
    """Most common distance (minutes) between a queue's consecutive starts."""
    minutes = start.astype("datetime64[m]").astype(np.int64)
    order = np.lexsort((minutes, queue))
    q, m = queue[order], minutes[order]
    diffs = np.diff(m)[q[1:] == q[:-1]]
    diffs = diffs[diffs > 0]
    if diffs.size == 0:
        return None
    values, counts = np.unique(diffs, return_counts=True)
    return int(values[np.argmax(counts)])
