"""One schedule for the whole site (issue 11): every queue planned from its own staffing
plan, agents rostered by their skills, coverage and service level per queue, publishing
that replaces only the same week's version and tells each agent what changed for them,
and the one rule check on every path (edit, swap, leave)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ccops.core.models import Notification, Queue
from ccops.core.testing import build_world
from ccops.people.models import Employee, EmployeeSkill, Skill
from ccops.wfm import services, tasks
from ccops.wfm.models import Schedule, ScheduledShift, Unavailability
from ccops.wfm.services import generate, intraday
from ccops.wfm.services.coverage import coverage
from tests.wfm.helpers import add_history, local, make_plan, make_template_set, next_monday

pytestmark = pytest.mark.django_db


def two_queue_world():
    """build_world() with a second queue, Loans: the agent serves Retail, the other agent
    Loans only, and a flexible agent of group 1 serves both."""
    w = build_world()
    w.queue2 = Queue.objects.create(site=w.site, code=f"loans{w.site.pk}", name="Loans")
    w.skill2 = Skill.objects.create(code=f"loans{w.site.pk}", name="Loans", queue=w.queue2)
    EmployeeSkill.objects.filter(employee=w.other_employee).update(skill=w.skill2)
    from ccops.core.testing import make_user

    w.flexible = Employee.objects.create(
        user=make_user("agent", username=f"flex{w.site.pk}"),
        employee_number=f"F{w.site.pk}",
        full_name="Flexible agent",
        site=w.site,
        team=w.group1,
    )
    EmployeeSkill.objects.create(employee=w.flexible, skill=w.skill, level=2)
    EmployeeSkill.objects.create(employee=w.flexible, skill=w.skill2, level=2)
    return w


def generate_week(w, week):
    for d in range(7):
        add_history(w, week + timedelta(days=d), weeks=2, calls=4, aht=300)
    make_plan(w, shrinkage_percent=20)
    make_plan(w, name="Loans normal", queue=w.queue2, shrinkage_percent=20)
    # the loans history: a quieter line
    from ccops.wfm.models import IntervalStat

    rows = [
        IntervalStat(
            site=r.site,
            queue=w.queue2,
            interval_start=r.interval_start,
            interval_minutes=r.interval_minutes,
            offered=2 if r.offered else 0,
            answered=2 if r.offered else 0,
            abandoned=0,
            aht_seconds=r.aht_seconds,
        )
        for r in IntervalStat.objects.filter(queue=w.queue)
    ]
    IntervalStat.objects.bulk_create(rows)
    schedule = generate.schedule_generate(
        site=w.site,
        week_start=week,
        template_set=make_template_set(w),
        actor=w.users["operations_supervisor"],
        time_limit=3,
    )
    tasks.schedule_run.call(job_id=schedule.job_id, schedule_id=schedule.pk, time_limit=3)
    schedule.refresh_from_db()
    return schedule


def test_one_schedule_covers_every_queue_with_agents_by_their_skills():
    w = two_queue_world()
    schedule = generate_week(w, next_monday())
    assert schedule.status == "draft", schedule.summary
    assert sorted(schedule.summary["queues"]) == sorted([w.queue.pk, w.queue2.pk])
    assert {p.queue_id for p in schedule.plans.all()} == {w.queue.pk, w.queue2.pk}
    skills = {
        w.employees["agent"].pk: {w.queue.pk},
        w.other_employee.pk: {w.queue2.pk},
        w.flexible.pk: {w.queue.pk, w.queue2.pk},
    }
    served = set()
    for shift in schedule.shifts.all():
        served |= set(shift.serves)
        if shift.employee_id:
            assert set(shift.serves) <= skills[shift.employee_id], (shift, shift.serves)
    assert served == {w.queue.pk, w.queue2.pk}
    cov = coverage(schedule)
    names = {q["name"] for q in cov["queues"]}
    assert names == {"Retail", "Loans"}
    for q in cov["queues"]:
        assert q["required"].sum() > 0 and q["scheduled"].sum() > 0
        assert q["projected"] is not None
    # an agent with two skills counts toward one queue at a time
    per_queue = sum(q["scheduled"] for q in cov["queues"])
    assert (per_queue <= cov["scheduled"] + 1e-6).all()
    assert schedule.summary["hard_rule_violations"] == []


def test_publishing_replaces_only_the_same_week_and_tells_whom_it_changed():
    w = two_queue_world()
    ops = w.users["operations_supervisor"]
    week = next_monday()
    other_week = week + timedelta(days=7)
    agent, other = w.employees["agent"], w.other_employee

    def publish(start_week, people):
        draft = services.schedule_create(site=w.site, week_start=start_week, actor=ops)
        for employee, (queue, hour) in people.items():
            start = local(w.site, start_week, hour)
            services.shift_add(
                schedule=draft,
                employee=employee,
                start=start,
                end=start + timedelta(hours=8),
                queue_ids=[queue.pk],
                actor=ops,
            )
        return services.schedule_publish(schedule=draft, actor=ops, confirm=True)

    first = publish(week, {agent: (w.queue, 9), other: (w.queue2, 9)})
    later = publish(other_week, {agent: (w.queue, 9)})
    assert Notification.objects.filter(user=agent.user, message__contains="published").count() == 2
    # version 2 of the first week moves the agent's shift; the other agent's stays
    second = publish(week, {agent: (w.queue, 11), other: (w.queue2, 9)})
    first.refresh_from_db()
    later.refresh_from_db()
    assert first.status == "superseded" and later.status == "published"
    assert second.status == "published"
    moved = Notification.objects.filter(user=agent.user, message__contains="has changed")
    assert moved.count() == 1 and moved.get().params["moved"] == "1"
    assert not Notification.objects.filter(user=other.user, message__contains="has changed")


def test_edits_and_swaps_need_the_skill_of_the_queue():
    w = two_queue_world()
    ops = w.users["operations_supervisor"]
    week = next_monday()
    draft = services.schedule_create(site=w.site, week_start=week, actor=ops)
    start = local(w.site, week, 9)
    with pytest.raises(ValidationError, match="skill"):
        services.shift_add(
            schedule=draft,
            employee=w.other_employee,  # Loans only
            start=start,
            end=start + timedelta(hours=8),
            queue_ids=[w.queue.pk],
            actor=ops,
        )
    shift = services.shift_add(
        schedule=draft,
        start=start,
        end=start + timedelta(hours=8),
        queue_ids=[w.queue.pk],
        actor=ops,
    )
    with pytest.raises(ValidationError, match="skill"):
        services.shift_change(shift=shift, employee=w.other_employee, actor=ops)
    services.shift_change(shift=shift, employee=w.employees["agent"], actor=ops)
    services.schedule_publish(schedule=draft, actor=ops, confirm=True)
    shift.refresh_from_db()
    with pytest.raises(ValidationError, match="skill"):
        services.shift_swap_request(shift=shift, colleague=w.other_employee, actor=w.users["agent"])


def test_unavailability_is_a_hard_rule():
    w = two_queue_world()
    ops = w.users["operations_supervisor"]
    week = next_monday()
    Unavailability.objects.create(
        employee=w.employees["agent"],
        weekday=1,
        start_time=local(w.site, week, 18).time(),
        end_time=local(w.site, week, 0).time(),
        reason="evening classes",
    )
    draft = services.schedule_create(site=w.site, week_start=week, actor=ops)
    tuesday = local(w.site, week + timedelta(days=1), 12)
    with pytest.raises(ValidationError, match="unavailable"):
        services.shift_add(
            schedule=draft,
            employee=w.employees["agent"],
            start=tuesday,
            end=tuesday + timedelta(hours=8),
            queue_ids=[w.queue.pk],
            actor=ops,
        )
    monday = local(w.site, week, 12)
    services.shift_add(
        schedule=draft,
        employee=w.employees["agent"],
        start=monday,
        end=monday + timedelta(hours=8),
        queue_ids=[w.queue.pk],
        actor=ops,
    )


def test_approved_leave_opens_the_clashing_shifts_and_tells_the_planners():
    w = two_queue_world()
    ops = w.users["operations_supervisor"]
    week = next_monday()
    draft = services.schedule_create(site=w.site, week_start=week, actor=ops)
    start = local(w.site, week + timedelta(days=2), 9)
    shift = services.shift_add(
        schedule=draft,
        employee=w.employees["agent"],
        start=start,
        end=start + timedelta(hours=8),
        queue_ids=[w.queue.pk],
        actor=ops,
    )
    services.schedule_publish(schedule=draft, actor=ops, confirm=True)
    day = start.astimezone(w.site.zone).date()
    request = services.time_off_request(
        employee=w.employees["agent"],
        start=local(w.site, day, 0),
        end=local(w.site, day + timedelta(days=1), 0),
        kind="annual",
        actor=w.users["agent"],
    )
    (conflict,) = services.leave_conflicts(request)
    assert conflict["shift"] == shift and conflict["hours_on_phones"] == 8
    services.time_off_approve(request=request, actor=w.users["group_manager"])
    shift.refresh_from_db()
    assert shift.employee is None  # an open shift now
    told = Notification.objects.filter(user=ops, message__contains="leaves 1 shifts open")
    assert told.exists()


def test_intraday_counts_only_the_queue_s_own_agents():
    w = two_queue_world()
    ops = w.users["operations_supervisor"]
    week = next_monday()
    draft = services.schedule_create(site=w.site, week_start=week, actor=ops)
    start = local(w.site, week, 9)
    for employee, queue in ((w.employees["agent"], w.queue), (w.other_employee, w.queue2)):
        services.shift_add(
            schedule=draft,
            employee=employee,
            start=start,
            end=start + timedelta(hours=8),
            queue_ids=[queue.pk],
            actor=ops,
        )
    services.schedule_publish(schedule=draft, actor=ops, confirm=True)
    view = intraday.intraday(w.queue, week, now=local(w.site, week, 8))
    i10 = 20  # 10:00 on the half-hour grid
    assert view["scheduled"][i10] == 1  # the Loans agent is not counted for Retail


def test_site_schedule_pages_and_api(client):
    w = two_queue_world()
    schedule = generate_week(w, next_monday())
    ops = w.users["operations_supervisor"]
    client.force_login(ops)
    page = client.get(schedule.get_absolute_url())
    text = page.content.decode()
    assert page.status_code == 200 and "Loans" in text and "Retail" in text
    per_queue = client.get(schedule.get_absolute_url() + f"?queue={w.queue2.pk}")
    assert per_queue.context["heatmap_queue"]["name"] == "Loans"
    listing = client.get(reverse("wfm:schedule_list"))
    assert reverse("wfm:schedule_generate").encode() in listing.content
    cov = client.get(f"/api/v1/wfm/schedules/{schedule.pk}/coverage").json()
    assert {q["name"] for q in cov["queues"]} == {"Retail", "Loans"}
    start = local(w.site, schedule.week_start + timedelta(days=3), 9)
    body = {
        "start": start.isoformat(),
        "end": (start + timedelta(hours=8)).isoformat(),
        "employee": w.other_employee.pk,
        "queue_ids": [w.queue.pk],
    }
    check = client.post(
        f"/api/v1/wfm/schedules/{schedule.pk}/shifts/check",
        data=json.dumps(body),
        content_type="application/json",
    ).json()
    assert any("skill" in p for p in check["problems"])
    refused = client.post(
        f"/api/v1/wfm/schedules/{schedule.pk}/shifts",
        data=json.dumps(body),
        content_type="application/json",
    )
    assert refused.status_code == 422 and "skill" in refused.json()["detail"]
    body["queue_ids"] = [w.queue2.pk]
    made = client.post(
        f"/api/v1/wfm/schedules/{schedule.pk}/shifts",
        data=json.dumps(body),
        content_type="application/json",
    )
    assert made.status_code in (201, 422), made.content  # 422 only if a rule of the week
    publish = client.post(
        f"/api/v1/wfm/schedules/{schedule.pk}/publish",
        data=json.dumps({}),
        content_type="application/json",
    )
    if publish.status_code == 409:  # open shifts or a low service level: confirm
        publish = client.post(
            f"/api/v1/wfm/schedules/{schedule.pk}/publish",
            data=json.dumps({"confirm": True}),
            content_type="application/json",
        )
    assert publish.status_code == 200, publish.content
    assert Schedule.objects.get(pk=schedule.pk).status == "published"


def test_publish_asks_for_confirmation_on_open_shifts(client):
    w = two_queue_world()
    ops = w.users["operations_supervisor"]
    week = next_monday()
    draft = services.schedule_create(site=w.site, week_start=week, actor=ops)
    start = local(w.site, week, 9)
    services.shift_add(
        schedule=draft,
        start=start,
        end=start + timedelta(hours=8),
        queue_ids=[w.queue.pk],
        actor=ops,
    )
    client.force_login(ops)
    first = client.post(reverse("wfm:schedule_publish", args=[draft.pk]))
    assert first.status_code == 200 and "1 shifts have no agent" in first.content.decode()
    assert Schedule.objects.get(pk=draft.pk).status == "draft"
    done = client.post(reverse("wfm:schedule_publish", args=[draft.pk]), {"confirm": "1"})
    assert done.status_code == 302
    assert Schedule.objects.get(pk=draft.pk).status == "published"
    assert ScheduledShift.objects.filter(schedule=draft, employee=None).count() == 1
