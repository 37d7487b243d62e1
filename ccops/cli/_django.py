"""Configure Django from a CLI handler (the engine commands never import Django)."""

from __future__ import annotations

import os


def setup_django() -> None:
    """Point Django at ccops' settings (unless already set) and load the apps."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccops.web.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:  # e.g. no secret key: say so, without a traceback
        from ccops.cli import CommandError

        raise CommandError(str(exc)) from None
    from django.conf import settings

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)  # the SQLite file's folder


def data_dir():
    from django.conf import settings

    return settings.DATA_DIR
