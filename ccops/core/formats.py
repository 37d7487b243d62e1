"""One way to show dates and times: in a site's time zone and the reader's language.

Pages, notifications, exports, feeds and messages format every date and time through
these functions (templates through the ``fdatetime``/``fdate``/``ftime``/``frange``
filters of ``ccops.core.templatetags.ccops``). The styles per language are in
``ccops/web/formats/<language>/formats.py`` (``FORMAT_MODULE_PATH``): ISO dates in tables
(``2026-12-09 07:30``), a long form for headings (``Wed 9 Dec 2026`` / ``2026年12月9日 周三``),
a 24-hour clock in both.

``zone`` is a site (anything with ``time_zone``), a zone name, a ``tzinfo`` or ``None`` for
the active zone (the request's site zone, set by ``SiteTimeZoneMiddleware``). A value stored
in UTC is never shown in UTC by accident: naive datetimes are refused.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone
from django.utils.formats import date_format, get_format, time_format

#: The ISO styles of tables, written directly (Django's format machinery costs about 30 µs a
#: value, and a schedule page shows a thousand times).
_FAST = {
    "H:i": lambda v: f"{v.hour:02d}:{v.minute:02d}",
    "Y-m-d": lambda v: f"{v.year:04d}-{v.month:02d}-{v.day:02d}",
    "Y-m-d H:i": lambda v: f"{v.year:04d}-{v.month:02d}-{v.day:02d} {v.hour:02d}:{v.minute:02d}",
}


def _styled(value, name: str, fallback) -> str:
    """``value`` in the reader's ``name`` style (``TIME_FORMAT``, ...)."""
    fast = _FAST.get(get_format(name))
    return fast(value) if fast is not None else fallback(value, name)


def resolve_zone(zone=None) -> dt.tzinfo:
    """A ``tzinfo`` from a site, a zone name, a ``tzinfo`` or ``None`` (the active zone)."""
    if zone is None:
        return timezone.get_current_timezone()
    if isinstance(zone, dt.tzinfo):
        return zone
    name = getattr(zone, "time_zone", zone)
    return zoneinfo.ZoneInfo(str(name))


def to_local(value: dt.datetime, zone=None) -> dt.datetime:
    """An aware datetime in ``zone``."""
    if timezone.is_naive(value):
        raise ValueError(f"naive datetime {value!r}: ccops stores aware (UTC) datetimes")
    return value.astimezone(resolve_zone(zone))


def format_datetime(value, zone=None, *, long: bool = False) -> str:
    """``2026-12-09 07:30`` (``long``: ``Wed 9 Dec 2026, 07:30``) in ``zone``; ``""`` for None."""
    if value is None:
        return ""
    return _styled(
        to_local(value, zone), "DATETIME_FORMAT" if long else "SHORT_DATETIME_FORMAT", date_format
    )


def format_date(value, zone=None, *, long: bool = False) -> str:
    """The date of ``value`` (a date, or a datetime taken in ``zone``)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = to_local(value, zone).date()
    return _styled(value, "DATE_FORMAT" if long else "SHORT_DATE_FORMAT", date_format)


def format_time(value, zone=None) -> str:
    """``07:30``: the clock time of a datetime in ``zone``, or a ``time``."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = to_local(value, zone)
    return _styled(value, "TIME_FORMAT", time_format)


def format_range(start, end, zone=None) -> str:
    """``2026-12-09 07:30–15:30``, or both dates when the range crosses midnight."""
    if start is None or end is None:
        return format_datetime(start or end, zone)
    first, last = to_local(start, zone), to_local(end, zone)
    if first.date() == last.date() or last == dt.datetime.combine(
        first.date() + dt.timedelta(days=1), dt.time(0), tzinfo=last.tzinfo
    ):
        return f"{format_datetime(start, zone)}–{format_time(end, zone)}"
    return f"{format_datetime(start, zone)} – {format_datetime(end, zone)}"


def format_day_span(start, end, zone=None) -> str:
    """The local days a period covers: ``2026-12-09`` or ``2026-12-09 – 2026-12-11`` (a
    period ending at midnight does not cover the next day)."""
    if start is None:
        return ""
    first = format_date(start, zone)
    if end is None:
        return first
    last = format_date(to_local(end, zone) - dt.timedelta(microseconds=1), zone)
    return first if last == first else f"{first} – {last}"
