"""The demo builder adds a month of evaluations, calibrations, the quarter's test and last
month's released scorecards, once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ccops.people.demo import build_demo_center
from ccops.quality.demo import build_demo_quality
from ccops.quality.models import CalibrationSession, Evaluation, ScorecardMonth, TestAttempt
from ccops.shiftops.demo import build_demo_shiftops
from ccops.wfm.demo import _demo_call_records
from ccops.wfm.models import CallRecord

pytestmark = pytest.mark.django_db


def test_demo_quality_once():
    today = timezone.localdate()
    report = build_demo_center(weeks=7, today=today)
    _demo_call_records(report.site, report.queues, report.call_records, today)
    assert CallRecord.objects.filter(site=report.site, employee__user__username="agent").exists()
    build_demo_shiftops(site=report.site, today=today)
    made = build_demo_quality(site=report.site, today=today)
    last = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    assert made["month"] == last and made["evaluations"] > 20 and made["stats_signed"]
    assert Evaluation.objects.filter(status="released", plan__month=last).count() > 20
    assert Evaluation.objects.filter(status="disputed").count() == 1
    assert CalibrationSession.objects.filter(status="closed").get().alpha is not None
    sheet = ScorecardMonth.objects.get(site=report.site, month=last)
    assert sheet.status == "released" and made["scorecards"] > 20
    assert TestAttempt.objects.filter(status="marked").count() == made["scorecards"]
    assert build_demo_quality(site=report.site, today=today) is None
