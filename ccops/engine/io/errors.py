"""Errors raised for bad input files, and their messages as data.

The engine's messages are data (``docs/texts-and-times.md``): every message an import or a
shift-template file can get is a :class:`Message`, a ``str`` of its English wording (what
the command line prints) that carries a ``code`` (a key of :data:`MESSAGES`) and its
``params`` (strings). An :class:`InputError` keeps the message's code and values besides
its place (file, line, column, value), and :meth:`InputError.data` gives all of it as a
plain dict, so that the web layer stores it and words it in the reader's language
(``ccops.core.engine_messages``).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from ccops.engine.io.limits import MAX_REPORTED_PROBLEMS, shorten

#: The messages of the readers, the import pipeline and the shift-template loader by code:
#: the English wording with ``{name}`` placeholders for the values.
MESSAGES = {
    # files (ccops.engine.io.source, .tabular)
    "file_not_found": "file not found",
    "file_too_large": "the file is larger than {size}",
    "decompresses_too_large": (
        "the file decompresses to more than {size} ({format}); split it into smaller files"
    ),
    "zip_too_large": "the file decompresses to more than {size}; split it into smaller files",
    "cannot_decompress": "cannot decompress the file ({format}): {error}",
    "line_too_long": (
        "the line is longer than {limit} bytes: not an export of call records or "
        "intervals (or one value is far too long)"
    ),
    "old_xls": "old .xls workbooks are not supported; save as .xlsx or CSV",
    "zip_members": "a .zip must hold exactly one CSV file (this one holds {count} files)",
    "not_xlsx": "not an Excel workbook (.xlsx): the content is not a zip",
    "cannot_read": "cannot read the file: {error}",
    "column_not_found": (
        "column not found in the header (mapping {mapping}); the header has: {header}"
    ),
    "no_data_rows": "the file has no data rows",
    "csv_expected": "expected a CSV file, not an Excel workbook",
    "not_text_in_encoding": "the file is not {encoding} text (byte {byte}); save it as CSV UTF-8",
    "cannot_read_csv": "cannot read the file as CSV: {error}",
    "column_name_too_long": "a column name is longer than {limit} characters",
    "too_many_rows": "the file has more than {limit} rows ({rows}); split it into smaller "
    "files (e.g. one a month)",
    "no_sheet_number": "the workbook has {count} sheet(s), no sheet number {sheet}",
    "no_such_sheet": "no such sheet; the workbook has: {sheets}",
    "sheet_too_large": "the sheet has {rows} rows x {columns} columns, more than {limit} "
    "cells; export only the columns needed, or split it",
    "sheet_empty": "the sheet is empty",
    "sheet_too_many_cells": "the sheet has more than {limit} cells (row {row}); export only "
    "the columns needed, or split it",
    "value_too_long": "value longer than {limit} characters",
    "unknown_preset": "unknown preset; choose one of {presets}",
    # values (ccops.engine.io.tabular)
    "bad_time_of_day": "expected a time of day such as 08:30, 08:30:00 or 8:30 AM",
    "empty_datetime": "empty date/time",
    "empty_time": "empty time",
    "mixed_zones": "mixed time zones: some times carry a UTC offset and others do not",
    "bad_datetime": "cannot read this date/time (ISO 8601 expected)",
    "bad_datetime_format": "cannot read this date/time in the format {format}",
    "zone_needed": (
        "the times carry UTC offsets or are in another zone: give the site's time "
        "zone (timezone / --timezone) to convert them to local time"
    ),
    "date_has_time": "expected a date without a time of day",
    "time_not_valid_in_zone": "time not valid in {zone}: {error}",
    "implausible_year": "the year is not between {min} and {max}",
    "bad_duration": "expected a duration ({what})",
    "negative_duration": "negative duration",
    "duration_over_a_day": "a duration of more than a day",
    "bad_count": "expected a whole number of calls",
    "negative_count": "negative count",
    "count_too_large": "more than {limit} calls in one row",
    "unknown_outcome": (
        "outcome value not listed in the mapping's outcomes (list it, or set "
        "outcomes.other: ignore)"
    ),
    "empty_queue_offered": "empty queue on an offered call",
    "bad_priority": "priority must be 0 to 127",
    "off_minute": "interval start is not on a whole minute",
    "empty_queue": "empty queue name",
    "duplicate_interval": "duplicate interval for this queue (also on line {line})",
    "report_coarser": (
        "the report has {report}-minute intervals but the history uses {interval}: "
        "import into a history of {report} minutes or more"
    ),
    "report_not_dividing": "{report}-minute report intervals do not add up to {interval} minutes",
    "off_grid": "interval start is not on the {step}-minute grid",
    "percent_over_100": "a percentage above 100",
    "within_target_over_answered": "more calls answered within target than answered",
    "more_than_offered": "more calls {what} than offered ({offered})",
    "bad_values": "{total} bad values",
    "bad_values_listed": "{total} bad values; the first {listed} are listed",
    # the Anonymous Bank reader (ccops.engine.io.calls)
    "not_anonymous_bank": "not the Anonymous Bank layout: expected the header {header}",
    "bad_whole_number": "expected a non-negative whole number",
    "bad_yymmdd": "expected a date YYMMDD",
    "bad_ab_outcome": "expected AGENT, HANG or PHANTOM",
    "bad_clock": "expected a clock time H:MM:SS (0:00:00 to 23:59:59)",
    # the import pipeline (ccops.engine.io.pipeline)
    "nothing_to_import": (
        "no call in the files was offered to an agent (all hung up in the IVR, were ignored "
        "or filtered out): nothing to import"
    ),
    "queue_map_entry": "expected SOURCE=DEST, got {entry}",
    "intervals_in_two_files": (
        "{count} intervals are also in {other}, e.g. {start} of queue {queue}"
    ),
    "same_content": "{file}: same content as {other}, read once",
    # shift templates (ccops.engine.schedule.templates)
    "tpl_top": "expected a mapping with 'sets' or 'templates' at the top",
    "tpl_top_key": "expected 'sets' or 'templates' at the top",
    "tpl_top_field": "unknown top-level field {field}",
    "tpl_sets_and_templates": "give either 'sets' or 'templates', not both",
    "tpl_sets_mapping": "'sets' must map period types to lists of templates",
    "tpl_set_empty": "set {set}: expected a non-empty list of templates",
    "tpl_name_twice": "set {set}: template name {template} is used twice",
    "tpl_not_valid": "not valid {format}: {error}",
    "tpl_off_grid": (
        "template {template} (set {set}): {field} = {minutes} minutes is not a multiple of "
        "the {interval}-minute interval of the need"
    ),
    "tpl_bad_time": "{where}: expected a time HH:MM",
    "tpl_time_of_day": "{where}: a start time must lie in 00:00-23:59",
    "tpl_bad_minutes": "{where}: expected a whole number of minutes",
    "tpl_positive_minutes": "{where}: must be a positive number of minutes",
    "tpl_bad_weekdays": "{where}: expected a list of weekdays such as [mon, tue]",
    "tpl_unknown_weekday": "{where}: unknown weekday (use mon..sun, weekdays, weekend)",
    "tpl_break_mapping": "{where}: a break must be a mapping",
    "tpl_template_mapping": "{where}: a template must be a mapping",
    "tpl_unknown_field": "{where}: unknown field {field}",
    "tpl_missing_field": "{where}: missing field {field}",
    "tpl_break_order": "{where}: is before earliest_after_start_minutes ({earliest})",
    "tpl_break_past_end": (
        "{where}: a break starting then would end after the shift ({length} minutes)"
    ),
    "tpl_bool": "{where}: expected true or false",
    "tpl_start_order": (
        "{where}: is before start_earliest (a start window cannot wrap past midnight; "
        "the shift itself may)"
    ),
    "tpl_too_long": "{where}: a shift may last at most 16 hours",
    "tpl_breaks_list": "{where}: expected a list of breaks",
    "tpl_breaks_overlap": (
        "{where}: the window overlaps the one of {other}: list breaks in order, each window "
        "starting after the previous break can end ({minutes} minutes)"
    ),
    "tpl_skills_list": "{where}: expected a list of skills",
}


class CodedText(str):
    """A text of the engine for people: reads as its English wording (``texts[code]``
    filled with the values), carries ``code`` and ``params`` (the values as strings) so
    that the web layer can word it in the reader's language."""

    texts: ClassVar[dict[str, str]] = {}
    code: str
    params: dict

    def __new__(cls, code: str, **params):
        values = {k: str(v) for k, v in params.items()}
        text = super().__new__(cls, cls.texts[code].format(**values))
        text.code = code
        text.params = values
        return text

    def __reduce__(self):
        return (_rebuild, (type(self), self.code, self.params))


def _rebuild(cls, code: str, params: dict) -> CodedText:
    return cls(code, **params)


class Message(CodedText):
    """An input message (:data:`MESSAGES`)."""

    texts = MESSAGES


class InputError(ValueError):
    """A problem in an input file, located as precisely as possible.

    The message names the file, and where known the line (1-based, counting the
    header as line 1), the column and the offending value (quoted shortened, see
    :func:`ccops.engine.io.limits.shorten`), so that a user can open the file and fix it.

    An error about several bad values (:meth:`Problems.raise_if_any`) has the first
    :data:`~ccops.engine.io.limits.MAX_REPORTED_PROBLEMS` of them in ``problems`` (each an
    ``InputError``) and the count of all of them in ``total``; its message lists them one
    a line.
    """

    def __init__(
        self,
        message: str | Message,
        *,
        path: str | None = None,
        line: int | None = None,
        column: str | None = None,
        value: object = None,
        problems: list[InputError] | None = None,
        total: int | None = None,
    ) -> None:
        self.reason = message
        #: The message's code and values (``""`` and ``{}`` for a plain text).
        self.code = getattr(message, "code", "")
        self.params = dict(getattr(message, "params", {}))
        self.path = path
        self.line = line
        self.column = column
        self.value = value
        self.problems = list(problems or [])
        self.total = total if total is not None else len(self.problems)
        super().__init__(self._text())

    def location(self, *, with_path: bool = True) -> str:
        where = []
        if self.path is not None and with_path:
            where.append(str(self.path))
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {shorten(self.column)}")
        if self.value is not None:
            where.append(f"value {shorten(self.value)}")
        return ", ".join(where)

    def _text(self) -> str:
        prefix = self.location()
        head = f"{prefix}: {self.reason}" if prefix else self.reason
        if not self.problems:
            return head
        lines = [head]
        for p in self.problems:
            lines.append(f"  {p.location(with_path=False)}: {p.reason}")
        if self.total > len(self.problems):
            lines.append(f"  … and {self.total - len(self.problems):,} more")
        return "\n".join(lines)

    def data(self) -> dict:
        """The error as plain data to store and translate: ``code``, ``params``, the
        English ``text`` of the message, and ``path``, ``line``, ``column`` and ``value``
        (quoted shortened) where known; an error listing bad values has them under
        ``problems`` (each such a dict) with their count ``total``."""
        out = {"code": self.code, "params": dict(self.params), "text": str(self.reason)}
        if self.path is not None:
            out["path"] = str(self.path)
        if self.line is not None:
            out["line"] = int(self.line)
        if self.column is not None:
            out["column"] = shorten(self.column)
        if self.value is not None:
            out["value"] = shorten(self.value)
        if self.problems:
            out["problems"] = [p.data() for p in self.problems]
            out["total"] = int(self.total)
        return out

    def problem_texts(self) -> list[str]:
        """One line per listed bad value (or this error itself when it lists none)."""
        if not self.problems:
            return [str(self)]
        return [f"{p.location(with_path=False)}: {p.reason}" for p in self.problems]


class Problems:
    """Bad values of one file, collected over every check so that one error lists the
    first :data:`~ccops.engine.io.limits.MAX_REPORTED_PROBLEMS` of them (by line) and
    counts all. A row with a problem is not checked again (``bad``), so one wrong cell
    is reported once, not by every later rule it also breaks."""

    def __init__(self, path: str, lines: np.ndarray):
        self.path = path
        self.lines = np.asarray(lines)
        self.bad = np.zeros(len(self.lines), dtype=bool)
        self.items: list[InputError] = []
        self.total = 0

    def add(self, mask, column: str | None, message: str | Message, values=None) -> None:
        """Record ``message`` for the rows where ``mask`` is true and no problem is known.
        ``values`` (indexable by row) gives the quoted value."""
        mask = np.asarray(mask, dtype=bool) & ~self.bad
        if not mask.any():
            return
        rows = np.flatnonzero(mask)
        self.total += len(rows)
        self.bad |= mask
        for row in rows[:MAX_REPORTED_PROBLEMS]:
            value = None
            if values is not None:
                value = values.iloc[row] if hasattr(values, "iloc") else values[row]
            self.items.append(
                InputError(
                    message,
                    path=self.path,
                    line=int(self.lines[row]),
                    column=column,
                    value=value,
                )
            )

    def raise_if_any(self) -> None:
        if not self.total:
            return
        items = sorted(self.items, key=lambda e: e.line or 0)[:MAX_REPORTED_PROBLEMS]
        if self.total == 1:
            first = items[0]
            raise InputError(
                first.reason,
                path=self.path,
                line=first.line,
                column=first.column,
                value=first.value,
            )
        if self.total > len(items):
            message = Message("bad_values_listed", total=f"{self.total:,}", listed=len(items))
        else:
            message = Message("bad_values", total=f"{self.total:,}")
        raise InputError(
            message,
            path=self.path,
            problems=items,
            total=self.total,
        )
