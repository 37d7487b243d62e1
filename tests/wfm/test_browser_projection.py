"""A real browser (headless Chromium) on a schedule whose staffing plan names the
simulation: the planner opens the page while the projection is being computed, sees
"computing…", and the figures with their confidence interval appear without a reload once
the background task has run; then the same page in Chinese."""

from __future__ import annotations

import os

import pytest

from ccops.wfm import tasks
from tests.web.test_browser import browser, screenshot_dir  # noqa: F401  (the module's Chromium fixture)
from tests.wfm.test_browser_planner import _login
from tests.wfm.test_simulated_plans import simulated_week

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = pytest.mark.browser


def test_the_planner_sees_the_simulated_projection_arrive_in_both_languages(
    browser,  # noqa: F811
    live_server,
):
    w, draft, ops, _plan = simulated_week()
    url = live_server.url
    shots = screenshot_dir()
    shots.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        _login(page, url, ops)
        page.goto(f"{url}{draft.get_absolute_url()}")
        assert "computing…" in page.inner_text("#projected-sl")
        assert page.locator("#projection-computing").is_visible()
        assert "still being computed" in page.inner_text("#publish-warnings")
        page.screenshot(path=str(shots / "planner-projection-computing.png"), full_page=True)
        # the worker's part: the page asked for it, the task computes it
        tasks.schedule_project.call(schedule_id=draft.pk)
        page.wait_for_selector("#projected-sl .ci", timeout=15_000)  # htmx brought it
        site = page.inner_text("#projected-sl")
        assert "95 % confidence interval" in site and "computing" not in site
        row = page.locator(".queue-sl tr", has_text="Retail")
        assert "Simulation: lognormal service time (CV 2.00)" in row.inner_text()
        assert "95 % confidence interval" in row.inner_text()
        assert page.locator("#projection-computing").count() == 0
        # the warnings before publishing came along (the projection is known now)
        assert "still being computed" not in page.inner_text("#publish-warnings")
        page.screenshot(path=str(shots / "planner-projection-simulated.png"), full_page=True)
        # the queue's heat-map: each cell's title names its interval
        page.click(f".tabs a[href='?queue={w.queue.pk}#coverage']")
        page.wait_for_url(f"**queue={w.queue.pk}**")
        title = page.locator(".heatmap td[title*='confidence']").first.get_attribute("title")
        assert title.startswith("Service level") and "95 % confidence interval" in title
        # in Chinese
        with page.expect_navigation():
            page.select_option("#language-select", "zh-hans")
        page.goto(f"{url}{draft.get_absolute_url()}")
        site = page.inner_text("#projected-sl")
        assert "95% 置信区间" in site
        row = page.locator(".queue-sl tr", has_text="Retail").inner_text()
        assert "仿真：对数正态处理时长（变异系数 2.00）" in row and "来电者从不挂断" in row
        assert "预测模型" in page.inner_text(".queue-sl thead")
        page.screenshot(path=str(shots / "planner-projection-simulated-zh.png"), full_page=True)
    finally:
        page.close()
