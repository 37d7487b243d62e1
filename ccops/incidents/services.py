"""Writes of the incidents app: playbook revisions, incidents (declare, steps, timeline,
lead and scribe hand-overs, leaders notified, recovery, the emergency meeting, break-in
and password actions), the fault record that closes an incident, and the cause
acknowledgements. One transaction each, audited; every state transition locks the row
first. The surge after recovery is in :mod:`ccops.incidents.surge`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ccops.core import audit
from ccops.core.errors import Conflict
from ccops.core.formats import format_datetime
from ccops.core.limits import shorten
from ccops.core.roles import MANAGERS, is_supervisor, user_role_slugs
from ccops.core.services import (
    lock_for_update,
    notify,
    record_create,
    record_sign,
    record_update,
    require_state,
    user_offboard,
    user_reset_password,
    user_sessions_end,
)
from ccops.incidents.choices import (
    OPEN_STATUSES,
    AccountActionKind,
    AssignRole,
    IncidentKind,
    IncidentStatus,
    RequiredRecord,
    StepRole,
    System,
    TimelineKind,
)
from ccops.incidents.models import (
    AccountAction,
    Acknowledgement,
    FaultRecord,
    Incident,
    IncidentStep,
    Playbook,
    PlaybookContact,
    PlaybookStep,
    RoleHandover,
    TimelineEntry,
)
from ccops.meetings.choices import MeetingKind
from ccops.meetings.services import (
    REQUESTER_ROLES,
    TOP_LEVEL,
    action_item_assign,
    chain_level,
    emergency_request_raise,
    meeting_schedule,
)
from ccops.people.models import Employee
from ccops.people.services import employee_for
from ccops.wfm.models import IntervalStat
from ccops.wfm.services.queries import published_shifts

#: The roles told when an incident is declared, recovered or closed.
LEADER_ROLES = ("center_director", "operations_supervisor", "general_supervisor")
MAX_STEPS = 40


def _employee(actor) -> Employee:
    employee = employee_for(actor)
    if employee is None:
        raise PermissionDenied(_("Your account has no employee record."))
    return employee


def _zone(site):
    try:
        return ZoneInfo(site.time_zone)
    except Exception:  # an unknown zone name: UTC rather than a server error
        return dt.UTC


def _timeline(incident: Incident, kind: str, text: str, actor, at=None) -> TimelineEntry:
    return record_create(
        TimelineEntry,
        data={
            "incident": incident,
            "at": at or timezone.now(),
            "kind": kind,
            "author": employee_for(actor),
            "text": text[:2000],
        },
        actor=actor,
        verb=f"incident_timeline_{kind}",
    )


def _lock_open(incident: Incident) -> Incident:
    row = lock_for_update(incident)
    if row.archived_at is not None:
        raise Conflict(_("This incident is archived."))
    require_state(
        row,
        "status",
        OPEN_STATUSES,
        message=_("This incident is closed: its record cannot change."),
    )
    return row


def leaders(site) -> list:
    """The users told of incidents: the center director and the operations and general
    supervisors (of the site, or without an employee record elsewhere)."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=LEADER_ROLES)
        .filter(Q(employee__site=site) | Q(employee__isnull=True))
        .distinct()
    )
    return list(users)


def _notify_leaders(incident: Incident, message: str, actor, **params) -> int:
    told = 0
    for user in leaders(incident.site):
        if user.pk == getattr(actor, "pk", None):
            continue
        notify(
            user=user,
            message=message,
            params={"incident": incident.title, **params},
            url=incident.get_absolute_url(),
        )
        told += 1
    return told


# --- playbooks -------------------------------------------------------------------------


def current_playbook(kind: str) -> Playbook | None:
    """The current version of the type's playbook. A type with no version at all (a
    database emptied after the migrations seeded it) gets the manual's version 1 again."""
    playbook = Playbook.objects.filter(kind=kind, is_current=True).first()
    if playbook is None and not Playbook.all_objects.filter(kind=kind).exists():
        from ccops.incidents.manual import seed

        with audit.acting_as(None, via=audit.VIA_SYSTEM), audit.action("playbook_seed"):
            seed(Playbook, PlaybookStep, PlaybookContact)
        playbook = Playbook.objects.filter(kind=kind, is_current=True).first()
    return playbook


def parse_steps(text: str) -> list[dict]:
    """Steps written one a line as ``role | English | Chinese | record`` (the record
    optional) into step dicts; unknown roles or records refuse with the line number."""
    roles, records = set(StepRole.values), set(RequiredRecord.values)
    steps = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) not in (3, 4) or not parts[1] or not parts[2]:
            raise ValidationError(
                {"steps": _("Line %(n)s: write role | English | Chinese | record.") % {"n": number}}
            )
        role, en, zh = parts[:3]
        requires = parts[3] if len(parts) == 4 else ""
        if role not in roles:
            raise ValidationError(
                {
                    "steps": _("Line %(n)s: unknown role %(role)s.")
                    % {"n": number, "role": shorten(role)}
                }
            )
        if requires and requires not in records:
            raise ValidationError(
                {
                    "steps": _("Line %(n)s: unknown record %(record)s.")
                    % {"n": number, "record": shorten(requires)}
                }
            )
        steps.append({"role": role, "text_en": en[:300], "text_zh": zh[:300], "requires": requires})
    return steps


def steps_text(playbook: Playbook) -> str:
    return "\n".join(
        " | ".join(filter(None, [s.role, s.text_en, s.text_zh, s.requires]))
        for s in playbook.steps.all()
    )


@transaction.atomic
def playbook_revise(
    *,
    playbook: Playbook,
    actor,
    title_en: str,
    title_zh: str,
    steps: list[dict],
    summary_en: str = "",
    summary_zh: str = "",
    contacts: list | None = None,
) -> Playbook:
    """A new version of ``playbook`` (which must be the current one); the old version
    stays as it was for the incidents that ran it."""
    old = lock_for_update(playbook)
    if not old.is_current or old.archived_at is not None:
        raise Conflict(_("A newer version of this playbook exists: revise that one."))
    if not steps:
        raise ValidationError({"steps": _("A playbook has at least one step.")})
    if len(steps) > MAX_STEPS:
        raise ValidationError({"steps": _("At most %(n)s steps.") % {"n": MAX_STEPS}})
    record_update(old, data={"is_current": False}, actor=actor, verb="playbook_supersede")
    new = record_create(
        Playbook,
        data={
            "kind": old.kind,
            "version": old.version + 1,
            "is_current": True,
            "title_en": title_en,
            "title_zh": title_zh,
            "summary_en": summary_en,
            "summary_zh": summary_zh,
            "created_by": actor,
        },
        actor=actor,
        verb="playbook_revise",
    )
    for order, step in enumerate(steps, 1):
        record_create(
            PlaybookStep,
            data={"playbook": new, "order": order, **step},
            actor=actor,
            verb="playbook_revise",
        )
    for order, c in enumerate(old.contact_dicts if contacts is None else contacts, 1):
        record_create(
            PlaybookContact,
            data={
                "playbook": new,
                "order": order,
                "kind": c["kind"],
                "name_en": c["name"],
                "name_zh": c.get("name_zh", ""),
                "phone": c["phone"],
            },
            actor=actor,
            verb="playbook_revise",
        )
    return new


def parse_contacts(text: str) -> list[dict]:
    """Contacts one a line as ``kind | name | phone | Chinese name`` (the last optional)."""
    from ccops.incidents.choices import ContactKind

    out = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) not in (3, 4) or parts[0] not in ContactKind.values:
            raise ValidationError(
                {
                    "contacts": _("Line %(n)s: write kind | name | phone | Chinese name.")
                    % {"n": number}
                }
            )
        contact = {"kind": parts[0], "name": parts[1][:100], "phone": parts[2][:40]}
        if len(parts) == 4 and parts[3]:
            contact["name_zh"] = parts[3][:100]
        out.append(contact)
    return out


def contacts_text(playbook: Playbook) -> str:
    return "\n".join(
        " | ".join(
            filter(
                None,
                [c.get("kind", ""), c.get("name", ""), c.get("phone", ""), c.get("name_zh", "")],
            )
        )
        for c in playbook.contact_dicts
    )


# --- incidents -------------------------------------------------------------------------


@transaction.atomic
def incident_declare(
    *,
    site,
    kind: str,
    severity: str,
    title: str,
    started_at: dt.datetime,
    symptoms: str,
    actor,
    systems=(),
    queues=(),
    lead: Employee | None = None,
    scribe: Employee | None = None,
) -> Incident:
    """Declare an incident: it runs the current version of the type's playbook (its steps
    copied to tick off), the declarer leads unless someone else is named, and the leaders
    are notified."""
    if not actor.has_perm("incidents.declare_incident"):
        raise PermissionDenied(_("Your role does not declare incidents."))
    if kind not in IncidentKind.values:
        raise ValidationError({"kind": _("Choose the type of emergency.")})
    playbook = current_playbook(kind)
    if playbook is None:
        raise ValidationError({"kind": _("There is no playbook for this type.")})
    if started_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"started_at": _("An incident cannot start in the future.")})
    unknown = set(systems) - set(System.values)
    if unknown:
        raise ValidationError(
            {"systems": _("Unknown system %(s)s.") % {"s": shorten(sorted(unknown)[0])}}
        )
    lead = lead or _employee(actor)
    incident = record_create(
        Incident,
        data={
            "site": site,
            "playbook": playbook,
            "kind": kind,
            "severity": severity,
            "title": title,
            "started_at": started_at,
            "symptoms": symptoms,
            "systems": list(dict.fromkeys(systems)),
            "declared_by": actor,
            "lead": lead,
            "scribe": scribe,
        },
        actor=actor,
        verb="incident_declare",
    )
    queues = list(queues)
    for queue in queues:
        if queue.site_id != site.pk:
            raise ValidationError({"queues": _("%(q)s is a queue of another site.") % {"q": queue}})
    incident.queues.set(queues)
    for step in playbook.steps.all():
        record_create(
            IncidentStep,
            data={
                "incident": incident,
                "order": step.order,
                "role": step.role,
                "text_en": step.text_en,
                "text_zh": step.text_zh,
                "requires": step.requires,
            },
            actor=actor,
            verb="incident_declare",
        )
    _timeline(incident, TimelineKind.DECLARED, symptoms, actor, at=started_at)
    record_create(
        RoleHandover,
        data={
            "incident": incident,
            "role": AssignRole.LEAD,
            "to_employee": lead,
            "at": timezone.now(),
            "by": actor,
        },
        actor=actor,
        verb="incident_lead_assign",
    )
    told = _notify_leaders(
        incident,
        gettext_noop("Incident declared: %(incident)s (%(severity)s)."),
        actor,
        severity=incident.get_severity_display(),
    )
    _timeline(incident, TimelineKind.NOTIFIED, str(told), actor)
    return incident


def _record_present(incident: Incident, requires: str) -> bool:
    if requires == RequiredRecord.ACCOUNT_ACTION:
        return incident.account_actions.exists()
    if requires == RequiredRecord.RECOVERY:
        return incident.recovered_at is not None
    return bool(getattr(incident, requires, None))


@transaction.atomic
def incident_step_tick(*, step: IncidentStep, actor, note: str = "") -> IncidentStep:
    """Tick a step off (time and person); a step that requires a record waits for it."""
    incident = _lock_open(step.incident)
    step = lock_for_update(step)
    if step.done_at is not None:
        raise Conflict(_("This step is already done."))
    if step.requires and not _record_present(incident, step.requires):
        raise ValidationError(
            _("Record the %(record)s first.") % {"record": step.get_requires_display()}
        )
    who = _employee(actor)
    step = record_update(
        step,
        data={"done_at": timezone.now(), "done_by": who, "note": note.strip()[:300]},
        actor=actor,
        verb="incident_step_tick",
    )
    _timeline(incident, TimelineKind.STEP, f"{step.order}. {step.text}", actor)
    return step


@transaction.atomic
def incident_update_add(*, incident: Incident, text: str, actor) -> TimelineEntry:
    incident = _lock_open(incident)
    if not text.strip():
        raise ValidationError({"text": _("Write the update.")})
    return _timeline(incident, TimelineKind.UPDATE, text.strip(), actor)


@transaction.atomic
def incident_assign(
    *, incident: Incident, role: str, employee: Employee, actor, note: str = ""
) -> Incident:
    """Hand the lead (or the scribe's pen) to ``employee``; the hand-over stays on the
    trail and the new holder is notified."""
    incident = _lock_open(incident)
    if role not in AssignRole.values:
        raise ValidationError({"role": _("Choose lead or scribe.")})
    if employee.site_id != incident.site_id:
        raise ValidationError({"employee": _("The employee works on another site.")})
    field = "lead" if role == AssignRole.LEAD else "scribe"
    current = getattr(incident, field)
    if current is not None and current.pk == employee.pk:
        raise Conflict(_("%(who)s already holds this role.") % {"who": employee.full_name})
    record_create(
        RoleHandover,
        data={
            "incident": incident,
            "role": role,
            "from_employee": current,
            "to_employee": employee,
            "at": timezone.now(),
            "by": actor,
            "note": note.strip()[:300],
        },
        actor=actor,
        verb=f"incident_{field}_handover",
    )
    incident = record_update(
        incident, data={field: employee}, actor=actor, verb=f"incident_{field}_handover"
    )
    label = AssignRole(role).label
    before = current.full_name if current else "—"
    _timeline(incident, TimelineKind.HANDOVER, f"{label}: {before} → {employee.full_name}", actor)
    if employee.user_id:
        notify(
            user=employee.user,
            message=gettext_noop("You are now %(role)s of the incident %(incident)s."),
            params={"role": str(label), "incident": incident.title},
            url=incident.get_absolute_url(),
        )
    return incident


@transaction.atomic
def incident_records_set(
    *,
    incident: Incident,
    actor,
    police_report_number: str | None = None,
    scene_sealed_at: dt.datetime | None = None,
    duty_staff_interviewed: str | None = None,
) -> Incident:
    """The break-in playbook's records: police report number, time the scene was
    sealed, the duty staff interviewed."""
    incident = _lock_open(incident)
    data = {}
    if police_report_number is not None:
        data["police_report_number"] = police_report_number.strip()
    if scene_sealed_at is not None:
        if scene_sealed_at > timezone.now() + dt.timedelta(minutes=5):
            raise ValidationError({"scene_sealed_at": _("This time is in the future.")})
        data["scene_sealed_at"] = scene_sealed_at
    if duty_staff_interviewed is not None:
        data["duty_staff_interviewed"] = duty_staff_interviewed.strip()
    if not data:
        raise ValidationError(_("Give at least one record."))
    incident = record_update(incident, data=data, actor=actor, verb="incident_records_set")
    for name, value in data.items():
        label = Incident._meta.get_field(name).verbose_name
        shown = (
            format_datetime(value, _zone(incident.site))
            if isinstance(value, dt.datetime)
            else value
        )
        _timeline(incident, TimelineKind.RECORD, f"{label}: {shown}", actor)
    return incident


@transaction.atomic
def incident_account_action(*, incident: Incident, user, action: str, actor) -> tuple:
    """Lock ``user``'s login (deactivated, sessions ended, API tokens revoked) or force a
    password change (a temporary password, shown once, to be changed at next login;
    sessions ended), through the platform's account services. Password and break-in
    incidents only. Returns ``(AccountAction, temporary password or None)``."""
    if not actor.has_perm("incidents.lock_account"):
        raise PermissionDenied(_("Your role does not lock accounts."))
    incident = _lock_open(incident)
    if incident.kind not in (IncidentKind.PASSWORD, IncidentKind.BREAK_IN):
        raise ValidationError(_("Accounts are locked from password and break-in incidents."))
    if user.pk == actor.pk:
        raise ValidationError({"user": _("You cannot lock your own login.")})
    password = None
    reason = f"incident #{incident.pk}"
    if action == AccountActionKind.LOCK:
        if not user.is_active:
            raise Conflict(_("This login is already locked."))
        user_offboard(user=user, actor=actor, reason=reason)
    elif action == AccountActionKind.FORCE_CHANGE:
        password = user_reset_password(user=user, actor=actor)
        user_sessions_end(user)
    else:
        raise ValidationError({"action": _("Choose lock or force a password change.")})
    row = record_create(
        AccountAction,
        data={
            "incident": incident,
            "user": user,
            "action": action,
            "at": timezone.now(),
            "by": actor,
        },
        actor=actor,
        verb=f"incident_account_{action}",
    )
    _timeline(
        incident,
        TimelineKind.ACCOUNT,
        f"{row.get_action_display()}: {user.get_username()}",
        actor,
    )
    return row, password


@transaction.atomic
def incident_recover(*, incident: Incident, actor, recovered_at: dt.datetime | None = None):
    """Service is back: the incident is recovered (the surge plan and the fault record
    follow); the leaders are told."""
    incident = _lock_open(incident)
    require_state(incident, "status", [IncidentStatus.ACTIVE])
    recovered_at = recovered_at or timezone.now()
    if recovered_at < incident.started_at:
        raise ValidationError({"recovered_at": _("Recovery cannot come before the start.")})
    if recovered_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"recovered_at": _("This time is in the future.")})
    incident = record_update(
        incident,
        data={"status": IncidentStatus.RECOVERED, "recovered_at": recovered_at},
        actor=actor,
        verb="incident_recover",
    )
    _timeline(incident, TimelineKind.RECOVERED, "", actor, at=recovered_at)
    _notify_leaders(incident, gettext_noop("Service recovered: %(incident)s."), actor)
    return incident


@transaction.atomic
def incident_meeting_request(*, incident: Incident, actor, proposed_at=None) -> Incident:
    """Ask for the emergency meeting of the incident in one step: a request up the
    meetings app's approval chain, or, for the center director at the top of the chain,
    the emergency meeting itself."""
    incident = _lock_open(incident)
    has_meeting = (
        incident.review_meeting_id and incident.review_meeting.kind == MeetingKind.EMERGENCY
    )
    if incident.emergency_request_id is not None or has_meeting:
        raise Conflict(_("An emergency meeting is already requested for this incident."))
    proposed_at = proposed_at or timezone.now() + dt.timedelta(minutes=30)
    reason = _("Incident %(title)s: %(symptoms)s") % {
        "title": incident.title,
        "symptoms": incident.symptoms[:300],
    }
    if actor.is_superuser or user_role_slugs(actor) & REQUESTER_ROLES:
        request = emergency_request_raise(
            site=incident.site, reason=reason, proposed_at=proposed_at, actor=actor
        )
        data = {"emergency_request": request}
    elif chain_level(actor) >= TOP_LEVEL:
        meeting = meeting_schedule(
            site=incident.site,
            kind=MeetingKind.EMERGENCY,
            title=(_("Emergency meeting: %(title)s") % {"title": incident.title})[:200],
            starts_at=proposed_at,
            chair=_employee(actor),
            agenda=reason,
            actor=actor,
        )
        data = {"review_meeting": meeting}
    else:
        raise PermissionDenied(_("Your role cannot request an emergency meeting."))
    incident = record_update(incident, data=data, actor=actor, verb="incident_meeting_request")
    _timeline(
        incident, TimelineKind.MEETING, format_datetime(proposed_at, _zone(incident.site)), actor
    )
    return incident


# --- the fault record ------------------------------------------------------------------


def impact_from_history(incident: Incident, start: dt.datetime, end: dt.datetime) -> dict:
    """Calls offered, answered and abandoned in the outage window, from the imported
    interval history of the incident's queues (every queue of the site if none is named):
    intervals starting from the one the outage began in up to its end."""
    step = dt.timedelta(minutes=incident.site.interval_minutes or 30)
    rows = IntervalStat.objects.filter(
        site=incident.site, interval_start__gt=start - step, interval_start__lt=end
    )
    queues = list(incident.queues.values_list("pk", flat=True))
    if queues:
        rows = rows.filter(queue_id__in=queues)
    sums = rows.aggregate(o=Sum("offered"), a=Sum("answered"), b=Sum("abandoned"))
    return {
        "calls_offered": sums["o"] or 0,
        "calls_answered": sums["a"] or 0,
        "calls_abandoned": sums["b"] or 0,
        "downtime_minutes": max(int((end - start).total_seconds() // 60), 0),
    }


@transaction.atomic
def fault_record_save(
    *,
    incident: Incident,
    actor,
    cause: str,
    actions_taken: str,
    responsible_department: str,
    agreement: str,
    impact: str = "",
    window_start: dt.datetime | None = None,
    window_end: dt.datetime | None = None,
) -> FaultRecord:
    """Write (or rewrite, until it is signed) the incident's fault record; the call
    counts of the outage window come from the interval history."""
    incident = _lock_open(incident)
    window_start = window_start or incident.started_at
    window_end = window_end or incident.recovered_at
    if window_end is None:
        raise ValidationError({"window_end": _("Record the recovery first, or give the end.")})
    if window_end <= window_start:
        raise ValidationError({"window_end": _("The end must be after the start.")})
    data = {
        "cause": cause.strip(),
        "impact": impact.strip(),
        "actions_taken": actions_taken.strip(),
        "responsible_department": responsible_department.strip(),
        "agreement": agreement.strip(),
        "window_start": window_start,
        "window_end": window_end,
        **impact_from_history(incident, window_start, window_end),
    }
    existing = FaultRecord.objects.filter(incident=incident).first()
    if existing is None:
        record = record_create(
            FaultRecord, data={"incident": incident, **data}, actor=actor, verb="fault_record_write"
        )
    else:
        existing = lock_for_update(existing)
        if existing.is_signed:
            raise Conflict(_("The fault record is signed and cannot change."))
        record = record_update(existing, data=data, actor=actor, verb="fault_record_write")
    _timeline(incident, TimelineKind.RECORD, _("Fault record written."), actor)
    return record


def _follow_up_meeting(incident: Incident, actor):
    request = incident.emergency_request
    meeting = getattr(request, "meeting", None) if request is not None else None
    if meeting is not None:
        return meeting
    if incident.review_meeting_id:
        return incident.review_meeting
    meeting = meeting_schedule(
        site=incident.site,
        kind=MeetingKind.MONTHLY_OPERATIONS,
        title=(_("Fault review: %(title)s") % {"title": incident.title})[:200],
        starts_at=timezone.now(),
        chair=_employee(actor),
        actor=actor,
        agenda=_("Follow-up actions of the fault."),
    )
    record_update(incident, data={"review_meeting": meeting}, actor=actor, verb="incident_review")
    return meeting


@transaction.atomic
def incident_follow_up_add(
    *, incident: Incident, title: str, owner: Employee, due_date: dt.date, actor, description=""
):
    """A follow-up action of the fault, tracked to done as an action item of the
    incident's emergency meeting (or of a fault-review meeting made for it)."""
    incident = _lock_open(incident)
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": _("The due date is in the past.")})
    meeting = _follow_up_meeting(incident, actor)
    item = action_item_assign(
        meeting=meeting,
        title=title,
        owner=owner,
        due_date=due_date,
        description=description,
        actor=actor,
    )
    incident.follow_ups.add(item)
    with audit.acting_as(actor, via=audit.current_actor().via):
        audit.log_event(incident, "incident_follow_up_add", note=title[:200])
    _timeline(incident, TimelineKind.RECORD, _("Follow-up: %(t)s") % {"t": title}, actor)
    return item


def missing_for_close(incident: Incident) -> list[str]:
    """What the manual asks for before an incident is archived, still missing."""
    missing = []
    if incident.recovered_at is None:
        missing.append(_("the recovery time"))
    fault = FaultRecord.objects.filter(incident=incident).first()
    if fault is None:
        missing.append(_("the fault record"))
    else:
        for name in ("cause", "actions_taken", "responsible_department", "agreement"):
            if not getattr(fault, name).strip():
                missing.append(str(FaultRecord._meta.get_field(name).verbose_name))
    return missing


def rostered_employees(incident: Incident, start: dt.datetime, end: dt.datetime):
    """Everyone with a published shift on the days (site-local) the outage touched."""
    zone = _zone(incident.site)
    first = start.astimezone(zone).date()
    last = end.astimezone(zone).date()
    lo = dt.datetime.combine(first, dt.time(0), tzinfo=zone)
    hi = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    ids = (
        published_shifts()
        .filter(schedule__site=incident.site, employee__isnull=False, start__lt=hi, end__gt=lo)
        .values_list("employee_id", flat=True)
        .distinct()
    )
    return Employee.objects.filter(pk__in=list(ids))


@transaction.atomic
def incident_close(*, incident: Incident, actor) -> Incident:
    """Close the incident with its fault record: the record is signed (immutable from
    now on), everyone rostered on the affected days is asked to acknowledge the cause."""
    incident = _lock_open(incident)
    require_state(incident, "status", [IncidentStatus.RECOVERED])
    missing = missing_for_close(incident)
    if missing:
        raise ValidationError(
            _("The incident cannot be closed without %(missing)s.")
            % {"missing": ", ".join(missing)}
        )
    fault = lock_for_update(FaultRecord.objects.get(incident=incident))
    record_sign(fault, actor=actor, verb="fault_record_sign")
    incident = record_update(
        incident,
        data={"status": IncidentStatus.CLOSED, "closed_at": timezone.now()},
        actor=actor,
        verb="incident_close",
    )
    people = list(rostered_employees(incident, fault.window_start, fault.window_end))
    for employee in people:
        record_create(
            Acknowledgement,
            data={"incident": incident, "employee": employee},
            actor=actor,
            verb="cause_acknowledgement_ask",
        )
        if employee.user_id:
            notify(
                user=employee.user,
                message=gettext_noop("Read and acknowledge the cause of the fault %(incident)s."),
                params={"incident": incident.title},
                url=incident.get_absolute_url(),
            )
    _timeline(incident, TimelineKind.CLOSED, str(len(people)), actor)
    _notify_leaders(incident, gettext_noop("Incident closed and archived: %(incident)s."), actor)
    return incident


@transaction.atomic
def acknowledgement_confirm(*, ack: Acknowledgement, actor) -> Acknowledgement:
    """The staff member confirms they know the cause (their own acknowledgement only)."""
    ack = lock_for_update(ack)
    if ack.employee.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(
            _("Only %(who)s acknowledges this.") % {"who": ack.employee.full_name}
        )
    if ack.acknowledged_at is not None:
        raise Conflict(_("You have already acknowledged this cause."))
    return record_update(
        ack, data={"acknowledged_at": timezone.now()}, actor=actor, verb="cause_acknowledge"
    )


def may_record_acknowledgements(user) -> bool:
    return bool(is_supervisor(user) or user_role_slugs(user) & MANAGERS)


@transaction.atomic
def acknowledgement_record(*, ack: Acknowledgement, actor) -> Acknowledgement:
    """A supervisor, or the employee's group or area manager, records that they told the
    employee the cause in person (for staff without a login, or told at a briefing)."""
    ack = lock_for_update(ack)
    if not may_record_acknowledgements(actor) or not (
        Acknowledgement.objects.restrict(actor, "change").filter(pk=ack.pk).exists()
    ):
        raise PermissionDenied(_("Only a supervisor or the employee's manager records this."))
    if ack.employee.user_id == actor.pk:
        raise ValidationError(_("Acknowledge your own cause yourself."))
    if ack.acknowledged_at is not None:
        raise Conflict(_("This cause is already acknowledged."))
    return record_update(
        ack,
        data={"acknowledged_at": timezone.now(), "recorded_by": actor},
        actor=actor,
        verb="cause_acknowledge_in_person",
    )


def pending_acknowledgements(user):
    """The user's own causes still to acknowledge."""
    return (
        Acknowledgement.objects.filter(employee__user=user, acknowledged_at__isnull=True)
        .select_related("incident__fault")
        .order_by("-incident__closed_at")
    )


def unacknowledged(user):
    """Acknowledgements still missing that ``user`` may see (supervisors: everyone's)."""
    return (
        Acknowledgement.objects.restrict(user, "view")
        .filter(acknowledged_at__isnull=True)
        .select_related("employee", "incident")
    )


# --- the fault archive ----------------------------------------------------------------------


def month_bounds(month: dt.date, zone) -> tuple[dt.datetime, dt.datetime]:
    first = month.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return (
        dt.datetime.combine(first, dt.time(0), tzinfo=zone),
        dt.datetime.combine(nxt, dt.time(0), tzinfo=zone),
    )


def fault_report(month: dt.date, *, zone=None, site=None) -> dict:
    """The monthly fault report: per affected system, the faults, their downtime and the
    calls lost (offered minus answered in the outage windows); a fault touching several
    systems counts under each. Signed records of the month (by outage start)."""
    zone = zone or timezone.get_current_timezone()
    lo, hi = month_bounds(month, zone)
    rows = FaultRecord.objects.filter(
        signed_at__isnull=False, window_start__gte=lo, window_start__lt=hi
    ).select_related("incident")
    if site is not None:
        rows = rows.filter(incident__site=site)
    labels = dict(System.choices)
    by_system: dict[str, dict] = defaultdict(lambda: {"faults": 0, "downtime": 0, "lost": 0})
    total = {"faults": 0, "downtime": 0, "lost": 0, "offered": 0, "abandoned": 0}
    for record in rows:
        systems = record.incident.systems or ["other"]
        for system in systems:
            entry = by_system[system]
            entry["faults"] += 1
            entry["downtime"] += record.downtime_minutes
            entry["lost"] += record.calls_lost
        total["faults"] += 1
        total["downtime"] += record.downtime_minutes
        total["lost"] += record.calls_lost
        total["offered"] += record.calls_offered
        total["abandoned"] += record.calls_abandoned
    systems = [
        {"system": key, "label": str(labels.get(key, _("other"))), **value}
        for key, value in sorted(by_system.items(), key=lambda kv: -kv[1]["downtime"])
    ]
    return {
        "month": month.replace(day=1),
        "systems": systems,
        "total": total,
        "records": list(rows),
    }
