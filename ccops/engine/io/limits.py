"""Limits on imported files, shared by the command line and the web (no Django here).

A file is refused early, with a plain message, when it is larger than
:data:`MAX_FILE_BYTES` as uploaded or :data:`MAX_DECOMPRESSED_BYTES` once
decompressed (decompression stops at the limit, so a "gzip bomb" never fills the
memory), when it has more than :data:`MAX_ROWS` rows (an Excel sheet more than
:data:`MAX_EXCEL_CELLS` cells), when a line is longer than :data:`MAX_LINE_BYTES`, or a
value longer than :data:`MAX_FIELD_CHARS`. Errors quote values with :func:`shorten` and list at most
:data:`MAX_REPORTED_PROBLEMS` bad values with the count of all of them. The
plausibility bounds (years, counts, durations) catch values that are readable but
cannot be right.
"""

from __future__ import annotations

#: Largest file accepted as given (compressed or not).
MAX_FILE_BYTES = 100 * 1024 * 1024
#: Largest content accepted after decompression (a .csv.gz, .csv.bz2 ...).
MAX_DECOMPRESSED_BYTES = 400 * 1024 * 1024
#: Longest line of a CSV file.
MAX_LINE_BYTES = 64 * 1024
#: Most data rows of one file (CSV or a sheet); a month of a large center is about 2 million
#: calls. Counted before a CSV is parsed and while a sheet is streamed.
MAX_ROWS = 2_000_000
#: Most cells of an Excel sheet (rows x columns, as the sheet declares its size), refused
#: before the sheet is read.
MAX_EXCEL_CELLS = 20_000_000
#: Longest value of a column that is read (queue names, agents, call references).
MAX_FIELD_CHARS = 255
#: How long a quoted value may be in an error message.
MAX_QUOTED = 60
#: How many bad values an error lists before it only counts the rest.
MAX_REPORTED_PROBLEMS = 20
#: Dates outside these years are refused (a mistyped year, a clock reset to 1900).
MIN_YEAR = 1980
MAX_YEAR = 2100
#: Calls of one queue in one interval row, at most.
MAX_CALLS_PER_INTERVAL = 100_000
#: A wait, handle time, AHT or ASA longer than a day is refused.
MAX_DURATION_SECONDS = 24 * 3600.0


def shorten(value, limit: int = MAX_QUOTED) -> str:
    """``repr``-like quote of ``value`` cut to ``limit`` characters with an ellipsis and the
    full length, for error messages: ``'aaaa…' (300,000 characters)``."""
    text = value if isinstance(value, str) else str(value)
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}… ({len(text):,} characters)"


def megabytes(n: int) -> str:
    """``104857600`` -> ``"100 MB"`` (``"1 KB"`` and up below a megabyte)."""
    if n < 1024 * 1024:
        return f"{max(1, round(n / 1024)):,} KB"
    return f"{n / (1024 * 1024):,.0f} MB"
