"""The one rule check of every path that gives an employee a shift: generation, a manual
edit, an added shift, a swap, a time-off approval.

The rules are the scheduling engine's (:func:`ccops.engine.schedule.rules.check_roster`):
the skills of every queue the shift serves, approved leave, unavailability, at most one
shift a day and :data:`MAX_DAILY_PAID_HOURS` paid hours in it, :data:`MIN_REST_HOURS` of
rest between shifts, at most :data:`MAX_CONSECUTIVE_DAYS` working days in a row, the days
off of each week and the contract's weekly hours. This module converts employees and
shifts into the engine's types (:func:`engine_agent`), runs the check over the weeks
around the change, keeps only what the change breaks (a planner is not blocked by an old
problem elsewhere in the month), and words each problem, from the engine's code and
values, in the reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccops.core.formats import format_date, format_datetime
from ccops.engine.schedule.rules import Agent, RosterSettings, RosterShift, check_roster
from ccops.people.models import Employee, EmployeeSkill
from ccops.wfm.choices import RequestStatus, ScheduleStatus
from ccops.wfm.models import ScheduledShift, TimeOffRequest, Unavailability
from ccops.wfm.services.queries import monday_of, paid_hours, published_shifts

MIN_REST_HOURS = 11
MAX_CONSECUTIVE_DAYS = 6
MAX_DAILY_PAID_HOURS = 11
DAYS_OFF_PER_WEEK = 2
#: Published shifts this far around a change are checked with it (rest, days in a row).
CONTEXT = timedelta(days=7)


def queue_skill(queue_id: int) -> str:
    """The engine skill name of "may serve queue ``queue_id``"."""
    return f"queue:{queue_id}"


def roster_settings(*, time_limit_seconds: float = 60.0, num_workers: int = 1) -> RosterSettings:
    return RosterSettings(
        min_rest_minutes=MIN_REST_HOURS * 60,
        first_weekday=0,
        time_limit_seconds=time_limit_seconds,
        num_workers=num_workers,
    )


def employee_skills(employees: Iterable[Employee]) -> dict[int, frozenset[str]]:
    """Engine skills of each employee: their skill codes and the queues they may serve."""
    out: dict[int, set[str]] = {}
    rows = EmployeeSkill.objects.filter(employee__in=list(employees)).values_list(
        "employee_id", "skill__code", "skill__queue_id"
    )
    for employee_id, code, queue_id in rows:
        mine = out.setdefault(employee_id, set())
        mine.add(code)
        if queue_id:
            mine.add(queue_skill(queue_id))
    return {k: frozenset(v) for k, v in out.items()}


def _minutes(moment: datetime, origin: datetime) -> int:
    return int((moment - origin).total_seconds() // 60)


def engine_agent(
    employee: Employee,
    origin: datetime,
    n_days: int,
    *,
    zone,
    skills: frozenset[str] | None = None,
    previous_shift_end: int | None = None,
    previous_consecutive_days: int = 0,
) -> Agent:
    """``employee`` as the engine's agent on a horizon of ``n_days`` from ``origin`` (a
    site-local midnight): contract hours, skills, approved leave (whole days as leave days,
    parts of days as unavailable time), unavailability."""
    end = origin + timedelta(days=n_days)
    leave_days: set[int] = set()
    blocked: list[tuple[int, int]] = []
    for request in TimeOffRequest.objects.filter(
        employee=employee, status=RequestStatus.APPROVED, start__lt=end, end__gt=origin
    ):
        for d in range(n_days):
            day_start = datetime.combine(
                (origin + timedelta(days=d)).astimezone(zone).date(), time(0), tzinfo=zone
            )
            day_end = day_start + timedelta(days=1)
            if request.start <= day_start and request.end >= day_end:
                leave_days.add(d)
            elif request.start < day_end and request.end > day_start:
                blocked.append(
                    (
                        _minutes(max(request.start, day_start), origin),
                        _minutes(min(request.end, day_end), origin),
                    )
                )
    first_day = origin.astimezone(zone).date()
    for item in Unavailability.objects.filter(employee=employee).filter(
        Q(weekday__isnull=False)
        | Q(date__gte=first_day, date__lt=first_day + timedelta(days=n_days))
    ):
        for d in range(n_days):
            day = first_day + timedelta(days=d)
            if (item.weekday is not None and day.weekday() != item.weekday) or (
                item.date is not None and item.date != day
            ):
                continue
            lo = datetime.combine(day, item.start_time, tzinfo=zone)
            hi_day = day + timedelta(days=1) if item.end_time == time(0) else day
            hi = datetime.combine(hi_day, item.end_time, tzinfo=zone)
            blocked.append((_minutes(lo, origin), _minutes(hi, origin)))
    if skills is None:
        skills = employee_skills([employee]).get(employee.pk, frozenset())
    return Agent(
        agent_id=str(employee.pk),
        name=employee.full_name,
        skills=skills,
        contract_minutes_per_week=int(float(employee.weekly_hours) * 60),
        days_off_per_week=DAYS_OFF_PER_WEEK,
        max_consecutive_days=MAX_CONSECUTIVE_DAYS,
        unavailable=tuple(sorted(blocked)),
        leave_days=frozenset(leave_days),
        previous_shift_end=previous_shift_end,
        previous_consecutive_days=previous_consecutive_days,
        max_minutes_per_day=MAX_DAILY_PAID_HOURS * 60,
    )


def roster_shift(shift, origin: datetime) -> RosterShift:
    """A shift (a ``ScheduledShift`` or any object with ``start``, ``end``, ``breaks``
    and ``serves``) on the horizon's clock."""
    return RosterShift(
        _minutes(shift.start, origin),
        _minutes(shift.end, origin),
        round(paid_hours(shift) * 60),
        tuple(queue_skill(q) for q in shift.serves),
        getattr(shift, "template", ""),
    )


@dataclass(frozen=True)
class Problem:
    """A hard rule a change would break: the engine's code, the employee and the values."""

    code: str
    employee: Employee
    params: tuple[tuple[str, object], ...]
    origin: datetime
    zone: object

    @property
    def key(self) -> tuple:
        return (self.code, self.employee.pk, self.params)

    def _at(self, minutes) -> datetime:
        return self.origin + timedelta(minutes=int(minutes))

    def _day(self, day) -> str:
        return format_date((self.origin + timedelta(days=int(day))).astimezone(self.zone).date())

    @property
    def text(self) -> str:
        p = dict(self.params)
        who = self.employee.full_name
        when = format_datetime(self._at(p["start"]), self.zone) if "start" in p else ""
        words = MESSAGES.get(self.code)
        if words is None:
            return _("%(who)s: rule %(rule)s is broken.") % {"who": who, "rule": self.code}
        values = {"who": who, "when": when}
        if "day" in p:
            values["day"] = self._day(p["day"])
        if "days" in p and isinstance(p["days"], list | tuple):
            values["day"] = ", ".join(self._day(d) for d in p["days"])
        for name in ("minutes", "limit", "rest", "minimum"):
            if name in p and p[name] is not None:
                values[f"{name}_h"] = float(p[name]) / 60
        for name in ("off", "required", "days"):
            if name in p and not isinstance(p[name], list | tuple):
                values[name] = p[name]
        if self.code == "minimum_rest" and float(p.get("rest", 0)) < 0:
            return _("%(who)s would have overlapping shifts at %(when)s.") % values
        return str(words) % values


MESSAGES = {
    "skills": gettext_lazy(
        "%(who)s does not hold the skill of every queue the shift of %(when)s serves."
    ),
    "leave": gettext_lazy("%(who)s is on approved leave on the day of the shift of %(when)s."),
    "unavailable": gettext_lazy("%(who)s is unavailable or on leave during the shift of %(when)s."),
    "daily_hours": gettext_lazy(
        "%(who)s would work %(minutes_h).1f paid hours in the shift of %(when)s "
        "(at most %(limit_h).1f h a day)."
    ),
    "one_shift_per_day": gettext_lazy("%(who)s would have two shifts on %(day)s."),
    "minimum_rest": gettext_lazy(
        "%(who)s would rest only %(rest_h).1f h before the shift of %(when)s "
        "(minimum %(minimum_h).0f h)."
    ),
    "max_consecutive_days": gettext_lazy(
        "%(who)s would work %(days)d days in a row (until %(day)s)."
    ),
    "days_off": gettext_lazy(
        "%(who)s would have only %(off)d days off in the week of %(day)s (%(required)d required)."
    ),
    "consecutive_days_off": gettext_lazy(
        "%(who)s would have no two consecutive days off in the week of %(day)s."
    ),
    "weekly_hours": gettext_lazy(
        "%(who)s would work %(minutes_h).1f h in the week of %(day)s (contract %(limit_h).1f h)."
    ),
    "longer_than_contract": gettext_lazy(
        "%(who)s has a weekly contract shorter than the shift of %(when)s."
    ),
    "stable_start": gettext_lazy(
        "%(who)s would start at very different times in the week of %(day)s."
    ),
}


def _problems(
    employee, shifts: Sequence, origin: datetime, n_days: int, zone, skills
) -> list[Problem]:
    agent = engine_agent(employee, origin, n_days, zone=zone, skills=skills)
    pairs = [(agent.agent_id, roster_shift(s, origin)) for s in shifts]
    found = check_roster(pairs, [agent], n_days, roster_settings())
    return [
        Problem(
            v.rule,
            employee,
            tuple(sorted((k, _freeze(x)) for k, x in v.params.items())),
            origin,
            zone,
        )
        for v in found
    ]


def _freeze(value):
    return tuple(value) if isinstance(value, list) else value


def shift_problems(
    employee: Employee,
    after: Sequence,
    *,
    zone,
    before: Sequence = (),
    skills: frozenset[str] | None = None,
) -> list[Problem]:
    """What ``employee``'s shifts ``after`` a change break that the shifts ``before`` it
    did not (both lists: every shift of the employee in the weeks around the change).
    Shifts are ``ScheduledShift`` rows or objects with ``start``, ``end``, ``breaks`` and
    ``serves``."""
    moments = [s.start for s in (*after, *before)]
    if not moments:
        return []
    first = monday_of(min(moments).astimezone(zone).date())
    last = max(s.end for s in (*after, *before)).astimezone(zone).date()
    n_days = 7 * ((last - first).days // 7 + 1)
    origin = datetime.combine(first, time(0), tzinfo=zone)
    if skills is None:
        skills = employee_skills([employee]).get(employee.pk, frozenset())
    new = _problems(employee, after, origin, n_days, zone, skills)
    if not before:
        return new
    old = {p.key for p in _problems(employee, before, origin, n_days, zone, skills)}
    return [p for p in new if p.key not in old]


def shifts_around(
    employee: Employee,
    start: datetime,
    end: datetime,
    *,
    draft=None,
    exclude_ids: Iterable[int] = (),
) -> list[ScheduledShift]:
    """The shifts ``employee`` works from a week before ``start`` to a week after ``end``:
    published shifts, except that the week of ``draft`` (a schedule being edited) counts
    with the draft's shifts instead of its published version's."""
    rows = published_shifts().filter(
        employee=employee, start__lt=end + CONTEXT, end__gt=start - CONTEXT
    )
    if draft is not None:
        rows = rows.exclude(schedule__site=draft.site, schedule__week_start=draft.week_start)
        mine = draft.shifts.filter(employee=employee)
        rows = list(rows) + list(mine)
    return [s for s in rows if s.pk not in set(exclude_ids)]


def describe(problems: Iterable[Problem]) -> list[str]:
    """The problems as sentences in the active language."""
    return [p.text for p in problems]


def open_shifts_for_leave(
    employee: Employee, start: datetime, end: datetime
) -> list[ScheduledShift]:
    """Published shifts of ``employee`` (not yet over) that approved leave from ``start``
    to ``end`` would clash with."""
    return list(
        published_shifts()
        .filter(employee=employee, start__lt=end, end__gt=start)
        .exclude(schedule__status=ScheduleStatus.SUPERSEDED)
        .select_related("schedule__site")
        .defer("schedule__summary")
        .order_by("start")
    )
