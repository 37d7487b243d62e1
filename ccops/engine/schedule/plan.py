"""One planning pipeline for a week (or any horizon of whole days): cover, roster, and
the independent rule check, for one queue or a whole center of queues and skills.

The command line (``ccops schedule``), the web app (schedule generation) and the
benchmarks all call :func:`plan_week`; none of them repeats the glue:

1. *pools*: the agents grouped by the queues they may serve (their skills that
   name a queue of the need), each pool with what the roster can give it (agents
   per day less those on leave, shifts and paid minutes per week);
2. *cover* (stage 1, :func:`ccops.engine.schedule.cover.cover`): shifts per pool,
   breaks placed, against each queue's need;
3. *roster* (stage 2, :func:`ccops.engine.schedule.roster.roster`): named agents
   onto the shifts under every hard rule; an agent may work a pool's shift when
   they hold all of its queues' skills (and the template's own skills);
4. *check* (:func:`ccops.engine.schedule.rules.check_roster`): every hard rule
   checked again, independently of the solver;
5. *allocation*: the agents on the phones split over the queues per interval
   (:func:`ccops.engine.schedule.allocation.allocate`), for per-queue coverage and
   service levels.

Times are minutes on the horizon's clock (minute 0 is 00:00 of its first day).
Without agents only stages 1 and 5 run, for one pool serving every queue.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from ccops.engine.schedule.allocation import allocate, attributed
from ccops.engine.schedule.cover import CoverResult, CoverSettings, cover
from ccops.engine.schedule.model import Pool
from ccops.engine.schedule.roster import RosterResult, UnassignedReason, roster
from ccops.engine.schedule.rules import (
    Agent,
    RosterSettings,
    RosterShift,
    Violation,
    check_roster,
    required_days_off,
    week_blocks,
)
from ccops.engine.schedule.templates import ShiftTemplate


@dataclass(frozen=True)
class PlanSettings:
    """Stage 1 and stage 2 settings of :func:`plan_week`."""

    cover: CoverSettings = field(default_factory=CoverSettings)
    roster: RosterSettings = field(default_factory=RosterSettings)


@dataclass(frozen=True)
class PlannedBreak:
    name: str
    start_minutes: int
    end_minutes: int
    paid: bool


@dataclass(frozen=True)
class PlannedShift:
    """A shift of the plan, with its agent (``None``: open, ``reason`` says why)."""

    day: int
    set_name: str
    template: str
    start_minutes: int
    end_minutes: int
    paid_minutes: int
    breaks: tuple[PlannedBreak, ...]
    queues: tuple[str, ...]  # the queues its agent may serve (its pool's)
    agent_id: str | None = None
    reason: UnassignedReason | None = None


@dataclass(frozen=True)
class WeekPlan:
    """What :func:`plan_week` returns."""

    shifts: tuple[PlannedShift, ...]
    queues: tuple[str, ...]
    interval_minutes: int
    pools: tuple[Pool, ...]
    pool_names: tuple[tuple[str, ...], ...]  # the queues of each pool, by name
    cover: CoverResult
    roster: RosterResult | None
    violations: tuple[Violation, ...]
    need: np.ndarray  # n_queues x n_intervals
    coverage: np.ndarray  # agents on the phones per interval (all queues)
    # n_queues x n_intervals: agents allocated to each queue, idle agents shared among
    # their pool's queues (the queues add up to the agents on the phones)
    coverage_by_queue: np.ndarray
    excluded_agents: tuple[str, ...]  # agents who hold no queue of the need

    @property
    def assigned(self) -> int:
        return sum(1 for s in self.shifts if s.agent_id is not None)

    @property
    def open_shifts(self) -> int:
        return sum(1 for s in self.shifts if s.agent_id is None)


def agent_pools(
    agents: Sequence[Agent],
    queues: Sequence[str],
    n_days: int,
    day_templates: Sequence[Sequence[tuple[str, ShiftTemplate]]],
) -> tuple[list[Pool], list[list[Agent]], list[str]]:
    """The agents grouped by the queues they may serve; returns the pools, their agents,
    and the ids of agents who serve none of ``queues``."""
    index = {q: i for i, q in enumerate(queues)}
    groups: dict[tuple[int, ...], list[Agent]] = defaultdict(list)
    excluded = []
    for a in agents:
        mine = tuple(sorted(index[q] for q in a.skills if q in index))
        if mine:
            groups[mine].append(a)
        else:
            excluded.append(a.agent_id)
    names = sorted({t.name for day in day_templates for _s, t in day})
    templates = {t.name: t for day in day_templates for _s, t in day}
    pools, members = [], []
    blocks = week_blocks(n_days)
    for qs in sorted(groups, key=lambda k: (len(k), k)):
        staff = groups[qs]
        daily = tuple(sum(1 for a in staff if d not in a.leave_days) for d in range(n_days))
        weekly = tuple(
            sum(
                max(0, len(b) - required_days_off(a, len(b)) - sum(d in a.leave_days for d in b))
                for a in staff
            )
            for b in blocks
        )
        paid = tuple(sum(a.ceiling_minutes_per_week for a in staff) for _b in blocks)
        allowed = frozenset(
            n for n in names if any(set(templates[n].skills) <= a.skills for a in staff)
        )
        pools.append(
            Pool(
                qs,
                name="+".join(queues[q] for q in qs),
                daily_agents=daily,
                weekly_shifts=weekly,
                weekly_paid_minutes=paid,
                templates=allowed,
            )
        )
        members.append(staff)
    return pools, members, excluded


def plan_week(
    need: np.ndarray,
    templates: Sequence[Sequence[tuple[str, ShiftTemplate]]],
    agents: Sequence[Agent] | None = None,
    *,
    interval_minutes: int,
    queues: Sequence[str] | None = None,
    settings: PlanSettings | None = None,
) -> WeekPlan:
    """Plan the shifts of a horizon of ``len(templates)`` days and roster ``agents`` onto
    them (see the module docstring).

    Parameters
    ----------
    need : agents needed per interval (one queue) or ``n_queues x n_intervals``.
    templates : per day, the ``(set_name, template)`` pairs offered that day.
    agents : the staff (``None``: stage 1 only, one pool serving every queue). An
        agent serves the queues named among its ``skills``; with one unnamed queue
        (``queues`` left out) every agent serves it.
    interval_minutes : length of an interval of ``need``.
    queues : the names of the need's queues, in row order.
    settings : stage 1 and stage 2 settings.
    """
    settings = settings or PlanSettings()
    need = np.ceil(np.asarray(need, dtype=float)).astype(np.int64)
    need2 = need[None, :] if need.ndim == 1 else need
    named = queues is not None
    queues = tuple(queues) if named else ("",)
    if len(queues) != need2.shape[0]:
        raise ValueError(f"queues: {len(queues)} names for {need2.shape[0]} rows of need")
    n_days = len(templates)
    im = interval_minutes
    excluded: list[str] = []
    if agents is None:
        pools = [Pool(tuple(range(len(queues))), name="+".join(queues))]
    else:
        # with one unnamed queue every agent serves it
        staff = agents if named else [_serving(a, "") for a in agents]
        pools, _members, excluded = agent_pools(staff, queues, n_days, templates)
        agents = staff
    if not pools:
        pools = [Pool(tuple(range(len(queues))), name="+".join(queues), daily_agents=(0,) * n_days)]
    plan = cover(need2, im, templates, settings.cover, pools=pools)
    pool_names = tuple(tuple(queues[q] for q in p.queues) for p in pools)
    result, violations = None, ()
    assignment: list[str | None] = [None] * len(plan.shifts)
    reasons: dict[int, UnassignedReason] = {}
    if agents is not None and plan.shifts:
        rshifts = [
            RosterShift(
                s.start * im,
                s.end * im,
                s.paid_intervals * im,
                tuple(sorted(set(s.skills) | (set(pool_names[s.pool]) if named else set()))),
                s.template,
            )
            for s in plan.shifts
        ]
        eligible = [a for a in agents if a.agent_id not in set(excluded)]
        if eligible:
            result = roster(rshifts, eligible, n_days, settings.roster)
            assignment = list(result.assignment)
            reasons = dict(result.unassigned_reasons)
            pairs = [(a, r) for a, r in zip(assignment, rshifts, strict=True) if a]
            violations = tuple(check_roster(pairs, eligible, n_days, settings.roster))
        else:
            reasons = {
                i: UnassignedReason("no_agent", (("skills", len(agents)),))
                for i in range(len(rshifts))
            }
    shifts = tuple(
        PlannedShift(
            day=s.day,
            set_name=s.set_name,
            template=s.template,
            start_minutes=s.start * im,
            end_minutes=s.end * im,
            paid_minutes=s.paid_intervals * im,
            breaks=tuple(
                PlannedBreak(b.name, b.start * im, (b.start + b.length) * im, b.paid)
                for b in s.breaks
            ),
            queues=pool_names[s.pool] if named else (),
            agent_id=assignment[i],
            reason=reasons.get(i),
        )
        for i, s in enumerate(plan.shifts)
    )
    per_pool = plan.pool_coverage if plan.pool_coverage is not None else plan.coverage[None, :]
    flows = allocate(per_pool, need2, [p.queues for p in pools])
    by_queue = attributed(per_pool, flows, need2, [p.queues for p in pools])
    return WeekPlan(
        shifts=shifts,
        queues=queues,
        interval_minutes=im,
        pools=tuple(pools),
        pool_names=pool_names,
        cover=plan,
        roster=result,
        violations=violations,
        need=need2,
        coverage=plan.coverage,
        coverage_by_queue=by_queue,
        excluded_agents=tuple(excluded),
    )


def _serving(agent: Agent, queue: str) -> Agent:
    return replace(agent, skills=agent.skills | {queue})
