from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "ccops.people"
    label = "people"
    verbose_name = _("People")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ccops.core.permissions import set_team_resolver
        from ccops.people import panels
        from ccops.people.services import managed_team_ids

        set_team_resolver(managed_team_ids)
        panels.register()
