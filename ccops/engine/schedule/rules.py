"""Agents, rostering rules, and the independent checker of every hard rule.

All times here are minutes on the absolute clock of the horizon: minute 0 is
00:00 of the horizon's first day; day ``d`` starts at minute ``1440 * d``.
Weeks are blocks of seven days from the first day of the horizon.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

DAY = 24 * 60


@dataclass(frozen=True)
class Agent:
    """A named agent with the contract and personal constraints of stage 2."""

    agent_id: str
    name: str = ""
    skills: frozenset[str] = frozenset()
    contract_minutes_per_week: int = 40 * 60
    max_minutes_per_week: int | None = None  # hard ceiling; defaults to the contract
    days_off_per_week: int = 2
    consecutive_days_off: bool = False
    stable_start: bool = False
    max_consecutive_days: int = 6
    unavailable: tuple[tuple[int, int], ...] = ()  # [start, end) minutes
    leave_days: frozenset[int] = frozenset()  # day indices of approved leave
    preferred_start_minutes: int | None = None  # minute of the day
    preferred_days_off: frozenset[int] = frozenset()  # weekdays 0=Mon..6=Sun
    fairness: bool = True  # takes part in the fair share of weekend and late shifts
    previous_shift_end: int | None = None  # minutes (<= 0) of the last shift before the horizon
    previous_consecutive_days: int = 0  # days worked in a row right before the horizon
    max_minutes_per_day: int | None = None  # paid minutes a shift may have (None: no limit)

    @property
    def ceiling_minutes_per_week(self) -> int:
        if self.max_minutes_per_week is not None:
            return self.max_minutes_per_week
        return self.contract_minutes_per_week


@dataclass(frozen=True)
class RosterSettings:
    min_rest_minutes: int = 11 * 60
    stable_start_band_minutes: int = 60
    late_end_after_minutes: int = 21 * 60  # a shift ending later than this (same day) is late
    preferred_start_tolerance_minutes: int = 60
    first_weekday: int = 0  # weekday of day 0 (0 = Monday)
    time_limit_seconds: float = 60.0
    num_workers: int = 2
    seed: int = 0
    # soft-rule weights, per unit named
    hours_shortfall_weight: float = 1.0  # per hour below contract
    fairness_weight: float = 4.0  # per weekend or late shift above the fair share
    preference_weight: float = 1.0  # per shift off the preferred start or on a preferred day off

    def __post_init__(self) -> None:
        if self.min_rest_minutes < 0:
            raise ValueError(f"min_rest_minutes must be >= 0, got {self.min_rest_minutes}")
        if not 0 <= self.first_weekday <= 6:
            raise ValueError(f"first_weekday must be 0..6, got {self.first_weekday}")
        if self.time_limit_seconds <= 0:
            raise ValueError(f"time_limit_seconds must be > 0, got {self.time_limit_seconds}")


@dataclass(frozen=True)
class RosterShift:
    """A shift as stage 2 sees it (breaks do not matter to the rules)."""

    start: int  # minutes
    end: int  # minutes
    paid_minutes: int
    skills: tuple[str, ...] = ()
    template: str = ""

    @property
    def day(self) -> int:
        return self.start // DAY


def weekday_of(day: int, settings: RosterSettings) -> int:
    return (settings.first_weekday + day) % 7


def is_weekend(shift: RosterShift, settings: RosterSettings) -> bool:
    return weekday_of(shift.day, settings) >= 5


def is_late(shift: RosterShift, settings: RosterSettings) -> bool:
    return shift.end > shift.day * DAY + settings.late_end_after_minutes


def week_blocks(n_days: int) -> list[range]:
    return [range(s, min(s + 7, n_days)) for s in range(0, n_days, 7)]


def required_days_off(agent: Agent, block_len: int) -> int:
    """Days off the agent must have in a (possibly partial) week of ``block_len`` days."""
    return (agent.days_off_per_week * block_len) // 7


def ceiling_minutes(agent: Agent, block_len: int) -> int:
    """The hard weekly-hours ceiling; a partial week at the end of the horizon keeps it whole."""
    del block_len
    return agent.ceiling_minutes_per_week


def target_minutes(agent: Agent, block: range) -> int:
    """Contract minutes expected in a week block, less a working day per day of leave."""
    days = len(block)
    base = (agent.contract_minutes_per_week * days) // 7
    workdays = max(1, 7 - agent.days_off_per_week)
    leave = sum(1 for d in block if d in agent.leave_days)
    return max(0, base - leave * agent.contract_minutes_per_week // workdays)


#: The hard rules by code (the engine's messages are data: a code and values; callers
#: word and translate them). ``detail`` of a :class:`Violation` is the English wording.
RULES = {
    "skills": "lacks a skill the shift needs",
    "leave": "is on approved leave",
    "unavailable": "is unavailable",
    "rest_before_horizon": "needs their rest after the previous week's last shift",
    "longer_than_contract": "has a weekly contract shorter than the shift",
    "daily_hours": "would work more paid hours in a day than allowed",
    "one_shift_per_day": "has two shifts on one day",
    "minimum_rest": "would not have the minimum rest between shifts",
    "max_consecutive_days": "would work more days in a row than allowed",
    "days_off": "would not have the days off of the week",
    "consecutive_days_off": "would not have two consecutive days off",
    "weekly_hours": "would work more hours in a week than the contract allows",
    "stable_start": "would start at times further apart than the stable-start band",
    "unknown_agent": "is not in the staff list",
}


def static_reason(agent: Agent, shift: RosterShift, settings: RosterSettings) -> str | None:
    """The code of a rule by which ``agent`` can never work ``shift`` whatever else they
    do (see :data:`RULES`), or ``None``."""
    if shift.skills and not set(shift.skills) <= agent.skills:
        return "skills"
    first, last = shift.start // DAY, (shift.end - 1) // DAY
    if any(d in agent.leave_days for d in range(first, last + 1)):
        return "leave"
    for lo, hi in agent.unavailable:
        if shift.start < hi and lo < shift.end:
            return "unavailable"
    if (
        agent.previous_shift_end is not None
        and shift.start < agent.previous_shift_end + settings.min_rest_minutes
    ):
        return "rest_before_horizon"
    if shift.paid_minutes > ceiling_minutes(agent, 7):
        return "longer_than_contract"
    if agent.max_minutes_per_day is not None and shift.paid_minutes > agent.max_minutes_per_day:
        return "daily_hours"
    return None


@dataclass
class Violation:
    """A hard rule a roster breaks: the agent, the rule's code (:data:`RULES`), the values
    that show it (minutes on the horizon's clock, days from day 0) and an English detail."""

    agent_id: str
    rule: str
    detail: str = field(default="")
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.agent_id}: {self.rule}: {self.detail}"


def check_roster(
    assignments: Sequence[tuple[str, RosterShift]],
    agents: Sequence[Agent],
    n_days: int,
    settings: RosterSettings,
) -> list[Violation]:
    """Every hard-rule violation of a roster, written independently of the solver.

    ``assignments`` pairs an agent id with a shift it works.
    """
    by_id = {a.agent_id: a for a in agents}
    per_agent: dict[str, list[RosterShift]] = {a.agent_id: [] for a in agents}
    out: list[Violation] = []
    for agent_id, s in assignments:
        if agent_id not in by_id:
            out.append(Violation(agent_id, "unknown_agent", params={"start": s.start}))
            continue
        per_agent[agent_id].append(s)
    for agent_id, shifts in per_agent.items():
        a = by_id[agent_id]
        shifts.sort(key=lambda s: s.start)
        days = [s.day for s in shifts]
        if len(set(days)) != len(days):
            twice = sorted({d for d in days if days.count(d) > 1})
            out.append(Violation(agent_id, "one_shift_per_day", f"days {twice}", {"days": twice}))
        for s in shifts:
            why = static_reason(a, s, settings)
            if why is not None:
                detail = f"shift {s.start}-{s.end}"
                params = {"start": s.start, "end": s.end}
                if why == "daily_hours":
                    params["minutes"] = s.paid_minutes
                    params["limit"] = a.max_minutes_per_day
                out.append(Violation(agent_id, why, detail, params))
        for prev, nxt in itertools.pairwise(shifts):
            if nxt.start - prev.end < settings.min_rest_minutes:
                rest = nxt.start - prev.end
                out.append(
                    Violation(
                        agent_id,
                        "minimum_rest",
                        f"{rest} min between shifts",
                        {"start": nxt.start, "rest": rest, "minimum": settings.min_rest_minutes},
                    )
                )
        worked = [False] * n_days
        for d in days:
            if 0 <= d < n_days:
                worked[d] = True
        run = a.previous_consecutive_days
        for d in range(n_days):
            run = run + 1 if worked[d] else 0
            if run > a.max_consecutive_days:
                out.append(
                    Violation(
                        agent_id,
                        "max_consecutive_days",
                        f"day {d}: {run}",
                        {"day": d, "days": run, "limit": a.max_consecutive_days},
                    )
                )
                break
        for block in week_blocks(n_days):
            off = [d for d in block if not worked[d]]
            need_off = required_days_off(a, len(block))
            if len(off) < need_off:
                out.append(
                    Violation(
                        agent_id,
                        "days_off",
                        f"{len(off)} < {need_off} from day {block[0]}",
                        {"day": block[0], "off": len(off), "required": need_off},
                    )
                )
            if (
                a.consecutive_days_off
                and need_off >= 2
                and not any(d + 1 in off for d in off if d + 1 in block)
            ):
                out.append(
                    Violation(
                        agent_id,
                        "consecutive_days_off",
                        f"week from day {block[0]}",
                        {"day": block[0]},
                    )
                )
            paid = sum(s.paid_minutes for s in shifts if s.day in block)
            if paid > ceiling_minutes(a, len(block)):
                limit = ceiling_minutes(a, len(block))
                out.append(
                    Violation(
                        agent_id,
                        "weekly_hours",
                        f"{paid} > {limit} min from day {block[0]}",
                        {"day": block[0], "minutes": paid, "limit": limit},
                    )
                )
            if a.stable_start:
                tods = [s.start - s.day * DAY for s in shifts if s.day in block]
                if tods and max(tods) - min(tods) > settings.stable_start_band_minutes:
                    spread = max(tods) - min(tods)
                    out.append(
                        Violation(
                            agent_id,
                            "stable_start",
                            f"starts spread {spread} min from day {block[0]}",
                            {
                                "day": block[0],
                                "spread": spread,
                                "band": settings.stable_start_band_minutes,
                            },
                        )
                    )
    return out
