"""Scheduling benchmark: a week of 15-minute need peaking near 150 agents, 32 templates
with a 15-minute break and a 30-minute lunch each, 300 agents.

Stage 1 (30 s) against the HiGHS LP bound, the same bound rounded up to a whole
number, HiGHS's MIP dual bound after ``--mip-bound-seconds`` (computed outside the
30 s) and a greedy baseline; stage 2 (CP-SAT, 60 s) against a greedy roster, every
hard rule checked independently.

    python -m benchmarks.bench_schedule [--cover-seconds 30] [--roster-seconds 60]
        [--mip-bound-seconds 60] [--skip-roster] [--weights both|under-over|default]
        [--deterministic] [--seed 0] [--phases 8:1/30,12:1/12,days:1/6]

``--phases`` replaces stage 1's neighbourhood phases (``single.NEIGHBOURHOOD_PHASES``:
window hours or ``days``, and each MIP's share of the limit) to compare them;
``--deterministic`` runs stage 1 on work limits (``CoverSettings.deterministic``): the
same schedule on every run whatever the load, sized to take about ``--cover-seconds``
on an idle machine.
"""

from __future__ import annotations

import argparse
import time

from benchmarks.schedule_instances import synthetic_agents, synthetic_need, synthetic_templates
from ccops.engine.schedule import single
from ccops.engine.schedule.bound import integer_bound, mip_bound
from ccops.engine.schedule.cover import (
    CoverSettings,
    cover,
    objective_of,
    relative_gap,
    uncoverable_intervals,
)
from ccops.engine.schedule.greedy import greedy_cover
from ccops.engine.schedule.model import build_model
from ccops.engine.schedule.roster import greedy_roster, roster, soft_rule_counts
from ccops.engine.schedule.rules import RosterSettings, RosterShift, check_roster


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cover-seconds", type=float, default=30.0)
    parser.add_argument("--roster-seconds", type=float, default=60.0)
    parser.add_argument("--agents", type=int, default=300)
    parser.add_argument("--mip-bound-seconds", type=float, default=60.0)
    parser.add_argument("--skip-roster", action="store_true")
    parser.add_argument("--weights", choices=("both", "under-over", "default"), default="both")
    parser.add_argument("--deterministic", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--phases", type=_phases)
    args = parser.parse_args(argv)
    if args.phases:
        single.NEIGHBOURHOOD_PHASES = args.phases
        print(f"neighbourhood phases (hours, share of the limit): {args.phases}")
    need = synthetic_need()
    library = synthetic_templates()
    days = [[("normal", t) for t in library.sets["normal"]] for _ in range(7)]
    print(f"need: {need.size} intervals, peak {need.max()}, {need.sum()} agent-intervals")
    print(f"templates: {len(library.sets['normal'])}, each with a 15-min break and 30-min lunch")
    print()
    probe = build_model(need, 15, days, under_weight=1, over_weight=1, paid_off_floor_weight=0)
    print(f"templates reach every interval with need: {not uncoverable_intervals(probe).any()}")
    print()
    print("stage 1                     | under | over | objective  | LP bound | gap     | s")
    plan = None
    for label, weights in (
        ("under+over (1, 1, 0)", (1.0, 1.0, 0.0)),
        ("defaults (3, 1, 1)", (3.0, 1.0, 1.0)),
    ):
        if args.weights != "both" and (args.weights == "default") != (weights[2] > 0):
            continue
        st = CoverSettings(
            *weights,
            time_limit_seconds=args.cover_seconds,
            deterministic=args.deterministic,
            seed=args.seed,
        )
        t0 = time.perf_counter()
        g = greedy_cover(need, 15, days, st)
        g_s = time.perf_counter() - t0
        _, gu, go, gobj = objective_of(g, need, st)
        res = cover(need, 15, days, st)
        plan = plan or res
        unreachable = int(need[res.uncoverable].sum())
        print(
            f"greedy   {label:<18} | {gu:5d} | {go:4d} | {gobj:10.0f} | "
            f"{res.lp_bound:8.1f} | {100 * relative_gap(gobj, res.lp_bound):6.1f}% | {g_s:.1f}"
        )
        print(
            f"ccops    {label:<18} | {res.under_agent_intervals:5d} | "
            f"{res.over_agent_intervals:4d} | {res.objective:10.0f} | {res.lp_bound:8.1f} | "
            f"{100 * res.gap:6.1f}% | {res.solve_seconds:.1f}  ({res.status})"
        )
        if args.mip_bound_seconds > 0:
            model = build_model(
                need,
                15,
                days,
                under_weight=st.under_weight,
                over_weight=st.over_weight,
                paid_off_floor_weight=st.paid_off_floor_weight,
            )
            whole = integer_bound(res.lp_bound, model)
            mb = mip_bound(model, args.mip_bound_seconds)
            mip = integer_bound(mb.value, model)
            own = "-" if mb.incumbent is None else f"{mb.incumbent:.0f}"
            print(
                f"         bounds: LP {res.lp_bound:.1f}, LP rounded up {whole:.0f} "
                f"(gap {100 * relative_gap(res.objective, whole):.1f}%), HiGHS MIP after "
                f"{args.mip_bound_seconds:.0f} s {mip:.0f} (gap "
                f"{100 * relative_gap(res.objective, mip):.1f}%; its own best schedule "
                f"{own})"
            )
    print(f"need no template can reach: {unreachable} agent-intervals; ccops status: {plan.status}")
    _unreachable_case(need)
    if args.skip_roster:
        return 0
    shifts = [
        RosterShift(s.start * 15, s.end * 15, s.paid_intervals * 15, s.skills, s.template)
        for s in plan.shifts
    ]
    agents = synthetic_agents(args.agents)
    rs = RosterSettings(time_limit_seconds=args.roster_seconds)
    print()
    print(f"stage 2: {len(shifts)} shifts, {len(agents)} agents")
    print("method  | assigned | unassigned | hard violations | below contract h | fairness | s")
    t0 = time.perf_counter()
    g = greedy_roster(shifts, agents, 7, rs)
    g_s = time.perf_counter() - t0
    result = roster(shifts, agents, 7, rs)
    for label, assignment, secs in (
        ("greedy", g, g_s),
        ("ccops", list(result.assignment), result.solve_seconds),
    ):
        pairs = [(a, s) for a, s in zip(assignment, shifts, strict=True) if a]
        bad = check_roster(pairs, agents, 7, rs)
        soft = soft_rule_counts(assignment, shifts, agents, 7, rs)
        fair = soft["weekend_shifts_above_fair_share"] + soft["late_shifts_above_fair_share"]
        print(
            f"{label:<7} | {len(pairs):8d} | {soft['unassigned_shifts']:10d} | {len(bad):15d} | "
            f"{soft['hours_below_contract']:16d} | {fair:8d} | {secs:.1f}"
        )
    print(f"ccops roster status: {result.status}")
    return 0


def _phases(text: str) -> tuple[tuple[int | None, float], ...]:
    """``8:1/30,12:1/12,days:1/6`` -> ((8, 1/30), (12, 1/12), (None, 1/6))."""
    phases = []
    for part in text.split(","):
        hours, _, share = part.partition(":")
        top, _, bottom = share.partition("/")
        value = float(top) / float(bottom or 1)
        phases.append((None if hours.strip() == "days" else int(hours), value))
    return tuple(phases)


def _unreachable_case(need) -> None:
    """Without the night templates, some night need is out of every template's reach."""
    library = synthetic_templates(night=False)
    days = [[("normal", t) for t in library.sets["normal"]] for _ in range(7)]
    model = build_model(need, 15, days, under_weight=1, over_weight=1, paid_off_floor_weight=0)
    lost = uncoverable_intervals(model)
    print(
        f"without the 2 night templates: {int(lost.sum())} intervals, "
        f"{int(need[lost].sum())} agent-intervals of need no template can reach "
        "(named in plain words by `ccops schedule`; not part of the gap measurement)"
    )


if __name__ == "__main__":
    raise SystemExit(main())
