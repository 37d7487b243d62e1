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
    return out


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
