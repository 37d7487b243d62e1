"""Forms of the people pages; choice lists are limited to what the user may see."""

from __future__ import annotations

from django import forms

from ccops.core.forms import DateInput, ScopedFormMixin
from ccops.people.models import (
    Employee,
    EmployeeSkill,
    LeaveAdjustment,
    LeaveEntitlementRule,
    LeaveType,
    Skill,
    Team,
)


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
            "work_start_date",
            "weekly_hours",
            "status",
            "acd_login",
        ]
        widgets = {"hire_date": DateInput(), "work_start_date": DateInput()}


class SkillForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = Skill
        fields = ["code", "name", "queue", "description"]


class EmployeeSkillForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = EmployeeSkill
        fields = ["employee", "skill", "level", "certified_on"]
        widgets = {"certified_on": DateInput()}


class LeaveTypeForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = LeaveType
        fields = [
            "site",
            "code",
            "name",
            "category",
            "counts_against_balance",
            "paid",
            "sort_order",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # a type stays on its site
            del self.fields["site"]


class LeaveRuleForm(forms.ModelForm):
    class Meta:
        model = LeaveEntitlementRule
        fields = ["min_years", "days"]


class LeaveAdjustmentForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = LeaveAdjustment
        fields = ["employee", "leave_type", "year", "kind", "days", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leave_type"].queryset = LeaveType.objects.filter(
            counts_against_balance=True
        ).select_related("site")
