"""Bad input to the forecast: clear errors, never a silently wrong forecast."""

from __future__ import annotations

import numpy as np
import pytest

from ccops.engine.forecast import SpecialDays, forecast_series, read_calendar_csv
from ccops.engine.io.errors import InputError
from tests.engine._forecast_synth import make_series


@pytest.fixture
def series():
    ts, y, _ = make_series(3, 30, seed=0)
    return ts, y


def test_duplicate_interval_is_refused(series):
    ts, y = series
    ts2 = np.concatenate([ts, ts[100:101]])
    y2 = np.concatenate([y, [5.0]])
    with pytest.raises(ValueError, match=r"duplicate interval 2025-01-07T02:00"):
        forecast_series(ts2, y2, horizon_days=1)


def test_negative_count_is_refused(series):
    ts, y = series
    y = y.copy()
    y[17] = -3
    with pytest.raises(ValueError, match=r"calls: negative value -3 at position 17"):
        forecast_series(ts, y, horizon_days=1)


def test_infinite_count_is_refused(series):
    ts, y = series
    y = y.copy()
    y[5] = np.inf
    with pytest.raises(ValueError, match="calls: infinite value at position 5"):
        forecast_series(ts, y, horizon_days=1)


def test_off_grid_timestamp_is_refused(series):
    ts, y = series
    ts = ts.copy()
    ts[10] = ts[10] + np.timedelta64(7, "m")
    with pytest.raises(ValueError, match="not on the 30-minute grid"):
        forecast_series(ts, y, horizon_days=1, interval_minutes=30)


def test_nat_and_sub_minute_timestamps_are_refused(series):
    ts, y = series
    bad = ts.astype("datetime64[s]").copy()
    bad[3] = np.datetime64("NaT")
    with pytest.raises(ValueError, match="NaT"):
        forecast_series(bad, y, horizon_days=1)
    bad = ts.astype("datetime64[s]").copy()
    bad[3] += np.timedelta64(5, "s")
    with pytest.raises(ValueError, match="not on a whole minute"):
        forecast_series(bad, y, horizon_days=1)


def test_length_mismatch_and_bad_arguments(series):
    ts, y = series
    with pytest.raises(ValueError, match="calls: expected"):
        forecast_series(ts, y[:-1], horizon_days=1)
    with pytest.raises(ValueError, match=r"horizon_days: 43 is outside 1\.\.42"):
        forecast_series(ts, y, horizon_days=43)
    with pytest.raises(ValueError, match="horizon_days"):
        forecast_series(ts, y, horizon_days=0)
    with pytest.raises(ValueError, match="interval_minutes: 7"):
        forecast_series(ts, y, horizon_days=1, interval_minutes=7)
    with pytest.raises(ValueError, match="level"):
        forecast_series(ts, y, horizon_days=1, level=1.5)
    with pytest.raises(ValueError, match="aht_seconds: negative"):
        forecast_series(ts, y, horizon_days=1, aht_seconds=np.full(y.size, -1.0))


def test_too_short_history_is_refused():
    ts, y, _ = make_series(1, 30, seed=0)
    keep = ts < ts[0] + np.timedelta64(5, "D")
    with pytest.raises(ValueError, match="fewer than 7 days"):
        forecast_series(ts[keep], y[keep], horizon_days=1)


def test_unsorted_input_gives_the_same_forecast(series):
    ts, y = series
    order = np.random.default_rng(0).permutation(ts.size)
    a = forecast_series(ts, y, horizon_days=2)
    b = forecast_series(ts[order], y[order], horizon_days=2)
    np.testing.assert_array_equal(a.calls, b.calls)


def test_calendar_rows_are_validated():
    with pytest.raises(ValueError, match="kind 'party'"):
        SpecialDays.from_rows([("2025-01-01", "party", "")])
    with pytest.raises(ValueError, match="bad date"):
        SpecialDays.from_rows([("2025-13-01", "holiday", "")])
    with pytest.raises(ValueError, match="twice"):
        SpecialDays.from_rows([("2025-01-01", "holiday", "a"), ("2025-01-01", "holiday", "b")])


def test_calendar_csv_reads_and_reports_file_line_column_value(tmp_path):
    good = tmp_path / "cal.csv"
    good.write_text("date,kind,name\n2025-01-01,holiday,New year\n2025-01-02,campaign,\n")
    cal = read_calendar_csv(good)
    assert len(cal) == 2
    assert list(cal.kind) == ["holiday", "campaign"]
    assert cal.on(np.array(["2025-01-02", "2025-01-03"], dtype="datetime64[D]")).tolist() == [
        True,
        False,
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text("date,kind,name\n2025-01-01,holiday,x\n2025-01-05,holliday,typo\n")
    with pytest.raises(InputError) as exc:
        read_calendar_csv(bad)
    msg = str(exc.value)
    assert "bad.csv" in msg and "line 3" in msg and "'kind'" in msg and "'holliday'" in msg
    bad.write_text("date,kind\n01/02/2025,holiday\n")
    with pytest.raises(InputError, match=r"line 2, column 'date', value '01/02/2025'"):
        read_calendar_csv(bad)
    bad.write_text("day,kind\n")
    with pytest.raises(InputError, match="missing column date"):
        read_calendar_csv(bad)
    bad.write_text("date,kind\n2025-01-01,outage\n2025-01-01,outage\n")
    with pytest.raises(InputError, match=r"line 3.*this date already has this kind"):
        read_calendar_csv(bad)


def test_calendar_from_a_frame():
    import pandas as pd

    df = pd.DataFrame({"date": pd.to_datetime(["2025-01-01"]).date, "kind": ["holiday"]})
    cal = SpecialDays.from_frame(df)
    assert cal.date.tolist() == [np.datetime64("2025-01-01", "D").item()]
    assert cal.name.tolist() == [""]
    with pytest.raises(ValueError, match="missing column 'kind'"):
        SpecialDays.from_frame(df.drop(columns="kind"))
