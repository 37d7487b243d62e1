"""Restricted areas: the access list, entries with escorts and approvals, the monthly
review signed by a supervisor."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ccops.core import audit
from ccops.core.errors import Conflict
from ccops.core.testing import build_world
from ccops.registers.models import AreaAccess, AreaAccessReview
from ccops.registers.services import areas as services
from tests.registers.helpers import area, authorize, on_site

pytestmark = pytest.mark.django_db


def test_authorised_employee_goes_in_and_out():
    w = build_world()
    a = area(w)
    authorize(w, a)
    door = w.users["group_manager"]
    entry = services.area_entry_record(
        area=a, employee=w.employees["operations_supervisor"], purpose="Replace a disk", actor=door
    )
    assert entry.status == "inside" and entry.authorised and entry.entered_at
    with pytest.raises(Conflict):
        services.area_entry_record(
            area=a, employee=w.employees["operations_supervisor"], purpose="Again", actor=door
        )
    entry = services.area_exit_record(access=entry, actor=door)
    assert entry.status == "left" and entry.exited_at


def test_entry_by_someone_not_authorised_needs_a_recorded_approval():
    w = build_world()
    a = area(w)
    door = w.users["group_manager"]
    entry = services.area_entry_record(
        area=a, employee=w.employees["trainer"], purpose="Fetch a projector", actor=door
    )
    assert entry.status == "awaiting" and not entry.authorised and entry.entered_at is None
    with pytest.raises(PermissionDenied):
        services.area_entry_decide(access=entry, approve=True, note="ok", actor=door)
    with pytest.raises(ValidationError):
        services.area_entry_decide(
            access=entry, approve=True, note="", actor=w.users["operations_supervisor"]
        )
    entry = services.area_entry_decide(
        access=entry,
        approve=True,
        note="Projector stored there",
        actor=w.users["operations_supervisor"],
    )
    assert entry.status == "inside" and entry.approved_by == w.users["operations_supervisor"]
    # the database refuses an unapproved entry of someone not on the list
    other = services.area_entry_record(
        area=a, employee=w.employees["editor"], purpose="Look around", actor=door
    )
    with transaction.atomic(), pytest.raises(IntegrityError):
        AreaAccess.objects.filter(pk=other.pk).update(status="inside")
    # nobody approves their own entry
    own = services.area_entry_record(
        area=a, employee=w.employees["general_supervisor"], purpose="Check", actor=door
    )
    with pytest.raises(PermissionDenied):
        services.area_entry_decide(
            access=own, approve=True, note="me", actor=w.users["general_supervisor"]
        )


def test_visitor_needs_an_authorised_escort():
    w = build_world()
    a = area(w)
    visit = on_site(w)
    door = w.users["operations_supervisor"]
    with pytest.raises(ValidationError, match="escort"):
        services.area_entry_record(area=a, visit=visit, purpose="Maintenance", actor=door)
    with pytest.raises(ValidationError, match="access list"):
        services.area_entry_record(
            area=a,
            visit=visit,
            escort=w.employees["group_manager"],
            purpose="Maintenance",
            actor=door,
        )
    authorize(w, a, "group_manager")
    entry = services.area_entry_record(
        area=a,
        visit=visit,
        escort=w.employees["group_manager"],
        purpose="Maintenance",
        approval_note="Vendor engineer, escorted",
        actor=door,
    )
    assert entry.status == "inside" and entry.approved_by == door  # an approver recorded it


def test_monthly_review_is_signed_by_the_reviewer_and_locked():
    w = build_world()
    a = area(w)
    authorize(w, a)
    month = services.last_month()
    with pytest.raises(ValidationError):
        services.area_review_open(
            area=a, month=timezone.localdate(), actor=w.users["operations_supervisor"]
        )
    review = services.area_review_open(area=a, month=month, actor=w.users["operations_supervisor"])
    with pytest.raises(Conflict):
        services.area_review_open(area=a, month=month, actor=w.users["general_supervisor"])
    with pytest.raises(PermissionDenied):
        services.area_review_sign(review=review, findings="ok", actor=w.users["general_supervisor"])
    review = services.area_review_sign(
        review=review,
        findings="List up to date; no irregular entries.",
        actor=w.users["operations_supervisor"],
    )
    assert review.is_signed and review.summary["access_list"][0]["employee"]
    review.findings = "changed"
    with pytest.raises(audit.RecordLocked):
        review.save()
    amendment = services.area_review_amend(
        review=review, findings="One entry was missed.", actor=w.users["general_supervisor"]
    )
    assert amendment.amends == review and not amendment.is_signed
    with pytest.raises(Conflict):
        services.area_review_amend(
            review=review, findings="again", actor=w.users["general_supervisor"]
        )
    assert services.reviews_due([a]) == []
    assert AreaAccessReview.objects.filter(area=a).count() == 2
    assert month == (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
