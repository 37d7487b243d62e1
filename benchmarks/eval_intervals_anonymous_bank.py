"""Do the 80 % prediction intervals cover 80 % of the open-hour intervals? (issue 17, point 6)

Per service type of Anonymous Bank 1999 (and all types as one queue),
half-hour calls offered to agents, rolling weekly origins 7 days ahead, the
ccops forecast with the holiday calendar; coverage counted over scored
open-hour intervals only (an interval is open when at least half of the last
8 same weekdays had a call in it; :func:`ccops.engine.forecast.calibration.open_intervals`).
Each row shows the band as calibrated on the forecast's own misses of the 4
weeks before each origin (the default, :mod:`ccops.engine.forecast.calibration`)
and without that calibration, and the *attainable* coverage: the mean
probability, under the forecast's own distribution, of the whole-number band
closest to 80 % that contains the forecast (where counts are under one call an
interval, no band containing the forecast can hold as little as 80 %).

Three periods:

- ``calibration design``: origins March - April (history January - April):
  the months the calibration (4 weeks, the factor grid) was checked on before
  any other period was scored with it; never used to design the forecast;
- ``design``: origins 9 May - 25 July (the 12 folds the forecast itself was
  designed and tuned on, docs/forecasting.md);
- ``held-out``: September - October, never used to design or tune the
  forecast, its band or the calibration (scored once for the uncalibrated band
  in an earlier session; history January - October, August missing).

    python -m benchmarks.eval_intervals_anonymous_bank [--json] [--queues IN,TT]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from benchmarks.eval_forecast_anonymous_bank import CALENDAR, DATA
from ccops.engine.forecast import backtest, read_calendar_csv
from ccops.engine.forecast.model import ModelOptions

QUEUES = ("all", "PS", "NE", "NW", "IN", "TT", "PE")
PERIODS = {
    "calibration design": (range(1, 5), 8),
    "design": (range(1, 8), 12),
    "held-out": (range(1, 11), 8),
}


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
    ap.add_argument("--queues", default=",".join(QUEUES), help="comma-separated")
    ap.add_argument("--periods", default=",".join(PERIODS), help="comma-separated")
    args = ap.parse_args(argv)
    queues = [q for q in args.queues.split(",") if q]
    periods = [p for p in args.periods.split(",") if p]
    if not args.data.exists():
        print(f"data not found: {args.data}", file=sys.stderr)
        return 2
    cal = read_calendar_csv(CALENDAR)
    rows = []
    for period in periods:
        months, folds = PERIODS[period]
        histories = load(args.data, months)
        for q in queues:
            ts, calls = histories[q]
            scores = {}
            for name, weeks in (("calibrated", 4), ("plain", 0)):
                rep = backtest(
                    ts,
                    calls,
                    horizon_days=7,
                    folds=folds,
                    calendar=cal,
                    exclude_kinds=("holiday",),
                    options=ModelOptions(interval_calibration_weeks=weeks),
                )
                scores[name] = (rep, rep.score("ccops"))
            rep, s = scores["calibrated"]
            rows.append(
                {
                    "period": period,
                    "queue": q,
                    "origins": f"{rep.origins[0]} .. {rep.origins[-1]}",
                    "calls_per_open_interval": float(np.nanmean(calls[calls > 0])),
                    "coverage_open": s.coverage_open,
                    "coverage_open_uncalibrated": scores["plain"][1].coverage_open,
                    "attainable_open": s.attainable_open,
                    "band_factors": list(rep.band_factors),
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
        "| without calibration | attainable | band variance factors | WAPE |"
    )
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | --- | ---: |")
    for r in rows:
        ok = "" if 0.77 <= r["coverage_open"] <= 0.83 else " (outside 77-83 %)"
        f = r["band_factors"]
        print(
            f"| {r['period']} | {r['queue']} | {r['origins']} | {r['open_intervals']:,} "
            f"| {r['coverage_open']:.1%}{ok} | {r['coverage_open_uncalibrated']:.1%} "
            f"| {r['attainable_open']:.1%} | {min(f):.2f}-{max(f):.2f} | {r['wape']:.3f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
