"""The clock tells the agent what happened (issue 18 point 4): a late clock-in names the
minutes and the shift's start, clocking out asks first and says when it is early."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ccops.core.testing import build_world
from ccops.shiftops.models import AttendanceRecord
from ccops.wfm import services

pytestmark = pytest.mark.django_db


def _shift(w, start, hours):
    ops = w.users["operations_supervisor"]
    week = timezone.localdate(start, w.site.zone)
    week -= timedelta(days=week.weekday())
    schedule = services.schedule_create(site=w.site, week_start=week, actor=ops)
    services.shift_add(
        schedule=schedule,
        employee=w.employees["agent"],
        start=start,
        end=start + timedelta(hours=hours),
        queue=w.queue,
        actor=ops,
    )
    services.schedule_publish(schedule=schedule, actor=ops, confirm=True)


def test_a_late_clock_in_says_how_late_and_clocking_out_asks_first(client):
    w = build_world()
    now = timezone.now().replace(second=0, microsecond=0)
    _shift(w, now - timedelta(minutes=451), 10)
    client.force_login(w.users["agent"])
    url = reverse("shiftops:attendance_clock")
    page = client.post(url, {"action": "in"}, follow=True).content.decode()
    assert "451 minutes late" in page or "452 minutes late" in page
    # the first press of "Clock out" asks; nothing is written yet
    page = client.post(url, {"action": "out"}).content.decode()
    assert 'id="confirm-clock-out"' in page and "before the end of your shift" in page
    record = AttendanceRecord.objects.get(employee=w.employees["agent"])
    assert record.clock_out is None
    page = client.post(url, {"action": "out", "confirm": "1"}, follow=True).content.decode()
    record.refresh_from_db()
    assert record.clock_out is not None and "before the end of the shift" in page
