"""Template context of every page: the main menu and the user's roles."""

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
