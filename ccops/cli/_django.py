"""Configure Django from a CLI handler (the engine commands never import Django)."""

from __future__ import annotations

import os


def setup_django() -> None:
    """Point Django at ccops' settings (unless already set) and load the apps."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccops.web.settings")
    import django

    django.setup()


def data_dir():
    from django.conf import settings

    return settings.DATA_DIR
