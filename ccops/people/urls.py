from django.urls import path

from ccops.core.generic import crud_urls
from ccops.people import views
from ccops.people.models import Employee, EmployeeSkill, LeaveType, Skill, Team

app_name = "people"

urlpatterns = [
    *crud_urls(
        Employee,
        list=views.EmployeeListView,
        detail=views.EmployeeDetailView,
        form=views.EmployeeFormView,
        archive=views.EmployeeArchiveView,
    ),
    *crud_urls(
        Team,
        list=views.TeamListView,
        detail=views.TeamDetailView,
        form=views.TeamFormView,
        archive=views.TeamArchiveView,
    ),
    *crud_urls(
        Skill,
        list=views.SkillListView,
        detail=views.SkillDetailView,
        form=views.SkillFormView,
        archive=views.SkillArchiveView,
    ),
    *crud_urls(
        EmployeeSkill,
        prefix="certificates",
        list=views.EmployeeSkillListView,
        detail=views.EmployeeSkillDetailView,
        form=views.EmployeeSkillFormView,
        archive=views.EmployeeSkillArchiveView,
    ),
    *crud_urls(
        LeaveType,
        prefix="leave-types",
        list=views.LeaveTypeListView,
        detail=views.LeaveTypeDetailView,
        form=views.LeaveTypeFormView,
        archive=views.LeaveTypeArchiveView,
    ),
    path("leave-types/seed/", views.leave_types_seed, name="leavetype_seed"),
    path("leave-types/<int:pk>/rules/", views.leave_rule_set, name="leavetype_rule_set"),
    path(
        "leave-rules/<int:pk>/archive/",
        views.leave_rule_archive,
        name="leaveentitlementrule_archive",
    ),
    path(
        "leave-adjustments/",
        views.LeaveAdjustmentListView.as_view(),
        name="leaveadjustment_list",
    ),
    path(
        "leave-adjustments/add/",
        views.LeaveAdjustmentFormView.as_view(),
        name="leaveadjustment_add",
    ),
    path(
        "leave-adjustments/<int:pk>/",
        views.LeaveAdjustmentDetailView.as_view(),
        name="leaveadjustment_detail",
    ),
    path("employees/export/", views.roster_export, name="roster_export"),
    path(
        "employees/<int:pk>/reset-password/",
        views.employee_reset_password,
        name="employee_reset_password",
    ),
]
