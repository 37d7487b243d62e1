"""The people app's home-page panels and menu entries."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from ccops.core.home import register_panel
from ccops.core.models import Queue, Site
from ccops.core.navigation import register_menu_item
from ccops.core.permissions import managed_team_ids
from ccops.core.roles import MANAGERS, SUPERVISORS
from ccops.people.models import Employee, EmployeeSkill, Team
from ccops.people.services import employee_for, team_roster


def my_profile_context(request):
    employee = employee_for(request.user)
    if employee is None:
        return None
    skills = EmployeeSkill.objects.filter(employee=employee).select_related("skill")
    manager = employee.team.leader if employee.team else None
    return {"employee": employee, "skills": skills, "manager": manager}


def team_roster_context(request):
    team_ids = managed_team_ids(request.user)
    if not team_ids:
        return None
    roster = team_roster(team_ids)
    counts = dict(
        EmployeeSkill.objects.filter(employee__in=roster)
        .values_list("employee")
        .annotate(n=Count("pk"))
    )
    for employee in roster:
        employee.skill_count = counts.get(employee.pk, 0)
    teams = Team.objects.filter(pk__in=team_ids).order_by("name")
    return {"roster": roster, "teams": teams}


def center_overview_context(request):
    sites = (
        Site.objects.restrict(request.user, "view")
        .annotate(
            headcount=Count(
                "employees",
                filter=Q(employees__archived_at__isnull=True, employees__status="active"),
                distinct=True,
            ),
            queue_count=Count("queues", filter=Q(queues__archived_at__isnull=True), distinct=True),
            team_count=Count(
                "teams",
                filter=Q(teams__archived_at__isnull=True, teams__kind="group"),
                distinct=True,
            ),
        )
        .order_by("code")
    )
    queues = list(
        Queue.objects.restrict(request.user, "view")
        .select_related("site")
        .annotate(
            skilled=Count(
                "skills__holders",
                filter=Q(
                    skills__holders__archived_at__isnull=True,
                    skills__holders__employee__archived_at__isnull=True,
                    skills__holders__employee__status="active",
                ),
                distinct=True,
            )
        )[:20]
    )
    groups = (
        Team.objects.restrict(request.user, "view")
        .filter(kind="group")
        .annotate(
            headcount=Count(
                "members",
                filter=Q(members__archived_at__isnull=True, members__status="active"),
            )
        )
        .order_by("site__code", "name")
    )
    on_leave = Employee.objects.restrict(request.user, "view").filter(status="on_leave").count()
    chart = {
        "labels": [str(g) for g in groups],
        "values": [g.headcount for g in groups],
        "queue_labels": [q.name for q in queues],
        "queue_values": [q.skilled for q in queues],
    }
    return {"sites": sites, "queues": queues, "on_leave": on_leave, "chart": chart}


def in_training_context(request):
    """Skills held at a trainee or basic level: who still needs training or a re-test."""
    rows = (
        EmployeeSkill.objects.restrict(request.user, "view")
        .filter(level__lte=2, employee__status="active")
        .select_related("employee", "skill", "employee__team")
        .order_by("level", "employee__full_name")[:15]
    )
    return {"rows": rows}


def register() -> None:
    register_panel(
        "people.my_profile",
        title=_("My profile"),
        template="people/panels/_my_profile.html",
        context=my_profile_context,
        order=10,
    )
    register_panel(
        "people.team_roster",
        title=_("My team"),
        template="people/panels/_team_roster.html",
        context=team_roster_context,
        roles=MANAGERS,
        order=30,
        wide=True,
    )
    register_panel(
        "people.center_overview",
        title=_("Center overview"),
        template="people/panels/_center_overview.html",
        context=center_overview_context,
        roles=SUPERVISORS | {"statistician"},
        order=5,
        wide=True,
    )
    register_panel(
        "people.in_training",
        title=_("Agents in training"),
        template="people/panels/_in_training.html",
        context=in_training_context,
        roles={"trainer", "quality_supervisor", "qa_inspector"} | MANAGERS,
        order=40,
    )
    people = _("People")
    for order, (label, name, perm) in enumerate(
        [
            (_("Employees"), "people:employee_list", "people.view_employee"),
            (_("Teams"), "people:team_list", "people.view_team"),
            (_("Skills"), "people:skill_list", "people.view_skill"),
            (_("Skill certificates"), "people:employeeskill_list", "people.view_employeeskill"),
            (_("Leave types"), "people:leavetype_list", "people.add_leavetype"),
            (_("Leave adjustments"), "people:leaveadjustment_list", "people.add_leaveadjustment"),
        ]
    ):
        register_menu_item(
            "people", people, label, name, permission=perm, order=order, section_order=20
        )
