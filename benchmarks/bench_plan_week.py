"""The one planning pipeline (:func:`ccops.engine.schedule.plan.plan_week`) at the sizes a
real center has, as the CLI and the web app call it:

* ``single``: the existing week (one queue, 32 templates, need peaking near 150, 300
  agents), default weights; stage 1 against its LP bound in 30 s, then the roster;
* ``multiskill``: four queues, 300 agents holding 1-3 skills each; every hard rule
  checked independently, understaffing per queue and the gap to the multi-skill LP bound
  (the flow model's relaxation, computed outside the timed run), in 60 s;
* ``large``: 1,000 agents on one queue whose need peaks near 450, every hard rule met,
  in at most 120 s.

    python -m benchmarks.bench_plan_week [--only single|multiskill|large] [--deterministic]

``--deterministic`` runs stage 1 on work limits (the same plan on every run).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from benchmarks.schedule_instances import synthetic_agents, synthetic_need, synthetic_templates
from ccops.engine.schedule.cover import CoverSettings
from ccops.engine.schedule.model import build_model
from ccops.engine.schedule.multiskill import multiskill_lp_bound
from ccops.engine.schedule.plan import PlanSettings, plan_week
from ccops.engine.schedule.rules import RosterSettings
from ccops.engine.schedule.shifts import relative_gap

QUEUES = ("retail", "premium", "business", "technical")


def _days():
    library = synthetic_templates()
    return [[("normal", t) for t in library.sets["normal"]] for _ in range(7)]


def _report(label: str, plan, seconds: float, budget: float) -> None:
    c = plan.cover
    by_rule: dict[str, int] = {}
    for v in plan.violations:
        by_rule[v.rule] = by_rule.get(v.rule, 0) + 1
    print(
        f"{label}: {len(plan.shifts)} shifts, {plan.assigned} rostered, {plan.open_shifts} open;"
        f" stage 1 under {c.under_agent_intervals}, over {c.over_agent_intervals} agent-intervals,"
        f" objective {c.objective:.0f}, LP bound {c.lp_bound:.1f}, gap {100 * c.gap:.2f} %"
        f" ({c.status}, {c.solve_seconds:.1f} s); hard-rule violations {len(plan.violations)}"
        f" {by_rule or ''}; total {seconds:.1f} s (budget {budget:.0f} s:"
        f" {'met' if seconds <= budget else 'NOT met'})"
    )


def single(deterministic: bool = False) -> None:
    need = synthetic_need()
    agents = synthetic_agents(300)
    settings = PlanSettings(
        cover=CoverSettings(time_limit_seconds=30, deterministic=deterministic),
        roster=RosterSettings(time_limit_seconds=60),
    )
    t0 = time.perf_counter()
    plan = plan_week(need, _days(), agents, interval_minutes=15, settings=settings)
    seconds = time.perf_counter() - t0
    _report("single queue, 300 agents", plan, seconds, 90)
    print(
        f"  stage 1 within 2 % of its LP bound in 30 s: "
        f"{'yes' if plan.cover.gap <= 0.02 else 'no'} ({100 * plan.cover.gap:.2f} %)"
    )


def multiskill_instance(n_agents: int = 300, seed: int = 5):
    """Four queues sharing the synthetic need (40/30/20/10 %, the smaller ones peaking
    later), agents with 1-3 skills: most hold the big queue, a few hold all four."""
    rng = np.random.default_rng(seed)
    base = synthetic_need().astype(float)
    shares = (0.4, 0.3, 0.2, 0.1)
    need = np.vstack([np.ceil(np.roll(base, 4 * q) * s) for q, s in enumerate(shares)]).astype(int)
    agents = []
    for a in synthetic_agents(n_agents):
        k = int(rng.choice([1, 2, 3], p=[0.5, 0.35, 0.15]))
        skills = set(rng.choice(QUEUES, size=k, replace=False, p=(0.4, 0.25, 0.2, 0.15)))
        agents.append(_with_skills(a, frozenset(skills)))
    return need, agents


def _with_skills(agent, skills):
    from dataclasses import replace

    return replace(agent, skills=frozenset(agent.skills) | skills)


def multiskill(deterministic: bool = False) -> None:
    need, agents = multiskill_instance()
    settings = PlanSettings(
        cover=CoverSettings(time_limit_seconds=30, deterministic=deterministic),
        roster=RosterSettings(time_limit_seconds=25),
    )
    days = _days()
    t0 = time.perf_counter()
    plan = plan_week(need, days, agents, interval_minutes=15, queues=QUEUES, settings=settings)
    seconds = time.perf_counter() - t0
    _report("four queues, 300 agents with 1-3 skills", plan, seconds, 60)
    short = np.maximum(plan.need - np.round(plan.coverage_by_queue), 0).sum(axis=1)
    for q, name in enumerate(QUEUES):
        print(
            f"  {name:<9} need {int(plan.need[q].sum()):6d} agent-intervals,"
            f" short {int(short[q]):5d} ({100 * short[q] / max(1, plan.need[q].sum()):.1f} %)"
        )
    st = settings.cover
    model = build_model(
        plan.need,
        15,
        days,
        under_weight=st.under_weight,
        over_weight=st.over_weight,
        paid_off_floor_weight=st.paid_off_floor_weight,
        pools=plan.pools,
    )
    t1 = time.perf_counter()
    bound = multiskill_lp_bound(model, seconds=300)
    if bound is None:
        print("  multi-skill LP bound: not solved in 300 s")
    else:
        print(
            f"  multi-skill LP bound {bound:.1f} ({time.perf_counter() - t1:.0f} s, outside the"
            f" run): stage 1 gap {100 * relative_gap(plan.cover.objective, bound):.2f} %"
        )


def large(deterministic: bool = False) -> None:
    need = synthetic_need(peak=450)
    agents = synthetic_agents(1000)
    settings = PlanSettings(
        cover=CoverSettings(time_limit_seconds=40, deterministic=deterministic),
        roster=RosterSettings(time_limit_seconds=60),
    )
    t0 = time.perf_counter()
    plan = plan_week(need, _days(), agents, interval_minutes=15, settings=settings)
    seconds = time.perf_counter() - t0
    _report("one queue, 1,000 agents", plan, seconds, 120)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("single", "multiskill", "large"))
    parser.add_argument("--deterministic", action="store_true")
    args = parser.parse_args(argv)
    for name, run in (("single", single), ("multiskill", multiskill), ("large", large)):
        if args.only in (None, name):
            run(args.deterministic)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
