"""Parallel requests on PostgreSQL: a version is reviewed once, a step passed once, one
change drafted at a time."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import timezone

from ccops.core.testing import build_world, race, requires_row_locks
from ccops.processes import services
from ccops.processes.models import ProcessVersion, StepRecord
from tests.processes.helpers import approve_first, process, project

pytestmark = [requires_row_locks(), pytest.mark.django_db(transaction=True)]


def _api(user, path, data):
    def call():
        c = Client()
        c.force_login(user)
        return c.post(path, data=json.dumps(data), content_type="application/json")

    return call


def test_a_version_is_reviewed_once():
    w = build_world()
    p = process(w)
    version = p.versions.get()
    services.version_submit(version=version, actor=w.users["group_manager"])
    path = f"/api/v1/processes/versions/{version.pk}/review"
    user = w.users["operations_supervisor"]
    outcome = race(
        _api(user, path, {"approve": True}), _api(user, path, {"approve": False, "note": "No"})
    )
    assert sorted(outcome.statuses) == [200, 409], outcome.errors


def test_one_change_is_drafted_at_a_time():
    w = build_world()
    p = process(w)
    approve_first(w, p)
    data = {
        "process": p.pk,
        "description": "D",
        "change_summary": "C",
        "effective_from": timezone.localdate().isoformat(),
    }
    outcome = race(
        _api(w.users["group_manager"], "/api/v1/processes/versions/", data),
        _api(w.users["operations_supervisor"], "/api/v1/processes/versions/", data),
    )
    assert sorted(outcome.statuses) == [201, 409], outcome.errors
    assert ProcessVersion.objects.filter(process=p, status="draft").count() == 1


def test_a_step_is_passed_once():
    w = build_world()
    pr = project(w)
    services.project_update(
        project=pr,
        metric="SL",
        baseline_value=70,
        baseline_from=timezone.localdate(),
        baseline_to=timezone.localdate(),
        baseline_source="ACD",
        target_value=80,
        actor=w.users["group_manager"],
    )
    path = f"/api/v1/processes/projects/{pr.pk}/advance"
    outcome = race(
        _api(w.users["group_manager"], path, {"step": 1}),
        _api(w.users["operations_supervisor"], path, {"step": 1}),
    )
    assert sorted(outcome.statuses) == [200, 409], outcome.errors
    assert StepRecord.objects.filter(project=pr).count() == 1
    pr.refresh_from_db()
    assert pr.step == 2
