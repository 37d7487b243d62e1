import json

import pytest

from ccops.engine.io.errors import InputError
from ccops.engine.schedule.templates import load_templates, parse_templates

YAML = """
sets:
  normal:
    - name: early
      start_earliest: "07:00"
      start_latest: "08:00"
      start_step_minutes: 30
      length_minutes: 510
      days: [weekdays]
      breaks:
        - {name: break, length_minutes: 15, earliest_after_start_minutes: 60,
           latest_after_start_minutes: 120}
        - {name: lunch, length_minutes: 30, earliest_after_start_minutes: 180,
           latest_after_start_minutes: 270, paid: false}
  emergency:
    - name: long
      start_earliest: 07:00
      length_minutes: 720
      days: [all]
"""


def test_yaml_sets_load_into_frozen_templates(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(YAML)
    lib = load_templates(path)
    early = lib.templates_for("normal")[0]
    assert early.start_minutes == (420, 450, 480)
    assert early.weekdays == (0, 1, 2, 3, 4)
    assert early.paid_minutes == 480
    assert [b.paid for b in early.breaks] == [True, False]
    # unquoted 07:00 (YAML sexagesimal) is still 7 o'clock
    assert lib.templates_for("emergency")[0].start_earliest_minutes == 420
    with pytest.raises(AttributeError):
        early.length_minutes = 1
    with pytest.raises(ValueError, match="billing_period"):
        lib.templates_for("billing_period")


def test_json_file_with_single_template_list(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(
        json.dumps({"templates": [{"name": "a", "start_earliest": "09:00", "length_minutes": 240}]})
    )
    assert load_templates(path).templates_for("normal")[0].length_minutes == 240


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ({"name": "x", "length_minutes": 60}, "template 'x': missing field 'start_earliest'"),
        ({"name": "x", "start_earliest": "25:00", "length_minutes": 60}, "x'.start_earliest"),
        (
            {"name": "x", "start_earliest": "09:00", "start_latest": "08:00", "length_minutes": 60},
            "x'.start_latest",
        ),
        ({"name": "x", "start_earliest": "09:00", "length_minutes": -5}, "x'.length_minutes"),
        (
            {"name": "x", "start_earliest": "09:00", "length_minutes": 60, "days": ["funday"]},
            "unknown weekday",
        ),
        (
            {"name": "x", "start_earliest": "09:00", "length_minutes": 60, "colour": 1},
            "unknown field 'colour'",
        ),
        (
            {
                "name": "x",
                "start_earliest": "09:00",
                "length_minutes": 120,
                "breaks": [
                    {
                        "name": "b",
                        "length_minutes": 30,
                        "earliest_after_start_minutes": 60,
                        "latest_after_start_minutes": 100,
                    }
                ],
            },
            "would end after the shift",
        ),
        (
            {
                "name": "x",
                "start_earliest": "09:00",
                "length_minutes": 480,
                "breaks": [
                    {
                        "name": "b",
                        "length_minutes": 15,
                        "earliest_after_start_minutes": 60,
                        "latest_after_start_minutes": 120,
                    },
                    {
                        "name": "l",
                        "length_minutes": 30,
                        "earliest_after_start_minutes": 100,
                        "latest_after_start_minutes": 200,
                    },
                ],
            },
            "overlaps the one of 'b'",
        ),
    ],
)
def test_bad_templates_name_template_and_field(template, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(".", r"\.")):
        parse_templates({"templates": [template]}, "t.yaml")


def test_duplicate_names_and_off_grid_times(tmp_path):
    t = {"name": "a", "start_earliest": "09:00", "length_minutes": 60}
    with pytest.raises(InputError, match="'a' is used twice"):
        parse_templates({"templates": [t, t]})
    lib = parse_templates({"templates": [{**t, "start_earliest": "09:10"}]}, "t.yaml")
    with pytest.raises(InputError, match=r"template 'a'.*start_earliest = 550 minutes"):
        lib.check_grid(15)
    bad = tmp_path / "bad.yaml"
    bad.write_text("sets: [unclosed")
    with pytest.raises(InputError, match="not valid YAML"):
        load_templates(bad)
