"""Parallel requests on PostgreSQL: every state transition of the registers is decided
once; the others get 409 (or are refused)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ccops.core.models import AuditEntry
from ccops.core.testing import build_world, race, requires_row_locks
from ccops.registers.models import AreaAccess, CustodyHandoverItem, Visit
from ccops.registers.services import areas, custody, restroom
from tests.registers import helpers

pytestmark = [requires_row_locks(), pytest.mark.django_db(transaction=True)]


def _api(user, path, data):
    def call():
        c = Client()
        c.force_login(user)
        import json

        return c.post(path, data=json.dumps(data), content_type="application/json")

    return call


def test_parallel_approvals_of_a_visit_decide_it_once():
    w = build_world()
    visit = helpers.announced(w)
    path = f"/api/v1/registers/visits/{visit.pk}/decide"
    outcome = race(
        _api(w.users["general_supervisor"], path, {"approve": True}),
        _api(w.users["center_director"], path, {"approve": False, "note": "No"}),
        _api(w.users["operations_supervisor"], path, {"approve": True}),
    )
    assert sorted(outcome.statuses) == [200, 409, 409], outcome.errors
    decided = AuditEntry.objects.filter(
        object_id=str(visit.pk), action__in=["visit_approve", "visit_refuse"]
    )
    assert decided.count() == 1


def test_one_badge_goes_to_one_visitor_when_two_doors_check_in_at_once():
    w = build_world()
    first, second = helpers.approved(w), helpers.approved(w)
    outcome = race(
        _api(
            w.users["group_manager"],
            f"/api/v1/registers/visits/{first.pk}/check-in",
            {"badge_number": "B1"},
        ),
        _api(
            w.users["area_manager"],
            f"/api/v1/registers/visits/{second.pk}/check-in",
            {"badge_number": "B1"},
        ),
    )
    assert sorted(outcome.statuses) in ([200, 409], [200, 422]), outcome.errors
    assert Visit.objects.filter(status="on_site", badge_number="B1").count() == 1


def test_parallel_approvals_of_an_area_entry_decide_it_once():
    w = build_world()
    entry = areas.area_entry_record(
        area=helpers.area(w),
        employee=w.employees["editor"],
        purpose="P",
        actor=w.users["group_manager"],
    )
    path = f"/api/v1/registers/area-log/{entry.pk}/decide"
    outcome = race(
        _api(w.users["general_supervisor"], path, {"approve": True, "note": "ok"}),
        _api(w.users["operations_supervisor"], path, {"approve": False, "note": "no"}),
    )
    assert sorted(outcome.statuses) == [200, 409], outcome.errors
    entry.refresh_from_db()
    assert entry.status in ("inside", "refused")


def test_two_doors_recording_the_same_entry_record_it_once():
    w = build_world()
    a = helpers.area(w)
    helpers.authorize(w, a, "statistician")
    data = {"area": a.pk, "employee": w.employees["statistician"].pk, "purpose": "Check"}
    outcome = race(
        _api(w.users["operations_supervisor"], "/api/v1/registers/area-log/", data),
        _api(w.users["general_supervisor"], "/api/v1/registers/area-log/", data),
    )
    assert sorted(outcome.statuses) == [201, 409], outcome.errors
    assert AreaAccess.objects.filter(area=a, status="inside").count() == 1


def test_parallel_disclosure_decisions_and_fulfilments_happen_once():
    w = build_world()
    r = helpers.verified_request(w)
    path = f"/api/v1/registers/disclosures/{r.pk}/decide"
    outcome = race(
        _api(w.users["general_supervisor"], path, {"approve": True, "note": "Valid"}),
        _api(w.users["center_director"], path, {"approve": True, "note": "Valid"}),
    )
    assert sorted(outcome.statuses) == [200, 409], outcome.errors
    helpers.release(w, r)
    path = f"/api/v1/registers/disclosures/{r.pk}/fulfil"
    outcome = race(
        _api(w.users["operations_supervisor"], path, {}),
        _api(w.users["general_supervisor"], path, {}),
    )
    assert sorted(outcome.statuses) == [200, 409], outcome.errors
    assert AuditEntry.objects.filter(object_id=str(r.pk), action="disclosure_fulfil").count() == 1


def test_a_custody_handover_is_signed_once_and_documents_go_in_one_handover():
    w = build_world()
    doc = helpers.document(w)
    h = custody.custody_handover_open(
        site=w.site,
        from_keeper=doc.keeper,
        to_keeper=w.employees["area_manager"],
        handover_at=timezone.now(),
        actor=w.users["group_manager"],
    )
    custody.custody_item_count(item=h.items.get(), copies_counted=2, actor=w.users["group_manager"])
    custody.custody_handover_sign(handover=h, side="outgoing", actor=w.users["group_manager"])
    path = f"/api/v1/registers/custody-handovers/{h.pk}/sign"
    user = w.users["area_manager"]
    outcome = race(_api(user, path, {"side": "incoming"}), _api(user, path, {"side": "incoming"}))
    assert sorted(outcome.statuses) == [200, 409], outcome.errors
    other = helpers.document(w)
    data = {
        "site": w.site.pk,
        "from_keeper": other.keeper.pk,
        "to_keeper": w.employees["agent"].pk,
        "handover_at": timezone.now().isoformat(),
        "documents": [other.pk],
    }
    outcome = race(
        _api(w.users["general_supervisor"], "/api/v1/registers/custody-handovers/", data),
        _api(w.users["center_director"], "/api/v1/registers/custody-handovers/", data),
    )
    assert sorted(outcome.statuses) == [201, 409], outcome.errors
    assert CustodyHandoverItem.objects.filter(document=other, pending=True).count() == 1


def test_a_cleaning_is_signed_off_once_and_a_review_signed_once():
    w = build_world()
    room = helpers.rest_room(w)
    restroom.cleaning_rota_generate(
        room=room,
        start=timezone.localdate(),
        days=1,
        assignees=[w.employees["agent"]],
        actor=w.users["group_manager"],
    )
    duty = room.duties.get(kind="daily")
    path = f"/api/v1/registers/cleaning/{duty.pk}/sign-off"
    outcome = race(_api(w.users["agent"], path, {}), _api(w.users["agent"], path, {}))
    assert sorted(outcome.statuses) == [200, 409], outcome.errors
    review = areas.area_review_open(
        area=helpers.area(w), month=areas.last_month(), actor=w.users["operations_supervisor"]
    )
    path = f"/api/v1/registers/area-reviews/{review.pk}/sign"
    user = w.users["operations_supervisor"]
    outcome = race(_api(user, path, {"findings": "A"}), _api(user, path, {"findings": "B"}))
    assert sorted(outcome.statuses) == [200, 409], outcome.errors
    page = reverse("registers:areaaccessreview_detail", args=[review.pk])
    assert page
