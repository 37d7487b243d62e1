"""Parallel requests on every state transition of the quality app (PostgreSQL): exactly
one request wins, the others get 409 (or 422 when the state no longer allows it)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from ccops.core.testing import build_world, race, requires_row_locks
from ccops.quality.models import Evaluation, EvaluationRevision, Scorecard
from ccops.quality.services import calibration as cal
from ccops.quality.services import discipline as dis
from ccops.quality.services import evaluations as ev
from ccops.quality.services import scorecards as sc
from ccops.quality.services import skills as sk
from ccops.quality.services import stats as st
from tests.quality.helpers import answers, call, evaluation, form

pytestmark = [requires_row_locks(), pytest.mark.django_db(transaction=True)]


def _post(user, url, payload=None):
    def go():
        c = Client()
        c.force_login(user)
        return c.post(url, payload or {}, content_type="application/json")

    return go


def _won(outcome, ok=200):
    assert outcome.errors == [None] * len(outcome.errors), outcome.errors
    statuses = sorted(outcome.statuses)
    assert statuses.count(ok) == 1, statuses
    assert set(statuses) - {ok} <= {409, 422}, statuses


def test_release_and_acknowledge_and_dispute_race():
    w = build_world()
    f = form(w)
    e = evaluation(w, f, released=False)
    url = f"/api/v1/quality/evaluations/{e.pk}/release"
    _won(race(*[_post(w.users["qa_inspector"], url)] * 3))
    assert EvaluationRevision.objects.filter(evaluation=e, locked_at__isnull=False).count() == 1
    _won(race(*[_post(w.users["agent"], f"/api/v1/quality/evaluations/{e.pk}/acknowledge")] * 3))
    q = f.current_version.questions().first()
    payload = {"questions": [q.pk], "reason": "unfair"}
    _won(
        race(
            *[_post(w.users["agent"], f"/api/v1/quality/evaluations/{e.pk}/dispute", payload)] * 3
        ),
        ok=201,
    )
    d = e.disputes.get()
    rescore = _post(
        w.users["quality_supervisor"],
        f"/api/v1/quality/disputes/{d.pk}/rescore",
        {"answers": [{"question": q.pk, "value": 1}], "reason": "heard it"},
    )
    decline = _post(
        w.users["quality_supervisor"], f"/api/v1/quality/disputes/{d.pk}/decline", {"note": "no"}
    )
    _won(race(rescore, decline, rescore))
    assert Evaluation.objects.get(pk=e.pk).status == "closed"


def test_plan_draw_race_draws_once():
    w = build_world()
    form(w)
    for k in range(6):
        call(w, when=timezone.now().replace(day=1, hour=9) + dt.timedelta(days=k))
    plan = ev.qa_plan_create(
        site=w.site,
        month=timezone.localdate(),
        name="P",
        seed=1,
        inspectors=[w.employees["qa_inspector"]],
        actor=w.users["quality_supervisor"],
    )
    _won(race(*[_post(w.users["quality_supervisor"], f"/api/v1/quality/plans/{plan.pk}/draw")] * 3))
    assert plan.evaluations.count() == 4


def test_stats_sign_scorecard_release_and_amend_race():
    w = build_world()
    evaluation(w)
    p = st.agent_stats_derive(
        site=w.site, month=timezone.localdate(), actor=w.users["statistician"]
    )
    _won(race(*[_post(w.users["statistician"], f"/api/v1/quality/agent-stats/{p.pk}/sign")] * 3))
    sheet = sc.scorecard_compute(
        site=w.site, month=timezone.localdate(), actor=w.users["quality_supervisor"]
    )
    _won(
        race(
            *[
                _post(
                    w.users["quality_supervisor"],
                    f"/api/v1/quality/scorecard-months/{sheet.pk}/release",
                )
            ]
            * 3
        )
    )
    card = sc.current_scorecards(sheet).get(employee=w.employees["agent"])
    url = f"/api/v1/quality/scorecards/{card.pk}/amend"
    _won(
        race(
            *[
                _post(
                    w.users["quality_supervisor"], url, {"reason": "late test", "skills_points": 9}
                )
            ]
            * 3
        ),
        ok=201,
    )
    assert Scorecard.objects.filter(amends=card).count() == 1


def test_calibration_close_discipline_decide_and_test_start_race():
    w = build_world()
    f = form(w)
    v = f.current_version
    s = cal.calibration_create(
        site=w.site,
        title="C",
        form_version=v,
        call_reference="X",
        participants=[w.employees["qa_inspector"], w.employees["trainer"]],
        expert=w.employees["quality_supervisor"],
        due_date=timezone.localdate(),
        actor=w.users["quality_supervisor"],
    )
    for u in ("qa_inspector", "trainer"):
        cal.calibration_submit(session=s, answers=answers(v), actor=w.users[u])
    cal.calibration_submit(
        session=s, answers=answers(v), reference=True, actor=w.users["quality_supervisor"]
    )
    _won(
        race(
            *[_post(w.users["quality_supervisor"], f"/api/v1/quality/calibrations/{s.pk}/close")]
            * 3
        )
    )
    r = dis.discipline_record(
        site=w.site,
        employee=w.employees["agent"],
        occurred_on=timezone.localdate(),
        kind="lateness",
        description="late",
        actor=w.users["quality_supervisor"],
    )
    dis.discipline_appeal(record=r, reason="bus", actor=w.users["agent"])
    url = f"/api/v1/quality/discipline/{r.pk}/decide"
    accept = _post(w.users["quality_supervisor"], url, {"accept": True, "note": "ok"})
    decline = _post(w.users["quality_supervisor"], url, {"accept": False, "note": "no"})
    _won(race(accept, decline, accept))
    from ccops.core import audit
    from ccops.shiftops.models import HandoverQuestion

    with audit.acting_as(w.users["trainer"]):
        HandoverQuestion.objects.create(topic="T", text="?", kind="true_false", answer_true=True)
    now = timezone.now()
    t = sk.skills_test_create(
        site=w.site,
        title="T",
        year=now.year,
        quarter=1,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=1),
        actor=w.users["trainer"],
    )
    sk.skills_test_assemble(test=t, per_topic={"T": 1}, actor=w.users["trainer"])
    sk.skills_test_publish(test=t, actor=w.users["trainer"])
    _won(race(*[_post(w.users["agent"], f"/api/v1/quality/tests/{t.pk}/start")] * 3), ok=201)
    assert t.attempts.count() == 1
