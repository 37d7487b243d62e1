"""Pages of the people app: employees, teams, skills, skill certificates, roster export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccops.core import services as core_services
from ccops.core.generic import (
    ObjectArchiveView,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    get_restricted_or_404,
)
from ccops.core.jobs import job_enqueue
from ccops.core.models import Job
from ccops.core.permissions import check_model_perm
from ccops.people import services, tasks
from ccops.people.filters import EmployeeFilter, EmployeeSkillFilter, SkillFilter, TeamFilter
from ccops.people.forms import EmployeeForm, EmployeeSkillForm, SkillForm, TeamForm
from ccops.people.models import Employee, EmployeeSkill, Skill, Team


class TeamListView(ObjectListView):
    model = Team
    filterset_class = TeamFilter
    columns = ["name", "code", "kind", "parent", "leader", "site"]

    def get_queryset(self):
        return super().get_queryset().select_related("parent", "leader", "site")


class TeamDetailView(ObjectDetailView):
    model = Team
    template_name = "people/team_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["members"] = (
            Employee.objects.restrict(self.request.user, "view")
            .filter(team=self.object)
            .order_by("full_name")
        )
        return context


class TeamFormView(ObjectFormView):
    model = Team
    form_class = TeamForm


class TeamArchiveView(ObjectArchiveView):
    model = Team


class EmployeeListView(ObjectListView):
    model = Employee
    filterset_class = EmployeeFilter
    columns = ["employee_number", "full_name", "team", "job_title", "status", "site"]

    def get_queryset(self):
        return super().get_queryset().select_related("team", "site")


class EmployeeDetailView(ObjectDetailView):
    model = Employee
    template_name = "people/employee_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["skills"] = (
            EmployeeSkill.objects.restrict(self.request.user, "view")
            .filter(employee=self.object)
            .select_related("skill")
        )
        context["can_reset_password"] = bool(
            self.object.user_id and self.request.user.has_perm("auth.change_user")
        )
        return context


class EmployeeFormView(ObjectFormView):
    model = Employee
    form_class = EmployeeForm

    def save(self, form):
        if self.object is None:
            return services.employee_hire(actor=self.request.user, **form.cleaned_data)
        data = {name: form.cleaned_data[name] for name in form.changed_data or form.fields}
        return services.employee_update(employee=self.object, data=data, actor=self.request.user)


class EmployeeArchiveView(ObjectArchiveView):
    """Archiving an employee also offboards their login (sessions, API tokens)."""

    model = Employee

    def archive(self, obj):
        services.employee_archive(employee=obj, actor=self.request.user)


class SkillListView(ObjectListView):
    model = Skill
    filterset_class = SkillFilter
    columns = ["code", "name", "queue"]


class SkillDetailView(ObjectDetailView):
    model = Skill


class SkillFormView(ObjectFormView):
    model = Skill
    form_class = SkillForm


class SkillArchiveView(ObjectArchiveView):
    model = Skill


class EmployeeSkillListView(ObjectListView):
    model = EmployeeSkill
    filterset_class = EmployeeSkillFilter
    columns = ["employee", "skill", "level", "certified_on"]

    def get_queryset(self):
        return super().get_queryset().select_related("employee", "skill")


class EmployeeSkillDetailView(ObjectDetailView):
    model = EmployeeSkill


class EmployeeSkillFormView(ObjectFormView):
    model = EmployeeSkill
    form_class = EmployeeSkillForm

    def save(self, form):
        if self.object is None:
            data = form.cleaned_data
            return services.skill_certify(
                employee=data["employee"],
                skill=data["skill"],
                level=data["level"],
                certified_on=data["certified_on"],
                actor=self.request.user,
            )
        return super().save(form)


class EmployeeSkillArchiveView(ObjectArchiveView):
    model = EmployeeSkill


def employee_reset_password(request, pk: int):
    """An administrator resets an employee's password (and unlocks the login): a temporary
    password is shown once; the employee must change it at the next login."""
    if not request.user.has_perm("auth.change_user"):
        raise PermissionDenied(_("Your role does not allow resetting passwords."))
    employee = get_restricted_or_404(Employee, request.user, pk)
    if employee.user is None:
        raise Http404(_("This employee has no login."))
    password = None
    if request.method == "POST":
        password = core_services.user_reset_password(user=employee.user, actor=request.user)
    return render(
        request,
        "people/employee_reset_password.html",
        {"object": employee, "password": password},
    )


@require_POST
def roster_export(request):
    """Start the roster export (a background task) and show its progress."""
    check_model_perm(request.user, Employee, "view")
    check_model_perm(request.user, Job, "add")
    job = job_enqueue(
        tasks.roster_export,
        kind="people.roster_export",
        title=_("Roster export"),
        owner=request.user,
    )
    messages.info(request, _("The roster export has started."))
    return redirect(job.get_absolute_url())
