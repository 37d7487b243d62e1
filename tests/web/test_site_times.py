"""Times in the site's time zone and people by name, in labels, notifications, pages and the
feed (issue 18, points 1 and 2).

The site is in Asia/Shanghai (UTC+8): a Sunday shift at 07:30 is stored as Saturday 23:30
UTC, a leave for 9 December starts on 8 December 16:00 UTC. Neither UTC date nor clock may
show anywhere a person reads them.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from ccops.core import formats
from ccops.core.models import AuditEntry, Notification
from ccops.core.names import person_name
from ccops.core.testing import build_world
from ccops.wfm import services
from tests.wfm.helpers import next_monday

pytestmark = pytest.mark.django_db


def _next_december_9() -> date:
    today = date.today()
    day = date(today.year, 12, 9)
    return day if day > today + timedelta(days=2) else date(today.year + 1, 12, 9)


@pytest.fixture
def center():
    w = build_world()
    assert w.site.time_zone == "Asia/Shanghai"
    supervisor = w.users["operations_supervisor"]
    week = next_monday()
    while week + timedelta(days=6) == _next_december_9():  # keep the shift and the leave apart
        week += timedelta(days=7)
    sunday = week + timedelta(days=6)
    schedule = services.schedule_create(site=w.site, week_start=week, actor=supervisor)
    start = datetime.combine(sunday, time(7, 30), tzinfo=w.site.zone)
    w.shift = services.shift_add(
        schedule=schedule,
        employee=w.employees["agent"],
        start=start,
        end=start + timedelta(hours=8),
        queue=w.queue,
        actor=supervisor,
    )
    services.schedule_publish(schedule=schedule, actor=supervisor, confirm=True)
    w.sunday = sunday
    day = _next_december_9()
    w.leave_day = day
    w.leave = services.time_off_request(
        employee=w.employees["agent"],
        start=datetime.combine(day, time(0), tzinfo=w.site.zone),
        end=datetime.combine(day + timedelta(days=1), time(0), tzinfo=w.site.zone),
        kind="annual",
        actor=w.users["agent"],
    )
    return w


def test_the_utc_values_are_on_the_other_day(center):
    """The premise: stored in UTC, both fall on the day before."""
    assert center.shift.start.astimezone(formats.resolve_zone("UTC")).strftime("%H:%M") == "23:30"
    assert center.leave.start.astimezone(formats.resolve_zone("UTC")).date() == (
        center.leave_day - timedelta(days=1)
    )


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_labels_read_in_the_site_zone(center, language):
    with translation.override(language):
        shift, leave = str(center.shift), str(center.leave)
    assert f"{center.sunday:%Y-%m-%d} 07:30" in shift and "23:30" not in shift
    assert f"{center.leave_day:%Y-%m-%d}" in leave
    assert f"{center.leave_day - timedelta(days=1):%Y-%m-%d}" not in leave
    # The audit log keeps the label as it was written: the local one.
    reprs = set(
        AuditEntry.objects.filter(action__in=["shift_add", "time_off_request"]).values_list(
            "object_repr", flat=True
        )
    )
    assert any("07:30" in r for r in reprs) and not any("23:30" in r for r in reprs)


def test_notifications_read_in_the_site_zone(center):
    manager = center.users["group_manager"]
    note = Notification.objects.filter(user=manager).latest("pk")
    assert f"{center.leave_day:%Y-%m-%d}" in note.message
    with translation.override("zh-hans"):
        assert f"{center.leave_day:%Y-%m-%d}" in note.text


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_pages_read_in_the_site_zone(client, center, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(center.users["agent"])
    page = client.get(reverse("wfm:my_schedule")).content.decode()
    assert "07:30" in page and "23:30" not in page
    detail = client.get(reverse("wfm:scheduledshift_detail", args=[center.shift.pk]))
    text = detail.content.decode()
    assert f"{center.sunday:%Y-%m-%d} 07:30" in text and "23:30" not in text
    leave = client.get(reverse("wfm:timeoffrequest_detail", args=[center.leave.pk]))
    assert f"{center.leave_day:%Y-%m-%d}" in leave.content.decode()
    assert f"{center.leave_day - timedelta(days=1):%Y-%m-%d}" not in leave.content.decode()


def test_the_calendar_feed_speaks_the_page_language(client, center):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    client.force_login(center.users["agent"])
    client.post(reverse("wfm:calendar_feed_create"))
    url = client.session["wfm_feed_url"]
    assert url.endswith("?lang=zh-hans")
    client.logout()
    feed = Calendar.from_ical(client.get(url[url.index("/wfm/") :]).content)
    assert str(feed["x-wr-calname"]) == "我的班次"
    assert str(feed["x-wr-timezone"]) == "Asia/Shanghai"
    (event,) = [e for e in feed.walk("VEVENT") if str(e["uid"]).startswith("shift-")]
    assert event.decoded("dtstart") == center.shift.start
    assert str(event["summary"]).startswith("班次")


def test_people_not_logins(client, center):
    """Decisions, the audit log and the top bar name the person, not the login."""
    manager = center.users["group_manager"]
    services.time_off_approve(request=center.leave, actor=manager)
    employee = center.employees["group_manager"]
    assert person_name(manager) == employee.full_name
    assert person_name(manager, number=True) == f"{employee.full_name} ({employee.employee_number})"
    entry = AuditEntry.objects.filter(action="time_off_approve").latest("pk")
    assert entry.actor_name == f"{employee.full_name} ({employee.employee_number})"
    client.force_login(center.users["center_director"])
    page = client.get(reverse("wfm:timeoffrequest_detail", args=[center.leave.pk]))
    text = page.content.decode()
    assert employee.full_name in text
    assert f">{manager.username}<" not in text and f" {manager.username} " not in text
    audit = client.get(reverse("core:auditentry_list"), {"actor": manager.username})
    assert entry in audit.context["object_list"]


def test_import_labels_in_chinese():
    from ccops.wfm.import_labels import preset_label, report_label

    with translation.override("zh-hans"):
        assert preset_label("genesys-cloud-interactions").startswith("Genesys Cloud 交互记录")
        assert report_label("rows read") == "读取行数"
        assert report_label("a new count") == "a new count"


def test_a_notification_value_is_translated_when_shown(center):
    """A choice label passed lazily is stored in English and read in the reader's language."""
    from ccops.core.services import notify
    from ccops.quality.choices import DisciplineKind

    with translation.override("zh-hans"):  # the sender reads Chinese
        note = notify(
            user=center.users["agent"],
            message="Discipline record: %(what)s (%(points)s points)",
            params={"what": DisciplineKind.LATENESS.label, "points": "1"},
        )
    assert note.message == "Discipline record: lateness (1 points)"
    with translation.override("en"):
        assert note.text == "Discipline record: lateness (1 points)"
    with translation.override("zh-hans"):
        assert "lateness" not in note.text and "1" in note.text
