"""``ccops import`` and ``ccops demo-data`` end to end."""

from __future__ import annotations

import pandas as pd
import pytest

from ccops.cli import main
from ccops.engine.io.calls import ANONYMOUS_BANK_COLUMNS
from ccops.engine.io.history import read_history_csv

HEADER = ",".join(ANONYMOUS_BANK_COLUMNS)
AB_ROWS = [
    "AA0101,1,0,2,PS,990103,7:02:47,7:02:52,5,7:02:52,7:03:09,17,AGENT,7:03:09,7:05:00,111,MICHAL",
    "AA0101,2,0,0,NE,990103,8:00:00,8:00:10,10,8:00:10,8:01:10,60,HANG,0:00:00,0:00:00,0,NO_SERVER",
    "AA0101,3,0,0,PS,990103,8:10:00,8:10:05,5,0:00:00,0:00:00,0,HANG,0:00:00,0:00:00,0,NO_SERVER",
    "AA0102,4,0,0,PE,990104,9:00:00,9:00:05,5,9:00:05,9:00:30,25,PHANTOM,0:00:00,0:00:00,0,NO_SERVER",
    "AA0102,5,0,0,PE,990104,9:30:00,9:30:04,4,9:30:04,9:30:10,6,AGENT,9:30:10,9:33:10,180,DORIT",
]


def ab_file(tmp_path, rows=AB_ROWS, name="ab.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    return path


def run(*argv):
    return main(["import", *map(str, argv)])


def test_anonymous_bank_import_is_idempotent(tmp_path, capsys):
    src, hist = ab_file(tmp_path), tmp_path / "h.csv"
    assert run(src, "--preset", "anonymous-bank", "--interval-minutes", 30, "--history", hist) == 0
    out = capsys.readouterr().out
    assert "rows read: 5" in out and "left in the IVR before queueing: 1" in out
    assert "ignored records (e.g. PHANTOM, unlisted outcome): 1" in out
    first = hist.read_bytes()
    df = read_history_csv(hist)
    assert set(df.queue) == {"PS", "NE", "PE"} and df.calls.sum() == 3
    assert len(df) == 2 * 48 * 3
    assert run(src, "--preset", "anonymous-bank", "--interval-minutes", 30, "--history", hist) == 0
    assert "unchanged" in capsys.readouterr().out
    assert hist.read_bytes() == first
    # The same file twice in one command is read once.
    copy = tmp_path / "copy.csv"
    copy.write_bytes(src.read_bytes())
    assert (
        run(src, copy, "--preset", "anonymous-bank", "--interval-minutes", 30, "--history", hist)
        == 0
    )
    assert "same content" in capsys.readouterr().out and hist.read_bytes() == first


def test_bad_row_writes_nothing(tmp_path, capsys):
    good, hist = ab_file(tmp_path), tmp_path / "h.csv"
    assert run(good, "--preset", "anonymous-bank", "--interval-minutes", 30, "--history", hist) == 0
    before = hist.read_bytes()
    rows = list(AB_ROWS)
    rows[2] = rows[2].replace("8:10:05", "8:71:05")
    bad = ab_file(tmp_path, rows, "bad.csv")
    other = ab_file(tmp_path, [r.replace("9901", "9902") for r in AB_ROWS], "feb.csv")
    code = run(
        other, bad, "--preset", "anonymous-bank", "--interval-minutes", 30, "--history", hist
    )
    err = capsys.readouterr().err
    assert code == 2
    assert f"{bad}, line 4, column 'vru_exit', value '8:71:05'" in err
    assert hist.read_bytes() == before
    assert not list(tmp_path.glob(".h.csv.*"))  # no temporary file left behind
    new = tmp_path / "new.csv"
    assert run(bad, "--preset", "anonymous-bank", "--interval-minutes", 30, "--history", new) == 2
    assert not new.exists()
    ivr_only = ab_file(tmp_path, [AB_ROWS[2]], "ivr.csv")
    assert (
        run(ivr_only, "--preset", "anonymous-bank", "--interval-minutes", 30, "--history", new) == 2
    )
    assert "nothing to import" in capsys.readouterr().err and not new.exists()


def test_queue_options_and_dry_run(tmp_path, capsys):
    src, hist = ab_file(tmp_path), tmp_path / "h.csv"
    assert (
        run(
            src,
            "--preset",
            "anonymous-bank",
            "--interval-minutes",
            60,
            "--history",
            hist,
            "--queue-map",
            "PE=Retail,PS=Retail",
            "--queues",
            "Retail",
        )
        == 0
    )
    df = read_history_csv(hist)
    assert set(df.queue) == {"Retail"} and df.calls.sum() == 2
    assert "queue not in --queues: 1" in capsys.readouterr().out
    all_hist = tmp_path / "all.csv"
    assert (
        run(
            src,
            "--preset",
            "anonymous-bank",
            "--interval-minutes",
            30,
            "--history",
            all_hist,
            "--all-queues-as",
            "Bank",
            "--dry-run",
        )
        == 0
    )
    assert not all_hist.exists()
    assert (
        run(
            src,
            "--preset",
            "anonymous-bank",
            "--interval-minutes",
            30,
            "--history",
            all_hist,
            "--all-queues-as",
            "Bank",
        )
        == 0
    )
    assert set(read_history_csv(all_hist).queue) == {"Bank"}
    # Changing the queue map later: --replace-days drops the days' old queues.
    assert (
        run(
            src,
            "--preset",
            "anonymous-bank",
            "--interval-minutes",
            60,
            "--history",
            hist,
            "--replace-days",
        )
        == 0
    )
    assert set(read_history_csv(hist).queue) == {"PS", "NE", "PE"}


def test_mismatched_history_is_refused(tmp_path, capsys):
    src, hist = ab_file(tmp_path), tmp_path / "h.csv"
    assert run(src, "--preset", "anonymous-bank", "--interval-minutes", 30, "--history", hist) == 0
    before = hist.read_bytes()
    assert run(src, "--preset", "anonymous-bank", "--interval-minutes", 15, "--history", hist) == 2
    assert "30-minute intervals but the import has 15" in capsys.readouterr().err
    assert hist.read_bytes() == before


def test_mapping_file_and_flags(tmp_path, capsys):
    src = tmp_path / "export.csv"
    src.write_text(
        "Start,Queue,Result,Wait,Talk\n"
        "2024-03-04 08:05:00,Sales,OK,5,120\n"
        "2024-03-04 08:10:00,Sales,LOST,40,\n"
        "2024-03-04 09:10:00,Care,OK,25,300\n"
    )
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "kind: calls\ntime: {datetime: Start}\n"
        "columns: {queue: Queue, outcome: Result, wait: Wait, handle: Talk}\n"
        "outcomes: {answered: [OK], abandoned: [LOST]}\n"
    )
    hist = tmp_path / "h.csv"
    assert (
        run(
            src,
            "--mapping",
            mapping,
            "--interval-minutes",
            30,
            "--history",
            hist,
            "--target-seconds",
            10,
        )
        == 0
    )
    df = read_history_csv(hist)
    sales = df[(df.queue == "Sales") & (df.interval_start == "2024-03-04 08:00")].iloc[0]
    assert (sales.calls, sales.answered, sales.answered_within_target) == (2, 1, 1)
    assert sales.aht_seconds == 120
    flags_hist = tmp_path / "flags.csv"
    assert (
        run(
            src,
            "--datetime-column",
            "Start",
            "--queue-column",
            "Queue",
            "--outcome-column",
            "Result",
            "--answered-values",
            "OK",
            "--abandoned-values",
            "LOST",
            "--interval-minutes",
            30,
            "--history",
            flags_hist,
        )
        == 0
    )
    flags_df = read_history_csv(flags_hist)
    assert list(flags_df.columns) == ["interval_start", "queue", "calls", "answered", "abandoned"]
    assert flags_df.calls.sum() == 3
    assert run(src, "--interval-minutes", 30, "--history", flags_hist) == 2
    assert "--preset NAME, --mapping" in capsys.readouterr().err


def test_interval_report_import(tmp_path):
    src = tmp_path / "cms.csv"
    src.write_text(
        "Date,Split/Skill,Interval,ACD Calls,Avg ACD Time,Avg ACW Time,Aband Calls,"
        "Avg Speed Ans,% Within Service Level\n"
        "2024-03-04,Retail,08:00,10,180,30,2,12,80\n"
        "2024-03-04,Retail,08:30,30,200,20,0,4,90\n"
    )
    hist = tmp_path / "h.csv"
    assert (
        run(
            src,
            "--preset",
            "avaya-cms-interval",
            "--kind",
            "intervals",
            "--interval-minutes",
            30,
            "--history",
            hist,
        )
        == 0
    )
    df = read_history_csv(hist)
    assert len(df) == 48 and df.calls.sum() == 42
    first = hist.read_bytes()
    assert (
        run(src, "--preset", "avaya-cms-interval", "--interval-minutes", 30, "--history", hist) == 0
    )
    assert hist.read_bytes() == first
    assert (
        run(
            src,
            "--preset",
            "avaya-cms-interval",
            "--kind",
            "calls",
            "--interval-minutes",
            30,
            "--history",
            hist,
        )
        == 2
    )


def test_demo_data_then_import_reproduces_history(tmp_path, capsys):
    out = tmp_path / "demo"
    assert (
        main(["demo-data", "--weeks", "1", "--queues", "2", "--seed", "3", "--out", str(out)]) == 0
    )
    assert "calls/week" in capsys.readouterr().out
    for name in ("calls", "history", "calendar", "queues", "agents", "staffing"):
        assert (out / f"{name}.csv").is_file()
    hist = tmp_path / "h.csv"
    assert (
        run(
            out / "calls.csv",
            "--preset",
            "ccops-calls",
            "--interval-minutes",
            30,
            "--history",
            hist,
        )
        == 0
    )
    assert hist.read_bytes() == (out / "history.csv").read_bytes()
    cal = pd.read_csv(out / "calendar.csv")
    assert list(cal.columns) == ["date", "kind", "name"]
    assert main(["demo-data", "--weeks", "0", "--out", str(out)]) == 2


@pytest.mark.realdata
def test_real_month_import(anonymous_bank_dir, tmp_path):
    hist = tmp_path / "h.csv"
    src = anonymous_bank_dir / "anonymous_bank_1999-01.csv.gz"
    assert run(src, "--preset", "anonymous-bank", "--interval-minutes", 30, "--history", hist) == 0
    df = read_history_csv(hist)
    assert df.answered.sum() == 27_060
    assert df.interval_start.dt.normalize().nunique() == 29  # January 11 and 12 are missing


def test_partial_day_keeps_the_earlier_intervals_outside_the_files_span(tmp_path, capsys):
    """The afternoon of a day imported after its morning does not zero the morning."""
    hist = tmp_path / "h.csv"
    morning = ab_file(tmp_path, AB_ROWS[:1], name="morning.csv")
    afternoon_row = AB_ROWS[0].replace("7:0", "15:0").replace(",1,0,2,", ",9,0,2,")
    afternoon = ab_file(tmp_path, [afternoon_row], name="afternoon.csv")
    for path in (morning, afternoon):
        assert (
            run(path, "--preset", "anonymous-bank", "--interval-minutes", 30, "--history", hist)
            == 0
        )
    out = capsys.readouterr().out
    assert "earlier intervals kept outside the files' time span: 1" in out
    assert "intervals replaced with other values: 1" in out  # 15:00, 0 calls before
    df = read_history_csv(hist)
    by_time = df.set_index(df["interval_start"].dt.strftime("%H:%M"))["calls"]
    assert by_time["07:00"] == 1 and by_time["15:00"] == 1 and df.calls.sum() == 2


def test_a_bad_value_is_quoted_short_and_twenty_are_listed(tmp_path, capsys):
    rows = [r.replace(",17,AGENT", f",x{i},AGENT") for i, r in enumerate(AB_ROWS[:1] * 25)]
    rows[0] = rows[0].replace("MICHAL", "M" * 300)
    src = ab_file(tmp_path, rows)
    hist = tmp_path / "h.csv"
    assert run(src, "--preset", "anonymous-bank", "--interval-minutes", 30, "--history", hist) == 2
    err = capsys.readouterr().err
    assert "25 bad values; the first 20 are listed" in err and "… and 5 more" in err
    assert "300 characters" in err and "M" * 61 not in err and not hist.exists()
