"""CSV files of ``ccops schedule``: the need, the agents, the period calendar."""

from __future__ import annotations

import csv
import itertools
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

from ccops.engine.io.errors import InputError
from ccops.engine.schedule.rules import DAY, Agent
from ccops.engine.schedule.templates import _WEEKDAY_ALIASES

_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}


@dataclass(frozen=True)
class Need:
    """The need on the horizon's clock: interval 0 is 00:00 of ``first_day``."""

    first_day: datetime  # 00:00 of the first day, with the file's time zone if any
    interval_minutes: int
    n_days: int
    agents: np.ndarray  # int per interval of the horizon (0 where the file is silent)
    calls: np.ndarray | None  # summed over queues, or None without a calls column
    aht_seconds: np.ndarray | None  # calls-weighted over queues
    column: str  # the column read as the need
    # share of scheduled time off the phones per interval, from a ``shrinkage``
    # column (``ccops staff`` output has one), weighted by the need over queues
    shrinkage: np.ndarray | None = None
    # with a ``queue`` column: the queues in order of first appearance, and the need,
    # calls, AHT and shrinkage of each (n_queues x n_intervals)
    queues: tuple[str, ...] = ()
    agents_by_queue: np.ndarray | None = None
    calls_by_queue: np.ndarray | None = None
    aht_by_queue: np.ndarray | None = None
    shrinkage_by_queue: np.ndarray | None = None
    # the queueing model the need was computed with (``ccops staff`` writes the
    # ``model``, ``patience_seconds`` and ``service_sigma`` columns); None: not said
    model: str | None = None
    patience_seconds: float | None = None
    service_sigma: float | None = None

    def timestamp(self, index: int) -> datetime:
        return self.first_day + timedelta(minutes=index * self.interval_minutes)

    def day_date(self, day: int) -> date:
        return (self.first_day + timedelta(days=day)).date()


def _rows(path: str | Path, required: tuple[str, ...]):
    path = Path(path)
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", path=str(path)) from None
    with handle:
        reader = csv.DictReader(handle)
        header = [h.strip() for h in (reader.fieldnames or [])]
        for col in required:
            if col not in header:
                raise InputError(
                    f"missing column {col!r} (header: {', '.join(header) or 'empty'})",
                    path=str(path),
                    line=1,
                )
        reader.fieldnames = header
        rows = [(line, row) for line, row in enumerate(reader, start=2)]
    return header, rows


def _number(raw, path, line, column, *, integer=False, minimum=0.0):
    text = (raw or "").strip()
    try:
        value = float(text)
    except ValueError:
        raise InputError(
            "expected a number", path=str(path), line=line, column=column, value=raw
        ) from None
    if not math.isfinite(value) or value < minimum:
        raise InputError(
            f"expected a number >= {minimum:g}", path=str(path), line=line, column=column, value=raw
        )
    if integer:
        if value != int(value):
            raise InputError(
                "expected a whole number", path=str(path), line=line, column=column, value=raw
            )
        return int(value)
    return value


def _datetime(raw, path, line, column) -> datetime:
    try:
        return datetime.fromisoformat((raw or "").strip())
    except ValueError:
        raise InputError(
            "expected a date-time such as 2026-03-02T08:00",
            path=str(path),
            line=line,
            column=column,
            value=raw,
        ) from None


def read_need(path: str | Path) -> Need:
    """Read ``interval_start,agents[,queue]`` (or ``ccops staff`` output).

    ``scheduled_agents`` is used as the need when present, else ``agents``. With a
    ``queue`` column the need is kept per queue (``agents_by_queue``) for multi-skill
    planning, and the totals add the queues up.
    """
    header, rows = _rows(path, ("interval_start",))
    column = "scheduled_agents" if "scheduled_agents" in header else "agents"
    if column not in header:
        raise InputError("missing column 'agents' (or 'scheduled_agents')", path=str(path), line=1)
    has_calls = "calls" in header and "aht_seconds" in header
    has_shrinkage = "shrinkage" in header
    if not rows:
        raise InputError("no rows", path=str(path), line=2)
    has_queue = "queue" in header
    queue_of: list[int] = []
    names: dict[str, int] = {}
    stamps, values, calls, work, shrink = [], [], [], [], []
    for line, row in rows:
        if has_queue:
            name = (row.get("queue") or "").strip()
            if not name:
                raise InputError(
                    "empty queue", path=str(path), line=line, column="queue", value=row["queue"]
                )
            queue_of.append(names.setdefault(name, len(names)))
        stamps.append(_datetime(row["interval_start"], path, line, "interval_start"))
        values.append(_number(row[column], path, line, column))
        if has_shrinkage:
            share = _number(row["shrinkage"], path, line, "shrinkage")
            if share >= 1:
                raise InputError(
                    "expected a share below 1 (0.3 for 30 %)",
                    path=str(path),
                    line=line,
                    column="shrinkage",
                    value=row["shrinkage"],
                )
            shrink.append(share)
        if has_calls:
            c = _number(row["calls"], path, line, "calls")
            calls.append(c)
            work.append(c * _number(row["aht_seconds"], path, line, "aht_seconds"))
    aware = {s.tzinfo is not None for s in stamps}
    if len(aware) > 1:
        raise InputError(
            "mixes times with and without a UTC offset", path=str(path), column="interval_start"
        )
    distinct = sorted(set(stamps))
    diffs = [int((b - a).total_seconds() // 60) for a, b in itertools.pairwise(distinct)]
    interval = min(diffs) if diffs else 60
    if interval <= 0 or DAY % interval:
        raise InputError(
            f"intervals of {interval} minutes do not divide a day",
            path=str(path),
            column="interval_start",
        )
    first = stamps[0].replace(hour=0, minute=0, second=0, microsecond=0)
    first = min(s.replace(hour=0, minute=0, second=0, microsecond=0) for s in stamps)
    n_days = (max(stamps) - first).days + 1
    ipd = DAY // interval
    agents = np.zeros(n_days * ipd)
    call_arr = np.zeros(n_days * ipd) if has_calls else None
    work_arr = np.zeros(n_days * ipd) if has_calls else None
    off_arr = np.zeros(n_days * ipd) if has_shrinkage else None
    n_q = max(1, len(names))
    q_agents = np.zeros((n_q, n_days * ipd))
    q_calls = np.zeros((n_q, n_days * ipd))
    q_work = np.zeros((n_q, n_days * ipd))
    q_off = np.zeros((n_q, n_days * ipd))
    for k, ((line, row), s) in enumerate(zip(rows, stamps, strict=True)):
        minutes = (s - first).total_seconds() / 60
        if minutes % interval:
            raise InputError(
                f"not on the {interval}-minute grid starting at midnight",
                path=str(path),
                line=line,
                column="interval_start",
                value=row["interval_start"],
            )
        i = int(minutes // interval)
        agents[i] += values[k]
        if has_queue:
            q = queue_of[k]
            q_agents[q, i] += values[k]
            if has_shrinkage:
                q_off[q, i] += values[k] * shrink[k]
            if has_calls:
                q_calls[q, i] += calls[k]
                q_work[q, i] += work[k]
        if has_shrinkage:
            off_arr[i] += values[k] * shrink[k]
        if has_calls:
            call_arr[i] += calls[k]
            work_arr[i] += work[k]
    aht = None
    if has_calls:
        aht = np.divide(work_arr, call_arr, out=np.zeros_like(work_arr), where=call_arr > 0)
    shrinkage = None
    if has_shrinkage:
        # need-weighted over the queues of an interval; an interval without need
        # (normally without calls too) takes the file's largest value
        fallback = max(shrink)
        shrinkage = np.full(n_days * ipd, fallback)
        np.divide(off_arr, agents, out=shrinkage, where=agents > 0)
    by_queue = {}
    if has_queue:
        by_queue["queues"] = tuple(names)
        by_queue["agents_by_queue"] = np.ceil(q_agents - 1e-9).astype(np.int64)
        if has_calls:
            by_queue["calls_by_queue"] = q_calls
            by_queue["aht_by_queue"] = np.divide(
                q_work, q_calls, out=np.zeros_like(q_work), where=q_calls > 0
            )
        if has_shrinkage:
            q_shrink = np.full(q_agents.shape, max(shrink))
            np.divide(q_off, q_agents, out=q_shrink, where=q_agents > 0)
            by_queue["shrinkage_by_queue"] = q_shrink
    model, patience, sigma = _model_columns(path, header, rows)
    return Need(
        first_day=first,
        interval_minutes=interval,
        n_days=n_days,
        agents=np.ceil(agents - 1e-9).astype(np.int64),
        calls=call_arr,
        aht_seconds=aht,
        column=column,
        shrinkage=shrinkage,
        **by_queue,
        model=model,
        patience_seconds=patience,
        service_sigma=sigma,
    )


NEED_MODELS = ("erlang_c", "erlang_a", "simulation")


def _model_columns(path, header, rows) -> tuple[str | None, float | None, float | None]:
    """The ``model``, ``patience_seconds`` and ``service_sigma`` columns: one value for
    the whole file (empty cells allowed where a value does not apply)."""
    found: list = []
    for col in ("model", "patience_seconds", "service_sigma"):
        value, first_line = None, None
        if col in header:
            for line, row in rows:
                raw = (row[col] or "").strip()
                if not raw:
                    continue
                if col == "model":
                    v = raw.lower().replace("-", "_")
                    if v not in NEED_MODELS:
                        raise InputError(
                            "expected erlang_c, erlang_a or simulation",
                            path=str(path),
                            line=line,
                            column=col,
                            value=raw,
                        )
                else:
                    v = _number(raw, path, line, col)
                    if not v > 0:
                        raise InputError(
                            "expected a positive number",
                            path=str(path),
                            line=line,
                            column=col,
                            value=raw,
                        )
                if value is None:
                    value, first_line = v, line
                elif v != value:
                    raise InputError(
                        f"differs from {value!r} on line {first_line}: one value per file",
                        path=str(path),
                        line=line,
                        column=col,
                        value=raw,
                    )
        found.append(value)
    return found[0], found[1], found[2]


def read_calendar(path: str | Path) -> tuple[str, dict[date, list[str]]]:
    """Read the period types of dates: ``date,period_type`` rows, or the special-days
    calendar of ``ccops forecast`` (``date,kind[,name]``, several kinds a day allowed).

    Returns the column read (``period_type`` or ``kind``) and the values of
    each listed date, in file order.
    """
    header, rows = _rows(path, ("date",))
    column = "period_type" if "period_type" in header else "kind"
    if column not in header:
        raise InputError(
            "missing column 'period_type' (or 'kind' of the special-days calendar)",
            path=str(path),
            line=1,
        )
    out: dict[date, list[str]] = {}
    for line, row in rows:
        try:
            d = date.fromisoformat(row["date"].strip())
        except ValueError:
            raise InputError(
                "expected a date such as 2026-03-02",
                path=str(path),
                line=line,
                column="date",
                value=row["date"],
            ) from None
        kind = (row[column] or "").strip()
        if not kind:
            raise InputError(f"empty {column}", path=str(path), line=line, column=column)
        out.setdefault(d, []).append(kind)
    return column, out


def _flag(row, column, path, line, default):
    raw = (row.get(column) or "").strip().lower()
    if not raw:
        return default
    if raw in _YES:
        return True
    if raw in _NO:
        return False
    raise InputError("expected yes or no", path=str(path), line=line, column=column, value=raw)


def _hhmm(raw, path, line, column) -> int:
    try:
        h, m = raw.strip().split(":")
        value = int(h) * 60 + int(m)
    except ValueError:
        raise InputError(
            "expected a time HH:MM", path=str(path), line=line, column=column, value=raw
        ) from None
    if not 0 <= value <= DAY or not 0 <= int(m) < 60:
        raise InputError(
            "expected a time HH:MM", path=str(path), line=line, column=column, value=raw
        )
    return value


def read_agents(path: str | Path, need: Need) -> list[Agent]:
    """Read the agents CSV (see docs/scheduling.md) onto the need's horizon clock."""
    _, rows = _rows(path, ("agent_id", "contract_hours_per_week"))
    first = need.first_day
    day0 = first.date()

    def minute_of(dt: datetime, line, column) -> int:
        if (dt.tzinfo is None) != (first.tzinfo is None):
            raise InputError(
                "give a UTC offset exactly when the need file does",
                path=str(path),
                line=line,
                column=column,
                value=dt.isoformat(),
            )
        return int((dt - first).total_seconds() // 60)

    def day_of(text, line, column) -> int:
        try:
            return (date.fromisoformat(text.strip()) - day0).days
        except ValueError:
            raise InputError(
                "expected a date such as 2026-03-02",
                path=str(path),
                line=line,
                column=column,
                value=text,
            ) from None

    agents, seen = [], set()
    for line, row in rows:
        agent_id = row["agent_id"].strip()
        if not agent_id:
            raise InputError("empty agent_id", path=str(path), line=line, column="agent_id")
        if agent_id in seen:
            raise InputError(
                "agent_id used twice", path=str(path), line=line, column="agent_id", value=agent_id
            )
        seen.add(agent_id)
        contract = _number(row["contract_hours_per_week"], path, line, "contract_hours_per_week")
        maximum = None
        if (row.get("max_hours_per_week") or "").strip():
            maximum = round(
                _number(row["max_hours_per_week"], path, line, "max_hours_per_week") * 60
            )
        days_off = 2
        if (row.get("days_off_per_week") or "").strip():
            days_off = _number(
                row["days_off_per_week"], path, line, "days_off_per_week", integer=True
            )
            if days_off > 7:
                raise InputError(
                    "at most 7",
                    path=str(path),
                    line=line,
                    column="days_off_per_week",
                    value=days_off,
                )
        max_days = 6
        if (row.get("max_consecutive_days") or "").strip():
            max_days = _number(
                row["max_consecutive_days"], path, line, "max_consecutive_days", integer=True
            )
        unavailable = []
        for item in (row.get("unavailable") or "").split(";"):
            item = item.strip()
            if not item:
                continue
            if "/" in item:
                lo_s, hi_s = item.split("/", 1)
                lo = minute_of(_datetime(lo_s, path, line, "unavailable"), line, "unavailable")
                hi = minute_of(_datetime(hi_s, path, line, "unavailable"), line, "unavailable")
                if hi <= lo:
                    raise InputError(
                        "the range ends before it starts",
                        path=str(path),
                        line=line,
                        column="unavailable",
                        value=item,
                    )
                unavailable.append((lo, hi))
            elif item.lower() in _WEEKDAY_ALIASES:
                wd = _WEEKDAY_ALIASES[item.lower()]
                for d in range(need.n_days):
                    if need.day_date(d).weekday() == wd:
                        unavailable.append((d * DAY, (d + 1) * DAY))
            else:
                d = day_of(item, line, "unavailable")
                unavailable.append((d * DAY, (d + 1) * DAY))
        leave = set()
        for item in (row.get("leave") or "").split(";"):
            item = item.strip()
            if not item:
                continue
            lo_s, _, hi_s = item.partition("..")
            lo, hi = day_of(lo_s, line, "leave"), day_of(hi_s or lo_s, line, "leave")
            leave.update(range(lo, hi + 1))
        pref_start = None
        if (row.get("preferred_start") or "").strip():
            pref_start = _hhmm(row["preferred_start"], path, line, "preferred_start")
        pref_off = set()
        for item in (row.get("preferred_days_off") or "").split(";"):
            if item.strip():
                key = item.strip().lower()
                if key not in _WEEKDAY_ALIASES:
                    raise InputError(
                        "unknown weekday (use mon..sun)",
                        path=str(path),
                        line=line,
                        column="preferred_days_off",
                        value=item,
                    )
                pref_off.add(_WEEKDAY_ALIASES[key])
        prev_end = None
        if (row.get("previous_shift_end") or "").strip():
            dt = _datetime(row["previous_shift_end"], path, line, "previous_shift_end")
            prev_end = minute_of(dt, line, "previous_shift_end")
        prev_days = 0
        if (row.get("previous_consecutive_days") or "").strip():
            prev_days = _number(
                row["previous_consecutive_days"],
                path,
                line,
                "previous_consecutive_days",
                integer=True,
            )
        skills = frozenset(s.strip() for s in (row.get("skills") or "").split(";") if s.strip())
        agents.append(
            Agent(
                agent_id=agent_id,
                name=(row.get("name") or "").strip(),
                skills=skills,
                contract_minutes_per_week=round(contract * 60),
                max_minutes_per_week=maximum,
                days_off_per_week=days_off,
                consecutive_days_off=_flag(row, "consecutive_days_off", path, line, False),
                stable_start=_flag(row, "stable_start", path, line, False),
                max_consecutive_days=max_days,
                unavailable=tuple(unavailable),
                leave_days=frozenset(leave),
                preferred_start_minutes=pref_start,
                preferred_days_off=frozenset(pref_off),
                fairness=_flag(row, "fairness", path, line, True),
                previous_shift_end=prev_end,
                previous_consecutive_days=prev_days,
            )
        )
    if not agents:
        raise InputError("no agents", path=str(path), line=2)
    return agents
