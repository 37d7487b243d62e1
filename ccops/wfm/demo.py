"""Workforce part of the demo center: imported history, a forecast and a staffing plan per
queue, a shift template set and the current week's site schedule for every queue,
generated, rostered and published.

Idempotent: each step finds what an earlier run made. The schedule solver gets a short time
limit so that ``ccops demo`` stays quick.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ccops.core import audit
from ccops.core.demotext import chinese, t
from ccops.core.models import Queue, Site
from ccops.engine.io.calls import CallRecords
from ccops.wfm.choices import ForecastStatus, ImportKind, ImportStatus, ScheduleStatus
from ccops.wfm.models import (
    CallRecord,
    Forecast,
    ImportBatch,
    IntervalStat,
    Schedule,
    ShiftTemplateSet,
    StaffingPlan,
)

DEMO_TEMPLATES = """\
sets:
  normal:
    - name: early
      start_earliest: "07:30"
      start_latest: "09:00"
      start_step_minutes: 30
      length_minutes: 540
      days: all
      breaks:
        - {name: break, length_minutes: 30, earliest_after_start_minutes: 90,
           latest_after_start_minutes: 150, paid: true}
        - {name: lunch, length_minutes: 60, earliest_after_start_minutes: 210,
           latest_after_start_minutes: 300, paid: false}
    - name: late
      start_earliest: "11:00"
      start_latest: "13:00"
      start_step_minutes: 30
      length_minutes: 540
      days: all
      breaks:
        - {name: break, length_minutes: 30, earliest_after_start_minutes: 90,
           latest_after_start_minutes: 150, paid: true}
        - {name: lunch, length_minutes: 60, earliest_after_start_minutes: 210,
           latest_after_start_minutes: 300, paid: false}
"""
#: The template and break names of the Chinese demo.
DEMO_TEMPLATE_NAMES_ZH = {
    "name: early": "name: 早班",
    "name: late": "name: 晚班",
    "name: break,": "name: 休息,",
    "name: lunch,": "name: 午餐,",
}
TIME_LIMIT_SECONDS = 8.0


def demo_templates() -> str:
    """:data:`DEMO_TEMPLATES` with names in the demo's language."""
    text = DEMO_TEMPLATES
    if chinese():
        for english, chinese_text in DEMO_TEMPLATE_NAMES_ZH.items():
            text = text.replace(english, chinese_text)
    return text


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _demo_agent_can_answer(site: Site, queue: Queue) -> None:
    """The demo ``agent`` login holds the skill of the first queue."""
    from ccops.people.models import Employee, EmployeeSkill, Skill

    agent = Employee.objects.filter(site=site, user__username="agent").first()
    skill = Skill.objects.filter(queue=queue).first()
    if agent is None or skill is None:
        return
    if not EmployeeSkill.objects.filter(employee=agent, skill=skill).exists():
        EmployeeSkill.objects.create(employee=agent, skill=skill, level=3)


#: Days of synthetic per-call records kept as call records (for QA sampling in the demo).
CALL_RECORD_DAYS = 70


def _demo_call_records(site: Site, queues: list[Queue], calls, today: dt.date) -> None:
    """Keep the synthetic calls of the last :data:`CALL_RECORD_DAYS` days as call records."""
    from ccops.wfm.services import imports

    codes = {q.code: q for q in queues}
    since = np.datetime64(today - dt.timedelta(days=CALL_RECORD_DAYS), "s")
    queue = np.array([str(q).lower() for q in calls.queue], dtype=object)
    keep = (calls.arrival >= since) & np.isin(queue, list(codes))
    records = CallRecords(**{**calls.__dict__, "queue": queue}).select(keep)
    ids = np.array([f"D{i:07d}" for i in np.flatnonzero(keep)], dtype=object)
    records = CallRecords(**{**records.__dict__, "call_id": ids})
    batch = ImportBatch.objects.create(
        site=site,
        kind=ImportKind.CALLS,
        preset="synthetic",
        filename=t("demo calls", "演示通话记录"),
        status=ImportStatus.SUCCEEDED,
    )
    report = imports.write_call_records(batch, records, codes)
    ImportBatch.objects.filter(pk=batch.pk).update(report=report, rows_read=len(records))


def build_demo_wfm(
    *,
    site: Site,
    queues: list[Queue],
    history: pd.DataFrame,
    today: dt.date | None = None,
    calls=None,
) -> dict:
    """Add the workforce records to the demo center; returns what was found or made: the
    history as an import, a forecast and a normal-period staffing plan for every queue, a
    template set, and this week's site schedule (every queue, every skilled agent)
    generated and published."""
    from ccops.wfm import services
    from ccops.wfm.services import forecasts, generate, imports, staffing

    today = today or dt.date.today()
    week = _monday(today)
    out: dict = {"queues": queues}
    with audit.acting_as(None, via=audit.VIA_CLI):
        # 1. The synthetic interval history, as an import.
        if not IntervalStat.objects.filter(site=site).exists():
            batch = ImportBatch.objects.create(
                site=site,
                kind=ImportKind.INTERVALS,
                preset="synthetic",
                filename=t("demo history", "演示历史数据"),
                status=ImportStatus.RUNNING,
            )
            frame = history.copy()
            frame["queue"] = frame["queue"].astype(str).str.lower()
            frame = frame[frame["queue"].isin({q.code for q in queues})]
            imports.write_batch(batch, frame, {"rows read": len(frame)})
        out["intervals"] = IntervalStat.objects.filter(site=site).count()
        # 1b. The last weeks' per-call records, as an import of call records would keep them.
        if calls is not None and not CallRecord.objects.filter(site=site).exists():
            _demo_call_records(site, queues, calls, today)
        out["calls"] = CallRecord.objects.filter(site=site).count()
        # 2. A forecast of every queue for this week and the next, and its staffing plan.
        weeks = max(1, min(26, (week - history["interval_start"].min().date()).days // 7))
        plans = []
        for queue in queues:
            forecast = Forecast.objects.filter(
                queue=queue, status=ForecastStatus.READY, horizon_start=week
            ).first()
            if forecast is None:
                forecast = forecasts.forecast_create(
                    queue=queue,
                    horizon_start=week,
                    horizon_days=14,
                    history_weeks=weeks,
                    actor=None,
                )
                forecasts.compute_forecast(forecast)
                forecast.refresh_from_db()
            plan = StaffingPlan.objects.filter(queue=queue, period_type="normal").first()
            if plan is None:
                plan = staffing.staffing_plan_create(
                    actor=None,
                    name=t(f"{queue.name} — normal period", f"{queue.name} — 平常期"),
                    queue=queue,
                    period_type="normal",
                    forecast=forecast,
                    service_level_percent=80,
                    answer_within_seconds=queue.service_level_seconds,
                    shrinkage_percent=25,
                )
            plans.append(plan)
        out["plans"] = plans
        out["forecast"] = Forecast.objects.filter(queue=queues[0]).order_by("-version").first()
        standard = t("Standard", "标准班次")
        templates = ShiftTemplateSet.objects.filter(site=site, name=standard).first()
        if templates is None:
            from ccops.core.services import record_create

            templates = record_create(
                ShiftTemplateSet,
                data={
                    "site": site,
                    "name": standard,
                    "definition": demo_templates(),
                    "description": t(
                        "Early and late 9-hour shifts with a break and lunch.",
                        "早班和晚班，各 9 小时，含一次休息和午餐。",
                    ),
                },
                actor=None,
            )
        _demo_agent_can_answer(site, queues[0])
        # 3. This week's site schedule: every queue, generated, rostered and published.
        schedule = Schedule.objects.filter(
            site=site, week_start=week, status=ScheduleStatus.PUBLISHED
        ).first()
        if schedule is None:
            schedule = services.schedule_create(
                site=site,
                week_start=week,
                template_set=templates,
                status=ScheduleStatus.QUEUED,
                actor=None,
            )
            generate.generate(schedule, time_limit=TIME_LIMIT_SECONDS)
            schedule.refresh_from_db()
            schedule = services.schedule_publish(schedule=schedule, actor=None, confirm=True)
            _demo_activity_and_feedback(schedule)
        out["schedule"] = schedule
    out["leave"] = _demo_leave(site, schedule, today)
    return out


def _demo_leave(site: Site, schedule: Schedule, today: dt.date) -> int:
    """Leave types (the defaults), a few balance adjustments, and approved and pending
    time off for the demo agent's group, one of them on a published shift (so the
    approver sees the coverage impact). Returns how many requests it made."""
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from ccops.people import services as people_services
    from ccops.people.models import Employee, LeaveType
    from ccops.wfm import services

    if LeaveType.objects.filter(site=site).exists():
        return 0
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["center_director", "group_manager", "agent"]
        )
    }
    director, manager, agent = (
        users.get("center_director"),
        users.get("group_manager"),
        users.get("agent"),
    )
    people_services.leave_types_seed(site=site, actor=director)
    annual = LeaveType.objects.get(site=site, code="annual")
    comp = LeaveType.objects.get(site=site, code="compensatory")
    sick = LeaveType.objects.get(site=site, code="sick")
    staff = list(
        Employee.objects.filter(site=site, status="active")
        .select_related("team")
        .order_by("employee_number")
    )
    for index, employee in enumerate(staff):
        if index % 4 == 1:
            people_services.leave_adjustment_add(
                employee=employee,
                leave_type=annual,
                year=today.year,
                days=2,
                kind="carry_over",
                reason="上年未休年假结转 Unused annual leave of last year (up to 2 days)",
                actor=director,
            )
        if index % 6 == 2:
            people_services.leave_adjustment_add(
                employee=employee,
                leave_type=comp,
                year=today.year,
                days=1,
                reason="节假日加班调休 Worked the public holiday; a day off in exchange",
                actor=director,
            )
    me = Employee.objects.filter(user=agent).select_related("team").first() if agent else None
    if me is None or manager is None or not me.team_id:
        return 0
    zone = site.zone

    def day_at(day: dt.date, hour: int) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour), tzinfo=zone)

    week = _monday(today)
    mates = [e for e in staff if e.team_id == me.team_id and e.user_id is None][:4]
    made = 0

    def ask(employee, leave_type, start, end, actor, approve=False, reason=""):
        nonlocal made
        try:
            request = services.time_off_request(
                employee=employee,
                leave_type=leave_type,
                start=start,
                end=end,
                reason=reason,
                actor=actor,
                now=start - dt.timedelta(days=14),  # asked two weeks ahead
            )
            if approve:
                services.time_off_approve(request=request, actor=manager, note="祝假期愉快 Enjoy.")
        except ValidationError:  # e.g. a short balance: the demo just has one fewer
            return
        made += 1

    # the demo agent: two approved days in three weeks, one pending day in two
    start = week + dt.timedelta(weeks=3, days=1)
    ask(me, annual, day_at(start, 0), day_at(start + dt.timedelta(days=2), 0), agent, True)
    start = week + dt.timedelta(weeks=2, days=3)
    ask(me, annual, day_at(start, 0), day_at(start + dt.timedelta(days=1), 0), agent)
    # colleagues: approved and pending leave over the coming weeks
    for n, mate in enumerate(mates):
        start = week + dt.timedelta(weeks=2 + n % 3, days=n)
        ask(
            mate,
            annual,
            day_at(start, 0),
            day_at(start + dt.timedelta(days=1 + n % 2), 0),
            manager,
            approve=n % 2 == 0,
        )
    # one pending request on a published shift of this week: the approver sees what opens
    soon = timezone.now() + dt.timedelta(hours=3)
    shift = (
        schedule.shifts.filter(employee__in=mates, start__gt=soon).order_by("start").first()
        if schedule is not None
        else None
    )
    if shift is not None:
        local = shift.start.astimezone(zone).date()
        ask(
            shift.employee,
            sick,
            day_at(local, 0),
            day_at(local + dt.timedelta(days=1), 0),
            manager,
            reason="就医 Doctor's appointment",
        )
    return made


def _demo_activity_and_feedback(schedule: Schedule) -> None:
    """A product training for one team inside their shifts, placed where the queues can
    best spare them, and the demo agent's view of the week."""
    from ccops.people.models import Employee
    from ccops.wfm.services import activities, review

    rostered = Employee.objects.filter(shifts__schedule=schedule).distinct().order_by("pk")
    team = rostered.exclude(team=None).values_list("team", flat=True).first()
    if team is not None:
        activities.activity_place(
            schedule=schedule,
            employees=list(rostered.filter(team=team)[:6]),
            kind="training",
            title="新资费培训 New tariffs training",
            minutes=60,
            actor=None,
        )
    agent = rostered.filter(user__username="agent").first()
    if agent is not None:
        review.schedule_feedback_add(
            schedule=schedule,
            employee=agent,
            actor=None,
            rating=4,
            comment="早班很好，周五晚班能否轮换？ Early shifts suit me; could Friday lates rotate?",
        )
