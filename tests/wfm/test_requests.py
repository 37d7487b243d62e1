"""Time-off and shift-swap rules (services)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ccops.core.models import AuditEntry, Notification
from ccops.wfm import services
from ccops.wfm.models import ScheduledShift, TimeOffRequest
from tests.wfm.helpers import local, monday, publish_week, world_with_week

pytestmark = pytest.mark.django_db


def test_time_off_request_approve_notifies_and_audits():
    world, _schedule, shifts = world_with_week()
    agent = world.employees["agent"]
    start = shifts[agent][2].start
    request = services.time_off_request(
        employee=agent,
        start=start,
        end=start + timedelta(hours=8),
        kind="annual",
        actor=world.users["agent"],
    )
    assert request.status == "requested"
    manager = world.users["group_manager"]
    assert Notification.objects.filter(user=manager, url=request.get_absolute_url()).exists()
    services.time_off_approve(request=request, actor=manager, note="ok")
    request.refresh_from_db()
    assert request.status == "approved" and request.decided_by == manager
    assert Notification.objects.filter(user=world.users["agent"], message__contains="approved")
    verbs = set(AuditEntry.objects.for_object(request).values_list("action", flat=True))
    assert {"time_off_request", "time_off_approve"} <= verbs


def test_no_leave_within_an_hour_of_shift_start_except_emergency():
    world, _schedule, shifts = world_with_week()
    agent = world.employees["agent"]
    shift = shifts[agent][1]
    data = dict(
        employee=agent,
        start=shift.start,
        end=shift.end,
        kind="personal",
        actor=world.users["agent"],
    )
    for minutes in (-60, -30, 0, 45, 60):
        with pytest.raises(ValidationError, match="one hour"):
            services.time_off_request(now=shift.start + timedelta(minutes=minutes), **data)
    with pytest.raises(ValidationError, match="emergency"):
        services.time_off_request(
            now=shift.start - timedelta(minutes=10), emergency=True, reason=" ", **data
        )
    # Outside the hour: allowed; an emergency: allowed inside the hour too.
    services.time_off_request(now=shift.start - timedelta(minutes=61), **data)
    TimeOffRequest.objects.update(status="cancelled")
    made = services.time_off_request(
        now=shift.start - timedelta(minutes=10), emergency=True, reason="child ill", **data
    )
    assert made.emergency


def test_time_off_scope_and_own_decision_refused():
    world, _schedule, shifts = world_with_week()
    other = world.other_employee
    start = shifts[other][0].start
    with pytest.raises(PermissionDenied):
        services.time_off_request(
            employee=other,
            start=start,
            end=start + timedelta(hours=1),
            kind="annual",
            actor=world.users["agent"],
        )
    request = services.time_off_request(
        employee=other,
        start=start,
        end=start + timedelta(hours=1),
        kind="annual",
        actor=world.other_agent,
    )
    # The group manager of group 1 does not manage group 2.
    with pytest.raises(PermissionDenied):
        services.time_off_approve(request=request, actor=world.users["group_manager"])
    with pytest.raises(PermissionDenied):
        services.time_off_approve(request=request, actor=world.other_agent)
    services.time_off_reject(request=request, actor=world.users["operations_supervisor"])
    with pytest.raises(ValidationError, match="already"):
        services.time_off_approve(request=request, actor=world.users["operations_supervisor"])


def test_overlapping_time_off_refused_and_cancel():
    world, _schedule, shifts = world_with_week()
    agent = world.employees["agent"]
    start = shifts[agent][3].start
    first = services.time_off_request(
        employee=agent,
        start=start,
        end=start + timedelta(hours=4),
        kind="annual",
        actor=world.users["agent"],
    )
    with pytest.raises(ValidationError, match="overlaps"):
        services.time_off_request(
            employee=agent,
            start=start + timedelta(hours=2),
            end=start + timedelta(hours=6),
            kind="annual",
            actor=world.users["agent"],
        )
    services.time_off_cancel(request=first, actor=world.users["agent"])
    assert TimeOffRequest.objects.get(pk=first.pk).status == "cancelled"


def test_swap_flow_moves_shifts_after_approval():
    world, _schedule, shifts = world_with_week()
    agent, other = world.employees["agent"], world.other_employee
    # The other agent's Friday becomes an early shift so the swap is a real exchange.
    mine, theirs = shifts[agent][4], shifts[other][4]
    swap = services.shift_swap_request(
        shift=mine, colleague=other, colleague_shift=theirs, actor=world.users["agent"]
    )
    assert set(swap.participants.all()) == {agent, other}
    with pytest.raises(PermissionDenied):
        services.shift_swap_accept(swap=swap, actor=world.users["agent"])
    services.shift_swap_accept(swap=swap, actor=world.other_agent)
    # Group 2 is not the group manager's: the operations supervisor approves.
    with pytest.raises(PermissionDenied):
        services.shift_swap_approve(swap=swap, actor=world.users["agent"])
    services.shift_swap_approve(swap=swap, actor=world.users["operations_supervisor"])
    assert ScheduledShift.objects.get(pk=mine.pk).employee == other
    assert ScheduledShift.objects.get(pk=theirs.pk).employee == agent
    assert Notification.objects.filter(user=world.other_agent, message__contains="approved")


def test_swap_give_away_breaking_rest_or_day_rule_refused():
    world, schedule, shifts = world_with_week()
    agent, other = world.employees["agent"], world.other_employee
    # Giving Monday's shift to a colleague who already works Monday: two shifts a day.
    with pytest.raises(ValidationError, match="two shifts"):
        services.shift_swap_request(
            shift=shifts[agent][0], colleague=other, actor=world.users["agent"]
        )
    # A late shift on Saturday for the agent, an early Sunday shift for the colleague:
    # giving away the agent's Saturday... the colleague would rest too little before Sunday.
    week = schedule.week_start + timedelta(days=7)
    publish_week(
        world,
        week,
        {agent: [(5, 15, 8)], other: [(6, 6, 8)]},
    )
    saturday = ScheduledShift.objects.get(
        employee=agent, start=local(world.site, week + timedelta(days=5), 15)
    )
    with pytest.raises(ValidationError, match="rest only"):
        services.shift_swap_request(shift=saturday, colleague=other, actor=world.users["agent"])


def test_swap_only_future_published_own_shifts():
    world, _schedule, shifts = world_with_week()
    with pytest.raises(PermissionDenied):
        services.shift_swap_request(
            shift=shifts[world.other_employee][0],
            colleague=world.employees["agent"],
            actor=world.users["agent"],
        )
    past_week = monday(timezone.localdate()) - timedelta(days=14)
    _, past = publish_week(world, past_week, {world.employees["agent"]: [(0, 9, 8)]})
    with pytest.raises(ValidationError, match="already started"):
        services.shift_swap_request(
            shift=past[world.employees["agent"]][0],
            colleague=world.other_employee,
            actor=world.users["agent"],
        )


def test_publish_supersedes_and_notifies():
    world, schedule, shifts = world_with_week()
    ops = world.users["operations_supervisor"]
    assert Notification.objects.filter(user=world.users["agent"], message__contains="published")
    draft = services.schedule_create(
        site=world.site, week_start=schedule.week_start, copy_from=schedule, actor=ops
    )
    assert draft.version == 2 and draft.shifts.count() == schedule.shifts.count()
    services.schedule_publish(schedule=draft, actor=ops)
    schedule.refresh_from_db()
    assert schedule.status == "superseded"
    with pytest.raises(ValidationError, match="draft"):
        services.shift_add(
            schedule=draft,
            start=shifts[world.other_employee][0].start,
            end=shifts[world.other_employee][0].end,
            actor=ops,
        )


def test_swap_checked_by_the_engine_roster_rules():
    world, schedule, _shifts = world_with_week()
    ops = world.users["operations_supervisor"]
    draft = services.schedule_create(
        site=world.site, week_start=schedule.week_start, copy_from=schedule, actor=ops
    )
    saturday = local(world.site, schedule.week_start + timedelta(days=5), 9)
    trainer = world.employees["trainer"]
    extra = services.shift_add(
        schedule=draft,
        employee=trainer,
        start=saturday,
        end=saturday + timedelta(hours=4),
        actor=ops,
    )
    services.schedule_publish(schedule=draft, actor=ops)
    # The colleague works Monday to Friday: a Saturday too leaves one day off (two needed).
    with pytest.raises(ValidationError, match="days off"):
        services.shift_swap_request(
            shift=extra, colleague=world.other_employee, actor=world.users["trainer"]
        )


def test_notification_is_translated_for_its_reader_not_its_sender(client):
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    world, _schedule, shifts = world_with_week()
    agent = world.employees["agent"]
    start = shifts[agent][2].start
    with translation.override("en"):  # the manager works in English
        request = services.time_off_request(
            employee=agent,
            start=start,
            end=start + timedelta(hours=8),
            kind="annual",
            actor=world.users["agent"],
        )
        services.time_off_approve(request=request, actor=world.users["group_manager"], note="")
    note = Notification.objects.get(user=world.users["agent"], url=request.get_absolute_url())
    # the start in the site's time (a shift at 09:00 Shanghai is 01:00 UTC)
    day = f"{request.start.astimezone(world.site.zone):%Y-%m-%d %H:%M}"
    assert note.message == f"Your time off from {day} is approved."
    with translation.override("zh-hans"):
        assert note.text == f"您自 {day} 起的请假已批准。"
    # the agent reads it in Chinese, on the page and through the API
    client.force_login(world.users["agent"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get(reverse("core:notification_list")).content.decode()
    assert f"您自 {day} 起的请假已批准。" in page and "is approved" not in page
    rows = client.get("/api/v1/core/notifications/").json()
    (row,) = [r for r in rows if r["id"] == note.pk]
    assert row["text"] == f"您自 {day} 起的请假已批准。" and row["message"] == note.message
