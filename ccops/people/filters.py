"""FilterSets of the people models, shared by the pages and the API."""

from __future__ import annotations

import django_filters

from ccops.core.filters import SearchFilterMixin
from ccops.people.models import (
    Employee,
    EmployeeSkill,
    LeaveAdjustment,
    LeaveType,
    Skill,
    Team,
)


class TeamFilter(SearchFilterMixin):
    search_fields = ("code", "name")

    class Meta:
        model = Team
        fields = ["q", "site", "kind", "parent"]


class EmployeeFilter(SearchFilterMixin):
    search_fields = ("employee_number", "full_name", "email", "job_title")

    class Meta:
        model = Employee
        fields = ["q", "site", "team", "status"]


class SkillFilter(SearchFilterMixin):
    search_fields = ("code", "name", "description")

    class Meta:
        model = Skill
        fields = ["q", "queue"]


class EmployeeSkillFilter(django_filters.FilterSet):
    class Meta:
        model = EmployeeSkill
        fields = ["employee", "skill", "level"]


class LeaveTypeFilter(SearchFilterMixin):
    search_fields = ("code", "name")

    class Meta:
        model = LeaveType
        fields = ["q", "site", "category", "counts_against_balance"]


class LeaveAdjustmentFilter(django_filters.FilterSet):
    class Meta:
        model = LeaveAdjustment
        fields = ["employee", "leave_type", "year", "kind"]
