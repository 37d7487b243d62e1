"""Agents' self-service: time-off requests, shift swaps, calendar feeds."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ccops.core import audit
from ccops.core.errors import Conflict
from ccops.core.formats import format_date, format_datetime
from ccops.core.permissions import can, has_model_perm, managed_team_ids
from ccops.core.roles import SCOPE_TEAM, user_scope
from ccops.core.services import (
    lock_for_update,
    notify,
    record_archive,
    record_create,
    record_update,
    require_state,
)
from ccops.people.models import Employee
from ccops.wfm.choices import DayPart, RequestStatus, ScheduleStatus, SwapStatus
from ccops.wfm.models import (
    CalendarFeedToken,
    ScheduledShift,
    ShiftSwapRequest,
    TimeOffRequest,
)
from ccops.wfm.models.requests import hash_feed_token
from ccops.wfm.services import leave, rules
from ccops.wfm.services.queries import published_shifts, shift_breaks
from ccops.wfm.services.schedules import notify_planners, shifts_open

#: No leave may be asked within this long before or after the start of one's shift.
LEAVE_BLACKOUT = timedelta(hours=1)


def _via() -> str:
    return audit.current_actor().via


# --- time off -----------------------------------------------------------------------------


def _when(moment: datetime, site) -> str:
    """A leave's start for a message: the date, with the time when it is not midnight."""
    local = moment.astimezone(site.zone)
    if local.hour == 0 and local.minute == 0:
        return format_date(moment, site)
    return format_datetime(moment, site)


def _own_or_managed(actor, employee: Employee) -> None:
    if employee.user_id == actor.pk:
        return
    if not (has_model_perm(actor, TimeOffRequest, "change") and can(actor, employee, "view")):
        raise PermissionDenied(
            _("You may ask for time off only for yourself or the people of your teams.")
        )


def shift_starting_near(employee: Employee, moment: datetime):
    """The published shift of ``employee`` starting within an hour of ``moment``, if any."""
    return (
        published_shifts()
        .filter(
            employee=employee,
            start__gte=moment - LEAVE_BLACKOUT,
            start__lte=moment + LEAVE_BLACKOUT,
        )
        .first()
    )


#: Checks that apps above workforce management add (:func:`register_leave_check`): each is
#: ``fn(employee, start, end) -> str | None``, the reason time off cannot be asked for that
#: window now (an incident's leave freeze before the surge after recovery).
LEAVE_CHECKS: list = []


def register_leave_check(fn) -> None:
    """Add a check every non-emergency time-off request must pass (once per function)."""
    if fn not in LEAVE_CHECKS:
        LEAVE_CHECKS.append(fn)


@transaction.atomic
def time_off_request(
    *,
    employee: Employee,
    start: datetime,
    end: datetime,
    actor,
    kind: str = "",
    leave_type=None,
    reason: str = "",
    emergency: bool = False,
    day_part: str = "",
    now: datetime | None = None,
) -> TimeOffRequest:
    """Ask for time off. The manual's rule: no leave may be asked within the hour before or
    after the start of one's shift, emergencies aside. Time off of a leave type with a
    balance must fit what is left of it (approved and pending requests counted).

    ``day_part`` (``morning`` or ``afternoon``) asks for half of the day ``start`` falls on
    (site time; ``end`` must fall on the same day): the time off is that half
    (:func:`leave.half_day_bounds`) and counts half a working day."""
    _own_or_managed(actor, employee)
    now = now or timezone.now()
    if day_part:
        if day_part not in DayPart.values:
            raise ValidationError({"day_part": _("Choose the morning or the afternoon.")})
        zone = employee.site.zone
        day = timezone.localtime(start, zone).date()
        if end > start and timezone.localtime(end - timedelta(microseconds=1), zone).date() != day:
            raise ValidationError(
                {"end": _("Half a day is the morning or the afternoon of one day.")}
            )
        start, end = leave.half_day_bounds(day, day_part, zone)
    if end <= start:
        raise ValidationError({"end": _("The end of the time off must be after its start.")})
    today = timezone.localtime(now, employee.site.zone).date()
    if timezone.localtime(start, employee.site.zone).date() < today:
        raise ValidationError(
            {"start": _("Time off is asked for today or later, not for a day that has passed.")}
        )
    if emergency and not reason.strip():
        raise ValidationError({"reason": _("Say what the emergency is.")})
    if not emergency:
        for check in LEAVE_CHECKS:
            refused = check(employee, start, end)
            if refused:
                raise ValidationError({"start": refused})
    leave_type = leave.resolve_leave_type(employee, kind, leave_type)
    if leave_type is not None:
        kind = leave_type.category
    if not kind:
        raise ValidationError({"leave_type": _("Choose the kind of leave.")})
    # requests of one employee are checked one at a time (the overlap and balance checks)
    employee = lock_for_update(employee)
    if not emergency:
        near = shift_starting_near(employee, now)
        if near is not None:
            raise ValidationError(
                _(
                    "Leave cannot be asked within one hour before or after the start of your "
                    "shift (%(start)s); mark the request as an emergency if it is one."
                )
                % {"start": format_datetime(near.start, near.schedule.site)}
            )
    clash = TimeOffRequest.objects.filter(
        employee=employee,
        status__in=[RequestStatus.REQUESTED, RequestStatus.APPROVED],
        start__lt=end,
        end__gt=start,
    ).first()
    if clash is not None:
        raise ValidationError(
            _("This overlaps another time-off request (%(other)s).") % {"other": clash}
        )
    days = leave.working_days(employee, start, end, half_day=bool(day_part))
    leave.check_fits_new(employee, leave_type, start, days)
    request = record_create(
        TimeOffRequest,
        data={
            "employee": employee,
            "start": start,
            "end": end,
            "kind": kind,
            "leave_type": leave_type,
            "days": days,
            "reason": reason,
            "emergency": emergency,
            "day_part": day_part,
        },
        actor=actor,
        verb="time_off_request",
    )
    manager = employee.team.leader if employee.team_id else None
    if manager is not None and manager.user_id and manager.user_id != actor.pk:
        notify(
            user=manager.user,
            message=gettext_noop("%(who)s asks for time off from %(day)s."),
            params={"who": employee.full_name, "day": _when(start, employee.site)},
            url=request.get_absolute_url(),
        )
    return request


def _check_decider(actor, obj, model, employees=()) -> None:
    """The actor may decide requests of these employees: the model permission, the row in
    scope, and for a group or area manager every employee concerned in one of their teams."""
    if not has_model_perm(actor, model, "change") or not can(actor, obj, "change"):
        raise PermissionDenied(_("You may not decide this request."))
    if user_scope(actor) == SCOPE_TEAM:
        teams = set(managed_team_ids(actor))
        if any(e.team_id not in teams for e in employees):
            raise PermissionDenied(
                _("Only a manager of every employee concerned, or a supervisor, may decide this.")
            )


def _check_not_own(actor, employees) -> None:
    if any(e.user_id == actor.pk for e in employees):
        raise PermissionDenied(_("You cannot decide your own request."))


def leave_conflicts(request: TimeOffRequest) -> list[dict]:
    """The employee's published shifts the time off clashes with, each with the agent-hours
    on the phones it would take from the queues it serves."""
    out = []
    for shift in rules.open_shifts_for_leave(request.employee, request.start, request.end):
        if shift.end <= timezone.now():
            continue
        hours = (shift.end - shift.start).total_seconds() / 3600
        hours -= sum((e - s).total_seconds() / 3600 for s, e, _p, _n in shift_breaks(shift))
        out.append({"shift": shift, "hours_on_phones": round(hours, 2)})
    return out


@transaction.atomic
def time_off_approve(*, request: TimeOffRequest, actor, note: str = "") -> TimeOffRequest:
    """A manager of the employee's team (or a supervisor) approves the request, if it
    still fits the employee's balance. The shifts it clashes with become open shifts, and
    the site's planners are told."""
    request = _time_off_decide(request, actor, RequestStatus.APPROVED, note, "time_off_approve")
    clashing = [c["shift"] for c in leave_conflicts(request)]
    if clashing:
        opened = shifts_open(shifts=clashing, actor=actor, note=f"time off #{request.pk}")
        site = request.employee.site
        notify_planners(
            site,
            message=gettext_noop(
                "%(who)s's approved time off from %(day)s leaves %(n)s shifts open."
            ),
            params={
                "who": request.employee.full_name,
                "day": _when(request.start, site),
                "n": opened,
            },
            url=clashing[0].schedule.get_absolute_url(),
        )
    return request


@transaction.atomic
def time_off_reject(*, request: TimeOffRequest, actor, note: str = "") -> TimeOffRequest:
    return _time_off_decide(request, actor, RequestStatus.REJECTED, note, "time_off_reject")


def _time_off_decide(request, actor, status, note, verb):
    request = lock_for_update(request)
    _check_decider(actor, request, TimeOffRequest, [request.employee])
    _check_not_own(actor, [request.employee])
    require_state(
        request,
        "status",
        [RequestStatus.REQUESTED],
        message=_("This request is already %(status)s.") % {"status": request.get_status_display()},
    )
    extra = {}
    if status == RequestStatus.APPROVED:
        # approvals of one employee's requests queue on the employee's row, so two that
        # together exceed the balance cannot both pass the check
        lock_for_update(request.employee)
        days = leave.working_days(
            request.employee, request.start, request.end, half_day=bool(request.day_part)
        )
        if days != request.days:
            extra["days"] = request.days = days
        leave.check_fits_approval(request)
    record_update(
        request,
        data={
            **extra,
            "status": status,
            "decided_by": actor,
            "decided_at": timezone.now(),
            "decision_note": note,
        },
        actor=actor,
        verb=verb,
    )
    message = (
        gettext_noop("Your time off from %(day)s is approved.")
        if status == RequestStatus.APPROVED
        else gettext_noop("Your time off from %(day)s is rejected.")
    )
    notify(
        user=request.employee.user,
        message=message,
        params={"day": _when(request.start, request.employee.site)},
        url=request.get_absolute_url(),
    )
    return request


@transaction.atomic
def time_off_cancel(*, request: TimeOffRequest, actor) -> TimeOffRequest:
    """The employee withdraws a request not yet started."""
    request = lock_for_update(request)
    if request.employee.user_id != actor.pk:
        raise PermissionDenied(_("Only the employee may cancel their request."))
    require_state(
        request,
        "status",
        [RequestStatus.REQUESTED, RequestStatus.APPROVED],
        message=_("Only a pending or approved request can be cancelled."),
    )
    if request.status == RequestStatus.APPROVED and request.start <= timezone.now():
        raise ValidationError(_("This time off has already started."))
    return record_update(
        request, data={"status": RequestStatus.CANCELLED}, actor=actor, verb="time_off_cancel"
    )


# --- shift swaps --------------------------------------------------------------------------


def _future_published(shift: ScheduledShift, who: Employee, field: str) -> None:
    if shift.schedule.status != ScheduleStatus.PUBLISHED:
        raise ValidationError({field: _("Only shifts of a published schedule can be swapped.")})
    if shift.employee_id != who.pk:
        raise ValidationError(
            {field: _("%(shift)s is not a shift of %(who)s.") % {"shift": shift, "who": who}}
        )
    if shift.start <= timezone.now():
        raise ValidationError({field: _("%(shift)s has already started.") % {"shift": shift}})


def swap_violations(swap: ShiftSwapRequest) -> list[str]:
    """What both agents' shifts would break once the swap is made (the one rule check:
    skills of the shift's queues, leave, availability, rest, hours, days in a row)."""
    moved = {swap.shift_id: swap.colleague_id}
    if swap.colleague_shift_id:
        moved[swap.colleague_shift_id] = swap.requester_id
    first = min(swap.shift.start, (swap.colleague_shift or swap.shift).start)
    last = max(swap.shift.end, (swap.colleague_shift or swap.shift).end)
    zone = swap.shift.schedule.site.zone
    window = published_shifts().filter(
        Q(employee__in=[swap.requester, swap.colleague]) | Q(pk__in=moved),
        start__lt=last + rules.CONTEXT,
        end__gt=first - rules.CONTEXT,
    )
    window = list(window)
    problems: list[str] = []
    for employee in (swap.requester, swap.colleague):
        before = [s for s in window if s.employee_id == employee.pk]
        after = [s for s in window if moved.get(s.pk, s.employee_id) == employee.pk]
        problems += rules.describe(rules.shift_problems(employee, after, zone=zone, before=before))
    return problems


@transaction.atomic
def shift_swap_request(
    *,
    shift: ScheduledShift,
    colleague: Employee,
    actor,
    colleague_shift: ScheduledShift | None = None,
    reason: str = "",
) -> ShiftSwapRequest:
    """An agent offers their shift to a colleague (for one of theirs, or as a give-away)."""
    shift = lock_for_update(shift)
    if colleague_shift is not None:
        colleague_shift = lock_for_update(colleague_shift)
    requester = shift.employee
    if requester is None or requester.user_id != actor.pk:
        raise PermissionDenied(_("You can only offer your own shifts."))
    if colleague.pk == requester.pk:
        raise ValidationError({"colleague": _("Choose a colleague, not yourself.")})
    if colleague.site_id != requester.site_id or colleague.user_id is None:
        raise ValidationError({"colleague": _("The colleague must work on your site.")})
    _future_published(shift, requester, "shift")
    if colleague_shift is not None:
        _future_published(colleague_shift, colleague, "colleague_shift")
    mine = [shift.pk] + ([colleague_shift.pk] if colleague_shift else [])
    open_swap = ShiftSwapRequest.objects.filter(
        Q(shift__in=mine) | Q(colleague_shift__in=mine),
        status__in=[SwapStatus.REQUESTED, SwapStatus.ACCEPTED],
    ).exists()
    if open_swap:
        raise Conflict({"shift": _("This shift already has an open swap request.")})
    swap = ShiftSwapRequest(
        requester=requester, shift=shift, colleague=colleague, colleague_shift=colleague_shift
    )
    problems = swap_violations(swap)
    if problems:
        raise ValidationError(problems)
    swap = record_create(
        ShiftSwapRequest,
        data={
            "requester": requester,
            "shift": shift,
            "colleague": colleague,
            "colleague_shift": colleague_shift,
            "reason": reason,
        },
        actor=actor,
        verb="shift_swap_request",
    )
    swap.participants.set([requester, colleague])
    notify(
        user=colleague.user,
        message=gettext_noop("%(who)s offers you a shift swap."),
        params={"who": requester.full_name},
        url=swap.get_absolute_url(),
    )
    return swap


@transaction.atomic
def shift_swap_accept(*, swap: ShiftSwapRequest, actor) -> ShiftSwapRequest:
    """The colleague agrees; the swap then waits for a manager."""
    swap = lock_for_update(swap)
    if swap.colleague.user_id != actor.pk:
        raise PermissionDenied(_("Only the colleague asked may accept this swap."))
    require_state(
        swap, "status", [SwapStatus.REQUESTED], message=_("This swap is no longer waiting for you.")
    )
    problems = swap_violations(swap)
    if problems:
        raise ValidationError(problems)
    record_update(
        swap,
        data={"status": SwapStatus.ACCEPTED, "accepted_at": timezone.now()},
        actor=actor,
        verb="shift_swap_accept",
    )
    leader = swap.requester.team.leader if swap.requester.team_id else None
    if leader is not None and leader.user_id:
        notify(
            user=leader.user,
            message=gettext_noop("A shift swap between %(a)s and %(b)s waits for your approval."),
            params={"a": swap.requester.full_name, "b": swap.colleague.full_name},
            url=swap.get_absolute_url(),
        )
    return swap


@transaction.atomic
def shift_swap_approve(*, swap: ShiftSwapRequest, actor, note: str = "") -> ShiftSwapRequest:
    """A manager approves an accepted swap: the shifts change hands, after the rules are
    checked again on the schedule as it is now (the shifts locked meanwhile)."""
    swap = lock_for_update(swap)
    _check_decider(actor, swap, ShiftSwapRequest, [swap.requester, swap.colleague])
    _check_not_own(actor, [swap.requester, swap.colleague])
    require_state(
        swap,
        "status",
        [SwapStatus.ACCEPTED],
        message=_("Only a swap the colleague accepted can be approved."),
    )
    given = lock_for_update(swap.shift)
    taken = lock_for_update(swap.colleague_shift) if swap.colleague_shift_id else None
    _future_published(given, swap.requester, "shift")
    if taken is not None:
        _future_published(taken, swap.colleague, "colleague_shift")
    swap.shift, swap.colleague_shift = given, taken
    problems = swap_violations(swap)
    if problems:
        raise ValidationError(problems)
    record_update(given, data={"employee": swap.colleague}, actor=actor, verb="shift_swap")
    if taken is not None:
        record_update(taken, data={"employee": swap.requester}, actor=actor, verb="shift_swap")
    record_update(
        swap,
        data={
            "status": SwapStatus.APPROVED,
            "decided_by": actor,
            "decided_at": timezone.now(),
            "decision_note": note,
        },
        actor=actor,
        verb="shift_swap_approve",
    )
    for employee in (swap.requester, swap.colleague):
        notify(
            user=employee.user,
            message=gettext_noop("The shift swap between %(a)s and %(b)s is approved."),
            params={"a": swap.requester.full_name, "b": swap.colleague.full_name},
            url=swap.get_absolute_url(),
        )
    return swap


@transaction.atomic
def shift_swap_reject(*, swap: ShiftSwapRequest, actor, note: str = "") -> ShiftSwapRequest:
    """The colleague declines, or a manager rejects, an open swap."""
    swap = lock_for_update(swap)
    require_state(
        swap,
        "status",
        [SwapStatus.REQUESTED, SwapStatus.ACCEPTED],
        message=_("This swap is already closed."),
    )
    is_colleague = swap.colleague.user_id == actor.pk and swap.status == SwapStatus.REQUESTED
    if not is_colleague:
        _check_decider(actor, swap, ShiftSwapRequest, [swap.requester, swap.colleague])
        _check_not_own(actor, [swap.requester, swap.colleague])
    record_update(
        swap,
        data={
            "status": SwapStatus.REJECTED,
            "decided_by": actor,
            "decided_at": timezone.now(),
            "decision_note": note,
        },
        actor=actor,
        verb="shift_swap_reject",
    )
    notify(
        user=swap.requester.user,
        message=gettext_noop("Your shift swap with %(who)s is rejected."),
        params={"who": swap.colleague.full_name},
        url=swap.get_absolute_url(),
    )
    return swap


@transaction.atomic
def shift_swap_cancel(*, swap: ShiftSwapRequest, actor) -> ShiftSwapRequest:
    swap = lock_for_update(swap)
    if swap.requester.user_id != actor.pk:
        raise PermissionDenied(_("Only the agent who asked may cancel the swap."))
    require_state(
        swap,
        "status",
        [SwapStatus.REQUESTED, SwapStatus.ACCEPTED],
        message=_("This swap is already closed."),
    )
    return record_update(
        swap, data={"status": SwapStatus.CANCELLED}, actor=actor, verb="shift_swap_cancel"
    )


# --- calendar feed ------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_create(*, actor) -> tuple[CalendarFeedToken, str]:
    """A new secret feed URL for ``actor`` (the previous one is revoked). Returns the row and
    the raw secret (shown in the URL; only its hash is stored)."""
    for old in CalendarFeedToken.objects.filter(user=actor):
        record_archive(old, actor=actor)
    raw = CalendarFeedToken.generate()
    token = CalendarFeedToken(user=actor, key_hash=hash_feed_token(raw))
    with audit.acting_as(actor, via=_via()), audit.action("calendar_feed_create"):
        token.save()
    return token, raw


@transaction.atomic
def calendar_feed_revoke(*, actor) -> int:
    tokens = list(CalendarFeedToken.objects.filter(user=actor))
    for token in tokens:
        record_archive(token, actor=actor)
    return len(tokens)


def calendar_feed_user(raw: str):
    """The user whose active feed secret is ``raw``, or ``None``."""
    if not raw:
        return None
    token = (
        CalendarFeedToken.objects.select_related("user")
        .filter(key_hash=hash_feed_token(raw))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    CalendarFeedToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
