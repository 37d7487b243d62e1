"""Incidents end to end: declare, steps, timeline, hand-overs, leaders notified, the
emergency meeting, recovery, the fault record, closing, acknowledgements."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ccops.core.audit import RecordLocked
from ccops.core.errors import Conflict
from ccops.core.models import AuditEntry, Notification
from ccops.core.services import account_state, record_update
from ccops.core.testing import build_world
from ccops.incidents import services
from ccops.incidents.choices import IncidentKind
from ccops.incidents.models import Acknowledgement, FaultRecord, Playbook
from ccops.meetings.models import ActionItem, EmergencyMeetingRequest
from tests.incidents import helpers
from tests.incidents.helpers import ops

pytestmark = pytest.mark.django_db


def test_the_manual_playbooks_are_seeded_in_both_languages():
    kinds = {kind for kind in IncidentKind.values if services.current_playbook(kind)}
    assert kinds == {
        "power",
        "billing",
        "platform",
        "voip",
        "knowledge_base",
        "earthquake_fire",
        "virus",
        "password",
        "break_in",
    }
    billing = Playbook.objects.get(kind="billing", is_current=True)
    assert "营账系统" in billing.title_zh and billing.steps.count() >= 8
    assert all(s.text_en and s.text_zh for s in billing.steps.all())


def test_declare_copies_the_playbook_notifies_leaders_and_starts_the_trail():
    w = build_world()
    incident = helpers.declare(w, actor=w.users["group_manager"])
    assert incident.status == "active" and incident.lead == w.employees["group_manager"]
    assert incident.steps.count() == incident.playbook.steps.count()
    assert incident.handovers.get().to_employee == w.employees["group_manager"]
    kinds = list(incident.timeline.values_list("kind", flat=True))
    assert kinds[:2] == ["declared", "notified"]
    told = Notification.objects.filter(url=incident.get_absolute_url())
    assert {n.user for n in told} >= {w.users["center_director"], ops(w)}
    assert AuditEntry.objects.for_object(incident).filter(action="incident_declare").exists()


def test_agents_cannot_declare():
    w = build_world()
    with pytest.raises(PermissionDenied):
        helpers.declare(w, actor=w.users["agent"])


def test_steps_are_ticked_once_with_time_and_person():
    w = build_world()
    incident = helpers.declare(w)
    step = incident.steps.first()
    services.incident_step_tick(step=step, note="Confirmed with 3 agents", actor=ops(w))
    step.refresh_from_db()
    assert step.done_at and step.done_by == w.employees["operations_supervisor"]
    with pytest.raises(Conflict):
        services.incident_step_tick(step=step, actor=ops(w))
    recovery_step = incident.steps.get(requires="recovered_at")
    with pytest.raises(ValidationError):
        services.incident_step_tick(step=recovery_step, actor=ops(w))


def test_handing_over_the_lead_leaves_a_trail_and_tells_the_new_lead():
    w = build_world()
    incident = helpers.declare(w)
    services.incident_assign(
        incident=incident, role="lead", employee=w.employees["area_manager"], actor=ops(w)
    )
    services.incident_assign(
        incident=incident, role="scribe", employee=w.employees["group_manager"], actor=ops(w)
    )
    incident.refresh_from_db()
    assert incident.lead == w.employees["area_manager"]
    trail = list(incident.handovers.values_list("role", "from_employee", "to_employee"))
    assert trail[1] == (
        "lead",
        w.employees["operations_supervisor"].pk,
        w.employees["area_manager"].pk,
    )
    assert Notification.objects.filter(user=w.users["area_manager"]).exists()
    with pytest.raises(Conflict):
        services.incident_assign(
            incident=incident, role="lead", employee=w.employees["area_manager"], actor=ops(w)
        )


def test_the_emergency_meeting_is_requested_in_one_step_once():
    w = build_world()
    incident = helpers.declare(w, actor=w.users["group_manager"])
    services.incident_meeting_request(incident=incident, actor=w.users["group_manager"])
    incident.refresh_from_db()
    request = EmergencyMeetingRequest.objects.get(pk=incident.emergency_request_id)
    assert incident.title in request.reason and request.status == "pending"
    with pytest.raises(Conflict):
        services.incident_meeting_request(incident=incident, actor=w.users["group_manager"])


def test_an_incident_cannot_be_closed_without_its_fault_record():
    w = build_world()
    incident = helpers.recovered(w)
    with pytest.raises(ValidationError, match="fault record"):
        services.incident_close(incident=incident, actor=ops(w))
    active = helpers.declare(w)
    with pytest.raises(Conflict):
        services.incident_close(incident=active, actor=ops(w))


def test_the_fault_record_takes_the_calls_of_the_window_from_the_history():
    w = build_world()
    incident = helpers.recovered(w)
    helpers.history(w, incident.started_at, incident.recovered_at, offered=12, answered=2)
    fault = helpers.write_fault(w, incident)
    assert fault.downtime_minutes == 90
    assert (fault.calls_offered, fault.calls_answered, fault.calls_abandoned) == (36, 6, 30)
    assert fault.calls_lost == 30


def test_closing_signs_the_record_which_cannot_change_and_asks_the_roster():
    w = build_world()
    day = helpers.yesterday()
    helpers.publish_week(
        w, helpers.monday(day), {w.employees["agent"]: [((day - helpers.monday(day)).days, 9, 8)]}
    )
    incident = helpers.closed(w, day=day)
    fault = FaultRecord.objects.get(incident=incident)
    assert incident.status == "closed" and fault.is_signed
    with pytest.raises(Conflict):
        helpers.write_fault(w, incident)
    with pytest.raises(RecordLocked):
        record_update(fault, data={"cause": "Something else"}, actor=ops(w))
    with pytest.raises(Conflict):
        services.incident_update_add(incident=incident, text="late", actor=ops(w))
    ack = Acknowledgement.objects.get(incident=incident)
    assert ack.employee == w.employees["agent"]
    assert list(services.unacknowledged(ops(w))) == [ack]
    assert list(services.unacknowledged(w.other_agent)) == []
    with pytest.raises(PermissionDenied):
        services.acknowledgement_confirm(ack=ack, actor=ops(w))
    services.acknowledgement_confirm(ack=ack, actor=w.users["agent"])
    with pytest.raises(Conflict):
        services.acknowledgement_confirm(ack=ack, actor=w.users["agent"])
    assert not services.unacknowledged(ops(w)).exists()


def test_a_manager_records_a_cause_told_in_person():
    w = build_world()
    day = helpers.yesterday()
    monday = helpers.monday(day)
    offset = (day - monday).days
    helpers.publish_week(
        w, monday, {w.employees["agent"]: [(offset, 9, 8)], w.other_employee: [(offset, 9, 8)]}
    )
    incident = helpers.closed(w, day=day)
    mine = Acknowledgement.objects.get(incident=incident, employee=w.employees["agent"])
    other = Acknowledgement.objects.get(incident=incident, employee=w.other_employee)
    manager = w.users["group_manager"]  # leads group 1: the agent's, not the other agent's
    services.acknowledgement_record(ack=mine, actor=manager)
    mine.refresh_from_db()
    assert mine.acknowledged_at and mine.recorded_by == manager
    with pytest.raises(PermissionDenied):
        services.acknowledgement_record(ack=other, actor=manager)
    with pytest.raises(PermissionDenied):
        services.acknowledgement_record(ack=other, actor=w.users["qa_inspector"])
    with pytest.raises(Conflict):
        services.acknowledgement_record(ack=mine, actor=ops(w))
    services.acknowledgement_record(ack=other, actor=ops(w))


def test_follow_ups_are_action_items_tracked_in_the_meetings_app():
    w = build_world()
    incident = helpers.recovered(w)
    due = dt.date.today() + dt.timedelta(days=7)
    item = services.incident_follow_up_add(
        incident=incident,
        title="Disk alert",
        owner=w.employees["editor"],
        due_date=due,
        actor=ops(w),
    )
    assert isinstance(item, ActionItem) and item.status == "open"
    incident.refresh_from_db()
    assert item.meeting == incident.review_meeting and list(incident.follow_ups.all()) == [item]
    services.incident_follow_up_add(
        incident=incident, title="Runbook", owner=w.employees["editor"], due_date=due, actor=ops(w)
    )
    assert (
        incident.follow_ups.count() == 2
        and ActionItem.objects.filter(meeting=item.meeting).count() == 2
    )


def test_break_in_records_and_account_actions():
    w = build_world()
    incident = helpers.declare(w, kind="break_in", systems=["building"])
    sealed = incident.started_at + dt.timedelta(minutes=10)
    services.incident_records_set(
        incident=incident,
        police_report_number="SH-110-2026-0042",
        scene_sealed_at=sealed,
        duty_staff_interviewed="Night guard Zhang",
        actor=ops(w),
    )
    step = incident.steps.get(requires="police_report_number")
    services.incident_step_tick(step=step, actor=ops(w))
    target = w.users["editor"]
    services.incident_account_action(incident=incident, user=target, action="lock", actor=ops(w))
    target.refresh_from_db()
    assert not target.is_active
    with pytest.raises(Conflict):
        services.incident_account_action(
            incident=incident, user=target, action="lock", actor=ops(w)
        )
    _row, password = services.incident_account_action(
        incident=incident, user=w.users["trainer"], action="force_change", actor=ops(w)
    )
    assert password and account_state(w.users["trainer"]).must_change_password
    with pytest.raises(PermissionDenied):
        services.incident_account_action(
            incident=incident, user=target, action="lock", actor=w.users["group_manager"]
        )
    billing = helpers.declare(w)
    with pytest.raises(ValidationError):
        services.incident_account_action(
            incident=billing, user=w.users["trainer"], action="lock", actor=ops(w)
        )


def test_the_archive_is_searchable_and_reports_by_month_and_system():
    from ccops.incidents.filters import FaultRecordFilter

    w = build_world()
    incident = helpers.recovered(w)
    helpers.history(w, incident.started_at, incident.recovered_at, offered=12, answered=2)
    helpers.write_fault(w, incident)
    services.incident_close(incident=incident, actor=ops(w))
    rows = FaultRecordFilter({"q": "disk"}, queryset=FaultRecord.objects.all()).qs
    assert list(rows.values_list("incident", flat=True)) == [incident.pk]
    assert not FaultRecordFilter({"q": "fire"}, queryset=FaultRecord.objects.all()).qs.exists()
    report = services.fault_report(timezone.localtime(incident.started_at).date())
    assert report["total"] == {
        "faults": 1,
        "downtime": 90,
        "lost": 30,
        "offered": 36,
        "abandoned": 30,
    }
    assert report["systems"][0]["system"] == "billing"


def test_playbook_revision_is_a_new_version_and_incidents_keep_theirs():
    w = build_world()
    incident = helpers.declare(w)
    v1 = incident.playbook
    steps = services.parse_steps("duty_lead | Check | 检查\nstaff | Tell all | 告知 |")
    v2 = services.playbook_revise(
        playbook=v1, title_en="Billing", title_zh="营账", steps=steps, actor=ops(w)
    )
    v1.refresh_from_db()
    assert (v2.version, v2.is_current, v1.is_current) == (2, True, False)
    assert incident.playbook_id == v1.pk and incident.steps.count() == v1.steps.count()
    assert helpers.declare(w).playbook == v2
    with pytest.raises(Conflict):
        services.playbook_revise(playbook=v1, title_en="x", title_zh="x", steps=steps, actor=ops(w))
    with pytest.raises(ValidationError):
        services.parse_steps("boss | a | b")
