from django.urls import path

from ccops.core.generic import crud_urls
from ccops.people import views
from ccops.people.models import Employee, EmployeeSkill, Skill, Team

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
    path("employees/export/", views.roster_export, name="roster_export"),
    path(
        "employees/<int:pk>/reset-password/",
        views.employee_reset_password,
        name="employee_reset_password",
    ),
]
