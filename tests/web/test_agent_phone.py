"""The agent's day on a phone (issue 18 point 7): a short menu holding only what an agent
uses, folded into one button at 390 px; my schedule as day cards; clock-in one tap from the
home page; filter drop-downs that list only what the agent may see."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ccops.core.navigation import menu_for
from ccops.core.testing import PASSWORD, build_world
from ccops.shiftops.models import AttendanceRecord
from ccops.wfm import services
from tests.web.test_browser import browser, screenshot_dir  # noqa: F401  (the module's Chromium fixture)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _shift_now(w):
    """A published shift of the agent that accepts a clock-in now."""
    ops = w.users["operations_supervisor"]
    now = timezone.now()
    week = timezone.localdate(now, w.site.zone)
    week -= timedelta(days=week.weekday())
    schedule = services.schedule_create(site=w.site, week_start=week, actor=ops)
    start = now.replace(second=0, microsecond=0) + timedelta(minutes=5)
    services.shift_add(
        schedule=schedule,
        employee=w.employees["agent"],
        start=start,
        end=start + timedelta(hours=4),
        queue=w.queue,
        actor=ops,
    )
    services.schedule_publish(schedule=schedule, actor=ops, confirm=True)


@pytest.mark.django_db
def test_the_agents_menu_holds_their_day_and_a_managers_does_not_shrink():
    w = build_world()
    agent = {i["name"] for s in menu_for(w.users["agent"]) for i in s["items"]}
    assert {"wfm:my_schedule", "shiftops:attendance_clock", "knowledge:search"} <= agent
    assert not agent & {"core:site_list", "people:employee_list", "registers:leakreport_list"}
    assert len(agent) <= 20
    manager = {i["name"] for s in menu_for(w.users["group_manager"]) for i in s["items"]}
    assert "people:employee_list" in manager and len(manager) > len(agent)


@pytest.mark.django_db
def test_filter_drop_downs_list_only_what_the_reader_may_see(client):
    w = build_world()
    # the agent's evaluations: the "agent" drop-down holds the agent only
    url = reverse("quality:evaluation_list")
    client.force_login(w.users["agent"])
    page = client.get(url).content.decode()
    mine = w.employees["agent"]
    others = [e for slug, e in w.employees.items() if slug != "agent"]
    assert f">{mine}<" in page or f">{mine.full_name}" in page
    assert not [e.full_name for e in others if f">{e}<" in page]
    client.force_login(w.users["quality_supervisor"])
    page = client.get(url).content.decode()
    assert f">{others[-1]}<" in page


@pytest.mark.django_db
def test_clock_in_is_one_tap_from_the_home_page(client):
    w = build_world()
    _shift_now(w)
    client.force_login(w.users["agent"])
    home = client.get(reverse("home")).content.decode()
    assert 'id="home-clock-in"' in home
    response = client.post(reverse("shiftops:attendance_clock"), {"action": "in", "next": "home"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert AttendanceRecord.objects.filter(
        employee=w.employees["agent"], clock_in__isnull=False
    ).exists()
    home = client.get(reverse("home")).content.decode()
    assert 'id="home-clock-in"' not in home and reverse("shiftops:attendance_clock") in home


@pytest.mark.browser
def test_an_agent_on_a_phone(browser, live_server, tmp_path):  # noqa: F811
    w = build_world()
    _shift_now(w)
    shots = screenshot_dir()
    shots.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", w.users["agent"].username)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("form.loginform button[type=submit]")
        with page.expect_navigation():
            page.select_option("#language-select", "zh-hans")
        # the menu is folded into one button
        assert not page.locator("#main-menu").is_visible()
        page.screenshot(path=str(shots / "agent-home-390-zh.png"), full_page=True)
        page.click("#menu-toggle")
        assert page.locator("#main-menu").is_visible()
        page.click("#menu-toggle")
        # one tap clocks in
        with page.expect_navigation():
            page.click("#home-clock-in button[type=submit]")
        assert "已打卡" in page.content() or "上班打卡" not in page.inner_text("main")
        # my schedule as day cards
        page.goto(f"{live_server.url}/wfm/my/")
        card = page.locator("#my-shifts tbody tr").first
        assert card.evaluate("e => getComputedStyle(e).display") == "block"
        page.screenshot(path=str(shots / "agent-schedule-cards-390-zh.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 400
    finally:
        page.close()
    assert AttendanceRecord.objects.filter(employee=w.employees["agent"]).exists()


@pytest.mark.django_db(transaction=True)
def test_an_agent_asks_for_an_afternoon_off_on_a_phone_in_both_languages(browser, live_server):  # noqa: F811
    from ccops.people import services as people_services
    from ccops.wfm.models import TimeOffRequest

    w = build_world()
    people_services.leave_types_seed(site=w.site, actor=w.users["center_director"])
    w.employees["agent"].hire_date = timezone.localdate() - timedelta(days=3 * 366)
    w.employees["agent"].save()
    shots = screenshot_dir()
    shots.mkdir(parents=True, exist_ok=True)
    day = timezone.localdate(timezone.now(), w.site.zone) + timedelta(days=30)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", w.users["agent"].username)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("form.loginform button[type=submit]")
        for language, label, part in (
            ("en", "afternoon of one day", "afternoon"),
            ("zh-hans", "某一天的上午", "morning"),
        ):
            page.goto(f"{live_server.url}/")
            with page.expect_navigation():
                page.select_option("#language-select", language)
            page.goto(f"{live_server.url}{reverse('wfm:timeoffrequest_add')}")
            radio = page.locator(f"input[name=span][value={part}]")
            assert label in page.inner_text("main")
            radio.check()
            page.fill("#id_start", f"{day.isoformat()}T09:00")
            page.screenshot(path=str(shots / f"agent-half-day-390-{language}.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= 400
            with page.expect_navigation():
                page.click("form.form button[type=submit]")
            assert "/wfm/time-off/add/" not in page.url, page.inner_text("main")[:1500]
            assert ("afternoon" if language == "en" else "上午") in page.inner_text("main")
            day += timedelta(days=1)
            while day.weekday() >= 5:
                day += timedelta(days=1)
    finally:
        page.close()
    parts = sorted(TimeOffRequest.objects.values_list("day_part", "days"))
    assert [p for p, _ in parts] == ["afternoon", "morning"] and all(d == 0.5 for _, d in parts)
