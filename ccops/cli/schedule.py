"""``ccops schedule``: shift plan (stage 1) and roster (stage 2) from a need file."""

from __future__ import annotations

import csv
import json
import math
from datetime import datetime
from pathlib import Path

import numpy as np

from ccops.cli import CommandError
from ccops.core.exports import safe_cell
from ccops.engine.schedule.cover import CoverSettings, ShiftInstance, cover
from ccops.engine.schedule.files import Need, read_agents, read_calendar, read_need
from ccops.engine.schedule.projection import project_service_level
from ccops.engine.schedule.roster import roster
from ccops.engine.schedule.rules import RosterSettings, RosterShift, check_roster
from ccops.engine.schedule.templates import load_templates
from ccops.engine.simulate import PatienceDistribution, ServiceDistribution


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "schedule",
        help="plan shifts that cover a need and roster named agents onto them",
        description="Stage 1 plans how many agents start each shift template when, with "
        "breaks placed; stage 2 (with --agents) assigns named agents under the hard rules.",
    )
    p.add_argument(
        "--need", required=True, help="CSV interval_start,agents[,queue] (or staff output)"
    )
    p.add_argument("--shifts", required=True, help="shift template file (YAML or JSON)")
    p.add_argument("--agents", help="agents CSV; without it only stage 1 runs")
    p.add_argument(
        "--out", required=True, help="directory for shifts.csv, coverage.csv, summary.json"
    )
    p.add_argument("--time-limit", type=float, default=60.0, help="seconds per stage (default 60)")
    p.add_argument("--period-type", default="normal", help="template set to use (default normal)")
    p.add_argument("--calendar", help="CSV date,period_type choosing the template set per date")
    p.add_argument(
        "--under-weight", type=float, default=3.0, help="per understaffed agent-interval"
    )
    p.add_argument("--over-weight", type=float, default=1.0, help="per overstaffed agent-interval")
    p.add_argument(
        "--paid-off-floor-weight",
        type=float,
        default=1.0,
        help="per paid agent-interval off the phones (paid breaks, time past the horizon)",
    )
    p.add_argument("--min-rest-hours", type=float, default=11.0, help="rest between shifts")
    p.add_argument("--stable-start-band", type=int, default=60, help="minutes (default 60)")
    p.add_argument(
        "--shrinkage",
        type=float,
        help=(
            "share of scheduled time off the phones, for the projected service level "
            "(default: the need file's shrinkage column, as written by `ccops staff`, else 0)"
        ),
    )
    p.add_argument(
        "--model",
        choices=("erlang-c", "erlang-a", "simulation"),
        help="model of the projected service level (default: the need file's model column, "
        "as written by `ccops staff`, else erlang-c)",
    )
    p.add_argument(
        "--patience",
        type=float,
        metavar="SECONDS",
        help="mean patience for the projection (default: the need file's patience_seconds)",
    )
    p.add_argument(
        "--service-sigma",
        type=float,
        metavar="SIGMA",
        help="simulation: lognormal service times (default: the need file's service_sigma)",
    )
    p.add_argument(
        "--fit-calls",
        nargs="+",
        metavar="PATH",
        help="simulation: per-call records (Anonymous Bank layout) to estimate the service "
        "shape, after-call work and Kaplan-Meier patience from",
    )
    p.add_argument("--replications", type=int, default=20, help="simulation runs (default 20)")
    p.add_argument("--seed", type=int, default=0, help="simulation seed (default 0)")
    p.add_argument("--service-level", type=float, default=0.8, help="target, for the summary")
    p.add_argument("--answer-within", type=float, default=20.0, help="seconds (default 20)")
    p.add_argument("--workers", type=int, default=2, help="solver threads (default 2)")
    p.set_defaults(handler=run)


_PRIORITY = {"emergency": 0, "billing_period": 1}


def _day_templates(need: Need, library, period_type: str, calendar):
    days, used = [], []
    for d in range(need.n_days):
        when = need.day_date(d)
        column, dates = calendar or ("period_type", {})
        listed = dates.get(when)
        kind = period_type
        if listed and column == "period_type":
            kind = listed[-1]
        elif listed:
            # special-days calendar: emergency outranks billing_period, which outranks
            # the other kinds; kinds without a template set (holiday...) keep the default
            ranked = sorted(listed, key=lambda k: _PRIORITY.get(k, len(_PRIORITY)))
            kind = next((k for k in ranked if k in library.sets), period_type)
        if kind not in library.sets:
            raise CommandError(
                f"{when}: period type {kind!r} has no template set in {library.source} "
                f"(sets: {', '.join(sorted(library.sets))})"
            )
        used.append(kind)
        days.append([(kind, t) for t in library.sets[kind] if when.weekday() in t.weekdays])
    return days, used


def _ranges(mask: np.ndarray) -> list[tuple[int, int]]:
    out, i, n = [], 0, mask.size
    while i < n:
        if mask[i]:
            j = i
            while j < n and mask[j]:
                j += 1
            out.append((i, j))
            i = j
        else:
            i += 1
    return out


def _fmt(dt: datetime) -> str:
    return dt.isoformat(timespec="minutes")


def _shift_row(s: ShiftInstance, need: Need, kinds: list[str]) -> dict:
    t0 = need.timestamp(s.start)
    breaks = "; ".join(
        f"{b.name} {need.timestamp(b.start):%H:%M}-{need.timestamp(b.start + b.length):%H:%M}"
        + ("" if b.paid else " (unpaid)")
        for b in s.breaks
    )
    return {
        "date": need.day_date(s.day).isoformat(),
        "period_type": kinds[s.day],
        "template": s.template,
        "start": _fmt(t0),
        "end": _fmt(need.timestamp(s.end)),
        "paid_minutes": s.paid_intervals * need.interval_minutes,
        "breaks": breaks,
    }


def run(args) -> int:
    if args.time_limit <= 0:
        raise CommandError(f"--time-limit must be > 0, got {args.time_limit}")
    need = read_need(args.need)
    library = load_templates(args.shifts)
    library.check_grid(need.interval_minutes)
    calendar = read_calendar(args.calendar) if args.calendar else None
    days, kinds = _day_templates(need, library, args.period_type, calendar)
    agents = read_agents(args.agents, need) if args.agents else None
    try:
        settings = CoverSettings(
            under_weight=args.under_weight,
            over_weight=args.over_weight,
            paid_off_floor_weight=args.paid_off_floor_weight,
            time_limit_seconds=args.time_limit,
            num_workers=args.workers,
        )
        roster_settings = RosterSettings(
            min_rest_minutes=round(args.min_rest_hours * 60),
            stable_start_band_minutes=args.stable_start_band,
            first_weekday=need.first_day.weekday(),
            time_limit_seconds=args.time_limit,
            num_workers=args.workers,
        )
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    plan = cover(need.agents, need.interval_minutes, days, settings)
    im = need.interval_minutes
    uncovered = [
        {
            "from": _fmt(need.timestamp(a)),
            "to": _fmt(need.timestamp(b)),
            "reason": f"no shift template offered on {need.day_date(a // (1440 // im))} "
            f"({kinds[a // (1440 // im)]} set) spans these intervals; need up to "
            f"{int(need.agents[a:b].max())} agents",
        }
        for a, b in _ranges(plan.uncoverable)
    ]
    rows = [_shift_row(s, need, kinds) for s in plan.shifts]
    summary: dict = {
        "need_file": str(args.need),
        "need_column": need.column,
        "first_day": need.day_date(0).isoformat(),
        "days": need.n_days,
        "interval_minutes": im,
        "period_types": sorted(set(kinds)),
        "shifts": len(plan.shifts),
        "paid_hours": round(sum(s.paid_intervals for s in plan.shifts) * im / 60, 2),
        "understaffed_agent_intervals": plan.under_agent_intervals,
        "overstaffed_agent_intervals": plan.over_agent_intervals,
        "objective": plan.objective,
        "lp_bound": round(plan.lp_bound, 4),
        "gap": None if math.isinf(plan.gap) else round(plan.gap, 6),
        "stage1_status": plan.status,
        "stage1_seconds": round(plan.solve_seconds, 2),
        "uncovered": uncovered,
    }
    if agents is not None:
        rshifts = [
            RosterShift(s.start * im, s.end * im, s.paid_intervals * im, s.skills, s.template)
            for s in plan.shifts
        ]
        result = roster(rshifts, agents, need.n_days, roster_settings)
        names = {a.agent_id: a.name for a in agents}
        for i, row in enumerate(rows):
            who = result.assignment[i]
            row["agent_id"] = who or ""
            row["agent_name"] = names.get(who, "") if who else ""
            row["unassigned_reason"] = result.unassigned_reasons.get(i, "")
        pairs = [(a, s) for a, s in zip(result.assignment, rshifts, strict=True) if a]
        violations = check_roster(pairs, agents, need.n_days, roster_settings)
        reasons: dict[str, int] = {}
        for text in result.unassigned_reasons.values():
            reasons[text] = reasons.get(text, 0) + 1
        summary["roster"] = {
            "status": result.status,
            "seconds": round(result.solve_seconds, 2),
            "agents": len(agents),
            "assigned_shifts": len(pairs),
            "unassigned_shifts": len(result.unassigned_reasons),
            "unassigned_reasons": reasons,
            "hard_rule_violations": [str(v) for v in violations],
            "soft_rules": result.soft_counts,
        }
    coverage_rows = [
        {
            "interval_start": _fmt(need.timestamp(t)),
            "required": int(need.agents[t]),
            "scheduled": int(plan.coverage[t]),
        }
        for t in range(need.agents.size)
    ]
    if need.calls is not None:
        if args.shrinkage is not None:
            shrinkage, shrinkage_said = args.shrinkage, args.shrinkage
        elif need.shrinkage is not None:
            shrinkage = need.shrinkage
            values = np.unique(np.round(need.shrinkage, 6))
            shrinkage_said = float(values[0]) if values.size == 1 else "per interval, need file"
        else:
            shrinkage, shrinkage_said = 0.0, 0.0
        try:
            model, extra, said = _projection_model(args, need)
            projection = project_service_level(
                plan.coverage,
                need.calls,
                need.aht_seconds,
                im,
                shrinkage=shrinkage,
                answer_within_seconds=args.answer_within,
                model=model,
                **extra,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        sl = projection.service_level
        interval_ci = model == "simulation"
        for i, (row, value) in enumerate(zip(coverage_rows, sl, strict=True)):
            row["projected_service_level"] = "" if np.isnan(value) else f"{value:.4f}"
            if interval_ci:
                lo, hi = projection.service_level_low[i], projection.service_level_high[i]
                row["projected_service_level_low"] = "" if np.isnan(lo) else f"{lo:.4f}"
                row["projected_service_level_high"] = "" if np.isnan(hi) else f"{hi:.4f}"
        busy = ~np.isnan(sl)
        if busy.any():
            summary["projected_service_level"] = {
                "calls_weighted": round(projection.calls_weighted(need.calls), 4),
                "intervals_below_target": int(np.sum(sl[busy] < args.service_level)),
                "target": args.service_level,
                "answer_within_seconds": args.answer_within,
                "shrinkage": shrinkage_said,
                "model": model,
                "model_inputs": said,
            }
    _write_csv(out / "shifts.csv", rows)
    _write_csv(out / "coverage.csv", coverage_rows)
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    _print_summary(summary)
    return 0


def _projection_model(args, need) -> tuple[str, dict, str]:
    """The model of the projection: the command line, else the need file, else Erlang C."""
    model = (args.model or need.model or "erlang_c").replace("-", "_")
    patience = args.patience if args.patience is not None else need.patience_seconds
    sigma = args.service_sigma if args.service_sigma is not None else need.service_sigma
    if model == "erlang_c":
        return model, {}, "Erlang C"
    if model == "erlang_a":
        if patience is None:
            raise CommandError(
                "the projection model is Erlang A but no patience is given: "
                "--patience SECONDS (or a patience_seconds column in the need file)"
            )
        return model, {"patience_seconds": patience}, f"Erlang A, mean patience {patience:g} s"
    extra: dict = {"replications": args.replications, "seed": args.seed}
    service = patience_dist = None
    if args.fit_calls:
        from ccops.cli.validate_staffing import _files
        from ccops.engine.io.calls import read_anonymous_bank
        from ccops.engine.validation import fit_simulation_inputs

        records = read_anonymous_bank(_files(args.fit_calls))
        service, patience_dist, _share = fit_simulation_inputs(
            records, interval_minutes=need.interval_minutes
        )
    if sigma is not None:
        base = ServiceDistribution.lognormal(sigma)
        if service is not None and service.after_call_seconds.size:
            base = base.with_after_call(service.after_call_seconds)
        service = base
    if patience_dist is None and patience is not None:
        patience_dist = PatienceDistribution.exponential(patience)
    extra.update(service=service, patience=patience_dist)
    said = (
        f"simulation, {args.replications} replications: service "
        f"{'exponential' if service is None else service.describe()}; patience "
        f"{'none' if patience_dist is None else patience_dist.describe()}"
    )
    return model, extra, said


def _write_csv(path: Path, rows: list[dict]) -> None:
    if not rows:
        path.write_text("", encoding="utf-8")
        return
    tmp = path.with_suffix(".csv.tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        # planners open these files in a spreadsheet: no cell may start a formula
        writer.writerows({k: safe_cell(v) for k, v in row.items()} for row in rows)
    tmp.replace(path)


def _print_summary(s: dict) -> None:
    gap = "n/a" if s["gap"] is None else f"{100 * s['gap']:.2f} %"
    print(
        f"stage 1: {s['shifts']} shifts, {s['paid_hours']} paid hours; understaffed "
        f"{s['understaffed_agent_intervals']}, overstaffed {s['overstaffed_agent_intervals']} "
        f"agent-intervals; objective {s['objective']:g}, LP bound {s['lp_bound']:g}, gap {gap} "
        f"({s['stage1_status']}, {s['stage1_seconds']} s)"
    )
    for u in s["uncovered"]:
        print(f"  not covered {u['from']} to {u['to']}: {u['reason']}")
    r = s.get("roster")
    if r:
        print(
            f"stage 2: {r['assigned_shifts']} shifts assigned to {r['agents']} agents, "
            f"{r['unassigned_shifts']} unassigned, {len(r['hard_rule_violations'])} hard-rule "
            f"violations ({r['status']}, {r['seconds']} s)"
        )
        for reason, n in r["unassigned_reasons"].items():
            print(f"  {n} unassigned: {reason}")
        print("  soft rules: " + ", ".join(f"{k} {v}" for k, v in r["soft_rules"].items()))
    p = s.get("projected_service_level")
    if p:
        print(
            f"projected service level {100 * p['calls_weighted']:.1f} % (target "
            f"{100 * p['target']:.0f} %), {p['intervals_below_target']} intervals below target "
            f"({p['model_inputs']})"
        )
