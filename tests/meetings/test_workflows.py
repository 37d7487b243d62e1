"""Meetings, action items, the emergency-meeting approval chain and experience exchanges."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from ccops.core.errors import Conflict
from ccops.core.models import AuditEntry
from ccops.core.testing import api_operation_paths, build_world
from ccops.meetings import services
from ccops.meetings.models import EmergencyMeetingRequest, Meeting
from tests.meetings.helpers import item, meeting

pytestmark = pytest.mark.django_db


def test_meeting_page_shows_agenda_minutes_and_earlier_open_items(client):
    w = build_world()
    old = meeting(w, days_ago=7)
    still_open = item(w, old)
    closed = item(w, old)
    services.action_item_close(
        item=closed, outcome="cancelled", actor=w.users["quality_supervisor"]
    )
    new = meeting(w)
    assert list(services.open_items_of_earlier_meetings(new)) == [still_open]
    assert list(services.open_items_of_earlier_meetings(old)) == []
    services.meeting_update(
        meeting=new,
        minutes="Scores up 2%",
        decisions="Buy headsets",
        actor=w.users["quality_supervisor"],
    )
    new.refresh_from_db()
    assert new.status == "held"
    client.force_login(w.users["quality_supervisor"])
    page = client.get(new.get_absolute_url())
    assert page.status_code == 200
    section = page.text.split('id="earlier-open-items"')[1]
    assert still_open.get_absolute_url() in section and closed.get_absolute_url() not in section
    assert "Scores of the week" in page.text and "Buy headsets" in page.text


def test_action_item_done_is_reported_by_owner_and_confirmed_by_chair():
    w = build_world()
    a = item(w)
    chair = w.users["quality_supervisor"]
    with pytest.raises(PermissionDenied):
        services.action_item_report_progress(item=a, text="x", actor=w.other_agent)
    with pytest.raises(ValidationError, match="reports the item done"):
        services.action_item_close(item=a, outcome="done", actor=chair)
    services.action_item_report_progress(item=a, text="Ordered", actor=w.users["agent"])
    a.refresh_from_db()
    assert a.status == "in_progress"
    services.action_item_report_progress(
        item=a, text="Installed", done=True, actor=w.users["agent"]
    )
    a.refresh_from_db()
    assert a.status == "reported_done" and a.progress.count() == 2
    with pytest.raises(PermissionDenied):  # the owner cannot confirm their own item
        services.action_item_close(item=a, outcome="done", actor=w.users["agent"])
    services.action_item_close(item=a, outcome="done", actor=chair)
    a.refresh_from_db()
    assert a.status == "done" and a.closed_by == chair
    with pytest.raises(ValidationError, match="closed"):
        services.action_item_report_progress(item=a, text="more", actor=w.users["agent"])
    assert AuditEntry.objects.for_object(a).filter(action="action_item_done").exists()


def test_action_item_pages_and_api(client):
    w = build_world()
    a = item(w)
    client.force_login(w.users["agent"])
    page = client.post(
        reverse("meetings:actionitem_progress", args=[a.pk]),
        {"text": "Done", "done": "on"},
        follow=True,
    ).content.decode()
    a.refresh_from_db()
    assert a.status == "reported_done" and "Reported as done" in page  # the action confirms
    client.force_login(w.users["quality_supervisor"])
    path = api_operation_paths()["meetings_actionitem_close"].replace("{pk}", str(a.pk))
    response = client.post(path, data={"outcome": "done"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "done"


def test_overdue_items_on_owners_and_supervisors_home_pages(client):
    w = build_world()
    late = item(w, due_in_days=-2)
    assert late.is_overdue
    client.force_login(w.users["agent"])
    page = client.get(reverse("home")).text
    assert "panel-meetingsmy_action_items" in page and "overdue" in page
    for role in ("operations_supervisor", "group_manager"):
        client.force_login(w.users[role])
        page = client.get(reverse("home")).text
        assert "panel-meetingsoverdue_action_items" in page
        assert late.get_absolute_url() in page.split("panel-meetingsoverdue_action_items")[1]
    assert list(services.overdue_action_items(w.users["area_manager"])) == [late]


def test_emergency_request_from_a_group_manager_goes_up_the_chain():
    w = build_world()
    req = services.emergency_request_raise(
        site=w.site,
        reason="CRM down for 40 minutes",
        proposed_at=timezone.now() + dt.timedelta(hours=1),
        actor=w.users["group_manager"],
    )
    assert req.requester_level == 1 and req.status == "pending"
    with pytest.raises(PermissionDenied):
        services.emergency_request_decide(request=req, approve=True, actor=w.users["group_manager"])
    services.emergency_request_decide(request=req, approve=True, actor=w.users["area_manager"])
    req.refresh_from_db()
    assert req.status == "pending" and req.approved_level == 2
    with pytest.raises(Conflict, match="above level 2"):  # the area manager was first
        services.emergency_request_decide(
            request=req, approve=True, actor=w.users["quality_supervisor"]
        )
    assert list(services.requests_waiting_for(w.users["operations_supervisor"])) == [req]
    services.emergency_request_decide(
        request=req, approve=True, actor=w.users["operations_supervisor"]
    )
    req.refresh_from_db()
    assert req.status == "approved"
    m = Meeting.objects.get(emergency_request=req)
    assert m.kind == "emergency" and m.chair == w.employees["operations_supervisor"]
    assert w.employees["group_manager"] in m.attendees.all()


def test_emergency_request_rules():
    w = build_world()
    with pytest.raises(PermissionDenied):
        services.emergency_request_raise(
            site=w.site, reason="x", proposed_at=timezone.now(), actor=w.users["agent"]
        )
    req = services.emergency_request_raise(
        site=w.site,
        reason="Flood",
        proposed_at=timezone.now(),
        actor=w.users["operations_supervisor"],
    )
    with pytest.raises(PermissionDenied):  # level 3 asks the director
        services.emergency_request_decide(
            request=req, approve=True, actor=w.users["general_supervisor"]
        )
    services.emergency_request_decide(
        request=req, approve=False, note="Not needed", actor=w.users["center_director"]
    )
    req.refresh_from_db()
    assert req.status == "rejected" and not Meeting.objects.filter(emergency_request=req).exists()
    with pytest.raises(ValidationError, match="decided"):
        services.emergency_request_decide(
            request=req, approve=True, actor=w.users["center_director"]
        )
    with pytest.raises(ValidationError, match="approved emergency-meeting request"):
        meeting(
            w, kind="emergency", chair=w.employees["area_manager"], actor=w.users["area_manager"]
        )
    assert meeting(w, kind="emergency", actor=w.users["operations_supervisor"]).kind == "emergency"


def test_emergency_request_pages(client):
    w = build_world()
    client.force_login(w.users["group_manager"])
    response = client.post(
        reverse("meetings:emergencymeetingrequest_add"),
        {"site": w.site.pk, "reason": "Outage", "proposed_at": "2026-11-27T20:00"},
    )
    assert response.status_code == 302
    req = EmergencyMeetingRequest.objects.get(requested_by=w.employees["group_manager"])
    client.force_login(w.users["area_manager"])
    assert "panel-meetingsrequests_to_decide" in client.get(reverse("home")).text
    client.post(
        reverse("meetings:emergencymeetingrequest_decide", args=[req.pk]), {"approve": "true"}
    )
    client.force_login(w.users["center_director"])
    client.post(
        reverse("meetings:emergencymeetingrequest_decide", args=[req.pk]), {"approve": "true"}
    )
    req.refresh_from_db()
    assert req.status == "approved" and req.decisions.count() == 2
    page = client.get(req.get_absolute_url())
    assert Meeting.objects.get(emergency_request=req).get_absolute_url() in page.text


def test_experience_exchange_lessons_and_half_yearly_warning(client):
    w = build_world()
    today = timezone.localdate()
    assert services.experience_exchange_due([w.site], today) == {"last": None, "due": True}
    old = services.experience_exchange_record(
        site=w.site,
        held_on=today - dt.timedelta(days=200),
        topic="Angry callers",
        participants=[w.employees["agent"]],
        actor=w.users["trainer"],
    )
    assert services.experience_exchange_due([w.site], today)["due"]
    client.force_login(w.users["operations_supervisor"])
    assert (
        "No experience exchange was recorded in the last six months"
        in client.get(reverse("home")).text
    )
    services.experience_exchange_record(
        site=w.site,
        held_on=today - dt.timedelta(days=10),
        topic="Fraud calls",
        actor=w.users["trainer"],
    )
    assert services.experience_exchange_due([w.site], today)["due"] is False
    client.force_login(w.users["trainer"])
    client.post(
        reverse("meetings:experiencelesson_add", args=[old.pk]),
        {"text": "Let the caller finish first", "for_service_manual": "on"},
    )
    lesson = old.lessons.get()
    assert lesson.for_service_manual and lesson.text == "Let the caller finish first"
    assert "for the service manual" in client.get(old.get_absolute_url()).text


def test_the_action_item_list_api_reads_progress_in_one_query(client):
    """The N+1 that bench_load --queries found: one progress query per listed item."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.meetings.helpers import item

    w = build_world()
    client.force_login(w.users["quality_supervisor"])

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/meetings/action-items/").status_code == 200
        return len(ctx)

    a = item(w)
    services.action_item_report_progress(item=a, text="Ordered", actor=w.users["agent"])
    queries()  # the session's first request saves the session
    few = queries()
    for _ in range(4):
        b = item(w)
        services.action_item_report_progress(item=b, text="Ordered", actor=w.users["agent"])
    assert queries() == few
