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
from ccops.core.permissions import can, has_model_perm
from ccops.core.services import notify, record_archive, record_create, record_update
from ccops.people.models import Employee
from ccops.wfm.choices import RequestStatus, ScheduleStatus, SwapStatus
from ccops.wfm.models import (
    CalendarFeedToken,
    ScheduledShift,
    ShiftSwapRequest,
    TimeOffRequest,
)
from ccops.wfm.models.requests import hash_feed_token
from ccops.wfm.services.rules import shift_violations

#: No leave may be asked within this long before or after the start of one's shift.
LEAVE_BLACKOUT = timedelta(hours=1)


def _via() -> str:
    return audit.current_actor().via


def published_shifts():
    """Shifts of published schedules (what agents see and work)."""
    return ScheduledShift.objects.filter(schedule__status=ScheduleStatus.PUBLISHED)


# --- time off -----------------------------------------------------------------------------


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


@transaction.atomic
def time_off_request(
    *,
    employee: Employee,
    start: datetime,
    end: datetime,
    kind: str,
    actor,
    reason: str = "",
    emergency: bool = False,
    now: datetime | None = None,
) -> TimeOffRequest:
    """Ask for time off. The manual's rule: no leave may be asked within the hour before or
    after the start of one's shift, emergencies aside."""
    _own_or_managed(actor, employee)
    now = now or timezone.now()
    if end <= start:
        raise ValidationError({"end": _("The end of the time off must be after its start.")})
    if emergency and not reason.strip():
        raise ValidationError({"reason": _("Say what the emergency is.")})
    if not emergency:
        near = shift_starting_near(employee, now)
        if near is not None:
            local = timezone.localtime(near.start, near.schedule.site.zone)
            raise ValidationError(
                _(
                    "Leave cannot be asked within one hour before or after the start of your "
                    "shift (%(start)s); mark the request as an emergency if it is one."
                )
                % {"start": local.strftime("%Y-%m-%d %H:%M")}
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
    request = record_create(
        TimeOffRequest,
        data={
            "employee": employee,
            "start": start,
            "end": end,
            "kind": kind,
            "reason": reason,
            "emergency": emergency,
        },
        actor=actor,
        verb="time_off_request",
    )
    manager = employee.team.leader if employee.team_id else None
    if manager is not None and manager.user_id and manager.user_id != actor.pk:
        notify(
            user=manager.user,
            message=gettext_noop("%(who)s asks for time off from %(day)s."),
            params={"who": employee.full_name, "day": start.date()},
            url=request.get_absolute_url(),
        )
    return request


def _check_decider(actor, obj, model) -> None:
    if not has_model_perm(actor, model, "change") or not can(actor, obj, "change"):
        raise PermissionDenied(_("You may not decide this request."))


def _check_not_own(actor, employees) -> None:
    if any(e.user_id == actor.pk for e in employees):
        raise PermissionDenied(_("You cannot decide your own request."))


@transaction.atomic
def time_off_approve(*, request: TimeOffRequest, actor, note: str = "") -> TimeOffRequest:
    """A manager of the employee's team (or a supervisor) approves the request."""
    return _time_off_decide(request, actor, RequestStatus.APPROVED, note, "time_off_approve")


@transaction.atomic
def time_off_reject(*, request: TimeOffRequest, actor, note: str = "") -> TimeOffRequest:
    return _time_off_decide(request, actor, RequestStatus.REJECTED, note, "time_off_reject")


def _time_off_decide(request, actor, status, note, verb):
    _check_decider(actor, request, TimeOffRequest)
    _check_not_own(actor, [request.employee])
    if request.status != RequestStatus.REQUESTED:
        raise ValidationError(
            _("This request is already %(status)s.") % {"status": request.get_status_display()}
        )
    record_update(
        request,
        data={
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
        params={"day": request.start.date()},
        url=request.get_absolute_url(),
    )
    return request


@transaction.atomic
def time_off_cancel(*, request: TimeOffRequest, actor) -> TimeOffRequest:
    """The employee withdraws a request not yet started."""
    if request.employee.user_id != actor.pk:
        raise PermissionDenied(_("Only the employee may cancel their request."))
    if request.status not in (RequestStatus.REQUESTED, RequestStatus.APPROVED):
        raise ValidationError(_("Only a pending or approved request can be cancelled."))
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
    """Hard-rule violations of both agents' shifts once the swap is made."""
    moved = {swap.shift_id: swap.colleague_id}
    if swap.colleague_shift_id:
        moved[swap.colleague_shift_id] = swap.requester_id
    zone = swap.shift.schedule.site.zone
    window_start = min(swap.shift.start, (swap.colleague_shift or swap.shift).start)
    window_start -= timedelta(days=7)
    window_end = max(swap.shift.end, (swap.colleague_shift or swap.shift).end) + timedelta(days=7)
    problems: list[str] = []
    for employee in (swap.requester, swap.colleague):
        shifts = list(
            published_shifts().filter(
                Q(employee__in=[swap.requester, swap.colleague]) | Q(pk__in=moved),
                start__lt=window_end,
                end__gt=window_start,
            )
        )
        after = [s for s in shifts if moved.get(s.pk, s.employee_id) == employee.pk]
        problems += shift_violations(employee, after, zone=zone)
        # The engine's roster checker, week by week, on the schedules the swap touches.
        from ccops.wfm.services.generate import engine_violations

        touched = {swap.shift.schedule_id: swap.shift.schedule}
        if swap.colleague_shift is not None:
            touched[swap.colleague_shift.schedule_id] = swap.colleague_shift.schedule
        for schedule_id, schedule in touched.items():
            week = [s for s in after if s.schedule_id == schedule_id]
            problems += engine_violations(schedule, employee, week)
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
    open_swap = ShiftSwapRequest.objects.filter(
        Q(shift=shift) | Q(colleague_shift=shift),
        status__in=[SwapStatus.REQUESTED, SwapStatus.ACCEPTED],
    ).exists()
    if open_swap:
        raise ValidationError({"shift": _("This shift already has an open swap request.")})
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
    if swap.colleague.user_id != actor.pk:
        raise PermissionDenied(_("Only the colleague asked may accept this swap."))
    if swap.status != SwapStatus.REQUESTED:
        raise ValidationError(_("This swap is no longer waiting for you."))
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
    """A manager approves an accepted swap: the shifts change hands, after the hard rules
    are checked again on the schedule as it is now."""
    _check_decider(actor, swap, ShiftSwapRequest)
    _check_not_own(actor, [swap.requester, swap.colleague])
    if swap.status != SwapStatus.ACCEPTED:
        raise ValidationError(_("Only a swap the colleague accepted can be approved."))
    for shift, who, field in (
        (swap.shift, swap.requester, "shift"),
        (swap.colleague_shift, swap.colleague, "colleague_shift"),
    ):
        if shift is not None:
            shift.refresh_from_db()
            _future_published(shift, who, field)
    problems = swap_violations(swap)
    if problems:
        raise ValidationError(problems)
    record_update(swap.shift, data={"employee": swap.colleague}, actor=actor, verb="shift_swap")
    if swap.colleague_shift is not None:
        record_update(
            swap.colleague_shift, data={"employee": swap.requester}, actor=actor, verb="shift_swap"
        )
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
    if swap.status not in (SwapStatus.REQUESTED, SwapStatus.ACCEPTED):
        raise ValidationError(_("This swap is already closed."))
    is_colleague = swap.colleague.user_id == actor.pk and swap.status == SwapStatus.REQUESTED
    if not is_colleague:
        _check_decider(actor, swap, ShiftSwapRequest)
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
    if swap.requester.user_id != actor.pk:
        raise PermissionDenied(_("Only the agent who asked may cancel the swap."))
    if swap.status not in (SwapStatus.REQUESTED, SwapStatus.ACCEPTED):
        raise ValidationError(_("This swap is already closed."))
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
