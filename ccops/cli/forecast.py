"""``ccops forecast``: forecast calls and AHT per interval and queue from a history CSV."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from ccops.cli import CommandError


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "forecast",
        help="forecast calls and handle time per interval (a ccops staff input)",
        description=(
            "Forecast calls offered and average handle time per interval and queue from an "
            "interval history CSV (interval_start,queue,calls[,aht_seconds]). Writes "
            "interval_start,queue,calls,aht_seconds,calls_low,calls_high."
        ),
    )
    p.add_argument("--history", required=True, type=Path, help="interval history CSV")
    p.add_argument("--horizon-days", required=True, type=int, help="days to forecast (1-42)")
    p.add_argument("--out", required=True, type=Path, help="forecast CSV to write")
    p.add_argument("--calendar", type=Path, help="special-day calendar CSV (date,kind,name)")
    p.add_argument(
        "--level", type=float, default=0.8, help="prediction interval coverage (default 0.8)"
    )
    p.add_argument(
        "--aht-seconds",
        type=float,
        help="handle time to use for queues whose history has no aht_seconds",
    )
    p.add_argument(
        "--interval-minutes", type=int, help="interval length (default: from the history)"
    )
    p.add_argument(
        "--fill-gaps",
        action="store_true",
        help="repair intervals missing from a day of the history as zero calls "
        "(default: refuse the file)",
    )
    p.set_defaults(handler=run)


def format_forecast_csv(table) -> str:
    """The forecast table as CSV text (calls to 3 decimals, AHT to 2, bounds as integers)."""
    out = table.copy()
    ts = out["interval_start"]
    if getattr(ts.dt, "tz", None) is not None:
        out["interval_start"] = ts.dt.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    else:
        out["interval_start"] = ts.dt.strftime("%Y-%m-%dT%H:%M:%S")
    out["calls"] = out["calls"].map(lambda v: f"{v:.3f}")
    out["aht_seconds"] = out["aht_seconds"].map(lambda v: "" if np.isnan(v) else f"{v:.2f}")
    for col in ("calls_low", "calls_high"):
        out[col] = out[col].map(lambda v: f"{v:.0f}")
    return out.to_csv(index=False, lineterminator="\n")


def run(args: argparse.Namespace) -> int:
    from ccops.engine.forecast.calendar import read_calendar_csv
    from ccops.engine.forecast.frame import forecast_frame
    from ccops.engine.io.history import atomic_write_text, read_history_csv

    history = read_history_csv(
        args.history, interval_minutes=args.interval_minutes, fill_gaps=args.fill_gaps
    )
    calendar = read_calendar_csv(args.calendar) if args.calendar else None
    try:
        table, forecasts = forecast_frame(
            history,
            horizon_days=args.horizon_days,
            calendar=calendar,
            level=args.level,
            interval_minutes=history.attrs.get("interval_minutes", args.interval_minutes),
            aht_seconds=args.aht_seconds,
        )
    except ValueError as exc:
        raise CommandError(f"{args.history}: {exc}") from None
    atomic_write_text(args.out, format_forecast_csv(table))
    first, last = table["interval_start"].iloc[0], table["interval_start"].iloc[-1]
    print(
        f"forecast {len(forecasts)} queue(s), {len(table)} rows, {first} .. {last}, "
        f"{table['calls'].sum():.0f} calls in total -> {args.out}"
    )
    for q, f in forecasts.items():
        if f.excluded_days.size:
            days = ", ".join(str(d) for d in f.excluded_days)
            print(f"  {q}: history days left out as outages/anomalies: {days}")
        for note in f.notes:
            print(f"  {q}: {note}")
    return 0
