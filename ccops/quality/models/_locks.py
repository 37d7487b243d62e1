"""Rows that become immutable with their parent (a released revision, a signed month)."""

from __future__ import annotations

from django.utils.translation import gettext

from ccops.core import audit


class LockedWithParent:
    """A row whose parent (``lock_parent_field``) is locked cannot change any more.

    The parent model says when it is locked with ``is_locked``; the check runs before
    every save and queryset update (see ``ccops.core.models.base``)."""

    lock_parent_field: str = ""

    def _parent_locked(self, parent_id) -> bool:
        if not parent_id:
            return False
        parent_model = self._meta.get_field(self.lock_parent_field).related_model
        parent = parent_model._base_manager.filter(pk=parent_id).first()
        return bool(parent and parent.is_locked)

    @property
    def is_locked(self) -> bool:
        return self._parent_locked(getattr(self, f"{self.lock_parent_field}_id"))

    def check_lock(self, before: dict, after: dict) -> None:
        if self._parent_locked(before.get(f"{self.lock_parent_field}_id")):
            parent = self._meta.get_field(self.lock_parent_field)
            raise audit.RecordLocked(
                gettext("%(record)s belongs to a %(parent)s that is locked and cannot change.")
                % {"record": self, "parent": parent.verbose_name}
            )
