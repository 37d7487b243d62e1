"""Seeded synthetic scheduling instances: a week of need, 30 templates, a staff list."""

from __future__ import annotations

import numpy as np

from ccops.engine.schedule.templates import TemplateLibrary, parse_templates


def synthetic_need(seed: int = 7, peak: int = 150, interval_minutes: int = 15) -> np.ndarray:
    """One week (Mon-Sun) of need, a double intraday peak times a weekday factor."""
    rng = np.random.default_rng(seed)
    ipd = 24 * 60 // interval_minutes
    hours = (np.arange(ipd) + 0.5) * interval_minutes / 60
    shape = (
        0.05
        + 0.95 * np.exp(-(((hours - 10.5) / 2.0) ** 2))
        + 0.80 * np.exp(-(((hours - 15.0) / 2.2) ** 2))
        + 0.35 * np.exp(-(((hours - 20.0) / 1.8) ** 2))
    )
    shape[(hours < 6.5) | (hours > 23.5)] *= 0.15
    weekday = np.array([1.0, 0.95, 0.92, 0.93, 0.97, 0.6, 0.45])
    noise = rng.normal(1.0, 0.06, size=(7, ipd))
    need = (weekday[:, None] * shape[None, :] * noise).ravel()
    need = need / need.max() * peak
    return np.ceil(np.clip(need, 0, None)).astype(np.int64)


def _tpl(name, start, length, brk, lunch, window_minutes=105):
    h, m = divmod(start, 60)
    h2, m2 = divmod(start + window_minutes, 60)
    return {
        "name": name,
        "start_earliest": f"{h:02d}:{m:02d}",
        "start_latest": f"{h2:02d}:{m2:02d}",
        "start_step_minutes": 15,
        "length_minutes": length,
        "breaks": [
            {
                "name": "break",
                "length_minutes": 15,
                "earliest_after_start_minutes": brk[0],
                "latest_after_start_minutes": brk[1],
                "paid": True,
            },
            {
                "name": "lunch",
                "length_minutes": 30,
                "earliest_after_start_minutes": lunch[0],
                "latest_after_start_minutes": lunch[1],
                "paid": False,
            },
        ],
    }


def synthetic_templates(*, night: bool = True) -> TemplateLibrary:
    """32 templates (8.5 h, 9 h, 6 h, 4 h) with a 15-minute break and a 30-minute lunch.

    The need runs around the clock (a small night floor), as in a 24/7 bank or
    telco center, so two 8.5-hour night shifts (starting 22:00-23:45 and
    00:00-01:45) reach the hours between midnight and 06:00. ``night=False``
    leaves them out: the 30 day templates then cannot reach about 157
    agent-intervals of night need (the case of need no template can reach).
    """
    raw = []
    for h in range(6, 16):
        raw.append(_tpl(f"d8_{h:02d}", h * 60, 510, (60, 150), (180, 300)))
    for h in (6, 8, 10, 12, 14):
        raw.append(_tpl(f"d9_{h:02d}", h * 60, 540, (60, 150), (195, 330)))
    for h in (6, 8, 10, 12, 14, 16, 18):
        raw.append(_tpl(f"p6_{h:02d}", h * 60, 360, (60, 120), (150, 240)))
    for h in (7, 9, 11, 13, 15, 17, 19, 21):
        raw.append(_tpl(f"p4_{h:02d}", h * 60, 240, (45, 90), (120, 180)))
    if night:
        for h in (22, 0):
            raw.append(_tpl(f"n8_{h:02d}", h * 60, 510, (60, 150), (180, 300)))
    return parse_templates({"templates": raw}, "<synthetic>")


def synthetic_agents(n: int = 300, seed: int = 11) -> list:
    """A staff list with mixed contracts, leave, unavailability, preferences and history."""
    from ccops.engine.schedule.rules import DAY, Agent

    rng = np.random.default_rng(seed)
    agents = []
    for i in range(n):
        kind = rng.choice(3, p=[0.7, 0.2, 0.1])
        hours, days_off = ((40, 2), (30, 3), (20, 4))[kind]
        leave = frozenset()
        if rng.random() < 0.06:
            first = int(rng.integers(0, 6))
            leave = frozenset({first, first + 1})
        unavailable = ()
        if rng.random() < 0.1:
            d = int(rng.integers(0, 7))
            unavailable = ((d * DAY + 17 * 60, d * DAY + 24 * 60),)
        prev_end = None
        if rng.random() < 0.2:
            prev_end = -int(rng.integers(1, 6)) * 60  # last week's late shift ended 19:00-23:00
        agents.append(
            Agent(
                agent_id=f"A{i:03d}",
                name=f"Agent {i}",
                contract_minutes_per_week=hours * 60,
                days_off_per_week=days_off,
                consecutive_days_off=bool(rng.random() < 0.5),
                stable_start=bool(rng.random() < 0.3),
                max_consecutive_days=int(rng.choice([5, 6])),
                unavailable=unavailable,
                leave_days=leave,
                preferred_start_minutes=int(rng.choice([7, 8, 9, 12, 14]) * 60)
                if rng.random() < 0.3
                else None,
                preferred_days_off=frozenset({int(rng.integers(0, 7))})
                if rng.random() < 0.3
                else frozenset(),
                previous_shift_end=prev_end,
                previous_consecutive_days=int(rng.integers(0, 6)),
            )
        )
    return agents
