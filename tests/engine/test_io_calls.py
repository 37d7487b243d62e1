"""The Anonymous Bank reader and the CallRecords container."""

from __future__ import annotations

import gzip

import numpy as np
import pytest

from ccops.engine.io.calls import (
    ABANDONED,
    ANONYMOUS_BANK_COLUMNS,
    ANSWERED,
    IGNORED,
    IVR_ONLY,
    CallRecords,
    read_anonymous_bank,
)
from ccops.engine.io.errors import InputError

HEADER = ",".join(ANONYMOUS_BANK_COLUMNS)
ROWS = [
    # answered, named agent
    "AA0101,1,9664491,2,PS,990101,7:02:47,7:02:52,5,7:02:52,7:03:09,17,AGENT,7:03:09,7:05:00,111,MICHAL",
    # abandoned in the queue
    "AA0101,2,0,0,NE,990101,8:00:00,8:00:10,10,8:00:10,8:01:10,60,HANG,0:00:00,0:00:00,0,NO_SERVER",
    # hung up in the VRU
    "AA0101,3,0,0,PS,990101,8:10:00,8:10:05,5,0:00:00,0:00:00,0,HANG,0:00:00,0:00:00,0,NO_SERVER",
    # phantom
    "AA0102,4,6.02E+11,0,PS,990101,9:00:00,9:00:05,5,9:00:05,9:00:30,25,PHANTOM,0:00:00,0:00:00,0,NO_SERVER",
    # AGENT with NO_SERVER: suspect handle time
    "AA0102,5,0,0,PS,990101,9:30:00,9:30:04,4,0:00:00,0:00:00,0,AGENT,9:30:03,9:30:09,6,NO_SERVER",
    # VRU stay across midnight
    "AA0102,6,0,1,PS,990101,23:59:58,0:00:07,9,0:00:07,0:00:20,13,AGENT,0:00:20,0:03:20,180,DORIT",
    # clock skew: vru_exit before vru_entry
    "AA0102,7,0,0,PS,990101,10:00:30,10:00:00,-30,10:00:00,10:00:00,0,AGENT,9:59:59,10:02:00,121,GILI",
    # service time artefact
    "AA0102,8,0,0,IN,990101,11:00:00,11:00:05,5,0:00:00,0:00:00,0,AGENT,11:00:05,4:00:00,61437,ROTH",
]


def write(tmp_path, rows, name="ab.csv", gz=False):
    text = "\n".join([HEADER, *rows]) + "\n"
    path = tmp_path / (name + (".gz" if gz else ""))
    if gz:
        with gzip.open(path, "wt") as fh:
            fh.write(text)
    else:
        path.write_text(text)
    return path


def test_outcomes_and_times(tmp_path):
    r = read_anonymous_bank([write(tmp_path, ROWS, gz=True)])
    assert len(r) == 8
    assert r.outcome.tolist() == [
        ANSWERED,
        ABANDONED,
        IVR_ONLY,
        IGNORED,
        ANSWERED,
        ANSWERED,
        ANSWERED,
        ANSWERED,
    ]
    assert r.arrival[0] == np.datetime64("1999-01-01T07:02:52")
    assert r.arrival[5] == np.datetime64("1999-01-02T00:00:07")  # midnight wrap
    assert r.arrival[6] == np.datetime64("1999-01-01T10:00:00")  # skew kept
    assert r.wait_seconds.tolist()[:3] == [17.0, 60.0, 0.0]
    assert r.handle_seconds[0] == 111
    assert np.isnan(r.handle_seconds[1:4]).all()  # not answered
    assert np.isnan(r.handle_seconds[4])  # NO_SERVER: suspect
    assert r.handle_seconds[5] == 180
    assert np.isnan(r.handle_seconds[7])  # long-tail artefact
    assert r.service_start[0] == np.datetime64("1999-01-01T07:03:09")
    assert np.isnat(r.service_start[1])
    assert r.agent.tolist() == ["MICHAL", "", "", "", "", "DORIT", "GILI", "ROTH"]
    assert r.queue.tolist()[:2] == ["PS", "NE"]
    assert r.priority.dtype == np.int8 and r.priority[0] == 2
    assert r.outcome.dtype == np.int8


def test_keep_suspect_handle(tmp_path):
    r = read_anonymous_bank(write(tmp_path, ROWS), keep_suspect_handle=True)
    assert r.handle_seconds[4] == 6


def test_select_and_concat(tmp_path):
    r = read_anonymous_bank(write(tmp_path, ROWS))
    sub = r.select(r.outcome == ANSWERED)
    assert len(sub) == 5 and (sub.outcome == ANSWERED).all()
    both = CallRecords.concat([r, sub])
    assert len(both) == 13
    with pytest.raises(ValueError, match="same length"):
        CallRecords(**{**r.__dict__, "queue": r.queue[:2]})


@pytest.mark.parametrize(
    ("row_index", "column", "bad", "good"),
    [
        (1, "vru_exit", "8:0x:10", "8:00:10"),
        (2, "date", "99AB01", "990101"),
        (0, "outcome", "SERVED", "AGENT"),
        (1, "q_time", "-4", "60"),
        (0, "ser_time", "1x1", "111"),
        (3, "q_start", "25:00:00", "9:00:05"),
    ],
)
def test_bad_value_names_file_line_column_value(tmp_path, row_index, column, bad, good):
    rows = list(ROWS)
    fields = rows[row_index].split(",")
    pos = ANONYMOUS_BANK_COLUMNS.index(column)
    assert fields[pos] == good
    fields[pos] = bad
    rows[row_index] = ",".join(fields)
    path = write(tmp_path, rows)
    with pytest.raises(InputError) as exc:
        read_anonymous_bank([path])
    msg = str(exc.value)
    assert str(path) in msg and f"line {row_index + 2}" in msg
    assert repr(column) in msg and repr(bad) in msg


def test_wrong_header_and_missing_file(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="Anonymous Bank layout"):
        read_anonymous_bank([path])
    with pytest.raises(InputError, match="file not found"):
        read_anonymous_bank([tmp_path / "nope.csv"])


@pytest.mark.realdata
def test_real_january_counts(anonymous_bank_dir):
    r = read_anonymous_bank([anonymous_bank_dir / "anonymous_bank_1999-01.csv.gz"])
    assert len(r) == 31_599  # README: January rows
    counts = np.bincount(r.outcome, minlength=4)
    assert counts[ANSWERED] == 27_060
    assert counts[ABANDONED] + counts[IVR_ONLY] == 4_299  # HANG
    assert counts[IGNORED] == 240  # PHANTOM
    days = np.unique(r.arrival.astype("datetime64[D]"))
    assert np.datetime64("1999-01-11") not in days
    assert np.datetime64("1999-01-12") not in days
    assert r.arrival.min() >= np.datetime64("1999-01-01")
    assert r.arrival.max() < np.datetime64("1999-02-02")
    # Mean handle time near the README's 191 s (named servers; zeros and artefacts dropped).
    assert 170 < np.nanmean(r.handle_seconds) < 215
