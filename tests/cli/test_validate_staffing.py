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
    code = main(["validate-staffing", "--data", str(month), "--intervals-out", str(out)])
    assert code == 0
    text = capsys.readouterr().out
    assert "31,599 call records from 1 file(s)" in text
    assert "estimated mean patience" in text
    for row in ("| Erlang C | presence |", "| Erlang A | presence |", "| Erlang A | distinct |"):
        assert row in text
    frame = pd.read_csv(out)
    assert len(frame) > 300 and (frame["calls"] >= 30).all()
    assert {"erlang_a_presence_service_level", "erlang_c_distinct_abandon_rate"} <= set(frame)


def test_missing_data_path_is_an_error(tmp_path, capsys):
    assert main(["validate-staffing", "--data", str(tmp_path / "nowhere")]) == 2
    assert "nowhere" in capsys.readouterr().err
