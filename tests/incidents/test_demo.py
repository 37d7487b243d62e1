"""The demo builder: the manual's playbooks, two archived faults, one open incident."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ccops.incidents.demo import build_demo_incidents
from ccops.incidents.models import FaultRecord, Incident, SurgePlan
from ccops.people.demo import build_demo_center

pytestmark = pytest.mark.django_db


def test_demo_incidents(client):
    today = timezone.localdate()
    report = build_demo_center(weeks=1, today=today)
    assert build_demo_incidents(site=report.site, today=today) == 3
    assert build_demo_incidents(site=report.site, today=today) == 0
    assert sorted(Incident.objects.values_list("status", flat=True)) == [
        "active",
        "closed",
        "closed",
    ]
    faults = FaultRecord.objects.filter(signed_at__isnull=False)
    assert faults.count() == 2
    billing = faults.get(incident__kind="billing")
    # (the interval history comes with the workforce demo, not built here)
    assert billing.downtime_minutes == 90 and billing.calls_answered == 0
    assert SurgePlan.objects.count() == 4
    client.force_login(Incident.objects.first().declared_by)
    for incident in Incident.objects.all():
        assert client.get(incident.get_absolute_url()).status_code == 200
