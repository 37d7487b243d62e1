"""Sample process register and improvement projects for ``ccops demo``: four processes
(one operational change in review), a project measuring lunch-time service level from the
demo's interval statistics at step 2, one implementing a countermeasure (an action item of
the demo's quality meeting) and one completed and standardised. Bilingual texts.
Idempotent: nothing is added when processes exist."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ccops.core.demotext import bi, bi_all
from ccops.core.models import Queue, Site
from ccops.meetings import services as meetings
from ccops.meetings.models import Meeting
from ccops.people.models import Employee
from ccops.processes import services
from ccops.processes.models import Process
from ccops.wfm.models import IntervalStat

PROCESSES = [
    (
        "OP-01",
        "挂失来电处理 Lost-card calls",
        "operational",
        "group_manager",
        "1. 核实来电人身份 Verify the caller.\n2. 立即冻结卡片 Block the card at once.\n"
        "3. 告知补卡方式 Explain how to get a new card.\n4. 记录工单 Log the ticket.",
    ),
    (
        "WEB-01",
        "网上客服应答 Web chat answering",
        "web",
        "general_supervisor",
        "1. 30秒内接起 Pick up within 30 s.\n2. 使用标准问候语 Standard greeting.\n"
        "3. 复杂问题转电话 Hand complex cases to the phone line.",
    ),
    (
        "CMP-01",
        "投诉处理 Complaint handling",
        "complaints",
        "quality_supervisor",
        "1. 登记投诉 Register the complaint.\n2. 24小时内回访 Call back within 24 h.\n"
        "3. 超限额由值班长决定 Above the refund limit the duty lead decides.",
    ),
    (
        "APT-01",
        "预约回访 Appointment call-backs",
        "appointments",
        "operations_supervisor",
        "1. 与客户约定时间 Agree a time.\n2. 准时回电 Call back on time.",
    ),
]


def _lunch_service_level(queue: Queue):
    """A past week of the demo queue's interval statistics (or None)."""
    last = IntervalStat.objects.filter(queue=queue).order_by("-interval_start").first()
    if last is None:
        return None
    end = timezone.localdate(last.interval_start, queue.site.zone)
    return end - dt.timedelta(days=13), end - dt.timedelta(days=7), end - dt.timedelta(days=6), end


@transaction.atomic
def build_demo_processes(*, site: Site, today: dt.date) -> int:
    """Add the sample processes and projects; returns the processes added."""
    if Process.all_objects.exists():
        return 0
    users = {u.username: u for u in get_user_model().objects.all()}
    people = {e.user.username: e for e in Employee.objects.filter(user__isnull=False, site=site)}
    ops, gs = users["operations_supervisor"], users["general_supervisor"]
    made = {}
    for code, name, category, owner, text in bi_all(PROCESSES):
        author = gs if category == "operational" else ops
        process = services.process_register(
            code=code,
            name=name,
            category=category,
            owner=people[owner],
            description=text,
            effective_from=today - dt.timedelta(days=120),
            actor=author,
        )
        made[code] = process
        version = process.versions.get()
        if code == "APT-01":
            continue  # still a draft
        services.version_submit(version=version, actor=author)
        reviewer = ops if category == "operational" else gs
        services.version_review(
            version=version, approve=True, note=bi("符合手册 As the manual says"), actor=reviewer
        )
    change = services.version_draft(
        process=made["OP-01"],
        description=made["OP-01"].version_in_effect().description
        + bi("\n5. 短信确认冻结 Confirm the block by SMS."),
        change_summary=bi("增加短信确认 Add an SMS confirmation of the block"),
        effective_from=today + dt.timedelta(days=7),
        actor=users["group_manager"],
    )
    services.version_submit(version=change, actor=users["group_manager"])

    gm = users["group_manager"]
    queue = Queue.objects.filter(site=site, interval_stats__isnull=False).distinct().first()
    # a project at step 2, its baseline measured from the interval statistics
    lunch = services.project_start(
        process=made["OP-01"],
        title=bi("午间放弃率降低 Fewer abandoned calls at lunch"),
        lead=people["group_manager"],
        members=[people["agent"], people["qa_inspector"]],
        problem=bi("午间12:00–13:30放弃率翻倍 Abandonment doubles between 12:00 and 13:30"),
        goal=bi("午间服务水平达到80% Lunch-time service level of 80 %"),
        actor=gm,
    )
    period = _lunch_service_level(queue) if queue else None
    data = {
        "metric": bi("服务水平 Service level"),
        "metric_unit": "%",
        "higher_is_better": True,
        "target_value": 80.0,
    }
    if period:
        data.update(
            queue=queue, stat_metric="service_level", baseline_from=period[0], baseline_to=period[1]
        )
    services.project_update(project=lunch, actor=gm, **data)
    lunch.refresh_from_db()
    try:
        lunch = (
            services.project_measure(project=lunch, which="baseline", actor=gm) if period else lunch
        )
    except ValidationError:
        period = None
    if not period or lunch.baseline_value is None:
        lunch = services.project_update(
            project=lunch,
            baseline_value=68.0,
            baseline_from=today - dt.timedelta(days=14),
            baseline_to=today - dt.timedelta(days=8),
            baseline_source=bi("ACD 日报 ACD daily report"),
            actor=gm,
        )
    lunch = services.project_advance(project=lunch, actor=gm)
    services.project_update(
        project=lunch,
        cause_analysis=(
            bi(
                "午休集中在12:00开始，坐席不足 "
                "Lunch breaks all start at 12:00, leaving too few agents"
            )
        ),
        actor=gm,
    )
    if period:
        services.evidence_add_statistics(
            project=lunch,
            queue=queue,
            period_from=period[0],
            period_to=period[1],
            note=bi("午间服务水平偏低 Low service level at lunch"),
            actor=gm,
        )

    # a project implementing its countermeasure (an action item of the quality meeting)
    meeting = Meeting.objects.filter(site=site).order_by("-starts_at").first()
    web = services.project_start(
        process=made["WEB-01"],
        title=bi("网聊首次响应提速 Faster first answer in web chat"),
        lead=people["general_supervisor"],
        members=[people["agent"]],
        problem=bi("首次响应平均55秒 First answer takes 55 s on average"),
        goal=bi("30秒内 Within 30 s"),
        actor=gs,
    )
    services.project_update(
        project=web,
        metric=bi("首次响应时间 First answer time"),
        metric_unit="s",
        higher_is_better=False,
        baseline_value=55.0,
        baseline_from=today - dt.timedelta(days=40),
        baseline_to=today - dt.timedelta(days=33),
        baseline_source=bi("网聊平台报表 Chat platform report"),
        target_value=30.0,
        actor=gs,
    )
    web = services.project_advance(project=web, actor=gs)
    services.project_update(
        project=web, cause_analysis=bi("缺少快捷回复模板 No quick-reply templates"), actor=gs
    )
    if meeting:
        services.evidence_add_record(
            project=web,
            kind="other",
            content_type="meetings.meeting",
            object_id=meeting.pk,
            note=bi("周会讨论了网聊等待 The weekly meeting discussed chat waits"),
            actor=gs,
        )
        web = services.project_advance(project=web, actor=gs)
        services.countermeasure_add(
            project=web,
            cause=bi("缺少快捷回复模板 No quick-reply templates"),
            meeting=meeting,
            title=bi("编写20条快捷回复 Write 20 quick replies"),
            owner=people["agent"],
            due_date=today + dt.timedelta(days=4),
            actor=gs,
        )
        web = services.project_advance(project=web, actor=gs)

    # a completed project, standardised into the complaints process
    done = services.project_start(
        process=made["CMP-01"],
        title=bi("投诉24小时回访 Call back every complaint within 24 hours"),
        lead=people["quality_supervisor"],
        members=[people["qa_inspector"]],
        problem=bi("回访超时 Call-backs were late"),
        goal=bi("95%在24小时内 95 % within 24 h"),
        actor=users["quality_supervisor"],
    )
    qs = users["quality_supervisor"]
    services.project_update(
        project=done,
        metric=bi("24小时内回访率 Called back within 24 h"),
        metric_unit="%",
        baseline_value=71.0,
        baseline_from=today - dt.timedelta(days=100),
        baseline_to=today - dt.timedelta(days=70),
        baseline_source=bi("投诉台账 Complaint log"),
        target_value=95.0,
        actor=qs,
    )
    done = services.project_advance(project=done, actor=qs)
    services.project_update(
        project=done, cause_analysis=bi("回访无人跟踪 Nobody followed the call-backs"), actor=qs
    )
    if meeting:
        services.evidence_add_record(
            project=done,
            kind="complaint",
            content_type="meetings.meeting",
            object_id=meeting.pk,
            note=bi("周会记录的逾期回访 Late call-backs in the weekly minutes"),
            actor=qs,
        )
        done = services.project_advance(project=done, actor=qs)
        measure = services.countermeasure_add(
            project=done,
            cause=bi("回访无人跟踪 Nobody followed the call-backs"),
            meeting=meeting,
            title=bi("值班长每日核对回访 Duty lead checks call-backs daily"),
            owner=people["qa_inspector"],
            due_date=today - dt.timedelta(days=30),
            actor=qs,
        )
        done = services.project_advance(project=done, actor=qs)
        item = measure.action_item
        meetings.action_item_report_progress(
            item=item, text=bi("已执行 In place"), done=True, actor=users["qa_inspector"]
        )
        item.refresh_from_db()
        meetings.action_item_close(item=item, outcome="done", actor=qs)
        services.project_update(
            project=done,
            implementation_notes=(
                bi("每日交班核对回访清单 The call-back list is checked at every handover")
            ),
            implemented_on=today - dt.timedelta(days=45),
            actor=qs,
        )
        done = services.project_advance(project=done, actor=qs)
        services.project_update(
            project=done,
            result_value=96.5,
            result_from=today - dt.timedelta(days=30),
            result_to=today - dt.timedelta(days=2),
            result_source=bi("投诉台账 Complaint log"),
            evaluation=bi("回访率由71%升至96.5% Call-backs within 24 h rose from 71 % to 96.5 %"),
            actor=qs,
        )
        done = services.project_advance(project=done, actor=qs)
        version = services.standardisation_draft_version(
            project=done,
            description=made["CMP-01"].version_in_effect().description
            + bi("\n4. 值班长每日核对回访清单 The duty lead checks the call-back list daily."),
            change_summary=bi("项目标准化 Standardised from the project"),
            effective_from=today,
            actor=qs,
        )
        services.version_submit(version=version, actor=qs)
        services.version_review(version=version, approve=True, note=bi("采纳 Adopted"), actor=gs)
        services.project_update(
            project=done,
            standardisation_note=(
                bi("回访核对写入投诉流程第4步 The check is step 4 of the complaints process")
            ),
            actor=qs,
        )
        services.project_advance(project=done, actor=qs)
    return len(made)
