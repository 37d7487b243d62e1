"""Interval actuals, patience estimate and the Erlang C / Erlang A comparison."""

from __future__ import annotations

import numpy as np
import pytest

from ccops.engine.io.calls import ABANDONED, ANSWERED, IVR_ONLY, CallRecords, read_anonymous_bank
from ccops.engine.simulate import PatienceDistribution
from ccops.engine.validation import (
    interval_actuals,
    mean_patience_seconds,
    simulation_queues,
    validate_staffing,
)


def _records(rows):
    """rows: (arrival, outcome, wait, handle, agent)."""
    arrival = np.array([r[0] for r in rows], dtype="datetime64[s]")
    wait = np.array([r[2] for r in rows], dtype=float)
    outcome = np.array([r[1] for r in rows], dtype=np.int8)
    start = np.where(
        outcome == ANSWERED, arrival + wait.astype("timedelta64[s]"), np.datetime64("NaT")
    )
    return CallRecords(
        arrival=arrival,
        queue=np.array(["PS"] * len(rows), dtype=object),
        outcome=outcome,
        wait_seconds=wait,
        handle_seconds=np.array([r[3] for r in rows], dtype=float),
        service_start=start.astype("datetime64[s]"),
        agent=np.array([r[4] for r in rows], dtype=object),
        priority=np.zeros(len(rows), dtype=np.int8),
    )


SUNDAY = "1999-01-03"  # 1999-01-01 was a Friday


def test_interval_actuals_counts_agents_presence_and_shares():
    records = _records(
        [
            (f"{SUNDAY}T10:00:00", ANSWERED, 0, 600, "A"),
            (f"{SUNDAY}T10:20:00", ANSWERED, 30, 1200, "B"),  # in service 10:20:30-10:40:30
            (f"{SUNDAY}T10:05:00", ABANDONED, 50, np.nan, ""),
            (f"{SUNDAY}T10:10:00", ANSWERED, 10, np.nan, ""),  # NO_SERVER: no agent counted
            (f"{SUNDAY}T10:12:00", IVR_ONLY, 0, np.nan, ""),  # never offered to agents
            ("1999-01-08T10:00:00", ANSWERED, 0, 100, "C"),  # a Friday
        ]
    )
    frame = interval_actuals(records)
    assert len(frame) == 1
    row = frame.iloc[0]
    assert str(row["interval_start"]) == f"{SUNDAY} 10:00:00"
    assert (row["calls"], row["answered"], row["abandoned"]) == (4, 3, 1)
    assert row["service_level"] == pytest.approx(2 / 4)
    assert row["abandon_rate"] == pytest.approx(1 / 4)
    assert row["aht_seconds"] == pytest.approx(900)
    assert row["agents"] == 2
    assert row["agents_presence"] == pytest.approx((600 + 570) / 1800)
    every_day = interval_actuals(records, weekdays=None)
    assert len(every_day) == 2
    # B's call still in service during 10:30-11:00 has no offered call there: no row.
    assert mean_patience_seconds(records) == pytest.approx((0 + 30 + 50 + 10 + 0) / 1)


def test_patience_needs_abandonments():
    records = _records([(f"{SUNDAY}T10:00:00", ANSWERED, 5, 100, "A")])
    with pytest.raises(ValueError, match="records"):
        mean_patience_seconds(records)


@pytest.mark.realdata
def test_on_anonymous_bank_january_erlang_a_beats_erlang_c(anonymous_bank_dir):
    records = read_anonymous_bank([anonymous_bank_dir / "anonymous_bank_1999-01.csv.gz"])
    result = validate_staffing(records, interval_minutes=30, min_calls=30, simulation=False)
    assert len(result.intervals) > 300
    assert 200 < result.patience_seconds < 600
    errors = {(e.model, e.agents): e for e in result.errors}
    c, a = errors[("Erlang C", "presence")], errors[("Erlang A", "presence")]
    assert c.abandon_mae == pytest.approx(result.intervals["abandon_rate"].mean())
    assert a.abandon_mae < 0.6 * c.abandon_mae
    assert a.service_level_mae < c.service_level_mae
    assert c.service_level_bias < 0  # Erlang C is pessimistic about the service level
    assert "| Erlang A | presence |" in result.table()


def test_after_call_work_is_the_gap_while_callers_wait_inside_one_interval():
    from ccops.engine.validation import after_call_by_waiting, after_call_seconds

    records = _records(
        [
            (f"{SUNDAY}T10:00:00", ANSWERED, 0, 100, "A"),  # ends 10:01:40
            (f"{SUNDAY}T10:01:00", ANSWERED, 70, 60, "A"),  # waits until 10:02:10: gap 30 s
            (f"{SUNDAY}T10:05:00", ANSWERED, 0, 60, "A"),  # nobody waited at 10:03:10: no gap
            (f"{SUNDAY}T10:28:00", ANSWERED, 0, 100, "B"),  # ends 10:29:40
            (f"{SUNDAY}T10:29:00", ANSWERED, 90, 60, "B"),  # starts 10:30:30: other interval
        ]
    )
    assert after_call_seconds(records, interval_minutes=30).tolist() == [30.0]
    bands = after_call_by_waiting(records, interval_minutes=30)
    assert sorted(bands) == [0, 1, 2, 3, 5, 9]
    assert all(v.tolist() == [30.0] for v in bands.values())


def test_simulation_needs_two_months():
    rows = [(f"{SUNDAY}T10:{m:02d}:00", ANSWERED, 5, 100, "A") for m in range(20)]
    records = _records(rows + [(f"{SUNDAY}T10:20:00", ABANDONED, 50, np.nan, "")] * 5)
    assert validate_staffing(records, min_calls=1, simulation=False).errors
    with pytest.raises(ValueError, match="two months"):
        validate_staffing(records, min_calls=1)


def test_simulation_queues_split_types_by_priority_with_their_own_patience():
    rng = np.random.default_rng(3)
    n = 600
    arrival = np.datetime64(f"{SUNDAY}T10:00:00") + rng.integers(0, 3600, n).astype(
        "timedelta64[s]"
    )
    queue = np.array(["PS"] * 400 + ["NW"] * 200, dtype=object)
    priority = np.array([2] * 300 + [1] * 100 + [0] * 200, dtype=np.int8)
    # PS high callers are patient, the others hang up after a minute or so; every one
    # of them waited (queued), the served ones after 30 s.
    patience = np.where(priority == 2, 2000.0, 60.0)
    wait = np.full(n, 120.0)
    abandoned = patience < wait
    wait = np.where(abandoned, patience, 30.0)
    outcome = np.where(abandoned, ABANDONED, ANSWERED).astype(np.int8)
    records = CallRecords(
        arrival=arrival,
        queue=queue,
        outcome=outcome,
        wait_seconds=wait,
        handle_seconds=np.where(abandoned, np.nan, 100.0),
        service_start=np.where(
            abandoned, np.datetime64("NaT"), arrival + wait.astype("timedelta64[s]")
        ).astype("datetime64[s]"),
        agent=np.where(abandoned, "", "A").astype(object),
        priority=priority,
    )
    pooled = PatienceDistribution.exponential(500.0)
    keys, queues = simulation_queues(records, pooled=pooled)
    assert keys == [("NW", 0), ("PS", 0), ("PS", 1)]
    assert [q.name for q in queues] == ["NW regular", "PS regular", "PS high"]
    assert [q.share for q in queues] == pytest.approx([1.0, 0.25, 0.75])
    # PS high: no abandonment at all, so it falls back on the pooled patience.
    assert [q.own_patience for q in queues] == [True, True, False]
    assert queues[2].patience is pooled
    # The others abandoned at 60 s: their own Kaplan-Meier says so.
    assert queues[0].patience.kind == "table"
    assert queues[0].patience.survival(59.0) == pytest.approx(1.0)
    assert queues[0].patience.survival(61.0) == pytest.approx(0.0)
