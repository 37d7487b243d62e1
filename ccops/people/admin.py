from django.contrib import admin

from ccops.core.admin import AuditedAdmin
from ccops.people.models import Employee, EmployeeSkill, Skill, Team

admin.site.register(Employee, AuditedAdmin)
admin.site.register(Team, AuditedAdmin)
admin.site.register(Skill, AuditedAdmin)
admin.site.register(EmployeeSkill, AuditedAdmin)
