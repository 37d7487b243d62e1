"""``ccops backtest``: rolling-origin accuracy of the forecast against baselines."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from ccops.cli import CommandError
from ccops.engine.forecast.backtest import UNSCORED_KINDS


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "backtest",
        help="measure forecast accuracy on a history (rolling origin, vs baselines)",
        description=(
            "Cut the history at --folds origins --step-days apart, forecast --horizon-days "
            "from each with ccops and the baselines (seasonal naive, mean of the last 4 same "
            "weekdays), and print WAPE, MASE and bias at interval and daily level."
        ),
    )
    p.add_argument("--history", required=True, type=Path, help="interval history CSV")
    p.add_argument("--horizon-days", required=True, type=int, help="days forecast per fold")
    p.add_argument("--folds", type=int, default=8, help="number of origins (default 8)")
    p.add_argument("--step-days", type=int, default=7, help="days between origins (default 7)")
    p.add_argument("--calendar", type=Path, help="special-day calendar CSV (date,kind,name)")
    p.add_argument("--queue", help="backtest only this queue (default: every queue)")
    p.add_argument("--level", type=float, default=0.8, help="prediction interval coverage")
    p.add_argument("--interval-minutes", type=int, help="interval length (default: inferred)")
    p.add_argument("--fill-gaps", action="store_true", help="repair gaps as zero calls")
    p.add_argument(
        "--exclude-kinds",
        default=",".join(UNSCORED_KINDS),
        help="calendar kinds whose days are not scored (comma-separated, default "
        f"{','.join(UNSCORED_KINDS)}; billing periods and campaigns are scored)",
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of tables")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ccops.engine.forecast.backtest import backtest
    from ccops.engine.forecast.calendar import KINDS, read_calendar_csv
    from ccops.engine.forecast.model import ModelOptions
    from ccops.engine.io.history import read_history_csv

    history = read_history_csv(
        args.history, interval_minutes=args.interval_minutes, fill_gaps=args.fill_gaps
    )
    calendar = read_calendar_csv(args.calendar) if args.calendar else None
    kinds = tuple(k.strip() for k in args.exclude_kinds.split(",") if k.strip())
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise CommandError(
            f"--exclude-kinds: unknown kind {unknown[0]!r}; kinds are {', '.join(KINDS)}"
        )
    queues = history["queue"].astype(str)
    names = list(dict.fromkeys(queues))
    if args.queue is not None:
        if args.queue not in names:
            raise CommandError(
                f"{args.history}: no queue {args.queue!r}; queues: {', '.join(names)}"
            )
        names = [args.queue]
    starts = history["interval_start"]
    if getattr(starts.dt, "tz", None) is not None:
        starts = starts.dt.tz_convert("UTC").dt.tz_localize(None)
    reports = {}
    for q in names:
        sel = (queues == q).to_numpy()
        aht = None
        if "aht_seconds" in history.columns:
            aht = history["aht_seconds"][sel].to_numpy(dtype=float)
            if np.isnan(aht).all():
                aht = None
        try:
            reports[q] = backtest(
                starts[sel].to_numpy().astype("datetime64[s]"),
                history["calls"][sel].to_numpy(dtype=float),
                horizon_days=args.horizon_days,
                folds=args.folds,
                step_days=args.step_days,
                interval_minutes=history.attrs.get("interval_minutes", args.interval_minutes),
                calendar=calendar,
                level=args.level,
                exclude_kinds=kinds,
                aht_seconds=aht,
            )
        except ValueError as exc:
            raise CommandError(f"{args.history}: queue {q!r}: {exc}") from None
    if args.json:
        print(json.dumps({q: r.to_dict() for q, r in reports.items()}, indent=2))
        return 0
    for q, r in reports.items():
        print(
            f"queue {q}: {len(r.origins)} folds, origins {r.origins[0]} .. {r.origins[-1]}, "
            f"{r.horizon_days} days ahead"
        )
        print(r.to_markdown())
        own = r.score("ccops")
        print(
            f"ccops {args.level:.0%} prediction interval covers {own.coverage_open:.1%} of "
            f"{own.points_open:,} scored open-hour intervals ({own.coverage:.1%} of "
            f"{own.points:,} with a forecast, closed hours left out of both)"
        )
        if not np.isnan(own.attainable_open):
            print(
                f"attainable on those open hours: {own.attainable_open:.1%} (the mean "
                f"probability of the whole-number band closest to {args.level:.0%} that holds "
                f"the forecast, under the forecast's own distribution; well above "
                f"{args.level:.0%} where an interval gets under about one call)"
            )
        if r.band_factors:
            print(
                f"band calibrated on the {ModelOptions().interval_calibration_weeks} weeks before "
                "each origin: variance factor "
                f"{min(r.band_factors):.2f}-{max(r.band_factors):.2f} over the folds"
            )
        if r.unscored_days:
            print("not scored: " + "; ".join(f"{d} ({why})" for d, why in r.unscored_days))
        print()
    return 0
