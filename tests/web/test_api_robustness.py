"""The server errors the fuzzing of issue 12 found, one test each: every one is now a 4xx
in the one error shape, naming the field where there is one."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from ccops.core.services import record_archive
from ccops.core.testing import api_operation_paths, build_world
from tests.meetings.helpers import item

pytestmark = pytest.mark.django_db


def _path(operation_id, pk=None):
    path = api_operation_paths()[operation_id]
    return path.replace("{pk}", str(pk)) if pk is not None else path


def _json(client, method, path, body):
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json")


def _shape(response, status, field=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "errors"} and isinstance(body["detail"], str)
    if field is not None:
        assert field in {e["field"] for e in body["errors"]}, body
    return body


@pytest.mark.parametrize("page", [0, -1, 10**6, 10**18, 10**30])
def test_out_of_range_page_numbers_are_refused(client, page):
    w = build_world()
    client.force_login(w.users["operations_supervisor"])
    _shape(client.get(_path("core_site_list"), {"page": page}), 422, "page")
    _shape(client.get(_path("core_site_list"), {"page_size": 10**9}), 422, "page_size")


def test_huge_ids_in_paths_bodies_and_filters_are_4xx(client):
    w = build_world()
    client.force_login(w.users["operations_supervisor"])
    huge = 10**30
    _shape(client.get(_path("core_site_get", huge)), 404)
    _shape(client.get(_path("wfm_scheduledshift_list"), {"employee": huge}), 422, "employee")
    _shape(client.get(_path("people_employee_list"), {"team": huge}), 422, "team")
    body = {"site": huge, "kind": "pre_shift", "held_at": timezone.now().isoformat(), "led_by": 1}
    _shape(_json(client, "post", _path("shiftops_briefing_create"), body), 422, "site")


def test_null_in_a_patch_names_the_field(client):
    w = build_world()
    client.force_login(w.users["center_director"])
    action = item(w)
    for operation_id, pk, field in (
        ("core_site_update", w.site.pk, "name"),
        # A text that may be blank but not null: it was a misleading "conflict" (409).
        ("core_site_update", w.site.pk, "address"),
        ("meetings_meeting_update", action.meeting_id, "minutes"),
        ("meetings_actionitem_update", action.pk, "due_date"),
        ("people_employee_update", w.employees["agent"].pk, "weekly_hours"),
    ):
        response = _json(client, "patch", _path(operation_id, pk), {field: None})
        _shape(response, 422, field)


def test_progress_on_an_archived_action_item_is_a_conflict(client):
    w = build_world()
    action = item(w)
    record_archive(action, actor=w.users["quality_supervisor"])
    client.force_login(w.users["agent"])  # the owner
    response = _json(
        client, "post", _path("meetings_actionitem_progress", action.pk), {"text": "done"}
    )
    # Restricted views keep archived rows reachable by id; the transition refuses them.
    assert response.status_code in (404, 409), response.content
    _shape(response, response.status_code)


@pytest.mark.parametrize("time", ["08:30:00Z", "08:30+08:00", "08:30:00.000-05:00"])
def test_a_handover_time_with_a_zone_suffix_names_the_field(client, time):
    w = build_world()
    client.force_login(w.users["operations_supervisor"])
    body = {"site": w.site.pk, "time": time, "name": "Morning"}
    _shape(_json(client, "post", _path("shiftops_handovertime_create"), body), 422, "time")
    ok = _json(client, "post", _path("shiftops_handovertime_create"), {**body, "time": "08:30"})
    assert ok.status_code == 201, ok.content


def test_unknown_references_name_their_field(client):
    w = build_world()
    client.force_login(w.users["center_director"])
    body = {"employee_number": "N1", "full_name": "New", "site": 987654}
    _shape(_json(client, "post", _path("people_employee_create"), body), 422, "site")
    body = {"employee": w.employees["agent"].pk, "skill": 987654}
    _shape(_json(client, "post", _path("people_employeeskill_create"), body), 422, "skill")
    start = (timezone.now() + dt.timedelta(days=3)).isoformat()
    body = {"employee": 987654, "start": start, "end": start, "kind": "annual"}
    _shape(_json(client, "post", _path("wfm_timeoffrequest_create"), body), 422, "employee")


def test_an_unknown_id_in_a_patch_names_the_field(client):
    w = build_world()
    client.force_login(w.users["center_director"])
    response = _json(client, "patch", _path("people_team_update", w.group1.pk), {"parent": 987654})
    _shape(response, 422, "parent")
    w.group1.refresh_from_db()
    assert w.group1.parent == w.area


def test_every_operation_documents_its_errors_and_every_list_its_filters(client):
    schema = client.get("/api/v1/openapi.json").json()
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["detail", "errors"]
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            for status in ("401", "403", "404", "409", "422"):
                content = operation["responses"][status]["content"]["application/json"]
                assert content["schema"] == {"$ref": "#/components/schemas/Error"}, (path, method)
    handovers = schema["paths"]["/api/v1/shiftops/handovers/"]["get"]["parameters"]
    assert {"q", "site", "since", "until", "signed", "page", "page_size"} <= {
        p["name"] for p in handovers
    }
