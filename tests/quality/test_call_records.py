"""The wfm import of per-call records keeps each call (CallRecord) in the same atomic
import, matched to the employee by the ACD agent login."""

from __future__ import annotations

import gzip

import pytest

from ccops.core import audit
from ccops.core.testing import build_world, race, requires_row_locks
from ccops.engine.io.errors import InputError
from ccops.people.models import Employee
from ccops.wfm import tasks
from ccops.wfm.models import CallRecord, ImportBatch, IntervalStat
from ccops.wfm.services import imports

pytestmark = pytest.mark.django_db

HEADER = (
    "vru+line,call_id,customer_id,priority,type,date,vru_entry,vru_exit,vru_time,q_start,"
    "q_exit,q_time,outcome,ser_start,ser_exit,ser_time,server\n"
)
ROWS = [
    "AA0101,33116,9664491,2,PS,990101,0:00:31,0:00:36,5,0:00:36,0:03:09,153,AGENT,0:03:09,0:06:49,220,MICHAL",
    "AA0101,33117,0,0,PS,990101,0:34:12,0:34:23,11,0:00:00,0:00:00,0,AGENT,0:34:22,0:37:00,158,DORIT",
    "AA0101,33118,0,0,PS,990101,0:37:16,0:37:20,4,0:37:20,0:38:02,42,HANG,0:00:00,0:00:00,0,NO_SERVER",
    "AA0102,33116,0,0,PS,990101,1:00:00,1:00:05,5,0:00:00,0:00:00,0,HANG,0:00:00,0:00:00,0,NO_SERVER",
]  # fmt: skip


def _file(rows=ROWS) -> bytes:
    return gzip.compress((HEADER + "\n".join(rows) + "\n").encode("ascii"))


def _run(w, content, **extra):
    actor = w.users["statistician"]
    batch = imports.import_create(
        site=w.site,
        preset="anonymous-bank",
        filename="ab.csv.gz",
        content=content,
        actor=actor,
        queue_map={"PS": w.queue.code},
        **extra,
    )
    imports.import_start(batch=batch, actor=actor)
    batch.refresh_from_db()
    tasks.import_run.call(job_id=batch.job_id, batch_id=batch.pk)
    batch.refresh_from_db()
    return batch


def test_per_call_import_keeps_calls_and_matches_agents():
    w = build_world()
    with audit.acting_as(None, via=audit.VIA_SYSTEM):
        Employee.objects.filter(pk=w.employees["agent"].pk).update(acd_login="MICHAL")
    batch = _run(w, _file())
    assert batch.status == "succeeded", batch.report
    calls = CallRecord.objects.filter(site=w.site).order_by("started_at")
    assert calls.count() == 3  # the call that hung up in the VRU is not kept
    michal = calls.get(agent_login="MICHAL")
    assert (
        michal.employee == w.employees["agent"] and michal.call_reference == "990101-AA0101-33116"
    )
    assert (
        michal.wait_seconds == 153 and michal.handle_seconds == 220 and michal.talk_seconds == 220
    )
    assert (michal.answered_at - michal.started_at).total_seconds() == 153
    assert (michal.ended_at - michal.answered_at).total_seconds() == 220
    abandoned = calls.get(outcome="abandoned")
    assert abandoned.employee is None and abandoned.handle_seconds is None
    assert batch.report["call records kept"] == 3
    assert batch.report["ACD agents not matched to an employee"] == ["DORIT"]
    # The same file again replaces the same calls: nothing changes.
    again = _run(w, _file())
    assert again.report["call records replaced (imported before)"] == 3
    assert CallRecord.objects.filter(site=w.site).count() == 3
    assert set(CallRecord.objects.values_list("batch", flat=True)) == {again.pk}


def test_a_bad_row_keeps_no_call_and_no_interval():
    w = build_world()
    bad = [
        *ROWS,
        "AA0101,33119,0,0,PS,990101,25:00:00,0:37:20,4,0:37:20,0:38:02,42,HANG,0:00:00,0:00:00,0,NO_SERVER",
    ]
    with pytest.raises(InputError, match="vru_entry"):
        _run(w, _file(bad))
    assert not CallRecord.objects.exists() and not IntervalStat.objects.exists()


def test_a_reimport_keeps_the_replaced_calls_and_counts_only_the_current_ones(client):
    """Issue 12.2: the call records a later import replaces are kept, linked to it, shown
    on its page and in its CSV, and no statistic counts them any more."""
    import datetime as dt

    from django.urls import reverse

    from ccops.core.audit import HardDeleteRefused
    from ccops.quality.services import evaluations as ev
    from ccops.quality.services import stats as st

    w = build_world()
    with audit.acting_as(None, via=audit.VIA_SYSTEM):
        Employee.objects.filter(pk=w.employees["agent"].pk).update(acd_login="MICHAL")
    first = _run(w, _file())
    assert first.status == "succeeded", first.report
    old_michal = CallRecord.objects.get(agent_login="MICHAL")
    changed = [ROWS[0].replace(",220,MICHAL", ",400,MICHAL"), *ROWS[1:]]
    again = _run(w, _file(changed))
    assert again.status == "review" and again.report["replaces"]["call_records"] == 3
    assert CallRecord.objects.filter(batch=again).count() == 0  # nothing written yet
    client.force_login(w.users["statistician"])
    review = client.get(again.get_absolute_url()).text
    assert "It also replaces 3 call records imported before" in review
    imports.import_confirm(batch=again, actor=w.users["statistician"])
    again.refresh_from_db()
    tasks.import_run.call(job_id=again.job_id, batch_id=again.pk)
    again.refresh_from_db()
    assert again.status == "succeeded", again.report
    assert again.report["call records replaced (imported before)"] == 3

    # kept: the earlier versions are still there, linked to the import that replaced them
    kept = CallRecord.all_objects.filter(superseded_by=again)
    assert kept.count() == 3 and set(kept.values_list("batch", flat=True)) == {first.pk}
    assert kept.get(pk=old_michal.pk).handle_seconds == 220
    assert all(c.superseded_at is not None for c in kept)
    assert CallRecord.all_objects.filter(site=w.site).count() == 6
    with pytest.raises(HardDeleteRefused):
        CallRecord.all_objects.filter(pk=old_michal.pk).delete()

    # counted once: lists, the QA sample and the agents' statistics see the current calls
    assert CallRecord.objects.filter(site=w.site).count() == 3
    assert set(CallRecord.objects.values_list("batch", flat=True)) == {again.pk}
    month = dt.date(1999, 1, 1)
    period = st.agent_stats_derive(site=w.site, month=month, actor=w.users["statistician"])
    row = period.rows.get(employee=w.employees["agent"])
    assert row.calls_handled == 1 and row.aht_seconds == 400
    lead = w.users["quality_supervisor"]
    plan = ev.qa_plan_create(site=w.site, month=month, name="Jan", actor=lead)
    assert list(ev.plan_candidates(plan).values_list("handle_seconds", flat=True)) == [400]

    # visible on both imports' pages, and all of them in a CSV
    page = client.get(again.get_absolute_url()).text
    assert "This import replaced 3 call records imported before" in page
    assert "990101-AA0101-33116" in page
    assert reverse("wfm:importbatch_replaced_calls", args=[again.pk]) in page
    earlier_page = client.get(first.get_absolute_url()).text
    assert "3 call records of this import were replaced by a later import" in earlier_page
    csv_text = client.get(reverse("wfm:importbatch_replaced_calls", args=[again.pk])).text
    lines = csv_text.lstrip("\ufeff").splitlines()
    assert len(lines) == 4 and "990101-AA0101-33116" in csv_text and ",220.0," in csv_text
    assert client.get(reverse("wfm:importbatch_replaced_calls", args=[first.pk])).status_code == 404


@requires_row_locks()
@pytest.mark.django_db(transaction=True)
def test_parallel_imports_of_the_same_calls_count_each_call_once():
    """Two imports of the same calls written at the same moment: they write one after the
    other (the queues are locked), the later supersedes the earlier, each call counts once."""
    w = build_world()
    actor = w.users["statistician"]
    batches = []
    for _ in range(2):
        batch = imports.import_create(
            site=w.site,
            preset="anonymous-bank",
            filename="ab.csv.gz",
            content=_file(),
            actor=actor,
            queue_map={"PS": w.queue.code},
        )
        imports.import_start(batch=batch, actor=actor)
        batch.refresh_from_db()
        batches.append(batch)

    def run(batch):
        return lambda: tasks.import_run.call(job_id=batch.job_id, batch_id=batch.pk)

    outcome = race(run(batches[0]), run(batches[1]))
    assert outcome.errors == [None, None], outcome.errors
    statuses = set(ImportBatch.objects.values_list("status", flat=True))
    assert statuses == {"succeeded"}
    assert CallRecord.objects.filter(site=w.site).count() == 3
    assert CallRecord.all_objects.filter(site=w.site).count() == 6
    assert CallRecord.all_objects.filter(superseded_by__isnull=False).count() == 3
    assert IntervalStat.objects.filter(queue=w.queue).count() == 48
