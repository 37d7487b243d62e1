"""Sample meetings for ``ccops demo``: last week's quality meeting with action items (one
overdue), this week's, and an experience exchange with lessons. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction

from ccops.core.demotext import t
from ccops.core.models import Site
from ccops.meetings import services
from ccops.meetings.models import Meeting
from ccops.people.models import Employee


@transaction.atomic
def build_demo_meetings(*, site: Site, today: dt.date) -> int:
    """Add the sample meetings to ``site``; returns the meetings added."""
    if Meeting.all_objects.filter(site=site).exists():
        return 0
    users = {u.username: u for u in get_user_model().objects.all()}
    people = {
        name: Employee.objects.get(user=users[name])
        for name in users
        if name
        in {
            "quality_supervisor",
            "operations_supervisor",
            "group_manager",
            "area_manager",
            "agent",
            "trainer",
            "qa_inspector",
        }
    }
    chair = users["quality_supervisor"]

    def at(days_ago: int, hour: int) -> dt.datetime:
        day = today - dt.timedelta(days=days_ago)
        return dt.datetime.combine(day, dt.time(hour), tzinfo=site.zone)

    last_week = services.meeting_schedule(
        site=site,
        kind="weekly_quality",
        title=t("Weekly quality meeting", "每周质量例会"),
        starts_at=at(7, 10),
        chair=people["quality_supervisor"],
        attendees=[people["qa_inspector"], people["group_manager"], people["area_manager"]],
        agenda=t(
            "QA scores of the week\nRepeat calls about card fees\nHeadset replacements",
            "本周质检得分\n卡费重复来电\n更换耳机",
        ),
        actor=chair,
    )
    services.meeting_update(
        meeting=last_week,
        minutes=t(
            "Scores 2 points up. Repeat calls on card fees doubled.",
            "得分上升 2 分。卡费相关的重复来电翻倍。",
        ),
        decisions=t(
            "Script update for card fees; replace faulty headsets.",
            "更新卡费话术；更换故障耳机。",
        ),
        actor=chair,
    )
    services.action_item_assign(
        meeting=last_week,
        title=t("Update the card-fee script", "更新卡费话术"),
        owner=people["trainer"],
        due_date=today - dt.timedelta(days=2),
        actor=chair,
    )
    headsets = services.action_item_assign(
        meeting=last_week,
        title=t("Replace the faulty headsets", "更换故障耳机"),
        owner=people["group_manager"],
        due_date=today + dt.timedelta(days=5),
        actor=chair,
    )
    services.action_item_report_progress(
        item=headsets,
        text=t("Six of ten replaced.", "十个已换六个。"),
        actor=users["group_manager"],
    )
    services.meeting_schedule(
        site=site,
        kind="weekly_quality",
        title=t("Weekly quality meeting", "每周质量例会"),
        starts_at=at(0, 10),
        chair=people["quality_supervisor"],
        attendees=[people["qa_inspector"], people["group_manager"]],
        agenda=t(
            "Follow-up of last week's actions\nQA scores of the week",
            "跟进上周的行动项\n本周质检得分",
        ),
        actor=chair,
    )
    exchange = services.experience_exchange_record(
        site=site,
        held_on=today - dt.timedelta(days=90),
        topic=t("Handling angry callers", "如何应对情绪激动的客户"),
        summary=t(
            "Three senior agents shared how they calm callers down.",
            "三位资深座席分享了安抚客户情绪的做法。",
        ),
        participants=[people["agent"], people["group_manager"], people["trainer"]],
        actor=users["trainer"],
    )
    services.experience_lesson_add(
        exchange=exchange,
        text=t("Let the caller finish before answering.", "先让客户说完再回答。"),
        for_service_manual=True,
        actor=users["trainer"],
    )
    services.experience_lesson_add(
        exchange=exchange,
        text=t(
            "Offer a call-back with a time, not a vague promise.",
            "承诺回电要给出具体时间，不要含糊其辞。",
        ),
        for_service_manual=True,
        actor=users["trainer"],
    )
    return 2
