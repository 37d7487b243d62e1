"""Every page, as every role, in Chinese: no English words outside an allow-list.

The crawl GETs every page URL the apps' permission matrices know (``tests/*/test_permissions.py``,
the same URL arguments) with the language cookie set to zh-Hans, and collects the visible
text (and the ``title``/``placeholder``/``aria-label`` attributes). A word of three or more
Latin letters fails the test unless it is

* data of the test world (names, codes, titles: every short text stored in the database),
* in :data:`ALLOWED` (product and standard names, units, abbreviations people use in Chinese).

The home page, my schedule and my account (their panels and menus depend on the role) are
read as every role; the other pages once, by one of the roles that may see them, the roles
taking turns so that each reads a share of every app's pages (every page as every role
would take minutes).
"""

from __future__ import annotations

import html.parser
import re
import time
from datetime import date

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import translation

from ccops.core.roles import ROLES
from ccops.core.testing import PageClient, PermissionMatrix, build_world
from ccops.people.models import Employee
from tests.web.test_matrix import _matrices

#: Words that stay in Latin letters on Chinese pages.
ALLOWED = {
    # product, formats and standards
    "ccops",
    "api",
    "csv",
    "xlsx",
    "excel",
    "pdf",
    "ics",
    "icalendar",
    "json",
    "yaml",
    "utc",
    "http",
    "https",
    "url",
    "ivr",
    "acd",
    "crm",
    "sla",
    "aht",
    "asa",
    "kpi",
    "wape",
    "mape",
    "erlang",
    "genesys",
    "avaya",
    "cisco",
    "openapi",
    "oauth",
    "totp",
    "sso",
    "ldap",
    "qa",
    "id",
    "ok",
    "max",
    "min",
    "gmt",
    "asia",
    "shanghai",
    "europe",
    "america",
    "etc",
    # units, and file types named in upload help
    "kbps",
    "mb",
    "kb",
    "gb",
    "jpeg",
    "png",
    "tiff",
    "debian",
    # the language switch names each language in itself
    "english",
    # CSV column names in upload help (the others have an underscore: calls_handled)
    "transfers",
    "agent",
    "score",
}
#: Proper names of several words (products, data sets, statistics) taken out before the check.
NAMES = [
    "Anonymous Bank",
    "Genesys Cloud",
    "Avaya CMS",
    "Cisco UCCE",
    "Huawei",
    "Krippendorff",
    "credit card",  # an example synonym of 信用卡 in the knowledge base's help
]
#: Codes and paths: words joined by ``_ - . /`` (``calls_handled``, ``docs/scheduling.md``).
CODE = re.compile(r"[A-Za-z0-9]+(?:[_./-][A-Za-z0-9]+)+")
WORD = re.compile(r"[A-Za-z][A-Za-z]{2,}")
#: Pages whose content depends most on the role (panels, menus): read as every role.
EVERY_ROLE = {"home", "wfm:my_schedule", "core:account"}
ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "code", "pre", "kbd", "samp"}:
            self._skip += 1
        for name, value in attrs:
            if name in ATTRIBUTES and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style", "code", "pre", "kbd", "samp"} and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(content: str) -> str:
    parser = _Text()
    parser.feed(content)
    return " ".join(parser.parts)


#: Rows that are not data people typed (Django's permission names, the audit log's and the
#: notifications' stored English): their words must not hide an English text.
NOT_DATA = {
    "auth.permission",
    "auth.group",
    "contenttypes.contenttype",
    "sessions.session",
    "admin.logentry",
    "core.auditentry",
    "core.notification",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "django_tasks_database.dbtaskresult",
}


def data_words() -> set[str]:
    """Every Latin word stored in a text column of ccops' own records (names, codes, notes
    the test world wrote)."""
    words: set[str] = set()
    for model in apps.get_models():
        own = model.__module__.startswith("ccops.") or model._meta.label_lower == "auth.user"
        if model._meta.label_lower in NOT_DATA or not own:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.EmailField)
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for value in row:
                if value:
                    words.update(w.lower() for w in WORD.findall(str(value)))
    return words


def english_words(text: str, allowed: set[str]) -> list[str]:
    for name in NAMES:
        text = text.replace(name, " ")
    text = CODE.sub(" ", text)
    return [w for w in WORD.findall(text) if w.lower() not in allowed]


def _crawl(world, roles: list[str]) -> tuple[dict[str, set[str]], int]:
    """Every page of every matrix that each of ``roles`` may open, in Chinese: the English
    words per page (before the data words are taken out) and how many pages were read."""
    clients = {}
    for slug in roles:  # each role logs in once
        clients[slug] = PageClient()
        clients[slug].force_login(world.users[slug])
        clients[slug].cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    pages: dict[str, set[str]] = {}
    read = 0
    for matrix in _matrices():
        for name, check in matrix.pages.items():
            if check.method != "get":
                continue
            for slug in roles:
                if slug not in check.allowed:
                    continue
                user = world.users[slug]
                client = clients[slug]
                if not client.cookies.get("sessionid") or not client.cookies["sessionid"].value:
                    client.force_login(user)  # a page that logs out
                url = PermissionMatrix._page_url(None, name, check, world, user)
                response = client.get(url)
                if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                    continue
                read += 1
                words = english_words(visible_text(response.content.decode()), ALLOWED)
                if words:
                    pages[f"{name} as {slug}"] = set(words)
    return pages, read


#: The roles in two halves, one test each (the suite's workers share them out).
ROLE_HALVES = [list(ROLES)[0::2], list(ROLES)[1::2]]


@pytest.mark.django_db
@pytest.mark.parametrize("roles", ROLE_HALVES, ids=["first-half", "second-half"])
def test_every_page_in_chinese_as_every_role_has_no_english(roles):
    """Every page each role may open (lists, forms, detail pages of the world's records and
    those the matrices' URL arguments make), read by that role in Chinese."""
    started = time.monotonic()
    world = build_world()
    # one world for every matrix: once a matrix's URL arguments seed leave types, the
    # others' time-off requests need a balance (years of service)
    Employee.objects.filter(pk__in=[e.pk for e in world.employees.values()]).update(
        hire_date=date(2010, 1, 1)
    )
    for employee in world.employees.values():  # the fixtures pass these instances on
        employee.refresh_from_db()
    pages, read = _crawl(world, roles)
    known = data_words()  # after the pages: their URL arguments made rows too
    found = {
        page: left
        for page, words in pages.items()
        if (left := {w for w in words if w.lower() not in known})
    }
    translation.deactivate()
    print(f"{read} pages as {len(roles)} roles in {time.monotonic() - started:.1f} s")
    report = "\n".join(
        f"{page}: {' '.join(sorted(words))}" for page, words in sorted(found.items())
    )
    assert not found, f"English words on Chinese pages:\n{report}"
