from django.contrib import admin

from ccops.core.admin import AuditedAdmin
from ccops.people import services
from ccops.people.models import (
    Employee,
    EmployeeSkill,
    LeaveAdjustment,
    LeaveEntitlementRule,
    LeaveType,
    Skill,
    Team,
)


@admin.register(Employee)
class EmployeeAdmin(AuditedAdmin):
    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        # through the service: setting the status to "left" offboards the login
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        stored = Employee.all_objects.get(pk=obj.pk)
        services.employee_update(employee=stored, data=data, actor=request.user)


admin.site.register(Team, AuditedAdmin)
admin.site.register(Skill, AuditedAdmin)
admin.site.register(EmployeeSkill, AuditedAdmin)
admin.site.register(LeaveType, AuditedAdmin)
admin.site.register(LeaveEntitlementRule, AuditedAdmin)


@admin.register(LeaveAdjustment)
class LeaveAdjustmentAdmin(AuditedAdmin):
    """Adjustments are never edited or removed (a correction is another adjustment)."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
