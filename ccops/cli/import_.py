"""``ccops import``: per-call records or interval reports into interval history.

Every input file is read and checked completely before the history file is
touched; the history is then rewritten through a temporary file and a rename.
Rows are keyed by (interval_start, queue): importing the same source again
replaces those keys with the same values, so the file stays byte-identical.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from ccops.cli import CommandError
from ccops.engine.io.calls import (
    ABANDONED,
    ANSWERED,
    IGNORED,
    IVR_ONLY,
    CallRecords,
    read_anonymous_bank,
)
from ccops.engine.io.errors import InputError
from ccops.engine.io.history import (
    aggregate_calls,
    atomic_write_text,
    combine_intervals,
    history_to_csv_text,
    merge_history,
    read_history_csv,
)
from ccops.engine.io.mapping import (
    ColumnMapping,
    load_mapping,
    load_preset,
    mapping_from_dict,
    preset_names,
)
from ccops.engine.io.tabular import complete_days, read_calls, read_interval_report

FLAG_FIELDS = {
    # flag dest -> ColumnMapping field
    "datetime_column": "datetime",
    "date_column": "date",
    "time_column": "time",
    "time_format": "time_format",
    "timezone": "timezone",
    "source_timezone": "source_timezone",
    "queue_column": "queue",
    "outcome_column": "outcome",
    "wait_column": "wait",
    "handle_column": "handle",
    "agent_column": "agent",
    "offered_column": "offered",
    "answered_column": "answered",
    "abandoned_column": "abandoned",
    "within_target_column": "answered_within_target",
    "aht_column": "aht",
    "asa_column": "asa",
    "duration_unit": "duration_unit",
    "delimiter": "delimiter",
    "sheet": "sheet",
    "header_row": "header_row",
}


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "import",
        help="import per-call records or interval reports into an interval history CSV",
        description=(
            "Read ACD exports (per-call records or interval reports) through a preset or a "
            "column mapping, check every row, and merge the result into an interval history "
            "CSV keyed by interval_start and queue. Nothing is written if any row is bad; "
            "importing the same file twice changes nothing. Presets: "
            + ", ".join(preset_names())
            + ". See docs/import.md."
        ),
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="CSV (.csv, .csv.gz) or Excel")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--preset", help="a shipped layout, e.g. anonymous-bank, ccops-calls")
    src.add_argument("--mapping", metavar="M.yaml", help="a column mapping file (YAML/JSON)")
    p.add_argument(
        "--kind",
        choices=("calls", "intervals"),
        help="per-call records or interval report (default: the mapping's)",
    )
    p.add_argument(
        "--history",
        required=True,
        metavar="H.csv",
        help="interval history CSV to create or merge into",
    )
    p.add_argument("--interval-minutes", type=int, required=True, help="e.g. 15 or 30")
    p.add_argument(
        "--target-seconds",
        type=float,
        default=20.0,
        help="service-level target T for answered_within_target (default 20)",
    )
    p.add_argument(
        "--queue-map",
        action="append",
        default=[],
        metavar="SRC=DEST[,SRC=DEST]",
        help="rename queues (several sources may share a destination, which "
        "merges them); repeatable",
    )
    p.add_argument("--queues", metavar="Q1,Q2", help="import only these queues (after --queue-map)")
    p.add_argument(
        "--all-queues-as", metavar="NAME", help="add all queues up into one series called NAME"
    )
    p.add_argument(
        "--replace-days",
        action="store_true",
        help="drop every existing row (all queues) of the days being imported "
        "first, e.g. after changing --queue-map",
    )
    p.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    m = p.add_argument_group("column mapping by flags (override the preset/mapping)")
    for dest in FLAG_FIELDS:
        flag = "--" + dest.replace("_", "-")
        if dest in ("handle_column", "offered_column", "aht_column"):
            m.add_argument(flag, dest=dest, action="append", help="repeat to add columns up")
        elif dest == "header_row":
            m.add_argument(flag, dest=dest, type=int)
        else:
            m.add_argument(flag, dest=dest)
    m.add_argument("--answered-values", help="comma-separated outcome values meaning answered")
    m.add_argument("--abandoned-values", help="comma-separated outcome values meaning abandoned")
    m.add_argument("--ivr-values", help="comma-separated outcome values meaning left in the IVR")
    m.add_argument(
        "--ignore-other-outcomes",
        action="store_true",
        help="skip rows whose outcome value is not listed (default: error)",
    )
    p.set_defaults(handler=run)


def _parse_queue_map(items: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        for pair in item.split(","):
            if not pair.strip():
                continue
            src, sep, dest = pair.partition("=")
            if not sep or not src.strip() or not dest.strip():
                raise CommandError(f"--queue-map: expected SRC=DEST, got {pair!r}")
            out[src.strip()] = dest.strip()
    return out


def _split(values: str | None) -> list[str]:
    return [v.strip() for v in values.split(",") if v.strip()] if values else []


def build_mapping(args) -> ColumnMapping | None:
    """The mapping from --preset / --mapping and the override flags (None: anonymous-bank)."""
    flags = {field: getattr(args, dest) for dest, field in FLAG_FIELDS.items()}
    if flags["sheet"] is not None and str(flags["sheet"]).isdigit():
        flags["sheet"] = int(flags["sheet"])
    outcomes = {
        key: _split(getattr(args, dest))
        for key, dest in (
            ("answered", "answered_values"),
            ("abandoned", "abandoned_values"),
            ("ivr_only", "ivr_values"),
        )
        if getattr(args, dest)
    }
    overrides = {
        k: (tuple(v) if isinstance(v, list) else v) for k, v in flags.items() if v is not None
    }
    if args.preset == "anonymous-bank":
        if overrides or outcomes or args.kind == "intervals":
            raise CommandError("the anonymous-bank reader takes no column-mapping flags")
        return None
    if args.preset:
        base = load_preset(args.preset)
    elif args.mapping:
        base = load_mapping(args.mapping)
    else:
        if not overrides:
            raise CommandError(
                "say how to read the files: --preset NAME, --mapping M.yaml or "
                "column flags such as --datetime-column (see docs/import.md)"
            )
        base = None
    data = {} if base is None else {k: getattr(base, k) for k in base.__dataclass_fields__}
    data.update(overrides)
    if outcomes:
        data["outcomes"] = {**data.get("outcomes", {}), **outcomes}
    if args.ignore_other_outcomes:
        data["other_outcomes"] = "ignore"
    if args.kind:
        if base is not None and base.kind != args.kind:
            raise CommandError(f"--kind {args.kind} does not match the mapping's kind {base.kind}")
        data["kind"] = args.kind
    data.setdefault("name", "flags")
    return mapping_from_dict(
        data,
        source=args.mapping or (args.preset and f"preset {args.preset}") or "command-line flags",
    )


def _unique_files(files: list[str]) -> tuple[list[Path], list[str]]:
    seen: dict[str, Path] = {}
    notes = []
    for name in files:
        path = Path(name)
        if not path.is_file():
            raise InputError("file not found", path=name)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest in seen:
            notes.append(f"{name}: same content as {seen[digest]}, read once")
            continue
        seen[digest] = path
    return list(seen.values()), notes


def _import_calls(paths, mapping, args, queue_map, keep, report):
    if mapping is None:
        records = read_anonymous_bank(paths)
    else:
        records = CallRecords.concat([read_calls(p, mapping) for p in paths])
    report["rows read"] = len(records)
    queue = np.array([queue_map.get(q, q) for q in records.queue.astype(str)], dtype=object)
    records = CallRecords(**{**records.__dict__, "queue": queue})
    counts = np.bincount(records.outcome, minlength=4)
    report["skipped: left in the IVR before queueing"] = int(counts[IVR_ONLY])
    report["skipped: ignored records (e.g. PHANTOM, unlisted outcome)"] = int(counts[IGNORED])
    if keep is not None:
        offered = np.isin(records.outcome, [ANSWERED, ABANDONED])
        out = offered & ~np.isin(queue, list(keep))
        report["skipped: queue not in --queues"] = int(out.sum())
        records = records.select(~out)
    report["calls imported (answered + abandoned)"] = int(
        np.isin(records.outcome, [ANSWERED, ABANDONED]).sum()
    )
    df = aggregate_calls(
        records,
        interval_minutes=args.interval_minutes,
        target_seconds=args.target_seconds,
        by_queue=args.all_queues_as is None,
        queue_name=args.all_queues_as,
    )
    if mapping is not None:
        if not mapping.handle:
            df = df.drop(columns=["aht_seconds"])
        if not mapping.wait:
            df = df.drop(columns=["answered_within_target", "asa_seconds"])
    return df


def _import_intervals(paths, mapping, args, queue_map, keep, report):
    parts = []
    origin = {}
    for p in paths:
        part = read_interval_report(p, mapping, interval_minutes=args.interval_minutes)
        for key in zip(part["interval_start"], part["queue"], strict=True):
            if key in origin:
                raise InputError(
                    f"interval {key[0]} of queue {key[1]!r} is also in {origin[key]}",
                    path=str(p),
                    column=mapping.datetime or mapping.date,
                )
            origin[key] = str(p)
        report["intervals read"] = report.get("intervals read", 0) + len(part)
        report["empty intervals filled with 0 calls"] = report.get(
            "empty intervals filled with 0 calls", 0
        ) + part.attrs.get("filled_intervals", 0)
        parts.append(part)
    df = pd.concat(parts, ignore_index=True)
    df["queue"] = [queue_map.get(q, q) for q in df["queue"].astype(str)]
    if keep is not None:
        out = ~df["queue"].isin(list(keep))
        report["skipped: intervals of queues not in --queues"] = int(out.sum())
        df = df[~out]
    if args.all_queues_as:
        df = df.assign(queue=args.all_queues_as)
    df = combine_intervals(df, interval_minutes=args.interval_minutes)
    df = complete_days(df, interval_minutes=args.interval_minutes)
    report["calls imported"] = int(df["calls"].sum())
    return df


def run(args) -> int:
    if args.interval_minutes is None or args.interval_minutes <= 0 or 1440 % args.interval_minutes:
        raise CommandError(
            f"--interval-minutes must divide a day (15, 30, 60...), got {args.interval_minutes}"
        )
    if args.target_seconds < 0:
        raise CommandError("--target-seconds must not be negative")
    if args.all_queues_as is not None and not args.all_queues_as.strip():
        raise CommandError("--all-queues-as needs a queue name")
    mapping = build_mapping(args)
    queue_map = _parse_queue_map(args.queue_map)
    keep = set(_split(args.queues)) if args.queues else None
    paths, notes = _unique_files(args.files)
    report: dict[str, int] = {"files": len(paths)}
    kind = "calls" if mapping is None else mapping.kind
    if kind == "calls":
        new = _import_calls(paths, mapping, args, queue_map, keep, report)
    else:
        new = _import_intervals(paths, mapping, args, queue_map, keep, report)

    if len(new) == 0:
        raise CommandError(
            "no call in the files was offered to an agent (all hung up in the IVR, were "
            "ignored or filtered out): nothing to import, " + str(args.history) + " not written"
        )
    history = Path(args.history)
    old_text = history.read_text(encoding="utf-8") if history.is_file() else None
    if old_text is not None:
        existing = read_history_csv(history)
        if existing["interval_start"].dt.tz is not None:
            raise InputError(
                "the history has UTC offsets but imports are written in the "
                "site's local time; import into a new history file",
                path=str(history),
            )
        if args.replace_days:
            new_days = new["interval_start"].dt.normalize().unique()
            drop = existing["interval_start"].dt.normalize().isin(new_days)
            report["existing intervals dropped (--replace-days)"] = int(drop.sum())
            existing = existing[~drop].reset_index(drop=True)
        try:
            merged = merge_history(existing, new)
        except ValueError as exc:
            raise InputError(str(exc), path=str(history)) from exc
        keys_old = pd.MultiIndex.from_frame(existing[["interval_start", "queue"]])
        keys_new = pd.MultiIndex.from_frame(new[["interval_start", "queue"]])
        replaced = int(keys_new.isin(keys_old).sum())
    else:
        merged, replaced = new, 0
    text = history_to_csv_text(merged)
    report["intervals added"] = len(new) - replaced
    report["intervals replaced"] = replaced
    for note in notes:
        print(f"note: {note}")
    for key, value in report.items():
        print(f"{key}: {value}")
    if args.dry_run:
        print(f"dry run: {history} not written")
    elif text == old_text:
        print(f"{history}: unchanged ({len(merged)} intervals)")
    else:
        atomic_write_text(history, text)
        print(f"{history}: {len(merged)} intervals written")
    return 0
