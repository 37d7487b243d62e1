"""Synthetic interval series for the forecast tests (seeded, closed hours, weekly shape)."""

from __future__ import annotations

import numpy as np

FIRST_DAY = np.datetime64("2025-01-05")  # a Sunday


def expected_day(weekday: int, interval_minutes: int, level: float = 1000.0) -> np.ndarray:
    """Expected calls per interval of a day (Monday = 0): open 08-20, Fri 08-14, Sat shut."""
    k = 1440 // interval_minutes
    hours = (np.arange(k) + 0.5) * interval_minutes / 60
    shape = np.exp(-0.5 * ((hours - 12.5) / 3.0) ** 2)
    if weekday == 5:  # Saturday
        return np.zeros(k)
    close = 14 if weekday == 4 else 20
    shape[(hours < 8) | (hours >= close)] = 0
    day_factor = {6: 1.2, 0: 1.1, 1: 1.0, 2: 1.0, 3: 0.95, 4: 0.4}[weekday]
    return level * day_factor * shape / shape.sum()


def make_series(
    weeks: int,
    interval_minutes: int = 30,
    *,
    seed: int | None = 0,
    level: float = 1000.0,
    first_day: np.datetime64 = FIRST_DAY,
    day_multiplier: dict | None = None,
):
    """(interval_start, calls, expected): Poisson counts (or exact means when seed is None)."""
    k = 1440 // interval_minutes
    days = first_day + np.arange(7 * weeks)
    wd = ((days.astype(np.int64) + 3) % 7).astype(int)
    mu = np.stack([expected_day(int(w), interval_minutes, level) for w in wd])
    for day, mult in (day_multiplier or {}).items():
        mu[days == np.datetime64(day)] *= mult
    ts = days.astype("datetime64[m]")[:, None] + np.arange(k) * np.timedelta64(
        interval_minutes, "m"
    )
    y = mu.copy() if seed is None else np.random.default_rng(seed).poisson(mu).astype(float)
    return ts.reshape(-1), y.reshape(-1), mu.reshape(-1)
