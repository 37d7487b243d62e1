"""Limits of uploaded scans: size, type (by content, not by name) and a fingerprint."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ccops.core.limits import shorten

#: The largest scan accepted (a multi-page court order at 300 dpi fits).
MAX_UPLOAD_BYTES = 10 * 1024 * 1024

#: Accepted types: their signatures at the start of the file and their names.
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"II*\x00", "image/tiff", ".tif"),
    (b"MM\x00*", "image/tiff", ".tif"),
)
ACCEPTED_SUFFIXES = {".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff"}


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    size: int
    sha256: str


def check_upload(upload, *, field: str = "file") -> CheckedUpload:
    """Refuse an upload that is empty, too large, or not a PDF, JPEG, PNG or TIFF by its
    content (a renamed file is caught); return its type, size and SHA-256."""
    name = (getattr(upload, "name", "") or "scan").rsplit("/", 1)[-1][:200]
    size = getattr(upload, "size", None)
    if size is None or size <= 0:
        raise ValidationError({field: _("%(name)s is empty.") % {"name": shorten(name)}})
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {
                field: _("%(name)s is %(size)s MB; the limit is %(limit)s MB.")
                % {
                    "name": shorten(name),
                    "size": f"{size / 1048576:.1f}",
                    "limit": MAX_UPLOAD_BYTES // 1048576,
                }
            }
        )
    upload.seek(0)
    head = upload.read(16)
    content_type = next((ctype for magic, ctype, _s in SIGNATURES if head.startswith(magic)), None)
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if content_type is None or suffix not in ACCEPTED_SUFFIXES:
        raise ValidationError(
            {
                field: _(
                    "%(name)s is not a PDF, JPEG, PNG or TIFF file: upload the scan in one "
                    "of these formats."
                )
                % {"name": shorten(name)}
            }
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(name=name, content_type=content_type, size=size, sha256=digest.hexdigest())
