"""Row builders for the wfm permission matrix (called with ``(world, user)``)."""

from __future__ import annotations

from datetime import timedelta

from ccops.wfm import services
from ccops.wfm.models import ScheduledShift, ShiftSwapRequest, TimeOffRequest
from tests.wfm.helpers import local, next_monday, publish_week


def _next_week(w) -> int:
    """Weeks ahead for the next row of world ``w`` (2, 3, ...): counted per world, so that
    a worker's hundredth test does not plan years ahead, past every leave entitlement."""
    w._fixture_weeks = getattr(w, "_fixture_weeks", 1) + 1
    return w._fixture_weeks


def fresh_week(w, employees, *, day=0, hour=9):
    """A published week (a new one each call, weeks ahead) where each of ``employees``
    works one 8-hour shift on ``day``; returns their shifts in order."""
    week = next_monday() + timedelta(days=7 * _next_week(w))
    _schedule, made = publish_week(w, week, {e: [(day, hour, 8)] for e in employees})
    return [made[e][0] for e in employees]


def agent_shift(w, u=None) -> ScheduledShift:
    if not hasattr(w, "agent_shift"):
        (w.agent_shift,) = fresh_week(w, [w.employees["agent"]])
    return w.agent_shift


def agent_time_off(w, u=None) -> TimeOffRequest:
    start = local(w.site, next_monday() + timedelta(days=7 * _next_week(w)), 9)
    return services.time_off_request(
        employee=w.employees["agent"],
        start=start,
        end=start + timedelta(hours=8),
        kind="annual",
        actor=w.users["agent"],
    )


def cached_time_off(w, u=None) -> TimeOffRequest:
    if not hasattr(w, "time_off"):
        w.time_off = agent_time_off(w)
    return w.time_off


def teammate(w):
    """An agent of the agent's group who holds the queue's skill (managers of the group
    may decide swaps between the two)."""
    if not hasattr(w, "teammate"):
        from ccops.core.testing import make_user
        from ccops.people.models import Employee, EmployeeSkill

        user = make_user("agent", username=f"mate{w.site.pk}")
        w.teammate = Employee.objects.create(
            user=user,
            employee_number=f"M{w.site.pk}",
            full_name="Team mate",
            site=w.site,
            team=w.group1,
        )
        EmployeeSkill.objects.create(employee=w.teammate, skill=w.skill, level=2)
    return w.teammate


def agent_swap(w, u=None, *, accepted=False) -> ShiftSwapRequest:
    """The agent offers a shift to a colleague of their group in exchange for theirs."""
    mate = teammate(w)
    mine, theirs = fresh_week(w, [w.employees["agent"], mate])
    swap = services.shift_swap_request(
        shift=mine, colleague=mate, colleague_shift=theirs, actor=w.users["agent"]
    )
    if accepted:
        services.shift_swap_accept(swap=swap, actor=mate.user)
    return swap


def cached_swap(w, u=None) -> ShiftSwapRequest:
    if not hasattr(w, "swap"):
        w.swap = agent_swap(w)
    return w.swap


def swap_to_user(w, u) -> ShiftSwapRequest:
    """The other agent gives a shift away to ``u``'s employee (who may accept it)."""
    from ccops.people.models import EmployeeSkill

    (theirs,) = fresh_week(w, [w.other_employee])
    colleague = w.employees["agent"] if u is None else u.employee
    EmployeeSkill.objects.get_or_create(employee=colleague, skill=w.skill, defaults={"level": 1})
    return services.shift_swap_request(shift=theirs, colleague=colleague, actor=w.other_agent)


def feed_token(w, u) -> str:
    _token, raw = services.calendar_feed_create(actor=u or w.users["agent"])
    return raw
