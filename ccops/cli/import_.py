"""``ccops import``: per-call records or interval reports into interval history.

Every input file is read and checked completely before the history file is
touched; the history is then rewritten through a temporary file and a rename.
Rows are keyed by (interval_start, queue): importing the same source again
replaces those keys with the same values, so the file stays byte-identical.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ccops.cli import CommandError
from ccops.engine.io.errors import InputError
from ccops.engine.io.history import (
    atomic_write_text,
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
from ccops.engine.io.pipeline import (
    NOTHING_TO_IMPORT,
    ImportOptions,
    QueueMapError,
    parse_queue_map,
    read_import,
)

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


def _keep_earlier_outside_span(existing, new, covered, report) -> pd.DataFrame:
    """A partial day is not zero-filled over calls the history already has: the rows of
    ``new`` outside the files' time span (``covered`` false) whose interval the history
    holds with calls are dropped, so the earlier values stay (``--replace-days`` drops the
    earlier days first instead)."""
    if covered.all() or len(existing) == 0:
        return new
    busy = existing.loc[existing["calls"] > 0, ["interval_start", "queue"]]
    keys_busy = pd.MultiIndex.from_frame(busy)
    keys_new = pd.MultiIndex.from_frame(new[["interval_start", "queue"]])
    keep_old = ~covered & keys_new.isin(keys_busy)
    if keep_old.any():
        report["earlier intervals kept outside the files' time span"] = int(keep_old.sum())
        new = new[~keep_old].reset_index(drop=True)
    return new


def _changed(existing: pd.DataFrame, new: pd.DataFrame) -> int:
    """How many intervals of ``new`` replace rows of ``existing`` with other values."""
    keys = ["interval_start", "queue"]
    both = new.merge(existing, on=keys, how="inner", suffixes=("", "_old"))
    if both.empty:
        return 0
    differs = pd.Series(False, index=both.index)
    for col in new.columns:
        if col in keys or f"{col}_old" not in both:
            continue
        a, b = both[col].astype(float), both[f"{col}_old"].astype(float)
        same = ((a - b).abs() < 0.005) | (a.isna() & b.isna())
        differs |= ~same
    return int(differs.sum())


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
    try:
        queue_map = parse_queue_map(args.queue_map)
    except QueueMapError as exc:
        raise CommandError(f"--queue-map: {exc.reason}") from None
    keep = frozenset(_split(args.queues)) if args.queues else None
    options = ImportOptions(
        interval_minutes=args.interval_minutes,
        target_seconds=args.target_seconds,
        queue_map=queue_map,
        queues=keep,
        all_queues_as=args.all_queues_as,
    )
    try:
        result = read_import(args.files, mapping, options)
    except InputError as exc:
        if exc.code == NOTHING_TO_IMPORT:
            raise CommandError(f"{exc.reason}, {args.history} not written") from None
        raise
    new, notes = result.history, result.notes
    report = dict(result.report)
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
        new = _keep_earlier_outside_span(existing, new, result.covered, report)
        try:
            merged = merge_history(existing, new)
        except ValueError as exc:
            raise InputError(str(exc), path=str(history)) from exc
        keys_old = pd.MultiIndex.from_frame(existing[["interval_start", "queue"]])
        keys_new = pd.MultiIndex.from_frame(new[["interval_start", "queue"]])
        replaced = int(keys_new.isin(keys_old).sum())
        changed = _changed(existing, new)
    else:
        merged, replaced, changed = new, 0, 0
    text = history_to_csv_text(merged)
    report["intervals added"] = len(new) - replaced
    report["intervals replaced"] = replaced
    report["intervals replaced with other values"] = changed
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
