"""Notifications: short messages to one user, from any app (a published schedule, a
decided request, an answered case, a declared incident)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ccops.core.models.base import AuditedModel


class Notification(AuditedModel):
    """A message to one user, shown on the home page and counted in the top bar until
    read. The text is stored untranslated with its values and translated when shown,
    into the reader's language rather than the sender's."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    # the text in the source language (English), for search, admin and the audit log
    message = models.CharField(_("message"), max_length=300)
    # the untranslated message with %(name)s placeholders and their values
    template = models.CharField(_("message template"), max_length=300, blank=True)
    params = models.JSONField(_("message values"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True, editable=False)

    restrict_owner_field = "user"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"], name="core_notif_user_unread")]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """The message in the active language (the stored English text for old rows)."""
        if not self.template:
            return self.message
        values = dict(self.params or {})
        for key in values.pop("_translate", None) or []:  # see ccops.core.services.notify
            if isinstance(values.get(key), str):
                values[key] = gettext(values[key])
        try:
            return gettext(self.template) % values
        except (KeyError, TypeError, ValueError):  # a catalog entry that lost a placeholder
            return self.message
