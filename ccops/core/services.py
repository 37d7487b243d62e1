"""Writes of the core app, and the generic record services every app may reuse.

The pattern (HackSoft/Zulip style): a keyword-only, typed function named
``<entity>_<verb>(*, ..., actor)`` that runs in one transaction, checks the business rules,
and saves; the audit entry is written by the save, attributed to ``actor`` and named by the
verb given to :func:`ccops.core.audit.action`. Views, API, CLI and tasks call services.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext

from ccops.core import audit
from ccops.core.models import AccountState, ApiToken, CalendarPeriod, Notification, Site
from ccops.core.models.accounts import hash_token


def _via() -> str:
    return audit.current_actor().via


def _assign(instance: models.Model, data: Mapping[str, Any]) -> None:
    fields = {f.name: f for f in instance._meta.concrete_fields}
    for name, value in data.items():
        field = fields.get(name)
        if field is None and name.endswith("_id") and name[:-3] in fields:
            setattr(instance, name, value)
            continue
        if field is None or not field.editable:
            raise ValidationError(
                {
                    name: gettext("%(what)s has no field %(name)s that can be changed.")
                    % {"what": instance._meta.verbose_name, "name": name}
                }
            )
        if field.is_relation and value is not None and not isinstance(value, models.Model):
            # An id from a form or the API: it must name a row (model checks read it).
            try:
                related = field.related_model._base_manager.filter(pk=value).first()
            except (OverflowError, ValueError, TypeError):
                related = None
            if related is None:
                raise ValidationError(
                    {
                        name: gettext("%(model)s %(pk)s does not exist.")
                        % {"model": field.related_model._meta.verbose_name, "pk": value}
                    }
                )
            setattr(instance, name, related)
        else:
            setattr(instance, name, value)


def _save(instance: models.Model) -> None:
    """Save in a savepoint: a database constraint refusing the row (a parallel request
    wrote the same one-of-a-kind row first) becomes a :class:`~ccops.core.errors.Conflict`
    (409, or a form error on a page), never a server error."""
    from ccops.core.errors import Conflict

    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise Conflict(
            gettext(
                "%(record)s conflicts with a record written at the same time: reload the page "
                "to see what changed."
            )
            % {"record": instance._meta.verbose_name}
        ) from exc


@transaction.atomic
def record_create(model: type[models.Model], *, data: Mapping[str, Any], actor, verb=None):
    """Validate and create a row of ``model`` from field values (FKs as objects or ids)."""
    instance = model()
    _assign(instance, data)
    instance.full_clean()
    with audit.acting_as(actor, via=_via()), audit.action(verb or "create"):
        _save(instance)
    return instance


@transaction.atomic
def record_update(instance: models.Model, *, data: Mapping[str, Any], actor, verb=None):
    """Validate and save changed field values of ``instance``."""
    _assign(instance, data)
    instance.full_clean()
    with audit.acting_as(actor, via=_via()):
        if verb:
            with audit.action(verb):
                _save(instance)
        else:
            _save(instance)
    return instance


def _copy_archive_state(source, target) -> None:
    target.archived_at = source.archived_at
    target.archived_by_id = source.archived_by_id
    target.updated_at = source.updated_at


@transaction.atomic
def record_archive(instance, *, actor):
    """Archive a row (it disappears from lists; the audit log keeps its history).

    The row is locked and re-read first: of two parallel archive requests one archives and
    the other gets a :class:`~ccops.core.errors.Conflict`; a signed row (or one a signed
    record closed) refuses with :class:`~ccops.core.audit.RecordLocked`."""
    from ccops.core.errors import Conflict

    locked = lock_for_update(instance)
    if locked.archived_at is not None:
        raise Conflict(
            gettext("%(record)s is already archived: reload the page to see what changed.")
            % {"record": locked}
        )
    with audit.acting_as(actor, via=_via()):
        locked.archive(actor=actor)
    _copy_archive_state(locked, instance)
    return locked


@transaction.atomic
def record_restore(instance, *, actor):
    from ccops.core.errors import Conflict

    locked = lock_for_update(instance)
    if locked.archived_at is None:
        raise Conflict(gettext("%(record)s is not archived.") % {"record": locked})
    with audit.acting_as(actor, via=_via()):
        locked.restore()
    _copy_archive_state(locked, instance)
    return locked


@transaction.atomic
def record_sign(instance, *, actor, verb: str | None = None):
    """Sign a :class:`~ccops.core.models.SignableModel` row; it is immutable afterwards.

    The stored row is locked and checked first (a parallel signature wins or loses with a
    :class:`~ccops.core.errors.Conflict`); the caller's copy, with any fields it set for
    the signature, is what is saved."""
    from ccops.core.errors import Conflict

    if lock_for_update(instance).is_signed or instance.is_signed:
        raise Conflict(gettext("%(record)s is already signed.") % {"record": instance})
    instance.signed_at = timezone.now()
    instance.signed_by = actor
    with audit.acting_as(actor, via=_via()), audit.action(verb or "sign"):
        instance.save()
    return instance


@transaction.atomic
def record_amend(original, *, data: Mapping[str, Any], actor, verb: str | None = None):
    """Record a correction of a signed row: a new unsigned copy linked to ``original``."""
    if not original.is_signed:
        raise ValidationError(
            gettext("%(record)s is not signed: edit it instead of recording an amendment.")
            % {"record": original}
        )
    skip = {"id", "created_at", "updated_at", "signed_at", "signed_by", "amends"}
    skip |= {"archived_at", "archived_by"}
    values = {
        f.attname: getattr(original, f.attname)
        for f in original._meta.concrete_fields
        if f.name not in skip and not f.primary_key
    }
    amendment = type(original)(**values)
    amendment.amends = original
    _assign(amendment, data)
    amendment.full_clean()
    with audit.acting_as(actor, via=_via()), audit.action(verb or "amend"):
        _save(amendment)
    return amendment


def lock_for_update(instance, *, queryset=None):
    """``instance`` re-read from the database under a row lock (``SELECT ... FOR UPDATE``).

    Every state transition calls it first inside its transaction and checks the state on
    the row it returns, never on the caller's copy: two parallel requests then queue on
    the lock, and the second sees what the first decided. (SQLite has no row locks; its
    transactions start ``IMMEDIATE``, which serialises writers the same way.) Must run
    inside ``transaction.atomic``.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_for_update() must run inside transaction.atomic()")
    base = queryset if queryset is not None else type(instance)._base_manager.all()
    return base.select_for_update().get(pk=instance.pk)


def require_state(instance, field: str, allowed, *, message: str | None = None) -> None:
    """Raise :class:`~ccops.core.errors.Conflict` unless ``instance.<field>`` is one of
    ``allowed`` (call it on the row :func:`lock_for_update` returned)."""
    from django.utils.translation import gettext as _

    from ccops.core.errors import Conflict

    allowed = (allowed,) if isinstance(allowed, str) else tuple(allowed)
    if getattr(instance, field) not in allowed:
        display = getattr(instance, f"get_{field}_display", None)
        state = display() if callable(display) else getattr(instance, field)
        raise Conflict(
            message
            or _("%(record)s is already %(state)s: reload the page to see what changed.")
            % {"record": instance, "state": state}
        )


# --- examples of named services ---------------------------------------------------------


@transaction.atomic
def site_create(
    *, code: str, name: str, time_zone: str, interval_minutes: int, actor, address: str = ""
) -> Site:
    """Open a new site."""
    return record_create(
        Site,
        data={
            "code": code,
            "name": name,
            "time_zone": time_zone,
            "interval_minutes": interval_minutes,
            "address": address,
        },
        actor=actor,
        verb="site_create",
    )


@transaction.atomic
def calendar_period_declare(
    *,
    kind: str,
    name: str,
    start_date,
    end_date,
    actor,
    site: Site | None = None,
    notes: str = "",
) -> CalendarPeriod:
    """Declare a period of the calendar (e.g. an emergency period starting today)."""
    return record_create(
        CalendarPeriod,
        data={
            "kind": kind,
            "name": name,
            "start_date": start_date,
            "end_date": end_date,
            "site": site,
            "notes": notes,
        },
        actor=actor,
        verb=f"calendar_{kind}_declare",
    )


# --- notifications ------------------------------------------------------------------------


#: The key of a notification's values that lists those translated when shown.
TRANSLATED_PARAMS = "_translate"


def unread_count(user) -> int:
    """The user's unread notifications, counted once per request (the menu's badge and the
    home panel show it)."""
    from ccops.core.cache import per_request

    return per_request(
        ("core.unread", user.pk),
        lambda: Notification.objects.filter(user=user, read_at__isnull=True).count(),
    )


def notify(*, user, message: str, params: dict | None = None, url: str = "") -> Notification | None:
    """Leave a message for ``user`` (on their home page and in the top bar until read).

    ``message`` is the untranslated text, marked with ``gettext_noop``, with ``%(name)s``
    placeholders filled from ``params`` (strings and numbers): it is translated when shown,
    into the reader's language rather than the sender's. A value that is itself a lazy
    translation (a choice's ``label``, ``gettext_lazy("...")``) is stored untranslated and
    translated when shown too (its key listed under ``params["_translate"]``). When e-mail is
    configured
    (``CCOPS_EMAIL_NOTIFICATIONS``), it is also sent to the user's address after the
    transaction commits.
    """
    if user is None:
        return None
    from django.utils import translation
    from django.utils.functional import Promise

    raw = params or {}
    lazy = sorted(k for k, v in raw.items() if isinstance(v, Promise))
    params = {k: str(v) for k, v in raw.items() if k not in lazy}
    with translation.override(None):  # lazy values as their source (English) text
        params.update({k: str(raw[k]) for k in lazy})
    if lazy:
        params[TRANSLATED_PARAMS] = lazy
    with audit.action("notify"):
        note = Notification.objects.create(
            user=user, message=(message % params)[:300], template=message, params=params, url=url
        )
    if getattr(settings, "CCOPS_EMAIL_NOTIFICATIONS", False) and user.email:
        transaction.on_commit(lambda: _notification_email(note.pk))
    return note


def _notification_email(pk: int) -> None:
    """Send one notification by e-mail, in the user's language; failures are logged, the
    in-app notification stays."""
    import logging

    from django.core.mail import send_mail
    from django.utils import translation

    note = Notification.objects.select_related("user").filter(pk=pk).first()
    if note is None or note.emailed_at is not None:
        return
    with translation.override(settings.CCOPS_EMAIL_LANGUAGE):
        text = note.text
        link = f"{settings.CCOPS_BASE_URL.rstrip('/')}{note.url}" if note.url else ""
        body = f"{text}\n\n{link}".strip()
    try:
        send_mail(f"[ccops] {text[:80]}", body, None, [note.user.email])
    except Exception:  # a mail server down must not fail the request that notified
        logging.getLogger("ccops.notify").exception("could not e-mail notification %s", pk)
        return
    Notification.objects.filter(pk=pk).update(emailed_at=timezone.now())


@transaction.atomic
def notification_read(*, notification: Notification, actor) -> Notification:
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    note = lock_for_update(notification)
    if note.user_id != actor.pk:
        raise PermissionDenied(_("This is not your notification."))
    if note.read_at is None:
        record_update(note, data={"read_at": timezone.now()}, actor=actor, verb="notification_read")
    return note


@transaction.atomic
def notifications_read_all(*, actor) -> int:
    with audit.acting_as(actor, via=_via()), audit.action("notification_read"):
        return Notification.objects.filter(user=actor, read_at__isnull=True).update(
            read_at=timezone.now()
        )


# --- accounts ---------------------------------------------------------------------------


@transaction.atomic
def api_token_create(
    *, user: AbstractBaseUser, name: str, actor, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a personal API token for ``user``; returns the row and the raw token (shown
    once, never stored)."""
    if not name.strip():
        raise ValidationError({"name": gettext("Give the token a name.")})
    raw = ApiToken.generate()
    token = ApiToken(user=user, name=name.strip(), key_prefix=raw[:12], key_hash=hash_token(raw))
    token.expires_at = expires_at
    token.full_clean()
    with audit.acting_as(actor, via=_via()), audit.action("api_token_create"):
        token.save()
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor) -> ApiToken:
    from ccops.core.errors import Conflict

    token = lock_for_update(token)
    if token.archived_at is not None:
        raise Conflict(gettext("This token is already revoked."))
    with audit.acting_as(actor, via=_via()), audit.action("api_token_revoke"):
        token.archive(actor=actor)
    return token


def account_state(user) -> AccountState:
    state = AccountState.objects.filter(user=user).first()
    if state is None:
        state = AccountState.objects.create(user=user)
    return state


@transaction.atomic
def user_set_password(*, user, password: str, actor, temporary: bool | None = None) -> None:
    """Set ``user``'s password. Set by someone else (an administrator's reset) it is
    temporary: the user must choose a new one at next login."""
    from django.contrib.auth.password_validation import validate_password

    validate_password(password, user)
    if temporary is None:
        temporary = actor is None or actor.pk != user.pk
    locked = lock_for_update(user)  # parallel resets of one account queue here
    with audit.acting_as(actor, via=_via()), audit.action("password_set"):
        locked.set_password(password)
        locked.save(update_fields=["password"])
        user.password = locked.password
        state = account_state(locked)
        state.must_change_password = temporary
        state.password_changed_at = timezone.now()
        state.save()


def temporary_password() -> str:
    """A random password that passes the policy (letters, digits, 14 characters)."""
    import secrets
    import string

    alphabet = string.ascii_letters + string.digits
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(14))
        if any(c.isdigit() for c in candidate) and any(c.isalpha() for c in candidate):
            return candidate


@transaction.atomic
def user_reset_password(*, user, actor) -> str:
    """An administrator's reset: set a temporary password (returned, shown once), unlock
    the account; the user must choose a new password at next login."""
    from axes.utils import reset as axes_reset
    from django.core.exceptions import PermissionDenied

    if user.is_superuser and not actor.is_superuser:
        raise PermissionDenied(gettext("Only a superuser may reset a superuser's password."))
    password = temporary_password()
    user_set_password(user=user, password=password, actor=actor, temporary=True)
    axes_reset(username=user.get_username())
    return password


def user_sessions_end(user) -> int:
    """Delete every session of ``user`` (database sessions); returns how many."""
    from django.contrib.sessions.models import Session

    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def user_offboard(*, user, actor, reason: str) -> dict:
    """Stop every way ``user`` gets in, at once: deactivate the login, end their sessions
    and revoke their API tokens; one ``user_offboard`` audit entry says how many."""
    from django.contrib.auth import get_user_model

    user = lock_for_update(user, queryset=get_user_model()._base_manager.all())
    with audit.acting_as(actor, via=_via()):
        if user.is_active:
            with audit.action("user_deactivate"):
                user.is_active = False
                user.save(update_fields=["is_active"])
        tokens = list(ApiToken.objects.filter(user=user))
        for token in tokens:
            with audit.action("api_token_revoke"):
                token.archive(actor=actor)
        sessions = user_sessions_end(user)
        audit.log_event(
            user,
            "user_offboard",
            note=f"{reason}: login deactivated, {sessions} session(s) ended, "
            f"{len(tokens)} API token(s) revoked",
        )
    return {"sessions": sessions, "tokens": len(tokens)}
