"""Baselines and the rolling-origin backtest."""

from __future__ import annotations

import numpy as np
import pytest

from ccops.engine.forecast import SpecialDays, backtest
from ccops.engine.forecast.baselines import mean_of_last_weekdays, seasonal_naive
from ccops.engine.forecast.series import to_day_matrix
from tests.engine._forecast_synth import make_series


def test_baselines_by_hand():
    days = np.datetime64("2025-01-05") + np.arange(21)  # 3 weeks from a Sunday
    y = np.arange(21, dtype=float)[:, None] * np.ones((1, 2))
    y[14] = np.nan  # the last Sunday has no data: both look further back
    sn = seasonal_naive(y, days, 7)
    assert sn[:, 0].tolist() == [7, 15, 16, 17, 18, 19, 20]
    m2 = mean_of_last_weekdays(y, days, 7, weeks=2)
    assert m2[:, 0].tolist() == [3.5, 11.5, 12.5, 13.5, 14.5, 15.5, 16.5]
    skip = np.zeros(21, dtype=bool)
    skip[15] = True
    assert seasonal_naive(y, days, 2, skip=skip)[:, 0].tolist() == [7, 8]
    with pytest.raises(ValueError, match="weeks"):
        mean_of_last_weekdays(y, days, 7, weeks=0)


def test_backtest_table_and_ccops_beats_baselines_on_poisson_data():
    ts, y, _ = make_series(20, 30, seed=11)
    rep = backtest(ts, y, horizon_days=7, folds=6)
    assert len(rep.origins) == 6
    assert np.all(np.diff(rep.origins) == np.timedelta64(7, "D"))
    assert rep.origins[-1] == ts[-1].astype("datetime64[D]") - 6
    methods = rep.methods()
    assert methods[:3] == ["ccops", "seasonal_naive", "seasonal_naive_clean"]
    ours = rep.score("ccops").wape
    best = min(rep.score(m).wape for m in methods if m != "ccops")
    assert ours < 0.95 * best
    cov = rep.score("ccops").coverage
    assert 0.7 < cov < 0.95
    assert np.isnan(rep.score("seasonal_naive").coverage)
    md = rep.to_markdown()
    assert md.count("\n") == 1 + len(methods)
    assert "| ccops |" in md
    d = rep.to_dict()
    assert d["horizon_days"] == 7 and len(d["scores"]) == 2 * len(methods)


def test_backtest_skips_calendar_and_near_zero_days_for_every_method():
    ts, y, _ = make_series(12, 30, seed=12)
    day = ts.astype("datetime64[D]")
    last = day[-1]
    hol = last - 3
    dead = last - 10
    y[day == dead] = 0
    cal = SpecialDays.from_rows([(str(hol), "holiday", "x")])
    rep = backtest(ts, y, horizon_days=7, folds=2, calendar=cal)
    reasons = dict(rep.unscored_days)
    assert reasons[hol].startswith("calendar: holiday x")
    assert reasons[dead].startswith("near-zero day")
    # 14 forecast days, 2 not scored, Saturdays scored too (all-zero days count with 0 actuals)
    assert rep.score("ccops", "daily").points == 12
    assert rep.score("seasonal_naive", "daily").points == 12


def test_extra_method_is_scored_side_by_side():
    ts, y, _ = make_series(8, 60, seed=13)

    def zeros(train, h):
        return np.zeros(h * train.intervals_per_day)

    rep = backtest(ts, y, horizon_days=3, folds=2, extra_methods={"zeros": zeros})
    assert rep.score("zeros").wape == pytest.approx(1.0)
    assert rep.score("zeros").bias == pytest.approx(-1.0)


def test_backtest_refuses_too_many_folds():
    ts, y, _ = make_series(6, 30, seed=14)
    with pytest.raises(ValueError, match="folds: 5 folds of 7 days"):
        backtest(ts, y, horizon_days=7, folds=5)
    with pytest.raises(ValueError, match="folds"):
        backtest(ts, y, horizon_days=7, folds=0)


def test_day_matrix_layout():
    ts, y, _ = make_series(2, 30, seed=0)
    dm = to_day_matrix(ts, y)
    assert dm.values.shape == (14, 48)
    assert dm.first_day == np.datetime64("2025-01-05")
    np.testing.assert_array_equal(dm.values.reshape(-1), y)
    assert dm.end == ts[-1] + np.timedelta64(30, "m")


def test_open_intervals_and_open_hour_coverage():
    from ccops.engine.forecast.backtest import open_intervals

    days = np.arange(np.datetime64("2024-01-01"), np.datetime64("2024-01-29"))
    values = np.zeros((days.size, 4))
    values[:, 1:3] = 5.0  # open in the middle two intervals every day
    values[::7, 3] = 1.0  # a stray call on Mondays only, one Monday in two
    values[::14, 3] = 0.0
    future = np.array([np.datetime64("2024-01-29"), np.datetime64("2024-01-30")])
    is_open = open_intervals(values, days, future)
    assert is_open.tolist() == [[False, True, True, True], [False, True, True, False]]


def test_backtest_reports_open_hour_coverage_apart():
    ts, calls, _mu = make_series(weeks=10, seed=3, level=60.0)
    rep = backtest(ts, calls, horizon_days=7, folds=2)
    own = rep.score("ccops")
    assert 0 < own.points_open <= own.points
    assert 0.5 < own.coverage_open <= 1
    assert "coverage, open hours" in rep.to_markdown()
