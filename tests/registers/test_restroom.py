"""The rest room: the cleaning rota with sign-off, and the rest-room rule on the agent's
schedule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from ccops.core import audit
from ccops.core.errors import Conflict
from ccops.core.testing import build_world
from ccops.registers.models import CleaningDuty
from ccops.registers.services import restroom as services
from tests.registers.helpers import rest_room

pytestmark = pytest.mark.django_db


def test_rota_takes_turns_and_adds_the_weekly_thorough_cleaning():
    w = build_world()
    room = rest_room(w)
    people = [w.employees["agent"], w.other_employee]
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    added = services.cleaning_rota_generate(
        room=room, start=monday, days=14, assignees=people, actor=w.users["group_manager"]
    )
    assert added == 16  # 14 daily + 2 weekly (Fridays)
    daily = list(CleaningDuty.objects.filter(kind="daily").order_by("due_date"))
    assert [d.assignee for d in daily[:3]] == [people[0], people[1], people[0]]
    weekly = CleaningDuty.objects.filter(kind="weekly")
    assert {d.due_date.weekday() for d in weekly} == {4}
    assert (
        services.cleaning_rota_generate(
            room=room, start=monday, days=14, assignees=people, actor=w.users["group_manager"]
        )
        == 0
    )


def test_only_the_assignee_signs_off_on_the_day_and_it_locks():
    w = build_world()
    room = rest_room(w)
    today = timezone.localdate()
    services.cleaning_rota_generate(
        room=room,
        start=today,
        days=2,
        assignees=[w.employees["agent"]],
        actor=w.users["group_manager"],
    )
    duty, tomorrow = CleaningDuty.objects.filter(kind="daily").order_by("due_date")
    with pytest.raises(PermissionDenied):
        services.cleaning_duty_sign_off(duty=duty, actor=w.users["group_manager"])
    with pytest.raises(ValidationError, match="not before"):
        services.cleaning_duty_sign_off(duty=tomorrow, actor=w.users["agent"])
    duty = services.cleaning_duty_sign_off(duty=duty, note="Fridge emptied", actor=w.users["agent"])
    assert duty.is_signed and duty.signed_by == w.users["agent"]
    with pytest.raises(Conflict):
        services.cleaning_duty_sign_off(duty=duty, actor=w.users["agent"])
    duty.note = "changed"
    with pytest.raises(audit.RecordLocked):
        duty.save()


def test_missed_cleanings_are_listed():
    w = build_world()
    room = rest_room(w)
    services.cleaning_rota_generate(
        room=room,
        start=timezone.localdate() - dt.timedelta(days=3),
        days=2,
        assignees=[w.employees["agent"]],
        actor=w.users["group_manager"],
    )
    missed = services.missed_duties(CleaningDuty.objects.all())
    assert missed.count() >= 2 and all(d.state() == "missed" for d in missed)


def _shift(w, start, breaks):
    from ccops.wfm.models import Schedule, ScheduledShift

    with audit.acting_as(None, via=audit.VIA_SYSTEM):
        schedule = Schedule.objects.create(
            site=w.site,
            week_start=start.date() - dt.timedelta(days=start.weekday()),
            version=1,
            status="published",
            published_at=timezone.now(),
        )
        return ScheduledShift.objects.create(
            schedule=schedule,
            employee=w.employees["agent"],
            start=start,
            end=start + dt.timedelta(hours=8),
            breaks=breaks,
        )


def test_rests_of_more_than_half_an_hour_show_the_rest_room(client):
    w = build_world()
    room = rest_room(w)
    start = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(hours=2)
    lunch = start + dt.timedelta(hours=4)
    shift = _shift(
        w,
        start,
        [
            {
                "start": (start + dt.timedelta(hours=2)).isoformat(),
                "end": (start + dt.timedelta(hours=2, minutes=15)).isoformat(),
                "paid": True,
            },
            {
                "start": lunch.isoformat(),
                "end": (lunch + dt.timedelta(minutes=30)).isoformat(),
                "paid": False,
            },
            {
                "start": (lunch + dt.timedelta(hours=2)).isoformat(),
                "end": (lunch + dt.timedelta(hours=2, minutes=45)).isoformat(),
                "paid": False,
            },
        ],
    )
    rests = services.long_rests([shift])
    assert [r.minutes for r in rests] == [45] and rests[0].rooms == (room,)  # 30 is not "more than"
    client.force_login(w.users["agent"])
    page = client.get(reverse("wfm:my_schedule"))
    assert page.status_code == 200
    assert 'id="rest-room"' in page.text and room.location in page.text
    home = client.get(reverse("home"))
    assert room.location in home.text
