"""Helpers every register's services share."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ccops.core import audit
from ccops.core.errors import Conflict
from ccops.core.models import AuditEntry
from ccops.core.names import person_name
from ccops.people.models import Employee
from ccops.people.services import employee_for


def actor_employee(actor) -> Employee:
    """The actor's employee record (a register names people, not accounts)."""
    employee = employee_for(actor)
    if employee is None:
        raise PermissionDenied(_("Your account has no employee record."))
    return employee


def require_perm(actor, perm: str, message: str) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_perm(perm):
        raise PermissionDenied(message)


def same_site(site, people: dict) -> None:
    """Refuse people of another site: ``{"field": employee or None}``."""
    for field, person in people.items():
        if person is not None and person.site_id != site.pk:
            raise ValidationError(
                {field: _("%(who)s works on another site.") % {"who": person.full_name}}
            )


def require_text(value: str, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text


def save_unique(fn, message: str):
    """Run ``fn`` in a savepoint; a database uniqueness refusal (a parallel request took
    the one-of-a-kind state first) becomes a :class:`Conflict` (409)."""
    try:
        with transaction.atomic():
            return fn()
    except IntegrityError as exc:
        raise Conflict(message) from exc


def log_reads(rows, verb: str, *, user, note: str = "") -> int:
    """Record that ``user`` read ``rows`` (an audit entry each, without copying the rows'
    content into the log), through the door the request came in by."""
    rows = list(rows)
    if not rows:
        return 0
    actor = audit.current_actor()
    user = user if getattr(user, "is_authenticated", False) else actor.resolve_user()
    entries = [
        AuditEntry(
            actor=user,
            actor_name=person_name(user, number=True)[:150] if user is not None else "",
            via=actor.via,
            action=verb,
            content_type=ContentType.objects.get_for_model(type(row), for_concrete_model=True),
            object_id=str(row.pk),
            object_repr=str(row)[:200],
            before=None,
            after=None,
            changed_fields=[],
            note=note[:500],
        )
        for row in rows
    ]
    AuditEntry.objects.bulk_create(entries)
    return len(entries)
