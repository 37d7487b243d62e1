import csv
import json

import numpy as np
import pytest

from ccops.cli import main
from ccops.engine.schedule.rules import RosterSettings, RosterShift, check_roster

TEMPLATES = """
sets:
  normal:
    - name: early
      start_earliest: "07:00"
      start_latest: "09:00"
      length_minutes: 510
      breaks:
        - {name: break, length_minutes: 15, earliest_after_start_minutes: 90,
           latest_after_start_minutes: 150}
        - {name: lunch, length_minutes: 30, earliest_after_start_minutes: 210,
           latest_after_start_minutes: 300, paid: false}
    - name: late
      start_earliest: "13:00"
      start_latest: "15:00"
      length_minutes: 480
  emergency:
    - name: long
      start_earliest: "08:00"
      length_minutes: 720
"""


def write_need(path, extra=False, hours=range(8, 20), agents=3):
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            ["interval_start", "queue", "agents"] + (["calls", "aht_seconds"] if extra else [])
        )
        for day in (2, 3):
            for q in range(96):
                h, m = divmod(q * 15, 60)
                need = agents if h in hours else 0
                row = [f"2026-03-0{day}T{h:02d}:{m:02d}", "sales", need]
                w.writerow(row + ([need * 10, 240] if extra else []))


def read(path):
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def files(tmp_path):
    write_need(tmp_path / "need.csv")
    (tmp_path / "shifts.yaml").write_text(TEMPLATES)
    with (tmp_path / "agents.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "agent_id",
                "name",
                "contract_hours_per_week",
                "days_off_per_week",
                "stable_start",
                "leave",
                "unavailable",
                "preferred_start",
            ]
        )
        for i in range(8):
            w.writerow(
                [
                    f"a{i}",
                    f"Agent {i}",
                    40,
                    2,
                    "yes" if i < 2 else "no",
                    "2026-03-03" if i == 0 else "",
                    "2026-03-02T12:00/2026-03-02T23:00" if i == 1 else "",
                    "08:00" if i == 2 else "",
                ]
            )
    return tmp_path


def test_schedule_end_to_end_writes_all_files(files, capsys):
    out = files / "out"
    code = main(
        [
            "schedule",
            "--need",
            str(files / "need.csv"),
            "--shifts",
            str(files / "shifts.yaml"),
            "--agents",
            str(files / "agents.csv"),
            "--out",
            str(out),
            "--time-limit",
            "10",
        ]
    )
    assert code == 0
    shifts = read(out / "shifts.csv")
    assert list(shifts[0]) == [
        "date",
        "period_type",
        "template",
        "start",
        "end",
        "paid_minutes",
        "breaks",
        "agent_id",
        "agent_name",
        "unassigned_reason",
    ]
    coverage = read(out / "coverage.csv")
    assert list(coverage[0]) == ["interval_start", "required", "scheduled"]
    assert len(coverage) == 2 * 96
    summary = json.loads((out / "summary.json").read_text())
    assert summary["understaffed_agent_intervals"] == sum(
        max(0, int(r["required"]) - int(r["scheduled"])) for r in coverage
    )
    assert summary["lp_bound"] <= summary["objective"] + 1e-6
    assert summary["roster"]["hard_rule_violations"] == []
    assert "stage 1:" in capsys.readouterr().out
    # every rostered shift respects the hard rules, checked again from the CSV
    early = [s for s in shifts if s["template"] == "early"]
    assert all("lunch" in s["breaks"] and "(unpaid)" in s["breaks"] for s in early)
    assert {s["agent_id"] for s in shifts if s["date"] == "2026-03-03"}.isdisjoint({"a0"})
    assert all(s["agent_id"] or s["unassigned_reason"] for s in shifts)


def test_emergency_period_type_and_uncoverable_need(files, capsys):
    write_need(files / "need.csv", hours=range(2, 22))
    out = files / "out"
    assert (
        main(
            [
                "schedule",
                "--need",
                str(files / "need.csv"),
                "--shifts",
                str(files / "shifts.yaml"),
                "--period-type",
                "emergency",
                "--out",
                str(out),
                "--time-limit",
                "5",
            ]
        )
        == 0
    )
    summary = json.loads((out / "summary.json").read_text())
    assert {s["template"] for s in read(out / "shifts.csv")} == {"long"}
    assert summary["uncovered"][0]["from"] == "2026-03-02T02:00"
    assert "no shift template" in summary["uncovered"][0]["reason"]
    assert "not covered" in capsys.readouterr().out


def test_user_errors_exit_2_with_the_place(files, capsys):
    (files / "bad.yaml").write_text("templates:\n  - name: x\n    length_minutes: 60\n")
    code = main(
        [
            "schedule",
            "--need",
            str(files / "need.csv"),
            "--shifts",
            str(files / "bad.yaml"),
            "--out",
            str(files / "o"),
        ]
    )
    assert code == 2
    assert "template 'x': missing field 'start_earliest'" in capsys.readouterr().err
    code = main(
        [
            "schedule",
            "--need",
            str(files / "need.csv"),
            "--shifts",
            str(files / "shifts.yaml"),
            "--period-type",
            "billing_period",
            "--out",
            str(files / "o"),
        ]
    )
    assert code == 2 and "billing_period" in capsys.readouterr().err
    (files / "need2.csv").write_text("interval_start,agents\n2026-03-02T08:00,x\n")
    code = main(
        [
            "schedule",
            "--need",
            str(files / "need2.csv"),
            "--shifts",
            str(files / "shifts.yaml"),
            "--out",
            str(files / "o"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and "line 2" in err and "'agents'" in err


def test_projected_service_level_column(files):
    # the only test that waits for the queueing engine (written on another branch)
    pytest.importorskip("ccops.engine.queueing")
    write_need(files / "need.csv", extra=True)
    out = files / "out"
    assert (
        main(
            [
                "schedule",
                "--need",
                str(files / "need.csv"),
                "--shifts",
                str(files / "shifts.yaml"),
                "--out",
                str(out),
                "--time-limit",
                "5",
                "--shrinkage",
                "0.1",
            ]
        )
        == 0
    )
    rows = read(out / "coverage.csv")
    assert "projected_service_level" in rows[0]
    busy = [r for r in rows if int(r["required"]) > 0]
    assert all(0 <= float(r["projected_service_level"]) <= 1 for r in busy)
    assert all(r["projected_service_level"] == "" for r in rows if int(r["required"]) == 0)


def test_checker_is_shared_with_the_cli_output(files):
    # the independent checker flags a hand-made clash the CLI would never write
    s = RosterShift(0, 480, 480)
    t = RosterShift(600, 1080, 480)
    from ccops.engine.schedule.rules import Agent

    assert check_roster([("a", s), ("a", t)], [Agent("a")], 1, RosterSettings())


def test_staff_output_and_calendar_choose_need_column_and_sets(files):
    # `ccops staff` output (its calls columns left out: they need the queueing engine,
    # which test_projected_service_level_column covers): scheduled_agents is the need,
    # and two queues add up
    with (files / "staff.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "interval_start",
                "queue",
                "agents",
                "service_level",
                "asa_seconds",
                "abandon_rate",
                "occupancy",
                "scheduled_agents",
            ]
        )
        for day in (2, 3):
            for q in range(32, 80):
                h, m = divmod(q * 15, 60)
                for queue in ("sales", "care"):
                    w.writerow([f"2026-03-0{day}T{h:02d}:{m:02d}", queue, 1, 0.8, 10, 0, 0.7, 2])
    (files / "calendar.csv").write_text("date,period_type\n2026-03-03,emergency\n")
    out = files / "out"
    assert (
        main(
            [
                "schedule",
                "--need",
                str(files / "staff.csv"),
                "--shifts",
                str(files / "shifts.yaml"),
                "--calendar",
                str(files / "calendar.csv"),
                "--out",
                str(out),
                "--time-limit",
                "5",
            ]
        )
        == 0
    )
    summary = json.loads((out / "summary.json").read_text())
    assert summary["need_column"] == "scheduled_agents"
    assert summary["period_types"] == ["emergency", "normal"]
    # two queues: one plan for both, coverage per queue and interval
    assert summary["queues"] == ["sales", "care"]
    coverage = read(out / "coverage.csv")
    at_ten = [r for r in coverage if r["interval_start"].endswith("T10:00")]
    assert {(r["queue"], int(r["required"])) for r in at_ten} == {("sales", 2), ("care", 2)}
    by_date = {}
    for s in read(out / "shifts.csv"):
        by_date.setdefault(s["date"], set()).add((s["period_type"], s["template"]))
    assert by_date["2026-03-03"] == {("emergency", "long")}
    assert all(kind == "normal" for kind, _ in by_date["2026-03-02"])


def test_bad_agents_file_names_line_and_column(files, capsys):
    (files / "agents.csv").write_text(
        "agent_id,contract_hours_per_week,stable_start\na1,40,maybe\n"
    )
    code = main(
        [
            "schedule",
            "--need",
            str(files / "need.csv"),
            "--shifts",
            str(files / "shifts.yaml"),
            "--agents",
            str(files / "agents.csv"),
            "--out",
            str(files / "o"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "agents.csv, line 2, column 'stable_start', value 'maybe': expected yes or no" in err


def test_special_days_calendar_of_the_forecast_picks_sets(files):
    (files / "calendar.csv").write_text(
        "date,kind,name\n2026-03-02,holiday,Spring day\n2026-03-03,holiday,\n"
        "2026-03-03,emergency,Outage at the bank\n"
    )
    out = files / "out"
    assert (
        main(
            [
                "schedule",
                "--need",
                str(files / "need.csv"),
                "--shifts",
                str(files / "shifts.yaml"),
                "--calendar",
                str(files / "calendar.csv"),
                "--out",
                str(out),
                "--time-limit",
                "5",
            ]
        )
        == 0
    )
    kinds = {(s["date"], s["period_type"]) for s in read(out / "shifts.csv")}
    assert kinds == {("2026-03-02", "normal"), ("2026-03-03", "emergency")}


def _with_shrinkage(path, shares, calls=None):
    """Rewrite a need file with a shrinkage column: ``shares`` per queue name."""
    rows = read(path)
    if calls is not None:
        for row in rows:
            row["calls"] = calls if int(row["agents"]) else "0"
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=[*rows[0], "shrinkage"])
        w.writeheader()
        for row in rows:
            for queue, share in shares.items():
                w.writerow({**row, "queue": queue, "shrinkage": share})


def test_need_file_shrinkage_is_read_and_weighted_by_need(files):
    from ccops.engine.schedule.files import read_need

    path = files / "need.csv"
    write_need(path, extra=True)
    _with_shrinkage(path, {"sales": "0.2", "billing": "0.4"})
    need = read_need(path)
    busy = need.agents > 0
    # two queues of 3 agents each: the interval's share is their need-weighted mean
    assert need.agents[busy].min() == 6
    np.testing.assert_allclose(need.shrinkage[busy], 0.3)
    # quiet intervals take the file's largest share (no calls to project there)
    np.testing.assert_allclose(need.shrinkage[~busy], 0.4)


def test_projection_uses_the_need_file_shrinkage_unless_the_flag_overrides(files):
    pytest.importorskip("ccops.engine.queueing")
    path = files / "need.csv"
    write_need(path, extra=True)
    # 4 calls of 240 s in 15 minutes: about one Erlang for 3 scheduled heads
    _with_shrinkage(path, {"sales": "0.5"}, calls="4")
    found = {}
    for label, flag in (("file", []), ("flag", ["--shrinkage", "0"])):
        out = files / label
        args = ["schedule", "--need", str(path), "--shifts", str(files / "shifts.yaml")]
        assert main([*args, "--out", str(out), "--time-limit", "3", *flag]) == 0
        summary = json.loads((out / "summary.json").read_text())
        found[label] = summary["projected_service_level"]
    assert found["file"]["shrinkage"] == 0.5
    assert found["flag"]["shrinkage"] == 0
    # with half the heads off the phones one agent is left for about one Erlang
    assert found["file"]["calls_weighted"] < 0.5 < found["flag"]["calls_weighted"]


def test_bad_shrinkage_in_the_need_file_names_line_and_value(files, capsys):
    path = files / "need.csv"
    write_need(path)
    _with_shrinkage(path, {"sales": "1.2"})
    code = main(
        [
            "schedule",
            "--need",
            str(path),
            "--shifts",
            str(files / "shifts.yaml"),
            "--out",
            str(files / "out"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and "line 2" in err and "shrinkage" in err and "1.2" in err


def _with_model(path, **columns):
    """Rewrite a need file with model columns (``model="erlang_a"`` ...)."""
    rows = read(path)
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=[*rows[0], *columns])
        w.writeheader()
        for row in rows:
            w.writerow({**row, **columns})


def test_projection_uses_the_model_the_need_file_names(files, capsys):
    from ccops.engine.queueing import performance

    path = files / "need.csv"
    write_need(path, extra=True)
    _with_model(path, model="erlang_a", patience_seconds="90")
    args = ["schedule", "--need", str(path), "--shifts", str(files / "shifts.yaml")]
    found = {}
    for label, flag in (
        ("file", []),
        ("c", ["--model", "erlang-c"]),
        ("sim", ["--model", "simulation", "--replications", "4", "--service-sigma", "0.8"]),
    ):
        out = files / label
        assert main([*args, "--out", str(out), "--time-limit", "3", *flag]) == 0
        found[label] = (
            json.loads((out / "summary.json").read_text())["projected_service_level"],
            read(out / "coverage.csv"),
        )
    summary, rows = found["file"]
    assert summary["model"] == "erlang_a" and "patience 90 s" in summary["model_inputs"]
    row = next(r for r in rows if int(r["required"]) > 0 and int(r["scheduled"]) > 0)
    expected = performance(
        int(row["scheduled"]), int(row["required"]) * 10, 240, 900,
        answer_within_seconds=20, model="erlang_a", patience_seconds=90,
    )  # fmt: skip
    assert float(row["projected_service_level"]) == pytest.approx(
        float(expected.service_level), abs=1e-4
    )
    assert found["c"][0]["model"] == "erlang_c"
    sim_summary, sim_rows = found["sim"]
    assert sim_summary["model"] == "simulation" and "lognormal" in sim_summary["model_inputs"]
    busy = [r for r in sim_rows if r["projected_service_level"]]
    assert all(
        float(r["projected_service_level_low"])
        <= float(r["projected_service_level"])
        <= float(r["projected_service_level_high"])
        for r in busy
    )
    _with_model(path, model="erlang_x")
    assert main([*args, "--out", str(files / "bad")]) == 2
    assert "erlang_x" in capsys.readouterr().err


def test_project_service_level_models():
    from ccops.engine.queueing import performance
    from ccops.engine.schedule.projection import project_service_level, projected_service_level
    from ccops.engine.simulate import PatienceDistribution

    heads = np.array([0, 30, 30, 30, 30, 30, 30, 30, 30, 0] * 20, dtype=float)
    calls = np.where(heads > 0, 100.0, 0.0)
    aht = np.full(heads.size, 180.0)
    kw = {"shrinkage": 0.25, "answer_within_seconds": 20}
    c = project_service_level(heads, calls, aht, 15, **kw)
    assert np.array_equal(c.service_level, projected_service_level(heads, calls, aht, 15, **kw),
                          equal_nan=True)  # fmt: skip
    assert c.productive_agents[1] == 22 and np.isnan(c.service_level[0])
    a = project_service_level(heads, calls, aht, 15, model="erlang_a", patience_seconds=120, **kw)
    exact = performance(22, 100, 180, 900, answer_within_seconds=20, model="erlang_a",
                        patience_seconds=120)  # fmt: skip
    assert a.service_level[1] == pytest.approx(float(exact.service_level))
    s = project_service_level(
        heads, calls, aht, 15, model="simulation",
        patience=PatienceDistribution.exponential(120), replications=10, **kw,
    )  # fmt: skip
    assert s.calls_weighted(calls) == pytest.approx(a.calls_weighted(calls), abs=0.03)
    with pytest.raises(ValueError, match="model"):
        project_service_level(heads, calls, aht, 15, model="erlang_x", **kw)
    with pytest.raises(ValueError, match="patience_seconds"):
        project_service_level(heads, calls, aht, 15, model="erlang_a", **kw)


def test_simulated_projection_pools_days_with_a_confidence_interval():
    from ccops.engine.schedule.projection import pooled_level, project_service_level
    from ccops.engine.simulate import ServiceDistribution

    heads = np.zeros(96)
    heads[36:68], heads[32:36], heads[68:80] = 2, 1, 1
    calls = np.where(np.arange(96) // 4 % 24 >= 8, 4.0, 0.0) * (np.arange(96) < 80)
    aht = np.full(96, 300.0)
    kw = {"shrinkage": 0.0, "answer_within_seconds": 20, "model": "simulation", "seed": 3}
    ln = project_service_level(
        heads, calls, aht, 15, service=ServiceDistribution.lognormal(1.27), **kw
    )
    again = project_service_level(
        heads, calls, aht, 15, service=ServiceDistribution.lognormal(1.27), **kw
    )
    assert np.array_equal(ln.replication_service_level, again.replication_service_level,
                          equal_nan=True)  # fmt: skip
    assert ln.replication_service_level.shape == (20, 96)
    sums = ln.replication_sums(calls)
    mean, low, high = pooled_level(sums, 0.0, calls.sum())
    # the pooled mean is the calls-weighted mean of the intervals' means
    assert mean == pytest.approx(ln.calls_weighted(calls))
    assert low < mean < high
    # another shape, another level; another seed, other runs
    ex = project_service_level(heads, calls, aht, 15, service=ServiceDistribution.exponential(),
                               **kw)  # fmt: skip
    assert abs(ex.calls_weighted(calls) - mean) > 0.02
    other = project_service_level(
        heads, calls, aht, 15, service=ServiceDistribution.lognormal(1.27), **{**kw, "seed": 4}
    )
    assert not np.array_equal(other.replication_sums(calls), sums)
    # Erlang parts add their calls-weighted sum without sampling error
    both = pooled_level(sums, 0.5 * 100, calls.sum() + 100)
    assert both[0] == pytest.approx((sums.mean() + 50) / (calls.sum() + 100))
    assert both[2] - both[1] < high - low
    erlang = project_service_level(heads, calls, aht, 15, shrinkage=0, answer_within_seconds=20)
    assert erlang.replication_sums(calls) is None
    assert pooled_level([], 0.0, 0.0) is None
    assert pooled_level([], 40.0, 50.0) == (0.8, 0.8, 0.8)


def test_projection_takes_the_service_cv_a_staffing_plan_names(files, capsys):
    path = files / "need.csv"
    write_need(path, extra=True)
    args = ["schedule", "--need", str(path), "--shifts", str(files / "shifts.yaml"),
            "--time-limit", "3", "--model", "simulation", "--replications", "4"]  # fmt: skip
    sigma = float(np.sqrt(np.log(5.0)))  # the lognormal of CV 2
    found = {}
    for label, flag in (("cv", ["--service-cv", "2"]), ("sigma", ["--service-sigma", str(sigma)])):
        assert main([*args, "--out", str(files / label), *flag]) == 0
        found[label] = (
            json.loads((files / label / "summary.json").read_text())["projected_service_level"],
            read(files / label / "coverage.csv"),
        )
    assert "CV 2.00" in found["cv"][0]["model_inputs"]
    assert found["cv"] == found["sigma"]  # the same shape, the same seed: the same figures
    with pytest.raises(SystemExit):
        main([*args, "--out", str(files / "bad"), "--service-cv", "0"])
    assert "coefficient of variation is a number above 0" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main([*args, "--out", str(files / "bad"), "--service-cv", "2", "--service-sigma", "1"])
    assert "not allowed with argument" in capsys.readouterr().err
