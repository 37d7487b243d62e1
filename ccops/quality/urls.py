from django.urls import path

from ccops.core.generic import crud_urls
from ccops.quality.models import (
    CalibrationSession,
    CoachingSession,
    Complaint,
    DisciplineRecord,
    EvaluationForm,
    KPIRule,
    QAPlan,
    SkillsTest,
)
from ccops.quality.views import calibration as cal
from ccops.quality.views import complaints as cpl
from ccops.quality.views import discipline as dis
from ccops.quality.views import evaluations as ev
from ccops.quality.views import forms as fv
from ccops.quality.views import scorecards as sc
from ccops.quality.views import skills as sk
from ccops.quality.views import stats as st

app_name = "quality"

urlpatterns = [
    path("", sc.my_quality, name="my_quality"),
    # evaluation forms
    *crud_urls(
        EvaluationForm,
        prefix="forms",
        list=fv.EvaluationFormListView,
        detail=fv.EvaluationFormDetailView,
        form=fv.EvaluationFormFormView,
        archive=fv.EvaluationFormArchiveView,
    ),
    path("forms/<int:pk>/agreement/", cal.question_agreement, name="question_agreement"),
    path("form-versions/<int:pk>/", fv.FormVersionDetailView.as_view(), name="formversion_detail"),
    path("form-versions/<int:pk>/sections/", fv.section_add, name="formsection_add"),
    path("form-sections/<int:pk>/", fv.section_edit, name="formsection_edit"),
    path("form-sections/<int:pk>/questions/", fv.question_add, name="formquestion_add"),
    path("form-questions/<int:pk>/", fv.question_edit, name="formquestion_edit"),
    path("form-questions/<int:pk>/remove/", fv.question_remove, name="formquestion_remove"),
    path("settings/", fv.QualitySettingsListView.as_view(), name="qualitysettings_list"),
    path(
        "settings/<int:pk>/", fv.QualitySettingsDetailView.as_view(), name="qualitysettings_detail"
    ),
    path(
        "settings/<int:pk>/edit/", fv.QualitySettingsFormView.as_view(), name="qualitysettings_edit"
    ),
    # QA plans, calls, evaluations
    *crud_urls(
        QAPlan,
        prefix="plans",
        list=ev.QAPlanListView,
        detail=ev.QAPlanDetailView,
        form=ev.QAPlanFormView,
        archive=ev.QAPlanArchiveView,
    ),
    path("plans/<int:pk>/draw/", ev.qa_plan_draw, name="qaplan_draw"),
    path("qa-scores/", ev.qa_scores, name="qa_scores"),
    path("calls/", ev.CallRecordListView.as_view(), name="callrecord_list"),
    path("calls/<int:pk>/evaluate/", ev.evaluation_for_call, name="callrecord_evaluate"),
    path("evaluations/", ev.EvaluationListView.as_view(), name="evaluation_list"),
    path("evaluations/<int:pk>/", ev.EvaluationDetailView.as_view(), name="evaluation_detail"),
    path("evaluations/<int:pk>/score/", ev.evaluation_score, name="evaluation_score"),
    path(
        "evaluations/<int:pk>/acknowledge/",
        ev.evaluation_acknowledge,
        name="evaluation_acknowledge",
    ),
    path("evaluations/<int:pk>/cancel/", ev.evaluation_cancel, name="evaluation_cancel"),
    path("evaluations/<int:pk>/dispute/", ev.dispute_raise, name="evaluation_dispute"),
    path("disputes/", ev.DisputeListView.as_view(), name="evaluationdispute_list"),
    path("disputes/<int:pk>/", ev.DisputeDetailView.as_view(), name="evaluationdispute_detail"),
    path("disputes/<int:pk>/rescore/", ev.dispute_rescore, name="evaluationdispute_rescore"),
    path("disputes/<int:pk>/decline/", ev.dispute_decline, name="evaluationdispute_decline"),
    *crud_urls(
        CoachingSession,
        prefix="coaching",
        list=ev.CoachingListView,
        detail=ev.CoachingDetailView,
        form=ev.CoachingFormView,
        archive=ev.CoachingArchiveView,
    ),
    path("coaching/<int:pk>/hold/", ev.coaching_hold, name="coachingsession_hold"),
    path("coaching/<int:pk>/follow-up/", ev.coaching_follow_up, name="coachingsession_follow_up"),
    path("coaching/<int:pk>/cancel/", ev.coaching_cancel, name="coachingsession_cancel"),
    path(
        "coaching/<int:pk>/acknowledge/",
        ev.coaching_acknowledge,
        name="coachingsession_acknowledge",
    ),
    # calibration
    *crud_urls(
        CalibrationSession,
        prefix="calibrations",
        list=cal.CalibrationListView,
        detail=cal.CalibrationDetailView,
        form=cal.CalibrationFormView,
        archive=cal.CalibrationArchiveView,
    ),
    path("calibrations/<int:pk>/score/", cal.calibration_submit, name="calibrationsession_score"),
    path("calibrations/<int:pk>/close/", cal.calibration_close, name="calibrationsession_close"),
    # complaints and satisfaction
    *crud_urls(
        Complaint,
        prefix="complaints",
        list=cpl.ComplaintListView,
        detail=cpl.ComplaintDetailView,
        form=cpl.ComplaintFormView,
        archive=cpl.ComplaintArchiveView,
    ),
    path(
        "complaints/<int:pk>/investigate/", cpl.complaint_investigate, name="complaint_investigate"
    ),
    path("complaints/<int:pk>/close/", cpl.complaint_close, name="complaint_close"),
    path(
        "complaint-summaries/", cpl.ComplaintSummaryListView.as_view(), name="complaintsummary_list"
    ),
    path("complaint-summaries/add/", cpl.complaint_summary_create, name="complaintsummary_add"),
    path(
        "complaint-summaries/<int:pk>/",
        cpl.ComplaintSummaryDetailView.as_view(),
        name="complaintsummary_detail",
    ),
    path("satisfaction/", cpl.SatisfactionImportListView.as_view(), name="satisfactionimport_list"),
    path("satisfaction/upload/", cpl.satisfaction_upload, name="satisfactionimport_add"),
    path(
        "satisfaction/<int:pk>/",
        cpl.SatisfactionImportDetailView.as_view(),
        name="satisfactionimport_detail",
    ),
    # skills tests
    *crud_urls(
        SkillsTest,
        prefix="tests",
        list=sk.SkillsTestListView,
        detail=sk.SkillsTestDetailView,
        form=sk.SkillsTestFormView,
        archive=sk.SkillsTestArchiveView,
    ),
    path("tests/<int:pk>/assemble/", sk.skills_test_assemble, name="skillstest_assemble"),
    path("tests/<int:pk>/publish/", sk.skills_test_publish, name="skillstest_publish"),
    path("tests/<int:pk>/close/", sk.skills_test_close, name="skillstest_close"),
    path("tests/<int:pk>/start/", sk.attempt_start, name="skillstest_start"),
    path("attempts/", sk.TestAttemptListView.as_view(), name="testattempt_list"),
    path("attempts/<int:pk>/", sk.attempt_detail, name="testattempt_detail"),
    # work quality
    path("agent-stats/", st.AgentStatMonthListView.as_view(), name="agentstatmonth_list"),
    path("agent-stats/derive/", st.agent_stats_derive, name="agentstatmonth_derive"),
    path("agent-stats/import/", st.agent_stats_import, name="agentstatmonth_import"),
    path(
        "agent-stats/<int:pk>/", st.AgentStatMonthDetailView.as_view(), name="agentstatmonth_detail"
    ),
    path("agent-stats/<int:pk>/sign/", st.agent_stats_sign, name="agentstatmonth_sign"),
    path("agent-stats/<int:pk>/amend/", st.agent_stats_amend, name="agentstatmonth_amend"),
    path(
        "agent-stats/rows/<int:pk>/edit/",
        st.AgentMonthStatFormView.as_view(),
        name="agentmonthstat_edit",
    ),
    *crud_urls(
        KPIRule,
        prefix="kpi-rules",
        list=st.KPIRuleListView,
        detail=st.KPIRuleDetailView,
        form=st.KPIRuleFormView,
        archive=st.KPIRuleArchiveView,
    ),
    # discipline
    *crud_urls(
        DisciplineRecord,
        prefix="discipline",
        list=dis.DisciplineListView,
        detail=dis.DisciplineDetailView,
        form=dis.DisciplineFormView,
        archive=dis.DisciplineArchiveView,
    ),
    path("discipline/derive/", dis.discipline_derive, name="disciplinerecord_derive"),
    path("discipline/<int:pk>/appeal/", dis.discipline_appeal, name="disciplinerecord_appeal"),
    path("discipline/<int:pk>/decide/", dis.discipline_decide, name="disciplinerecord_decide"),
    # scorecards
    path("scorecards/", sc.ScorecardMonthListView.as_view(), name="scorecardmonth_list"),
    path("scorecards/compute/", sc.scorecard_compute, name="scorecardmonth_compute"),
    path(
        "scorecards/<int:pk>/", sc.ScorecardMonthDetailView.as_view(), name="scorecardmonth_detail"
    ),
    path("scorecards/<int:pk>/release/", sc.scorecard_release, name="scorecardmonth_release"),
    path("scorecards/<int:pk>/export.xlsx", sc.scorecard_export, name="scorecardmonth_export"),
    path("scorecard/<int:pk>/", sc.ScorecardDetailView.as_view(), name="scorecard_detail"),
    path("scorecard/<int:pk>/amend/", sc.scorecard_amend, name="scorecard_amend"),
]
