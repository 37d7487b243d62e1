"""Sample shift operations for ``ccops demo``: shift-change times, the checklist template,
a question bank, yesterday's signed handover with its duty diary, a briefing. Idempotent:
nothing is added when the site already has handovers."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction

from ccops.core import audit
from ccops.core.models import Site
from ccops.people.models import Employee
from ccops.shiftops import services
from ccops.shiftops.models import ChecklistItemTemplate, Handover, HandoverQuestion, HandoverTime

CHECKLIST = [
    ("equipment", "Headsets and telephones of every seat work"),
    ("seats", "Seats assigned; spare seats free and clean"),
    ("systems", "CRM, ACD and knowledge base running; no open outage"),
    ("terminals", "Terminals logged off or locked; nothing left on screens"),
    ("hygiene", "Desks and shared spaces clean"),
    ("open_problems", "Open problems handed over with their owner"),
    ("difficult_cases", "Difficult cases and promised call-backs handed over"),
]
QUESTIONS = [
    ("Cards", "A caller reports a stolen card at night: what do you do first?", "Block it"),
    ("Systems", "The CRM is down: where do you record calls meanwhile?", "Paper log"),
    ("Escalation", "Who decides on a complaint above the refund limit?", "Duty lead"),
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
        for hour, name in ((8, "Morning shift change"), (16, "Afternoon shift change")):
            HandoverTime.objects.create(site=site, time=dt.time(hour), name=name)
        for order, (category, text) in enumerate(CHECKLIST, 1):
            ChecklistItemTemplate.objects.create(category=category, text=text, order=order)
        questions = [
            HandoverQuestion.objects.create(topic=topic, text=text, expected_answer=answer)
            for topic, text, answer in QUESTIONS
        ]
    when = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(16), tzinfo=site.zone)
    services.diary_entry_write(
        site=site,
        time=when - dt.timedelta(hours=3),
        category="systems",
        text="CRM slow 13:05-13:20; calls logged on paper and entered afterwards.",
        actor=users["group_manager"],
    )
    handover = services.handover_open(
        site=site,
        handover_at=when,
        outgoing_lead=outgoing,
        incoming_lead=incoming,
        notes="Queue backlog cleared by 15:30. One complaint promised a call-back before 18:00.",
        actor=supervisor,
    )
    for check in handover.checks.all():
        problem = check.category == "equipment"
        services.handover_check_set(
            check=check,
            status="problem" if problem else "ok",
            note="Headset of seat 14 crackles; spare issued." if problem else "",
            actor=users["group_manager"],
        )
    answer = services.handover_question_ask(
        handover=handover, question=questions[0], asked_to=incoming, actor=users["group_manager"]
    )
    services.handover_answer_record(
        answer=answer,
        text="Block the card, then file the report",
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
        topics="New card fee schedule; billing period starts Monday.",
        problems_raised="Headset of seat 14 crackles.",
        questions_asked="Do the new fees apply to existing cards?",
        actor=users["group_manager"],
    )
    return 1
