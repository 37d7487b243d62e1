"""Interval history: aggregation, the CSV format, validation and merging."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ccops.engine.io.calls import ABANDONED, ANSWERED, IGNORED, IVR_ONLY, CallRecords
from ccops.engine.io.errors import InputError
from ccops.engine.io.history import (
    HISTORY_COLUMNS,
    aggregate_calls,
    infer_interval_minutes,
    merge_history,
    read_history_csv,
    write_history_csv,
)


def records(rows):
    """rows: (arrival, queue, outcome, wait, handle)."""
    arrival = np.array([r[0] for r in rows], dtype="datetime64[s]")
    outcome = np.array([r[2] for r in rows], dtype=np.int8)
    wait = np.array([r[3] for r in rows], dtype=float)
    handle = np.array([r[4] for r in rows], dtype=float)
    start = np.where(
        outcome == ANSWERED, arrival + wait.astype("timedelta64[s]"), np.datetime64("NaT")
    )
    return CallRecords(
        arrival=arrival,
        queue=np.array([r[1] for r in rows], dtype=object),
        outcome=outcome,
        wait_seconds=wait,
        handle_seconds=handle,
        service_start=start.astype("datetime64[s]"),
        agent=np.array([""] * len(rows), dtype=object),
        priority=np.zeros(len(rows), dtype=np.int8),
    )


SAMPLE = records(
    [
        ("2024-03-04T08:01:00", "A", ANSWERED, 10, 100),
        ("2024-03-04T08:14:00", "A", ANSWERED, 30, 200),
        ("2024-03-04T08:20:00", "A", ABANDONED, 50, np.nan),
        ("2024-03-04T08:29:59", "B", ANSWERED, 0, np.nan),
        ("2024-03-04T08:30:00", "A", IVR_ONLY, 0, np.nan),
        ("2024-03-04T09:00:00", "C", IGNORED, 5, np.nan),
        ("2024-03-06T23:59:59", "A", ABANDONED, 3, np.nan),
    ]
)


def test_aggregate_counts_and_grid():
    h = aggregate_calls(SAMPLE, interval_minutes=30, target_seconds=20)
    assert list(h.columns) == list(HISTORY_COLUMNS)
    # two covered days x 48 intervals x queues A, B (C had no offered call)
    assert len(h) == 2 * 48 * 2
    assert set(h["queue"]) == {"A", "B"}
    row = h[(h.interval_start == "2024-03-04 08:00") & (h.queue == "A")].iloc[0]
    assert (row.calls, row.answered, row.abandoned, row.answered_within_target) == (3, 2, 1, 1)
    assert row.aht_seconds == 150 and row.asa_seconds == 20
    b = h[(h.interval_start == "2024-03-04 08:00") & (h.queue == "B")].iloc[0]
    assert b.calls == 1 and np.isnan(b.aht_seconds) and b.asa_seconds == 0
    assert h.loc[h.interval_start == "2024-03-05 08:00"].empty  # day without records
    last = h[(h.interval_start == "2024-03-06 23:30") & (h.queue == "A")].iloc[0]
    assert last.abandoned == 1
    assert h["calls"].sum() == 5
    assert infer_interval_minutes(h) == 30


def test_aggregate_single_series_and_arguments():
    h = aggregate_calls(SAMPLE, interval_minutes=15, by_queue=False, queue_name="all lines")
    assert set(h["queue"]) == {"all lines"} and len(h) == 2 * 96
    assert h.calls.sum() == 5
    with pytest.raises(ValueError, match="interval_minutes"):
        aggregate_calls(SAMPLE, interval_minutes=7)
    with pytest.raises(ValueError, match="queue_name"):
        aggregate_calls(SAMPLE, interval_minutes=30, queue_name="x")


def test_write_read_roundtrip_is_byte_identical(tmp_path):
    h = aggregate_calls(SAMPLE, interval_minutes=30)
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    write_history_csv(h, a)
    back = read_history_csv(a)
    assert back.attrs["interval_minutes"] == 30
    assert back["calls"].dtype == np.int64
    write_history_csv(back, b)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_text().splitlines()[0] == ",".join(HISTORY_COLUMNS)


def day_rows(day, queue="A", calls=1, start=0, stop=48, offset=""):
    base = pd.Timestamp(day)
    return [
        f"{(base + pd.Timedelta(minutes=30 * i)).strftime('%Y-%m-%dT%H:%M:%S')}{offset},"
        f"{queue},{calls}"
        for i in range(start, stop)
    ]


def write_csv(tmp_path, lines, header="interval_start,queue,calls"):
    path = tmp_path / "h.csv"
    path.write_text("\n".join([header, *lines]) + "\n")
    return path


def test_minimal_file_with_missing_days_is_valid(tmp_path):
    lines = day_rows("2024-01-01") + day_rows("2024-01-03")
    df = read_history_csv(write_csv(tmp_path, lines))
    assert list(df.columns) == ["interval_start", "queue", "calls"]
    assert len(df) == 96


def test_gap_is_rejected_or_filled(tmp_path):
    lines = day_rows("2024-01-01")
    del lines[14]  # 07:00
    path = write_csv(tmp_path, lines)
    with pytest.raises(InputError) as exc:
        read_history_csv(path)
    msg = str(exc.value)
    assert str(path) in msg and "gap" in msg and "2024-01-01 07:00" in msg
    filled = read_history_csv(path, fill_gaps=True)
    assert len(filled) == 48
    assert filled.loc[filled.interval_start == "2024-01-01 07:00", "calls"].item() == 0


@pytest.mark.parametrize(
    ("mutate", "line", "column", "value", "reason"),
    [
        (
            lambda ls: ls.__setitem__(3, "2024-01-01T01:30:00,A,-2"),
            5,
            "calls",
            "-2",
            "negative count",
        ),
        (
            lambda ls: ls.__setitem__(3, "2024-01-01T01:30:00,A,1.5"),
            5,
            "calls",
            "1.5",
            "whole number",
        ),
        (lambda ls: ls.__setitem__(3, "2024-01-01T01:30:00,A,"), 5, "calls", "", "whole number"),
        (
            lambda ls: ls.__setitem__(3, "2024-13-01T01:30:00,A,1"),
            5,
            "interval_start",
            "2024-13-01T01:30:00",
            "ISO 8601",
        ),
        (
            lambda ls: ls.__setitem__(3, "2024-01-01T01:00:00,A,1"),
            5,
            "interval_start",
            "2024-01-01T01:00:00",
            "duplicate",
        ),
        (
            lambda ls: ls.__setitem__(3, "2024-01-01T01:30:00+02:00,A,1"),
            5,
            "interval_start",
            "2024-01-01T01:30:00+02:00",
            "mixed time zones",
        ),
        (lambda ls: ls.__setitem__(3, "2024-01-01T01:30:00, ,1"), 5, "queue", "", "empty queue"),
        (
            lambda ls: ls.__setitem__(3, "2024-01-01T01:40:00,A,1"),
            5,
            "interval_start",
            "2024-01-01T01:40:00",
            "grid",
        ),
    ],
)
def test_bad_rows_name_file_line_column_value(tmp_path, mutate, line, column, value, reason):
    lines = day_rows("2024-01-01")
    mutate(lines)
    path = write_csv(tmp_path, lines)
    with pytest.raises(InputError) as exc:
        read_history_csv(path)
    err = exc.value
    assert err.path == str(path) and err.line == line and err.column == column
    assert err.value == value and reason in str(err)


def test_optional_columns_validated(tmp_path):
    header = "interval_start,queue,calls,answered,answered_within_target,aht_seconds"
    lines = [f"{r},1,1,{'' if i % 2 else '180.5'}" for i, r in enumerate(day_rows("2024-01-01"))]
    df = read_history_csv(write_csv(tmp_path, lines, header))
    assert df["aht_seconds"].isna().sum() == 24
    lines[5] = lines[5].rsplit(",", 1)[0] + ",-3"
    with pytest.raises(InputError, match="negative duration"):
        read_history_csv(write_csv(tmp_path, lines, header))
    lines = [f"{r},1,2," for r in day_rows("2024-01-01")]
    with pytest.raises(InputError, match="within target"):
        read_history_csv(write_csv(tmp_path, lines, header))


def test_missing_column_and_empty_file(tmp_path):
    with pytest.raises(InputError, match="missing column"):
        read_history_csv(write_csv(tmp_path, ["2024-01-01T00:00:00,A"], "interval_start,queue"))
    with pytest.raises(InputError, match="no intervals"):
        read_history_csv(write_csv(tmp_path, []))
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputError, match="empty"):
        read_history_csv(empty)


def test_utc_offsets_and_dst_day(tmp_path):
    lines = day_rows("2024-01-01", offset="+01:00")
    df = read_history_csv(write_csv(tmp_path, lines))
    assert str(df.interval_start.dt.tz) == "UTC"
    assert df.interval_start.iloc[0] == pd.Timestamp("2023-12-31T23:00", tz="UTC")
    # Spring forward in Europe/Berlin: 23 hours, the offset goes from +01:00 to +02:00.
    starts = pd.date_range(
        "2024-03-31", "2024-04-01", freq="30min", tz="Europe/Berlin", inclusive="left"
    )
    lines = [f"{s.isoformat()},A,1" for s in starts]
    assert len(lines) == 46
    assert len(read_history_csv(write_csv(tmp_path, lines))) == 46
    out = tmp_path / "out.csv"
    write_history_csv(df, out)
    assert out.read_text().splitlines()[1].startswith("2023-12-31T23:00:00+00:00,")


def test_merge_replaces_keys():
    h = aggregate_calls(SAMPLE, interval_minutes=30)
    again = merge_history(h, h)
    pd.testing.assert_frame_equal(again, h)
    changed = h.copy()
    changed["calls"] = changed["calls"] + 1
    merged = merge_history(h, changed.iloc[:10])
    assert (merged["calls"].iloc[:10] == h["calls"].iloc[:10] + 1).all()
    assert len(merged) == len(h)
    with pytest.raises(ValueError, match="columns"):
        merge_history(h, h[["interval_start", "queue", "calls"]])


@pytest.mark.realdata
def test_real_month_aggregates(anonymous_bank_dir, tmp_path):
    from ccops.engine.io.calls import read_anonymous_bank

    r = read_anonymous_bank([anonymous_bank_dir / "anonymous_bank_1999-01.csv.gz"])
    h = aggregate_calls(r, interval_minutes=30)
    offered = int(np.isin(r.outcome, [ANSWERED, ABANDONED]).sum())
    assert h["calls"].sum() == offered and h["answered"].sum() == 27_060
    path = tmp_path / "jan.csv"
    write_history_csv(h, path)
    back = read_history_csv(path)
    assert len(back) == len(h) and back["calls"].sum() == offered


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 3 * 86400 - 1),  # seconds after the first midnight
            st.sampled_from(["A", "B"]),
            st.sampled_from([ANSWERED, ABANDONED, IVR_ONLY]),
            st.floats(0, 600),
            st.one_of(st.just(np.nan), st.floats(1, 3000)),
        ),
        min_size=1,
        max_size=60,
    ),
    st.sampled_from([15, 30, 60]),
)
def test_aggregate_write_read_merge_properties(tmp_path_factory, calls, interval):
    base = np.datetime64("2024-05-01T00:00:00")
    rows = [
        (base + np.timedelta64(s, "s"), q, o, w, (h if o == ANSWERED else np.nan))
        for s, q, o, w, h in calls
    ]
    h = aggregate_calls(records(rows), interval_minutes=interval)
    offered = sum(1 for r in rows if r[2] != IVR_ONLY)
    assert h["calls"].sum() == offered
    if offered == 0:  # no queue had an offered call: nothing to write
        assert h.empty
        return
    assert (h["answered"] + h["abandoned"] == h["calls"]).all()
    assert (h["answered_within_target"] <= h["answered"]).all()
    path = tmp_path_factory.mktemp("h") / "h.csv"
    write_history_csv(h, path)
    first = path.read_bytes()
    back = read_history_csv(path, interval_minutes=interval)
    write_history_csv(merge_history(back, back), path)
    assert path.read_bytes() == first


@pytest.mark.parametrize("value", [7, 0, -15, 15.5, True, "15", None, 2000])
def test_interval_length_is_checked_once_for_readers_and_the_forecast(value):
    from ccops.engine.forecast.series import check_interval_minutes as forecast_check
    from ccops.engine.io.grid import check_interval_minutes

    for check in (check_interval_minutes, forecast_check):
        with pytest.raises(ValueError, match=rf"interval_minutes: {value!r}"):
            check(value)
    assert check_interval_minutes(15.0) == forecast_check(np.int64(15)) == 15
    # the forecast needs at least 5 minutes; the readers take any divisor of a day
    assert check_interval_minutes(1) == 1
    with pytest.raises(ValueError, match="at least 5"):
        forecast_check(1)
