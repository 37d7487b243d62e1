"""``ccops staff`` end to end: files in, files out, exit codes and error messages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ccops.cli import main
from ccops.engine.queueing import required_agents, scheduled_agents

pytestmark = pytest.mark.engine

FORECAST = """interval_start,queue,calls,aht_seconds,calls_low,calls_high
2024-03-04T08:00:00,PS,100,180,90,110
2024-03-04T08:15:00,PS,0,,0,0
2024-03-04T08:30:00,PS,360.5,180,300,400
2024-03-04T08:00:00,NE,5,400,3,7
2024-03-04T08:15:00,NE,12,410,9,15
"""


def _write(tmp_path, text, name="in.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_staff_writes_every_row_with_the_engine_figures(tmp_path):
    src = _write(tmp_path, FORECAST)
    out = tmp_path / "out.csv"
    code = main(
        [
            "staff",
            "--forecast",
            str(src),
            "--service-level",
            "0.8",
            "--answer-within",
            "20",
            "--max-occupancy",
            "0.85",
            "--shrinkage",
            "0.3",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    df = pd.read_csv(out, dtype={"interval_start": str})
    assert list(df.columns) == [
        "interval_start",
        "queue",
        "calls",
        "aht_seconds",
        "calls_low",
        "calls_high",
        "agents",
        "service_level",
        "asa_seconds",
        "abandon_rate",
        "occupancy",
        "shrinkage",
        "scheduled_agents",
        "model",
        "patience_seconds",
        "service_sigma",
    ]
    assert df["interval_start"].tolist()[0] == "2024-03-04T08:00:00"
    calls = np.array([100, 0, 360.5, 5, 12])
    aht = np.array([180, 1, 180, 400, 410])
    expected = required_agents(
        calls, aht, 900, service_level=0.8, answer_within_seconds=20, max_occupancy=0.85
    )
    np.testing.assert_array_equal(df["agents"], expected.agents)
    np.testing.assert_allclose(df["service_level"], expected.service_level, atol=1e-6)
    np.testing.assert_array_equal(df["scheduled_agents"], scheduled_agents(expected.agents, 0.3))
    assert df.loc[1, "agents"] == 0 and df.loc[1, "scheduled_agents"] == 0
    assert (df["shrinkage"] == 0.3).all()
    assert (df["abandon_rate"] == 0).all()


def test_staff_erlang_a_to_stdout_with_explain(tmp_path, capsys):
    src = _write(tmp_path, FORECAST)
    code = main(
        [
            "staff",
            "--forecast",
            str(src),
            "--service-level",
            "0.8",
            "--answer-within",
            "20",
            "--model",
            "erlang-a",
            "--patience",
            "120",
            "--explain",
            "3",
        ]
    )
    assert code == 0
    captured = capsys.readouterr()
    lines = captured.out.strip().splitlines()
    assert len(lines) == 6 and lines[0].endswith(
        "scheduled_agents,model,patience_seconds,service_sigma"
    )
    third = lines[3].split(",")
    expected = required_agents(
        360.5,
        180,
        900,
        service_level=0.8,
        answer_within_seconds=20,
        model="erlang_a",
        patience_seconds=120,
    )
    assert int(third[6]) == int(expected.agents)
    assert float(third[9]) > 0  # abandonment is modelled
    report = captured.err
    assert f"line 4 of {src}" in report and "offered load 72.1000 Erlangs" in report
    assert f"answer: {int(expected.agents)} agents; binding target:" in report
    assert f"{int(expected.agents) - 1:>7d}" in report  # the count just below was shown


def test_staff_explain_by_time_lists_every_queue(tmp_path, capsys):
    src = _write(tmp_path, FORECAST)
    out = tmp_path / "o.csv"
    assert (
        main(
            [
                "staff",
                "--forecast",
                str(src),
                "--service-level",
                "0.8",
                "--answer-within",
                "20",
                "--out",
                str(out),
                "--explain",
                "2024-03-04T08:15:00",
            ]
        )
        == 0
    )
    report = capsys.readouterr().out
    assert "queue PS" in report and "queue NE" in report
    assert "no calls offered" in report


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (
            FORECAST.replace("2024-03-04T08:30:00,PS,360.5", "2024-03-04T08:30:00,PS,-3"),
            ["line 4", "'calls'", "'-3'"],
        ),
        (
            FORECAST.replace("2024-03-04T08:30:00,PS,360.5", "2024-03-04T08:30:00,PS,nan"),
            ["line 4", "'calls'", "'nan'"],
        ),
        (FORECAST.replace("5,400,3,7", "5,0,3,7"), ["line 5", "'aht_seconds'", "'0'"]),
        (
            FORECAST.replace("2024-03-04T08:15:00,NE", "04/03/2024 08:15,NE"),
            ["line 6", "'interval_start'", "'04/03/2024 08:15'"],
        ),
        (
            FORECAST.replace("2024-03-04T08:15:00,NE", "2024-03-04T08:00:00,NE"),
            ["line 6", "duplicate"],
        ),
        (FORECAST.replace("12,410", "12,"), ["line 6", "'aht_seconds'", "empty"]),
        (FORECAST.replace("2024-03-04T08:30:00,PS", "2024-03-04T08:37:00,PS"), ["line 4", "grid"]),
        ("interval_start,queue,calls\n2024-03-04T08:00:00,PS,3\n", ["line 1", "aht_seconds"]),
    ],
)
def test_malformed_files_exit_2_naming_file_line_column_value(tmp_path, capsys, text, where):
    src = _write(tmp_path, text, "bad.csv")
    out = tmp_path / "never.csv"
    code = main(
        [
            "staff",
            "--forecast",
            str(src),
            "--service-level",
            "0.8",
            "--answer-within",
            "20",
            "--out",
            str(out),
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("ccops: error: ") and str(src) in err
    for part in where:
        assert part in err
    assert not out.exists()


def test_interval_length_is_checked_against_the_file(tmp_path, capsys):
    src = _write(tmp_path, FORECAST)
    code = main(
        [
            "staff",
            "--forecast",
            str(src),
            "--service-level",
            "0.8",
            "--answer-within",
            "20",
            "--interval-minutes",
            "30",
        ]
    )
    assert code == 2
    assert "15 minutes apart" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--model", "erlang-a"], "--patience"),
        (["--shrinkage", "1"], "--shrinkage"),
        (["--service-level", "1.5"], "--service-level"),
        (["--explain", "99"], "--explain 99"),
    ],
)
def test_bad_flags_exit_2(tmp_path, capsys, extra, message):
    src = _write(tmp_path, FORECAST)
    args = ["staff", "--forecast", str(src), "--service-level", "0.8", "--answer-within", "20"]
    assert main(args + extra) == 2
    assert message in capsys.readouterr().err


def test_missing_file_is_named(tmp_path, capsys):
    missing = tmp_path / "nope.csv"
    assert (
        main(
            ["staff", "--forecast", str(missing), "--service-level", "0.8", "--answer-within", "20"]
        )
        == 2
    )
    assert str(missing) in capsys.readouterr().err


def test_default_aht_fills_empty_handle_times(tmp_path):
    src = _write(tmp_path, FORECAST.replace("12,410", "12,"))
    out = tmp_path / "out.csv"
    assert (
        main(
            [
                "staff",
                "--forecast",
                str(src),
                "--service-level",
                "0.8",
                "--answer-within",
                "20",
                "--default-aht",
                "410",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    df = pd.read_csv(out)
    expected = required_agents(12, 410, 900, service_level=0.8, answer_within_seconds=20)
    assert df.loc[4, "agents"] == int(expected.agents)
    assert pd.isna(df.loc[4, "aht_seconds"])  # the input column is passed through as it was


def test_staff_by_simulation_starts_from_erlang_a_and_explains_with_intervals(tmp_path, capsys):
    src = _write(tmp_path, FORECAST)
    out = tmp_path / "sim.csv"
    common = ["--forecast", str(src), "--service-level", "0.8", "--answer-within", "20"]
    code = main(
        ["staff", *common, "--model", "simulation", "--patience", "600", "--service-sigma",
         "0.5", "--replications", "8", "--out", str(out), "--explain", "1"]
    )  # fmt: skip
    assert code == 0
    text = capsys.readouterr().out
    assert "search started from the Erlang A answer" in text
    assert "service_level [CI]" in text and "<= answer" in text
    sim = pd.read_csv(out)
    erlang = required_agents(
        [100, 360.5, 5, 12], [180, 180, 400, 410], 900,
        service_level=0.8, answer_within_seconds=20, model="erlang_a", patience_seconds=600,
    )  # fmt: skip
    busy = sim["calls"] > 0
    assert (sim.loc[busy, "service_level"] >= 0.8).all()
    # Less variable service than exponential and an empty queue at the start: the
    # simulation is less pessimistic than Erlang A and needs no more agents.
    assert (sim.loc[busy, "agents"].to_numpy() <= erlang.agents).all()
    assert sim.loc[~busy, "agents"].eq(0).all()


def test_simulation_options_are_checked(tmp_path, capsys):
    src = _write(tmp_path, FORECAST)
    common = ["staff", "--forecast", str(src), "--service-level", "0.8", "--answer-within", "20"]
    assert main([*common, "--service-sigma", "0.5"]) == 2
    assert "--service-sigma is only used with --model simulation" in capsys.readouterr().err
    assert main([*common, "--model", "simulation", "--replications", "1"]) == 2
    assert "--replications must be at least 2" in capsys.readouterr().err
    assert main([*common, "--model", "simulation", "--service-sigma", "-1"]) == 2
    assert "sigma" in capsys.readouterr().err


def test_staff_takes_the_service_cv_and_writes_its_sigma(tmp_path):
    src = _write(tmp_path, FORECAST)
    out = tmp_path / "cv.csv"
    code = main(
        ["staff", "--forecast", str(src), "--service-level", "0.8", "--answer-within", "20",
         "--model", "simulation", "--service-cv", "1.5", "--replications", "4", "--out", str(out)]
    )  # fmt: skip
    assert code == 0
    sigma = pd.read_csv(out)["service_sigma"].iloc[0]
    assert sigma == pytest.approx(np.sqrt(np.log1p(1.5**2)), abs=1e-5)
