"""Parallel requests at activities on PostgreSQL: two placements for one agent at once do
not overlap (the schedule is locked first), two removals of one activity archive it once
and tell the agent once."""

from __future__ import annotations

import pytest

from ccops.core.models import Notification
from ccops.core.testing import race, requires_row_locks
from ccops.wfm import services
from ccops.wfm.models import ShiftActivity
from tests.shiftops.test_races import _path, call, entries
from tests.wfm.test_planner_tools import hand_made_week
from tests.wfm.test_site_schedule import two_queue_world

pytestmark = [requires_row_locks(), pytest.mark.django_db(transaction=True)]


def test_parallel_placements_for_one_agent_do_not_overlap_and_removal_happens_once():
    w = two_queue_world()
    draft, ops = hand_made_week(w)
    published = services.schedule_publish(schedule=draft, actor=ops, confirm=True)
    body = {
        "kind": "training",
        "title": "Tariffs",
        "minutes": 60,
        "employees": [w.employees["agent"].pk],
        "day": published.week_start.isoformat(),
    }
    path = f"/api/v1/wfm/schedules/{published.pk}/activities"
    outcome = race(call(ops, "post", path, body), call(ops, "post", path, body))
    assert outcome.statuses == [201, 201], outcome.errors
    a, b = ShiftActivity.objects.filter(shift__schedule=published).order_by("start")
    assert a.end <= b.start  # the second saw the first: no overlap
    told = Notification.objects.filter(user=w.users["agent"], template__contains="cancelled")
    outcome = race(
        call(ops, "post", _path("wfm_shiftactivity_remove", a.pk)),
        call(ops, "post", _path("wfm_shiftactivity_remove", a.pk)),
    )
    assert sorted(outcome.statuses) == [200, 409], outcome.errors
    assert ShiftActivity.objects.filter(shift__schedule=published).count() == 1
    assert told.count() == 1 and entries("archive", a).count() == 1
