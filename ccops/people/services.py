"""Writes of the people app (each one transaction, audited, attributed to ``actor``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ccops.core import audit
from ccops.core.models import Site
from ccops.core.services import (
    lock_for_update,
    record_archive,
    record_create,
    record_update,
    user_offboard,
)
from ccops.people.choices import EmploymentStatus
from ccops.people.models import Employee, EmployeeSkill, Skill, Team


def managed_team_ids(user) -> set[int]:
    """Teams ``user`` manages: those they lead, the groups of the areas they lead, and
    their own team. (Registered as core's team resolver for ``restrict()``.)"""
    employee = Employee.objects.filter(user=user).first()
    if employee is None:
        return set()
    led = set(Team.objects.filter(leader=employee).values_list("pk", flat=True))
    children = set(Team.objects.filter(parent__in=led).values_list("pk", flat=True))
    own = {employee.team_id} if employee.team_id else set()
    return led | children | own


def employee_for(user) -> Employee | None:
    if user is None or not user.is_authenticated:
        return None
    return Employee.objects.select_related("team", "site").filter(user=user).first()


def _check_in_scope(actor, employee: Employee) -> None:
    if not Employee.objects.filter(pk=employee.pk).restrict(actor, "view").exists():
        raise PermissionDenied(_("%(employee)s is not in your teams.") % {"employee": employee})


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
    weekly_hours: Decimal | float = 40,
    user=None,
    status: str = "active",
    acd_login: str = "",
) -> Employee:
    """Add an employee to a site (and a team)."""
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
