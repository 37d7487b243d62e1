"""Labour discipline: records derived from attendance (lateness, early leave, absence) and
from handovers a duty lead did not sign in time, records entered for breaches of the
employee code, and the agent's appeal decided by the quality supervisor."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ccops.core import formats
from ccops.core.models import Site
from ccops.core.permissions import has_model_perm
from ccops.core.services import lock_for_update, notify, record_create, record_update, require_state
from ccops.people.models import Employee
from ccops.quality.choices import DERIVED_KINDS, DisciplineKind, DisciplineStatus
from ccops.quality.models import DisciplineRecord
from ccops.quality.services.common import month_bounds, settings_for
from ccops.shiftops.choices import AttendanceStatus
from ccops.shiftops.models import AttendanceRecord, HandoverTime
from ccops.shiftops.services import handover_watch

ATTENDANCE_KINDS = {
    AttendanceStatus.LATE: [DisciplineKind.LATENESS],
    AttendanceStatus.EARLY_LEAVE: [DisciplineKind.EARLY_LEAVE],
    AttendanceStatus.LATE_AND_EARLY: [DisciplineKind.LATENESS, DisciplineKind.EARLY_LEAVE],
    AttendanceStatus.ABSENT: [DisciplineKind.ABSENCE],
}


def _points(site: Site, kind: str) -> float:
    s = settings_for(site)
    return {
        DisciplineKind.LATENESS: s.points_lateness,
        DisciplineKind.EARLY_LEAVE: s.points_early_leave,
        DisciplineKind.ABSENCE: s.points_absence,
        DisciplineKind.MISSING_HANDOVER: s.points_missing_handover,
    }[kind]


def _describe(record: AttendanceRecord, kind: str, zone) -> str:
    start = formats.format_datetime(record.shift_start, zone)
    if kind == DisciplineKind.LATENESS:
        return _("%(m)s minutes late for the shift of %(start)s") % {
            "m": record.late_minutes,
            "start": start,
        }
    if kind == DisciplineKind.EARLY_LEAVE:
        return _("Left %(m)s minutes early from the shift of %(start)s") % {
            "m": record.early_leave_minutes,
            "start": start,
        }
    return _("Absent from the shift of %(start)s") % {"start": start}


@transaction.atomic
def discipline_derive(*, site: Site, month: dt.date, actor, now: dt.datetime | None = None) -> dict:
    """Add the month's derived records (idempotent: a second run adds nothing): one per
    late, early or absent attendance record not covered by approved leave, and one per duty
    lead who did not sign a handover within its grace period. A shift change without any
    handover names nobody and is only counted."""
    start, end = month_bounds(site, month)
    now = now or timezone.now()
    zone = site.zone
    added = {k: 0 for k in DERIVED_KINDS}
    existing = set(
        DisciplineRecord.all_objects.filter(attendance__isnull=False).values_list(
            "attendance_id", "kind"
        )
    )
    records = AttendanceRecord.objects.filter(
        employee__site=site,
        shift_start__gte=start,
        shift_start__lt=end,
        status__in=list(ATTENDANCE_KINDS),
    ).select_related("employee")
    for record in records:
        for kind in ATTENDANCE_KINDS[record.status]:
            if (record.pk, kind) in existing:
                continue
            record_create(
                DisciplineRecord,
                data={
                    "site": site,
                    "employee": record.employee,
                    "occurred_on": record.shift_start.astimezone(zone).date(),
                    "kind": kind,
                    "description": _describe(record, kind, zone),
                    "points": _points(site, kind),
                    "derived": True,
                    "attendance": record,
                },
                actor=actor,
                verb="discipline_derive",
            )
            added[kind] += 1
    upto = min(end, now)
    hours = max(1, int((upto - start).total_seconds() // 3600) + 1)
    unattributed = 0
    taken = set(
        DisciplineRecord.all_objects.filter(handover__isnull=False).values_list(
            "handover_id", "employee_id"
        )
    )
    for row in handover_watch(sites=[site], now=upto, hours=hours):
        if row.expected_at < start:
            continue
        if row.handover is None:
            unattributed += 1
            continue
        h = row.handover
        deadline = row.expected_at + dt.timedelta(minutes=_grace(row))
        for lead, signed in (
            (h.outgoing_lead, h.outgoing_signed_at),
            (h.incoming_lead, h.incoming_signed_at),
        ):
            if signed is not None and signed <= deadline:
                continue
            if (h.pk, lead.pk) in taken:
                continue
            taken.add((h.pk, lead.pk))
            record_create(
                DisciplineRecord,
                data={
                    "site": site,
                    "employee": lead,
                    "occurred_on": row.expected_at.astimezone(zone).date(),
                    "kind": DisciplineKind.MISSING_HANDOVER,
                    "description": _("Handover %(name)s of %(when)s not signed in time")
                    % {
                        "name": row.name,
                        "when": formats.format_datetime(row.expected_at, zone),
                    },
                    "points": _points(site, DisciplineKind.MISSING_HANDOVER),
                    "derived": True,
                    "handover": h,
                },
                actor=actor,
                verb="discipline_derive",
            )
            added[DisciplineKind.MISSING_HANDOVER] += 1
    return {
        "added": {str(k): v for k, v in added.items()},
        "handovers without record": unattributed,
    }


def _grace(row) -> int:
    ht = HandoverTime.objects.filter(site=row.site, name=row.name).first()
    return ht.grace_minutes if ht else 30


@transaction.atomic
def discipline_record(
    *,
    site: Site,
    employee: Employee,
    occurred_on: dt.date,
    kind: str,
    description: str,
    actor,
    points: float | None = None,
) -> DisciplineRecord:
    """Enter a breach of the employee code (or an attendance matter found another way)."""
    if not description.strip():
        raise ValidationError({"description": _("Describe what happened.")})
    if points is None:
        if kind not in DERIVED_KINDS:
            raise ValidationError({"points": _("Give the points this breach costs.")})
        points = _points(site, kind)
    record = record_create(
        DisciplineRecord,
        data={
            "site": site,
            "employee": employee,
            "occurred_on": occurred_on,
            "kind": kind,
            "description": description.strip(),
            "points": points,
            "entered_by": actor,
        },
        actor=actor,
        verb="discipline_record",
    )
    if employee.user_id:
        notify(
            user=employee.user,
            message=gettext_noop("Discipline record: %(what)s (%(points)s points)"),
            params={"what": DisciplineKind(record.kind).label, "points": f"{points:g}"},
            url=record.get_absolute_url(),
        )
    return record


@transaction.atomic
def discipline_appeal(*, record: DisciplineRecord, reason: str, actor) -> DisciplineRecord:
    record = lock_for_update(record)
    if record.employee.user_id != actor.pk:
        raise PermissionDenied(_("Only the employee concerned appeals a record."))
    require_state(record, "status", DisciplineStatus.RECORDED)
    if not reason.strip():
        raise ValidationError({"appeal_reason": _("Give the reason of the appeal.")})
    return record_update(
        record,
        data={
            "status": DisciplineStatus.APPEALED,
            "appeal_reason": reason.strip(),
            "appealed_at": timezone.now(),
        },
        actor=actor,
        verb="discipline_appeal",
    )


@transaction.atomic
def discipline_decide(
    *, record: DisciplineRecord, accept: bool, note: str, actor
) -> DisciplineRecord:
    """Accept the appeal (the record is withdrawn, its points no longer count) or decline it."""
    record = lock_for_update(record)
    if not has_model_perm(actor, DisciplineRecord, "change"):
        raise PermissionDenied(_("Only the quality supervisor decides appeals."))
    require_state(record, "status", DisciplineStatus.APPEALED)
    if not note.strip():
        raise ValidationError({"decision_note": _("Explain the decision.")})
    record = record_update(
        record,
        data={
            "status": DisciplineStatus.WITHDRAWN if accept else DisciplineStatus.UPHELD,
            "decided_by": actor,
            "decided_at": timezone.now(),
            "decision_note": note.strip(),
        },
        actor=actor,
        verb="discipline_appeal_accept" if accept else "discipline_appeal_decline",
    )
    if record.employee.user_id:
        notify(
            user=record.employee.user,
            message=gettext_noop("Your appeal was accepted: %(what)s")
            if accept
            else gettext_noop("Your appeal was declined: %(what)s"),
            params={"what": DisciplineKind(record.kind).label},
            url=record.get_absolute_url(),
        )
    return record
