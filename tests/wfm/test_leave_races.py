"""Parallel approvals and requests against one leave balance, on PostgreSQL: exactly one
wins (issue 18 point 8)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ccops.core.models import Site
from ccops.core.testing import race, requires_row_locks
from ccops.people import services as people_services
from ccops.people.models import LeaveType
from ccops.wfm.models import TimeOffRequest
from ccops.wfm.services import leave
from tests.shiftops.test_races import _path, call, entries
from tests.wfm.test_leave import WEEK, ask, leave_world

pytestmark = [requires_row_locks(), pytest.mark.django_db(transaction=True)]


def test_two_approvals_that_together_exceed_the_balance_one_wins():
    w = leave_world()  # 10 days of annual leave
    agent = w.employees["agent"]
    first, second = ask(w, WEEK, 5), ask(w, WEEK + timedelta(days=7), 5)
    people_services.leave_adjustment_add(
        employee=agent,
        leave_type=w.annual,
        year=2030,
        days=-2,
        reason="taken ahead in 2029",
        actor=w.users["center_director"],
    )
    outcome = race(
        call(w.users["group_manager"], "post", _path("wfm_timeoffrequest_approve", first.pk)),
        call(w.users["area_manager"], "post", _path("wfm_timeoffrequest_approve", second.pk)),
    )
    assert sorted(outcome.statuses) == [200, 422], outcome.errors
    statuses = sorted(TimeOffRequest.objects.values_list("status", flat=True))
    assert statuses == ["approved", "requested"]
    assert entries("time_off_approve").count() == 1
    assert leave.balance_of(agent, w.annual, 2030).before_pending == 3


def test_two_requests_that_together_exceed_the_balance_one_is_made():
    w = leave_world()
    body = lambda day: {  # noqa: E731
        "start": f"2030-03-{day:02d}T00:00:00+08:00",
        "end": f"2030-03-{day + 6:02d}T00:00:00+08:00",  # Mon-Sun: 5 working days
        "leave_type": w.annual.pk,
    }
    ask_api = call(w.users["agent"], "post", _path("wfm_timeoffrequest_create"), body(4))
    again = call(w.users["agent"], "post", _path("wfm_timeoffrequest_create"), body(11))
    third = call(w.users["agent"], "post", _path("wfm_timeoffrequest_create"), body(18))
    outcome = race(ask_api, again, third)
    assert sorted(outcome.statuses) == [201, 201, 422], outcome.errors
    assert leave.balance_of(w.employees["agent"], w.annual, 2030).pending == 10


def test_parallel_step_changes_and_seeds_change_and_seed_once():
    w = leave_world()
    rule = w.annual.rules.get(min_years=10)
    director, supervisor = w.users["center_director"], w.users["operations_supervisor"]
    path = _path("people_leaveentitlementrule_update", rule.pk)
    outcome = race(
        call(director, "patch", path, {"days": 11}),
        call(supervisor, "patch", path, {"days": 12}),
    )
    assert sorted(outcome.statuses) == [200, 409], outcome.errors
    assert w.annual.rules.filter(min_years=10).count() == 1
    fresh = Site.objects.create(code=f"{w.site.code}x", name="Second site")

    def seed():
        return people_services.leave_types_seed(site=fresh, actor=director)

    outcome = race(seed, seed)
    assert sorted(len(r) for r in outcome.results) == [0, 9], outcome.errors
    assert LeaveType.objects.filter(site=fresh).count() == 9


def test_parallel_half_days_the_same_morning_one_is_made_the_afternoon_too():
    w = leave_world()
    body = lambda part: {  # noqa: E731
        "start": "2030-03-05T09:00:00+08:00",
        "end": "2030-03-05T09:00:00+08:00",
        "leave_type": w.annual.pk,
        "day_part": part,
    }
    path = _path("wfm_timeoffrequest_create")
    outcome = race(
        call(w.users["agent"], "post", path, body("morning")),
        call(w.users["agent"], "post", path, body("morning")),
        call(w.users["agent"], "post", path, body("afternoon")),
    )
    assert sorted(outcome.statuses) == [201, 201, 422], outcome.errors
    parts = sorted(TimeOffRequest.objects.values_list("day_part", flat=True))
    assert parts == ["afternoon", "morning"]
    assert leave.balance_of(w.employees["agent"], w.annual, 2030).pending == 1
