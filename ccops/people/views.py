"""Pages of the people app: employees, teams, skills, skill certificates, roster export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
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
from ccops.core.models import Job, Site
from ccops.core.permissions import check_model_perm, has_model_perm
from ccops.people import services, tasks
from ccops.people.filters import (
    EmployeeFilter,
    EmployeeSkillFilter,
    LeaveAdjustmentFilter,
    LeaveTypeFilter,
    SkillFilter,
    TeamFilter,
)
from ccops.people.forms import (
    EmployeeForm,
    EmployeeSkillForm,
    LeaveAdjustmentForm,
    LeaveRuleForm,
    LeaveTypeForm,
    SkillForm,
    TeamForm,
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


# --- leave types, entitlement rules, balance adjustments ----------------------------------


class LeaveTypeListView(ObjectListView):
    model = LeaveType
    filterset_class = LeaveTypeFilter
    columns = ["title", "code", "category", "counts_against_balance", "paid", "site"]
    template_name = "people/leavetype_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("site")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if has_model_perm(self.request.user, LeaveType, "add"):
            context["seed_sites"] = Site.objects.restrict(self.request.user, "view")
        return context


class LeaveTypeDetailView(ObjectDetailView):
    model = LeaveType
    template_name = "people/leavetype_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rules"] = self.object.rules.all()
        context["can_set_rules"] = self.object.counts_against_balance and has_model_perm(
            self.request.user, LeaveEntitlementRule, "add"
        )
        context["rule_form"] = LeaveRuleForm()
        return context


class LeaveTypeFormView(ObjectFormView):
    model = LeaveType
    form_class = LeaveTypeForm

    def save(self, form):
        if self.object is None:
            return services.leave_type_create(actor=self.request.user, **form.cleaned_data)
        data = {name: form.cleaned_data[name] for name in form.changed_data or form.fields}
        return services.leave_type_update(
            leave_type=self.object, data=data, actor=self.request.user
        )


class LeaveTypeArchiveView(ObjectArchiveView):
    model = LeaveType


@require_POST
def leave_types_seed(request):
    """Give a site the default leave types (annual leave by the PRC steps, sick, personal,
    marriage, bereavement, maternity, paternity, compensatory, other)."""
    check_model_perm(request.user, LeaveType, "add")
    site = get_restricted_or_404(Site, request.user, request.POST.get("site") or 0)
    made = services.leave_types_seed(site=site, actor=request.user)
    messages.success(
        request, _("%(n)s leave types added to %(site)s.") % {"n": len(made), "site": site}
    )
    return redirect("people:leavetype_list")


@require_POST
def leave_rule_set(request, pk: int):
    check_model_perm(request.user, LeaveEntitlementRule, "add")
    leave_type = get_restricted_or_404(LeaveType, request.user, pk)
    form = LeaveRuleForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(leave_type.get_absolute_url())
    try:
        services.leave_rule_set(leave_type=leave_type, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The entitlement step is saved."))
    return redirect(leave_type.get_absolute_url())


@require_POST
def leave_rule_archive(request, pk: int):
    check_model_perm(request.user, LeaveEntitlementRule, "delete")
    rule = get_restricted_or_404(LeaveEntitlementRule, request.user, pk)
    try:
        services.leave_rule_archive(rule=rule, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The entitlement step is removed."))
    return redirect(rule.get_absolute_url())


class LeaveAdjustmentListView(ObjectListView):
    model = LeaveAdjustment
    filterset_class = LeaveAdjustmentFilter
    columns = ["employee", "leave_type", "year", "kind", "days", "reason", "created_at"]

    def get_queryset(self):
        return super().get_queryset().select_related("employee", "leave_type")


class LeaveAdjustmentDetailView(ObjectDetailView):
    model = LeaveAdjustment


class LeaveAdjustmentFormView(ObjectFormView):
    """Add an adjustment (there is no edit: a correction is another adjustment)."""

    model = LeaveAdjustment
    form_class = LeaveAdjustmentForm

    def get_initial(self):
        initial = super().get_initial()
        for key in ("employee", "leave_type", "year"):
            if self.request.GET.get(key):
                initial[key] = self.request.GET[key]
        return initial

    def save(self, form):
        return services.leave_adjustment_add(actor=self.request.user, **form.cleaned_data)
