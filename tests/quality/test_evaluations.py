"""QA plans and their draw, the evaluation lifecycle (score, release, acknowledge,
dispute, rescore, decline), coaching, and who sees what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from ccops.core import audit
from ccops.core.errors import Conflict
from ccops.core.models import AuditEntry, Notification
from ccops.core.testing import build_world
from ccops.people.models import Employee
from ccops.quality.models import Evaluation, EvaluationRevision
from ccops.quality.services import evaluations as ev
from ccops.quality.services.common import month_start
from tests.quality.helpers import answers, call, evaluation, form, questions

pytestmark = pytest.mark.django_db


def _agents(w, n):
    out = [w.employees["agent"], w.other_employee]
    with audit.acting_as(None, via=audit.VIA_SYSTEM):
        for i in range(n - 2):
            out.append(
                Employee.objects.create(
                    employee_number=f"P{w.site.pk}-{i}",
                    full_name=f"Agent {i}",
                    site=w.site,
                    team=w.group1,
                )
            )
    return out


def _month_of_calls(w, agents, per_agent=12, **kw):
    start = timezone.localtime().replace(day=1, hour=9, minute=0, second=0, microsecond=0)
    for a in agents:
        for k in range(per_agent):
            call(w, employee=a, when=start + dt.timedelta(days=(k * 2) % 27, minutes=a.pk), **kw)
    return start.date()


def _plan(w, month, **kw):
    return ev.qa_plan_create(
        site=w.site,
        month=month,
        name="Monthly plan",
        actor=w.users["quality_supervisor"],
        inspectors=[w.employees["qa_inspector"], w.employees["quality_supervisor"]],
        quota_per_agent=4,
        seed=kw.pop("seed", 42),
        **kw,
    )


def test_plan_draw_is_reproducible_per_agent_spread_and_assigned():
    w = build_world()
    form(w)
    agents = _agents(w, 5)
    month = _month_of_calls(w, agents)
    plan = _plan(w, month)
    ev.qa_plan_draw(plan=plan, actor=w.users["quality_supervisor"])
    drawn = list(plan.evaluations.order_by("call_id").values_list("call_id", flat=True))
    assert len(drawn) == 20
    for a in agents:
        mine = plan.evaluations.filter(agent=a)
        assert mine.count() == 4
        days = sorted(e.call_started_at.day for e in mine)
        assert days[-1] - days[0] >= 14  # spread over the month, not bunched
    per_inspector = [plan.evaluations.filter(inspector=i).count() for i in plan.inspectors.all()]
    assert sorted(per_inspector) == [10, 10]
    assert all(e.due_date >= timezone.localdate() for e in plan.evaluations.all())
    assert Notification.objects.filter(user=w.users["qa_inspector"]).exists()
    # The same seed draws the same calls again; another seed others.
    again = _plan(w, month)
    ev.qa_plan_draw(plan=again, actor=w.users["quality_supervisor"])
    assert sorted(again.evaluations.values_list("call_id", flat=True)) == sorted(drawn)
    other = _plan(w, month, seed=7)
    ev.qa_plan_draw(plan=other, actor=w.users["quality_supervisor"])
    assert sorted(other.evaluations.values_list("call_id", flat=True)) != sorted(drawn)
    with pytest.raises(Conflict):
        ev.qa_plan_draw(plan=plan, actor=w.users["quality_supervisor"])


def test_plan_filters_long_calls_transfers_and_complaints():
    w = build_world()
    form(w)
    agent = w.employees["agent"]
    month = month_start(timezone.localdate())
    base = timezone.localtime().replace(day=1, hour=10)
    short = call(w, employee=agent, when=base, handle=60)
    long_ = call(w, employee=agent, when=base + dt.timedelta(hours=1), handle=900)
    moved = call(w, employee=agent, when=base + dt.timedelta(hours=2), handle=200, transferred=True)
    plan = _plan(w, month, min_handle_seconds=600)
    assert list(ev.plan_candidates(plan)) == [long_]
    plan2 = _plan(w, month, transfers="only")
    assert list(ev.plan_candidates(plan2)) == [moved]
    from ccops.quality.services.complaints import complaint_register

    complaint_register(
        site=w.site,
        received_on=month,
        channel="phone",
        category="attitude",
        description="Rude",
        call_reference=short.call_reference,
        actor=w.users["qa_inspector"],
    )
    plan3 = _plan(w, month, complaints_only=True)
    assert list(ev.plan_candidates(plan3)) == [short]
    empty = _plan(w, month.replace(year=month.year - 1))
    with pytest.raises(ValidationError, match="No imported call"):
        ev.qa_plan_draw(plan=empty, actor=w.users["quality_supervisor"])


def test_release_acknowledge_and_what_agents_see(client):
    w = build_world()
    f = form(w)
    draft = evaluation(w, f, released=False)
    released = evaluation(w, f)
    others = evaluation(w, f, agent=w.other_employee)
    visible = set(ev.visible_evaluations(w.users["agent"]))
    assert released in visible and draft not in visible and others not in visible
    client.force_login(w.users["agent"])
    assert client.get(reverse("quality:evaluation_detail", args=[others.pk])).status_code == 404
    assert client.get(reverse("quality:evaluation_detail", args=[draft.pk])).status_code == 404
    page = client.get(reverse("quality:evaluation_detail", args=[released.pk]))
    assert page.status_code == 200 and "Well done" in page.text
    listing = client.get(reverse("quality:evaluation_list"))
    assert list(listing.context["object_list"]) == [released]
    api = client.get("/api/v1/quality/evaluations/")
    assert {r["id"] for r in api.json()["items"]} == {released.pk}
    # The released revision is locked: nothing changes it any more.
    revision = released.current_revision
    assert revision.is_locked
    revision.coaching_note = "changed"
    with pytest.raises(audit.RecordLocked), audit.acting_as(w.users["quality_supervisor"]):
        revision.save()
    with pytest.raises(Conflict):
        ev.evaluation_score(
            evaluation=released, answers=answers(f.current_version), actor=w.users["qa_inspector"]
        )
    with pytest.raises(PermissionDenied):
        ev.evaluation_acknowledge(evaluation=released, actor=w.other_agent)
    ev.evaluation_acknowledge(evaluation=released, actor=w.users["agent"])
    released.refresh_from_db()
    assert released.status == "acknowledged" and released.acknowledged_at
    # Only the assigned inspector (or the quality supervisor) scores.
    with pytest.raises(PermissionDenied):
        ev.evaluation_score(
            evaluation=draft, answers=answers(f.current_version), actor=w.users["group_manager"]
        )


def test_dispute_rescore_keeps_every_revision():
    w = build_world()
    f = form(w)
    e = evaluation(w, f, Verifies_identity=0)
    first_score = e.score
    q = questions(f.current_version)["Verifies identity"]
    with pytest.raises(PermissionDenied):
        ev.dispute_raise(evaluation=e, questions=[q], reason="I did", actor=w.other_agent)
    with pytest.raises(ValidationError, match="questions"):
        ev.dispute_raise(evaluation=e, questions=[], reason="I did", actor=w.users["agent"])
    d = ev.dispute_raise(
        evaluation=e, questions=[q], reason="I verified at 01:20", actor=w.users["agent"]
    )
    e.refresh_from_db()
    assert e.status == "disputed"
    assert d.respond_by > timezone.now() + dt.timedelta(days=6)
    assert Notification.objects.filter(user=w.users["quality_supervisor"]).exists()
    with pytest.raises(ValidationError):  # one open dispute at a time
        ev.dispute_raise(evaluation=e, questions=[q], reason="again", actor=w.users["agent"])
    with pytest.raises(PermissionDenied):
        ev.dispute_rescore(
            dispute=d, answers={q.pk: {"value": 1}}, reason="ok", actor=w.users["qa_inspector"]
        )
    revision = ev.dispute_rescore(
        dispute=d,
        answers={q.pk: {"value": 1}},
        reason="Verification heard at 01:20",
        actor=w.users["quality_supervisor"],
    )
    e.refresh_from_db()
    assert revision.number == 2 and revision.is_locked and e.status == "closed"
    assert e.score > first_score
    revisions = list(EvaluationRevision.objects.filter(evaluation=e).order_by("number"))
    assert [r.score for r in revisions] == [first_score, e.score]
    assert revisions[0].answers.get(question=q).value == 0  # the original is untouched
    assert AuditEntry.objects.for_object(d).filter(action="dispute_rescore").exists()
    with pytest.raises(Conflict):
        ev.dispute_decline(dispute=d, note="no", actor=w.users["quality_supervisor"])


def test_dispute_window_and_decline():
    w = build_world()
    e = evaluation(w)
    q = e.form_version.questions().first()
    Evaluation.objects.filter(pk=e.pk).update(dispute_until=timezone.now() - dt.timedelta(hours=1))
    e.refresh_from_db()
    with pytest.raises(ValidationError, match="window closed"):
        ev.dispute_raise(evaluation=e, questions=[q], reason="late", actor=w.users["agent"])
    e2 = evaluation(w)
    d = ev.dispute_raise(
        evaluation=e2,
        questions=[e2.form_version.questions().first()],
        reason="Unfair",
        actor=w.users["agent"],
    )
    with pytest.raises(ValidationError, match="Explain"):
        ev.dispute_decline(dispute=d, note=" ", actor=w.users["quality_supervisor"])
    ev.dispute_decline(
        dispute=d, note="The greeting was missing.", actor=w.users["quality_supervisor"]
    )
    e2.refresh_from_db()
    assert e2.status == "closed" and e2.revisions.count() == 1


def test_coaching_is_followed_up_like_an_action_item():
    w = build_world()
    e = evaluation(w)
    s = ev.coaching_plan(
        agent=w.employees["agent"],
        topic="Verification",
        evaluation=e,
        planned_for=timezone.localdate() - dt.timedelta(days=1),
        actor=w.users["group_manager"],
    )
    assert s.is_overdue and s.coach == w.employees["group_manager"]
    with pytest.raises(PermissionDenied):
        ev.coaching_hold(
            session=s, notes="x", follow_up_due=timezone.localdate(), actor=w.users["qa_inspector"]
        )
    ev.coaching_hold(
        session=s,
        notes="Verify before account details",
        follow_up_due=timezone.localdate() + dt.timedelta(days=14),
        actor=w.users["group_manager"],
    )
    s.refresh_from_db()
    assert s.status == "held" and not s.is_overdue
    ev.coaching_acknowledge(session=s, actor=w.users["agent"])
    ev.coaching_follow_up(
        session=s, note="Verified on all 5 calls checked", actor=w.users["group_manager"]
    )
    s.refresh_from_db()
    assert s.status == "closed" and s.acknowledged_at and s.due_date is None


def test_agent_qa_score_with_margin_of_error():
    w = build_world()
    f = form(w)
    for tone in (5, 3, 4, 2):
        evaluation(w, f, Tone=tone)
    evaluation(w, f, released=False)
    data = ev.agent_qa(w.site, timezone.localdate(), [w.employees["agent"].pk])
    q = data[w.employees["agent"].pk]
    assert q["n"] == 4 and q["calls"] == 5
    import numpy as np
    from scipy.stats import t

    scores = np.array(
        sorted(Evaluation.objects.filter(status="released").values_list("score", flat=True))
    )
    half = t.ppf(0.975, 3) * scores.std(ddof=1) / 2 * np.sqrt((5 - 4) / (5 - 1))
    assert q["mean"] == pytest.approx(scores.mean()) and q["margin"] == pytest.approx(half)
