"""REST API of attendance: clock in and out (as oneself), corrections, settling absences.
Mounted inside the shiftops router (``/api/v1/shiftops/attendance/...``)."""

from __future__ import annotations

from datetime import datetime

from ninja import ModelSchema, Router, Schema, Status

from ccops.core.apitools import get_or_404, register_crud, require_perm, resolve_pk
from ccops.core.models import Site
from ccops.people.models import Employee
from ccops.shiftops import attendance
from ccops.shiftops.filters import AttendanceRecordFilter
from ccops.shiftops.models import AttendanceRecord

router = Router(tags=["shiftops"])


# --- attendance ---------------------------------------------------------------------------


class AttendanceOut(ModelSchema):
    class Meta:
        model = AttendanceRecord
        fields = [
            "id",
            "employee",
            "shift",
            "shift_start",
            "shift_end",
            "clock_in",
            "clock_out",
            "status",
            "ready_in_time",
            "late_minutes",
            "early_leave_minutes",
            "note",
        ]


class ClockIn(Schema):
    employee: int | None = None


class CorrectIn(Schema):
    clock_in: datetime | None = None
    clock_out: datetime | None = None
    note: str


class SettleOut(Schema):
    recorded: int


register_crud(
    router,
    AttendanceRecord,
    path="attendance",
    out_schema=AttendanceOut,
    filterset=AttendanceRecordFilter,
    archive=False,
)


def _clock_employee(payload: ClockIn):
    # Named so that a clock-in for someone else is refused with a clear 403, not ignored.
    return resolve_pk(Employee, payload.employee, "employee") if payload.employee else None


@router.post(
    "/attendance/clock-in",
    response={201: AttendanceOut},
    operation_id="shiftops_attendance_clock_in",
    summary="Clock in (always as yourself)",
)
def clock_in(request, payload: ClockIn):
    require_perm(request, AttendanceRecord, "add")
    record = attendance.attendance_clock_in(actor=request.user, employee=_clock_employee(payload))
    return Status(201, record)


@router.post(
    "/attendance/clock-out",
    response=AttendanceOut,
    operation_id="shiftops_attendance_clock_out",
    summary="Clock out (always as yourself)",
)
def clock_out(request, payload: ClockIn):
    require_perm(request, AttendanceRecord, "add")
    return attendance.attendance_clock_out(actor=request.user, employee=_clock_employee(payload))


@router.patch(
    "/attendance/{int:pk}",
    response=AttendanceOut,
    operation_id="shiftops_attendancerecord_update",
    summary="Correct the clock times of an attendance record",
)
def attendance_correct(request, pk: int, payload: CorrectIn):
    require_perm(request, AttendanceRecord, "change")
    record = get_or_404(request, AttendanceRecord, pk, "change")
    return attendance.attendance_correct(record=record, actor=request.user, **payload.dict())


@router.post(
    "/attendance/settle",
    response=SettleOut,
    operation_id="shiftops_attendance_settle",
    summary="Record the absences of ended published shifts without a clock-in",
)
def settle(request):
    require_perm(request, AttendanceRecord, "change")
    sites = Site.objects.restrict(request.user, "view")
    return {"recorded": attendance.attendance_settle(actor=request.user, sites=sites)}
