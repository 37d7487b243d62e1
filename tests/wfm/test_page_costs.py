"""What the busiest workforce pages cost (issue 12, fast under load).

The coverage of a generated schedule is computed once per state of the rows it reads
(ccops.core.cache): reading it again costs a few aggregate queries, and every way its
shifts and activities change (a save, an archive, a queryset update, a new activity) makes
the next read compute it again. Lists of shifts and schedules do not load the schedules'
generation summaries (the need, calls and handle times of every queue and interval); a
page looks the reader's employee record up once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ccops.wfm.models import ScheduledShift, ShiftActivity
from ccops.wfm.services import coverage as coverage_module
from ccops.wfm.services.coverage import coverage
from tests.wfm.helpers import next_monday
from tests.wfm.test_site_schedule import generate_week, two_queue_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(monkeypatch):
    calls = []
    real = coverage_module._coverage

    def counting(schedule):
        calls.append(schedule.pk)
        return real(schedule)

    monkeypatch.setattr(coverage_module, "_coverage", counting)
    return calls


def test_coverage_is_computed_once_per_state_of_its_rows(counted):
    w = two_queue_world()
    schedule = generate_week(w, next_monday())
    first = coverage(schedule)
    again = coverage(schedule)
    assert len(counted) == 1
    assert (again["scheduled"] == first["scheduled"]).all()

    shift = schedule.shifts.filter(employee__isnull=False).order_by("start").first()
    # a saved change
    shift.end = shift.end - timedelta(hours=1)
    shift.save()
    moved = coverage(schedule)
    assert len(counted) == 2
    assert moved["scheduled"].sum() < first["scheduled"].sum()

    # a queryset update (auto_now holds for save() only: AuditedQuerySet.update stamps it)
    before = ScheduledShift.objects.get(pk=shift.pk).updated_at
    ScheduledShift.objects.filter(pk=shift.pk).update(end=shift.end + timedelta(hours=1))
    assert ScheduledShift.objects.get(pk=shift.pk).updated_at > before
    restored = coverage(schedule)
    assert len(counted) == 3
    assert restored["scheduled"].sum() == pytest.approx(first["scheduled"].sum())

    # an activity takes the agent off the phones
    ShiftActivity.objects.create(
        shift=shift,
        kind="training",
        title="Product update",
        start=shift.start + timedelta(hours=1),
        end=shift.start + timedelta(hours=2),
    )
    trained = coverage(schedule)
    assert len(counted) == 4
    assert trained["scheduled"].sum() < restored["scheduled"].sum()

    # an archived shift
    shift.archive(actor=w.users["operations_supervisor"])
    coverage(schedule)
    assert len(counted) == 5
    coverage(schedule)
    assert len(counted) == 5


def test_reading_remembered_coverage_costs_a_few_queries():
    w = two_queue_world()
    schedule = generate_week(w, next_monday())
    coverage(schedule)
    with CaptureQueriesContext(connection) as ctx:
        coverage(schedule)
    assert len(ctx) <= 5, [q["sql"] for q in ctx.captured_queries]


def test_a_page_looks_the_reader_s_employee_up_once(client):
    """The home page's panels each ask for the reader's employee record: one query."""
    w = two_queue_world()
    client.force_login(w.users["group_manager"])
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    lookups = [
        q["sql"]
        for q in ctx.captured_queries
        if 'FROM "people_employee"' in q["sql"]
        and '"people_employee"."user_id" =' in q["sql"]
        and "LIMIT 1" in q["sql"]
    ]
    assert len(lookups) == 1, lookups


@pytest.mark.parametrize("url", ["/wfm/shifts/", "/wfm/schedules/", "/wfm/my/"])
def test_lists_do_not_load_the_generation_summaries(client, url):
    w = two_queue_world()
    schedule = generate_week(w, next_monday())
    assert schedule.summary["need"]
    client.force_login(w.users["operations_supervisor"] if url != "/wfm/my/" else w.users["agent"])
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    heavy = [q["sql"] for q in ctx.captured_queries if '"wfm_schedule"."summary"' in q["sql"]]
    assert heavy == []


def test_the_schedule_page_lists_one_day_of_shifts_at_a_time(client):
    w = two_queue_world()
    schedule = generate_week(w, next_monday())
    client.force_login(w.users["operations_supervisor"])
    total = schedule.shifts.count()
    seen = 0
    for offset in range(7):
        day = schedule.week_start + timedelta(days=offset)
        page = client.get(schedule.get_absolute_url() + f"?day={day.isoformat()}")
        assert page.status_code == 200
        assert page.context["shift_day"] == day
        tabs = page.context["shift_days"]
        assert [t["date"] for t in tabs if t["current"]] == [day]
        assert sum(t["count"] for t in tabs) == total
        shifts = page.context["shifts"]
        assert all(s.start.astimezone(w.site.zone).date() == day for s in shifts)
        assert len(shifts) == tabs[offset]["count"]
        seen += len(shifts)
    assert seen == total > 0
    # the week's figures stay the week's
    assert page.context["rostered"] == len(
        set(schedule.shifts.filter(employee__isnull=False).values_list("employee", flat=True))
    )
    # an unknown day falls back to the week's first day (the week is in the future)
    page = client.get(schedule.get_absolute_url() + "?day=1999-01-01")
    assert page.context["shift_day"] == schedule.week_start
