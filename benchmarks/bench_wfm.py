"""Workforce web app timings on the demo center: the what-if recomputation, the coverage
heat-map, the Excel export, the weekly accuracy review, and a schedule generation.

    python -m benchmarks.bench_wfm            # builds ./var/bench-wfm/ on first run

Prints a table of medians over repeated runs (the generation runs once: its time is mostly
the solver's limit of 8 s per stage).
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path


def _median_ms(fn, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def main() -> int:
    data = Path(os.environ.get("CCOPS_BENCH_DIR", Path("var") / "bench-wfm")).resolve()
    data.mkdir(parents=True, exist_ok=True)
    os.environ["CCOPS_DATA_DIR"] = str(data)
    os.environ.setdefault("CCOPS_DATABASE_URL", f"sqlite:///{data / 'ccops.sqlite3'}")
    os.environ.setdefault("CCOPS_DEMO", "1")  # a demo center on the demo key
    from ccops.cli._django import setup_django

    setup_django()
    import datetime as dt

    from django.core.management import call_command

    from ccops.people.demo import build_demo_center
    from ccops.wfm.demo import build_demo_wfm
    from ccops.wfm.services import exports, forecasts, generate, schedules, staffing

    call_command("migrate", interactive=False, verbosity=0)
    today = dt.date.today()
    began = time.perf_counter()
    report = build_demo_center(seed=1, weeks=8, today=today)
    made = build_demo_wfm(
        site=report.site, queues=report.queues, history=report.history, today=today
    )
    build_s = time.perf_counter() - began
    plan, schedule = made["plan"], made["schedule"]
    week = schedule.week_start
    rows = [("demo build (first run builds, later runs find)", f"{build_s:.1f} s")]

    def what_if():
        staffing.plan_requirement(plan, week, volume_percent=120)

    def review():
        forecasts.weekly_review(report.queues, week - dt.timedelta(days=7))

    rows += [
        ("what-if: heads per interval of a day", f"{_median_ms(what_if):.1f} ms"),
        (
            "coverage heat-map data of a week",
            f"{_median_ms(lambda: generate.coverage(schedule)):.1f} ms",
        ),
        ("Excel export of a week", f"{_median_ms(lambda: exports.schedule_xlsx(schedule)):.1f} ms"),
        ("weekly accuracy review, all queues", f"{_median_ms(review):.1f} ms"),
    ]
    draft = schedules.schedule_create(
        site=report.site,
        week_start=week,
        plan=plan,
        template_set=schedule.template_set,
        status="queued",
        actor=None,
    )
    began = time.perf_counter()
    summary = generate.generate(draft, time_limit=8)
    rows.append(
        (
            f"schedule generation ({summary['shifts']} shifts, {summary['agents']} agents, "
            "8 s per stage)",
            f"{time.perf_counter() - began:.1f} s",
        )
    )
    width = max(len(r[0]) for r in rows)
    print(f"{'step':<{width}}  time")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
