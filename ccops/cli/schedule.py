"""``ccops schedule``: shift plan (stage 1) and roster (stage 2) from a need file."""

from __future__ import annotations

import csv
import json
import math
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from ccops.cli import CommandError, cv_as_sigma
from ccops.core.exports import safe_cell
from ccops.engine.schedule.cover import CoverSettings, uncoverable_mask
from ccops.engine.schedule.files import Need, read_agents, read_calendar, read_need
from ccops.engine.schedule.plan import PlannedShift, PlanSettings, plan_week
from ccops.engine.schedule.projection import project_service_level
from ccops.engine.schedule.rules import RosterSettings
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
    shape = p.add_mutually_exclusive_group()
    shape.add_argument(
        "--service-sigma",
        type=float,
        metavar="SIGMA",
        help="simulation: lognormal service times (default: the need file's service_sigma)",
    )
    shape.add_argument(
        "--service-cv",
        type=cv_as_sigma,
        dest="service_sigma",
        metavar="CV",
        help="simulation: lognormal service times of this coefficient of variation, as a "
        "staffing plan names them (instead of --service-sigma)",
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
    p.add_argument(
        "--deterministic",
        action="store_true",
        help="work limits instead of wall-clock limits: the same input gives the same plan",
    )
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


def _at(need: Need, minutes: int) -> datetime:
    return need.first_day + timedelta(minutes=minutes)


def _shift_row(s: PlannedShift, need: Need, kinds: list[str]) -> dict:
    breaks = "; ".join(
        f"{b.name} {_at(need, b.start_minutes):%H:%M}-{_at(need, b.end_minutes):%H:%M}"
        + ("" if b.paid else " (unpaid)")
        for b in s.breaks
    )
    return {
        "date": need.day_date(s.day).isoformat(),
        "period_type": kinds[s.day],
        "template": s.template,
        "start": _fmt(_at(need, s.start_minutes)),
        "end": _fmt(_at(need, s.end_minutes)),
        "paid_minutes": s.paid_minutes,
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
        settings = PlanSettings(
            cover=CoverSettings(
                under_weight=args.under_weight,
                over_weight=args.over_weight,
                paid_off_floor_weight=args.paid_off_floor_weight,
                time_limit_seconds=args.time_limit,
                num_workers=args.workers,
                deterministic=args.deterministic,
            ),
            roster=RosterSettings(
                min_rest_minutes=round(args.min_rest_hours * 60),
                stable_start_band_minutes=args.stable_start_band,
                first_weekday=need.first_day.weekday(),
                time_limit_seconds=args.time_limit,
                num_workers=args.workers,
            ),
        )
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    # several queues: multi-skill planning (agents serve the queues their skills name);
    # one queue, named or not, is planned as before: every agent serves it
    multi = len(need.queues) > 1
    week = plan_week(
        need.agents_by_queue if multi else need.agents,
        days,
        agents,
        interval_minutes=need.interval_minutes,
        queues=need.queues if multi else None,
        settings=settings,
    )
    plan = week.cover
    im = need.interval_minutes
    ipd = 1440 // im
    uncovered = []
    for q, name in enumerate(week.queues):
        for a, b in _ranges(uncoverable_mask(week.cover, q)):
            where = f" of queue {name}" if multi else ""
            uncovered.append(
                {
                    "from": _fmt(need.timestamp(a)),
                    "to": _fmt(need.timestamp(b)),
                    **({"queue": name} if multi else {}),
                    "reason": f"no shift template offered on {need.day_date(a // ipd)} "
                    f"({kinds[a // ipd]} set) spans these intervals; need{where} up to "
                    f"{int(week.need[q, a:b].max())} agents",
                }
            )
    names = {a.agent_id: a.name for a in agents or []}
    rows = []
    for s in week.shifts:
        row = _shift_row(s, need, kinds)
        if multi:
            row["queues"] = ";".join(s.queues)
        if agents is not None:
            row["agent_id"] = s.agent_id or ""
            row["agent_name"] = names.get(s.agent_id, "") if s.agent_id else ""
            row["unassigned_reason"] = s.reason.text if s.reason else ""
        rows.append(row)
    summary: dict = {
        "need_file": str(args.need),
        "need_column": need.column,
        "first_day": need.day_date(0).isoformat(),
        "days": need.n_days,
        "interval_minutes": im,
        "period_types": sorted(set(kinds)),
        "queues": list(week.queues) if multi else [],
        "shifts": len(week.shifts),
        "paid_hours": round(sum(s.paid_minutes for s in week.shifts) / 60, 2),
        "understaffed_agent_intervals": plan.under_agent_intervals,
        "overstaffed_agent_intervals": plan.over_agent_intervals,
        "objective": plan.objective,
        "lp_bound": round(plan.lp_bound, 4),
        "gap": None if math.isinf(plan.gap) else round(plan.gap, 6),
        "stage1_status": plan.status,
        "stage1_seconds": round(plan.solve_seconds, 2),
        "deterministic": args.deterministic,
        "uncovered": uncovered,
    }
    if multi:
        summary["pools"] = [
            {"queues": list(qs), "shifts": sum(1 for s in week.shifts if s.queues == qs)}
            for qs in week.pool_names
        ]
        summary["per_queue"] = {
            name: {
                "required_agent_intervals": int(week.need[q].sum()),
                "understaffed_agent_intervals": round(
                    float(np.clip(week.need[q] - week.coverage_by_queue[q], 0, None).sum()), 1
                ),
            }
            for q, name in enumerate(week.queues)
        }
    if agents is not None:
        reasons: dict[str, int] = {}
        for s in week.shifts:
            if s.reason is not None:
                reasons[s.reason.text] = reasons.get(s.reason.text, 0) + 1
        result = week.roster
        summary["roster"] = {
            "status": result.status if result else "no agent serves the need's queues",
            "seconds": round(result.solve_seconds, 2) if result else 0.0,
            "agents": len(agents),
            "agents_without_a_queue": list(week.excluded_agents),
            "assigned_shifts": week.assigned,
            "unassigned_shifts": week.open_shifts,
            "unassigned_reasons": reasons,
            "hard_rule_violations": [str(v) for v in week.violations],
            "soft_rules": result.soft_counts if result else {},
        }
    coverage_rows = _coverage_rows(week, need, multi)
    if need.calls is not None:
        summary["projected_service_level"] = _project(args, week, need, coverage_rows, multi)
        if summary["projected_service_level"] is None:
            del summary["projected_service_level"]
    _write_csv(out / "shifts.csv", rows)
    _write_csv(out / "coverage.csv", coverage_rows)
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    _print_summary(summary)
    return 0


def _coverage_rows(week, need: Need, multi: bool) -> list[dict]:
    """A row per interval (one queue) or per queue and interval."""
    if not multi:
        return [
            {
                "interval_start": _fmt(need.timestamp(t)),
                "required": int(need.agents[t]),
                "scheduled": int(week.coverage[t]),
            }
            for t in range(need.agents.size)
        ]
    return [
        {
            "interval_start": _fmt(need.timestamp(t)),
            "queue": name,
            "required": int(week.need[q, t]),
            "scheduled": round(float(week.coverage_by_queue[q, t]), 2),
        }
        for t in range(week.need.shape[1])
        for q, name in enumerate(week.queues)
    ]


def _project(args, week, need: Need, rows: list[dict], multi: bool) -> dict | None:
    """Projected service level per row (per queue and interval with several queues),
    written into ``rows``, through the model the need file or the command line names;
    returns the calls-weighted summary."""
    if args.shrinkage is not None:
        said = args.shrinkage
    elif need.shrinkage is not None:
        values = np.unique(np.round(need.shrinkage, 6))
        said = float(values[0]) if values.size == 1 else "per interval, need file"
    else:
        said = 0.0
    if multi:
        heads = week.coverage_by_queue
        calls, aht = need.calls_by_queue, need.aht_by_queue
        shrink = need.shrinkage_by_queue if need.shrinkage_by_queue is not None else None
    else:
        heads, calls, aht = week.coverage[None, :], need.calls[None, :], need.aht_seconds[None, :]
        shrink = need.shrinkage[None, :] if need.shrinkage is not None else None
    try:
        model, extra, inputs = _projection_model(args, need)
        projections = [
            project_service_level(
                heads[q],
                calls[q],
                aht[q],
                need.interval_minutes,
                shrinkage=args.shrinkage
                if args.shrinkage is not None
                else (shrink[q] if shrink is not None else 0.0),
                answer_within_seconds=args.answer_within,
                model=model,
                **extra,
            )
            for q in range(heads.shape[0])
        ]
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    n_q = len(projections)
    interval_ci = model == "simulation"
    for k, row in enumerate(rows):
        t, q = (k // n_q, k % n_q) if multi else (k, 0)
        p = projections[q]
        value = p.service_level[t]
        row["projected_service_level"] = "" if np.isnan(value) else f"{value:.4f}"
        if interval_ci:
            lo, hi = p.service_level_low[t], p.service_level_high[t]
            row["projected_service_level_low"] = "" if np.isnan(lo) else f"{lo:.4f}"
            row["projected_service_level_high"] = "" if np.isnan(hi) else f"{hi:.4f}"
    sl = np.array([p.service_level for p in projections])
    busy = ~np.isnan(sl)
    if not busy.any():
        return None
    weights = calls[busy]
    out = {
        "calls_weighted": round(float(np.sum(sl[busy] * weights) / weights.sum()), 4),
        "intervals_below_target": int(np.sum(sl[busy] < args.service_level)),
        "target": args.service_level,
        "answer_within_seconds": args.answer_within,
        "shrinkage": said,
        "model": model,
        "model_inputs": inputs,
    }
    if multi:
        out["per_queue"] = {
            name: round(value, 4)
            for name, p, c in zip(week.queues, projections, calls, strict=True)
            if (value := p.calls_weighted(c)) is not None
        }
    return out


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
