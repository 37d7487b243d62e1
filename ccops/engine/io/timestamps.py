"""Shared parsing of interval-start timestamps and row-located errors for CSV readers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ccops.engine.io.errors import InputError

_OFFSET_RE = r"\d{2}:\d{2}(?::\d{2}(?:\.\d*)?)?(Z|[+-]\d{2}(?::?\d{2})?)$"


def raise_first_bad(path, mask, values, column, message):
    """Raise InputError for the first True in ``mask`` (row i is file line i + 2)."""
    row = int(np.flatnonzero(np.asarray(mask))[0])
    raise InputError(message, path=path, line=row + 2, column=column, value=values.iloc[row])


def parse_interval_starts(text: pd.Series, path: str):
    """Parse interval_start strings.

    Returns (UTC or naive datetime64[s], local wall time, offset minutes or None).
    """
    offset = text.str.extract(_OFFSET_RE)[0]
    has_offset = offset.notna().to_numpy()
    if has_offset.any() and not has_offset.all():
        first = bool(has_offset[0])
        differs = has_offset != first
        raise_first_bad(
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
        raise_first_bad(
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
