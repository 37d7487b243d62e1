"""Writes of the people app (each one transaction, audited, attributed to ``actor``)."""

from __future__ import annotations

import itertools
import math
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ccops.core import audit
from ccops.core.cache import per_request
from ccops.core.errors import Conflict
from ccops.core.models import Site
from ccops.core.services import (
    lock_for_update,
    record_archive,
    record_create,
    record_update,
    user_offboard,
)
from ccops.people.choices import EmploymentStatus, LeaveAdjustmentKind, LeaveCategory
from ccops.people.models import (
    Employee,
    EmployeeSkill,
    LeaveAdjustment,
    LeaveEntitlementRule,
    LeaveType,
    Skill,
    Team,
)


def managed_team_ids(user) -> set[int]:
    """Teams ``user`` manages: those they lead, the groups of the areas they lead, and
    their own team. (Registered as core's team resolver for ``restrict()``.)"""
    employee = employee_for(user)
    if employee is None:
        return set()
    led = set(Team.objects.filter(leader=employee).values_list("pk", flat=True))
    children = set(Team.objects.filter(parent__in=led).values_list("pk", flat=True))
    own = {employee.team_id} if employee.team_id else set()
    return led | children | own


def employee_for(user) -> Employee | None:
    if user is None or not user.is_authenticated:
        return None
    return per_request(
        ("people.employee_for", user.pk),
        lambda: Employee.objects.select_related("team", "site").filter(user=user).first(),
    )


def _check_in_scope(actor, employee: Employee) -> None:
    if not Employee.objects.filter(pk=employee.pk).restrict(actor, "view").exists():
        raise PermissionDenied(_("%(employee)s is not in your teams.") % {"employee": employee})


def _check_work_start(work_start_date: date | None, hire_date: date | None) -> None:
    """The first day of work (any employer) is no later than the hire date, nor to come."""
    if work_start_date is None:
        return
    if hire_date is not None and work_start_date > hire_date:
        raise ValidationError(
            {
                "work_start_date": _(
                    "The first day of work is the hire date or earlier (an earlier employer)."
                )
            }
        )
    if work_start_date > date.today():
        raise ValidationError({"work_start_date": _("The first day of work has not come yet.")})


@transaction.atomic
def employee_hire(
    *,
    employee_number: str,
    full_name: str,
    site: Site,
    actor,
    team: Team | None = None,
    job_title: str = "",
    email: str = "",
    phone: str = "",
    hire_date: date | None = None,
    work_start_date: date | None = None,
    weekly_hours: Decimal | float = 40,
    user=None,
    status: str = "active",
    acd_login: str = "",
) -> Employee:
    """Add an employee to a site (and a team). ``work_start_date`` is their first day of
    work at any employer (annual leave counts the years since then)."""
    _check_work_start(work_start_date, hire_date)
    if Employee.objects.filter(employee_number=employee_number).exists():
        raise ValidationError(
            {"employee_number": _("Employee number %(n)s is taken.") % {"n": employee_number}}
        )
    return record_create(
        Employee,
        data={
            "employee_number": employee_number,
            "full_name": full_name,
            "site": site,
            "team": team,
            "job_title": job_title,
            "email": email,
            "phone": phone,
            "hire_date": hire_date,
            "work_start_date": work_start_date,
            "weekly_hours": weekly_hours,
            "user": user,
            "status": status,
            "acd_login": acd_login.strip(),
        },
        actor=actor,
        verb="employee_hire",
    )


@transaction.atomic
def employee_transfer(*, employee: Employee, team: Team | None, actor) -> Employee:
    """Move an employee to another team of the same site."""
    employee = lock_for_update(employee)
    return record_update(employee, data={"team": team}, actor=actor, verb="employee_transfer")


@transaction.atomic
def skill_certify(
    *,
    employee: Employee,
    skill: Skill,
    level: int,
    actor,
    certified_on: date | None = None,
) -> EmployeeSkill:
    """Record that ``employee`` holds ``skill`` at ``level`` (creates or raises the level).

    Managers may certify only the employees of their teams."""
    _check_in_scope(actor, employee)
    lock_for_update(employee)  # parallel certifications of one employee queue here
    held = EmployeeSkill.objects.filter(employee=employee, skill=skill).first()
    data = {"level": level, "certified_on": certified_on or date.today()}
    if held is None:
        return record_create(
            EmployeeSkill,
            data={"employee": employee, "skill": skill, **data},
            actor=actor,
            verb="skill_certify",
        )
    return record_update(held, data=data, actor=actor, verb="skill_certify")


@transaction.atomic
def team_set_leader(*, team: Team, leader: Employee | None, actor) -> Team:
    """Name the manager of a group or an area."""
    team = lock_for_update(team)
    if leader is not None and leader.site_id != team.site_id:
        raise ValidationError({"leader": _("The manager works on another site.")})
    with audit.acting_as(actor, via=audit.current_actor().via):
        return record_update(team, data={"leader": leader}, actor=actor, verb="team_set_leader")


def team_roster(team_ids) -> list[Employee]:
    """Active employees of the given teams, by team then name."""
    return list(
        Employee.objects.filter(team__in=team_ids)
        .filter(~Q(status="left"))
        .select_related("team")
        .order_by("team__name", "full_name")
    )


def _offboard(employee: Employee, *, actor, reason: str) -> None:
    if employee.user_id is not None:
        user_offboard(user=employee.user, actor=actor, reason=reason)


@transaction.atomic
def employee_update(*, employee: Employee, data: dict, actor) -> Employee:
    """Change an employee's record; setting the status to *left* also offboards their
    login (deactivated, sessions ended, API tokens revoked)."""
    employee = lock_for_update(employee)
    if "work_start_date" in data or "hire_date" in data:
        _check_work_start(
            data.get("work_start_date", employee.work_start_date),
            data.get("hire_date", employee.hire_date),
        )
    was_left = employee.status == EmploymentStatus.LEFT
    employee = record_update(employee, data=data, actor=actor)
    if employee.status == EmploymentStatus.LEFT and not was_left:
        _offboard(employee, actor=actor, reason="employee left")
    return employee


@transaction.atomic
def employee_archive(*, employee: Employee, actor) -> Employee:
    """Archive an employee and offboard their login (deactivated, sessions ended, API
    tokens revoked)."""
    employee = lock_for_update(employee)
    record_archive(employee, actor=actor)
    _offboard(employee, actor=actor, reason="employee archived")
    return employee


# --- leave types, entitlements, adjustments ----------------------------------------------

#: The leave types a site starts with: (code = category, counts against a balance, paid,
#: entitlement steps (from years of service, days a year)). Annual leave follows the
#: PRC Regulations on Paid Annual Leave of Employees (职工带薪年休假条例, art. 3):
#: 5 days from 1 year of service, 10 from 10 years, 15 from 20 years.
DEFAULT_LEAVE_TYPES: list[tuple[str, bool, bool, list[tuple[int, int]]]] = [
    (LeaveCategory.ANNUAL, True, True, [(1, 5), (10, 10), (20, 15)]),
    (LeaveCategory.SICK, False, True, []),
    (LeaveCategory.PERSONAL, False, False, []),
    (LeaveCategory.MARRIAGE, False, True, []),
    (LeaveCategory.BEREAVEMENT, False, True, []),
    (LeaveCategory.MATERNITY, False, True, []),
    (LeaveCategory.PATERNITY, False, True, []),
    (LeaveCategory.COMPENSATORY, True, True, []),
    (LeaveCategory.OTHER, False, False, []),
]


@transaction.atomic
def leave_types_seed(*, site: Site, actor) -> list[LeaveType]:
    """Give ``site`` the default leave types and annual-leave steps it does not have yet
    (by code); existing types are left as the supervisors edited them."""
    site = lock_for_update(site)
    have = set(LeaveType.objects.filter(site=site).values_list("code", flat=True))
    made = []
    for order, (category, counts, paid, steps) in enumerate(DEFAULT_LEAVE_TYPES):
        if str(category) in have:
            continue
        leave_type = record_create(
            LeaveType,
            data={
                "site": site,
                "code": str(category),
                "category": category,
                "counts_against_balance": counts,
                "paid": paid,
                "sort_order": order * 10,
            },
            actor=actor,
            verb="leave_type_seed",
        )
        for min_years, days in steps:
            record_create(
                LeaveEntitlementRule,
                data={"leave_type": leave_type, "min_years": min_years, "days": days},
                actor=actor,
                verb="leave_rule_create",
            )
        made.append(leave_type)
    return made


@transaction.atomic
def leave_type_create(*, actor, **data) -> LeaveType:
    return record_create(LeaveType, data=data, actor=actor, verb="leave_type_create")


@transaction.atomic
def leave_type_update(*, leave_type: LeaveType, data: dict, actor) -> LeaveType:
    leave_type = lock_for_update(leave_type)
    data = {k: v for k, v in data.items() if k != "site"}  # a type stays on its site
    return record_update(leave_type, data=data, actor=actor, verb="leave_type_update")


@transaction.atomic
def leave_rule_set(*, leave_type: LeaveType, min_years: int, days, actor) -> LeaveEntitlementRule:
    """Set the days a year from ``min_years`` of service on. A changed step archives the
    old one and adds a new one, so the history of the rule stays readable."""
    leave_type = lock_for_update(leave_type)  # steps of one type change one at a time
    if not leave_type.counts_against_balance:
        raise ValidationError(
            {"leave_type": _("%(type)s has no balance, so no entitlement.") % {"type": leave_type}}
        )
    for old in LeaveEntitlementRule.objects.filter(leave_type=leave_type, min_years=min_years):
        record_archive(old, actor=actor)
    return record_create(
        LeaveEntitlementRule,
        data={"leave_type": leave_type, "min_years": min_years, "days": days},
        actor=actor,
        verb="leave_rule_set",
    )


@transaction.atomic
def leave_rule_change(*, rule: LeaveEntitlementRule, actor, **data) -> LeaveEntitlementRule:
    """Change a step: the old one is archived and a new one added (history kept)."""
    rule = lock_for_update(rule)
    if rule.archived_at is not None:
        raise Conflict(_("This entitlement step was already replaced."))
    min_years = data.get("min_years", rule.min_years)
    days = data.get("days", rule.days)
    record_archive(rule, actor=actor)
    return leave_rule_set(leave_type=rule.leave_type, min_years=min_years, days=days, actor=actor)


@transaction.atomic
def leave_rule_archive(*, rule: LeaveEntitlementRule, actor) -> LeaveEntitlementRule:
    return record_archive(rule, actor=actor)


@transaction.atomic
def leave_adjustment_add(
    *,
    employee: Employee,
    leave_type: LeaveType,
    year: int,
    days,
    reason: str,
    actor,
    kind: str = LeaveAdjustmentKind.ADJUSTMENT,
) -> LeaveAdjustment:
    """Add days to (or, negative, take them off) one employee's balance of a year, with
    the reason. Adjustments are never edited; a correction is another adjustment."""
    _check_in_scope(actor, employee)
    if leave_type.site_id != employee.site_id:
        raise ValidationError({"leave_type": _("The leave type is of another site.")})
    if not leave_type.counts_against_balance:
        raise ValidationError(
            {"leave_type": _("%(type)s has no balance to adjust.") % {"type": leave_type}}
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the balance changes.")})
    if Decimal(str(days)) == 0:
        raise ValidationError({"days": _("An adjustment of zero days changes nothing.")})
    lock_for_update(employee)  # a balance changes one write at a time (see the approvals)
    return record_create(
        LeaveAdjustment,
        data={
            "employee": employee,
            "leave_type": leave_type,
            "year": year,
            "kind": kind,
            "days": days,
            "reason": reason.strip(),
        },
        actor=actor,
        verb="leave_adjustment_add",
    )


def _anniversary(hire: date, years: int) -> date:
    try:
        return hire.replace(year=hire.year + years)
    except ValueError:  # hired on 29 February
        return date(hire.year + years, 3, 1)


def service_years(hire_date: date | None, on: date) -> int:
    """Completed years of service on ``on`` (0 when the hire date is unknown)."""
    if hire_date is None or on < hire_date:
        return 0
    years = on.year - hire_date.year
    if _anniversary(hire_date, years) > on:
        years -= 1
    return max(years, 0)


def years_counted_from(hire_date: date | None, work_start_date: date | None) -> date | None:
    """The day the years of an entitlement count from: the first day of work at any
    employer when it is known and earlier (the PRC rule counts cumulative working years,
    累计工作年限), else the hire date."""
    if work_start_date is None:
        return hire_date
    if hire_date is None:
        return work_start_date
    return min(hire_date, work_start_date)


def entitlement_days(
    *,
    hire_date: date | None,
    year: int,
    steps: list[tuple[int, Decimal]],
    work_start_date: date | None = None,
) -> Decimal:
    """The days of a yearly entitlement in ``year`` for someone hired on ``hire_date``.

    ``steps`` are ``(from completed years of work, days a year)``; the step reached
    applies. The years count from ``work_start_date`` (the first day of work at any
    employer, :func:`years_counted_from`), else from the hire date. A year in which the
    employee is hired or reaches a new step is prorated by calendar days, and the fraction
    below one day is not granted (the PRC rule for annual leave, 企业职工带薪年休假实施办法
    art. 5: someone who has worked for years elsewhere gets the days of those years,
    prorated from the hire date in the year they join). Neither date known: no years."""
    if not steps:
        return Decimal(0)
    steps = sorted((int(y), Decimal(d)) for y, d in steps)
    first, end = date(year, 1, 1), date(year + 1, 1, 1)
    total_days = (end - first).days
    start = max(first, hire_date) if hire_date else first
    if start >= end:
        return Decimal(0)
    since = years_counted_from(hire_date, work_start_date)
    cuts = {start, end}
    if since:
        for n in range(year - since.year - 1, year - since.year + 2):
            if n > 0 and start < _anniversary(since, n) < end:
                cuts.add(_anniversary(since, n))
    points = sorted(cuts)
    total = Decimal(0)
    for a, b in itertools.pairwise(points):
        years = service_years(since, a)
        per_year = Decimal(0)
        for min_years, days in steps:
            if years >= min_years:
                per_year = days
        total += per_year * (b - a).days / total_days
    return Decimal(math.floor(total + Decimal("0.000001")))


def leave_steps(leave_type: LeaveType) -> list[tuple[int, Decimal]]:
    return [(r.min_years, r.days) for r in leave_type.rules.all()]
