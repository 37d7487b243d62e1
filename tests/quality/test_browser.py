"""A real browser (headless Chromium) through the quality workflows: the inspector scores
and releases a call, the agent (at 390 px, in Chinese) sees and disputes it, the quality
supervisor decides the dispute and releases the month's scorecards, the agent takes a test."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

from ccops.core import audit
from ccops.core.testing import PASSWORD, build_world
from ccops.quality.services import scorecards as sc
from ccops.quality.services import skills as sk
from ccops.shiftops.models import HandoverQuestion
from tests.quality.helpers import evaluation, form
from tests.web.test_browser import browser  # noqa: F401  (the module's Chromium fixture)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = pytest.mark.browser


def _login(page, url, user, language="en"):
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    # the login page has an h1 too: wait for the page the login leads to
    with page.expect_navigation():
        page.click("form.loginform button[type=submit]")
    page.wait_for_selector("h1")
    if language != "en":
        with page.expect_navigation():
            page.select_option("#language-select", language)
        page.wait_for_selector("h1")


def test_quality_workflows_in_a_browser(browser, live_server, tmp_path):  # noqa: F811
    w = build_world()
    f = form(w)
    todo = evaluation(w, f, released=False)
    with audit.acting_as(w.users["trainer"]):
        HandoverQuestion.objects.create(
            topic="Cards",
            text="A PIN may be asked on the phone.",
            kind="true_false",
            answer_true=False,
        )
    now = timezone.now()
    test = sk.skills_test_create(
        site=w.site,
        title="Q test",
        year=now.year,
        quarter=1,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=1),
        actor=w.users["trainer"],
    )
    sk.skills_test_assemble(test=test, per_topic={"Cards": 1}, actor=w.users["trainer"])
    sk.skills_test_publish(test=test, actor=w.users["trainer"])
    shots = Path(os.environ.get("CCOPS_SCREENSHOT_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    url = live_server.url

    # The QA inspector scores the call on the scoring page and releases it.
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        _login(page, url, w.users["qa_inspector"])
        assert page.locator("#panel-qualityinspector").count() == 1
        page.screenshot(path=str(shots / "quality-inspector-home.png"), full_page=True)
        page.goto(f"{url}/quality/evaluations/{todo.pk}/score/")
        for radio in page.locator("table.scoring tbody tr").all():
            choice = radio.locator("input[type=radio][value='1'], input[type=radio][value='5']")
            if choice.count():
                choice.first.check()
        page.fill("#coaching-note", "Clear and friendly.")
        page.screenshot(path=str(shots / "quality-score.png"), full_page=True)
        with page.expect_navigation():
            page.click("button[name=release]")
        assert "/quality/evaluations/" in page.url and "Clear and friendly." in page.content()
    finally:
        page.close()

    # The agent, on a phone and in Chinese, sees the result and disputes it.
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        _login(page, url, w.users["agent"], "zh-hans")
        page.screenshot(path=str(shots / "quality-agent-home-390-zh.png"), full_page=True)
        page.goto(f"{url}/quality/evaluations/{todo.pk}/")
        assert "质检" in page.content()
        page.check("#agent-actions input[name=questions] >> nth=0")
        page.fill("#dispute-reason", "我已核实身份。")
        page.screenshot(path=str(shots / "quality-agent-dispute-390-zh.png"), full_page=True)
        with page.expect_navigation():
            page.click("#agent-actions button.danger")
        assert "申诉" in page.content()
        # ... and takes the quarter's test.
        page.goto(f"{url}/quality/tests/{test.pk}/")
        with page.expect_navigation():
            page.click("form.inline button[type=submit]")
        page.wait_for_selector("#countdown")
        page.check("input[value=false]")
        page.screenshot(path=str(shots / "quality-test-390-zh.png"), full_page=True)
        with page.expect_navigation():
            page.click("button[name=submit]")
        assert "100 %" in page.content()
        page.goto(f"{url}/quality/")
        page.screenshot(path=str(shots / "quality-my-quality-390-zh.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 400
    finally:
        page.close()

    # The quality supervisor declines the dispute, computes and releases the scorecards.
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        _login(page, url, w.users["quality_supervisor"])
        assert page.locator("#panel-qualitysupervisor").count() == 1
        page.screenshot(path=str(shots / "quality-supervisor-home.png"), full_page=True)
        dispute = todo.disputes.get()
        page.goto(f"{url}/quality/disputes/{dispute.pk}/")
        page.fill("#decline-note", "The verification came after the account details.")
        with page.expect_navigation():
            page.click("button.danger")
        page.goto(f"{url}/quality/scorecards/")
        page.fill(
            "form[action$='/compute/'] input[name=month]", timezone.localdate().strftime("%Y-%m")
        )
        with page.expect_navigation():
            page.click("form[action$='/compute/'] button[type=submit]")
        with page.expect_navigation():
            page.click("text=Release (freeze) the scorecards")
        page.screenshot(path=str(shots / "quality-scorecards.png"), full_page=True)
        card = sc.current_scorecards(sc.ScorecardMonth.objects.get(site=w.site)).get(
            employee=w.employees["agent"]
        )
        assert card.is_signed
        page.goto(f"{url}/quality/scorecard/{card.pk}/")
        page.wait_for_selector("#chart-trend")
        page.screenshot(path=str(shots / "quality-scorecard-detail.png"), full_page=True)
        page.goto(f"{url}/quality/form-versions/{f.current_version.pk}/")
        page.screenshot(path=str(shots / "quality-form-version.png"), full_page=True)
    finally:
        page.close()
