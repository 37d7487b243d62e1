"""The band's calibration on the forecast's recent misses, and the coverage whole-number
bands can attain."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from ccops.engine.forecast import forecast_series
from ccops.engine.forecast.calendar import EMPTY
from ccops.engine.forecast.calibration import (
    FACTORS,
    MIN_POINTS,
    attainable_coverage,
    best_factor,
    calibration_factor,
    scaled_alpha,
)
from ccops.engine.forecast.model import ModelOptions
from tests.engine._forecast_synth import make_series


def test_scaled_alpha_multiplies_the_variance_down_to_poisson():
    mu = np.array([0.5, 4.0, 40.0])
    alpha = np.array([0.1, 0.2, 0.05])
    for f in (0.7, 1.0, 2.5):
        a = scaled_alpha(mu, alpha, f)
        var = mu + a * mu**2
        want = np.maximum(f * (mu + alpha * mu**2), mu)  # never below Poisson
        np.testing.assert_allclose(var, want)
    assert np.all(scaled_alpha(mu, np.zeros(3), 0.25) == 0.0)


def test_best_factor_finds_the_variance_the_misses_show():
    rng = np.random.default_rng(1)
    mu = np.full(20_000, 20.0)
    # The truth has twice the Poisson variance the model claims.
    r = 20.0  # nbinom variance mu + mu^2 / r = 40
    actual = stats.nbinom.rvs(r, r / (r + mu), random_state=rng)
    factor, cov = best_factor(actual, mu, np.zeros_like(mu), 0.8)
    assert 1.6 <= factor <= 2.4
    assert cov == pytest.approx(0.8, abs=0.02)
    # Poisson truth, Poisson model: no change.
    factor, _ = best_factor(rng.poisson(mu), mu, np.zeros_like(mu), 0.8)
    assert 0.8 <= factor <= 1.2


def test_a_tie_keeps_the_band_as_it_is():
    # Every factor covers all of them: no evidence for any change.
    mu = np.full(200, 0.1)
    factor, cov = best_factor(np.zeros(200), mu, np.zeros(200), 0.8)
    assert (factor, cov) == (1.0, 1.0)
    assert 1.0 in FACTORS


def test_calibration_sees_only_days_before_each_of_its_origins():
    k = 4
    days = np.datetime64("2025-01-05") + np.arange(70)
    values = np.full((70, k), 10.0)
    seen = []

    def fit_predict(train_values, train_days, future):
        seen.append((train_days[-1], future[0], future[-1], train_values.shape[0]))
        return np.full((future.size, k), 10.0), np.zeros((future.size, k))

    factor = calibration_factor(values, days, EMPTY, 0.8, 4, fit_predict)
    assert len(seen) == 4
    for last_train, first_future, last_future, n in seen:
        assert last_train < first_future <= last_future <= days[-1]
        assert n == int((first_future - days[0]).astype(int))
    # Exact forecasts: every band covers, all factors tie, the band stays.
    assert factor == 1.0
    # Too little history for any origin, or too few points: no calibration.
    seen.clear()
    assert calibration_factor(values[:30], days[:30], EMPTY, 0.8, 4, fit_predict) == 1.0
    assert len(seen) == 0
    assert 7 * 1 * k < MIN_POINTS
    assert calibration_factor(values[:36], days[:36], EMPTY, 0.8, 1, fit_predict) == 1.0


def test_attainable_coverage_of_whole_number_bands():
    with_mu, any_band = attainable_coverage([0.5, 30.0], [0.0, 0.0], 0.8)
    # Mean 0.5: the band must hold 0 and 1 to contain the forecast: P(X <= 1) = 0.91;
    # the only other candidate near 80 %, [0, 0], holds 0.61, farther from it.
    assert with_mu[0] == pytest.approx(stats.poisson.cdf(1, 0.5))
    assert any_band[0] == pytest.approx(stats.poisson.cdf(1, 0.5))
    # Mean 30: whole numbers hardly matter.
    assert with_mu[1] == pytest.approx(0.8, abs=0.015)
    assert any_band[1] <= with_mu[1] + 1e-12 or abs(any_band[1] - 0.8) <= abs(with_mu[1] - 0.8)


def test_a_growing_queue_gets_a_wider_band_than_its_history_alone_gives():
    ts, calls, _ = make_series(16, seed=4, level=300.0)
    # The volume grows 6 % a week: the level lags, the misses are larger than the
    # history's scatter says.
    days = ts.astype("datetime64[D]")
    week = ((days - days[0]).astype(int) // 7).astype(float)
    rng = np.random.default_rng(9)
    calls = rng.poisson(np.where(calls > 0, calls * 1.06**week, 0.0)).astype(float)
    plain = forecast_series(
        ts, calls, horizon_days=7, options=ModelOptions(interval_calibration_weeks=0)
    )
    calibrated = forecast_series(ts, calls, horizon_days=7)
    assert plain.band_factor == 1.0
    assert calibrated.band_factor > 1.0
    np.testing.assert_array_equal(calibrated.calls, plain.calls)
    width = calibrated.calls_high - calibrated.calls_low
    assert np.all(width >= plain.calls_high - plain.calls_low)
    assert np.any(calibrated.calls_high > plain.calls_high)
    with pytest.raises(ValueError, match="interval_calibration_weeks"):
        ModelOptions(interval_calibration_weeks=-1)
