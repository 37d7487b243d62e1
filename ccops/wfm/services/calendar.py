"""An agent's shifts as an iCalendar (RFC 5545) feed, written with the icalendar library."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from ccops.core import formats
from ccops.core.models import Queue
from ccops.wfm.choices import RequestStatus
from ccops.wfm.models import TimeOffRequest
from ccops.wfm.services.queries import published_shifts

#: How far back the feed goes (calendar apps keep what they already have).
FEED_PAST = timedelta(days=28)


def my_shifts(employee, *, since=None, until=None):
    """Published shifts of ``employee`` from ``since`` (default: four weeks ago)."""
    since = since or timezone.now() - FEED_PAST
    rows = published_shifts().filter(employee=employee, end__gt=since)
    if until is not None:
        rows = rows.filter(start__lt=until)
    return (
        rows.select_related("queue", "schedule__site").defer("schedule__summary").order_by("start")
    )


def shifts_ical(employee, *, host: str = "ccops") -> bytes:
    """The iCalendar text of ``employee``'s published shifts and approved time off."""
    cal = Calendar()
    cal.add("prodid", "-//ccops//workforce management//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("My shifts"))
    cal.add("x-wr-timezone", employee.site.time_zone)
    stamp = timezone.now()
    queues = dict(Queue.all_objects.filter(site=employee.site).values_list("pk", "name"))
    for shift in my_shifts(employee).prefetch_related("activities"):
        event = Event()
        event.add("uid", f"shift-{shift.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", shift.start)
        event.add("dtend", shift.end)
        title = _("Shift")
        names = [queues[q] for q in shift.serves if q in queues]
        if names:
            title = f"{title}: {', '.join(names)}"
        event.add("summary", title)
        breaks = break_text(shift)
        if breaks:
            event.add("description", _("Breaks: %(breaks)s") % {"breaks": breaks})
        event.add("location", shift.schedule.site.name)
        event.add("last-modified", shift.updated_at)
        cal.add_component(event)
        for activity in shift.activities.all():
            inner = Event()
            inner.add("uid", f"activity-{activity.pk}@{host}")
            inner.add("dtstamp", stamp)
            inner.add("dtstart", activity.start)
            inner.add("dtend", activity.end)
            inner.add("summary", f"{activity.get_kind_display()}: {activity.title}")
            inner.add("last-modified", activity.updated_at)
            cal.add_component(inner)
    leave = TimeOffRequest.objects.filter(
        employee=employee, status=RequestStatus.APPROVED, end__gt=stamp - FEED_PAST
    )
    for request in leave:
        event = Event()
        event.add("uid", f"timeoff-{request.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", request.start)
        event.add("dtend", request.end)
        event.add("summary", request.get_kind_display())
        event.add(
            "description",
            _("Time off %(days)s")
            % {"days": formats.format_day_span(request.start, request.end, employee.site)},
        )
        cal.add_component(event)
    return cal.to_ical()


def break_text(shift) -> str:
    """``"11:00–11:15, 13:00–13:30"`` in the site's time zone."""
    site = shift.schedule.site
    clock = [(_parse(b["start"]), _parse(b["end"])) for b in shift.breaks or []]
    return ", ".join(
        f"{formats.format_time(start, site)}–{formats.format_time(end, site)}"
        for start, end in clock
    )


def _parse(value: str):
    from django.utils.dateparse import parse_datetime

    return parse_datetime(value)
