"""The README's planning run, end to end on a small synthetic center, with the shipped
example shift templates: demo-data -> forecast -> staff -> schedule."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from ccops.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _header(path: Path) -> list[str]:
    with path.open(newline="") as handle:
        return next(csv.reader(handle))


def test_readme_planning_run_with_the_example_templates(tmp_path, capsys):
    data = tmp_path / "demo"
    assert (
        main(
            [
                "demo-data",
                "--weeks",
                "3",
                "--queues",
                "1",
                "--seed",
                "3",
                "--interval-minutes",
                "15",
                "--out",
                str(data),
            ]
        )
        == 0
    )
    forecast = tmp_path / "forecast.csv"
    assert (
        main(
            [
                "forecast",
                "--history",
                str(data / "history.csv"),
                "--horizon-days",
                "7",
                "--calendar",
                str(data / "calendar.csv"),
                "--out",
                str(forecast),
            ]
        )
        == 0
    )
    staff = tmp_path / "staff.csv"
    assert (
        main(
            [
                "staff",
                "--forecast",
                str(forecast),
                "--service-level",
                "0.8",
                "--answer-within",
                "20",
                "--model",
                "erlang-a",
                "--patience",
                "120",
                "--max-occupancy",
                "0.85",
                "--shrinkage",
                "0.3",
                "--out",
                str(staff),
            ]
        )
        == 0
    )
    assert "scheduled_agents" in _header(staff)
    out = tmp_path / "schedule"
    assert (
        main(
            [
                "schedule",
                "--need",
                str(staff),
                "--shifts",
                str(EXAMPLES / "shifts.yaml"),
                "--out",
                str(out),
                "--time-limit",
                "4",
            ]
        )
        == 0
    )
    assert {"interval_start", "required", "scheduled", "projected_service_level"} <= set(
        _header(out / "coverage.csv")
    )
    summary = json.loads((out / "summary.json").read_text())
    with (out / "shifts.csv").open(newline="") as handle:
        shifts = list(csv.DictReader(handle))
    assert shifts, "the example templates must produce shifts for the synthetic need"
    assert {row["template"] for row in shifts} <= {"day-8.5h", "late-8.5h", "part-time-4h"}
    assert summary["lp_bound"] <= summary["objective"]
    # the shrinkage of `ccops staff` travels with its output into the projection
    assert summary["projected_service_level"]["shrinkage"] == 0.3


def test_every_period_set_of_the_example_templates_parses():
    from ccops.engine.schedule.templates import load_templates

    library = load_templates(EXAMPLES / "shifts.yaml")
    assert set(library.sets) == {"normal", "billing_period", "emergency"}
