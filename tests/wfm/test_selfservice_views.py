"""Agent self-service through the pages: my schedule, the iCalendar feed, time off."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from ccops.core.testing import build_world
from ccops.wfm.models import CalendarFeedToken, ScheduledShift, TimeOffRequest
from tests.wfm.helpers import world_with_week

pytestmark = pytest.mark.django_db


def test_my_schedule_feed_and_revoke(client):
    world, _schedule, shifts = world_with_week()
    client.force_login(world.users["agent"])
    page = client.get(reverse("wfm:my_schedule"))
    assert page.status_code == 200
    assert len(page.context["shifts"]) == 5
    assert all(s.employee == world.employees["agent"] for s in page.context["shifts"])
    response = client.post(reverse("wfm:calendar_feed_create"))
    assert response.status_code == 302
    url = client.session["wfm_feed_url"]
    path = url[url.index("/wfm/") :]
    client.logout()
    feed = client.get(path)
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    events = [c for c in Calendar.from_ical(feed.content).walk("VEVENT")]
    starts = sorted(e.decoded("dtstart") for e in events)
    assert starts == sorted(s.start for s in shifts[world.employees["agent"]])
    # Another agent's shifts are not in the feed.
    other_ids = {f"shift-{s.pk}" for s in shifts[world.other_employee]}
    assert not any(str(e["uid"]).split("@")[0] in other_ids for e in events)
    client.force_login(world.users["agent"])
    client.post(reverse("wfm:calendar_feed_revoke"))
    assert not CalendarFeedToken.objects.filter(user=world.users["agent"]).exists()
    client.logout()
    assert client.get(path).status_code == 404


def test_time_off_through_pages(client):
    world, _schedule, shifts = world_with_week()
    shift = shifts[world.employees["agent"]][2]
    client.force_login(world.users["agent"])
    fmt = "%Y-%m-%dT%H:%M"
    zone = world.site.zone
    response = client.post(
        reverse("wfm:timeoffrequest_add"),
        {
            "start": shift.start.astimezone(zone).strftime(fmt),
            "end": (shift.start + timedelta(hours=8)).astimezone(zone).strftime(fmt),
            "kind": "annual",
            "reason": "wedding",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    request = TimeOffRequest.objects.get(employee=world.employees["agent"])
    # The agent cannot approve their own request (no permission: 403).
    assert client.post(reverse("wfm:timeoffrequest_approve", args=[request.pk])).status_code == 403
    client.force_login(world.users["group_manager"])
    home = client.get(reverse("home"))
    panels = {panel.key: ctx for panel, ctx in home.context["panels"]}
    assert request in panels["wfm.approvals"]["time_off"]
    client.post(reverse("wfm:timeoffrequest_approve", args=[request.pk]), {"note": "fine"})
    request.refresh_from_db()
    assert request.status == "approved" and request.decision_note == "fine"
    client.force_login(world.users["agent"])
    home = client.get(reverse("home"))
    assert b"approved" in home.content
    assert b'id="unread-notifications"' in home.content  # the count in the top bar
    client.post(reverse("core:notifications_read"))
    assert b'id="unread-notifications"' not in client.get(reverse("home")).content


def test_swap_through_pages(client):
    world, _schedule, shifts = world_with_week()
    mine = shifts[world.employees["agent"]][4]
    theirs = shifts[world.other_employee][4]
    client.force_login(world.users["agent"])
    form = client.get(reverse("wfm:shiftswaprequest_add"))
    assert mine in form.context["form"].fields["shift"].queryset
    assert theirs not in form.context["form"].fields["shift"].queryset
    response = client.post(
        reverse("wfm:shiftswaprequest_add"),
        {"shift": mine.pk, "colleague": world.other_employee.pk, "colleague_shift": theirs.pk},
    )
    assert response.status_code == 302
    swap = world.employees["agent"].swap_requests.get()
    client.force_login(world.other_agent)
    client.post(reverse("wfm:shiftswaprequest_accept", args=[swap.pk]))
    client.force_login(world.users["operations_supervisor"])
    client.post(reverse("wfm:shiftswaprequest_approve", args=[swap.pk]))
    assert ScheduledShift.objects.get(pk=mine.pk).employee == world.other_employee


def test_time_off_is_a_whole_day_in_one_choice_and_never_for_a_past_day(client):
    from django.utils import timezone

    world = build_world()
    client.force_login(world.users["agent"])
    zone = world.site.zone
    day = timezone.localdate(timezone.now(), zone) + timedelta(days=20)
    form = client.get(reverse("wfm:timeoffrequest_add")).content.decode()
    assert 'name="span" value="days"' in form
    assert "checked" in form.split('name="span" value="days"')[1][:80]
    response = client.post(
        reverse("wfm:timeoffrequest_add"),
        {
            "span": "days",
            "start": f"{day.isoformat()}T10:17",
            "end": f"{(day + timedelta(days=1)).isoformat()}T08:00",
            "kind": "annual",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    request = TimeOffRequest.objects.get(employee=world.employees["agent"])
    start, end = request.start.astimezone(zone), request.end.astimezone(zone)
    assert (start.date(), start.hour, start.minute) == (day, 0, 0)
    assert (end.date(), end.hour) == (day + timedelta(days=2), 0)  # both days, whole
    past = day - timedelta(days=25)
    response = client.post(
        reverse("wfm:timeoffrequest_add"),
        {
            "span": "days",
            "start": f"{past.isoformat()}T00:00",
            "end": f"{past.isoformat()}T00:00",
            "kind": "annual",
        },
    )
    assert response.status_code == 200 and "a day that has passed" in response.content.decode()
