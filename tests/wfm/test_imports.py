"""Imports from the browser and the API: background task, validation report, atomicity."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ccops.core.models import Job
from ccops.core.testing import build_world
from ccops.engine.io.errors import InputError
from ccops.wfm import tasks
from ccops.wfm.models import ImportBatch, IntervalStat
from ccops.wfm.services import imports
from tests.wfm.helpers import local

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 2)
HEADER = "call_id,arrival,queue,outcome,wait_seconds,handle_seconds,service_start,agent,priority\n"


def calls_csv(queue: str, *, bad_line: bool = False) -> bytes:
    rows = [
        f"1,2026-03-02T08:00:03,{queue},answered,5,100,2026-03-02T08:00:08,A1,0",
        f"2,2026-03-02T08:10:00,{queue},answered,30,200,2026-03-02T08:10:30,A1,0",
        f"3,2026-03-02T08:40:00,{queue},abandoned,12,,,,0",
        f"4,2026-03-02T09:05:00,{queue},ivr_only,,,,,0",
    ]
    if bad_line:
        rows.append(f"5,2026-03-02T25:00:00,{queue},answered,1,1,,A1,0")
    return (HEADER + "\n".join(rows) + "\n").encode()


def run(batch: ImportBatch) -> None:
    batch.refresh_from_db()
    tasks.import_run.call(job_id=batch.job_id, batch_id=batch.pk)


def start(world, content: bytes, **extra) -> ImportBatch:
    actor = world.users["statistician"]
    batch = imports.import_create(
        site=world.site,
        preset="ccops-calls",
        filename="calls.csv",
        content=content,
        actor=actor,
        **extra,
    )
    imports.import_start(batch=batch, actor=actor)
    return batch


def test_import_calls_writes_intervals_idempotently():
    world = build_world()
    batch = start(world, calls_csv(world.queue.code))
    run(batch)
    batch.refresh_from_db()
    assert batch.status == "succeeded", batch.report
    stats = IntervalStat.objects.filter(queue=world.queue)
    assert stats.count() == 48  # the whole covered day, 30-minute intervals
    eight = stats.get(interval_start=local(world.site, DAY, 8))
    assert (eight.offered, eight.answered, eight.answered_within_target) == (2, 2, 1)
    assert eight.aht_seconds == pytest.approx(150)
    assert stats.get(interval_start=local(world.site, DAY, 8, 30)).abandoned == 1
    assert batch.report["skipped: left in the IVR"] == 1
    assert batch.report["per queue"][world.queue.code]["calls"] == 3
    assert Job.objects.get(pk=batch.job_id).status == "succeeded"
    again = start(world, calls_csv(world.queue.code))
    run(again)
    again.refresh_from_db()
    assert again.report["intervals replaced (imported before)"] == 48
    assert IntervalStat.objects.filter(queue=world.queue).count() == 48
    assert set(IntervalStat.objects.values_list("batch", flat=True)) == {again.pk}


def test_bad_row_imports_nothing_and_reports_line():
    world = build_world()
    batch = start(world, calls_csv(world.queue.code, bad_line=True))
    with pytest.raises(InputError):
        run(batch)
    batch.refresh_from_db()
    assert batch.status == "failed"
    assert "line 6" in batch.report["error"] and "arrival" in batch.report["error"]
    assert not IntervalStat.objects.exists()
    assert Job.objects.get(pk=batch.job_id).status == "failed"


def test_unknown_queue_refused_then_mapped():
    world = build_world()
    batch = start(world, calls_csv("Retail Hotline"))
    with pytest.raises(ValueError, match="Retail Hotline"):
        run(batch)
    batch.refresh_from_db()
    assert batch.status == "failed" and not IntervalStat.objects.exists()
    mapped = start(
        world, calls_csv("Retail Hotline"), queue_map={"Retail Hotline": world.queue.code}
    )
    run(mapped)
    assert IntervalStat.objects.filter(queue=world.queue).count() == 48


def test_upload_page_and_api(client):
    world = build_world()
    client.force_login(world.users["statistician"])
    response = client.post(
        reverse("wfm:importbatch_add"),
        {
            "site": world.site.pk,
            "preset": "ccops-calls",
            "file": SimpleUploadedFile("calls.csv", calls_csv(world.queue.code)),
            "queue_map": "",
        },
    )
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert response["Location"] == batch.get_absolute_url()
    page = client.get(batch.get_absolute_url())
    assert page.status_code == 200 and b"progressbar" in page.content
    run(batch)
    page = client.get(batch.get_absolute_url())
    assert b"intervals written" in page.content
    api = client.post(
        "/api/v1/wfm/imports/",
        {
            "site": world.site.pk,
            "preset": "ccops-calls",
            "file": SimpleUploadedFile("calls.csv", calls_csv(world.queue.code)),
        },
    )
    assert api.status_code == 201, api.content
    assert api.json()["status"] == "queued" and api.json()["job"]
    bad = client.post(
        "/api/v1/wfm/imports/",
        {"site": world.site.pk, "preset": "nope", "file": SimpleUploadedFile("x.csv", b"a")},
    )
    assert bad.status_code == 422
    client.force_login(world.users["agent"])
    assert client.get("/api/v1/wfm/interval-stats/").status_code == 403
