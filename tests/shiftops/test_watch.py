"""Late or missing handovers on the supervisors' home page; briefings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ccops.core import audit
from ccops.core.testing import build_world
from ccops.shiftops import services
from ccops.shiftops.models import HandoverTime
from tests.shiftops.helpers import handover, signed_handover

pytestmark = pytest.mark.django_db


def _shift_change(w, local_time: dt.time, grace=30):
    with audit.acting_as(None, via=audit.VIA_SYSTEM):
        return HandoverTime.objects.create(
            site=w.site, time=local_time, name="Morning change", grace_minutes=grace
        )


def test_missing_unsigned_and_late_handovers_are_found():
    w = build_world()
    zone = w.site.zone
    now = timezone.now()
    expected_local = (now - dt.timedelta(hours=3)).astimezone(zone).replace(second=0, microsecond=0)
    _shift_change(w, expected_local.time())
    expected = expected_local.astimezone(dt.UTC)
    [row] = services.handover_watch(sites=[w.site], now=now)
    assert row.status == "missing" and row.expected_at == expected and row.handover is None
    h = handover(w, when=expected)
    [row] = services.handover_watch(sites=[w.site], now=now)
    assert row.status == "unsigned" and row.handover == h
    # Signed well after the grace period: late.
    signed = signed_handover(w, when=expected + dt.timedelta(minutes=1))
    h.archive()
    rows = services.handover_watch(sites=[w.site], now=now)
    assert [r.status for r in rows] == ["late"] and rows[0].handover == signed
    # Before the grace period has passed, nothing is reported yet.
    assert services.handover_watch(sites=[w.site], now=expected + dt.timedelta(minutes=10)) == []


def test_handover_signed_on_time_is_not_reported():
    w = build_world()
    now = timezone.now()
    expected_local = (now - dt.timedelta(minutes=2)).astimezone(w.site.zone)
    _shift_change(w, expected_local.replace(second=0, microsecond=0).time(), grace=5)
    signed_handover(w, when=expected_local)
    assert services.handover_watch(sites=[w.site], now=now + dt.timedelta(minutes=10)) == []


def test_supervisors_home_page_shows_missing_handovers(client):
    w = build_world()
    now = timezone.now()
    local = (now - dt.timedelta(hours=2)).astimezone(w.site.zone)
    _shift_change(w, local.replace(second=0, microsecond=0).time())
    client.force_login(w.users["operations_supervisor"])
    page = client.get(reverse("home")).text
    assert "panel-shiftopshandover_watch" in page and "no handover" in page
    client.force_login(w.users["agent"])
    assert "panel-shiftopshandover_watch" not in client.get(reverse("home")).text


def test_handover_waiting_for_my_signature_on_my_home_page(client):
    w = build_world()
    h = handover(w)
    client.force_login(w.users["group_manager"])
    page = client.get(reverse("home")).text
    assert "panel-shiftopshandovers_to_sign" in page and h.get_absolute_url() in page
    client.force_login(w.users["agent"])  # incoming: only after the outgoing side signed
    assert "panel-shiftopshandovers_to_sign" not in client.get(reverse("home")).text


def test_briefing_records_attendees_topics_problems_and_questions(client):
    w = build_world()
    client.force_login(w.users["group_manager"])
    response = client.post(
        reverse("shiftops:briefing_add"),
        {
            "site": w.site.pk,
            "team": w.group1.pk,
            "kind": "pre_shift",
            "held_at": "2026-11-27T08:50",
            "led_by": w.employees["group_manager"].pk,
            "attendees": [w.employees["agent"].pk],
            "topics": "New card fees",
            "problems_raised": "Headset 4 crackles",
            "questions_asked": "When do fees apply?",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    briefing = w.employees["agent"].briefings.get()
    assert briefing.problems_raised == "Headset 4 crackles"
    assert briefing.held_at.astimezone(w.site.zone).hour == 8
    client.force_login(w.users["agent"])
    page = client.get(briefing.get_absolute_url())
    assert page.status_code == 200 and w.employees["agent"].full_name in page.text
    client.force_login(w.other_agent)
    assert client.get(briefing.get_absolute_url()).status_code == 404


def test_handover_and_meeting_pages_in_chinese(client):
    from tests.meetings.helpers import meeting

    w = build_world()
    h = handover(w)
    m = meeting(w)
    client.force_login(w.users["group_manager"])
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    page = client.get(h.get_absolute_url()).text
    assert "检查表" in page and "以交班方签字" in page and "向接班人员的提问" in page
    assert "迟交或缺失的交接班" not in client.get(reverse("home")).text  # not a supervisor
    client.force_login(w.users["quality_supervisor"])
    assert "以往会议仍未关闭的待办事项" in client.get(m.get_absolute_url()).text
    assert "迟交或缺失的交接班" in client.get(reverse("home")).text
