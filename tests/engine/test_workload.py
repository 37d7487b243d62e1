"""The workload CSV reader behind ``ccops staff``."""

from __future__ import annotations

import numpy as np
import pytest

from ccops.engine.io.errors import InputError
from ccops.engine.io.workload import read_workload_csv


def test_utc_offsets_are_read_as_utc_and_checked_on_the_local_grid(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text(
        "interval_start,queue,calls,aht_seconds\n"
        "2024-03-04T08:00:00+02:00,PS,10.5,200\n"
        "2024-03-04T08:30:00+02:00,PS,0,\n"
    )
    df = read_workload_csv(path)
    assert df.attrs["interval_minutes"] == 30
    assert df["start"].iloc[0] == np.datetime64("2024-03-04T06:00:00")
    assert df["calls_value"].tolist() == [10.5, 0.0]
    assert np.isnan(df["aht_value"].iloc[1])


def test_mixed_offsets_are_refused_with_the_line(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text(
        "interval_start,queue,calls,aht_seconds\n"
        "2024-03-04T08:00:00Z,PS,1,200\n"
        "2024-03-04T08:15:00,PS,1,200\n"
    )
    with pytest.raises(InputError, match=r"line 3.*mixed time zones") as info:
        read_workload_csv(path)
    assert info.value.column == "interval_start"


def test_default_aht_must_be_positive(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text("interval_start,queue,calls,aht_seconds\n2024-03-04T08:00:00,PS,1,\n")
    assert read_workload_csv(path, default_aht_seconds=300)["aht_value"].iloc[0] == 300
    with pytest.raises(ValueError, match="default_aht_seconds"):
        read_workload_csv(path, default_aht_seconds=0)
