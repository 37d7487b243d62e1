"""Sample quality records for ``ccops demo``: an evaluation form, last month's QA plan with
its evaluations scored and released (one disputed), coaching, a closed and an open
calibration, complaints and satisfaction scores, the quarter's skills test, last month's
agent figures (derived and signed), discipline records, and last month's scorecards
(released). This month's plan is drawn so that the inspector has calls to score.

Text people read is bilingual, Chinese then English, as the demo's calendar names are.
Idempotent: nothing is added when the site already has an evaluation form.
"""

from __future__ import annotations

import contextlib
import datetime as dt

import numpy as np
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ccops.core import audit
from ccops.core.demotext import bi, bi_all
from ccops.core.models import Site
from ccops.core.services import record_create
from ccops.people.models import Employee
from ccops.quality.models import (
    Evaluation,
    EvaluationForm,
    KPIRule,
    SkillsTest,
    SkillsTestQuestion,
    TestAnswer,
    TestAttempt,
)
from ccops.quality.services import calibration as cal
from ccops.quality.services import complaints as cpl
from ccops.quality.services import discipline as dis
from ccops.quality.services import evaluations as ev
from ccops.quality.services import forms as fs
from ccops.quality.services import scorecards as sc
from ccops.quality.services import skills as sk
from ccops.quality.services import stats as st
from ccops.quality.services.common import month_start, quarter_of
from ccops.shiftops.models import HandoverQuestion

FORM = [
    (
        "问候与身份核实 Greeting and verification",
        1.0,
        [
            (
                "按标准问候并报工号 Greets with the standard greeting and agent number",
                "yes_no",
                1,
                {},
            ),
            (
                "核实客户身份后才谈账户 Verifies the caller before any account detail",
                "yes_no",
                2,
                {"critical": True},
            ),
        ],
    ),
    (
        "业务处理 Handling the request",
        2.0,
        [
            ("准确理解客户诉求 Understands the request correctly", "scale", 4, {}),
            ("答复准确完整 Answer correct and complete", "scale", 4, {"critical": True}),
            (
                "未泄露客户信息 No customer data disclosed to a third party",
                "yes_no",
                2,
                {"fatal": "form", "allow_na": False},
            ),
        ],
    ),
    (
        "服务态度 Manner",
        1.0,
        [
            ("语气友好耐心 Friendly and patient tone", "scale", 3, {}),
            (
                "结束前确认问题已解决 Confirms the problem is solved before closing",
                "yes_no",
                1,
                {},
            ),
            ("主动推荐合适产品 Offers a suitable product", "yes_no", 1, {"bonus": True}),
        ],
    ),
]

BANK = [
    (
        "信用卡 Cards",
        "哪种卡免年费？Which card has no annual fee?",
        "single",
        [("金卡 Gold", False), ("普卡 Classic", True), ("白金卡 Platinum", False)],
        None,
    ),
    (
        "信用卡 Cards",
        "哪些是借记卡？Which of these are debit cards?",
        "multiple",
        [("普卡 Classic", True), ("金卡 Gold", False), ("青春卡 Young", True)],
        None,
    ),
    (
        "信用卡 Cards",
        "挂失后旧卡立即失效。A reported card stops working at once.",
        "true_false",
        [],
        True,
    ),
    (
        "反欺诈 Fraud",
        "电话中可以询问客户密码。An agent may ask for the PIN on the phone.",
        "true_false",
        [],
        False,
    ),
    (
        "反欺诈 Fraud",
        "客户称卡被盗，第一步做什么？A caller reports a stolen card: what first?",
        "short",
        [],
        None,
    ),
    (
        "反欺诈 Fraud",
        "可疑转账应转给哪个团队？Where does a suspicious transfer go?",
        "single",
        [
            ("风控团队 Risk team", True),
            ("技术支持 IT support", False),
            ("柜台 Branch", False),
        ],
        None,
    ),
]


def _answers(version, rng, *, quality: float) -> dict:
    """Random but plausible answers: ``quality`` is the agent's skill (0..1)."""
    out = {}
    for q in version.questions():
        if q.kind == "yes_no":
            chance = 0.995 if q.fatal else (0.35 if q.bonus else 0.6 + 0.38 * quality)
            out[q.pk] = {"value": 1 if rng.random() < chance else 0}
        else:
            value = q.scale_max - rng.binomial(q.scale_max - q.scale_min, 0.5 * (1 - quality))
            out[q.pk] = {"value": value}
    return out


def _build_form(site: Site, actor) -> EvaluationForm:
    form = fs.evaluation_form_create(
        name=bi("来电服务质检表 Inbound call evaluation"),
        site=site,
        actor=actor,
        description=bi(
            "所有队列通用 For every queue; critical and fatal questions per the manual."
        ),
    )
    version = form.current_version
    for order, (title, weight, questions) in enumerate(bi_all(FORM), 1):
        section = fs.form_section_add(
            version=version, title=title, weight=weight, order=order, actor=actor
        )
        for k, (text, kind, points, extra) in enumerate(questions, 1):
            scale = {"scale_min": 1, "scale_max": 5} if kind == "scale" else {}
            fs.form_question_add(
                section=section,
                text=text,
                kind=kind,
                points=points,
                order=k,
                actor=actor,
                **scale,
                **extra,
            )
    return form


def _bank(trainer) -> list[HandoverQuestion]:
    rows = []
    with audit.acting_as(trainer, via=audit.VIA_CLI), audit.action("demo_build"):
        for topic, text, kind, options, true in bi_all(BANK):
            q = HandoverQuestion(
                topic=topic,
                text=text,
                kind=kind,
                answer_true=true,
                points=2 if kind == "short" else 1,
                options=[{"text": t, "correct": c} for t, c in options],
                for_handovers=kind == "short",
                expected_answer=bi("先冻结卡片再登记 Block the card, then log the report")
                if kind == "short"
                else "",
            )
            q.full_clean()
            q.save()
            rows.append(q)
    return rows


def _past_test(site, trainer, month, agents, rng):
    """Last month's quarterly test, taken and marked (attempts as the agents left them)."""
    year, quarter = quarter_of(month)
    zone = site.zone
    opens = dt.datetime.combine(month + dt.timedelta(days=9), dt.time(9), tzinfo=zone)
    test = sk.skills_test_create(
        site=site,
        title=bi(f"{year}年第{quarter}季度业务技能测试 Business skills test {year} Q{quarter}"),
        year=year,
        quarter=quarter,
        opens_at=opens,
        closes_at=opens + dt.timedelta(days=5),
        time_limit_minutes=20,
        actor=trainer,
    )
    topics = {}
    for q in HandoverQuestion.objects.filter(for_tests=True):
        topics[q.topic] = topics.get(q.topic, 0) + 1
    sk.skills_test_assemble(
        test=test, per_topic={t: min(n, 3) for t, n in topics.items()}, seed=3, actor=trainer
    )
    SkillsTest.objects.filter(pk=test.pk).update(status="closed")
    questions = list(SkillsTestQuestion.objects.filter(test=test))
    total = sum(q.points for q in questions)
    with audit.acting_as(trainer, via=audit.VIA_CLI), audit.action("demo_build"):
        for i, agent in enumerate(agents):
            start = opens + dt.timedelta(hours=2 + i)
            attempt = TestAttempt.objects.create(
                test=test,
                employee=agent,
                started_at=start,
                deadline=start + dt.timedelta(minutes=20),
                submitted_at=start + dt.timedelta(minutes=12 + i % 7),
                status="marked",
                max_points=total,
                marked_at=start + dt.timedelta(days=1),
            )
            points = 0.0
            for q in questions:
                right = rng.random() < 0.55 + 0.4 * ((i * 37) % 10) / 10
                got = float(q.points if right else 0)
                if q.kind == "short":
                    got = float(q.points) if right else 1.0
                points += got
                TestAnswer.objects.create(
                    attempt=attempt,
                    test_question=q,
                    points=got,
                    choices=[i for i, o in enumerate(q.options) if o.get("correct") == right][:1]
                    if q.kind == "single"
                    else [],
                    answer_true=(q.answer_true if right else not q.answer_true)
                    if q.kind == "true_false"
                    else None,
                    text=bi("先冻结卡片 Block the card") if q.kind == "short" else "",
                )
            TestAttempt.objects.filter(pk=attempt.pk).update(
                points=points, score_percent=round(100 * points / total, 2)
            )
    return test


@transaction.atomic
def build_demo_quality(*, site: Site, today: dt.date | None = None) -> dict | None:
    """Add the sample quality records to ``site``; returns what was added (None when the
    site had them already)."""
    if EvaluationForm.all_objects.filter(site=site).exists():
        return None
    today = today or timezone.localdate()
    users = {u.username: u for u in get_user_model().objects.all()}
    people = {u: Employee.objects.filter(user=users[u]).first() for u in users}
    lead, inspector = users["quality_supervisor"], users["qa_inspector"]
    statistician, trainer = users["statistician"], users["trainer"]
    rng = np.random.default_rng(7)
    this_month = month_start(today)
    last_month = month_start(this_month - dt.timedelta(days=1))
    form = _build_form(site, lead)
    version = form.current_version
    with audit.acting_as(lead, via=audit.VIA_CLI):
        for kpi, better, thresholds, points in (
            ("aht_seconds", "lower", [200, 260, 320], [10, 7, 4]),
            ("calls_handled", "higher", [150, 300, 450], [4, 7, 10]),
            ("csat", "higher", [3.5, 4.0, 4.5], [4, 7, 10]),
        ):
            record_create(
                KPIRule,
                data={
                    "site": site,
                    "kpi": kpi,
                    "better": better,
                    "thresholds": thresholds,
                    "points": points,
                },
                actor=lead,
            )
    agents = list(sc.scorecard_agents(site))
    skill = {a.pk: 0.35 + 0.6 * ((a.pk * 7919) % 100) / 100 for a in agents}
    inspectors = [e for e in (people.get("qa_inspector"), people.get("quality_supervisor")) if e]
    # Last month: drawn, scored and released (a month of evaluations).
    plan = ev.qa_plan_create(
        site=site,
        month=last_month,
        name=bi(f"{last_month:%Y-%m} 质检计划 QA plan"),
        quota_per_agent=3,
        inspectors=inspectors,
        seed=2026,
        actor=lead,
    )
    evaluations = 0
    try:
        ev.qa_plan_draw(plan=plan, actor=lead, today=last_month)
    except ValidationError:  # no call matched (a tiny demo): no evaluations this month
        plan = None
    if plan is not None:
        for e in plan.evaluations.select_related("inspector__user"):
            actor = e.inspector.user or lead
            note = bi("语气好，核实身份要更早 Good tone; verify the caller earlier.")
            ev.evaluation_score(
                evaluation=e,
                answers=_answers(version, rng, quality=skill.get(e.agent_id, 0.6)),
                coaching_note=note,
                release=True,
                actor=actor,
            )
            evaluations += 1
        Evaluation.objects.filter(plan=plan).update(
            dispute_until=timezone.now() + dt.timedelta(days=5)
        )
        agent = people.get("agent")
        mine = Evaluation.objects.filter(plan=plan, agent=agent).order_by("score").first()
        if mine is not None:
            q = version.questions().filter(critical=True).first()
            ev.dispute_raise(
                evaluation=mine,
                questions=[q],
                reason=bi("我在通话开始时已核实身份（01:10）。I verified the caller at 01:10."),
                actor=users["agent"],
            )
            ev.coaching_plan(
                agent=agent,
                topic=bi("身份核实 Verifying the caller"),
                evaluation=mine,
                planned_for=today + dt.timedelta(days=2),
                actor=users["group_manager"],
            )
    # This month's plan, drawn: the inspector's to-do list.
    current = ev.qa_plan_create(
        site=site,
        month=this_month,
        name=bi(f"{this_month:%Y-%m} 质检计划 QA plan"),
        quota_per_agent=2,
        inspectors=inspectors,
        seed=2027,
        actor=lead,
    )
    with contextlib.suppress(ValidationError):  # no calls this month yet
        ev.qa_plan_draw(plan=current, actor=lead, today=today)
    # Calibration: one closed (results and alpha), one open for the inspector.
    calibrators = [
        p
        for p in (people.get("qa_inspector"), people.get("group_manager"), people.get("trainer"))
        if p
    ]
    call = Evaluation.objects.filter(plan__month=last_month).first()
    ref = call.call_reference if call else "D0000001"
    closed = cal.calibration_create(
        site=site,
        title=bi(f"{last_month:%Y-%m} 校准会 Calibration"),
        form_version=version,
        call_reference=ref,
        participants=calibrators,
        expert=people["quality_supervisor"],
        due_date=last_month + dt.timedelta(days=20),
        actor=lead,
    )
    for k, person in enumerate(calibrators):
        cal.calibration_submit(
            session=closed, answers=_answers(version, rng, quality=0.5 + 0.2 * k), actor=person.user
        )
    cal.calibration_submit(
        session=closed, answers=_answers(version, rng, quality=0.9), reference=True, actor=lead
    )
    cal.calibration_close(session=closed, actor=lead)
    cal.calibration_create(
        site=site,
        title=bi(f"{this_month:%Y-%m} 校准会 Calibration"),
        form_version=version,
        call_reference=ref,
        participants=calibrators,
        expert=people["quality_supervisor"],
        due_date=today + dt.timedelta(days=5),
        actor=lead,
    )
    # Complaints and satisfaction.
    agent = people.get("agent")
    calls = list(
        Evaluation.objects.filter(plan__month=last_month).values_list("call_reference", flat=True)[
            :40
        ]
    )
    c = cpl.complaint_register(
        site=site,
        received_on=last_month + dt.timedelta(days=11),
        channel="phone",
        category="attitude",
        description=bi("客户称坐席不耐烦 The caller found the agent impatient."),
        call_reference=calls[0] if calls else "",
        actor=inspector,
    )
    cpl.complaint_investigate(complaint=c, investigator=people["qa_inspector"], actor=lead)
    cpl.complaint_close(
        complaint=c,
        outcome="substantiated",
        actor=inspector,
        findings=bi("录音确认语气生硬 The recording confirms a curt tone."),
    )
    c2 = cpl.complaint_register(
        site=site,
        received_on=last_month + dt.timedelta(days=18),
        channel="email",
        category="waiting",
        description=bi("等待时间太长 Waited too long."),
        actor=inspector,
    )
    cpl.complaint_investigate(complaint=c2, investigator=people["qa_inspector"], actor=lead)
    cpl.complaint_close(
        complaint=c2,
        outcome="unsubstantiated",
        actor=inspector,
        findings=bi("等待时间在服务水平内 The wait was within the service level."),
    )
    cpl.complaint_register(
        site=site,
        received_on=today,
        channel="web",
        category="wrong_information",
        description=bi("费用说明有误 The fee explained was wrong."),
        agent=agent,
        actor=inspector,
    )
    if calls:
        lines = ["call_reference,score"] + [f"{r},{rng.integers(3, 6)}" for r in calls]
        cpl.satisfaction_import(
            site=site,
            filename=bi("满意度 satisfaction.csv"),
            content=("\n".join(lines) + "\n").encode(),
            actor=statistician,
        )
    # The question bank's test questions, last month's quarter's test, and an open one.
    _bank(trainer)
    _past_test(site, trainer, last_month, agents, rng)
    if quarter_of(today) != quarter_of(last_month):
        year, quarter = quarter_of(today)
        opens = timezone.now() - dt.timedelta(hours=1)
        open_test = sk.skills_test_create(
            site=site,
            title=bi(f"{year}年第{quarter}季度业务技能测试 Business skills test {year} Q{quarter}"),
            year=year,
            quarter=quarter,
            opens_at=opens,
            closes_at=opens + dt.timedelta(days=10),
            time_limit_minutes=20,
            actor=trainer,
        )
        sk.skills_test_assemble(
            test=open_test,
            per_topic={bi("信用卡 Cards"): 2, bi("反欺诈 Fraud"): 2},
            seed=5,
            actor=trainer,
        )
        sk.skills_test_publish(test=open_test, actor=trainer)
    # Last month's figures (derived and signed), discipline, and the scorecards (released).
    try:
        period = st.agent_stats_derive(site=site, month=last_month, actor=statistician)
        st.agent_stats_sign(period=period, actor=statistician)
    except ValidationError:
        period = None
    dis.discipline_derive(site=site, month=last_month, actor=lead)
    if agents:
        dis.discipline_record(
            site=site,
            employee=agents[min(3, len(agents) - 1)],
            occurred_on=last_month + dt.timedelta(days=6),
            kind="confidentiality",
            points=5,
            actor=users["group_manager"],
            description=bi(
                "在工位大声复述客户卡号 Read a customer's card number aloud at the desk."
            ),
        )
    if agent is not None:
        dis.discipline_record(
            site=site,
            employee=agent,
            occurred_on=last_month + dt.timedelta(days=15),
            kind="lateness",
            description=bi("迟到 12 分钟 12 minutes late"),
            actor=users["group_manager"],
        )
    sheet = sc.scorecard_compute(site=site, month=last_month, actor=lead)
    sc.scorecard_release(sheet=sheet, actor=lead)
    return {
        "evaluations": evaluations,
        "scorecards": sc.current_scorecards(sheet).count(),
        "month": last_month,
        "stats_signed": period is not None,
    }
