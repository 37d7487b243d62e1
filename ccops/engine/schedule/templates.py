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

from ccops.engine.io.errors import InputError, Message

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
                            Message(
                                "tpl_off_grid",
                                template=repr(t.name),
                                set=repr(set_name),
                                field=field,
                                minutes=minutes,
                                interval=interval_minutes,
                            ),
                            path=self.source,
                        )


@dataclass(frozen=True)
class Where:
    """The place of a problem in a template file: the template (by name, or by its set
    and number before its name is known) and the field (a path of YAML keys such as
    ``breaks[0] (lunch).length_minutes``). ``str()`` is the English wording; the parts
    travel as the message's values ``set``, ``number``, ``template`` and ``field``."""

    set: str = ""
    number: int = 0
    template: str = ""
    field: str = ""

    def at(self, part: str) -> Where:
        """The place one key further (``" (lunch)"``, starting with a space, names the
        break of the field so far)."""
        if not self.field:
            field = part
        else:
            field = self.field + part if part.startswith(" ") else f"{self.field}.{part}"
        return Where(self.set, self.number, self.template, field)

    def __str__(self) -> str:
        head = (
            f"template {self.template!r}"
            if self.template
            else f"set {self.set!r}, template #{self.number}"
        )
        return f"{head}.{self.field}" if self.field else head

    def params(self) -> dict:
        out = {"where": str(self), "set": self.set, "template": self.template}
        if self.number:
            out["number"] = self.number
        if self.field:
            out["field_path"] = self.field
        return out


def _err(source: str, where: Where, code: str, value: object = None, **params) -> InputError:
    return InputError(Message(code, **where.params(), **params), path=source, value=value)


def _minutes_of_day(value: object, source: str, where: Where) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML 1.1 reads 08:30 as a sexagesimal integer (510); accept it as minutes.
        minutes = value
    elif isinstance(value, str) and ":" in value:
        parts = value.strip().split(":")
        try:
            hours, mins = int(parts[0]), int(parts[1])
        except (ValueError, IndexError):
            raise _err(source, where, "tpl_bad_time", value) from None
        if len(parts) != 2 or not 0 <= mins < 60:
            raise _err(source, where, "tpl_bad_time", value)
        minutes = hours * 60 + mins
    else:
        raise _err(source, where, "tpl_bad_time", value)
    if not 0 <= minutes < 24 * 60:
        raise _err(source, where, "tpl_time_of_day", value)
    return minutes


def _positive_minutes(value: object, source: str, where: Where, *, allow_zero=False) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _err(source, where, "tpl_bad_minutes", value)
    if value < 0 or (value == 0 and not allow_zero):
        raise _err(source, where, "tpl_positive_minutes", value)
    return value


def _weekdays(value: object, source: str, where: Where) -> tuple[int, ...]:
    if value is None:
        return _GROUPS["all"]
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise _err(source, where, "tpl_bad_weekdays", value)
    days: set[int] = set()
    for item in items:
        key = str(item).strip().lower()
        if key in _GROUPS:
            days.update(_GROUPS[key])
        elif key in _WEEKDAY_ALIASES:
            days.add(_WEEKDAY_ALIASES[key])
        else:
            raise _err(source, where, "tpl_unknown_weekday", item)
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


def _parse_break(raw: object, source: str, where: Where, length: int) -> BreakRule:
    if not isinstance(raw, dict):
        raise _err(source, where, "tpl_break_mapping", raw)
    unknown = set(raw) - _BREAK_KEYS
    if unknown:
        raise _err(source, where, "tpl_unknown_field", field=repr(sorted(unknown)[0]))
    name = str(raw.get("name", "break"))
    where = where.at(f" ({name})")
    for key in ("length_minutes", "earliest_after_start_minutes", "latest_after_start_minutes"):
        if key not in raw:
            raise _err(source, where, "tpl_missing_field", field=repr(key))
    blen = _positive_minutes(raw["length_minutes"], source, where.at("length_minutes"))
    earliest = _positive_minutes(
        raw["earliest_after_start_minutes"],
        source,
        where.at("earliest_after_start_minutes"),
        allow_zero=True,
    )
    latest = _positive_minutes(
        raw["latest_after_start_minutes"],
        source,
        where.at("latest_after_start_minutes"),
        allow_zero=True,
    )
    if latest < earliest:
        raise _err(
            source,
            where.at("latest_after_start_minutes"),
            "tpl_break_order",
            latest,
            earliest=earliest,
        )
    if latest + blen > length:
        raise _err(
            source,
            where.at("latest_after_start_minutes"),
            "tpl_break_past_end",
            latest,
            length=length,
        )
    paid = raw.get("paid", True)
    if not isinstance(paid, bool):
        raise _err(source, where.at("paid"), "tpl_bool", paid)
    return BreakRule(name, blen, earliest, latest, paid)


def _parse_template(raw: object, source: str, where: Where) -> ShiftTemplate:
    if not isinstance(raw, dict):
        raise _err(source, where, "tpl_template_mapping", raw)
    if "name" not in raw:
        raise _err(source, where, "tpl_missing_field", field="'name'")
    name = str(raw["name"])
    where = Where(set=where.set, template=name)
    unknown = set(raw) - _TEMPLATE_KEYS
    if unknown:
        raise _err(source, where, "tpl_unknown_field", field=repr(sorted(unknown)[0]))
    for key in ("start_earliest", "length_minutes"):
        if key not in raw:
            raise _err(source, where, "tpl_missing_field", field=repr(key))
    earliest = _minutes_of_day(raw["start_earliest"], source, where.at("start_earliest"))
    latest = _minutes_of_day(
        raw.get("start_latest", raw["start_earliest"]), source, where.at("start_latest")
    )
    if latest < earliest:
        raise _err(source, where.at("start_latest"), "tpl_start_order", raw.get("start_latest"))
    step = _positive_minutes(
        raw.get("start_step_minutes", 15), source, where.at("start_step_minutes")
    )
    length = _positive_minutes(raw["length_minutes"], source, where.at("length_minutes"))
    if length > 16 * 60:
        raise _err(source, where.at("length_minutes"), "tpl_too_long", length)
    raw_breaks = raw.get("breaks") or []
    if not isinstance(raw_breaks, list):
        raise _err(source, where.at("breaks"), "tpl_breaks_list", raw_breaks)
    breaks = tuple(
        _parse_break(b, source, where.at(f"breaks[{i}]"), length) for i, b in enumerate(raw_breaks)
    )
    for i in range(1, len(breaks)):
        prev, cur = breaks[i - 1], breaks[i]
        if cur.earliest_start_minutes < prev.latest_start_minutes + prev.length_minutes:
            raise _err(
                source,
                where.at(f"breaks[{i}] ({cur.name}).earliest_after_start_minutes"),
                "tpl_breaks_overlap",
                cur.earliest_start_minutes,
                other=repr(prev.name),
                minutes=prev.latest_start_minutes + prev.length_minutes,
            )
    skills_raw = raw.get("skills") or []
    if isinstance(skills_raw, str):
        skills_raw = [s for s in skills_raw.replace(";", ",").split(",") if s.strip()]
    if not isinstance(skills_raw, list):
        raise _err(source, where.at("skills"), "tpl_skills_list", skills_raw)
    max_per_start = raw.get("max_per_start")
    if max_per_start is not None:
        max_per_start = _positive_minutes(max_per_start, source, where.at("max_per_start"))
    return ShiftTemplate(
        name=name,
        start_earliest_minutes=earliest,
        start_latest_minutes=latest,
        start_step_minutes=step,
        length_minutes=length,
        weekdays=_weekdays(raw.get("days"), source, where.at("days")),
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
        raise InputError(Message("tpl_top"), path=source)
    unknown = set(data) - {"sets", "templates"}
    if unknown:
        raise InputError(Message("tpl_top_field", field=repr(sorted(unknown)[0])), path=source)
    if "sets" in data and "templates" in data:
        raise InputError(Message("tpl_sets_and_templates"), path=source)
    if "templates" in data:
        raw_sets = {"normal": data["templates"]}
    elif "sets" in data:
        raw_sets = data["sets"]
        if not isinstance(raw_sets, dict) or not raw_sets:
            raise InputError(Message("tpl_sets_mapping"), path=source)
    else:
        raise InputError(Message("tpl_top_key"), path=source)
    sets: dict[str, tuple[ShiftTemplate, ...]] = {}
    for set_name, raw_list in raw_sets.items():
        if not isinstance(raw_list, list) or not raw_list:
            raise InputError(Message("tpl_set_empty", set=repr(set_name)), path=source)
        templates = tuple(
            _parse_template(raw, source, Where(set=str(set_name), number=i + 1))
            for i, raw in enumerate(raw_list)
        )
        names = [t.name for t in templates]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise InputError(
                Message("tpl_name_twice", set=repr(set_name), template=repr(dupes[0])),
                path=source,
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
        raise InputError(Message("tpl_not_valid", format=kind, error=exc), path=str(path)) from None
    return parse_templates(data, str(path))
