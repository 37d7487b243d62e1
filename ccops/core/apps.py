from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles_after_migrate(sender, app_config=None, using="default", **kwargs):
    """Sync the role groups once, after the last app's permissions exist."""
    configs = [c for c in apps.get_app_configs() if c.models_module is not None]
    if not configs or sender is not configs[-1]:
        return
    from ccops.core.roles import sync_roles

    sync_roles(strict=True)


class CoreConfig(AppConfig):
    name = "ccops.core"
    label = "core"
    verbose_name = _("Core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ccops.core import accounts, audit, panels

        for model in apps.get_models():
            if audit.is_audited(model):
                audit.connect(model)
        accounts.connect_signals()
        panels.register()
        post_migrate.connect(_sync_roles_after_migrate, dispatch_uid="ccops-sync-roles")
