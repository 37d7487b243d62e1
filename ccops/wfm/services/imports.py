"""Import of call records and interval reports into ``IntervalStat`` (atomic, validated).

The engine's import pipeline (``ccops.engine.io.pipeline.read_import``, the same one the
``ccops import`` command uses) reads and checks the uploaded file, named by its uploaded
name in every error; this module maps its queue names to the site's queues, converts the
naive site-local interval starts to UTC (the site's time zone is also given to layouts
whose clock is UTC, e.g. Genesys Cloud) and writes the intervals in one transaction.

Before writing, the import is compared with what the site already has
(:func:`plan_batch`). When it would change earlier values, among them the intervals of a
partial day that the file does not reach and would set to 0 calls, the batch waits in
"awaiting confirmation" with the list of what it replaces; :func:`import_confirm` writes it
(replacing everything, or keeping the earlier intervals outside the file's time span) and
:func:`import_cancel` drops it. The earlier values an import replaces are kept with it
(``ImportBatch.superseded``, a gzipped CSV), and the earlier per-call records it
replaces stay in the database as superseded versions linked to it
(``CallRecord.superseded_by``), counted in no statistic. Importing the same file again changes
nothing and asks nothing. On any error nothing is written and the batch's validation
report lists the first bad values (file, line, column, value, shortened).
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import math

import numpy as np
import pandas as pd
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccops.core.limits import MAX_REPORTED_PROBLEMS, shorten
from ccops.core.models import Queue, Site
from ccops.core.services import lock_for_update, record_create, record_update, require_state
from ccops.engine.io import limits as io_limits
from ccops.engine.io.calls import ABANDONED, ANSWERED, CallRecords
from ccops.engine.io.errors import InputError
from ccops.engine.io.limits import megabytes
from ccops.engine.io.mapping import load_preset, preset_names
from ccops.engine.io.pipeline import (
    ImportOptions,
    ImportResult,
    read_import,
    unknown_names,
)
from ccops.wfm.choices import ImportKind, ImportStatus
from ccops.wfm.models import ImportBatch, IntervalStat

ANONYMOUS_BANK = "anonymous-bank"
WRITE_CHUNK = 2000
#: The longest text a validation report keeps (an error, a value).
MAX_REPORT_TEXT = 4000
#: How many (queue, day) lines the list of replaced values shows.
MAX_PLAN_LINES = 60
VALUE_FIELDS = ("offered", "answered", "abandoned", "answered_within_target")
SECONDS_FIELDS = ("aht_seconds", "asa_seconds")
HISTORY_COLUMN = {"offered": "calls"}


def max_upload_bytes() -> int:
    """The largest upload accepted (the engine's limit for one file)."""
    return io_limits.MAX_FILE_BYTES


def import_formats() -> list[str]:
    """The formats a user may choose, each once: the engine's presets (the Anonymous Bank
    reader among them)."""
    return preset_names()


def _mapping(preset: str):
    return None if preset == ANONYMOUS_BANK else load_preset(preset)


def _preset_kind(preset: str) -> str:
    if preset == ANONYMOUS_BANK:
        return ImportKind.CALLS
    return load_preset(preset).kind


@transaction.atomic
def import_create(
    *,
    site: Site,
    preset: str,
    filename: str,
    content: bytes,
    actor,
    queue_map: dict[str, str] | None = None,
    target_seconds: float | None = None,
) -> ImportBatch:
    """Record an uploaded file to import (the import itself runs as a background task)."""
    if preset not in import_formats():
        raise ValidationError(
            {
                "preset": _("Unknown format %(p)s; choose one of %(all)s.")
                % {"p": shorten(preset), "all": ", ".join(import_formats())}
            }
        )
    if not content:
        raise ValidationError({"file": _("The file is empty.")})
    if len(content) > max_upload_bytes():
        raise ValidationError(
            {
                "file": _("The file is larger than %(size)s.")
                % {"size": megabytes(max_upload_bytes())}
            }
        )
    if target_seconds is not None and not (0 <= target_seconds <= io_limits.MAX_DURATION_SECONDS):
        raise ValidationError(
            {"target_seconds": _("The service-level threshold must be 0 to 86400 seconds.")}
        )
    name = (str(filename or "upload.csv").replace("\\", "/").rsplit("/", 1)[-1] or "upload")[:200]
    batch = record_create(
        ImportBatch,
        data={
            "site": site,
            "kind": _preset_kind(preset),
            "preset": preset,
            "filename": name,
            "created_by": actor,
            "options": {
                "queue_map": queue_map or {},
                "target_seconds": float(
                    target_seconds if target_seconds is not None else _default_target(site)
                ),
            },
        },
        actor=actor,
        verb="import_create",
    )
    ImportBatch.objects.filter(pk=batch.pk).update(content=content)
    return batch


def _default_target(site: Site) -> float:
    queue = Queue.objects.filter(site=site).order_by("code").first()
    return float(queue.service_level_seconds) if queue else 20.0


def _lock(batch: ImportBatch) -> ImportBatch:
    """The batch under a row lock, without its (large) file and replaced values: a save
    writes only the fields loaded."""
    return lock_for_update(batch, queryset=ImportBatch.objects.defer("content", "superseded"))


def import_start(*, batch: ImportBatch, actor):
    """Enqueue the import task of ``batch``; returns the job."""
    from ccops.core.jobs import job_enqueue
    from ccops.wfm import tasks

    job = job_enqueue(
        tasks.import_run,
        kind="wfm.import",
        title=_("Import %(file)s") % {"file": batch.filename},
        owner=actor,
        batch_id=batch.pk,
    )
    ImportBatch.objects.filter(pk=batch.pk).update(job=job)
    batch.job = job
    return job


def import_confirm(*, batch: ImportBatch, actor, keep_earlier: bool = False):
    """Go ahead with an import awaiting confirmation: it is read again and written,
    replacing the earlier values it listed; with ``keep_earlier`` the earlier intervals
    outside the file's time span keep their values (instead of 0 calls). Returns the job.
    Of parallel confirmations (or a confirmation and a cancellation) one wins; the others
    get a :class:`~ccops.core.errors.Conflict`."""
    with transaction.atomic():
        locked = _lock(batch)
        require_state(locked, "status", ImportStatus.REVIEW)
        options = {**(locked.options or {}), "confirmed": True, "keep_earlier": keep_earlier}
        record_update(
            locked,
            data={"status": ImportStatus.QUEUED, "options": options},
            actor=actor,
            verb="import_confirm",
        )
    batch.refresh_from_db()
    return import_start(batch=batch, actor=actor)


@transaction.atomic
def import_cancel(*, batch: ImportBatch, actor) -> ImportBatch:
    """Drop an import awaiting confirmation: nothing is written."""
    locked = _lock(batch)
    require_state(locked, "status", ImportStatus.REVIEW)
    record_update(
        locked, data={"status": ImportStatus.CANCELLED}, actor=actor, verb="import_cancel"
    )
    batch.refresh_from_db()
    return locked


def read_batch(batch: ImportBatch, progress=lambda f, m: None) -> ImportResult:
    """Read and check the uploaded file with the engine's import pipeline: the interval
    history (naive site-local starts), which of its rows the file covers, the per-call
    records and the report counts. Raises ``InputError``/``ValueError``."""
    options = batch.options or {}
    progress(0.1, _("Reading %(file)s") % {"file": batch.filename})
    return read_import(
        [(bytes(batch.content or b""), batch.filename)],
        _mapping(batch.preset),
        ImportOptions(
            interval_minutes=batch.site.interval_minutes,
            target_seconds=float(options.get("target_seconds", 20.0)),
            queue_map=options.get("queue_map") or {},
            timezone=batch.site.time_zone,
        ),
    )


def _to_utc(starts: pd.Series, site: Site) -> pd.Series:
    if starts.dt.tz is not None:
        return starts.dt.tz_convert("UTC")
    try:
        return starts.dt.tz_localize(
            site.time_zone, ambiguous="raise", nonexistent="raise"
        ).dt.tz_convert("UTC")
    except Exception as exc:  # pytz/zoneinfo ambiguity errors differ between versions
        raise ValueError(
            _("An interval start does not exist or is ambiguous in %(zone)s: %(error)s")
            % {"zone": site.time_zone, "error": exc}
        ) from None


def _cell(values, i):
    """Element ``i`` of a column as a Python value (``None`` when absent or NaN)."""
    if values is None:
        return None
    value = values[i]
    value = value.item() if hasattr(value, "item") else value
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return value


def _site_queues(site: Site, names) -> dict:
    """The site's queues by code; a file queue that is none of them is refused (the
    unknown names quoted shortened, at most 20)."""
    queues = {q.code: q for q in Queue.objects.filter(site=site)}
    unknown, count = unknown_names(names, queues)
    if count:
        more = _(" and %(n)d more") % {"n": count - len(unknown)} if count > len(unknown) else ""
        raise ValueError(
            _(
                "The file has queues that are not queues of %(site)s: %(queues)s%(more)s. Map "
                "them to queue codes (%(codes)s) with the queue mapping."
            )
            % {
                "site": site.code,
                "queues": ", ".join(unknown),
                "more": more,
                "codes": ", ".join(sorted(queues)),
            }
        )
    return queues


def _values_of(df: pd.DataFrame) -> dict:
    return {
        f: (df[HISTORY_COLUMN.get(f, f)].to_numpy() if HISTORY_COLUMN.get(f, f) in df else None)
        for f in VALUE_FIELDS + SECONDS_FIELDS
    }


def _same(old, new) -> bool:
    if old is None or new is None:
        return old is None and new is None
    return math.isclose(float(old), float(new), rel_tol=0, abs_tol=0.005)


class _Frame:
    """The import's rows with their UTC starts and the earlier rows at the same keys."""

    def __init__(self, batch: ImportBatch, df: pd.DataFrame, covered=None):
        self.site = batch.site
        self.df = df.reset_index(drop=True)
        self.names = self.df["queue"].astype(str).to_numpy()
        self.queues = _site_queues(self.site, set(self.names))
        starts = _to_utc(pd.to_datetime(self.df["interval_start"]), self.site)
        self.starts = list(starts.dt.to_pydatetime())
        self.covered = np.ones(len(self.df), bool) if covered is None else np.asarray(covered)
        self.values = _values_of(self.df)
        self.earlier: dict = {}
        for name in sorted(set(self.names)):
            mine = [t for t, n in zip(self.starts, self.names, strict=True) if n == name]
            for k in range(0, len(mine), WRITE_CHUNK):
                rows = IntervalStat.objects.filter(
                    queue=self.queues[name], interval_start__in=mine[k : k + WRITE_CHUNK]
                ).values("pk", "interval_start", "batch_id", *VALUE_FIELDS, *SECONDS_FIELDS)
                for row in rows:
                    self.earlier[(name, row["interval_start"])] = row

    def new(self, i: int) -> dict:
        return {f: _cell(self.values[f], i) for f in VALUE_FIELDS + SECONDS_FIELDS}

    def old(self, i: int):
        return self.earlier.get((self.names[i], self.starts[i]))

    def changed(self, i: int) -> bool:
        old = self.old(i)
        if old is None:
            return False
        new = self.new(i)
        return not all(_same(old[f], new[f]) for f in new)


def plan_batch(batch: ImportBatch, result: ImportResult) -> dict:
    """What writing ``result`` would replace: per queue and local day, the earlier
    intervals whose values change (calls before and after) and, of them, those outside the
    file's time span that would be set to 0 calls. ``needs_confirmation`` is true when
    anything earlier changes (re-importing the same file changes nothing)."""
    frame = _Frame(batch, result.history, result.covered)
    zone = batch.site.zone
    lines: dict = {}
    for i in range(len(frame.df)):
        if not frame.changed(i):
            continue
        old, new = frame.old(i), frame.new(i)
        key = (frame.names[i], frame.starts[i].astimezone(zone).date().isoformat())
        line = lines.setdefault(
            key,
            {
                "queue": key[0],
                "day": key[1],
                "intervals": 0,
                "calls_before": 0,
                "calls_after": 0,
                "outside_file": 0,
                "outside_file_calls": 0,
            },
        )
        line["intervals"] += 1
        line["calls_before"] += int(old["offered"] or 0)
        line["calls_after"] += int(new["offered"] or 0)
        if not frame.covered[i]:
            line["outside_file"] += 1
            line["outside_file_calls"] += int(old["offered"] or 0)
    ordered = [lines[k] for k in sorted(lines, key=lambda k: (k[1], k[0]))]
    return {
        "call_records": _calls_to_supersede(batch.site, result.records, frame.queues),
        "needs_confirmation": bool(ordered),
        "intervals": sum(line["intervals"] for line in ordered),
        "outside_file": sum(line["outside_file"] for line in ordered),
        "outside_file_calls": sum(line["outside_file_calls"] for line in ordered),
        "days": len(ordered),
        "lines": ordered[:MAX_PLAN_LINES],
    }


def _calls_to_supersede(site: Site, records: CallRecords | None, queues: dict) -> int:
    """How many current call records of earlier imports writing ``records`` supersedes
    (those of the same queues in the file's time span, see :func:`write_call_records`)."""
    from ccops.wfm.models import CallRecord

    if records is None:
        return 0
    keep = np.isin(records.outcome, [ANSWERED, ABANDONED])
    calls = records.select(keep)
    started = [t for t in _utc_or_none(calls.arrival, site) if t is not None]
    if not started:
        return 0
    used = {queues[str(q)].pk for q in set(calls.queue.astype(str))}
    return CallRecord.objects.filter(
        site=site, queue_id__in=used, started_at__gte=min(started), started_at__lte=max(started)
    ).count()


def import_review(batch: ImportBatch, result: ImportResult, plan: dict) -> None:
    """Stop before writing: the import would change earlier values; keep the list of them
    for the importer to confirm or cancel."""
    report = bounded_report({**result.report, "replaces": plan})
    record_update(
        batch,
        data={"status": ImportStatus.REVIEW, "rows_read": _rows_read(report), "report": report},
        actor=batch.created_by,
        verb="import_review",
    )


def _rows_read(report: dict) -> int:
    return int(report.get("rows read", report.get("intervals read", 0)) or 0)


def _superseded_csv(frame: _Frame, rows: list[int]) -> bytes:
    out = io.StringIO()
    columns = ["interval_start", "queue", "calls", "answered", "abandoned"]
    columns += ["answered_within_target", "aht_seconds", "asa_seconds", "import"]
    out.write(",".join(columns) + "\n")
    for i in rows:
        old = frame.old(i)
        cells = [old["interval_start"].astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")]
        cells.append(frame.names[i])
        cells += ["" if old[f] is None else str(old[f]) for f in VALUE_FIELDS + SECONDS_FIELDS]
        cells.append("" if old["batch_id"] is None else str(old["batch_id"]))
        out.write(",".join(cells) + "\n")
    return gzip.compress(out.getvalue().encode(), mtime=0)


def write_batch(
    batch: ImportBatch,
    df: pd.DataFrame,
    report: dict,
    *,
    covered=None,
    records: CallRecords | None = None,
    keep_earlier: bool = False,
) -> int:
    """Write the intervals of ``df`` for ``batch`` in one transaction; returns their count.

    The earlier rows at the same (queue, interval) are replaced; those whose values change
    are kept with this batch (``superseded``). ``covered`` (per row: within the file's time
    span) with ``keep_earlier`` keeps the earlier intervals the file does not reach instead
    of setting them to 0 calls. An import of per-call ``records`` also keeps each call
    (``CallRecord``), in the same transaction."""
    site = batch.site
    report = dict(report)
    with transaction.atomic():
        locked = _lock(batch)
        require_state(locked, "status", [ImportStatus.QUEUED, ImportStatus.RUNNING])
        # Imports into the same queues write one after the other, each comparing with what
        # the one before it wrote (the earlier values are read under these locks).
        _lock_queues(site, set(df["queue"].astype(str)))
        frame = _Frame(batch, df, covered)
        keep = np.ones(len(frame.df), bool)
        if keep_earlier:
            for i in np.flatnonzero(~frame.covered):
                old = frame.old(i)
                if old is not None and (old["offered"] or 0) > 0:
                    keep[i] = False
            report["earlier intervals kept outside the file's time span"] = int((~keep).sum())
        changed = [i for i in np.flatnonzero(keep) if frame.changed(i)]
        rows = [
            IntervalStat(
                site=site,
                queue=frame.queues[frame.names[i]],
                batch=batch,
                interval_start=frame.starts[i],
                interval_minutes=site.interval_minutes,
                **frame.new(i),
            )
            for i in np.flatnonzero(keep)
        ]
        replace = [frame.old(i)["pk"] for i in np.flatnonzero(keep) if frame.old(i) is not None]
        for k in range(0, len(replace), WRITE_CHUNK):
            IntervalStat.objects.filter(pk__in=replace[k : k + WRITE_CHUNK]).delete()
        IntervalStat.objects.bulk_create(rows, batch_size=WRITE_CHUNK)
        if records is not None:
            report.update(write_call_records(batch, records, frame.queues))
        written = frame.df[keep]
        per_queue = written.groupby(written["queue"].astype(str))["calls"].agg(["count", "sum"])
        report.update(
            {
                "intervals written": len(rows),
                "intervals replaced (imported before)": len(replace),
                "intervals changed (earlier values kept with this import)": len(changed),
                "days": int(pd.to_datetime(written["interval_start"]).dt.normalize().nunique()),
                "per queue": {
                    q: {"intervals": int(r["count"]), "calls": int(r["sum"])}
                    for q, r in per_queue.iterrows()
                },
            }
        )
        record_update(
            locked,
            data={
                "status": ImportStatus.SUCCEEDED,
                "rows_read": _rows_read(report),
                "intervals_written": len(rows),
                "first_interval": min((r.interval_start for r in rows), default=None),
                "last_interval": max((r.interval_start for r in rows), default=None),
                "report": bounded_report(report),
            },
            actor=batch.created_by,
            verb="import_succeed",
        )
        if changed:
            ImportBatch.objects.filter(pk=batch.pk).update(
                superseded=_superseded_csv(frame, changed)
            )
    batch.refresh_from_db()
    return len(rows)


def _lock_queues(site: Site, codes) -> None:
    """Lock the site's queues of ``codes`` (in one order: no deadlock between imports)."""
    list(
        Queue.objects.select_for_update()
        .filter(site=site, code__in=sorted(codes))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def bounded_report(report: dict) -> dict:
    """``report`` made safe to keep and show: texts shortened to
    :data:`MAX_REPORT_TEXT`, lists cut to :data:`MAX_REPORTED_PROBLEMS` entries (the
    count kept), at most 200 keys per level."""

    def bound(value, depth=0):
        if isinstance(value, str):
            return value if len(value) <= MAX_REPORT_TEXT else shorten(value, MAX_REPORT_TEXT)
        if isinstance(value, dict):
            items = list(value.items())[:200]
            return {
                shorten(k, 200)[1:-1] if len(str(k)) > 200 else str(k): bound(v, depth + 1)
                for k, v in items
            }
        if isinstance(value, list | tuple):
            limit = MAX_PLAN_LINES if depth <= 1 else MAX_REPORTED_PROBLEMS
            return [bound(v, depth + 1) for v in list(value)[:limit]]
        if isinstance(value, np.generic):
            return value.item()
        return value

    return bound(report)


def import_fail(batch: ImportBatch, error, report: dict) -> None:
    """Mark ``batch`` failed with ``error`` (a text or the exception): nothing was written.
    An error listing several bad values keeps them under ``problems``; an engine's
    ``InputError`` is kept as data too (``error_data``: code, values, place), which the
    batch's page words in the reader's language. ``error`` and ``problems`` are the
    English texts (the API and older pages)."""
    report = {
        k: v for k, v in (report or {}).items() if k not in ("error", "problems", "error_data")
    }
    if isinstance(error, BaseException):
        from ccops.core.jobs import plain_error

        if isinstance(error, InputError):
            # the code and values, worded in the reader's language when shown
            report["error_data"] = error.data()
        if isinstance(error, InputError) and error.problems:
            report["problems"] = error.problem_texts()[:MAX_REPORTED_PROBLEMS]
            text = f"{error.path}: {error.reason}" if error.path else str(error.reason)
        elif isinstance(error, InputError):
            text = str(error)
        else:
            text = plain_error(error)
    else:
        text = str(error)
    record_update(
        batch,
        data={"status": ImportStatus.FAILED, "report": bounded_report({**report, "error": text})},
        actor=batch.created_by,
        verb="import_fail",
    )


# --- per-call records ---------------------------------------------------------------------


def _utc_or_none(values: np.ndarray, site: Site) -> list:
    """Naive site-local datetime64 values as aware UTC datetimes (``None`` for NaT)."""
    series = pd.Series(pd.to_datetime(values))
    known = series.notna()
    out: list = [None] * len(series)
    if known.any():
        utc = _to_utc(series[known], site)
        for i, value in zip(np.flatnonzero(known.to_numpy()), utc.dt.to_pydatetime(), strict=True):
            out[i] = value
    return out


def write_call_records(batch: ImportBatch, records: CallRecords, queues: dict) -> dict:
    """Keep each answered or abandoned call of ``records`` as a ``CallRecord`` (inside the
    caller's transaction). The current calls of the same queues in the file's time span
    from earlier imports are superseded by ``batch`` (kept, linked to it, no longer
    counted), so importing a file again counts each call once. The serving agent is
    matched to the employee of the site whose ACD agent login it is."""
    from ccops.people.models import Employee
    from ccops.wfm.choices import CallOutcome
    from ccops.wfm.models import CallRecord

    site = batch.site
    keep = np.isin(records.outcome, [ANSWERED, ABANDONED])
    calls = records.select(keep)
    if len(calls) == 0:
        return {"call records kept": 0}
    started = _utc_or_none(calls.arrival, site)
    answered_at = _utc_or_none(calls.service_start, site)
    logins = {
        login: pk
        for login, pk in Employee.objects.filter(site=site)
        .exclude(acd_login="")
        .values_list("acd_login", "pk")
    }
    unmatched: set[str] = set()
    rows = []
    for i in range(len(calls)):
        answered = int(calls.outcome[i]) == ANSWERED
        handle = _cell(calls.handle_seconds, i) if answered else None
        hold = _cell(calls.hold_seconds, i)
        acw = _cell(calls.acw_seconds, i)
        talk = None if handle is None else max(0.0, handle - (hold or 0.0) - (acw or 0.0))
        login = str(calls.agent[i] or "").strip()[:60]
        employee = logins.get(login) if login else None
        if login and employee is None:
            unmatched.add(login)
        start = answered_at[i] if answered else None
        ended = None
        if start is not None and handle is not None:
            ended = start + dt.timedelta(seconds=handle)
        elif not answered and started[i] is not None and _cell(calls.wait_seconds, i) is not None:
            ended = started[i] + dt.timedelta(seconds=_cell(calls.wait_seconds, i))
        rows.append(
            CallRecord(
                site=site,
                queue=queues[str(calls.queue[i])],
                batch=batch,
                call_reference=str(calls.call_id[i] or "")[:100],
                started_at=started[i],
                answered_at=start,
                ended_at=ended,
                outcome=CallOutcome.ANSWERED if answered else CallOutcome.ABANDONED,
                wait_seconds=_cell(calls.wait_seconds, i),
                talk_seconds=talk,
                hold_seconds=hold,
                acw_seconds=acw,
                handle_seconds=handle,
                transferred=bool(calls.transferred[i]),
                agent_login=login,
                employee_id=employee,
            )
        )
    first = min(r.started_at for r in rows)
    last = max(r.started_at for r in rows)
    used = {r.queue_id for r in rows}
    earlier = CallRecord.objects.filter(
        site=site, queue_id__in=used, started_at__gte=first, started_at__lte=last
    )
    replaced = earlier.update(superseded_by=batch, superseded_at=timezone.now())
    CallRecord.objects.bulk_create(rows, batch_size=WRITE_CHUNK)
    return {
        "call records kept": len(rows),
        "call records replaced (imported before)": replaced,
        "calls matched to an employee": sum(1 for r in rows if r.employee_id),
        "ACD agents not matched to an employee": sorted(unmatched)[:MAX_REPORTED_PROBLEMS],
    }
