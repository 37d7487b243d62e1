"""The process register: versions reviewed by the right supervisor before they take effect;
PDCA projects through the six steps, none passed without its content."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ccops.core import audit
from ccops.core.testing import build_world
from ccops.meetings import services as meetings
from ccops.processes import services
from ccops.processes.models import ImprovementProject, ProcessVersion
from tests.meetings.helpers import meeting
from tests.processes.helpers import process, project, stats

pytestmark = pytest.mark.django_db


def test_a_change_is_reviewed_by_the_reviewing_supervisor_before_it_takes_effect():
    w = build_world()
    p = process(w)
    first = p.versions.get()
    assert p.version_in_effect() is None and first.status == "draft"
    services.version_submit(version=first, actor=w.users["group_manager"])
    # operational: the operations supervisor reviews, not the general supervisor
    assert not services.may_review(w.users["general_supervisor"], first)
    with pytest.raises(PermissionDenied):
        services.version_review(version=first, approve=True, actor=w.users["general_supervisor"])
    services.version_review(version=first, approve=True, actor=w.users["operations_supervisor"])
    p.refresh_from_db()
    assert p.version_in_effect() == first
    # a new version takes effect only once approved, and on its date
    second = services.version_draft(
        process=p,
        description="1. Verify.\n2. Block.\n3. Send SMS.",
        change_summary="SMS confirmation",
        effective_from=timezone.localdate() + dt.timedelta(days=7),
        actor=w.users["group_manager"],
    )
    with pytest.raises(ValidationError, match="already has a change"):
        services.version_draft(
            process=p,
            description="x",
            change_summary="y",
            effective_from=timezone.localdate(),
            actor=w.users["group_manager"],
        )
    services.version_submit(version=second, actor=w.users["group_manager"])
    second = services.version_review(
        version=second, approve=True, actor=w.users["operations_supervisor"]
    )
    assert p.version_in_effect() == first
    assert p.version_in_effect(timezone.localdate() + dt.timedelta(days=7)) == second
    # every version is kept and none changes once reviewed
    second.description = "rewritten"
    with pytest.raises(audit.RecordLocked):
        second.save()
    assert list(p.versions.values_list("number", flat=True)) == [2, 1]
    with transaction.atomic(), pytest.raises(IntegrityError):
        ProcessVersion.objects.create(
            process=p,
            number=3,
            description="a",
            change_summary="b",
            effective_from=timezone.localdate(),
            status="draft",
        )
        ProcessVersion.objects.create(
            process=p,
            number=4,
            description="a",
            change_summary="b",
            effective_from=timezone.localdate(),
            status="draft",
        )


def test_web_and_complaint_processes_are_reviewed_by_the_general_supervisor():
    w = build_world()
    p = process(
        w, category="complaints", owner="operations_supervisor", actor="operations_supervisor"
    )
    version = p.versions.get()
    services.version_submit(version=version, actor=w.users["operations_supervisor"])
    assert not services.may_review(w.users["operations_supervisor"], version)
    assert services.may_review(w.users["general_supervisor"], version)
    # a change written by the general supervisor goes to the center director
    q = process(w, category="web", owner="general_supervisor", actor="general_supervisor")
    own = q.versions.get()
    services.version_submit(version=own, actor=w.users["general_supervisor"])
    assert not services.may_review(w.users["general_supervisor"], own)
    assert services.may_review(w.users["center_director"], own)
    with pytest.raises(ValidationError, match="why"):
        services.version_review(version=own, approve=False, actor=w.users["center_director"])


def _approved_action_item(w, item):
    meetings.action_item_report_progress(item=item, text="Done", done=True, actor=item.owner.user)
    item.refresh_from_db()
    meetings.action_item_close(item=item, outcome="done", actor=w.users["quality_supervisor"])


def test_a_project_passes_the_six_steps_only_with_their_content():
    w = build_world()
    lead = w.users["group_manager"]
    pr = project(w)
    before = timezone.localdate() - dt.timedelta(days=20)
    after = timezone.localdate() - dt.timedelta(days=2)
    stats(w, before, within=60, abandoned=12)
    stats(w, after, within=80, abandoned=5)
    # step 1: choose and measure the baseline
    with pytest.raises(ValidationError, match="Measure the baseline"):
        services.project_advance(project=pr, actor=lead)
    pr = services.project_update(
        project=pr,
        metric="Service level",
        metric_unit="%",
        queue=w.queue,
        stat_metric="service_level",
        baseline_from=before,
        baseline_to=before,
        target_value=75,
        actor=lead,
    )
    pr = services.project_measure(project=pr, which="baseline", actor=lead)
    assert pr.baseline_value == 60.0 and "intervals" in pr.baseline_source
    pr = services.project_advance(project=pr, actor=lead)
    assert pr.step == 2
    with pytest.raises(ValidationError, match="passed"):
        services.project_update(project=pr, baseline_value=10, actor=lead)
    pr.refresh_from_db()
    pr.baseline_value = 10
    with pytest.raises(audit.RecordLocked):
        pr.save()
    pr.refresh_from_db()
    # step 2: cause analysis on data
    pr = services.project_update(
        project=pr, cause_analysis="Lunch breaks all start at 12:00.", actor=lead
    )
    with pytest.raises(ValidationError, match="evidence"):
        services.project_advance(project=pr, actor=lead)
    services.evidence_add_statistics(
        project=pr,
        queue=w.queue,
        period_from=before,
        period_to=before,
        note="Low SL at lunch",
        actor=lead,
    )
    services.evidence_add_record(
        project=pr,
        kind="other",
        content_type=ContentType.objects.get_for_model(type(w.period)).pk,
        object_id=w.period.pk,
        note="Billing days make it worse",
        actor=lead,
    )
    pr = services.project_advance(project=pr, actor=lead)
    # step 3: countermeasures as action items
    with pytest.raises(ValidationError, match="countermeasure"):
        services.project_advance(project=pr, actor=lead)
    m = meeting(w)
    measure = services.countermeasure_add(
        project=pr,
        cause="Breaks start together",
        meeting=m,
        title="Stagger lunch breaks",
        owner=w.employees["agent"],
        due_date=timezone.localdate() + dt.timedelta(days=5),
        actor=lead,
    )
    assert measure.action_item.meeting == m and "Stagger" in measure.action_item.title
    pr = services.project_advance(project=pr, actor=lead)
    # step 4: implementation, the action items closed
    pr = services.project_update(
        project=pr,
        implementation_notes="Breaks staggered by 15 minutes.",
        implemented_on=before + dt.timedelta(days=1),
        actor=lead,
    )
    with pytest.raises(ValidationError, match="still open"):
        services.project_advance(project=pr, actor=lead)
    _approved_action_item(w, measure.action_item)
    pr = services.project_advance(project=pr, actor=lead)
    # step 5: evaluation against the baseline
    pr = services.project_update(
        project=pr, result_from=after, result_to=after, evaluation="SL up 20 points.", actor=lead
    )
    pr = services.project_measure(project=pr, which="result", actor=lead)
    assert pr.result_value == 80.0 and pr.change == 20.0 and pr.improved and pr.target_met
    pr = services.project_advance(project=pr, actor=lead)
    # step 6: standardise into a new, reviewed process version
    version = services.standardisation_draft_version(
        project=pr,
        description="Lunch breaks are staggered.",
        change_summary="From the project",
        effective_from=timezone.localdate(),
        actor=lead,
    )
    pr = services.project_update(
        project=pr, standardisation_note="Break rule added to the process.", actor=lead
    )
    with pytest.raises(ValidationError, match="approved process version"):
        services.project_advance(project=pr, actor=lead)
    services.version_submit(version=version, actor=lead)
    services.version_review(version=version, approve=True, actor=w.users["operations_supervisor"])
    pr = services.project_advance(project=pr, actor=lead)
    assert pr.status == "completed" and pr.step_records.count() == 6
    assert all(r.is_signed for r in pr.step_records.all())
    with pytest.raises(ValidationError):
        services.project_update(project=pr, title="Renamed", actor=lead)


def test_only_the_lead_or_a_supervisor_passes_a_step_and_board_shows_it(client):
    w = build_world()
    pr = project(w)
    with pytest.raises(PermissionDenied):
        services.project_advance(project=pr, actor=w.users["agent"])
    with pytest.raises(PermissionDenied):
        services.project_update(project=pr, goal="x", actor=w.users["trainer"])
    client.force_login(w.users["agent"])  # a team member sees the project
    board = client.get(reverse("processes:improvementproject_board"))
    assert board.status_code == 200 and pr.title in board.text
    page = client.get(pr.get_absolute_url())
    assert page.status_code == 200 and "Measure the baseline" in page.text
    other = ImprovementProject.objects.exclude(pk=pr.pk).count()
    assert other == 0


def test_my_projects_on_the_home_page_are_those_i_lead_or_work_on(client):
    w = build_world()
    pr = project(w)  # led by the group manager, the agent a member
    for slug, shown in [("group_manager", True), ("agent", True), ("trainer", False)]:
        client.force_login(w.users[slug])
        home = client.get("/").text
        assert (pr.title in home) == shown, slug
    client.force_login(w.other_agent)
    assert pr.title not in client.get("/").text
    # a project that ended is not shown
    client.force_login(w.users["group_manager"])
    ImprovementProject.objects.filter(pk=pr.pk).update(status="cancelled")
    assert pr.title not in client.get("/").text
