"""Customer-data disclosure: the procedure, nothing released before approval, a legal basis
or the responsible leader's approval, every read audited, the report."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from ccops.core import audit
from ccops.core.models import AuditEntry
from ccops.core.testing import build_world
from ccops.registers.models import DisclosureRequest
from ccops.registers.services import disclosure as services
from tests.registers.helpers import approved_request, legal_request, pdf, release, verified_request

pytestmark = pytest.mark.django_db


def test_a_legal_document_request_goes_through_every_step():
    w = build_world()
    r = legal_request(w)
    assert r.reference.startswith("DR-") and r.status == "received"
    with pytest.raises(ValidationError, match="scanned legal document"):
        services.disclosure_verify(
            request=r,
            callback_number="1",
            callback_source="directory",
            callback_contact="x",
            actor=w.users["operations_supervisor"],
        )
    r = verified_request(w)
    assert r.status == "verified" and r.verified_by == w.users["operations_supervisor"]
    # the one who verified does not decide; an operations supervisor cannot approve at all
    with pytest.raises(PermissionDenied):
        services.disclosure_decide(
            request=r, approve=True, note="ok", actor=w.users["operations_supervisor"]
        )
    r = services.disclosure_decide(
        request=r, approve=True, note="Valid notice", actor=w.users["general_supervisor"]
    )
    assert r.status == "approved" and r.outcome == "approved"
    release(w, r)
    r = services.disclosure_fulfil(request=r, actor=w.users["operations_supervisor"])
    assert r.status == "fulfilled" and r.is_signed
    services.disclosure_document_upload(
        request=r, kind="receipt", upload=pdf("receipt.pdf"), actor=w.users["operations_supervisor"]
    )
    r = services.disclosure_close(
        request=r, note="Receipt filed", actor=w.users["operations_supervisor"]
    )
    assert r.status == "closed" and r.is_released


def test_nothing_is_released_before_approval():
    w = build_world()
    for r in (legal_request(w), verified_request(w)):
        with pytest.raises(ValidationError, match="nothing is released before approval"):
            release(w, r)
        with pytest.raises(ValidationError):
            services.disclosure_fulfil(request=r, actor=w.users["operations_supervisor"])
        assert not r.releases.exists()


def test_a_disclosure_cannot_be_fulfilled_without_a_legal_basis_or_approval():
    w = build_world()
    # a special case without the responsible leader's approval: the general supervisor
    # (who approves legal documents) cannot approve it
    special = services.disclosure_receive(
        site=w.site,
        requester_name="Mr Zhao",
        requester_organisation="Customer's family",
        requester_contact="138 0000 0000",
        basis="special_case",
        special_reason="The customer died; the executor asks for the contract.",
        customer_reference="C-000777",
        records_requested="Service contract",
        actor=w.users["operations_supervisor"],
    )
    services.disclosure_verify(
        request=special,
        callback_number="138 0000 0000",
        callback_source="Customer file",
        callback_contact="Mr Zhao",
        actor=w.users["operations_supervisor"],
    )
    with pytest.raises(PermissionDenied, match="responsible leader"):
        services.disclosure_decide(
            request=special, approve=True, note="ok", actor=w.users["general_supervisor"]
        )
    with pytest.raises(ValidationError, match="not approved"):
        services.disclosure_fulfil(request=special, actor=w.users["operations_supervisor"])
    special = services.disclosure_decide(
        request=special,
        approve=True,
        note="Executor's papers seen",
        actor=w.users["center_director"],
    )
    release(w, special)
    assert services.disclosure_fulfil(
        request=special, actor=w.users["operations_supervisor"]
    ).is_signed

    # a legal-document request whose scan was withdrawn after approval: no basis, no release
    r = approved_request(w)
    with audit.acting_as(None, via=audit.VIA_SYSTEM):
        r.documents.get().archive()
    with pytest.raises(ValidationError, match="no complete legal basis"):
        release(w, r)

    # and the database itself refuses a fulfilled request without basis or approval
    bare = legal_request(w)
    with transaction.atomic(), pytest.raises(IntegrityError):
        DisclosureRequest.objects.filter(pk=bare.pk).update(status="fulfilled")


def test_a_fulfilled_request_and_its_releases_cannot_change():
    w = build_world()
    r = approved_request(w)
    item = release(w, r)
    services.disclosure_fulfil(request=r, actor=w.users["operations_supervisor"])
    r.refresh_from_db()
    r.customer_reference = "C-999"
    with pytest.raises(audit.RecordLocked):
        r.save()
    item.fields_released = "everything"
    with pytest.raises(audit.RecordLocked):
        item.save()
    with pytest.raises(ValidationError):
        release(w, r)


def test_refusal_needs_grounds_and_closes_signed():
    w = build_world()
    r = legal_request(w)
    with pytest.raises(ValidationError, match="why"):
        services.disclosure_decide(
            request=r, approve=False, note="", actor=w.users["center_director"]
        )
    r = services.disclosure_decide(
        request=r,
        approve=False,
        note="Document number unknown to the bureau",
        actor=w.users["center_director"],
    )
    r = services.disclosure_close(request=r, actor=w.users["operations_supervisor"])
    assert r.status == "closed" and r.outcome == "refused" and r.is_signed and not r.is_released


def test_uploads_are_checked_by_size_and_content():
    w = build_world()
    r = legal_request(w)
    actor = w.users["operations_supervisor"]
    with pytest.raises(ValidationError, match="not a PDF"):
        services.disclosure_document_upload(
            request=r,
            kind="legal_document",
            upload=pdf("order.pdf", b"MZ\x90\x00 not a pdf"),
            actor=actor,
        )
    with pytest.raises(ValidationError, match="limit is 10 MB"):
        services.disclosure_document_upload(
            request=r,
            kind="legal_document",
            upload=pdf("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024)),
            actor=actor,
        )
    doc = services.disclosure_document_upload(
        request=r, kind="legal_document", upload=pdf(), actor=actor
    )
    assert doc.content_type == "application/pdf" and len(doc.sha256) == 64
    assert doc.file.name.endswith(".pdf") and "order" not in doc.file.name
    doc.original_name = "renamed.pdf"
    with pytest.raises(audit.RecordLocked):
        doc.save()


def test_every_read_of_the_register_is_audited(client):
    w = build_world()
    r = verified_request(w)
    doc = r.documents.get()
    user = w.users["general_supervisor"]
    client.force_login(user)

    def reads(note=None):
        rows = AuditEntry.objects.filter(action__startswith="disclosure_", actor=user)
        rows = rows.filter(action__in=["disclosure_read", "disclosure_document_read"])
        return rows.filter(note=note) if note else rows

    assert client.get(reverse("registers:disclosurerequest_list")).status_code == 200
    assert reads("list").count() == 1
    page = client.get(r.get_absolute_url())
    assert page.status_code == 200 and r.document_number in page.text
    assert reads("page").count() == 1
    download = client.get(reverse("registers:disclosuredocument_download", args=[doc.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="disclosure_document_read", actor=user).count() == 1
    assert client.get("/api/v1/registers/disclosures/").status_code == 200
    assert reads("api list").count() == 1
    assert client.get(f"/api/v1/registers/disclosures/{r.pk}").status_code == 200
    assert reads("api").count() == 1
    report = client.get(
        reverse("registers:disclosure_report"), {"start": "2000-01-01", "end": "2100-01-01"}
    )
    assert report.status_code == 200 and r.reference in report.text
    assert reads("report").count() == 1
    # a scanned copy is never served to someone who may not see the request
    client.force_login(w.users["agent"])
    assert (
        client.get(reverse("registers:disclosuredocument_download", args=[doc.pk])).status_code
        == 403
    )


def test_report_counts_and_csv(client):
    w = build_world()
    r = approved_request(w)
    release(w, r)
    services.disclosure_fulfil(request=r, actor=w.users["operations_supervisor"])
    refused = legal_request(w)
    services.disclosure_decide(
        request=refused, approve=False, note="Forged", actor=w.users["center_director"]
    )
    day = r.received_at.astimezone(w.site.zone).date()  # the report counts site days
    report = services.disclosure_report(
        start=day.replace(day=1),
        end=day,
        queryset=DisclosureRequest.objects.all(),
        zone=w.site.zone,
    )
    assert report["count"] == 2 and report["released"] == 1 and report["refused"] == 1
    client.force_login(w.users["quality_supervisor"])
    csv = client.get(
        reverse("registers:disclosure_report"),
        {"start": "2000-01-01", "end": "2100-01-01", "format": "csv"},
    )
    assert csv.status_code == 200
    text = csv.content.decode("utf-8-sig")
    assert r.reference in text and "date, time, duration, calling number" in text
