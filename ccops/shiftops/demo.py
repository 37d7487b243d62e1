"""Sample shift operations for ``ccops demo``: shift-change times, the checklist template,
a question bank, yesterday's signed handover with its duty diary, a briefing. Idempotent:
nothing is added when the site already has handovers."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction

from ccops.core import audit
from ccops.core.demotext import t
from ccops.core.models import Site
from ccops.people.models import Employee
from ccops.shiftops import services
from ccops.shiftops.models import ChecklistItemTemplate, Handover, HandoverQuestion, HandoverTime

#: Texts in pairs (English, Chinese): the demo is built in one language (ccops.core.demotext).
CHECKLIST = [
    ("equipment", "Headsets and telephones of every seat work", "每个座席的耳机和电话正常"),
    ("seats", "Seats assigned; spare seats free and clean", "座席已分配，备用座席空闲整洁"),
    (
        "systems",
        "CRM, ACD and knowledge base running; no open outage",
        "CRM、ACD 和知识库运行正常，无未解决的故障",
    ),
    (
        "terminals",
        "Terminals logged off or locked; nothing left on screens",
        "终端已注销或锁屏，屏幕上无遗留信息",
    ),
    ("hygiene", "Desks and shared spaces clean", "桌面和公共区域整洁"),
    (
        "open_problems",
        "Open problems handed over with their owner",
        "未解决问题已连同负责人一起交接",
    ),
    (
        "difficult_cases",
        "Difficult cases and promised call-backs handed over",
        "疑难案例和承诺的回电已交接",
    ),
]
QUESTIONS = [
    (
        ("Cards", "卡业务"),
        (
            "A caller reports a stolen card at night: what do you do first?",
            "客户夜间来电报告卡被盗，首先做什么？",
        ),
        ("Block it", "先挂失止付"),
    ),
    (
        ("Systems", "系统"),
        ("The CRM is down: where do you record calls meanwhile?", "CRM 故障时，来电记录在哪里？"),
        ("Paper log", "纸质登记表"),
    ),
    (
        ("Escalation", "升级"),
        ("Who decides on a complaint above the refund limit?", "超过退款限额的投诉由谁决定？"),
        ("Duty lead", "值班长"),
    ),
]


@transaction.atomic
def build_demo_shiftops(*, site: Site, today: dt.date) -> int:
    """Add the sample shift operations to ``site``; returns the handovers added."""
    if Handover.all_objects.filter(site=site).exists():
        return 0
    users = {u.username: u for u in get_user_model().objects.all()}
    supervisor = users["operations_supervisor"]
    outgoing = Employee.objects.get(user=users["group_manager"])
    incoming = Employee.objects.get(user=users["area_manager"])
    with audit.acting_as(supervisor, via=audit.VIA_CLI), audit.action("demo_build"):
        for hour, name in (
            (8, t("Morning shift change", "早班交接")),
            (16, t("Afternoon shift change", "午班交接")),
        ):
            HandoverTime.objects.create(site=site, time=dt.time(hour), name=name)
        for order, (category, english, chinese_text) in enumerate(CHECKLIST, 1):
            ChecklistItemTemplate.objects.create(
                category=category, text=t(english, chinese_text), order=order
            )
        questions = [
            HandoverQuestion.objects.create(
                topic=t(*topic), text=t(*text), expected_answer=t(*answer)
            )
            for topic, text, answer in QUESTIONS
        ]
    when = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(16), tzinfo=site.zone)
    services.diary_entry_write(
        site=site,
        time=when - dt.timedelta(hours=3),
        category="systems",
        text=t(
            "CRM slow 13:05-13:20; calls logged on paper and entered afterwards.",
            "13:05-13:20 CRM 响应慢，来电先记在纸上，之后补录。",
        ),
        actor=users["group_manager"],
    )
    handover = services.handover_open(
        site=site,
        handover_at=when,
        outgoing_lead=outgoing,
        incoming_lead=incoming,
        notes=t(
            "Queue backlog cleared by 15:30. One complaint promised a call-back before 18:00.",
            "15:30 前积压来电已清空。一起投诉已承诺 18:00 前回电。",
        ),
        actor=supervisor,
    )
    for check in handover.checks.all():
        problem = check.category == "equipment"
        services.handover_check_set(
            check=check,
            status="problem" if problem else "ok",
            note=t(
                "Headset of seat 14 crackles; spare issued.", "14 号座席耳机有杂音，已发备用耳机。"
            )
            if problem
            else "",
            actor=users["group_manager"],
        )
    answer = services.handover_question_ask(
        handover=handover, question=questions[0], asked_to=incoming, actor=users["group_manager"]
    )
    services.handover_answer_record(
        answer=answer,
        text=t("Block the card, then file the report", "先挂失止付，再登记报告"),
        correct=True,
        actor=users["group_manager"],
    )
    services.handover_sign(handover=handover, side="outgoing", actor=users["group_manager"])
    services.handover_sign(handover=handover, side="incoming", actor=users["area_manager"])
    services.briefing_record(
        site=site,
        team=outgoing.team,
        kind="pre_shift",
        held_at=when - dt.timedelta(hours=8, minutes=10),
        led_by=outgoing,
        attendees=list(Employee.objects.filter(team=outgoing.team)[:8]),
        topics=t(
            "New card fee schedule; billing period starts Monday.", "新的卡费标准；账单期周一开始。"
        ),
        problems_raised=t("Headset of seat 14 crackles.", "14 号座席耳机有杂音。"),
        questions_asked=t(
            "Do the new fees apply to existing cards?", "新收费标准是否适用于现有的卡？"
        ),
        actor=users["group_manager"],
    )
    return 1
