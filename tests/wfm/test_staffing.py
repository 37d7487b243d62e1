"""Staffing plans and the what-if panel."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ccops.core.testing import build_world
from ccops.engine.queueing import required_agents, scheduled_agents
from ccops.wfm.services import staffing
from tests.wfm.helpers import add_history, make_plan

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 2)  # a Monday without DST in Asia/Shanghai


def test_requirement_from_history_matches_engine():
    world = build_world()
    add_history(world, DAY, weeks=3, calls=30, aht=240)
    plan = make_plan(world)
    req = staffing.plan_requirement(plan, DAY)
    assert "3" in str(req.source)
    busy = req.calls > 0
    assert busy.sum() == 24  # 08:00-20:00 in 30-minute intervals
    expected = required_agents(
        30.0, 240.0, 1800, service_level=0.8, answer_within_seconds=20, max_occupancy=0.9
    )
    assert set(req.agents[busy]) == {int(expected.agents)}
    assert req.peak_scheduled == int(scheduled_agents(expected.agents, 0.3))
    assert req.scheduled[~busy].sum() == 0


def test_what_if_changes_heads():
    world = build_world()
    add_history(world, DAY, calls=30, aht=240)
    plan = make_plan(world)
    base = staffing.plan_requirement(plan, DAY)
    more = staffing.plan_requirement(plan, DAY, volume_percent=150)
    assert more.peak_scheduled > base.peak_scheduled
    strict = staffing.plan_requirement(
        plan, DAY, service_level_percent=95, answer_within_seconds=10
    )
    assert strict.peak_agents > base.peak_agents
    short = staffing.plan_requirement(plan, DAY, aht_seconds=120)
    assert short.peak_agents < base.peak_agents
    no_shrink = staffing.plan_requirement(plan, DAY, shrinkage_percent=0)
    assert np.array_equal(no_shrink.scheduled, base.agents)
    with pytest.raises(ValidationError):
        staffing.plan_requirement(plan, DAY, service_level_percent=100)


def test_erlang_a_plan_needs_patience():
    world = build_world()
    with pytest.raises(ValidationError, match="patience"):
        make_plan(world, model="erlang_a")
    plan = make_plan(world, model="erlang_a", patience_seconds=120, max_abandon_percent=5)
    add_history(world, DAY)
    assert staffing.plan_requirement(plan, DAY).peak_agents > 0


def test_whatif_partial_and_api(client):
    world = build_world()
    add_history(world, DAY, calls=30, aht=240)
    plan = make_plan(world)
    client.force_login(world.users["group_manager"])
    page = client.get(reverse("wfm:staffingplan_detail", args=[plan.pk]), {"day": DAY})
    assert page.status_code == 200
    base = page.context["requirement"].peak_scheduled
    partial = client.get(
        reverse("wfm:staffingplan_whatif", args=[plan.pk]),
        {"day": DAY, "volume_percent": 200},
        HTTP_HX_REQUEST="true",
    )
    assert partial.status_code == 200
    assert b"<html" not in partial.content
    assert partial.context["requirement"].peak_scheduled > base
    api = client.get(
        f"/api/v1/wfm/staffing-plans/{plan.pk}/requirement",
        {"day": DAY.isoformat(), "volume_percent": 200},
    )
    assert api.status_code == 200
    assert api.json()["peak_scheduled"] == partial.context["requirement"].peak_scheduled
    bad = client.get(
        f"/api/v1/wfm/staffing-plans/{plan.pk}/requirement",
        {"day": DAY.isoformat(), "service_level_percent": 100},
    )
    assert bad.status_code == 422
    # the page's what-if answers an out-of-range input with what is wrong, not silence
    partial = client.get(
        reverse("wfm:staffingplan_whatif", args=[plan.pk]),
        {"day": DAY, "volume_percent": 5000},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert 'class="error"' in partial and "volume" in partial.lower()


def test_plan_created_through_the_page(client):
    world = build_world()
    client.force_login(world.users["statistician"])
    response = client.post(
        reverse("wfm:staffingplan_add"),
        {
            "name": "Billing days",
            "queue": world.queue.pk,
            "period_type": "billing_period",
            "service_level_percent": "85",
            "answer_within_seconds": "15",
            "max_occupancy_percent": "88",
            "shrinkage_percent": "35",
            "model": "erlang_c",
            "default_aht_seconds": "200",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    from ccops.wfm.models import StaffingPlan

    plan = StaffingPlan.objects.get(name="Billing days")
    assert plan.site == world.site and plan.period_type == "billing_period"
