"""Role grants of the quality app (collected by ``ccops.core.roles.sync_roles``).

The manual's roles: the QA inspector evaluates; the quality supervisor runs forms,
plans, calibration, disputes, complaints, discipline and the scorecards; the statistician
imports and signs the agents' figures and sets the KPI rules with the quality supervisor;
the trainer runs the skills tests; group and area managers see (and coach) their teams;
the agent sees their own records. Row scopes come from the roles (``ccops.core.roles``).
"""

from ccops.core.roles import ALL_ROLES, MANAGERS, SUPERVISORS, grant, perms

ROLE_GRANTS: dict[str, set[str]] = {}

QUALITY_LEAD = {"quality_supervisor", "center_director"}
INSPECTORS = {"qa_inspector"} | QUALITY_LEAD
STATISTICIANS = {"statistician"}
TRAINERS = {"trainer"} | QUALITY_LEAD
#: Who reads the quality records of the center or of their teams.
READERS = SUPERVISORS | MANAGERS | {"qa_inspector", "statistician", "trainer"}

# Evaluation forms and settings: the quality supervisor keeps them; evaluators read them.
grant(ROLE_GRANTS, READERS | {"agent"}, perms("quality", "evaluationform", "view"))
for _model in ("formversion", "formsection", "formquestion"):
    grant(ROLE_GRANTS, READERS | {"agent"}, perms("quality", _model, "view"))
grant(ROLE_GRANTS, QUALITY_LEAD, perms("quality", "evaluationform", "add", "change", "delete"))
grant(ROLE_GRANTS, QUALITY_LEAD, perms("quality", "formversion", "add", "change"))
grant(ROLE_GRANTS, READERS, perms("quality", "qualitysettings", "view"))
grant(ROLE_GRANTS, QUALITY_LEAD, perms("quality", "qualitysettings", "change"))

# QA plans and the per-call records they draw from.
grant(ROLE_GRANTS, INSPECTORS | MANAGERS | SUPERVISORS, perms("quality", "qaplan", "view"))
grant(ROLE_GRANTS, QUALITY_LEAD, perms("quality", "qaplan", "add", "change", "delete"))
grant(ROLE_GRANTS, ALL_ROLES, perms("wfm", "callrecord", "view"))

# Evaluations: inspectors score, everyone sees those in their scope (agents: released own).
grant(ROLE_GRANTS, ALL_ROLES, perms("quality", "evaluation", "view"))
grant(ROLE_GRANTS, INSPECTORS, perms("quality", "evaluation", "add", "change"))
grant(ROLE_GRANTS, QUALITY_LEAD, perms("quality", "evaluation", "delete"))
grant(ROLE_GRANTS, ALL_ROLES, perms("quality", "evaluationdispute", "view", "add"))
grant(ROLE_GRANTS, QUALITY_LEAD, perms("quality", "evaluationdispute", "change"))
grant(ROLE_GRANTS, ALL_ROLES, perms("quality", "coachingsession", "view"))
grant(
    ROLE_GRANTS,
    INSPECTORS | MANAGERS | TRAINERS,
    perms("quality", "coachingsession", "add", "change"),
)
grant(ROLE_GRANTS, QUALITY_LEAD, perms("quality", "coachingsession", "delete"))

# Calibration: the quality supervisor runs it; inspectors (and experts) take part.
grant(
    ROLE_GRANTS,
    INSPECTORS | MANAGERS | TRAINERS | {"operations_supervisor"},
    perms("quality", "calibrationsession", "view"),
)
grant(ROLE_GRANTS, QUALITY_LEAD, perms("quality", "calibrationsession", "add", "change", "delete"))

# Complaints and satisfaction.
grant(ROLE_GRANTS, ALL_ROLES, perms("quality", "complaint", "view"))
grant(ROLE_GRANTS, INSPECTORS | SUPERVISORS, perms("quality", "complaint", "add", "change"))
grant(ROLE_GRANTS, QUALITY_LEAD, perms("quality", "complaint", "delete"))
grant(
    ROLE_GRANTS,
    INSPECTORS | SUPERVISORS | MANAGERS | STATISTICIANS,
    perms("quality", "satisfactionimport", "view") | perms("quality", "complaintsummary", "view"),
)
grant(ROLE_GRANTS, ALL_ROLES, perms("quality", "satisfactionscore", "view"))
grant(ROLE_GRANTS, QUALITY_LEAD | STATISTICIANS, perms("quality", "satisfactionimport", "add"))
grant(ROLE_GRANTS, QUALITY_LEAD, perms("quality", "complaintsummary", "add"))

# Business-skills tests: the trainer assembles and marks; agents take them.
grant(ROLE_GRANTS, ALL_ROLES, perms("quality", "skillstest", "view"))
grant(ROLE_GRANTS, TRAINERS, perms("quality", "skillstest", "add", "change", "delete"))
grant(ROLE_GRANTS, ALL_ROLES, perms("quality", "testattempt", "view", "add"))
grant(ROLE_GRANTS, TRAINERS, perms("quality", "testattempt", "change"))
grant(ROLE_GRANTS, TRAINERS, perms("shiftops", "handoverquestion", "view"))

# Work quality: the statistician imports, derives and signs; KPI rules with the supervisor.
grant(ROLE_GRANTS, READERS, perms("quality", "agentstatmonth", "view"))
grant(ROLE_GRANTS, STATISTICIANS, perms("quality", "agentstatmonth", "add", "change"))
grant(ROLE_GRANTS, ALL_ROLES, perms("quality", "agentmonthstat", "view"))
grant(ROLE_GRANTS, STATISTICIANS, perms("quality", "agentmonthstat", "change"))
grant(ROLE_GRANTS, READERS, perms("quality", "kpirule", "view"))
grant(
    ROLE_GRANTS,
    QUALITY_LEAD | STATISTICIANS,
    perms("quality", "kpirule", "add", "change", "delete"),
)

# Discipline: supervisors and managers record breaches; the quality supervisor decides appeals.
grant(ROLE_GRANTS, ALL_ROLES, perms("quality", "disciplinerecord", "view"))
grant(ROLE_GRANTS, SUPERVISORS | MANAGERS, perms("quality", "disciplinerecord", "add"))
grant(ROLE_GRANTS, QUALITY_LEAD, perms("quality", "disciplinerecord", "change", "delete"))

# Scorecards: computed and released by the quality supervisor; everyone sees their scope.
grant(ROLE_GRANTS, READERS, perms("quality", "scorecardmonth", "view"))
grant(ROLE_GRANTS, QUALITY_LEAD, perms("quality", "scorecardmonth", "add", "change"))
grant(ROLE_GRANTS, ALL_ROLES, perms("quality", "scorecard", "view"))
grant(ROLE_GRANTS, QUALITY_LEAD, perms("quality", "scorecard", "change"))
