"""Speed of ``simulate`` on one week of 15-minute intervals for 20 queues, 30 replications.

The week of ``bench_queueing`` (13,440 queue-intervals, up to 800 calls an
interval, AHT 3-7 minutes), each queue staffed with its own agents at the
Erlang A answer for 80 % in 20 s (patience 120 s); lognormal service times
(sigma 0.9) and exponential patience (mean 120 s), Poisson arrivals, queue
state carried from interval to interval. Target: at most 10 s, median of
three runs after a warm-up run (which also compiles the kernel or loads it
from numba's cache).

Run: ``python -m benchmarks.bench_simulate``.
"""

from __future__ import annotations

import os
import statistics
import time

import numpy as np

from benchmarks.bench_queueing import DAYS, PER_DAY, QUEUES, week_of_intervals
from ccops.engine.queueing import required_agents
from ccops.engine.simulate import PatienceDistribution, ServiceDistribution, simulate

TARGET_SECONDS = 10.0
REPLICATIONS = 30


def main() -> int:
    calls, aht = week_of_intervals()
    calls = calls.reshape(QUEUES, DAYS * PER_DAY)
    aht = aht.reshape(QUEUES, DAYS * PER_DAY)
    staff = required_agents(
        calls,
        aht,
        900.0,
        service_level=0.8,
        answer_within_seconds=20.0,
        model="erlang_a",
        patience_seconds=120.0,
    ).agents

    def run():
        return simulate(
            calls,
            aht,
            staff,
            15,
            answer_within_seconds=20.0,
            service=ServiceDistribution.lognormal(0.9),
            patience=PatienceDistribution.exponential(120.0),
            replications=REPLICATIONS,
            seed=7,
        )

    t0 = time.perf_counter()
    result = run()
    first = time.perf_counter() - t0
    wall, cpu = [], []
    for _ in range(3):
        t0, c0 = time.perf_counter(), time.process_time()
        result = run()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    median = statistics.median(wall)
    simulated = int(result.offered.sum())
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"{QUEUES} queues x {DAYS * PER_DAY} intervals of 15 min, {REPLICATIONS} replications, "
        f"{simulated:,} simulated calls ({simulated / REPLICATIONS:,.0f} per replication), "
        f"{int(staff.sum()):,} agent-intervals"
    )
    print(f"load average {load:.2f} on {os.cpu_count()} CPUs (other work inflates wall time)")
    sl = result.totals()["service_level"]
    print(
        f"simulated service level (calls-weighted, per queue): "
        f"{sl.mean.min():.3f}-{sl.mean.max():.3f}, widest 95 % CI half-width "
        f"{np.nanmax(sl.high - sl.mean):.4f}"
    )
    ok = median <= TARGET_SECONDS
    print(
        f"first run (compile or cache load) {first:.2f} s; runs "
        + ", ".join(f"{w:.2f}" for w in wall)
        + f" s; median {median:.2f} s, CPU {statistics.median(cpu):.2f} s; "
        f"target {TARGET_SECONDS:.0f} s: {'PASS' if ok else 'FAIL'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
