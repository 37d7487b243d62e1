"""Leave balances, working days, the team calendar and the approver's view (issue 18
point 8)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ccops.core.models import CalendarPeriod
from ccops.core.testing import build_world
from ccops.people import services as people_services
from ccops.people.models import LeaveType
from ccops.wfm import services
from ccops.wfm.models import TimeOffRequest
from ccops.wfm.services import leave
from tests.wfm.helpers import local, publish_week

pytestmark = pytest.mark.django_db

WEEK = date(2030, 3, 4)  # a Monday, far from any year's end


def leave_world(hire=date(2015, 1, 1)):
    """build_world() with the default leave types; the agent has 15+ years of service
    (10 days of annual leave a year)."""
    w = build_world()
    people_services.leave_types_seed(site=w.site, actor=w.users["center_director"])
    w.annual = LeaveType.objects.get(site=w.site, code="annual")
    w.sick = LeaveType.objects.get(site=w.site, code="sick")
    agent = w.employees["agent"]
    agent.hire_date = hire
    agent.save()
    return w


def ask(w, first: date, days: int, leave_type=None, who="agent", actor=None):
    employee = w.employees[who] if isinstance(who, str) else who
    return services.time_off_request(
        employee=employee,
        start=local(w.site, first, 0),
        end=local(w.site, first + timedelta(days=days), 0),
        leave_type=leave_type or w.annual,
        actor=actor or w.users["agent"],
    )


def test_working_days_skip_weekends_and_the_sites_holidays():
    w = leave_world()
    agent = w.employees["agent"]
    week = (local(w.site, WEEK, 0), local(w.site, WEEK + timedelta(days=7), 0))
    assert leave.working_days(agent, *week) == 5
    CalendarPeriod.objects.create(
        site=w.site,
        kind="holiday",
        name="Holiday",
        start_date=WEEK + timedelta(days=2),
        end_date=WEEK + timedelta(days=2),
    )
    CalendarPeriod.objects.create(  # every site's holiday counts too; another kind does not
        site=None,
        kind="holiday",
        name="National",
        start_date=WEEK + timedelta(days=3),
        end_date=WEEK + timedelta(days=3),
    )
    assert leave.working_days(agent, *week) == 3
    # up to 4.5 hours of a day is half a day
    assert leave.working_days(agent, local(w.site, WEEK, 13), local(w.site, WEEK, 17)) == Decimal(
        "0.5"
    )
    assert leave.working_days(agent, local(w.site, WEEK, 9), local(w.site, WEEK, 18)) == 1


def test_in_a_published_week_the_days_with_a_shift_count():
    w = leave_world()
    agent = w.employees["agent"]
    # works Tuesday and Saturday of the week
    publish_week(w, WEEK, {agent: [(1, 9, 8), (5, 9, 8)]})
    week = (local(w.site, WEEK, 0), local(w.site, WEEK + timedelta(days=7), 0))
    days = leave.leave_days_by_date(agent, *week)
    assert sorted(days) == [WEEK + timedelta(days=1), WEEK + timedelta(days=5)]


def test_balance_is_entitlement_plus_adjustments_minus_approved_and_pending():
    w = leave_world()
    agent, director = w.employees["agent"], w.users["center_director"]
    people_services.leave_adjustment_add(
        employee=agent,
        leave_type=w.annual,
        year=2030,
        days=2,
        kind="carry_over",
        reason="from 2029",
        actor=director,
    )
    people_services.leave_adjustment_add(
        employee=agent,
        leave_type=w.annual,
        year=2030,
        days=-1,
        reason="correction",
        actor=director,
    )
    approved = ask(w, WEEK, 3)
    services.time_off_approve(request=approved, actor=w.users["group_manager"])
    ask(w, WEEK + timedelta(days=7), 2)
    balance = leave.balance_of(agent, w.annual, 2030)
    assert (balance.entitlement, balance.carried_over, balance.adjusted) == (10, 2, -1)
    assert (balance.approved, balance.pending, balance.available) == (3, 2, 6)
    assert TimeOffRequest.objects.get(pk=approved.pk).days == 3
    # leave of a type without a balance is recorded, never refused for the balance
    ask(w, WEEK + timedelta(days=14), 5, leave_type=w.sick)
    assert leave.balance_of(agent, w.annual, 2030).available == 6
    # a rejected request gives its days back, and so does a cancelled one
    pending = TimeOffRequest.objects.get(status="requested", leave_type=w.annual)
    services.time_off_reject(request=pending, actor=w.users["group_manager"])
    services.time_off_cancel(request=approved, actor=w.users["agent"])
    balance = leave.balance_of(agent, w.annual, 2030)
    assert (balance.approved, balance.pending, balance.available) == (0, 0, 11)


def test_a_request_beyond_the_balance_is_refused():
    w = leave_world()
    ask(w, WEEK, 5)  # pending: 5 of 10
    ask(w, WEEK + timedelta(days=7), 4)
    with pytest.raises(ValidationError) as refused:
        ask(w, WEEK + timedelta(days=14), 2)  # 2 working days, 1 left
    text = " ".join(refused.value.messages)
    assert "2" in text and "only 1" in text and "adjustment" in text
    # a newcomer (less than a year) has no annual leave at all
    newcomer = w.employees["group_manager"]
    newcomer.hire_date = date(2030, 1, 1)
    newcomer.save()
    with pytest.raises(ValidationError, match="only 0"):
        ask(w, WEEK, 1, who=newcomer, actor=w.users["group_manager"])


def test_an_approval_that_no_longer_fits_is_refused_until_a_supervisor_adjusts():
    w = leave_world()
    agent, director, manager = (
        w.employees["agent"],
        w.users["center_director"],
        w.users["group_manager"],
    )
    first, second = ask(w, WEEK, 5), ask(w, WEEK + timedelta(days=7), 5)
    people_services.leave_adjustment_add(
        employee=agent,
        leave_type=w.annual,
        year=2030,
        days=-2,
        reason="taken in 2029 ahead",
        actor=director,
    )
    services.time_off_approve(request=first, actor=manager)
    with pytest.raises(ValidationError, match="only 3"):
        services.time_off_approve(request=second, actor=manager)
    assert TimeOffRequest.objects.get(pk=second.pk).status == "requested"
    people_services.leave_adjustment_add(
        employee=agent,
        leave_type=w.annual,
        year=2030,
        days=2,
        reason="granted by director",
        actor=director,
    )
    services.time_off_approve(request=second, actor=manager)
    assert leave.balance_of(agent, w.annual, 2030).available == 0


def test_sites_without_leave_types_keep_the_plain_kinds():
    w = build_world()
    request = services.time_off_request(
        employee=w.employees["agent"],
        start=local(w.site, WEEK, 0),
        end=local(w.site, WEEK + timedelta(days=3), 0),
        kind="annual",
        actor=w.users["agent"],
    )
    assert request.leave_type is None and request.days == 3


def test_a_leave_type_of_another_site_is_refused():
    w = leave_world()
    other = build_world()
    people_services.leave_types_seed(site=other.site, actor=other.users["center_director"])
    foreign = LeaveType.objects.get(site=other.site, code="annual")
    with pytest.raises(ValidationError, match="site"):
        ask(w, WEEK, 1, leave_type=foreign)


def test_decision_summary_shows_balance_and_coverage_impact():
    w = leave_world()
    agent = w.employees["agent"]
    _schedule, shifts = publish_week(w, WEEK, {agent: [(0, 9, 8), (1, 9, 8)]})
    mate = w.employees["group_manager"]
    mate.hire_date = date(2000, 1, 1)
    mate.save()
    ask(w, WEEK, 1, who=mate, actor=w.users["area_manager"])
    request = ask(w, WEEK, 2)
    summary = leave.decision_summary(request, services.leave_conflicts(request))
    assert summary["balance"]["before"] == 10 and summary["balance"]["after"] == 8
    assert summary["balance"]["fits"]
    assert [c["shift"] for c in summary["shifts"]] == shifts[agent]
    assert summary["queues"] == [{"queue": w.queue, "hours": 16.0}]
    assert [r.employee for r in summary["team_off"]] == [mate]
    client = w_client(w, "group_manager")
    page = client.get(request.get_absolute_url()).content.decode()
    assert 'id="leave-balance"' in page and 'id="coverage-impact"' in page
    assert "16.0" in page
    api = client.get(f"/api/v1/wfm/time-off/{request.pk}/impact").json()
    assert api["balance_before"] == "10.0" or float(api["balance_before"]) == 10
    assert float(api["balance_after"]) == 8 and api["queues"][0]["hours"] == 16.0
    # the agent sees their balance, not the coverage panel
    page = w_client(w, "agent").get(request.get_absolute_url()).content.decode()
    assert 'id="leave-balance"' in page and 'id="coverage-impact"' not in page


def w_client(w, role):
    from django.test import Client

    client = Client()
    client.force_login(w.users[role])
    return client


def test_team_calendar_agents_see_colleagues_off_without_the_details():
    w = leave_world()
    mate = w.employees["group_manager"]
    mate.hire_date = date(2000, 1, 1)
    mate.save()
    theirs = ask(w, WEEK, 2, who=mate, actor=w.users["area_manager"], leave_type=w.sick)
    mine = ask(w, WEEK + timedelta(days=2), 1)
    url = reverse("wfm:team_calendar") + "?month=2030-03"
    page = w_client(w, "agent").get(url).content.decode()
    assert mate.full_name in page and w.other_employee.full_name not in page
    assert mine.get_absolute_url() in page and theirs.get_absolute_url() not in page
    assert "sick leave" not in page
    page = w_client(w, "group_manager").get(url).content.decode()
    assert theirs.get_absolute_url() in page and "sick leave" in page
    data = w_client(w, "agent").get("/api/v1/wfm/team-calendar/", {"month": "2030-03"}).json()
    rows = {r["employee"]: r for r in data["rows"]}
    assert [d["kind"] for d in rows[mate.pk]["days"]] == [None, None]
    assert rows[w.employees["agent"].pk]["days"][0]["kind"] == "annual"
    # a bad month falls back to the current one instead of failing
    assert w_client(w, "agent").get(reverse("wfm:team_calendar") + "?month=x").status_code == 200


def test_balances_pages_and_api_show_own_or_team_balances():
    w = leave_world()
    ask(w, WEEK, 2)
    agent = w_client(w, "agent")
    data = agent.get("/api/v1/wfm/leave-balances/", {"year": 2030}).json()
    data = [r for r in data if r["leave_type"] == w.annual.pk]
    assert [(r["employee"], float(r["available"]), float(r["pending"])) for r in data] == [
        (w.employees["agent"].pk, 8.0, 2.0)
    ]
    page = agent.get(reverse("wfm:leave_balances") + "?year=2030").content.decode()
    assert w.employees["agent"].full_name in page and w.other_employee.full_name not in page
    page = w_client(w, "center_director").get(reverse("wfm:leave_balances")).content.decode()
    assert w.other_employee.full_name in page and "Adjust" in page
    # the employee's page shows their balances to those who may see it
    url = w.employees["agent"].get_absolute_url()
    assert 'id="employee-leave"' in w_client(w, "group_manager").get(url).content.decode()
    # my schedule and the request form show the agent's balances
    assert 'id="my-balances"' in agent.get(reverse("wfm:my_schedule")).content.decode()
    form = agent.get(reverse("wfm:timeoffrequest_add")).content.decode()
    assert 'id="leave-balances"' in form and 'name="leave_type"' in form
    assert 'name="kind"' not in form


def test_the_form_asks_with_a_leave_type_and_shows_the_refusal():
    w = leave_world()
    agent = w_client(w, "agent")
    response = agent.post(
        reverse("wfm:timeoffrequest_add"),
        {"leave_type": w.annual.pk, "start": "2030-03-04T00:00", "end": "2030-03-20T00:00"},
    )
    assert response.status_code == 200 and "only 10" in response.content.decode()
    response = agent.post(
        reverse("wfm:timeoffrequest_add"),
        {"leave_type": w.annual.pk, "start": "2030-03-04T00:00", "end": "2030-03-06T00:00"},
    )
    assert response.status_code == 302
    request = TimeOffRequest.objects.get(employee=w.employees["agent"])
    assert request.leave_type == w.annual and request.kind == "annual" and request.days == 2


def test_rules_and_types_through_the_api_keep_their_history():
    w = leave_world()
    director = w_client(w, "center_director")
    rule = w.annual.rules.get(min_years=10)
    changed = director.patch(
        f"/api/v1/people/leave-rules/{rule.pk}", {"days": 12}, content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["id"] != rule.pk
    assert [(r.min_years, r.days) for r in w.annual.rules.all()][1] == (10, Decimal(12))
    assert w.annual.rules.model.all_objects.get(pk=rule.pk).archived_at is not None
    # the agent's 15 years now earn 12 days
    assert leave.balance_of(w.employees["agent"], w.annual, 2030).entitlement == 12
    made = director.post(
        "/api/v1/people/leave-adjustments/",
        {"employee": w.other_employee.pk, "leave_type": w.annual.pk, "year": 2030, "days": 1},
        content_type="application/json",
    )
    assert made.status_code == 422  # no reason
    seeded = director.post(reverse("people:leavetype_seed"), {"site": w.site.pk})
    assert seeded.status_code == 302  # nothing new: the types are there
    assert LeaveType.objects.filter(site=w.site).count() == 9


def test_carry_over_moves_unused_days_once_with_a_cap():
    w = leave_world()
    agent = w.employees["agent"]
    ask(w, WEEK, 3)  # pending: not counted as used when carrying over
    services.time_off_approve(
        request=ask(w, WEEK + timedelta(days=7), 4), actor=w.users["group_manager"]
    )
    director = w_client(w, "center_director")
    url = reverse("wfm:leave_carry_over")
    response = director.post(url, {"leave_type": w.annual.pk, "year": 2030, "max_days": 5})
    assert response.status_code == 302 and response["Location"].endswith("?year=2031")
    nxt = leave.balance_of(agent, w.annual, 2031)
    assert nxt.carried_over == 5  # 10 - 4 approved = 6 unused, capped at 5
    assert "2030" in nxt.adjustments[0].reason
    director.post(url, {"leave_type": w.annual.pk, "year": 2030, "max_days": 5})
    assert leave.balance_of(agent, w.annual, 2031).carried_over == 5  # not twice
    page = director.get(reverse("wfm:leave_balances") + "?year=2030").content.decode()
    assert 'id="carry-over"' in page
    bad = director.post(url, {"leave_type": w.annual.pk, "year": "x"}, follow=True)
    assert "Give a year" in bad.content.decode()
    with pytest.raises(ValidationError, match="half a day"):
        leave.leave_carry_over(
            site=w.site,
            leave_type=w.annual,
            from_year=2030,
            max_days=0,
            actor=w.users["center_director"],
        )
