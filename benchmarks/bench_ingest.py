"""Speed of the readers, the history writer and the synthetic center.

Run: ``nice python -m benchmarks.bench_ingest [--repeat 3]``. Prints the median
wall time of each step. The Anonymous Bank rows are skipped when the data
folder (../shared/data/anonymous-bank-1999) is absent.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from ccops.engine.io.calls import read_anonymous_bank, read_calls
from ccops.engine.io.history import aggregate_calls, read_history_csv, write_history_csv
from ccops.engine.io.mapping import load_preset
from ccops.engine.synthetic import generate_center, write_center

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "anonymous-bank-1999"


def timed(fn, repeat):
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        files = sorted(DATA.glob("anonymous_bank_1999-*.csv.gz"))
        if files:
            t, calls = timed(lambda: read_anonymous_bank(files), args.repeat)
            rows.append((f"read_anonymous_bank, {len(files)} months", len(calls), t))
            t, hist = timed(lambda: aggregate_calls(calls, interval_minutes=30), args.repeat)
            rows.append(("aggregate_calls, 30 min", len(hist), t))
            path = tmp / "ab.csv"
            t, _ = timed(lambda: write_history_csv(hist, path), args.repeat)
            rows.append(("write_history_csv", len(hist), t))
            t, _ = timed(lambda: read_history_csv(path), args.repeat)
            rows.append(("read_history_csv", len(hist), t))
        t, center = timed(lambda: generate_center(weeks=26, queues=4, seed=1), args.repeat)
        rows.append(("generate_center, 26 weeks x 4 queues", len(center.calls), t))
        out = tmp / "demo"
        t, paths = timed(lambda: write_center(center, out), args.repeat)
        rows.append(("write_center (calls.csv etc.)", len(center.calls), t))
        mapping = load_preset("ccops-calls")
        t, _ = timed(lambda: read_calls(paths["calls"], mapping), args.repeat)
        rows.append(("read_calls, preset ccops-calls", len(center.calls), t))
    print(f"{'step':<40} {'rows':>9} {'median s':>9}")
    for name, n, t in rows:
        print(f"{name:<40} {n:>9} {t:>9.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
