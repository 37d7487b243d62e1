"""Background tasks: enqueue from a page, run by `ccops worker`, progress and result seen
in the UI and the API, failures recorded."""

from __future__ import annotations

import signal

import pytest
from django.urls import reverse
from django_tasks import task

from ccops.cli import main
from ccops.core.jobs import job_enqueue, job_run
from ccops.core.models import AuditEntry, Job
from ccops.core.testing import build_world, make_user


@task()
def failing_task(job_id: int) -> None:
    with job_run(job_id) as run:
        run.progress(0.5, "half way")
        raise RuntimeError("the forecast did not converge")


@pytest.fixture
def run_worker(monkeypatch):
    """Run `ccops worker --batch` in this process (restoring the signal handlers after).

    The worker closes stale connections between tasks; inside the test's transaction that
    would close the test's own connection (PostgreSQL), so that step is skipped here."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}

    def run():
        assert main(["worker", "--batch", "--no-migrate", "--worker-id", "test"]) == 0

    yield run
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def test_roster_export_runs_in_the_worker(client, db, run_worker):
    w = build_world()
    manager = w.users["group_manager"]
    client.force_login(manager)
    response = client.post(reverse("people:roster_export"))
    job = Job.objects.get(owner=manager)
    assert response["Location"] == job.get_absolute_url()
    assert job.status == Job.Status.QUEUED and job.task_result_id
    queued = client.get(reverse("core:job_progress", args=[job.pk])).text
    assert "hx-get" in queued  # the page keeps polling while it waits

    run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.progress == 1.0
    assert job.result == {"employees": 2}  # the manager's group: the agent and the manager
    csv_text = client.get(reverse("core:job_download", args=[job.pk])).content.decode()
    assert w.employees["agent"].employee_number in csv_text
    assert w.other_employee.employee_number not in csv_text
    done = client.get(reverse("core:job_progress", args=[job.pk])).text
    assert "hx-get" not in done and "roster.csv" in done
    api = client.get(f"/api/v1/core/tasks/{job.pk}").json()
    assert api["status"] == "succeeded" and api["percent"] == 100
    entries = AuditEntry.objects.for_object(job).order_by("id")
    assert [e.action for e in entries] == ["job_enqueue", "job_start", "job_succeed"]
    assert {(e.actor_id, e.via) for e in entries[1:]} == {(manager.pk, "task")}


def test_a_failing_task_is_recorded(client, db, run_worker):
    user = make_user("statistician")
    job = job_enqueue(failing_task, kind="test.fail", title="Failing", owner=user)
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "the forecast did not converge" in job.error and job.progress == 0.5
    client.force_login(user)
    page = client.get(job.get_absolute_url()).text
    assert "the forecast did not converge" in page


def test_my_tasks_page_shows_only_my_jobs(client, db):
    w = build_world()
    mine = Job.objects.create(kind="k", title="Mine", owner=w.users["agent"])
    Job.objects.create(kind="k", title="Theirs", owner=w.other_agent)
    client.force_login(w.users["agent"])
    page = client.get(reverse("core:job_list"))
    assert list(page.context["object_list"]) == [mine]


def test_worker_refuses_bad_arguments(capsys, db):
    assert main(["worker", "--batch", "--no-migrate", "--interval", "-1"]) == 2
    assert "--interval" in capsys.readouterr().err


def test_a_job_speaks_the_language_of_the_request_that_started_it(client, db, run_worker):
    from django.conf import settings

    w = build_world()
    manager = w.users["group_manager"]
    client.force_login(manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    client.post(reverse("people:roster_export"))
    job = Job.objects.get(owner=manager)
    assert job.language == "zh-hans"
    run_worker()  # the worker itself runs in the default language
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.message == "已处理 2 / 2 名员工"
    # a job started in English reports in English
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(reverse("people:roster_export"))
    run_worker()
    latest = Job.objects.filter(owner=manager).exclude(pk=job.pk).get()
    assert latest.language == "en" and latest.message == "2 of 2 employees"
