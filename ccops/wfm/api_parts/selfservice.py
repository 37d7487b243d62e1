"""API of shifts, time-off and swap requests."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import ModelSchema, Schema, Status

from ccops.core.apitools import get_or_404, register_crud, require_perm, resolve_pk
from ccops.core.permissions import not_found
from ccops.people.models import Employee, LeaveType
from ccops.people.services import employee_for
from ccops.wfm import services
from ccops.wfm.api_parts.base import router
from ccops.wfm.filters import ShiftFilter, SwapFilter, TimeOffFilter
from ccops.wfm.models import ScheduledShift, ShiftSwapRequest, TimeOffRequest


class ShiftOut(ModelSchema):
    breaks: list[dict]
    queue_ids: list[int]

    class Meta:
        model = ScheduledShift
        fields = [
            "id",
            "schedule",
            "employee",
            "start",
            "end",
            "breaks",
            "template",
            "queue",
            "queue_ids",
        ]


class TimeOffOut(ModelSchema):
    class Meta:
        model = TimeOffRequest
        fields = [
            "id",
            "employee",
            "start",
            "end",
            "kind",
            "leave_type",
            "days",
            "day_part",
            "reason",
            "emergency",
            "status",
            "decided_by",
            "decided_at",
            "decision_note",
        ]


class TimeOffIn(Schema):
    start: datetime
    end: datetime
    kind: str = ""
    leave_type: int | None = None
    reason: str = ""
    emergency: bool = False
    employee: int | None = None
    #: ``morning`` or ``afternoon``: half of the day ``start`` falls on (``end`` that day).
    day_part: str = ""


class SwapOut(ModelSchema):
    class Meta:
        model = ShiftSwapRequest
        fields = [
            "id",
            "requester",
            "shift",
            "colleague",
            "colleague_shift",
            "reason",
            "status",
            "accepted_at",
            "decided_by",
            "decided_at",
            "decision_note",
        ]


class SwapIn(Schema):
    shift: int
    colleague: int
    colleague_shift: int | None = None
    reason: str = ""


class DecisionIn(Schema):
    note: str = ""


def _time_off_create(*, actor, employee=None, **data):
    if employee is None:
        target = employee_for(actor)
    else:
        target = Employee.objects.restrict(actor, "view").filter(pk=employee).first()
    if target is None:
        raise ValidationError({"employee": not_found(Employee._meta.verbose_name, employee)})
    if data.get("leave_type") is not None:
        data["leave_type"] = resolve_pk(
            LeaveType, data["leave_type"], "leave_type", LeaveType.objects.filter(site=target.site)
        )
    return services.time_off_request(employee=target, actor=actor, **data)


def _swap_create(*, actor, shift, colleague, colleague_shift=None, reason=""):
    mine = services.published_shifts().filter(pk=shift).first()
    other = Employee.objects.filter(pk=colleague).first()
    theirs = services.published_shifts().filter(pk=colleague_shift).first()
    errors = {}
    if mine is None:
        errors["shift"] = _("There is no published shift %(pk)s.") % {"pk": shift}
    if other is None:
        errors["colleague"] = not_found(Employee._meta.verbose_name, colleague)
    if colleague_shift and theirs is None:
        errors["colleague_shift"] = _("There is no published shift %(pk)s.") % {
            "pk": colleague_shift
        }
    if errors:
        raise ValidationError(errors)
    return services.shift_swap_request(
        shift=mine,
        colleague=other,
        colleague_shift=theirs,
        reason=reason,
        actor=actor,
    )


register_crud(
    router,
    ScheduledShift,
    path="shifts",
    out_schema=ShiftOut,
    filterset=ShiftFilter,
    archive=False,
)
register_crud(
    router,
    TimeOffRequest,
    path="time-off",
    out_schema=TimeOffOut,
    filterset=TimeOffFilter,
    archive=False,
)


@router.post(
    "/time-off/",
    response={201: TimeOffOut},
    operation_id="wfm_timeoffrequest_create",
    summary="Ask for time off",
)
def _time_off_create_view(request, payload: TimeOffIn):
    require_perm(request, TimeOffRequest, "add")
    return Status(201, _time_off_create(actor=request.user, **payload.dict()))


register_crud(
    router,
    ShiftSwapRequest,
    path="swaps",
    out_schema=SwapOut,
    filterset=SwapFilter,
    archive=False,
)


@router.post(
    "/swaps/",
    response={201: SwapOut},
    operation_id="wfm_shiftswaprequest_create",
    summary="Ask for a shift swap",
)
def _swap_create_view(request, payload: SwapIn):
    require_perm(request, ShiftSwapRequest, "add")
    return Status(201, _swap_create(actor=request.user, **payload.dict()))


def _decision(model, action_perm, fn, pass_note: bool):
    def view(request, pk: int, payload: DecisionIn):
        if action_perm:
            require_perm(request, model, action_perm)
        obj = get_or_404(request, model, pk)
        kwargs = {"actor": request.user}
        if pass_note:
            kwargs["note"] = payload.note
        key = "request" if model is TimeOffRequest else "swap"
        fn(**{key: obj}, **kwargs)
        obj.refresh_from_db()
        return obj

    return view


for _verb, _perm, _fn, _note in [
    ("approve", "change", services.time_off_approve, True),
    ("reject", "change", services.time_off_reject, True),
    ("cancel", None, services.time_off_cancel, False),
]:
    router.post(
        f"/time-off/{{int:pk}}/{_verb}",
        response=TimeOffOut,
        operation_id=f"wfm_timeoffrequest_{_verb}",
        summary=f"{_verb.capitalize()} a time-off request",
    )(_decision(TimeOffRequest, _perm, _fn, _note))

for _verb, _perm, _fn, _note in [
    ("accept", None, services.shift_swap_accept, False),
    ("approve", "change", services.shift_swap_approve, True),
    ("reject", None, services.shift_swap_reject, True),
    ("cancel", None, services.shift_swap_cancel, False),
]:
    router.post(
        f"/swaps/{{int:pk}}/{_verb}",
        response=SwapOut,
        operation_id=f"wfm_shiftswaprequest_{_verb}",
        summary=f"{_verb.capitalize()} a shift swap request",
    )(_decision(ShiftSwapRequest, _perm, _fn, _note))


@router.get(
    "/my/shifts/",
    response=list[ShiftOut],
    operation_id="wfm_my_shifts",
    summary="My published shifts from four weeks ago on",
)
def my_shift_list(request):
    require_perm(request, ScheduledShift, "view")
    from ccops.wfm.services.calendar import my_shifts

    employee = employee_for(request.user)
    return list(my_shifts(employee)) if employee else []
