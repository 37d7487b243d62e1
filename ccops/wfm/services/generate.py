"""Schedule generation for a whole site: every queue's staffing plan and the site's shift
templates -> one plan of shifts for every queue -> the site's agents rostered onto them.

The conversion to the engine's one pipeline (:func:`ccops.engine.schedule.plan.plan_week`):
each planned queue's heads to schedule per interval of the week (:mod:`coverage`) become
a row of the need, named ``queue:<id>``; the template set's YAML becomes a library whose
set per day follows the calendar (emergency, billing period, normal); the site's active
employees who hold a skill of a planned queue become engine agents (contract hours,
skills, approved leave, unavailability, the end of last week's shifts and the days they
worked in a row before the week, :func:`rules.engine_agent`); the engine's shifts (minutes
from the week's local midnight) become ``ScheduledShift`` rows in UTC with the queues they
serve.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ccops.core import engine_messages
from ccops.core.jobs import job_enqueue
from ccops.core.services import record_update
from ccops.engine.io.errors import InputError
from ccops.engine.schedule.cover import CoverSettings
from ccops.engine.schedule.plan import PlanSettings, plan_week
from ccops.engine.schedule.templates import TemplateLibrary, parse_templates
from ccops.people.models import Employee
from ccops.wfm.choices import ScheduleStatus
from ccops.wfm.models import Schedule, ScheduledShift, ShiftTemplateSet
from ccops.wfm.services import rules
from ccops.wfm.services.coverage import site_need
from ccops.wfm.services.queries import published_shifts, week_bounds
from ccops.wfm.services.schedules import schedule_create

DEFAULT_TIME_LIMIT = 20.0


def parse_template_set(template_set: ShiftTemplateSet) -> TemplateLibrary:
    """The set's YAML as an engine library (``ValidationError`` naming the problem)."""
    try:
        data = yaml.safe_load(template_set.definition)
        return parse_templates(data, source=template_set.name)
    except InputError as exc:
        raise ValidationError({"definition": engine_messages.error_text(exc)}) from None
    except yaml.YAMLError as exc:
        raise ValidationError({"definition": yaml_error_text(exc)}) from None
    except ValueError as exc:
        raise ValidationError({"definition": str(exc)}) from None


def yaml_error_text(exc: yaml.YAMLError) -> str:
    """A YAML syntax error in the reader's language: where it is (line and column; PyYAML's
    own description of the problem is English, so it is left out)."""
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return _("This is not valid YAML.")
    return _("Not valid YAML: check line %(line)d, column %(column)d.") % {
        "line": mark.line + 1,
        "column": mark.column + 1,
    }


def template_kinds(periods: list[str], library: TemplateLibrary) -> list[str]:
    """The template set of each day: the day's period type when the library has a set for
    it, else ``normal``."""
    kinds = []
    for period in periods:
        kind = period if period in library.sets else "normal"
        if kind not in library.sets:
            raise ValidationError(
                _("The template set has no %(kind)s templates (it has %(sets)s).")
                % {"kind": kind, "sets": ", ".join(sorted(library.sets))}
            )
        kinds.append(kind)
    return kinds


def roster_candidates(site, queue_ids) -> list[Employee]:
    """Active employees of the site who hold a skill of one of the planned queues."""
    return list(
        Employee.objects.filter(
            site=site,
            status="active",
            skills__skill__queue_id__in=list(queue_ids),
            skills__archived_at__isnull=True,
        )
        .distinct()
        .order_by("employee_number")
    )


def _history(employees, origin, zone) -> dict[int, tuple[int | None, int]]:
    """Per employee: the end of their last published shift before the week (minutes,
    negative, when within two days) and the days they worked in a row right before it."""
    rows = (
        published_shifts()
        .filter(employee__in=employees, end__lte=origin, start__gte=origin - timedelta(days=8))
        .values_list("employee_id", "start", "end")
    )
    first_day = origin.astimezone(zone).date()
    last: dict[int, object] = {}
    back: dict[int, set[int]] = {}
    for pk, start, end in rows:
        if pk not in last or end > last[pk]:
            last[pk] = end
        back.setdefault(pk, set()).add((first_day - start.astimezone(zone).date()).days)
    out = {}
    for pk, days in back.items():
        gap = origin - last[pk]
        end = -int(gap.total_seconds() // 60) if gap < timedelta(days=2) else None
        run = 0
        while run + 1 in days:
            run += 1
        out[pk] = (end, run)
    return out


def generate(
    schedule: Schedule,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    progress=None,
    deterministic: bool = True,
) -> dict:
    """Fill a queued schedule with shifts for every planned queue of its site, rostered;
    returns the summary."""
    progress = progress or (lambda f, m: None)
    site = schedule.site
    im = site.interval_minutes
    library = parse_template_set(schedule.template_set)
    try:
        library.check_grid(im)
    except InputError as exc:
        raise ValidationError(engine_messages.error_text(exc)) from None
    progress(0.1, _("Computing the heads needed"))
    periods, needs, missing = site_need(site, schedule.week_start)
    if not needs:
        raise ValidationError(_("No queue of the site has a staffing plan."))
    kinds = template_kinds(periods, library)
    days = [
        [
            (kind, t)
            for t in library.sets[kind]
            if (schedule.week_start + timedelta(days=d)).weekday() in t.weekdays
        ]
        for d, kind in enumerate(kinds)
    ]
    origin, _end = week_bounds(site, schedule.week_start)
    queue_ids = [n.queue.pk for n in needs]
    employees = roster_candidates(site, queue_ids)
    skills = rules.employee_skills(employees)
    history = _history(employees, origin, site.zone)
    agents = [
        rules.engine_agent(
            e,
            origin,
            7,
            zone=site.zone,
            skills=skills.get(e.pk, frozenset()),
            previous_shift_end=history.get(e.pk, (None, 0))[0],
            previous_consecutive_days=history.get(e.pk, (None, 0))[1],
        )
        for e in employees
    ]
    progress(
        0.2,
        _("Planning the shifts of %(q)d queues and rostering %(n)d agents")
        % {"q": len(needs), "n": len(agents)},
    )
    need = np.array([n.need for n in needs])
    settings = PlanSettings(
        cover=CoverSettings(
            time_limit_seconds=time_limit, num_workers=1, deterministic=deterministic
        ),
        roster=rules.roster_settings(time_limit_seconds=time_limit),
    )
    week = plan_week(
        need,
        days,
        agents or None,
        interval_minutes=im,
        queues=[rules.queue_skill(q) for q in queue_ids],
        settings=settings,
    )
    by_id = {str(e.pk): e for e in employees}
    by_skill = {rules.queue_skill(q): q for q in queue_ids}
    queues = {n.queue.pk: n.queue for n in needs}
    rows = []
    for s in week.shifts:
        serves = [by_skill[name] for name in s.queues] if s.queues else list(queue_ids)
        rows.append(
            ScheduledShift(
                schedule=schedule,
                employee=by_id.get(s.agent_id) if s.agent_id else None,
                start=origin + timedelta(minutes=s.start_minutes),
                end=origin + timedelta(minutes=s.end_minutes),
                breaks=[
                    {
                        "name": b.name,
                        "start": (origin + timedelta(minutes=b.start_minutes)).isoformat(),
                        "end": (origin + timedelta(minutes=b.end_minutes)).isoformat(),
                        "paid": b.paid,
                    }
                    for b in s.breaks
                ],
                template=s.template,
                queue=queues[serves[0]],
                queue_ids=serves,
            )
        )
    reasons: dict[str, int] = {}
    for s in week.shifts:
        if s.reason is not None:
            key = f"{s.reason.code}:" + ",".join(f"{r}={n}" for r, n in s.reason.counts)
            reasons[key] = reasons.get(key, 0) + 1
    plan = week.cover
    summary = {
        "queues": queue_ids,
        "need": need.astype(int).tolist(),
        "calls": np.round([n.calls for n in needs], 3).tolist(),
        "aht_seconds": np.round([n.aht_seconds for n in needs], 1).tolist(),
        "plans": [[n.plans[d].pk for n in needs] for d in range(7)],
        "period_types": kinds,
        "queues_without_plan": [q.pk for q in missing],
        "shifts": len(rows),
        "paid_hours": round(sum(s.paid_minutes for s in week.shifts) / 60, 2),
        "understaffed_agent_intervals": int(plan.under_agent_intervals),
        "overstaffed_agent_intervals": int(plan.over_agent_intervals),
        "objective": plan.objective,
        "lp_bound": round(plan.lp_bound, 2),
        "stage1_status": plan.status,
        "pools": [[by_skill[name] for name in names] for names in week.pool_names],
        "agents": len(agents),
        "agents_without_planned_queue": len(week.excluded_agents),
        "assigned_shifts": week.assigned,
        "unassigned_reasons": reasons,
        "hard_rule_violations": [
            {"employee": int(v.agent_id), "rule": v.rule, "params": v.params}
            for v in week.violations
            if v.agent_id.isdigit()
        ],
        "soft_rules": week.roster.soft_counts if week.roster else {},
        "deterministic": deterministic,
    }
    progress(0.9, _("Saving %(n)d shifts") % {"n": len(rows)})
    with transaction.atomic():
        ScheduledShift.objects.bulk_create(rows, batch_size=1000)
        schedule.plans.set({p for n in needs for p in n.plans})
        record_update(
            schedule,
            data={"status": ScheduleStatus.DRAFT, "summary": summary},
            actor=schedule.created_by,
            verb="schedule_generate",
        )
    return summary


@transaction.atomic
def schedule_generate(*, site, week_start: date, template_set, actor, time_limit=None) -> Schedule:
    """A new draft version of the site's week, generated in the background for every queue
    with a staffing plan; returns the schedule."""
    if template_set is None:
        raise ValidationError({"template_set": _("Choose a template set.")})
    if template_set.site_id != site.pk:
        raise ValidationError({"template_set": _("The template set must be of the site.")})
    parse_template_set(template_set)
    schedule = schedule_create(
        site=site,
        week_start=week_start,
        template_set=template_set,
        status=ScheduleStatus.QUEUED,
        actor=actor,
    )
    job = job_enqueue(
        "ccops.wfm.tasks.schedule_run",
        kind="wfm.schedule",
        title=_("Schedule %(s)s") % {"s": schedule},
        owner=actor,
        schedule_id=schedule.pk,
        time_limit=float(time_limit or DEFAULT_TIME_LIMIT),
    )
    Schedule.objects.filter(pk=schedule.pk).update(job=job)
    schedule.job = job
    return schedule
