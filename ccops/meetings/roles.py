"""Role grants of the meetings app (collected by ``ccops.core.roles.sync_roles``)."""

from ccops.core.roles import ALL_ROLES, MANAGERS, SUPERVISORS, grant, perms

ROLE_GRANTS: dict[str, set[str]] = {}

#: Who holds meetings and gives action items.
ORGANISERS = SUPERVISORS | MANAGERS
#: Who may request an emergency meeting (the manual's list) ...
REQUESTERS = MANAGERS | {"quality_supervisor", "general_supervisor", "operations_supervisor"}
#: ... and who decides on the way up the chain.
APPROVERS = (REQUESTERS - {"group_manager"}) | {"center_director"}

for _model in ("meeting", "actionitem", "experienceexchange"):
    grant(ROLE_GRANTS, ALL_ROLES, perms("meetings", _model, "view"))
for _model in ("meeting", "actionitem"):
    grant(ROLE_GRANTS, ORGANISERS, perms("meetings", _model, "add", "change", "delete"))
grant(
    ROLE_GRANTS,
    ORGANISERS | {"trainer"},
    perms("meetings", "experienceexchange", "add", "change", "delete"),
)
grant(ROLE_GRANTS, REQUESTERS | APPROVERS, perms("meetings", "emergencymeetingrequest", "view"))
grant(ROLE_GRANTS, REQUESTERS, perms("meetings", "emergencymeetingrequest", "add"))
grant(ROLE_GRANTS, APPROVERS, perms("meetings", "emergencymeetingrequest", "change"))
