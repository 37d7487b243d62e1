"""The intraday update of the rest of the day (gamma-Poisson shrinkage toward the forecast)."""

from __future__ import annotations

import numpy as np
import pytest

from ccops.engine.forecast.intraday import (
    DEFAULT_PRIOR_CALLS,
    prior_strength_calls,
    update_rest_of_day,
)


def test_posterior_mean_shrinks_the_ratio_toward_the_forecast():
    fc = np.full(8, 50.0)
    elapsed = np.arange(8) < 4
    actual = np.where(elapsed, 75.0, np.nan)  # 300 calls so far against 200 forecast
    u = update_rest_of_day(fc, actual, elapsed, prior_calls=100)
    assert u.raw_ratio == pytest.approx(1.5)
    assert u.ratio == pytest.approx((100 + 300) / (100 + 200))
    assert u.weight == pytest.approx(200 / 300)
    assert u.calls[:4].tolist() == [75.0] * 4
    assert u.calls[4:] == pytest.approx(50 * u.ratio)
    plain = update_rest_of_day(fc, actual, elapsed, prior_calls=0)
    assert plain.ratio == pytest.approx(1.5)
    nothing = update_rest_of_day(fc, np.full(8, np.nan), np.zeros(8, bool))
    assert nothing.ratio == 1.0 and nothing.calls.tolist() == fc.tolist()
    huge = update_rest_of_day(fc, np.where(elapsed, 1000.0, np.nan), elapsed, prior_calls=0)
    assert huge.ratio == 2.0  # bounded
    assert DEFAULT_PRIOR_CALLS > 0


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"forecast_calls": [1.0, -1.0]}, "forecast_calls"),
        ({"actual_calls": [1.0, -2.0]}, "actual_calls"),
        ({"elapsed": [True]}, "elapsed"),
        ({"prior_calls": -1}, "prior_calls"),
        ({"bounds": (1.2, 2.0)}, "bounds"),
    ],
)
def test_bad_arguments_are_named(kwargs, name):
    args = {"forecast_calls": [1.0, 2.0], "actual_calls": [1.0, np.nan], "elapsed": [True, False]}
    args.update(kwargs)
    with pytest.raises(ValueError, match=name):
        update_rest_of_day(**args)


def test_prior_strength_from_past_days_recovers_the_gamma_shape():
    rng = np.random.default_rng(1)
    forecast = rng.uniform(800, 1600, 4000)
    level = rng.gamma(50.0, 1 / 50.0, forecast.size)  # Var(R) = 1/50
    actual = rng.poisson(level * forecast)
    assert prior_strength_calls(forecast, actual) == pytest.approx(50, rel=0.1)
    assert prior_strength_calls(forecast, rng.poisson(forecast)) > 500  # Poisson only
    with pytest.raises(ValueError, match="day_forecast_totals"):
        prior_strength_calls([1.0, 2.0], [1.0, 2.0])


@pytest.mark.realdata
def test_updating_lowers_the_rest_of_day_wape_on_held_out_months(anonymous_bank_dir):
    from benchmarks.eval_intraday_anonymous_bank import (
        EVALUATION,
        UPDATE_HOURS,
        morning_forecasts,
        rest_of_day_wape,
    )

    days, fc, act = morning_forecasts(anonymous_bank_dir)
    sel = np.isin(days.astype("datetime64[M]").astype(str), EVALUATION)
    for hour in UPDATE_HOURS:
        morning = rest_of_day_wape(fc[sel], act[sel], hour, None)
        ratio = rest_of_day_wape(fc[sel], act[sel], hour, 0.0)
        engine = rest_of_day_wape(fc[sel], act[sel], hour, DEFAULT_PRIOR_CALLS)
        assert engine < morning - 0.005 and engine < ratio, (hour, morning, ratio, engine)
