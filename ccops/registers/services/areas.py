"""Restricted areas: the access list, the entry and exit log (with the escort of a
visitor and the approval of an entry by someone not on the list), and the monthly review
signed by a supervisor."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ccops.core import formats
from ccops.core.errors import Conflict
from ccops.core.names import person_name
from ccops.core.services import (
    lock_for_update,
    record_amend,
    record_create,
    record_sign,
    record_update,
    require_state,
)
from ccops.people.models import Employee
from ccops.registers.choices import AccessStatus, VisitStatus
from ccops.registers.models import AreaAccess, AreaAccessReview, AreaAuthorization, RestrictedArea
from ccops.registers.services.common import (
    actor_employee,
    require_perm,
    require_text,
    same_site,
    save_unique,
)

APPROVE_PERM = "registers.approve_areaaccess"


def may_approve_entry(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(APPROVE_PERM))


# --- the access list ----------------------------------------------------------------------


def authorization_for(area: RestrictedArea, employee: Employee, day: dt.date | None = None):
    """The employee's authorisation for the area valid on ``day`` (today), or ``None``."""
    day = day or timezone.localdate()
    rows = AreaAuthorization.objects.filter(
        area=area, employee=employee, revoked_at__isnull=True, valid_from__lte=day
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
    return rows.first()


@transaction.atomic
def area_authorize(
    *,
    area: RestrictedArea,
    employee: Employee,
    valid_from: dt.date,
    reason: str,
    actor,
    valid_until: dt.date | None = None,
) -> AreaAuthorization:
    """Put an employee on the access list of an area."""
    same_site(area.site, {"employee": employee})
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": _("The authorisation must end after it starts.")})
    if AreaAuthorization.objects.filter(area=area, employee=employee, revoked_at__isnull=True):
        raise ValidationError(
            {
                "employee": _("%(who)s is already on the access list: revoke it first.")
                % {"who": employee.full_name}
            }
        )
    return save_unique(
        lambda: record_create(
            AreaAuthorization,
            data={
                "area": area,
                "employee": employee,
                "valid_from": valid_from,
                "valid_until": valid_until,
                "reason": require_text(reason, "reason", _("Say why access is needed.")),
                "granted_by": actor,
            },
            actor=actor,
            verb="area_authorize",
        ),
        _("%(who)s was just put on the access list.") % {"who": employee.full_name},
    )


@transaction.atomic
def area_authorization_revoke(*, authorization: AreaAuthorization, reason: str, actor):
    authorization = lock_for_update(authorization)
    if authorization.revoked_at is not None:
        raise Conflict(_("This authorisation is already revoked."))
    return record_update(
        authorization,
        data={
            "revoked_at": timezone.now(),
            "revoked_by": actor,
            "revoke_reason": require_text(reason, "reason", _("Say why access is revoked.")),
        },
        actor=actor,
        verb="area_revoke",
    )


# --- the log ------------------------------------------------------------------------------


@transaction.atomic
def area_entry_record(
    *,
    area: RestrictedArea,
    purpose: str,
    actor,
    employee: Employee | None = None,
    visit=None,
    escort: Employee | None = None,
    approval_note: str = "",
) -> AreaAccess:
    """Record someone going into a restricted area.

    An employee on the access list goes in. A visitor (always with an escort who is on the
    list) or an employee who is not on it waits for an approver, unless whoever records the
    entry is an approver themselves, which records their approval."""
    require_perm(
        actor, "registers.add_areaaccess", _("Your role does not keep the restricted-area log.")
    )
    if (employee is None) == (visit is None):
        raise ValidationError({"employee": _("Record either an employee or a visitor.")})
    purpose = require_text(purpose, "purpose", _("Say why they go in."))
    area = lock_for_update(area)  # two doors recording the same entrant queue here
    same_site(area.site, {"employee": employee, "escort": escort})
    authorised = False
    if visit is not None:
        if visit.site_id != area.site_id or visit.status != VisitStatus.ON_SITE:
            raise ValidationError({"visit": _("The visitor must be signed in on this site.")})
        if escort is None:
            raise ValidationError({"escort": _("A visitor goes in with an escort.")})
        if authorization_for(area, escort) is None:
            raise ValidationError(
                {
                    "escort": _("%(who)s is not on the access list and cannot escort.")
                    % {"who": escort.full_name}
                }
            )
    else:
        authorised = authorization_for(area, employee) is not None
    data = {
        "area": area,
        "employee": employee,
        "visit": visit,
        "escort": escort,
        "purpose": purpose,
        "authorised": authorised,
        "recorded_by": actor,
    }
    now = timezone.now()
    entrant = employee.user_id if employee is not None else None
    if authorised:
        data.update(status=AccessStatus.INSIDE, entered_at=now)
    elif may_approve_entry(actor) and entrant != actor.pk:
        data.update(
            status=AccessStatus.INSIDE,
            entered_at=now,
            approved_by=actor,
            approved_at=now,
            approval_note=require_text(
                approval_note, "approval_note", _("Say why you approve this entry.")
            ),
        )
    else:
        data.update(status=AccessStatus.AWAITING)
    name = employee.full_name if employee is not None else visit.visitor_name
    busy_message = _("%(who)s is already recorded inside or waiting at %(area)s.") % {
        "who": name,
        "area": area.name,
    }
    open_entries = AreaAccess.objects.filter(
        area=area, status__in=[AccessStatus.AWAITING, AccessStatus.INSIDE]
    )
    if open_entries.filter(employee=employee, visit=visit).exists():
        raise Conflict(busy_message)
    return save_unique(
        lambda: record_create(AreaAccess, data=data, actor=actor, verb="area_entry"),
        busy_message,
    )


@transaction.atomic
def area_entry_decide(*, access: AreaAccess, approve: bool, actor, note: str) -> AreaAccess:
    """An approver lets in (or turns away) someone who is not on the access list, as
    themselves; nobody approves their own entry."""
    if not may_approve_entry(actor):
        raise PermissionDenied(_("Your role cannot approve entry to restricted areas."))
    access = lock_for_update(access)
    require_state(access, "status", [AccessStatus.AWAITING])
    if access.employee_id and access.employee.user_id == actor.pk:
        raise PermissionDenied(_("Nobody approves their own entry."))
    note = require_text(note, "note", _("Say why you approve or refuse this entry."))
    now = timezone.now()
    data = {"approval_note": note, "approved_by": actor, "approved_at": now}
    if approve:
        data.update(status=AccessStatus.INSIDE, entered_at=now)
    else:
        data.update(status=AccessStatus.REFUSED)
    return record_update(
        access,
        data=data,
        actor=actor,
        verb="area_entry_approve" if approve else "area_entry_refuse",
    )


@transaction.atomic
def area_exit_record(*, access: AreaAccess, actor) -> AreaAccess:
    require_perm(
        actor, "registers.add_areaaccess", _("Your role does not keep the restricted-area log.")
    )
    access = lock_for_update(access)
    require_state(access, "status", [AccessStatus.INSIDE])
    return record_update(
        access,
        data={"status": AccessStatus.LEFT, "exited_at": timezone.now(), "exit_recorded_by": actor},
        actor=actor,
        verb="area_exit",
    )


# --- the monthly review -------------------------------------------------------------------


def month_bounds(month: dt.date, zone) -> tuple[dt.datetime, dt.datetime]:
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return (
        dt.datetime.combine(first, dt.time(0), tzinfo=zone),
        dt.datetime.combine(following, dt.time(0), tzinfo=zone),
    )


def review_summary(area: RestrictedArea, month: dt.date) -> dict:
    """What a review looks at: the access list during the month and the log's figures,
    with the entries that need a second look (not on the list, visitors, no exit)."""
    start, end = month_bounds(month, area.site.zone)
    first, last = start.date(), (end - dt.timedelta(days=1)).date()
    authorizations = (
        AreaAuthorization.objects.filter(area=area, valid_from__lte=last)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=first))
        .filter(Q(revoked_at__isnull=True) | Q(revoked_at__gte=start))
        .select_related("employee")
        .order_by("employee__full_name")
    )
    log = AreaAccess.objects.filter(area=area, created_at__gte=start, created_at__lt=end)
    exceptions = log.filter(
        Q(authorised=False) | Q(status=AccessStatus.INSIDE) | Q(visit__isnull=False)
    ).select_related("employee", "visit", "escort", "approved_by")
    return {
        "month": f"{first:%Y-%m}",
        "access_list": [
            {
                "employee": a.employee.full_name,
                "employee_number": a.employee.employee_number,
                "valid_from": a.valid_from.isoformat(),
                "valid_until": a.valid_until.isoformat() if a.valid_until else None,
                # site-local times: the date part is the day people know
                "revoked": (
                    formats.to_local(a.revoked_at, area.site).isoformat(timespec="minutes")
                    if a.revoked_at
                    else None
                ),
            }
            for a in authorizations
        ],
        "entries": log.exclude(status=AccessStatus.REFUSED).count(),
        "employees_on_list": log.filter(authorised=True).count(),
        "approved_not_on_list": log.filter(
            authorised=False, visit__isnull=True, approved_by__isnull=False
        )
        .exclude(status=AccessStatus.REFUSED)
        .count(),
        "visitor_entries": log.filter(visit__isnull=False)
        .exclude(status=AccessStatus.REFUSED)
        .count(),
        "refused": log.filter(status=AccessStatus.REFUSED).count(),
        "no_exit": log.filter(status=AccessStatus.INSIDE).count(),
        "exceptions": [
            {
                "id": e.pk,
                "entrant": e.entrant_name(),
                "status": e.status,
                "entered_at": (
                    formats.to_local(e.entered_at, area.site).isoformat(timespec="minutes")
                    if e.entered_at
                    else None
                ),
                "escort": e.escort.full_name if e.escort_id else None,
                "approved_by": person_name(e.approved_by) if e.approved_by_id else None,
                "purpose": e.purpose,
            }
            for e in exceptions[:200]
        ],
    }


def last_month(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


@transaction.atomic
def area_review_open(*, area: RestrictedArea, month: dt.date, actor) -> AreaAccessReview:
    """Open the review of a finished month (one per area and month)."""
    month = month.replace(day=1)
    if month > last_month():
        raise ValidationError({"month": _("Review a month once it is over.")})
    reviewer = actor_employee(actor)
    taken = _("%(area)s already has a review for %(month)s.") % {
        "area": area.name,
        "month": f"{month:%Y-%m}",
    }
    if AreaAccessReview.objects.filter(area=area, month=month, amends__isnull=True).exists():
        raise Conflict(taken)
    return save_unique(
        lambda: record_create(
            AreaAccessReview,
            data={
                "area": area,
                "month": month,
                "reviewer": reviewer,
                "summary": review_summary(area, month),
            },
            actor=actor,
            verb="area_review_open",
        ),
        taken,
    )


@transaction.atomic
def area_review_sign(
    *, review: AreaAccessReview, findings: str, actor, actions: str = ""
) -> AreaAccessReview:
    """The reviewing supervisor writes the findings and signs; the review, with the list
    and the figures as they stand now, is locked."""
    require_perm(
        actor, "registers.change_areaaccessreview", _("A supervisor signs the access review.")
    )
    review = lock_for_update(review)
    if review.is_signed:
        raise Conflict(_("This review is already signed."))
    if review.reviewer.user_id != actor.pk:
        raise PermissionDenied(
            _("Only %(who)s, the reviewer, signs this review.") % {"who": review.reviewer.full_name}
        )
    findings = require_text(findings, "findings", _("Write down what the review found."))
    record_update(
        review,
        data={
            "findings": findings,
            "actions": actions.strip(),
            "summary": review_summary(review.area, review.month),
        },
        actor=actor,
        verb="area_review_update",
    )
    return record_sign(review, actor=actor, verb="area_review_sign")


@transaction.atomic
def area_review_amend(
    *, review: AreaAccessReview, findings: str, actor, actions: str = ""
) -> AreaAccessReview:
    """Correct a signed review: a new review linked to it, signed again."""
    require_perm(
        actor, "registers.change_areaaccessreview", _("A supervisor amends the access review.")
    )
    review = lock_for_update(review)
    if not review.is_signed:
        raise ValidationError(_("This review is not signed yet: edit it instead."))
    if AreaAccessReview.objects.filter(amends=review, signed_at__isnull=True).exists():
        raise Conflict(_("An amendment of this review is already open."))
    return save_unique(
        lambda: record_amend(
            review,
            data={
                "findings": require_text(findings, "findings", _("Write down the correction.")),
                "actions": actions.strip(),
                "reviewer": actor_employee(actor),
            },
            actor=actor,
            verb="area_review_amend",
        ),
        _("An amendment of this review is already open."),
    )


def reviews_due(areas, today: dt.date | None = None) -> list[RestrictedArea]:
    """Areas whose review of last month is not signed yet."""
    month = last_month(today)
    signed = set(
        AreaAccessReview.objects.filter(
            area__in=areas, month=month, signed_at__isnull=False
        ).values_list("area_id", flat=True)
    )
    return [area for area in areas if area.pk not in signed]


def entries_waiting(user):
    if not may_approve_entry(user):
        return AreaAccess.objects.none()
    return (
        AreaAccess.objects.restrict(user, "view")
        .filter(status=AccessStatus.AWAITING)
        .exclude(employee__user=user)
        .select_related("area", "employee", "visit")
    )
