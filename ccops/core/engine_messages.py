"""The engine's input messages in the reader's language.

The readers, the import pipeline and the shift-template loader of the engine raise an
``InputError`` whose message has a code and values (``ccops.engine.io.errors.MESSAGES``;
``docs/texts-and-times.md``). The web layer words them here: :func:`error_text` for an
error at hand (a form, a task's failure), :func:`data_text` for one stored as
``InputError.data()`` (an import's validation report), both in the active language. A code
without a wording here (or a plain text) reads as the engine's English.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccops.engine.io.errors import InputError

#: The engine's input messages (``ccops.engine.io.errors.MESSAGES``) by code, with
#: ``%(name)s`` for its values.
INPUT_TEXTS = {
    "file_not_found": gettext_lazy("file not found"),
    "file_too_large": gettext_lazy("the file is larger than %(size)s"),
    "decompresses_too_large": gettext_lazy(
        "the file decompresses to more than %(size)s (%(format)s); split it into smaller files"
    ),
    "zip_too_large": gettext_lazy(
        "the file decompresses to more than %(size)s; split it into smaller files"
    ),
    "cannot_decompress": gettext_lazy("cannot decompress the file (%(format)s): %(error)s"),
    "line_too_long": gettext_lazy(
        "the line is longer than %(limit)s bytes: not an export of call records or "
        "intervals (or one value is far too long)"
    ),
    "old_xls": gettext_lazy("old .xls workbooks are not supported; save as .xlsx or CSV"),
    "zip_members": gettext_lazy(
        "a .zip must hold exactly one CSV file (this one holds %(count)s files)"
    ),
    "not_xlsx": gettext_lazy("not an Excel workbook (.xlsx): the content is not a zip"),
    "cannot_read": gettext_lazy("cannot read the file: %(error)s"),
    "column_not_found": gettext_lazy(
        "column not found in the header (format %(mapping)s); the header has: %(header)s"
    ),
    "no_data_rows": gettext_lazy("the file has no data rows"),
    "csv_expected": gettext_lazy("expected a CSV file, not an Excel workbook"),
    "not_text_in_encoding": gettext_lazy(
        "the file is not %(encoding)s text (byte %(byte)s); save it as CSV UTF-8"
    ),
    "cannot_read_csv": gettext_lazy("cannot read the file as CSV: %(error)s"),
    "column_name_too_long": gettext_lazy("a column name is longer than %(limit)s characters"),
    "too_many_rows": gettext_lazy(
        "the file has more than %(limit)s rows (%(rows)s); split it into smaller files "
        "(e.g. one a month)"
    ),
    "no_sheet_number": gettext_lazy(
        "the workbook has %(count)s sheet(s), no sheet number %(sheet)s"
    ),
    "no_such_sheet": gettext_lazy("no such sheet; the workbook has: %(sheets)s"),
    "sheet_too_large": gettext_lazy(
        "the sheet has %(rows)s rows x %(columns)s columns, more than %(limit)s cells; "
        "export only the columns needed, or split it"
    ),
    "sheet_empty": gettext_lazy("the sheet is empty"),
    "sheet_too_many_cells": gettext_lazy(
        "the sheet has more than %(limit)s cells (row %(row)s); export only the columns "
        "needed, or split it"
    ),
    "value_too_long": gettext_lazy("value longer than %(limit)s characters"),
    "unknown_preset": gettext_lazy("unknown format; choose one of %(presets)s"),
    "bad_time_of_day": gettext_lazy("expected a time of day such as 08:30, 08:30:00 or 8:30 AM"),
    "empty_datetime": gettext_lazy("empty date/time"),
    "empty_time": gettext_lazy("empty time"),
    "mixed_zones": gettext_lazy(
        "mixed time zones: some times carry a UTC offset and others do not"
    ),
    "bad_datetime": gettext_lazy("cannot read this date/time (ISO 8601 expected)"),
    "bad_datetime_format": gettext_lazy("cannot read this date/time in the format %(format)s"),
    "zone_needed": gettext_lazy(
        "the times carry UTC offsets or are in another zone: the site's time zone is needed "
        "to convert them to local time"
    ),
    "date_has_time": gettext_lazy("expected a date without a time of day"),
    "time_not_valid_in_zone": gettext_lazy("time not valid in %(zone)s: %(error)s"),
    "implausible_year": gettext_lazy("the year is not between %(min)s and %(max)s"),
    "bad_duration": gettext_lazy("expected a duration (%(what)s)"),
    "negative_duration": gettext_lazy("negative duration"),
    "duration_over_a_day": gettext_lazy("a duration of more than a day"),
    "bad_count": gettext_lazy("expected a whole number of calls"),
    "negative_count": gettext_lazy("negative count"),
    "count_too_large": gettext_lazy("more than %(limit)s calls in one row"),
    "unknown_outcome": gettext_lazy(
        "outcome value not listed in the format's outcomes (list it, or set outcomes.other: ignore)"
    ),
    "empty_queue_offered": gettext_lazy("empty queue on an offered call"),
    "bad_priority": gettext_lazy("priority must be 0 to 127"),
    "off_minute": gettext_lazy("interval start is not on a whole minute"),
    "empty_queue": gettext_lazy("empty queue name"),
    "duplicate_interval": gettext_lazy("duplicate interval for this queue (also on line %(line)s)"),
    "report_coarser": gettext_lazy(
        "the report has %(report)s-minute intervals but the site uses %(interval)s: import "
        "into a site of %(report)s minutes or more"
    ),
    "report_not_dividing": gettext_lazy(
        "%(report)s-minute report intervals do not add up to %(interval)s minutes"
    ),
    "off_grid": gettext_lazy("interval start is not on the %(step)s-minute grid"),
    "percent_over_100": gettext_lazy("a percentage above 100"),
    "within_target_over_answered": gettext_lazy("more calls answered within target than answered"),
    "more_than_offered": gettext_lazy("more calls %(what)s than offered (%(offered)s)"),
    "bad_values": gettext_lazy("%(total)s bad values"),
    "bad_values_listed": gettext_lazy("%(total)s bad values; the first %(listed)s are listed"),
    "not_anonymous_bank": gettext_lazy(
        "not the Anonymous Bank layout: expected the header %(header)s"
    ),
    "bad_whole_number": gettext_lazy("expected a non-negative whole number"),
    "bad_yymmdd": gettext_lazy("expected a date YYMMDD"),
    "bad_ab_outcome": gettext_lazy("expected AGENT, HANG or PHANTOM"),
    "bad_clock": gettext_lazy("expected a clock time H:MM:SS (0:00:00 to 23:59:59)"),
    "nothing_to_import": gettext_lazy(
        "no call in the file was offered to an agent (all hung up in the IVR, were ignored "
        "or filtered out): nothing to import"
    ),
    "queue_map_entry": gettext_lazy("expected SOURCE=DEST, got %(entry)s"),
    "intervals_in_two_files": gettext_lazy(
        "%(count)s intervals are also in %(other)s, e.g. %(start)s of queue %(queue)s"
    ),
    "same_content": gettext_lazy("%(file)s: same content as %(other)s, read once"),
    "tpl_top": gettext_lazy("expected a mapping with 'sets' or 'templates' at the top"),
    "tpl_top_key": gettext_lazy("expected 'sets' or 'templates' at the top"),
    "tpl_top_field": gettext_lazy("unknown top-level field %(field)s"),
    "tpl_sets_and_templates": gettext_lazy("give either 'sets' or 'templates', not both"),
    "tpl_sets_mapping": gettext_lazy("'sets' must map period types to lists of templates"),
    "tpl_set_empty": gettext_lazy("set %(set)s: expected a non-empty list of templates"),
    "tpl_name_twice": gettext_lazy("set %(set)s: template name %(template)s is used twice"),
    "tpl_not_valid": gettext_lazy("not valid %(format)s: %(error)s"),
    "tpl_off_grid": gettext_lazy(
        "template %(template)s (set %(set)s): %(field)s = %(minutes)s minutes is not a "
        "multiple of the %(interval)s-minute interval of the site"
    ),
    "tpl_bad_time": gettext_lazy("%(where)s: expected a time HH:MM"),
    "tpl_time_of_day": gettext_lazy("%(where)s: a start time must lie in 00:00-23:59"),
    "tpl_bad_minutes": gettext_lazy("%(where)s: expected a whole number of minutes"),
    "tpl_positive_minutes": gettext_lazy("%(where)s: must be a positive number of minutes"),
    "tpl_bad_weekdays": gettext_lazy("%(where)s: expected a list of weekdays such as [mon, tue]"),
    "tpl_unknown_weekday": gettext_lazy(
        "%(where)s: unknown weekday (use mon..sun, weekdays, weekend)"
    ),
    "tpl_break_mapping": gettext_lazy("%(where)s: a break must be a mapping"),
    "tpl_template_mapping": gettext_lazy("%(where)s: a template must be a mapping"),
    "tpl_unknown_field": gettext_lazy("%(where)s: unknown field %(field)s"),
    "tpl_missing_field": gettext_lazy("%(where)s: missing field %(field)s"),
    "tpl_break_order": gettext_lazy(
        "%(where)s: is before earliest_after_start_minutes (%(earliest)s)"
    ),
    "tpl_break_past_end": gettext_lazy(
        "%(where)s: a break starting then would end after the shift (%(length)s minutes)"
    ),
    "tpl_bool": gettext_lazy("%(where)s: expected true or false"),
    "tpl_start_order": gettext_lazy(
        "%(where)s: is before start_earliest (a start window cannot wrap past midnight; "
        "the shift itself may)"
    ),
    "tpl_too_long": gettext_lazy("%(where)s: a shift may last at most 16 hours"),
    "tpl_breaks_list": gettext_lazy("%(where)s: expected a list of breaks"),
    "tpl_breaks_overlap": gettext_lazy(
        "%(where)s: the window overlaps the one of %(other)s: list breaks in order, each "
        "window starting after the previous break can end (%(minutes)s minutes)"
    ),
    "tpl_skills_list": gettext_lazy("%(where)s: expected a list of skills"),
}


#: Values that are words of the engine (a duration's unit, a count's name).
DURATION_UNITS = {
    "hh:mm:ss": gettext_lazy("H:MM:SS"),
    "seconds": gettext_lazy("a number of seconds or H:MM:SS"),
    "milliseconds": gettext_lazy("a number of milliseconds or H:MM:SS"),
    "minutes": gettext_lazy("a number of minutes or H:MM:SS"),
}
COUNT_NAMES = {"answered": gettext_lazy("answered"), "abandoned": gettext_lazy("abandoned")}


def _where(params: dict) -> str:
    """The place in a template file (``ccops.engine.schedule.templates.Where``)."""
    if params.get("template"):
        head = _("template %(template)s") % {"template": repr(params["template"])}
    else:
        head = _("set %(set)s, template #%(number)s") % {
            "set": repr(params.get("set", "")),
            "number": params.get("number", ""),
        }
    if params.get("field_path"):
        return _("%(where)s, field %(field)s") % {"where": head, "field": params["field_path"]}
    return head


def message_text(code: str, params: dict | None, english: str = "") -> str:
    """An engine message in the active language (``english`` when the code has none)."""
    words = INPUT_TEXTS.get(code or "")
    if words is None:
        return english
    values = dict(params or {})
    if "where" in values:
        values["where"] = _where(values)
    if code == "bad_duration" and values.get("unit") in DURATION_UNITS:
        values["what"] = DURATION_UNITS[values["unit"]]
    if code == "more_than_offered" and values.get("what") in COUNT_NAMES:
        values["what"] = COUNT_NAMES[values["what"]]
    try:
        return str(words) % values
    except (KeyError, TypeError, ValueError):  # values of an older engine version
        return english


def location_text(data: dict, *, with_path: bool = True) -> str:
    """File, line, column and value of a stored error, in the active language."""
    parts = []
    if with_path and data.get("path"):
        parts.append(str(data["path"]))
    if data.get("line") is not None:
        parts.append(_("line %(line)s") % {"line": data["line"]})
    if data.get("column") is not None:
        parts.append(_("column %(column)s") % {"column": data["column"]})
    if data.get("value") is not None:
        parts.append(_("value %(value)s") % {"value": data["value"]})
    return _(", ").join(parts)


def data_text(data: dict, *, with_path: bool = True) -> str:
    """One stored error (``InputError.data()``) as a line in the active language: where,
    then what (``upload.csv, line 3, column 'calls', value '-4': negative count``)."""
    reason = message_text(data.get("code", ""), data.get("params"), str(data.get("text", "")))
    where = location_text(data, with_path=with_path)
    return _("%(where)s: %(reason)s") % {"where": where, "reason": reason} if where else reason


def problem_texts(data: dict) -> list[str]:
    """The bad values a stored error lists, one line each (without the file's name)."""
    return [data_text(p, with_path=False) for p in data.get("problems") or []]


def error_text(exc: InputError) -> str:
    """An ``InputError`` in the active language, with the bad values it lists, one a line,
    and how many more there are."""
    data = exc.data()
    lines = [data_text(data)]
    lines += [f"  {line}" for line in problem_texts(data)]
    more = int(data.get("total") or 0) - len(data.get("problems") or [])
    if data.get("problems") and more > 0:
        lines.append("  " + _("… and %(n)s more") % {"n": f"{more:,}"})
    return "\n".join(lines)
