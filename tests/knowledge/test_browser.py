"""A real browser: an agent presses / on the home page, searches in Chinese at 390 px,
reads the article, records a difficult case; the group manager answers it in English."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ccops.core.testing import PASSWORD, build_world
from ccops.knowledge.models import DifficultCase
from tests.knowledge import helpers as h
from tests.web.test_browser import browser  # noqa: F401  (the Chromium fixture)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser


def _login(page, url, user):
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    # the login page has an h1 too: wait for the page the login leads to
    with page.expect_navigation():
        page.click("form.loginform button[type=submit]")
    page.wait_for_selector("h1")


def test_agent_searches_with_one_key_and_a_manager_answers(browser, live_server, tmp_path):  # noqa: F811
    w = build_world()
    article = h.published(
        w,
        title="ATM吞卡的处理",
        body="本行ATM吞卡，客户可在两个工作日内凭身份证到网点领回。",
        tags="吞卡",
    )
    shots = Path(os.environ.get("CCOPS_SCREENSHOT_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    context.add_cookies([{"name": "ccops_language", "value": "zh-hans", "url": live_server.url}])
    page = context.new_page()
    try:
        _login(page, live_server.url, w.users["agent"])
        page.keyboard.press("/")
        assert page.evaluate("document.activeElement.id") == "topbar-search"
        page.keyboard.type("卡被吞了怎么办")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.wait_for_selector("#results")
        assert "找到" in page.inner_text("#result-count")
        first = page.locator("#results li").first
        assert "ATM" in first.inner_text() and first.locator("mark").count() >= 1
        page.screenshot(path=str(shots / "knowledge-search-agent-390-zh.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the search page scrolls sideways at 390 px ({width})"
        first.locator("h3 a").click()
        page.wait_for_selector("#article-text")
        assert "两个工作日" in page.inner_text("#article-text")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(shots / "knowledge-article-agent-390-zh.png"), full_page=True)

        page.goto(f"{live_server.url}/knowledge/cases/add/")
        page.fill("#id_question", "客户问他行ATM吞卡能否代领")
        page.fill("#id_told_customer", "稍后回电")
        with page.expect_navigation():
            page.click("form.form button[type=submit]")
        page.wait_for_selector("#case-timeline")
        page.screenshot(path=str(shots / "knowledge-case-agent-390-zh.png"), full_page=True)
    finally:
        context.close()

    case = DifficultCase.objects.get(question="客户问他行ATM吞卡能否代领")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        _login(page, live_server.url, w.users["group_manager"])
        panel = page.locator("#panel-knowledgewaiting_for_me")
        assert f"#{case.pk}" in panel.inner_text()
        panel.locator(f"a >> text=#{case.pk}").click()
        page.wait_for_selector("#case-actions")
        page.fill("#id_answer", "他行ATM吞卡须联系该行处理，本行不能代领。")
        with page.expect_navigation():
            page.click("#case-actions form >> nth=0 >> button")
        assert "answered" in page.inner_text("h1")
        page.screenshot(path=str(shots / "knowledge-case-manager-en.png"), full_page=True)
    finally:
        page.close()
    case.refresh_from_db()
    assert case.status == "answered" and article.pk
