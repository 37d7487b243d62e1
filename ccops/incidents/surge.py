"""The surge after recovery: the engine's retrial estimate (``ccops.engine.forecast.surge``)
on a queue's forecast and interval history, the re-forecast of the next hours, the staffing
gap against the published schedule, and the planner's actions recorded as intraday
adjustments: leave frozen for the window (pending leave refused), breaks and training
moved, a call-in list of resting agents ranked by the rest and hours rules of
``ccops.wfm.services.rules``; the agents are notified and accept or decline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ccops.core.errors import Conflict
from ccops.core.formats import format_datetime
from ccops.core.services import lock_for_update, notify, record_create, record_update
from ccops.engine.forecast.surge import (
    DEFAULT_RETRIAL_DELAY_MINUTES,
    DEFAULT_RETRIAL_SHARE,
    estimate_retrial,
    lost_calls,
    surge_after_recovery,
)
from ccops.engine.queueing import required_agents, scheduled_agents
from ccops.incidents.choices import CallInStatus, IncidentStatus, MoveKind, TimelineKind
from ccops.incidents.models import CallInOffer, Incident, SurgePlan
from ccops.incidents.services import _lock_open, _timeline, _zone
from ccops.people.choices import EmploymentStatus
from ccops.people.models import Employee
from ccops.wfm.choices import AdjustmentKind, RequestStatus
from ccops.wfm.models import ForecastInterval, IntervalStat, StaffingPlan, TimeOffRequest
from ccops.wfm.services import rules
from ccops.wfm.services.intraday import forecast_for_day, intraday, intraday_adjustment_record
from ccops.wfm.services.queries import monday_of, paid_hours, published_shifts
from ccops.wfm.services.requests import time_off_reject

MAX_HOURS = 12
#: Rules a call-in for overtime breaks by its nature (it is extra work on a rest day):
#: shown beside the agent, not a reason to leave them off the list.
SOFT_RULES = frozenset(
    {"weekly_hours", "days_off", "consecutive_days_off", "stable_start", "longer_than_contract"}
)


def staffing_plan(queue) -> StaffingPlan | None:
    return (
        StaffingPlan.objects.filter(queue=queue, period_type="normal").first()
        or StaffingPlan.objects.filter(queue=queue).first()
    )


def _floor(moment: dt.datetime, minutes: int) -> dt.datetime:
    seconds = minutes * 60
    stamp = int(moment.timestamp()) // seconds * seconds
    return dt.datetime.fromtimestamp(stamp, tz=dt.UTC)


def _forecast(queue, starts) -> tuple[np.ndarray, np.ndarray]:
    """Forecast calls and AHT of the intervals ``starts`` (newest ready version per day)."""
    calls = np.zeros(len(starts))
    aht = np.full(len(starts), np.nan)
    index = {s: i for i, s in enumerate(starts)}
    zone = _zone(queue.site)
    for day in sorted({s.astimezone(zone).date() for s in starts}):
        forecast = forecast_for_day(queue, day)
        if forecast is None:
            continue
        for start, c, a in ForecastInterval.objects.filter(
            forecast=forecast, interval_start__gte=starts[0], interval_start__lte=starts[-1]
        ).values_list("interval_start", "calls", "aht_seconds"):
            if start in index:
                calls[index[start]] = c
                aht[index[start]] = a or np.nan
    return calls, aht


def _history(queue, starts) -> tuple[np.ndarray, np.ndarray]:
    offered = np.full(len(starts), np.nan)
    answered = np.full(len(starts), np.nan)
    index = {s: i for i, s in enumerate(starts)}
    for start, o, a in IntervalStat.objects.filter(
        queue=queue, interval_start__gte=starts[0], interval_start__lte=starts[-1]
    ).values_list("interval_start", "offered", "answered"):
        if start in index:
            offered[index[start]] = o
            answered[index[start]] = a if a is not None else np.nan
    return offered, answered


def _grid(start: dt.datetime, end: dt.datetime, minutes: int) -> list[dt.datetime]:
    step = dt.timedelta(minutes=minutes)
    out, t = [], _floor(start, minutes)
    while t < end:
        out.append(t)
        t += step
    return out


def outage_lost_calls(incident: Incident, queue) -> float:
    """Callers of the outage window not served on ``queue``: forecast or counted calls,
    whichever is larger, minus those answered (interval history)."""
    minutes = incident.site.interval_minutes or 30
    starts = _grid(incident.started_at, incident.recovered_at, minutes)
    if not starts:
        return 0.0
    expected, _aht = _forecast(queue, starts)
    offered, answered = _history(queue, starts)
    return lost_calls(expected, offered, answered)


def retrial_from_past(queue, *, exclude: Incident | None = None, hours: int = 4):
    """The retrial share and delay measured on the queue's last past outage with its
    interval history after recovery (``None`` if there is none to measure)."""
    past = Incident.objects.filter(
        queues=queue, recovered_at__isnull=False, status=IncidentStatus.CLOSED
    ).order_by("-recovered_at")
    if exclude is not None:
        past = past.exclude(pk=exclude.pk)
    minutes = queue.site.interval_minutes or 30
    for incident in past[:5]:
        lost = outage_lost_calls(incident, queue)
        starts = _grid(
            incident.recovered_at, incident.recovered_at + dt.timedelta(hours=hours), minutes
        )
        offered, _answered = _history(queue, starts)
        if lost <= 0 or np.isnan(offered).any():
            continue
        expected, _aht = _forecast(queue, starts)
        if not expected.any():
            continue
        fit = estimate_retrial(expected, offered, lost, interval_minutes=minutes)
        return fit, incident
    return None


@transaction.atomic
def surge_plan_create(
    *,
    incident: Incident,
    queue,
    actor,
    hours: int = 4,
    share: float | None = None,
    delay_minutes: float | None = None,
) -> SurgePlan:
    """Estimate the surge after recovery on ``queue`` for the next ``hours``: lost calls of
    the outage, retrials (share and delay given, else measured on the queue's last past
    outage, else the defaults), the re-forecast, heads needed (the queue's staffing plan)
    against heads available (published schedule and intraday adjustments)."""
    incident = _lock_open(incident)
    require_recovered(incident)
    if queue.site_id != incident.site_id:
        raise ValidationError({"queue": _("The queue is of another site.")})
    if not 1 <= hours <= MAX_HOURS:
        raise ValidationError({"hours": _("Plan 1 to %(n)s hours.") % {"n": MAX_HOURS}})
    if share is None or delay_minutes is None:
        measured = retrial_from_past(queue, exclude=incident)
        if measured is not None:
            fit, _past = measured
            share = fit.share if share is None else share
            delay_minutes = fit.delay_minutes if delay_minutes is None else delay_minutes
    share = DEFAULT_RETRIAL_SHARE if share is None else float(share)
    delay_minutes = DEFAULT_RETRIAL_DELAY_MINUTES if delay_minutes is None else float(delay_minutes)
    if not 0 <= share <= 1:
        raise ValidationError({"share": _("The retrial share is between 0 and 1.")})
    if not 1 <= delay_minutes <= 600:
        raise ValidationError({"delay_minutes": _("The delay is 1 to 600 minutes.")})
    site = incident.site
    minutes = site.interval_minutes or 30
    lost = outage_lost_calls(incident, queue)
    recovery = incident.recovered_at
    starts = _grid(recovery, recovery + dt.timedelta(hours=hours), minutes)
    base, aht = _forecast(queue, starts)
    plan = staffing_plan(queue)
    default_aht = float(plan.default_aht_seconds) if plan else 180.0
    aht = np.where(np.isnan(aht), default_aht, aht)
    surge = surge_after_recovery(
        base,
        lost,
        interval_minutes=minutes,
        share=share,
        delay_minutes=delay_minutes,
        offset_minutes=(recovery - starts[0]).total_seconds() / 60,
    )
    needed = np.zeros(len(starts), dtype=np.int64)
    if plan is not None:
        kwargs = {
            "service_level": float(plan.service_level_percent) / 100,
            "answer_within_seconds": float(plan.answer_within_seconds),
            "max_occupancy": float(plan.max_occupancy_percent) / 100,
            "model": plan.model,
        }
        if plan.model == "erlang_a":
            kwargs["patience_seconds"] = float(plan.patience_seconds)
        result = required_agents(surge.calls, aht, minutes * 60, **kwargs)
        needed = scheduled_agents(result.agents, float(plan.shrinkage_percent) / 100)
    available = _available(queue, starts)
    rows = [
        {
            "start": s.isoformat(),
            "base": round(float(b), 1),
            "retrial": round(float(r), 1),
            "calls": round(float(c), 1),
            "needed": int(n),
            "available": int(a),
            "gap": int(a - n),
        }
        for s, b, r, c, n, a in zip(
            starts, base, surge.retrial_calls, surge.calls, needed, available, strict=True
        )
    ]
    surge_plan = record_create(
        SurgePlan,
        data={
            "incident": incident,
            "queue": queue,
            "recovery_at": recovery,
            "hours": hours,
            "retrial_share": share,
            "retrial_delay_minutes": delay_minutes,
            "lost_calls": round(lost, 1),
            "intervals": rows,
            "created_by": actor,
        },
        actor=actor,
        verb="surge_plan_create",
    )
    _timeline(
        incident,
        TimelineKind.SURGE,
        _("%(queue)s: %(retrials).0f retrial calls expected, %(short)s heads short at worst.")
        % {"queue": queue.name, "retrials": surge.total_retrials, "short": surge_plan.shortfall},
        actor,
    )
    return surge_plan


def require_recovered(incident: Incident) -> None:
    if incident.status != IncidentStatus.RECOVERED or incident.recovered_at is None:
        raise Conflict(_("The surge is planned once the incident is recovered."))


def _available(queue, starts) -> np.ndarray:
    """Heads of the published schedule plus intraday adjustments, per interval."""
    zone = _zone(queue.site)
    out = np.zeros(len(starts), dtype=np.int64)
    index = {s: i for i, s in enumerate(starts)}
    plan = staffing_plan(queue)
    for day in sorted({s.astimezone(zone).date() for s in starts}):
        view = intraday(queue, day, plan=plan)
        for s, a in zip(view["starts"], view["available"], strict=True):
            if s in index:
                out[index[s]] = int(a)
    return out


def _lock_surge(surge: SurgePlan) -> SurgePlan:
    surge = lock_for_update(surge)
    if surge.archived_at is not None:
        raise Conflict(_("This surge plan is archived."))
    if surge.incident.status == IncidentStatus.CLOSED:
        raise Conflict(_("This incident is closed: its record cannot change."))
    return surge


def surge_window(surge: SurgePlan) -> tuple[dt.datetime, dt.datetime]:
    return surge.recovery_at, surge.recovery_at + dt.timedelta(hours=surge.hours)


def leave_freeze_reason(employee, start, end) -> str | None:
    """Why time off of ``employee`` in ``[start, end)`` cannot be asked now: a surge plan of
    their site froze leave for a window it overlaps (registered with the workforce app's
    time-off requests; emergencies pass)."""
    frozen = SurgePlan.objects.filter(
        incident__site_id=employee.site_id,
        leave_frozen_until__gt=start,
        recovery_at__lt=end,
    ).select_related("incident__site")
    plan = frozen.order_by("-leave_frozen_until").first()
    if plan is None:
        return None
    return _(
        "Leave is frozen until %(until)s for the call surge after incident #%(n)s: only "
        "emergencies can be asked for then."
    ) % {
        "until": format_datetime(plan.leave_frozen_until, _zone(plan.incident.site)),
        "n": plan.incident_id,
    }


@transaction.atomic
def surge_leave_freeze(*, surge: SurgePlan, actor) -> dict:
    """Freeze leave for the surge window: pending leave requests overlapping it are
    refused (through the workforce app's decision, which the actor must be allowed to
    make); the freeze is on the plan and the timeline."""
    surge = _lock_surge(surge)
    if surge.leave_frozen_until is not None:
        raise Conflict(_("Leave is already frozen for this surge."))
    start, end = surge_window(surge)
    refused, skipped = 0, 0
    pending = TimeOffRequest.objects.filter(
        employee__site=surge.incident.site,
        status=RequestStatus.REQUESTED,
        start__lt=end,
        end__gt=start,
    )
    for request in pending:
        try:
            time_off_reject(
                request=request,
                actor=actor,
                note=_("Leave frozen for the surge after incident #%(n)s.")
                % {"n": surge.incident_id},
            )
            refused += 1
        except (PermissionDenied, ValidationError):
            skipped += 1
    surge = record_update(
        surge, data={"leave_frozen_until": end}, actor=actor, verb="surge_leave_freeze"
    )
    _timeline(
        surge.incident,
        TimelineKind.SURGE,
        _("Leave frozen until %(until)s (%(n)s pending requests refused).")
        % {"until": format_datetime(end, _zone(surge.incident.site)), "n": refused},
        actor,
    )
    return {"refused": refused, "skipped": skipped}


@transaction.atomic
def surge_move(
    *,
    surge: SurgePlan,
    kind: str,
    employee: Employee,
    start: dt.datetime,
    end: dt.datetime,
    actor,
    note: str = "",
):
    """Move an agent's break or training out of the surge: they are on the phones from
    ``start`` to ``end`` (an intraday adjustment of one head)."""
    surge = _lock_surge(surge)
    if kind not in MoveKind.values:
        raise ValidationError({"kind": _("Choose a break or training.")})
    lo, hi = surge_window(surge)
    if start < lo - dt.timedelta(hours=1) or end > hi + dt.timedelta(hours=1):
        raise ValidationError({"start": _("The time is outside the surge window.")})
    adjustment = intraday_adjustment_record(
        site=surge.incident.site,
        queue=surge.queue,
        kind=AdjustmentKind.CANCELLED_TRAINING
        if kind == MoveKind.TRAINING
        else AdjustmentKind.OTHER,
        start=start,
        end=end,
        heads=1,
        employee=employee,
        note=(f"{MoveKind(kind).label} · #{surge.incident_id} {note}".strip())[:200],
        actor=actor,
    )
    surge.adjustments.add(adjustment)
    _timeline(
        surge.incident,
        TimelineKind.SURGE,
        f"{MoveKind(kind).label}: {employee.full_name}",
        actor,
    )
    return adjustment


@dataclass
class _Proposed:
    start: dt.datetime
    end: dt.datetime
    serves: tuple
    breaks: list
    template: str = "call-in"


@dataclass(frozen=True)
class Candidate:
    employee: Employee
    rest_hours: float | None
    week_hours: float
    notes: tuple[str, ...]

    @property
    def reason(self) -> str:
        rest = (
            _("rested %(h).0f h") % {"h": self.rest_hours}
            if self.rest_hours is not None
            else _("no shift in the last week")
        )
        parts = [rest, _("%(h).1f h this week") % {"h": self.week_hours}, *self.notes]
        return "; ".join(parts)[:300]


def call_in_candidates(surge: SurgePlan) -> list[Candidate]:
    """Resting agents who may serve the queue, ranked: those the call-in breaks no rest or
    daily-hours rule for, most rested first, then fewest hours worked this week. Agents
    on a shift in the window, on leave or unavailable, or who would rest too little, are
    left off."""
    site = surge.incident.site
    zone = _zone(site)
    start, end = surge_window(surge)
    working = set(
        published_shifts()
        .filter(schedule__site=site, start__lt=end, end__gt=start, employee__isnull=False)
        .values_list("employee_id", flat=True)
    )
    skill = rules.queue_skill(surge.queue_id)
    people = list(
        Employee.objects.filter(site=site, status=EmploymentStatus.ACTIVE)
        .filter(Q(user__isnull=True) | Q(user__is_active=True))
        .exclude(pk__in=working)
    )
    skills = rules.employee_skills(people)
    # asked already for this surge, or asked (and not declined) for another in the window
    already = set(surge.offers.values_list("employee_id", flat=True)) | set(
        CallInOffer.objects.filter(
            start__lt=end,
            end__gt=start,
            status__in=(CallInStatus.OFFERED, CallInStatus.ACCEPTED),
        ).values_list("employee_id", flat=True)
    )
    proposed = _Proposed(start=start, end=end, serves=(surge.queue_id,), breaks=[])
    week_start = monday_of(start.astimezone(zone).date())
    week_lo = dt.datetime.combine(week_start, dt.time(0), tzinfo=zone)
    found = []
    for person in people:
        if person.pk in already or skill not in skills.get(person.pk, frozenset()):
            continue
        around = rules.shifts_around(person, start, end)
        problems = rules.shift_problems(
            person, [*around, proposed], before=around, zone=zone, skills=skills.get(person.pk)
        )
        if any(p.code not in SOFT_RULES for p in problems):
            continue
        before = [s for s in around if s.end <= start]
        rest = (start - max(s.end for s in before)).total_seconds() / 3600 if before else None
        week = sum(
            paid_hours(s) for s in around if week_lo <= s.start < week_lo + dt.timedelta(days=7)
        )
        found.append(Candidate(person, rest, week, tuple(rules.describe(problems))))
    found.sort(
        key=lambda c: (
            len(c.notes),
            -(c.rest_hours if c.rest_hours is not None else 1e6),
            c.week_hours,
            c.employee.full_name,
        )
    )
    return found


@transaction.atomic
def surge_call_in(*, surge: SurgePlan, actor, count: int | None = None) -> list[CallInOffer]:
    """Ask the first ``count`` agents of the ranked call-in list (default: the worst
    shortfall) to come in for the surge window; each is notified."""
    surge = _lock_surge(surge)
    count = surge.shortfall if count is None else count
    if not 1 <= count <= 50:
        raise ValidationError(
            {"count": _("Ask 1 to 50 agents (the shortfall is %(n)s).") % {"n": surge.shortfall}}
        )
    start, end = surge_window(surge)
    offers = []
    rank = surge.offers.count()
    for candidate in call_in_candidates(surge)[:count]:
        rank += 1
        offer = record_create(
            CallInOffer,
            data={
                "surge": surge,
                "employee": candidate.employee,
                "rank": rank,
                "start": start,
                "end": end,
                "reason": candidate.reason,
            },
            actor=actor,
            verb="call_in_offer",
        )
        notify(  # staff without a login are phoned; the planner records their answer
            user=candidate.employee.user,
            message=gettext_noop(
                "Can you come in for overtime from %(start)s to %(end)s (incident %(incident)s)?"
            ),
            params={
                "start": format_datetime(start, _zone(surge.incident.site)),
                "end": format_datetime(end, _zone(surge.incident.site)),
                "incident": surge.incident.title,
            },
            url=offer.get_absolute_url(),
        )
        offers.append(offer)
    if not offers:
        raise ValidationError(_("No resting agent can come without breaking the rest rules."))
    _timeline(
        surge.incident,
        TimelineKind.SURGE,
        _("Call-in asked: %(names)s.") % {"names": ", ".join(o.employee.full_name for o in offers)},
        actor,
    )
    return offers


@transaction.atomic
def call_in_respond(*, offer: CallInOffer, accept: bool, actor) -> CallInOffer:
    """The agent accepts (a call-in intraday adjustment is recorded) or declines. For an
    agent without a login (phoned), a planner records the answer."""
    offer = lock_for_update(offer)
    user_id = offer.employee.user_id
    own = user_id is not None and user_id == getattr(actor, "pk", None)
    phoned = user_id is None and actor.has_perm("incidents.change_surgeplan")
    if not (own or phoned):
        raise PermissionDenied(
            _("Only %(who)s answers this request.") % {"who": offer.employee.full_name}
        )
    if offer.status != CallInStatus.OFFERED:
        raise Conflict(_("You have already answered this request."))
    if offer.surge.incident.status == IncidentStatus.CLOSED and accept:
        raise Conflict(_("This incident is closed: its record cannot change."))
    data = {
        "status": CallInStatus.ACCEPTED if accept else CallInStatus.DECLINED,
        "responded_at": timezone.now(),
    }
    if accept:
        data["adjustment"] = intraday_adjustment_record(
            site=offer.surge.incident.site,
            queue=offer.surge.queue,
            kind=AdjustmentKind.CALL_IN,
            start=offer.start,
            end=offer.end,
            heads=1,
            employee=offer.employee,
            note=f"#{offer.surge.incident_id} {offer.surge.incident.title}"[:200],
            actor=actor,
        )
    offer = record_update(offer, data=data, actor=actor, verb="call_in_respond")
    planner = offer.surge.created_by
    if planner is not None and planner.pk != getattr(actor, "pk", None):
        notify(
            user=planner,
            message=gettext_noop("%(who)s answered the call-in request: %(answer)s."),
            params={"who": offer.employee.full_name, "answer": offer.get_status_display()},
            url=offer.surge.get_absolute_url(),
        )
    return offer
