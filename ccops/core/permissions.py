"""Row-level permissions: ``Model.objects.restrict(user, action)``.

1. The user must hold the model permission for ``action`` (``view``, ``add``, ``change``,
   ``delete`` — for ccops models ``delete`` means *archive*); otherwise no rows.
2. The rows are then scoped by the user's widest role scope (``ccops.core.roles``):
   ``all`` rows; ``team`` rows (the model's ``restrict_team_field`` in a team the user
   manages) plus own rows; ``own`` rows (the model's ``restrict_owner_field`` is the user).
   A model that declares neither path is reference data: the permission is enough.

Pages and API use :func:`check_model_perm` first (403 without the permission), then
``restrict`` for the row (404 outside the scope).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from ccops.core.roles import SCOPE_ALL, SCOPE_TEAM, user_scope

ACTIONS = ("view", "add", "change", "delete")
ACTION_ALIASES = {"archive": "delete", "restore": "delete"}

_team_resolver: Callable | None = None


def set_team_resolver(resolver: Callable) -> None:
    """Register ``resolver(user) -> iterable of team ids the user manages`` (people app)."""
    global _team_resolver
    _team_resolver = resolver


def managed_team_ids(user) -> list:
    if _team_resolver is None:
        return []
    cached = getattr(user, "_ccops_team_ids", None)
    if cached is None:
        cached = list(_team_resolver(user))
        user._ccops_team_ids = cached
    return cached


def all_rows(model):
    """Every row of ``model``, archived ones included, as a restrictable queryset."""
    manager = getattr(model, "all_objects", None) or model._default_manager
    return manager.all()


def perm_name(model, action: str) -> str:
    action = ACTION_ALIASES.get(action, action)
    if action not in ACTIONS:
        raise ValueError(f"action={action!r}: expected one of {', '.join(ACTIONS)}")
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def missing_permission(perm: str) -> str:
    """The refusal of a request that lacks ``perm`` (``app.action_model``), in the reader's
    language."""
    from django.utils.translation import gettext

    return gettext("You do not have the permission %(perm)s.") % {"perm": perm}


def not_found(what, pk) -> str:
    """The answer to a request for a record that does not exist or that the user may not
    see, in the reader's language (``what``: the model's verbose name or a label)."""
    from django.utils.translation import gettext

    return gettext("%(what)s %(pk)s was not found.") % {"what": what, "pk": pk}


def has_model_perm(user, model, action: str) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm(perm_name(model, action))


def check_model_perm(user, model, action: str) -> None:
    """Raise ``PermissionDenied`` (403) unless ``user`` has the model permission."""
    if not has_model_perm(user, model, action):
        raise PermissionDenied(missing_permission(perm_name(model, action)))


def scope_q(model, user) -> Q | None:
    """The row filter for ``user``'s scope, or ``None`` when every row is in scope."""
    scope = user_scope(user)
    owner = getattr(model, "restrict_owner_field", None)
    team = getattr(model, "restrict_team_field", None)
    if scope == SCOPE_ALL or (owner is None and team is None):
        return None
    q = Q(pk__in=[])
    if owner:
        q |= Q(**{owner: user})
    if scope == SCOPE_TEAM and team:
        q |= Q(**{f"{team}__in": managed_team_ids(user)})
    return q


def restrict_queryset(queryset, user, action: str = "view"):
    model = queryset.model
    if not has_model_perm(user, model, action):
        return queryset.none()
    q = scope_q(model, user)
    if q is None:
        return queryset
    # A subquery keeps the result free of duplicates when a path crosses a to-many relation.
    return queryset.filter(pk__in=model._base_manager.filter(q).values("pk"))


def can(user, obj, action: str = "view") -> bool:
    """May ``user`` do ``action`` on this row?"""
    model = type(obj)
    return all_rows(model).filter(pk=obj.pk).restrict(user, action).exists()
