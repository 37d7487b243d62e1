"""The surge after an outage: retrial profile, re-forecast and the estimate of share and
delay from a simulated outage."""

from __future__ import annotations

import numpy as np
import pytest

from ccops.engine.forecast.surge import (
    estimate_retrial,
    lost_calls,
    retrial_profile,
    surge_after_recovery,
)


def test_profile_is_the_exponential_mass_of_each_interval():
    prof = retrial_profile(4, 30, 30)
    assert prof[0] == pytest.approx(1 - np.exp(-1))
    assert prof.sum() == pytest.approx(1 - np.exp(-4))
    assert np.all(np.diff(prof) < 0)


def test_lost_calls_take_the_larger_of_expected_and_counted():
    assert lost_calls([10, 10], [0, 15], [2, 3]) == pytest.approx(8 + 12)
    assert lost_calls([1], [np.nan], [5]) == 0.0


def test_surge_adds_share_times_lost_spread_over_the_next_hours():
    s = surge_after_recovery(
        np.full(16, 40.0), 200.0, interval_minutes=30, share=0.6, delay_minutes=20
    )
    assert s.total_retrials == pytest.approx(120.0, rel=1e-3)
    assert s.calls[0] > s.calls[1] > s.calls[-1] >= 40.0
    with pytest.raises(ValueError):
        surge_after_recovery([1.0], 10, interval_minutes=30, share=1.5)


def test_estimate_recovers_share_and_delay_from_a_simulated_outage():
    rng = np.random.default_rng(7)
    im, lost, p, d = 15, 400, 0.55, 25.0
    base = np.full(24, 60.0)
    fits = []
    for _ in range(20):
        # each persistent caller's first retry after recovery: Exp(d) minutes
        persistent = rng.binomial(lost, p)
        delays = rng.exponential(d, persistent)
        extra = np.histogram(delays, bins=np.arange(25) * im)[0]
        offered = rng.poisson(base) + extra
        fits.append(estimate_retrial(base, offered, lost, interval_minutes=im))
    share = np.mean([f.share for f in fits])
    delay = np.mean([f.delay_minutes for f in fits])
    assert share == pytest.approx(p, abs=0.06)
    assert delay == pytest.approx(d, abs=6)


def test_estimate_refuses_no_lost_calls():
    with pytest.raises(ValueError):
        estimate_retrial([1.0], [2.0], 0, interval_minutes=30)


def test_recovery_inside_the_first_interval_shortens_it():
    prof = retrial_profile(3, 30, 20, offset_minutes=15)
    assert prof[0] == pytest.approx(1 - np.exp(-15 / 20))
    assert prof.sum() == pytest.approx(1 - np.exp(-75 / 20))
    with pytest.raises(ValueError):
        retrial_profile(3, 30, 20, offset_minutes=30)
