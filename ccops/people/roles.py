"""Role grants of the people app (collected by ``ccops.core.roles.sync_roles``)."""

from ccops.core.roles import ALL_ROLES, MANAGERS, grant, perms

ROLE_GRANTS: dict[str, set[str]] = {}

# Everyone sees people records in their scope (agents: their own; managers: their teams).
for _model in ("employee", "team", "skill", "employeeskill"):
    grant(ROLE_GRANTS, ALL_ROLES, perms("people", _model, "view"))

# Administration of people and teams.
_ADMINS = {"center_director", "general_supervisor", "operations_supervisor"}
for _model in ("employee", "team", "skill"):
    grant(ROLE_GRANTS, _ADMINS, perms("people", _model, "add", "change", "delete"))

# Skills are certified by trainers, supervisors and, for their own teams, managers.
grant(
    ROLE_GRANTS,
    _ADMINS | {"quality_supervisor", "trainer"} | MANAGERS,
    perms("people", "employeeskill", "add", "change", "delete"),
)
grant(ROLE_GRANTS, {"trainer", "quality_supervisor"}, perms("people", "skill", "add", "change"))

# Leave: everyone sees the site's leave types and rules, and their own (managers: their
# teams') balance adjustments; the people administrators keep the types and rules and
# adjust balances. Adjustments are never edited or archived (a correction is another one).
for _model in ("leavetype", "leaveentitlementrule", "leaveadjustment"):
    grant(ROLE_GRANTS, ALL_ROLES, perms("people", _model, "view"))
for _model in ("leavetype", "leaveentitlementrule"):
    grant(ROLE_GRANTS, _ADMINS, perms("people", _model, "add", "change", "delete"))
grant(ROLE_GRANTS, _ADMINS, perms("people", "leaveadjustment", "add"))
