"""The special-days calendar CSV: ``date,kind,name``.

One row per day and kind of special day; a multi-day period is one row per
day. ``kind`` is one of :data:`CALENDAR_KINDS`:

``billing_period``
    days after bills go out (more calls);
``holiday``
    public holidays (fewer calls, shorter hours);
``campaign``
    marketing campaigns and mailings;
``emergency``
    service incidents that drive extra calls;
``outage``
    days on which the ACD or the site failed, so the recorded history of
    that day is not a normal day (a forecaster should not learn from it).

``name`` is free text (may be empty). The forecast reads this file with
``ccops forecast --calendar C.csv``; ``ccops demo-data`` writes one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from ccops.engine.io.errors import InputError

CALENDAR_KINDS = ("billing_period", "holiday", "campaign", "emergency", "outage")
CALENDAR_COLUMNS = ("date", "kind", "name")


def read_calendar_csv(path) -> pd.DataFrame:
    """Read and validate a calendar CSV.

    Returns
    -------
    pandas.DataFrame
        Columns ``date`` (``datetime.date``), ``kind``, ``name``, sorted by date and kind.

    Raises
    ------
    InputError
        Naming file, line, column and value: a missing column, a bad date, an
        unknown kind or the same (date, kind) twice.
    """
    name = str(path)
    p = Path(path)
    if not p.is_file():
        raise InputError("file not found", path=name)
    try:
        raw = pd.read_csv(p, dtype=str, keep_default_na=False, na_filter=False)
    except pd.errors.EmptyDataError as exc:
        raise InputError(
            "the file is empty (expected the header date,kind,name)", path=name
        ) from exc
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(f"cannot read the file as CSV: {exc}", path=name) from exc
    raw.columns = [str(c).strip() for c in raw.columns]
    for col in ("date", "kind"):
        if col not in raw.columns:
            raise InputError(
                f"missing column {col}; a calendar has the columns date,kind,name",
                path=name,
                line=1,
            )
    if "name" not in raw.columns:
        raw["name"] = ""
    raw = raw[list(CALENDAR_COLUMNS)].apply(lambda c: c.str.strip())
    dates = pd.to_datetime(raw["date"], format="%Y-%m-%d", errors="coerce")
    bad = dates.isna().to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(
            "expected a date YYYY-MM-DD",
            path=name,
            line=row + 2,
            column="date",
            value=raw["date"].iloc[row],
        )
    bad = ~raw["kind"].isin(CALENDAR_KINDS).to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"unknown kind; use one of {', '.join(CALENDAR_KINDS)}",
            path=name,
            line=row + 2,
            column="kind",
            value=raw["kind"].iloc[row],
        )
    out = pd.DataFrame({"date": dates.dt.date, "kind": raw["kind"], "name": raw["name"]})
    dup = out.duplicated(["date", "kind"]).to_numpy()
    if dup.any():
        row = int(np.flatnonzero(dup)[0])
        raise InputError(
            "this date already has this kind",
            path=name,
            line=row + 2,
            column="date",
            value=raw["date"].iloc[row],
        )
    return out.sort_values(["date", "kind"], kind="stable").reset_index(drop=True)


def calendar_to_csv_text(calendar: pd.DataFrame) -> str:
    """The calendar as CSV text (``date,kind,name``, dates ISO, sorted)."""
    out = calendar[list(CALENDAR_COLUMNS)].copy()
    out["date"] = [pd.Timestamp(d).date().isoformat() for d in out["date"]]
    out = out.sort_values(["date", "kind"], kind="stable")
    return out.to_csv(index=False, lineterminator="\n")


def _easter(year: int) -> dt.date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month = (h + el - 7 * m + 114) // 31
    day = (h + el - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def _holidays(year: int) -> list[tuple[dt.date, str]]:
    easter = _easter(year)
    return [
        (dt.date(year, 1, 1), "New Year's Day"),
        (easter - dt.timedelta(days=2), "Good Friday"),
        (easter + dt.timedelta(days=1), "Easter Monday"),
        (dt.date(year, 5, 1), "Labour Day"),
        (easter + dt.timedelta(days=39), "Ascension Day"),
        (easter + dt.timedelta(days=50), "Whit Monday"),
        (dt.date(year, 10, 3), "National Day"),
        (dt.date(year, 12, 25), "Christmas Day"),
        (dt.date(year, 12, 26), "Boxing Day"),
    ]


def build_calendar(start: dt.date, days: int, rng: np.random.Generator) -> pd.DataFrame:
    """A synthetic calendar for :mod:`ccops.engine.synthetic`: special days in
    ``[start, start + days)`` (columns ``date,kind,name``): holidays (fixed and
    Easter-based), billing periods (the four days after the 1st of each month),
    and, from four weeks on, one campaign week, one emergency and one outage
    day drawn with ``rng``."""
    end = start + dt.timedelta(days=days)
    rows = []
    for year in range(start.year, end.year + 1):
        rows += [(d, "holiday", n) for d, n in _holidays(year) if start <= d < end]
        for month in range(1, 13):
            bill = dt.date(year, month, 1)
            for k in range(1, 5):
                d = bill + dt.timedelta(days=k)
                if start <= d < end:
                    rows.append((d, "billing_period", f"Bills of {bill:%B %Y}"))
    if days >= 28:

        def weekday_after(offset):
            d = start + dt.timedelta(days=int(offset))
            while d.weekday() >= 5:
                d += dt.timedelta(days=1)
            return d

        c0 = weekday_after(rng.integers(days // 4, max(days // 4 + 1, days - 14)))
        rows += [
            (c0 + dt.timedelta(days=k), "campaign", "Spring offer mailing")
            for k in range(5)
            if c0 + dt.timedelta(days=k) < end
        ]
        rows.append(
            (weekday_after(rng.integers(7, days - 7)), "emergency", "Network incident in the north")
        )
        rows.append((weekday_after(rng.integers(7, days - 7)), "outage", "ACD outage 10:00-13:00"))
    cal = pd.DataFrame(rows, columns=["date", "kind", "name"])
    cal = cal.drop_duplicates(["date", "kind"])
    # An outage or emergency that lands on a holiday would hide it: keep the holiday.
    clash = cal["kind"].isin(["outage", "emergency"]) & cal["date"].isin(
        cal.loc[cal["kind"] == "holiday", "date"]
    )
    return cal[~clash].sort_values(["date", "kind"]).reset_index(drop=True)
