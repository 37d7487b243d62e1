"""Shift templates: loading and validating template sets from YAML or JSON.

A template file holds named *sets* of shift templates, one per period type
(``normal``, ``billing_period``, ``emergency``, ...). A template says when a
shift may start (a window and a step), how long it lasts, on which days of the
week it is offered and which breaks it carries, each with a placement window
measured from the shift start. See ``docs/scheduling.md`` for the schema.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from ccops.engine.io.errors import InputError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_ALIASES = {
    **{d: i for i, d in enumerate(WEEKDAYS)},
    **{
        n: i
        for i, n in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
}
_GROUPS = {"all": tuple(range(7)), "weekdays": tuple(range(5)), "weekend": (5, 6)}


@dataclass(frozen=True)
class BreakRule:
    """One break (or lunch) of a shift, placed inside a window after the shift start.

    ``earliest_start_minutes`` and ``latest_start_minutes`` bound the break's
    start, counted from the shift start.
    """

    name: str
    length_minutes: int
    earliest_start_minutes: int
    latest_start_minutes: int
    paid: bool


@dataclass(frozen=True)
class ShiftTemplate:
    """A shift that may start at ``start_earliest_minutes`` (minutes after
    midnight), then every ``start_step_minutes`` up to ``start_latest_minutes``."""

    name: str
    start_earliest_minutes: int
    start_latest_minutes: int
    start_step_minutes: int
    length_minutes: int
    weekdays: tuple[int, ...]
    breaks: tuple[BreakRule, ...]
    skills: tuple[str, ...] = ()
    max_per_start: int | None = None

    @property
    def start_minutes(self) -> tuple[int, ...]:
        return tuple(
            range(
                self.start_earliest_minutes,
                self.start_latest_minutes + 1,
                self.start_step_minutes,
            )
        )

    @property
    def paid_minutes(self) -> int:
        return self.length_minutes - sum(b.length_minutes for b in self.breaks if not b.paid)


@dataclass(frozen=True)
class TemplateLibrary:
    """Template sets by period type, e.g. ``{"normal": (...), "emergency": (...)}``."""

    sets: Mapping[str, tuple[ShiftTemplate, ...]]
    source: str = "<templates>"

    def templates_for(self, period_type: str) -> tuple[ShiftTemplate, ...]:
        if period_type not in self.sets:
            raise ValueError(
                f"period_type {period_type!r} has no template set in {self.source}; "
                f"sets: {', '.join(sorted(self.sets))}"
            )
        return self.sets[period_type]

    def check_grid(self, interval_minutes: int) -> None:
        """Raise ``InputError`` if a time of a template is off the interval grid."""
        for set_name, templates in self.sets.items():
            for t in templates:
                fields = {
                    "start_earliest": t.start_earliest_minutes,
                    "start_step_minutes": t.start_step_minutes,
                    "length_minutes": t.length_minutes,
                }
                for b in t.breaks:
                    fields[f"breaks.{b.name}.length_minutes"] = b.length_minutes
                    fields[f"breaks.{b.name}.earliest_after_start_minutes"] = (
                        b.earliest_start_minutes
                    )
                    fields[f"breaks.{b.name}.latest_after_start_minutes"] = b.latest_start_minutes
                for field, minutes in fields.items():
                    if minutes % interval_minutes:
                        raise InputError(
                            f"template {t.name!r} (set {set_name!r}): {field} = {minutes} "
                            f"minutes is not a multiple of the {interval_minutes}-minute "
                            "interval of the need",
                            path=self.source,
                        )


def _err(source: str, where: str, message: str, value: object = None) -> InputError:
    return InputError(f"{where}: {message}", path=source, value=value)


def _minutes_of_day(value: object, source: str, where: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML 1.1 reads 08:30 as a sexagesimal integer (510); accept it as minutes.
        minutes = value
    elif isinstance(value, str) and ":" in value:
        parts = value.strip().split(":")
        try:
            hours, mins = int(parts[0]), int(parts[1])
        except (ValueError, IndexError):
            raise _err(source, where, "expected a time HH:MM", value) from None
        if len(parts) != 2 or not 0 <= mins < 60:
            raise _err(source, where, "expected a time HH:MM", value)
        minutes = hours * 60 + mins
    else:
        raise _err(source, where, "expected a time HH:MM", value)
    if not 0 <= minutes < 24 * 60:
        raise _err(source, where, "a start time must lie in 00:00-23:59", value)
    return minutes


def _positive_minutes(value: object, source: str, where: str, *, allow_zero=False) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _err(source, where, "expected a whole number of minutes", value)
    if value < 0 or (value == 0 and not allow_zero):
        raise _err(source, where, "must be a positive number of minutes", value)
    return value


def _weekdays(value: object, source: str, where: str) -> tuple[int, ...]:
    if value is None:
        return _GROUPS["all"]
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise _err(source, where, "expected a list of weekdays such as [mon, tue]", value)
    days: set[int] = set()
    for item in items:
        key = str(item).strip().lower()
        if key in _GROUPS:
            days.update(_GROUPS[key])
        elif key in _WEEKDAY_ALIASES:
            days.add(_WEEKDAY_ALIASES[key])
        else:
            raise _err(source, where, "unknown weekday (use mon..sun, weekdays, weekend)", item)
    return tuple(sorted(days))


_TEMPLATE_KEYS = {
    "name",
    "start_earliest",
    "start_latest",
    "start_step_minutes",
    "length_minutes",
    "days",
    "breaks",
    "skills",
    "max_per_start",
}
_BREAK_KEYS = {
    "name",
    "length_minutes",
    "earliest_after_start_minutes",
    "latest_after_start_minutes",
    "paid",
}


def _parse_break(raw: object, source: str, where: str, length: int) -> BreakRule:
    if not isinstance(raw, dict):
        raise _err(source, where, "a break must be a mapping", raw)
    unknown = set(raw) - _BREAK_KEYS
    if unknown:
        raise _err(source, where, f"unknown field {sorted(unknown)[0]!r}")
    name = str(raw.get("name", "break"))
    where = f"{where} ({name})"
    for key in ("length_minutes", "earliest_after_start_minutes", "latest_after_start_minutes"):
        if key not in raw:
            raise _err(source, where, f"missing field {key!r}")
    blen = _positive_minutes(raw["length_minutes"], source, f"{where}.length_minutes")
    earliest = _positive_minutes(
        raw["earliest_after_start_minutes"],
        source,
        f"{where}.earliest_after_start_minutes",
        allow_zero=True,
    )
    latest = _positive_minutes(
        raw["latest_after_start_minutes"],
        source,
        f"{where}.latest_after_start_minutes",
        allow_zero=True,
    )
    if latest < earliest:
        raise _err(
            source,
            f"{where}.latest_after_start_minutes",
            f"is before earliest_after_start_minutes ({earliest})",
            latest,
        )
    if latest + blen > length:
        raise _err(
            source,
            f"{where}.latest_after_start_minutes",
            f"a break starting then would end after the shift ({length} minutes)",
            latest,
        )
    paid = raw.get("paid", True)
    if not isinstance(paid, bool):
        raise _err(source, f"{where}.paid", "expected true or false", paid)
    return BreakRule(name, blen, earliest, latest, paid)


def _parse_template(raw: object, source: str, where: str) -> ShiftTemplate:
    if not isinstance(raw, dict):
        raise _err(source, where, "a template must be a mapping", raw)
    if "name" not in raw:
        raise _err(source, where, "missing field 'name'")
    name = str(raw["name"])
    where = f"template {name!r}"
    unknown = set(raw) - _TEMPLATE_KEYS
    if unknown:
        raise _err(source, where, f"unknown field {sorted(unknown)[0]!r}")
    for key in ("start_earliest", "length_minutes"):
        if key not in raw:
            raise _err(source, where, f"missing field {key!r}")
    earliest = _minutes_of_day(raw["start_earliest"], source, f"{where}.start_earliest")
    latest = _minutes_of_day(
        raw.get("start_latest", raw["start_earliest"]), source, f"{where}.start_latest"
    )
    if latest < earliest:
        raise _err(
            source,
            f"{where}.start_latest",
            "is before start_earliest (a start window cannot wrap past midnight; "
            "the shift itself may)",
            raw.get("start_latest"),
        )
    step = _positive_minutes(
        raw.get("start_step_minutes", 15), source, f"{where}.start_step_minutes"
    )
    length = _positive_minutes(raw["length_minutes"], source, f"{where}.length_minutes")
    if length > 16 * 60:
        raise _err(source, f"{where}.length_minutes", "a shift may last at most 16 hours", length)
    raw_breaks = raw.get("breaks") or []
    if not isinstance(raw_breaks, list):
        raise _err(source, f"{where}.breaks", "expected a list of breaks", raw_breaks)
    breaks = tuple(
        _parse_break(b, source, f"{where}.breaks[{i}]", length) for i, b in enumerate(raw_breaks)
    )
    for i in range(1, len(breaks)):
        prev, cur = breaks[i - 1], breaks[i]
        if cur.earliest_start_minutes < prev.latest_start_minutes + prev.length_minutes:
            raise _err(
                source,
                f"{where}.breaks[{i}] ({cur.name}).earliest_after_start_minutes",
                f"the window overlaps the one of {prev.name!r}: list breaks in order, each "
                f"window starting after the previous break can end "
                f"({prev.latest_start_minutes + prev.length_minutes} minutes)",
                cur.earliest_start_minutes,
            )
    skills_raw = raw.get("skills") or []
    if isinstance(skills_raw, str):
        skills_raw = [s for s in skills_raw.replace(";", ",").split(",") if s.strip()]
    if not isinstance(skills_raw, list):
        raise _err(source, f"{where}.skills", "expected a list of skills", skills_raw)
    max_per_start = raw.get("max_per_start")
    if max_per_start is not None:
        max_per_start = _positive_minutes(max_per_start, source, f"{where}.max_per_start")
    return ShiftTemplate(
        name=name,
        start_earliest_minutes=earliest,
        start_latest_minutes=latest,
        start_step_minutes=step,
        length_minutes=length,
        weekdays=_weekdays(raw.get("days"), source, f"{where}.days"),
        breaks=breaks,
        skills=tuple(str(s).strip() for s in skills_raw),
        max_per_start=max_per_start,
    )


def parse_templates(data: object, source: str = "<templates>") -> TemplateLibrary:
    """Validate parsed YAML/JSON data into a :class:`TemplateLibrary`.

    ``data`` is ``{"sets": {period_type: [template, ...]}}`` or, for a single
    set, ``{"templates": [template, ...]}`` (which becomes the ``normal`` set).
    """
    if not isinstance(data, dict):
        raise InputError("expected a mapping with 'sets' or 'templates' at the top", path=source)
    unknown = set(data) - {"sets", "templates"}
    if unknown:
        raise InputError(f"unknown top-level field {sorted(unknown)[0]!r}", path=source)
    if "sets" in data and "templates" in data:
        raise InputError("give either 'sets' or 'templates', not both", path=source)
    if "templates" in data:
        raw_sets = {"normal": data["templates"]}
    elif "sets" in data:
        raw_sets = data["sets"]
        if not isinstance(raw_sets, dict) or not raw_sets:
            raise InputError("'sets' must map period types to lists of templates", path=source)
    else:
        raise InputError("expected 'sets' or 'templates' at the top", path=source)
    sets: dict[str, tuple[ShiftTemplate, ...]] = {}
    for set_name, raw_list in raw_sets.items():
        if not isinstance(raw_list, list) or not raw_list:
            raise InputError(
                f"set {set_name!r}: expected a non-empty list of templates", path=source
            )
        templates = tuple(
            _parse_template(raw, source, f"set {set_name!r}, template #{i + 1}")
            for i, raw in enumerate(raw_list)
        )
        names = [t.name for t in templates]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise InputError(
                f"set {set_name!r}: template name {dupes[0]!r} is used twice", path=source
            )
        sets[str(set_name)] = templates
    return TemplateLibrary(sets=sets, source=source)


def load_templates(path: str | Path) -> TemplateLibrary:
    """Read a template file (``.yaml``, ``.yml`` or ``.json``)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", path=str(path)) from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        kind = "JSON" if path.suffix.lower() == ".json" else "YAML"
        raise InputError(f"not valid {kind}: {exc}", path=str(path)) from None
    return parse_templates(data, str(path))
