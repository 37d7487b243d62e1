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
from ccops.engine.io.errors import InputError

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


def check_interval_minutes(interval_minutes: int) -> int:
    """Return ``interval_minutes`` as an int, or raise ValueError if it does not divide a day."""
    if (
        isinstance(interval_minutes, bool)
        or int(interval_minutes) != interval_minutes
        or interval_minutes <= 0
        or MINUTES_PER_DAY % int(interval_minutes)
    ):
        raise ValueError(
            f"interval_minutes must be a whole number of minutes that divides a day "
            f"(e.g. 15, 30, 60), got {interval_minutes!r}"
        )
    return int(interval_minutes)


def aggregate_calls(
    records: CallRecords,
    *,
    interval_minutes: int,
    target_seconds: float = 20,
    by_queue: bool = True,
    queue_name: str | None = None,
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
    days = np.unique(arrival[known].astype("datetime64[D]"))
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


_OFFSET_RE = r"\d{2}:\d{2}(?::\d{2}(?:\.\d*)?)?(Z|[+-]\d{2}(?::?\d{2})?)$"


def _bad(path, mask, values, column, message):
    """Raise InputError for the first True in ``mask`` (row i is file line i + 2)."""
    row = int(np.flatnonzero(np.asarray(mask))[0])
    raise InputError(message, path=path, line=row + 2, column=column, value=values.iloc[row])


def _parse_starts(text: pd.Series, path: str):
    """Parse interval_start strings.

    Returns (UTC or naive datetime64[s], local wall time, offset minutes or None).
    """
    offset = text.str.extract(_OFFSET_RE)[0]
    has_offset = offset.notna().to_numpy()
    if has_offset.any() and not has_offset.all():
        first = bool(has_offset[0])
        differs = has_offset != first
        _bad(
            path,
            differs,
            text,
            "interval_start",
            "mixed time zones: line 2 "
            + (
                "has a UTC offset but this line does not"
                if first
                else "has no UTC offset but this line has one"
            )
            + " (write all interval starts naive, in the site's local time, or all with an offset)",
        )
    if has_offset.all():
        lengths = offset.str.len()
        wall_text = pd.Series(
            [t[: len(t) - n] for t, n in zip(text.tolist(), lengths.tolist(), strict=True)],
            dtype=object,
        )
        sign = np.where(offset.str[0] == "-", -1, 1)
        digits = offset.str.replace(":", "", regex=False).str[1:]
        hours = pd.to_numeric(digits.str[:2], errors="coerce").fillna(0).to_numpy()
        mins = pd.to_numeric(digits.str[2:4], errors="coerce").fillna(0).to_numpy()
        off_minutes = np.where(offset == "Z", 0, sign * (hours * 60 + mins)).astype(np.int64)
    else:
        wall_text = text
        off_minutes = None
    wall = pd.to_datetime(wall_text, format="ISO8601", errors="coerce")
    if wall.dt.tz is not None:  # pragma: no cover - offsets were stripped above
        wall = wall.dt.tz_localize(None)
    bad = wall.isna().to_numpy()
    if bad.any():
        _bad(
            path,
            bad,
            text,
            "interval_start",
            "expected an ISO 8601 date and time, e.g. 2024-03-01T08:30:00",
        )
    wall_s = wall.to_numpy().astype("datetime64[s]")
    if off_minutes is None:
        return wall_s, wall_s, None
    return wall_s - off_minutes.astype("timedelta64[m]"), wall_s, off_minutes


def read_history_csv(
    path, *, interval_minutes: int | None = None, fill_gaps: bool = False
) -> pd.DataFrame:
    """Read and validate an interval history CSV.

    Parameters
    ----------
    path : path-like
        The CSV file (columns :data:`HISTORY_COLUMNS`; only ``interval_start``,
        ``queue`` and ``calls`` required; other columns are ignored).
    interval_minutes : int, optional
        Interval length; inferred with :func:`infer_interval_minutes` if omitted.
    fill_gaps : bool
        Repair intervals missing from a day that is otherwise present by
        filling them with zero counts (default: reject them).

    Returns
    -------
    pandas.DataFrame
        The known columns present in the file, in canonical order, sorted by
        ``interval_start`` then ``queue``. ``interval_start`` is naive
        ``datetime64`` (site local time) or, for files with UTC offsets,
        time-zone-aware UTC. Counts are int64, seconds float64 (NaN when
        empty). ``df.attrs["interval_minutes"]`` holds the interval length.

    Raises
    ------
    InputError
        Naming file, line, column and value: unreadable file, missing column,
        bad or negative number, bad date, mixed time zones, duplicate interval,
        an interval start off the interval grid, or a gap.
    """
    name = str(path)
    p = Path(path)
    if not p.is_file():
        raise InputError("file not found", path=name)
    try:
        raw = pd.read_csv(
            p, dtype=str, keep_default_na=False, na_filter=False, skipinitialspace=True
        )
    except pd.errors.EmptyDataError as exc:
        raise InputError(
            "the file is empty (expected a header row and intervals)", path=name
        ) from exc
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(f"cannot read the file as CSV: {exc}", path=name) from exc
    raw.columns = [str(c).strip() for c in raw.columns]
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}; a history needs "
            + ",".join(REQUIRED_COLUMNS),
            path=name,
            line=1,
        )
    if len(raw) == 0:
        raise InputError("the file has a header but no intervals", path=name)
    for col in raw.columns:
        raw[col] = raw[col].astype(str).str.strip()

    utc, wall, offsets = _parse_starts(raw["interval_start"], name)
    queue = raw["queue"]
    if (queue == "").any():
        _bad(name, (queue == "").to_numpy(), queue, "queue", "empty queue name")

    out = {"interval_start": utc, "queue": queue.to_numpy(dtype=object)}
    for col in COUNT_COLUMNS:
        if col not in raw:
            continue
        num = pd.to_numeric(raw[col], errors="coerce").to_numpy(dtype=np.float64)
        bad = ~np.isfinite(num)
        if bad.any():
            _bad(name, bad, raw[col], col, "expected a whole number of calls")
        if (num < 0).any():
            _bad(name, num < 0, raw[col], col, "negative count")
        if (num != np.round(num)).any():
            _bad(name, num != np.round(num), raw[col], col, "expected a whole number of calls")
        out[col] = num.astype(np.int64)
    for col in SECONDS_COLUMNS:
        if col not in raw:
            continue
        empty = (raw[col] == "").to_numpy()
        num = pd.to_numeric(raw[col].where(~empty, None), errors="coerce").to_numpy(
            dtype=np.float64
        )
        bad = ~empty & ~np.isfinite(num)
        if bad.any():
            _bad(name, bad, raw[col], col, "expected a number of seconds (or empty)")
        if (num < 0).any():
            _bad(name, num < 0, raw[col], col, "negative duration")
        out[col] = num
    if "answered_within_target" in out and "answered" in out:
        bad = out["answered_within_target"] > out["answered"]
        if bad.any():
            _bad(
                name,
                bad,
                raw["answered_within_target"],
                "answered_within_target",
                "more calls answered within target than answered",
            )

    df = pd.DataFrame(out)
    dup = df.duplicated(["interval_start", "queue"], keep=False).to_numpy()
    if dup.any():
        rows = np.flatnonzero(dup)
        key = (df["interval_start"].iloc[rows[0]], df["queue"].iloc[rows[0]])
        same = [r for r in rows if (df["interval_start"].iloc[r], df["queue"].iloc[r]) == key]
        raise InputError(
            f"duplicate interval: queue {key[1]!r} at this start also appears on line "
            f"{same[0] + 2}",
            path=name,
            line=same[1] + 2,
            column="interval_start",
            value=raw["interval_start"].iloc[same[1]],
        )

    if interval_minutes is None:
        try:
            interval_minutes = infer_interval_minutes(df)
        except ValueError as exc:
            raise InputError(str(exc), path=name, column="interval_start") from exc
    else:
        interval_minutes = check_interval_minutes(interval_minutes)
    wall_min = wall.astype(np.int64)
    off_grid = (wall_min % 60 != 0) | ((wall_min // 60) % interval_minutes != 0)
    if off_grid.any():
        _bad(
            name,
            off_grid,
            raw["interval_start"],
            "interval_start",
            f"interval start is not on the {interval_minutes}-minute grid",
        )

    df = _check_gaps(df, wall, offsets, interval_minutes, name, fill_gaps)
    if offsets is not None:
        df["interval_start"] = pd.to_datetime(df["interval_start"]).dt.tz_localize("UTC")
    else:
        df["interval_start"] = pd.to_datetime(df["interval_start"])
    df = df.sort_values(["interval_start", "queue"], kind="stable").reset_index(drop=True)
    df.attrs["interval_minutes"] = interval_minutes
    return df


def _check_gaps(df, wall, offsets, interval_minutes, name, fill_gaps):
    """Find (and optionally fill) intervals missing from days present per queue."""
    step = np.timedelta64(interval_minutes, "m")
    local_day = wall.astype("datetime64[D]")
    off = np.zeros(len(df), dtype=np.int64) if offsets is None else offsets
    frame = pd.DataFrame(
        {
            "q": df["queue"].to_numpy(),
            "d": local_day,
            "off": off,
            "t": df["interval_start"].to_numpy(),
        }
    )
    groups = frame.groupby(["q", "d"], sort=True)
    stats = groups.agg(n=("t", "size"), off0=("off", "first"), off1=("off", "last"))
    # Minutes in the local day: 24 h minus any change of UTC offset during it (DST).
    day_minutes = MINUTES_PER_DAY - (stats["off1"] - stats["off0"]).to_numpy()
    expected = day_minutes // interval_minutes
    short = stats["n"].to_numpy() != expected
    if not short.any():
        return df
    fills = []
    for (q, d), row in stats[short].iterrows():
        day0 = np.datetime64(d, "m") - np.timedelta64(int(row["off0"]), "m")
        n_exp = (MINUTES_PER_DAY - int(row["off1"] - row["off0"])) // interval_minutes
        grid = day0 + np.arange(n_exp) * step
        have = frame.loc[(frame["q"] == q) & (frame["d"] == d), "t"].to_numpy()
        have = have.astype("datetime64[m]")
        missing = np.setdiff1d(grid, have)
        if len(missing) == 0:  # more rows than the day can hold (a DST oddity)
            raise InputError(
                f"queue {q!r} has {int(row['n'])} intervals on {d} but a day has "
                f"{n_exp} of {interval_minutes} minutes",
                path=name,
                column="interval_start",
            )
        if not fill_gaps:
            local = missing[0] + np.timedelta64(int(row["off0"]), "m")
            raise InputError(
                f"gap: queue {q!r} has {int(row['n'])} of {n_exp} intervals on {d}; "
                f"the interval starting {str(local).replace('T', ' ')} (local) is missing. "
                "Write closed intervals with 0 calls, or fill the gaps with zeros "
                "(read_history_csv(..., fill_gaps=True))",
                path=name,
                column="interval_start",
            )
        fill = pd.DataFrame(
            {"interval_start": missing.astype("datetime64[s]"), "queue": [q] * len(missing)}
        )
        fills.append(fill)
    add = pd.concat(fills, ignore_index=True)
    for col in COUNT_COLUMNS:
        if col in df:
            add[col] = np.zeros(len(add), dtype=np.int64)
    for col in SECONDS_COLUMNS:
        if col in df:
            add[col] = np.nan
    return pd.concat([df, add], ignore_index=True)


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
