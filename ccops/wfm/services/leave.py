"""Leave balances, working days, the team calendar and a request's coverage impact.

A leave type that counts against a balance (``ccops.people.LeaveType``) has, per employee
and year::

    available = entitlement + carried over + adjustments - approved - pending

* the *entitlement* follows the site's steps by years of service
  (``ccops.people.services.entitlement_days``);
* *carried over* and *adjustments* are ``LeaveAdjustment`` rows (never edited);
* *approved* and *pending* add up the ``days`` of the year's requests of that type: the
  working days of the employee's calendar the time off takes (see :func:`working_days`),
  counted in the year the time off starts.

A request larger than ``available`` is refused; an approval is refused when the request no
longer fits ``entitlement + carried over + adjustments - approved`` (pending requests of
others do not block it). There is no override: a supervisor who wants to grant more adds
an adjustment with its reason (audited), then the request fits.
"""

from __future__ import annotations

import calendar as pycalendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ccops.core.choices import PeriodKind
from ccops.core.models import CalendarPeriod, Queue
from ccops.core.permissions import check_model_perm
from ccops.core.services import lock_for_update
from ccops.people.choices import EmploymentStatus, LeaveAdjustmentKind, TeamKind
from ccops.people.models import Employee, LeaveAdjustment, LeaveType, Team
from ccops.people.services import (
    employee_for,
    entitlement_days,
    leave_adjustment_add,
    leave_steps,
)
from ccops.wfm.choices import DayPart, RequestStatus, ScheduleStatus
from ccops.wfm.models import Schedule, TimeOffRequest
from ccops.wfm.services.queries import published_shifts

#: A part of a working day up to this long counts as half a day; longer, a whole day.
HALF_DAY_UP_TO = timedelta(hours=4, minutes=30)
ZERO = Decimal(0)
HALF = Decimal("0.5")
ONE = Decimal(1)


# --- working days ---------------------------------------------------------------------------


def holidays(site, first: date, last: date) -> set[date]:
    """The site's holidays (``CalendarPeriod`` of kind *holiday*, the site's or every
    site's) between ``first`` and ``last``, both included."""
    out: set[date] = set()
    periods = CalendarPeriod.objects.filter(
        Q(site=site) | Q(site__isnull=True),
        kind=PeriodKind.HOLIDAY,
        start_date__lte=last,
        end_date__gte=first,
    )
    for period in periods:
        day = max(period.start_date, first)
        while day <= min(period.end_date, last):
            out.add(day)
            day += timedelta(days=1)
    return out


def _local_dates(start: datetime, end: datetime, zone) -> list[date]:
    first = start.astimezone(zone).date()
    last = (end - timedelta(microseconds=1)).astimezone(zone).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def leave_days_by_date(
    employee: Employee, start: datetime, end: datetime, *, half_day: bool = False
) -> dict[date, Decimal]:
    """The working days (1 or 0.5 each) of ``employee`` that time off from ``start`` to
    ``end`` takes, by site-local date.

    A date of a week the site has published a schedule for is a working day when the
    employee has a shift starting that day; any other date is a working day from Monday to
    Friday unless it is a holiday of the site. Time off of up to 4.5 hours of a day counts
    as half a day, and so does a half-day request (``half_day``: a morning or an
    afternoon)."""
    site = employee.site
    zone = site.zone
    dates = _local_dates(start, end, zone)
    if not dates:
        return {}
    first, last = dates[0], dates[-1]
    off = holidays(site, first, last)
    weeks = Schedule.objects.filter(
        site=site,
        status=ScheduleStatus.PUBLISHED,
        week_start__gt=first - timedelta(days=7),
        week_start__lte=last,
    ).values_list("week_start", flat=True)
    planned = {w + timedelta(days=n) for w in weeks for n in range(7)}
    worked = set()
    if planned:
        for shift_start in (
            published_shifts()
            .filter(
                employee=employee,
                start__lt=datetime.combine(last + timedelta(days=1), time(), tzinfo=zone),
                start__gte=datetime.combine(first, time(), tzinfo=zone),
            )
            .values_list("start", flat=True)
        ):
            worked.add(shift_start.astimezone(zone).date())
    out: dict[date, Decimal] = {}
    for day in dates:
        working = day in worked if day in planned else day.weekday() < 5 and day not in off
        if not working:
            continue
        day_start = datetime.combine(day, time(), tzinfo=zone)
        day_end = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)
        overlap = min(end, day_end) - max(start, day_start)
        if overlap > timedelta(0):
            out[day] = ONE if overlap > HALF_DAY_UP_TO and not half_day else HALF
    return out


def working_days(
    employee: Employee, start: datetime, end: datetime, *, half_day: bool = False
) -> Decimal:
    """How many working days of ``employee`` the time off takes (see
    :func:`leave_days_by_date`)."""
    return sum(leave_days_by_date(employee, start, end, half_day=half_day).values(), ZERO)


def half_day_bounds(day: date, part: str, zone) -> tuple[datetime, datetime]:
    """The morning (midnight to noon) or the afternoon (noon to midnight) of ``day`` in
    the site's zone."""
    midnight = datetime.combine(day, time(), tzinfo=zone)
    noon = datetime.combine(day, time(12), tzinfo=zone)
    if part == DayPart.MORNING:
        return midnight, noon
    if part == DayPart.AFTERNOON:
        return noon, datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)
    raise ValueError(f"not a part of the day: {part!r}")


# --- leave types and balances -------------------------------------------------------------


def leave_types(site, *, counted_only: bool = False):
    rows = LeaveType.objects.filter(site=site).prefetch_related("rules")
    if counted_only:
        rows = rows.filter(counts_against_balance=True)
    return rows.order_by("sort_order", "code")


def resolve_leave_type(employee: Employee, kind: str, leave_type: LeaveType | None):
    """The leave type of a new request: the one chosen (of the employee's site), else the
    site's first type of category ``kind`` (``None`` when the site has none)."""
    if leave_type is not None:
        if leave_type.site_id != employee.site_id or leave_type.archived_at is not None:
            raise ValidationError({"leave_type": _("Choose a leave type of the employee's site.")})
        return leave_type
    return leave_types(employee.site).filter(category=kind).first()


def _year_bounds(site, year: int) -> tuple[datetime, datetime]:
    zone = site.zone
    return (
        datetime.combine(date(year, 1, 1), time(), tzinfo=zone),
        datetime.combine(date(year + 1, 1, 1), time(), tzinfo=zone),
    )


def request_year(request_or_start, site) -> int:
    start = getattr(request_or_start, "start", request_or_start)
    return start.astimezone(site.zone).year


@dataclass
class LeaveBalance:
    """One employee's balance of one leave type in one year (days)."""

    employee: Employee
    leave_type: LeaveType
    year: int
    entitlement: Decimal = ZERO
    carried_over: Decimal = ZERO
    adjusted: Decimal = ZERO
    approved: Decimal = ZERO
    pending: Decimal = ZERO
    adjustments: list = field(default_factory=list)

    @property
    def granted(self) -> Decimal:
        return self.entitlement + self.carried_over + self.adjusted

    @property
    def before_pending(self) -> Decimal:
        """What is left after the approved time off (pending requests not counted)."""
        return self.granted - self.approved

    @property
    def available(self) -> Decimal:
        """What a new request may still take (approved and pending counted)."""
        return self.granted - self.approved - self.pending

    def as_dict(self) -> dict:
        return {
            "employee": self.employee.pk,
            "leave_type": self.leave_type.pk,
            "leave_type_name": str(self.leave_type),
            "year": self.year,
            "entitlement": self.entitlement,
            "carried_over": self.carried_over,
            "adjusted": self.adjusted,
            "approved": self.approved,
            "pending": self.pending,
            "available": self.available,
        }


def balances(employees, year: int, types=None) -> dict[tuple[int, int], LeaveBalance]:
    """Balances of ``employees`` in ``year`` for every counted leave type of their sites
    (or ``types``), keyed ``(employee id, leave type id)``; a few queries for any number
    of employees."""
    employees = list(employees)
    if not employees:
        return {}
    sites = {e.site_id: e.site for e in employees}
    if types is None:
        types = list(
            LeaveType.objects.filter(site__in=sites, counts_against_balance=True)
            .prefetch_related("rules")
            .order_by("sort_order", "code")
        )
    by_site = defaultdict(list)
    for leave_type in types:
        by_site[leave_type.site_id].append(leave_type)
    out: dict[tuple[int, int], LeaveBalance] = {}
    steps = {t.pk: leave_steps(t) for t in types}
    for employee in employees:
        for leave_type in by_site.get(employee.site_id, []):
            out[employee.pk, leave_type.pk] = LeaveBalance(
                employee=employee,
                leave_type=leave_type,
                year=year,
                entitlement=entitlement_days(
                    hire_date=employee.hire_date,
                    work_start_date=employee.work_start_date,
                    year=year,
                    steps=steps[leave_type.pk],
                ),
            )
    if not out:
        return out
    ids = [e.pk for e in employees]
    type_ids = [t.pk for t in types]
    for adj in LeaveAdjustment.objects.filter(
        employee__in=ids, leave_type__in=type_ids, year=year
    ).order_by("created_at"):
        row = out.get((adj.employee_id, adj.leave_type_id))
        if row is None:
            continue
        if adj.kind == LeaveAdjustmentKind.CARRY_OVER:
            row.carried_over += adj.days
        else:
            row.adjusted += adj.days
        row.adjustments.append(adj)
    for site in sites.values():
        first, end = _year_bounds(site, year)
        used = (
            TimeOffRequest.objects.filter(
                employee__in=[e.pk for e in employees if e.site_id == site.pk],
                leave_type__in=type_ids,
                status__in=[RequestStatus.APPROVED, RequestStatus.REQUESTED],
                start__gte=first,
                start__lt=end,
            )
            .values("employee", "leave_type", "status")
            .annotate(days=Sum("days"))
        )
        for item in used:
            row = out.get((item["employee"], item["leave_type"]))
            if row is None:
                continue
            if item["status"] == RequestStatus.APPROVED:
                row.approved += item["days"] or ZERO
            else:
                row.pending += item["days"] or ZERO
    return out


def balance_of(employee: Employee, leave_type: LeaveType, year: int) -> LeaveBalance:
    return balances([employee], year, types=[leave_type])[employee.pk, leave_type.pk]


def employee_balances(employee: Employee | None, year: int) -> list[LeaveBalance]:
    if employee is None:
        return []
    return list(balances([employee], year).values())


def _refusal(balance: LeaveBalance, days: Decimal, left: Decimal) -> ValidationError:
    return ValidationError(
        {
            "leave_type": _(
                "This time off takes %(days)s working days of %(type)s, but only %(left)s "
                "are left for %(year)s (entitlement %(granted)s, approved %(approved)s, "
                "pending %(pending)s). Ask a supervisor for an adjustment if more is due."
            )
            % {
                "days": days,
                "type": balance.leave_type,
                "left": left,
                "year": balance.year,
                "granted": balance.granted,
                "approved": balance.approved,
                "pending": balance.pending,
            }
        }
    )


def check_fits_new(employee, leave_type, start, days: Decimal) -> None:
    """A new request must fit the balance left after approved and pending time off."""
    if leave_type is None or not leave_type.counts_against_balance:
        return
    balance = balance_of(employee, leave_type, request_year(start, employee.site))
    if days > balance.available:
        raise _refusal(balance, days, balance.available)


def check_fits_approval(request: TimeOffRequest) -> None:
    """An approval must fit what is left after the approved time off (the request itself
    is pending, so it is not counted as approved). The caller holds the employee's lock."""
    leave_type = request.leave_type
    if leave_type is None or not leave_type.counts_against_balance:
        return
    balance = balance_of(request.employee, leave_type, request_year(request, request.employee.site))
    if request.days > balance.before_pending:
        raise _refusal(balance, request.days, balance.before_pending)


# --- the approver's view ------------------------------------------------------------------


def decision_summary(request: TimeOffRequest, conflicts: list[dict]) -> dict:
    """What the approver sees before deciding: the balance before and after, the shifts
    that would open and the agent-hours each queue would lose, and who else of the team
    is off on those days."""
    out: dict = {"balance": None, "shifts": conflicts, "queues": [], "team_off": []}
    employee = request.employee
    if request.leave_type_id and request.leave_type.counts_against_balance:
        balance = balance_of(employee, request.leave_type, request_year(request, employee.site))
        own_pending = request.days if request.status == RequestStatus.REQUESTED else ZERO
        before = balance.before_pending
        out["balance"] = {
            "balance": balance,
            "before": before,
            "after": before - own_pending,
            "other_pending": balance.pending - own_pending,
            "fits": own_pending <= before,
        }
    lost: dict = defaultdict(float)
    for item in conflicts:
        serves = item["shift"].serves or (None,)
        for queue_id in serves:
            lost[queue_id] += item["hours_on_phones"] / len(serves)
    queues = Queue.objects.in_bulk([k for k in lost if k is not None])
    out["queues"] = [
        {"queue": queues.get(k), "hours": round(v, 2)}
        for k, v in sorted(lost.items(), key=lambda kv: -kv[1])
    ]
    if employee.team_id:
        others = (
            TimeOffRequest.objects.filter(
                employee__team=employee.team_id,
                status__in=[RequestStatus.APPROVED, RequestStatus.REQUESTED],
                start__lt=request.end,
                end__gt=request.start,
            )
            .exclude(pk=request.pk)
            .select_related("employee")
            .order_by("start")
        )
        out["team_off"] = list(others)
    return out


# --- the team calendar --------------------------------------------------------------------


def month_bounds(month: date, zone) -> tuple[datetime, datetime, list[date]]:
    first = month.replace(day=1)
    days = pycalendar.monthrange(first.year, first.month)[1]
    dates = [first + timedelta(days=n) for n in range(days)]
    return (
        datetime.combine(first, time(), tzinfo=zone),
        datetime.combine(first + timedelta(days=days), time(), tzinfo=zone),
        dates,
    )


def team_calendar(*, employees, month: date, site, show_details) -> dict:
    """Who is off which day of ``month``: one row per employee, one cell per day (``None``,
    or the request with ``pending``, and ``part``: the morning or afternoon of a half-day
    request); ``show_details(request)`` says whether the viewer may see the kind of leave
    (else only "off")."""
    zone = site.zone
    start, end, dates = month_bounds(month, zone)
    employees = list(employees)
    requests = (
        TimeOffRequest.objects.filter(
            employee__in=[e.pk for e in employees],
            status__in=[RequestStatus.APPROVED, RequestStatus.REQUESTED],
            start__lt=end,
            end__gt=start,
        )
        .select_related("employee", "leave_type")
        .order_by("start")
    )
    cells: dict[int, dict[date, dict]] = defaultdict(dict)
    for req in requests:
        for day in _local_dates(max(req.start, start), min(req.end, end), zone):
            earlier = cells[req.employee_id].get(day)
            cells[req.employee_id][day] = {
                "request": req,
                "pending": req.status == RequestStatus.REQUESTED,
                "details": show_details(req),
                # half a day off (a morning or an afternoon); both halves make a whole day
                "part": req.get_day_part_display() if req.day_part and not earlier else "",
                "half": bool(req.day_part) and not earlier,
            }
    off = holidays(site, dates[0], dates[-1])
    days = [{"date": d, "weekend": d.weekday() >= 5, "holiday": d in off, "off": 0} for d in dates]
    rows = []
    for employee in employees:
        mine = [cells[employee.pk].get(d) for d in dates]
        for info, cell in zip(days, mine, strict=True):
            info["off"] += 1 if cell else 0
        rows.append(
            {
                "employee": employee,
                "cells": list(zip(days, mine, strict=True)),
                "days_off": sum((HALF if c["half"] else ONE) for c in mine if c),
            }
        )
    return {"dates": days, "rows": rows}


# --- what a reader may see ----------------------------------------------------------------


#: The balances page lists at most this many employees (filter by team for more).
MAX_BALANCE_ROWS = 200


def _int(value, default: int, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if low <= number <= high else default


def parse_month(value: str | None, today: date) -> date:
    """``YYYY-MM`` (else the current month), as its first day."""
    try:
        year, month = (int(x) for x in (value or "").split("-"))
        return date(year, month, 1) if 2000 <= year <= 2100 else today.replace(day=1)
    except ValueError:
        return today.replace(day=1)


def visible_teams(user):
    """The teams whose calendar ``user`` may see: a supervisor all, a manager their teams,
    an agent their own team."""
    return Team.objects.restrict(user, "view").select_related("site").order_by("site", "name")


def team_calendar_data(user, *, month_value=None, team_value=None) -> dict:
    """The month grid of one team for ``user`` (also the API's answer)."""
    check_model_perm(user, TimeOffRequest, "view")
    teams = list(visible_teams(user))
    own = employee_for(user)
    team = None
    if team_value:
        team = next((t for t in teams if str(t.pk) == str(team_value)), None)
    if team is None and own is not None and own.team_id:
        team = next((t for t in teams if t.pk == own.team_id), None)
    if team is None:
        team = next((t for t in teams if t.kind == TeamKind.GROUP), teams[0] if teams else None)
    site = team.site if team else (own.site if own else None)
    today = timezone.localtime(timezone.now(), site.zone if site else None).date()
    month = parse_month(month_value, today)
    data = {"teams": teams, "team": team, "month": month, "site": site, "grid": None}
    if team is None:
        return data
    members = (
        Employee.objects.filter(_members_of(team))
        .exclude(status=EmploymentStatus.LEFT)
        .select_related("team")
        .order_by("full_name")
    )
    seen = set(
        TimeOffRequest.objects.restrict(user, "view")
        .filter(employee__in=members)
        .values_list("pk", flat=True)
    )
    data["grid"] = team_calendar(
        employees=members,
        month=month,
        site=site,
        show_details=lambda req: req.pk in seen,
    )
    return data


def _members_of(team):
    """Members of ``team``, and of its groups when it is an area."""
    return Q(team=team) | Q(team__parent=team)


def balances_data(user, *, year=None, team=None, employee=None) -> tuple[int, list]:
    """(year, [(employee, [LeaveBalance ...])]) for the employees ``user`` may see."""
    check_model_perm(user, TimeOffRequest, "view")
    this_year = timezone.localdate().year
    year = _int(year, this_year, 2000, 2100)
    people = (
        Employee.objects.restrict(user, "view")
        .exclude(status=EmploymentStatus.LEFT)
        .select_related("site", "team")
        .order_by("team__name", "full_name")
    )
    if team:
        people = people.filter(_members_of(Team(pk=_int(team, 0, 0, 2**62))))
    if employee:
        people = people.filter(pk=_int(employee, 0, 0, 2**62))
    people = list(people[:MAX_BALANCE_ROWS])
    found = balances(people, year)
    rows = []
    for person in people:
        mine = [b for (e, _t), b in found.items() if e == person.pk]
        rows.append((person, mine))
    return year, rows


# --- carrying unused days over ----------------------------------------------------------


@transaction.atomic
def leave_carry_over(*, site, leave_type: LeaveType, from_year: int, max_days, actor) -> int:
    """Carry each active employee's unused days of ``leave_type`` in ``from_year`` (what is
    left after approved time off, pending requests not counted) into the next year, at most
    ``max_days`` each, as *carried over* adjustments with the reason. Employees who already
    have a carry-over into that year are left alone, so running it twice adds nothing.
    Returns how many employees got days."""
    site = lock_for_update(site)  # one carry-over of a site at a time
    if leave_type.site_id != site.pk or not leave_type.counts_against_balance:
        raise ValidationError({"leave_type": _("Choose a leave type of the site with a balance.")})
    max_days = Decimal(str(max_days))
    if max_days <= 0:
        raise ValidationError({"max_days": _("Carry over at least half a day.")})
    to_year = from_year + 1
    done = set(
        LeaveAdjustment.objects.filter(
            leave_type=leave_type, year=to_year, kind=LeaveAdjustmentKind.CARRY_OVER
        ).values_list("employee", flat=True)
    )
    staff = (
        Employee.objects.filter(site=site)
        .exclude(status=EmploymentStatus.LEFT)
        .exclude(pk__in=done)
        .select_related("site")
    )
    found = balances(staff, from_year, types=[leave_type])
    made = 0
    for balance in found.values():
        days = min(balance.before_pending, max_days)
        if days <= 0:
            continue
        leave_adjustment_add(
            employee=balance.employee,
            leave_type=leave_type,
            year=to_year,
            days=days,
            kind=LeaveAdjustmentKind.CARRY_OVER,
            reason=_("Unused days of %(year)s carried over (at most %(max)s)")
            % {"year": from_year, "max": max_days},
            actor=actor,
        )
        made += 1
    return made
