"""Forecast versions as background jobs, forecast against actual, weekly accuracy review."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from django.urls import reverse

from ccops.core.testing import build_world
from ccops.wfm import tasks
from ccops.wfm.models import Forecast, ForecastInterval, IntervalStat
from ccops.wfm.services import forecasts
from tests.wfm.helpers import add_history, local

pytestmark = pytest.mark.django_db
WEEK = date(2026, 3, 2)  # a Monday


def make_forecast(world, start=WEEK, days=7):
    actor = world.users["statistician"]
    forecast = forecasts.forecast_create(
        queue=world.queue, horizon_start=start, horizon_days=days, actor=actor, history_weeks=4
    )
    forecasts.forecast_start(forecast=forecast, actor=actor)
    forecast.refresh_from_db()
    tasks.forecast_run.call(job_id=forecast.job_id, forecast_id=forecast.pk)
    forecast.refresh_from_db()
    return forecast


def history_four_weeks(world):
    for offset in range(7):
        add_history(world, WEEK + timedelta(days=offset), weeks=4, calls=30, aht=240)


def test_forecast_versions_from_history():
    world = build_world()
    history_four_weeks(world)
    first = make_forecast(world)
    assert first.status == "ready", first.summary
    assert first.version == 1 and first.summary["intervals"] == 7 * 48
    rows = ForecastInterval.objects.filter(forecast=first).order_by("interval_start")
    assert rows[0].interval_start == local(world.site, WEEK, 0)
    busy = rows.get(interval_start=local(world.site, WEEK, 10))
    quiet = rows.get(interval_start=local(world.site, WEEK, 3))
    assert busy.calls == pytest.approx(30, rel=0.15) and quiet.calls < 1
    assert busy.aht_seconds == pytest.approx(240, rel=0.05)
    second = make_forecast(world)
    assert second.version == 2
    assert Forecast.objects.filter(queue=world.queue).count() == 2  # every version kept


def test_forecast_without_history_fails_cleanly():
    world = build_world()
    actor = world.users["statistician"]
    forecast = forecasts.forecast_create(
        queue=world.queue, horizon_start=WEEK, horizon_days=7, actor=actor
    )
    forecasts.forecast_start(forecast=forecast, actor=actor)
    forecast.refresh_from_db()
    with pytest.raises(ValueError, match="No imported history"):
        tasks.forecast_run.call(job_id=forecast.job_id, forecast_id=forecast.pk)
    forecast.refresh_from_db()
    assert forecast.status == "failed" and "history" in forecast.summary["error"]
    assert not ForecastInterval.objects.filter(forecast=forecast).exists()


def test_weekly_accuracy_review_page_and_api(client):
    world = build_world()
    history_four_weeks(world)
    forecast = make_forecast(world)
    # Actuals of the week: 10 % more calls than history everywhere busy, and one spike.
    add_history(world, WEEK + timedelta(days=7), weeks=1, calls=33, aht=240)
    for offset in range(1, 7):
        add_history(world, WEEK + timedelta(days=7 + offset), weeks=1, calls=33, aht=240)
    spike = IntervalStat.objects.get(queue=world.queue, interval_start=local(world.site, WEEK, 11))
    IntervalStat.objects.filter(pk=spike.pk).update(offered=90)
    comparison = forecasts.compare(forecast)
    f, a = comparison.forecast, comparison.actual
    expected_wape = np.abs(f - a).sum() / a.sum()
    assert comparison.wape == pytest.approx(expected_wape)
    assert comparison.bias < 0  # the forecast was too low
    worst = comparison.worst(3)
    assert worst[0]["start"] == local(world.site, WEEK, 11) and worst[0]["actual"] == 90
    client.force_login(world.users["operations_supervisor"])
    page = client.get(reverse("wfm:forecast_accuracy"), {"week": WEEK.isoformat()})
    assert page.status_code == 200
    entry = next(e for e in page.context["review"] if e["queue"] == world.queue)
    assert entry["forecast"] == forecast and entry["wape"] == pytest.approx(expected_wape)
    api = client.get("/api/v1/wfm/forecasts/accuracy", {"week": WEEK.isoformat()})
    row = next(r for r in api.json() if r["queue"] == world.queue.pk)
    assert row["wape"] == pytest.approx(expected_wape)
    detail = client.get(forecast.get_absolute_url())
    assert detail.status_code == 200 and b"forecast-chart" in detail.content
    intervals = client.get(f"/api/v1/wfm/forecasts/{forecast.pk}/intervals").json()
    assert len(intervals) == 7 * 48 and intervals[22]["actual"] == 90


def test_forecast_from_the_page(client):
    world = build_world()
    client.force_login(world.users["statistician"])
    response = client.post(
        reverse("wfm:forecast_add"),
        {"queue": world.queue.pk, "horizon_start": WEEK, "horizon_days": 14, "history_weeks": 8},
    )
    assert response.status_code == 302
    forecast = Forecast.objects.get(queue=world.queue)
    assert forecast.status == "queued" and forecast.job is not None
    assert client.get(forecast.get_absolute_url()).status_code == 200
