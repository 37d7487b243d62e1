"""What the register models share: rows seen by their overseers or their own people."""

from __future__ import annotations

from typing import ClassVar

from django.db.models import Q

from ccops.core.models.base import ActiveManager, AuditedManager, AuditedQuerySet


class OverseenQuerySet(AuditedQuerySet):
    """Rows of a register: a user holding the model's ``oversee_permission`` (the people
    who keep the register) sees every row; anyone else with the view permission only the
    rows they are part of (``own_paths``, each a path to a ``User``: the host of a visit,
    the keeper of a document, the reporter of a leak)."""

    def restrict(self, user, action: str = "view"):
        rows = super().restrict(user, action)
        model = self.model
        if user is None or not user.is_authenticated:
            return rows.none()
        if user.is_superuser or user.has_perm(model.oversee_permission):
            return rows
        q = Q(pk__in=[])
        for path in model.own_paths:
            q |= Q(**{path: user})
        return rows.filter(pk__in=model._base_manager.filter(q).values("pk"))


class OverseenManager(ActiveManager.from_queryset(OverseenQuerySet)):
    pass


class OverseenAllManager(AuditedManager.from_queryset(OverseenQuerySet)):
    pass


class Overseen:
    """Mixin of register models scoped by :class:`OverseenQuerySet` (set both managers)."""

    oversee_permission: ClassVar[str] = ""
    own_paths: ClassVar[tuple[str, ...]] = ()
