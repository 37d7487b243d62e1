"""Forecasts planners steer: manual adjustments as new versions, two versions side by side,
the chart (80 % band, AHT, actuals) and the warnings of the horizon shown."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from ccops.core.errors import Conflict
from ccops.core.models import AuditEntry, CalendarPeriod
from ccops.core.testing import build_world, race, requires_row_locks
from ccops.wfm import tasks
from ccops.wfm.models import Forecast, ForecastInterval, IntervalStat, StaffingPlan
from ccops.wfm.services import forecast_versions as fv
from ccops.wfm.services import forecasts
from tests.web.test_browser import browser  # noqa: F401  (the module's Chromium fixture)
from tests.wfm.helpers import add_history, local, ready_forecast

pytestmark = pytest.mark.django_db
WEEK = date(2026, 3, 2)  # a Monday
BUSY = 24  # intervals from 08:00 to 20:00 at 30 minutes


def day_sum(forecast, day, field="calls"):
    site = forecast.site
    rows = ForecastInterval.objects.filter(
        forecast=forecast,
        interval_start__gte=local(site, day, 0),
        interval_start__lt=local(site, day + timedelta(days=1), 0),
    )
    return sum(getattr(r, field) for r in rows)


def adjust(forecast, world, **kw):
    data = {"start": WEEK + timedelta(days=1), "reason": "mailing to all customers"} | kw
    return fv.forecast_adjust(forecast=forecast, actor=world.users["operations_supervisor"], **data)


def test_adjust_by_percent_is_a_new_version_and_keeps_the_original():
    world = build_world()
    original = ready_forecast(world)
    before = list(ForecastInterval.objects.filter(forecast=original).values_list("calls"))
    new = adjust(original, world, end=WEEK + timedelta(days=2), percent=20)
    assert new.version == 2 and new.based_on == original and new.status == "ready"
    assert new.adjustment["factor"] == pytest.approx(1.2)
    assert new.adjustment["calls_before"] == pytest.approx(2 * BUSY * 10)
    assert new.adjustment["calls_after"] == pytest.approx(2 * BUSY * 12)
    assert new.adjustment["intervals"] == 2 * 48 and new.adjustment["percent"] == 20
    assert new.adjustment["reason"] == "mailing to all customers"
    for offset, factor in ((0, 1.0), (1, 1.2), (2, 1.2), (3, 1.0)):
        day = WEEK + timedelta(days=offset)
        assert day_sum(new, day) == pytest.approx(BUSY * 10 * factor)
        # The band moves with the calls (same relative width); the AHT does not.
        assert day_sum(new, day, "calls_low") == pytest.approx(BUSY * 7 * factor)
        assert day_sum(new, day, "calls_high") == pytest.approx(BUSY * 13 * factor)
        assert day_sum(new, day, "aht_seconds") == pytest.approx(48 * 200)
    assert new.summary["calls"] == pytest.approx(7 * BUSY * 10 + 2 * BUSY * 2)
    # The original version is untouched.
    original.refresh_from_db()
    assert original.version == 1 and original.adjustment == {} and original.based_on is None
    after = list(ForecastInterval.objects.filter(forecast=original).values_list("calls"))
    assert after == before
    entry = AuditEntry.objects.for_object(new).get()
    assert entry.actor == world.users["operations_supervisor"]
    assert entry.action == "forecast_adjust"
    assert entry.after["adjustment"]["reason"] == "mailing to all customers"
    assert entry.after["based_on_id"] == original.pk


def test_adjust_one_day_by_calls_spreads_them_like_the_forecast():
    world = build_world()
    original = ready_forecast(world)
    new = adjust(original, world, calls=-60)  # one day, 240 calls -> 180
    assert new.adjustment["first_day"] == new.adjustment["last_day"] == "2026-03-03"
    assert new.adjustment["factor"] == pytest.approx(0.75)
    assert day_sum(new, WEEK + timedelta(days=1)) == pytest.approx(180)
    busy = ForecastInterval.objects.get(
        forecast=new, interval_start=local(world.site, WEEK + timedelta(days=1), 10)
    )
    assert busy.calls == pytest.approx(7.5) and busy.calls_high == pytest.approx(13 * 0.75)
    more = adjust(new, world, start=WEEK, calls=120)
    assert more.version == 3 and more.based_on == new
    assert day_sum(more, WEEK) == pytest.approx(360)
    assert [a["version"] for a in fv.adjustments(more)] == [more, new]


REFUSALS = [
    ({"start": WEEK - timedelta(days=1)}, "start"),
    ({"start": WEEK + timedelta(days=7)}, "start"),
    ({"end": WEEK}, "end"),  # before the first day
    ({"end": WEEK + timedelta(days=9)}, "end"),
    ({"percent": 0}, "percent"),
    ({"percent": -100}, "percent"),
    ({"percent": -150}, "percent"),
    ({"percent": 5000}, "percent"),
    ({"percent": float("nan")}, "percent"),
    ({"percent": "ten"}, "percent"),
    ({"calls": 0}, "calls"),
    ({"calls": -241}, "calls"),
    ({"calls": 1e300}, "calls"),
    ({"percent": 10, "calls": 5}, "calls"),
    ({}, "percent"),
    ({"percent": 10, "reason": "  "}, "reason"),
    ({"percent": 10, "reason": "x" * 2001}, "reason"),
]


def test_adjust_refusals_name_the_field():
    world = build_world()
    original = ready_forecast(world)
    for kw, field in REFUSALS:
        data = {"percent": 10} | kw if "calls" not in kw and kw != {} else kw
        with pytest.raises(ValidationError) as exc:
            adjust(original, world, **data)
        assert field in exc.value.message_dict, (kw, exc.value.message_dict)
    assert Forecast.objects.filter(queue=world.queue).count() == 1


def test_a_closed_night_has_no_calls_to_add_and_a_queued_forecast_no_adjustment():
    world = build_world()
    night = ready_forecast(world, calls=0.0)
    with pytest.raises(ValidationError) as exc:
        adjust(night, world, calls=50)
    assert "calls" in exc.value.message_dict
    queued = forecasts.forecast_create(
        queue=world.queue, horizon_start=WEEK, horizon_days=7, actor=world.users["statistician"]
    )
    with pytest.raises(Conflict):
        adjust(queued, world, percent=10)


def test_adjust_from_the_page_and_the_api(client):
    world = build_world()
    original = ready_forecast(world)
    client.force_login(world.users["statistician"])
    page = client.get(original.get_absolute_url())
    assert page.status_code == 200 and b'id="forecast-adjust"' in page.content
    url = reverse("wfm:forecast_adjust", args=[original.pk])
    bad = client.post(
        url, {"start": "2026-03-03", "end": "2026-03-01", "percent": "10", "reason": "x"}
    )
    assert bad.status_code == 422
    assert "end" in bad.context["adjust_form"].errors
    assert Forecast.objects.filter(queue=world.queue).count() == 1
    StaffingPlan.objects.create(
        name="Normal weeks", site=world.site, queue=world.queue, forecast=original
    )
    ok = client.post(
        url, {"start": "2026-03-03", "percent": "15", "reason": "TV advert"}, follow=True
    )
    new = Forecast.objects.get(queue=world.queue, version=2)
    assert ok.redirect_chain == [(new.get_absolute_url(), 302)]
    told = [str(m) for m in ok.context["messages"]]
    assert "1 staffing plan uses version 1: choose version 2 in it" in told[1], told
    shown = client.get(new.get_absolute_url())
    assert b"TV advert" in shown.content and b'id="forecast-adjustments"' in shown.content
    api = f"/api/v1/wfm/forecasts/{new.pk}/adjust"
    refused = client.post(
        api, {"start": "2026-03-03", "percent": 0, "reason": "x"}, content_type="application/json"
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "percent"
    made = client.post(
        api, {"start": "2026-03-04", "calls": 24, "reason": "x"}, content_type="application/json"
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["version"] == 3 and body["based_on"] == new.pk
    assert body["adjustment"]["factor"] == pytest.approx(1.1)
    # A role that only views forecasts cannot adjust them.
    client.force_login(world.users["group_manager"])
    assert (
        client.post(url, {"start": "2026-03-03", "percent": "15", "reason": "x"}).status_code == 403
    )


def test_two_versions_side_by_side(client):
    world = build_world()
    v1 = ready_forecast(world)
    v2 = adjust(v1, world, percent=50)  # Tuesday +50 %
    v3 = adjust(v2, world, start=WEEK + timedelta(days=4), calls=-24)  # Friday -10 %
    c = fv.versions_compare(v1, v3)
    assert [round(d["difference"]) for d in c.days] == [0, 120, 0, 0, -24, 0, 0]
    assert c.days[1]["percent"] == pytest.approx(50) and c.days[4]["percent"] == pytest.approx(-10)
    assert c.total_b - c.total_a == pytest.approx(96)
    assert [a["version"] for a in c.adjustments] == [v3, v2]
    assert [a["version"] for a in fv.versions_compare(v2, v3).adjustments] == [v3]
    # Two siblings made from one version: each one's own adjustment.
    v4 = adjust(v1, world, start=WEEK, percent=5)
    assert {a["version"].pk for a in fv.versions_compare(v3, v4).adjustments} == {
        v2.pk,
        v3.pk,
        v4.pk,
    }
    client.force_login(world.users["group_manager"])  # viewing is enough
    page = client.get(reverse("wfm:forecast_compare"), {"a": v1.pk, "b": v3.pk})
    assert page.status_code == 200 and b'id="compare-adjustments"' in page.content
    chart = json.loads(page.context["chart"])
    assert len(chart["a"]) == len(chart["b"]) == 7 * 48
    assert chart["b"][48 + 20] == pytest.approx(15)
    api = client.get("/api/v1/wfm/forecasts/compare", {"a": v1.pk, "b": v3.pk})
    assert api.status_code == 200
    body = api.json()
    assert [round(d["difference"]) for d in body["days"]] == [0, 120, 0, 0, -24, 0, 0]
    assert [a["version"] for a in body["adjustments"]] == [v3.pk, v2.pk]
    assert body["adjustments"][0]["reason"] == "mailing to all customers"
    assert len(body["intervals"]) == 7 * 48
    other = build_world()
    foreign = ready_forecast(other)
    assert (
        client.get("/api/v1/wfm/forecasts/compare", {"a": v1.pk, "b": foreign.pk}).status_code
        == 422
    )


def test_chart_data_with_band_aht_and_actuals(client):
    world = build_world()
    forecast = ready_forecast(world)
    start = local(world.site, WEEK, 10)
    IntervalStat.objects.create(
        site=world.site, queue=world.queue, interval_start=start, interval_minutes=30, offered=12
    )
    client.force_login(world.users["operations_supervisor"])
    page = client.get(forecast.get_absolute_url())
    data = json.loads(page.context["chart"])
    assert data["has_band"] and data["has_actuals"]
    assert data["forecast"][20] == 10 and data["low"][20] == 7 and data["high"][20] == 13
    assert data["aht"][20] == 200 and data["actual"][20] == 12 and data["actual"][21] is None
    assert data["aht"][2] is None  # 01:00, no call forecast
    assert data["labels"][20] == "03-02 10:00"  # the site's clock
    assert b'data-label-aht="' in page.content and b"data-axis-aht" in page.content
    api = client.get(f"/api/v1/wfm/forecasts/{forecast.pk}/chart").json()
    assert api["high"][20] == 13 and api["actual"][20] == 12 and api["warnings"] == []


def _notes(world, forecast):
    forecast.summary = {
        **forecast.summary,
        "notes": [
            {
                "code": "unseen_day_kind",
                "params": {"day": "2026-02-27", "kind": "holiday"},
                "text": "x",
            },
            {
                "code": "unseen_day_kind",
                "params": {"day": "2026-03-04", "kind": "holiday"},
                "text": "x",
            },
            "2026-03-20: no past campaign day in the history; forecast as a normal day",
            {"code": "little_history", "params": {}, "text": "too little history"},
        ],
    }
    Forecast.objects.filter(pk=forecast.pk).update(summary=forecast.summary)


def test_warnings_only_for_the_horizon_with_units_in_both_languages(client):
    world = build_world()
    forecast = ready_forecast(world)
    _notes(world, forecast)
    client.force_login(world.users["statistician"])
    notes = client.get(forecast.get_absolute_url()).context["notes"]
    assert len(notes) == 2, notes  # the 27 February and 20 March are outside the horizon
    assert "240 calls forecast that day" in notes[0]
    assert "80 % band" in notes[1]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get(forecast.get_absolute_url())
    zh = page.context["notes"]
    assert len(zh) == 2 and "240" in zh[0] and "当日预测 240 通" in zh[0], zh
    assert "calls" not in zh[0] and "history" not in zh[1], zh
    assert "预测" in page.content.decode()


def test_engine_forecast_stores_the_band_and_keeps_warnings_of_the_horizon():
    world = build_world()
    for offset in range(7):
        add_history(world, WEEK + timedelta(days=offset), weeks=4, calls=30, aht=240)
    # A holiday between the history and the horizon, and one inside it: both unknown to
    # the history, only the second concerns the version shown.
    for day in (WEEK + timedelta(days=2), WEEK + timedelta(days=9)):
        CalendarPeriod.objects.create(
            site=world.site, kind="holiday", name="Holiday", start_date=day, end_date=day
        )
    actor = world.users["statistician"]
    forecast = forecasts.forecast_create(
        queue=world.queue,
        horizon_start=WEEK + timedelta(days=7),
        horizon_days=7,
        actor=actor,
        history_weeks=5,
    )
    forecast.history_end = WEEK - timedelta(days=1)
    Forecast.objects.filter(pk=forecast.pk).update(history_end=forecast.history_end)
    forecasts.forecast_start(forecast=forecast, actor=actor)
    forecast.refresh_from_db()
    tasks.forecast_run.call(job_id=forecast.job_id, forecast_id=forecast.pk)
    forecast.refresh_from_db()
    assert forecast.status == "ready", forecast.summary
    busy = ForecastInterval.objects.get(
        forecast=forecast, interval_start=local(world.site, WEEK + timedelta(days=8), 10)
    )
    assert busy.calls_low <= busy.calls <= busy.calls_high and busy.calls_high > busy.calls_low
    days = [str(n) for n in forecast.summary["notes"]]
    assert any("2026-03-04" in d for d in days) and any("2026-03-11" in d for d in days)
    shown = fv.horizon_notes(forecast)
    assert len(shown) == 1 and "11" in shown[0] and "calls forecast that day" in shown[0]


@requires_row_locks()
@pytest.mark.django_db(transaction=True)
def test_parallel_adjustments_each_get_their_own_version():
    from django.test import Client

    world = build_world()
    original = ready_forecast(world)
    url = f"/api/v1/wfm/forecasts/{original.pk}/adjust"

    def post(percent):
        def go():
            c = Client()
            c.force_login(world.users["statistician"])
            return c.post(
                url,
                {"start": "2026-03-03", "percent": percent, "reason": "campaign"},
                content_type="application/json",
            )

        return go

    outcome = race(post(10), post(20))
    assert outcome.errors == [None, None], outcome.errors
    assert outcome.statuses == [201, 201]
    versions = sorted(Forecast.objects.filter(based_on=original).values_list("version", flat=True))
    assert versions == [2, 3]


@pytest.mark.browser
def test_adjust_and_compare_in_a_browser(browser, live_server, tmp_path):  # noqa: F811
    """At desktop width: the chart draws band, AHT and actuals; an adjustment from the
    form becomes version 2; the two versions side by side; the same pages in Chinese."""
    import os
    from pathlib import Path

    from tests.wfm.test_browser_planner import _login

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    world = build_world()
    forecast = ready_forecast(world)
    _notes(world, forecast)
    IntervalStat.objects.create(
        site=world.site,
        queue=world.queue,
        interval_start=local(world.site, WEEK, 10),
        interval_minutes=30,
        offered=12,
    )
    url = live_server.url
    shots = Path(os.environ.get("CCOPS_SCREENSHOT_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = []
    # Script errors and CSP refusals (not the favicon's 404).
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if "Policy" in m.text else None)
    try:
        _login(page, url, world.users["statistician"])
        page.goto(f"{url}{forecast.get_absolute_url()}")
        page.wait_for_function("document.getElementById('forecast-chart')._chart !== undefined")
        labels = page.evaluate(
            "document.getElementById('forecast-chart')._chart.data.datasets.map(d => d.label)"
        )
        assert labels == [
            "80 % band (calls)",
            "80 % band (calls)",
            "forecast (calls)",
            "actual (calls)",
            "handle time (s)",
        ]
        assert page.locator("#forecast-warnings li").count() == 2
        page.screenshot(path=str(shots / "forecast-detail.png"), full_page=True)
        page.fill("#id_start", "2026-03-03")
        page.fill("#id_end", "2026-03-04")
        page.fill("#id_percent", "-20")
        page.fill("#id_reason", "Public holiday announced")
        with page.expect_navigation():
            page.click("#forecast-adjust button[type=submit]")
        assert "Version 2 keeps the adjustment" in page.content()
        assert "Public holiday announced" in page.inner_text("#forecast-adjustments")
        with page.expect_navigation():
            page.click("#forecast-compare button[type=submit]")
        rows = page.locator("#compare-days tbody tr")
        assert rows.count() == 7
        assert "-48" in rows.nth(1).inner_text() and "-20.0 %" in rows.nth(1).inner_text()
        assert "Public holiday announced" in page.inner_text("#compare-adjustments")
        page.wait_for_function(
            "document.getElementById('forecast-compare-chart')._chart !== undefined"
        )
        page.screenshot(path=str(shots / "forecast-compare.png"), full_page=True)
        with page.expect_navigation():
            page.select_option("#language-select", "zh-hans")
        assert "两个版本之间的调整" in page.content()
        page.screenshot(path=str(shots / "forecast-compare-zh.png"), full_page=True)
        page.goto(f"{url}{forecast.get_absolute_url()}")
        assert "调整此预测" in page.content() and "当日预测 240 通" in page.content()
        page.screenshot(path=str(shots / "forecast-detail-zh.png"), full_page=True)
    finally:
        page.close()
    assert problems == []
    assert Forecast.objects.get(queue=world.queue, version=2).adjustment["percent"] == -20


def test_the_forecast_as_csv_in_the_sites_clock(client):
    world = build_world()
    forecast = ready_forecast(world)
    client.force_login(world.users["operations_supervisor"])
    page = client.get(forecast.get_absolute_url()).content.decode()
    assert reverse("wfm:forecast_csv", args=[forecast.pk]) in page
    lines = (
        client.get(reverse("wfm:forecast_csv", args=[forecast.pk]))
        .content.decode("utf-8-sig")
        .strip()
        .splitlines()
    )
    assert len(lines) == 1 + forecast.intervals.count()
    assert lines[21].split(",")[:5] == [f"{WEEK} 10:00", "10.0", "7.0", "13.0", "200.0"]
    client.force_login(world.users["agent"])
    assert client.get(reverse("wfm:forecast_csv", args=[forecast.pk])).status_code == 403
