"""``ccops demo-data``: write the call records and history of a synthetic center."""

from __future__ import annotations

import datetime as dt

from ccops.cli import CommandError


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "demo-data",
        help="write per-call records, interval history and a calendar of a synthetic center",
        description=(
            "Simulate a realistic inbound call center (Poisson arrivals from intraday x weekly "
            "profiles, billing periods, holidays, lognormal handle times, exponential patience, "
            "FIFO queues with square-root staffing) and write calls.csv (import it with "
            "`ccops import --preset ccops-calls`), history.csv, calendar.csv, queues.csv, "
            "agents.csv and staffing.csv into DIR. The same seed gives the same files."
        ),
    )
    p.add_argument("--weeks", type=int, default=26, help="weeks of history (default 26)")
    p.add_argument("--queues", type=int, default=4, help="number of queues, 1-8 (default 4)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--start", default="2026-01-05", help="first day, YYYY-MM-DD")
    p.add_argument("--interval-minutes", type=int, default=30)
    p.add_argument("--target-seconds", type=float, default=20.0)
    p.add_argument("--out", required=True, metavar="DIR", help="output folder")
    p.set_defaults(handler=run)


def run(args) -> int:
    from ccops.engine.synthetic import generate_center, write_center

    try:
        start = dt.date.fromisoformat(args.start)
    except ValueError:
        raise CommandError(f"--start must be a date YYYY-MM-DD, got {args.start!r}") from None
    try:
        center = generate_center(
            weeks=args.weeks,
            queues=args.queues,
            seed=args.seed,
            start=start,
            interval_minutes=args.interval_minutes,
            target_seconds=args.target_seconds,
        )
    except ValueError as exc:
        raise CommandError(str(exc).replace("weeks", "--weeks", 1)) from exc
    paths = write_center(center, args.out)
    h = center.history
    print(
        f"{len(center.calls)} calls, {len(center.queues)} queues, {args.weeks} weeks from "
        f"{start}, {len(center.agents)} agents"
    )
    for q in center.queues:
        g = h[h["queue"] == q.name]
        calls, answered = int(g["calls"].sum()), int(g["answered"].sum())
        aht = float((g["aht_seconds"].fillna(0) * g["answered"]).sum() / max(answered, 1))
        within = int(g["answered_within_target"].sum())
        print(
            f"  {q.name:<12} {calls / args.weeks:8.0f} calls/week  abandoned "
            f"{100 * int(g['abandoned'].sum()) / max(calls, 1):4.1f} %  within "
            f"{args.target_seconds:g} s {100 * within / max(answered, 1):4.1f} %  AHT {aht:5.0f} s"
        )
    for name, path in paths.items():
        print(f"{name}: {path}")
    return 0
