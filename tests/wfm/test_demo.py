"""The demo center shows a published schedule out of the box (and building is idempotent)."""

from __future__ import annotations

import datetime as dt

import pytest

from ccops.core.models import CalendarPeriod, Notification
from ccops.people.demo import build_demo_center
from ccops.people.models import Employee
from ccops.wfm.demo import build_demo_wfm
from ccops.wfm.models import Schedule, ScheduledShift, ScheduleFeedback, ShiftActivity

pytestmark = pytest.mark.django_db


def test_demo_has_a_published_schedule_with_the_demo_agent():
    today = dt.date(2026, 3, 4)
    report = build_demo_center(seed=3, weeks=3, today=today)
    made = build_demo_wfm(
        site=report.site, queues=report.queues, history=report.history, today=today
    )
    schedule = made["schedule"]
    assert schedule.status == "published" and schedule.week_start == dt.date(2026, 3, 2)
    assert made["forecast"].status == "ready" and made["intervals"] > 0
    # actuals up to yesterday (a Tuesday), none for today: accuracy and intraday have data
    from ccops.wfm.models import IntervalStat

    local_days = {
        r.interval_start.astimezone(report.site.zone).date()
        for r in IntervalStat.objects.filter(site=report.site).only("interval_start")
    }
    assert max(local_days) == today - dt.timedelta(days=1)
    mine = ScheduledShift.objects.filter(schedule=schedule, employee__user__username="agent")
    assert mine.exists()
    assert Notification.objects.filter(user__username="agent", message__contains="published")
    # The demo volume fits the demo staff: nearly every published shift has an employee
    # (before the volume was scaled to the demo's size, 47 of 85 shifts were unassigned).
    shifts = ScheduledShift.objects.filter(schedule=schedule)
    assigned = shifts.filter(employee__isnull=False).count()
    assert shifts.count() >= 20 and assigned >= 0.9 * shifts.count()
    # one site schedule for every queue, and nearly every agent who answers calls is in it
    served = {q for s in shifts for q in s.serves}
    assert served == {q.pk for q in report.queues}
    answering = set(
        Employee.objects.filter(
            site=report.site, status="active", skills__skill__queue__isnull=False
        ).values_list("pk", flat=True)
    )
    rostered = set(shifts.exclude(employee=None).values_list("employee", flat=True))
    assert len(rostered & answering) >= 0.85 * len(answering)
    # a training placed inside a team's shifts, and the demo agent's feedback
    assert ShiftActivity.objects.filter(shift__schedule=schedule, kind="training").count() >= 3
    assert ScheduleFeedback.objects.filter(schedule=schedule, employee__user__username="agent")
    # A Shanghai center: the Chinese public holidays, not the Western ones (named in English:
    # built without a demo language; ccops demo builds it in Chinese, tests/web/test_demo.py).
    holidays = set(
        CalendarPeriod.objects.filter(site=report.site, kind="holiday").values_list(
            "name", "start_date", "end_date"
        )
    )
    assert ("Spring Festival", dt.date(2026, 2, 15), dt.date(2026, 2, 23)) in holidays
    assert ("Qingming Festival", dt.date(2026, 4, 4), dt.date(2026, 4, 6)) in holidays
    assert not any("Easter" in name or "Good Friday" in name for name, _, _ in holidays)
    again = build_demo_wfm(
        site=report.site, queues=report.queues, history=report.history, today=today
    )
    assert again["schedule"].pk == schedule.pk
    # leave: the default types, balances for the demo's people, approved and pending time off
    from ccops.wfm.models import TimeOffRequest
    from ccops.wfm.services.leave import employee_balances

    assert made["leave"] >= 4 and again["leave"] == 0
    agent = Employee.objects.get(user__username="agent")
    annual = {str(b.leave_type.code): b for b in employee_balances(agent, today.year)}["annual"]
    assert annual.entitlement >= 5 and annual.approved == 2 and annual.pending == 1
    statuses = set(TimeOffRequest.objects.values_list("status", flat=True))
    assert {"approved", "requested"} <= statuses
    assert Schedule.objects.filter(site=report.site).count() == 1
