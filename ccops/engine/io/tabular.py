"""Read any CSV or Excel export through a :class:`~ccops.engine.io.mapping.ColumnMapping`.

:func:`read_calls` turns a per-call export into :class:`CallRecords`;
:func:`read_interval_report` turns an ACD interval report into interval
history rows. Every value is checked before anything is returned; the first
bad one raises :class:`InputError` naming the file, the line (for Excel: the
sheet row), the column and the value.

Times: without UTC offsets they are taken as the site's local wall-clock time,
unless ``source_timezone`` says they are in another zone (e.g. UTC), in which
case they are converted to ``timezone``. Times with offsets (``Z``,
``+01:00``) are converted to ``timezone``, which must then be given. Mixing
times with and without offsets is an error. The result is always naive local
time of the site; in the autumn DST change the repeated hour falls into the
same intervals.

Durations are numbers in ``duration_unit`` or clock-like ``H:MM:SS`` /
``MM:SS`` values (recognised whatever the unit); empty means unknown.
"""

from __future__ import annotations

import datetime as dt
import zipfile

import numpy as np
import pandas as pd

from ccops.engine.io import limits
from ccops.engine.io.calls import ABANDONED, ANSWERED, IGNORED, IVR_ONLY, CallRecords
from ccops.engine.io.cells import add_long_values
from ccops.engine.io.errors import InputError, Message, Problems
from ccops.engine.io.history import MINUTES_PER_DAY, check_interval_minutes, combine_intervals
from ccops.engine.io.limits import (
    MAX_CALLS_PER_INTERVAL,
    MAX_DURATION_SECONDS,
    MAX_YEAR,
    MIN_YEAR,
    shorten,
)
from ccops.engine.io.mapping import ColumnMapping
from ccops.engine.io.source import EXCEL_SUFFIXES, open_source

__all__ = ["EXCEL_SUFFIXES", "complete_days", "read_calls", "read_interval_report", "read_table"]
_OFFSET_RE = r"(?:Z|[+-]\d{2}(?::?\d{2})?)$"
_OUTCOME_CODES = {
    "answered": ANSWERED,
    "abandoned": ABANDONED,
    "ivr_only": IVR_ONLY,
    "ignored": IGNORED,
}


class _Table:
    """Source cells as stripped strings, with the file line of each row.

    Bad values are collected (:meth:`problem`) over all the checks and raised together by
    :meth:`check` (the first :data:`~ccops.engine.io.limits.MAX_REPORTED_PROBLEMS`, by
    line); :meth:`fail` raises at once, for what makes the rest of the file meaningless.
    """

    def __init__(self, path, frame: pd.DataFrame, lines: np.ndarray, mapping=None):
        self.path = str(path)
        #: The mapping as it applies to this file (its optional columns the file lacks
        #: left out, see :meth:`ColumnMapping.for_header`).
        self.mapping = mapping
        self.frame = frame
        self.lines = lines
        self.problems = Problems(self.path, lines)

    def fail(self, mask, column, message):
        row = int(np.flatnonzero(np.asarray(mask))[0])
        raise InputError(
            message,
            path=self.path,
            line=int(self.lines[row]),
            column=column,
            value=self.frame[column].iloc[row] if column in self.frame else None,
        )

    def problem(self, mask, column, message, values=None):
        if values is None and column in self.frame:
            values = self.frame[column]
        self.problems.add(mask, column, message, values)

    def check(self):
        self.problems.raise_if_any()

    def col(self, name: str) -> pd.Series:
        return self.frame[name]


def _excel_cell_text(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, dt.timedelta):
        return repr(value.total_seconds())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _too_many_rows(name: str, rows: int):
    raise InputError(
        Message("too_many_rows", limit=f"{limits.MAX_ROWS:,}", rows=f"{rows:,}"),
        path=name,
    )


def _read_csv(source, mapping: ColumnMapping, wanted: set) -> tuple[list[str], pd.DataFrame]:
    """The header of a CSV file and its ``wanted`` columns (text), within
    :data:`~ccops.engine.io.limits.MAX_ROWS`."""
    lines = source.data.count(b"\n")
    if lines - mapping.header_row > limits.MAX_ROWS:
        _too_many_rows(source.name, lines - mapping.header_row)
    options = {
        "sep": mapping.delimiter,
        "encoding": mapping.encoding,
        "skiprows": mapping.header_row - 1,
        "dtype": str,
        "keep_default_na": False,
        "na_filter": False,
    }
    header = pd.read_csv(source.stream(), nrows=0, **options).columns
    frame = pd.read_csv(
        source.stream(),
        usecols=lambda c: str(c).strip() in wanted,
        skip_blank_lines=False,
        **options,
    )
    frame.columns = [str(c).strip() for c in frame.columns]
    return [str(c).strip() for c in header], frame


def _sheet(workbook, mapping: ColumnMapping, name: str):
    sheet = 0 if mapping.sheet is None else mapping.sheet
    names = workbook.sheetnames
    if isinstance(sheet, int):
        if not 0 <= sheet < len(names):
            raise InputError(
                Message("no_sheet_number", count=len(names), sheet=sheet),
                path=name,
                column="sheet",
                value=sheet,
            )
        return workbook[names[sheet]]
    if sheet not in names:
        raise InputError(
            Message("no_such_sheet", sheets=", ".join(shorten(n, 40) for n in names[:20])),
            path=name,
            column="sheet",
            value=sheet,
        )
    return workbook[sheet]


def _read_excel(source, mapping: ColumnMapping, wanted: set) -> tuple[list[str], pd.DataFrame]:
    """The header of an Excel sheet and its ``wanted`` columns (text), streamed with
    openpyxl's read-only mode: only those columns are kept, and a sheet larger than
    :data:`~ccops.engine.io.limits.MAX_EXCEL_CELLS` (by its declared size) or longer than
    :data:`~ccops.engine.io.limits.MAX_ROWS` is refused before (or while) it is read."""
    from openpyxl import load_workbook

    name = source.name
    workbook = load_workbook(source.stream(), read_only=True, data_only=True, keep_links=False)
    try:
        ws = _sheet(workbook, mapping, name)
        max_row, max_col = ws.max_row, ws.max_column
        if max_row and max_col and max_row * max_col > limits.MAX_EXCEL_CELLS:
            raise InputError(
                Message(
                    "sheet_too_large",
                    rows=f"{max_row:,}",
                    columns=f"{max_col:,}",
                    limit=f"{limits.MAX_EXCEL_CELLS:,}",
                ),
                path=name,
            )
        if max_row and max_row - mapping.header_row > limits.MAX_ROWS:
            _too_many_rows(name, max_row - mapping.header_row)
        rows = ws.iter_rows(min_row=mapping.header_row, values_only=True)
        first = next(rows, None)
        if first is None:
            raise InputError(Message("sheet_empty"), path=name)
        header = [_excel_cell_text(v) for v in first]
        while header and header[-1] == "":
            header.pop()
        keep = [i for i, c in enumerate(header) if c in wanted]
        columns: list[list[str]] = [[] for _ in keep]
        count, cells = 0, len(first)
        for row in rows:
            count += 1
            if count > limits.MAX_ROWS:
                _too_many_rows(name, count)
            width = len(row)
            cells += width
            if cells > limits.MAX_EXCEL_CELLS:  # a sheet that does not declare its size
                raise InputError(
                    Message(
                        "sheet_too_many_cells",
                        limit=f"{limits.MAX_EXCEL_CELLS:,}",
                        row=f"{mapping.header_row + count:,}",
                    ),
                    path=name,
                )
            for out, i in zip(columns, keep, strict=True):
                out.append(_excel_cell_text(row[i]) if i < width else "")
    finally:
        workbook.close()
    while count and all(not col[-1] for col in columns):  # trailing empty rows
        for col in columns:
            col.pop()
        count -= 1
    frame = pd.DataFrame({header[i]: col for i, col in zip(keep, columns, strict=True)})
    return header, frame


def read_table(path, mapping: ColumnMapping, *, name: str | None = None) -> _Table:
    """Read the source file as text cells and check that the mapped columns exist.

    ``path`` is a path, a binary stream or a :class:`~ccops.engine.io.source.Source`
    (see :func:`~ccops.engine.io.source.open_source` for the size limits); errors name
    the file ``name`` (default: the path)."""
    source = open_source(path, name)
    name = source.name
    wanted = set(mapping.source_columns())
    try:
        if source.format == "excel":
            header, frame = _read_excel(source, mapping, wanted)
        else:
            header, frame = _read_csv(source, mapping, wanted)
    except InputError:
        raise
    except ValueError as exc:  # e.g. an unknown sheet name
        raise InputError(Message("cannot_read", error=shorten(exc, 300)), path=name) from exc
    except (
        OSError,
        UnicodeDecodeError,
        pd.errors.ParserError,
        pd.errors.EmptyDataError,
        KeyError,
        zipfile.BadZipFile,
    ) as exc:
        raise InputError(Message("cannot_read", error=shorten(exc, 300)), path=name) from exc
    mapping = mapping.for_header(header)
    missing = [c for c in mapping.source_columns() if c not in header]
    if missing:
        shown = ", ".join(shorten(c, 40) for c in header[:40])
        if len(header) > 40:
            shown += f" … ({len(header)} columns)"
        raise InputError(
            Message("column_not_found", mapping=repr(mapping.name), header=shown),
            path=name,
            line=mapping.header_row,
            column=missing[0],
        )
    frame = frame[list(dict.fromkeys(mapping.source_columns()))].astype(str)
    for c in frame.columns:
        frame[c] = frame[c].str.strip()
    lines = np.arange(len(frame)) + mapping.header_row + 1
    blank = (frame == "").all(axis=1).to_numpy()
    if blank.any():  # wholly empty lines (trailing blank lines, report footers)
        frame, lines = frame[~blank].reset_index(drop=True), lines[~blank]
    if len(frame) == 0:
        raise InputError(Message("no_data_rows"), path=name)
    table = _Table(name, frame, lines, mapping)
    add_long_values(table.problems, frame)
    return table


def _clock_of_day(t: _Table, column: str) -> np.ndarray:
    """Seconds after midnight from ``8:00``, ``08:00:00``, ``8:00 AM`` or ``8:00 AM-8:30 AM``."""
    codes, uniques = pd.factorize(t.col(column))
    u = pd.Series(uniques, dtype="str").str.replace(
        r"^(\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)?)\s*-.*$", r"\1", regex=True
    )
    parts = u.str.extract(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp]\.?[Mm]\.?)?$")
    h = pd.to_numeric(parts[0], errors="coerce").to_numpy(dtype=np.float64)
    m = pd.to_numeric(parts[1], errors="coerce").to_numpy(dtype=np.float64)
    sec = pd.to_numeric(parts[2], errors="coerce").fillna(0).to_numpy(dtype=np.float64)
    ampm = parts[3].fillna("").astype(str).str[:1].str.lower().to_numpy(dtype=object)
    bad = np.isnan(h) | (m > 59) | (sec > 59)
    twelve = ampm != ""
    bad |= twelve & ((h < 1) | (h > 12))
    bad |= ~twelve & (h > 23)
    h = np.where(twelve, h % 12 + np.where(ampm == "p", 12, 0), h)
    if bad.any():
        t.problem(bad[codes], column, Message("bad_time_of_day"))
    seconds = np.nan_to_num(np.where(bad, 0.0, h * 3600 + m * 60 + sec))
    return seconds.astype(np.int64)[codes]


def _parse_times(t: _Table, m: ColumnMapping) -> np.ndarray:
    """Arrival / interval-start times as naive site-local datetime64[s]."""
    column = m.datetime or m.date
    text = t.col(column)
    if (text == "").any():
        t.problem((text == "").to_numpy(), column, Message("empty_datetime"))
    clock = None
    if m.time:
        if (t.col(m.time) == "").any():
            t.problem((t.col(m.time) == "").to_numpy(), m.time, Message("empty_time"))
        if m.time_format:
            text = text + " " + t.col(m.time)
            column = f"{m.date} + {m.time}"
        else:
            clock = _clock_of_day(t, m.time)
    codes, uniques = pd.factorize(text)
    u = pd.Series(uniques, dtype="str")

    def fail(mask, message):
        row = int(np.flatnonzero(mask)[0])
        raise InputError(
            message, path=t.path, line=int(t.lines[row]), column=column, value=text.iloc[row]
        )

    def problem(mask, message):
        t.problem(mask, column, message, values=text)

    if m.time_format:
        aware = "%z" in m.time_format or "%Z" in m.time_format
        parsed = pd.to_datetime(u, format=m.time_format, errors="coerce", utc=aware)
    else:
        has = u.str.contains(r"\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*" + _OFFSET_RE).to_numpy()
        if has.any() and not has.all():
            row_has = has[codes]
            fail(
                row_has != row_has[0],
                Message("mixed_zones"),
            )
        aware = bool(has.all())
        parsed = pd.to_datetime(u, format="ISO8601", errors="coerce", utc=aware)
    bad = parsed.isna().to_numpy()
    if bad.any():
        if m.time_format:
            problem(bad[codes], Message("bad_datetime_format", format=repr(m.time_format)))
        else:
            problem(bad[codes], Message("bad_datetime"))
    if (aware or m.source_timezone) and not m.timezone:
        fail(
            np.ones(len(codes), bool),
            Message("zone_needed"),
        )
    values = parsed.to_numpy()
    if aware:
        values = parsed.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
    out = values.astype("datetime64[s]")[codes]
    if clock is not None:
        if (out != out.astype("datetime64[D]")).any():
            problem(out != out.astype("datetime64[D]"), Message("date_has_time"))
        out = out + clock.astype("timedelta64[s]")
    if aware or m.source_timezone:
        local = pd.Series(out)
        try:
            if not aware:
                local = local.dt.tz_localize(
                    m.source_timezone, ambiguous="raise", nonexistent="raise"
                )
            else:
                local = local.dt.tz_localize("UTC")
        except (ValueError, TypeError) as exc:
            raise InputError(
                Message("time_not_valid_in_zone", zone=m.source_timezone, error=exc),
                path=t.path,
                column=column,
            ) from exc
        out = local.dt.tz_convert(m.timezone).dt.tz_localize(None).to_numpy()
        out = out.astype("datetime64[s]")
    year = out.astype("datetime64[Y]").astype(np.int64) + 1970
    implausible = ~np.isnat(out) & ((year < MIN_YEAR) | (year > MAX_YEAR))
    if implausible.any():
        problem(implausible, Message("implausible_year", min=MIN_YEAR, max=MAX_YEAR))
    return out


def _parse_duration(
    t: _Table, column: str, unit: str, *, empty_is_zero=False, bounded=True
) -> np.ndarray:
    """Durations in seconds (NaN when empty unless ``empty_is_zero``); ``bounded``: one
    call's or an average's, at most :data:`~ccops.engine.io.limits.MAX_DURATION_SECONDS`."""
    codes, uniques = pd.factorize(t.col(column))
    u = pd.Series(uniques, dtype="str")
    out = np.full(len(u), np.nan)
    empty = (u == "").to_numpy()
    clock = u.str.extract(r"^(?:(\d+):)?(\d{1,2}):(\d{2}(?:\.\d+)?)$")
    is_clock = clock[1].notna().to_numpy()
    h = pd.to_numeric(clock[0], errors="coerce").fillna(0).to_numpy()
    mi = pd.to_numeric(clock[1], errors="coerce").to_numpy()
    s = pd.to_numeric(clock[2], errors="coerce").to_numpy()
    out[is_clock] = (h * 3600 + mi * 60 + s)[is_clock]
    num = pd.to_numeric(
        u.str.replace(",", ".", regex=False).where(~is_clock & ~empty), errors="coerce"
    ).to_numpy(dtype=np.float64)
    if unit == "hh:mm:ss":
        bad = ~is_clock & ~empty
    else:
        factor = {"seconds": 1.0, "milliseconds": 0.001, "minutes": 60.0}[unit]
        plain = ~is_clock & ~empty
        out[plain] = num[plain] * factor
        bad = plain & ~np.isfinite(num)
    if bad.any():
        what = "H:MM:SS" if unit == "hh:mm:ss" else f"a number of {unit} or H:MM:SS"
        t.problem(bad[codes], column, Message("bad_duration", what=what, unit=unit))
    if (out < 0).any():
        t.problem((out < 0)[codes], column, Message("negative_duration"))
    if bounded and (out > MAX_DURATION_SECONDS).any():
        t.problem((out > MAX_DURATION_SECONDS)[codes], column, Message("duration_over_a_day"))
    if empty_is_zero:
        out[empty] = 0.0
    return out[codes]


def _parse_count(t: _Table, column: str) -> np.ndarray:
    text = t.col(column)
    num = pd.to_numeric(
        text.str.replace(",", "", regex=False).where(text != "", "0"), errors="coerce"
    ).to_numpy(dtype=np.float64)
    bad = ~np.isfinite(num) | (num != np.round(num))
    if bad.any():
        t.problem(bad, column, Message("bad_count"))
    if (num < 0).any():
        t.problem(num < 0, column, Message("negative_count"))
    if (num > MAX_CALLS_PER_INTERVAL).any():
        t.problem(
            num > MAX_CALLS_PER_INTERVAL,
            column,
            Message("count_too_large", limit=f"{MAX_CALLS_PER_INTERVAL:,}"),
        )
    return np.where(bad | (num < 0) | (num > MAX_CALLS_PER_INTERVAL), 0, num).astype(np.int64)


def _sum_durations(t, columns, unit, *, bounded=True):
    parts = [_parse_duration(t, c, unit, bounded=bounded) for c in columns]
    stack = np.vstack(parts)
    total = np.nansum(stack, axis=0)
    total[np.isnan(stack).all(axis=0)] = np.nan
    return total


def read_calls(path, mapping: ColumnMapping) -> CallRecords:
    """Read a per-call CSV or Excel export through a column mapping.

    Parameters
    ----------
    path : path-like
        ``.csv`` (optionally compressed, e.g. ``.csv.gz``), ``.xlsx`` or ``.xlsm``.
    mapping : ColumnMapping
        A mapping of kind ``calls``.

    Returns
    -------
    CallRecords
        One element per data row. Outcome values not listed in the mapping are
        an error, or IGNORED when ``outcomes.other`` is ``ignore``. Without an
        outcome column a call is ANSWERED when it has an agent or a positive
        handle time, else ABANDONED.
    """
    if mapping.kind != "calls":
        raise ValueError(f"mapping {mapping.name!r} is for {mapping.kind}, not per-call records")
    t = read_table(path, mapping)
    mapping = t.mapping
    n = len(t.frame)
    arrival = _parse_times(t, mapping)
    handle = (
        _sum_durations(t, mapping.handle, mapping.duration_unit)
        if mapping.handle
        else np.full(n, np.nan)
    )
    agent = (
        t.col(mapping.agent).to_numpy(dtype=object)
        if mapping.agent
        else np.full(n, "", dtype=object)
    )
    if mapping.outcome:
        lookup = {}
        for key, values in mapping.outcomes.items():
            for v in values if isinstance(values, list | tuple) else [values]:
                lookup[str(v).strip().casefold()] = _OUTCOME_CODES[key]
        raw = t.col(mapping.outcome).str.casefold().map(lookup)
        unknown = raw.isna().to_numpy()
        if unknown.any() and mapping.other_outcomes == "error":
            t.problem(
                unknown,
                mapping.outcome,
                Message("unknown_outcome"),
            )
        outcome = raw.fillna(IGNORED).to_numpy(dtype=np.int8)
    else:
        has_agent = agent != ""
        outcome = np.where(has_agent | (np.nan_to_num(handle) > 0), ANSWERED, ABANDONED)
        outcome = outcome.astype(np.int8)
    answered = outcome == ANSWERED
    wait = (
        _parse_duration(t, mapping.wait, mapping.duration_unit)
        if mapping.wait
        else np.full(n, np.nan)
    )
    wait = np.where(outcome == IVR_ONLY, 0.0, wait)
    handle = np.where(answered, handle, np.nan)
    if mapping.queue:
        queue = t.col(mapping.queue).to_numpy(dtype=object)
        offered = answered | (outcome == ABANDONED)
        if (offered & (queue == "")).any():
            t.problem(offered & (queue == ""), mapping.queue, Message("empty_queue_offered"))
    else:
        queue = np.full(n, mapping.queue_default, dtype=object)
    if mapping.priority:
        prio = _parse_count(t, mapping.priority)
        if (prio > 127).any():
            t.problem(prio > 127, mapping.priority, Message("bad_priority"))
            prio = np.minimum(prio, 127)
        priority = prio.astype(np.int8)
    else:
        priority = np.zeros(n, dtype=np.int8)
    service_start = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    ok = answered & ~np.isnan(wait)
    service_start[ok] = arrival[ok] + np.round(wait[ok]).astype("timedelta64[s]")
    extras = _call_extras(t, mapping, answered)
    t.check()
    return CallRecords(
        arrival=arrival,
        queue=queue,
        outcome=outcome,
        wait_seconds=wait,
        handle_seconds=handle,
        service_start=service_start,
        agent=agent,
        priority=priority,
        **extras,
    )


#: Values of a transfer column that mean "transferred" (case-insensitive); others mean no.
TRANSFER_TRUE = frozenset({"1", "y", "yes", "true", "t", "transferred", "transfer", "是"})


def _call_extras(t: _Table, mapping: ColumnMapping, answered: np.ndarray) -> dict:
    """The optional per-call columns: the ACD's call reference, hold and after-call work
    (NaN when empty or not answered) and the transfer flag."""
    extras: dict = {}
    if mapping.call_id:
        extras["call_id"] = t.col(mapping.call_id).to_numpy(dtype=object)
    for key, name in (("hold", "hold_seconds"), ("acw", "acw_seconds")):
        column = getattr(mapping, key)
        if column:
            values = _parse_duration(t, column, mapping.duration_unit)
            extras[name] = np.where(answered, values, np.nan)
    if mapping.transfer:
        text = t.col(mapping.transfer).str.strip().str.casefold()
        extras["transferred"] = text.isin(TRANSFER_TRUE).to_numpy()
    return extras


def read_interval_report(path, mapping: ColumnMapping, *, interval_minutes: int) -> pd.DataFrame:
    """Read an ACD interval report into interval history rows.

    Rows of finer intervals (e.g. 15-minute rows into a 30-minute history) are
    added up; empty count cells count as 0; intervals missing from a day that is
    in the report are filled with zero calls (ACD reports often leave out
    intervals without traffic). Two rows for the same interval and queue are an
    error.

    Returns
    -------
    pandas.DataFrame
        History columns (``interval_start``, ``queue``, ``calls`` and those the
        mapping provides), sorted; see :mod:`ccops.engine.io.history`.
    """
    if mapping.kind != "intervals":
        raise ValueError(f"mapping {mapping.name!r} is for {mapping.kind}, not interval reports")
    interval_minutes = check_interval_minutes(interval_minutes)
    t = read_table(path, mapping)
    mapping = t.mapping
    starts = _parse_times(t, mapping)
    n = len(starts)
    column = mapping.datetime or mapping.date
    secs = (starts - starts.astype("datetime64[D]")).astype(np.int64)
    if (secs % 60 != 0).any():
        t.problem(secs % 60 != 0, column, Message("off_minute"))
    minute = secs // 60
    queue = (
        t.col(mapping.queue).to_numpy(dtype=object)
        if mapping.queue
        else np.full(n, mapping.queue_default, dtype=object)
    )
    if mapping.queue and (queue == "").any():
        t.problem(queue == "", mapping.queue, Message("empty_queue"))
    good = ~t.problems.bad  # the rows whose time and queue could be read
    keys = pd.DataFrame({"s": starts, "q": queue})[good]
    dup = np.zeros(n, dtype=bool)
    dup[good] = keys.duplicated(keep="first").to_numpy()
    if dup.any():
        first = int(np.flatnonzero(good)[np.flatnonzero(keys.duplicated(keep=False))[0]])
        t.fail(dup, column, Message("duplicate_interval", line=t.lines[first]))
    report_step = _report_interval(starts[good], queue[good], minute[good])
    if report_step is not None and report_step > interval_minutes:
        t.fail(
            np.ones(n, bool),
            column,
            Message("report_coarser", report=report_step, interval=interval_minutes),
        )
    if report_step is not None and interval_minutes % report_step:
        t.fail(
            np.ones(n, bool),
            column,
            Message("report_not_dividing", report=report_step, interval=interval_minutes),
        )
    step = report_step or interval_minutes
    off = minute % step != 0
    if off.any():
        t.problem(off, column, Message("off_grid", step=step))

    df = pd.DataFrame({"interval_start": pd.to_datetime(starts), "queue": queue})
    df["calls"] = sum(_parse_count(t, c) for c in mapping.offered)
    if mapping.answered:
        df["answered"] = _parse_count(t, mapping.answered)
    if mapping.abandoned:
        df["abandoned"] = _parse_count(t, mapping.abandoned)
    if mapping.answered_within_target:
        df["answered_within_target"] = _parse_count(t, mapping.answered_within_target)
    elif mapping.service_level_percent:
        pct = _parse_duration(
            t, mapping.service_level_percent, "seconds", empty_is_zero=True, bounded=False
        )
        if (pct > 100).any():
            t.problem(pct > 100, mapping.service_level_percent, Message("percent_over_100"))
        df["answered_within_target"] = np.round(pct / 100 * df["answered"]).astype(np.int64)
    if "answered_within_target" in df and "answered" in df:
        bad = (df["answered_within_target"] > df["answered"]).to_numpy()
        if bad.any():
            t.problem(
                bad,
                mapping.answered_within_target or mapping.service_level_percent,
                Message("within_target_over_answered"),
            )
    for key in ("answered", "abandoned"):
        if key in df:
            more = (df[key] > df["calls"]).to_numpy()
            if more.any():
                t.problem(
                    more,
                    getattr(mapping, key),
                    Message("more_than_offered", what=key, offered=" + ".join(mapping.offered)),
                )
    with np.errstate(invalid="ignore", divide="ignore"):
        if mapping.aht:
            df["aht_seconds"] = _sum_durations(t, mapping.aht, mapping.duration_unit)
        elif mapping.handle_total:
            total = _sum_durations(t, mapping.handle_total, mapping.duration_unit, bounded=False)
            df["aht_seconds"] = np.where(df["answered"] > 0, total / df["answered"], np.nan)
        if mapping.asa:
            df["asa_seconds"] = _parse_duration(t, mapping.asa, mapping.duration_unit)
        elif mapping.wait_total:
            total = _parse_duration(t, mapping.wait_total, mapping.duration_unit, bounded=False)
            df["asa_seconds"] = np.where(df["answered"] > 0, total / df["answered"], np.nan)
    for col in ("aht_seconds", "asa_seconds"):
        if col in df and "answered" in df:
            df.loc[df["answered"] == 0, col] = np.nan
    t.check()
    combined = combine_intervals(df, interval_minutes=interval_minutes)
    out = complete_days(combined, interval_minutes=interval_minutes)
    #: The time span the report covers (the pipeline tells zero-filled from reported rows).
    out.attrs["spans"] = [(starts.min(), starts.max())]
    return out


def _report_interval(starts, queue, minute) -> int | None:
    """The report's own interval: the most common step between a queue's rows within a day."""
    day = starts.astype("datetime64[D]").astype(np.int64)
    order = np.lexsort((minute, day, queue.astype(str)))
    same = (queue[order][1:] == queue[order][:-1]) & (day[order][1:] == day[order][:-1])
    diffs = np.diff(minute[order])[same]
    diffs = diffs[diffs > 0]
    if len(diffs) == 0:
        return None
    values, counts = np.unique(diffs, return_counts=True)
    step = int(values[np.argmax(counts)])
    return step if MINUTES_PER_DAY % step == 0 else int(np.gcd.reduce(diffs))


def complete_days(df: pd.DataFrame, *, interval_minutes: int) -> pd.DataFrame:
    """Add zero-call rows for intervals missing from each (queue, day) present (naive times)."""
    per_day = MINUTES_PER_DAY // interval_minutes
    starts = df["interval_start"].to_numpy().astype("datetime64[m]")
    days = starts.astype("datetime64[D]")
    pairs = pd.DataFrame({"q": df["queue"].to_numpy(), "d": days}).drop_duplicates()
    offsets = (np.arange(per_day) * interval_minutes).astype("timedelta64[m]")
    grid_start = np.repeat(pairs["d"].to_numpy().astype("datetime64[m]"), per_day) + np.tile(
        offsets, len(pairs)
    )
    grid = pd.DataFrame(
        {
            "interval_start": pd.to_datetime(grid_start.astype("datetime64[s]")),
            "queue": np.repeat(pairs["q"].to_numpy(), per_day),
        }
    )
    out = grid.merge(df, on=["interval_start", "queue"], how="left")
    for col in ("calls", "answered", "abandoned", "answered_within_target"):
        if col in out:
            out[col] = out[col].fillna(0).astype(np.int64)
    out.attrs["filled_intervals"] = len(out) - len(df)
    return out.sort_values(["interval_start", "queue"], kind="stable").reset_index(drop=True)
