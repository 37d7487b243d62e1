"""The manual's roles as Django groups with explicit permissions.

A role is a Django group whose name is the role's slug. Its permissions are exactly the
union of the grants every installed app declares, so an app adds its own grants without
editing core: put a module ``<app>/roles.py`` with ``ROLE_GRANTS = {role_slug: {perms}}``
(use :func:`perms`) and :func:`sync_roles` (run after every ``migrate``) collects it.

Each role also has a *row scope* used by ``restrict()``: ``all`` rows of the models it may
see, its ``team`` rows (group and area managers) or its ``own`` rows (agents).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SCOPE_ALL = "all"
SCOPE_TEAM = "team"
SCOPE_OWN = "own"
SCOPE_ORDER = {SCOPE_OWN: 0, SCOPE_TEAM: 1, SCOPE_ALL: 2}


@dataclass(frozen=True)
class Role:
    slug: str
    name: str | Promise
    scope: str
    description: str | Promise
    #: Supervisory roles see the audit log and everyone's running tasks.
    supervisory: bool = False


ROLES: dict[str, Role] = {
    role.slug: role
    for role in [
        Role(
            "center_director",
            _("Center director"),
            SCOPE_ALL,
            _("Runs the center; sees every record and approves plans."),
            supervisory=True,
        ),
        Role(
            "operations_supervisor",
            _("Operations supervisor"),
            SCOPE_ALL,
            _("Runs daily operations: staffing, schedules, handovers and incidents."),
            supervisory=True,
        ),
        Role(
            "quality_supervisor",
            _("Quality supervisor"),
            SCOPE_ALL,
            _("Owns quality: evaluations, scorecards, discipline and training needs."),
            supervisory=True,
        ),
        Role(
            "general_supervisor",
            _("General supervisor"),
            SCOPE_ALL,
            _("Administration: people, sites, calendars, registers and meetings."),
            supervisory=True,
        ),
        Role(
            "area_manager",
            _("Area manager"),
            SCOPE_TEAM,
            _("Leads an area of several groups."),
        ),
        Role(
            "group_manager",
            _("Group manager"),
            SCOPE_TEAM,
            _("Leads one group of agents on the floor."),
        ),
        Role("qa_inspector", _("QA inspector"), SCOPE_ALL, _("Evaluates recorded calls.")),
        Role("trainer", _("Trainer"), SCOPE_ALL, _("Trains agents and certifies skills.")),
        Role("editor", _("Editor"), SCOPE_ALL, _("Maintains the knowledge base and scripts.")),
        Role(
            "statistician",
            _("Statistician"),
            SCOPE_ALL,
            _("Imports statistics, forecasts and reports."),
        ),
        Role("agent", _("Agent"), SCOPE_OWN, _("Answers customers; sees own records only.")),
    ]
}

ALL_ROLES = frozenset(ROLES)
SUPERVISORS = frozenset(slug for slug, role in ROLES.items() if role.supervisory)
MANAGERS = frozenset({"area_manager", "group_manager"})


def perms(app_label: str, model: str, *actions: str) -> set[str]:
    """``perms("people", "employee", "view", "change")`` -> the permission strings."""
    if not actions:
        raise ValueError("perms(): give at least one action (view, add, change, delete)")
    return {f"{app_label}.{action}_{model}" for action in actions}


def grant(grants: dict[str, set[str]], roles: Iterable[str], permissions: set[str]) -> None:
    """Add ``permissions`` to each of ``roles`` in ``grants`` (a helper for apps' roles.py)."""
    for slug in roles:
        if slug not in ROLES:
            raise ValueError(f"unknown role {slug!r}; roles are {', '.join(sorted(ROLES))}")
        grants.setdefault(slug, set()).update(permissions)


# --- core's own grants ------------------------------------------------------------------
ROLE_GRANTS: dict[str, set[str]] = {}
grant(ROLE_GRANTS, ALL_ROLES, perms("core", "site", "view"))
grant(ROLE_GRANTS, ALL_ROLES, perms("core", "queue", "view"))
grant(ROLE_GRANTS, ALL_ROLES, perms("core", "calendarperiod", "view"))
grant(ROLE_GRANTS, ALL_ROLES, perms("core", "job", "view", "add"))
grant(ROLE_GRANTS, ALL_ROLES, perms("core", "notification", "view"))
grant(ROLE_GRANTS, ALL_ROLES, perms("core", "apitoken", "view", "add", "delete"))
grant(
    ROLE_GRANTS,
    {"center_director", "general_supervisor"},
    perms("core", "site", "add", "change", "delete"),
)
grant(
    ROLE_GRANTS,
    {"center_director", "operations_supervisor", "general_supervisor"},
    perms("core", "queue", "add", "change", "delete")
    | perms("core", "calendarperiod", "add", "change", "delete"),
)
grant(ROLE_GRANTS, SUPERVISORS, perms("core", "auditentry", "view"))
# Administrators of the center reset passwords (and unlock accounts) of its users.
grant(ROLE_GRANTS, {"center_director", "general_supervisor"}, {"auth.change_user"})


# --- collection and sync ----------------------------------------------------------------
def collect_grants() -> dict[str, set[str]]:
    """Every installed app's ``roles.ROLE_GRANTS`` merged: role slug -> permission strings."""
    from django.apps import apps

    merged: dict[str, set[str]] = {slug: set() for slug in ROLES}
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.roles")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.roles":
                raise
            continue
        for slug, granted in getattr(module, "ROLE_GRANTS", {}).items():
            if slug not in ROLES:
                raise ValueError(f"{config.name}.roles grants unknown role {slug!r}")
            merged[slug].update(granted)
    return merged


def sync_roles(*, strict: bool = True) -> dict[str, int]:
    """Create one group per role and set its permissions to exactly the collected grants.

    Idempotent. With ``strict`` a grant naming a permission that does not exist raises
    ``ValueError`` (a typo in a roles.py); otherwise it is skipped. Returns role -> count.
    """
    from django.contrib.auth.models import Group, Permission

    grants = collect_grants()
    wanted = set().union(*grants.values())
    by_name: dict[str, Permission] = {}
    for perm in Permission.objects.select_related("content_type"):
        by_name[f"{perm.content_type.app_label}.{perm.codename}"] = perm
    missing = sorted(wanted - set(by_name))
    if missing and strict:
        raise ValueError(f"role grants name unknown permissions: {', '.join(missing)}")
    counts = {}
    for slug, granted in grants.items():
        group, _created = Group.objects.get_or_create(name=slug)
        ids = {by_name[name].pk for name in granted if name in by_name}
        current = set(group.permissions.values_list("pk", flat=True))
        if current != ids:
            group.permissions.set(ids)
        counts[slug] = len(ids)
    return counts


def user_roles(user) -> list[Role]:
    """The roles of ``user`` (cached on the user object for the request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_ccops_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = [role for slug, role in ROLES.items() if slug in names]
        user._ccops_roles = cached
    return cached


def user_role_slugs(user) -> set[str]:
    return {role.slug for role in user_roles(user)}


def user_scope(user) -> str:
    """The widest row scope of the user's roles (superusers: all; no role: own)."""
    if getattr(user, "is_superuser", False):
        return SCOPE_ALL
    roles = user_roles(user)
    if not roles:
        return SCOPE_OWN
    return max((role.scope for role in roles), key=SCOPE_ORDER.__getitem__)


def is_supervisor(user) -> bool:
    return bool(getattr(user, "is_superuser", False) or user_role_slugs(user) & SUPERVISORS)
