"""WAPE, MASE, bias and coverage on hand-computed examples."""

from __future__ import annotations

import numpy as np
import pytest

from ccops.engine.forecast.metrics import bias, coverage, mae, mase, naive_scale, wape


def test_wape_and_bias_by_hand():
    actual = np.array([10.0, 20.0, 0.0, 30.0])
    forecast = np.array([12.0, 15.0, 1.0, 30.0])
    # |e| = 2 + 5 + 1 + 0 = 8 over 60 actual calls
    assert wape(actual, forecast) == pytest.approx(8 / 60)
    # forecast - actual = 2 - 5 + 1 + 0 = -2
    assert bias(actual, forecast) == pytest.approx(-2 / 60)
    assert mae(actual, forecast) == pytest.approx(2.0)


def test_mask_and_nan_are_skipped():
    actual = np.array([10.0, np.nan, 40.0])
    forecast = np.array([5.0, 99.0, 50.0])
    assert wape(actual, forecast) == pytest.approx(15 / 50)
    assert wape(actual, forecast, mask=[True, True, False]) == pytest.approx(0.5)
    assert np.isnan(wape([0.0, 0.0], [1.0, 2.0]))


def test_mase_by_hand():
    history = np.array([1.0, 2.0, 3.0, 2.0, 4.0, 5.0])  # season 3: |2-1|, |4-2|, |5-3| -> mean 5/3
    scale = naive_scale(history, 3)
    assert scale == pytest.approx(5 / 3)
    actual = np.array([3.0, 4.0])
    forecast = np.array([4.0, 2.0])  # MAE 1.5
    assert mase(actual, forecast, scale) == pytest.approx(1.5 / (5 / 3))
    assert np.isnan(mase(actual, forecast, 0.0))
    with pytest.raises(ValueError, match="season"):
        naive_scale(history, 0)


def test_coverage_by_hand():
    actual = np.array([5.0, 7.0, 10.0, 1.0])
    low = np.array([4.0, 8.0, 9.0, 1.0])
    high = np.array([6.0, 9.0, 10.0, 2.0])
    assert coverage(actual, low, high) == pytest.approx(3 / 4)


def test_shape_mismatch_is_refused():
    with pytest.raises(ValueError, match="shape"):
        wape([1.0, 2.0], [1.0])
