"""The audit log: one row per create, update or named action on an audited record."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ccops.core import audit, formats


class AuditEntryQuerySet(models.QuerySet):
    def delete(self):
        raise audit.HardDeleteRefused(gettext("Audit entries are permanent."))

    def update(self, **kwargs):
        raise audit.RecordLocked(gettext("Audit entries are permanent."))

    def restrict(self, user, action: str = "view"):
        from ccops.core.permissions import restrict_queryset

        return restrict_queryset(self, user, action)

    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(obj), for_concrete_model=True),
            object_id=str(obj.pk),
        )


class AuditEntry(models.Model):
    VIA_CHOICES = [
        (audit.VIA_WEB, _("web page")),
        (audit.VIA_API, _("API")),
        (audit.VIA_CLI, _("command line")),
        (audit.VIA_TASK, _("background task")),
        (audit.VIA_SYSTEM, _("system")),
    ]

    time = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    via = models.CharField(_("via"), max_length=10, choices=VIA_CHOICES)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("record id"), max_length=64, db_index=True)
    object_repr = models.CharField(_("record"), max_length=200)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    changed_fields = models.JSONField(_("changed fields"), default=list, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["content_type", "object_id", "time"])]

    def __str__(self) -> str:
        who = self.actor_name or _("system")
        return f"{formats.format_datetime(self.time)} {who} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise audit.RecordLocked(gettext("Audit entries are permanent."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise audit.HardDeleteRefused(gettext("Audit entries are permanent."))

    def changes(self) -> list[tuple[str, object, object]]:
        """``(field, before, after)`` for each changed field, in model field order."""
        before = self.before or {}
        after = self.after or {}
        return [(name, before.get(name), after.get(name)) for name in self.changed_fields]

    def target(self):
        """The audited record itself (archived ones included), or ``None`` if gone."""
        model = self.content_type.model_class()
        if model is None:
            return None
        return model._base_manager.filter(pk=self.object_id).first()
