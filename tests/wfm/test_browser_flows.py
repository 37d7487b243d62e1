"""The main jobs of the planner and the agent, end to end in a real browser (issue 18 point
10), each page left as a screenshot in ``build/screenshots``:

* the planner (English) imports the interval history, forecasts the week, writes a staffing
  plan and shift templates, generates the site schedule, edits a shift and publishes;
* the agent (Chinese, 390 px) finds the shift, makes a calendar feed and reads it, asks for
  time off and offers a swap.

Background jobs run through the real worker between the steps (``ccops worker --batch``)."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from ccops.core.testing import PASSWORD
from ccops.wfm.models import Forecast, ImportBatch, Schedule, ShiftSwapRequest, TimeOffRequest
from tests.core.test_jobs import run_worker  # noqa: F401  (the fixture)
from tests.web.test_browser import browser, screenshot_dir  # noqa: F401  (the Chromium fixture)
from tests.wfm.helpers import TEMPLATES_YAML, next_monday
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


def _history_csv(w, path, week):
    """Four weeks of ccops interval history before ``week`` for both queues (site clock)."""
    lines = [
        "interval_start,queue,calls,answered,abandoned,answered_within_target,aht_seconds,"
        "asa_seconds"
    ]
    for d in range(-28, 0):
        day = week + dt.timedelta(days=d)
        for k in range(16, 40):  # 08:00-20:00 in half hours
            t = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=30 * k)
            for queue, calls in ((w.queue, 6), (w.queue2, 3)):
                lines.append(f"{t:%Y-%m-%dT%H:%M:%S},{queue.code},{calls},{calls},0,{calls},300,5")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _allowed_swap(w):
    """The agent's first future shift that a colleague can take (or swap for one of
    theirs on that day) without breaking a rule."""
    from django.utils import timezone

    from ccops.wfm.services import published_shifts, swap_violations

    agent = w.employees["agent"]
    future = published_shifts().filter(start__gt=timezone.now())
    for mine in future.filter(employee=agent).order_by("start"):
        day = timezone.localtime(mine.start, w.site.zone).date()
        for colleague in (w.flexible, w.other_employee, w.spare):
            same_day = [
                s
                for s in future.filter(employee=colleague)
                if timezone.localtime(s.start, w.site.zone).date() == day
            ]
            for theirs in [None, *same_day]:
                swap = ShiftSwapRequest(
                    requester=agent, colleague=colleague, shift=mine, colleague_shift=theirs
                )
                if not swap_violations(swap):
                    return mine, colleague, theirs
    raise AssertionError("no swap of the generated week passes the rule check")


def test_the_planner_imports_forecasts_plans_generates_edits_and_publishes(
    browser,  # noqa: F811
    live_server,
    run_worker,  # noqa: F811
    tmp_path,
):
    w = two_queue_world()
    w.site.interval_minutes = 30
    w.site.save()
    week = next_monday()
    history = tmp_path / "history.csv"
    _history_csv(w, history, week)
    shots, url = screenshot_dir(), live_server.url
    ops = w.users["operations_supervisor"]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        _login(page, url, ops)
        # 1. import the history
        page.goto(f"{url}/wfm/imports/add/")
        page.select_option("#id_preset", "ccops-history")
        page.set_input_files("#id_file", str(history))
        page.screenshot(path=str(shots / "flow-planner-1-import.png"), full_page=True)
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        run_worker()
        batch = ImportBatch.objects.get()
        assert batch.status == "succeeded", batch.report
        page.goto(f"{url}{batch.get_absolute_url()}")
        page.screenshot(path=str(shots / "flow-planner-2-import-report.png"), full_page=True)
        # 2. forecast the week of each queue
        for queue in (w.queue, w.queue2):
            page.goto(f"{url}/wfm/forecasts/add/")
            page.select_option("#id_queue", str(queue.pk))
            page.fill("#id_horizon_start", week.isoformat())
            page.fill("#id_history_weeks", "4")
            with page.expect_navigation():
                page.click("main form button[type=submit]")
        run_worker()
        forecasts = {f.queue_id: f for f in Forecast.objects.filter(status="ready")}
        assert set(forecasts) == {w.queue.pk, w.queue2.pk}
        page.goto(f"{url}{forecasts[w.queue.pk].get_absolute_url()}")
        page.screenshot(path=str(shots / "flow-planner-3-forecast.png"), full_page=True)
        # 3. a staffing plan per queue
        for queue, name in ((w.queue, "Retail normal"), (w.queue2, "Loans normal")):
            page.goto(f"{url}/wfm/plans/add/")
            page.fill("#id_name", name)
            page.select_option("#id_queue", str(queue.pk))
            page.select_option("#id_period_type", "normal")
            page.select_option("#id_forecast", str(forecasts[queue.pk].pk))
            page.fill("#id_shrinkage_percent", "10")
            with page.expect_navigation():
                page.click("main form button[type=submit]")
            assert "/wfm/plans/" in page.url and "add" not in page.url, page.url
        page.screenshot(path=str(shots / "flow-planner-4-plan.png"), full_page=True)
        # 4. shift templates, then generate from the template set's page
        page.goto(f"{url}/wfm/templates/add/")
        page.fill("#id_name", "Day shifts")
        page.fill("#id_definition", TEMPLATES_YAML)
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        page.screenshot(path=str(shots / "flow-planner-4b-templates.png"), full_page=True)
        with page.expect_navigation():
            page.click("text=Generate a schedule")
        page.fill("#id_week_start", week.isoformat())
        page.fill("#id_time_limit", "3")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        run_worker()
        schedule = Schedule.objects.get(week_start=week)
        assert schedule.status == "draft", schedule.summary
        page.goto(f"{url}{schedule.get_absolute_url()}")
        assert page.locator(".queue-sl tbody tr").count() == 2
        page.screenshot(path=str(shots / "flow-planner-5-generated.png"), full_page=True)
        # 5. edit a shift from the grid: move it an hour later, checked, saved
        page.goto(f"{url}/wfm/schedules/{schedule.pk}/grid/")
        with page.expect_navigation():
            page.locator("#schedule-grid a.shift").first.click()
        start = page.input_value("#id_start")
        hour = int(start[11:13])
        page.fill("#id_start", f"{start[:11]}{hour + 1:02d}{start[13:]}")
        end = page.input_value("#id_end")
        page.fill("#id_end", f"{end[:11]}{int(end[11:13]) + 1:02d}{end[13:]}")
        with page.expect_navigation():
            page.click("button[name=check]")
        page.screenshot(path=str(shots / "flow-planner-6-rule-check.png"), full_page=True)
        with page.expect_navigation():
            page.click("form.form button[type=submit]:not([name])")
        # 6. publish (confirming what the page warns about)
        page.goto(f"{url}{schedule.get_absolute_url()}")
        with page.expect_navigation():
            page.click("#publish-form button[type=submit]")
        if page.locator("input[name=confirm]").count():
            page.screenshot(path=str(shots / "flow-planner-7-confirm.png"), full_page=True)
            with page.expect_navigation():
                page.click("main form button[type=submit]")
        schedule.refresh_from_db()
        assert schedule.status == "published"
        page.screenshot(path=str(shots / "flow-planner-8-published.png"), full_page=True)
    finally:
        page.close()

    # a colleague with Retail's skill joins after the week was published (free to take a shift)
    from ccops.core.testing import make_user
    from ccops.people.models import Employee, EmployeeSkill

    w.spare = Employee.objects.create(
        user=make_user("agent", username=f"spare{w.site.pk}"),
        employee_number=f"S{w.site.pk}",
        full_name="Spare agent",
        site=w.site,
        team=w.group1,
    )
    EmployeeSkill.objects.create(employee=w.spare, skill=w.skill, level=2)
    # the agent, on a phone and in Chinese
    agent = w.users["agent"]
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        _login(page, url, agent, language="zh-hans")
        page.goto(f"{url}/wfm/my/")
        assert page.locator("#my-shifts tbody tr").count() >= 1
        with page.expect_navigation():
            page.click("form[action$='/my/feed/'] button[type=submit]")
        feed = page.input_value("input[readonly]")
        ical = page.request.get(feed).text()
        assert "BEGIN:VEVENT" in ical
        page.screenshot(path=str(shots / "flow-agent-1-schedule-390-zh.png"), full_page=True)
        # time off for a day of next-but-one week
        far = week + dt.timedelta(days=9)
        page.goto(f"{url}/wfm/time-off/add/")
        page.fill("#id_start", f"{far.isoformat()}T09:00")
        page.fill("#id_end", f"{far.isoformat()}T18:00")
        page.fill("#id_reason", "家里有事")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert TimeOffRequest.objects.filter(employee=w.employees["agent"]).exists()
        page.screenshot(path=str(shots / "flow-agent-2-time-off-390-zh.png"), full_page=True)
        # a swap the rule check allows (skills, two shifts a day...), found beforehand
        mine, colleague, theirs = _allowed_swap(w)
        page.goto(f"{url}/wfm/swaps/add/")
        page.select_option("#id_shift", str(mine.pk))
        page.select_option("#id_colleague", str(colleague.pk))
        # the colleague's shifts follow the colleague chosen
        shown = page.locator("#id_colleague_shift option:not([hidden])[data-owner]")
        owners = {shown.nth(i).get_attribute("data-owner") for i in range(shown.count())}
        assert owners <= {str(colleague.pk)}
        if theirs is not None:
            page.select_option("#id_colleague_shift", str(theirs.pk))
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        page.screenshot(path=str(shots / "flow-agent-3-swap-390-zh.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 400
    finally:
        page.close()
    assert ShiftSwapRequest.objects.filter(requester=w.employees["agent"]).exists()
