"""Per-call records: the :class:`CallRecords` arrays and the Anonymous Bank reader.

A call record says when a caller asked for an agent, on which queue, what
happened (answered, abandoned in the queue, hung up before the queue, or a
record to ignore), how long the caller waited and how long the agent spent on
the call. Every reader in :mod:`ccops.engine.io` returns :class:`CallRecords`,
and :func:`ccops.engine.io.history.aggregate_calls` turns them into interval
history.

Anonymous Bank rules
--------------------
:func:`read_anonymous_bank` reads the Technion "Anonymous Bank" layout
(17 comma-separated columns, ``.csv`` or ``.csv.gz``; see
``../shared/data/anonymous-bank-1999/README.md``) and applies the data
README's advice on its quirks:

* ``outcome`` ``PHANTOM`` → :data:`IGNORED` (virtual calls, not offered to agents);
  ``AGENT`` → :data:`ANSWERED`; ``HANG`` with ``q_start`` ``0:00:00`` (and no
  queue time) → :data:`IVR_ONLY` (hung up in the VRU, never waited for an
  agent); any other ``HANG`` → :data:`ABANDONED`.
* ``arrival`` = ``date`` + ``vru_exit``: the moment the caller left the VRU and
  asked for an agent. If ``vru_exit`` is more than 12 hours *earlier* than
  ``vru_entry`` the VRU stay ran past midnight and a day is added (``date`` is
  the day of ``vru_entry``). Smaller negative differences (291 rows, 6–348 s)
  are the clock skew between VRU and switch and are left as they are.
* ``wait_seconds`` = ``q_time`` (the stored duration already handles the
  midnight wrap); 0 for calls that never queued. Waits above
  ``max_wait_seconds`` (default 1 hour: 3 rows, up to 28,693 s) are artefacts
  and become NaN (unknown).
* ``handle_seconds`` = ``ser_time`` for answered calls. It is NaN (unknown) when
  the agent is ``NO_SERVER`` (4,119 suspect, very short "AGENT" rows), when
  ``ser_time`` is 0, or above ``max_handle_seconds`` (default 2 hours: 15 rows,
  up to 61,437 s). Pass ``keep_suspect_handle=True`` to keep the first two kinds.
* ``service_start`` = ``arrival + wait_seconds`` for answered calls. The clock
  ``ser_start`` column is not used: it is often 1–2 s before ``vru_exit``
  (clock skew) and ``0:00:00`` on rows without a recorded start.
* ``agent`` = ``server`` (``""`` for ``NO_SERVER``), ``queue`` = ``type``,
  ``priority`` = ``priority``, ``call_id`` = ``date-vru+line-call_id`` (the
  triple is unique; ``call_id`` alone repeats).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import pandas as pd

from ccops.engine.io.errors import InputError, Message, Problems
from ccops.engine.io.limits import MAX_FIELD_CHARS, shorten
from ccops.engine.io.source import Source, open_source

ANSWERED, ABANDONED, IVR_ONLY, IGNORED = 0, 1, 2, 3
OUTCOME_NAMES = {
    ANSWERED: "answered",
    ABANDONED: "abandoned",
    IVR_ONLY: "ivr_only",
    IGNORED: "ignored",
}


@dataclass(frozen=True)
class CallRecords:
    """One element per call; all arrays have the same length.

    Attributes
    ----------
    arrival : numpy.ndarray of datetime64[s]
        When the call asked for an agent (left the IVR): naive local wall-clock
        time of the site.
    queue : numpy.ndarray of object (str)
        Service line / queue name.
    outcome : numpy.ndarray of int8
        :data:`ANSWERED`, :data:`ABANDONED`, :data:`IVR_ONLY` or :data:`IGNORED`.
    wait_seconds : numpy.ndarray of float64
        Time in the agent queue (0 if answered at once or never queued; NaN if unknown).
    handle_seconds : numpy.ndarray of float64
        Talk/handle time; NaN unless ANSWERED, and NaN for answered calls whose
        handle time is unknown or suspect.
    service_start : numpy.ndarray of datetime64[s]
        NaT unless ANSWERED.
    agent : numpy.ndarray of object (str)
        Agent id or name, ``""`` if none.
    priority : numpy.ndarray of int8
        0 if unknown.
    call_id : numpy.ndarray of object (str), optional
        The ACD's reference of the call, ``""`` if the export has none.
    hold_seconds, acw_seconds : numpy.ndarray of float64, optional
        Hold and after-call work (parts of ``handle_seconds``); NaN if not recorded.
    transferred : numpy.ndarray of bool, optional
        The agent transferred the call (False if not recorded).

    The optional arrays default to "not recorded" values, so readers and callers that
    know nothing of them build records as before.
    """

    arrival: np.ndarray
    queue: np.ndarray
    outcome: np.ndarray
    wait_seconds: np.ndarray
    handle_seconds: np.ndarray
    service_start: np.ndarray
    agent: np.ndarray
    priority: np.ndarray
    call_id: np.ndarray | None = None
    hold_seconds: np.ndarray | None = None
    acw_seconds: np.ndarray | None = None
    transferred: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = len(self.arrival)
        defaults = {
            "call_id": lambda: np.full(n, "", dtype=object),
            "hold_seconds": lambda: np.full(n, np.nan),
            "acw_seconds": lambda: np.full(n, np.nan),
            "transferred": lambda: np.zeros(n, dtype=bool),
        }
        for name, make in defaults.items():
            if getattr(self, name) is None:
                object.__setattr__(self, name, make())
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, np.ndarray) or value.ndim != 1:
                raise ValueError(f"{f.name} must be a one-dimensional numpy array")
            if len(value) != n:
                raise ValueError(
                    f"{f.name} has {len(value)} elements but arrival has {n}: "
                    "all CallRecords arrays must have the same length"
                )

    def __len__(self) -> int:
        return len(self.arrival)

    def select(self, mask) -> CallRecords:
        """Return the records where ``mask`` (boolean array or index array) selects."""
        mask = np.asarray(mask)
        return CallRecords(**{f.name: getattr(self, f.name)[mask] for f in fields(self)})

    @classmethod
    def concat(cls, parts: Sequence[CallRecords]) -> CallRecords:
        """Concatenate several record sets, in order."""
        if not parts:
            return empty_records()
        return cls(
            **{f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(cls)}
        )

    def to_frame(self) -> pd.DataFrame:
        """The records as a DataFrame, one column per attribute."""
        return pd.DataFrame({f.name: getattr(self, f.name) for f in fields(self)})


def empty_records() -> CallRecords:
    """A :class:`CallRecords` with no calls."""
    return CallRecords(
        arrival=np.array([], dtype="datetime64[s]"),
        queue=np.array([], dtype=object),
        outcome=np.array([], dtype=np.int8),
        wait_seconds=np.array([], dtype=np.float64),
        handle_seconds=np.array([], dtype=np.float64),
        service_start=np.array([], dtype="datetime64[s]"),
        agent=np.array([], dtype=object),
        priority=np.array([], dtype=np.int8),
    )


ANONYMOUS_BANK_COLUMNS = (
    "vru+line",
    "call_id",
    "customer_id",
    "priority",
    "type",
    "date",
    "vru_entry",
    "vru_exit",
    "vru_time",
    "q_start",
    "q_exit",
    "q_time",
    "outcome",
    "ser_start",
    "ser_exit",
    "ser_time",
    "server",
)
_AB_INT_COLUMNS = ("priority", "q_time", "ser_time")
_AB_OUTCOMES = {"AGENT": ANSWERED, "HANG": ABANDONED, "PHANTOM": IGNORED}


def _clock_seconds(values: pd.Series, problems: Problems, column: str) -> np.ndarray:
    """Vectorised ``H:MM:SS`` → seconds after midnight; bad values go to ``problems``.

    Clock strings repeat a lot, so only the distinct values are parsed.
    """
    codes, uniques = pd.factorize(values, sort=False)
    text = pd.Series(uniques, dtype=object).str.strip().str.zfill(8)
    ok = (text.str.len() == 8).to_numpy().copy()
    raw = np.array(text.where(ok, "xx:xx:xx").tolist(), dtype="U8")
    b = raw.view(np.uint32).reshape(-1, 8).astype(np.int64) - ord("0")
    colon = ord(":") - ord("0")
    digits = b[:, [0, 1, 3, 4, 6, 7]]
    ok &= (b[:, 2] == colon) & (b[:, 5] == colon) & ((digits >= 0) & (digits <= 9)).all(axis=1)
    h, m, sec = b[:, 0] * 10 + b[:, 1], b[:, 3] * 10 + b[:, 4], b[:, 6] * 10 + b[:, 7]
    ok &= (h <= 23) & (m <= 59) & (sec <= 59)
    if not ok.all():
        problems.add(~ok[codes], column, Message("bad_clock"), values)
    return np.where(ok, h * 3600 + m * 60 + sec, 0)[codes]


def _read_anonymous_bank_file(
    path, *, max_wait_seconds: float, max_handle_seconds: float, keep_suspect_handle: bool
) -> CallRecords:
    source = open_source(path)
    name = source.name
    try:
        header = source.data[: source.data.find(b"\n") + 1 or None].decode("ascii")
        header = header.rstrip("\r\n").split(",")
        if [h.strip() for h in header] != list(ANONYMOUS_BANK_COLUMNS):
            raise InputError(
                Message("not_anonymous_bank", header=",".join(ANONYMOUS_BANK_COLUMNS)),
                path=name,
                line=1,
                value=",".join(header),
            )
        try:  # fast path: the C parser reads the whole-number columns itself
            df = pd.read_csv(
                source.stream(),
                dtype={
                    c: (np.int64 if c in _AB_INT_COLUMNS else str) for c in ANONYMOUS_BANK_COLUMNS
                },
                keep_default_na=False,
                na_filter=False,
                engine="c",
            )
        except ValueError:  # a bad number somewhere: re-read as text to say where
            df = pd.read_csv(source.stream(), dtype=str, keep_default_na=False, na_filter=False)
    except (OSError, UnicodeDecodeError, EOFError, pd.errors.ParserError) as exc:
        raise InputError(Message("cannot_read", error=shorten(exc, 300)), path=name) from exc
    df.columns = [c.strip() for c in df.columns]
    n = len(df)
    problems = Problems(name, np.arange(n) + 2)
    for col in ("type", "server", "vru+line", "call_id"):
        long = (df[col].str.len() > MAX_FIELD_CHARS).to_numpy()
        problems.add(long, col, Message("value_too_long", limit=MAX_FIELD_CHARS), df[col])

    ints = {}
    for col in _AB_INT_COLUMNS:
        if df[col].dtype == np.int64:
            num = df[col].to_numpy(dtype=np.float64)
            bad = num < 0
        else:
            num = pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=np.float64)
            bad = ~np.isfinite(num) | (num < 0) | (num != np.round(num))
        if bad.any():
            problems.add(bad, col, Message("bad_whole_number"), df[col].astype(str))
            num = np.where(bad, 0.0, num)
        ints[col] = num

    dcodes, duniques = pd.factorize(df["date"], sort=False)
    dparsed = pd.to_datetime(
        "19" + pd.Series(duniques, dtype=object), format="%Y%m%d", errors="coerce"
    )
    dates = pd.Series(dparsed.to_numpy()[dcodes])
    bad = dates.isna().to_numpy()
    if bad.any():
        problems.add(bad, "date", Message("bad_yymmdd"), df["date"])
    day = dates.to_numpy().astype("datetime64[s]")

    outcome_str = df["outcome"].str.strip()
    code = outcome_str.map(_AB_OUTCOMES)
    bad = code.isna().to_numpy()
    if bad.any():
        problems.add(bad, "outcome", Message("bad_ab_outcome"), df["outcome"])
    outcome = code.fillna(IGNORED).to_numpy(dtype=np.int8)

    entry = _clock_seconds(df["vru_entry"], problems, "vru_entry")
    leave = _clock_seconds(df["vru_exit"], problems, "vru_exit")
    q_start = _clock_seconds(df["q_start"], problems, "q_start")
    problems.raise_if_any()
    # A VRU stay that ran past midnight: vru_exit far "before" vru_entry.
    leave = leave + np.where(leave < entry - 43200, 86400, 0)
    arrival = day + leave.astype("timedelta64[s]")

    q_time = ints["q_time"]
    never_queued = (q_start == 0) & (q_time == 0)
    outcome[(outcome == ABANDONED) & never_queued] = IVR_ONLY

    wait = np.where(outcome == IVR_ONLY, 0.0, q_time)
    wait[wait > max_wait_seconds] = np.nan

    answered = outcome == ANSWERED
    server = df["server"].str.strip().to_numpy(dtype=object)
    no_server = server == "NO_SERVER"
    server[no_server] = ""
    handle = np.where(answered, ints["ser_time"], np.nan)
    handle[handle > max_handle_seconds] = np.nan
    if not keep_suspect_handle:
        handle[answered & (no_server | (ints["ser_time"] == 0))] = np.nan

    service_start = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    service_start[answered] = arrival[answered] + q_time[answered].astype("timedelta64[s]")

    # (date, vru+line, call_id) is unique over the data (call ids wrap and repeat).
    call_id = (
        df["date"].str.strip() + "-" + df["vru+line"].str.strip() + "-" + df["call_id"].str.strip()
    ).to_numpy(dtype=object)
    return CallRecords(
        arrival=arrival,
        queue=df["type"].str.strip().to_numpy(dtype=object),
        outcome=outcome,
        wait_seconds=wait,
        handle_seconds=handle,
        service_start=service_start,
        agent=server,
        priority=ints["priority"].astype(np.int8),
        call_id=call_id,
    )


def read_anonymous_bank(
    paths: Sequence[Path | str | Source] | Path | str | Source,
    *,
    max_wait_seconds: float = 3600.0,
    max_handle_seconds: float = 7200.0,
    keep_suspect_handle: bool = False,
) -> CallRecords:
    """Read Anonymous Bank call records (the Technion layout, ``.csv`` or ``.csv.gz``).

    Parameters
    ----------
    paths : sequence of path-like or :class:`~ccops.engine.io.source.Source` (or one)
        Monthly files, e.g. ``anonymous_bank_1999-01.csv.gz``; read in the order given.
    max_wait_seconds : float
        Queue times above this are artefacts and become NaN.
    max_handle_seconds : float
        Service times above this are artefacts and become NaN.
    keep_suspect_handle : bool
        Keep the service time of ``AGENT`` rows with ``NO_SERVER`` or ``ser_time`` 0
        (by default they become NaN, i.e. unknown).

    Returns
    -------
    CallRecords
        One element per row, in file order. See the module docstring for the rules.

    Raises
    ------
    InputError
        A missing file, a wrong header, or a bad value (naming file, line, column, value).
    """
    if isinstance(paths, str | Path | Source):
        paths = [paths]
    if max_wait_seconds <= 0:
        raise ValueError(f"max_wait_seconds must be positive, got {max_wait_seconds!r}")
    if max_handle_seconds <= 0:
        raise ValueError(f"max_handle_seconds must be positive, got {max_handle_seconds!r}")
    parts = [
        _read_anonymous_bank_file(
            p,
            max_wait_seconds=max_wait_seconds,
            max_handle_seconds=max_handle_seconds,
            keep_suspect_handle=keep_suspect_handle,
        )
        for p in paths
    ]
    return CallRecords.concat(parts)


def read_calls(path, mapping) -> CallRecords:
    """Read any per-call CSV/Excel export through a column mapping.

    See :func:`ccops.engine.io.tabular.read_calls` (this is the same function,
    re-exported here as the contract names it).
    """
    from ccops.engine.io.tabular import read_calls as _read_calls

    return _read_calls(path, mapping)
