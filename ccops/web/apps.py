from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The project itself as an app, so its templates, static files and catalog are found."""

    name = "ccops.web"
    label = "web"
    verbose_name = _("Web")
