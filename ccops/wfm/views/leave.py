"""Leave pages: the team calendar of who is off, and the leave balances."""

from __future__ import annotations

from datetime import date

from django.shortcuts import render
from django.utils.translation import gettext as _

from ccops.core.permissions import has_model_perm
from ccops.people.models import LeaveAdjustment
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
            "title": _("Leave balances"),
        },
    )
