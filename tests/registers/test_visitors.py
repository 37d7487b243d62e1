"""The visitor register: announced and approved in advance, walk-ins wait, the door
receives and signs out, who is on site, the sign-out reminder."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ccops.core.errors import Conflict
from ccops.core.models import Notification
from ccops.core.testing import build_world
from ccops.registers.models import Visit
from ccops.registers.services import visitors as services
from tests.registers.helpers import announced, approved, on_site

pytestmark = pytest.mark.django_db


def test_announced_visit_is_approved_received_and_signed_out():
    w = build_world()
    visit = announced(w)
    assert visit.status == "awaiting" and visit.kind == "announced"
    door = w.users["operations_supervisor"]
    with pytest.raises(ValidationError, match="not approved yet"):
        services.visit_check_in(visit=visit, badge_number="V01", actor=door)
    with pytest.raises(PermissionDenied):  # a host cannot authorize, nor can a trainer
        services.visit_decide(visit=visit, approve=True, actor=w.users["trainer"])
    visit = services.visit_decide(visit=visit, approve=True, actor=w.users["general_supervisor"])
    assert visit.authorizer == w.employees["general_supervisor"] and visit.decided_at
    with pytest.raises(PermissionDenied):  # the host is not door staff... but group managers are
        services.visit_check_in(visit=visit, badge_number="V01", actor=w.users["trainer"])
    visit = services.visit_check_in(
        visit=visit, badge_number="V01", escort=w.employees["group_manager"], actor=door
    )
    assert visit.status == "on_site" and visit.arrived_at and visit.checked_in_by == door
    assert list(services.on_site(Visit.objects.all())) == [visit]
    with pytest.raises(ValidationError):  # details are fixed once the visitor arrived
        services.visit_update(visit=visit, reason="Something else", actor=w.users["group_manager"])
    visit = services.visit_check_out(visit=visit, handling="Server fixed", actor=door)
    assert visit.status == "left" and visit.left_at and visit.handling == "Server fixed"
    assert Notification.objects.filter(user=w.users["group_manager"]).count() >= 2


def test_walk_in_waits_for_approval_and_host_cannot_approve_own_visitor():
    w = build_world()
    door = w.users["group_manager"]
    with pytest.raises(PermissionDenied):
        services.visit_register_walk_in(
            site=w.site,
            visitor_name="Courier",
            host=w.employees["trainer"],
            reason="Parcel",
            actor=w.users["trainer"],
        )
    visit = services.visit_register_walk_in(
        site=w.site,
        visitor_name="Courier",
        host=w.employees["general_supervisor"],
        reason="Parcel for the admin office",
        actor=door,
    )
    assert visit.status == "awaiting" and visit.kind == "walk_in"
    assert Notification.objects.filter(
        user=w.users["general_supervisor"], url=visit.get_absolute_url()
    )
    with pytest.raises(PermissionDenied, match="own visitor"):
        services.visit_decide(visit=visit, approve=True, actor=w.users["general_supervisor"])
    with pytest.raises(ValidationError, match="why"):
        services.visit_decide(visit=visit, approve=False, actor=w.users["center_director"])
    visit = services.visit_decide(
        visit=visit, approve=False, note="No appointment", actor=w.users["center_director"]
    )
    assert visit.status == "refused"
    with pytest.raises(Conflict):
        services.visit_decide(visit=visit, approve=True, actor=w.users["operations_supervisor"])


def test_a_change_after_approval_needs_a_new_approval():
    w = build_world()
    visit = approved(w)
    visit = services.visit_update(
        visit=visit,
        expected_at=visit.expected_at + dt.timedelta(days=1),
        expected_until=visit.expected_until + dt.timedelta(days=1),
        actor=w.users["group_manager"],
    )
    assert visit.status == "awaiting" and visit.authorizer is None


def test_one_badge_per_visitor_on_site_and_the_database_agrees():
    w = build_world()
    first = on_site(w, badge="B7")
    second = approved(w)
    with pytest.raises(ValidationError, match="B7"):
        services.visit_check_in(
            visit=second, badge_number="B7", actor=w.users["operations_supervisor"]
        )
    with transaction.atomic(), pytest.raises(IntegrityError):
        Visit.objects.filter(pk=second.pk).update(status="on_site", badge_number="B7")
    assert first.badge_number == "B7"
    # nobody enters without an authorizer, whatever code tries
    bare = announced(w)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Visit.objects.filter(pk=bare.pk).update(status="on_site")


def test_sign_out_reminder_goes_once_to_host_and_escort():
    w = build_world()
    visit = on_site(w)
    Visit.objects.filter(pk=visit.pk).update(arrived_at=timezone.now() - dt.timedelta(hours=5))
    assert services.visit_remind_sign_out() == 1
    assert services.visit_remind_sign_out() == 0
    reminded = Notification.objects.filter(template__contains="still signed in")
    assert {n.user for n in reminded} >= {
        w.users["group_manager"],
        w.users["operations_supervisor"],
    }
    assert list(services.overdue_sign_outs(Visit.objects.all())) == [visit]


def test_on_site_page_is_for_the_door(client):
    w = build_world()
    visit = on_site(w)
    client.force_login(w.users["trainer"])
    assert client.get(reverse("registers:visit_on_site")).status_code == 403
    client.force_login(w.users["group_manager"])
    page = client.get(reverse("registers:visit_on_site"))
    assert page.status_code == 200 and visit.visitor_name in page.text
    # hosts who are not door staff see their own visits only
    mine = announced(w, host="trainer")
    client.force_login(w.users["trainer"])
    listed = client.get(reverse("registers:visit_list")).context["object_list"]
    assert list(listed) == [mine]


def test_the_door_panel_counts_the_visits_and_the_people_on_site():
    from django.test import RequestFactory

    from ccops.registers.panels import door_context

    w = build_world()
    Visit.objects.filter(pk=on_site(w).pk).update(party_size=3)
    on_site(w)
    request = RequestFactory().get("/")
    request.user = w.users["group_manager"]
    panel = door_context(request)
    assert panel["on_site"] == 2 and panel["people"] == 4
    Visit.objects.update(status="left")
    assert door_context(request)["people"] == 0
