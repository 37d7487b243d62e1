"""Calibration (blind scores, reference, deviations, alpha per question), complaints,
satisfaction imports and the monthly summary on the operations meeting's agenda."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from ccops.core.errors import Conflict
from ccops.core.testing import build_world
from ccops.meetings import services as meetings
from ccops.quality.services import calibration as cal
from ccops.quality.services import complaints as cpl
from tests.quality.helpers import answers, call, evaluation, form, questions

pytestmark = pytest.mark.django_db


def _session(w, f, **kw):
    return cal.calibration_create(
        site=w.site,
        title="Calibration 1",
        form_version=f.current_version,
        call_reference="C1",
        participants=[
            w.employees["qa_inspector"],
            w.employees["group_manager"],
            w.employees["trainer"],
        ],
        expert=w.employees["quality_supervisor"],
        due_date=timezone.localdate(),
        actor=w.users["quality_supervisor"],
        **kw,
    )


def test_blind_scores_reference_and_results(client):
    w = build_world()
    f = form(w)
    v = f.current_version
    s = _session(w, f)
    with pytest.raises(PermissionDenied):
        cal.calibration_submit(session=s, answers=answers(v), actor=w.users["agent"])
    cal.calibration_submit(session=s, answers=answers(v, Tone=3), actor=w.users["qa_inspector"])
    cal.calibration_submit(session=s, answers=answers(v, Tone=5), actor=w.users["group_manager"])
    # Blind: the inspector sees only their own score while the session is open.
    client.force_login(w.users["qa_inspector"])
    page = client.get(s.get_absolute_url())
    assert page.status_code == 200 and page.context["results"] is None
    assert not page.context["show_scores"]
    with pytest.raises(ValidationError, match="reference"):
        cal.calibration_close(session=s, actor=w.users["quality_supervisor"])
    with pytest.raises(PermissionDenied):
        cal.calibration_submit(
            session=s, answers=answers(v), reference=True, actor=w.users["qa_inspector"]
        )
    cal.calibration_submit(
        session=s, answers=answers(v, Tone=5), reference=True, actor=w.users["quality_supervisor"]
    )
    cal.calibration_submit(
        session=s, answers=answers(v, Tone=5, Verifies_identity=0), actor=w.users["trainer"]
    )
    s = cal.calibration_close(session=s, actor=w.users["quality_supervisor"])
    r = s.results
    by_name = {e["employee"]: e for e in r["evaluators"]}
    assert by_name[w.employees["group_manager"].pk]["deviation"] == 0
    assert by_name[w.employees["qa_inspector"].pk]["deviation"] > 0
    tone = next(q for q in r["questions"] if q["text"] == "Tone")
    assert tone["match_rate"] == pytest.approx(2 / 3, abs=1e-3)
    assert s.alpha is not None and s.alpha < 1
    with pytest.raises(Conflict):  # closed: the scores are locked
        cal.calibration_submit(session=s, answers=answers(v), actor=w.users["qa_inspector"])
    page = client.get(s.get_absolute_url())
    assert page.context["show_scores"] and "Krippendorff" in page.text


def test_question_agreement_flags_questions_scored_inconsistently():
    w = build_world()
    f = form(w)
    v = f.current_version
    for k in range(4):
        s = _session(w, f)
        # Everyone agrees on the greeting; the tone is scored all over the place.
        tones = [(1, 5, 3), (5, 1, 2), (2, 4, 5), (4, 2, 1)][k]
        for user, tone in zip(("qa_inspector", "group_manager", "trainer"), tones, strict=True):
            cal.calibration_submit(session=s, answers=answers(v, Tone=tone), actor=w.users[user])
        cal.calibration_submit(
            session=s, answers=answers(v), reference=True, actor=w.users["quality_supervisor"]
        )
        cal.calibration_close(session=s, actor=w.users["quality_supervisor"])
    rows = {r["text"]: r for r in cal.question_agreement(f)}
    assert rows["Tone"]["units"] == 4 and rows["Tone"]["flagged"] and rows["Tone"]["alpha"] < 0.667
    assert rows["Greets with the name"]["unanimous"] and not rows["Greets with the name"]["flagged"]


def test_complaint_lifecycle_counts_and_summary_goes_to_the_meeting(client):
    w = build_world()
    c1 = call(w)
    complaint = cpl.complaint_register(
        site=w.site,
        received_on=timezone.localdate(),
        channel="phone",
        category="attitude",
        description="The agent was rude.",
        call_reference=c1.call_reference,
        actor=w.users["qa_inspector"],
    )
    assert complaint.agent == w.employees["agent"] and complaint.queue == w.queue
    with pytest.raises(Conflict):  # must be investigated first
        cpl.complaint_close(
            complaint=complaint,
            outcome="substantiated",
            findings="x",
            actor=w.users["quality_supervisor"],
        )
    cpl.complaint_investigate(
        complaint=complaint,
        investigator=w.employees["qa_inspector"],
        actor=w.users["quality_supervisor"],
    )
    with pytest.raises(ValidationError, match="unfounded"):
        cpl.complaint_close(
            complaint=complaint,
            outcome="unsubstantiated",
            findings="x",
            points=3,
            actor=w.users["qa_inspector"],
        )
    complaint = cpl.complaint_close(
        complaint=complaint,
        outcome="substantiated",
        findings="Confirmed on the recording.",
        actor=w.users["qa_inspector"],
    )
    assert complaint.points == 5 and complaint.status == "closed"
    other = cpl.complaint_register(
        site=w.site,
        received_on=timezone.localdate(),
        channel="email",
        category="waiting",
        description="Long wait",
        actor=w.users["qa_inspector"],
    )
    assert other.agent is None
    meeting = meetings.meeting_schedule(
        site=w.site,
        kind="monthly_operations",
        title="Monthly operations meeting",
        starts_at=timezone.now() + dt.timedelta(days=3),
        chair=w.employees["operations_supervisor"],
        agenda="Service level",
        actor=w.users["operations_supervisor"],
    )
    summary = cpl.complaint_summary_create(
        site=w.site,
        month=timezone.localdate(),
        meeting=meeting,
        actor=w.users["quality_supervisor"],
    )
    assert summary.figures["received"] == 2 and summary.figures["closed"] == 1
    assert summary.figures["points"] == 5 and summary.figures["top_agents"][0][1] == 1
    meeting.refresh_from_db()
    assert (
        meeting.agenda.startswith("Service level\n")
        and summary.get_absolute_url() in meeting.agenda
    )
    weekly = meetings.meeting_schedule(
        site=w.site,
        kind="weekly_quality",
        title="Weekly",
        starts_at=timezone.now(),
        chair=w.employees["quality_supervisor"],
        actor=w.users["quality_supervisor"],
    )
    with pytest.raises(ValidationError, match="monthly operations"):
        cpl.complaint_summary_create(
            site=w.site,
            month=timezone.localdate(),
            meeting=weekly,
            actor=w.users["quality_supervisor"],
        )
    # The agent sees the complaint about them, not the other one.
    client.force_login(w.users["agent"])
    assert client.get(reverse("quality:complaint_detail", args=[complaint.pk])).status_code == 200
    assert client.get(reverse("quality:complaint_detail", args=[other.pk])).status_code == 404


def test_satisfaction_import_is_atomic_and_names_the_problem():
    w = build_world()
    c = call(w, ref="REF-1")
    bad = b"call_reference,score\nREF-1,4\nREF-2,nine\n,3\n"
    with pytest.raises(ValidationError) as err:
        cpl.satisfaction_import(
            site=w.site, filename="csat.csv", content=bad, actor=w.users["statistician"]
        )
    text = " ".join(err.value.messages)
    assert "line 3, score" in text and "'nine'" in text and "line 4, call_reference" in text
    from ccops.quality.models import SatisfactionScore

    assert not SatisfactionScore.objects.exists()
    batch = cpl.satisfaction_import(
        site=w.site,
        filename="csat.csv",
        content=b"call_reference,score\nREF-1,4\nREF-9,2\n",
        actor=w.users["statistician"],
    )
    assert (batch.rows, batch.matched) == (2, 1)
    assert SatisfactionScore.objects.get(call=c).agent == w.employees["agent"]
    assert cpl.satisfaction_by_agent(w.site, timezone.localdate()) == {w.employees["agent"].pk: 4.0}
    with pytest.raises(ValidationError, match="columns"):
        cpl.satisfaction_import(
            site=w.site, filename="x.csv", content=b"a,b\n1,2\n", actor=w.users["statistician"]
        )


def test_evaluation_score_page_saves_and_releases(client):
    w = build_world()
    f = form(w)
    e = evaluation(w, f, released=False)
    v = f.current_version
    client.force_login(w.users["qa_inspector"])
    page = client.get(reverse("quality:evaluation_score", args=[e.pk]))
    assert page.status_code == 200 and "Verifies identity" in page.text
    data = {f"q{q.pk}": (5 if q.kind == "scale" else 1) for q in v.questions()}
    tone = questions(v)["Tone"]
    data[f"q{tone.pk}_comment"] = "warm"
    data["coaching_note"] = "Keep it up"
    data.pop(f"q{questions(v)['Verifies identity'].pk}")
    page = client.post(reverse("quality:evaluation_score", args=[e.pk]), {**data, "save": "1"})
    assert page.status_code == 200 and "Verifies identity" in " ".join(page.context["errors"])
    data[f"q{questions(v)['Verifies identity'].pk}"] = 1
    response = client.post(
        reverse("quality:evaluation_score", args=[e.pk]), {**data, "release": "1"}
    )
    assert response.status_code == 302
    e.refresh_from_db()
    assert (
        e.status == "released" and e.current_revision.answers.get(question=tone).comment == "warm"
    )
    client.force_login(w.users["agent"])
    zh = client.get(
        reverse("quality:evaluation_detail", args=[e.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert zh.status_code == 200
