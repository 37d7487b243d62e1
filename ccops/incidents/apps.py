from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "ccops.incidents"
    label = "incidents"
    verbose_name = _("Incidents")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ccops.incidents import panels
        from ccops.incidents.surge import leave_freeze_reason
        from ccops.wfm.services.requests import register_leave_check

        panels.register()
        # a leave freeze refuses new time-off requests for its window, not only pending ones
        register_leave_check(leave_freeze_reason)
