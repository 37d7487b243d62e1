"""Template context of every page: the main menu, the user's roles, unread notifications."""

from __future__ import annotations

from ccops.core.navigation import menu_for
from ccops.core.roles import is_supervisor, user_roles


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"ccops_menu": [], "ccops_roles": []}
    return {
        "ccops_menu": menu_for(user),
        "ccops_roles": user_roles(user),
        "ccops_is_supervisor": is_supervisor(user),
    }


def notifications(request) -> dict:
    """The user's unread notifications, counted only when a template shows them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"ccops_unread": 0}

    def unread() -> int:
        from ccops.core.services import unread_count

        return unread_count(user)

    return {"ccops_unread": unread}
