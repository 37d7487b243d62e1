"""Stage 2, rostering: assign named agents to the planned shifts as weekly tours.

Hard rules (never broken; a shift that no agent can take stays unassigned,
with the reason): skills, approved leave, unavailability, one shift a day,
minimum rest between shifts (also after the last shift before the horizon),
maximum consecutive working days (counting the days worked right before the
horizon), days off per week (two of them consecutive where the contract says
so), the weekly hours ceiling, and a stable start time (within a band) where
asked.

Soft rules (penalised, reported with counts): hours below the contract, more
than a fair share of weekend or late shifts, shifts off the preferred start
time, work on a preferred day off.

Identical shifts (same template, start and end) are grouped so that the model
has one Boolean per agent and shift *kind*, and agent-kind pairs ruled out by
a hard rule that depends on nothing else are never created.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from ccops.engine.schedule.rules import (
    DAY,
    Agent,
    RosterSettings,
    RosterShift,
    ceiling_minutes,
    is_late,
    is_weekend,
    required_days_off,
    static_reason,
    target_minutes,
    week_blocks,
    weekday_of,
)

UNASSIGNED_PENALTY = 100_000


@dataclass(frozen=True)
class RosterResult:
    """``assignment[i]`` is the agent id working shift ``i``, or ``None`` (then
    ``unassigned_reasons[i]`` says why)."""

    assignment: tuple[str | None, ...]
    unassigned_reasons: dict[int, UnassignedReason]
    soft_counts: dict[str, int]
    status: str
    solve_seconds: float
    objective: float


def _kinds(shifts: Sequence[RosterShift]) -> tuple[list[RosterShift], list[list[int]]]:
    index: dict[tuple, int] = {}
    kinds: list[RosterShift] = []
    members: list[list[int]] = []
    for i, s in enumerate(shifts):
        key = (s.start, s.end, s.paid_minutes, s.skills, s.template)
        if key not in index:
            index[key] = len(kinds)
            kinds.append(s)
            members.append([])
        members[index[key]].append(i)
    return kinds, members


def _off_preference(agent: Agent, s: RosterShift, settings: RosterSettings) -> int:
    """Soft-rule count of one shift for the agent's preferences."""
    count = 0
    if agent.preferred_start_minutes is not None:
        tod = s.start - s.day * DAY
        if abs(tod - agent.preferred_start_minutes) > settings.preferred_start_tolerance_minutes:
            count += 1
    if weekday_of(s.day, settings) in agent.preferred_days_off:
        count += 1
    return count


def fair_shares(
    agents: Sequence[Agent], total: int, eligible: set[str] | None = None
) -> dict[str, int]:
    """Each participating agent's fair share of ``total`` shifts, by contract hours."""
    part = [a for a in agents if a.fairness and (eligible is None or a.agent_id in eligible)]
    weight = sum(a.contract_minutes_per_week for a in part)
    if not weight:
        return {}
    return {a.agent_id: math.ceil(total * a.contract_minutes_per_week / weight) for a in part}


class _State:
    """Incremental check of every hard rule, for the greedy roster."""

    def __init__(self, agent: Agent, n_days: int, settings: RosterSettings):
        self.a = agent
        self.n_days = n_days
        self.settings = settings
        self.by_day: dict[int, RosterShift] = {}
        self.blocks = week_blocks(n_days)

    def _block(self, day: int) -> range:
        return self.blocks[day // 7]

    def can_take(self, s: RosterShift) -> bool:
        a, st, d = self.a, self.settings, s.day
        if d in self.by_day or not 0 <= d < self.n_days:
            return False
        rest = st.min_rest_minutes
        for other in self.by_day.values():
            if other.start < s.start and s.start - other.end < rest:
                return False
            if other.start > s.start and other.start - s.end < rest:
                return False
        block = self._block(d)
        worked = {x for x in self.by_day if x in block} | {d}
        if len(block) - len(worked) < required_days_off(a, len(block)):
            return False
        if a.consecutive_days_off and required_days_off(a, len(block)) >= 2:
            off = [x for x in block if x not in worked]
            if not any(x + 1 in off for x in off if x + 1 in block):
                return False
        paid = sum(x.paid_minutes for x in self.by_day.values() if x.day in block)
        if paid + s.paid_minutes > ceiling_minutes(a, len(block)):
            return False
        if a.stable_start:
            tods = [x.start - x.day * DAY for x in self.by_day.values() if x.day in block]
            tods.append(s.start - d * DAY)
            if max(tods) - min(tods) > st.stable_start_band_minutes:
                return False
        days = set(self.by_day) | {d}
        run = a.previous_consecutive_days
        for x in range(self.n_days):
            run = run + 1 if x in days else 0
            if run > a.max_consecutive_days:
                return False
        return True

    def take(self, s: RosterShift) -> None:
        self.by_day[s.day] = s


def _pressure(state: _State, s: RosterShift) -> float:
    """Share of the agent's remaining eligible days this week they could still work."""
    a, block = state.a, state._block(s.day)
    worked = [x for x in state.by_day if x in block]
    days_left = len(block) - required_days_off(a, len(block)) - len(worked)
    paid = sum(x.paid_minutes for x in state.by_day.values() if x.day in block)
    shifts_left = min(days_left, (ceiling_minutes(a, len(block)) - paid) / max(1, s.paid_minutes))
    remaining = sum(
        1 for d in block if d >= s.day and d not in a.leave_days and d not in state.by_day
    )
    return shifts_left / max(1, remaining)


def greedy_roster(
    shifts: Sequence[RosterShift],
    agents: Sequence[Agent],
    n_days: int,
    settings: RosterSettings,
) -> list[str | None]:
    """Assign shifts in time order, each to the feasible agent who most needs the day.

    An agent needs a day when the working days (and hours) the rules leave them
    in the week are many for the days that remain; then the agent furthest
    below their contract goes first. Spreading work days this way keeps agents
    free for the end of the week.
    """
    states = {a.agent_id: _State(a, n_days, settings) for a in agents}
    worked_minutes = dict.fromkeys(states, 0)
    targets = {a.agent_id: sum(target_minutes(a, b) for b in week_blocks(n_days)) for a in agents}
    weekend = Counter()
    late = Counter()
    order = sorted(range(len(shifts)), key=lambda i: (shifts[i].start, -shifts[i].paid_minutes))
    out: list[str | None] = [None] * len(shifts)
    for i in order:
        s = shifts[i]
        best, best_key = None, None
        for a in agents:
            if static_reason(a, s, settings) is not None:
                continue
            if not states[a.agent_id].can_take(s):
                continue
            key = (
                -_pressure(states[a.agent_id], s),
                worked_minutes[a.agent_id] - targets[a.agent_id],
                weekend[a.agent_id] if is_weekend(s, settings) else 0,
                late[a.agent_id] if is_late(s, settings) else 0,
                _off_preference(a, s, settings),
            )
            if best_key is None or key < best_key:
                best, best_key = a.agent_id, key
        if best is not None:
            states[best].take(s)
            worked_minutes[best] += s.paid_minutes
            weekend[best] += is_weekend(s, settings)
            late[best] += is_late(s, settings)
            out[i] = best
    return out


_REASON_WORDS = {
    "skills": "lack the skills",
    "leave": "are on leave",
    "unavailable": "are unavailable",
    "rest_before_horizon": "need their rest after the previous week",
    "longer_than_contract": "have contracts too short for it",
    "daily_hours": "may not work so many hours in a day",
    "outside_horizon": "cannot work outside the horizon",
}


@dataclass(frozen=True)
class UnassignedReason:
    """Why a shift stays open, as data: ``code`` is ``no_agent`` (no agent may ever work
    it; ``counts`` says how many agents each rule of :data:`RULES` excludes) or
    ``all_busy`` (``eligible`` agents could, but are at their limits)."""

    code: str
    counts: tuple[tuple[str, int], ...] = ()
    eligible: int = 0

    @property
    def text(self) -> str:
        parts = ", ".join(f"{n} {_REASON_WORDS.get(r, r)}" for r, n in self.counts)
        if self.code == "no_agent":
            return "no agent can work it: " + parts
        return (
            f"all {self.eligible} agents who could work it are already at their "
            "weekly hours, days-off, rest or consecutive-day limits"
            + (f"; of the others, {parts}" if parts else "")
        )

    def __str__(self) -> str:
        return self.text


def soft_rule_counts(
    assignment: Sequence[str | None],
    shifts: Sequence[RosterShift],
    agents: Sequence[Agent],
    n_days: int,
    settings: RosterSettings,
) -> dict[str, int]:
    """Counts of every soft-rule shortfall of a roster (independent of the solver)."""
    by_id = {a.agent_id: a for a in agents}
    paid: dict[tuple[str, int], int] = Counter()
    weekend, late = Counter(), Counter()
    off_start = pref_off = 0
    for s, a in zip(shifts, assignment, strict=True):
        if a is None:
            continue
        paid[a, s.day // 7] += s.paid_minutes
        weekend[a] += is_weekend(s, settings)
        late[a] += is_late(s, settings)
        ag = by_id[a]
        tod = s.start - s.day * DAY
        if (
            ag.preferred_start_minutes is not None
            and abs(tod - ag.preferred_start_minutes) > settings.preferred_start_tolerance_minutes
        ):
            off_start += 1
        if weekday_of(s.day, settings) in ag.preferred_days_off:
            pref_off += 1
    short_agents = short_minutes = 0
    for a in agents:
        gap = sum(
            max(0, target_minutes(a, b) - paid[a.agent_id, i])
            for i, b in enumerate(week_blocks(n_days))
        )
        short_agents += gap > 0
        short_minutes += gap
    assigned = [s for s, a in zip(shifts, assignment, strict=True) if a is not None]
    w_share = fair_shares(agents, sum(is_weekend(s, settings) for s in assigned))
    l_share = fair_shares(agents, sum(is_late(s, settings) for s in assigned))
    return {
        "unassigned_shifts": sum(a is None for a in assignment),
        "agents_below_contract_hours": short_agents,
        "hours_below_contract": round(short_minutes / 60),
        "weekend_shifts_above_fair_share": sum(
            max(0, weekend[a] - share) for a, share in w_share.items()
        ),
        "late_shifts_above_fair_share": sum(
            max(0, late[a] - share) for a, share in l_share.items()
        ),
        "shifts_off_preferred_start": off_start,
        "shifts_on_preferred_day_off": pref_off,
    }


def roster(
    shifts: Sequence[RosterShift],
    agents: Sequence[Agent],
    n_days: int,
    settings: RosterSettings | None = None,
) -> RosterResult:
    """Assign ``agents`` to ``shifts`` (CP-SAT, started from the greedy roster).

    Parameters
    ----------
    shifts : the shifts to staff, minutes on the horizon's clock.
    agents : the agents, with their contracts and constraints.
    n_days : days in the horizon (weeks are blocks of 7 days from day 0).
    settings : rest, bands, weights, time limit.

    Returns
    -------
    RosterResult
        One agent id (or ``None``) per shift; unassigned shifts carry a reason
        in plain words; soft-rule counts.
    """
    settings = settings or RosterSettings()
    began = time.perf_counter()
    ids = [a.agent_id for a in agents]
    if len(set(ids)) != len(ids):
        dup = next(i for i, c in Counter(ids).items() if c > 1)
        raise ValueError(f"agents: agent_id {dup!r} appears twice")
    kinds, members = _kinds(shifts)
    greedy = greedy_roster(shifts, agents, n_days, settings)
    m = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    why_not: dict[int, Counter] = defaultdict(Counter)
    for ai, a in enumerate(agents):
        for k, s in enumerate(kinds):
            why = static_reason(a, s, settings)
            if why is None and 0 <= s.day < n_days:
                x[ai, k] = m.new_bool_var(f"x{ai}_{k}")
            else:
                why_not[k][why or "outside_horizon"] += 1
    by_kind: dict[int, list[int]] = defaultdict(list)
    by_agent_day: dict[tuple[int, int], list[int]] = defaultdict(list)
    for ai, k in x:
        by_kind[k].append(ai)
        by_agent_day[ai, kinds[k].day].append(k)
    s_ = 600  # objective units per hour of shortfall weight x 10 per minute
    terms: list[tuple[cp_model.LinearExprT, int]] = []
    for k in range(len(kinds)):
        vs = [x[ai, k] for ai in by_kind[k]]
        if vs:
            m.add(sum(vs) <= len(members[k]))  # rule: each shift worked once
            terms.append((sum(vs), -UNASSIGNED_PENALTY * s_))
    assigned_w = sum(len(members[k]) for k, s in enumerate(kinds) if is_weekend(s, settings))
    assigned_l = sum(len(members[k]) for k, s in enumerate(kinds) if is_late(s, settings))
    w_share = fair_shares(agents, assigned_w)
    l_share = fair_shares(agents, assigned_l)
    blocks = week_blocks(n_days)
    # the greedy roster, as a complete hint (auxiliary variables included)
    kind_of = {i: k for k, ms in enumerate(members) for i in ms}
    greedy_kinds: dict[int, set[int]] = defaultdict(set)
    agent_index = {a.agent_id: ai for ai, a in enumerate(agents)}
    for i, who in enumerate(greedy):
        if who is not None:
            greedy_kinds[agent_index[who]].add(kind_of[i])
    hints: list[tuple[cp_model.IntVar, int]] = []
    for ai, a in enumerate(agents):
        gk = greedy_kinds[ai]
        g_days = {kinds[k].day for k in gk}
        days = {d: by_agent_day[ai, d] for d in range(n_days) if by_agent_day.get((ai, d))}
        if not days:
            continue
        w = {}
        for d, ks in days.items():
            w[d] = m.new_bool_var(f"w{ai}_{d}")
            hints.append((w[d], int(d in g_days)))
            m.add(sum(x[ai, k] for k in ks) == w[d])  # rule: one shift a day

        def start_of(d, ai=ai, days=days):
            return sum(kinds[k].start * x[ai, k] for k in days[d])

        def end_of(d, ai=ai, days=days):
            return sum(kinds[k].end * x[ai, k] for k in days[d])

        # rule: minimum rest between consecutive shifts
        for d in days:
            latest_end = max(kinds[k].end for k in days[d])
            for e in range(d + 1, n_days):
                if e not in days:
                    continue
                earliest = min(kinds[k].start for k in days[e])
                if earliest - latest_end >= settings.min_rest_minutes:
                    break
                m.add(start_of(e) - end_of(d) >= settings.min_rest_minutes).only_enforce_if(
                    [w[d], w[e]]
                )
        # rule: maximum consecutive working days (days right before count as worked)
        mx, prev = a.max_consecutive_days, a.previous_consecutive_days
        for j in range(-prev, n_days - mx):
            window = range(j, j + mx + 1)
            inside = [w[d] for d in window if d in w]
            before = sum(1 for d in window if d < 0)
            if inside and len(inside) + before > mx:
                m.add(sum(inside) <= mx - before)
        for bi, block in enumerate(blocks):
            in_block = [d for d in block if d in w]
            if not in_block:
                continue
            # rule: days off per week
            need_off = required_days_off(a, len(block))
            m.add(sum(w[d] for d in in_block) <= len(block) - need_off)
            # rule: two consecutive days off
            if a.consecutive_days_off and need_off >= 2:
                pairs = []
                for d in block[:-1]:
                    p = m.new_bool_var(f"off{ai}_{d}")
                    hints.append((p, int(d not in g_days and d + 1 not in g_days)))
                    for e in (d, d + 1):
                        if e in w:
                            m.add_implication(p, w[e].Not())
                    pairs.append(p)
                m.add_bool_or(pairs)
            paid = sum(kinds[k].paid_minutes * x[ai, k] for d in in_block for k in days[d])
            # rule: weekly hours ceiling
            m.add(paid <= ceiling_minutes(a, len(block)))
            # rule: stable start time within the band
            if a.stable_start:
                lo = m.new_int_var(0, DAY, f"band{ai}_{bi}")
                tods = [kinds[k].start - kinds[k].day * DAY for k in gk if kinds[k].day in block]
                hints.append((lo, min(tods, default=0)))
                for d in in_block:
                    tod = sum((kinds[k].start - d * DAY) * x[ai, k] for k in days[d])
                    m.add(tod >= lo).only_enforce_if(w[d])
                    m.add(tod <= lo + settings.stable_start_band_minutes).only_enforce_if(w[d])
            # soft: hours below the contract
            target = target_minutes(a, block)
            if target > 0:
                short = m.new_int_var(0, target, f"short{ai}_{bi}")
                g_paid = sum(kinds[k].paid_minutes for k in gk if kinds[k].day in block)
                hints.append((short, max(0, target - g_paid)))
                m.add(short >= target - paid)
                terms.append((short, round(settings.hours_shortfall_weight * s_ / 60)))
        # soft: fair share of weekend and late shifts
        for share, pred in ((w_share, is_weekend), (l_share, is_late)):
            if a.agent_id not in share:
                continue
            count = [x[ai, k] for d in days for k in days[d] if pred(kinds[k], settings)]
            if len(count) > share[a.agent_id]:
                excess = m.new_int_var(0, len(count), f"excess{ai}")
                g_count = sum(1 for k in gk if pred(kinds[k], settings))
                hints.append((excess, max(0, g_count - share[a.agent_id])))
                m.add(excess >= sum(count) - share[a.agent_id])
                terms.append((excess, round(settings.fairness_weight * s_)))
        # soft: preferences
        for d in days:
            for k in days[d]:
                c = _off_preference(a, kinds[k], settings)
                if c:
                    terms.append((x[ai, k], round(c * settings.preference_weight * s_)))
    m.minimize(sum(coef * expr for expr, coef in terms if coef))
    # hint: the greedy roster
    for (ai, k), var in x.items():
        m.add_hint(var, int(k in greedy_kinds[ai]))
    for var, value in hints:
        m.add_hint(var, value)
    solver = cp_model.CpSolver()
    # keep a twentieth of the limit for reading the solution back and counting
    solver.parameters.max_time_in_seconds = max(
        1.0, 0.95 * settings.time_limit_seconds - (time.perf_counter() - began)
    )
    solver.parameters.num_workers = settings.num_workers
    solver.parameters.random_seed = settings.seed
    # presolve of a roster of a few hundred agents takes longer than the search it
    # saves; without it the search starts from the (complete, feasible) greedy hint
    solver.parameters.cp_model_presolve = False
    status = solver.solve(m)
    out: list[str | None] = [None] * len(shifts)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for k in range(len(kinds)):
            who = [ai for ai in by_kind[k] if solver.value(x[ai, k])]
            for i, ai in zip(members[k], who, strict=False):
                out[i] = agents[ai].agent_id
        status_name = solver.status_name(status).lower()
        objective = solver.objective_value
    if out.count(None) > greedy.count(None) or status not in (
        cp_model.OPTIMAL,
        cp_model.FEASIBLE,
    ):  # never worse than the baseline
        out = list(greedy)
        status_name = f"greedy (CP-SAT: {solver.status_name(status).lower()})"
        objective = float("nan")
    reasons: dict[int, UnassignedReason] = {}
    for k in range(len(kinds)):
        counts = tuple(why_not[k].most_common())
        for i in members[k]:
            if out[i] is not None:
                continue
            if not by_kind[k]:
                reasons[i] = UnassignedReason("no_agent", counts)
            else:
                reasons[i] = UnassignedReason("all_busy", counts, len(by_kind[k]))
    return RosterResult(
        assignment=tuple(out),
        unassigned_reasons=reasons,
        soft_counts=soft_rule_counts(out, shifts, agents, n_days, settings),
        status=status_name,
        solve_seconds=time.perf_counter() - began,
        objective=objective,
    )
