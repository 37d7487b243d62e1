"""Parallel requests at every meetings transition, on PostgreSQL (issue 12, point 1):
exactly one wins, the others get a 409, and one audit entry is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ccops.core.testing import build_world, race, requires_row_locks
from ccops.meetings import services
from ccops.meetings.models import ActionItemProgress, EmergencyMeetingDecision, Meeting
from tests.meetings.helpers import item, meeting
from tests.shiftops.test_races import _path, call, entries

pytestmark = [requires_row_locks(), pytest.mark.django_db(transaction=True)]


def test_parallel_done_reports_report_done_once():
    w = build_world()
    action = item(w)
    report = call(
        w.users["agent"],
        "post",
        _path("meetings_actionitem_progress", action.pk),
        {"text": "New headsets installed", "done": True},
    )
    outcome = race(report, report, report)
    assert sorted(outcome.statuses) == [201, 409, 409], outcome.errors
    assert ActionItemProgress.objects.filter(action_item=action).count() == 1
    assert entries("action_item_progress", action).count() == 1


def test_parallel_confirmations_close_an_action_item_once():
    w = build_world()
    action = item(w)
    services.action_item_report_progress(
        item=action, text="done", done=True, actor=w.users["agent"]
    )
    path = _path("meetings_actionitem_close", action.pk)
    confirm = call(w.users["quality_supervisor"], "post", path, {"outcome": "done"})
    cancel = call(w.users["center_director"], "post", path, {"outcome": "cancelled"})
    outcome = race(confirm, cancel, confirm)
    assert sorted(outcome.statuses) == [200, 409, 409], outcome.errors
    closing = entries("action_item_done", action).count()
    closing += entries("action_item_cancelled", action).count()
    assert closing == 1


def test_parallel_updates_and_archives_of_a_meeting():
    w = build_world()
    m = meeting(w)
    chair = w.users["quality_supervisor"]
    path = _path("meetings_meeting_update", m.pk)
    outcome = race(*(call(chair, "patch", path, {"minutes": f"Minutes {n}"}) for n in range(3)))
    assert outcome.statuses == [200, 200, 200], outcome.errors  # serialised, none lost
    assert entries("meeting_update", m).count() == 3
    archive = call(chair, "post", _path("meetings_meeting_archive", m.pk))
    outcome = race(archive, archive, archive)
    assert sorted(outcome.statuses) == [200, 409, 409], outcome.errors
    assert entries("archive", m).count() == 1


def _request(w):
    return services.emergency_request_raise(
        site=w.site,
        reason="CRM down for 40 minutes",
        proposed_at=timezone.now() + dt.timedelta(hours=1),
        actor=w.users["group_manager"],
    )


def test_two_approvers_at_one_level_decide_once():
    w = build_world()
    req = _request(w)
    path = _path("meetings_emergencymeetingrequest_decide", req.pk)
    area = call(w.users["area_manager"], "post", path, {"approve": True})
    quality = call(w.users["quality_supervisor"], "post", path, {"approve": True})
    outcome = race(area, quality, area)
    assert sorted(outcome.statuses) == [200, 409, 409], outcome.errors
    assert EmergencyMeetingDecision.objects.filter(request=req).count() == 1
    assert entries("emergency_approve", req).count() == 1


def test_the_final_approval_schedules_one_emergency_meeting():
    w = build_world()
    req = _request(w)
    services.emergency_request_decide(request=req, approve=True, actor=w.users["area_manager"])
    path = _path("meetings_emergencymeetingrequest_decide", req.pk)
    ops = call(w.users["operations_supervisor"], "post", path, {"approve": True})
    director = call(w.users["center_director"], "post", path, {"approve": False})
    outcome = race(ops, director, ops)
    assert sorted(outcome.statuses) == [200, 409, 409], outcome.errors
    req.refresh_from_db()
    assert Meeting.objects.filter(emergency_request=req).count() == (req.status == "approved")
    assert EmergencyMeetingDecision.objects.filter(request=req).count() == 2


def test_a_lesson_and_the_archive_of_its_exchange_never_pass_each_other():
    w = build_world()
    exchange = services.experience_exchange_record(
        site=w.site, held_on=timezone.localdate(), topic="Callers", actor=w.users["trainer"]
    )
    qs = w.users["quality_supervisor"]
    lesson = call(
        qs,
        "post",
        _path("meetings_experiencelesson_create", exchange.pk),
        {"text": "Repeat the caller's words"},
    )
    archive = call(qs, "post", _path("meetings_experienceexchange_archive", exchange.pk))
    outcome = race(lesson, archive)
    assert outcome.statuses[1] == 200 and outcome.statuses[0] in (201, 404, 409), outcome.errors
    archived_at = entries("archive", exchange).get().pk
    assert not entries("experience_lesson_add").filter(pk__gt=archived_at).exists()
