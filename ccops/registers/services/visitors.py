"""The visitor register: announce, register a walk-in, approve or refuse, receive at the
door (badge, escort), sign out, cancel; who is on site; the sign-out reminder."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ccops.core import formats
from ccops.core.services import lock_for_update, notify, record_create, record_update, require_state
from ccops.people.models import Employee
from ccops.registers.choices import VisitKind, VisitStatus
from ccops.registers.models import Visit
from ccops.registers.services.common import actor_employee, require_perm, same_site, save_unique

#: A visitor still on site this many hours after arrival (or past the announced end) is
#: reminded to the host, the escort and the door.
SIGN_OUT_REMINDER_HOURS = 4
#: An announced visit may be announced at most this far in the past (a late entry).
ANNOUNCE_GRACE = dt.timedelta(hours=1)

DETAIL_FIELDS = (
    "visitor_name",
    "organisation",
    "visitor_phone",
    "id_document",
    "party_size",
    "reason",
    "expected_at",
    "expected_until",
)


def works_the_door(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("registers.oversee_visit"))


def may_approve(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("registers.approve_visit"))


def _check_times(expected_at, expected_until) -> None:
    if expected_at and expected_until and expected_until <= expected_at:
        raise ValidationError({"expected_until": _("The visit must end after it starts.")})


def _notify_host(visit: Visit, message: str) -> None:
    notify(
        user=visit.host.user,
        message=message,
        params={"visitor": visit.visitor_name, "visit": visit.pk},
        url=visit.get_absolute_url(),
    )


@transaction.atomic
def visit_announce(
    *,
    site,
    visitor_name: str,
    host: Employee,
    reason: str,
    expected_at: dt.datetime,
    actor,
    expected_until: dt.datetime | None = None,
    organisation: str = "",
    visitor_phone: str = "",
    id_document: str = "",
    party_size: int = 1,
) -> Visit:
    """The host announces a visitor in advance; the visit waits for the authorizer. Door
    staff may announce on a host's behalf."""
    if host.user_id != getattr(actor, "pk", None) and not works_the_door(actor):
        raise PermissionDenied(_("You announce your own visitors only."))
    same_site(site, {"host": host})
    if expected_at is None:
        raise ValidationError({"expected_at": _("Say when the visitor is expected.")})
    if expected_at < timezone.now() - ANNOUNCE_GRACE:
        raise ValidationError(
            {"expected_at": _("This time has passed: register the visitor as a walk-in.")}
        )
    _check_times(expected_at, expected_until)
    return record_create(
        Visit,
        data={
            "site": site,
            "kind": VisitKind.ANNOUNCED,
            "status": VisitStatus.AWAITING,
            "visitor_name": visitor_name,
            "organisation": organisation,
            "visitor_phone": visitor_phone,
            "id_document": id_document,
            "party_size": party_size,
            "host": host,
            "reason": reason,
            "expected_at": expected_at,
            "expected_until": expected_until,
        },
        actor=actor,
        verb="visit_announce",
    )


@transaction.atomic
def visit_register_walk_in(
    *,
    site,
    visitor_name: str,
    host: Employee,
    reason: str,
    actor,
    organisation: str = "",
    visitor_phone: str = "",
    id_document: str = "",
    party_size: int = 1,
) -> Visit:
    """The door registers a visitor who was not announced; they wait for approval and the
    host is told."""
    require_perm(
        actor, "registers.oversee_visit", _("Only the door staff register walk-in visitors.")
    )
    same_site(site, {"host": host})
    visit = record_create(
        Visit,
        data={
            "site": site,
            "kind": VisitKind.WALK_IN,
            "status": VisitStatus.AWAITING,
            "visitor_name": visitor_name,
            "organisation": organisation,
            "visitor_phone": visitor_phone,
            "id_document": id_document,
            "party_size": party_size,
            "host": host,
            "reason": reason,
            "expected_at": timezone.now(),
        },
        actor=actor,
        verb="visit_walk_in",
    )
    _notify_host(visit, gettext_noop("Your visitor %(visitor)s is waiting at the door."))
    return visit


@transaction.atomic
def visit_update(*, visit: Visit, actor, **data) -> Visit:
    """Correct a visit. Before arrival the host or the door change the visitor's details
    (a change after approval sends the visit back for approval); afterwards only how it
    was handled is recorded."""
    visit = lock_for_update(visit)
    if visit.host.user_id != getattr(actor, "pk", None) and not works_the_door(actor):
        raise PermissionDenied(_("Only the host and the door staff change a visit."))
    if visit.status in (VisitStatus.REFUSED, VisitStatus.CANCELLED):
        raise ValidationError(_("This visit is closed."))
    allowed = set(DETAIL_FIELDS) if visit.arrived_at is None else {"handling"}
    if visit.arrived_at is None:
        allowed.add("handling")
    refused = set(data) - allowed
    if refused:
        raise ValidationError(
            {name: _("This cannot change once the visitor has arrived.") for name in refused}
        )
    _check_times(
        data.get("expected_at", visit.expected_at), data.get("expected_until", visit.expected_until)
    )
    changed = {k: v for k, v in data.items() if getattr(visit, k) != v}
    if visit.status == VisitStatus.APPROVED and set(changed) & (
        set(DETAIL_FIELDS) - {"visitor_phone"}
    ):
        changed.update(status=VisitStatus.AWAITING, authorizer=None, decided_at=None)
    return record_update(visit, data=changed, actor=actor, verb="visit_update")


@transaction.atomic
def visit_decide(*, visit: Visit, approve: bool, actor, note: str = "") -> Visit:
    """The authorizer approves or refuses a visit waiting for approval, as themselves; the
    host cannot authorize their own visitor."""
    if not may_approve(actor):
        raise PermissionDenied(_("Your role cannot authorize visits."))
    visit = lock_for_update(visit)
    require_state(visit, "status", [VisitStatus.AWAITING])
    authorizer = actor_employee(actor)
    if authorizer.pk == visit.host_id:
        raise PermissionDenied(_("The host cannot authorize their own visitor."))
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say why the visit is refused.")})
    visit = record_update(
        visit,
        data={
            "status": VisitStatus.APPROVED if approve else VisitStatus.REFUSED,
            "authorizer": authorizer,
            "decided_at": timezone.now(),
            "decision_note": note.strip(),
        },
        actor=actor,
        verb="visit_approve" if approve else "visit_refuse",
    )
    _notify_host(
        visit,
        gettext_noop("The visit of %(visitor)s is approved.")
        if approve
        else gettext_noop("The visit of %(visitor)s is refused."),
    )
    return visit


@transaction.atomic
def visit_check_in(
    *,
    visit: Visit,
    badge_number: str,
    actor,
    escort: Employee | None = None,
    id_document: str | None = None,
) -> Visit:
    """The door receives an approved visitor: the badge handed out, the escort named, the
    time received recorded. One badge is worn by one visitor on site at a time."""
    require_perm(actor, "registers.oversee_visit", _("Only the door staff receive visitors."))
    visit = lock_for_update(visit)
    if visit.status == VisitStatus.AWAITING:
        raise ValidationError(_("This visit is not approved yet: the visitor waits."))
    require_state(visit, "status", [VisitStatus.APPROVED])
    badge = (badge_number or "").strip()
    if not badge:
        raise ValidationError({"badge_number": _("Write down the badge handed out.")})
    same_site(visit.site, {"escort": escort})
    taken = (
        Visit.objects.filter(site=visit.site, status=VisitStatus.ON_SITE, badge_number=badge)
        .exclude(pk=visit.pk)
        .first()
    )
    if taken is not None:
        raise ValidationError(
            {
                "badge_number": _("Badge %(badge)s is worn by %(visitor)s, who is still on site.")
                % {"badge": badge, "visitor": taken.visitor_name}
            }
        )
    data = {
        "status": VisitStatus.ON_SITE,
        "badge_number": badge,
        "escort": escort,
        "arrived_at": timezone.now(),
        "checked_in_by": actor,
    }
    if id_document:
        data["id_document"] = id_document
    visit = save_unique(
        lambda: record_update(visit, data=data, actor=actor, verb="visit_check_in"),
        _("Badge %(badge)s was just handed to someone else.") % {"badge": badge},
    )
    _notify_host(visit, gettext_noop("Your visitor %(visitor)s has arrived."))
    return visit


@transaction.atomic
def visit_check_out(*, visit: Visit, actor, handling: str = "") -> Visit:
    """Sign a visitor out (the badge comes back); the host or the door."""
    if visit.host.user_id != getattr(actor, "pk", None) and not works_the_door(actor):
        raise PermissionDenied(_("Only the host and the door staff sign a visitor out."))
    visit = lock_for_update(visit)
    require_state(visit, "status", [VisitStatus.ON_SITE])
    if visit.area_entries.filter(status="inside").exists():
        raise ValidationError(
            _("%(visitor)s is still inside a restricted area: record the exit first.")
            % {"visitor": visit.visitor_name}
        )
    data = {"status": VisitStatus.LEFT, "left_at": timezone.now(), "checked_out_by": actor}
    if handling.strip():
        data["handling"] = handling.strip()
    return record_update(visit, data=data, actor=actor, verb="visit_check_out")


@transaction.atomic
def visit_cancel(*, visit: Visit, actor, note: str) -> Visit:
    """Cancel a visit that has not started (the visitor did not come)."""
    if visit.host.user_id != getattr(actor, "pk", None) and not works_the_door(actor):
        raise PermissionDenied(_("Only the host and the door staff cancel a visit."))
    visit = lock_for_update(visit)
    require_state(visit, "status", [VisitStatus.AWAITING, VisitStatus.APPROVED])
    if not note.strip():
        raise ValidationError({"note": _("Say why the visit is cancelled.")})
    return record_update(
        visit,
        data={"status": VisitStatus.CANCELLED, "decision_note": note.strip()[:500]},
        actor=actor,
        verb="visit_cancel",
    )


# --- who is on site, reminders ------------------------------------------------------------


def on_site(queryset):
    return queryset.filter(status=VisitStatus.ON_SITE).select_related("host", "escort", "site")


def overdue_q(now: dt.datetime | None = None) -> Q:
    """Visitors on site past their announced end, or longer than the reminder hours."""
    now = now or timezone.now()
    late = now - dt.timedelta(hours=SIGN_OUT_REMINDER_HOURS)
    return Q(status=VisitStatus.ON_SITE) & (
        Q(arrived_at__lt=late) | Q(expected_until__isnull=False, expected_until__lt=now)
    )


def overdue_sign_outs(queryset, now: dt.datetime | None = None):
    return queryset.filter(overdue_q(now)).select_related("host", "site").order_by("arrived_at")


@transaction.atomic
def visit_remind_sign_out(*, now: dt.datetime | None = None) -> int:
    """Tell the host, the escort and whoever received the visitor that a visitor is still
    signed in hours later (once per visit, then again after as many hours)."""
    now = now or timezone.now()
    again = now - dt.timedelta(hours=SIGN_OUT_REMINDER_HOURS)
    due = Visit.objects.filter(overdue_q(now)).filter(
        Q(reminded_at__isnull=True) | Q(reminded_at__lt=again)
    )
    count = 0
    for visit in due.select_for_update(of=("self",)).select_related("host__user", "escort__user"):
        people = {visit.host.user, visit.escort.user if visit.escort_id else None}
        people.add(visit.checked_in_by)
        for user in people - {None}:
            notify(
                user=user,
                message=gettext_noop(
                    "%(visitor)s is still signed in as a visitor since %(since)s: sign them "
                    "out when they leave."
                ),
                params={
                    "visitor": visit.visitor_name,
                    "since": formats.format_time(visit.arrived_at, visit.site),
                },
                url=visit.get_absolute_url(),
            )
        record_update(visit, data={"reminded_at": now}, actor=None, verb="visit_remind_sign_out")
        count += 1
    return count


def waiting_for_approval(user):
    """Visits waiting for ``user``'s approval (not their own visitors)."""
    if not may_approve(user):
        return Visit.objects.none()
    return (
        Visit.objects.restrict(user, "view")
        .filter(status=VisitStatus.AWAITING)
        .exclude(host__user=user)
        .select_related("host", "site")
        .order_by("expected_at")
    )
