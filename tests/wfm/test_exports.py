"""The schedule Excel export neutralises formulas in every cell (the coverage CSV has only
times and numbers, and goes through the same ``safe_row``)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ccops.core.exports import FORMULA_PREFIXES
from tests.wfm.helpers import next_monday, publish_week

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://x.example","click")'


def _world_with_evil_names():
    from ccops.core.testing import build_world

    world = build_world()
    agent = world.employees["agent"]
    type(agent).objects.filter(pk=agent.pk).update(full_name=EVIL, employee_number="-42")
    type(world.queue).objects.filter(pk=world.queue.pk).update(name="@queue")
    agent.refresh_from_db()
    world.queue.refresh_from_db()
    schedule, _ = publish_week(world, next_monday(), {agent: [(0, 9, 8), (1, 9, 8)]})
    return world, schedule


def test_schedule_excel_cells_never_start_a_formula(client):
    world, schedule = _world_with_evil_names()
    client.force_login(world.users["operations_supervisor"])
    response = client.get(reverse("wfm:schedule_export_xlsx", args=[schedule.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    by_agent = list(book["By agent"].iter_rows(values_only=True))
    assert ("'-42", "'" + EVIL) in {row[:2] for row in by_agent}
    by_day = list(book["By day"].iter_rows(values_only=True))
    assert {row[4] for row in by_day[1:]} == {"'" + EVIL} and by_day[1][6] == "'@queue"
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                assert not (isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES))
