"""Errors raised for bad input files."""

from __future__ import annotations


class InputError(ValueError):
    """A problem in an input file, located as precisely as possible.

    The message names the file, and where known the line (1-based, counting the
    header as line 1), the column and the offending value, so that a user can
    open the file and fix it.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: str | None = None,
        value: object = None,
    ) -> None:
        self.reason = message
        self.path = path
        self.line = line
        self.column = column
        self.value = value
        where = []
        if path is not None:
            where.append(str(path))
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column {column!r}")
        if value is not None:
            where.append(f"value {value!r}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)
