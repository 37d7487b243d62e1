"""Special-day calendar: holidays, billing periods, campaigns, emergencies, outages.

The calendar CSV has one row per date and kind, header ``date,kind,name``::

    date,kind,name
    1999-04-01,holiday,Passover
    1999-07-01,billing_period,Quarter-end statements
    1999-03-08,outage,Switch failure

``date`` is ISO ``YYYY-MM-DD``; ``kind`` is one of :data:`KINDS`; ``name`` is
free text (may be empty). A date may carry several kinds (their effects
multiply); the same date and kind twice is an error.

How the forecast uses each kind:

- ``holiday``, ``billing_period``, ``campaign``, ``emergency``: the day is left
  out when the normal level and intraday shape are learned, and its effect (a
  multiplier on the day's volume, and its own intraday shape when there are
  enough past occurrences) is learned from the past days with the same kind and
  name, or the same kind when the name has not been seen;
- ``outage``: the day is left out of training; an outage in the future is
  forecast like a normal day (an outage is not planned);
- ``closed``: the forecast for the day is exactly zero; past closed days are
  left out of training.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ccops.engine.io import calendar as io_calendar

#: The kinds of special day (shared with the calendar CSV reader).
KINDS: tuple[str, ...] = io_calendar.CALENDAR_KINDS


@dataclass(frozen=True)
class SpecialDays:
    """Calendar entries as parallel arrays (one element per date and kind).

    Attributes
    ----------
    date : numpy.ndarray
        ``datetime64[D]``.
    kind : numpy.ndarray
        ``str`` (one of :data:`KINDS`).
    name : numpy.ndarray
        ``str``, may be empty.
    """

    date: np.ndarray
    kind: np.ndarray
    name: np.ndarray

    def __len__(self) -> int:
        return int(self.date.size)

    @classmethod
    def from_rows(cls, rows) -> SpecialDays:
        """Build from ``(date, kind, name)`` tuples, validating each one.

        Raises
        ------
        ValueError
            Unknown kind, bad date, or a repeated (date, kind).
        """
        dates, kinds, names = [], [], []
        seen = set()
        for i, row in enumerate(rows):
            date, kind, name = ((*tuple(row), ""))[:3]
            try:
                d = np.datetime64(str(date), "D")
            except ValueError:
                raise ValueError(f"calendar row {i}: bad date {date!r}") from None
            if np.isnat(d):
                raise ValueError(f"calendar row {i}: bad date {date!r}")
            if kind not in KINDS:
                raise ValueError(
                    f"calendar row {i}: kind {kind!r} is not one of {', '.join(KINDS)}"
                )
            if (d, kind) in seen:
                raise ValueError(f"calendar row {i}: {d} has kind {kind!r} twice")
            seen.add((d, kind))
            dates.append(d)
            kinds.append(kind)
            names.append(str(name or ""))
        return cls(
            np.array(dates, dtype="datetime64[D]"),
            np.array(kinds, dtype=str) if kinds else np.array([], dtype=str),
            np.array(names, dtype=str) if names else np.array([], dtype=str),
        )

    @classmethod
    def from_frame(cls, frame) -> SpecialDays:
        """Build from a DataFrame with columns ``date``, ``kind`` and optionally ``name``."""
        for col in ("date", "kind"):
            if col not in frame.columns:
                raise ValueError(f"calendar: missing column {col!r}")
        names = frame["name"] if "name" in frame.columns else [""] * len(frame)
        return cls.from_rows(
            (str(d)[:10], str(k), "" if n is None else str(n))
            for d, k, n in zip(frame["date"], frame["kind"], names, strict=True)
        )

    def on(self, days: np.ndarray, kinds=KINDS) -> np.ndarray:
        """Boolean mask: which of ``days`` carry any of ``kinds``."""
        sel = np.isin(self.kind, list(kinds))
        return np.isin(np.asarray(days, dtype="datetime64[D]"), self.date[sel])


EMPTY = SpecialDays(
    np.array([], dtype="datetime64[D]"), np.array([], dtype=str), np.array([], dtype=str)
)


def read_calendar_csv(path: str | Path) -> SpecialDays:
    """Read a special-day calendar CSV (``date,kind,name``) as :class:`SpecialDays`.

    The file is read and validated by :func:`ccops.engine.io.calendar.read_calendar_csv`
    (the format is in ``docs/formats.md``).

    Raises
    ------
    InputError
        Naming the file, line, column and value of the first problem.
    """
    return SpecialDays.from_frame(io_calendar.read_calendar_csv(path))
