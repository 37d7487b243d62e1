"""Role grants of the knowledge app (collected by ``ccops.core.roles.sync_roles``)."""

from ccops.core.roles import ALL_ROLES, MANAGERS, SUPERVISORS, grant, perms

ROLE_GRANTS: dict[str, set[str]] = {}

#: Who writes the knowledge base (采编).
EDITORS = frozenset({"editor"})
#: Who approves revisions and compiles the service manual: the QA group.
REVIEWERS = frozenset({"qa_inspector", "quality_supervisor"})
#: Who records difficult cases: agents and the managers on the floor (a case goes to the
#: recorder's group manager).
RECORDERS = frozenset({"agent"}) | MANAGERS
#: Who answers, escalates and merges the cases of their groups.
HANDLERS = MANAGERS | SUPERVISORS
#: Who links articles to cases, handovers and incidents.
LINKERS = EDITORS | REVIEWERS | HANDLERS | {"trainer"}
#: Who reads the service manual and confirms it (see services.manual.READER_ROLES).
READERS = frozenset({"agent", "group_manager", "area_manager"})
NOT_AGENTS = ALL_ROLES - {"agent"}

grant(ROLE_GRANTS, ALL_ROLES, perms("knowledge", "difficultcase", "view"))
grant(ROLE_GRANTS, RECORDERS, perms("knowledge", "difficultcase", "add"))
grant(ROLE_GRANTS, HANDLERS, perms("knowledge", "difficultcase", "change"))
grant(ROLE_GRANTS, NOT_AGENTS, perms("knowledge", "department", "view"))
grant(ROLE_GRANTS, SUPERVISORS, perms("knowledge", "department", "add", "change", "delete"))

for _model in ("article", "category", "articlelink", "manualedition"):
    grant(ROLE_GRANTS, ALL_ROLES, perms("knowledge", _model, "view"))
for _model in ("article", "category", "synonym"):
    grant(ROLE_GRANTS, EDITORS, perms("knowledge", _model, "add", "change", "delete"))
grant(ROLE_GRANTS, EDITORS | REVIEWERS, perms("knowledge", "synonym", "view"))
grant(ROLE_GRANTS, EDITORS | REVIEWERS, perms("knowledge", "articlerevision", "view"))
grant(ROLE_GRANTS, EDITORS, perms("knowledge", "articlerevision", "add", "change"))
grant(ROLE_GRANTS, REVIEWERS, perms("knowledge", "article", "review"))
grant(ROLE_GRANTS, LINKERS, perms("knowledge", "articlelink", "add", "delete"))

grant(ROLE_GRANTS, REVIEWERS, perms("knowledge", "manualedition", "add", "change", "delete"))
grant(ROLE_GRANTS, ALL_ROLES, perms("knowledge", "manualacknowledgement", "view"))
grant(ROLE_GRANTS, READERS, perms("knowledge", "manualacknowledgement", "add"))
