"""Imports from the browser and the API: background task, validation report, atomicity."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ccops.core.models import Job
from ccops.core.testing import build_world, race, requires_row_locks
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


def start(
    world, content: bytes, *, preset="ccops-calls", filename="calls.csv", **extra
) -> ImportBatch:
    actor = world.users["statistician"]
    batch = imports.import_create(
        site=world.site,
        preset=preset,
        filename=filename,
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
    assert batch.report["skipped: left in the IVR before queueing"] == 1
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


# --- limits, confirmation, presets (issue 12.2, issue 18.5) ---------------------------------


def morning_and_afternoon(queue: str) -> tuple[bytes, bytes]:
    morning = calls_csv(queue)
    afternoon = (
        HEADER + f"9,2026-03-02T15:05:00,{queue},answered,4,120,2026-03-02T15:05:04,A1,0\n"
    ).encode()
    return morning, afternoon


def confirm_page(client, batch, **data):
    return client.post(reverse("wfm:importbatch_confirm", args=[batch.pk]), data)


def test_a_partial_day_asks_first_and_can_keep_the_earlier_intervals(client):
    world = build_world()
    morning, afternoon = morning_and_afternoon(world.queue.code)
    run(start(world, morning))
    later = start(world, afternoon)
    run(later)
    later.refresh_from_db()
    assert later.status == "review"
    plan = later.report["replaces"]
    assert plan["outside_file"] == 2 and plan["outside_file_calls"] == 3
    assert plan["lines"][0]["day"] == "2026-03-02" and plan["lines"][0]["calls_before"] == 3
    assert IntervalStat.objects.filter(batch=later).count() == 0  # nothing written yet
    client.force_login(world.users["statistician"])
    page = client.get(later.get_absolute_url()).text
    assert "Replace earlier values?" in page and "Import and replace" in page
    assert confirm_page(client, later, keep_earlier="on").status_code == 302
    run(later)
    later.refresh_from_db()
    assert later.status == "succeeded" and later.options["keep_earlier"] is True
    assert later.report["earlier intervals kept outside the file's time span"] == 2
    stats = IntervalStat.objects.filter(queue=world.queue)
    assert stats.count() == 48 and sum(s.offered for s in stats) == 4
    assert stats.get(interval_start=local(world.site, DAY, 15)).offered == 1
    # a second confirmation of the same import is refused, not run twice
    assert confirm_page(client, later).status_code == 302
    assert later.job_id == ImportBatch.objects.get(pk=later.pk).job_id


def test_replaced_values_are_kept_as_a_superseded_version(client):
    world = build_world()
    morning, afternoon = morning_and_afternoon(world.queue.code)
    first = start(world, morning)
    run(first)
    later = start(world, afternoon)
    run(later)
    imports.import_confirm(batch=later, actor=world.users["statistician"])
    run(later)
    later.refresh_from_db()
    assert later.report["intervals changed (earlier values kept with this import)"] == 3
    stats = IntervalStat.objects.filter(queue=world.queue)
    assert sum(s.offered for s in stats) == 1  # the morning was set to 0, as confirmed
    client.force_login(world.users["statistician"])
    response = client.get(reverse("wfm:importbatch_superseded", args=[later.pk]))
    assert response.status_code == 200, response.status_code
    csv = response.text
    lines = csv.splitlines()
    assert lines[0].startswith("interval_start,queue,calls,answered")
    assert len(lines) == 4 and lines[1].endswith(f",{first.pk}")
    assert "2026-03-02T00:00:00Z," in lines[1]  # 08:00 in Shanghai, in UTC


def test_changed_values_ask_first_and_cancel_writes_nothing():
    world = build_world()
    run(start(world, calls_csv(world.queue.code)))
    before = list(IntervalStat.objects.values_list("offered", flat=True))
    changed = calls_csv(world.queue.code).replace(b",answered,30,", b",abandoned,30,")
    batch = start(world, changed)
    run(batch)
    batch.refresh_from_db()
    assert batch.status == "review" and batch.report["replaces"]["intervals"] == 1
    assert batch.report["replaces"]["outside_file"] == 0
    imports.import_cancel(batch=batch, actor=world.users["statistician"])
    batch.refresh_from_db()
    assert batch.status == "cancelled"
    assert list(IntervalStat.objects.values_list("offered", flat=True)) == before
    with pytest.raises(ValidationError):  # Conflict: no longer awaiting confirmation
        imports.import_confirm(batch=batch, actor=world.users["statistician"])


def test_a_gzip_bomb_fails_early_with_a_short_report(monkeypatch):
    import gzip
    import json

    from ccops.core.models import AuditEntry
    from ccops.engine.io import limits

    monkeypatch.setattr(limits, "MAX_DECOMPRESSED_BYTES", 1024 * 1024)
    world = build_world()
    bomb = gzip.compress(HEADER.encode() + b"1,2026-03-02T08:00:00," + b"9" * 20_000_000)
    batch = start(world, bomb, preset="ccops-calls", filename="calls.csv.gz")
    with pytest.raises(InputError):
        run(batch)
    batch.refresh_from_db()
    assert batch.status == "failed"
    assert batch.report["error"].startswith("calls.csv.gz: the file decompresses to more than 1 MB")
    assert len(json.dumps(batch.report)) < 1000 and not IntervalStat.objects.exists()
    audit = AuditEntry.objects.filter(object_id=str(batch.pk))
    assert max(len(json.dumps(a.changes, default=str)) for a in audit) < 2000


def test_the_report_lists_the_first_twenty_bad_values_of_the_uploaded_file():
    world = build_world()
    rows = [
        f"{i},2026-03-02T08:{i:02d}:00,{world.queue.code},answered,{'x' if i % 2 else 1},1,,A1,0"
        for i in range(50)
    ]
    rows[1] = rows[1].replace("A1", "A" * 500)
    batch = start(world, (HEADER + "\n".join(rows) + "\n").encode())
    with pytest.raises(InputError):
        run(batch)
    batch.refresh_from_db()
    problems = batch.report["problems"]
    assert len(problems) == 20 and problems[0].startswith("line 3, column 'agent', value 'AAAA")
    assert "(500 characters): value longer than 255 characters" in problems[0]
    assert problems[1].startswith("line 5, column 'wait_seconds', value 'x'")
    assert batch.report["error"] == "calls.csv: 25 bad values; the first 20 are listed"
    assert "/tmp" not in str(batch.report)


def test_answered_above_offered_is_refused_naming_row_field_value():
    world = build_world()
    content = (
        "interval_start,queue,offered,answered,abandoned,answered_within_target,"
        "aht_seconds,asa_seconds\n"
        f"2026-03-02T08:00:00,{world.queue.code},5,7,0,3,100,4\n"
    ).encode()
    batch = start(world, content, preset="generic-interval", filename="report.csv")
    with pytest.raises(InputError):
        run(batch)
    batch.refresh_from_db()
    assert batch.report["error"] == (
        "report.csv, line 2, column 'answered', value '7': more calls answered than offered "
        "(offered)"
    )


def test_ccops_history_and_utc_presets_work_from_the_web():
    world = build_world()
    q = world.queue.code
    history = (
        "interval_start,queue,calls,answered,abandoned,answered_within_target,aht_seconds,"
        f"asa_seconds\n2026-03-02T08:00:00,{q},3,2,1,2,150.00,10.00\n"
    ).encode()
    batch = start(world, history, preset="ccops-history", filename="history.csv")
    run(batch)
    batch.refresh_from_db()
    assert batch.status == "succeeded", batch.report
    assert IntervalStat.objects.get(interval_start=local(world.site, DAY, 8)).offered == 3
    genesys = (
        "Date,Queue,Abandoned,Total Queue,Total Talk,Total Hold,Total ACW,Users - Interacted\n"
        f"2026-03-03T01:10:00.000Z,{q},NO,5000,60000,0,10000,Ann\n"  # 09:10 in Shanghai
    ).encode()
    batch = start(world, genesys, preset="genesys-cloud-interactions", filename="interactions.csv")
    run(batch)
    batch.refresh_from_db()
    assert batch.status == "succeeded", batch.report
    nine = IntervalStat.objects.get(interval_start=local(world.site, date(2026, 3, 3), 9))
    assert nine.offered == 1 and nine.aht_seconds == pytest.approx(70)


def test_the_ccops_history_preset_reads_a_history_with_only_the_required_columns(client):
    world = build_world()
    q = world.queue.code
    history = f"interval_start,queue,calls\n2026-03-02T08:00:00,{q},3\n".encode()
    batch = start(world, history, preset="ccops-history", filename="history.csv")
    run(batch)
    batch.refresh_from_db()
    assert batch.status == "succeeded", batch.report
    eight = IntervalStat.objects.get(interval_start=local(world.site, DAY, 8))
    assert (eight.offered, eight.answered, eight.aht_seconds) == (3, None, None)
    assert IntervalStat.objects.filter(queue=world.queue).count() == 48
    client.force_login(world.users["statistician"])
    page = client.get(reverse("wfm:importbatch_add")).text
    assert '<code>aht_seconds</code> <span class="muted">(optional)</span>' in page


def test_the_form_preselects_the_one_site_lists_each_format_once_and_shows_options(client):
    world = build_world()
    client.force_login(world.users["statistician"])
    page = client.get(reverse("wfm:importbatch_add")).text
    assert page.count('<option value="anonymous-bank"') == 1
    assert '<option value="ccops-history"' in page
    assert f'<option value="{world.site.pk}" selected>' in page
    batch = start(world, calls_csv("Retail"), queue_map={"Retail": world.queue.code})
    detail = client.get(batch.get_absolute_url()).text
    assert "queue_map" not in detail and "<code>Retail</code>" in detail
    bad = client.post(
        reverse("wfm:importbatch_add"),
        {
            "site": world.site.pk,
            "preset": "ccops-calls",
            "file": SimpleUploadedFile("calls.csv", b"x"),
            "queue_map": "Retail",
        },
    )
    assert "Write each queue mapping as SOURCE=QUEUE_CODE, got &#x27;Retail&#x27;." in bad.text


def test_an_upload_above_the_limit_is_refused_before_it_is_read(client, monkeypatch):
    from ccops.engine.io import limits

    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 1000)
    world = build_world()
    client.force_login(world.users["statistician"])
    response = client.post(
        reverse("wfm:importbatch_add"),
        {
            "site": world.site.pk,
            "preset": "ccops-calls",
            "file": SimpleUploadedFile("calls.csv", b"x" * 1001),
        },
    )
    assert response.status_code == 200 and "The file is larger than 1 KB." in response.text
    api = client.post(
        "/api/v1/wfm/imports/",
        {
            "site": world.site.pk,
            "preset": "ccops-calls",
            "file": SimpleUploadedFile("calls.csv", b"x" * 1001),
        },
    )
    assert api.status_code == 422 and "larger than 1 KB" in api.json()["errors"][0]["message"]
    assert not ImportBatch.objects.exists()


@requires_row_locks()
@pytest.mark.django_db(transaction=True)
def test_parallel_confirmations_write_once():
    from django.test import Client

    world = build_world()
    morning, afternoon = morning_and_afternoon(world.queue.code)
    run(start(world, morning))
    later = start(world, afternoon)
    run(later)
    url = f"/api/v1/wfm/imports/{later.pk}/"

    def post(action):
        def go():
            c = Client()
            c.force_login(world.users["statistician"])
            return c.post(url + action, {}, content_type="application/json")

        return go

    outcome = race(post("confirm"), post("confirm"), post("cancel"))
    assert outcome.errors == [None] * 3, outcome.errors
    statuses = sorted(outcome.statuses)
    assert statuses.count(200) == 1 and set(statuses) - {200} == {409}, statuses
    later.refresh_from_db()
    assert later.status in ("queued", "cancelled")
    assert Job.objects.filter(kind="wfm.import").count() == 2 + (later.status == "queued")


def test_an_oversized_request_is_refused_before_its_body_is_read(client, settings):
    settings.CCOPS_MAX_REQUEST_BYTES = 5000
    world = build_world()
    client.force_login(world.users["statistician"])
    upload = {"site": world.site.pk, "preset": "ccops-calls"}
    upload["file"] = SimpleUploadedFile("calls.csv", b"x" * 6000)
    page = client.post(reverse("wfm:importbatch_add"), upload)
    assert page.status_code == 413 and "larger than 5 KB" in page.text
    upload["file"] = SimpleUploadedFile("calls.csv", b"x" * 6000)
    api = client.post("/api/v1/wfm/imports/", upload)
    assert api.status_code == 413 and "larger than 5 KB" in api.json()["detail"]


def test_uploads_above_a_megabyte_are_spooled_to_disk_not_memory():
    from django.core.files.uploadedfile import InMemoryUploadedFile, TemporaryUploadedFile
    from django.test import RequestFactory

    def uploaded(size: int):
        request = RequestFactory().post("/", {"file": SimpleUploadedFile("calls.csv", b"x" * size)})
        return request.FILES["file"]

    assert isinstance(uploaded(100_000), InMemoryUploadedFile)
    big = uploaded(2 * 1024 * 1024)
    assert isinstance(big, TemporaryUploadedFile) and big.size == 2 * 1024 * 1024
