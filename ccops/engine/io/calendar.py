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
    that day is not a normal day (a forecaster should not learn from it);
``closed``
    the site takes no calls that day (the forecast is zero).

``name`` is free text (may be empty). The forecast reads this file with
``ccops forecast --calendar C.csv``; ``ccops demo-data`` writes one.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ccops.engine.io.cells import read_csv_cells
from ccops.engine.io.errors import InputError

CALENDAR_KINDS = ("billing_period", "holiday", "campaign", "emergency", "outage", "closed")
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
    cells = read_csv_cells(path, empty="the file is empty (expected the header date,kind,name)")
    name, raw = cells.name, cells.frame
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


def _western_holidays(year: int) -> list[tuple[dt.date, str]]:
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


# Names of the Chinese public holidays: the Chinese name first (what a site in mainland
# China writes on its own calendar), then the English one for the English interface.
_CN_NEW_YEAR = "元旦 New Year's Day"
_CN_SPRING = "春节 Spring Festival"
_CN_QINGMING = "清明节 Qingming Festival"
_CN_LABOUR = "劳动节 Labour Day"
_CN_DRAGON_BOAT = "端午节 Dragon Boat Festival"
_CN_MID_AUTUMN = "中秋节 Mid-Autumn Festival"
_CN_NATIONAL = "国庆节 National Day"
_CN_NATIONAL_MID_AUTUMN = "国庆节、中秋节 National Day and Mid-Autumn Festival"

#: Public holidays of mainland China, (first day, last day, name) per year. 2025 and 2026:
#: the whole rest periods of the State Council's notices (weekend days inside them included;
#: the weekend days made working days in exchange are not modelled). 2027: the statutory
#: holidays on their 2027 dates (the State Council publishes the bridged periods late in the
#: year before).
CHINA_HOLIDAY_TABLE: dict[int, tuple[tuple[dt.date, dt.date, str], ...]] = {
    2025: (
        (dt.date(2025, 1, 1), dt.date(2025, 1, 1), _CN_NEW_YEAR),
        (dt.date(2025, 1, 28), dt.date(2025, 2, 4), _CN_SPRING),
        (dt.date(2025, 4, 4), dt.date(2025, 4, 6), _CN_QINGMING),
        (dt.date(2025, 5, 1), dt.date(2025, 5, 5), _CN_LABOUR),
        (dt.date(2025, 5, 31), dt.date(2025, 6, 2), _CN_DRAGON_BOAT),
        (dt.date(2025, 10, 1), dt.date(2025, 10, 8), _CN_NATIONAL_MID_AUTUMN),
    ),
    2026: (
        (dt.date(2026, 1, 1), dt.date(2026, 1, 3), _CN_NEW_YEAR),
        (dt.date(2026, 2, 15), dt.date(2026, 2, 23), _CN_SPRING),
        (dt.date(2026, 4, 4), dt.date(2026, 4, 6), _CN_QINGMING),
        (dt.date(2026, 5, 1), dt.date(2026, 5, 5), _CN_LABOUR),
        (dt.date(2026, 6, 19), dt.date(2026, 6, 21), _CN_DRAGON_BOAT),
        (dt.date(2026, 9, 25), dt.date(2026, 9, 27), _CN_MID_AUTUMN),
        (dt.date(2026, 10, 1), dt.date(2026, 10, 7), _CN_NATIONAL),
    ),
    2027: (
        (dt.date(2027, 1, 1), dt.date(2027, 1, 1), _CN_NEW_YEAR),
        (dt.date(2027, 2, 5), dt.date(2027, 2, 8), _CN_SPRING),
        (dt.date(2027, 4, 5), dt.date(2027, 4, 5), _CN_QINGMING),
        (dt.date(2027, 5, 1), dt.date(2027, 5, 2), _CN_LABOUR),
        (dt.date(2027, 6, 9), dt.date(2027, 6, 9), _CN_DRAGON_BOAT),
        (dt.date(2027, 9, 15), dt.date(2027, 9, 15), _CN_MID_AUTUMN),
        (dt.date(2027, 10, 1), dt.date(2027, 10, 3), _CN_NATIONAL),
    ),
}


def _china_holidays(year: int) -> list[tuple[dt.date, str]]:
    """Chinese public holidays of ``year``, one row per day. Years outside
    :data:`CHINA_HOLIDAY_TABLE` get only the holidays fixed in the Gregorian calendar, on their
    statutory days (New Year's Day; Labour Day, 1–2 May; National Day, 1–3 October): the
    lunar ones (Spring Festival, Dragon Boat, Mid-Autumn) and Qingming are left out rather
    than guessed."""
    periods = CHINA_HOLIDAY_TABLE.get(year)
    if periods is None:
        periods = (
            (dt.date(year, 1, 1), dt.date(year, 1, 1), _CN_NEW_YEAR),
            (dt.date(year, 5, 1), dt.date(year, 5, 2), _CN_LABOUR),
            (dt.date(year, 10, 1), dt.date(year, 10, 3), _CN_NATIONAL),
        )
    return [
        (first + dt.timedelta(days=k), name)
        for first, last, name in periods
        for k in range((last - first).days + 1)
    ]


#: The holiday sets of :func:`build_calendar` (``holidays=``).
HOLIDAY_SETS = {"western": _western_holidays, "china": _china_holidays}


def build_calendar(
    start: dt.date, days: int, rng: np.random.Generator, *, holidays: str = "western"
) -> pd.DataFrame:
    """A synthetic calendar for :mod:`ccops.engine.synthetic`: special days in
    ``[start, start + days)`` (columns ``date,kind,name``): holidays, billing periods (the
    four days after the 1st of each month), and, from four weeks on, one campaign week, one
    emergency and one outage day drawn with ``rng``.

    ``holidays`` chooses the public holidays (:data:`HOLIDAY_SETS`): ``"western"`` (fixed
    and Easter-based: New Year, Good Friday, Easter Monday, Labour Day, Ascension, Whit
    Monday, National Day on 3 October, Christmas, Boxing Day) or ``"china"`` (mainland China,
    see :func:`_china_holidays` and :data:`CHINA_HOLIDAY_TABLE`)."""
    if holidays not in HOLIDAY_SETS:
        raise ValueError(
            f"holidays must be one of {', '.join(sorted(HOLIDAY_SETS))}, got {holidays!r}"
        )
    holiday_days = HOLIDAY_SETS[holidays]
    end = start + dt.timedelta(days=days)
    rows = []
    for year in range(start.year, end.year + 1):
        rows += [(d, "holiday", n) for d, n in holiday_days(year) if start <= d < end]
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
