"""Confidential documents in custody: registering them, the periodic checks, the custody
handover between keepers (both sign, as in a shift handover, and the signature locks it),
and the reports of leaks or of material taken out, with their handling."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ccops.core import audit
from ccops.core.errors import Conflict
from ccops.core.links import resolve_link
from ccops.core.services import (
    lock_for_update,
    notify,
    record_amend,
    record_create,
    record_sign,
    record_update,
    require_state,
)
from ccops.people.models import Employee
from ccops.registers.choices import CheckResult, IncidentStatus, ItemCondition
from ccops.registers.models import (
    ConfidentialDocument,
    CustodyCheck,
    CustodyHandover,
    CustodyHandoverItem,
    DisciplineLink,
    LeakReport,
)
from ccops.registers.services.common import actor_employee, require_text, same_site, save_unique

OVERSEE_PERM = "registers.oversee_confidentialdocument"
SIDES = ("outgoing", "incoming")
DOCUMENT_FIELDS = (
    "reference",
    "title",
    "category",
    "classification",
    "copies",
    "scope_of_use",
    "location",
    "check_interval_days",
)


def oversees(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(OVERSEE_PERM))


# --- documents and checks -----------------------------------------------------------------


@transaction.atomic
def document_register(*, site, keeper: Employee, actor, **fields) -> ConfidentialDocument:
    """Take a document into custody, with its keeper and permitted scope of use."""
    same_site(site, {"keeper": keeper})
    unknown = set(fields) - set(DOCUMENT_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in unknown})
    return save_unique(
        lambda: record_create(
            ConfidentialDocument,
            data={"site": site, "keeper": keeper, **fields},
            actor=actor,
            verb="document_register",
        ),
        _("Reference %(ref)s is already in the register.") % {"ref": fields.get("reference")},
    )


@transaction.atomic
def document_update(*, document: ConfidentialDocument, actor, **data) -> ConfidentialDocument:
    """Change a document's description; its keeper changes only by a custody handover."""
    if "keeper" in data:
        raise ValidationError({"keeper": _("The keeper changes by a custody handover.")})
    unknown = set(data) - set(DOCUMENT_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    document = lock_for_update(document)
    return record_update(document, data=data, actor=actor, verb="document_update")


@transaction.atomic
def document_check_record(
    *, document: ConfidentialDocument, copies_found: int, actor, note: str = ""
) -> CustodyCheck:
    """Record a periodic check (signed by the checker): every copy found, or a
    discrepancy that must be described. The keeper does not check their own custody."""
    if not oversees(actor):
        raise PermissionDenied(_("Only the register's keepers check documents."))
    document = lock_for_update(document)
    if document.keeper.user_id == actor.pk:
        raise PermissionDenied(_("The keeper does not check their own custody."))
    if copies_found is None or copies_found < 0:
        raise ValidationError({"copies_found": _("Count the copies found.")})
    result = (
        CheckResult.INTACT
        if copies_found == document.copies and not note.strip()
        else (CheckResult.DISCREPANCY)
    )
    if copies_found != document.copies and not note.strip():
        raise ValidationError(
            {
                "note": _("%(found)s of %(copies)s copies found: describe the discrepancy.")
                % {"found": copies_found, "copies": document.copies}
            }
        )
    now = timezone.now()
    check = record_create(
        CustodyCheck,
        data={
            "document": document,
            "checked_at": now,
            "copies_found": copies_found,
            "result": result,
            "note": note.strip(),
        },
        actor=actor,
        verb="document_check",
    )
    record_update(document, data={"last_checked_at": now}, actor=actor, verb="document_check")
    if result == CheckResult.DISCREPANCY:
        notify(
            user=document.keeper.user,
            message=gettext_noop("The check of %(document)s found a discrepancy."),
            params={"document": str(document)},
            url=document.get_absolute_url(),
        )
    return record_sign(check, actor=actor, verb="document_check_sign")


def checks_due(queryset, today: dt.date | None = None):
    today = today or timezone.localdate()
    return [d for d in queryset.select_related("keeper") if d.next_check_due <= today]


# --- custody handovers ----------------------------------------------------------------------


def _locked_error(handover: CustodyHandover) -> ValidationError:
    return ValidationError(
        _("%(handover)s is signed by both keepers and cannot change: record an amendment.")
        % {"handover": handover}
    )


def may_work_on(user, handover: CustodyHandover) -> bool:
    keepers = {handover.from_keeper.user_id, handover.to_keeper.user_id}
    return bool(user and user.is_authenticated and (user.pk in keepers or oversees(user)))


@transaction.atomic
def custody_handover_open(
    *,
    site,
    from_keeper: Employee,
    to_keeper: Employee,
    handover_at: dt.datetime,
    actor,
    documents=None,
    notes: str = "",
) -> CustodyHandover:
    """Open the handover of the outgoing keeper's documents (all of them unless chosen)
    to the incoming keeper; its inventory lists each with the copies expected."""
    if from_keeper.user_id != getattr(actor, "pk", None) and not oversees(actor):
        raise PermissionDenied(_("The outgoing keeper or the register's keepers open a handover."))
    if from_keeper.pk == to_keeper.pk:
        raise ValidationError({"to_keeper": _("The incoming keeper must be someone else.")})
    same_site(site, {"from_keeper": from_keeper, "to_keeper": to_keeper})
    kept = ConfidentialDocument.objects.filter(site=site, keeper=from_keeper)
    chosen = list(kept if documents is None else documents)
    if not chosen:
        raise ValidationError(
            {
                "documents": _("%(who)s keeps no documents to hand over.")
                % {"who": from_keeper.full_name}
            }
        )
    for document in chosen:
        if document.keeper_id != from_keeper.pk or document.site_id != site.pk:
            raise ValidationError(
                {
                    "documents": _("%(doc)s is not kept by %(who)s.")
                    % {"doc": document, "who": from_keeper.full_name}
                }
            )
    # lock the documents: a parallel handover of the same documents waits, then sees this one
    list(ConfidentialDocument.all_objects.filter(pk__in=[d.pk for d in chosen]).select_for_update())
    busy = CustodyHandoverItem.objects.filter(document__in=chosen, pending=True).select_related(
        "document"
    )
    if busy:
        raise Conflict(
            {"documents": _("%(doc)s is already in an open handover.") % {"doc": busy[0].document}}
        )
    handover = record_create(
        CustodyHandover,
        data={
            "site": site,
            "from_keeper": from_keeper,
            "to_keeper": to_keeper,
            "handover_at": handover_at,
            "notes": notes,
        },
        actor=actor,
        verb="custody_handover_open",
    )

    def items():
        for document in chosen:
            record_create(
                CustodyHandoverItem,
                data={
                    "handover": handover,
                    "document": document,
                    "copies_expected": document.copies,
                },
                actor=actor,
                verb="custody_handover_open",
            )

    save_unique(items, _("One of these documents was just put in another handover."))
    return handover


@transaction.atomic
def custody_item_count(
    *, item: CustodyHandoverItem, copies_counted: int, actor, note: str = ""
) -> CustodyHandoverItem:
    """Record what was counted of one inventory item; a difference needs a note."""
    handover = lock_for_update(item.handover)
    if not may_work_on(actor, handover):
        raise PermissionDenied(_("Only the two keepers and the register's keepers count."))
    if handover.is_signed:
        raise _locked_error(handover)
    if handover.outgoing_signed_at:
        raise ValidationError(_("The outgoing keeper has signed the inventory."))
    if copies_counted is None or copies_counted < 0:
        raise ValidationError({"copies_counted": _("Count the copies.")})
    note = note.strip()
    if copies_counted != item.copies_expected and not note:
        raise ValidationError(
            {
                "note": _("%(counted)s of %(expected)s copies: describe the discrepancy.")
                % {"counted": copies_counted, "expected": item.copies_expected}
            }
        )
    condition = (
        ItemCondition.COMPLETE
        if copies_counted == item.copies_expected and not note
        else ItemCondition.DISCREPANCY
    )
    return record_update(
        item,
        data={"copies_counted": copies_counted, "condition": condition, "note": note},
        actor=actor,
        verb="custody_item_count",
    )


@transaction.atomic
def custody_handover_sign(*, handover: CustodyHandover, side: str, actor) -> CustodyHandover:
    """Sign one side, as oneself: the outgoing keeper first (every item counted), then the
    incoming keeper, which locks the handover and its inventory and makes the incoming
    keeper the documents' keeper."""
    handover = CustodyHandover.all_objects.select_for_update().get(pk=handover.pk)
    if handover.is_signed:
        raise Conflict(
            _("%(handover)s is already signed by both keepers.") % {"handover": handover}
        )
    keeper = {"outgoing": handover.from_keeper, "incoming": handover.to_keeper}.get(side)
    if keeper is None:
        raise ValidationError({"side": _("Sign as the outgoing or the incoming keeper.")})
    if keeper.user_id is None or actor is None or keeper.user_id != actor.pk:
        raise PermissionDenied(
            _("Only %(keeper)s signs for this side.") % {"keeper": keeper.full_name}
        )
    now = timezone.now()
    if side == "outgoing":
        if handover.outgoing_signed_at:
            raise Conflict(_("The outgoing keeper has already signed."))
        if handover.items.filter(condition=ItemCondition.UNCOUNTED).exists():
            raise ValidationError(_("Count every item of the inventory before signing."))
        return record_update(
            handover,
            data={"outgoing_signed_at": now, "outgoing_signed_by": actor},
            actor=actor,
            verb="custody_sign_outgoing",
        )
    if not handover.outgoing_signed_at:
        raise ValidationError(_("The outgoing keeper signs first."))
    items = list(handover.items.select_related("document"))
    with audit.acting_as(actor, via=audit.current_actor().via), audit.action("custody_take_over"):
        if handover.amends_id is None:
            for item in items:
                document = lock_for_update(item.document)
                if document.keeper_id != handover.from_keeper_id:
                    raise Conflict(
                        _("%(doc)s changed keeper meanwhile: open a new handover.")
                        % {"doc": document}
                    )
                record_update(
                    document,
                    data={"keeper": handover.to_keeper},
                    actor=actor,
                    verb="custody_take_over",
                )
        CustodyHandoverItem.objects.filter(handover=handover, pending=True).update(pending=False)
    handover.incoming_signed_at = now
    handover.incoming_signed_by = actor
    handover = record_sign(handover, actor=actor, verb="custody_sign_incoming")
    discrepancies = [i for i in items if i.condition == ItemCondition.DISCREPANCY]
    if discrepancies:
        for user in {handover.from_keeper.user, handover.to_keeper.user} - {None}:
            notify(
                user=user,
                message=gettext_noop("%(handover)s was signed with %(n)s discrepancies."),
                params={"handover": str(handover), "n": len(discrepancies)},
                url=handover.get_absolute_url(),
            )
    return handover


@transaction.atomic
def custody_handover_amend(*, handover: CustodyHandover, notes: str, actor) -> CustodyHandover:
    """Correct a signed handover: a new handover linked to it, with a copy of its
    inventory, to be counted and signed again by both keepers (the keeper stays)."""
    if not may_work_on(actor, handover):
        raise PermissionDenied(_("Only the two keepers and the register's keepers amend."))
    handover = lock_for_update(handover, queryset=CustodyHandover.all_objects.all())
    if not handover.is_signed:
        raise ValidationError(_("This handover is not signed yet: change it instead."))
    if CustodyHandover.all_objects.filter(amends=handover, signed_at__isnull=True).exists():
        raise Conflict(_("An amendment of this handover is already open."))
    amendment = save_unique(
        lambda: record_amend(
            handover,
            data={
                "notes": require_text(notes, "notes", _("Say what the amendment corrects.")),
                "outgoing_signed_at": None,
                "outgoing_signed_by": None,
                "incoming_signed_at": None,
                "incoming_signed_by": None,
            },
            actor=actor,
            verb="custody_handover_amend",
        ),
        _("An amendment of this handover is already open."),
    )
    for item in handover.items.all():
        record_create(
            CustodyHandoverItem,
            data={
                "handover": amendment,
                "document": item.document,
                "copies_expected": item.copies_expected,
                "copies_counted": item.copies_counted,
                "condition": item.condition,
                "note": item.note,
                "pending": False,
            },
            actor=actor,
            verb="custody_handover_amend",
        )
    return amendment


def handovers_to_sign(user):
    """Custody handovers waiting for ``user``'s signature."""
    rows = CustodyHandover.objects.filter(signed_at__isnull=True).select_related(
        "from_keeper", "to_keeper"
    )
    return [
        h
        for h in rows.filter(from_keeper__user=user, outgoing_signed_at__isnull=True)
        | rows.filter(to_keeper__user=user, outgoing_signed_at__isnull=False)
    ]


# --- leaks and material taken out -------------------------------------------------------------


@transaction.atomic
def leak_report_file(
    *,
    site,
    kind: str,
    occurred_at: dt.datetime,
    description: str,
    actor,
    document: ConfidentialDocument | None = None,
    people_involved=(),
) -> LeakReport:
    """Anyone reports a leak, or material taken out or lost; the register's keepers and
    the document's keeper are told."""
    reporter = actor_employee(actor)
    if occurred_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"occurred_at": _("It cannot have happened in the future.")})
    if document is not None and document.site_id != site.pk:
        raise ValidationError({"document": _("This document is kept on another site.")})
    report = record_create(
        LeakReport,
        data={
            "site": site,
            "kind": kind,
            "document": document,
            "occurred_at": occurred_at,
            "reported_by": reporter,
            "description": require_text(description, "description", _("Describe what happened.")),
        },
        actor=actor,
        verb="leak_report_file",
    )
    people = list(people_involved)
    report.people_involved.set(people)
    if people:
        with audit.acting_as(actor, via=audit.current_actor().via):
            audit.log_event(
                report,
                "leak_report_people",
                note=", ".join(p.employee_number for p in people)[:500],
            )
    overseers = (
        get_user_model()
        .objects.filter(is_active=True, groups__permissions__codename="oversee_leakreport")
        .distinct()
    )
    recipients = set(overseers)
    if document is not None and document.keeper.user_id:
        recipients.add(document.keeper.user)
    for user in recipients - {actor}:
        notify(
            user=user,
            message=gettext_noop("A leak report was filed: %(report)s."),
            params={"report": str(report)},
            url=report.get_absolute_url(),
        )
    return report


@transaction.atomic
def leak_report_handle(*, report: LeakReport, handling: str, actor) -> LeakReport:
    """Record how the report is being handled (it is then being handled)."""
    if not actor.has_perm("registers.oversee_leakreport"):
        raise PermissionDenied(_("Only the register's keepers handle leak reports."))
    report = lock_for_update(report)
    require_state(report, "status", [IncidentStatus.REPORTED, IncidentStatus.INVESTIGATING])
    return record_update(
        report,
        data={
            "handling": require_text(handling, "handling", _("Describe the handling.")),
            "status": IncidentStatus.INVESTIGATING,
            "handled_by": actor,
        },
        actor=actor,
        verb="leak_report_handle",
    )


@transaction.atomic
def leak_report_close(*, report: LeakReport, handling: str, actor) -> LeakReport:
    """Close the report with its handling, signed by the handler; locked afterwards."""
    if not actor.has_perm("registers.oversee_leakreport"):
        raise PermissionDenied(_("Only the register's keepers close leak reports."))
    report = lock_for_update(report)
    require_state(report, "status", [IncidentStatus.REPORTED, IncidentStatus.INVESTIGATING])
    report.handling = require_text(handling, "handling", _("Describe how it was handled."))
    report.status = IncidentStatus.CLOSED
    report.handled_by = actor
    report.full_clean()
    return record_sign(report, actor=actor, verb="leak_report_close")


@transaction.atomic
def leak_report_link(
    *, report: LeakReport, content_type, object_id, actor, note: str = ""
) -> DisciplineLink:
    """Link the report to a discipline record (of whichever app keeps them) the actor may
    see; its text is kept as it is now."""
    if not actor.has_perm("registers.oversee_leakreport"):
        raise PermissionDenied(_("Only the register's keepers link discipline records."))
    target = resolve_link(actor, content_type, object_id)
    ct = ContentType.objects.get_for_model(type(target), for_concrete_model=True)
    if DisciplineLink.objects.filter(report=report, content_type=ct, object_id=target.pk).exists():
        raise ValidationError({"object_id": _("This record is already linked.")})
    return record_create(
        DisciplineLink,
        data={
            "report": report,
            "content_type": ct,
            "object_id": target.pk,
            "object_repr": str(target)[:200],
            "note": note,
            "linked_by": actor,
        },
        actor=actor,
        verb="leak_report_link",
    )
