"""The home page is built from panels that apps register, each for the roles it serves.

An app registers its panels in ``AppConfig.ready``::

    from ccops.core.home import register_panel

    register_panel(
        "wfm.next_shifts",
        title=_("My next shifts"),
        template="wfm/panels/_next_shifts.html",
        roles={"agent", "group_manager"},
        order=10,
        context=next_shifts_context,   # (request) -> dict, or None to hide the panel
    )

The home page shows, in ``order``, every panel whose roles meet the user's roles (superusers
see all) and whose context function does not return ``None``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.functional import Promise

from ccops.core.roles import ALL_ROLES, ROLES, user_role_slugs


@dataclass(frozen=True)
class Panel:
    key: str
    title: str | Promise
    template: str
    roles: frozenset[str]
    order: int
    context: Callable
    wide: bool = False
    extra: dict = field(default_factory=dict)


_PANELS: dict[str, Panel] = {}


def register_panel(
    key: str,
    *,
    title: str | Promise,
    template: str,
    context: Callable,
    roles: Iterable[str] = ALL_ROLES,
    order: int = 100,
    wide: bool = False,
) -> Panel:
    """Register (or replace, by ``key``) a home-page panel. See the module docstring."""
    roles = frozenset(roles)
    unknown = roles - set(ROLES)
    if unknown:
        raise ValueError(f"panel {key!r}: unknown roles {', '.join(sorted(unknown))}")
    panel = Panel(key, title, template, roles, order, context, wide)
    _PANELS[key] = panel
    return panel


def registered_panels() -> list[Panel]:
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.key))


def panels_for(request) -> list[tuple[Panel, dict]]:
    """``(panel, context)`` of the panels to show ``request.user``, in order."""
    user = request.user
    slugs = user_role_slugs(user)
    shown = []
    for panel in registered_panels():
        if not (user.is_superuser or panel.roles & slugs):
            continue
        context = panel.context(request)
        if context is None:
            continue
        shown.append((panel, context))
    return shown
