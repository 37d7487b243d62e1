"""A real browser (headless Chromium) through the planner's tools: the operations
supervisor opens the agent-by-day grid, checks a move before saving, sees the day timeline,
places a training and compares the new version with the published one (in English); the
agent, at 390 px and in Chinese, sees the training in their shift and gives feedback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ccops.core.testing import PASSWORD
from ccops.wfm import services
from ccops.wfm.models import ScheduleFeedback, ShiftActivity
from tests.web.test_browser import browser  # noqa: F401  (the module's Chromium fixture)
from tests.wfm.test_planner_tools import hand_made_week
from tests.wfm.test_site_schedule import two_queue_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = pytest.mark.browser


def _login(page, url, user, language="en"):
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form.loginform button[type=submit]")
    if language != "en":
        with page.expect_navigation():
            page.select_option("#language-select", language)
    page.wait_for_selector("h1")


def test_planner_tools_and_the_agents_view_in_a_browser(browser, live_server, tmp_path):  # noqa: F811
    w = two_queue_world()
    draft, ops = hand_made_week(w)
    published = services.schedule_publish(schedule=draft, actor=ops, confirm=True)
    second = services.schedule_create(
        site=w.site, week_start=draft.week_start, copy_from=published, actor=ops
    )
    url = live_server.url
    shots = Path(os.environ.get("CCOPS_SCREENSHOT_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        _login(page, url, ops)
        page.goto(f"{url}{second.get_absolute_url()}")
        with page.expect_navigation():
            page.click("text=Agents by day")
        assert page.locator("#schedule-grid tbody tr").count() >= 4
        page.screenshot(path=str(shots / "planner-grid.png"), full_page=True)
        # move the flexible agent's Monday shift two hours later: check, then save
        with page.expect_navigation():
            page.locator("#schedule-grid tr", has_text="Flexible agent").locator(
                "a.shift"
            ).first.click()
        start = page.input_value("#id_start")
        later = start[:11] + "11:00"
        page.fill("#id_start", later)
        page.fill("#id_end", start[:11] + "19:00")
        with page.expect_navigation():
            page.click("button[name=check]")
        assert "breaks no rule" in page.inner_text("#rule-check")
        page.screenshot(path=str(shots / "planner-rule-check.png"), full_page=True)
        with page.expect_navigation():
            page.click("form.form button[type=submit]:not([name])")
        assert "The shift is saved" in page.content()
        # the day timeline and a training placed by the engine
        page.goto(f"{url}/wfm/schedules/{second.pk}/day/?date={second.week_start.isoformat()}")
        assert page.locator("#day-timeline .bar").count() == 3
        page.screenshot(path=str(shots / "planner-day.png"), full_page=True)
        page.goto(f"{url}{published.get_absolute_url()}")
        with page.expect_navigation():
            page.click("text=Place an activity")
        page.select_option("#id_kind", "training")
        page.fill("#id_title", "New tariffs")
        page.fill("#id_minutes", "60")
        page.check(f"#id_employees input[value='{w.employees['agent'].pk}']")
        with page.expect_navigation():
            page.click("form.form button[type=submit]")
        assert "1 of 1 placed" in page.content()
        assert page.locator("#activities tbody tr").count() == 1
        # the new version against the published one
        page.goto(f"{url}/wfm/schedules/{second.pk}/compare/")
        assert "flexible agent" in page.inner_text("#compare-agents").lower()
        assert page.locator("#compare-agents td.changed").count() >= 1
        page.screenshot(path=str(shots / "planner-compare.png"), full_page=True)
    finally:
        page.close()
    assert ShiftActivity.objects.filter(shift__schedule=published).count() == 1

    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        _login(page, url, w.users["agent"], language="zh-hans")
        page.goto(f"{url}/wfm/my/")
        assert "New tariffs" in page.content() and "您的排班怎么样" in page.content()
        form = page.locator("#feedback form").first
        form.locator("select").select_option("3")
        form.locator("textarea").fill("周一培训时间合适。")
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        assert "谢谢" in page.content()
        page.screenshot(path=str(shots / "agent-schedule-feedback-390-zh.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 400
    finally:
        page.close()
    assert ScheduleFeedback.objects.get(schedule=published).rating == 3
