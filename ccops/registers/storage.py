"""Where uploaded scans are kept: under the data directory, outside every served path.

Files are stored as ``<data dir>/private/registers/<year>/<random name>`` and reach a
browser only through a view that checks who asks (and writes the read to the audit log);
there is no URL that serves the directory. The location is read from ``settings.DATA_DIR``
at each use, so tests and deployments point it elsewhere without a new migration.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils import timezone
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """A ``FileSystemStorage`` below ``DATA_DIR/private`` with no public URL."""

    def __init__(self, subdir: str = "registers"):
        self.subdir = subdir
        super().__init__()

    @property
    def base_location(self):
        return str(Path(settings.DATA_DIR) / "private" / self.subdir)

    @property
    def location(self):
        return str(Path(self.base_location).resolve())

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("private files have no public URL: serve them through a view")

    def __eq__(self, other):
        return isinstance(other, PrivateStorage) and other.subdir == self.subdir


private_storage = PrivateStorage()


def upload_name(instance, filename: str) -> str:
    """A random stored name (the original name is kept on the row, never on disk)."""
    suffix = Path(filename).suffix.lower()[:8]
    return f"{timezone.now():%Y}/{secrets.token_hex(16)}{suffix}"
