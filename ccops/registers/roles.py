"""Role grants of the registers (collected by ``ccops.core.roles.sync_roles``).

* Visitors: everyone but agents announces their own visitors; the door (the general and
  operations supervisors, the area and group managers on duty, the center director) sees
  every visit, registers walk-ins and receives and signs visitors out; the center
  director and the general and operations supervisors authorize visits.
* Restricted areas: the door keeps the log (the supervisors read it too); the same three
  authorize the access list and approve an entry by someone not on it; the supervisors
  sign the monthly review.
* Customer-data disclosure: the general and operations supervisors and the center director
  keep the register; the center director and the general supervisor approve a disclosure
  on a legal document, only the center director (the responsible leader) a special case;
  the quality supervisor reads the auditors' report too.
* Confidential documents: the center director and the general supervisor keep the
  register (and see every document, handover and leak report; the operations and quality
  supervisors see them too); every keeper sees their own documents and handovers and
  signs them (staff open a handover; an agent's is opened for them); anyone reports a
  leak.
* Rest room: everyone sees the rooms and the rota and signs off their own cleaning; the
  supervisors and managers plan the rota.
"""

from ccops.core.roles import ALL_ROLES, MANAGERS, SUPERVISORS, grant, perms

ROLE_GRANTS: dict[str, set[str]] = {}

STAFF = ALL_ROLES - {"agent"}
DOOR = MANAGERS | {"center_director", "general_supervisor", "operations_supervisor"}
AUTHORIZERS = frozenset({"center_director", "general_supervisor", "operations_supervisor"})
DISCLOSURE_KEEPERS = AUTHORIZERS
DISCLOSURE_APPROVERS = frozenset({"center_director", "general_supervisor"})
RESPONSIBLE_LEADER = frozenset({"center_director"})
DISCLOSURE_REPORT = DISCLOSURE_KEEPERS | {"quality_supervisor"}
CUSTODY_KEEPERS = frozenset({"center_director", "general_supervisor"})
CUSTODY_OVERSEERS = CUSTODY_KEEPERS | {"operations_supervisor", "quality_supervisor"}
ROTA_PLANNERS = SUPERVISORS | MANAGERS

# visitors
grant(ROLE_GRANTS, STAFF, perms("registers", "visit", "view", "add", "change"))
grant(ROLE_GRANTS, DOOR, {"registers.oversee_visit"})
grant(ROLE_GRANTS, AUTHORIZERS, {"registers.approve_visit"})

# restricted areas
grant(ROLE_GRANTS, DOOR | SUPERVISORS, perms("registers", "restrictedarea", "view"))
grant(ROLE_GRANTS, AUTHORIZERS, perms("registers", "restrictedarea", "add", "change", "delete"))
grant(ROLE_GRANTS, DOOR | SUPERVISORS, perms("registers", "areaauthorization", "view"))
grant(ROLE_GRANTS, AUTHORIZERS, perms("registers", "areaauthorization", "add", "change"))
grant(ROLE_GRANTS, DOOR | SUPERVISORS, perms("registers", "areaaccess", "view"))
grant(ROLE_GRANTS, DOOR, perms("registers", "areaaccess", "add"))
grant(ROLE_GRANTS, AUTHORIZERS, {"registers.approve_areaaccess"})
grant(ROLE_GRANTS, DOOR | SUPERVISORS, perms("registers", "areaaccessreview", "view"))
grant(ROLE_GRANTS, SUPERVISORS, perms("registers", "areaaccessreview", "add", "change"))

# customer-data disclosure
grant(
    ROLE_GRANTS,
    DISCLOSURE_KEEPERS,
    perms("registers", "disclosurerequest", "view", "add", "change"),
)
grant(ROLE_GRANTS, DISCLOSURE_APPROVERS, {"registers.approve_disclosurerequest"})
grant(ROLE_GRANTS, RESPONSIBLE_LEADER, {"registers.approve_special_disclosure"})
grant(ROLE_GRANTS, DISCLOSURE_REPORT, {"registers.view_disclosurereport"})

# confidential documents
grant(ROLE_GRANTS, ALL_ROLES, perms("registers", "confidentialdocument", "view"))
grant(
    ROLE_GRANTS,
    CUSTODY_KEEPERS,
    perms("registers", "confidentialdocument", "add", "change", "delete"),
)
grant(ROLE_GRANTS, CUSTODY_OVERSEERS, {"registers.oversee_confidentialdocument"})
grant(ROLE_GRANTS, CUSTODY_OVERSEERS, perms("registers", "custodycheck", "view", "add"))
grant(ROLE_GRANTS, ALL_ROLES, perms("registers", "custodyhandover", "view", "change"))
grant(ROLE_GRANTS, STAFF, perms("registers", "custodyhandover", "add"))
grant(ROLE_GRANTS, ALL_ROLES, perms("registers", "leakreport", "view", "add"))
grant(ROLE_GRANTS, CUSTODY_OVERSEERS, perms("registers", "leakreport", "change"))
grant(ROLE_GRANTS, CUSTODY_OVERSEERS, {"registers.oversee_leakreport"})

# rest room
grant(ROLE_GRANTS, ALL_ROLES, perms("registers", "restroom", "view"))
grant(ROLE_GRANTS, AUTHORIZERS, perms("registers", "restroom", "add", "change", "delete"))
grant(ROLE_GRANTS, ALL_ROLES, perms("registers", "cleaningduty", "view"))
grant(ROLE_GRANTS, ROTA_PLANNERS, perms("registers", "cleaningduty", "add", "change"))
