"""Django admin (for administrators): nothing can be deleted there; archive instead."""

from django.contrib import admin

from ccops.core.models import AuditEntry, CalendarPeriod, Job, Notification, Queue, Site


class AuditedAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # a signed record (or a row of one) is shown read-only: saving it would be refused
        if obj is not None and getattr(obj, "is_locked", False):
            return False
        return super().has_change_permission(request, obj)

    def get_queryset(self, request):
        manager = getattr(self.model, "all_objects", self.model._default_manager)
        return manager.all()


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["time", "actor_name", "via", "action", "content_type", "object_repr"]
    list_filter = ["via", "action", "content_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(Site, AuditedAdmin)
admin.site.register(Queue, AuditedAdmin)
admin.site.register(CalendarPeriod, AuditedAdmin)
admin.site.register(Notification, AuditedAdmin)
admin.site.register(Job, AuditedAdmin)
