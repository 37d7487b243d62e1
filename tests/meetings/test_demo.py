"""The demo builder adds sample handovers and meetings, once."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ccops.meetings.demo import build_demo_meetings
from ccops.meetings.models import ActionItem, Meeting
from ccops.people.demo import build_demo_center
from ccops.shiftops.demo import build_demo_shiftops
from ccops.shiftops.models import Handover

pytestmark = pytest.mark.django_db


def test_demo_handovers_and_meetings():
    today = timezone.localdate()
    report = build_demo_center(weeks=1, today=today)
    assert build_demo_shiftops(site=report.site, today=today) == 1
    assert build_demo_meetings(site=report.site, today=today) == 2
    handover = Handover.objects.get(site=report.site)
    assert handover.is_signed and handover.checks.filter(status="problem").count() == 1
    assert handover.diary_entries.count() == 1
    assert Meeting.objects.filter(site=report.site).count() == 2
    assert [i.is_overdue for i in ActionItem.objects.order_by("due_date")] == [True, False]
    assert build_demo_shiftops(site=report.site, today=today) == 0
    assert build_demo_meetings(site=report.site, today=today) == 0
