"""Parallel requests on PostgreSQL: every state transition of an incident is decided once;
the others get 409."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from ccops.core.models import AuditEntry
from ccops.core.testing import build_world, race, requires_row_locks
from ccops.incidents import surge
from ccops.incidents.models import Acknowledgement, FaultRecord
from tests.incidents import helpers
from tests.incidents.helpers import ops

pytestmark = [requires_row_locks(), pytest.mark.django_db(transaction=True)]


def _api(user, path, data=None):
    def call():
        c = Client()
        c.force_login(user)
        return c.post(path, data=json.dumps(data or {}), content_type="application/json")

    return call


def test_parallel_closes_sign_the_fault_record_once_and_a_cause_is_acknowledged_once():
    w = build_world()
    day = helpers.yesterday()
    helpers.publish_week(
        w, helpers.monday(day), {w.employees["agent"]: [((day - helpers.monday(day)).days, 9, 8)]}
    )
    incident = helpers.recovered(w, day=day)
    helpers.write_fault(w, incident)
    path = f"/api/v1/incidents/incidents/{incident.pk}/close"
    outcome = race(
        _api(ops(w), path),
        _api(w.users["center_director"], path),
        _api(w.users["group_manager"], path),
    )
    assert sorted(outcome.statuses) == [200, 409, 409], outcome.errors
    fault = FaultRecord.objects.get(incident=incident)
    assert AuditEntry.objects.for_object(fault).filter(action="fault_record_sign").count() == 1
    ack = Acknowledgement.objects.get(incident=incident)
    path = f"/api/v1/incidents/acknowledgements/{ack.pk}/acknowledge"
    outcome = race(_api(w.users["agent"], path), _api(w.users["agent"], path))
    assert sorted(outcome.statuses) == [200, 409], outcome.errors


def test_a_step_is_ticked_once_recovery_recorded_once_and_a_call_in_answered_once():
    w = helpers.surge_world()
    incident = helpers.declare(w, hour=15)
    step = incident.steps.first()
    tick = f"/api/v1/incidents/steps/{step.pk}/tick"
    outcome = race(
        _api(ops(w), tick, {"note": "a"}), _api(w.users["group_manager"], tick, {"note": "b"})
    )
    assert sorted(outcome.statuses) == [200, 409], outcome.errors
    recover = f"/api/v1/incidents/incidents/{incident.pk}/recover"
    outcome = race(_api(ops(w), recover), _api(w.users["area_manager"], recover))
    assert sorted(outcome.statuses) == [200, 409], outcome.errors
    meeting = f"/api/v1/incidents/incidents/{incident.pk}/emergency-meeting"
    outcome = race(_api(ops(w), meeting), _api(w.users["group_manager"], meeting))
    assert sorted(outcome.statuses) == [200, 409], outcome.errors
    plan = surge.surge_plan_create(incident=w.incident, queue=w.queue, actor=ops(w))
    (offer,) = surge.surge_call_in(surge=plan, count=1, actor=ops(w))
    path = f"/api/v1/incidents/call-ins/{offer.pk}/respond"
    outcome = race(
        _api(w.other_agent, path, {"accept": True}), _api(w.other_agent, path, {"accept": False})
    )
    assert sorted(outcome.statuses) == [200, 409], outcome.errors
    offer.refresh_from_db()
    assert (offer.status == "accepted") == (offer.adjustment_id is not None)
