"""Interval history: per-queue counts per interval, the input of forecasting.

The interval history CSV (what ``ccops import`` writes and ``ccops forecast
--history`` reads) has the columns::

    interval_start,queue,calls,answered,abandoned,answered_within_target,aht_seconds,asa_seconds

Only ``interval_start``, ``queue`` and ``calls`` are required. ``calls`` is the
number of calls offered to agents (answered + abandoned in the queue);
``aht_seconds`` and ``asa_seconds`` are empty when nothing was answered (or the
handle/wait times are unknown). Intervals are half-open ``[start, start +
interval)``. ``interval_start`` is ISO 8601, either all naive (the site's local
wall-clock time) or all with a UTC offset; mixing the two is an error.

Completeness rule
-----------------
A day that appears in the file for a queue must hold *every* interval of that
day for that queue (closed hours are written as 0 calls). A day missing
entirely means "no data" (e.g. Anonymous Bank 1999-01-11/12), not zero calls.
An interval missing from a present day is a *gap*: :func:`read_history_csv`
rejects it with an :class:`~ccops.engine.io.errors.InputError` naming the
first missing interval, or, with ``fill_gaps=True`` (the documented repair),
fills it with zero counts. For files with UTC offsets the "day" is the local
day of the offset written in the rows, and a day whose offset changes (DST)
is expected to have 23 or 25 hours.
"""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from ccops.engine.io.calls import ABANDONED, ANSWERED, CallRecords
from ccops.engine.io.grid import (
    COUNT_COLUMNS,
    HISTORY_COLUMNS,
    MINUTES_PER_DAY,
    REQUIRED_COLUMNS,
    SECONDS_COLUMNS,
    check_interval_minutes,
    infer_interval_minutes,
)
from ccops.engine.io.history_read import read_history_csv

__all__ = [
    "COUNT_COLUMNS",
    "HISTORY_COLUMNS",
    "MINUTES_PER_DAY",
    "REQUIRED_COLUMNS",
    "SECONDS_COLUMNS",
    "aggregate_calls",
    "atomic_write_text",
    "check_interval_minutes",
    "combine_intervals",
    "history_to_csv_text",
    "infer_interval_minutes",
    "merge_history",
    "read_history_csv",
    "write_history_csv",
]


def aggregate_calls(
    records: CallRecords,
    *,
    interval_minutes: int,
    target_seconds: float = 20,
    by_queue: bool = True,
    queue_name: str | None = None,
    days=None,
) -> pd.DataFrame:
    """Aggregate per-call records into interval history.

    Parameters
    ----------
    records : CallRecords
        The calls. Only ANSWERED and ABANDONED calls are counted; every record
        (also IVR_ONLY and IGNORED) marks its day as "covered".
    interval_minutes : int
        Interval length; must divide a day.
    target_seconds : float
        A call counts in ``answered_within_target`` when answered with
        ``wait_seconds <= target_seconds``.
    by_queue : bool
        One series per queue (default) or a single series for all queues.
    queue_name : str, optional
        Name of the single series when ``by_queue`` is False (default ``"all"``).
    days : array-like of dates, optional
        The days the records cover (default: every day with at least one
        record). Give it when some covered days may have no record at all
        (e.g. a closed day); records outside these days are an error.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`HISTORY_COLUMNS`, one row per interval of every covered
        day and every queue that had at least one offered call, sorted by
        ``interval_start`` then ``queue``. ``aht_seconds`` is the mean known
        handle time of the answered calls, ``asa_seconds`` their mean known wait
        (NaN when there is none).
    """
    interval_minutes = check_interval_minutes(interval_minutes)
    if not math.isfinite(target_seconds) or target_seconds < 0:
        raise ValueError(f"target_seconds must be a non-negative number, got {target_seconds!r}")
    if by_queue and queue_name is not None:
        raise ValueError("queue_name is only used with by_queue=False")
    if queue_name is not None and not str(queue_name).strip():
        raise ValueError("queue_name must not be empty")

    arrival = records.arrival.astype("datetime64[s]")
    known = ~np.isnat(arrival)
    seen = np.unique(arrival[known].astype("datetime64[D]"))
    if days is None:
        days = seen
    else:
        days = np.unique(np.asarray(days, dtype="datetime64[D]"))
        if not np.isin(seen, days).all():
            raise ValueError("days must include the day of every record")
    per_day = MINUTES_PER_DAY // interval_minutes

    offered = known & ((records.outcome == ANSWERED) | (records.outcome == ABANDONED))
    arr = arrival[offered]
    if by_queue:
        queues, qidx = np.unique(records.queue[offered].astype(str), return_inverse=True)
    else:
        queues = np.array([queue_name or "all"])
        qidx = np.zeros(len(arr), dtype=np.int64)
    nq = len(queues)
    n_slots = len(days) * per_day

    day_of = arr.astype("datetime64[D]")
    minute = (arr - day_of).astype("timedelta64[m]").astype(np.int64)
    slot = np.searchsorted(days, day_of) * per_day + minute // interval_minutes
    flat = slot * nq + qidx
    size = n_slots * nq

    outcome = records.outcome[offered]
    answered = outcome == ANSWERED
    wait = records.wait_seconds[offered]
    handle = records.handle_seconds[offered]
    handle_known = answered & ~np.isnan(handle)
    wait_known = answered & ~np.isnan(wait)
    within = answered & (wait <= target_seconds)

    def count(mask):
        return np.bincount(flat[mask], minlength=size).astype(np.int64)

    def total(mask, values):
        return np.bincount(flat[mask], weights=values[mask], minlength=size)

    n_handle = count(handle_known)
    n_wait = count(wait_known)
    with np.errstate(invalid="ignore", divide="ignore"):
        aht = np.where(n_handle > 0, total(handle_known, handle) / n_handle, np.nan)
        asa = np.where(n_wait > 0, total(wait_known, wait) / n_wait, np.nan)

    starts = (
        days.astype("datetime64[m]")[:, None]
        + (np.arange(per_day) * interval_minutes).astype("timedelta64[m]")
    ).ravel()
    return pd.DataFrame(
        {
            "interval_start": pd.to_datetime(np.repeat(starts, nq).astype("datetime64[s]")),
            "queue": pd.array(np.tile(queues, n_slots).astype(object), dtype=object),
            "calls": count(np.ones(len(arr), dtype=bool)),
            "answered": count(answered),
            "abandoned": count(outcome == ABANDONED),
            "answered_within_target": count(within),
            "aht_seconds": aht,
            "asa_seconds": asa,
        }
    )


def _format_starts(starts: pd.Series) -> pd.Series:
    if starts.dt.tz is not None:
        return starts.dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    return starts.dt.strftime("%Y-%m-%dT%H:%M:%S")


def history_to_csv_text(df: pd.DataFrame) -> str:
    """The canonical CSV text of a history DataFrame (see :func:`write_history_csv`)."""
    missing = [c for c in REQUIRED_COLUMNS if c not in df]
    if missing:
        raise ValueError(f"df is missing column(s) {', '.join(missing)}")
    cols = [c for c in HISTORY_COLUMNS if c in df]
    out = df[cols].copy()
    out["interval_start"] = pd.to_datetime(out["interval_start"])
    out["queue"] = out["queue"].astype(str)
    out = out.sort_values(["interval_start", "queue"], kind="stable").reset_index(drop=True)
    if out.duplicated(["interval_start", "queue"]).any():
        raise ValueError("df has duplicate (interval_start, queue) rows")
    out["interval_start"] = _format_starts(out["interval_start"])
    for col in COUNT_COLUMNS:
        if col in out:
            values = pd.to_numeric(out[col])
            if values.isna().any() or (values < 0).any():
                raise ValueError(f"df column {col} must hold non-negative counts")
            out[col] = values.round().astype(np.int64).astype(str)
    for col in SECONDS_COLUMNS:
        if col in out:
            values = pd.to_numeric(out[col]).to_numpy(dtype=np.float64)
            out[col] = [("" if np.isnan(v) else f"{v:.2f}") for v in values]
    return out.to_csv(index=False, lineterminator="\n")


def write_history_csv(df: pd.DataFrame, path) -> None:
    """Write interval history atomically (temporary file, then rename).

    The known columns present in ``df`` are written in canonical order, rows
    sorted by ``interval_start`` then ``queue``; times as ISO 8601 (naive, or
    UTC with ``+00:00`` for time-zone-aware data), counts as integers and
    seconds with two decimals (empty for NaN). The same data always gives the
    same bytes.
    """
    text = history_to_csv_text(df)
    atomic_write_text(path, text)


def atomic_write_text(path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        if target.exists():
            mode = target.stat().st_mode & 0o777
        else:  # mkstemp makes 0600; give a new file the usual permissions
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def merge_history(existing: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Merge ``new`` intervals into ``existing``: rows of ``new`` replace equal keys.

    Keys are (``interval_start``, ``queue``). Both frames must have the same
    columns, the same kind of time stamps (naive or UTC) and the same interval
    length.

    Raises
    ------
    ValueError
        On a column, time-zone or interval-length mismatch.
    """
    if existing is None or len(existing) == 0:
        return new.reset_index(drop=True)
    cols_old = [c for c in HISTORY_COLUMNS if c in existing]
    cols_new = [c for c in HISTORY_COLUMNS if c in new]
    if cols_old != cols_new:
        raise ValueError(
            f"the history has columns {','.join(cols_old)} but the import has {','.join(cols_new)}"
        )
    old_tz = pd.to_datetime(existing["interval_start"]).dt.tz is not None
    new_tz = pd.to_datetime(new["interval_start"]).dt.tz is not None
    if old_tz != new_tz:
        raise ValueError(
            "the history's interval starts are "
            + ("in UTC" if old_tz else "naive local time")
            + " but the import's are "
            + ("in UTC" if new_tz else "naive local time")
        )
    if len(new):
        try:
            a, b = infer_interval_minutes(existing), infer_interval_minutes(new)
        except ValueError:
            a = b = None
        if a is not None and a != b:
            raise ValueError(f"the history has {a}-minute intervals but the import has {b}")
    keys_new = pd.MultiIndex.from_frame(new[["interval_start", "queue"]])
    keys_old = pd.MultiIndex.from_frame(existing[["interval_start", "queue"]])
    keep = existing[~keys_old.isin(keys_new)]
    merged = pd.concat([keep[cols_old], new[cols_new]], ignore_index=True)
    return merged.sort_values(["interval_start", "queue"], kind="stable").reset_index(drop=True)


def combine_intervals(df: pd.DataFrame, *, interval_minutes: int) -> pd.DataFrame:
    """Add up rows that fall into the same (interval, queue).

    Used to coarsen 15-minute rows into 30-minute history and to merge queues
    (e.g. after renaming several service types to one queue). Counts are
    summed; ``aht_seconds`` and ``asa_seconds`` are averaged weighted by
    ``answered`` (by ``calls`` when there is no ``answered`` column), over the
    rows where they are known. Naive or UTC time stamps both work.
    """
    interval_minutes = check_interval_minutes(interval_minutes)
    out = df.copy()
    out["interval_start"] = pd.to_datetime(out["interval_start"]).dt.floor(f"{interval_minutes}min")
    weight_col = "answered" if "answered" in out else "calls"
    agg = {c: "sum" for c in COUNT_COLUMNS if c in out}
    for col in SECONDS_COLUMNS:
        if col in out:
            w = np.where(out[col].notna(), out[weight_col].to_numpy(dtype=np.float64), 0.0)
            out[f"_{col}_w"] = w
            out[f"_{col}_x"] = np.where(w > 0, out[col].fillna(0) * w, 0.0)
            agg[f"_{col}_w"] = "sum"
            agg[f"_{col}_x"] = "sum"
    g = out.groupby(["interval_start", "queue"], sort=True).agg(agg).reset_index()
    for col in SECONDS_COLUMNS:
        if col in out:
            w, x = g.pop(f"_{col}_w"), g.pop(f"_{col}_x")
            with np.errstate(invalid="ignore", divide="ignore"):
                g[col] = np.where(w > 0, x / w, np.nan)
    cols = [c for c in HISTORY_COLUMNS if c in g]
    return g[cols]
