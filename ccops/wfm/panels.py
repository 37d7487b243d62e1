"""Home-page panels and menu entries of workforce management."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccops.core.detail_panels import register_detail_panel
from ccops.core.home import register_panel
from ccops.core.navigation import register_menu_item
from ccops.core.permissions import has_model_perm
from ccops.core.roles import ALL_ROLES, MANAGERS, SUPERVISORS
from ccops.people.models import LeaveAdjustment
from ccops.people.services import employee_for
from ccops.wfm.choices import RequestStatus, SwapStatus
from ccops.wfm.models import ShiftSwapRequest, TimeOffRequest
from ccops.wfm.roles import PLANNERS


def next_shifts_context(request):
    from ccops.wfm.services.calendar import break_text, my_shifts

    employee = employee_for(request.user)
    if employee is None:
        return None
    now = timezone.now()
    shifts = list(my_shifts(employee, since=now, until=now + timedelta(days=14))[:6])
    for shift in shifts:
        shift.break_text = break_text(shift)
    pending = TimeOffRequest.objects.filter(
        employee=employee, status=RequestStatus.REQUESTED
    ).count()
    swaps = (
        ShiftSwapRequest.objects.filter(participants=employee)
        .filter(status__in=[SwapStatus.REQUESTED, SwapStatus.ACCEPTED])
        .select_related("requester", "colleague")
    )
    return {
        "shifts": shifts,
        "zone": employee.site.zone,
        "pending_time_off": pending,
        "swaps": list(swaps[:5]),
    }


def approvals_context(request):
    user = request.user
    if not user.has_perm("wfm.change_timeoffrequest"):
        return None
    time_off = (
        TimeOffRequest.objects.restrict(user, "change")
        .filter(status=RequestStatus.REQUESTED)
        .exclude(employee__user=user)
        .select_related("employee__site")
        .order_by("start")
    )
    swaps = (
        ShiftSwapRequest.objects.restrict(user, "change")
        .filter(status=SwapStatus.ACCEPTED)
        .exclude(participants__user=user)
        .select_related("requester", "colleague")
    )
    return {"time_off": list(time_off[:10]), "swaps": list(swaps[:10])}


def planning_context(request):
    """Planners: the latest week's forecast accuracy per queue and the draft schedules."""
    from ccops.core.models import Queue
    from ccops.wfm.choices import ScheduleStatus
    from ccops.wfm.models import Schedule
    from ccops.wfm.services.forecasts import weekly_review

    user = request.user
    if not user.has_perm("wfm.view_forecast"):
        return None
    today = timezone.localdate()
    week = today - timedelta(days=today.weekday() + 7)
    queues = Queue.objects.restrict(user, "view").select_related("site")[:10]
    review = [e for e in weekly_review(queues, week) if e.get("comparison") is not None]
    drafts = (
        Schedule.objects.filter(status__in=[ScheduleStatus.DRAFT, ScheduleStatus.QUEUED])
        .select_related("site")
        .order_by("week_start", "-version")[:10]
    )
    return {"week": week, "review": review, "drafts": list(drafts)}


def employee_leave_context(request, employee):
    """The employee's leave balances of this year on their page (who sees the page sees
    them: the agent themselves, their managers, the supervisors)."""
    from ccops.wfm.services.leave import employee_balances

    if not has_model_perm(request.user, TimeOffRequest, "view"):
        return None
    year = timezone.localtime(timezone.now(), employee.site.zone).year
    balances = employee_balances(employee, year)
    if not balances:
        return None
    return {
        "balances": balances,
        "balance_year": year,
        "can_adjust": has_model_perm(request.user, LeaveAdjustment, "add"),
    }


def register() -> None:
    register_panel(
        "wfm.planning",
        title=_("Forecasts and schedules"),
        template="wfm/panels/_planning.html",
        context=planning_context,
        roles=PLANNERS | {"center_director"},
        order=15,
    )
    register_panel(
        "wfm.next_shifts",
        title=_("My next shifts"),
        template="wfm/panels/_next_shifts.html",
        context=next_shifts_context,
        roles=ALL_ROLES,
        order=8,
    )
    register_panel(
        "wfm.approvals",
        title=_("Requests to decide"),
        template="wfm/panels/_approvals.html",
        context=approvals_context,
        roles=MANAGERS | {"operations_supervisor", "center_director"},
        order=12,
    )
    register_detail_panel(
        "wfm.employee_leave",
        models={"people.employee"},
        template="wfm/panels/_employee_leave.html",
        context=employee_leave_context,
        order=30,
    )
    section = _("Workforce")
    items = [
        (_("My schedule"), "wfm:my_schedule", "wfm.view_scheduledshift"),
        (_("Time off"), "wfm:timeoffrequest_list", "wfm.view_timeoffrequest"),
        (_("Team calendar"), "wfm:team_calendar", "wfm.view_timeoffrequest"),
        (_("Leave balances"), "wfm:leave_balances", "wfm.view_timeoffrequest"),
        (_("Shift swaps"), "wfm:shiftswaprequest_list", "wfm.view_shiftswaprequest"),
        (_("Imports"), "wfm:importbatch_list", "wfm.view_importbatch"),
        (_("Forecasts"), "wfm:forecast_list", "wfm.view_forecast"),
        (_("Forecast accuracy"), "wfm:forecast_accuracy", "wfm.view_forecast"),
        (_("Staffing plans"), "wfm:staffingplan_list", "wfm.view_staffingplan"),
        (_("Shift templates"), "wfm:shifttemplateset_list", "wfm.view_shifttemplateset"),
        (_("Schedules"), "wfm:schedule_list", "wfm.view_schedule"),
        (_("Intraday"), "wfm:intraday", "wfm.view_intradayadjustment"),
    ]
    for order, (label, name, perm) in enumerate(items):
        register_menu_item(
            "wfm", section, label, name, permission=perm, order=order, section_order=15
        )


__all__ = ["PLANNERS", "SUPERVISORS", "register"]
