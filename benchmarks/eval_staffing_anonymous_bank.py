"""Where the simulation row of ``ccops validate-staffing`` misses (issue 17, point 2).

Runs :func:`ccops.engine.validation.validate_staffing` on the Anonymous Bank
records (the same split and figures as the command) and breaks the
simulation's error down: by hour of day, by offered calls, by the predicted
service level (how congested the simulation thinks the half-hour is), against
the simulation's own run-to-run spread; then the trace of after-call work in
the records, the gap between an agent's call and their next one, by how many
callers were waiting when the call ended.

    python -m benchmarks.eval_staffing_anonymous_bank [--after-call pooled]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.eval_forecast_anonymous_bank import DATA


def _table(frame: pd.DataFrame, key: str, title: str) -> None:
    sim_sl = frame["simulation_presence_service_level"]
    sim_ab = frame["simulation_presence_abandon_rate"]
    work = frame.assign(
        e_sl=sim_sl - frame["service_level"],
        e_ab=sim_ab - frame["abandon_rate"],
        sim_sl=sim_sl,
        sim_ab=sim_ab,
        spread=frame["simulation_run_spread_service_level"],
    )
    print(f"\n{title}\n")
    print(
        "| band | half-hours | actual SL | simulated SL | SL MAE | SL bias | run spread (SL) "
        "| actual abandonment | simulated | abandonment MAE |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for band, g in work.groupby(key, observed=True):
        print(
            f"| {band} | {len(g):,} | {g['service_level'].mean():.3f} | {g['sim_sl'].mean():.3f} "
            f"| {g['e_sl'].abs().mean():.3f} | {g['e_sl'].mean():+.3f} | {g['spread'].mean():.3f} "
            f"| {g['abandon_rate'].mean():.3f} | {g['sim_ab'].mean():.3f} "
            f"| {g['e_ab'].abs().mean():.3f} |"
        )


def after_call_by_queue_length(records, interval_minutes: int = 30) -> pd.DataFrame:
    """Gaps between an agent's call and their next one in the same interval, by callers
    waiting when the call ended (the same gaps :func:`after_call_seconds` keeps when at
    least one caller waits)."""
    from ccops.engine.validation import after_call_gaps

    gap, waiting = after_call_gaps(records, interval_minutes=interval_minutes)
    frame = pd.DataFrame({"gap": gap, "waiting": waiting})
    frame["callers waiting"] = pd.cut(
        frame["waiting"], [-1, 0, 1, 2, 4, 8, 10**6], labels=["0", "1", "2", "3-4", "5-8", "9+"]
    )
    return frame.groupby("callers waiting", observed=True)["gap"].agg(
        gaps="size", mean="mean", median="median", over_5_min=lambda g: float((g > 300).mean())
    )


def main(argv=None) -> int:
    from ccops.engine.io.calls import read_anonymous_bank
    from ccops.engine.validation import validate_staffing

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--replications", type=int, default=10)
    ap.add_argument("--after-call", choices=("by-waiting", "pooled"), default="by-waiting")
    args = ap.parse_args(argv)
    files = sorted(args.data.glob("anonymous_bank_*.csv*")) if args.data.exists() else []
    if not files:
        print(f"data not found: {args.data}", file=sys.stderr)
        return 2
    records = read_anonymous_bank(files)
    result = validate_staffing(
        records, replications=args.replications, after_call=args.after_call.replace("-", "_")
    )
    print(result.table())
    frame = result.intervals.copy()
    frame["hour"] = pd.to_datetime(frame["interval_start"]).dt.hour
    frame["offered calls"] = pd.cut(frame["calls"], [29, 40, 60, 80, 100, 10**6])
    frame["simulated SL"] = pd.cut(
        frame["simulation_presence_service_level"], np.linspace(0, 1, 6), include_lowest=True
    )
    _table(frame, "simulated SL", "By the simulated service level (congestion):")
    _table(frame, "offered calls", "By offered calls per half-hour:")
    _table(frame, "hour", "By hour of day:")
    print("\nAfter-call trace: gap between an agent's call and their next one (same half-hour)\n")
    gaps = after_call_by_queue_length(records)
    print("| callers waiting | gaps | mean s | median s | share over 5 min |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for band, row in gaps.iterrows():
        print(
            f"| {band} | {int(row['gaps']):,} | {row['mean']:.0f} | {row['median']:.0f} "
            f"| {row['over_5_min']:.3f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
