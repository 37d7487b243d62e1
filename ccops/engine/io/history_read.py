"""Reading and validating the interval history CSV (see :mod:`ccops.engine.io.history`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ccops.engine.io.cells import read_csv_cells
from ccops.engine.io.errors import InputError
from ccops.engine.io.grid import (
    COUNT_COLUMNS,
    HISTORY_COLUMNS,
    MINUTES_PER_DAY,
    REQUIRED_COLUMNS,
    SECONDS_COLUMNS,
    check_interval_minutes,
    infer_interval_minutes,
)
from ccops.engine.io.timestamps import parse_interval_starts, raise_first_bad


def read_history_csv(
    path, *, interval_minutes: int | None = None, fill_gaps: bool = False
) -> pd.DataFrame:
    """Read and validate an interval history CSV.

    Parameters
    ----------
    path : path-like or binary stream
        The CSV file (columns :data:`HISTORY_COLUMNS`; only ``interval_start``,
        ``queue`` and ``calls`` required; other columns are ignored), optionally
        compressed, read within the limits of the imports
        (:func:`~ccops.engine.io.cells.read_csv_cells`).
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
        Naming file, line, column and value: unreadable file, too large (as given
        or decompressed), a line or a value too long, missing column,
        bad or negative number, bad date, mixed time zones, duplicate interval,
        an interval start off the interval grid, or a gap.
    """
    cells = read_csv_cells(
        path,
        columns=HISTORY_COLUMNS,
        skipinitialspace=True,
        empty="the file is empty (expected a header row and intervals)",
    )
    name, raw = cells.name, cells.frame
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

    utc, wall, offsets = parse_interval_starts(raw["interval_start"], name)
    queue = raw["queue"]
    if (queue == "").any():
        raise_first_bad(name, (queue == "").to_numpy(), queue, "queue", "empty queue name")

    out = {"interval_start": utc, "queue": queue.to_numpy(dtype=object)}
    for col in COUNT_COLUMNS:
        if col not in raw:
            continue
        num = pd.to_numeric(raw[col], errors="coerce").to_numpy(dtype=np.float64)
        bad = ~np.isfinite(num)
        if bad.any():
            raise_first_bad(name, bad, raw[col], col, "expected a whole number of calls")
        if (num < 0).any():
            raise_first_bad(name, num < 0, raw[col], col, "negative count")
        if (num != np.round(num)).any():
            raise_first_bad(
                name, num != np.round(num), raw[col], col, "expected a whole number of calls"
            )
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
            raise_first_bad(name, bad, raw[col], col, "expected a number of seconds (or empty)")
        if (num < 0).any():
            raise_first_bad(name, num < 0, raw[col], col, "negative duration")
        out[col] = num
    if "answered_within_target" in out and "answered" in out:
        bad = out["answered_within_target"] > out["answered"]
        if bad.any():
            raise_first_bad(
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
        raise_first_bad(
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
