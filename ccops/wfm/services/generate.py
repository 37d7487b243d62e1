"""Schedule generation: staffing plan + template set -> covered shifts -> rostered agents.

Conversion to the scheduling engine: the plan's heads to schedule per interval of the week
become the ``need`` array; the template set's YAML becomes a ``TemplateLibrary``; the site's
calendar picks each day's template set; employees become engine ``Agent`` rows (contract
hours, skills, approved leave, the end of their last published shift); the engine's shifts
(minutes from the week's local midnight) become ``ScheduledShift`` rows in UTC.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ccops.core.models import CalendarPeriod
from ccops.core.services import record_update
from ccops.engine.io.errors import InputError
from ccops.engine.schedule.cover import CoverSettings, cover
from ccops.engine.schedule.projection import projected_service_level
from ccops.engine.schedule.roster import roster
from ccops.engine.schedule.rules import Agent, RosterSettings, RosterShift, check_roster
from ccops.engine.schedule.templates import TemplateLibrary, parse_templates
from ccops.people.models import Employee, EmployeeSkill
from ccops.wfm.choices import RequestStatus, ScheduleStatus
from ccops.wfm.models import Schedule, ScheduledShift, ShiftTemplateSet, TimeOffRequest
from ccops.wfm.services.schedules import week_bounds
from ccops.wfm.services.staffing import plan_requirement

DAY_MINUTES = 24 * 60
DEFAULT_TIME_LIMIT = 20.0
#: Rules the wfm checker (``services.rules``) words itself; the engine adds the others.
LOCAL_RULES = {"one shift per day", "minimum rest", "maximum consecutive days", "weekly hours"}
_PRIORITY = ("emergency", "billing_period")


def parse_template_set(template_set: ShiftTemplateSet) -> TemplateLibrary:
    """The set's YAML as an engine library (``ValidationError`` naming the problem)."""
    try:
        data = yaml.safe_load(template_set.definition)
        return parse_templates(data, source=template_set.name)
    except (yaml.YAMLError, InputError, ValueError) as exc:
        raise ValidationError({"definition": str(exc)}) from None


def day_kinds(site, week_start: date, library: TemplateLibrary, default: str) -> list[str]:
    """The template set of each day: the calendar's emergency or billing period when the
    library has that set, else the plan's period type, else ``normal``."""
    periods = CalendarPeriod.objects.filter(
        Q(site=site) | Q(site__isnull=True),
        start_date__lte=week_start + timedelta(days=6),
        end_date__gte=week_start,
    )
    kinds = []
    fallback = default if default in library.sets else "normal"
    for offset in range(7):
        day = week_start + timedelta(days=offset)
        on = {p.kind for p in periods if p.covers(day)}
        kind = next((k for k in _PRIORITY if k in on and k in library.sets), fallback)
        if kind not in library.sets:
            raise ValidationError(
                _("The template set has no %(kind)s templates (it has %(sets)s).")
                % {"kind": kind, "sets": ", ".join(sorted(library.sets))}
            )
        kinds.append(kind)
    return kinds


def week_need(schedule: Schedule):
    """Heads to schedule, calls and AHT per interval of the week, from the plan."""
    plan = schedule.plan
    ipd = DAY_MINUTES // schedule.site.interval_minutes
    need, calls, aht = [], [], []
    for offset in range(7):
        req = plan_requirement(plan, schedule.week_start + timedelta(days=offset))
        if len(req.starts) != ipd:
            raise ValidationError(
                _("%(day)s is not a 24-hour day (a clock change): schedule it by hand.")
                % {"day": schedule.week_start + timedelta(days=offset)}
            )
        need.append(req.scheduled)
        calls.append(req.calls)
        aht.append(req.aht_seconds)
    return np.concatenate(need), np.concatenate(calls), np.concatenate(aht)


def roster_candidates(schedule: Schedule) -> list[Employee]:
    """Active employees of the site who hold a skill of the plan's queue."""
    return list(
        Employee.objects.filter(
            site=schedule.site,
            status="active",
            skills__skill__queue=schedule.plan.queue,
            skills__archived_at__isnull=True,
        )
        .distinct()
        .order_by("employee_number")
    )


def engine_agent(employee: Employee, week_start: date, site, skills=None) -> Agent:
    """An employee as the engine's agent for the week starting ``week_start``."""
    start, end = week_bounds(site, week_start)
    leave = set()
    for request in TimeOffRequest.objects.filter(
        employee=employee, status=RequestStatus.APPROVED, start__lt=end, end__gt=start
    ):
        for offset in range(7):
            day_start = start + timedelta(days=offset)
            # A day touched by approved time off is a leave day for the roster.
            if request.start < day_start + timedelta(days=1) and request.end > day_start:
                leave.add(offset)
    previous = (
        ScheduledShift.objects.filter(
            employee=employee, schedule__status=ScheduleStatus.PUBLISHED, end__lte=start
        )
        .order_by("-end")
        .first()
    )
    prev_end = None
    if previous is not None and start - previous.end < timedelta(days=2):
        prev_end = -int((start - previous.end).total_seconds() // 60)
    if skills is None:
        skills = set(
            EmployeeSkill.objects.filter(employee=employee).values_list("skill__code", flat=True)
        )
    return Agent(
        agent_id=str(employee.pk),
        name=employee.full_name,
        skills=frozenset(skills),
        contract_minutes_per_week=int(float(employee.weekly_hours) * 60),
        leave_days=frozenset(leave),
        previous_shift_end=prev_end,
    )


def _minutes(moment: datetime, origin: datetime) -> int:
    return int((moment - origin).total_seconds() // 60)


def roster_shift(shift: ScheduledShift, origin: datetime) -> RosterShift:
    from ccops.wfm.services.rules import paid_hours

    return RosterShift(
        _minutes(shift.start, origin),
        _minutes(shift.end, origin),
        round(paid_hours(shift) * 60),
        (),
        shift.template,
    )


def engine_violations(schedule: Schedule, employee: Employee, shifts) -> list[str]:
    """Hard-rule violations the engine's roster checker finds in ``employee``'s shifts of
    the schedule's week, other than those :mod:`ccops.wfm.services.rules` words itself."""
    origin, _end = week_bounds(schedule.site, schedule.week_start)
    agent = engine_agent(employee, schedule.week_start, schedule.site)
    pairs = [(agent.agent_id, roster_shift(s, origin)) for s in shifts]
    found = check_roster(pairs, [agent], 7, RosterSettings(first_weekday=0))
    return [
        _("%(who)s: %(rule)s (%(detail)s).") % {"who": employee, "rule": v.rule, "detail": v.detail}
        for v in found
        if v.rule not in LOCAL_RULES
    ]


def generate(schedule: Schedule, *, time_limit: float = DEFAULT_TIME_LIMIT, progress=None):
    """Fill a queued schedule with covered and rostered shifts; returns the summary."""
    progress = progress or (lambda f, m: None)
    site = schedule.site
    im = site.interval_minutes
    library = parse_template_set(schedule.template_set)
    try:
        library.check_grid(im)
    except InputError as exc:
        raise ValidationError(str(exc)) from None
    kinds = day_kinds(site, schedule.week_start, library, schedule.plan.period_type)
    progress(0.1, _("Computing the heads needed"))
    need, calls, aht = week_need(schedule)
    days = [
        [
            (kind, t)
            for t in library.sets[kind]
            if (schedule.week_start + timedelta(days=d)).weekday() in t.weekdays
        ]
        for d, kind in enumerate(kinds)
    ]
    progress(0.2, _("Planning the shifts (stage 1)"))
    plan = cover(need, im, days, CoverSettings(time_limit_seconds=time_limit, num_workers=1))
    origin, _end = week_bounds(site, schedule.week_start)
    employees = roster_candidates(schedule)
    progress(0.55, _("Rostering %(n)d agents (stage 2)") % {"n": len(employees)})
    rshifts = [
        RosterShift(s.start * im, s.end * im, s.paid_intervals * im, s.skills, s.template)
        for s in plan.shifts
    ]
    agents = [engine_agent(e, schedule.week_start, site) for e in employees]
    settings = RosterSettings(first_weekday=0, time_limit_seconds=time_limit, num_workers=1)
    result = roster(rshifts, agents, 7, settings) if agents and rshifts else None
    by_id = {str(e.pk): e for e in employees}
    rows = []
    for i, s in enumerate(plan.shifts):
        who = result.assignment[i] if result else None
        rows.append(
            ScheduledShift(
                schedule=schedule,
                employee=by_id.get(who) if who else None,
                start=origin + timedelta(minutes=s.start * im),
                end=origin + timedelta(minutes=s.end * im),
                breaks=[
                    {
                        "name": b.name,
                        "start": (origin + timedelta(minutes=b.start * im)).isoformat(),
                        "end": (origin + timedelta(minutes=(b.start + b.length) * im)).isoformat(),
                        "paid": b.paid,
                    }
                    for b in s.breaks
                ],
                template=s.template,
                queue=schedule.plan.queue,
            )
        )
    violations = []
    if result is not None:
        pairs = [(a, r) for a, r in zip(result.assignment, rshifts, strict=True) if a]
        violations = [str(v) for v in check_roster(pairs, agents, 7, settings)]
    reasons: dict[str, int] = {}
    for text in result.unassigned_reasons.values() if result else []:
        reasons[text] = reasons.get(text, 0) + 1
    summary = {
        "need": need.astype(int).tolist(),
        "calls": np.round(calls, 3).tolist(),
        "aht_seconds": np.round(aht, 1).tolist(),
        "period_types": kinds,
        "shifts": len(rows),
        "paid_hours": round(sum(s.paid_intervals for s in plan.shifts) * im / 60, 2),
        "understaffed_agent_intervals": int(plan.under_agent_intervals),
        "overstaffed_agent_intervals": int(plan.over_agent_intervals),
        "stage1_status": plan.status,
        "agents": len(agents),
        "assigned_shifts": sum(1 for r in rows if r.employee is not None),
        "unassigned_reasons": reasons,
        "hard_rule_violations": violations,
        "soft_rules": result.soft_counts if result else {},
    }
    progress(0.9, _("Saving %(n)d shifts") % {"n": len(rows)})
    with transaction.atomic():
        ScheduledShift.objects.bulk_create(rows, batch_size=1000)
        record_update(
            schedule,
            data={"status": ScheduleStatus.DRAFT, "summary": summary},
            actor=schedule.created_by,
            verb="schedule_generate",
        )
    return summary


def coverage(schedule: Schedule) -> dict:
    """Required vs scheduled agents on the phones per interval of the week (from the shifts
    as they are now, breaks excluded) and the projected service level."""
    site = schedule.site
    im = site.interval_minutes
    ipd = DAY_MINUTES // im
    origin, _end = week_bounds(site, schedule.week_start)
    n = 7 * ipd
    scheduled = np.zeros(n, dtype=np.int64)
    for shift in schedule.shifts.all():
        a = max(0, _minutes(shift.start, origin) // im)
        b = min(n, -(-_minutes(shift.end, origin) // im))
        if a < b:
            scheduled[a:b] += 1
        from django.utils.dateparse import parse_datetime

        for item in shift.breaks or []:
            bs, be = parse_datetime(item["start"]), parse_datetime(item["end"])
            x = max(0, _minutes(bs, origin) // im)
            y = min(n, -(-_minutes(be, origin) // im))
            if x < y:
                scheduled[x:y] -= 1
    summary = schedule.summary or {}
    need = np.array(summary.get("need") or [0] * n, dtype=np.int64)
    calls = np.array(summary.get("calls") or [0.0] * n, dtype=float)
    aht = np.array(summary.get("aht_seconds") or [0.0] * n, dtype=float)
    if need.size != n:
        need, calls, aht = np.zeros(n, np.int64), np.zeros(n), np.zeros(n)
    sl = np.full(n, np.nan)
    plan = schedule.plan
    if plan is not None and calls.any():
        sl = projected_service_level(
            scheduled,
            calls,
            aht,
            im,
            shrinkage=float(plan.shrinkage_percent) / 100,
            answer_within_seconds=float(plan.answer_within_seconds),
        )
    busy = ~np.isnan(sl)
    weighted = float(np.sum(sl[busy] * calls[busy]) / calls[busy].sum()) if busy.any() else None
    target = float(plan.service_level_percent) / 100 if plan else None
    return {
        "origin": origin,
        "interval_minutes": im,
        "intervals_per_day": ipd,
        "required": need,
        "scheduled": scheduled,
        "calls": calls,
        "service_level": sl,
        "projected_service_level": weighted,
        "intervals_below_target": int(np.sum(sl[busy] < target)) if target else 0,
        "under": int(np.clip(need - scheduled, 0, None).sum()),
        "over": int(np.clip(scheduled - need, 0, None).sum()),
    }


@transaction.atomic
def schedule_generate(*, site, week_start: date, plan, template_set, actor, time_limit=None):
    """A new draft version of the week generated in the background; returns the schedule."""
    from ccops.core.jobs import job_enqueue
    from ccops.wfm import tasks
    from ccops.wfm.services.schedules import schedule_create

    if plan is None or template_set is None:
        raise ValidationError(_("Choose a staffing plan and a template set."))
    if plan.site_id != site.pk or template_set.site_id != site.pk:
        raise ValidationError(_("The plan and the template set must be of the site."))
    parse_template_set(template_set)
    schedule = schedule_create(
        site=site,
        week_start=week_start,
        plan=plan,
        template_set=template_set,
        status=ScheduleStatus.QUEUED,
        actor=actor,
    )
    job = job_enqueue(
        tasks.schedule_run,
        kind="wfm.schedule",
        title=_("Schedule %(s)s") % {"s": schedule},
        owner=actor,
        schedule_id=schedule.pk,
        time_limit=float(time_limit or DEFAULT_TIME_LIMIT),
    )
    Schedule.objects.filter(pk=schedule.pk).update(job=job)
    schedule.job = job
    return schedule
