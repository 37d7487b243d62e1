"""Sample register rows for the tests."""

from __future__ import annotations

import datetime as dt
import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ccops.registers.models import RestrictedArea, RestRoom
from ccops.registers.services import areas, custody, disclosure, visitors

_n = itertools.count(1)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="order.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def announced(w, *, host="group_manager", actor=None, hours=2):
    host_employee = w.employees[host]
    return visitors.visit_announce(
        site=w.site,
        visitor_name=f"Wang Lei {next(_n)}",
        organisation="Telecom vendor",
        host=host_employee,
        reason="Maintenance of the recording server",
        expected_at=timezone.now() + dt.timedelta(hours=hours),
        expected_until=timezone.now() + dt.timedelta(hours=hours + 3),
        actor=actor or w.users[host],
    )


def approved(w, **kwargs):
    visit = announced(w, **kwargs)
    return visitors.visit_decide(visit=visit, approve=True, actor=w.users["general_supervisor"])


def on_site(w, badge=None, **kwargs):
    visit = approved(w, **kwargs)
    return visitors.visit_check_in(
        visit=visit,
        badge_number=badge or f"B{next(_n)}",
        escort=w.employees["group_manager"],
        actor=w.users["operations_supervisor"],
    )


def area(w, code=None):
    from ccops.core import audit

    with audit.acting_as(None, via=audit.VIA_SYSTEM):
        return RestrictedArea.objects.create(
            site=w.site, code=code or f"MR{next(_n)}", name="Machine room", kind="machine_room"
        )


def authorize(w, a, who="operations_supervisor"):
    return areas.area_authorize(
        area=a,
        employee=w.employees[who],
        valid_from=timezone.localdate() - dt.timedelta(days=60),
        reason="Duty engineer",
        actor=w.users["general_supervisor"],
    )


def legal_request(w, actor=None):
    return disclosure.disclosure_receive(
        site=w.site,
        requester_name="Officer Li",
        requester_organisation="Pudong public-security bureau",
        requester_contact="021-5555 0101",
        requester_id_number="PS-31-0042",
        basis="legal_document",
        authority_type="public_security",
        document_type="Notice of assistance in an investigation",
        document_number="沪公(浦)调证字[2026]118号",
        issuing_authority="Pudong public-security bureau",
        customer_reference="C-000123",
        records_requested="Call records of March 2026",
        actor=actor or w.users["operations_supervisor"],
    )


def verified_request(w):
    request = legal_request(w)
    disclosure.disclosure_document_upload(
        request=request, kind="legal_document", upload=pdf(), actor=w.users["operations_supervisor"]
    )
    return disclosure.disclosure_verify(
        request=request,
        callback_number="021-2222 0000",
        callback_source="Bureau switchboard from the official directory",
        callback_contact="Duty officer Zhang",
        actor=w.users["operations_supervisor"],
    )


def approved_request(w):
    return disclosure.disclosure_decide(
        request=verified_request(w),
        approve=True,
        note="Valid notice, confirmed by call back",
        actor=w.users["general_supervisor"],
    )


def release(w, request, actor=None):
    return disclosure.disclosure_release_record(
        request=request,
        record_type="Call detail records",
        record_reference="Calls of C-000123, 2026-03-01 to 2026-03-31",
        fields_released="date, time, duration, calling number",
        recipient_name="Officer Li",
        recipient_organisation="Pudong public-security bureau",
        channel="sealed_letter",
        actor=actor or w.users["operations_supervisor"],
    )


def document(w, keeper="group_manager", copies=2):
    return custody.document_register(
        site=w.site,
        keeper=w.employees[keeper],
        reference=f"TM-{next(_n)}",
        title="Network diagram of the ACD",
        category="technical",
        classification="confidential",
        copies=copies,
        scope_of_use="Engineers only, in the machine room",
        location="Cabinet 2",
        check_interval_days=90,
        actor=w.users["general_supervisor"],
    )


def rest_room(w):
    from ccops.core import audit

    with audit.acting_as(None, via=audit.VIA_SYSTEM):
        return RestRoom.objects.create(
            site=w.site, name="Rest room", location="3F east", capacity=8
        )


def stream(content: bytes, name: str):
    handle = io.BytesIO(content)
    handle.name = name
    handle.size = len(content)
    return handle
