"""Pages the load benchmark found with one query per row (N+1) stay fixed: their number of
queries does not grow with the rows they show (benchmarks/bench_load.py --queries)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ccops.core import audit
from ccops.core.models import Queue
from ccops.core.testing import build_world
from tests.wfm.helpers import next_monday, publish_week

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    client.get(url)  # the session's first request stores its time zone: not counted
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def _more_queues(world, n):
    with audit.acting_as(None, via=audit.VIA_SYSTEM):
        return [
            Queue.objects.create(site=world.site, code=f"extra{i}", name=f"Extra {i}")
            for i in range(n)
        ]


def test_the_shift_list_does_not_query_per_shift(client):
    world = build_world()
    agent, other = world.employees["agent"], world.other_employee
    week = next_monday()
    publish_week(world, week, {agent: [(0, 9, 8)], other: [(0, 9, 8)]})
    client.force_login(world.users["operations_supervisor"])
    few = _queries(client, reverse("wfm:scheduledshift_list"))
    queues = _more_queues(world, 4)
    days = [(d, 9, 8) for d in range(1, 6)]
    schedule, made = publish_week(world, week + timedelta(days=7), {agent: days, other: days})
    for i, shift in enumerate(made[agent] + made[other]):
        type(shift).objects.filter(pk=shift.pk).update(queue=queues[i % 4])
    assert schedule.shifts.count() == 10
    assert _queries(client, reverse("wfm:scheduledshift_list")) == few


@pytest.mark.parametrize("name", ["wfm:forecast_list", "wfm:staffingplan_list", "core:queue_list"])
def test_pages_with_a_queue_filter_or_column_do_not_query_per_queue(client, name):
    world = build_world()
    client.force_login(world.users["operations_supervisor"])
    few = _queries(client, reverse(name))
    _more_queues(world, 6)
    assert _queries(client, reverse(name)) == few
