"""Do the 80 % prediction intervals cover 80 % of the open-hour intervals? (issue 17, point 6)

Per service type of Anonymous Bank 1999 (and all types as one queue),
half-hour calls offered to agents, rolling weekly origins 7 days ahead, the
ccops forecast with the holiday calendar; coverage counted over scored
open-hour intervals only (an interval is open when at least half of the last
8 same weekdays had a call in it; :func:`ccops.engine.forecast.backtest.open_intervals`).

Two periods:

- ``design``: origins 9 May - 25 July (the 12 folds the forecast was designed
  and tuned on, docs/forecasting.md);
- ``held-out``: September - October, months never used to design or tune the
  forecast or its intervals (history January - October, August missing).

    python -m benchmarks.eval_intervals_anonymous_bank [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from benchmarks.eval_forecast_anonymous_bank import CALENDAR, DATA
from ccops.engine.forecast import backtest, read_calendar_csv

QUEUES = ("all", "PS", "NE", "NW", "IN", "TT", "PE")
PERIODS = {"design": (range(1, 8), 12), "held-out": (range(1, 11), 8)}


def load(data_dir: Path, months, interval_minutes: int = 30):
    """Per-queue history: {queue: (interval_start, calls)} of calls offered to agents."""
    from ccops.engine.io.calls import ABANDONED, ANSWERED, read_anonymous_bank
    from ccops.engine.io.history import aggregate_calls

    files = [data_dir / f"anonymous_bank_1999-{m:02d}.csv.gz" for m in months]
    records = read_anonymous_bank([f for f in files if f.exists()])
    offered = np.isin(records.outcome, [ANSWERED, ABANDONED])
    out = {}
    for q in QUEUES:
        keep = offered if q == "all" else offered & (records.queue == q)
        hist = aggregate_calls(
            records.select(keep), interval_minutes=interval_minutes, by_queue=False, queue_name=q
        )
        ts = hist["interval_start"].to_numpy().astype("datetime64[m]")
        out[q] = (ts, hist["calls"].to_numpy(dtype=float))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"data not found: {args.data}", file=sys.stderr)
        return 2
    cal = read_calendar_csv(CALENDAR)
    rows = []
    for period, (months, folds) in PERIODS.items():
        histories = load(args.data, months)
        for q, (ts, calls) in histories.items():
            rep = backtest(
                ts, calls, horizon_days=7, folds=folds, calendar=cal, exclude_kinds=("holiday",)
            )
            s = rep.score("ccops")
            rows.append(
                {
                    "period": period,
                    "queue": q,
                    "origins": f"{rep.origins[0]} .. {rep.origins[-1]}",
                    "calls_per_open_interval": float(np.nanmean(calls[calls > 0])),
                    "coverage_open": s.coverage_open,
                    "open_intervals": s.points_open,
                    "coverage_all": s.coverage,
                    "wape": s.wape,
                }
            )
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(
        "| period | queue | origins | open-hour intervals | 80 % PI coverage, open hours "
        "| coverage, every interval with a forecast | WAPE |"
    )
    print("| --- | --- | --- | ---: | ---: | ---: | ---: |")
    for r in rows:
        ok = "" if 0.77 <= r["coverage_open"] <= 0.83 else " (outside 77-83 %)"
        print(
            f"| {r['period']} | {r['queue']} | {r['origins']} | {r['open_intervals']:,} "
            f"| {r['coverage_open']:.1%}{ok} | {r['coverage_all']:.1%} | {r['wape']:.3f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
