"""Speed of ``forecast_frame``: 100 queues x 26 weeks of 15-minute history, 7 days ahead.

Issue 3, point 7: must take under 60 s on the project machine. The history is
made here with a seeded generator (Poisson counts; each queue its own volume,
opening hours, weekly shape and trend; AHT per interval), then forecast 7
days ahead with prediction intervals and AHT for every queue, ``--repeat``
times; the median wall time is reported.

    python -m benchmarks.bench_forecast [--queues 100] [--weeks 26] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd

from ccops.engine.forecast.frame import forecast_frame

LIMIT_SECONDS = 60.0


def make_history(queues: int, weeks: int, interval_minutes: int = 15, seed: int = 0):
    """A seeded multi-queue interval history (columns interval_start, queue, calls, aht_seconds)."""
    rng = np.random.default_rng(seed)
    k = 1440 // interval_minutes
    days = np.datetime64("2025-01-05") + np.arange(7 * weeks)
    wd = (days.astype(np.int64) + 3) % 7
    hours = (np.arange(k) + 0.5) * interval_minutes / 60
    ts = (
        days.astype("datetime64[m]")[:, None] + np.arange(k) * np.timedelta64(interval_minutes, "m")
    ).reshape(-1)
    parts = []
    for q in range(queues):
        level = rng.uniform(100, 3000)
        open_h, close_h = rng.integers(6, 9), rng.integers(17, 24)
        peak = rng.uniform(10, 15)
        shape = np.exp(-0.5 * ((hours - peak) / rng.uniform(2.5, 5)) ** 2)
        shape[(hours < open_h) | (hours >= close_h)] = 0
        shape /= shape.sum()
        week = rng.uniform(0.8, 1.2, 7)
        week[5] *= rng.uniform(0, 0.5)  # quiet Saturday
        trend = 1 + rng.uniform(-0.2, 0.2) * np.arange(days.size) / days.size
        mu = level * (week[wd] * trend)[:, None] * shape[None, :]
        calls = rng.poisson(mu).astype(float).reshape(-1)
        aht = np.where(
            calls > 0,
            rng.uniform(150, 400)
            + 20 * np.sin(hours / 3)[None, :].repeat(days.size, 0).reshape(-1),
            np.nan,
        )
        parts.append(
            pd.DataFrame(
                {
                    "interval_start": ts.astype("datetime64[s]"),
                    "queue": f"Q{q:03d}",
                    "calls": calls,
                    "aht_seconds": aht,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--queues", type=int, default=100)
    ap.add_argument("--weeks", type=int, default=26)
    ap.add_argument("--horizon-days", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    history = make_history(args.queues, args.weeks)
    gen_s = time.perf_counter() - t0
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        table, _ = forecast_frame(history, horizon_days=args.horizon_days)
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    print("| benchmark | rows in | rows out | median s | runs (s) | limit s | ok |")
    print("| --- | ---: | ---: | ---: | --- | ---: | --- |")
    print(
        f"| forecast {args.queues} queues x {args.weeks} weeks x 15 min, "
        f"{args.horizon_days} days ahead | {len(history):,} | {len(table):,} | {med:.1f} | "
        + ", ".join(f"{t:.1f}" for t in times)
        + f" | {LIMIT_SECONDS:.0f} | {'yes' if med < LIMIT_SECONDS else 'NO'} |"
    )
    print(f"(history generated in {gen_s:.1f} s, not counted)")
    return 0 if med < LIMIT_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
