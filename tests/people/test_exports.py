"""The roster export (a background task, downloaded as CSV) neutralises formulas."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from ccops.core.models import Job
from ccops.core.testing import build_world
from ccops.people import tasks

pytestmark = pytest.mark.django_db


def test_roster_csv_cells_never_start_a_formula(client):
    w = build_world()
    agent = w.employees["agent"]
    type(agent).objects.filter(pk=agent.pk).update(
        full_name='=HYPERLINK("http://x.example","click")', job_title="+1 agent"
    )
    manager = w.users["group_manager"]
    client.force_login(manager)
    client.post(reverse("people:roster_export"))
    job = Job.objects.get(owner=manager)
    tasks.roster_export.call(job_id=job.pk)
    text = client.get(reverse("core:job_download", args=[job.pk])).content.decode()
    rows = {r["employee_number"]: r for r in csv.DictReader(io.StringIO(text))}
    row = rows[agent.employee_number]
    assert row["full_name"] == '\'=HYPERLINK("http://x.example","click")'
    assert row["job_title"] == "'+1 agent"
