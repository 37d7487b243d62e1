"""The one import pipeline: files in, checked interval history (and call records) out.

``ccops import`` (the command line) and the web import (``ccops.wfm.services.imports``)
both call :func:`read_import`, so they read, check, map and add up files the same way
and cannot drift apart. Each file is a path or a binary stream with a display name
(:func:`~ccops.engine.io.source.open_source`: size limits, decompression bounded,
errors naming the file as the user knows it). What the callers do with the result
differs only in where it goes: a history CSV for the command line, the database for
the web.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ccops.engine.io.calls import (
    ABANDONED,
    ANSWERED,
    IGNORED,
    IVR_ONLY,
    CallRecords,
    read_anonymous_bank,
)
from ccops.engine.io.errors import InputError, Message
from ccops.engine.io.history import aggregate_calls, check_interval_minutes, combine_intervals
from ccops.engine.io.limits import MAX_FIELD_CHARS, MAX_REPORTED_PROBLEMS, shorten
from ccops.engine.io.mapping import ColumnMapping
from ccops.engine.io.source import Source, open_source
from ccops.engine.io.tabular import complete_days, read_calls, read_interval_report

#: The code of the error when no call of the files is left to import.
NOTHING_TO_IMPORT = "nothing_to_import"


class QueueMapError(InputError):
    """A queue mapping entry that is not ``SOURCE=DEST``; ``part`` is the entry."""

    def __init__(self, part: str):
        self.part = part
        super().__init__(Message("queue_map_entry", entry=shorten(part)), column="queue map")


def parse_queue_map(text: str | Iterable[str] | None) -> dict[str, str]:
    """The queue mapping ``"A=retail\\nB=cards"`` or ``"A=retail,B=cards"`` (or a list of such
    texts, e.g. repeated ``--queue-map`` flags) as ``{"A": "retail", "B": "cards"}``.
    Several sources may share a destination (their calls are added up).

    Raises
    ------
    QueueMapError
        An entry without ``=``, with an empty side, or longer than the field limit.
    """
    if text is None:
        return {}
    items = [text] if isinstance(text, str) else list(text)
    out: dict[str, str] = {}
    for item in items:
        for part in str(item).replace(",", "\n").splitlines():
            if not part.strip():
                continue
            src, sep, dest = part.partition("=")
            src, dest = src.strip(), dest.strip()
            if not sep or not src or not dest or max(len(src), len(dest)) > MAX_FIELD_CHARS:
                raise QueueMapError(part.strip())
            out[src] = dest
    return out


@dataclass(frozen=True)
class ImportOptions:
    """How to turn the files into history (the same for the command line and the web)."""

    interval_minutes: int
    target_seconds: float = 20.0
    #: Queue names of the files -> queue names of the history (several may share one).
    queue_map: Mapping[str, str] = field(default_factory=dict)
    #: Keep only these queues (after the mapping); ``None``: all.
    queues: frozenset[str] | None = None
    #: Add all queues up into one series of this name.
    all_queues_as: str | None = None
    #: The site's time zone, for layouts whose clock is UTC or another zone (e.g. the
    #: Genesys Cloud preset) when the mapping does not name one itself.
    timezone: str | None = None


@dataclass
class ImportResult:
    """What :func:`read_import` read.

    ``history`` is interval history (naive site-local ``interval_start``, every day that
    has data written complete, see :mod:`ccops.engine.io.history`); ``covered`` says for
    each of its rows whether the interval lies within the time span of a file (from its
    first to its last row): the other rows of a day are zero-filled only because the
    files do not reach them (a partial day). ``records`` are the per-call records of a
    per-call import (queue names mapped), ``None`` for interval reports. ``report``
    holds the counts to show; ``notes`` what was noticed (a file given twice)."""

    history: pd.DataFrame
    covered: np.ndarray
    records: CallRecords | None
    report: dict
    notes: list[str]


def _unique_sources(files: Sequence) -> tuple[list[Source], list[str]]:
    seen: dict[str, Source] = {}
    notes = []
    for item in files:
        source = open_source(*item) if isinstance(item, tuple) else open_source(item)
        digest = hashlib.sha256(source.data).hexdigest()
        if digest in seen:
            notes.append(Message("same_content", file=source.name, other=seen[digest].name))
            continue
        seen[digest] = source
    return list(seen.values()), notes


def _mapped(mapping: ColumnMapping | None, options: ImportOptions) -> ColumnMapping | None:
    if mapping is not None and options.timezone and not mapping.timezone:
        return mapping.with_options(timezone=options.timezone)
    return mapping


def _floor(values: np.ndarray, minutes: int) -> np.ndarray:
    step = np.timedelta64(minutes, "m")
    m = values.astype("datetime64[m]")
    day = m.astype("datetime64[D]").astype("datetime64[m]")
    return (day + ((m - day) // step) * step).astype("datetime64[s]")


def read_import(
    files: Sequence, mapping: ColumnMapping | None, options: ImportOptions
) -> ImportResult:
    """Read, check and add up ``files`` into interval history.

    Parameters
    ----------
    files : sequence
        Each a path, a binary stream, a :class:`~ccops.engine.io.source.Source` or a
        ``(stream_or_path, display_name)`` pair. A file given twice (same content) is
        read once.
    mapping : ColumnMapping or None
        How to read the files; ``None`` reads the Anonymous Bank layout.
    options : ImportOptions

    Raises
    ------
    InputError
        A file too large, unreadable or with bad values (the first
        :data:`~ccops.engine.io.limits.MAX_REPORTED_PROBLEMS` listed, by line), or nothing
        to import.
    """
    interval = check_interval_minutes(options.interval_minutes)
    if options.all_queues_as is not None and not str(options.all_queues_as).strip():
        raise ValueError("all_queues_as needs a queue name")
    sources, notes = _unique_sources(files)
    mapping = _mapped(mapping, options)
    report: dict = {"files": len(sources)}
    kind = "calls" if mapping is None else mapping.kind
    if kind == "calls":
        history, records, spans = _calls(sources, mapping, options, report)
    else:
        history, spans = _intervals(sources, mapping, options, report)
        records = None
    if len(history) == 0:
        raise InputError(Message(NOTHING_TO_IMPORT))
    starts = history["interval_start"].to_numpy().astype("datetime64[s]")
    covered = np.zeros(len(history), dtype=bool)
    for lo, hi in spans:
        covered |= (starts >= _floor(np.array([lo]), interval)[0]) & (starts <= hi)
    report["intervals outside the files' time span"] = int((~covered).sum())
    return ImportResult(
        history=history, covered=covered, records=records, report=report, notes=notes
    )


def _span(values: np.ndarray) -> list[tuple]:
    known = values[~np.isnat(values)]
    return [(known.min(), known.max())] if len(known) else []


def _calls(sources, mapping, options: ImportOptions, report: dict):
    if mapping is None:
        parts = [read_anonymous_bank([s]) for s in sources]
    else:
        parts = [read_calls(s, mapping) for s in sources]
    spans = [sp for p in parts for sp in _span(p.arrival.astype("datetime64[s]"))]
    records = CallRecords.concat(parts)
    report["rows read"] = len(records)
    queue_map = options.queue_map
    queue = np.array([queue_map.get(q, q) for q in records.queue.astype(str)], dtype=object)
    records = CallRecords(**{**records.__dict__, "queue": queue})
    counts = np.bincount(records.outcome, minlength=4)
    report["skipped: left in the IVR before queueing"] = int(counts[IVR_ONLY])
    report["skipped: ignored records (e.g. PHANTOM, unlisted outcome)"] = int(counts[IGNORED])
    if options.queues is not None:
        offered = np.isin(records.outcome, [ANSWERED, ABANDONED])
        out = offered & ~np.isin(queue, list(options.queues))
        report["skipped: queue not in --queues"] = int(out.sum())
        records = records.select(~out)
    report["calls imported (answered + abandoned)"] = int(
        np.isin(records.outcome, [ANSWERED, ABANDONED]).sum()
    )
    history = aggregate_calls(
        records,
        interval_minutes=options.interval_minutes,
        target_seconds=options.target_seconds,
        by_queue=options.all_queues_as is None,
        queue_name=options.all_queues_as,
    )
    if mapping is not None:
        if not mapping.handle:
            history = history.drop(columns=["aht_seconds"])
        if not mapping.wait:
            history = history.drop(columns=["answered_within_target", "asa_seconds"])
    return history, records, spans


def _intervals(sources, mapping, options: ImportOptions, report: dict):
    parts = []
    origin: dict = {}
    spans = []
    for s in sources:
        part = read_interval_report(s, mapping, interval_minutes=options.interval_minutes)
        clash = []
        for key in zip(part["interval_start"], part["queue"], strict=True):
            if key in origin:
                clash.append(key)
            else:
                origin[key] = s.name
        if clash:
            key = clash[0]
            raise InputError(
                Message(
                    "intervals_in_two_files",
                    count=f"{len(clash):,}",
                    other=origin[key],
                    start=key[0],
                    queue=shorten(key[1]),
                ),
                path=s.name,
                column=mapping.datetime or mapping.date,
            )
        spans.extend(part.attrs.get("spans", []))
        report["intervals read"] = report.get("intervals read", 0) + len(part)
        report["empty intervals filled with 0 calls"] = report.get(
            "empty intervals filled with 0 calls", 0
        ) + part.attrs.get("filled_intervals", 0)
        parts.append(part)
    df = pd.concat(parts, ignore_index=True)
    df["queue"] = [options.queue_map.get(q, q) for q in df["queue"].astype(str)]
    if options.queues is not None:
        out = ~df["queue"].isin(list(options.queues))
        report["skipped: intervals of queues not in --queues"] = int(out.sum())
        df = df[~out]
    if options.all_queues_as:
        df = df.assign(queue=options.all_queues_as)
    df = combine_intervals(df, interval_minutes=options.interval_minutes)
    df = complete_days(df, interval_minutes=options.interval_minutes)
    report["calls imported"] = int(df["calls"].sum())
    return df, spans


def unknown_names(names: Iterable[str], known: Iterable[str]) -> tuple[list[str], int]:
    """The names not in ``known``, each quoted shortened, at most
    :data:`~ccops.engine.io.limits.MAX_REPORTED_PROBLEMS`, and how many there are."""
    known = set(known)
    missing = sorted({n for n in names if n not in known})
    return [shorten(n) for n in missing[:MAX_REPORTED_PROBLEMS]], len(missing)
