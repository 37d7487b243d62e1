"""Confidential documents: checks, the custody handover signed by both keepers (locked,
amended), leak reports with their handling and discipline links."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ccops.core import audit
from ccops.core.errors import Conflict
from ccops.core.testing import build_world
from ccops.registers.models import ConfidentialDocument, CustodyHandoverItem
from ccops.registers.services import custody as services
from tests.registers.helpers import document

pytestmark = pytest.mark.django_db


def _handover(w, *docs):
    return services.custody_handover_open(
        site=w.site,
        from_keeper=w.employees["group_manager"],
        to_keeper=w.employees["area_manager"],
        handover_at=timezone.now(),
        actor=w.users["group_manager"],
        documents=list(docs) or None,
    )


def test_periodic_check_is_signed_and_a_discrepancy_needs_a_note():
    w = build_world()
    doc = document(w)
    with pytest.raises(PermissionDenied):
        services.document_check_record(document=doc, copies_found=2, actor=w.users["group_manager"])
    with pytest.raises(ValidationError, match="discrepancy"):
        services.document_check_record(
            document=doc, copies_found=1, actor=w.users["general_supervisor"]
        )
    check = services.document_check_record(
        document=doc, copies_found=2, actor=w.users["general_supervisor"]
    )
    assert check.result == "intact" and check.is_signed
    doc.refresh_from_db()
    assert doc.last_checked_at is not None and not doc.check_overdue


def test_signed_custody_handover_cannot_be_edited():
    w = build_world()
    doc = document(w)
    h = _handover(w)
    item = h.items.get()
    with pytest.raises(ValidationError, match="Count every item"):
        services.custody_handover_sign(handover=h, side="outgoing", actor=w.users["group_manager"])
    with pytest.raises(ValidationError, match="describe the discrepancy"):
        services.custody_item_count(item=item, copies_counted=1, actor=w.users["group_manager"])
    services.custody_item_count(
        item=item,
        copies_counted=1,
        note="Copy 2 is with IT for scanning",
        actor=w.users["group_manager"],
    )
    with pytest.raises(PermissionDenied):  # each keeper signs as themselves
        services.custody_handover_sign(handover=h, side="outgoing", actor=w.users["area_manager"])
    with pytest.raises(ValidationError, match="outgoing keeper signs first"):
        services.custody_handover_sign(handover=h, side="incoming", actor=w.users["area_manager"])
    services.custody_handover_sign(handover=h, side="outgoing", actor=w.users["group_manager"])
    h = services.custody_handover_sign(handover=h, side="incoming", actor=w.users["area_manager"])
    assert h.is_signed and h.incoming_signed_by == w.users["area_manager"]
    doc.refresh_from_db()
    assert doc.keeper == w.employees["area_manager"]
    # signed: neither the handover nor its inventory can change, by service or by save
    item.refresh_from_db()
    with pytest.raises(ValidationError):
        services.custody_item_count(item=item, copies_counted=2, actor=w.users["area_manager"])
    item.copies_counted = 2
    with pytest.raises(audit.RecordLocked):
        item.save()
    h.notes = "rewritten"
    with pytest.raises(audit.RecordLocked):
        h.save()
    with pytest.raises(Conflict):
        services.custody_handover_sign(handover=h, side="incoming", actor=w.users["area_manager"])
    amendment = services.custody_handover_amend(
        handover=h, notes="Copy 2 came back from IT", actor=w.users["area_manager"]
    )
    assert amendment.amends == h and amendment.items.count() == 1 and not amendment.is_signed
    with pytest.raises(Conflict):
        services.custody_handover_amend(handover=h, notes="again", actor=w.users["area_manager"])


def test_a_document_is_in_one_open_handover_at_a_time():
    w = build_world()
    doc = document(w)
    _handover(w, doc)
    with pytest.raises(ValidationError, match="already in an open handover"):
        _handover(w, doc)
    with transaction.atomic(), pytest.raises(IntegrityError):
        CustodyHandoverItem.objects.create(
            handover=CustodyHandoverItem.objects.get().handover, document=doc, copies_expected=2
        )
    with pytest.raises(ValidationError, match="keeper changes by a custody handover"):
        services.document_update(
            document=doc, keeper=w.employees["agent"], actor=w.users["general_supervisor"]
        )


def test_keepers_see_their_own_documents_only(client):
    w = build_world()
    mine = document(w, keeper="agent")
    other = document(w, keeper="group_manager")
    visible = set(ConfidentialDocument.objects.restrict(w.users["agent"], "view"))
    assert visible == {mine}
    assert set(ConfidentialDocument.objects.restrict(w.users["quality_supervisor"], "view")) == {
        mine,
        other,
    }
    client.force_login(w.users["agent"])
    assert client.get(other.get_absolute_url()).status_code == 404


def test_leak_report_is_handled_closed_signed_and_linked_to_discipline():
    w = build_world()
    doc = document(w)
    report = services.leak_report_file(
        site=w.site,
        kind="taken_out",
        occurred_at=timezone.now(),
        document=doc,
        description="Diagram seen on a desk outside the machine room",
        people_involved=[w.employees["agent"]],
        actor=w.users["agent"],
    )
    assert report.reported_by == w.employees["agent"] and report.people_involved.count() == 1
    with pytest.raises(PermissionDenied):
        services.leak_report_handle(report=report, handling="x", actor=w.users["agent"])
    services.leak_report_handle(
        report=report, handling="Interviewed the agent", actor=w.users["general_supervisor"]
    )
    report = services.leak_report_close(
        report=report,
        handling="Copy recovered; reminder of the rules",
        actor=w.users["general_supervisor"],
    )
    assert report.status == "closed" and report.is_signed
    # a generic link: any audited record the handler may see (here: a people record, as the
    # quality app's discipline records are not on this branch)
    target = w.employees["agent"]
    link = services.leak_report_link(
        report=report,
        content_type="people.employee",
        object_id=target.pk,
        note="Warning recorded",
        actor=w.users["general_supervisor"],
    )
    assert link.object_repr == str(target)
    assert link.content_type == ContentType.objects.get_for_model(type(target))
    with pytest.raises(ValidationError, match="not a record type"):
        services.leak_report_link(
            report=report,
            content_type="auth.user",
            object_id=1,
            actor=w.users["general_supervisor"],
        )


def test_record_picker_offers_only_visible_rows(client):
    w = build_world()
    client.force_login(w.users["group_manager"])
    ct = ContentType.objects.get(app_label="people", model="employee")
    options = client.get(reverse("core:record_options"), {"content_type": ct.pk, "q": "agent"}).text
    assert w.employees["agent"].full_name in options
    assert w.other_employee.full_name not in options  # another group's agent
