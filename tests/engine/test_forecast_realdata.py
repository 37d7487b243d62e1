"""ccops beats the better baseline on the real Anonymous Bank calls (a regression guard)."""

from __future__ import annotations

import pytest

from benchmarks.eval_forecast_anonymous_bank import CALENDAR, load_history
from ccops.engine.forecast import backtest, read_calendar_csv

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def bank_history(anonymous_bank_dir):
    return load_history(anonymous_bank_dir, None)


def test_ccops_beats_the_better_baseline_by_five_percent(bank_history):
    ts, calls, aht = bank_history
    rep = backtest(
        ts,
        calls,
        horizon_days=7,
        folds=8,
        calendar=read_calendar_csv(CALENDAR),
        exclude_kinds=("holiday",),
        aht_seconds=aht,
    )
    baselines = [m for m in rep.methods() if m != "ccops"]
    best = min(rep.score(m).wape for m in baselines)
    ours = rep.score("ccops")
    assert ours.wape <= 0.95 * best, rep.to_markdown()
    assert abs(ours.bias) < 0.05
    assert 0.7 <= ours.coverage <= 0.9
    aht = {m: w for m, w, _b in rep.aht_scores}
    assert aht["ccops"] < aht["mean_4_weekdays"]
