"""The interval grid shared by the history readers and writers: column names and lengths."""

from __future__ import annotations

import numpy as np
import pandas as pd

HISTORY_COLUMNS = (
    "interval_start",
    "queue",
    "calls",
    "answered",
    "abandoned",
    "answered_within_target",
    "aht_seconds",
    "asa_seconds",
)
COUNT_COLUMNS = ("calls", "answered", "abandoned", "answered_within_target")
SECONDS_COLUMNS = ("aht_seconds", "asa_seconds")
REQUIRED_COLUMNS = ("interval_start", "queue", "calls")
MINUTES_PER_DAY = 1440


def check_interval_minutes(interval_minutes: int, *, minimum: int = 1) -> int:
    """Return ``interval_minutes`` as an int, or raise ValueError naming the value.

    It must be a whole number of minutes (``15`` or ``15.0``, not ``True`` or
    ``"15"``), at least ``minimum``, that divides a day.
    """
    whole = (
        isinstance(interval_minutes, int | float | np.integer | np.floating)
        and not isinstance(interval_minutes, bool)
        and float(interval_minutes).is_integer()
    )
    if (
        not whole
        or int(interval_minutes) < max(1, minimum)
        or MINUTES_PER_DAY % int(interval_minutes)
    ):
        least = f"of at least {minimum} " if minimum > 1 else ""
        raise ValueError(
            f"interval_minutes: {interval_minutes!r} must be a whole number of minutes "
            f"{least}that divides a day (e.g. 15, 30, 60)"
        )
    return int(interval_minutes)


def infer_interval_minutes(df: pd.DataFrame) -> int:
    """Infer the interval length (minutes) of a history DataFrame.

    The interval is the most common distance between consecutive interval
    starts of a queue, so a history with whole days missing (or one stray,
    off-grid row, which the readers then reject) still gives the right answer.

    Raises
    ------
    ValueError
        If there are fewer than two intervals in every queue, or the result does
        not divide a day.
    """
    if "interval_start" not in df or "queue" not in df:
        raise ValueError("df must have interval_start and queue columns")
    starts = pd.to_datetime(df["interval_start"])
    if starts.dt.tz is not None:
        starts = starts.dt.tz_convert("UTC").dt.tz_localize(None)
    minutes = (starts.to_numpy().astype("datetime64[s]").astype(np.int64)) // 60
    seconds_part = starts.to_numpy().astype("datetime64[s]").astype(np.int64) % 60
    if (seconds_part != 0).any():
        raise ValueError("interval starts must fall on whole minutes")
    queue = df["queue"].astype(str).to_numpy()
    order = np.lexsort((minutes, queue))
    qs, ms = queue[order], minutes[order]
    diffs = np.diff(ms)[qs[1:] == qs[:-1]]
    diffs = diffs[diffs > 0]
    if len(diffs) == 0:
        raise ValueError(
            "cannot infer the interval length: every queue has a single interval; "
            "give interval_minutes explicitly"
        )
    values, counts = np.unique(diffs, return_counts=True)
    mode = int(values[np.argmax(counts)])
    try:
        return check_interval_minutes(mode)
    except ValueError:
        raise ValueError(
            f"the most common distance between interval starts is {mode} minutes, "
            "which does not divide a day"
        ) from None
