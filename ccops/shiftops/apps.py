from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShiftopsConfig(AppConfig):
    name = "ccops.shiftops"
    label = "shiftops"
    verbose_name = _("Shift operations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ccops.shiftops import panels

        panels.register()
