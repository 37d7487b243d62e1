"""Role grants of workforce management (collected by ``ccops.core.roles.sync_roles``).

* planners (statistician, operations supervisor) import statistics, forecast, plan staffing,
  keep shift templates and generate, edit and publish schedules;
* the center director and the other supervisors see everything;
* group and area managers see their teams' shifts and requests, decide time-off and swap
  requests for their teams, and record intraday adjustments;
* agents see their own shifts, ask for time off and swaps, and subscribe to their calendar.
"""

from ccops.core.roles import ALL_ROLES, MANAGERS, SUPERVISORS, grant, perms

ROLE_GRANTS: dict[str, set[str]] = {}

PLANNERS = frozenset({"statistician", "operations_supervisor"})
APPROVERS = MANAGERS | {"operations_supervisor", "center_director"}
OVERSEERS = SUPERVISORS | PLANNERS | MANAGERS

_PLANNING = (
    "importbatch",
    "intervalstat",
    "forecast",
    "staffingplan",
    "shifttemplateset",
    "schedule",
    "intradayadjustment",
)

# Everyone who oversees the floor sees the planning records.
for _model in _PLANNING:
    grant(ROLE_GRANTS, OVERSEERS, perms("wfm", _model, "view"))

# Planners write them (``delete`` = archive).
for _model in ("importbatch", "forecast", "staffingplan", "shifttemplateset", "schedule"):
    grant(ROLE_GRANTS, PLANNERS, perms("wfm", _model, "add", "change", "delete"))
grant(ROLE_GRANTS, PLANNERS, perms("wfm", "scheduledshift", "add", "change", "delete"))

# Intraday adjustments: planners, supervisors on duty and floor managers record them.
grant(
    ROLE_GRANTS,
    PLANNERS | MANAGERS | {"center_director"},
    perms("wfm", "intradayadjustment", "add", "change", "delete"),
)

# Shifts and requests: agents their own, managers their teams, overseers all.
for _model in ("scheduledshift", "timeoffrequest", "shiftswaprequest"):
    grant(ROLE_GRANTS, OVERSEERS | {"agent"}, perms("wfm", _model, "view"))
grant(ROLE_GRANTS, ALL_ROLES, perms("wfm", "timeoffrequest", "add"))
grant(ROLE_GRANTS, ALL_ROLES, perms("wfm", "shiftswaprequest", "add"))
grant(ROLE_GRANTS, ALL_ROLES, perms("wfm", "scheduledshift", "view"))
grant(ROLE_GRANTS, ALL_ROLES, perms("wfm", "timeoffrequest", "view"))
grant(ROLE_GRANTS, ALL_ROLES, perms("wfm", "shiftswaprequest", "view"))
# Deciding (approve/reject) is a change of the request.
grant(ROLE_GRANTS, APPROVERS, perms("wfm", "timeoffrequest", "change"))
grant(ROLE_GRANTS, APPROVERS, perms("wfm", "shiftswaprequest", "change"))

# Personal: calendar feeds.
grant(ROLE_GRANTS, ALL_ROLES, perms("wfm", "calendarfeedtoken", "view", "add", "delete"))

# Activities inside shifts: planners place and remove them; everyone who sees the shift
# sees its activities (agents their own).
grant(ROLE_GRANTS, ALL_ROLES, perms("wfm", "shiftactivity", "view"))
grant(ROLE_GRANTS, PLANNERS, perms("wfm", "shiftactivity", "add", "delete"))

# Feedback on a published schedule: every employee gives theirs; planners and overseers
# read it all (restricted to own rows for the others).
grant(ROLE_GRANTS, ALL_ROLES, perms("wfm", "schedulefeedback", "view", "add"))
