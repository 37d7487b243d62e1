"""API of shift template sets and schedules (generate, publish, new version, coverage)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from ninja import ModelSchema, Schema, Status

from ccops.core.apitools import get_or_404, register_crud, require_perm
from ccops.core.models import Job, Site
from ccops.wfm import services
from ccops.wfm.api_parts.base import router
from ccops.wfm.filters import ScheduleFilter, TemplateSetFilter
from ccops.wfm.models import Schedule, ShiftTemplateSet, StaffingPlan
from ccops.wfm.services import generate


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

    site_obj = Site.objects.filter(pk=site).first()
    if site_obj is None:
        raise ValidationError({"site": f"site {site} does not exist"})
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
            "plan",
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
    plan: int
    template_set: int
    time_limit: float = 20.0


class CoverageOut(Schema):
    schedule: int
    interval_minutes: int
    first_interval: str
    required: list[int]
    scheduled: list[int]
    projected_service_level: float | None
    intervals_below_target: int


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
    summary="Generate a new draft version of a week (a background task)",
)
def schedule_generate(request, payload: GenerateIn):
    require_perm(request, Schedule, "add")
    require_perm(request, Job, "add")
    site = Site.objects.filter(pk=payload.site).first()
    plan = StaffingPlan.objects.filter(pk=payload.plan).first()
    templates = ShiftTemplateSet.objects.filter(pk=payload.template_set).first()
    errors = {}
    if site is None:
        errors["site"] = f"site {payload.site} does not exist"
    if plan is None:
        errors["plan"] = f"staffing plan {payload.plan} does not exist"
    if templates is None:
        errors["template_set"] = f"shift-template set {payload.template_set} does not exist"
    if payload.week_start.weekday() != 0:
        errors["week_start"] = "week_start must be a Monday"
    if errors:
        raise ValidationError(errors)
    schedule = generate.schedule_generate(
        site=site,
        week_start=payload.week_start,
        plan=plan,
        template_set=templates,
        actor=request.user,
        time_limit=payload.time_limit,
    )
    return Status(201, schedule)


@router.post(
    "/schedules/{int:pk}/publish",
    response=ScheduleOut,
    operation_id="wfm_schedule_publish",
    summary="Publish a draft (agents notified)",
)
def schedule_publish(request, pk: int):
    require_perm(request, Schedule, "change")
    schedule = get_or_404(request, Schedule, pk, "change")
    return services.schedule_publish(schedule=schedule, actor=request.user)


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


@router.get(
    "/schedules/{int:pk}/coverage",
    response=CoverageOut,
    operation_id="wfm_schedule_coverage",
    summary="Required vs scheduled agents per interval and projected service level",
)
def schedule_coverage(request, pk: int):
    require_perm(request, Schedule, "view")
    schedule = get_or_404(request, Schedule, pk)
    cov = generate.coverage(schedule)
    return {
        "schedule": schedule.pk,
        "interval_minutes": cov["interval_minutes"],
        "first_interval": cov["origin"].isoformat(),
        "required": cov["required"].tolist(),
        "scheduled": cov["scheduled"].tolist(),
        "projected_service_level": cov["projected_service_level"],
        "intervals_below_target": cov["intervals_below_target"],
    }
