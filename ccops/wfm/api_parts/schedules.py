"""API of shift template sets and schedules (generate, publish, new version, coverage)."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, ModelSchema, Schema, Status

from ccops.core.apitools import get_or_404, register_crud, require_perm, resolve_pk
from ccops.core.errors import Conflict
from ccops.core.models import Job, Site
from ccops.people.models import Employee
from ccops.wfm import services
from ccops.wfm.api_parts.base import router
from ccops.wfm.api_parts.selfservice import ShiftOut
from ccops.wfm.filters import ScheduleFilter, TemplateSetFilter
from ccops.wfm.models import Schedule, ScheduledShift, ShiftTemplateSet
from ccops.wfm.services import generate
from ccops.wfm.services.coverage import coverage, request_projection
from ccops.wfm.services.schedules import NeedsConfirmation


class TemplateSetOut(ModelSchema):
    class Meta:
        model = ShiftTemplateSet
        fields = ["id", "site", "name", "definition", "description", "archived_at"]


class TemplateSetIn(Schema):
    site: int
    name: str
    definition: str
    description: str = ""


class TemplateSetPatch(Schema):
    name: str | None = None
    definition: str | None = None
    description: str | None = None


def _check_definition(name: str, definition: str) -> None:
    generate.parse_template_set(ShiftTemplateSet(name=name, definition=definition))


def _template_set_create(*, actor, site, **data):
    from ccops.core.services import record_create

    site_obj = resolve_pk(Site, site, "site")
    _check_definition(data["name"], data["definition"])
    return record_create(
        ShiftTemplateSet, data={"site": site_obj, **data}, actor=actor, verb="template_set_create"
    )


def _template_set_update(*, instance, actor, **data):
    from ccops.core.services import record_update

    if "definition" in data:
        _check_definition(data.get("name") or instance.name, data["definition"])
    return record_update(instance, data=data, actor=actor, verb="template_set_update")


register_crud(
    router,
    ShiftTemplateSet,
    path="template-sets",
    out_schema=TemplateSetOut,
    in_schema=TemplateSetIn,
    patch_schema=TemplateSetPatch,
    filterset=TemplateSetFilter,
    create=_template_set_create,
    update=_template_set_update,
)


class ScheduleOut(ModelSchema):
    class Meta:
        model = Schedule
        fields = [
            "id",
            "site",
            "week_start",
            "version",
            "status",
            "plans",
            "template_set",
            "created_by",
            "job",
            "published_at",
            "published_by",
            "notes",
            "created_at",
        ]


class GenerateIn(Schema):
    site: int
    week_start: date
    template_set: int
    time_limit: float = Field(20.0, ge=1, le=600)


class QueueCoverageOut(Schema):
    queue: int
    name: str
    required: list[float]
    scheduled: list[float]
    service_level: list[float | None]
    service_level_low: list[float | None]
    service_level_high: list[float | None]
    projected_service_level: float | None
    projected_service_level_low: float | None = Field(
        None, description="Simulated queue-days: the 95 % confidence interval of the week's level"
    )
    projected_service_level_high: float | None = None
    computing: bool = Field(
        False, description="The simulation of this queue is being computed; ask again"
    )
    models: list[str]
    target: float | None
    intervals_below_target: int


class CoverageOut(Schema):
    schedule: int
    interval_minutes: int
    first_interval: str
    queues: list[QueueCoverageOut]
    required: list[float]
    scheduled: list[float]
    projected_service_level: float | None
    projected_service_level_low: float | None = None
    projected_service_level_high: float | None = None
    computing: bool = False
    intervals_below_target: int


class PublishIn(Schema):
    confirm: bool = Field(
        False,
        description="Publish although shifts are open or a queue's projected service level "
        "is below target (the answer without it is 409 with the reasons).",
    )


class ShiftIn(Schema):
    start: datetime
    end: datetime
    employee: int | None = None
    queue_ids: list[int] = Field(default_factory=list, max_length=50)
    template: str = Field("", max_length=60)
    breaks: list[dict] = Field(default_factory=list, max_length=10)


class ShiftPatch(Schema):
    start: datetime | None = None
    end: datetime | None = None
    employee: int | None = None
    queue_ids: list[int] | None = Field(None, max_length=50)
    template: str | None = Field(None, max_length=60)
    breaks: list[dict] | None = Field(None, max_length=10)


class ShiftCheckOut(Schema):
    problems: list[str]


register_crud(
    router,
    Schedule,
    path="schedules",
    out_schema=ScheduleOut,
    filterset=ScheduleFilter,
    archive=False,
)


@router.post(
    "/schedules/",
    response={201: ScheduleOut},
    operation_id="wfm_schedule_create",
    summary="Generate a new draft version of a site's week for every queue (a background task)",
)
def schedule_generate(request, payload: GenerateIn):
    require_perm(request, Schedule, "add")
    require_perm(request, Job, "add")
    site = resolve_pk(Site, payload.site, "site")
    templates = resolve_pk(
        ShiftTemplateSet, payload.template_set, "template_set", ShiftTemplateSet.objects.all()
    )
    if payload.week_start.weekday() != 0:
        raise ValidationError(
            {
                "week_start": _("The week starts on a Monday: %(date)s is not one.")
                % {"date": payload.week_start.isoformat()}
            }
        )
    schedule = generate.schedule_generate(
        site=site,
        week_start=payload.week_start,
        template_set=templates,
        actor=request.user,
        time_limit=payload.time_limit,
    )
    return Status(201, schedule)


@router.post(
    "/schedules/{int:pk}/publish",
    response=ScheduleOut,
    operation_id="wfm_schedule_publish",
    summary="Publish a draft (agents whose shifts changed are notified)",
)
def schedule_publish(request, pk: int, payload: PublishIn | None = None):
    require_perm(request, Schedule, "change")
    schedule = get_or_404(request, Schedule, pk, "change")
    confirm = bool(payload and payload.confirm)
    try:
        return services.schedule_publish(schedule=schedule, actor=request.user, confirm=confirm)
    except NeedsConfirmation as exc:
        raise Conflict(exc.messages) from None


@router.post(
    "/schedules/{int:pk}/new-version",
    response={201: ScheduleOut},
    operation_id="wfm_schedule_copy",
    summary="A new draft version copying this one",
)
def schedule_copy(request, pk: int):
    require_perm(request, Schedule, "change")
    schedule = get_or_404(request, Schedule, pk, "change")
    copy = services.schedule_create(
        site=schedule.site,
        week_start=schedule.week_start,
        copy_from=schedule,
        actor=request.user,
    )
    return Status(201, copy)


def _floats(values) -> list[float | None]:
    return [None if v != v else round(float(v), 4) for v in values]


@router.get(
    "/schedules/{int:pk}/coverage",
    response=CoverageOut,
    operation_id="wfm_schedule_coverage",
    summary="Required vs scheduled agents per queue and interval, projected service levels",
)
def schedule_coverage(request, pk: int):
    require_perm(request, Schedule, "view")
    schedule = get_or_404(request, Schedule, pk)
    cov = coverage(schedule)
    request_projection(schedule, cov)
    return {
        "schedule": schedule.pk,
        "interval_minutes": cov["interval_minutes"],
        "first_interval": cov["origin"].isoformat(),
        "queues": [
            {
                "queue": q["id"],
                "name": q["name"],
                "required": _floats(q["required"]),
                "scheduled": _floats(q["scheduled"]),
                "service_level": _floats(q["service_level"]),
                "service_level_low": _floats(q["service_level_low"]),
                "service_level_high": _floats(q["service_level_high"]),
                "projected_service_level": q["projected"],
                "projected_service_level_low": q["projected_low"],
                "projected_service_level_high": q["projected_high"],
                "computing": q["computing"],
                "models": q["models"],
                "target": q["target"],
                "intervals_below_target": q["intervals_below_target"],
            }
            for q in cov["queues"]
        ],
        "required": _floats(cov["required"]),
        "scheduled": _floats(cov["scheduled"]),
        "projected_service_level": cov["projected_service_level"],
        "projected_service_level_low": cov["projected_low"],
        "projected_service_level_high": cov["projected_high"],
        "computing": bool(cov["pending"]),
        "intervals_below_target": cov["intervals_below_target"],
    }


def _employee(request, pk):
    if pk is None:
        return None
    return resolve_pk(Employee, pk, "employee", Employee.objects.restrict(request.user, "view"))


@router.post(
    "/schedules/{int:pk}/shifts",
    response={201: ShiftOut},
    operation_id="wfm_schedule_shift_add",
    summary="Add a shift to a draft (checked by the one rule check)",
)
def schedule_shift_add(request, pk: int, payload: ShiftIn):
    require_perm(request, ScheduledShift, "add")
    schedule = get_or_404(request, Schedule, pk, "change")
    data = payload.dict()
    data["employee"] = _employee(request, data["employee"])
    return Status(201, services.shift_add(schedule=schedule, actor=request.user, **data))


@router.post(
    "/schedules/{int:pk}/shifts/check",
    response=ShiftCheckOut,
    operation_id="wfm_schedule_shift_check",
    summary="What a shift would break, before it is saved",
)
def schedule_shift_check(request, pk: int, payload: ShiftIn):
    require_perm(request, Schedule, "view")
    schedule = get_or_404(request, Schedule, pk)
    problems = services.shift_problems(
        schedule,
        employee=_employee(request, payload.employee),
        start=payload.start,
        end=payload.end,
        breaks=payload.breaks,
        serves=payload.queue_ids,
    )
    return {"problems": problems}


@router.patch(
    "/shifts/{int:pk}",
    response=ShiftOut,
    operation_id="wfm_scheduledshift_update",
    summary="Change a shift of a draft: move, reassign, open (employee null), queues",
)
def shift_update(request, pk: int, payload: ShiftPatch):
    require_perm(request, ScheduledShift, "change")
    shift = get_or_404(request, ScheduledShift, pk, "change")
    data = payload.dict(exclude_unset=True)
    for name in ("start", "end", "template", "breaks", "queue_ids"):
        if name in data and data[name] is None:
            raise ValidationError(
                {name: _("This field cannot be empty: leave it out to keep its value.")}
            )
    if "employee" in data:
        data["employee"] = _employee(request, data["employee"])
    return services.shift_change(shift=shift, actor=request.user, **data)


@router.post(
    "/shifts/{int:pk}/remove",
    response=ShiftOut,
    operation_id="wfm_scheduledshift_remove",
    summary="Remove a shift from a draft",
)
def shift_delete(request, pk: int):
    require_perm(request, ScheduledShift, "delete")
    shift = get_or_404(request, ScheduledShift, pk, "delete")
    return services.shift_remove(shift=shift, actor=request.user)
