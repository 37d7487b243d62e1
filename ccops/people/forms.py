"""Forms of the people pages; choice lists are limited to what the user may see."""

from __future__ import annotations

from django import forms

from ccops.core.forms import DateInput, ScopedFormMixin
from ccops.people.models import Employee, EmployeeSkill, Skill, Team


class TeamForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = Team
        fields = ["site", "code", "name", "kind", "parent", "leader"]


class EmployeeForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = Employee
        fields = [
            "employee_number",
            "full_name",
            "site",
            "team",
            "job_title",
            "email",
            "phone",
            "hire_date",
            "weekly_hours",
            "status",
            "acd_login",
        ]
        widgets = {"hire_date": DateInput()}


class SkillForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = Skill
        fields = ["code", "name", "queue", "description"]


class EmployeeSkillForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = EmployeeSkill
        fields = ["employee", "skill", "level", "certified_on"]
        widgets = {"certified_on": DateInput()}
