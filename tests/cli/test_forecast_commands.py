"""`ccops forecast` and `ccops backtest` end to end, on files in tmp_path."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from ccops.cli import main
from ccops.engine.io.history import write_history_csv
from tests.engine._forecast_synth import make_series


def _write_history(path, weeks=10, interval_minutes=30, aht=True):
    parts = []
    for q, level in (("PS", 800.0), ("NE", 150.0)):
        ts, y, _ = make_series(weeks, interval_minutes, seed=len(q) + int(level), level=level)
        df = pd.DataFrame(
            {"interval_start": ts.astype("datetime64[s]"), "queue": q, "calls": y.astype(int)}
        )
        if aht:
            df["aht_seconds"] = np.where(y > 0, 180.0 if q == "PS" else 260.0, np.nan)
        parts.append(df)
    write_history_csv(pd.concat(parts, ignore_index=True), path)
    return path


def test_forecast_writes_a_staffing_input(tmp_path, capsys):
    hist = _write_history(tmp_path / "history.csv")
    cal = tmp_path / "cal.csv"
    cal.write_text("date,kind,name\n2025-03-17,closed,Moving day\n")
    out = tmp_path / "forecast.csv"
    code = main(
        [
            "forecast",
            "--history",
            str(hist),
            "--horizon-days",
            "7",
            "--calendar",
            str(cal),
            "--out",
            str(out),
        ]
    )
    assert code == 0
    assert "forecast 2 queue(s), 672 rows" in capsys.readouterr().out
    text = out.read_text()
    assert text.splitlines()[0] == "interval_start,queue,calls,aht_seconds,calls_low,calls_high"
    f = pd.read_csv(out, parse_dates=["interval_start"])
    assert len(f) == 2 * 7 * 48
    assert f["interval_start"].min() == pd.Timestamp("2025-03-16T00:00")
    assert f["interval_start"].max() == pd.Timestamp("2025-03-22T23:30")
    for _q, g in f.groupby("queue"):
        steps = g["interval_start"].diff().dropna().unique()
        assert list(steps) == [pd.Timedelta(minutes=30)]
    # What `ccops staff` needs: non-negative calls, a positive AHT wherever calls come.
    assert (f["calls"] >= 0).all()
    assert (f.loc[f["calls"] > 0, "aht_seconds"] > 0).all()
    assert (f["calls_low"] <= f["calls"]).all() and (f["calls"] <= f["calls_high"]).all()
    closed_day = f["interval_start"].dt.date == pd.Timestamp("2025-03-17").date()
    assert (f.loc[closed_day, "calls"] == 0).all()
    assert f.loc[~closed_day & (f.queue == "PS"), "calls"].sum() > 2000
    # ... and `ccops staff` takes it as it is.
    staff = tmp_path / "staff.csv"
    args = ["staff", "--forecast", str(out), "--service-level", "0.8", "--answer-within", "20"]
    assert main([*args, "--out", str(staff)]) == 0
    s = pd.read_csv(staff)
    assert len(s) == len(f)
    assert (s.loc[s["calls"] > 0, "agents"] > 0).all()
    assert (s.loc[s["calls"] == 0, "agents"] == 0).all()


def test_forecast_without_aht_needs_constant(tmp_path, capsys):
    hist = _write_history(tmp_path / "h.csv", aht=False)
    out = tmp_path / "f.csv"
    args = ["forecast", "--history", str(hist), "--horizon-days", "2", "--out", str(out)]
    assert main(args) == 2
    assert "no handle times" in capsys.readouterr().err
    assert not out.exists()
    assert main([*args, "--aht-seconds", "200"]) == 0
    assert set(pd.read_csv(out)["aht_seconds"]) == {200.0}


def test_forecast_bad_history_is_a_clear_error(tmp_path, capsys):
    hist = tmp_path / "h.csv"
    hist.write_text(
        "interval_start,queue,calls\n2025-01-01T00:00:00,PS,3\n2025-01-01T00:30:00,PS,-2\n"
    )
    out = tmp_path / "f.csv"
    assert main(["forecast", "--history", str(hist), "--horizon-days", "1", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "h.csv" in err and "line 3" in err and "calls" in err
    assert not out.exists()


def test_forecast_short_history_names_the_queue(tmp_path, capsys):
    hist = _write_history(tmp_path / "h.csv", weeks=1)
    df = pd.read_csv(hist)
    df = df[df["interval_start"] < "2025-01-09"]
    df.to_csv(hist, index=False)
    out = tmp_path / "f.csv"
    assert main(["forecast", "--history", str(hist), "--horizon-days", "1", "--out", str(out)]) == 2
    assert "queue 'NE': calls: the history has fewer than 7 days" in capsys.readouterr().err


@pytest.mark.parametrize("as_json", [False, True])
def test_backtest_prints_method_by_metric_table(tmp_path, capsys, as_json):
    hist = _write_history(tmp_path / "h.csv", weeks=8)
    args = [
        "backtest",
        "--history",
        str(hist),
        "--horizon-days",
        "7",
        "--folds",
        "3",
        "--queue",
        "PS",
    ]
    assert main([*args, "--json"] if as_json else args) == 0
    out = capsys.readouterr().out
    if as_json:
        data = json.loads(out)
        assert list(data) == ["PS"]
        methods = {s["method"] for s in data["PS"]["scores"]}
        assert {"ccops", "seasonal_naive", "mean_4_weekdays"} <= methods
        assert len(data["PS"]["origins"]) == 3
        aht = {s["method"]: s["wape"] for s in data["PS"]["aht_scores"]}
        assert set(aht) == {"ccops", "mean_4_weekdays"} and aht["ccops"] < 0.05
        own = next(s for s in data["PS"]["scores"] if s["method"] == "ccops")
        assert 0 < own["points_open"] <= own["points"] and 0 <= own["coverage_open"] <= 1
    else:
        assert "queue PS: 3 folds" in out
        assert "| method | WAPE interval | MASE interval | bias interval |" in out
        for m in ("ccops", "seasonal_naive", "mean_4_weekdays"):
            assert f"| {m} |" in out
        assert "| AHT method | WAPE | bias |" in out
        assert "coverage, open hours |" in out
        assert "prediction interval covers" in out and "open-hour intervals" in out


def test_backtest_unknown_queue_and_too_many_folds(tmp_path, capsys):
    hist = _write_history(tmp_path / "h.csv", weeks=6)
    base = ["backtest", "--history", str(hist), "--horizon-days", "7"]
    assert main([*base, "--queue", "XX"]) == 2
    assert "no queue 'XX'; queues: NE, PS" in capsys.readouterr().err
    assert main([*base, "--folds", "8"]) == 2
    assert "folds: 8 folds" in capsys.readouterr().err


def test_forecast_refuses_mixed_time_zones_in_the_file(tmp_path, capsys):
    hist = _write_history(tmp_path / "h.csv", weeks=2)
    lines = hist.read_text().splitlines()
    lines[2] = lines[2].replace(",PS,", "+02:00,PS,", 1).replace(",NE,", "+02:00,NE,", 1)
    hist.write_text("\n".join(lines) + "\n")
    out = tmp_path / "f.csv"
    assert main(["forecast", "--history", str(hist), "--horizon-days", "1", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "mixed time zones" in err and "line 3" in err


def test_backtest_exclude_kinds_is_checked(tmp_path, capsys):
    hist = _write_history(tmp_path / "h.csv", weeks=6)
    args = ["backtest", "--history", str(hist), "--horizon-days", "7", "--folds", "1"]
    assert main([*args, "--exclude-kinds", "holiday,party"]) == 2
    assert "--exclude-kinds: unknown kind 'party'" in capsys.readouterr().err


def test_demo_data_history_and_calendar_forecast_end_to_end(tmp_path, capsys):
    demo = tmp_path / "demo"
    assert main(["demo-data", "--weeks", "8", "--queues", "1", "--out", str(demo)]) == 0
    out = tmp_path / "f.csv"
    args = [
        "forecast",
        "--history",
        str(demo / "history.csv"),
        "--calendar",
        str(demo / "calendar.csv"),
        "--horizon-days",
        "7",
        "--out",
        str(out),
    ]
    assert main(args) == 0
    f = pd.read_csv(out)
    hist = pd.read_csv(demo / "history.csv")
    assert set(f["queue"]) == set(hist["queue"])
    assert len(f) == 7 * 48 * f["queue"].nunique()
    assert (f.loc[f["calls"] > 0, "aht_seconds"] > 0).all()
    weekly_hist = hist["calls"].sum() / 8
    assert f["calls"].sum() == pytest.approx(weekly_hist, rel=0.25)


# --- limits on the history file (issue 12.2: the same limits as the imports) -------------


def _forecast(path, capsys) -> tuple[int, str]:
    out = path.parent / "forecast.csv"
    code = main(["forecast", "--history", str(path), "--horizon-days", "1", "--out", str(out)])
    assert code != 0 or out.exists()
    return code, capsys.readouterr().err


def test_forecast_refuses_an_oversized_history(tmp_path, capsys, monkeypatch):
    from ccops.engine.io import limits

    hist = _write_history(tmp_path / "history.csv", weeks=2)
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 10_000)
    code, err = _forecast(hist, capsys)
    assert code == 2
    assert err.strip() == f"ccops: error: {hist}: the file is larger than 10 KB"


def test_forecast_stops_a_gzip_bomb_at_the_decompressed_limit(tmp_path, capsys, monkeypatch):
    import gzip

    from ccops.engine.io import limits

    monkeypatch.setattr(limits, "MAX_DECOMPRESSED_BYTES", 1024 * 1024)
    bomb = tmp_path / "history.csv.gz"
    rows = b"2025-01-06T08:00:00,PS,1\n" * 2_000_000  # 50 MB in about 100 KB
    bomb.write_bytes(gzip.compress(b"interval_start,queue,calls\n" + rows))
    assert bomb.stat().st_size < 1024 * 1024
    code, err = _forecast(bomb, capsys)
    assert code == 2 and "history.csv.gz: the file decompresses to more than 1 MB" in err


def test_forecast_refuses_an_over_long_queue_name_naming_line_column_value(tmp_path, capsys):
    hist = tmp_path / "history.csv"
    hist.write_text(
        "interval_start,queue,calls\n2025-01-06T08:00:00,PS,1\n2025-01-06T08:30:00,"
        + "Q" * 1000
        + ",2\n"
    )
    code, err = _forecast(hist, capsys)
    assert code == 2
    assert err.strip() == (
        f"ccops: error: {hist}, line 3, column 'queue', value '{'Q' * 60}'… (1,000 characters): "
        "value longer than 255 characters"
    )


def test_forecast_reads_a_gzipped_history(tmp_path, capsys):
    import gzip

    hist = _write_history(tmp_path / "history.csv")
    packed = tmp_path / "history.csv.gz"
    packed.write_bytes(gzip.compress(hist.read_bytes()))
    code, err = _forecast(packed, capsys)
    assert code == 0, err
    assert (tmp_path / "forecast.csv").read_text().startswith("interval_start,queue,calls")
