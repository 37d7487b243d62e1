"""Half-day leave (the morning or the afternoon of one day, half a working day) and the
annual-leave entitlement by cumulative years of work, earlier employers included (the code
of conduct; issue 18)."""

from __future__ import annotations

import html
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from ccops.people import services as people_services
from ccops.wfm import services
from ccops.wfm.models import TimeOffRequest
from ccops.wfm.services import leave
from tests.wfm.helpers import local
from tests.wfm.test_leave import WEEK, leave_world, w_client

pytestmark = pytest.mark.django_db


def half(w, day: date, part: str, **extra):
    return services.time_off_request(
        employee=w.employees["agent"],
        start=local(w.site, day, 9),
        end=local(w.site, day, 9),
        leave_type=w.annual,
        day_part=part,
        actor=w.users["agent"],
        **extra,
    )


def test_a_morning_and_an_afternoon_are_half_a_day_each_and_fill_the_balance_by_halves():
    w = leave_world()  # 10 days of annual leave in 2030
    morning = half(w, WEEK, "morning")
    zone = w.site.zone
    assert morning.start.astimezone(zone).hour == 0 and morning.end.astimezone(zone).hour == 12
    assert morning.days == Decimal("0.5") and morning.day_part == "morning"
    afternoon = half(w, WEEK, "afternoon")  # the same day: no overlap
    assert afternoon.start.astimezone(zone).hour == 12 and afternoon.days == Decimal("0.5")
    with pytest.raises(ValidationError, match="overlaps"):
        half(w, WEEK, "morning")
    balance = leave.balance_of(w.employees["agent"], w.annual, 2030)
    assert balance.pending == Decimal(1) and balance.available == Decimal(9)
    services.time_off_approve(request=morning, actor=w.users["group_manager"])
    morning.refresh_from_db()
    assert morning.days == Decimal("0.5")  # counted again when approved: still half
    balance = leave.balance_of(w.employees["agent"], w.annual, 2030)
    assert (balance.approved, balance.pending) == (Decimal("0.5"), Decimal("0.5"))
    assert "(morning)" in str(morning)


def test_a_half_day_is_one_day_and_a_weekend_half_day_takes_nothing():
    w = leave_world()
    with pytest.raises(ValidationError, match="one day"):
        services.time_off_request(
            employee=w.employees["agent"],
            start=local(w.site, WEEK, 9),
            end=local(w.site, WEEK + timedelta(days=2), 9),
            leave_type=w.annual,
            day_part="afternoon",
            actor=w.users["agent"],
        )
    with pytest.raises(ValidationError):
        half(w, WEEK, "evening")
    saturday = half(w, WEEK + timedelta(days=5), "morning")
    assert saturday.days == 0


def test_the_form_offers_half_days_and_the_approver_and_calendar_show_them_in_chinese():
    w = leave_world()
    agent = w_client(w, "agent")
    form = agent.get(reverse("wfm:timeoffrequest_add")).content.decode()
    assert 'value="morning"' in form and 'value="afternoon"' in form
    day = WEEK + timedelta(days=1)
    response = agent.post(
        reverse("wfm:timeoffrequest_add"),
        {"span": "afternoon", "start": f"{day.isoformat()}T08:00", "leave_type": w.annual.pk},
    )
    assert response.status_code == 302, response.content[:3000]
    request = TimeOffRequest.objects.get(employee=w.employees["agent"])
    assert request.day_part == "afternoon" and request.days == Decimal("0.5")
    manager = w_client(w, "group_manager")
    manager.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = html.unescape(manager.get(request.get_absolute_url()).content.decode())
    assert "下午" in page and "半天" in page
    month = reverse("wfm:team_calendar") + f"?month={day:%Y-%m}&team={w.group1.pk}"
    calendar = html.unescape(manager.get(month).content.decode())
    assert "½" in calendar and "下午" in calendar
    # times still work, and whole days need no until for a single day
    response = agent.post(
        reverse("wfm:timeoffrequest_add"),
        {
            "span": "days",
            "start": f"{(day + timedelta(days=7)).isoformat()}T08:00",
            "leave_type": w.annual.pk,
        },
    )
    assert response.status_code == 302
    assert TimeOffRequest.objects.filter(days=1).count() == 1
    response = agent.post(
        reverse("wfm:timeoffrequest_add"),
        {
            "span": "times",
            "start": f"{(day + timedelta(days=8)).isoformat()}T08:00",
            "leave_type": w.annual.pk,
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["end"]


def test_the_api_asks_for_half_a_day():
    w = leave_world()
    client = w_client(w, "agent")
    response = client.post(
        "/api/v1/wfm/time-off/",
        {
            "start": f"{WEEK.isoformat()}T10:00:00+08:00",
            "end": f"{WEEK.isoformat()}T10:00:00+08:00",
            "leave_type": w.annual.pk,
            "day_part": "morning",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["day_part"] == "morning" and Decimal(str(body["days"])) == Decimal("0.5")


def test_entitlement_counts_the_years_of_work_at_earlier_employers():
    steps = [(1, Decimal(5)), (10, Decimal(10)), (20, Decimal(15))]

    def days(hire, work_start=None, year=2026):
        return people_services.entitlement_days(
            hire_date=hire, work_start_date=work_start, year=year, steps=steps
        )

    assert days(date(2024, 1, 1)) == 5  # two years here
    assert days(date(2024, 1, 1), date(2010, 1, 1)) == 10  # sixteen years of work
    assert days(date(2024, 1, 1), date(2004, 1, 1)) == 15  # twenty-two
    # hired on 1 July 2026 after 12 years elsewhere: 10 days prorated from the hire date
    assert days(date(2026, 7, 1)) == 0
    assert days(date(2026, 7, 1), date(2014, 7, 1)) == 5  # 10 × 184/365 = 5.04
    # reaching ten years of work on 1 July: 5 × 181/365 + 10 × 184/365 = 7.5 → 7
    assert days(date(2020, 1, 1), date(2016, 7, 1)) == 7


def test_the_employee_field_feeds_the_balance_and_is_checked():
    w = leave_world(hire=date(2028, 1, 1))  # two years here in 2030: 5 days
    agent = w.employees["agent"]
    assert leave.balance_of(agent, w.annual, 2030).entitlement == 5
    director = w.users["center_director"]
    people_services.employee_update(
        employee=agent, data={"work_start_date": date(2020, 3, 1)}, actor=director
    )
    agent.refresh_from_db()
    # ten years of work from 1 March 2030 on: 5 × 59/365 + 10 × 306/365 = 9.19 → 9
    assert leave.balance_of(agent, w.annual, 2030).entitlement == 9
    with pytest.raises(ValidationError) as refused:
        people_services.employee_update(
            employee=agent, data={"work_start_date": date(2029, 1, 1)}, actor=director
        )
    assert "work_start_date" in refused.value.message_dict
    client = w_client(w, "center_director")
    response = client.post(
        reverse("people:employee_edit", args=[agent.pk]),
        {
            "employee_number": agent.employee_number,
            "full_name": agent.full_name,
            "site": w.site.pk,
            "team": w.group1.pk,
            "hire_date": "2028-01-01",
            "work_start_date": "2008-01-01",
            "weekly_hours": "40",
            "status": "active",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    agent.refresh_from_db()
    assert agent.work_start_date == date(2008, 1, 1)
    assert leave.balance_of(agent, w.annual, 2030).entitlement == 15  # 22 years of work
