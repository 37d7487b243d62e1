"""API of leave balances, the team calendar and a time-off request's coverage impact."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Schema

from ccops.core.apitools import get_or_404, require_perm
from ccops.wfm.api_parts.base import router
from ccops.wfm.models import TimeOffRequest
from ccops.wfm.services import leave, leave_conflicts


class BalanceOut(Schema):
    employee: int
    employee_name: str
    leave_type: int
    leave_type_name: str
    year: int
    entitlement: Decimal
    carried_over: Decimal
    adjusted: Decimal
    approved: Decimal
    pending: Decimal
    available: Decimal


class CalendarDayOut(Schema):
    date: date
    status: str
    kind: str | None = None
    request: int | None = None


class CalendarRowOut(Schema):
    employee: int
    employee_name: str
    days: list[CalendarDayOut]


class TeamCalendarOut(Schema):
    team: int | None
    month: str
    rows: list[CalendarRowOut]


class ShiftImpactOut(Schema):
    shift: int
    start: str
    end: str
    hours_on_phones: float


class QueueImpactOut(Schema):
    queue: int | None
    queue_name: str
    hours: float


class ImpactOut(Schema):
    request: int
    days: Decimal
    leave_type: int | None
    balance_before: Decimal | None
    balance_after: Decimal | None
    fits: bool
    shifts: list[ShiftImpactOut]
    queues: list[QueueImpactOut]
    team_off: list[int]


@router.get(
    "/leave-balances/",
    response=list[BalanceOut],
    operation_id="wfm_leave_balances",
    summary="Leave balances of the employees I may see (agents: mine)",
)
def leave_balance_list(
    request, year: int | None = None, team: int | None = None, employee: int | None = None
):
    require_perm(request, TimeOffRequest, "view")
    _year, rows = leave.balances_data(request.user, year=year, team=team, employee=employee)
    return [
        {**b.as_dict(), "employee_name": person.full_name} for person, items in rows for b in items
    ]


@router.get(
    "/team-calendar/",
    response=TeamCalendarOut,
    operation_id="wfm_team_calendar",
    summary="Who of a team is off which day of a month (YYYY-MM)",
)
def team_calendar(request, month: str | None = None, team: int | None = None):
    require_perm(request, TimeOffRequest, "view")
    data = leave.team_calendar_data(request.user, month_value=month, team_value=team)
    rows = []
    for row in (data["grid"] or {}).get("rows", []):
        days = []
        for info, cell in row["cells"]:
            if not cell:
                continue
            req = cell["request"]
            days.append(
                {
                    "date": info["date"],
                    "status": "pending" if cell["pending"] else "approved",
                    "kind": req.kind if cell["details"] else None,
                    "request": req.pk if cell["details"] else None,
                }
            )
        rows.append(
            {
                "employee": row["employee"].pk,
                "employee_name": row["employee"].full_name,
                "days": days,
            }
        )
    return {
        "team": data["team"].pk if data["team"] else None,
        "month": data["month"].strftime("%Y-%m"),
        "rows": rows,
    }


@router.get(
    "/time-off/{int:pk}/impact",
    response=ImpactOut,
    operation_id="wfm_timeoffrequest_impact",
    summary="A request's balance before and after, and the shifts and queue hours it opens",
)
def time_off_impact(request, pk: int):
    require_perm(request, TimeOffRequest, "change")
    obj = get_or_404(request, TimeOffRequest, pk, "change")
    summary = leave.decision_summary(obj, leave_conflicts(obj))
    balance = summary["balance"]
    return {
        "request": obj.pk,
        "days": obj.days,
        "leave_type": obj.leave_type_id,
        "balance_before": balance["before"] if balance else None,
        "balance_after": balance["after"] if balance else None,
        "fits": balance["fits"] if balance else True,
        "shifts": [
            {
                "shift": c["shift"].pk,
                "start": c["shift"].start.isoformat(),
                "end": c["shift"].end.isoformat(),
                "hours_on_phones": c["hours_on_phones"],
            }
            for c in summary["shifts"]
        ],
        "queues": [
            {
                "queue": q["queue"].pk if q["queue"] else None,
                "queue_name": str(q["queue"] or ""),
                "hours": q["hours"],
            }
            for q in summary["queues"]
        ],
        "team_off": [r.pk for r in summary["team_off"]],
    }
