from django.contrib import admin

from ccops.core.admin import AuditedAdmin
from ccops.quality import models

for _model in (
    models.QualitySettings, models.EvaluationForm, models.FormVersion, models.FormSection,
    models.FormQuestion, models.QAPlan, models.Evaluation, models.EvaluationRevision,
    models.EvaluationDispute, models.CoachingSession, models.CalibrationSession,
    models.Complaint, models.ComplaintSummary, models.SatisfactionImport, models.SkillsTest,
    models.TestAttempt, models.AgentStatMonth, models.KPIRule, models.DisciplineRecord,
    models.ScorecardMonth, models.Scorecard,
):  # fmt: skip
    admin.site.register(_model, AuditedAdmin)
