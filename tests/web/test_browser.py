"""A real browser (Playwright driving Debian's headless Chromium) logs in and uses the home
page in English and in Chinese."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ccops.core.testing import PASSWORD, build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop + live_server

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CCOPS_CHROMIUM", "/usr/bin/chromium")


def screenshot_dir() -> Path:
    """Where the browser tests leave a screenshot of each page they visit: ``build/screenshots``
    of the checkout (``CCOPS_SCREENSHOT_DIR`` to choose), kept after the run to look at."""
    here = Path(__file__).resolve().parents[2]
    folder = Path(os.environ.get("CCOPS_SCREENSHOT_DIR", here / "build" / "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CCOPS_REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def test_log_in_and_use_the_home_page_in_both_languages(browser, live_server, tmp_path):
    world = build_world()
    manager = world.users["group_manager"]
    shots = screenshot_dir()
    shots.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(f"{live_server.url}/")
        assert "/accounts/login/" in page.url  # anonymous: sent to the login page
        page.fill("#id_username", manager.username)
        page.fill("#id_password", PASSWORD)
        page.click("form.loginform button[type=submit]")
        page.wait_for_selector("#panel-peopleteam_roster")
        assert page.locator("h1").inner_text().startswith("Welcome")
        roster = page.locator("#panel-peopleteam_roster").inner_text()
        assert world.employees["agent"].full_name in roster
        assert world.other_employee.full_name not in roster
        page.screenshot(path=str(shots / "home-en.png"), full_page=True)

        # The menu opens and leads to a list the role may see.
        page.click("nav.nav summary >> text=People")
        page.click("nav.nav a >> text=Employees")
        page.wait_for_selector("table")
        assert world.employees["agent"].employee_number in page.inner_text("table")

        # Switch the language with the selector; the whole page follows.
        with page.expect_navigation():
            page.select_option("#language-select", "zh-hans")
        assert "/people/employees/" in page.url  # back where the switch was made
        page.goto(f"{live_server.url}/")
        page.wait_for_selector("#panel-peopleteam_roster")
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        assert page.locator("h1").inner_text().startswith("欢迎")
        assert "我的班组" in page.locator("#panel-peopleteam_roster h2").inner_text()
        assert "退出登录" in page.locator("header").inner_text()
        page.screenshot(path=str(shots / "home-zh-hans.png"), full_page=True)

        # Log out (a POST form in the header) and land on the login page.
        with page.expect_navigation():
            page.click("header button >> text=退出登录")
        page.wait_for_selector("#id_username")
        assert "/accounts/login/" in page.url
    finally:
        page.close()
