"""``ccops validate-staffing``: Erlang C, Erlang A and the simulation against real call records.

Reads per-call records in the Anonymous Bank layout, builds intervals, and
prints the mean absolute error and bias of each model's predicted service
level and abandonment against what actually happened.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ccops.cli import CommandError
from ccops.engine.io.calls import read_anonymous_bank
from ccops.engine.validation import validate_staffing

DEFAULT_DATA = Path("..") / "shared" / "data" / "anonymous-bank-1999"


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "validate-staffing",
        help="compare Erlang C, Erlang A and the simulation with real per-call records",
        description=(
            "Build intervals from per-call records (Anonymous Bank layout), estimate the "
            "callers' mean patience, and compare each model's predicted service level and "
            "abandonment with the actual ones."
        ),
    )
    parser.add_argument(
        "--data",
        nargs="+",
        default=[str(DEFAULT_DATA)],
        metavar="PATH",
        help="a directory of anonymous_bank_*.csv[.gz] files, or the files themselves "
        f"(default: {DEFAULT_DATA})",
    )
    parser.add_argument("--interval-minutes", type=int, default=30, metavar="MINUTES")
    parser.add_argument("--answer-within", type=float, default=20.0, metavar="SECONDS")
    parser.add_argument(
        "--min-calls", type=int, default=30, help="leave out intervals with fewer offered calls"
    )
    parser.add_argument(
        "--all-days",
        action="store_true",
        help="use every day (default: Sunday to Thursday, the center's full days)",
    )
    parser.add_argument(
        "--intervals-out", metavar="FILE.csv", help="also write the per-interval comparison"
    )
    parser.add_argument(
        "--replications",
        type=int,
        default=10,
        help="simulation runs of the whole timeline per fold (default 10)",
    )
    parser.add_argument("--seed", type=int, default=0, help="simulation seed (default 0)")
    parser.add_argument(
        "--no-simulation", action="store_true", help="only Erlang C and Erlang A (faster)"
    )
    parser.add_argument(
        "--after-call",
        choices=("by-waiting", "pooled"),
        default="by-waiting",
        help="the simulation's after-call work: drawn by the number of callers waiting when "
        "the call ends (default), or from one distribution",
    )
    parser.set_defaults(handler=run)


def _files(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found = sorted(path.glob("anonymous_bank_*.csv*"))
            if not found:
                raise CommandError(f"{path}: no anonymous_bank_*.csv or .csv.gz files")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise CommandError(f"{path}: no such file or directory")
    return files


def run(args: argparse.Namespace) -> int:
    files = _files(args.data)
    records = read_anonymous_bank(files)
    try:
        result = validate_staffing(
            records,
            interval_minutes=args.interval_minutes,
            answer_within_seconds=args.answer_within,
            min_calls=args.min_calls,
            weekdays=None if args.all_days else (6, 0, 1, 2, 3),
            simulation=not args.no_simulation,
            replications=args.replications,
            seed=args.seed,
            after_call=args.after_call.replace("-", "_"),
        )
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    frame = result.intervals
    days = "every day" if args.all_days else "Sunday to Thursday"
    print(
        f"{len(records):,} call records from {len(files)} file(s); {len(frame):,} intervals of "
        f"{args.interval_minutes} min ({days}) with at least {args.min_calls} offered calls"
    )
    print(
        f"offered calls per interval: mean {frame['calls'].mean():.1f}; agents serving "
        f"(presence) mean {frame['agents_presence'].mean():.2f}, (distinct) mean "
        f"{frame['agents'].mean():.2f}; mean handle time {frame['aht_seconds'].mean():.0f} s"
    )
    print(
        f"actual: answered within {args.answer_within:g} s {frame['service_level'].mean():.3f}, "
        f"abandoned {frame['abandon_rate'].mean():.3f} (means over intervals)"
    )
    print(
        f"estimated mean patience (exponential MLE: total wait / abandonments): "
        f"{result.patience_seconds:.0f} s"
    )
    for fold in result.simulation_folds:
        print(
            f"simulation of {', '.join(fold.scored_months)}: distributions from "
            f"{', '.join(fold.fitted_months)} (never from the months scored): service "
            f"{fold.service.describe()}; {100 * fold.priority_share:.0f} % of queued calls "
            f"in the priority class, moved {fold.priority_advance_seconds:g} s ahead; "
            f"patience of all queued calls {fold.patience.describe()}"
        )
        for queue in fold.queues:
            own = "" if queue.own_patience else " (too few abandonments: all queued calls')"
            print(
                f"  queue {queue.name}: {100 * queue.share:.0f} % of the type's calls, "
                f"patience {queue.patience.describe()}{own}"
            )
    if result.simulation_folds:
        print(
            f"simulation: the whole timeline interval by interval (queue carried over), "
            f"each interval's actual calls per type at random times, handle times scaled to "
            f"its actual AHT per type, its presence agents (one pool); "
            f"{result.replications} replications per fold"
        )
    print("errors are predicted minus actual, averaged over the intervals:")
    print(result.table())
    if result.simulation_folds and result.replications > 1:
        print(
            "the simulation's own spread (mean absolute deviation of one run from the mean "
            "of the runs: what predicting the mean misses by even if the model were exact): "
            f"service level {frame['simulation_run_spread_service_level'].mean():.3f}, "
            f"abandonment {frame['simulation_run_spread_abandon_rate'].mean():.3f}"
        )
    if args.intervals_out:
        frame.to_csv(args.intervals_out, index=False, float_format="%.6g")
    return 0
