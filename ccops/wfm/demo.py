"""Workforce part of the demo center: imported history, a forecast, a staffing plan, a
shift template set and the current week's schedule, generated, rostered and published.

Idempotent: each step finds what an earlier run made. The schedule solver gets a short time
limit so that ``ccops demo`` stays quick.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ccops.core import audit
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
TIME_LIMIT_SECONDS = 8.0


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def best_staffed_queue(queues: list[Queue], history: pd.DataFrame) -> Queue:
    """The queue whose skilled employees' contract hours best cover its weekly workload
    (so that the demo schedule is mostly rostered)."""
    from ccops.people.models import EmployeeSkill

    frame = history.assign(queue=history["queue"].astype(str).str.lower())
    weeks = max(1.0, frame["interval_start"].dt.normalize().nunique() / 7)
    work = (frame["calls"] * frame["aht_seconds"].fillna(0)).groupby(frame["queue"]).sum()

    def cover(queue: Queue) -> float:
        staff = EmployeeSkill.objects.filter(skill__queue=queue, employee__status="active").count()
        hours = float(work.get(queue.code, 0.0)) / 3600 / weeks
        return staff * 40 / hours if hours else 0.0

    return max(queues, key=cover)


def _demo_agent_can_answer(site: Site, queue: Queue) -> None:
    """The demo ``agent`` login holds the skill of the scheduled queue."""
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
        filename="demo calls",
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
    """Add the workforce records to the demo center; returns what was found or made. The
    forecast, plan and schedule are for the best-staffed queue (see
    :func:`best_staffed_queue`)."""
    from ccops.wfm import services
    from ccops.wfm.services import forecasts, generate, imports, staffing

    today = today or dt.date.today()
    week = _monday(today)
    queue = best_staffed_queue(queues, history)
    out: dict = {"queue": queue}
    with audit.acting_as(None, via=audit.VIA_CLI):
        # 1. The synthetic interval history, as an import.
        if not IntervalStat.objects.filter(site=site).exists():
            batch = ImportBatch.objects.create(
                site=site,
                kind=ImportKind.INTERVALS,
                preset="synthetic",
                filename="demo history",
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
        # 2. A forecast of the main queue for this week and the next.
        forecast = Forecast.objects.filter(
            queue=queue, status=ForecastStatus.READY, horizon_start=week
        ).first()
        if forecast is None:
            weeks = max(1, min(26, (week - history["interval_start"].min().date()).days // 7))
            forecast = forecasts.forecast_create(
                queue=queue, horizon_start=week, horizon_days=14, history_weeks=weeks, actor=None
            )
            forecasts.compute_forecast(forecast)
            forecast.refresh_from_db()
        out["forecast"] = forecast
        # 3. A staffing plan and a template set.
        plan = StaffingPlan.objects.filter(queue=queue, period_type="normal").first()
        if plan is None:
            plan = staffing.staffing_plan_create(
                actor=None,
                name=f"{queue.name} — normal period",
                queue=queue,
                period_type="normal",
                forecast=forecast,
                service_level_percent=80,
                answer_within_seconds=queue.service_level_seconds,
                shrinkage_percent=25,
            )
        templates = ShiftTemplateSet.objects.filter(site=site, name="Standard").first()
        if templates is None:
            from ccops.core.services import record_create

            templates = record_create(
                ShiftTemplateSet,
                data={
                    "site": site,
                    "name": "Standard",
                    "definition": DEMO_TEMPLATES,
                    "description": "Early and late 9-hour shifts with a break and lunch.",
                },
                actor=None,
            )
        out["plan"] = plan
        _demo_agent_can_answer(site, queue)
        # 4. This week's schedule, generated, rostered and published.
        schedule = Schedule.objects.filter(
            site=site, week_start=week, status=ScheduleStatus.PUBLISHED
        ).first()
        if schedule is None:
            schedule = services.schedule_create(
                site=site,
                week_start=week,
                plan=plan,
                template_set=templates,
                status=ScheduleStatus.QUEUED,
                actor=None,
            )
            generate.generate(schedule, time_limit=TIME_LIMIT_SECONDS)
            schedule.refresh_from_db()
            services.schedule_publish(schedule=schedule, actor=None)
        out["schedule"] = schedule
    return out
