"""Errors raised for bad input files."""

from __future__ import annotations

import numpy as np

from ccops.engine.io.limits import MAX_REPORTED_PROBLEMS, shorten


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
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: str | None = None,
        value: object = None,
        problems: list[InputError] | None = None,
        total: int | None = None,
    ) -> None:
        self.reason = message
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

    def add(self, mask, column: str | None, message: str, values=None) -> None:
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
        more = f"; the first {len(items)} are listed" if self.total > len(items) else ""
        raise InputError(
            f"{self.total:,} bad values{more}",
            path=self.path,
            problems=items,
            total=self.total,
        )
