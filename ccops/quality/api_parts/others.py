"""API of calibration, complaints and satisfaction, skills tests, agent statistics, KPI
rules, discipline and scorecards."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import File, ModelSchema, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from ccops.core.apitools import get_or_404, register_crud, require_perm, resolve_pk, resolve_pks
from ccops.core.models import Queue
from ccops.engine.io.limits import megabytes
from ccops.meetings.models import Meeting
from ccops.people.models import Employee
from ccops.quality.api_parts.base import AnswerIn, MonthIn, answers_dict, employee, router, site_of
from ccops.quality.filters import (
    AgentStatMonthFilter,
    CalibrationFilter,
    ComplaintFilter,
    ComplaintSummaryFilter,
    DisciplineFilter,
    KPIRuleFilter,
    ScorecardFilter,
    ScorecardMonthFilter,
    SkillsTestFilter,
    TestAttemptFilter,
)
from ccops.quality.models import (
    AgentMonthStat,
    AgentStatMonth,
    CalibrationSession,
    Complaint,
    ComplaintSummary,
    DisciplineRecord,
    FormVersion,
    KPIRule,
    SatisfactionImport,
    Scorecard,
    ScorecardMonth,
    SkillsTest,
    TestAttempt,
)
from ccops.quality.services import calibration as cal
from ccops.quality.services import complaints as cpl
from ccops.quality.services import discipline as dis
from ccops.quality.services import scorecards as sc
from ccops.quality.services import skills as sk
from ccops.quality.services import stats as st

# --- calibration ------------------------------------------------------------------------------


class CalibrationOut(ModelSchema):
    participants: list[int]
    submitted: list[int]

    class Meta:
        model = CalibrationSession
        fields = [
            "id",
            "site",
            "title",
            "form_version",
            "call",
            "call_reference",
            "recording_url",
            "method",
            "expert",
            "due_date",
            "status",
            "closed_at",
            "alpha",
            "results",
        ]

    @staticmethod
    def resolve_participants(obj):
        return list(obj.participants.values_list("pk", flat=True))

    @staticmethod
    def resolve_submitted(obj):
        return list(obj.scores.filter(is_reference=False).values_list("evaluator_id", flat=True))


class CalibrationIn(Schema):
    site: int
    title: str
    form_version: int
    call_reference: str
    participants: list[int]
    due_date: dt.date
    method: str = "expert"
    expert: int | None = None
    recording_url: str = ""


class CalibrationScoreIn(Schema):
    answers: list[AnswerIn]
    reference: bool = False
    note: str = ""


class CalibrationScoreOut(Schema):
    id: int
    score: float | None
    critical_score: float | None
    fatal: bool


def _calibration_create(*, actor, site, form_version, participants, expert, **data):
    people = Employee.objects.restrict(actor, "view")
    return cal.calibration_create(
        site=site_of(site),
        actor=actor,
        form_version=resolve_pk(FormVersion, form_version, "form_version"),
        participants=resolve_pks(people, participants, "participants"),
        expert=resolve_pk(Employee, expert, "expert", people),
        **data,
    )


register_crud(
    router,
    CalibrationSession,
    path="calibrations",
    out_schema=CalibrationOut,
    filterset=CalibrationFilter,
)


@router.post(
    "/calibrations/",
    response={201: CalibrationOut},
    operation_id="quality_calibrationsession_create",
    summary="Plan a calibration",
)
def calibration_create(request, payload: CalibrationIn):
    require_perm(request, CalibrationSession, "add")
    return Status(201, _calibration_create(actor=request.user, **payload.dict()))


@router.post(
    "/calibrations/{int:pk}/score",
    response=CalibrationScoreOut,
    operation_id="quality_calibrationsession_score",
    summary="Submit your blind score (or the reference answers)",
)
def calibration_score(request, pk: int, payload: CalibrationScoreIn):
    require_perm(request, CalibrationSession, "view")
    return cal.calibration_submit(
        session=get_or_404(request, CalibrationSession, pk),
        answers=answers_dict(payload.answers),
        reference=payload.reference,
        note=payload.note,
        actor=request.user,
    )


@router.post(
    "/calibrations/{int:pk}/close",
    response=CalibrationOut,
    operation_id="quality_calibrationsession_close",
    summary="Close a calibration: results and Krippendorff's alpha",
)
def calibration_close(request, pk: int):
    require_perm(request, CalibrationSession, "change")
    return cal.calibration_close(
        session=get_or_404(request, CalibrationSession, pk, "change"), actor=request.user
    )


# --- complaints -------------------------------------------------------------------------------


class ComplaintOut(ModelSchema):
    class Meta:
        model = Complaint
        fields = [
            "id",
            "site",
            "received_on",
            "channel",
            "category",
            "customer",
            "call",
            "call_reference",
            "agent",
            "queue",
            "description",
            "status",
            "investigator",
            "findings",
            "outcome",
            "points",
            "closed_at",
            "closed_by",
            "archived_at",
        ]


class ComplaintIn(Schema):
    site: int
    received_on: dt.date
    channel: str
    category: str
    description: str
    customer: str = ""
    call_reference: str = ""
    agent: int | None = None
    queue: int | None = None


class InvestigateIn(Schema):
    investigator: int


class CloseIn(Schema):
    outcome: str
    findings: str
    points: float | None = None


@router.post(
    "/complaints/",
    response={201: ComplaintOut},
    operation_id="quality_complaint_create",
    summary="Register a complaint",
)
def complaint_create(request, payload: ComplaintIn):
    require_perm(request, Complaint, "add")
    data = payload.dict()
    return Status(
        201,
        cpl.complaint_register(
            site=site_of(data.pop("site")),
            agent=employee(request.user, data.pop("agent"), "agent"),
            queue=resolve_pk(Queue, data.pop("queue"), "queue"),
            actor=request.user,
            **data,
        ),
    )


register_crud(
    router, Complaint, path="complaints", out_schema=ComplaintOut, filterset=ComplaintFilter
)


@router.post(
    "/complaints/{int:pk}/investigate",
    response=ComplaintOut,
    operation_id="quality_complaint_investigate",
    summary="Assign the investigation",
)
def complaint_investigate(request, pk: int, payload: InvestigateIn):
    require_perm(request, Complaint, "change")
    return cpl.complaint_investigate(
        complaint=get_or_404(request, Complaint, pk, "change"),
        investigator=employee(request.user, payload.investigator, "investigator"),
        actor=request.user,
    )


@router.post(
    "/complaints/{int:pk}/close",
    response=ComplaintOut,
    operation_id="quality_complaint_close",
    summary="Close with the outcome",
)
def complaint_close(request, pk: int, payload: CloseIn):
    require_perm(request, Complaint, "change")
    return cpl.complaint_close(
        complaint=get_or_404(request, Complaint, pk, "change"), actor=request.user, **payload.dict()
    )


class SatisfactionOut(ModelSchema):
    class Meta:
        model = SatisfactionImport
        fields = ["id", "site", "filename", "scale_max", "rows", "matched", "created_at"]


@router.post(
    "/satisfaction/",
    response={201: SatisfactionOut},
    operation_id="quality_satisfactionimport_create",
    summary="Import post-call satisfaction scores (CSV: call_reference, score[, surveyed_at])",
)
def satisfaction_upload(
    request, site: int | None = None, scale_max: int = 5, file: File[UploadedFile] = None
):
    require_perm(request, SatisfactionImport, "add")
    if site is None:
        raise HttpError(422, _("Give the site (query parameter site)."))
    if file is None:
        raise HttpError(422, _("Send the CSV file as the multipart form field “file”."))
    if file.size > cpl.MAX_SATISFACTION_BYTES:
        raise HttpError(
            422,
            _("The file %(name)s is larger than %(limit)s.")
            % {"name": file.name, "limit": megabytes(cpl.MAX_SATISFACTION_BYTES)},
        )
    return Status(
        201,
        cpl.satisfaction_import(
            site=site_of(site),
            filename=file.name,
            content=file.read(),
            scale_max=scale_max,
            actor=request.user,
        ),
    )


register_crud(
    router, SatisfactionImport, path="satisfaction", out_schema=SatisfactionOut, archive=False
)


class SummaryOut(ModelSchema):
    class Meta:
        model = ComplaintSummary
        fields = ["id", "site", "month", "figures", "meeting", "created_at"]


class SummaryIn(Schema):
    site: int
    month: dt.date
    meeting: int | None = None


@router.post(
    "/complaint-summaries/",
    response={201: SummaryOut},
    operation_id="quality_complaintsummary_create",
    summary="Record the month's complaint summary (onto a monthly operations meeting)",
)
def summary_create(request, payload: SummaryIn):
    require_perm(request, ComplaintSummary, "add")
    meeting = resolve_pk(
        Meeting, payload.meeting, "meeting", Meeting.objects.restrict(request.user, "view")
    )
    return Status(
        201,
        cpl.complaint_summary_create(
            site=site_of(payload.site), month=payload.month, meeting=meeting, actor=request.user
        ),
    )


register_crud(
    router,
    ComplaintSummary,
    path="complaint-summaries",
    out_schema=SummaryOut,
    filterset=ComplaintSummaryFilter,
    archive=False,
)


# --- skills tests -----------------------------------------------------------------------------


class TestOut(ModelSchema):
    questions: list[dict]

    class Meta:
        model = SkillsTest
        fields = [
            "id",
            "site",
            "title",
            "year",
            "quarter",
            "time_limit_minutes",
            "opens_at",
            "closes_at",
            "pass_percent",
            "status",
            "archived_at",
        ]

    @staticmethod
    def resolve_questions(obj):
        # The options are shown, the correct answers are not.
        return [
            {
                "id": q.pk,
                "order": q.order,
                "topic": q.topic,
                "text": q.text,
                "kind": q.kind,
                "options": [o["text"] for o in q.options or []],
                "points": q.points,
            }
            for q in obj.questions.all()
        ]


class TestIn(Schema):
    site: int
    title: str
    year: int
    quarter: int
    opens_at: dt.datetime
    closes_at: dt.datetime
    time_limit_minutes: int = 30
    pass_percent: int = 60


class AssembleIn(Schema):
    per_topic: dict[str, int]
    seed: int = 0


class AttemptOut(ModelSchema):
    class Meta:
        model = TestAttempt
        fields = [
            "id",
            "test",
            "employee",
            "started_at",
            "deadline",
            "submitted_at",
            "status",
            "points",
            "max_points",
            "score_percent",
            "marked_at",
        ]


class TestAnswerIn(Schema):
    question: int
    choices: list[int] = []
    answer_true: bool | None = None
    text: str = ""


class AttemptSaveIn(Schema):
    answers: list[TestAnswerIn]
    submit: bool = False


class MarkIn(Schema):
    marks: dict[int, float]


@router.post(
    "/tests/",
    response={201: TestOut},
    operation_id="quality_skillstest_create",
    summary="Create a quarterly skills test",
)
def test_create(request, payload: TestIn):
    require_perm(request, SkillsTest, "add")
    data = payload.dict()
    return Status(
        201, sk.skills_test_create(site=site_of(data.pop("site")), actor=request.user, **data)
    )


register_crud(router, SkillsTest, path="tests", out_schema=TestOut, filterset=SkillsTestFilter)


@router.post(
    "/tests/{int:pk}/assemble",
    response=TestOut,
    operation_id="quality_skillstest_assemble",
    summary="Draw the test's questions from the bank, per topic",
)
def test_assemble(request, pk: int, payload: AssembleIn):
    require_perm(request, SkillsTest, "change")
    return sk.skills_test_assemble(
        test=get_or_404(request, SkillsTest, pk, "change"),
        per_topic=payload.per_topic,
        seed=payload.seed,
        actor=request.user,
    )


@router.post(
    "/tests/{int:pk}/publish",
    response=TestOut,
    operation_id="quality_skillstest_publish",
    summary="Publish the test to the agents",
)
def test_publish(request, pk: int):
    require_perm(request, SkillsTest, "change")
    return sk.skills_test_publish(
        test=get_or_404(request, SkillsTest, pk, "change"), actor=request.user
    )


@router.post(
    "/tests/{int:pk}/start",
    response={201: AttemptOut},
    operation_id="quality_skillstest_start",
    summary="Start your attempt (the clock starts)",
)
def test_start(request, pk: int):
    require_perm(request, TestAttempt, "add")
    return Status(
        201, sk.attempt_start(test=get_or_404(request, SkillsTest, pk), actor=request.user)
    )


register_crud(
    router,
    TestAttempt,
    path="attempts",
    out_schema=AttemptOut,
    filterset=TestAttemptFilter,
    archive=False,
)


@router.post(
    "/attempts/{int:pk}/answers",
    response=AttemptOut,
    operation_id="quality_testattempt_answers",
    summary="Save your answers while the time lasts (submit hands the test in)",
)
def attempt_answers(request, pk: int, payload: AttemptSaveIn):
    require_perm(request, TestAttempt, "view")
    answers = {
        a.question: {"choices": a.choices, "answer_true": a.answer_true, "text": a.text}
        for a in payload.answers
    }
    return sk.attempt_save(
        attempt=get_or_404(request, TestAttempt, pk),
        answers=answers,
        submit=payload.submit,
        actor=request.user,
    )


@router.post(
    "/attempts/{int:pk}/mark",
    response=AttemptOut,
    operation_id="quality_testattempt_mark",
    summary="Mark the short answers (answer id: points)",
)
def attempt_mark(request, pk: int, payload: MarkIn):
    require_perm(request, TestAttempt, "change")
    return sk.attempt_mark(
        attempt=get_or_404(request, TestAttempt, pk, "change"),
        marks=payload.marks,
        actor=request.user,
    )


# --- agent statistics and KPI rules --------------------------------------------------------------


class StatRowOut(ModelSchema):
    class Meta:
        model = AgentMonthStat
        fields = [
            "id",
            "employee",
            "calls_handled",
            "aht_seconds",
            "talk_seconds",
            "hold_seconds",
            "acw_seconds",
            "transfers",
            "transfer_rate",
            "login_seconds",
            "ready_seconds",
            "adherence_percent",
            "csat",
            "days_with_calls",
        ]


class StatMonthOut(ModelSchema):
    rows: list[StatRowOut]

    class Meta:
        model = AgentStatMonth
        fields = [
            "id",
            "site",
            "month",
            "source",
            "filename",
            "note",
            "signed_at",
            "signed_by",
            "amends",
            "archived_at",
        ]

    @staticmethod
    def resolve_rows(obj):
        return list(obj.rows.all())


class AmendIn(Schema):
    note: str


register_crud(
    router,
    AgentStatMonth,
    path="agent-stats",
    out_schema=StatMonthOut,
    filterset=AgentStatMonthFilter,
    archive=False,
)


@router.post(
    "/agent-stats/derive",
    response={201: StatMonthOut},
    operation_id="quality_agentstatmonth_derive",
    summary="Derive a month's per-agent figures from the imported calls",
)
def stats_derive(request, payload: MonthIn):
    require_perm(request, AgentStatMonth, "add")
    return Status(
        201,
        st.agent_stats_derive(site=site_of(payload.site), month=payload.month, actor=request.user),
    )


@router.post(
    "/agent-stats/import",
    response={201: StatMonthOut},
    operation_id="quality_agentstatmonth_import",
    summary="Import an ACD agent report (CSV) for a month",
)
def stats_import(
    request,
    site: int | None = None,
    month: dt.date | None = None,
    file: File[UploadedFile] = None,
):
    require_perm(request, AgentStatMonth, "add")
    if site is None or month is None:
        raise HttpError(422, _("Give the site and the month (query parameters site and month)."))
    if file is None:
        raise HttpError(422, _("Send the CSV file as the multipart form field “file”."))
    if file.size > st.MAX_REPORT_BYTES:
        raise HttpError(
            422,
            _("The file %(name)s is larger than %(limit)s.")
            % {"name": file.name, "limit": megabytes(st.MAX_REPORT_BYTES)},
        )
    return Status(
        201,
        st.agent_stats_import(
            site=site_of(site),
            month=month,
            filename=file.name,
            content=file.read(),
            actor=request.user,
        ),
    )


@router.post(
    "/agent-stats/{int:pk}/sign",
    response=StatMonthOut,
    operation_id="quality_agentstatmonth_sign",
    summary="Sign the figures (immutable)",
)
def stats_sign(request, pk: int):
    require_perm(request, AgentStatMonth, "change")
    return st.agent_stats_sign(
        period=get_or_404(request, AgentStatMonth, pk, "change"), actor=request.user
    )


@router.post(
    "/agent-stats/{int:pk}/amend",
    response={201: StatMonthOut},
    operation_id="quality_agentstatmonth_amend",
    summary="Start an amendment of signed figures",
)
def stats_amend(request, pk: int, payload: AmendIn):
    require_perm(request, AgentStatMonth, "change")
    return Status(
        201,
        st.agent_stats_amend(
            period=get_or_404(request, AgentStatMonth, pk, "change"),
            note=payload.note,
            actor=request.user,
        ),
    )


class RuleOut(ModelSchema):
    class Meta:
        model = KPIRule
        fields = ["id", "site", "kpi", "better", "thresholds", "points", "order", "archived_at"]


class RuleIn(Schema):
    site: int
    kpi: str
    better: str
    thresholds: list[float]
    points: list[float]
    order: int = 10


class RulePatch(Schema):
    better: str | None = None
    thresholds: list[float] | None = None
    points: list[float] | None = None
    order: int | None = None


register_crud(
    router,
    KPIRule,
    path="kpi-rules",
    out_schema=RuleOut,
    in_schema=RuleIn,
    patch_schema=RulePatch,
    filterset=KPIRuleFilter,
)


# --- discipline -------------------------------------------------------------------------------


class DisciplineOut(ModelSchema):
    class Meta:
        model = DisciplineRecord
        fields = [
            "id",
            "site",
            "employee",
            "occurred_on",
            "kind",
            "description",
            "points",
            "derived",
            "attendance",
            "handover",
            "status",
            "appeal_reason",
            "appealed_at",
            "decided_by",
            "decided_at",
            "decision_note",
            "archived_at",
        ]


class DisciplineIn(Schema):
    site: int
    employee: int
    occurred_on: dt.date
    kind: str
    description: str
    points: float | None = None


class AppealIn(Schema):
    reason: str


class DecideIn(Schema):
    accept: bool
    note: str


@router.post(
    "/discipline/",
    response={201: DisciplineOut},
    operation_id="quality_disciplinerecord_create",
    summary="Record a breach",
)
def discipline_create(request, payload: DisciplineIn):
    require_perm(request, DisciplineRecord, "add")
    data = payload.dict()
    return Status(
        201,
        dis.discipline_record(
            site=site_of(data.pop("site")),
            employee=employee(request.user, data.pop("employee"), "employee"),
            actor=request.user,
            **data,
        ),
    )


register_crud(
    router,
    DisciplineRecord,
    path="discipline",
    out_schema=DisciplineOut,
    filterset=DisciplineFilter,
)


@router.post(
    "/discipline/derive",
    response=dict,
    operation_id="quality_disciplinerecord_derive",
    summary="Derive the month's records from attendance and handovers",
)
def discipline_derive(request, payload: MonthIn):
    require_perm(request, DisciplineRecord, "change")
    return dis.discipline_derive(
        site=site_of(payload.site), month=payload.month, actor=request.user
    )


@router.post(
    "/discipline/{int:pk}/appeal",
    response=DisciplineOut,
    operation_id="quality_disciplinerecord_appeal",
    summary="Appeal your record",
)
def discipline_appeal(request, pk: int, payload: AppealIn):
    require_perm(request, DisciplineRecord, "view")
    return dis.discipline_appeal(
        record=get_or_404(request, DisciplineRecord, pk), reason=payload.reason, actor=request.user
    )


@router.post(
    "/discipline/{int:pk}/decide",
    response=DisciplineOut,
    operation_id="quality_disciplinerecord_decide",
    summary="Decide an appeal",
)
def discipline_decide(request, pk: int, payload: DecideIn):
    require_perm(request, DisciplineRecord, "change")
    return dis.discipline_decide(
        record=get_or_404(request, DisciplineRecord, pk, "change"),
        accept=payload.accept,
        note=payload.note,
        actor=request.user,
    )


# --- scorecards -------------------------------------------------------------------------------


class SheetOut(ModelSchema):
    class Meta:
        model = ScorecardMonth
        fields = [
            "id",
            "site",
            "month",
            "status",
            "weights",
            "computed_at",
            "released_at",
            "released_by",
            "notes",
        ]


class CardOut(ModelSchema):
    class Meta:
        model = Scorecard
        fields = [
            "id",
            "month",
            "employee",
            "team",
            "area",
            "service_points",
            "work_points",
            "skills_points",
            "discipline_points",
            "total",
            "qa_mean",
            "qa_count",
            "qa_margin",
            "complaint_points",
            "kpi_points",
            "skills_percent",
            "discipline_deducted",
            "details",
            "reason",
            "signed_at",
            "amends",
        ]


class ScorecardAmendIn(Schema):
    reason: str
    service_points: float | None = None
    work_points: float | None = None
    skills_points: float | None = None
    discipline_points: float | None = None


register_crud(
    router,
    ScorecardMonth,
    path="scorecard-months",
    out_schema=SheetOut,
    filterset=ScorecardMonthFilter,
    archive=False,
)
register_crud(
    router,
    Scorecard,
    path="scorecards",
    out_schema=CardOut,
    filterset=ScorecardFilter,
    archive=False,
)


@router.post(
    "/scorecard-months/compute",
    response=SheetOut,
    operation_id="quality_scorecardmonth_compute",
    summary="Compute (or recompute a draft of) a month's scorecards",
)
def scorecard_compute(request, payload: MonthIn):
    require_perm(request, ScorecardMonth, "add")
    return sc.scorecard_compute(site=site_of(payload.site), month=payload.month, actor=request.user)


@router.post(
    "/scorecard-months/{int:pk}/release",
    response=SheetOut,
    operation_id="quality_scorecardmonth_release",
    summary="Release the month: the scorecards are frozen",
)
def scorecard_release(request, pk: int):
    require_perm(request, ScorecardMonth, "change")
    return sc.scorecard_release(
        sheet=get_or_404(request, ScorecardMonth, pk, "change"), actor=request.user
    )


@router.get(
    "/scorecard-months/{int:pk}/export",
    operation_id="quality_scorecardmonth_export",
    summary="The month as Excel for performance pay",
)
def scorecard_export(request, pk: int):
    require_perm(request, ScorecardMonth, "view")
    sheet = get_or_404(request, ScorecardMonth, pk)
    response = HttpResponse(
        sc.export_xlsx(sheet, request.user),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="scorecards-{sheet.month:%Y-%m}.xlsx"'
    return response


@router.post(
    "/scorecards/{int:pk}/amend",
    response={201: CardOut},
    operation_id="quality_scorecard_amend",
    summary="Amend a released scorecard (a new scorecard with the reason)",
)
def scorecard_amend(request, pk: int, payload: ScorecardAmendIn):
    require_perm(request, Scorecard, "change")
    data = payload.dict()
    reason = data.pop("reason")
    return Status(
        201,
        sc.scorecard_amend(
            scorecard=get_or_404(request, Scorecard, pk, "change"),
            reason=reason,
            actor=request.user,
            **data,
        ),
    )
