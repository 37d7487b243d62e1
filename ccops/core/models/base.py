"""Base classes of every ccops model: timestamps, change logging, archive-not-delete,
row-level permission scoping (``restrict``) and sign-then-immutable records."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ccops.core import audit


class TimeStampedModel(models.Model):
    """``created_at`` and ``updated_at``, set automatically (UTC)."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, editable=False)

    class Meta:
        abstract = True


def _snapshot_names(model, values: dict) -> dict:
    """``update()`` keyword values keyed and valued like :func:`ccops.core.audit.snapshot`
    (foreign keys by ``<name>_id`` and primary key), so that lock checks compare like with
    like."""
    out = {}
    for name, value in values.items():
        try:
            field = model._meta.get_field(name)
        except Exception:
            out[name] = value
            continue
        if getattr(field, "many_to_one", False) or getattr(field, "one_to_one", False):
            out[field.attname] = getattr(value, "pk", value)
        else:
            out[field.name] = audit._jsonable(value)
    return out


class AuditedQuerySet(models.QuerySet):
    """The queryset of every ccops model.

    * ``restrict(user, action)`` keeps the rows ``user`` may ``action`` (see
      :mod:`ccops.core.permissions`);
    * ``active()`` / ``archived()`` for archivable models;
    * ``delete()`` is refused, ``update()``, ``bulk_create()`` and ``bulk_update()`` write
      audit entries like ``save()`` does.
    """

    def restrict(self, user, action: str = "view"):
        from ccops.core.permissions import restrict_queryset

        return restrict_queryset(self, user, action)

    def active(self):
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)

    def delete(self):
        raise audit.HardDeleteRefused(
            gettext("%(records)s cannot be deleted: archive them instead.")
            % {"records": self.model._meta.verbose_name_plural}
        )

    delete.queryset_only = True

    def update(self, **kwargs):
        model = self.model
        base = model._base_manager.using(self.db)
        with transaction.atomic(using=self.db):
            pks = list(self.values_list("pk", flat=True))
            before = {obj.pk: audit.snapshot(obj) for obj in base.filter(pk__in=pks)}
            if hasattr(model, "check_lock"):
                changes = _snapshot_names(model, kwargs)
                for obj in base.filter(pk__in=pks):
                    model.check_lock(obj, before[obj.pk], {**before[obj.pk], **changes})
            if "updated_at" not in kwargs and any(
                f.name == "updated_at" for f in model._meta.concrete_fields
            ):
                # auto_now holds for save() only: a queryset update marks the rows changed
                # too (what ccops.core.cache stamps rely on)
                kwargs["updated_at"] = timezone.now()
            count = super().update(**kwargs)
            for obj in base.filter(pk__in=pks):
                audit.write_entry(obj, before=before.get(obj.pk), after=audit.snapshot(obj))
        return count

    update.queryset_only = True

    def bulk_create(self, objs, *args, **kwargs):
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            for obj in created:
                if obj.pk is None:  # backends that cannot return ids: look the row up
                    continue
                audit.write_entry(obj, before=None, after=audit.snapshot(obj), created=True)
        return created


class AuditedManager(models.Manager.from_queryset(AuditedQuerySet)):
    use_in_migrations = True


class AuditedModel(TimeStampedModel):
    """A model whose every create and update is in the audit log and which is never deleted.

    Class attributes a model may set:

    ``restrict_owner_field``  path from the model to the owning ``User``
                              (``"employee__user"``): agents see only their rows
    ``restrict_team_field``   path from the model to a ``people.Team`` (``"employee__team"``):
                              group and area managers see their teams' rows
    ``audit_exclude``         fields not logged (noisy counters)
    ``audit_secret``          fields logged only as "set"/"empty" (hashes)

    A model with neither restrict path is reference data: any user with the model's view
    permission sees every row.
    """

    restrict_owner_field: ClassVar[str | None] = None
    restrict_team_field: ClassVar[str | None] = None
    audit_exclude: ClassVar[tuple[str, ...]] = ()
    audit_secret: ClassVar[tuple[str, ...]] = ()

    objects = AuditedManager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise audit.HardDeleteRefused(audit.refused_delete(self))


class ActiveManager(AuditedManager):
    """The default manager of archivable models: hides archived rows."""

    def get_queryset(self):
        return super().get_queryset().filter(archived_at__isnull=True)


class ArchivableModel(AuditedModel):
    """An audited model that is archived instead of deleted.

    ``Model.objects`` hides archived rows; ``Model.all_objects`` shows them.
    """

    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("archived by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ActiveManager()
    all_objects = AuditedManager()

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def archive(self, *, actor=None) -> None:
        """Archive the row (idempotent). Prefer ``ccops.core.services.record_archive``."""
        if self.archived_at is not None:
            return
        self.archived_at = timezone.now()
        self.archived_by = actor if getattr(actor, "is_authenticated", False) else None
        self.save(update_fields=["archived_at", "archived_by", "updated_at"])

    def restore(self) -> None:
        if self.archived_at is None:
            return
        self.archived_at = None
        self.archived_by = None
        self.save(update_fields=["archived_at", "archived_by", "updated_at"])


class SignableModel(ArchivableModel):
    """A record the manual has people sign: immutable once signed.

    ``signed_at``/``signed_by`` lock the row: any later change of another field, archiving
    included (an archived record disappears from every list, and what it closed would open
    again), raises :class:`ccops.core.audit.RecordLocked`, a 409 conflict. A correction is a
    new row whose ``amends`` points to the original (see ``ccops.core.services.record_sign``
    and ``record_amend``).
    """

    #: Fields that may still change after signing.
    mutable_after_sign: ClassVar[frozenset[str]] = frozenset({"updated_at"})

    signed_at = models.DateTimeField(_("signed"), null=True, blank=True, editable=False)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    amends = models.ForeignKey(
        "self",
        verbose_name=_("amends"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="amendments",
    )

    class Meta:
        abstract = True

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def is_locked(self) -> bool:
        """Signed rows cannot change (admin shows them read-only)."""
        return self.is_signed

    def check_lock(self, before: dict, after: dict) -> None:
        """Refuse a change to a signed row (called before every save and update)."""
        if not before.get("signed_at"):
            return
        changed = set(audit.diff(before, after)) - set(self.mutable_after_sign)
        if changed:
            raise audit.RecordLocked(
                gettext(
                    "%(record)s is signed and cannot be changed, moved or archived: "
                    "record an amendment instead."
                )
                % {"record": self}
            )
