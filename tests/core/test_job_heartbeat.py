"""Jobs survive their worker: heartbeats, a job whose worker is gone is retried once then
failed with a plain message (and its record with it), a database error inside a task
leaves the job and its record failed without SQL, workers record their own heartbeat, and
`ccops demo` restarts a dead worker."""

from __future__ import annotations

import io
import sys
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from ccops.core import jobs
from ccops.core.jobs import JobAbandoned, job_enqueue, job_run, jobs_reap_stale
from ccops.core.models import AuditEntry, Job, WorkerHeartbeat
from ccops.core.testing import build_world, make_user
from tests.core.test_jobs import run_worker  # noqa: F401  (the fixture)


@task()
def slow_task(job_id: int, seconds: float = 0.5) -> None:
    with job_run(job_id):
        time.sleep(seconds)


@task()
def bad_sql_task(job_id: int) -> None:
    with job_run(job_id) as run:
        run.progress(0.3, "writing")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO ccops_no_such_table (secret_column) VALUES (1)")


def _as_if_its_worker_died(job: Job, *, attempts: int = 1) -> None:
    """The state a killed worker leaves: job running, no heartbeat for a long time."""
    long_ago = timezone.now() - timedelta(seconds=jobs.stale_seconds() + 30)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING,
        progress=0.6,
        heartbeat_at=long_ago,
        started_at=long_ago,
        attempts=attempts,
        worker_id="gone-host:4242",
    )
    DBTaskResult.objects.filter(id=job.task_result_id).update(status="RUNNING")


SEEN: list = []


@task()
def watched_task(job_id: int) -> None:
    with job_run(job_id):
        started = Job.objects.get(pk=job_id).heartbeat_at
        time.sleep(0.6)  # a long solver step: no progress reports
        SEEN.append(Job.objects.get(pk=job_id).heartbeat_at - started)


@pytest.mark.django_db(transaction=True)
def test_a_running_task_writes_its_heartbeat(settings):
    if connection.vendor == "sqlite":
        # The in-memory test database (one shared cache) has no busy timeout: a read in
        # the task while the heartbeat thread writes fails at random. A real SQLite file
        # waits (busy timeout); the thread itself is checked on the PostgreSQL run.
        pytest.skip("two threads writing the in-memory SQLite test database: PostgreSQL run")
    settings.CCOPS_JOB_HEARTBEAT_SECONDS = 0.05
    job = job_enqueue(watched_task, kind="test.slow", title="Slow", owner=make_user("agent"))
    watched_task.call(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.attempts == 1
    assert SEEN[-1] >= timedelta(seconds=0.3)  # beaten while the task slept
    assert job.worker_id == jobs.WORKER_ID


@pytest.mark.django_db
def test_a_job_whose_worker_died_is_retried_once_then_runs(client, run_worker):  # noqa: F811
    w = build_world()
    manager = w.users["group_manager"]
    client.force_login(manager)
    client.post(reverse("people:roster_export"))
    job = Job.objects.get(owner=manager)
    first_task = job.task_result_id
    _as_if_its_worker_died(job)

    assert [j.pk for j in jobs_reap_stale()] == [job.pk]
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.task_result_id != first_task
    assert "worker running it stopped" in job.message
    assert DBTaskResult.objects.get(id=first_task).status == "FAILED"
    assert "job_retry" in AuditEntry.objects.for_object(job).values_list("action", flat=True)
    assert jobs_reap_stale() == []  # queued jobs are not reaped

    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.attempts == 2


@pytest.mark.django_db
def test_the_second_time_the_job_and_its_import_are_failed_plainly(client):
    from tests.wfm.test_imports import calls_csv, start

    w = build_world()
    batch = start(w, calls_csv(w.queue.code))
    batch.refresh_from_db()
    job = batch.job
    _as_if_its_worker_died(job, attempts=2)  # already retried once

    jobs_reap_stale()
    job.refresh_from_db()
    batch.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.finished_at is not None
    assert "The worker running this task stopped" in job.message
    assert batch.status == "failed" and "worker running this task stopped" in batch.report["error"]
    client.force_login(w.users["statistician"])
    page = client.get(job.get_absolute_url()).text
    assert (
        "The worker running this task stopped" in page
        and "running" not in page.lower().split("<main>")[1].split("badge")[1][:20]
    )


@pytest.mark.django_db
def test_the_message_is_in_the_owners_language():
    owner = make_user("statistician")
    with __import__("django.utils.translation", fromlist=["override"]).override("zh-hans"):
        job = job_enqueue(slow_task, kind="test.slow", title="Slow", owner=owner)
    _as_if_its_worker_died(job, attempts=2)
    jobs_reap_stale()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "The worker" not in job.message
    assert "后台进程" in job.message


@pytest.mark.django_db
def test_a_run_that_was_given_up_cannot_finish_later():
    job = job_enqueue(slow_task, kind="test.slow", title="Slow", owner=make_user("statistician"))
    with pytest.raises(JobAbandoned), job_run(job.pk) as run:
        # while this run is stuck, its job is reaped and enqueued again
        _as_if_its_worker_died(job, attempts=1)
        jobs_reap_stale()
        run.progress(0.9, "still here")
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.progress == 0.0


@pytest.mark.django_db(transaction=True)
def test_a_database_error_fails_the_job_with_a_plain_message(client):
    user = make_user("statistician")
    job = job_enqueue(bad_sql_task, kind="test.sql", title="Bad SQL", owner=user)
    with pytest.raises(Exception):  # noqa: B017 - the database's own error class
        bad_sql_task.call(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.finished_at is not None
    assert "database refused" in job.message
    assert "ccops_no_such_table" not in job.message + job.error
    client.force_login(user)
    page = client.get(job.get_absolute_url()).text
    assert "database refused" in page and "secret_column" not in page and "INSERT" not in page


@pytest.mark.django_db(transaction=True)
def test_a_database_error_while_importing_fails_the_batch_too(monkeypatch):
    from ccops.wfm import tasks
    from ccops.wfm.services import imports
    from tests.wfm.test_imports import calls_csv, start

    def broken_write(batch, df, report, **kwargs):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE ccops_no_such_table SET secret_column = 1")

    monkeypatch.setattr(imports, "write_batch", broken_write)
    w = build_world()
    batch = start(w, calls_csv(w.queue.code))
    batch.refresh_from_db()
    with pytest.raises(Exception):  # noqa: B017
        tasks.import_run.call(job_id=batch.job_id, batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == "failed" and "database refused" in batch.report["error"]
    assert "ccops_no_such_table" not in str(batch.report)
    assert Job.objects.get(pk=batch.job_id).status == Job.Status.FAILED


@pytest.mark.django_db
def test_the_worker_records_its_heartbeat(run_worker):  # noqa: F811
    before = timezone.now()
    run_worker()
    beat = WorkerHeartbeat.objects.get()
    assert beat.seen_at >= before and beat.worker_id.endswith(":test")


def test_the_demo_restarts_a_dead_worker():
    from ccops.cli.demo import WorkerSupervisor

    out = io.StringIO()
    sup = WorkerSupervisor([sys.executable, "-c", "import time; time.sleep(60)"], out=out)
    sup._spawn()
    try:
        first = sup.process
        assert sup.check() is False  # alive: nothing to do
        first.kill()
        first.wait()
        assert sup.check() is True
        assert sup.process.pid != first.pid and sup.process.poll() is None
        assert "started a new one" in out.getvalue()
        sup.max_restarts = 1  # a worker that keeps dying is not restarted for ever
        sup.process.kill()
        sup.process.wait()
        assert sup.check() is False and "keeps stopping" in out.getvalue()
    finally:
        sup.stop()
