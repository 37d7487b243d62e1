"""``ccops staff``: agents needed per interval for a service-level target.

Erlang C, Erlang A, or the simulation (``--model simulation``: the fewest agents that
meet the targets in the discrete-event simulation, searched from the Erlang A answer).

Reads a workload CSV (``interval_start,queue,calls,aht_seconds``, e.g. the
output of ``ccops forecast``), writes the same rows plus
``agents,service_level,asa_seconds,abandon_rate,occupancy,scheduled_agents``.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ccops.cli import CommandError, cv_as_sigma
from ccops.engine.io.workload import read_workload_csv
from ccops.engine.queueing import required_agents, scheduled_agents

OUTPUT_COLUMNS = (
    "agents",
    "service_level",
    "asa_seconds",
    "abandon_rate",
    "occupancy",
    "shrinkage",
    "scheduled_agents",
    "model",
    "patience_seconds",
    "service_sigma",
)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "staff",
        help="agents needed per interval (Erlang C or Erlang A)",
        description=(
            "Compute, per queue and interval, the smallest number of agents that meets "
            "the service-level target (and the optional occupancy, abandonment and ASA "
            "targets), and the heads to schedule after shrinkage."
        ),
    )
    parser.add_argument(
        "--forecast",
        required=True,
        metavar="IN.csv",
        help="interval_start,queue,calls,aht_seconds (extra columns kept)",
    )
    parser.add_argument(
        "--service-level",
        type=float,
        required=True,
        metavar="SHARE",
        help="share of calls to answer within --answer-within, e.g. 0.8",
    )
    parser.add_argument(
        "--answer-within",
        type=float,
        required=True,
        metavar="SECONDS",
        help="service-level threshold in seconds, e.g. 20",
    )
    parser.add_argument(
        "--model",
        choices=("erlang-c", "erlang-a", "simulation"),
        default="erlang-c",
        help="erlang-c: callers never hang up; erlang-a: exponential patience; simulation: "
        "the discrete-event simulation (search started from Erlang A)",
    )
    parser.add_argument(
        "--patience",
        type=float,
        metavar="SECONDS",
        help="mean caller patience (required with --model erlang-a; with --model "
        "simulation an exponential patience)",
    )
    sim = parser.add_argument_group("simulation (--model simulation)")
    sim.add_argument(
        "--fit-calls",
        nargs="+",
        metavar="PATH",
        help="per-call records (Anonymous Bank layout: a directory or files) to estimate the "
        "service-time shape (lognormal), the after-call work and the patience (Kaplan-Meier) "
        "from",
    )
    shape = sim.add_mutually_exclusive_group()
    shape.add_argument(
        "--service-sigma",
        type=float,
        metavar="SIGMA",
        help="lognormal service times with this log-standard deviation (default: exponential, "
        "or fitted with --fit-calls)",
    )
    shape.add_argument(
        "--service-cv",
        type=cv_as_sigma,
        dest="service_sigma",
        metavar="CV",
        help="lognormal service times with this coefficient of variation (what a staffing "
        "plan of the web app names; written as service_sigma)",
    )
    sim.add_argument(
        "--replications", type=int, default=10, help="runs of the horizon per round (10)"
    )
    sim.add_argument("--seed", type=int, default=0, help="simulation seed (default 0)")
    parser.add_argument("--max-occupancy", type=float, default=1.0, metavar="SHARE")
    parser.add_argument(
        "--max-abandon",
        type=float,
        metavar="SHARE",
        help="highest share of calls abandoning (Erlang A)",
    )
    parser.add_argument(
        "--max-asa", type=float, metavar="SECONDS", help="highest average speed of answer"
    )
    parser.add_argument(
        "--shrinkage",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="share of paid time off the phones (scheduled = agents / (1 - s))",
    )
    parser.add_argument(
        "--default-aht",
        type=float,
        metavar="SECONDS",
        help="handle time for rows whose aht_seconds is empty",
    )
    parser.add_argument(
        "--interval-minutes",
        type=int,
        metavar="MINUTES",
        help="interval length; checked against the file (default: the file's)",
    )
    parser.add_argument("--out", metavar="OUT.csv", help="output file (default: standard output)")
    parser.add_argument(
        "--explain",
        metavar="ROW_OR_TIME",
        help="show the search for one interval: a data row number (1 = first "
        "interval) or an interval_start (every queue at that time)",
    )
    parser.set_defaults(handler=run)


def _targets(args) -> dict:
    model = args.model.replace("-", "_")
    if model != "simulation":
        for flag, value in (
            ("--fit-calls", args.fit_calls),
            ("--service-sigma", args.service_sigma),
        ):
            if value is not None:
                raise CommandError(f"{flag} is only used with --model simulation")
    if model == "simulation":
        if args.fit_calls and args.patience is not None:
            raise CommandError("give --patience or --fit-calls, not both")
        if args.replications < 2:
            raise CommandError(f"--replications must be at least 2; got {args.replications}")
        return {
            "service_level": args.service_level,
            "answer_within_seconds": args.answer_within,
            "max_occupancy": args.max_occupancy,
            "max_abandon_rate": args.max_abandon,
            "max_asa_seconds": args.max_asa,
        }
    if model == "erlang_a" and args.patience is None:
        raise CommandError("--model erlang-a needs --patience SECONDS (mean caller patience)")
    if model == "erlang_c" and args.patience is not None:
        raise CommandError("--patience is only used with --model erlang-a")
    if model == "erlang_c" and args.max_abandon is not None:
        raise CommandError("--max-abandon needs --model erlang-a (Erlang C has no abandonment)")
    return {
        "service_level": args.service_level,
        "answer_within_seconds": args.answer_within,
        "max_occupancy": args.max_occupancy,
        "model": model,
        "patience_seconds": args.patience,
        "max_abandon_rate": args.max_abandon,
        "max_asa_seconds": args.max_asa,
    }


_FLAGS = {
    "service_level": "--service-level",
    "answer_within_seconds": "--answer-within",
    "max_occupancy": "--max-occupancy",
    "patience_seconds": "--patience",
    "max_abandon_rate": "--max-abandon",
    "max_asa_seconds": "--max-asa",
    "shrinkage": "--shrinkage",
}


def _flag_error(exc: ValueError) -> CommandError:
    text = str(exc)
    for name, flag in _FLAGS.items():
        if text.startswith(name):
            return CommandError(f"{flag}: {text}")
    return CommandError(text)


def _rows_to_explain(spec: str, df) -> list[int]:
    if spec.isdigit():
        row = int(spec)
        if not 1 <= row <= len(df):
            raise CommandError(f"--explain {spec}: the file has data rows 1 to {len(df)}")
        return [row - 1]
    hits = np.flatnonzero((df["interval_start"] == spec).to_numpy())
    if hits.size == 0:
        raise CommandError(
            f"--explain {spec!r}: no interval starts at that time "
            "(give it exactly as in the file, or a data row number)"
        )
    return [int(h) for h in hits]


def _format(values: np.ndarray, digits: int) -> list[str]:
    return [f"{v:.{digits}f}" if np.isfinite(v) else ("inf" if v > 0 else "") for v in values]


def run(args: argparse.Namespace) -> int:
    targets = _targets(args)
    if args.default_aht is not None and not args.default_aht > 0:
        raise CommandError(
            f"--default-aht must be a positive number of seconds; got {args.default_aht}"
        )
    df = read_workload_csv(
        args.forecast, interval_minutes=args.interval_minutes, default_aht_seconds=args.default_aht
    )
    interval_seconds = df.attrs["interval_minutes"] * 60.0
    calls = df["calls_value"].to_numpy()
    aht = np.where(np.isnan(df["aht_value"].to_numpy()), 1.0, df["aht_value"].to_numpy())
    simulated = None
    try:
        if args.model == "simulation":
            simulated, result = _simulate_staffing(args, df, calls, aht, targets)
        else:
            result = required_agents(calls, aht, interval_seconds, **targets)
        heads = scheduled_agents(result.agents, args.shrinkage)
    except ValueError as exc:
        raise _flag_error(exc) from exc
    explain_rows = _rows_to_explain(args.explain, df) if args.explain else []

    text_columns = [c for c in df.columns if c not in ("start", "calls_value", "aht_value")]
    out = df[text_columns].copy()
    out["agents"] = result.agents.astype(str)
    out["service_level"] = _format(result.service_level, 6)
    out["asa_seconds"] = _format(result.asa_seconds, 3)
    out["abandon_rate"] = _format(result.abandon_rate, 6)
    out["occupancy"] = _format(result.occupancy, 6)
    out["shrinkage"] = f"{args.shrinkage:g}"
    out["scheduled_agents"] = heads.astype(str)
    # The model, so that `ccops schedule` projects the service level with it.
    out["model"] = args.model.replace("-", "_")
    # (a Kaplan-Meier patience from --fit-calls has no column: give ccops schedule the calls)
    out["patience_seconds"] = "" if args.patience is None else f"{args.patience:g}"
    out["service_sigma"] = "" if args.service_sigma is None else f"{args.service_sigma:g}"
    columns = [*(c for c in text_columns if c not in OUTPUT_COLUMNS), *OUTPUT_COLUMNS]
    out = out[columns]

    if args.out:
        target = Path(args.out)
        fd, tmp = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.")
        try:
            with os.fdopen(fd, "w", newline="") as handle:
                out.to_csv(handle, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        report = sys.stdout
    else:
        out.to_csv(sys.stdout, index=False, lineterminator="\n")
        report = sys.stderr
    for row in explain_rows:
        explanation = result.explain(row) if simulated is None else None
        print(
            f"line {row + 2} of {args.forecast}, queue {df['queue'].iloc[row]}, "
            f"interval_start {df['interval_start'].iloc[row]}",
            file=report,
        )
        if simulated is not None:
            explanation = _SimExplanation(simulated, result, row)
        print(str(explanation).replace(f"interval {row}:", "offered:", 1), file=report)
        if args.shrinkage:
            print(
                f"scheduled: ceil({explanation.agents} / (1 - {args.shrinkage:g})) = "
                f"{int(heads[row])} heads",
                file=report,
            )
        print(file=report)
    return 0


@dataclass(frozen=True)
class _SimResult:
    """The per-row figures of a simulation search, shaped like ``StaffingResult``."""

    agents: np.ndarray
    service_level: np.ndarray
    asa_seconds: np.ndarray
    abandon_rate: np.ndarray
    occupancy: np.ndarray
    grid: tuple[np.ndarray, np.ndarray]  # (queue index, interval index) of each row
    calls: np.ndarray
    aht: np.ndarray
    interval_seconds: float
    distributions: str


class _SimExplanation:
    def __init__(self, staffing, result: _SimResult, row: int):
        self.agents = int(result.agents[row])
        q, t = result.grid[0][row], result.grid[1][row]
        load = result.calls[row] * result.aht[row] / result.interval_seconds
        self.text = (
            f"offered: {result.calls[row]:g} calls x {result.aht[row]:g} s AHT / "
            f"{result.interval_seconds:g} s = offered load {load:.4f} Erlangs\n"
            f"distributions: {result.distributions}\n" + staffing.explain(int(q), int(t))
        )

    def __str__(self) -> str:
        return self.text


def _simulate_staffing(args, df, calls, aht, targets):
    """Pivot the rows onto a (queue, interval) grid, search, and map back to rows."""
    from ccops.cli.validate_staffing import _files
    from ccops.engine.io.calls import read_anonymous_bank
    from ccops.engine.simulate import (
        PatienceDistribution,
        ServiceDistribution,
        required_agents_simulated,
    )
    from ccops.engine.validation import fit_simulation_inputs

    minutes = df.attrs["interval_minutes"]
    service = patience = None
    if args.fit_calls:
        records = read_anonymous_bank(_files(args.fit_calls))
        service, patience, _share = fit_simulation_inputs(records, interval_minutes=minutes)
    if args.service_sigma is not None:
        sigma = ServiceDistribution.lognormal(args.service_sigma)
        after = service.after_call_seconds if service is not None else np.zeros(0)
        service = sigma.with_after_call(after) if after.size else sigma
    if args.patience is not None:
        patience = PatienceDistribution.exponential(args.patience)
    names, q_index = np.unique(df["queue"].to_numpy(dtype=str), return_inverse=True)
    slot = (df["start"].to_numpy().astype("datetime64[m]").astype(np.int64)) // minutes
    t_index = slot - slot.min()
    n_t = int(t_index.max()) + 1
    grid_calls = np.zeros((names.size, n_t))
    grid_aht = np.full((names.size, n_t), 1.0)
    grid_calls[q_index, t_index] = calls
    grid_aht[q_index, t_index] = aht
    staffing = required_agents_simulated(
        grid_calls,
        grid_aht,
        minutes,
        service=service,
        patience=patience,
        replications=args.replications,
        seed=args.seed,
        **targets,
    )
    at = (q_index, t_index)
    described = (
        f"service {'exponential' if service is None else service.describe()}; patience "
        f"{'none (nobody abandons)' if patience is None else patience.describe()}"
    )
    result = _SimResult(
        agents=staffing.agents[at],
        service_level=np.nan_to_num(staffing.service_level.mean[at], nan=1.0),
        asa_seconds=np.nan_to_num(staffing.asa_seconds.mean[at], nan=0.0),
        abandon_rate=np.nan_to_num(staffing.abandon_rate.mean[at], nan=0.0),
        occupancy=np.nan_to_num(staffing.occupancy.mean[at], nan=0.0),
        grid=at,
        calls=calls,
        aht=aht,
        interval_seconds=minutes * 60.0,
        distributions=described,
    )
    return staffing, result
