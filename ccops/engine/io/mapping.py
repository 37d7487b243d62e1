"""Column mappings: how to read a foreign CSV or Excel export.

A mapping says which columns of a per-call export or of an interval report
hold the values ccops needs, how times and durations are written and which
outcome values mean "answered" or "abandoned". It is written as a YAML (or
JSON) file, or assembled from command-line flags, and checked completely
before any data is read. See ``docs/formats.md`` for the schema and the
shipped presets (``ccops/engine/io/presets/*.yaml``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, replace
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from ccops.engine.io.errors import InputError, Message

KINDS = ("calls", "intervals")
DURATION_UNITS = ("seconds", "milliseconds", "minutes", "hh:mm:ss")
CALL_COLUMNS = (
    "queue",
    "outcome",
    "wait",
    "handle",
    "agent",
    "priority",
    "call_id",
    "hold",
    "acw",
    "transfer",
)
INTERVAL_COLUMNS = (
    "queue",
    "offered",
    "answered",
    "abandoned",
    "answered_within_target",
    "service_level_percent",
    "aht",
    "asa",
    "handle_total",
    "wait_total",
)
#: Columns that may name several source columns, whose values are added up.
SUMMED_COLUMNS = ("handle", "offered", "aht", "handle_total")
OUTCOME_KEYS = ("answered", "abandoned", "ivr_only", "ignored")
BUILTIN_PRESETS = ("anonymous-bank",)


@dataclass(frozen=True)
class ColumnMapping:
    """How to read one export layout. Every field is documented in ``docs/formats.md``.

    Column fields hold source column names (a tuple for the summed ones,
    :data:`SUMMED_COLUMNS`); ``None`` means "not in this export".
    """

    kind: str = "calls"
    name: str = "custom"
    # file
    delimiter: str = ","
    encoding: str = "utf-8"
    sheet: str | int | None = None
    header_row: int = 1
    # time
    datetime: str | None = None
    date: str | None = None
    time: str | None = None
    time_format: str | None = None
    timezone: str | None = None
    source_timezone: str | None = None
    # per-call columns
    queue: str | None = None
    outcome: str | None = None
    wait: str | None = None
    handle: tuple[str, ...] = ()
    agent: str | None = None
    priority: str | None = None
    call_id: str | None = None
    hold: str | None = None
    acw: str | None = None
    transfer: str | None = None
    # interval-report columns
    offered: tuple[str, ...] = ()
    answered: str | None = None
    abandoned: str | None = None
    answered_within_target: str | None = None
    service_level_percent: str | None = None
    aht: tuple[str, ...] = ()
    asa: str | None = None
    handle_total: tuple[str, ...] = ()
    wait_total: str | None = None
    # values
    outcomes: dict = field(default_factory=dict)
    other_outcomes: str = "error"
    duration_unit: str = "seconds"
    queue_default: str = "all"
    #: Mapping fields (e.g. ``answered``, ``aht``) whose columns a file may leave out: such a
    #: file is read as if the mapping did not name them (see :meth:`for_header`).
    optional: tuple[str, ...] = ()

    def source_columns(self) -> list[str]:
        """Every source column this mapping reads (for the header check)."""
        cols = [self.datetime, self.date, self.time]
        names = CALL_COLUMNS if self.kind == "calls" else INTERVAL_COLUMNS
        for name in names:
            value = getattr(self, name)
            cols.extend(value if isinstance(value, tuple) else [value])
        return [c for c in cols if c]

    def optional_columns(self) -> list[str]:
        """The source columns of the :attr:`optional` fields."""
        cols = []
        for name in self.optional:
            value = getattr(self, name)
            cols.extend(value if isinstance(value, tuple) else [value])
        return [c for c in cols if c]

    def for_header(self, header) -> ColumnMapping:
        """This mapping for a file with the columns ``header``: the :attr:`optional` fields
        whose source columns the file does not have are left out (``None``)."""
        present = {str(c) for c in header}
        drop = {}
        for name in self.optional:
            value = getattr(self, name)
            names = value if isinstance(value, tuple) else (value,)
            if any(c and c not in present for c in names):
                drop[name] = () if isinstance(value, tuple) else None
        if not drop:
            return self
        out = replace(self, optional=(), **drop)
        _check(out, self.name)
        return out

    def with_options(self, **changes) -> ColumnMapping:
        """A copy with some fields replaced (``None`` values are ignored); validated."""
        changes = {k: v for k, v in changes.items() if v is not None}
        return mapping_from_dict(_to_dict(replace(self, **changes)), source=self.name)


def _to_dict(m: ColumnMapping) -> dict:
    return {f.name: getattr(m, f.name) for f in fields(m)}


def _fail(source, message, key=None, value=None):
    raise InputError(message, path=source, column=key, value=value)


_FLAT_KEYS = {f.name for f in fields(ColumnMapping)}


def mapping_from_dict(data: dict, *, source: str = "mapping") -> ColumnMapping:
    """Build and check a :class:`ColumnMapping` from the (nested or flat) mapping schema.

    Raises
    ------
    InputError
        Naming the mapping file (``source``), the key and the value that is wrong.
    """
    if not isinstance(data, dict):
        _fail(source, "a mapping must be a YAML/JSON object of keys and values")
    flat: dict = {}
    for key, value in data.items():
        if key in ("file", "time", "columns", "units") and isinstance(value, dict):
            for sub, subvalue in value.items():
                target = {"format": "time_format", "durations": "duration_unit"}.get(sub, sub)
                if (
                    key == "time"
                    and sub in ("date", "time", "datetime", "format", "timezone", "source_timezone")
                ) or key != "time":
                    flat[target] = subvalue
                else:
                    _fail(source, f"unknown key in time: {sub}", key=f"time.{sub}")
        elif key == "outcomes" and isinstance(value, dict):
            outcomes = dict(value)
            if "other" in outcomes:
                flat["other_outcomes"] = outcomes.pop("other")
            flat["outcomes"] = outcomes
        else:
            flat[key] = value
    unknown = sorted(set(flat) - _FLAT_KEYS)
    if unknown:
        _fail(source, f"unknown key(s): {', '.join(unknown)}", key=unknown[0])

    def as_tuple(key, value):
        if value is None or value == "":
            return ()
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list | tuple) and all(isinstance(v, str) and v for v in value):
            return tuple(value)
        _fail(source, "expected a column name or a list of column names", key=key, value=value)

    for key in SUMMED_COLUMNS:
        if key in flat:
            flat[key] = as_tuple(key, flat[key])
    if "optional" in flat:
        flat["optional"] = as_tuple("optional", flat["optional"])
    for key in set(CALL_COLUMNS + INTERVAL_COLUMNS + ("datetime", "date", "time")) - set(
        SUMMED_COLUMNS
    ):
        value = flat.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            _fail(source, "expected a column name", key=key, value=value)
    m = ColumnMapping(**flat)
    _check(m, source)
    return m


def _check(m: ColumnMapping, source: str) -> None:
    if m.kind not in KINDS:
        _fail(source, f"kind must be one of {', '.join(KINDS)}", key="kind", value=m.kind)
    if m.duration_unit not in DURATION_UNITS:
        _fail(
            source,
            f"durations must be one of {', '.join(DURATION_UNITS)}",
            key="duration_unit",
            value=m.duration_unit,
        )
    columns = CALL_COLUMNS if m.kind == "calls" else INTERVAL_COLUMNS
    for name in m.optional:
        if name not in columns or name == "offered" or not getattr(m, name):
            _fail(
                source,
                "optional lists mapping columns the file may leave out (of "
                + ", ".join(c for c in columns if c != "offered")
                + "), each named in columns",
                key="optional",
                value=name,
            )
    if m.other_outcomes not in ("error", "ignore"):
        _fail(
            source,
            "outcomes.other must be 'error' or 'ignore'",
            key="other_outcomes",
            value=m.other_outcomes,
        )
    if not isinstance(m.delimiter, str) or len(m.delimiter) != 1:
        _fail(source, "delimiter must be one character", key="delimiter", value=m.delimiter)
    if not isinstance(m.header_row, int) or m.header_row < 1:
        _fail(
            source,
            "header_row must be a line number (1 or more)",
            key="header_row",
            value=m.header_row,
        )
    if m.datetime and (m.date or m.time):
        _fail(
            source,
            "give either a datetime column or date and time columns, not both",
            key="datetime",
            value=m.datetime,
        )
    if not m.datetime and not m.date:
        what = "arrival" if m.kind == "calls" else "interval start"
        _fail(
            source,
            f"no {what} column: set time.datetime (or time.date and time.time)",
            key="datetime",
        )
    for key in ("timezone", "source_timezone"):
        zone = getattr(m, key)
        if zone:
            try:
                ZoneInfo(zone)
            except (ZoneInfoNotFoundError, ValueError):
                _fail(
                    source,
                    "unknown time zone (use an IANA name such as Europe/Berlin)",
                    key=key,
                    value=zone,
                )
    if not isinstance(m.outcomes, dict):
        _fail(
            source,
            "outcomes must map answered/abandoned/ivr_only/ignored to values",
            key="outcomes",
            value=m.outcomes,
        )
    seen: dict[str, str] = {}
    for key, values in m.outcomes.items():
        if key not in OUTCOME_KEYS:
            _fail(
                source,
                f"unknown outcome kind (use {', '.join(OUTCOME_KEYS)}, other)",
                key=f"outcomes.{key}",
            )
        values = values if isinstance(values, list | tuple) else [values]
        for v in values:
            text = str(v).strip().casefold()
            if text in seen and seen[text] != key:
                _fail(
                    source,
                    f"outcome value is listed under both {seen[text]} and {key}",
                    key=f"outcomes.{key}",
                    value=v,
                )
            seen[text] = key
    if m.kind == "calls":
        if m.outcome and not m.outcomes.get("answered"):
            _fail(
                source,
                "an outcome column needs outcomes.answered (the values that mean answered)",
                key="outcomes.answered",
            )
    else:
        if not m.offered:
            _fail(source, "an interval report needs columns.offered", key="offered")
        if m.aht and m.handle_total:
            _fail(source, "give aht or handle_total, not both", key="aht")
        if m.asa and m.wait_total:
            _fail(source, "give asa or wait_total, not both", key="asa")
        if m.answered_within_target and m.service_level_percent:
            _fail(
                source,
                "give answered_within_target or service_level_percent, not both",
                key="service_level_percent",
            )
        needs_answered = m.handle_total or m.wait_total or m.service_level_percent
        if needs_answered and not m.answered:
            _fail(source, "totals and percentages need the answered column", key="answered")


def load_mapping(path) -> ColumnMapping:
    """Read a mapping file (``.yaml``, ``.yml`` or ``.json``)."""
    p = Path(path)
    if not p.is_file():
        raise InputError("mapping file not found", path=str(p))
    try:
        text = p.read_text(encoding="utf-8")
        data = json.loads(text) if p.suffix == ".json" else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read the mapping: {exc}", path=str(p)) from exc
    if isinstance(data, dict):
        data.setdefault("name", p.stem)
    return mapping_from_dict(data, source=str(p))


def preset_names() -> list[str]:
    """The names of the shipped presets (built-in ones first)."""
    folder = resources.files("ccops.engine.io") / "presets"
    shipped = sorted(
        entry.name[: -len(".yaml")] for entry in folder.iterdir() if entry.name.endswith(".yaml")
    )
    return list(BUILTIN_PRESETS) + shipped


def load_preset(name: str) -> ColumnMapping:
    """Load a shipped preset by name (not the built-in ``anonymous-bank`` reader)."""
    if name in BUILTIN_PRESETS:
        raise ValueError(f"{name!r} is a built-in reader, not a column mapping")
    folder = resources.files("ccops.engine.io") / "presets"
    entry = folder / f"{name}.yaml"
    if not entry.is_file():
        raise InputError(
            Message("unknown_preset", presets=", ".join(preset_names())),
            column="preset",
            value=name,
        )
    data = yaml.safe_load(entry.read_text(encoding="utf-8"))
    data.setdefault("name", name)
    return mapping_from_dict(data, source=f"preset {name}")
