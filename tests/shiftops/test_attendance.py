"""Attendance against the published schedule: ready 10 minutes before, lateness, early
leave, absence (excused by approved leave), clock-in bound to the logged-in account."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from ccops.core import audit
from ccops.core.testing import api_operation_paths, build_world
from ccops.shiftops import attendance
from ccops.shiftops.models import AttendanceRecord
from ccops.wfm.models import Schedule, ScheduledShift, TimeOffRequest

pytestmark = pytest.mark.django_db
_week = itertools.count(1)


def shift(w, employee, start, hours=8, status="published"):
    with audit.acting_as(None, via=audit.VIA_SYSTEM):
        schedule = Schedule.objects.create(
            site=w.site,
            week_start=dt.date(2020, 1, 6) + dt.timedelta(weeks=next(_week)),
            version=1,
            status=status,
        )
        return ScheduledShift.objects.create(
            schedule=schedule, employee=employee, start=start, end=start + dt.timedelta(hours=hours)
        )


def test_clock_in_ready_ten_minutes_before_and_on_time():
    w = build_world()
    start = timezone.now() + dt.timedelta(minutes=15)
    s = shift(w, w.employees["agent"], start)
    record = attendance.attendance_clock_in(
        actor=w.users["agent"], now=start - dt.timedelta(minutes=12)
    )
    assert record.shift == s and record.ready_in_time and record.status == "open"
    with pytest.raises(ValidationError, match="already clocked in"):
        attendance.attendance_clock_in(actor=w.users["agent"], now=start)
    record = attendance.attendance_clock_out(
        actor=w.users["agent"], now=s.end + dt.timedelta(minutes=1)
    )
    assert record.status == "on_time" and record.late_minutes == 0
    assert record.early_leave_minutes == 0


def test_lateness_not_ready_and_early_leave_are_derived():
    w = build_world()
    start = timezone.now()
    s = shift(w, w.employees["agent"], start)
    record = attendance.attendance_clock_in(
        actor=w.users["agent"], now=start - dt.timedelta(minutes=5)
    )
    assert record.ready_in_time is False and record.late_minutes == 0
    attendance.attendance_clock_out(actor=w.users["agent"], now=s.end - dt.timedelta(minutes=30))
    record.refresh_from_db()
    assert record.status == "early_leave" and record.early_leave_minutes == 30
    s2 = shift(w, w.employees["group_manager"], start)
    late = attendance.attendance_clock_in(
        actor=w.users["group_manager"], now=start + dt.timedelta(minutes=17)
    )
    attendance.attendance_clock_out(
        actor=w.users["group_manager"], now=s2.end - dt.timedelta(hours=1)
    )
    late.refresh_from_db()
    assert (
        late.status == "late_early" and late.late_minutes == 17 and late.early_leave_minutes == 60
    )


def test_only_published_shifts_count():
    w = build_world()
    shift(w, w.employees["agent"], timezone.now(), status="draft")
    record = attendance.attendance_clock_in(actor=w.users["agent"])
    assert record.shift is None and record.status == "unscheduled"


def test_clock_in_cannot_be_made_for_someone_else(client):
    w = build_world()
    shift(w, w.other_employee, timezone.now())
    with pytest.raises(PermissionDenied, match="as yourself"):
        attendance.attendance_clock_in(actor=w.users["agent"], employee=w.other_employee)
    with pytest.raises(PermissionDenied, match="as yourself"):
        attendance.attendance_clock_in(
            actor=w.users["operations_supervisor"], employee=w.other_employee
        )
    # The API refuses a named employee who is not the caller.
    client.force_login(w.users["group_manager"])
    path = api_operation_paths()["shiftops_attendance_clock_in"]
    response = client.post(
        path, data={"employee": w.other_employee.pk}, content_type="application/json"
    )
    assert response.status_code == 403 and "as yourself" in response.text
    # The page has no way to name someone: a forged field is ignored, the clock-in is mine.
    client.post(
        reverse("shiftops:attendance_clock"), {"action": "in", "employee": w.other_employee.pk}
    )
    assert not AttendanceRecord.objects.filter(employee=w.other_employee).exists()
    mine = AttendanceRecord.objects.get(employee=w.employees["group_manager"])
    assert mine.clock_in is not None
    # An account without an employee record cannot clock in at all.
    from ccops.core.testing import make_user

    with pytest.raises(PermissionDenied):
        attendance.attendance_clock_in(actor=make_user("agent"))
    client.force_login(w.other_agent)
    response = client.post(path, data={}, content_type="application/json")
    assert response.status_code == 201 and response.json()["employee"] == w.other_employee.pk


def test_absences_are_settled_and_excused_by_approved_leave(client):
    w = build_world()
    start = timezone.now() - dt.timedelta(hours=10)
    missed = shift(w, w.employees["agent"], start)
    on_leave = shift(w, w.other_employee, start)
    with audit.acting_as(None, via=audit.VIA_SYSTEM):
        TimeOffRequest.objects.create(
            employee=w.other_employee,
            start=start - dt.timedelta(hours=1),
            end=start + dt.timedelta(days=1),
            kind="sick",
            status="approved",
        )
    client.force_login(w.users["operations_supervisor"])
    client.post(reverse("shiftops:attendance_settle"))
    assert AttendanceRecord.objects.get(shift=missed).status == "absent"
    assert AttendanceRecord.objects.get(shift=on_leave).status == "excused"
    assert attendance.attendance_settle(actor=None, sites=[w.site]) == 0  # idempotent
    page = client.get(reverse("home")).text
    assert "panel-shiftopsattendance_today" in page and w.employees["agent"].full_name in page


def test_corrections_by_a_manager_need_a_note_and_rederive():
    w = build_world()
    start = timezone.now() - dt.timedelta(hours=9)
    s = shift(w, w.employees["agent"], start)
    record = attendance.attendance_clock_in(
        actor=w.users["agent"], now=start + dt.timedelta(minutes=40)
    )
    with pytest.raises(ValidationError, match="Say why"):
        attendance.attendance_correct(
            record=record, clock_in=start, clock_out=s.end, note="", actor=w.users["group_manager"]
        )
    with pytest.raises(PermissionDenied):
        attendance.attendance_correct(
            record=record, clock_in=start, clock_out=s.end, note="x", actor=w.users["agent"]
        )
    record = attendance.attendance_correct(
        record=record,
        clock_in=start - dt.timedelta(minutes=15),
        clock_out=s.end,
        note="Badge reader was down",
        actor=w.users["group_manager"],
    )
    assert record.status == "on_time" and record.ready_in_time and record.late_minutes == 0


def test_my_clock_page(client):
    w = build_world()
    shift(w, w.employees["agent"], timezone.now() + dt.timedelta(minutes=5))
    client.force_login(w.users["agent"])
    assert "Clock in" in client.get(reverse("shiftops:attendance_clock")).text
    response = client.post(reverse("shiftops:attendance_clock"), {"action": "in"}, follow=True)
    assert "less than ten minutes" in response.text
    assert "Clock out" in response.text
    assert "panel-shiftopsmy_clock" in client.get(reverse("home")).text


def test_settle_attendance_command(capsys):
    # call_command, not `ccops manage`: execute_from_command_line closes the connections,
    # which ends the test's transaction on PostgreSQL.
    from django.core.management import call_command

    w = build_world()
    missed = shift(w, w.employees["agent"], timezone.now() - dt.timedelta(hours=9))
    call_command("settle_attendance")
    assert "1 absences recorded" in capsys.readouterr().out
    record = AttendanceRecord.objects.get(shift=missed)
    assert record.status == "absent"
    from ccops.core.models import AuditEntry

    assert AuditEntry.objects.for_object(record).get().via == "cli"
