"""In a real browser: a signed handover shows no edit or archive button and refuses an
archive with a plain message (English and Chinese); the person answering a handover
question, on a phone, records the answer but sees no correct/incorrect control."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from ccops.core.testing import PASSWORD, build_world
from ccops.shiftops import services
from tests.shiftops.helpers import handover, question, signed_handover
from tests.web.test_browser import browser  # noqa: F401  (the Chromium fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(context, live_server, user):
    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form.loginform button[type=submit]")
    page.wait_for_load_state()
    return page


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_signed_handover_refuses_archiving_in_the_browser(
    browser,  # noqa: F811
    live_server,
    tmp_path,
    language,
):
    w = build_world()
    h = signed_handover(w, when=timezone.now() - dt.timedelta(hours=1))
    shots = Path(os.environ.get("CCOPS_SCREENSHOT_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "ccops_language", "value": language, "url": live_server.url}])
    try:
        page = _login(context, live_server, w.users["center_director"])
        page.goto(f"{live_server.url}{h.get_absolute_url()}")
        actions = page.locator(".toolbar").first.inner_text()
        assert ("Archive" not in actions) if language == "en" else ("归档" not in actions)
        page.goto(f"{live_server.url}{reverse('shiftops:handover_archive', args=[h.pk])}")
        page.locator("form button.danger").click()
        page.wait_for_load_state()
        assert page.url.endswith(h.get_absolute_url())
        page.screenshot(path=str(shots / f"handover-signed-archive-{language}.png"))
        message = page.locator(".messages").inner_text()
        assert ("is signed" in message) if language == "en" else ("已签字" in message), message
    finally:
        context.close()
    h.refresh_from_db()
    assert h.archived_at is None


def test_the_person_answering_records_the_answer_on_a_phone_without_marking_it(
    browser,  # noqa: F811
    live_server,
    tmp_path,
):
    w = build_world()
    h = handover(w)
    answer = services.handover_question_ask(
        handover=h, question=question(w), asked_to=h.incoming_lead, actor=w.users["group_manager"]
    )
    shots = Path(os.environ.get("CCOPS_SCREENSHOT_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = _login(context, live_server, w.users["agent"])
        page.goto(f"{live_server.url}{h.get_absolute_url()}")
        assert page.locator("select[name=correct]").count() == 0
        page.fill("textarea[name=answer]", "Call the card hotline")
        page.locator("textarea[name=answer] >> xpath=.. >> button").click()
        page.wait_for_load_state()
        page.screenshot(path=str(shots / "handover-answer-agent-390.png"), full_page=True)
    finally:
        context.close()
    answer.refresh_from_db()
    assert answer.answer == "Call the card hotline" and answer.correct is None
