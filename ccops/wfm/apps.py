from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WfmConfig(AppConfig):
    name = "ccops.wfm"
    label = "wfm"
    verbose_name = _("Workforce management")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ccops.wfm import panels

        panels.register()
