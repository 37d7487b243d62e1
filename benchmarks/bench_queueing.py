"""Speed of ``required_agents`` on one week of 15-minute intervals for 20 queues.

13,440 intervals, up to 800 calls an interval, AHT 3-7 minutes, target 80 % in
20 s, occupancy at most 85 %. Targets: Erlang C under 30 ms and Erlang A
(mean patience 2 minutes) under 300 ms, median of several runs.

Run: ``python -m benchmarks.bench_queueing``.
"""

from __future__ import annotations

import os
import statistics
import time

import numpy as np

from ccops.engine.queueing import required_agents

QUEUES, DAYS, PER_DAY = 20, 7, 96
INTERVAL_SECONDS = 900.0


def week_of_intervals(seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """Calls and AHT per interval (queue-major), seeded."""
    rng = np.random.default_rng(seed)
    hours = (np.arange(PER_DAY) + 0.5) / 4.0
    # A call-center day: quiet night, morning peak, afternoon plateau, evening tail.
    profile = (
        0.03
        + np.exp(-0.5 * ((hours - 10.5) / 1.8) ** 2)
        + 0.8 * np.exp(-0.5 * ((hours - 15.0) / 2.2) ** 2)
        + 0.3 * np.exp(-0.5 * ((hours - 20.0) / 1.5) ** 2)
    )
    profile /= profile.max()
    day_factor = np.array([1.0, 0.95, 0.93, 0.92, 0.9, 0.55, 0.3])
    peak = rng.uniform(40, 800, QUEUES)
    shape = (QUEUES, DAYS, PER_DAY)
    mean = peak[:, None, None] * day_factor[None, :, None] * profile[None, None, :]
    calls = np.minimum(rng.poisson(mean * rng.uniform(0.9, 1.1, shape)), 800).astype(float)
    aht = np.clip(rng.uniform(200, 400, QUEUES)[:, None, None] + rng.normal(0, 20, shape), 180, 420)
    return calls.ravel(), aht.ravel()


def _time(fn, runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of ``runs`` calls after one warm-up call."""
    fn()
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def main() -> int:
    calls, aht = week_of_intervals()
    targets = {"service_level": 0.8, "answer_within_seconds": 20.0, "max_occupancy": 0.85}
    cases = [
        ("Erlang C", {"model": "erlang_c"}, 0.030, 9),
        ("Erlang A, patience 120 s", {"model": "erlang_a", "patience_seconds": 120.0}, 0.300, 7),
    ]
    print(
        f"{calls.size} intervals ({QUEUES} queues x {DAYS} days x {PER_DAY}), calls "
        f"{calls.min():.0f}-{calls.max():.0f}, AHT {aht.min():.0f}-{aht.max():.0f} s, "
        f"offered load up to {(calls * aht / INTERVAL_SECONDS).max():.0f} Erlangs; "
        f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}"
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average {load:.2f} on {os.cpu_count()} CPUs (other work inflates wall time)")
    print(
        f"{'case':<26} {'median ms':>10} {'min ms':>8} {'cpu ms':>8} {'runs':>5} "
        f"{'target ms':>10}  result"
    )
    failed = 0
    for name, kwargs, target, runs in cases:
        result = required_agents(calls, aht, INTERVAL_SECONDS, **targets, **kwargs)
        times, cpu = _time(
            lambda kw=kwargs: required_agents(calls, aht, INTERVAL_SECONDS, **targets, **kw), runs
        )
        median = statistics.median(times)
        ok = median < target
        failed += not ok
        print(
            f"{name:<26} {median * 1e3:>10.1f} {min(times) * 1e3:>8.1f} "
            f"{statistics.median(cpu) * 1e3:>8.1f} {runs:>5d} "
            f"{target * 1e3:>10.0f}  {'PASS' if ok else 'FAIL'}"
            f"   (agents total {int(result.agents.sum())}, max {int(result.agents.max())})"
        )
    return failed


if __name__ == "__main__":
    raise SystemExit(main())
