"""The ccops forecast model on synthetic series with known truth."""

from __future__ import annotations

import numpy as np
import pytest

from ccops.engine.forecast import SpecialDays, forecast_series
from ccops.engine.forecast.model import fit_calls, predict_calls
from ccops.engine.forecast.series import to_day_matrix
from tests.engine._forecast_synth import expected_day, make_series


def _weekday(ts):
    return ((ts.astype("datetime64[D]").astype(np.int64) + 3) % 7).astype(int)


@pytest.mark.parametrize("interval_minutes", [15, 30])
def test_noiseless_periodic_series_is_reproduced(interval_minutes):
    ts, y, _ = make_series(10, interval_minutes, seed=None)
    f = forecast_series(ts, y, horizon_days=7, interval_minutes=interval_minutes)
    k = 1440 // interval_minutes
    assert len(f) == 7 * k
    assert f.interval_start[0] == ts[-1] + np.timedelta64(interval_minutes, "m")
    truth = np.concatenate(
        [expected_day(w, interval_minutes) for w in _weekday(f.interval_start[::k])]
    )
    np.testing.assert_allclose(f.calls, truth, rtol=1e-6, atol=1e-9)


def test_interval_is_inferred_and_start_is_contiguous():
    ts, y, _ = make_series(4, 15, seed=1)
    f = forecast_series(ts, y, horizon_days=1)
    assert f.interval_minutes == 15
    assert np.all(np.diff(f.interval_start) == np.timedelta64(15, "m"))


@pytest.mark.parametrize("horizon_days", [1, 42])
def test_horizons_one_day_and_six_weeks(horizon_days):
    ts, y, _ = make_series(26, 30, seed=2)
    f = forecast_series(ts, y, horizon_days=horizon_days)
    assert len(f) == horizon_days * 48
    daily = f.calls.reshape(horizon_days, 48).sum(axis=1)
    wd = _weekday(f.interval_start[::48])
    expected = np.array([expected_day(w, 30).sum() for w in wd])
    np.testing.assert_allclose(daily, expected, rtol=0.08, atol=1)
    assert np.all(f.calls_low <= f.calls) and np.all(f.calls <= f.calls_high)
    if horizon_days == 42:  # uncertainty of the day total grows (or stays) with the lead
        dm = to_day_matrix(ts, y)
        fit = fit_calls(dm.values, dm.days(), max_lead_days=42)
        future = dm.days()[-1] + 1 + np.arange(42)
        _mu, alpha, _ = predict_calls(fit, future)
        assert np.all(np.diff(alpha[:, 0]) >= 0) and alpha[41, 0] > alpha[0, 0]


def test_closed_hours_and_closed_weekday_stay_exactly_zero():
    ts, y, _mu = make_series(8, 30, seed=3)
    f = forecast_series(ts, y, horizon_days=14)
    truth = np.concatenate([expected_day(w, 30) for w in _weekday(f.interval_start[::48])])
    closed = truth == 0
    assert closed.any()
    assert np.all(f.calls[closed] == 0)
    assert np.all(f.calls_low[closed] == 0) and np.all(f.calls_high[closed] == 0)
    assert np.all(f.calls[~closed] > 0)


def test_billing_days_effect_is_learned_from_the_calendar():
    billing = [np.datetime64("2025-01-05") + 14 * i + 2 for i in range(5)]  # every other Tuesday
    mult = {str(d): 1.5 for d in billing}
    ts, y, _ = make_series(10, 30, seed=4, day_multiplier=mult)
    future = np.datetime64("2025-03-16") + 2  # the Tuesday after the history ends
    rows = [(str(d), "billing_period", "statement run") for d in [*billing, future]]
    cal = SpecialDays.from_rows(rows)
    f = forecast_series(ts, y, horizon_days=7, calendar=cal)
    daily = f.calls.reshape(7, 48).sum(axis=1)
    days = f.interval_start[::48].astype("datetime64[D]")
    j = int(np.flatnonzero(days == future)[0])
    normal = expected_day(int(_weekday(days[j : j + 1])[0]), 30).sum()
    assert daily[j] == pytest.approx(1.5 * normal, rel=0.08)
    # The billing Tuesdays inflate nothing else: other days stay near the truth.
    others = [i for i in range(7) if i != j]
    truth = np.array([expected_day(w, 30).sum() for w in _weekday(days)])
    np.testing.assert_allclose(daily[others], truth[others], rtol=0.08)


def test_an_unlisted_outage_day_does_not_drag_the_forecast_down():
    ts, y, _ = make_series(8, 30, seed=5)
    day = ts.astype("datetime64[D]")
    last_monday = np.unique(day[_weekday(ts) == 0])[-1]
    y_out = y.copy()
    y_out[day == last_monday] = 0  # switch failure: nothing came through
    clean = forecast_series(ts, y, horizon_days=7)
    hit = forecast_series(ts, y_out, horizon_days=7)
    assert last_monday in hit.excluded_days
    assert hit.calls.sum() == pytest.approx(clean.calls.sum(), rel=0.02)


def test_listed_outage_and_holiday_are_left_out_and_holiday_effect_applies():
    ts, y, _ = make_series(8, 30, seed=6)
    day = ts.astype("datetime64[D]")
    hol = np.datetime64("2025-02-11")
    y[day == hol] *= 0.1
    out = np.datetime64("2025-02-19")
    y[(day == out) & (y > 0)] = 3
    cal = SpecialDays.from_rows([(str(hol), "holiday", "Founders day"), (str(out), "outage", "")])
    base = forecast_series(ts, y, horizon_days=7)
    with_cal = forecast_series(ts, y, horizon_days=7, calendar=cal)
    _ts_true, _, mu = make_series(9, 30, seed=None)
    truth = mu[-7 * 48 :].sum()
    assert abs(with_cal.calls.sum() - truth) <= abs(base.calls.sum() - truth) + 1e-9
    assert with_cal.calls.sum() == pytest.approx(truth, rel=0.05)


def test_closed_calendar_day_in_the_future_is_zero():
    ts, y, _ = make_series(6, 30, seed=7)
    nxt = ts[-1].astype("datetime64[D]") + 1
    cal = SpecialDays.from_rows([(str(nxt), "closed", "moving office")])
    f = forecast_series(ts, y, horizon_days=3, calendar=cal)
    assert np.all(f.calls[:48] == 0)
    assert f.calls[48:].sum() > 0


def test_prediction_interval_contains_point_and_covers_about_level():
    ts, y, _ = make_series(20, 30, seed=8)
    hist, fut = slice(0, 19 * 7 * 48), slice(19 * 7 * 48, None)
    f = forecast_series(ts[hist], y[hist], horizon_days=7, level=0.8)
    assert np.all(f.calls_low <= f.calls) and np.all(f.calls <= f.calls_high)
    open_ = f.calls > 0
    width = (f.calls_high - f.calls_low)[open_]
    assert np.all(width > 0)
    assert np.median(width / np.sqrt(f.calls[open_])) < 6  # not absurdly wide
    inside = (y[fut] >= f.calls_low) & (y[fut] <= f.calls_high)
    assert 0.7 <= inside[open_].mean() <= 0.97
    wide = forecast_series(ts[hist], y[hist], horizon_days=7, level=0.95)
    assert np.all(wide.calls_high >= f.calls_high) and np.all(wide.calls_low <= f.calls_low)


def test_aht_is_call_weighted_and_follows_the_day():
    ts, y, _mu = make_series(8, 30, seed=9)
    hours = (ts - ts.astype("datetime64[D]")).astype(int) / 60
    aht = np.where(y > 0, 180 + 10 * (hours - 8), np.nan)
    f = forecast_series(ts, y, horizon_days=7, aht_seconds=aht)
    hours_f = (f.interval_start - f.interval_start.astype("datetime64[D]")).astype(int) / 60
    busy = f.calls > 40
    np.testing.assert_allclose(f.aht_seconds[busy], 180 + 10 * (hours_f[busy] - 8), atol=6)
    assert np.all(np.isfinite(f.aht_seconds))


def test_missing_days_are_unknown_not_zero():
    ts, y, _ = make_series(8, 30, seed=10)
    day = ts.astype("datetime64[D]")
    gone = np.isin(day, day[-7 * 48 :: 48][:3])  # last week's first three days absent
    full = forecast_series(ts, y, horizon_days=7)
    holes = forecast_series(ts[~gone], y[~gone], horizon_days=7)
    assert holes.calls.sum() == pytest.approx(full.calls.sum(), rel=0.03)
    nan = y.copy()
    nan[gone] = np.nan
    as_nan = forecast_series(ts, nan, horizon_days=7)
    np.testing.assert_allclose(as_nan.calls, holes.calls)
