"""Leave pages: the team calendar of who is off, and the leave balances."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccops.core.generic import get_restricted_or_404
from ccops.core.permissions import check_model_perm, has_model_perm
from ccops.people.models import LeaveAdjustment, LeaveType
from ccops.wfm.services import leave as leave_services
from ccops.wfm.services.leave import balances_data, team_calendar_data, visible_teams


def team_calendar(request):
    """Who of a team is off which day of a month (the kind of leave only for the requests
    the reader may see; colleagues see "off")."""
    data = team_calendar_data(
        request.user, month_value=request.GET.get("month"), team_value=request.GET.get("team")
    )
    month = data["month"]
    prev_month = (month.replace(day=1) - date.resolution).replace(day=1)
    next_month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return render(
        request,
        "wfm/team_calendar.html",
        {
            **data,
            "prev_month": prev_month.strftime("%Y-%m"),
            "next_month": next_month.strftime("%Y-%m"),
            "month_value": month.strftime("%Y-%m"),
            "title": _("Team calendar"),
        },
    )


def leave_balances(request):
    """Each visible employee's balance per leave type for a year (agents: their own)."""
    year, rows = balances_data(
        request.user, year=request.GET.get("year"), team=request.GET.get("team")
    )
    types = []
    for _person, items in rows:
        for item in items:
            if item.leave_type not in types:
                types.append(item.leave_type)
    return render(
        request,
        "wfm/leave_balances.html",
        {
            "year": year,
            "rows": rows,
            "types": types,
            "teams": visible_teams(request.user),
            "team_value": request.GET.get("team", ""),
            "can_adjust": has_model_perm(request.user, LeaveAdjustment, "add"),
            "next_year": year + 1,
            "title": _("Leave balances"),
        },
    )


@require_POST
def leave_carry_over(request):
    """Carry the unused days of a year into the next (administrators of balances)."""
    check_model_perm(request.user, LeaveAdjustment, "add")
    leave_type = get_restricted_or_404(LeaveType, request.user, request.POST.get("leave_type") or 0)
    year = request.POST.get("year") or ""
    back = reverse("wfm:leave_balances")
    try:
        from_year = int(year)
        made = leave_services.leave_carry_over(
            site=leave_type.site,
            leave_type=leave_type,
            from_year=from_year,
            max_days=request.POST.get("max_days") or "0",
            actor=request.user,
        )
    except (ValueError, ArithmeticError):
        messages.error(request, _("Give a year and a number of days."))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request,
            _("Unused days carried over into %(year)s for %(n)s employees.")
            % {"year": from_year + 1, "n": made},
        )
        back += f"?year={from_year + 1}"
    return redirect(back)
