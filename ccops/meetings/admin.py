from django.contrib import admin

from ccops.core.admin import AuditedAdmin
from ccops.meetings.models import (
    ActionItem,
    EmergencyMeetingRequest,
    ExperienceExchange,
    ExperienceLesson,
    Meeting,
)

for _model in (Meeting, ActionItem, EmergencyMeetingRequest, ExperienceExchange, ExperienceLesson):
    admin.site.register(_model, AuditedAdmin)
