"""Role grants of the process register and the improvement projects.

Everyone reads the process register (they work by it). The supervisors put processes on
the register and own them; owners and supervisors draft changes; the operations
supervisor reviews operational processes, the general supervisor the web processes and
those of complaints, appointments, suggestions and acceptance, the center director a
change that reviewer wrote (``processes.review_processversion`` plus the rule in
``services.may_review``). Staff start and run improvement projects; agents see the
projects they are in.
"""

from ccops.core.roles import ALL_ROLES, MANAGERS, SUPERVISORS, grant, perms

ROLE_GRANTS: dict[str, set[str]] = {}

PROJECT_STAFF = SUPERVISORS | MANAGERS | {"qa_inspector", "trainer", "statistician", "editor"}
REVIEWERS = frozenset({"operations_supervisor", "general_supervisor", "center_director"})

grant(ROLE_GRANTS, ALL_ROLES, perms("processes", "process", "view"))
grant(ROLE_GRANTS, SUPERVISORS, perms("processes", "process", "add", "change", "delete"))
grant(ROLE_GRANTS, ALL_ROLES, perms("processes", "processversion", "view"))
grant(ROLE_GRANTS, SUPERVISORS | MANAGERS, perms("processes", "processversion", "add", "change"))
grant(ROLE_GRANTS, REVIEWERS, {"processes.review_processversion"})
grant(ROLE_GRANTS, ALL_ROLES, perms("processes", "improvementproject", "view"))
grant(ROLE_GRANTS, PROJECT_STAFF, perms("processes", "improvementproject", "add", "change"))
grant(ROLE_GRANTS, SUPERVISORS, perms("processes", "improvementproject", "delete"))
