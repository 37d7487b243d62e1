"""Schedules: generation as a job, coverage heat-map, projected SL, manual edits checked
against the rules, publishing with notifications, versions, exports."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from ccops.core.models import Notification
from ccops.core.testing import build_world
from ccops.wfm import services, tasks
from ccops.wfm.models import Schedule, ScheduledShift
from ccops.wfm.services import exports, generate
from ccops.wfm.services.coverage import coverage
from tests.wfm.helpers import add_history, local, make_plan, make_template_set, next_monday

pytestmark = pytest.mark.django_db


def generated(world, week=None):
    week = week or next_monday()
    for d in range(7):
        add_history(world, week + timedelta(days=d), weeks=2, calls=4, aht=300)
    make_plan(world, shrinkage_percent=20)
    templates = make_template_set(world)
    actor = world.users["operations_supervisor"]
    schedule = generate.schedule_generate(
        site=world.site,
        week_start=week,
        template_set=templates,
        actor=actor,
        time_limit=3,
    )
    assert schedule.status == "queued" and schedule.job is not None
    tasks.schedule_run.call(job_id=schedule.job_id, schedule_id=schedule.pk, time_limit=3)
    schedule.refresh_from_db()
    return schedule


def test_generate_cover_roster_and_coverage():
    world = build_world()
    schedule = generated(world)
    assert schedule.status == "draft", schedule.summary
    summary = schedule.summary
    shifts = list(schedule.shifts.all())
    assert len(shifts) == summary["shifts"] > 0
    assert all(s.end - s.start == timedelta(hours=8) for s in shifts)
    assert all(len(s.breaks) == 1 and not s.breaks[0]["paid"] for s in shifts)
    assigned = [s for s in shifts if s.employee_id]
    assert assigned and {s.employee for s in assigned} <= {
        world.employees["agent"],
        world.other_employee,
    }
    assert summary["hard_rule_violations"] == []
    cov = coverage(schedule)
    assert cov["required"].size == 7 * 48 and cov["required"].sum() > 0
    # Coverage counts each shift's hours minus its lunch.
    assert cov["scheduled"].sum() == sum(15 for _ in shifts)
    assert 0 < cov["projected_service_level"] <= 1


def test_manual_edits_checked_against_the_rules():
    world = build_world()
    ops = world.users["operations_supervisor"]
    agent = world.employees["agent"]
    week = next_monday()
    draft = services.schedule_create(site=world.site, week_start=week, actor=ops)
    monday = local(world.site, week, 9)
    first = services.shift_add(
        schedule=draft, employee=agent, start=monday, end=monday + timedelta(hours=8), actor=ops
    )
    late = local(world.site, week + timedelta(days=1), 0)
    with pytest.raises(ValidationError, match="rest only"):
        services.shift_add(
            schedule=draft, employee=agent, start=late, end=late + timedelta(hours=6), actor=ops
        )
    spare = services.shift_add(
        schedule=draft,
        start=monday + timedelta(hours=2),
        end=monday + timedelta(hours=10),
        actor=ops,
    )
    with pytest.raises(ValidationError, match="two shifts"):
        services.shift_change(shift=spare, employee=agent, actor=ops)
    # Approved leave on Sunday: the engine's roster checker refuses a shift that day.
    sunday = week + timedelta(days=6)
    request = services.time_off_request(
        employee=agent,
        start=local(world.site, sunday, 0),
        end=local(world.site, sunday + timedelta(days=1), 0),
        kind="annual",
        actor=world.users["agent"],
    )
    services.time_off_approve(request=request, actor=world.users["group_manager"])
    with pytest.raises(ValidationError, match="leave"):
        services.shift_add(
            schedule=draft,
            employee=agent,
            start=local(world.site, sunday, 9),
            end=local(world.site, sunday, 17),
            actor=ops,
        )
    # Monday to Friday is fine; a Saturday shift leaves one day off in the week (two needed).
    for offset in range(1, 5):
        start = local(world.site, week + timedelta(days=offset), 9)
        services.shift_add(
            schedule=draft,
            employee=agent,
            start=start,
            end=start + timedelta(hours=6),
            actor=ops,
        )
    saturday = local(world.site, week + timedelta(days=5), 9)
    with pytest.raises(ValidationError, match="days off"):
        services.shift_add(
            schedule=draft,
            employee=agent,
            start=saturday,
            end=saturday + timedelta(hours=6),
            actor=ops,
        )
    assert draft.shifts.filter(employee=agent).count() == 5
    assert first.employee == agent


def test_publish_notifies_and_versions(client):
    world = build_world()
    schedule = generated(world)
    ops = world.users["operations_supervisor"]
    client.force_login(ops)
    page = client.get(schedule.get_absolute_url())
    assert page.status_code == 200 and b"heatmap" in page.content
    response = client.post(reverse("wfm:schedule_publish", args=[schedule.pk]))
    if response.status_code == 200:  # open shifts or a low service level: confirm
        assert b'name="confirm"' in response.content
        response = client.post(
            reverse("wfm:schedule_publish", args=[schedule.pk]), {"confirm": "1"}
        )
    assert response.status_code == 302
    schedule.refresh_from_db()
    assert schedule.status == "published"
    rostered = {s.employee.user for s in schedule.shifts.filter(employee__isnull=False)}
    assert rostered
    for user in rostered:
        assert Notification.objects.filter(user=user, message__contains="published").exists()
    monday = local(world.site, schedule.week_start, 9)
    with pytest.raises(ValidationError, match="draft"):
        services.shift_add(
            schedule=schedule, start=monday, end=monday + timedelta(hours=1), actor=ops
        )
    client.post(reverse("wfm:schedule_copy", args=[schedule.pk]))
    versions = Schedule.objects.filter(site=world.site, week_start=schedule.week_start)
    assert sorted(versions.values_list("version", flat=True)) == [1, 2]
    assert versions.get(version=2).shifts.count() == schedule.shifts.count()


def test_exports():
    world = build_world()
    schedule = generated(world)
    book = load_workbook(io.BytesIO(exports.schedule_xlsx(schedule)))
    assert book.sheetnames == ["By agent", "By day"]
    by_day = list(book["By day"].iter_rows(values_only=True))
    assert len(by_day) == 1 + schedule.shifts.count()
    lines = exports.coverage_csv(schedule).splitlines()
    assert lines[0] == "interval_start,queue,required,scheduled,calls,projected_service_level"
    assert len(lines) == 1 + 7 * 48 * 2  # the queue and the whole site per interval
    assert lines[1 + 2 * 20].startswith(f"{schedule.week_start}T10:00+08:00,{world.queue.code},")
    assert lines[2 + 2 * 20].startswith(f"{schedule.week_start}T10:00+08:00,*,")


def test_generate_page_and_bad_templates(client):
    world = build_world()
    client.force_login(world.users["operations_supervisor"])
    bad = client.post(
        reverse("wfm:shifttemplateset_add"),
        {"site": world.site.pk, "name": "Broken", "definition": "sets: {normal: [{name: x}]}"},
    )
    assert bad.status_code == 200 and bad.context["form"].errors["definition"]
    make_plan(world)
    templates = make_template_set(world)
    response = client.post(
        reverse("wfm:schedule_generate"),
        {
            "site": world.site.pk,
            "week_start": next_monday(),
            "template_set": templates.pk,
            "time_limit": 2,
        },
    )
    assert response.status_code == 302
    schedule = Schedule.objects.get(site=world.site)
    assert schedule.status == "queued" and schedule.job.kind == "wfm.schedule"
    assert ScheduledShift.objects.filter(schedule=schedule).count() == 0
