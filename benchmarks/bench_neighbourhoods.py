"""Stage 1's neighbourhoods compared on the benchmark week (default weights 3/1/1), each
from the same schedule and on the same work, whatever the machine's load.

The start is the LP dive followed by one RINS round, both in deterministic mode; then
one kind of neighbourhood re-plans it (``improve_by_days``, deterministic, one worker)
until ``--work`` seconds of the work clock (:class:`ccops.engine.schedule.lns.WorkClock`)
are used or a sweep no longer improves. Each line printed is an improvement: the work
clock's seconds and the objective.

    python -m benchmarks.bench_neighbourhoods [--hours 6 8 10 12 days] [--share 1.0]
        [--work 30] [--seed 0]

``--share`` is each MIP's share in seconds (days get it per day of free counts).
"""

from __future__ import annotations

import argparse
import time

from benchmarks.schedule_instances import synthetic_need, synthetic_templates
from ccops.engine.schedule.bound import lp_dive, lp_relaxation
from ccops.engine.schedule.cover import CoverSettings, disaggregate, objective_of
from ccops.engine.schedule.lns import WorkClock, improve_by_days, improve_by_rins
from ccops.engine.schedule.model import build_model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", nargs="+", default=["6", "8", "10", "12", "days"])
    parser.add_argument("--share", type=float, default=1.0)
    parser.add_argument("--work", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    need = synthetic_need()
    library = synthetic_templates()
    days = [[("normal", t) for t in library.sets["normal"]] for _ in range(7)]
    settings = CoverSettings()
    model = build_model(need, 15, days, under_weight=3, over_weight=1, paid_off_floor_weight=1)

    def score(values):
        return objective_of(disaggregate(model, values), model.need, settings)[3]

    lp = lp_relaxation(model)
    dive = lp_dive(model, lp.solution, deadline=float("inf"))
    start = improve_by_rins(
        model,
        dive,
        lp.solution,
        score,
        deadline=float("inf"),
        under_weight=3,
        over_weight=1,
        seconds=6,
        deterministic=True,
        rounds=1,
        seed=args.seed,
    )
    print(f"LP bound {lp.value:.1f}; dive {score(dive):.0f}; one RINS round {score(start):.0f}")
    ipd = 96
    for hours in args.hours:
        window = None if hours == "days" else ipd * int(hours) // 24
        clock = WorkClock()
        trace: list[tuple[float, float]] = []

        def traced(values, clock=clock, trace=trace):
            value = score(values)
            if not trace or value < trace[-1][1]:
                trace.append((clock(), value))
            return value

        t0 = time.perf_counter()
        improve_by_days(
            model,
            start,
            traced,
            deadline=args.work,
            under_weight=3,
            over_weight=1,
            seconds_per_day=args.share,
            window_intervals=window,
            step_intervals=None if window is None else window // 2,
            workers=1,
            seed=args.seed,
            deterministic=True,
            clock=clock,
        )
        steps = ", ".join(f"{v:.0f} at {s:.1f}" for s, v in trace)
        label = "days" if window is None else f"{hours}-hour windows"
        print(
            f"{label}, {args.share:g} s each: {steps}; work clock {clock():.1f} s,"
            f" wall {time.perf_counter() - t0:.0f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
