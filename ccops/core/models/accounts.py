"""Account state the platform adds to Django's users: forced password change, API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccops.core.models.base import ArchivableModel, AuditedModel

TOKEN_PREFIX = "ccops_"
LAST_USED_RESOLUTION = timedelta(minutes=1)


class AccountState(AuditedModel):
    """Per-user security state: must the password be changed at next login?"""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="account_state",
    )
    must_change_password = models.BooleanField(_("must change password"), default=False)
    password_changed_at = models.DateTimeField(_("password changed"), null=True, blank=True)

    restrict_owner_field = "user"

    class Meta:
        verbose_name = _("account state")
        verbose_name_plural = _("account states")

    def __str__(self) -> str:
        return str(self.user)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(ArchivableModel):
    """A personal API token. Only its SHA-256 is stored; the raw token is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    key_prefix = models.CharField(_("key prefix"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    restrict_owner_field = "user"
    audit_exclude = ("last_used_at",)
    audit_secret = ("key_hash",)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @staticmethod
    def generate() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(32)

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @classmethod
    def authenticate(cls, raw: str):
        """The active token matching ``raw`` (``None`` if unknown, revoked or expired)."""
        if not raw or not raw.startswith(TOKEN_PREFIX):
            return None
        token = (
            cls.objects.select_related("user", "user__account_state")
            .filter(key_hash=hash_token(raw))
            .first()
        )
        if token is None or token.is_expired or not token.user.is_active:
            return None
        now = timezone.now()
        # "last used" to the minute: not one write per API request
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token
