"""REST API of the people app: employees, teams, skills, skill certificates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import ModelSchema, Router, Schema, Status

from ccops.core.apitools import register_crud, require_perm, resolve_pk
from ccops.core.models import Site
from ccops.people import services
from ccops.people.filters import (
    EmployeeFilter,
    EmployeeSkillFilter,
    LeaveAdjustmentFilter,
    LeaveTypeFilter,
    SkillFilter,
    TeamFilter,
)
from ccops.people.models import (
    Employee,
    EmployeeSkill,
    LeaveAdjustment,
    LeaveEntitlementRule,
    LeaveType,
    Skill,
    Team,
)

router = Router(tags=["people"])


class TeamOut(ModelSchema):
    class Meta:
        model = Team
        fields = ["id", "site", "code", "name", "kind", "parent", "leader", "archived_at"]


class TeamIn(Schema):
    site: int
    code: str
    name: str
    kind: str
    parent: int | None = None
    leader: int | None = None


class TeamPatch(Schema):
    code: str | None = None
    name: str | None = None
    parent: int | None = None
    leader: int | None = None


class EmployeeOut(ModelSchema):
    class Meta:
        model = Employee
        fields = [
            "id",
            "user",
            "employee_number",
            "full_name",
            "site",
            "team",
            "job_title",
            "email",
            "phone",
            "hire_date",
            "work_start_date",
            "weekly_hours",
            "status",
            "acd_login",
            "archived_at",
        ]


class EmployeeIn(Schema):
    employee_number: str
    full_name: str
    site: int
    team: int | None = None
    job_title: str = ""
    email: str = ""
    phone: str = ""
    hire_date: date | None = None
    work_start_date: date | None = None
    weekly_hours: Decimal = Decimal(40)
    status: str = "active"
    acd_login: str = ""


class EmployeePatch(Schema):
    full_name: str | None = None
    team: int | None = None
    job_title: str | None = None
    email: str | None = None
    phone: str | None = None
    hire_date: date | None = None
    work_start_date: date | None = None
    weekly_hours: Decimal | None = None
    status: str | None = None
    acd_login: str | None = None


class SkillOut(ModelSchema):
    class Meta:
        model = Skill
        fields = ["id", "code", "name", "queue", "description", "archived_at"]


class SkillIn(Schema):
    code: str
    name: str
    queue: int | None = None
    description: str = ""


class SkillPatch(Schema):
    name: str | None = None
    queue: int | None = None
    description: str | None = None


class EmployeeSkillOut(ModelSchema):
    class Meta:
        model = EmployeeSkill
        fields = ["id", "employee", "skill", "level", "certified_on", "archived_at"]


class EmployeeSkillIn(Schema):
    employee: int
    skill: int
    level: int = 3
    certified_on: date | None = None


class EmployeeSkillPatch(Schema):
    level: int | None = None
    certified_on: date | None = None


def _employee_hire(*, actor, site, team=None, **data):
    site_obj = resolve_pk(Site, site, "site")
    team_obj = resolve_pk(Team, team, "team", Team.objects.filter(site=site_obj))
    return services.employee_hire(actor=actor, site=site_obj, team=team_obj, **data)


def _skill_certify(*, actor, employee, skill, level=3, certified_on=None):
    employee_obj = resolve_pk(
        Employee, employee, "employee", Employee.objects.restrict(actor, "view")
    )
    skill_obj = resolve_pk(Skill, skill, "skill")
    return services.skill_certify(
        employee=employee_obj, skill=skill_obj, level=level, certified_on=certified_on, actor=actor
    )


register_crud(
    router,
    Employee,
    path="employees",
    out_schema=EmployeeOut,
    in_schema=EmployeeIn,
    patch_schema=EmployeePatch,
    filterset=EmployeeFilter,
    create=_employee_hire,
    update=lambda *, instance, actor, **data: services.employee_update(
        employee=instance, data=data, actor=actor
    ),
    archive_with=lambda *, instance, actor: services.employee_archive(
        employee=instance, actor=actor
    ),
)
register_crud(
    router,
    Team,
    path="teams",
    out_schema=TeamOut,
    in_schema=TeamIn,
    patch_schema=TeamPatch,
    filterset=TeamFilter,
)
register_crud(
    router,
    Skill,
    path="skills",
    out_schema=SkillOut,
    in_schema=SkillIn,
    patch_schema=SkillPatch,
    filterset=SkillFilter,
)
register_crud(
    router,
    EmployeeSkill,
    path="certificates",
    out_schema=EmployeeSkillOut,
    in_schema=EmployeeSkillIn,
    patch_schema=EmployeeSkillPatch,
    filterset=EmployeeSkillFilter,
    create=_skill_certify,
)


class LeaveTypeOut(ModelSchema):
    title: str

    class Meta:
        model = LeaveType
        fields = [
            "id",
            "site",
            "code",
            "name",
            "category",
            "counts_against_balance",
            "paid",
            "sort_order",
            "archived_at",
        ]

    @staticmethod
    def resolve_title(obj) -> str:
        return str(obj)


class LeaveTypeIn(Schema):
    site: int
    code: str
    name: str = ""
    category: str = "other"
    counts_against_balance: bool = False
    paid: bool = True
    sort_order: int = 0


class LeaveTypePatch(Schema):
    code: str | None = None
    name: str | None = None
    category: str | None = None
    counts_against_balance: bool | None = None
    paid: bool | None = None
    sort_order: int | None = None


class LeaveRuleOut(ModelSchema):
    class Meta:
        model = LeaveEntitlementRule
        fields = ["id", "leave_type", "min_years", "days", "archived_at"]


class LeaveRuleIn(Schema):
    leave_type: int
    min_years: int
    days: Decimal


class LeaveRulePatch(Schema):
    min_years: int | None = None
    days: Decimal | None = None


class LeaveAdjustmentOut(ModelSchema):
    class Meta:
        model = LeaveAdjustment
        fields = ["id", "employee", "leave_type", "year", "kind", "days", "reason", "created_at"]


class LeaveAdjustmentIn(Schema):
    employee: int
    leave_type: int
    year: int
    days: Decimal
    reason: str
    kind: str = "adjustment"


def _leave_type_create(*, actor, site, **data):
    return services.leave_type_create(actor=actor, site=resolve_pk(Site, site, "site"), **data)


def _leave_rule_set(*, actor, leave_type, **data):
    return services.leave_rule_set(
        leave_type=resolve_pk(LeaveType, leave_type, "leave_type"), actor=actor, **data
    )


def _leave_adjustment_add(*, actor, employee, leave_type, **data):
    employee_obj = resolve_pk(
        Employee, employee, "employee", Employee.objects.restrict(actor, "view")
    )
    return services.leave_adjustment_add(
        employee=employee_obj,
        leave_type=resolve_pk(LeaveType, leave_type, "leave_type"),
        actor=actor,
        **data,
    )


register_crud(
    router,
    LeaveType,
    path="leave-types",
    out_schema=LeaveTypeOut,
    in_schema=LeaveTypeIn,
    patch_schema=LeaveTypePatch,
    filterset=LeaveTypeFilter,
    create=_leave_type_create,
    update=lambda *, instance, actor, **data: services.leave_type_update(
        leave_type=instance, data=data, actor=actor
    ),
)
register_crud(
    router,
    LeaveEntitlementRule,
    path="leave-rules",
    out_schema=LeaveRuleOut,
    in_schema=LeaveRuleIn,
    patch_schema=LeaveRulePatch,
    create=_leave_rule_set,
    update=lambda *, instance, actor, **data: services.leave_rule_change(
        rule=instance, actor=actor, **data
    ),
)
register_crud(
    router,
    LeaveAdjustment,
    path="leave-adjustments",
    out_schema=LeaveAdjustmentOut,
    filterset=LeaveAdjustmentFilter,
    archive=False,
)


@router.post(
    "/leave-adjustments/",
    response={201: LeaveAdjustmentOut},
    operation_id="people_leaveadjustment_create",
    summary="Adjust a leave balance (adjustments are never edited)",
)
def leave_adjustment_create(request, payload: LeaveAdjustmentIn):
    require_perm(request, LeaveAdjustment, "add")
    return Status(201, _leave_adjustment_add(actor=request.user, **payload.dict()))
