"""Writes of the meetings app: meetings, action items and their progress, emergency-meeting
requests approved up the chain, experience exchanges. One transaction each, audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccops.core import audit
from ccops.core.errors import Conflict
from ccops.core.models import Site
from ccops.core.permissions import can
from ccops.core.roles import is_supervisor, user_role_slugs
from ccops.core.services import lock_for_update, record_create, record_update
from ccops.meetings.choices import OPEN_STATUSES, ActionStatus, MeetingKind, RequestStatus
from ccops.meetings.models import (
    ActionItem,
    ActionItemProgress,
    EmergencyMeetingDecision,
    EmergencyMeetingRequest,
    ExperienceExchange,
    ExperienceLesson,
    Meeting,
)
from ccops.people.models import Employee
from ccops.people.services import employee_for

# --- the approval chain of emergency meetings --------------------------------------------

#: Level of each role in the chain: group manager -> area manager / quality and general
#: supervisors -> operations supervisor -> center director.
CHAIN_LEVELS = {
    "group_manager": 1,
    "area_manager": 2,
    "quality_supervisor": 2,
    "general_supervisor": 2,
    "operations_supervisor": 3,
    "center_director": 4,
}
#: The roles the manual lets request an emergency meeting.
REQUESTER_ROLES = frozenset(CHAIN_LEVELS) - {"center_director"}
#: Who may call an emergency meeting without a request.
TOP_LEVEL = 3


def chain_level(user) -> int:
    """The user's highest level in the approval chain (0: not in the chain)."""
    if getattr(user, "is_superuser", False):
        return max(CHAIN_LEVELS.values())
    return max((CHAIN_LEVELS.get(slug, 0) for slug in user_role_slugs(user)), default=0)


def approval_level_needed(requester_level: int) -> int:
    """A request is approved once someone at this level (or above) approved it: the
    operations supervisor's level, or the level above the requester's if that is higher
    (the operations supervisor's own requests go to the center director)."""
    return max(TOP_LEVEL, requester_level + 1)


def _employee(actor) -> Employee:
    employee = employee_for(actor)
    if employee is None:
        raise PermissionDenied(_("Your account has no employee record."))
    return employee


# --- meetings -----------------------------------------------------------------------------


def _set_people(obj, field: str, people, actor, verb: str) -> None:
    people = list(people)
    getattr(obj, field).set(people)
    with audit.acting_as(actor, via=audit.current_actor().via):
        audit.log_event(obj, verb, note=", ".join(sorted(p.employee_number for p in people))[:500])


@transaction.atomic
def meeting_schedule(
    *,
    site: Site,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    chair: Employee,
    actor,
    attendees=(),
    agenda: str = "",
    location: str = "",
    emergency_request: EmergencyMeetingRequest | None = None,
) -> Meeting:
    """Schedule a meeting. An emergency meeting needs an approved request unless the actor
    is at the top of the chain (operations supervisor, center director)."""
    needs_request = kind == MeetingKind.EMERGENCY and emergency_request is None
    if needs_request and chain_level(actor) < TOP_LEVEL:
        raise ValidationError(
            {"kind": _("An emergency meeting needs an approved emergency-meeting request.")}
        )
    meeting = record_create(
        Meeting,
        data={
            "site": site,
            "kind": kind,
            "title": title,
            "starts_at": starts_at,
            "chair": chair,
            "agenda": agenda,
            "location": location,
            "emergency_request": emergency_request,
        },
        actor=actor,
        verb="meeting_schedule",
    )
    _set_people(meeting, "attendees", {chair, *attendees}, actor, "meeting_attendees")
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, actor, attendees=None, **data) -> Meeting:
    """Change a meeting; recording minutes or decisions marks it held."""
    meeting = _lock_active(meeting, _("This meeting is archived."))
    if (
        "kind" in data
        and data["kind"] != meeting.kind
        and MeetingKind.EMERGENCY
        in (
            data["kind"],
            meeting.kind,
        )
    ):
        raise ValidationError({"kind": _("An emergency meeting stays an emergency meeting.")})
    if data.get("minutes") or data.get("decisions"):
        data["status"] = "held"
    meeting = record_update(meeting, data=data, actor=actor, verb="meeting_update")
    if attendees is not None:
        _set_people(meeting, "attendees", {meeting.chair, *attendees}, actor, "meeting_attendees")
    return meeting


def _lock_active(row, archived_message: str):
    """``row`` re-read under a row lock; a row archived meanwhile refuses with a 409."""
    locked = lock_for_update(row)
    if locked.archived_at is not None:
        raise Conflict(archived_message)
    return locked


def open_items_of_earlier_meetings(meeting: Meeting):
    """The still-open action items of the site's earlier meetings."""
    return (
        ActionItem.objects.filter(
            meeting__site=meeting.site,
            meeting__starts_at__lt=meeting.starts_at,
            meeting__archived_at__isnull=True,
            status__in=OPEN_STATUSES,
        )
        .select_related("owner", "meeting__site")
        .order_by("due_date", "pk")
    )


# --- action items -------------------------------------------------------------------------


def may_close(user, item: ActionItem) -> bool:
    """The meeting's chair and the supervisors confirm or cancel an action item."""
    return bool(item.meeting.chair.user_id == getattr(user, "pk", None) or is_supervisor(user))


@transaction.atomic
def action_item_assign(
    *,
    meeting: Meeting,
    title: str,
    owner: Employee,
    due_date: dt.date,
    actor,
    description: str = "",
) -> ActionItem:
    """Give an action item of a meeting to an owner with a due date."""
    meeting = _lock_active(meeting, _("This meeting is archived."))
    return record_create(
        ActionItem,
        data={
            "meeting": meeting,
            "title": title,
            "owner": owner,
            "due_date": due_date,
            "description": description,
        },
        actor=actor,
        verb="action_item_assign",
    )


@transaction.atomic
def action_item_update(*, item: ActionItem, actor, **data) -> ActionItem:
    item = _lock_active(item, _("This action item is archived."))
    if not item.is_open:
        raise Conflict(_("This action item is closed."))
    if "status" in data:
        raise ValidationError(
            {"status": _("The status changes by progress reports and confirmation.")}
        )
    return record_update(item, data=data, actor=actor, verb="action_item_update")


@transaction.atomic
def action_item_report_progress(
    *, item: ActionItem, text: str, actor, done: bool = False
) -> ActionItemProgress:
    """The owner reports progress (or that the item is done, to be confirmed)."""
    item = _lock_active(item, _("This action item is archived."))
    if item.owner.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(
            _("Only the owner, %(owner)s, reports progress.") % {"owner": item.owner.full_name}
        )
    if not item.is_open:
        raise Conflict(_("This action item is closed."))
    if done and item.status == ActionStatus.REPORTED_DONE:
        raise Conflict(_("This action item is already reported done."))
    if not text.strip():
        raise ValidationError({"text": _("Describe the progress.")})
    report = record_create(
        ActionItemProgress,
        data={
            "action_item": item,
            "reported_by": item.owner,
            "text": text.strip(),
            "reports_done": done,
        },
        actor=actor,
        verb="action_item_report_progress",
    )
    status = ActionStatus.REPORTED_DONE if done else ActionStatus.IN_PROGRESS
    if item.status != status:
        record_update(item, data={"status": status}, actor=actor, verb="action_item_progress")
    return report


@transaction.atomic
def action_item_close(*, item: ActionItem, outcome: str, actor) -> ActionItem:
    """Confirm an item the owner reported done (``outcome="done"``) or cancel it."""
    item = _lock_active(item, _("This action item is archived."))
    if not may_close(actor, item):
        raise PermissionDenied(
            _("Only the meeting's chair or a supervisor can close an action item.")
        )
    if not item.is_open:
        raise Conflict(_("This action item is closed."))
    if outcome == ActionStatus.DONE and item.status != ActionStatus.REPORTED_DONE:
        raise ValidationError(_("The owner reports the item done before it is confirmed."))
    if outcome not in (ActionStatus.DONE, ActionStatus.CANCELLED):
        raise ValidationError({"outcome": _("Close as done or cancelled.")})
    return record_update(
        item,
        data={"status": outcome, "closed_by": actor, "closed_at": timezone.now()},
        actor=actor,
        verb=f"action_item_{outcome}",
    )


def overdue_action_items(user, today: dt.date | None = None):
    """Open action items past their due date that ``user`` may see."""
    today = today or timezone.localdate()
    return (
        ActionItem.objects.restrict(user, "view")
        .filter(status__in=OPEN_STATUSES, due_date__lt=today)
        .select_related("owner", "meeting__site")
        .order_by("due_date")
    )


# --- emergency-meeting requests -----------------------------------------------------------


@transaction.atomic
def emergency_request_raise(
    *, site: Site, reason: str, proposed_at: dt.datetime, actor
) -> EmergencyMeetingRequest:
    """Request an emergency meeting (group and area managers and the supervisors)."""
    if not (user_role_slugs(actor) & REQUESTER_ROLES) and not actor.is_superuser:
        raise PermissionDenied(_("Your role cannot request an emergency meeting."))
    level = chain_level(actor)
    return record_create(
        EmergencyMeetingRequest,
        data={
            "site": site,
            "requested_by": _employee(actor),
            "requester_level": level,
            "approved_level": level,
            "reason": reason,
            "proposed_at": proposed_at,
        },
        actor=actor,
        verb="emergency_request_raise",
    )


@transaction.atomic
def emergency_request_decide(
    *, request: EmergencyMeetingRequest, approve: bool, actor, note: str = ""
) -> EmergencyMeetingRequest:
    """Approve or reject a request at the next step of the chain. The approver must stand
    above every approval so far; the final approval schedules the emergency meeting, chaired
    by the final approver."""
    request = _lock_active(request, _("This request is archived."))
    if request.status != RequestStatus.PENDING:
        raise Conflict(_("This request has been decided."))
    level = chain_level(actor)
    if 0 < level <= request.approved_level and request.decisions.filter(level__gte=level).exists():
        # Someone at the actor's level (or above) approved it first.
        raise Conflict(
            _(
                "Someone at your level approved this request first: it now waits for someone "
                "above level %(level)s in the chain."
            )
            % {"level": request.approved_level}
        )
    if level <= request.approved_level or request.requested_by.user_id == actor.pk:
        raise PermissionDenied(
            _("This request waits for someone above level %(level)s in the chain.")
            % {"level": request.approved_level}
        )
    if not can(actor, request, "change"):
        raise PermissionDenied(_("This request is outside your teams."))
    employee = _employee(actor)
    record_create(
        EmergencyMeetingDecision,
        data={
            "request": request,
            "decided_by": employee,
            "level": level,
            "approve": approve,
            "note": note,
        },
        actor=actor,
        verb="emergency_request_decide",
    )
    if not approve:
        return record_update(
            request, data={"status": RequestStatus.REJECTED}, actor=actor, verb="emergency_reject"
        )
    final = level >= approval_level_needed(request.requester_level)
    request = record_update(
        request,
        data={
            "approved_level": level,
            "status": RequestStatus.APPROVED if final else RequestStatus.PENDING,
        },
        actor=actor,
        verb="emergency_approve",
    )
    if final:
        meeting_schedule(
            site=request.site,
            kind=MeetingKind.EMERGENCY,
            title=_("Emergency meeting"),
            starts_at=request.proposed_at,
            chair=employee,
            attendees=[request.requested_by],
            agenda=request.reason,
            emergency_request=request,
            actor=actor,
        )
    return request


def requests_waiting_for(user):
    """Pending requests ``user`` may decide now."""
    level = chain_level(user)
    if level == 0:
        return EmergencyMeetingRequest.objects.none()
    return (
        EmergencyMeetingRequest.objects.restrict(user, "change")
        .filter(status=RequestStatus.PENDING, approved_level__lt=level)
        .exclude(requested_by__user=user)
        .select_related("requested_by", "site")
    )


# --- experience exchanges -----------------------------------------------------------------

#: The manual: an experience exchange at least every half year.
EXCHANGE_INTERVAL_DAYS = 183


@transaction.atomic
def experience_exchange_record(
    *, site: Site, held_on: dt.date, topic: str, actor, summary: str = "", participants=()
) -> ExperienceExchange:
    exchange = record_create(
        ExperienceExchange,
        data={"site": site, "held_on": held_on, "topic": topic, "summary": summary},
        actor=actor,
        verb="experience_exchange_record",
    )
    _set_people(exchange, "participants", participants, actor, "exchange_participants")
    return exchange


@transaction.atomic
def experience_exchange_update(
    *, exchange: ExperienceExchange, actor, participants=None, **data
) -> ExperienceExchange:
    exchange = _lock_active(exchange, _("This experience exchange is archived."))
    exchange = record_update(exchange, data=data, actor=actor, verb="experience_exchange_update")
    if participants is not None:
        _set_people(exchange, "participants", participants, actor, "exchange_participants")
    return exchange


@transaction.atomic
def experience_lesson_add(
    *, exchange: ExperienceExchange, text: str, actor, for_service_manual: bool = False
) -> ExperienceLesson:
    exchange = _lock_active(exchange, _("This experience exchange is archived."))
    if not text.strip():
        raise ValidationError({"text": _("Write the lesson down.")})
    return record_create(
        ExperienceLesson,
        data={"exchange": exchange, "text": text.strip(), "for_service_manual": for_service_manual},
        actor=actor,
        verb="experience_lesson_add",
    )


def experience_exchange_due(sites, today: dt.date | None = None) -> dict:
    """``{"last": date or None, "due": bool}``: due when none was held in the last half year."""
    today = today or timezone.localdate()
    last = (
        ExperienceExchange.objects.filter(site__in=sites, held_on__lte=today)
        .order_by("-held_on")
        .values_list("held_on", flat=True)
        .first()
    )
    due = last is None or (today - last).days > EXCHANGE_INTERVAL_DAYS
    return {"last": last, "due": due}
