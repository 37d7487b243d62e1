"""Helpers every export (Excel, CSV) uses.

A spreadsheet treats a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula: an employee named ``=HYPERLINK(...)`` would run in the
planner's Excel. :func:`safe_cell` prefixes such text with an apostrophe (OWASP's advice
for CSV injection); numbers, dates and booleans pass unchanged.
"""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` made safe to write into a spreadsheet cell or a CSV field."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_row(values) -> list:
    """:func:`safe_cell` of each value of a row."""
    return [safe_cell(v) for v in values]
