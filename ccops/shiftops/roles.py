"""Role grants of the shift-operations app (collected by ``ccops.core.roles.sync_roles``)."""

from ccops.core.roles import ALL_ROLES, MANAGERS, SUPERVISORS, grant, perms

ROLE_GRANTS: dict[str, set[str]] = {}

#: Who runs the floor: supervisors and the area and group managers (the duty leads).
FLOOR = SUPERVISORS | MANAGERS
#: Who configures the handover: shift-change times and the checklist template.
CONFIGURERS = {"center_director", "operations_supervisor", "general_supervisor"}

for _model in ("handover", "dutydiaryentry", "briefing", "handovertime", "checklistitemtemplate"):
    grant(ROLE_GRANTS, ALL_ROLES, perms("shiftops", _model, "view"))
for _model in ("handover", "dutydiaryentry", "briefing"):
    grant(ROLE_GRANTS, FLOOR, perms("shiftops", _model, "add", "change", "delete"))
for _model in ("handovertime", "checklistitemtemplate"):
    grant(ROLE_GRANTS, CONFIGURERS, perms("shiftops", _model, "add", "change", "delete"))
# The question bank is kept by the supervisors and the trainers; the floor uses it.
grant(ROLE_GRANTS, FLOOR | {"trainer"}, perms("shiftops", "handoverquestion", "view"))
grant(
    ROLE_GRANTS,
    SUPERVISORS | {"trainer"},
    perms("shiftops", "handoverquestion", "add", "change", "delete"),
)

# Attendance: everyone clocks in and out (as themselves) and sees their own records;
# managers see their teams', supervisors all; both correct times and record absences.
grant(ROLE_GRANTS, ALL_ROLES, perms("shiftops", "attendancerecord", "view", "add"))
grant(ROLE_GRANTS, FLOOR, perms("shiftops", "attendancerecord", "change"))
