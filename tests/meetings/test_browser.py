"""A meeting's action item in a real browser (issue 18 point 10): the quality supervisor
assigns it at a meeting, the agent (390 px, Chinese) reports it done, the supervisor
confirms it closed; screenshots in ``build/screenshots``."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from ccops.core.testing import PASSWORD, build_world
from ccops.meetings.models import ActionItem
from tests.meetings.helpers import meeting
from tests.web.test_browser import browser, screenshot_dir  # noqa: F401  (the Chromium fixture)

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


def test_an_action_item_assigned_reported_done_and_closed(browser, live_server):  # noqa: F811
    w = build_world()
    m = meeting(w)
    shots, url = screenshot_dir(), live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        _login(page, url, w.users["quality_supervisor"])
        page.goto(f"{url}/meetings/actions/add/?meeting={m.pk}")
        page.fill("#id_title", "Replace the headsets of row 3")
        page.select_option("#id_owner", str(w.employees["agent"].pk))
        due = timezone.localdate() + dt.timedelta(days=3)
        page.fill("#id_due_date", due.isoformat())
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        item = ActionItem.objects.get(title="Replace the headsets of row 3")
        page.screenshot(path=str(shots / "flow-meeting-1-assigned.png"), full_page=True)
    finally:
        page.close()
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        _login(page, url, w.users["agent"], language="zh-hans")
        page.goto(f"{url}{item.get_absolute_url()}")
        page.fill("#id_text", "已更换，三排全部可用。")
        page.check("#id_done")
        with page.expect_navigation():
            page.click("form[action$='/progress/'] button[type=submit]")
        assert "已汇报完成" in page.content()
        page.screenshot(path=str(shots / "flow-meeting-2-done-390-zh.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 400
    finally:
        page.close()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        _login(page, url, w.users["quality_supervisor"])
        page.goto(f"{url}{item.get_absolute_url()}")
        page.select_option("#id_outcome", "done")
        with page.expect_navigation():
            page.click("form[action$='/close/'] button[type=submit]")
        assert "The action item is closed" in page.content()
        page.screenshot(path=str(shots / "flow-meeting-3-closed.png"), full_page=True)
    finally:
        page.close()
    item.refresh_from_db()
    assert item.status == "done"
