"""The planner's tools on a site schedule (issue 11, points 5-7): the agent-by-day grid and
day timeline with the rule check before saving, activities placed where the queues can
best spare the agents (on the agents' schedules and calendar feeds), two versions compared,
and the staff's feedback on a published schedule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ccops.core.errors import Conflict
from ccops.core.models import Notification
from ccops.wfm import services
from ccops.wfm.models import ScheduleFeedback, ShiftActivity
from ccops.wfm.services import activities, review
from ccops.wfm.services.coverage import coverage
from tests.wfm.helpers import add_history, local, make_plan, next_monday
from tests.wfm.test_site_schedule import two_queue_world

pytestmark = pytest.mark.django_db


def hand_made_week(w, *, hours=(9, 9, 9)):
    """A draft with need (Retail's plan over its history) and a shift a day for the agent,
    the flexible agent and the other agent."""
    week = next_monday()
    for d in range(7):
        add_history(w, week + timedelta(days=d), weeks=1, calls=6, aht=300)
    make_plan(w, shrinkage_percent=0)
    ops = w.users["operations_supervisor"]
    draft = services.schedule_create(site=w.site, week_start=week, actor=ops)
    people = [
        (w.employees["agent"], w.queue),
        (w.flexible, w.queue),
        (w.other_employee, w.queue2),
    ]
    for (employee, queue), hour in zip(people, hours, strict=True):
        for d in range(5):
            start = local(w.site, week + timedelta(days=d), hour)
            services.shift_add(
                schedule=draft,
                employee=employee,
                start=start,
                end=start + timedelta(hours=8),
                queue_ids=[queue.pk],
                breaks=[
                    {
                        "name": "lunch",
                        "start": (start + timedelta(hours=4)).isoformat(),
                        "end": (start + timedelta(hours=4, minutes=30)).isoformat(),
                        "paid": False,
                    }
                ],
                actor=ops,
            )
    return draft, ops


def test_an_activity_goes_where_the_queue_can_best_spare_the_agent_and_stays_off_breaks():
    w = two_queue_world()
    draft, ops = hand_made_week(w)
    cov = coverage(draft)
    retail = next(q for q in cov["queues"] if q["id"] == w.queue.pk)
    spare = retail["scheduled"] - retail["required"]
    monday = draft.week_start
    [placed] = activities.activity_place(
        schedule=draft,
        employees=[w.employees["agent"]],
        kind="training",
        title="New tariff",
        minutes=60,
        day=monday,
        actor=ops,
    )
    a = placed.activity
    assert a is not None and a.shift.employee == w.employees["agent"]
    im = cov["interval_minutes"]
    first = int((a.start - cov["origin"]).total_seconds() // 60 // im)
    block = spare[first : first + 60 // im]
    # no other hour of the agent's Monday (outside the lunch) has more spare coverage
    shift = a.shift
    lunch = (local(w.site, monday, 13), local(w.site, monday, 13, 30))
    assert not (a.start < lunch[1] and lunch[0] < a.end)
    s0 = int((shift.start - cov["origin"]).total_seconds() // 60 // im)
    s1 = int((shift.end - cov["origin"]).total_seconds() // 60 // im)
    best = max(
        spare[t : t + 60 // im].min()
        for t in range(s0, s1 - 60 // im + 1)
        if not (t * im < (s0 * im + 270) and s0 * im + 240 < t * im + 60)
    )
    assert block.min() == pytest.approx(best)
    # it takes the agent off the phones in the coverage
    after = next(q for q in coverage(draft)["queues"] if q["id"] == w.queue.pk)
    assert (
        after["scheduled"][first : first + 60 // im].sum()
        < retail["scheduled"][first : first + 60 // im].sum()
    )


def test_activities_on_a_published_schedule_reach_the_agent_and_the_calendar(client):
    w = two_queue_world()
    draft, ops = hand_made_week(w)
    published = services.schedule_publish(schedule=draft, actor=ops, confirm=True)
    placed = activities.activity_place(
        schedule=published,
        employees=[w.employees["agent"], w.flexible],
        kind="coaching",
        title="Call review",
        minutes=30,
        actor=ops,
    )
    assert all(p.activity for p in placed)
    assert Notification.objects.filter(
        user=w.users["agent"], template__contains="is in your shift"
    ).exists()
    client.force_login(w.users["agent"])
    page = client.get(reverse("wfm:my_schedule")).content.decode()
    assert "Call review" in page
    ical = services.calendar.shifts_ical(w.employees["agent"]).decode()
    assert "SUMMARY:coaching: Call review" in ical
    # removing it tells the agent and leaves the archived row
    activities.activity_remove(activity=placed[0].activity, actor=ops)
    assert ShiftActivity.all_objects.filter(pk=placed[0].activity.pk, archived_at__isnull=False)
    assert Notification.objects.filter(
        user=w.users["agent"], template__contains="is cancelled"
    ).exists()


def test_bad_activity_input_names_the_field_and_a_superseded_week_refuses():
    w = two_queue_world()
    draft, ops = hand_made_week(w)
    with pytest.raises(ValidationError) as err:
        activities.activity_place(
            schedule=draft, employees=[], kind="party", title=" ", minutes=0, actor=ops
        )
    assert set(err.value.message_dict) == {"kind", "title", "minutes", "employees"}
    [none] = activities.activity_place(
        schedule=draft,
        employees=[w.employees["agent"]],
        kind="meeting",
        title="Too long",
        minutes=300,  # longer than any stretch between the lunch and the shift's ends
        actor=ops,
    )
    assert none.activity is None
    services.schedule_publish(schedule=draft, actor=ops, confirm=True)
    copy = services.schedule_create(
        site=w.site, week_start=draft.week_start, copy_from=draft, actor=ops
    )
    services.schedule_publish(schedule=copy, actor=ops, confirm=True)
    draft.refresh_from_db()
    with pytest.raises(Conflict):
        activities.activity_place(
            schedule=draft,
            employees=[w.employees["agent"]],
            kind="meeting",
            title="Late",
            minutes=30,
            actor=ops,
        )


def test_two_versions_compared_per_agent_and_per_interval():
    w = two_queue_world()
    draft, ops = hand_made_week(w)
    published = services.schedule_publish(schedule=draft, actor=ops, confirm=True)
    second = services.schedule_create(
        site=w.site, week_start=draft.week_start, copy_from=published, actor=ops
    )
    moved = second.shifts.filter(employee=w.flexible).order_by("start").first()
    services.shift_change(
        shift=moved,
        start=moved.start + timedelta(hours=2),
        end=moved.end + timedelta(hours=2),
        actor=ops,
    )
    friday = second.shifts.filter(employee=w.other_employee).order_by("-start").first()
    services.shift_remove(shift=friday, actor=ops)
    assert review.compare_default(second) == published
    cmp = review.schedule_compare(published, second)
    rows = {r.employee.pk: r for r in cmp["agents"] if r.employee}
    assert not rows[w.employees["agent"].pk].changed
    flex = rows[w.flexible.pk]
    assert flex.changed and flex.starts[0][0] == (0, "09:00") and flex.starts[1][0] == (0, "11:00")
    other = rows[w.other_employee.pk]
    assert other.hours[0] - other.hours[1] == pytest.approx(7.5)
    assert other.days_off == ((5, 6), (4, 5, 6))
    assert cmp["changed_agents"] == 2 and cmp["intervals_changed"] > 0


def test_feedback_only_on_a_published_schedule_and_the_planner_reads_it(client):
    w = two_queue_world()
    draft, ops = hand_made_week(w)
    agent = w.employees["agent"]
    with pytest.raises(Conflict):
        review.schedule_feedback_add(schedule=draft, employee=agent, actor=agent.user, rating=4)
    published = services.schedule_publish(schedule=draft, actor=ops, confirm=True)
    with pytest.raises(ValidationError, match="rating or a comment"):
        review.schedule_feedback_add(schedule=published, employee=agent, actor=agent.user)
    client.force_login(agent.user)
    page = client.get(reverse("wfm:my_schedule")).content.decode()
    assert reverse("wfm:schedulefeedback_add", args=[published.pk]) in page
    response = client.post(
        reverse("wfm:schedulefeedback_add", args=[published.pk]),
        {"rating": "2", "comment": "Too many late shifts in a row."},
    )
    assert response.status_code == 302
    assert ScheduleFeedback.objects.get().rating == 2
    client.force_login(ops)
    page = client.get(published.get_absolute_url()).content.decode()
    assert "Too many late shifts in a row." in page and "average rating 2" in page


def test_the_grid_day_and_rule_check_before_saving(client):
    w = two_queue_world()
    draft, ops = hand_made_week(w)
    client.force_login(ops)
    grid = client.get(reverse("wfm:schedule_grid", args=[draft.pk])).content.decode()
    assert "Flexible agent" in grid and "09:00–17:00" in grid
    add = reverse("wfm:schedule_shift_add", args=[draft.pk])
    assert f"{add}?employee={w.employees['agent'].pk}&amp;day=5" in grid
    form = client.get(f"{add}?employee={w.employees['agent'].pk}&day=5").content.decode()
    assert f'value="{(draft.week_start + timedelta(days=5)).isoformat()}T09:00"' in form
    day = client.get(
        reverse("wfm:schedule_day", args=[draft.pk]), {"date": draft.week_start.isoformat()}
    ).content.decode()
    assert day.count('class="bar') == 3 and "left: 37.5%" in day
    assert (
        client.get(reverse("wfm:schedule_day", args=[draft.pk]), {"date": "1999-01-01"}).status_code
        == 404
    )
    # the check shows what moving the agent's Monday shift onto Tuesday's would break, and
    # saves nothing
    shift = draft.shifts.filter(employee=w.employees["agent"]).order_by("start").first()
    tuesday = local(w.site, draft.week_start + timedelta(days=1), 10)
    data = {
        "employee": w.employees["agent"].pk,
        "start": tuesday.strftime("%Y-%m-%dT%H:%M"),
        "end": (tuesday + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"),
        "queues": [w.queue.pk],
        "check": "1",
    }
    url = reverse("wfm:scheduledshift_edit", args=[shift.pk])
    page = client.post(url, data).content.decode()
    assert 'id="rule-check"' in page and "overlap" in page.lower()
    shift.refresh_from_db()
    assert shift.start.date() == draft.week_start or shift.start < tuesday
    data.pop("check")
    data["start"] = local(w.site, draft.week_start, 10).strftime("%Y-%m-%dT%H:%M")
    data["end"] = local(w.site, draft.week_start, 18).strftime("%Y-%m-%dT%H:%M")
    page = client.post(url, {**data, "check": "1"}).content.decode()
    assert "breaks no rule" in page


def test_the_api_places_compares_and_collects_feedback(client):
    w = two_queue_world()
    draft, ops = hand_made_week(w)
    client.force_login(ops)
    base = f"/api/v1/wfm/schedules/{draft.pk}"
    body = {
        "kind": "training",
        "title": "Fraud",
        "minutes": 45,
        "employees": [w.employees["agent"].pk, w.flexible.pk],
    }
    r = client.post(f"{base}/activities", body, content_type="application/json")
    assert r.status_code == 201, r.content
    assert [p["activity"]["title"] for p in r.json()] == ["Fraud", "Fraud"]
    listed = client.get(f"{base}/activities").json()
    assert {a["employee"] for a in listed} == {w.employees["agent"].pk, w.flexible.pk}
    r = client.post(f"{base}/activities", {**body, "minutes": 0}, content_type="application/json")
    assert r.status_code == 422 and r.json()["errors"][0]["field"]
    cmp = client.get(f"{base}/compare").json()
    assert cmp["new"] == draft.pk and "agents" in cmp
    r = client.post(f"{base}/feedback", {"rating": 5}, content_type="application/json")
    assert r.status_code == 409  # a draft


def test_after_the_week_the_projection_is_compared_with_the_actual_service_level(client):
    from ccops.wfm.models import IntervalStat
    from ccops.wfm.services.coverage import projected_vs_actual
    from ccops.wfm.services.staffing import day_intervals

    w = two_queue_world()
    week = next_monday() - timedelta(days=14)
    for d in range(7):
        add_history(w, week + timedelta(days=d), weeks=1, calls=6, aht=300)
    plan = make_plan(w, shrinkage_percent=0, model="erlang_a", patience_seconds=120)
    ops = w.users["operations_supervisor"]
    draft = services.schedule_create(site=w.site, week_start=week, actor=ops)
    for d in range(5):
        start = local(w.site, week + timedelta(days=d), 9)
        services.shift_add(
            schedule=draft,
            employee=w.employees["agent"],
            start=start,
            end=start + timedelta(hours=8),
            queue_ids=[w.queue.pk],
            actor=ops,
        )
    published = services.schedule_publish(schedule=draft, actor=ops, confirm=True)
    assert projected_vs_actual(published) == []  # nothing of the week imported yet
    # the week's actuals: Monday's calls, half of them answered within the target
    monday = [
        IntervalStat(
            site=w.site,
            queue=w.queue,
            interval_start=start,
            interval_minutes=w.site.interval_minutes,
            offered=8,
            answered=8,
            abandoned=0,
            answered_within_target=4,
            aht_seconds=300,
        )
        for start in day_intervals(w.site, week)
        if 9 <= start.astimezone(w.site.zone).hour < 17
    ]
    IntervalStat.objects.bulk_create(monday)
    [retail] = projected_vs_actual(published)
    assert retail["name"] == "Retail" and [d["day"].date() for d in retail["days"]] == [
        (local(w.site, week, 0)).date()
    ]
    day = retail["days"][0]
    assert day["actual"] == pytest.approx(0.5) and day["offered"] == 8 * len(monday)
    assert retail["intervals"] == len(monday) and retail["mae"] is not None
    # the projection is the plan's model: Erlang A (with patience) differs from Erlang C
    from ccops.wfm.services.coverage import coverage as cov_of

    erlang_a = cov_of(published)["queues"][0]["projected"]
    plan.model, plan.patience_seconds = "erlang_c", None
    plan.save()
    assert cov_of(published)["queues"][0]["projected"] != pytest.approx(erlang_a)
    client.force_login(ops)
    page = client.get(published.get_absolute_url()).content.decode()
    assert 'id="projected-vs-actual"' in page and "50 %" in page


def test_a_moved_shift_takes_its_breaks_along():
    w = two_queue_world()
    draft, ops = hand_made_week(w)
    shift = draft.shifts.filter(employee=w.employees["agent"]).order_by("start").first()
    start = shift.start + timedelta(hours=2)
    services.shift_change(shift=shift, start=start, end=shift.end + timedelta(hours=2), actor=ops)
    shift.refresh_from_db()
    [lunch] = shift.breaks
    from django.utils.dateparse import parse_datetime

    assert parse_datetime(lunch["start"]) == start + timedelta(hours=4)
    with pytest.raises(ValidationError, match="breaks no longer fit"):
        services.shift_change(shift=shift, start=start, end=start + timedelta(hours=3), actor=ops)
