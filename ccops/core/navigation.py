"""The main menu: apps register entries, each shown to users holding its permission.

from ccops.core.navigation import register_menu_item
register_menu_item("wfm", _("Workforce"), _("Schedules"), "wfm:schedule_list",
                   permission="wfm.view_schedule", order=20)
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise


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
) -> None:
    """Add a menu entry (``permission`` None = every logged-in user)."""
    _ITEMS[url_name] = MenuItem(
        section, section_label, label, url_name, permission, order, section_order
    )
    _URLS.clear()


def menu_for(user) -> list[dict]:
    """``[{"label", "items": [{"label", "url"}]}]`` of the sections the user may see."""
    sections: dict[str, dict] = {}
    for item in sorted(_ITEMS.values(), key=lambda i: (i.section_order, i.section, i.order)):
        if item.permission and not user.has_perm(item.permission):
            continue
        entry = sections.setdefault(item.section, {"label": item.section_label, "items": []})
        entry["items"].append(
            {"label": item.label, "url": _url(item.url_name), "name": item.url_name}
        )
    return list(sections.values())
