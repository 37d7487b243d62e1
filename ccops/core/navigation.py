"""The main menu: apps register entries, each shown to users holding its permission.

from ccops.core.navigation import register_menu_item
register_menu_item("wfm", _("Workforce"), _("Schedules"), "wfm:schedule_list",
                   permission="wfm.view_schedule", order=20)
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise

from ccops.core.roles import user_role_slugs

#: What a front-line agent's menu holds (a user whose only role is agent): their own day, not
#: the registers and set-up pages they may also read. An app adds its own with
#: ``register_menu_item(..., for_agents=True)``.
AGENT_ITEMS: set[str] = {
    "wfm:my_schedule",
    "wfm:timeoffrequest_list",
    "wfm:shiftswaprequest_list",
    "shiftops:attendance_clock",
    "shiftops:handover_list",
    "shiftops:briefing_list",
    "meetings:meeting_list",
    "meetings:actionitem_list",
    "knowledge:search",
    "knowledge:difficultcase_list",
    "knowledge:difficultcase_add",
    "knowledge:manualedition_list",
    "quality:my_quality",
    "quality:evaluation_list",
    "quality:coachingsession_list",
    "quality:skillstest_list",
    "quality:disciplinerecord_list",
    "registers:cleaningduty_list",
}


@dataclass(frozen=True)
class MenuItem:
    section: str
    section_label: str | Promise
    label: str | Promise
    url_name: str
    permission: str | None
    order: int
    section_order: int


_ITEMS: dict[str, MenuItem] = {}
#: Menu addresses by (script prefix, URLconf, URL name): reversing some fifty names on every
#: page was a sixth of a page's time.
_URLS: dict[tuple, str] = {}


def _url(name: str) -> str:
    key = (get_script_prefix(), get_urlconf(), name)
    url = _URLS.get(key)
    if url is None:
        url = _URLS[key] = reverse(name)
    return url


def register_menu_item(
    section: str,
    section_label: str | Promise,
    label: str | Promise,
    url_name: str,
    *,
    permission: str | None = None,
    order: int = 100,
    section_order: int = 100,
    for_agents: bool = False,
) -> None:
    """Add a menu entry (``permission`` None = every logged-in user; ``for_agents``: also
    in a front-line agent's short menu, see :data:`AGENT_ITEMS`)."""
    if for_agents:
        AGENT_ITEMS.add(url_name)
    _ITEMS[url_name] = MenuItem(
        section, section_label, label, url_name, permission, order, section_order
    )
    _URLS.clear()


def menu_for(user) -> list[dict]:
    """``[{"label", "items": [{"label", "url"}]}]`` of the sections the user may see."""
    agent_only = not user.is_superuser and user_role_slugs(user) == {"agent"}
    # one permission set instead of a has_perm() through every backend per entry
    everything = user.is_active and user.is_superuser
    granted = set() if everything else user.get_all_permissions()
    sections: dict[str, dict] = {}
    for item in sorted(_ITEMS.values(), key=lambda i: (i.section_order, i.section, i.order)):
        if item.permission and not (everything or item.permission in granted):
            continue
        if agent_only and item.url_name not in AGENT_ITEMS:
            continue
        entry = sections.setdefault(item.section, {"label": item.section_label, "items": []})
        entry["items"].append(
            {"label": item.label, "url": _url(item.url_name), "name": item.url_name}
        )
    return list(sections.values())
