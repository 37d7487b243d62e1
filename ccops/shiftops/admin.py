from django.contrib import admin

from ccops.core.admin import AuditedAdmin
from ccops.shiftops.models import (
    Briefing,
    ChecklistItemTemplate,
    DutyDiaryEntry,
    Handover,
    HandoverQuestion,
    HandoverTime,
)

for _model in (
    Handover,
    DutyDiaryEntry,
    Briefing,
    HandoverTime,
    ChecklistItemTemplate,
    HandoverQuestion,
):
    admin.site.register(_model, AuditedAdmin)
