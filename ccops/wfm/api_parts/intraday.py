"""API of intraday: the day's view per queue and the adjustments."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import ModelSchema, Query, Schema
from ninja.errors import HttpError

from ccops.core.apitools import register_crud, require_perm
from ccops.core.models import Queue, Site
from ccops.core.permissions import not_found
from ccops.people.models import Employee
from ccops.wfm.api_parts.base import router
from ccops.wfm.filters import AdjustmentFilter
from ccops.wfm.models import IntradayAdjustment, StaffingPlan
from ccops.wfm.services import intraday as service


class AdjustmentOut(ModelSchema):
    class Meta:
        model = IntradayAdjustment
        fields = [
            "id",
            "site",
            "queue",
            "kind",
            "start",
            "end",
            "heads",
            "employee",
            "note",
            "created_by",
            "archived_at",
        ]


class AdjustmentIn(Schema):
    site: int
    kind: str
    start: datetime
    end: datetime
    heads: int
    queue: int | None = None
    employee: int | None = None
    note: str = ""


class AdjustmentPatch(Schema):
    note: str | None = None
    end: datetime | None = None


def _adjustment_create(*, actor, site, queue=None, employee=None, **data):
    site_obj = Site.objects.filter(pk=site).first()
    queue_obj = Queue.objects.filter(pk=queue).first() if queue else None
    employee_obj = Employee.objects.filter(pk=employee).first() if employee else None
    errors = {}
    if site_obj is None:
        errors["site"] = not_found(Site._meta.verbose_name, site)
    if queue and queue_obj is None:
        errors["queue"] = not_found(Queue._meta.verbose_name, queue)
    if employee and employee_obj is None:
        errors["employee"] = not_found(Employee._meta.verbose_name, employee)
    if errors:
        raise ValidationError(errors)
    return service.intraday_adjustment_record(
        site=site_obj,
        queue=queue_obj,
        employee=employee_obj,
        actor=actor,
        **data,
    )


register_crud(
    router,
    IntradayAdjustment,
    path="adjustments",
    out_schema=AdjustmentOut,
    in_schema=AdjustmentIn,
    patch_schema=AdjustmentPatch,
    filterset=AdjustmentFilter,
    create=_adjustment_create,
)


class IntradayQuery(Schema):
    queue: int
    day: date
    plan: int | None = None


class IntradayRow(Schema):
    start: datetime
    forecast: float
    actual: float | None
    reforecast: float
    needed: int
    scheduled: int
    adjusted: int
    gap: int


class IntradayOut(Schema):
    queue: int
    day: date
    forecast: int | None
    schedule: int | None
    plan: int | None
    ratio: float
    intervals: list[IntradayRow]


@router.get(
    "/intraday",
    response=IntradayOut,
    operation_id="wfm_intraday",
    summary="A queue's day: actual vs forecast, re-forecast, heads needed and the gap",
)
def intraday(request, query: Query[IntradayQuery]):
    require_perm(request, IntradayAdjustment, "view")
    queue = Queue.objects.restrict(request.user, "view").filter(pk=query.queue).first()
    if queue is None:
        raise HttpError(404, not_found(Queue._meta.verbose_name, query.queue))
    plan = None
    if query.plan:
        plan = StaffingPlan.objects.restrict(request.user, "view").filter(pk=query.plan).first()
        if plan is None:
            raise HttpError(404, not_found(StaffingPlan._meta.verbose_name, query.plan))
        if plan.queue_id != queue.pk:
            raise ValidationError(
                {
                    "plan": _("%(plan)s plans another queue than %(queue)s.")
                    % {"plan": plan, "queue": queue}
                }
            )
    v = service.intraday(queue, query.day, plan=plan)
    return {
        "queue": queue.pk,
        "day": query.day,
        "forecast": v["forecast"].pk if v["forecast"] else None,
        "schedule": v["schedule"].pk if v["schedule"] else None,
        "plan": plan.pk if plan else None,
        "ratio": v["ratio"],
        "intervals": [
            {
                "start": s,
                "forecast": float(v["forecast_calls"][i]),
                "actual": None if v["actual"][i] != v["actual"][i] else float(v["actual"][i]),
                "reforecast": float(v["reforecast"][i]),
                "needed": int(v["needed"][i]),
                "scheduled": int(v["scheduled"][i]),
                "adjusted": int(v["adjusted"][i]),
                "gap": int(v["gap"][i]),
            }
            for i, s in enumerate(v["starts"])
        ],
    }
