"""Schedule versions of a site's week: drafts, manual edits checked by the one rule check,
publishing (which tells each agent what changed for them), versions and archive."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ccops.core import audit
from ccops.core.models import Queue, Site
from ccops.core.services import (
    lock_for_update,
    notify,
    record_archive,
    record_create,
    record_update,
    require_state,
)
from ccops.people.models import Employee
from ccops.wfm.choices import ScheduleStatus
from ccops.wfm.models import Schedule, ScheduledShift, ShiftTemplateSet
from ccops.wfm.services import rules
from ccops.wfm.services.queries import week_bounds

#: A shift lasts at most this long (a night shift included).
MAX_SHIFT_HOURS = 14


def next_version(site: Site, week_start: date) -> int:
    top = Schedule.all_objects.filter(site=site, week_start=week_start).aggregate(v=Max("version"))
    return (top["v"] or 0) + 1


@transaction.atomic
def schedule_create(
    *,
    site: Site,
    week_start: date,
    actor,
    template_set: ShiftTemplateSet | None = None,
    status: str = ScheduleStatus.DRAFT,
    copy_from: Schedule | None = None,
    notes: str = "",
) -> Schedule:
    """A new version of the site's week (optionally a copy of another version's shifts, to
    edit a published schedule without touching it)."""
    if week_start.weekday() != 0:
        raise ValidationError({"week_start": _("A schedule week starts on a Monday.")})
    # versions of one week are numbered under a lock on the site
    lock_for_update(site)
    schedule = record_create(
        Schedule,
        data={
            "site": site,
            "week_start": week_start,
            "version": next_version(site, week_start),
            "status": status,
            "template_set": template_set or (copy_from.template_set if copy_from else None),
            "created_by": actor,
            "notes": notes,
        },
        actor=actor,
        verb="schedule_create",
    )
    if copy_from is not None:
        schedule.plans.set(copy_from.plans.all())
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
                    queue_ids=list(s.queue_ids),
                )
                for s in copy_from.shifts.all()
            ]
        )
        record_update(
            schedule,
            data={"summary": dict(copy_from.summary or {}, copied_from=copy_from.version)},
            actor=actor,
            verb="schedule_copy",
        )
    return schedule


def _lock_draft(schedule: Schedule) -> Schedule:
    locked = lock_for_update(schedule)
    require_state(
        locked,
        "status",
        [ScheduleStatus.DRAFT],
        message=_("Only a draft can be edited; make a new version of a published schedule."),
    )
    return locked


class _Proposed:
    """A shift as it would be after a change (for the rule check, before saving)."""

    def __init__(self, *, start, end, breaks, serves, template="", pk=None):
        self.start, self.end, self.breaks = start, end, breaks or []
        self.serves, self.template, self.pk = tuple(serves), template, pk


def _serves(queue: Queue | None, queue_ids) -> list[int]:
    ids = [int(q) for q in (queue_ids or [])]
    if not ids and queue is not None:
        ids = [queue.pk]
    return ids


def _check_bounds(schedule: Schedule, start: datetime, end: datetime) -> None:
    if end <= start:
        raise ValidationError({"end": _("The shift must end after it starts.")})
    first, last = week_bounds(schedule.site, schedule.week_start)
    if not first <= start < last:
        raise ValidationError({"start": _("The shift must start within the schedule's week.")})
    if end - start > timedelta(hours=MAX_SHIFT_HOURS):
        raise ValidationError(
            {"end": _("A shift lasts at most %(h)d hours.") % {"h": MAX_SHIFT_HOURS}}
        )


def _queues_of_site(schedule: Schedule, ids: list[int]) -> None:
    found = set(Queue.objects.filter(site=schedule.site, pk__in=ids).values_list("pk", flat=True))
    missing = sorted(set(ids) - found)
    if missing:
        raise ValidationError(
            {"queue_ids": _("Not queues of the site: %(ids)s.") % {"ids": missing}}
        )


def shift_problems(
    schedule: Schedule,
    *,
    employee: Employee | None,
    start: datetime,
    end: datetime,
    breaks=None,
    serves=(),
    replacing: ScheduledShift | None = None,
) -> list[str]:
    """What giving ``employee`` this shift (instead of ``replacing``, when it changes)
    would break, as sentences; nothing is saved. Used before every save and by the
    planner's check-before-saving."""
    _check_bounds(schedule, start, end)
    if employee is None:
        return []
    if employee.site_id != schedule.site_id:
        raise ValidationError({"employee": _("The employee works on another site.")})
    zone = schedule.site.zone
    exclude = [replacing.pk] if replacing is not None else []
    context = rules.shifts_around(employee, start, end, draft=schedule, exclude_ids=exclude)
    before = list(context)
    if replacing is not None and replacing.employee_id == employee.pk:
        before.append(replacing)
    proposed = _Proposed(start=start, end=end, breaks=breaks, serves=serves)
    found = rules.shift_problems(employee, [*context, proposed], zone=zone, before=before)
    return rules.describe(found)


@transaction.atomic
def shift_add(
    *,
    schedule: Schedule,
    start: datetime,
    end: datetime,
    actor,
    employee: Employee | None = None,
    queue: Queue | None = None,
    queue_ids=None,
    template: str = "",
    breaks: list | None = None,
) -> ScheduledShift:
    """Add a shift to a draft, checked by the one rule check when it has an employee."""
    schedule = _lock_draft(schedule)
    ids = _serves(queue, queue_ids)
    _queues_of_site(schedule, ids)
    problems = shift_problems(
        schedule, employee=employee, start=start, end=end, breaks=breaks, serves=ids
    )
    if problems:
        raise ValidationError(problems)
    return record_create(
        ScheduledShift,
        data={
            "schedule": schedule,
            "employee": employee,
            "start": start,
            "end": end,
            "queue": queue or (Queue.objects.filter(pk=ids[0]).first() if ids else None),
            "queue_ids": ids,
            "template": template,
            "breaks": breaks or [],
        },
        actor=actor,
        verb="shift_add",
    )


CHANGEABLE = frozenset({"employee", "start", "end", "queue", "queue_ids", "breaks", "template"})


@transaction.atomic
def shift_change(*, shift: ScheduledShift, actor, **changes) -> ScheduledShift:
    """Edit a shift of a draft (employee, times, queues, breaks; ``employee=None`` opens
    it), checked by the one rule check."""
    unknown = set(changes) - CHANGEABLE
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    _lock_draft(shift.schedule)
    shift = lock_for_update(shift)
    if "queue" in changes and "queue_ids" not in changes:
        changes["queue_ids"] = _serves(changes["queue"], None)
    if "queue_ids" in changes:
        changes["queue_ids"] = [int(q) for q in changes["queue_ids"] or []]
        _queues_of_site(shift.schedule, changes["queue_ids"])
        if "queue" not in changes:
            first = changes["queue_ids"][0] if changes["queue_ids"] else None
            changes["queue"] = Queue.objects.filter(pk=first).first() if first else None
    if "start" in changes and "breaks" not in changes and shift.breaks:
        # a moved shift takes its breaks along (same offsets from the start)
        changes["breaks"] = _moved_breaks(
            shift.breaks,
            changes["start"] - shift.start,
            changes["start"],
            changes.get("end", shift.end),
        )
    after = {name: changes.get(name, getattr(shift, name)) for name in CHANGEABLE}
    problems = shift_problems(
        shift.schedule,
        employee=after["employee"],
        start=after["start"],
        end=after["end"],
        breaks=after["breaks"],
        serves=after["queue_ids"] or _serves(after["queue"], None),
        replacing=shift,
    )
    if problems:
        raise ValidationError(problems)
    return record_update(shift, data=changes, actor=actor, verb="shift_change")


def _moved_breaks(breaks, delta, start, end) -> list[dict]:
    from django.utils.dateparse import parse_datetime

    moved = []
    for item in breaks:
        a, b = parse_datetime(item["start"]) + delta, parse_datetime(item["end"]) + delta
        if a < start or b > end:
            raise ValidationError(
                {
                    "end": _(
                        "The shift's breaks no longer fit in it: shorten the move or change "
                        "the breaks."
                    )
                }
            )
        moved.append({**item, "start": a.isoformat(), "end": b.isoformat()})
    return moved


@transaction.atomic
def shift_remove(*, shift: ScheduledShift, actor) -> ScheduledShift:
    _lock_draft(shift.schedule)
    return record_archive(lock_for_update(shift), actor=actor)


def schedule_problems(schedule: Schedule) -> list[str]:
    """Every rule the draft's shifts break that its site and week's published version did
    not, per employee (the check before publishing)."""
    zone = schedule.site.zone
    start, end = week_bounds(schedule.site, schedule.week_start)
    by_employee: dict[int, list[ScheduledShift]] = defaultdict(list)
    for shift in schedule.shifts.select_related("employee"):
        if shift.employee_id:
            by_employee[shift.employee_id].append(shift)
    employees = {e.pk: e for e in Employee.objects.filter(pk__in=by_employee)}
    skills = rules.employee_skills(employees.values())
    problems: list[str] = []
    for pk, _mine in sorted(by_employee.items()):
        employee = employees[pk]
        after = rules.shifts_around(employee, start, end, draft=schedule)
        before = rules.shifts_around(employee, start, end)
        found = rules.shift_problems(
            employee, after, zone=zone, before=before, skills=skills.get(pk, frozenset())
        )
        problems += rules.describe(found)
    return problems


class NeedsConfirmation(ValidationError):
    """Publishing would leave shifts open or the service level below target: the planner
    confirms first (``confirm=True``)."""


def publish_warnings(schedule: Schedule, cov: dict | None = None) -> list[str]:
    """What a planner should confirm before publishing: open shifts, a projected service
    level below target (``cov``: the schedule's coverage when the caller has it already)."""
    # coverage sits above this module (it reads the shifts this module writes)
    from ccops.wfm.services.coverage import coverage

    out = []
    open_count = schedule.shifts.filter(employee__isnull=True).count()
    if open_count:
        out.append(
            _("%(n)d shifts have no agent and will be published as open shifts.")
            % {"n": open_count}
        )
    cov = cov or coverage(schedule)
    for row in cov["queues"]:
        if row["computing"]:
            out.append(
                _(
                    "The simulated projection of %(queue)s is still being computed: its "
                    "service level is not known yet."
                )
                % {"queue": row["name"]}
            )
        elif row["projected"] is not None and row["target"] and row["projected"] < row["target"]:
            values = {"queue": row["name"], "sl": 100 * row["projected"], "t": 100 * row["target"]}
            if row["projected_low"] is not None:
                values.update(low=100 * row["projected_low"], high=100 * row["projected_high"])
                out.append(
                    _(
                        "The projected service level of %(queue)s is %(sl).0f %% (simulated, "
                        "95 %% confidence interval %(low).0f–%(high).0f %%; target %(t).0f %%)."
                    )
                    % values
                )
            else:
                out.append(
                    _(
                        "The projected service level of %(queue)s is %(sl).0f %% "
                        "(target %(t).0f %%)."
                    )
                    % values
                )
    return out


@transaction.atomic
def schedule_publish(*, schedule: Schedule, actor, confirm: bool = False) -> Schedule:
    """Publish a draft: the same site and week's published version is superseded (only
    that one), and every agent whose shifts were added, removed or moved is told what
    changed for them. With open shifts or a projected service level below target the
    planner must ``confirm``."""
    schedule = _lock_draft(schedule)
    shifts = list(schedule.shifts.select_related("employee__user"))
    if not shifts:
        raise ValidationError(_("This schedule has no shift."))
    problems = schedule_problems(schedule)
    if problems:
        raise ValidationError(problems)
    if not confirm:
        warnings = publish_warnings(schedule)
        if warnings:
            raise NeedsConfirmation(warnings, code="confirm")
    previous = list(
        Schedule.objects.select_for_update().filter(
            site=schedule.site, week_start=schedule.week_start, status=ScheduleStatus.PUBLISHED
        )
    )
    old_shifts = list(
        ScheduledShift.objects.filter(schedule__in=previous).select_related("employee__user")
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
    _tell_agents(schedule, shifts, old_shifts, first=not previous)
    return schedule


def changes_by_employee(old_shifts, new_shifts, zone) -> dict[int, dict]:
    """Per employee: shifts added, removed and moved (removed and added on the same day)."""

    def times(rows):
        out: dict[int, set] = defaultdict(set)
        for s in rows:
            if s.employee_id:
                out[s.employee_id].add((s.start, s.end))
        return out

    before, after = times(old_shifts), times(new_shifts)
    out = {}
    for pk in set(before) | set(after):
        added = after.get(pk, set()) - before.get(pk, set())
        removed = before.get(pk, set()) - after.get(pk, set())
        added_days = {s.astimezone(zone).date() for s, _e in added}
        moved_days = {s.astimezone(zone).date() for s, _e in removed} & added_days
        moved = len(moved_days)
        if added or removed:
            out[pk] = {
                "added": len(added) - moved,
                "removed": len(removed) - moved,
                "moved": moved,
            }
    return out


def _tell_agents(schedule, shifts, old_shifts, *, first: bool) -> None:
    url = reverse("wfm:my_schedule")
    people = {s.employee_id: s.employee for s in [*shifts, *old_shifts] if s.employee_id}
    if first:
        for employee in people.values():
            if employee.user_id:
                notify(
                    user=employee.user,
                    message=gettext_noop("Your schedule for the week of %(week)s is published."),
                    params={"week": schedule.week_start},
                    url=url,
                )
        return
    for pk, change in changes_by_employee(old_shifts, shifts, schedule.site.zone).items():
        employee = people[pk]
        if not employee.user_id:
            continue
        notify(
            user=employee.user,
            message=gettext_noop(
                "Your schedule for the week of %(week)s has changed: %(added)s added, "
                "%(removed)s removed, %(moved)s moved."
            ),
            params={"week": schedule.week_start, **change},
            url=url,
        )


@transaction.atomic
def schedule_archive(*, schedule: Schedule, actor) -> Schedule:
    schedule = lock_for_update(schedule)
    if schedule.status == ScheduleStatus.PUBLISHED:
        raise ValidationError(_("Publish another version before archiving the published one."))
    return record_archive(schedule, actor=actor)


def planners_of(site: Site):
    """Users who plan the site's schedules (they may change schedules)."""
    perm = Permission.objects.get(codename="change_schedule", content_type__app_label="wfm")
    users = get_user_model().objects.filter(
        Q(groups__permissions=perm) | Q(user_permissions=perm), is_active=True
    )
    return users.filter(Q(employee__site=site) | Q(employee__isnull=True)).distinct()


def notify_planners(site: Site, *, message: str, params: dict, url: str = "") -> int:
    """Tell the site's planners (see :func:`planners_of`)."""
    count = 0
    for user in planners_of(site):
        notify(user=user, message=message, params=params, url=url)
        count += 1
    return count


@transaction.atomic
def shifts_open(*, shifts, actor, note: str) -> int:
    """Take the agent off published shifts (approved leave, an incident): they stay in
    the schedule as open shifts, and the site's planners are told."""
    opened = 0
    for shift in shifts:
        shift = lock_for_update(shift)
        if shift.employee_id is None:
            continue
        with (
            audit.acting_as(actor, via=audit.current_actor().via),
            audit.action("shift_open", note=note[:200]),
        ):
            shift.employee = None
            shift.save()
        opened += 1
    return opened
