from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "ccops.quality"
    label = "quality"
    verbose_name = _("Quality")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ccops.quality import panels

        panels.register()
