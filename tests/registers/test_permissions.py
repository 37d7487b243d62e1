"""Permission matrix of the registers' pages and API; own rows of visits, documents and
cleaning duties."""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from ccops.core.roles import ALL_ROLES, MANAGERS, SUPERVISORS
from ccops.core.testing import (
    Check,
    OwnRowsTests,
    PermissionMatrix,
    api_operation_paths,
    build_world,
)
from ccops.registers.models import CleaningDuty, ConfidentialDocument, Visit
from ccops.registers.roles import (
    AUTHORIZERS,
    CUSTODY_KEEPERS,
    CUSTODY_OVERSEERS,
    DISCLOSURE_APPROVERS,
    DISCLOSURE_KEEPERS,
    DISCLOSURE_REPORT,
    DOOR,
    STAFF,
)
from ccops.registers.services import areas, custody, disclosure, restroom, visitors
from tests.registers import helpers
from tests.shiftops.helpers import employee_of

_n = itertools.count(1)
SUPERVISORY = DOOR | SUPERVISORS
PLANNERS = SUPERVISORS | MANAGERS
NOW = "2026-11-27T08:00:00Z"


def _slugs(u):
    return set(u.groups.values_list("name", flat=True)) if u is not None else {"agent"}


# --- visits -------------------------------------------------------------------------------


def my_visit(w, u):
    return visitors.visit_announce(
        site=w.site,
        visitor_name="V",
        host=employee_of(w, u or w.users["agent"]),
        reason="R",
        expected_at=timezone.now() + dt.timedelta(hours=2),
        actor=u,
    )


def my_visit_pk(w, u):
    return [my_visit(w, u).pk]


def visit_to_decide(w, u):
    host = "editor" if u != w.users["editor"] else "trainer"
    if _slugs(u) & AUTHORIZERS:
        return [helpers.announced(w, host=host).pk]
    return my_visit_pk(w, u)


def my_approved_visit(w, u):
    visit = my_visit(w, u)
    approver = (
        w.users["center_director"]
        if u != w.users["center_director"]
        else w.users["general_supervisor"]
    )
    return [visitors.visit_decide(visit=visit, approve=True, actor=approver).pk]


def my_visitor_on_site(w, u):
    visit = Visit.objects.get(pk=my_approved_visit(w, u)[0])
    visitors.visit_check_in(
        visit=visit, badge_number=f"M{next(_n)}", actor=w.users["group_manager"]
    )
    return [visit.pk]


# --- areas ---------------------------------------------------------------------------------


def an_area(w, u):
    return [helpers.area(w).pk]


def an_authorization(w, u):
    return [helpers.authorize(w, helpers.area(w)).pk]


def entry_waiting(w, u):
    a = helpers.area(w)
    return [
        areas.area_entry_record(
            area=a, employee=w.employees["editor"], purpose="P", actor=w.users["group_manager"]
        ).pk
    ]


def entry_inside(w, u):
    a = helpers.area(w)
    helpers.authorize(w, a, "statistician")
    return [
        areas.area_entry_record(
            area=a,
            employee=w.employees["statistician"],
            purpose="P",
            actor=w.users["group_manager"],
        ).pk
    ]


def _review(w, u):
    return areas.area_review_open(area=helpers.area(w), month=areas.last_month(), actor=u)


def my_review(w, u):
    return [_review(w, u).pk]


def signed_review(w, u):
    review = _review(w, w.users["operations_supervisor"])
    areas.area_review_sign(review=review, findings="ok", actor=w.users["operations_supervisor"])
    return [review.pk]


# --- disclosure -----------------------------------------------------------------------------


def received(w, u):
    return [helpers.legal_request(w).pk]


def received_with_scan(w, u):
    r = helpers.legal_request(w)
    disclosure.disclosure_document_upload(
        request=r,
        kind="legal_document",
        upload=helpers.pdf(),
        actor=w.users["operations_supervisor"],
    )
    return [r.pk]


def verified(w, u):
    return [helpers.verified_request(w).pk]


def approved(w, u):
    return [helpers.approved_request(w).pk]


def approved_with_release(w, u):
    r = helpers.approved_request(w)
    helpers.release(w, r)
    return [r.pk]


def fulfilled(w, u):
    r = helpers.approved_request(w)
    helpers.release(w, r)
    disclosure.disclosure_fulfil(request=r, actor=w.users["operations_supervisor"])
    return [r.pk]


def scan(w, u):
    return [helpers.verified_request(w).documents.get().pk]


def upload_data(w, u):
    return {"kind": "legal_document", "file": helpers.pdf()}


# --- custody ----------------------------------------------------------------------------------


def _doc(w, keeper_employee):
    return custody.document_register(
        site=w.site,
        keeper=keeper_employee,
        reference=f"R{next(_n)}",
        title="T",
        category="work",
        copies=1,
        scope_of_use="S",
        location="L",
        actor=w.users["general_supervisor"],
    )


def my_document(w, u):
    return [_doc(w, employee_of(w, u or w.users["agent"])).pk]


def document_to_check(w, u):
    if _slugs(u) & CUSTODY_OVERSEERS:
        return [_doc(w, w.employees["statistician"]).pk]
    return my_document(w, u)


def _other(w, u):
    """Another keeper the user may see (managers see their teams only)."""
    if _slugs(u) & MANAGERS:
        return w.employees["agent"]
    return w.employees["statistician"] if u != w.users["statistician"] else w.employees["editor"]


def _handover(w, u):
    doc = _doc(w, employee_of(w, u or w.users["agent"]))
    return custody.custody_handover_open(
        site=w.site,
        from_keeper=doc.keeper,
        to_keeper=_other(w, u),
        handover_at=timezone.now(),
        documents=[doc],
        actor=u,
    )


def my_handover(w, u):
    return [_handover(w, u).pk]


def my_item(w, u):
    return [_handover(w, u).items.get().pk]


def my_counted_handover(w, u):
    h = _handover(w, u)
    item = h.items.get()
    custody.custody_item_count(item=item, copies_counted=1, actor=u)
    return [h.pk]


def my_signed_handover(w, u):
    h = CustodyHandoverFromPk(my_counted_handover(w, u)[0])
    custody.custody_handover_sign(handover=h, side="outgoing", actor=u)
    custody.custody_handover_sign(handover=h, side="incoming", actor=h.to_keeper.user)
    return [h.pk]


def CustodyHandoverFromPk(pk):
    from ccops.registers.models import CustodyHandover

    return CustodyHandover.objects.get(pk=pk)


def handover_data(w, u):
    doc = _doc(w, employee_of(w, u or w.users["agent"]))
    return {
        "site": w.site.pk,
        "from_keeper": doc.keeper.pk,
        "to_keeper": _other(w, u).pk,
        "handover_at": NOW,
        "documents": [doc.pk],
    }


def my_leak(w, u):
    return [
        custody.leak_report_file(
            site=w.site, kind="leak", occurred_at=timezone.now(), description="D", actor=u
        ).pk
    ]


def link_data(w, u):
    ct = ContentType.objects.get(app_label="people", model="employee")
    return {"content_type": ct.pk, "object_id": w.employees["agent"].pk, "note": "N"}


# --- rest room --------------------------------------------------------------------------------


def a_room(w, u):
    return [helpers.rest_room(w).pk]


def my_duty(w, u):
    room = helpers.rest_room(w)
    restroom.cleaning_rota_generate(
        room=room,
        start=timezone.localdate(),
        days=1,
        assignees=[employee_of(w, u or w.users["agent"])],
        actor=u,
    )
    return [CleaningDuty.objects.get(room=room, kind="daily").pk]


def rota_data(w, u):
    return {
        "start": timezone.localdate().isoformat(),
        "days": 3,
        "assignees": [employee_of(w, u or w.users["agent"]).pk],
    }


class TestRegistersPages(PermissionMatrix):
    pages = {
        "core:record_options": Check(ALL_ROLES),
        # visits
        "registers:visit_list": Check(STAFF),
        "registers:visit_on_site": Check(DOOR),
        "registers:visit_walk_in": Check(DOOR),
        "registers:visit_add": Check(STAFF),
        "registers:visit_detail": Check(STAFF, args=my_visit_pk),
        "registers:visit_edit": Check(STAFF, args=my_visit_pk),
        "registers:visit_decide": Check(
            AUTHORIZERS,
            args=visit_to_decide,
            method="post",
            data=lambda w, u: {"approve": "true"},
            ok=(302,),
        ),
        "registers:visit_check_in": Check(
            DOOR,
            args=my_approved_visit,
            method="post",
            data=lambda w, u: {"badge_number": f"P{next(_n)}"},
            ok=(302,),
        ),
        "registers:visit_check_out": Check(
            STAFF, args=my_visitor_on_site, method="post", ok=(302,)
        ),
        "registers:visit_cancel": Check(
            STAFF, args=my_visit_pk, method="post", data=lambda w, u: {"note": "No show"}, ok=(302,)
        ),
        # restricted areas
        "registers:restrictedarea_list": Check(SUPERVISORY),
        "registers:restrictedarea_detail": Check(SUPERVISORY, args=an_area),
        "registers:restrictedarea_add": Check(AUTHORIZERS),
        "registers:restrictedarea_edit": Check(AUTHORIZERS, args=an_area),
        "registers:restrictedarea_archive": Check(AUTHORIZERS, args=an_area),
        "registers:areaauthorization_list": Check(SUPERVISORY),
        "registers:areaauthorization_add": Check(AUTHORIZERS),
        "registers:areaauthorization_detail": Check(SUPERVISORY, args=an_authorization),
        "registers:areaauthorization_revoke": Check(
            AUTHORIZERS,
            args=an_authorization,
            method="post",
            data=lambda w, u: {"reason": "Left"},
            ok=(302,),
        ),
        "registers:areaaccess_list": Check(SUPERVISORY),
        "registers:areaaccess_add": Check(DOOR),
        "registers:areaaccess_detail": Check(SUPERVISORY, args=entry_waiting),
        "registers:areaaccess_decide": Check(
            AUTHORIZERS,
            args=entry_waiting,
            method="post",
            data=lambda w, u: {"approve": "true", "note": "Fetch a cable"},
            ok=(302,),
        ),
        "registers:areaaccess_exit": Check(DOOR, args=entry_inside, method="post", ok=(302,)),
        "registers:areaaccessreview_list": Check(SUPERVISORY),
        "registers:areaaccessreview_add": Check(SUPERVISORS),
        "registers:areaaccessreview_detail": Check(SUPERVISORY, args=my_review),
        "registers:areaaccessreview_sign": Check(
            SUPERVISORS,
            args=my_review,
            method="post",
            data=lambda w, u: {"findings": "Fine"},
            ok=(302,),
        ),
        "registers:areaaccessreview_amend": Check(
            SUPERVISORS,
            args=signed_review,
            method="post",
            data=lambda w, u: {"findings": "Fix"},
            ok=(302,),
        ),
        # disclosure
        "registers:disclosurerequest_list": Check(DISCLOSURE_KEEPERS),
        "registers:disclosurerequest_add": Check(DISCLOSURE_KEEPERS),
        "registers:disclosurerequest_detail": Check(DISCLOSURE_KEEPERS, args=received),
        "registers:disclosurerequest_edit": Check(DISCLOSURE_KEEPERS, args=received),
        "registers:disclosurerequest_upload": Check(
            DISCLOSURE_KEEPERS, args=received, method="post", data=upload_data, ok=(302,)
        ),
        "registers:disclosurerequest_verify": Check(
            DISCLOSURE_KEEPERS,
            args=received_with_scan,
            method="post",
            data=lambda w, u: {
                "callback_number": "1",
                "callback_source": "Directory",
                "callback_contact": "Z",
            },
            ok=(302,),
        ),
        "registers:disclosurerequest_decide": Check(
            DISCLOSURE_APPROVERS,
            args=verified,
            method="post",
            data=lambda w, u: {"approve": "true", "note": "Valid"},
            ok=(302,),
        ),
        "registers:disclosurerequest_release": Check(
            DISCLOSURE_KEEPERS,
            args=approved,
            method="post",
            data=lambda w, u: {
                "record_type": "CDR",
                "record_reference": "March",
                "fields_released": "date",
                "recipient_name": "Li",
                "recipient_organisation": "PSB",
                "channel": "in_person",
            },
            ok=(302,),
        ),
        "registers:disclosurerequest_fulfil": Check(
            DISCLOSURE_KEEPERS, args=approved_with_release, method="post", ok=(302,)
        ),
        "registers:disclosurerequest_close": Check(
            DISCLOSURE_KEEPERS, args=fulfilled, method="post", ok=(302,)
        ),
        "registers:disclosuredocument_download": Check(DISCLOSURE_KEEPERS, args=scan),
        "registers:disclosure_report": Check(DISCLOSURE_REPORT),
        # custody
        "registers:confidentialdocument_list": Check(ALL_ROLES),
        "registers:confidentialdocument_add": Check(CUSTODY_KEEPERS),
        "registers:confidentialdocument_detail": Check(ALL_ROLES, args=my_document),
        "registers:confidentialdocument_edit": Check(CUSTODY_KEEPERS, args=my_document),
        "registers:confidentialdocument_archive": Check(CUSTODY_KEEPERS, args=my_document),
        "registers:confidentialdocument_check": Check(
            CUSTODY_OVERSEERS,
            args=document_to_check,
            method="post",
            data=lambda w, u: {"copies_found": 1},
            ok=(302,),
        ),
        "registers:custodyhandover_list": Check(ALL_ROLES),
        "registers:custodyhandover_add": Check(STAFF),
        "registers:custodyhandover_detail": Check(ALL_ROLES, args=my_handover),
        "registers:custodyhandoveritem_count": Check(
            ALL_ROLES,
            args=my_item,
            method="post",
            data=lambda w, u: {"copies_counted": 1},
            ok=(302,),
        ),
        "registers:custodyhandover_sign": Check(
            ALL_ROLES,
            args=my_counted_handover,
            method="post",
            data=lambda w, u: {"side": "outgoing"},
            ok=(302,),
        ),
        "registers:custodyhandover_amend": Check(
            ALL_ROLES,
            args=my_signed_handover,
            method="post",
            data=lambda w, u: {"notes": "Fix"},
            ok=(302,),
        ),
        "registers:leakreport_list": Check(ALL_ROLES),
        "registers:leakreport_add": Check(ALL_ROLES),
        "registers:leakreport_detail": Check(ALL_ROLES, args=my_leak),
        "registers:leakreport_handle": Check(
            CUSTODY_OVERSEERS,
            args=my_leak,
            method="post",
            data=lambda w, u: {"handling": "Talked"},
            ok=(302,),
        ),
        "registers:leakreport_link": Check(
            CUSTODY_OVERSEERS, args=my_leak, method="post", data=link_data, ok=(302,)
        ),
        # rest room
        "registers:restroom_list": Check(ALL_ROLES),
        "registers:restroom_add": Check(AUTHORIZERS),
        "registers:restroom_detail": Check(ALL_ROLES, args=a_room),
        "registers:restroom_edit": Check(AUTHORIZERS, args=a_room),
        "registers:restroom_archive": Check(AUTHORIZERS, args=a_room),
        "registers:restroom_rota": Check(
            PLANNERS, args=a_room, method="post", data=rota_data, ok=(302,)
        ),
        "registers:cleaningduty_list": Check(ALL_ROLES),
        "registers:cleaningduty_detail": Check(ALL_ROLES, args=my_duty),
        "registers:cleaningduty_sign_off": Check(ALL_ROLES, args=my_duty, method="post", ok=(302,)),
        "registers:cleaningduty_reassign": Check(
            PLANNERS,
            args=my_duty,
            method="post",
            data=lambda w, u: {"assignee": employee_of(w, u or w.users["agent"]).pk},
            ok=(302,),
        ),
    }
    api = {
        "registers_visit_list": Check(STAFF),
        "registers_visit_get": Check(STAFF, args=my_visit_pk),
        "registers_visit_create": Check(
            STAFF,
            method="post",
            data=lambda w, u: {
                "site": w.site.pk,
                "host": employee_of(w, u or w.users["agent"]).pk,
                "visitor_name": "V",
                "reason": "R",
                "expected_at": (timezone.now() + dt.timedelta(hours=1)).isoformat(),
            },
            ok=(201,),
        ),
        "registers_visit_update": Check(
            STAFF, args=my_visit_pk, method="patch", data=lambda w, u: {"reason": "New"}
        ),
        "registers_visit_on_site": Check(DOOR),
        "registers_visit_walk_in": Check(
            DOOR,
            method="post",
            data=lambda w, u: {
                "site": w.site.pk,
                "host": employee_of(w, u or w.users["agent"]).pk,
                "visitor_name": "W",
                "reason": "R",
            },
            ok=(201,),
        ),
        "registers_visit_decide": Check(
            AUTHORIZERS, args=visit_to_decide, method="post", data=lambda w, u: {"approve": True}
        ),
        "registers_visit_check_in": Check(
            DOOR,
            args=my_approved_visit,
            method="post",
            data=lambda w, u: {"badge_number": f"A{next(_n)}"},
        ),
        "registers_visit_check_out": Check(
            STAFF, args=my_visitor_on_site, method="post", data=lambda w, u: {}
        ),
        "registers_visit_cancel": Check(
            STAFF, args=my_visit_pk, method="post", data=lambda w, u: {"note": "No"}
        ),
        "registers_restrictedarea_list": Check(SUPERVISORY),
        "registers_restrictedarea_get": Check(SUPERVISORY, args=an_area),
        "registers_restrictedarea_create": Check(
            AUTHORIZERS,
            method="post",
            data=lambda w, u: {"site": w.site.pk, "code": f"A{next(_n)}", "name": "Room"},
            ok=(201,),
        ),
        "registers_restrictedarea_update": Check(
            AUTHORIZERS, args=an_area, method="patch", data=lambda w, u: {"name": "N"}
        ),
        "registers_restrictedarea_archive": Check(AUTHORIZERS, args=an_area, method="post"),
        "registers_areaauthorization_list": Check(SUPERVISORY),
        "registers_areaauthorization_get": Check(SUPERVISORY, args=an_authorization),
        "registers_areaauthorization_create": Check(
            AUTHORIZERS,
            method="post",
            data=lambda w, u: {
                "area": helpers.area(w).pk,
                "employee": w.employees["agent"].pk,
                "valid_from": timezone.localdate().isoformat(),
                "reason": "Duty",
            },
            ok=(201,),
        ),
        "registers_areaauthorization_revoke": Check(
            AUTHORIZERS, args=an_authorization, method="post", data=lambda w, u: {"reason": "Left"}
        ),
        "registers_areaaccess_list": Check(SUPERVISORY),
        "registers_areaaccess_get": Check(SUPERVISORY, args=entry_waiting),
        "registers_areaaccess_create": Check(
            DOOR,
            method="post",
            data=lambda w, u: {
                "area": helpers.area(w).pk,
                "employee": employee_of(w, u or w.users["agent"]).pk,
                "purpose": "P",
                "approval_note": "ok",
            },
            ok=(201,),
        ),
        "registers_areaaccess_decide": Check(
            AUTHORIZERS,
            args=entry_waiting,
            method="post",
            data=lambda w, u: {"approve": True, "note": "ok"},
        ),
        "registers_areaaccess_exit": Check(DOOR, args=entry_inside, method="post"),
        "registers_areaaccessreview_list": Check(SUPERVISORY),
        "registers_areaaccessreview_get": Check(SUPERVISORY, args=my_review),
        "registers_areaaccessreview_create": Check(
            SUPERVISORS,
            method="post",
            data=lambda w, u: {"area": helpers.area(w).pk, "month": areas.last_month().isoformat()},
            ok=(201,),
        ),
        "registers_areaaccessreview_sign": Check(
            SUPERVISORS, args=my_review, method="post", data=lambda w, u: {"findings": "Fine"}
        ),
        "registers_areaaccessreview_amend": Check(
            SUPERVISORS,
            args=signed_review,
            method="post",
            data=lambda w, u: {"findings": "Fix"},
            ok=(201,),
        ),
        "registers_disclosurerequest_list": Check(DISCLOSURE_KEEPERS),
        "registers_disclosurerequest_get": Check(DISCLOSURE_KEEPERS, args=received),
        "registers_disclosurerequest_create": Check(
            DISCLOSURE_KEEPERS,
            method="post",
            data=lambda w, u: {
                "site": w.site.pk,
                "requester_name": "Li",
                "requester_organisation": "PSB",
                "requester_contact": "1",
                "basis": "special_case",
                "special_reason": "Executor",
                "customer_reference": "C1",
                "records_requested": "Contract",
            },
            ok=(201,),
        ),
        "registers_disclosurerequest_update": Check(
            DISCLOSURE_KEEPERS,
            args=received,
            method="patch",
            data=lambda w, u: {"requester_contact": "2"},
        ),
        "registers_disclosurerequest_verify": Check(
            DISCLOSURE_KEEPERS,
            args=received_with_scan,
            method="post",
            data=lambda w, u: {
                "callback_number": "1",
                "callback_source": "Dir",
                "callback_contact": "Z",
            },
        ),
        "registers_disclosurerequest_decide": Check(
            DISCLOSURE_APPROVERS,
            args=verified,
            method="post",
            data=lambda w, u: {"approve": True, "note": "Valid"},
        ),
        "registers_disclosurerelease_create": Check(
            DISCLOSURE_KEEPERS,
            args=approved,
            method="post",
            data=lambda w, u: {
                "record_type": "CDR",
                "record_reference": "March",
                "fields_released": "date",
                "recipient_name": "Li",
                "recipient_organisation": "PSB",
                "channel": "in_person",
            },
            ok=(201,),
        ),
        "registers_disclosurerequest_fulfil": Check(
            DISCLOSURE_KEEPERS, args=approved_with_release, method="post"
        ),
        "registers_disclosurerequest_close": Check(
            DISCLOSURE_KEEPERS, args=fulfilled, method="post", data=lambda w, u: {"note": "Receipt"}
        ),
        "registers_disclosure_report": Check(DISCLOSURE_REPORT, args=lambda w, u: [], data=None),
        "registers_confidentialdocument_list": Check(ALL_ROLES),
        "registers_confidentialdocument_get": Check(ALL_ROLES, args=my_document),
        "registers_confidentialdocument_create": Check(
            CUSTODY_KEEPERS,
            method="post",
            data=lambda w, u: {
                "site": w.site.pk,
                "keeper": employee_of(w, u or w.users["agent"]).pk,
                "reference": f"D{next(_n)}",
                "title": "T",
                "category": "work",
                "scope_of_use": "S",
                "location": "L",
            },
            ok=(201,),
        ),
        "registers_confidentialdocument_update": Check(
            CUSTODY_KEEPERS, args=my_document, method="patch", data=lambda w, u: {"title": "New"}
        ),
        "registers_confidentialdocument_archive": Check(
            CUSTODY_KEEPERS, args=my_document, method="post"
        ),
        "registers_custodycheck_create": Check(
            CUSTODY_OVERSEERS,
            args=document_to_check,
            method="post",
            data=lambda w, u: {"copies_found": 1},
            ok=(201,),
        ),
        "registers_custodyhandover_list": Check(ALL_ROLES),
        "registers_custodyhandover_get": Check(ALL_ROLES, args=my_handover),
        "registers_custodyhandover_create": Check(
            STAFF, method="post", data=handover_data, ok=(201,)
        ),
        "registers_custodyhandoveritem_count": Check(
            ALL_ROLES, args=my_item, method="post", data=lambda w, u: {"copies_counted": 1}
        ),
        "registers_custodyhandover_sign": Check(
            ALL_ROLES,
            args=my_counted_handover,
            method="post",
            data=lambda w, u: {"side": "outgoing"},
        ),
        "registers_custodyhandover_amend": Check(
            ALL_ROLES,
            args=my_signed_handover,
            method="post",
            data=lambda w, u: {"notes": "Fix"},
            ok=(201,),
        ),
        "registers_leakreport_list": Check(ALL_ROLES),
        "registers_leakreport_get": Check(ALL_ROLES, args=my_leak),
        "registers_leakreport_create": Check(
            ALL_ROLES,
            method="post",
            data=lambda w, u: {
                "site": w.site.pk,
                "kind": "leak",
                "occurred_at": NOW,
                "description": "D",
            },
            ok=(201,),
        ),
        "registers_leakreport_handle": Check(
            CUSTODY_OVERSEERS, args=my_leak, method="post", data=lambda w, u: {"handling": "H"}
        ),
        "registers_disciplinelink_create": Check(
            CUSTODY_OVERSEERS,
            args=my_leak,
            method="post",
            data=lambda w, u: {
                "content_type": "people.employee",
                "object_id": w.employees["agent"].pk,
            },
            ok=(201,),
        ),
        "registers_restroom_list": Check(ALL_ROLES),
        "registers_restroom_get": Check(ALL_ROLES, args=a_room),
        "registers_restroom_create": Check(
            AUTHORIZERS,
            method="post",
            data=lambda w, u: {"site": w.site.pk, "name": "R", "location": "L"},
            ok=(201,),
        ),
        "registers_restroom_update": Check(
            AUTHORIZERS, args=a_room, method="patch", data=lambda w, u: {"capacity": 9}
        ),
        "registers_restroom_archive": Check(AUTHORIZERS, args=a_room, method="post"),
        "registers_restroom_rota": Check(PLANNERS, args=a_room, method="post", data=rota_data),
        "registers_cleaningduty_list": Check(ALL_ROLES),
        "registers_cleaningduty_get": Check(ALL_ROLES, args=my_duty),
        "registers_cleaningduty_sign_off": Check(
            ALL_ROLES, args=my_duty, method="post", data=lambda w, u: {}
        ),
        "registers_cleaningduty_reassign": Check(
            PLANNERS,
            args=my_duty,
            method="post",
            data=lambda w, u: {"assignee": employee_of(w, u or w.users["agent"]).pk},
        ),
    }

    def _api_url(self, operation_id, check, world, user):
        url = super()._api_url(operation_id, check, world, user)
        if operation_id == "registers_disclosure_report":
            url += "?start=2000-01-01&end=2100-01-01"
        return url


class TestDisclosureUploadApi(PermissionMatrix):
    """The scan upload is multipart (a file), not JSON."""

    api = {
        "registers_disclosuredocument_create": Check(DISCLOSURE_KEEPERS, args=received, ok=(201,))
    }

    def test_api_anonymous(self, client, db):
        w = build_world()
        url = self._api_url(
            "registers_disclosuredocument_create",
            self.api["registers_disclosuredocument_create"],
            w,
            None,
        )
        assert client.post(url, upload_data(w, None)).status_code == 401

    def test_api_by_role(self, client, db):
        w = build_world()
        check = self.api["registers_disclosuredocument_create"]
        for slug, user in w.users.items():
            client.force_login(user)
            url = self._api_url("registers_disclosuredocument_create", check, w, user)
            status = client.post(url, upload_data(w, user)).status_code
            assert status == (201 if slug in check.allowed else 403), (slug, status)


class TestVisitsOwnRows(OwnRowsTests):
    """Hosts who do not keep the door see only their own visitors (an agent has none: the
    trainer plays the host here)."""

    model = Visit
    list_url = "registers:visit_list"
    detail_url = "registers:visit_detail"
    api_list = "registers_visit_list"

    def test_agent_sees_only_own_rows(self, client, db):
        w = build_world()
        mine = my_visit(w, w.users["trainer"])
        other = my_visit(w, w.users["editor"])
        client.force_login(w.users["trainer"])
        assert list(client.get(reverse(self.list_url)).context["object_list"]) == [mine]
        assert client.get(reverse(self.detail_url, args=[other.pk])).status_code == 404
        ids = {
            row["id"] for row in client.get(api_operation_paths()[self.api_list]).json()["items"]
        }
        assert ids == {mine.pk}


class TestDocumentsOwnRows(OwnRowsTests):
    model = ConfidentialDocument
    list_url = "registers:confidentialdocument_list"
    detail_url = "registers:confidentialdocument_detail"
    api_list = "registers_confidentialdocument_list"

    def own(self, w):
        return _doc(w, w.employees["agent"])

    def others(self, w):
        return _doc(w, w.other_employee)


class TestCleaningOwnRows(OwnRowsTests):
    model = CleaningDuty
    list_url = "registers:cleaningduty_list"
    detail_url = "registers:cleaningduty_detail"
    api_list = "registers_cleaningduty_list"

    def own(self, w):
        return CleaningDuty.objects.get(pk=my_duty(w, w.users["agent"])[0])

    def others(self, w):
        return CleaningDuty.objects.get(pk=my_duty(w, w.other_agent)[0])
