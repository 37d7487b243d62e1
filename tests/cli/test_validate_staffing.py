"""``ccops validate-staffing`` on one month of the real Anonymous Bank data."""

from __future__ import annotations

import pandas as pd
import pytest

from ccops.cli import main

pytestmark = pytest.mark.engine


@pytest.mark.realdata
def test_prints_the_error_table_and_writes_intervals(anonymous_bank_dir, tmp_path, capsys):
    month = anonymous_bank_dir / "anonymous_bank_1999-01.csv.gz"
    out = tmp_path / "intervals.csv"
    args = ["validate-staffing", "--data", str(month), "--intervals-out", str(out)]
    # One month: the simulation has no other month to take its distributions from.
    assert main(args) == 2
    assert "at least two months" in capsys.readouterr().err
    code = main([*args, "--no-simulation"])
    assert code == 0
    text = capsys.readouterr().out
    assert "31,599 call records from 1 file(s)" in text
    assert "estimated mean patience" in text
    for row in ("| Erlang C | presence |", "| Erlang A | presence |", "| Erlang A | distinct |"):
        assert row in text
    frame = pd.read_csv(out)
    assert len(frame) > 300 and (frame["calls"] >= 30).all()
    assert {"erlang_a_presence_service_level", "erlang_c_distinct_abandon_rate"} <= set(frame)


@pytest.mark.realdata
def test_simulation_row_takes_its_distributions_from_the_other_month(anonymous_bank_dir, capsys):
    months = [anonymous_bank_dir / f"anonymous_bank_1999-0{m}.csv.gz" for m in (1, 2)]
    args = ["validate-staffing", "--data", *map(str, months), "--replications", "3"]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "simulation of 1999-01: distributions from 1999-02 (never from the months" in text
    assert "simulation of 1999-02: distributions from 1999-01" in text
    assert "Kaplan-Meier" in text and "lognormal" in text
    row = next(line for line in text.splitlines() if line.startswith("| Simulation | presence |"))
    sl_mae, _bias, ab_mae = (float(x) for x in row.split("|")[3:6])
    assert 0 < sl_mae < 0.3 and 0 < ab_mae < 0.2


def test_missing_data_path_is_an_error(tmp_path, capsys):
    assert main(["validate-staffing", "--data", str(tmp_path / "nowhere")]) == 2
    assert "nowhere" in capsys.readouterr().err
