"""The customer-data disclosure register.

The procedure, as the services enforce it:

1. **Received**: who asks, on what basis (a legal document of a court, procuratorate or
   public-security bureau: type, number, issuing authority; or a special case and why),
   for which customer and which records.
2. **Verified**: the scanned legal document is on file and the request was confirmed by a
   call back to a number taken from an official source (not from the document).
3. **Approved** or **refused**: by someone else than who received or verified it; a special
   case only by the responsible leader (``approve_special_disclosure``).
4. **Fulfilled**: exactly which records and fields went to whom and how; releases can be
   recorded only once approved, and fulfilling signs the request (locked afterwards).
5. **Closed**: a receipt may be filed, then the request is closed.

Every read of the register (list, page, API, scanned copy, report) is in the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccops.core.errors import Conflict
from ccops.core.services import (
    lock_for_update,
    record_create,
    record_sign,
    record_update,
    require_state,
)
from ccops.registers.choices import DisclosureBasis, DisclosureStatus, DocumentKind
from ccops.registers.models import DisclosureDocument, DisclosureRelease, DisclosureRequest
from ccops.registers.services.common import log_reads, require_perm, require_text
from ccops.registers.uploads import check_upload

HANDLE_PERM = "registers.change_disclosurerequest"
APPROVE_PERM = "registers.approve_disclosurerequest"
APPROVE_SPECIAL_PERM = "registers.approve_special_disclosure"

DETAIL_FIELDS = (
    "received_at",
    "requester_name",
    "requester_organisation",
    "requester_position",
    "requester_id_number",
    "requester_contact",
    "basis",
    "authority_type",
    "document_type",
    "document_number",
    "issuing_authority",
    "document_date",
    "special_reason",
    "customer_reference",
    "records_requested",
)


def _check_basis_details(values: dict) -> None:
    """The details the basis needs, named field by field."""
    errors = {}
    if values.get("basis") == DisclosureBasis.LEGAL_DOCUMENT:
        for field, message in (
            (
                "authority_type",
                _("Say whether a court, a procuratorate or a public-security bureau issued it."),
            ),
            ("document_type", _("Give the type of the legal document.")),
            ("document_number", _("Give the number of the legal document.")),
            ("issuing_authority", _("Name the issuing authority.")),
        ):
            if not (values.get(field) or "").strip():
                errors[field] = message
    elif values.get("basis") == DisclosureBasis.SPECIAL_CASE:
        if not (values.get("special_reason") or "").strip():
            errors["special_reason"] = _("Explain the special case.")
    else:
        errors["basis"] = _("Choose the basis: a legal document or a special case.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def disclosure_receive(*, site, actor, **details) -> DisclosureRequest:
    """Register a request as received; its reference is ``DR-<year>-<number>``."""
    require_perm(
        actor, "registers.add_disclosurerequest", _("Your role does not keep this register.")
    )
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in unknown})
    details.setdefault("received_at", timezone.now())
    if details["received_at"] > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"received_at": _("A request cannot be received in the future.")})
    _check_basis_details(details)
    year = timezone.localtime(details["received_at"], site.zone).year
    prefix = f"DR-{year}-"
    taken = DisclosureRequest.all_objects.filter(reference__startswith=prefix).count()
    for attempt in range(1, 11):
        reference = f"{prefix}{taken + attempt:05d}"
        try:
            with transaction.atomic():
                return record_create(
                    DisclosureRequest,
                    data={
                        **details,
                        "site": site,
                        "reference": reference,
                        "status": DisclosureStatus.RECEIVED,
                        "received_by": actor,
                    },
                    actor=actor,
                    verb="disclosure_receive",
                )
        except ValidationError as exc:  # a parallel request took the number: next one
            if "reference" not in getattr(exc, "error_dict", {}):
                raise
        except IntegrityError:
            continue
    raise Conflict(_("Too many requests at once: register it again."))


@transaction.atomic
def disclosure_update(*, request: DisclosureRequest, actor, **data) -> DisclosureRequest:
    """Correct the details of a request before it is verified (the verification and the
    decision cover the details as they were)."""
    require_perm(actor, HANDLE_PERM, _("Your role does not keep this register."))
    request = lock_for_update(request)
    require_state(
        request,
        "status",
        [DisclosureStatus.RECEIVED],
        message=_("%(request)s is %(state)s: its details can no longer change.")
        % {"request": request, "state": request.get_status_display()},
    )
    unknown = set(data) - set(DETAIL_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    values = {name: getattr(request, name) for name in DETAIL_FIELDS} | data
    _check_basis_details(values)
    return record_update(request, data=data, actor=actor, verb="disclosure_update")


@transaction.atomic
def disclosure_document_upload(
    *, request: DisclosureRequest, kind: str, upload, actor
) -> DisclosureDocument:
    """File a scanned document (PDF, JPEG, PNG or TIFF, at most 10 MB). Scans of the legal
    document and approvals are filed until the request is fulfilled; a receipt afterwards,
    until it is closed."""
    require_perm(actor, HANDLE_PERM, _("Your role does not keep this register."))
    request = lock_for_update(request)
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Choose what the document is.")})
    if request.status == DisclosureStatus.CLOSED:
        raise ValidationError(_("This request is closed: nothing more is filed."))
    if request.is_released and kind != DocumentKind.RECEIPT:
        raise ValidationError({"kind": _("After fulfilment only a receipt is filed.")})
    checked = check_upload(upload)
    return record_create(
        DisclosureDocument,
        data={
            "request": request,
            "kind": kind,
            "file": upload,
            "original_name": checked.name,
            "content_type": checked.content_type,
            "size": checked.size,
            "sha256": checked.sha256,
            "uploaded_by": actor,
        },
        actor=actor,
        verb="disclosure_document_upload",
    )


def _legal_scans(request: DisclosureRequest):
    return request.documents.filter(kind=DocumentKind.LEGAL_DOCUMENT, archived_at__isnull=True)


@transaction.atomic
def disclosure_verify(
    *,
    request: DisclosureRequest,
    callback_number: str,
    callback_source: str,
    callback_contact: str,
    actor,
    note: str = "",
) -> DisclosureRequest:
    """Record the call back that confirmed the request (and, on a legal document, that its
    scan is on file)."""
    require_perm(actor, HANDLE_PERM, _("Your role does not keep this register."))
    request = lock_for_update(request)
    require_state(request, "status", [DisclosureStatus.RECEIVED])
    errors = {}
    for field, value, message in (
        ("callback_number", callback_number, _("Give the number you called back.")),
        (
            "callback_source",
            callback_source,
            _("Say where the number came from (not the document)."),
        ),
        ("callback_contact", callback_contact, _("Name who confirmed the request.")),
    ):
        if not (value or "").strip():
            errors[field] = message
    if errors:
        raise ValidationError(errors)
    if request.basis == DisclosureBasis.LEGAL_DOCUMENT and not _legal_scans(request).exists():
        raise ValidationError(
            {"file": _("File the scanned legal document before verifying the request.")}
        )
    return record_update(
        request,
        data={
            "status": DisclosureStatus.VERIFIED,
            "callback_number": callback_number.strip(),
            "callback_source": callback_source.strip(),
            "callback_contact": callback_contact.strip(),
            "callback_note": note.strip()[:500],
            "verified_by": actor,
            "verified_at": timezone.now(),
        },
        actor=actor,
        verb="disclosure_verify",
    )


def approver_permission(request: DisclosureRequest) -> str:
    return APPROVE_SPECIAL_PERM if request.basis == DisclosureBasis.SPECIAL_CASE else APPROVE_PERM


def may_decide(user, request: DisclosureRequest) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.has_perm(approver_permission(request))
        and user.pk not in {request.received_by_id, request.verified_by_id}
    )


@transaction.atomic
def disclosure_decide(
    *, request: DisclosureRequest, approve: bool, actor, note: str
) -> DisclosureRequest:
    """Approve a verified request or refuse a request. The approver is someone else than
    who received and verified it; a special case is approved only by the responsible
    leader."""
    request = lock_for_update(request)
    if not actor.has_perm(approver_permission(request)):
        if request.basis == DisclosureBasis.SPECIAL_CASE:
            raise PermissionDenied(_("Only the responsible leader approves a special case."))
        raise PermissionDenied(_("Your role cannot approve disclosures."))
    if actor.pk in {request.received_by_id, request.verified_by_id}:
        raise PermissionDenied(_("Whoever received or verified a request does not also decide it."))
    if approve:
        if request.status == DisclosureStatus.RECEIVED:
            raise ValidationError(_("The request must be verified by a call back first."))
        require_state(request, "status", [DisclosureStatus.VERIFIED])
        require_basis(request, approving=True)
    else:
        require_state(request, "status", [DisclosureStatus.RECEIVED, DisclosureStatus.VERIFIED])
    note = require_text(
        note,
        "note",
        _("Record the grounds of the approval.") if approve else _("Say why it is refused."),
    )
    return record_update(
        request,
        data={
            "status": DisclosureStatus.APPROVED if approve else DisclosureStatus.REFUSED,
            "outcome": "approved" if approve else "refused",
            "decided_by": actor,
            "decided_at": timezone.now(),
            "decision_note": note[:500],
        },
        actor=actor,
        verb="disclosure_approve" if approve else "disclosure_refuse",
    )


def require_basis(request: DisclosureRequest, *, approving: bool = False) -> None:
    """Refuse unless the request has its legal basis on file (document details, scan and
    call back) or is a special case; and, unless approving it now, its approval."""
    if request.basis == DisclosureBasis.LEGAL_DOCUMENT:
        missing = [
            name
            for name in ("authority_type", "document_type", "document_number", "issuing_authority")
            if not getattr(request, name)
        ]
        if missing or request.verified_at is None or not _legal_scans(request).exists():
            raise ValidationError(
                _(
                    "%(request)s has no complete legal basis on file (the document's details, "
                    "its scan and the call back): nothing can be released."
                )
                % {"request": request}
            )
    elif request.basis == DisclosureBasis.SPECIAL_CASE:
        if not request.special_reason.strip():
            raise ValidationError(_("A special case needs its reason on file."))
    else:
        raise ValidationError(_("The request has no basis."))
    if approving:
        return
    approver = request.decided_by
    if (
        request.outcome != "approved"
        or request.status not in (DisclosureStatus.APPROVED, DisclosureStatus.FULFILLED)
        or approver is None
        or not approver.has_perm(approver_permission(request))
    ):
        raise ValidationError(
            _("%(request)s is not approved: nothing is released before approval.")
            % {"request": request}
        )


def _require_approved_state(request: DisclosureRequest) -> None:
    if request.status in (
        DisclosureStatus.RECEIVED,
        DisclosureStatus.VERIFIED,
        DisclosureStatus.REFUSED,
    ):
        raise ValidationError(
            _("%(request)s is not approved: nothing is released before approval.")
            % {"request": request}
        )
    require_state(request, "status", [DisclosureStatus.APPROVED])


@transaction.atomic
def disclosure_release_record(
    *,
    request: DisclosureRequest,
    record_type: str,
    record_reference: str,
    fields_released: str,
    recipient_name: str,
    recipient_organisation: str,
    channel: str,
    actor,
    released_at: dt.datetime | None = None,
    note: str = "",
) -> DisclosureRelease:
    """Record exactly what was released, to whom and how (only once approved)."""
    require_perm(actor, HANDLE_PERM, _("Your role does not keep this register."))
    request = lock_for_update(request)
    _require_approved_state(request)
    require_basis(request)
    released_at = released_at or timezone.now()
    if released_at < request.decided_at:
        raise ValidationError({"released_at": _("A release cannot come before the approval.")})
    if released_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"released_at": _("A release cannot be in the future.")})
    return record_create(
        DisclosureRelease,
        data={
            "request": request,
            "record_type": record_type,
            "record_reference": record_reference,
            "fields_released": require_text(
                fields_released, "fields_released", _("List exactly which fields were released.")
            ),
            "recipient_name": recipient_name,
            "recipient_organisation": recipient_organisation,
            "channel": channel,
            "released_at": released_at,
            "released_by": actor,
            "note": note,
        },
        actor=actor,
        verb="disclosure_release",
    )


@transaction.atomic
def disclosure_fulfil(*, request: DisclosureRequest, actor) -> DisclosureRequest:
    """Sign the request as fulfilled: its releases are complete. Locked afterwards."""
    require_perm(actor, HANDLE_PERM, _("Your role does not keep this register."))
    request = lock_for_update(request)
    _require_approved_state(request)
    require_basis(request)
    if not request.releases.exists():
        raise ValidationError(_("Record what was released before marking it fulfilled."))
    request.status = DisclosureStatus.FULFILLED
    return record_sign(request, actor=actor, verb="disclosure_fulfil")


@transaction.atomic
def disclosure_close(*, request: DisclosureRequest, actor, note: str = "") -> DisclosureRequest:
    """Close a fulfilled or refused request (a refused one is signed when closed)."""
    require_perm(actor, HANDLE_PERM, _("Your role does not keep this register."))
    request = lock_for_update(request)
    require_state(request, "status", [DisclosureStatus.FULFILLED, DisclosureStatus.REFUSED])
    data = {
        "status": DisclosureStatus.CLOSED,
        "closed_at": timezone.now(),
        "closed_by": actor,
        "closing_note": note.strip()[:500],
    }
    if request.is_signed:
        return record_update(request, data=data, actor=actor, verb="disclosure_close")
    for name, value in data.items():
        setattr(request, name, value)
    return record_sign(request, actor=actor, verb="disclosure_close")


# --- reads and the report -----------------------------------------------------------------


def log_register_read(rows, *, user, where: str) -> int:
    """Every read of the register is audited: ``where`` says how (page, list, API...)."""
    return log_reads(rows, "disclosure_read", user=user, note=where)


def to_decide(user):
    """Verified requests waiting for ``user``'s decision."""
    if not user.has_perm("registers.view_disclosurerequest"):
        return DisclosureRequest.objects.none()
    rows = (
        DisclosureRequest.objects.restrict(user, "view")
        .filter(status=DisclosureStatus.VERIFIED)
        .exclude(received_by=user)
        .exclude(verified_by=user)
    )
    return [r for r in rows.order_by("received_at") if may_decide(user, r)]


def disclosure_report(*, start: dt.date, end: dt.date, queryset, zone) -> dict:
    """The auditors' report of the requests received in ``[start, end]``: the figures by
    basis, authority and outcome, the time to decide and to fulfil, and every request with
    its basis, decision and releases."""
    first = dt.datetime.combine(start, dt.time(0), tzinfo=zone)
    last = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    rows = list(
        queryset.filter(received_at__gte=first, received_at__lt=last)
        .select_related("decided_by", "verified_by", "received_by", "signed_by", "site")
        .prefetch_related("releases", "documents")
        .order_by("received_at", "pk")
    )

    def days(a, b):
        return (b - a).total_seconds() / 86400 if a and b else None

    decided = [d for r in rows if (d := days(r.received_at, r.decided_at)) is not None]
    fulfilled = [
        d for r in rows if (d := days(r.received_at, r.signed_at)) is not None and r.is_released
    ]
    return {
        "start": start,
        "end": end,
        "rows": rows,
        "count": len(rows),
        "by_basis": sorted(Counter(r.get_basis_display() for r in rows).items()),
        "by_authority": sorted(
            Counter(r.get_authority_type_display() for r in rows if r.authority_type).items()
        ),
        "by_status": sorted(Counter(r.get_status_display() for r in rows).items()),
        "released": sum(1 for r in rows if r.is_released),
        "refused": sum(1 for r in rows if r.outcome == "refused"),
        "open": sum(1 for r in rows if r.status in ("received", "verified", "approved")),
        "releases": sum(len(r.releases.all()) for r in rows),
        "mean_days_to_decide": sum(decided) / len(decided) if decided else None,
        "mean_days_to_fulfil": sum(fulfilled) / len(fulfilled) if fulfilled else None,
    }
