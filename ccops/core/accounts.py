"""Account hooks: a password set by someone else must be changed at next login; logins,
logouts, failed logins and role changes are in the audit log."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.utils import timezone

from ccops.core import audit


def _on_user_pre_save(sender, instance, **kwargs):
    if instance.pk is None:
        instance._ccops_password_changed = False
        return
    stored = sender._base_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._ccops_password_changed = stored is not None and stored != instance.password


def _on_user_post_save(sender, instance, created=False, **kwargs):
    if created or not getattr(instance, "_ccops_password_changed", False):
        return
    from ccops.core.models import AccountState

    actor = audit.current_actor().resolve_user()
    by_self = actor is not None and actor.pk == instance.pk
    state = AccountState.objects.filter(user=instance).first() or AccountState(user=instance)
    state.must_change_password = not by_self
    state.password_changed_at = timezone.now()
    state.save()
    instance._ccops_password_changed = False


def _on_login(sender, request, user, **kwargs):
    with audit.acting_as(user, via=audit.VIA_WEB):
        audit.log_event(user, "login")


def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        with audit.acting_as(user, via=audit.VIA_WEB):
            audit.log_event(user, "logout")


def _on_groups_changed(sender, instance, action, pk_set=None, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    user_model = get_user_model()
    if not isinstance(instance, user_model):
        return
    names = sorted(instance.groups.values_list("name", flat=True))
    audit.log_event(instance, "roles_change", note="roles: " + ", ".join(names))


def _on_login_failed(sender, credentials=None, request=None, **kwargs):
    username = (credentials or {}).get("username")
    user = get_user_model().objects.filter(username=username).first() if username else None
    if user is not None:
        with audit.acting_as(None, via=audit.VIA_WEB):
            audit.log_event(user, "login_failed")


def _on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    user = get_user_model().objects.filter(username=username).first() if username else None
    if user is not None:
        with audit.acting_as(None, via=audit.VIA_WEB):
            audit.log_event(user, "lockout", note=f"from {ip_address}" if ip_address else "")


def connect_signals() -> None:
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_login_failed

    user_login_failed.connect(_on_login_failed, dispatch_uid="ccops-login-failed")
    user_locked_out.connect(_on_locked_out, dispatch_uid="ccops-locked-out")
    user_model = get_user_model()
    pre_save.connect(_on_user_pre_save, sender=user_model, dispatch_uid="ccops-user-pre")
    post_save.connect(_on_user_post_save, sender=user_model, dispatch_uid="ccops-user-post")
    user_logged_in.connect(_on_login, dispatch_uid="ccops-login")
    user_logged_out.connect(_on_logout, dispatch_uid="ccops-logout")
    m2m_changed.connect(
        _on_groups_changed, sender=user_model.groups.through, dispatch_uid="ccops-user-groups"
    )


class AccountBackend(ModelBackend):
    """Django's model backend with fewer queries per request: the session's user comes with
    its account state (read by every page and API call), and the permissions of the user
    and of their roles come in one query instead of two."""

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("account_state").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                permissions = permissions.filter(Q(user=user_obj) | Q(group__user=user_obj))
            rows = permissions.values_list("content_type__app_label", "codename").distinct()
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in rows}
        return user_obj._perm_cache
