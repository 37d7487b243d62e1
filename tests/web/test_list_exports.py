"""Every list exports its filtered rows (all pages) as CSV or Excel, as the page shows them,
with formula prefixes neutralised; the disclosure register, whose reads are all logged, has
no bulk export."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ccops.core.testing import build_world
from ccops.wfm import services

pytestmark = pytest.mark.django_db


def _leave(w, reason, days, employee=None):
    employee = employee or w.employees["agent"]
    start = timezone.now() + timedelta(days=days)
    return services.time_off_request(
        employee=employee,
        start=start,
        end=start + timedelta(hours=8),
        kind="annual",
        reason=reason,
        actor=employee.user,
    )


def test_time_off_exports_the_filtered_rows_of_every_page(client):
    w = build_world()
    for d in range(3):
        _leave(w, f"trip {d}", 10 + d)
    w.other_employee.full_name = '=HYPERLINK("x")'
    w.other_employee.save()
    _leave(w, "wedding", 20, employee=w.other_employee)
    client.force_login(w.users["operations_supervisor"])
    url = reverse("wfm:timeoffrequest_list")
    response = client.get(url, {"export": "csv", "q": "trip"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + 3 and rows[0][0]  # the filter applies
    response = client.get(url, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert len(list(sheet.iter_rows())) == 1 + 4
    # a value that would be a formula is written as text
    assert not [c for c in cells if isinstance(c, str) and c.startswith("=")]
    page = client.get(url).content.decode()
    assert "export=xlsx" in page and "export=csv" in page
    # another agent exports only their own rows, like the page
    client.force_login(w.other_employee.user)
    rows = list(
        csv.reader(io.StringIO(client.get(url, {"export": "csv"}).content.decode("utf-8-sig")))
    )
    assert len(rows) == 2 and rows[1][0].startswith("'=HYPERLINK")  # own row, neutralised


def test_attendance_exports_and_the_disclosure_register_does_not(client):
    w = build_world()
    client.force_login(w.users["operations_supervisor"])
    response = client.get(reverse("shiftops:attendancerecord_list"), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    client.force_login(w.users["center_director"])
    page = client.get(reverse("registers:disclosurerequest_list"), {"export": "csv"})
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
