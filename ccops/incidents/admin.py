from django.contrib import admin

from ccops.core.admin import AuditedAdmin
from ccops.incidents.models import FaultRecord, Incident, Playbook


@admin.register(Playbook)
class PlaybookAdmin(AuditedAdmin):
    list_display = ["title_en", "kind", "version", "is_current"]


@admin.register(Incident)
class IncidentAdmin(AuditedAdmin):
    list_display = ["title", "kind", "severity", "status", "started_at"]


@admin.register(FaultRecord)
class FaultRecordAdmin(AuditedAdmin):
    list_display = ["incident", "window_start", "downtime_minutes", "signed_at"]
