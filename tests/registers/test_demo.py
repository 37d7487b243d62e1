"""The demo builders fill every register and the process register, once, in both
languages' texts."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from ccops.meetings.demo import build_demo_meetings
from ccops.people.demo import build_demo_center
from ccops.processes.demo import build_demo_processes
from ccops.processes.models import ImprovementProject, Process
from ccops.registers.demo import build_demo_registers
from ccops.registers.models import (
    AreaAccess,
    AreaAccessReview,
    CleaningDuty,
    ConfidentialDocument,
    CustodyHandover,
    DisclosureRequest,
    LeakReport,
    Visit,
)

pytestmark = pytest.mark.django_db


def test_demo_registers_and_processes(client):
    today = timezone.localdate()
    report = build_demo_center(weeks=1, today=today)
    build_demo_meetings(site=report.site, today=today)
    assert build_demo_registers(site=report.site, today=today) == 5
    assert build_demo_processes(site=report.site, today=today) == 4
    assert set(Visit.objects.values_list("status", flat=True)) == {
        "on_site",
        "approved",
        "awaiting",
        "left",
    }
    assert AreaAccess.objects.filter(status="awaiting").exists()
    assert AreaAccessReview.objects.filter(signed_at__isnull=False).count() == 1
    statuses = set(DisclosureRequest.objects.values_list("status", flat=True))
    assert statuses == {"closed", "verified", "received"}
    assert ConfidentialDocument.objects.count() == 4
    assert CustodyHandover.objects.filter(signed_at__isnull=False).count() == 1
    assert LeakReport.objects.filter(status="investigating").count() == 1
    assert CleaningDuty.objects.filter(signed_at__isnull=False).exists()
    assert Process.objects.count() == 4
    assert {p.step for p in ImprovementProject.objects.all()} >= {2, 6}
    assert ImprovementProject.objects.filter(status="completed").count() == 1
    # texts people read in the demo's language (English when built without ccops demo's
    # --language; ccops.core.demotext)
    assert str(AreaAccess.objects.first().area) == "Machine room (MR-1)"
    assert build_demo_registers(site=report.site, today=today) == 0
    assert build_demo_processes(site=report.site, today=today) == 0
    # the pages of the demo render in Chinese for the roles that use them
    for user, url in (
        ("general_supervisor", reverse("registers:disclosurerequest_list")),
        ("group_manager", reverse("registers:visit_on_site")),
        ("operations_supervisor", reverse("processes:improvementproject_board")),
        ("center_director", reverse("home")),
    ):
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.get(username=user))
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert page.status_code == 200, (user, url)
        client.cookies["ccops_language"] = "zh-hans"
        page = client.get(url)
        assert page.status_code == 200 and '<html lang="zh-hans">' in page.text
