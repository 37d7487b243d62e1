"""Forecasting several queues from a history DataFrame."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ccops.engine.forecast.frame import FORECAST_COLUMNS, forecast_frame
from tests.engine._forecast_synth import make_series


def _history(with_aht=True, tz=None):
    parts = []
    for q, level in (("PS", 1000.0), ("NE", 200.0)):
        ts, y, _ = make_series(6, 15, seed=hash(q) % 100, level=level)
        df = pd.DataFrame({"interval_start": ts.astype("datetime64[s]"), "queue": q, "calls": y})
        if with_aht:
            df["aht_seconds"] = np.where(y > 0, 200.0 if q == "PS" else 300.0, np.nan)
        parts.append(df)
    df = pd.concat(parts, ignore_index=True)
    if tz:
        df["interval_start"] = df["interval_start"].dt.tz_localize(tz)
    return df


def test_every_queue_is_forecast_in_the_staff_layout():
    table, fc = forecast_frame(_history(), horizon_days=2)
    assert tuple(table.columns) == FORECAST_COLUMNS
    assert set(fc) == {"PS", "NE"}
    assert len(table) == 2 * 2 * 96
    assert table["interval_start"].is_monotonic_increasing
    ps = table[table.queue == "PS"]
    ne = table[table.queue == "NE"]
    assert ps.calls.sum() > 3 * ne.calls.sum()
    assert np.allclose(ps.aht_seconds, 200.0) and np.allclose(ne.aht_seconds, 300.0)
    assert (table.calls_low <= table.calls).all() and (table.calls <= table.calls_high).all()


def test_missing_aht_needs_a_constant():
    with pytest.raises(ValueError, match="no handle times"):
        forecast_frame(_history(with_aht=False), horizon_days=1)
    table, _ = forecast_frame(_history(with_aht=False), horizon_days=1, aht_seconds=240)
    assert (table.aht_seconds == 240).all()


def test_queue_is_named_in_errors():
    df = _history()
    df.loc[5, "calls"] = -1
    with pytest.raises(ValueError, match="queue 'PS': calls: negative value"):
        forecast_frame(df, horizon_days=1)
    with pytest.raises(ValueError, match="missing column 'queue'"):
        forecast_frame(df.drop(columns="queue"), horizon_days=1)


def test_utc_history_gives_utc_forecast():
    table, _ = forecast_frame(_history(tz="UTC"), horizon_days=1)
    assert str(table["interval_start"].dt.tz) == "UTC"


def test_mixed_time_zones_are_refused():
    df = _history()
    starts = df["interval_start"].astype(str).tolist()
    starts[0] = starts[0] + "+02:00"
    starts[1] = starts[1] + "+03:00"
    df["interval_start"] = starts
    with pytest.raises(ValueError, match="interval_start"):
        forecast_frame(df, horizon_days=1)
