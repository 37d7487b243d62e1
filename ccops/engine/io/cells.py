"""Small CSV files read within the limits of the imports: one helper for every reader.

The import pipeline (:mod:`ccops.engine.io.tabular`) and the readers of ccops' own files
(the interval history of ``ccops forecast --history``, calendars, workloads) and of the
quality app's uploads (ACD agent reports, satisfaction scores) all read a file through
:func:`read_csv_cells`, so every one of them has the limits of
:mod:`ccops.engine.io.limits`: the size as given and once decompressed (a gzip bomb stops
at the limit), the line length, the length of each value, and errors (an
:class:`~ccops.engine.io.errors.InputError`) naming the file, the line, the column and the
value quoted shortened, the first :data:`~ccops.engine.io.limits.MAX_REPORTED_PROBLEMS`
bad values listed and all of them counted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ccops.engine.io import limits
from ccops.engine.io.errors import InputError, Message, Problems
from ccops.engine.io.limits import shorten
from ccops.engine.io.source import open_source


@dataclass(frozen=True)
class CsvCells:
    """A CSV file as stripped text cells: ``frame`` (every column ``str``), the line of
    each row (``lines``: row ``i`` is line ``i + 2``, the header being line 1 and empty
    lines not counted, as the readers of ccops' own files always have) and the name errors
    give the file."""

    name: str
    frame: pd.DataFrame
    lines: np.ndarray

    @property
    def columns(self) -> list[str]:
        return list(self.frame.columns)

    def rows(self):
        """``(line, {column: value})`` per data row."""
        records = self.frame.to_dict("records")
        return zip((int(n) for n in self.lines), records, strict=True)


def add_long_values(problems: Problems, frame: pd.DataFrame, max_chars: int | None = None) -> None:
    """Record each value of ``frame`` longer than ``max_chars`` (default
    :data:`~ccops.engine.io.limits.MAX_FIELD_CHARS`) as a problem of its row and column."""
    max_chars = max_chars or limits.MAX_FIELD_CHARS
    for column in frame.columns:
        long = (frame[column].str.len() > max_chars).to_numpy()
        if long.any():
            message = Message("value_too_long", limit=max_chars)
            problems.add(long, column, message, frame[column])


def read_csv_cells(
    obj,
    name: str | None = None,
    *,
    max_bytes: int | None = None,
    max_decompressed: int | None = None,
    max_chars: int | None = None,
    columns=None,
    encoding: str = "utf-8-sig",
    skipinitialspace: bool = False,
    empty: str = "the file is empty (expected a header row)",
) -> CsvCells:
    """Read ``obj`` (a path, a binary stream, bytes or a
    :class:`~ccops.engine.io.source.Source`) as text cells, within the limits.

    ``max_bytes`` and ``max_decompressed`` default to those of the imports
    (:mod:`ccops.engine.io.limits`, read at each call); a value longer than ``max_chars``
    (default :data:`~ccops.engine.io.limits.MAX_FIELD_CHARS`) is a bad value. Column names
    and cells are stripped; empty lines are skipped. With ``columns`` only those columns
    (those of them the file has) are read and checked; the others are ignored.

    Raises
    ------
    InputError
        Naming the file ``name`` (default: the path as given): not found, too large as
        given or decompressed, a line too long, not text in ``encoding``, not CSV, no
        header, or values too long (the first 20 listed, by line).
    """
    source = open_source(obj, name, max_bytes=max_bytes, max_decompressed=max_decompressed)
    name = source.name
    if source.format != "csv":
        raise InputError(Message("csv_expected"), path=name)
    wanted = None if columns is None else {str(c) for c in columns}
    try:
        frame = pd.read_csv(
            source.stream(),
            usecols=None if wanted is None else (lambda c: str(c).strip() in wanted),
            dtype=str,
            encoding=encoding,
            keep_default_na=False,
            na_filter=False,
            skipinitialspace=skipinitialspace,
        )
    except pd.errors.EmptyDataError as exc:
        raise InputError(empty, path=name) from exc
    except UnicodeDecodeError as exc:
        raise InputError(
            Message(
                "not_text_in_encoding",
                encoding=encoding.removesuffix("-sig").upper(),
                byte=f"{exc.start:,}",
            ),
            path=name,
        ) from exc
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise InputError(Message("cannot_read_csv", error=shorten(exc, 300)), path=name) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    long_names = [c for c in frame.columns if len(c) > (max_chars or limits.MAX_FIELD_CHARS)]
    if long_names:
        raise InputError(
            Message("column_name_too_long", limit=max_chars or limits.MAX_FIELD_CHARS),
            path=name,
            line=1,
            value=long_names[0],
        )
    for column in frame.columns:
        frame[column] = frame[column].astype(str).str.strip()
    lines = np.arange(len(frame)) + 2
    problems = Problems(name, lines)
    add_long_values(problems, frame, max_chars)
    problems.raise_if_any()
    return CsvCells(name=name, frame=frame, lines=lines)
