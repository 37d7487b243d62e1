"""Intraday: actual vs forecast, re-forecast of the rest of the day, staffing gap with the
published schedule, and adjustments."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ccops.core.testing import build_world
from ccops.wfm.models import IntervalStat
from ccops.wfm.services import intraday
from ccops.wfm.services.staffing import day_intervals
from tests.wfm.helpers import local, make_plan, publish_week
from tests.wfm.test_forecasts import history_four_weeks, make_forecast

pytestmark = pytest.mark.django_db
WEEK = date(2026, 3, 2)
DAY = WEEK + timedelta(days=2)  # Wednesday


def scene():
    world = build_world()
    history_four_weeks(world)
    forecast = make_forecast(world)
    rows = []
    for start in day_intervals(world.site, DAY):
        hour = start.astimezone(world.site.zone).hour
        if hour < 12:
            calls = 45 if hour >= 8 else 0
            rows.append(
                IntervalStat(
                    site=world.site,
                    queue=world.queue,
                    interval_start=start,
                    offered=calls,
                    answered=calls,
                    aht_seconds=240,
                )
            )
    IntervalStat.objects.bulk_create(rows)
    plan = make_plan(world)
    publish_week(
        world, WEEK, {world.employees["agent"]: [(2, 9, 8)], world.other_employee: [(2, 10, 8)]}
    )
    return world, forecast, plan


def test_reforecast_gap_and_adjustments():
    world, forecast, plan = scene()
    ops = world.users["operations_supervisor"]
    adj = intraday.intraday_adjustment_record(
        site=world.site,
        queue=world.queue,
        kind="call_in",
        start=local(world.site, DAY, 13),
        end=local(world.site, DAY, 17),
        heads=2,
        actor=ops,
        note="two agents called in",
    )
    with pytest.raises(ValidationError):
        intraday.intraday_adjustment_record(
            site=world.site,
            kind="overtime",
            start=local(world.site, DAY, 13),
            end=local(world.site, DAY, 12),
            heads=1,
            actor=ops,
        )
    view = intraday.intraday(world.queue, DAY, plan=plan, now=local(world.site, DAY, 12))
    assert view["forecast"] == forecast
    assert view["ratio"] == pytest.approx(1.5, rel=0.15)
    i14 = 28  # 14:00
    assert view["reforecast"][i14] == pytest.approx(view["forecast_calls"][i14] * view["ratio"])
    assert view["reforecast"][16] == 45  # elapsed intervals: the actuals
    assert view["scheduled"][i14] == 2 and view["adjusted"][i14] == 2
    assert view["available"][i14] == 4
    assert view["needed"][i14] > 0
    assert view["gap"][i14] == 4 - view["needed"][i14]
    assert adj in view["adjustments"]


def test_intraday_page_and_api(client):
    world, forecast, plan = scene()
    client.force_login(world.users["group_manager"])
    page = client.get(
        reverse("wfm:intraday"), {"queue": world.queue.pk, "day": DAY, "plan": plan.pk}
    )
    assert page.status_code == 200 and page.context["view"]["forecast"] == forecast
    response = client.post(
        reverse("wfm:intradayadjustment_add"),
        {
            "site": world.site.pk,
            "queue": world.queue.pk,
            "kind": "cancelled_training",
            "start": "2026-03-04T15:00",
            "end": "2026-03-04T16:00",
            "heads": 3,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    api = client.get(
        "/api/v1/wfm/intraday", {"queue": world.queue.pk, "day": DAY.isoformat(), "plan": plan.pk}
    )
    assert api.status_code == 200
    rows = api.json()["intervals"]
    assert rows[30]["adjusted"] == 3  # 15:00
    # the same table as CSV, every interval of the day in the site's time
    csv_text = client.get(
        reverse("wfm:intraday"),
        {"queue": world.queue.pk, "day": DAY, "plan": plan.pk, "export": "csv"},
    ).content.decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert len(lines) == 1 + len(rows) and lines[31].startswith(f"{DAY} 15:00,")
    assert lines[31].split(",")[6] == str(rows[30]["adjusted"])
    client.force_login(world.users["agent"])
    assert client.get(reverse("wfm:intraday")).status_code == 403


def test_a_plan_that_names_the_simulation_staffs_the_rest_of_the_day_by_it(client):
    from ccops.wfm.models import SimulatedFigures

    world, _forecast, _plan = scene()
    plan = make_plan(
        world,
        model="simulation",
        service_shape="lognormal",
        service_cv=Decimal("1.50"),
        simulation_replications=8,
    )
    view = intraday.intraday(world.queue, DAY, plan=plan, now=local(world.site, DAY, 12))
    i14 = 28
    assert view["needed"][i14] > 0
    assert view["gap"][i14] == view["available"][i14] - view["needed"][i14]
    kept = SimulatedFigures.objects.filter(purpose="staffing").count()
    again = intraday.intraday(world.queue, DAY, plan=plan, now=local(world.site, DAY, 12))
    assert again["needed"].tolist() == view["needed"].tolist()  # read back, not simulated
    assert SimulatedFigures.objects.filter(purpose="staffing").count() == kept >= 1
    # the page as the supervisor sees it (the day is over: its own re-forecast), kept
    client.force_login(world.users["operations_supervisor"])
    query = {"queue": world.queue.pk, "day": DAY, "plan": plan.pk}
    assert client.get(reverse("wfm:intraday"), query).status_code == 200
    kept = SimulatedFigures.objects.filter(purpose="staffing").count()
    assert client.get(reverse("wfm:intraday"), query).status_code == 200
    assert SimulatedFigures.objects.filter(purpose="staffing").count() == kept


def test_the_page_shows_the_queue_asked_for_or_the_form_s_errors(client):
    """A link with a queue and its plan but no day shows that queue today; a plan of
    another queue is refused on the form, and no other queue's day is shown instead."""
    from tests.wfm.test_site_schedule import two_queue_world

    w = two_queue_world()
    retail = make_plan(w)
    loans = make_plan(w, name="Loans normal", queue=w.queue2)
    client.force_login(w.users["operations_supervisor"])
    page = client.get(reverse("wfm:intraday"), {"queue": w.queue2.pk, "plan": loans.pk})
    assert page.status_code == 200
    view = page.context["view"]
    assert view["queue"] == w.queue2 and view["plan"] == loans
    wrong = client.get(reverse("wfm:intraday"), {"queue": w.queue2.pk, "plan": retail.pk})
    assert wrong.status_code == 200 and wrong.context["view"] is None
    assert "plans another queue" in wrong.text


def test_the_api_refuses_another_queue_s_plan_and_words_a_missing_queue(client):
    from tests.wfm.test_site_schedule import two_queue_world

    w = two_queue_world()
    retail = make_plan(w)
    client.force_login(w.users["operations_supervisor"])
    url = "/api/v1/wfm/intraday"
    wrong = client.get(url, {"queue": w.queue2.pk, "day": DAY, "plan": retail.pk})
    assert wrong.status_code == 422 and "plan" in str(wrong.json()), wrong.content
    missing = client.get(url, {"queue": 999999, "day": DAY}, headers={"accept-language": "zh-hans"})
    assert missing.status_code == 404 and "未找到" in missing.json()["detail"], missing.content
