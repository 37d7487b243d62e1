"""Schedule versions: drafts, manual edits checked against the hard rules, publishing."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ccops.core.models import Queue, Site
from ccops.core.services import notify, record_archive, record_create, record_update
from ccops.people.models import Employee
from ccops.wfm.choices import ScheduleStatus
from ccops.wfm.models import Schedule, ScheduledShift, ShiftTemplateSet, StaffingPlan
from ccops.wfm.services.rules import shift_violations


def engine_violations(schedule, employee, shifts) -> list[str]:
    from ccops.wfm.services.generate import engine_violations as check

    return check(schedule, employee, shifts)


def week_bounds(site: Site, week_start: date) -> tuple[datetime, datetime]:
    """UTC start and end of the site-local week starting on ``week_start`` (a Monday)."""
    zone = site.zone
    start = datetime.combine(week_start, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(week_start + timedelta(days=7), datetime.min.time(), tzinfo=zone)
    return start, end


def next_version(site: Site, week_start: date) -> int:
    top = Schedule.all_objects.filter(site=site, week_start=week_start).aggregate(v=Max("version"))
    return (top["v"] or 0) + 1


@transaction.atomic
def schedule_create(
    *,
    site: Site,
    week_start: date,
    actor,
    plan: StaffingPlan | None = None,
    template_set: ShiftTemplateSet | None = None,
    status: str = ScheduleStatus.DRAFT,
    copy_from: Schedule | None = None,
    notes: str = "",
) -> Schedule:
    """A new version of the week's schedule (optionally a copy of another version's shifts,
    to edit a published schedule without touching it)."""
    if week_start.weekday() != 0:
        raise ValidationError({"week_start": _("A schedule week starts on a Monday.")})
    schedule = record_create(
        Schedule,
        data={
            "site": site,
            "week_start": week_start,
            "version": next_version(site, week_start),
            "status": status,
            "plan": plan or (copy_from.plan if copy_from else None),
            "template_set": template_set or (copy_from.template_set if copy_from else None),
            "created_by": actor,
            "notes": notes,
        },
        actor=actor,
        verb="schedule_create",
    )
    if copy_from is not None:
        ScheduledShift.objects.bulk_create(
            [
                ScheduledShift(
                    schedule=schedule,
                    employee_id=s.employee_id,
                    start=s.start,
                    end=s.end,
                    breaks=s.breaks,
                    template=s.template,
                    queue_id=s.queue_id,
                )
                for s in copy_from.shifts.all()
            ]
        )
    return schedule


def _check_editable(schedule: Schedule) -> None:
    if schedule.status != ScheduleStatus.DRAFT:
        raise ValidationError(
            _("Only a draft can be edited; make a new version of a published schedule.")
        )


def _check_employee_rules(schedule: Schedule, employee: Employee, changed: ScheduledShift):
    """The employee's shifts in this schedule (with ``changed`` as it will be saved) and in
    the neighbouring weeks' published schedules must keep the hard rules."""
    start, end = week_bounds(schedule.site, schedule.week_start)
    around = ScheduledShift.objects.filter(
        employee=employee,
        schedule__status=ScheduleStatus.PUBLISHED,
        start__lt=end + timedelta(days=7),
        end__gt=start - timedelta(days=7),
    ).exclude(schedule__site=schedule.site, schedule__week_start=schedule.week_start)
    mine = list(schedule.shifts.filter(employee=employee).exclude(pk=changed.pk))
    problems = shift_violations(employee, [*around, *mine, changed], zone=schedule.site.zone)
    problems += engine_violations(schedule, employee, [*mine, changed])
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def shift_add(
    *,
    schedule: Schedule,
    start: datetime,
    end: datetime,
    actor,
    employee: Employee | None = None,
    queue: Queue | None = None,
    template: str = "",
    breaks: list | None = None,
) -> ScheduledShift:
    """Add a shift to a draft (checked against the hard rules when it has an employee)."""
    _check_editable(schedule)
    shift = ScheduledShift(
        schedule=schedule,
        employee=employee,
        start=start,
        end=end,
        queue=queue,
        template=template,
        breaks=breaks or [],
    )
    _check_shift(schedule, shift)
    return record_create(
        ScheduledShift,
        data={
            "schedule": schedule,
            "employee": employee,
            "start": start,
            "end": end,
            "queue": queue,
            "template": template,
            "breaks": breaks or [],
        },
        actor=actor,
        verb="shift_add",
    )


def _check_shift(schedule: Schedule, shift: ScheduledShift) -> None:
    if shift.end <= shift.start:
        raise ValidationError({"end": _("The shift must end after it starts.")})
    start, end = week_bounds(schedule.site, schedule.week_start)
    if not start <= shift.start < end:
        raise ValidationError({"start": _("The shift must start within the schedule's week.")})
    if shift.end - shift.start > timedelta(hours=14):
        raise ValidationError({"end": _("A shift lasts at most 14 hours.")})
    if shift.employee is not None:
        if shift.employee.site_id != schedule.site_id:
            raise ValidationError({"employee": _("The employee works on another site.")})
        _check_employee_rules(schedule, shift.employee, shift)


@transaction.atomic
def shift_change(*, shift: ScheduledShift, actor, **changes) -> ScheduledShift:
    """Edit a shift of a draft (employee, start, end, queue, breaks), checked against the
    hard rules."""
    _check_editable(shift.schedule)
    allowed = {"employee", "start", "end", "queue", "breaks", "template"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    for name, value in changes.items():
        setattr(shift, name, value)
    _check_shift(shift.schedule, shift)
    return record_update(shift, data=changes, actor=actor, verb="shift_change")


@transaction.atomic
def shift_remove(*, shift: ScheduledShift, actor) -> ScheduledShift:
    _check_editable(shift.schedule)
    return record_archive(shift, actor=actor)


@transaction.atomic
def schedule_publish(*, schedule: Schedule, actor) -> Schedule:
    """Publish a draft: the week's previously published version is superseded and every
    rostered agent is notified."""
    if schedule.status != ScheduleStatus.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    shifts = list(schedule.shifts.select_related("employee"))
    if not shifts:
        raise ValidationError(_("This schedule has no shift."))
    problems = []
    by_employee: dict[int, list] = {}
    for shift in shifts:
        if shift.employee_id:
            by_employee.setdefault(shift.employee_id, []).append(shift)
    for items in by_employee.values():
        problems += shift_violations(items[0].employee, items, zone=schedule.site.zone)
        problems += engine_violations(schedule, items[0].employee, items)
    if problems:
        raise ValidationError(problems)
    previous = Schedule.objects.filter(
        site=schedule.site, week_start=schedule.week_start, status=ScheduleStatus.PUBLISHED
    )
    for old in previous:
        record_update(
            old, data={"status": ScheduleStatus.SUPERSEDED}, actor=actor, verb="schedule_supersede"
        )
    record_update(
        schedule,
        data={
            "status": ScheduleStatus.PUBLISHED,
            "published_at": timezone.now(),
            "published_by": actor,
        },
        actor=actor,
        verb="schedule_publish",
    )
    from django.urls import reverse

    url = reverse("wfm:my_schedule")
    users = {s.employee.user for s in shifts if s.employee_id and s.employee.user_id}
    for user in users:
        notify(
            user=user,
            message=gettext_noop("Your schedule for the week of %(week)s is published."),
            params={"week": schedule.week_start},
            url=url,
        )
    return schedule


@transaction.atomic
def schedule_archive(*, schedule: Schedule, actor) -> Schedule:
    if schedule.status == ScheduleStatus.PUBLISHED:
        raise ValidationError(_("Publish another version before archiving the published one."))
    return record_archive(schedule, actor=actor)
