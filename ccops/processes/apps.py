from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessesConfig(AppConfig):
    name = "ccops.processes"
    label = "processes"
    verbose_name = _("Processes and improvement")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ccops.processes import panels

        panels.register()
