"""API of staffing plans and their requirement (what-if) computation."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from ninja import ModelSchema, Query, Schema

from ccops.core.apitools import get_or_404, register_crud, require_perm
from ccops.core.models import Queue
from ccops.core.permissions import not_found
from ccops.wfm.api_parts.base import router
from ccops.wfm.filters import ForecastFilter, StaffingPlanFilter
from ccops.wfm.models import Forecast, StaffingPlan
from ccops.wfm.services import forecast_versions, forecasts, staffing


class StaffingPlanOut(ModelSchema):
    class Meta:
        model = StaffingPlan
        fields = [
            "id",
            "name",
            "site",
            "queue",
            "period_type",
            "forecast",
            "service_level_percent",
            "answer_within_seconds",
            "max_occupancy_percent",
            "max_abandon_percent",
            "shrinkage_percent",
            "model",
            "patience_seconds",
            "patience_shape",
            "service_shape",
            "service_cv",
            "simulation_replications",
            "simulation_seed",
            "default_aht_seconds",
            "notes",
            "archived_at",
        ]


class StaffingPlanIn(Schema):
    name: str
    queue: int
    period_type: str = "normal"
    forecast: int | None = None
    service_level_percent: Decimal = Decimal(80)
    answer_within_seconds: int = 20
    max_occupancy_percent: Decimal = Decimal(90)
    max_abandon_percent: Decimal | None = None
    shrinkage_percent: Decimal = Decimal(30)
    model: str = "erlang_c"
    patience_seconds: int | None = None
    patience_shape: str = "exponential"
    service_shape: str = "exponential"
    service_cv: Decimal | None = None
    simulation_replications: int = 20
    simulation_seed: int = 0
    default_aht_seconds: int = 180
    notes: str = ""


class StaffingPlanPatch(Schema):
    name: str | None = None
    period_type: str | None = None
    forecast: int | None = None
    service_level_percent: Decimal | None = None
    answer_within_seconds: int | None = None
    max_occupancy_percent: Decimal | None = None
    max_abandon_percent: Decimal | None = None
    shrinkage_percent: Decimal | None = None
    model: str | None = None
    patience_seconds: int | None = None
    patience_shape: str | None = None
    service_shape: str | None = None
    service_cv: Decimal | None = None
    simulation_replications: int | None = None
    simulation_seed: int | None = None
    default_aht_seconds: int | None = None
    notes: str | None = None


def _resolve(data: dict) -> dict:
    if "queue" in data:
        queue = Queue.objects.filter(pk=data["queue"]).first()
        if queue is None:
            raise ValidationError({"queue": not_found(Queue._meta.verbose_name, data["queue"])})
        data["queue"] = queue
        data["site"] = queue.site
    if data.get("forecast") is not None:
        forecast = Forecast.objects.filter(pk=data["forecast"]).first()
        if forecast is None:
            raise ValidationError(
                {"forecast": not_found(Forecast._meta.verbose_name, data["forecast"])}
            )
        data["forecast"] = forecast
    return data


def _plan_create(*, actor, **data):
    return staffing.staffing_plan_create(actor=actor, **_resolve(data))


def _plan_update(*, instance, actor, **data):
    return staffing.staffing_plan_update(plan=instance, actor=actor, **_resolve(data))


register_crud(
    router,
    StaffingPlan,
    path="staffing-plans",
    out_schema=StaffingPlanOut,
    in_schema=StaffingPlanIn,
    patch_schema=StaffingPlanPatch,
    filterset=StaffingPlanFilter,
    create=_plan_create,
    update=_plan_update,
)


class WhatIfQuery(Schema):
    day: date
    volume_percent: float = 100.0
    aht_seconds: float | None = None
    service_level_percent: float | None = None
    answer_within_seconds: float | None = None
    shrinkage_percent: float | None = None


class RequirementInterval(Schema):
    start: datetime
    calls: float
    aht: float
    agents: int
    scheduled: int
    service_level: float
    occupancy: float


class RequirementOut(Schema):
    plan: int
    day: date
    source: str
    peak_agents: int
    peak_scheduled: int
    scheduled_hours: float
    settings: dict
    intervals: list[RequirementInterval]


@router.get(
    "/staffing-plans/{int:pk}/requirement",
    response=RequirementOut,
    operation_id="wfm_staffingplan_requirement",
    summary="Agents needed per interval of a day under a plan (with what-if changes)",
)
def plan_requirement(request, pk: int, query: Query[WhatIfQuery]):
    require_perm(request, StaffingPlan, "view")
    plan = get_or_404(request, StaffingPlan, pk)
    values = query.dict()
    day = values.pop("day")
    req = staffing.plan_requirement(plan, day, **values)
    return {
        "plan": plan.pk,
        "day": day,
        "source": str(req.source),
        "peak_agents": req.peak_agents,
        "peak_scheduled": req.peak_scheduled,
        "scheduled_hours": req.scheduled_hours,
        "settings": req.settings,
        "intervals": list(req.rows(plan.site.zone)),
    }


# --- forecasts --------------------------------------------------------------------------


class ForecastOut(ModelSchema):
    class Meta:
        model = Forecast
        fields = [
            "id",
            "site",
            "queue",
            "version",
            "horizon_start",
            "horizon_days",
            "interval_minutes",
            "method",
            "status",
            "job",
            "created_by",
            "history_start",
            "history_end",
            "notes",
            "summary",
            "based_on",
            "adjustment",
            "created_at",
        ]


class ForecastIn(Schema):
    queue: int
    horizon_start: date
    horizon_days: int = 7
    history_weeks: int = 26
    notes: str = ""


class ForecastIntervalOut(Schema):
    start: datetime
    forecast: float
    actual: float | None


class AccuracyOut(Schema):
    queue: int
    forecast: int | None
    wape: float | None = None
    bias: float | None = None
    worst: list[dict] = []


register_crud(
    router,
    Forecast,
    path="forecasts",
    out_schema=ForecastOut,
    filterset=ForecastFilter,
    archive=False,
)


@router.post(
    "/forecasts/",
    response={201: ForecastOut},
    operation_id="wfm_forecast_create",
    summary="Compute a new forecast version of a queue (a background task)",
)
def forecast_create(request, payload: ForecastIn):
    from ninja import Status

    from ccops.core.models import Job

    require_perm(request, Forecast, "add")
    require_perm(request, Job, "add")
    data = payload.dict()
    queue_id = data.pop("queue")
    queue = Queue.objects.filter(pk=queue_id).first()
    if queue is None:
        raise ValidationError({"queue": not_found(Queue._meta.verbose_name, queue_id)})
    forecast = forecasts.forecast_create(queue=queue, actor=request.user, **data)
    forecasts.forecast_start(forecast=forecast, actor=request.user)
    forecast.refresh_from_db()
    return Status(201, forecast)


@router.get(
    "/forecasts/{int:pk}/intervals",
    response=list[ForecastIntervalOut],
    operation_id="wfm_forecast_intervals",
    summary="A forecast's intervals beside the imported actuals",
)
def forecast_intervals(request, pk: int):
    require_perm(request, Forecast, "view")
    forecast = get_or_404(request, Forecast, pk)
    c = forecasts.compare(forecast)
    return [
        {"start": s, "forecast": float(f), "actual": None if a != a else float(a)}
        for s, f, a in zip(c.starts, c.forecast, c.actual, strict=True)
    ]


@router.get(
    "/forecasts/accuracy",
    response=list[AccuracyOut],
    operation_id="wfm_forecast_accuracy",
    summary="Weekly accuracy review: WAPE, bias and worst intervals per queue",
)
def forecast_accuracy(request, week: date):
    require_perm(request, Forecast, "view")
    queues = Queue.objects.restrict(request.user, "view").select_related("site")
    week = week - timedelta(days=week.weekday())
    out = []
    for entry in forecasts.weekly_review(queues, week):
        out.append(
            {
                "queue": entry["queue"].pk,
                "forecast": entry["forecast"].pk if entry["forecast"] else None,
                "wape": entry.get("wape"),
                "bias": entry.get("bias"),
                "worst": [{**w, "start": w["start"].isoformat()} for w in entry.get("worst", [])],
            }
        )
    return out


class ForecastAdjustIn(Schema):
    start: date
    end: date | None = None
    percent: float | None = None
    calls: float | None = None
    reason: str


class ForecastChartOut(Schema):
    labels: list[str]
    forecast: list[float | None]
    low: list[float | None]
    high: list[float | None]
    aht: list[float | None]
    actual: list[float | None]
    has_band: bool
    has_actuals: bool
    warnings: list[str]


class CompareDayOut(Schema):
    day: date
    a: float
    b: float
    difference: float
    percent: float | None


class ForecastCompareOut(Schema):
    a: int
    b: int
    total_a: float
    total_b: float
    days: list[CompareDayOut]
    intervals: list[dict]
    adjustments: list[dict]


@router.post(
    "/forecasts/{int:pk}/adjust",
    response={201: ForecastOut},
    operation_id="wfm_forecast_adjust",
    summary="A planner's manual adjustment (days, percent or calls, reason) as a new version",
)
def forecast_adjust(request, pk: int, payload: ForecastAdjustIn):
    from ninja import Status

    require_perm(request, Forecast, "add")
    forecast = get_or_404(request, Forecast, pk)
    adjusted = forecast_versions.forecast_adjust(
        forecast=forecast, actor=request.user, **payload.dict()
    )
    return Status(201, adjusted)


@router.get(
    "/forecasts/{int:pk}/chart",
    response=ForecastChartOut,
    operation_id="wfm_forecast_chart",
    summary="A forecast's chart: calls, 80 % band, AHT, actuals and the horizon's warnings",
)
def forecast_chart(request, pk: int):
    require_perm(request, Forecast, "view")
    forecast = get_or_404(request, Forecast, pk)
    return {
        **forecast_versions.chart_data(forecast),
        "warnings": forecast_versions.horizon_notes(forecast),
    }


@router.get(
    "/forecasts/compare",
    response=ForecastCompareOut,
    operation_id="wfm_forecast_compare",
    summary="Two versions of a queue's forecast side by side, with the adjustments between",
)
def forecast_compare(request, a: int, b: int):
    require_perm(request, Forecast, "view")
    first = get_or_404(request, Forecast, a)
    second = get_or_404(request, Forecast, b)
    c = forecast_versions.versions_compare(first, second)
    return {
        "a": first.pk,
        "b": second.pk,
        "total_a": c.total_a,
        "total_b": c.total_b,
        "days": c.days,
        "intervals": [
            {"start": s.isoformat(), "a": x, "b": y}
            for s, x, y in zip(c.starts, c.calls_a, c.calls_b, strict=True)
        ],
        "adjustments": [forecast_versions.adjustment_data(x) for x in c.adjustments],
    }
