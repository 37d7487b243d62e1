"""Change logging: every create and update of every audited model, with who, when, how,
and the field values before and after.

How it works
------------
* Models inheriting :class:`ccops.core.models.AuditedModel` (and the few external models in
  :data:`EXTERNAL_MODELS`, e.g. ``auth.User``) get ``pre_save``/``post_save``/``pre_delete``
  receivers connected in ``CoreConfig.ready``. The receiver reads the row as stored before the
  save, compares it with the row after, and writes one :class:`~ccops.core.models.AuditEntry`.
* Queryset ``update()``/``bulk_create()``/``bulk_update()`` of audited models are logged too
  (see :class:`ccops.core.models.base.AuditedQuerySet`).
* The actor comes from a context variable: the web middleware sets it per request,
  :func:`acting_as` sets it in the CLI, tasks and services.
* A service names what it does with :func:`action` (``with audit.action("handover_sign"):``);
  otherwise the verb is ``create``, ``update``, ``archive`` or ``restore``.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from ccops.core.errors import Conflict
from ccops.core.names import person_name

VIA_WEB = "web"
VIA_API = "api"
VIA_CLI = "cli"
VIA_TASK = "task"
VIA_SYSTEM = "system"
VIA_CHOICES = (VIA_WEB, VIA_API, VIA_CLI, VIA_TASK, VIA_SYSTEM)

#: Fields never compared nor shown (they change on every save).
ALWAYS_EXCLUDED = frozenset({"updated_at"})
#: Fields whose value is replaced by a marker (secrets).
SECRET_MARKER = "********"
#: External (non-ccops) models that are audited too: label -> (excluded, secret) field names.
EXTERNAL_MODELS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "auth.user": (frozenset({"last_login"}), frozenset({"password"})),
    "auth.group": (frozenset(), frozenset()),
}


class HardDeleteRefused(Exception):
    """Raised when code tries to delete an audited row: archive it instead."""


def field_labels(model, names) -> str:
    """The verbose names of ``model``'s fields ``names`` (a name or an attname such as
    ``article_id``), comma-separated, for a message."""
    from django.core.exceptions import FieldDoesNotExist

    labels = []
    for name in names:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            labels.append(name)
            continue
        labels.append(str(getattr(field, "verbose_name", name)))
    return ", ".join(labels)


def refused_delete(instance) -> str:
    """The refusal of deleting ``instance``, in the reader's language."""
    from django.utils.translation import gettext

    return gettext("%(what)s %(pk)s cannot be deleted: archive it instead.") % {
        "what": instance._meta.verbose_name,
        "pk": instance.pk,
    }


class RecordLocked(Conflict):
    """Raised when code tries to change, move or archive a signed (immutable) record, or a
    row a signed record closed: amend it instead.

    A :class:`~ccops.core.errors.Conflict` (HTTP 409 in the API; page forms show it as a
    form error), so a refused change never ends in a server error."""


@dataclass(frozen=True)
class Actor:
    """Who is acting and through which door. ``request`` lets the user be resolved lazily
    (the API's token authentication sets ``request.user`` after the middleware ran)."""

    user: Any = None
    via: str = VIA_SYSTEM
    request: Any = None

    def resolve_user(self):
        user = self.user
        if user is None and self.request is not None:
            user = getattr(self.request, "user", None)
        if user is not None and not getattr(user, "is_authenticated", False):
            return None
        return user


_actor: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("ccops_actor", default=None)
_verb: contextvars.ContextVar[str | None] = contextvars.ContextVar("ccops_verb", default=None)
_note: contextvars.ContextVar[str] = contextvars.ContextVar("ccops_note", default="")


def current_actor() -> Actor:
    """The actor of the code running now (``Actor(via="system")`` when nobody set one)."""
    return _actor.get() or Actor()


@contextlib.contextmanager
def acting_as(user, via: str = VIA_CLI, request=None) -> Iterator[Actor]:
    """Attribute every audited change inside the block to ``user`` (may be ``None``)."""
    if via not in VIA_CHOICES:
        raise ValueError(f"via={via!r}: expected one of {', '.join(VIA_CHOICES)}")
    token = _actor.set(Actor(user=user, via=via, request=request))
    try:
        yield _actor.get()
    finally:
        _actor.reset(token)


@contextlib.contextmanager
def action(verb: str, note: str = "") -> Iterator[None]:
    """Name the business action of the saves inside the block (``handover_sign``)."""
    if not verb or len(verb) > 64:
        raise ValueError(f"verb={verb!r}: expected 1 to 64 characters")
    token = _verb.set(verb)
    note_token = _note.set(note)
    try:
        yield
    finally:
        _verb.reset(token)
        _note.reset(note_token)


def model_label(model) -> str:
    return model._meta.label_lower


def is_audited(model) -> bool:
    from ccops.core.models.base import AuditedModel

    if model._meta.abstract or (model._meta.proxy and not model._meta.concrete_model):
        return False
    return issubclass(model, AuditedModel) or model_label(model) in EXTERNAL_MODELS


def _field_rules(model) -> tuple[frozenset[str], frozenset[str]]:
    label = model_label(model)
    if label in EXTERNAL_MODELS:
        excluded, secret = EXTERNAL_MODELS[label]
    else:
        excluded = frozenset(getattr(model, "audit_exclude", ()))
        secret = frozenset(getattr(model, "audit_secret", ()))
    return excluded | ALWAYS_EXCLUDED, secret


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, default=str))


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The audited field values of ``instance`` as JSON-ready data (FKs by id)."""
    excluded, secret = _field_rules(instance._meta.model)
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in excluded or field.attname in excluded:
            continue
        value = field.value_from_object(instance)
        if field.name in secret:
            # A fingerprint of the secret (a hash of a hash) shows that it changed.
            fingerprint = hashlib.sha256(str(value).encode()).hexdigest()[:8] if value else ""
            data[field.name] = f"{SECRET_MARKER}{fingerprint}" if value else ""
        else:
            data[field.attname if field.is_relation else field.name] = _jsonable(value)
    return data


def diff(before: dict | None, after: dict | None) -> list[str]:
    """Names of the fields whose value differs (all fields of ``after`` for a create)."""
    before = before or {}
    after = after or {}
    keys = list(after) + [k for k in before if k not in after]
    return [k for k in keys if before.get(k, object()) != after.get(k, object())]


def _fetch_before(instance: models.Model) -> dict | None:
    if instance._state.adding or instance.pk is None:
        return None
    stored = instance._meta.model._base_manager.filter(pk=instance.pk).first()
    return snapshot(stored) if stored is not None else None


def _default_verb(created: bool, changed: list[str], after: dict | None) -> str:
    if created:
        return "create"
    if changed and set(changed) <= {"archived_at", "archived_by_id"}:
        return "archive" if (after or {}).get("archived_at") else "restore"
    return "update"


def write_entry(
    instance: models.Model,
    *,
    before: dict | None,
    after: dict | None,
    verb: str | None = None,
    created: bool = False,
    changed: list[str] | None = None,
):
    """Write one audit entry for ``instance`` (skipped for an update that changed nothing)."""
    from django.contrib.contenttypes.models import ContentType

    from ccops.core.models import AuditEntry

    changed = diff(before, after) if changed is None else changed
    if not created and not changed and verb is None and _verb.get() is None:
        return None
    if verb is None:
        verb = _verb.get()
    if verb is None:
        verb = _default_verb(created, changed, after)
    actor = current_actor()
    user = actor.resolve_user()
    return AuditEntry.objects.create(
        actor=user,
        actor_name=(person_name(user, number=True)[:150] if user is not None else ""),
        via=actor.via,
        action=verb,
        content_type=ContentType.objects.get_for_model(
            instance._meta.model, for_concrete_model=True
        ),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        before=before,
        after=after,
        changed_fields=changed,
        note=_note.get(),
    )


def log_event(instance: models.Model, verb: str, note: str = ""):
    """Record an event about ``instance`` that is not a field change (a login, an export)."""
    state = snapshot(instance)
    with action(verb, note):
        return write_entry(instance, before=state, after=state, verb=verb, changed=[])


# --- signal receivers (connected per model in CoreConfig.ready) -------------------------


def on_pre_save(sender, instance, raw=False, **kwargs):
    before = _fetch_before(instance)
    instance._audit_before = before
    instance._audit_adding = before is None
    check_lock = getattr(instance, "check_lock", None)
    if check_lock is not None and before is not None:
        check_lock(before, snapshot(instance))


def on_post_save(sender, instance, created=False, raw=False, **kwargs):
    before = getattr(instance, "_audit_before", None)
    adding = getattr(instance, "_audit_adding", created)
    after = snapshot(instance)
    write_entry(instance, before=before, after=after, created=created or adding)
    instance._audit_before = after


def on_pre_delete(sender, instance, **kwargs):
    raise HardDeleteRefused(refused_delete(instance))


def connect(model) -> None:
    from django.db.models.signals import post_save, pre_delete, pre_save

    uid = f"ccops-audit-{model_label(model)}"
    pre_save.connect(on_pre_save, sender=model, dispatch_uid=uid + "-pre", weak=False)
    post_save.connect(on_post_save, sender=model, dispatch_uid=uid + "-post", weak=False)
    if model_label(model) not in EXTERNAL_MODELS:
        pre_delete.connect(on_pre_delete, sender=model, dispatch_uid=uid + "-del", weak=False)
