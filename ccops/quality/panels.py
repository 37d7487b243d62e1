"""The quality app's home-page panels (one or more for each role whose daily work it is)
and its menu entries."""

from __future__ import annotations

from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccops.core.home import register_panel
from ccops.core.navigation import register_menu_item
from ccops.core.roles import MANAGERS
from ccops.people.services import employee_for
from ccops.quality.choices import (
    OPEN_EVALUATION_STATUSES,
    AttemptStatus,
    CalibrationStatus,
    CoachingStatus,
    ComplaintStatus,
    DisciplineStatus,
    DisputeStatus,
    ScorecardStatus,
    TestStatus,
)
from ccops.quality.models import (
    AgentStatMonth,
    CalibrationSession,
    CoachingSession,
    Complaint,
    DisciplineRecord,
    Evaluation,
    EvaluationDispute,
    QAPlan,
    Scorecard,
    ScorecardMonth,
    SkillsTest,
    TestAttempt,
)
from ccops.quality.services.common import month_start
from ccops.quality.services.scorecards import current_scorecards

QUALITY_LEAD = {"quality_supervisor", "center_director"}


def inspector_context(request):
    me = employee_for(request.user)
    if me is None:
        return None
    todo = (
        Evaluation.objects.filter(inspector=me, status__in=OPEN_EVALUATION_STATUSES)
        .select_related("agent")
        .order_by("due_date", "pk")
    )
    calibrations = CalibrationSession.objects.filter(
        participants=me, status=CalibrationStatus.OPEN
    ).exclude(scores__evaluator=me, scores__is_reference=False)
    today = timezone.localdate()
    return {
        "evaluations": todo[:12],
        "count": todo.count(),
        "overdue": todo.filter(due_date__lt=today).count(),
        "calibrations": calibrations[:5],
    }


def supervisor_context(request):
    user = request.user
    disputes = EvaluationDispute.objects.restrict(user, "view").filter(status=DisputeStatus.OPEN)
    appeals = DisciplineRecord.objects.restrict(user, "view").filter(
        status=DisciplineStatus.APPEALED
    )
    complaints = Complaint.objects.restrict(user, "view").exclude(status=ComplaintStatus.CLOSED)
    month = month_start(timezone.localdate())
    plans = (
        QAPlan.objects.restrict(user, "view")
        .filter(month=month)
        .annotate(
            total=Count("evaluations"),
            done=Count("evaluations", filter=~Q(evaluations__status__in=OPEN_EVALUATION_STATUSES)),
        )
    )
    calibrations = CalibrationSession.objects.restrict(user, "view").filter(
        status=CalibrationStatus.OPEN
    )
    return {
        "disputes": disputes.select_related("evaluation__agent").order_by("respond_by")[:8],
        "disputes_overdue": disputes.filter(respond_by__lt=timezone.now()).count(),
        "appeals": appeals.select_related("employee")[:5],
        "complaints": complaints.count(),
        "plans": plans[:4],
        "calibrations": calibrations[:4],
        "drafts": ScorecardMonth.objects.restrict(user, "view").filter(
            status=ScorecardStatus.DRAFT
        )[:3],
    }


def statistician_context(request):
    user = request.user
    open_months = AgentStatMonth.objects.restrict(user, "view").filter(signed_at__isnull=True)
    last = month_start(month_start(timezone.localdate()) - timezone.timedelta(days=1))
    signed_last = AgentStatMonth.objects.filter(month=last, signed_at__isnull=False).exists()
    return {"open_months": open_months[:6], "last": last, "signed_last": signed_last}


def trainer_context(request):
    user = request.user
    tests = SkillsTest.objects.restrict(user, "view").exclude(status=TestStatus.CLOSED)
    to_mark = TestAttempt.objects.restrict(user, "view").filter(status=AttemptStatus.SUBMITTED)
    return {
        "tests": tests[:6],
        "to_mark": to_mark.select_related("test", "employee")[:8],
        "to_mark_count": to_mark.count(),
    }


def team_context(request):
    user = request.user
    sheet = (
        ScorecardMonth.objects.filter(status=ScorecardStatus.RELEASED).order_by("-month").first()
    )
    cards = []
    mean = None
    if sheet is not None:
        visible = Scorecard.objects.restrict(user, "view").values("pk")
        rows = current_scorecards(sheet).filter(pk__in=visible).select_related("employee")
        mean = rows.aggregate(a=Avg("total"))["a"]
        cards = list(rows.order_by("total")[:5])
    month = month_start(timezone.localdate())
    evaluations = Evaluation.objects.restrict(user, "view").filter(
        call_started_at__date__gte=month,
        status__in=("released", "acknowledged", "disputed", "closed"),
    )
    coaching = CoachingSession.objects.restrict(user, "view").filter(
        status__in=(CoachingStatus.PLANNED, CoachingStatus.HELD)
    )
    return {
        "sheet": sheet,
        "cards": cards,
        "mean": mean,
        "evaluations": evaluations.count(),
        "qa_mean": evaluations.aggregate(a=Avg("score"))["a"],
        "coaching": coaching.select_related("agent")[:6],
    }


def my_context(request):
    me = employee_for(request.user)
    if me is None:
        return None
    sheet = (
        ScorecardMonth.objects.filter(site=me.site, status=ScorecardStatus.RELEASED)
        .order_by("-month")
        .first()
    )
    card = current_scorecards(sheet).filter(employee=me).first() if sheet else None
    to_ack = Evaluation.objects.filter(agent=me, status="released").order_by("-released_at")
    tests = [
        t
        for t in SkillsTest.objects.filter(site=me.site, status=TestStatus.PUBLISHED)
        if t.is_open and not t.attempts.filter(employee=me).exists()
    ]
    coaching = CoachingSession.objects.filter(
        agent=me, status__in=("held", "closed"), acknowledged_at__isnull=True
    )
    discipline = DisciplineRecord.objects.filter(
        employee=me,
        status=DisciplineStatus.RECORDED,
        occurred_on__gte=month_start(timezone.localdate()),
    )
    if not (card or to_ack.exists() or tests or coaching.exists() or discipline.exists()):
        return None
    return {
        "card": card,
        "to_ack": to_ack[:5],
        "tests": tests[:3],
        "coaching": coaching[:3],
        "discipline": discipline[:5],
    }


def register() -> None:
    register_panel(
        "quality.inspector",
        title=_("My evaluations to do"),
        template="quality/panels/_inspector.html",
        context=inspector_context,
        roles={"qa_inspector", "quality_supervisor"},
        order=5,
        wide=True,
    )
    register_panel(
        "quality.supervisor",
        title=_("Quality: decisions waiting"),
        template="quality/panels/_supervisor.html",
        context=supervisor_context,
        roles=QUALITY_LEAD,
        order=6,
        wide=True,
    )
    register_panel(
        "quality.statistician",
        title=_("Agent figures to sign"),
        template="quality/panels/_statistician.html",
        context=statistician_context,
        roles={"statistician"},
        order=6,
    )
    register_panel(
        "quality.trainer",
        title=_("Skills tests"),
        template="quality/panels/_trainer.html",
        context=trainer_context,
        roles={"trainer"},
        order=6,
    )
    register_panel(
        "quality.team",
        title=_("My team's quality"),
        template="quality/panels/_team.html",
        context=team_context,
        roles=MANAGERS | {"center_director", "operations_supervisor"},
        order=12,
    )
    register_panel(
        "quality.mine",
        title=_("My quality"),
        template="quality/panels/_mine.html",
        context=my_context,
        roles={"agent"},
        order=4,
        wide=True,
    )
    section = _("Quality")
    entries = [
        (_("My quality"), "quality:my_quality", None),
        (_("Evaluations"), "quality:evaluation_list", "quality.view_evaluation"),
        (_("QA plans"), "quality:qaplan_list", "quality.view_qaplan"),
        (_("QA scores"), "quality:qa_scores", "quality.add_evaluation"),
        (_("Calls"), "quality:callrecord_list", "quality.add_evaluation"),
        (_("Disputes"), "quality:evaluationdispute_list", "quality.change_evaluationdispute"),
        (_("Coaching"), "quality:coachingsession_list", "quality.view_coachingsession"),
        (_("Calibration"), "quality:calibrationsession_list", "quality.view_calibrationsession"),
        (_("Evaluation forms"), "quality:evaluationform_list", "quality.view_evaluationform"),
        (_("Complaints"), "quality:complaint_list", "quality.view_complaint"),
        (
            _("Complaint summaries"),
            "quality:complaintsummary_list",
            "quality.view_complaintsummary",
        ),
        (
            _("Satisfaction scores"),
            "quality:satisfactionimport_list",
            "quality.view_satisfactionimport",
        ),
        (_("Skills tests"), "quality:skillstest_list", "quality.view_skillstest"),
        (_("Test attempts"), "quality:testattempt_list", "quality.change_testattempt"),
        (_("Agent figures"), "quality:agentstatmonth_list", "quality.view_agentstatmonth"),
        (_("KPI rules"), "quality:kpirule_list", "quality.view_kpirule"),
        (_("Discipline"), "quality:disciplinerecord_list", "quality.view_disciplinerecord"),
        (_("Scorecards"), "quality:scorecardmonth_list", "quality.view_scorecardmonth"),
        (_("Quality settings"), "quality:qualitysettings_list", "quality.view_qualitysettings"),
    ]
    for order, (label, name, perm) in enumerate(entries):
        register_menu_item(
            "quality", section, label, name, permission=perm, order=order, section_order=45
        )
