"""The monthly scorecard of 300 agents: compute (the four dimensions from their sources),
rank and export, on a synthetic month (5 released evaluations, ~100 calls, signed figures,
a marked test and some discipline records and complaints per agent).

    python -m benchmarks.bench_scorecard      # builds ./var/bench-scorecard/ on first run

Target: 300 agents' month computed in a few seconds. Prints the first computation and the
median of recomputations of the draft (each archives the draft's 300 rows, audited).
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

AGENTS = 300


def _median_s(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def _build(site_code: str):
    import datetime as dt

    import numpy as np
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from ccops.core import audit
    from ccops.core.models import Queue, Site
    from ccops.core.roles import sync_roles
    from ccops.people.models import Employee, Team
    from ccops.quality.models import (
        DisciplineRecord,
        Evaluation,
        KPIRule,
        SkillsTest,
        TestAttempt,
    )
    from ccops.quality.services import forms as fs
    from ccops.quality.services import stats as st
    from ccops.wfm.models import CallRecord

    if not Group.objects.filter(name="agent").exists():
        sync_roles()
    users = get_user_model().objects
    lead = users.filter(username="bench_quality").first() or users.create_user(
        "bench_quality", password="x"
    )
    lead.groups.add(
        Group.objects.get(name="quality_supervisor"), Group.objects.get(name="statistician")
    )
    rng = np.random.default_rng(1)
    today = timezone.localdate()
    month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    with audit.acting_as(None, via=audit.VIA_SYSTEM):
        site = Site.objects.create(
            code=site_code, name="Benchmark center", time_zone="Asia/Shanghai"
        )
        queue = Queue.objects.create(site=site, code=f"{site_code}-q", name="Retail")
        areas = [
            Team.objects.create(site=site, code=f"a{i}", name=f"Area {i}", kind="area")
            for i in range(3)
        ]
        groups = [
            Team.objects.create(
                site=site, code=f"g{i}", name=f"Group {i}", kind="group", parent=areas[i % 3]
            )
            for i in range(15)
        ]
        agents = Employee.objects.bulk_create(
            [
                Employee(
                    employee_number=f"{site_code}-{i:04d}",
                    full_name=f"Agent {i}",
                    site=site,
                    team=groups[i % 15],
                    acd_login=f"L{i}",
                )
                for i in range(AGENTS)
            ]
        )
        agents = list(Employee.objects.filter(site=site).order_by("pk"))
        inspector = Employee.objects.create(
            employee_number=f"{site_code}-qa", full_name="QA", site=site
        )
        form = fs.evaluation_form_create(name="Bench form", site=site, actor=lead)
        section = fs.form_section_add(version=form.current_version, title="All", actor=lead)
        fs.form_question_add(section=section, text="Greets", actor=lead)
        zone = site.zone
        start = dt.datetime.combine(month, dt.time(9), tzinfo=zone)
        calls = []
        for a in agents:
            for k in range(100):
                t = start + dt.timedelta(days=int(k % 28), minutes=int(rng.integers(0, 600)))
                handle = float(rng.lognormal(5.3, 0.4))
                calls.append(
                    CallRecord(
                        site=site,
                        queue=queue,
                        call_reference=f"{a.pk}-{k}",
                        started_at=t,
                        answered_at=t,
                        ended_at=t + dt.timedelta(seconds=handle),
                        outcome="answered",
                        wait_seconds=10.0,
                        handle_seconds=handle,
                        talk_seconds=handle - 20,
                        acw_seconds=20.0,
                        transferred=k % 20 == 0,
                        agent_login=a.acd_login,
                        employee=a,
                    )
                )
        CallRecord.objects.bulk_create(calls, batch_size=5000)
        version = form.current_version
        evaluations = []
        for a in agents:
            for k in range(5):
                t = start + dt.timedelta(days=5 * k + 1)
                evaluations.append(
                    Evaluation(
                        site=site,
                        form_version=version,
                        agent=a,
                        inspector=inspector,
                        call_reference=f"{a.pk}-{k}",
                        call_started_at=t,
                        queue=queue,
                        status="released",
                        score=float(rng.uniform(60, 100)),
                        released_at=t,
                    )
                )
        Evaluation.objects.bulk_create(evaluations, batch_size=2000)
        for kpi, better, th, pts in (
            ("aht_seconds", "lower", [180, 220, 260], [10, 7, 4]),
            ("transfer_rate", "lower", [0.03, 0.06], [5, 2]),
            ("calls_handled", "higher", [50, 90], [5, 10]),
        ):
            KPIRule.objects.create(site=site, kpi=kpi, better=better, thresholds=th, points=pts)
        test = SkillsTest.objects.create(
            site=site,
            title="Q",
            year=month.year,
            quarter=(month.month - 1) // 3 + 1,
            opens_at=start,
            closes_at=start + dt.timedelta(days=3),
            status="closed",
        )
        TestAttempt.objects.bulk_create(
            [
                TestAttempt(
                    test=test,
                    employee=a,
                    started_at=start,
                    deadline=start,
                    submitted_at=start,
                    status="marked",
                    points=8,
                    max_points=10,
                    score_percent=float(rng.uniform(50, 100)),
                    marked_at=start,
                )
                for a in agents
            ]
        )
        DisciplineRecord.objects.bulk_create(
            [
                DisciplineRecord(
                    site=site,
                    employee=agents[i],
                    occurred_on=month + dt.timedelta(days=i % 28),
                    kind="lateness",
                    description="late",
                    points=1,
                )
                for i in range(0, AGENTS, 2)
            ]
        )
    period = st.agent_stats_derive(site=site, month=month, actor=lead)
    st.agent_stats_sign(period=period, actor=lead)
    return site, month, lead


def main() -> int:
    data = Path(os.environ.get("CCOPS_BENCH_DIR", Path("var") / "bench-scorecard")).resolve()
    data.mkdir(parents=True, exist_ok=True)
    os.environ["CCOPS_DATA_DIR"] = str(data)
    os.environ.setdefault("CCOPS_DATABASE_URL", f"sqlite:///{data / 'ccops.sqlite3'}")
    os.environ.setdefault("CCOPS_DEMO", "1")  # benchmark data on the demo key
    from ccops.cli._django import setup_django

    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from ccops.core.models import Site
    from ccops.quality.services import scorecards as sc

    code = f"bench{Site.objects.count() + 1}"
    began = time.perf_counter()
    site, month, lead = _build(code)
    build_s = time.perf_counter() - began
    sheet = None

    def compute():
        nonlocal sheet
        sheet = sc.scorecard_compute(site=site, month=month, actor=lead)

    began = time.perf_counter()
    compute()
    first_s = time.perf_counter() - began
    compute_s = _median_s(compute, repeat=3)
    rank_s = _median_s(lambda: sc.ranked(sc.current_scorecards(sheet).select_related("employee")))
    export_s = _median_s(lambda: sc.export_xlsx(sheet))
    cards = sc.current_scorecards(sheet).count()
    rows = [
        ("synthetic month built (300 agents, 30,000 calls, 1,500 evaluations)", f"{build_s:.1f} s"),
        (f"scorecard_compute: {cards} agents' month, first computation", f"{first_s:.2f} s"),
        ("scorecard_compute again (the draft's rows archived, median of 3)", f"{compute_s:.2f} s"),
        ("ranked (group, area, center)", f"{rank_s * 1000:.0f} ms"),
        ("Excel export for performance pay", f"{export_s * 1000:.0f} ms"),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0 if first_s < 5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
