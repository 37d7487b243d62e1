"""Permission matrix of the people pages and API, and agents' own-row scope."""

from __future__ import annotations

import itertools

from ccops.core.roles import ALL_ROLES, MANAGERS
from ccops.core.testing import Check, OwnRowsTests, PermissionMatrix
from ccops.people.models import (
    Employee,
    EmployeeSkill,
    LeaveAdjustment,
    LeaveEntitlementRule,
    LeaveType,
    Skill,
    Team,
)

_n = itertools.count(1)
ADMINS = {"center_director", "operations_supervisor", "general_supervisor"}
SKILL_EDITORS = ADMINS | {"trainer", "quality_supervisor"}
CERTIFIERS = SKILL_EDITORS | MANAGERS


def agent_employee(w, u):
    return [w.employees["agent"].pk]


def fresh_employee(w, u):
    employee = Employee.objects.create(
        employee_number=f"F{next(_n)}", full_name="Spare", site=w.site, team=w.group1
    )
    return [employee.pk]


def fresh_team(w, u):
    return [Team.objects.create(site=w.site, code=f"t{next(_n)}", name="Spare", kind="area").pk]


def fresh_skill(w, u):
    return [Skill.objects.create(code=f"s{next(_n)}", name="Spare").pk]


def fresh_certificate(w, u):
    skill = Skill.objects.create(code=f"s{next(_n)}", name="Spare")
    return [EmployeeSkill.objects.create(employee=w.employees["agent"], skill=skill).pk]


def leave_type(w, u=None):
    if not hasattr(w, "leave_type"):
        w.leave_type = LeaveType.objects.create(
            site=w.site, code="annual", category="annual", counts_against_balance=True
        )
    return w.leave_type


def fresh_leave_type(w, u):
    return [
        LeaveType.objects.create(
            site=w.site, code=f"l{next(_n)}", category="other", counts_against_balance=True
        ).pk
    ]


def fresh_rule(w, u):
    """A new rule on the world's leave type, at the lowest number of years still free (the
    pair is unique, archived rules included)."""
    kind = leave_type(w)
    taken = set(
        LeaveEntitlementRule._base_manager.filter(leave_type=kind).values_list(
            "min_years", flat=True
        )
    )
    years = next(y for y in range(1, 100) if y not in taken)
    return [LeaveEntitlementRule.objects.create(leave_type=kind, min_years=years, days=5).pk]


def adjustment(w, u=None):
    if not hasattr(w, "adjustment"):
        w.adjustment = LeaveAdjustment.objects.create(
            employee=w.employees["agent"], leave_type=leave_type(w), year=2026, days=1, reason="x"
        )
    return w.adjustment


class TestPeoplePermissions(PermissionMatrix):
    pages = {
        "people:employee_list": Check(ALL_ROLES),
        "people:employee_detail": Check(ALL_ROLES, args=agent_employee),
        "people:employee_add": Check(ADMINS),
        "people:employee_edit": Check(ADMINS, args=agent_employee),
        "people:employee_archive": Check(ADMINS, args=agent_employee),
        "people:roster_export": Check(ALL_ROLES, method="post", ok=(302,)),
        "people:employee_reset_password": Check(
            {"center_director", "general_supervisor"}, args=agent_employee
        ),
        "people:team_list": Check(ALL_ROLES),
        "people:team_detail": Check(ALL_ROLES, args=lambda w, u: [w.group1.pk]),
        "people:team_add": Check(ADMINS),
        "people:team_edit": Check(ADMINS, args=lambda w, u: [w.group1.pk]),
        "people:team_archive": Check(ADMINS, args=lambda w, u: [w.group1.pk]),
        "people:skill_list": Check(ALL_ROLES),
        "people:skill_detail": Check(ALL_ROLES, args=lambda w, u: [w.skill.pk]),
        "people:skill_add": Check(SKILL_EDITORS),
        "people:skill_edit": Check(SKILL_EDITORS, args=lambda w, u: [w.skill.pk]),
        "people:skill_archive": Check(ADMINS, args=lambda w, u: [w.skill.pk]),
        "people:employeeskill_list": Check(ALL_ROLES),
        "people:employeeskill_detail": Check(ALL_ROLES, args=lambda w, u: [w.employee_skill.pk]),
        "people:employeeskill_add": Check(CERTIFIERS),
        "people:employeeskill_edit": Check(CERTIFIERS, args=lambda w, u: [w.employee_skill.pk]),
        "people:employeeskill_archive": Check(CERTIFIERS, args=lambda w, u: [w.employee_skill.pk]),
        "people:leavetype_list": Check(ALL_ROLES),
        "people:leavetype_detail": Check(ALL_ROLES, args=lambda w, u: [leave_type(w).pk]),
        "people:leavetype_add": Check(ADMINS),
        "people:leavetype_edit": Check(ADMINS, args=lambda w, u: [leave_type(w).pk]),
        "people:leavetype_archive": Check(ADMINS, args=lambda w, u: [leave_type(w).pk]),
        "people:leavetype_seed": Check(
            ADMINS, method="post", data=lambda w, u: {"site": w.site.pk}, ok=(302,)
        ),
        "people:leavetype_rule_set": Check(
            ADMINS,
            args=lambda w, u: [leave_type(w).pk],
            method="post",
            data=lambda w, u: {"min_years": 1, "days": 5},
            ok=(302,),
        ),
        "people:leaveentitlementrule_archive": Check(
            ADMINS, args=fresh_rule, method="post", ok=(302,)
        ),
        "people:leaveadjustment_list": Check(ALL_ROLES),
        "people:leaveadjustment_detail": Check(ALL_ROLES, args=lambda w, u: [adjustment(w).pk]),
        "people:leaveadjustment_add": Check(ADMINS),
    }
    api = {
        "people_employee_list": Check(ALL_ROLES),
        "people_employee_get": Check(ALL_ROLES, args=agent_employee),
        "people_employee_create": Check(
            ADMINS,
            method="post",
            data=lambda w, u: {
                "employee_number": f"N{next(_n)}",
                "full_name": "New hire",
                "site": w.site.pk,
                "team": w.group1.pk,
            },
            ok=(201,),
        ),
        "people_employee_update": Check(
            ADMINS, args=fresh_employee, method="patch", data=lambda w, u: {"job_title": "Lead"}
        ),
        "people_employee_archive": Check(ADMINS, args=fresh_employee, method="post"),
        "people_team_list": Check(ALL_ROLES),
        "people_team_get": Check(ALL_ROLES, args=lambda w, u: [w.group1.pk]),
        "people_team_create": Check(
            ADMINS,
            method="post",
            data=lambda w, u: {
                "site": w.site.pk,
                "code": f"n{next(_n)}",
                "name": "New group",
                "kind": "group",
                "parent": w.area.pk,
            },
            ok=(201,),
        ),
        "people_team_update": Check(
            ADMINS, args=fresh_team, method="patch", data=lambda w, u: {"name": "Renamed"}
        ),
        "people_team_archive": Check(ADMINS, args=fresh_team, method="post"),
        "people_skill_list": Check(ALL_ROLES),
        "people_skill_get": Check(ALL_ROLES, args=lambda w, u: [w.skill.pk]),
        "people_skill_create": Check(
            SKILL_EDITORS,
            method="post",
            data=lambda w, u: {"code": f"n{next(_n)}", "name": "English"},
            ok=(201,),
        ),
        "people_skill_update": Check(
            SKILL_EDITORS, args=fresh_skill, method="patch", data=lambda w, u: {"name": "Renamed"}
        ),
        "people_skill_archive": Check(ADMINS, args=fresh_skill, method="post"),
        "people_employeeskill_list": Check(ALL_ROLES),
        "people_employeeskill_get": Check(ALL_ROLES, args=lambda w, u: [w.employee_skill.pk]),
        "people_employeeskill_create": Check(
            CERTIFIERS,
            method="post",
            data=lambda w, u: {
                "employee": w.employees["agent"].pk,
                "skill": Skill.objects.create(code=f"n{next(_n)}", name="New").pk,
                "level": 4,
            },
            ok=(201,),
        ),
        "people_employeeskill_update": Check(
            CERTIFIERS, args=fresh_certificate, method="patch", data=lambda w, u: {"level": 5}
        ),
        "people_employeeskill_archive": Check(CERTIFIERS, args=fresh_certificate, method="post"),
        "people_leavetype_list": Check(ALL_ROLES),
        "people_leavetype_get": Check(ALL_ROLES, args=lambda w, u: [leave_type(w).pk]),
        "people_leavetype_create": Check(
            ADMINS,
            method="post",
            data=lambda w, u: {"site": w.site.pk, "code": f"n{next(_n)}", "category": "other"},
            ok=(201,),
        ),
        "people_leavetype_update": Check(
            ADMINS, args=fresh_leave_type, method="patch", data=lambda w, u: {"name": "Study"}
        ),
        "people_leavetype_archive": Check(ADMINS, args=fresh_leave_type, method="post"),
        "people_leaveentitlementrule_list": Check(ALL_ROLES),
        "people_leaveentitlementrule_get": Check(ALL_ROLES, args=fresh_rule),
        "people_leaveentitlementrule_create": Check(
            ADMINS,
            method="post",
            data=lambda w, u: {"leave_type": leave_type(w).pk, "min_years": 3, "days": 7},
            ok=(201,),
        ),
        "people_leaveentitlementrule_update": Check(
            ADMINS, args=fresh_rule, method="patch", data=lambda w, u: {"days": 6}
        ),
        "people_leaveentitlementrule_archive": Check(ADMINS, args=fresh_rule, method="post"),
        "people_leaveadjustment_list": Check(ALL_ROLES),
        "people_leaveadjustment_get": Check(ALL_ROLES, args=lambda w, u: [adjustment(w).pk]),
        "people_leaveadjustment_create": Check(
            ADMINS,
            method="post",
            data=lambda w, u: {
                "employee": w.employees["agent"].pk,
                "leave_type": leave_type(w).pk,
                "year": 2026,
                "days": 1,
                "reason": "advance",
            },
            ok=(201,),
        ),
    }


class TestEmployeesOwnRows(OwnRowsTests):
    model = Employee
    list_url = "people:employee_list"
    detail_url = "people:employee_detail"
    api_list = "people_employee_list"

    def own(self, w):
        return w.employees["agent"]

    def others(self, w):
        return w.other_employee


class TestEmployeeSkillsOwnRows(OwnRowsTests):
    model = EmployeeSkill
    list_url = "people:employeeskill_list"
    detail_url = "people:employeeskill_detail"
    api_list = "people_employeeskill_list"

    def own(self, w):
        return w.employee_skill

    def others(self, w):
        return w.other_skill


class TestLeaveAdjustmentsOwnRows(OwnRowsTests):
    model = LeaveAdjustment
    list_url = "people:leaveadjustment_list"
    detail_url = "people:leaveadjustment_detail"
    api_list = "people_leaveadjustment_list"

    def own(self, w):
        return adjustment(w)

    def others(self, w):
        return LeaveAdjustment.objects.create(
            employee=w.other_employee, leave_type=leave_type(w), year=2026, days=1, reason="y"
        )


def test_api_filters_and_pagination(client, db):
    from ccops.core.testing import build_world

    w = build_world()
    client.force_login(w.users["center_director"])
    url = "/api/v1/people/employees/"
    page = client.get(url, {"team": w.group1.pk, "page_size": 1}).json()
    assert page["count"] == 2 and len(page["items"]) == 1
    second = client.get(url, {"team": w.group1.pk, "page_size": 1, "page": 2}).json()
    assert {page["items"][0]["id"], second["items"][0]["id"]} == {
        w.employees["agent"].pk,
        w.employees["group_manager"].pk,
    }
    found = client.get(url, {"q": w.other_employee.full_name}).json()
    assert [row["id"] for row in found["items"]] == [w.other_employee.pk]
    assert client.get(url, {"team": "not-a-number"}).status_code == 422
