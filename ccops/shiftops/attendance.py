"""Attendance: clock in and out against the published schedule, as oneself.

The manual's rules, as derived here:

* be ready ten minutes before the shift: ``ready_in_time`` is true when the clock-in is at
  least :data:`READY_MINUTES` before the shift start;
* lateness: minutes between the shift start and a later clock-in;
* early leave: minutes between a clock-out and the later shift end;
* absence: a published shift that ended without a clock-in (found by
  :func:`attendance_settle`); it is *excused* when an approved time-off request (the wfm
  app's leave flow, which applies the manual's leave rules) overlaps the shift.

A clock-in is always for the logged-in account's own employee record: nobody can clock in
or out for someone else.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccops.core.errors import Conflict
from ccops.core.models import Site
from ccops.core.services import lock_for_update, record_create, record_update
from ccops.people.models import Employee
from ccops.people.services import employee_for
from ccops.shiftops.choices import AttendanceStatus
from ccops.shiftops.models import AttendanceRecord

READY_MINUTES = 10
#: How early before its start a shift accepts a clock-in.
EARLIEST_CLOCK_IN = dt.timedelta(hours=2)


def _published_shifts():
    from ccops.wfm.models import ScheduledShift

    return ScheduledShift.objects.filter(schedule__status="published", schedule__archived_at=None)


def _approved_leave(employee_id: int, start: dt.datetime, end: dt.datetime) -> bool:
    from ccops.wfm.models import TimeOffRequest

    return TimeOffRequest.objects.filter(
        employee_id=employee_id, status="approved", start__lt=end, end__gt=start
    ).exists()


def _minutes(delta: dt.timedelta) -> int:
    return max(0, int(delta.total_seconds() // 60))


def derive(record: AttendanceRecord) -> dict:
    """Status, readiness, lateness and early leave of a record from its times."""
    if record.shift_start is None:
        status = AttendanceStatus.UNSCHEDULED if record.clock_in else AttendanceStatus.ABSENT
        return {
            "status": status,
            "ready_in_time": None,
            "late_minutes": 0,
            "early_leave_minutes": 0,
        }
    if record.clock_in is None:
        excused = _approved_leave(record.employee_id, record.shift_start, record.shift_end)
        status = AttendanceStatus.EXCUSED if excused else AttendanceStatus.ABSENT
        return {
            "status": status,
            "ready_in_time": None,
            "late_minutes": 0,
            "early_leave_minutes": 0,
        }
    late = _minutes(record.clock_in - record.shift_start)
    ready = record.clock_in <= record.shift_start - dt.timedelta(minutes=READY_MINUTES)
    early = _minutes(record.shift_end - record.clock_out) if record.clock_out else 0
    if record.clock_out is None:
        status = AttendanceStatus.OPEN
    elif late and early:
        status = AttendanceStatus.LATE_AND_EARLY
    elif late:
        status = AttendanceStatus.LATE
    elif early:
        status = AttendanceStatus.EARLY_LEAVE
    else:
        status = AttendanceStatus.ON_TIME
    return {
        "status": status,
        "ready_in_time": ready,
        "late_minutes": late,
        "early_leave_minutes": early,
    }


def _own_employee(actor, employee: Employee | None) -> Employee:
    own = employee_for(actor)
    if own is None:
        raise PermissionDenied(_("Your account has no employee record."))
    if employee is not None and employee.pk != own.pk:
        raise PermissionDenied(
            _("You can only clock in and out as yourself, not as %(other)s.")
            % {"other": employee.full_name}
        )
    return own


def current_shift(employee: Employee, now: dt.datetime):
    """The employee's published shift that accepts a clock-in now (or ``None``)."""
    return (
        _published_shifts()
        .filter(employee=employee, start__lte=now + EARLIEST_CLOCK_IN, end__gt=now)
        .order_by("start")
        .first()
    )


@transaction.atomic
def attendance_clock_in(
    *, actor, employee: Employee | None = None, now: dt.datetime | None = None
) -> AttendanceRecord:
    """Clock in the logged-in account's employee (``employee``, if given, must be them)
    against the published shift starting within two hours or under way."""
    employee = lock_for_update(_own_employee(actor, employee))  # one clock at a time
    now = now or timezone.now()
    if AttendanceRecord.objects.filter(
        employee=employee, clock_in__isnull=False, clock_out__isnull=True
    ).exists():
        raise Conflict(_("You are already clocked in."))
    shift = current_shift(employee, now)
    if shift is not None and AttendanceRecord.objects.filter(shift=shift).exists():
        raise Conflict(_("This shift already has its clock-in."))
    record = AttendanceRecord(
        employee=employee,
        shift=shift,
        shift_start=shift.start if shift else None,
        shift_end=shift.end if shift else None,
        clock_in=now,
    )
    data = {
        "employee": employee,
        "shift": shift,
        "shift_start": record.shift_start,
        "shift_end": record.shift_end,
        "clock_in": now,
        **derive(record),
    }
    return record_create(AttendanceRecord, data=data, actor=actor, verb="attendance_clock_in")


@transaction.atomic
def attendance_clock_out(
    *, actor, employee: Employee | None = None, now: dt.datetime | None = None
) -> AttendanceRecord:
    """Clock out the logged-in account's employee."""
    employee = lock_for_update(_own_employee(actor, employee))
    now = now or timezone.now()
    record = (
        AttendanceRecord.objects.select_for_update()
        .filter(employee=employee, clock_in__isnull=False, clock_out__isnull=True)
        .order_by("-clock_in")
        .first()
    )
    if record is None:
        raise Conflict(_("You are not clocked in."))
    record.clock_out = now
    return record_update(
        record, data={"clock_out": now, **derive(record)}, actor=actor, verb="attendance_clock_out"
    )


@transaction.atomic
def attendance_correct(
    *, record: AttendanceRecord, actor, clock_in=None, clock_out=None, note: str
) -> AttendanceRecord:
    """A supervisor's or manager's correction of the times (a note says why)."""
    record = lock_for_update(record)
    if not note.strip():
        raise ValidationError({"note": _("Say why the times are corrected.")})
    if record.employee.user_id == getattr(actor, "pk", None):
        raise PermissionDenied(_("Your own attendance is corrected by someone else."))
    if clock_in and clock_out and clock_out <= clock_in:
        raise ValidationError({"clock_out": _("The clock-out is before the clock-in.")})
    record.clock_in, record.clock_out = clock_in, clock_out
    data = {"clock_in": clock_in, "clock_out": clock_out, "note": note.strip(), **derive(record)}
    return record_update(record, data=data, actor=actor, verb="attendance_correct")


@transaction.atomic
def attendance_settle(*, actor, sites, now: dt.datetime | None = None) -> int:
    """Record an absence (or excused absence, on approved leave) for every published shift
    of ``sites`` that has ended without a clock-in. Returns how many were recorded.

    The sites are locked first: two parallel settlements record each absence once."""
    now = now or timezone.now()
    sites = list(
        Site.objects.filter(pk__in=[s.pk for s in sites]).order_by("pk").select_for_update()
    )
    shifts = (
        _published_shifts()
        .filter(schedule__site__in=sites, employee__isnull=False, end__lte=now)
        .exclude(pk__in=AttendanceRecord.objects.filter(shift__isnull=False).values("shift"))
        .select_related("employee")
    )
    count = 0
    for shift in shifts:
        record = AttendanceRecord(
            employee=shift.employee, shift=shift, shift_start=shift.start, shift_end=shift.end
        )
        data = {
            "employee": shift.employee,
            "shift": shift,
            "shift_start": shift.start,
            "shift_end": shift.end,
            **derive(record),
        }
        record_create(AttendanceRecord, data=data, actor=actor, verb="attendance_settle")
        count += 1
    return count
