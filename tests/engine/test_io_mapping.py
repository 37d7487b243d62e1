"""Column mappings, the generic CSV/Excel reader and interval-report import."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ccops.engine.io.calls import ABANDONED, ANSWERED, IGNORED, IVR_ONLY, read_calls
from ccops.engine.io.errors import InputError
from ccops.engine.io.mapping import (
    load_mapping,
    load_preset,
    mapping_from_dict,
    preset_names,
)
from ccops.engine.io.tabular import read_interval_report

CALLS_MAPPING = {
    "kind": "calls",
    "file": {"delimiter": ";"},
    "time": {"date": "Day", "time": "Clock", "format": "%d.%m.%Y %H:%M:%S"},
    "columns": {
        "queue": "Skill",
        "outcome": "Result",
        "wait": "Queue time",
        "handle": ["Talk", "Wrap"],
        "agent": "Agent",
    },
    "outcomes": {
        "answered": ["Answered"],
        "abandoned": ["Abandoned"],
        "ivr_only": ["IVR"],
        "other": "error",
    },
    "units": {"durations": "seconds"},
}
CALLS_CSV = """Day;Clock;Skill;Result;Queue time;Talk;Wrap;Agent
04.03.2024;08:01:10;Sales;Answered;12;0:03:00;30;A7
04.03.2024;08:02:00;Sales;abandoned;45;;;
04.03.2024;08:40:00;;IVR;;;;
05.03.2024;23:59:59;Support;Answered;0;100;0;B2
"""


def write(tmp_path, text, name="calls.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_read_calls_with_mapping(tmp_path):
    m = mapping_from_dict(CALLS_MAPPING)
    r = read_calls(write(tmp_path, CALLS_CSV), m)
    assert r.outcome.tolist() == [ANSWERED, ABANDONED, IVR_ONLY, ANSWERED]
    assert r.arrival[0] == np.datetime64("2024-03-04T08:01:10")
    assert r.handle_seconds[0] == 210 and np.isnan(r.handle_seconds[1])
    assert r.wait_seconds[1] == 45 and r.wait_seconds[2] == 0
    assert r.agent.tolist() == ["A7", "", "", "B2"]
    assert r.service_start[0] == np.datetime64("2024-03-04T08:01:22")
    assert r.queue.tolist()[:2] == ["Sales", "Sales"]


@pytest.mark.parametrize(
    ("line", "column", "old", "new", "reason"),
    [
        (2, "Day + Clock", "08:01:10", "8h01", "cannot read this date/time"),
        (3, "Queue time", "45", "abc", "expected a duration"),
        (3, "Queue time", "45", "-5", "negative duration"),
        (3, "Result", "abandoned", "Transferred", "outcome value not listed"),
        (5, "Skill", "Support", "", "empty queue"),
    ],
)
def test_bad_rows_name_file_line_column_value(tmp_path, line, column, old, new, reason):
    lines = CALLS_CSV.splitlines()
    header = lines[0].split(";")
    fields = lines[line - 1].split(";")
    pos = header.index(column.split(" + ")[-1])
    assert fields[pos] == old
    fields[pos] = new
    lines[line - 1] = ";".join(fields)
    path = write(tmp_path, "\n".join(lines) + "\n")
    with pytest.raises(InputError) as exc:
        read_calls(path, mapping_from_dict(CALLS_MAPPING))
    err = exc.value
    if " + " in column:  # date and time read together through a format
        new = f"04.03.2024 {new}"
    assert (err.path, err.line, err.column, err.value) == (str(path), line, column, new)
    assert reason in str(err)


def test_other_outcomes_ignored_and_missing_column(tmp_path):
    m = mapping_from_dict(
        {**CALLS_MAPPING, "outcomes": {**CALLS_MAPPING["outcomes"], "other": "ignore"}}
    )
    text = CALLS_CSV.replace("abandoned;45", "Transferred;45")
    r = read_calls(write(tmp_path, text), m)
    assert r.outcome[1] == IGNORED
    path = write(tmp_path, CALLS_CSV.replace("Agent", "Agent name"))
    with pytest.raises(InputError) as exc:
        read_calls(path, m)
    assert exc.value.column == "Agent" and exc.value.line == 1


def test_mapping_errors_name_key_and_value(tmp_path):
    with pytest.raises(InputError, match="kind must be"):
        mapping_from_dict({**CALLS_MAPPING, "kind": "cdr"})
    with pytest.raises(InputError, match="unknown time zone"):
        mapping_from_dict({**CALLS_MAPPING, "time": {"datetime": "x", "timezone": "Mars/Base"}})
    with pytest.raises(InputError, match="unknown key"):
        mapping_from_dict({**CALLS_MAPPING, "colums": {}})
    with pytest.raises(InputError, match="both answered and abandoned"):
        mapping_from_dict({**CALLS_MAPPING, "outcomes": {"answered": ["x"], "abandoned": ["X"]}})
    with pytest.raises(InputError, match="interval report needs"):
        mapping_from_dict({"kind": "intervals", "time": {"datetime": "t"}})
    path = write(tmp_path, "kind: calls\ntime: [1, 2\n", "bad.yaml")
    with pytest.raises(InputError, match="cannot read the mapping"):
        load_mapping(path)


def test_yaml_and_json_mapping_files(tmp_path):
    import json

    import yaml

    y = write(tmp_path, yaml.safe_dump(CALLS_MAPPING), "m.yaml")
    j = write(tmp_path, json.dumps(CALLS_MAPPING), "m.json")
    assert load_mapping(y).handle == ("Talk", "Wrap")
    assert load_mapping(j).name == "m"


def test_all_presets_load():
    names = preset_names()
    assert names[0] == "anonymous-bank"
    for expected in (
        "ccops-calls",
        "avaya-cms-interval",
        "genesys-cloud-interactions",
        "cisco-ucce-call-type-interval",
        "huawei-cc-call",
    ):
        assert expected in names
        assert load_preset(expected).name == expected
    with pytest.raises(InputError, match="unknown preset"):
        load_preset("nortel")


def test_excel_import(tmp_path):
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Calls"
    ws.append(["Report of calls"])  # a title line above the header
    ws.append(["Start", "Queue", "Result", "Wait", "Handle"])
    ws.append([dt.datetime(2024, 3, 4, 9, 0, 5), "Sales", "Answered", 10, dt.time(0, 4, 0)])
    ws.append([dt.datetime(2024, 3, 4, 9, 1, 0), "Sales", "Abandoned", 33.0, None])
    ws.append([dt.datetime(2024, 3, 4, 9, 2, 0), "Sales", "Answered", "x", 60])
    path = tmp_path / "calls.xlsx"
    wb.save(path)
    m = mapping_from_dict(
        {
            "kind": "calls",
            "file": {"sheet": "Calls", "header_row": 2},
            "time": {"datetime": "Start"},
            "columns": {"queue": "Queue", "outcome": "Result", "wait": "Wait", "handle": "Handle"},
            "outcomes": {"answered": ["Answered"], "abandoned": ["Abandoned"]},
        }
    )
    with pytest.raises(InputError) as exc:
        read_calls(path, m)
    assert (exc.value.line, exc.value.column, exc.value.value) == (5, "Wait", "x")
    ws.delete_rows(5)
    wb.save(path)
    r = read_calls(path, m)
    assert r.arrival[0] == np.datetime64("2024-03-04T09:00:05")
    assert r.handle_seconds[0] == 240 and r.wait_seconds[1] == 33


def test_time_zones(tmp_path):
    base = {"kind": "calls", "time": {"datetime": "t"}, "columns": {"queue": "q"}}
    text = "t,q\n2024-03-04T08:00:00Z,A\n2024-03-04T09:30:00+01:00,A\n"
    path = write(tmp_path, text)
    with pytest.raises(InputError, match="site's time zone"):
        read_calls(path, mapping_from_dict(base))
    m = mapping_from_dict({**base, "time": {"datetime": "t", "timezone": "Europe/Berlin"}})
    r = read_calls(path, m)
    assert r.arrival.tolist() == [
        np.datetime64("2024-03-04T09:00:00").item(),
        np.datetime64("2024-03-04T09:30:00").item(),
    ]
    mixed = write(tmp_path, "t,q\n2024-03-04T08:00:00Z,A\n2024-03-04T09:30:00,A\n")
    with pytest.raises(InputError) as exc:
        read_calls(mixed, m)
    assert "mixed time zones" in str(exc.value) and exc.value.line == 3
    naive_utc = write(tmp_path, "t,q\n2024-07-01 06:00:00,A\n")
    m = mapping_from_dict(
        {**base, "time": {"datetime": "t", "timezone": "Europe/Berlin", "source_timezone": "UTC"}}
    )
    assert read_calls(naive_utc, m).arrival[0] == np.datetime64("2024-07-01T08:00:00")
    # Without an outcome column: answered when an agent or handle time is present.
    assert read_calls(naive_utc, m).outcome[0] == ABANDONED


AVAYA = (
    "Date,Split/Skill,Interval,ACD Calls,Avg ACD Time,Avg ACW Time,Aband Calls,"
    "Avg Speed Ans,% Within Service Level\n"
    """2024-03-04,Retail,8:00 AM-8:15 AM,10,0:03:00,30,2,12,80
2024-03-04,Retail,8:15 AM-8:30 AM,30,200,20,0,4,90
2024-03-04,Retail,9:00 AM-9:15 AM,0,,,1,,
"""
)


def test_interval_report_avaya_preset_coarsens_and_fills(tmp_path):
    path = write(tmp_path, AVAYA, "cms.csv")
    df = read_interval_report(path, load_preset("avaya-cms-interval"), interval_minutes=30)
    assert len(df) == 48  # one full day, empty intervals filled
    row = df[df.interval_start == "2024-03-04 08:00"].iloc[0]
    assert (row.calls, row.answered, row.abandoned) == (42, 40, 2)
    assert row.answered_within_target == 8 + 27
    assert row.aht_seconds == pytest.approx((210 * 10 + 220 * 30) / 40)
    assert row.asa_seconds == pytest.approx((12 * 10 + 4 * 30) / 40)
    nine = df[df.interval_start == "2024-03-04 09:00"].iloc[0]
    assert nine.calls == 1 and np.isnan(nine.aht_seconds)
    assert df.calls.sum() == 43
    with pytest.raises(InputError, match="history uses 10"):
        read_interval_report(path, load_preset("avaya-cms-interval"), interval_minutes=10)


def test_interval_report_errors(tmp_path):
    dup = AVAYA.replace("8:15 AM-8:30 AM", "8:00 AM-8:15 AM")
    path = write(tmp_path, dup, "dup.csv")
    with pytest.raises(InputError) as exc:
        read_interval_report(path, load_preset("avaya-cms-interval"), interval_minutes=30)
    assert exc.value.line == 3 and "duplicate" in str(exc.value)
    neg = write(tmp_path, AVAYA.replace(",30,200", ",-30,200"), "neg.csv")
    with pytest.raises(InputError) as exc:
        read_interval_report(neg, load_preset("avaya-cms-interval"), interval_minutes=30)
    assert (exc.value.line, exc.value.column, exc.value.value) == (3, "ACD Calls", "-30")
    m = load_preset("cisco-ucce-call-type-interval")
    cisco = write(
        tmp_path,
        "DateTime,CallTypeID,CallsOffered,CallsHandled,TotalCallsAband,"
        "ServiceLevelCalls,HandleTime,AnswerWaitTime\n"
        "2024-03-04 08:00:00,5001,10,8,2,9,1600,80\n",
        "cisco.csv",
    )
    with pytest.raises(InputError, match="within target"):
        read_interval_report(cisco, m, interval_minutes=30)
    cisco.write_text(cisco.read_text().replace(",9,1600", ",6,1600"))
    df = read_interval_report(cisco, m, interval_minutes=30)
    row = df[df.calls > 0].iloc[0]
    assert row.aht_seconds == 200 and row.asa_seconds == 10 and row.queue == "5001"


def test_generic_interval_roundtrip_matches_history(tmp_path):
    rows = pd.DataFrame(
        {
            "interval_start": pd.date_range("2024-03-04", periods=48, freq="30min").strftime(
                "%Y-%m-%dT%H:%M:%S"
            ),
            "queue": "A",
            "offered": 3,
            "answered": 2,
            "abandoned": 1,
            "answered_within_target": 1,
            "aht_seconds": 180.0,
            "asa_seconds": 9.5,
        }
    )
    path = tmp_path / "g.csv"
    rows.to_csv(path, index=False)
    df = read_interval_report(path, load_preset("generic-interval"), interval_minutes=30)
    assert df.calls.sum() == 144 and (df.aht_seconds == 180).all()


def test_ccops_history_preset_reads_a_file_with_only_the_required_columns(tmp_path):
    """docs/formats.md: a history needs interval_start, queue and calls; the preset leaves
    the other columns optional (issue 12.2)."""
    path = tmp_path / "history.csv"
    path.write_text(
        "interval_start,queue,calls\n2026-03-02T08:00:00,A,3\n2026-03-02T08:30:00,A,1\n"
    )
    df = read_interval_report(path, load_preset("ccops-history"), interval_minutes=30)
    assert list(df.columns) == ["interval_start", "queue", "calls"]
    assert len(df) == 48 and df["calls"].sum() == 4
    some = tmp_path / "some.csv"
    some.write_text("interval_start,queue,calls,aht_seconds\n2026-03-02T08:00:00,A,3,120\n")
    df = read_interval_report(some, load_preset("ccops-history"), interval_minutes=30)
    assert "aht_seconds" in df and "answered" not in df
    # a required column is still required, named in the error
    bad = tmp_path / "bad.csv"
    bad.write_text("interval_start,queue,answered\n2026-03-02T08:00:00,A,3\n")
    with pytest.raises(InputError, match="column 'calls'"):
        read_interval_report(bad, load_preset("ccops-history"), interval_minutes=30)


def test_optional_must_name_mapped_columns():
    base = {"kind": "intervals", "time": {"datetime": "t"}, "columns": {"offered": "n"}}
    with pytest.raises(InputError, match="optional") as err:
        mapping_from_dict({**base, "optional": ["answered"]})
    assert err.value.value == "answered"
    with pytest.raises(InputError, match="optional"):
        mapping_from_dict({**base, "optional": ["offered"]})
    m = mapping_from_dict(
        {**base, "columns": {"offered": "n", "answered": "a"}, "optional": "answered"}
    )
    assert m.optional == ("answered",) and m.for_header(["t", "n"]).answered is None
    assert m.for_header(["t", "n", "a"]) is m
