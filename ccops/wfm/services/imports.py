"""Import of call records and interval reports into ``IntervalStat`` (atomic, validated).

The engine reads and checks the file (``ccops.engine.io``); this module maps its queue
names to the site's queues, converts the naive site-local interval starts to UTC and writes
the intervals in one transaction, replacing the same (queue, interval) rows of earlier
imports, so importing a file twice changes nothing. On any error nothing is written and the
batch's validation report names the file, line, column and value.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ccops.core.limits import MAX_REPORTED_PROBLEMS
from ccops.core.models import Queue, Site
from ccops.core.services import record_create, record_update
from ccops.engine.io.calls import (
    ABANDONED,
    ANSWERED,
    IGNORED,
    IVR_ONLY,
    CallRecords,
    read_anonymous_bank,
)
from ccops.engine.io.history import aggregate_calls, combine_intervals
from ccops.engine.io.mapping import load_preset, preset_names
from ccops.engine.io.tabular import complete_days, read_calls, read_interval_report
from ccops.wfm.choices import ImportKind, ImportStatus
from ccops.wfm.models import ImportBatch, IntervalStat

ANONYMOUS_BANK = "anonymous-bank"
#: The read call records travel from read_batch to write_batch in the report under this key.
CALL_RECORDS_KEY = "_call_records"
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
WRITE_CHUNK = 2000


def import_formats() -> list[str]:
    """The formats a user may choose: the engine's presets and the Anonymous Bank reader."""
    return [ANONYMOUS_BANK, *preset_names()]


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
                % {"p": preset, "all": ", ".join(import_formats())}
            }
        )
    if not content:
        raise ValidationError({"file": _("The file is empty.")})
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _("The file is larger than 200 MB.")})
    name = Path(filename or "upload.csv").name[:200]
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


def read_batch(batch: ImportBatch, progress=lambda f, m: None) -> tuple[pd.DataFrame, dict]:
    """Read and check the uploaded file with the engine: the interval history frame (naive
    site-local starts) and the report counts. Raises ``InputError``/``ValueError``."""
    report: dict = {}
    interval_minutes = batch.site.interval_minutes
    options = batch.options or {}
    queue_map = options.get("queue_map") or {}
    suffix = "".join(Path(batch.filename).suffixes[-2:]) or ".csv"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(bytes(batch.content or b""))
        progress(0.1, _("Reading %(file)s") % {"file": batch.filename})
        if batch.kind == ImportKind.CALLS:
            if batch.preset == ANONYMOUS_BANK:
                records = read_anonymous_bank([path])
            else:
                records = read_calls(path, load_preset(batch.preset))
            report["rows read"] = len(records)
            counts = np.bincount(records.outcome, minlength=4)
            report["skipped: left in the IVR"] = int(counts[IVR_ONLY])
            report["skipped: ignored records"] = int(counts[IGNORED])
            queue = np.array([queue_map.get(q, q) for q in records.queue.astype(str)], dtype=object)
            records = CallRecords(**{**records.__dict__, "queue": queue})
            report[CALL_RECORDS_KEY] = records  # kept per call by write_batch (popped there)
            report["calls (answered + abandoned)"] = int(
                np.isin(records.outcome, [ANSWERED, ABANDONED]).sum()
            )
            progress(0.3, _("Adding up the calls per interval"))
            df = aggregate_calls(
                records,
                interval_minutes=interval_minutes,
                target_seconds=float(options.get("target_seconds", 20.0)),
            )
        else:
            df = read_interval_report(
                path, load_preset(batch.preset), interval_minutes=interval_minutes
            )
            report["rows read"] = len(df)
            report["empty intervals filled with 0 calls"] = int(df.attrs.get("filled_intervals", 0))
            df["queue"] = [queue_map.get(q, q) for q in df["queue"].astype(str)]
            df = combine_intervals(df, interval_minutes=interval_minutes)
            df = complete_days(df, interval_minutes=interval_minutes)
    if len(df) == 0:
        raise ValueError(_("No call in the file was offered to an agent: nothing to import."))
    return df, report


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


def write_batch(batch: ImportBatch, df: pd.DataFrame, report: dict) -> int:
    """Write the intervals of ``df`` for ``batch`` in one transaction; returns their count.
    An import of per-call records also keeps each call (``CallRecord``), in the same
    transaction."""
    records = report.pop(CALL_RECORDS_KEY, None)
    site = batch.site
    queues = {q.code: q for q in Queue.objects.filter(site=site)}
    names = sorted(set(df["queue"].astype(str)))
    unknown = [n for n in names if n not in queues]
    if unknown:
        raise ValueError(
            _(
                "The file has queues that are not queues of %(site)s: %(queues)s. Map them to "
                "queue codes (%(codes)s) with the queue mapping."
            )
            % {"site": site.code, "queues": ", ".join(unknown), "codes": ", ".join(sorted(queues))}
        )
    starts = _to_utc(pd.to_datetime(df["interval_start"]), site)
    columns = {
        c: df[c].to_numpy() if c in df else None
        for c in ("answered", "abandoned", "answered_within_target", "aht_seconds", "asa_seconds")
    }
    rows = []
    for i, (start, name, calls) in enumerate(
        zip(starts.dt.to_pydatetime(), df["queue"].astype(str), df["calls"], strict=True)
    ):
        rows.append(
            IntervalStat(
                site=site,
                queue=queues[name],
                batch=batch,
                interval_start=start,
                interval_minutes=site.interval_minutes,
                offered=int(calls),
                answered=_cell(columns["answered"], i),
                abandoned=_cell(columns["abandoned"], i),
                answered_within_target=_cell(columns["answered_within_target"], i),
                aht_seconds=_cell(columns["aht_seconds"], i),
                asa_seconds=_cell(columns["asa_seconds"], i),
            )
        )
    with transaction.atomic():
        replaced = 0
        for name in names:
            mine = [r.interval_start for r in rows if r.queue.code == name]
            for k in range(0, len(mine), WRITE_CHUNK):
                chunk = mine[k : k + WRITE_CHUNK]
                replaced += IntervalStat.objects.filter(
                    queue=queues[name], interval_start__in=chunk
                ).delete()[0]
        IntervalStat.objects.bulk_create(rows, batch_size=WRITE_CHUNK)
        if records is not None:
            report.update(write_call_records(batch, records, queues))
        per_queue = df.groupby(df["queue"].astype(str))["calls"].agg(["count", "sum"])
        report.update(
            {
                "intervals written": len(rows),
                "intervals replaced (imported before)": replaced,
                "days": int(pd.to_datetime(df["interval_start"]).dt.normalize().nunique()),
                "per queue": {
                    q: {"intervals": int(r["count"]), "calls": int(r["sum"])}
                    for q, r in per_queue.iterrows()
                },
            }
        )
        record_update(
            batch,
            data={
                "status": ImportStatus.SUCCEEDED,
                "rows_read": int(report.get("rows read", 0)),
                "intervals_written": len(rows),
                "first_interval": min(r.interval_start for r in rows),
                "last_interval": max(r.interval_start for r in rows),
                "report": report,
            },
            actor=batch.created_by,
            verb="import_succeed",
        )
    return len(rows)


def import_fail(batch: ImportBatch, error: str, report: dict) -> None:
    report.pop(CALL_RECORDS_KEY, None)
    record_update(
        batch,
        data={"status": ImportStatus.FAILED, "report": {**report, "error": error}},
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
    caller's transaction). The calls of the same queues in the file's time span from earlier
    imports are replaced, so importing a file again changes nothing. The serving agent is
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
    replaced = CallRecord.objects.filter(
        site=site, queue_id__in=used, started_at__gte=first, started_at__lte=last
    ).delete()[0]
    CallRecord.objects.bulk_create(rows, batch_size=WRITE_CHUNK)
    return {
        "call records kept": len(rows),
        "call records replaced (imported before)": replaced,
        "calls matched to an employee": sum(1 for r in rows if r.employee_id),
        "ACD agents not matched to an employee": sorted(unmatched)[:MAX_REPORTED_PROBLEMS],
    }
