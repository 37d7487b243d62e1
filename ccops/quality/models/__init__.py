"""Models of the quality app: evaluation forms, QA plans and evaluations, calibration,
complaints and satisfaction, skills tests, agent statistics, discipline and scorecards."""

from ccops.quality.models.calibration import CalibrationAnswer, CalibrationScore, CalibrationSession
from ccops.quality.models.complaints import (
    Complaint,
    ComplaintSummary,
    SatisfactionImport,
    SatisfactionScore,
)
from ccops.quality.models.discipline import DisciplineRecord
from ccops.quality.models.evaluations import (
    CoachingSession,
    Evaluation,
    EvaluationAnswer,
    EvaluationDispute,
    EvaluationRevision,
    QAPlan,
)
from ccops.quality.models.forms import (
    EvaluationForm,
    FormQuestion,
    FormSection,
    FormVersion,
    QualitySettings,
)
from ccops.quality.models.scorecards import Scorecard, ScorecardMonth
from ccops.quality.models.skills import SkillsTest, SkillsTestQuestion, TestAnswer, TestAttempt
from ccops.quality.models.stats import AgentMonthStat, AgentStatMonth, KPIRule

__all__ = [
    "AgentMonthStat",
    "AgentStatMonth",
    "CalibrationAnswer",
    "CalibrationScore",
    "CalibrationSession",
    "CoachingSession",
    "Complaint",
    "ComplaintSummary",
    "DisciplineRecord",
    "Evaluation",
    "EvaluationAnswer",
    "EvaluationDispute",
    "EvaluationForm",
    "EvaluationRevision",
    "FormQuestion",
    "FormSection",
    "FormVersion",
    "KPIRule",
    "QAPlan",
    "QualitySettings",
    "SatisfactionImport",
    "SatisfactionScore",
    "Scorecard",
    "ScorecardMonth",
    "SkillsTest",
    "SkillsTestQuestion",
    "TestAnswer",
    "TestAttempt",
]
