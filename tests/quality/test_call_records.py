"""The wfm import of per-call records keeps each call (CallRecord) in the same atomic
import, matched to the employee by the ACD agent login."""

from __future__ import annotations

import gzip

import pytest

from ccops.core import audit
from ccops.core.testing import build_world
from ccops.engine.io.errors import InputError
from ccops.people.models import Employee
from ccops.wfm import tasks
from ccops.wfm.models import CallRecord, IntervalStat
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
