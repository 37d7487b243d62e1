"""Role grants of the incidents app (collected by ``ccops.core.roles.sync_roles``).

* Everyone sees the playbooks, the incidents (open ones are on everyone's home page), the
  fault archive and their own cause acknowledgements and call-in requests.
* Duty leads (group and area managers) and the supervisors declare and run incidents:
  tick steps, write the timeline, hand over the lead, request the emergency meeting,
  write the fault record and close the incident with it.
* The supervisors edit the playbooks (a new version each time), see who has not yet
  acknowledged a cause, see the monthly fault report, and lock accounts or force
  password changes in a password or break-in incident.
* The planners (the supervisors, managers and statisticians) plan the surge after
  recovery: leave frozen, breaks and training moved, the call-in list.
"""

from ccops.core.roles import ALL_ROLES, MANAGERS, SUPERVISORS, grant, perms

ROLE_GRANTS: dict[str, set[str]] = {}

DUTY = SUPERVISORS | MANAGERS
PLANNERS = SUPERVISORS | MANAGERS | {"statistician"}

grant(ROLE_GRANTS, ALL_ROLES, perms("incidents", "playbook", "view"))
grant(ROLE_GRANTS, SUPERVISORS, perms("incidents", "playbook", "add", "change"))
grant(ROLE_GRANTS, ALL_ROLES, perms("incidents", "incident", "view"))
grant(ROLE_GRANTS, DUTY, perms("incidents", "incident", "add", "change"))
grant(ROLE_GRANTS, DUTY, {"incidents.declare_incident"})
grant(ROLE_GRANTS, SUPERVISORS, {"incidents.lock_account"})
grant(ROLE_GRANTS, SUPERVISORS | MANAGERS, {"incidents.view_faultreport"})
grant(ROLE_GRANTS, ALL_ROLES, perms("incidents", "faultrecord", "view"))
grant(ROLE_GRANTS, DUTY, perms("incidents", "faultrecord", "add", "change"))
grant(ROLE_GRANTS, ALL_ROLES, perms("incidents", "acknowledgement", "view", "change"))
grant(ROLE_GRANTS, PLANNERS, perms("incidents", "surgeplan", "view", "add", "change"))
grant(ROLE_GRANTS, ALL_ROLES, perms("incidents", "callinoffer", "view", "change"))
grant(ROLE_GRANTS, PLANNERS, perms("incidents", "callinoffer", "add"))
grant(ROLE_GRANTS, ALL_ROLES, perms("incidents", "incidentstep", "view"))
grant(ROLE_GRANTS, ALL_ROLES, perms("incidents", "playbookstep", "view"))
grant(ROLE_GRANTS, ALL_ROLES, perms("incidents", "playbookcontact", "view"))
