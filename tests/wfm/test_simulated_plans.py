"""A staffing plan that names the simulation (issue 17, point 4): its staffing and the
projection of a schedule go through the simulation with the plan's service-time shape and
patience, seeded, computed once per set of inputs by a background task and shown with its
confidence interval; the form and the API reject bad parameters."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import numpy as np
import pytest
from django.urls import reverse

from ccops.wfm import services, tasks
from ccops.wfm.models import SimulatedFigures
from ccops.wfm.services import simulation, staffing
from ccops.wfm.services.coverage import coverage
from ccops.wfm.services.schedules import publish_warnings
from tests.wfm.helpers import add_history, local, make_plan, next_monday
from tests.wfm.test_site_schedule import two_queue_world

pytestmark = pytest.mark.django_db

SIMULATION = {
    "model": "simulation",
    "service_shape": "lognormal",
    "service_cv": Decimal("2.00"),
    "simulation_replications": 12,
    "simulation_seed": 5,
}


def simulated_week():
    """Retail (40 calls a half-hour of 180 s from 08:00 to 20:00, Monday to Friday)
    planned by the simulation (lognormal service of CV 2, nobody hangs up); a draft with
    six open shifts 08-20 on each of those days."""
    w = two_queue_world()
    week = next_monday()
    for d in range(5):
        add_history(w, week + timedelta(days=d), weeks=1, calls=40, aht=180)
    plan = make_plan(w, shrinkage_percent=0, **SIMULATION)
    ops = w.users["operations_supervisor"]
    draft = services.schedule_create(site=w.site, week_start=week, actor=ops)
    for d in range(5):
        start = local(w.site, week + timedelta(days=d), 8)
        for _ in range(6):
            services.shift_add(
                schedule=draft,
                start=start,
                end=start + timedelta(hours=12),
                queue_ids=[w.queue.pk],
                actor=ops,
            )
    return w, draft, ops, plan


def test_the_plan_s_staffing_comes_from_the_simulation_and_is_kept():
    _w, draft, _ops, plan = simulated_week()
    day = draft.week_start
    req = staffing.plan_requirement(plan, day)
    busy = req.calls > 0
    assert busy.any() and (req.agents[busy] >= 1).all() and (req.agents[~busy] == 0).all()
    assert (req.service_level[busy] >= 0.8).all()  # each interval meets the target
    [kept] = SimulatedFigures.objects.filter(purpose="staffing")
    assert kept.figures["agents"] == req.agents.tolist()
    # read back, not simulated again: the same answer and no new figures
    again = staffing.plan_requirement(plan, day)
    assert again.agents.tolist() == req.agents.tolist()
    assert SimulatedFigures.objects.filter(purpose="staffing").count() == 1
    # a what-if is other inputs: its own figures
    staffing.plan_requirement(plan, day, volume_percent=150)
    assert SimulatedFigures.objects.filter(purpose="staffing").count() == 2


def test_a_simulated_plan_projects_the_schedule_once_reproducibly_and_unlike_erlang(client):
    w, draft, ops, plan = simulated_week()
    cov = coverage(draft)
    retail = next(q for q in cov["queues"] if q["id"] == w.queue.pk)
    # not computed on the page: the queue and the site wait for the background task
    assert cov["pending"] and retail["computing"] and retail["projected"] is None
    assert cov["projected_service_level"] is None
    assert "still being computed" in " ".join(publish_warnings(draft, cov))
    client.force_login(ops)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert 'id="projection-computing"' in page and "computing…" in page
    assert 'hx-trigger="every 3s"' in page
    asked = SimulatedFigures.objects.filter(purpose="projection", figures__isnull=True)
    # the five days have the same inputs: one simulation
    assert asked.count() == len(cov["pending"]) == 1
    client.get(draft.get_absolute_url())  # shown again while computing: asked once
    assert SimulatedFigures.objects.filter(purpose="projection").count() == 1

    tasks.schedule_project.call(schedule_id=draft.pk)
    cov = coverage(draft)
    retail = next(q for q in cov["queues"] if q["id"] == w.queue.pk)
    assert not cov["pending"] and not retail["computing"]
    assert retail["projected_low"] < retail["projected"] < retail["projected_high"]
    assert retail["models"] == [
        "Simulation: lognormal service time (CV 2.00), callers never hang up, 12 runs, seed 5"
    ]
    # the site pools Retail's simulated runs with Loans (no plan: no calls)
    assert cov["projected_service_level"] == pytest.approx(retail["projected"])
    busy = ~np.isnan(retail["service_level"])
    assert (retail["service_level_low"][busy] <= retail["service_level"][busy]).all()
    lognormal = retail["projected"]

    # the same inputs and seed: the same figures, recomputed
    SimulatedFigures.objects.all().delete()  # a cache: forget it
    tasks.schedule_project.call(schedule_id=draft.pk)
    assert coverage(draft)["queues"][0]["projected"] == pytest.approx(lognormal, abs=0)

    # exponential service: other figures (asked for anew), and Erlang C differs again
    staffing.staffing_plan_update(
        plan=plan, actor=ops, service_shape="exponential", service_cv=None
    )
    assert coverage(draft)["pending"]
    tasks.schedule_project.call(schedule_id=draft.pk)
    exponential = coverage(draft)["queues"][0]["projected"]
    # more variable handle times, longer waits: fewer calls answered within 20 s
    assert lognormal < exponential - 0.02
    staffing.staffing_plan_update(plan=plan, actor=ops, model="erlang_c")
    erlang_c = coverage(draft)
    assert not erlang_c["pending"] and erlang_c["queues"][0]["projected_low"] is None
    assert abs(erlang_c["queues"][0]["projected"] - exponential) > 0.01
    # another seed, other runs
    staffing.staffing_plan_update(plan=plan, actor=ops, simulation_seed=6, **{
        k: v for k, v in SIMULATION.items() if k != "simulation_seed"
    })  # fmt: skip
    tasks.schedule_project.call(schedule_id=draft.pk)
    assert coverage(draft)["queues"][0]["projected"] != pytest.approx(lognormal, abs=1e-9)


def test_a_changed_shift_asks_for_its_days_only_and_the_pages_show_the_interval(client):
    w, draft, ops, _plan = simulated_week()
    tasks.schedule_project.call(schedule_id=draft.pk)
    assert SimulatedFigures.objects.filter(purpose="projection").count() == 1
    shift = draft.shifts.order_by("start").first()
    services.shift_change(
        shift=shift,
        start=shift.start + timedelta(hours=1),
        end=shift.end + timedelta(hours=1),
        breaks=[],
        actor=ops,
    )
    cov = coverage(draft)
    assert len(cov["pending"]) == 1  # Monday's inputs changed, the other days are kept
    tasks.schedule_project.call(schedule_id=draft.pk)
    client.force_login(ops)
    for language, words in (
        ("en", ["95 % confidence interval", "Projected with", "lognormal service time"]),
        ("zh-hans", ["95% 置信区间", "预测模型", "对数正态"]),
    ):
        page = client.get(draft.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language)
        text = page.content.decode()
        assert page.status_code == 200 and 'id="projection-computing"' not in text
        for word in words:
            assert word in text, (language, word)
        cells = client.get(
            f"{draft.get_absolute_url()}?queue={w.queue.pk}", HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()
        assert text.count(words[0]) + 20 < cells.count(words[0])  # in each cell's title
    # a new version with the same shifts: the same inputs, nothing more to simulate
    second = services.schedule_create(
        site=w.site, week_start=draft.week_start, copy_from=draft, actor=ops
    )
    assert not coverage(second)["pending"]
    compare = client.get(reverse("wfm:schedule_compare", args=[second.pk])).content.decode()
    for cell in ("compare-projected-old", "compare-projected-new"):
        assert re.search(f'id="{cell}">[0-9]+ % <span[^>]*>\\(95 % confidence interval', compare)
    api = client.get(f"/api/v1/wfm/schedules/{draft.pk}/coverage").json()
    retail = next(q for q in api["queues"] if q["queue"] == w.queue.pk)
    assert not api["computing"] and retail["models"][0].startswith("Simulation")
    assert (
        retail["projected_service_level_low"]
        < retail["projected_service_level"]
        < retail["projected_service_level_high"]
    )
    csv_text = client.get(reverse("wfm:schedule_coverage_csv", args=[draft.pk])).content
    header = csv_text.decode("utf-8-sig").splitlines()[0]
    assert header.endswith("projected_service_level,projected_service_level_low,"
                           "projected_service_level_high")  # fmt: skip


def simulated_plan_form(w, **fields) -> dict:
    """The staffing-plan form of a plan of the world's queue that names the simulation."""
    return {
        "queue": w.queue.pk,
        "period_type": "normal",
        "service_level_percent": "80",
        "answer_within_seconds": "20",
        "max_occupancy_percent": "90",
        "shrinkage_percent": "30",
        "default_aht_seconds": "200",
        "model": "simulation",
        **fields,
    }


def test_the_form_rejects_bad_simulation_parameters(client):
    w = two_queue_world()
    client.force_login(w.users["statistician"])
    base = simulated_plan_form(w, name="Simulated")
    url = reverse("wfm:staffingplan_add")
    for extra, field, words in (
        ({"service_shape": "lognormal"}, "service_cv", "needs its coefficient of variation"),
        ({"service_shape": "lognormal", "service_cv": "0"}, "service_cv", "greater than or"),
        ({"service_shape": "exponential", "service_cv": "2"}, "service_cv", "exponential"),
        ({"model": "erlang_c", "service_shape": "lognormal", "service_cv": "2"}, "service_shape",
         "Only the simulation"),
        ({"simulation_replications": "1"}, "simulation_replications", "greater than or"),
        ({"service_shape": "weibull"}, "service_shape", "not one of the available"),
    ):  # fmt: skip
        response = client.post(url, {**base, **extra})
        assert response.status_code == 200, extra
        errors = response.context["form"].errors
        assert field in errors and words in " ".join(errors[field]), (extra, errors)
    # in Chinese too
    response = client.post(
        url, {**base, "service_shape": "lognormal"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert "变异系数" in " ".join(response.context["form"].errors["service_cv"])
    # a good one: simulation with the lognormal shape and an exponential patience
    ok = client.post(
        url, {**base, "service_shape": "lognormal", "service_cv": "1.5", "patience_seconds": "120"}
    )
    assert ok.status_code == 302
    plan = w.queue.staffing_plans.get(name="Simulated")
    assert plan.model == "simulation" and plan.service_cv == Decimal("1.50")
    assert plan.simulation_replications == 20 and plan.simulation_seed == 0  # the defaults
    assert simulation.plan_service(plan).cv == pytest.approx(1.5)
    assert simulation.plan_patience(plan).mean_seconds == 120
    detail = client.get(plan.get_absolute_url()).content.decode()
    assert "1.50" in detail


def test_the_api_exposes_and_checks_the_plan_s_model_fields(client):
    w = two_queue_world()
    client.force_login(w.users["statistician"])
    body = {"name": "API simulated", "queue": w.queue.pk, "model": "simulation",
            "service_shape": "lognormal", "service_cv": "1.2", "patience_seconds": 300,
            "simulation_replications": 8, "simulation_seed": 11}  # fmt: skip
    r = client.post("/api/v1/wfm/staffing-plans/", body, content_type="application/json")
    assert r.status_code in (200, 201), r.content
    made = r.json()
    for name in ("model", "service_shape", "patience_seconds", "simulation_replications",
                 "simulation_seed"):  # fmt: skip
        assert made[name] == body[name]
    assert Decimal(str(made["service_cv"])) == Decimal("1.2")
    got = client.get(f"/api/v1/wfm/staffing-plans/{made['id']}").json()
    assert got["service_shape"] == "lognormal"
    bad = client.patch(
        f"/api/v1/wfm/staffing-plans/{made['id']}",
        {"service_cv": None},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "service_cv"
    bad = client.post(
        "/api/v1/wfm/staffing-plans/",
        {**body, "name": "x", "model": "erlang_a", "service_cv": None},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"service_shape"}
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "service_cv" in schema["StaffingPlanOut"]["properties"]
    assert "computing" in schema["CoverageOut"]["properties"]


def test_a_generated_version_is_simulated_by_its_generation_task():
    from ccops.wfm.services import generate
    from tests.wfm.helpers import make_template_set

    w = two_queue_world()
    week = next_monday()
    for d in range(7):
        add_history(w, week + timedelta(days=d), weeks=1, calls=4, aht=300)
    plan = make_plan(w, shrinkage_percent=20, **SIMULATION)
    schedule = generate.schedule_generate(
        site=w.site,
        week_start=week,
        template_set=make_template_set(w),
        actor=w.users["operations_supervisor"],
        time_limit=3,
    )
    tasks.schedule_run.call(job_id=schedule.job_id, schedule_id=schedule.pk, time_limit=3)
    schedule.refresh_from_db()
    assert schedule.status == "draft" and list(schedule.plans.all()) == [plan]
    # the need came from the simulation, and the projection is there when the page opens
    # (the seven days have the same history: one simulation of the staffing for them all)
    assert SimulatedFigures.objects.filter(purpose="staffing").count() == 1
    cov = coverage(schedule)
    retail = next(q for q in cov["queues"] if q["id"] == w.queue.pk)
    assert not cov["pending"] and retail["projected_low"] is not None


def _call_records(w, *, abandoned_waits, answered_waits, when=None):
    """The queue's imported call records: abandoned calls after these waits (their
    callers' patience) and answered calls after these waits (lower bounds)."""
    from ccops.core import audit
    from ccops.wfm.models import CallRecord

    start = when or local(w.site, next_monday() - timedelta(days=7), 9)
    rows = [("abandoned", wait) for wait in abandoned_waits]
    rows += [("answered", wait) for wait in answered_waits]
    with audit.acting_as(None, via=audit.VIA_SYSTEM):
        CallRecord.objects.bulk_create(
            CallRecord(
                site=w.site,
                queue=w.queue,
                call_reference=f"KM{i:05d}",
                started_at=start + timedelta(seconds=30 * i),
                answered_at=None
                if outcome == "abandoned"
                else start + timedelta(seconds=30 * i + wait),
                outcome=outcome,
                wait_seconds=wait,
                handle_seconds=None if outcome == "abandoned" else 180.0,
            )
            for i, (outcome, wait) in enumerate(rows)
        )


def test_a_plan_can_take_its_patience_from_the_queue_s_call_records():
    from ccops.engine.simulate import kaplan_meier

    w, draft, _ops, exponential_plan = simulated_week()
    # Half of the callers hang up within 20 s; the served waited 5-60 s.
    abandoned = [5.0, 10.0, 15.0, 20.0] * 10
    answered = [5.0, 30.0, 60.0, 60.0] * 10
    _call_records(w, abandoned_waits=abandoned, answered_waits=answered)
    plan = make_plan(w, name="Retail KM", **{**SIMULATION, "patience_shape": "kaplan_meier"})
    patience = simulation.plan_patience(plan)
    assert patience.kind == "table"
    km = kaplan_meier(np.array(abandoned + answered), np.array([True] * 40 + [False] * 40))
    np.testing.assert_allclose(patience.survival(km.times), km.survival)
    # 10 of 80 at 5 s, then 10 of 60 (the 10 served at 5 s are censored), 10 of 50, 10 of 40
    assert patience.survival(20.0) == pytest.approx(70 / 80 * 50 / 60 * 40 / 50 * 30 / 40)
    assert "Kaplan-Meier patience from 80 call records" in simulation.model_text(plan)
    # Callers who hang up free the queue for the others: the simulated staffing of the
    # same day differs from the plan's whose callers never hang up, kept under its own key.
    day = draft.week_start
    km_req = staffing.plan_requirement(plan, day)
    none_req = staffing.plan_requirement(exponential_plan, day)
    assert SimulatedFigures.objects.filter(purpose="staffing").count() == 2
    assert km_req.agents.tolist() != none_req.agents.tolist()
    # New records, a new fit: the kept figures are not reused for it.
    key_before = simulation.plan_inputs(plan)["patience_fit"]
    _call_records(
        w,
        abandoned_waits=[200.0] * 40,
        answered_waits=[],
        when=local(w.site, next_monday() - timedelta(days=6), 9),
    )
    fresh = type(plan).objects.get(pk=plan.pk)  # a plan read afresh fits afresh
    assert simulation.plan_inputs(fresh)["patience_fit"] != key_before


def test_the_kaplan_meier_patience_is_checked(client):
    w = two_queue_world()
    client.force_login(w.users["statistician"])
    base = simulated_plan_form(w, name="KM", patience_shape="kaplan_meier")
    url = reverse("wfm:staffingplan_add")
    for extra, field, words in (
        ({}, "patience_shape", "no imported call record of an abandoned call"),
        ({"model": "erlang_a", "patience_seconds": "120"}, "patience_shape",
         "Only the simulation draws from a patience fitted"),
        ({"patience_seconds": "120"}, "patience_seconds", "Leave the mean patience empty"),
        ({"patience_shape": "weibull"}, "patience_shape", "not one of the available"),
    ):  # fmt: skip
        response = client.post(url, {**base, **extra})
        assert response.status_code == 200, extra
        errors = response.context["form"].errors
        assert field in errors and words in " ".join(errors[field]), (extra, errors)
    response = client.post(url, base, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "通话记录" in " ".join(response.context["form"].errors["patience_shape"])
    _call_records(w, abandoned_waits=[30.0] * 5, answered_waits=[10.0] * 5)
    assert client.post(url, base).status_code == 302
    plan = w.queue.staffing_plans.get(name="KM")
    assert plan.patience_shape == "kaplan_meier"
    # the API names it too, and checks it the same way
    r = client.patch(
        f"/api/v1/wfm/staffing-plans/{plan.pk}",
        {"model": "erlang_c"},
        content_type="application/json",
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "patience_shape"
    got = client.get(f"/api/v1/wfm/staffing-plans/{plan.pk}").json()
    assert got["patience_shape"] == "kaplan_meier"
