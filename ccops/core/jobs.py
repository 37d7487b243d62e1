"""Background jobs with visible progress, on top of Django's task framework (django-tasks).

Write a task as a module-level function decorated with ``@task()`` that takes ``job_id`` and
runs its work inside :func:`job_run`; start it with :func:`job_enqueue`::

    from django_tasks import task
    from ccops.core.jobs import job_enqueue, job_run

    @task()
    def roster_export(job_id: int) -> None:
        with job_run(job_id) as run:
            for i, row in enumerate(rows):
                ...
                run.progress((i + 1) / len(rows), _("Exporting"))
            run.succeed({"rows": len(rows)}, text=csv_text, filename="roster.csv")

    job = job_enqueue(roster_export, kind="people.roster_export", title=..., owner=user)

Inside ``job_run`` every audited change is attributed to the job's owner, via ``task``,
and the language of the request that enqueued the job is active, so progress messages and
errors are written in the language their reader chose.
Workers (``ccops worker``) may run on other machines sharing the PostgreSQL database.

Jobs survive their worker: while a task runs, a heartbeat thread writes
``Job.heartbeat_at`` every ``CCOPS_JOB_HEARTBEAT_SECONDS`` (progress reports do too). A
running job without a heartbeat for ``CCOPS_JOB_STALE_SECONDS`` lost its worker (killed,
machine gone): :func:`jobs_reap_stale`, run by every worker, enqueues it again once
(``CCOPS_JOB_RETRIES``) and then marks it failed with a plain message; the task's
:func:`on_abandoned` handler marks its own record (an import batch, a forecast) failed too.
A task that fails records a plain message (:func:`plain_error`): a database error never
shows its SQL to the user; the details go to the server log.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import traceback
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ccops.core import audit, engine_messages
from ccops.core.models import Job, WorkerHeartbeat
from ccops.engine.io.errors import InputError

logger = logging.getLogger("ccops.jobs")

# "host:pid" of this process (``ccops worker`` adds its worker id)
WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"


def heartbeat_seconds() -> float:
    return float(getattr(settings, "CCOPS_JOB_HEARTBEAT_SECONDS", 10))


def stale_seconds() -> float:
    return float(getattr(settings, "CCOPS_JOB_STALE_SECONDS", 120))


def job_enqueue(task, *, kind: str, title: str, owner, **kwargs: Any) -> Job:
    """Create the :class:`Job` row and enqueue ``task(job_id=..., **kwargs)``.

    ``task`` is a task or its dotted name (``"ccops.wfm.tasks.schedule_run"``): services
    enqueue by name, so that tasks may call services without an import cycle."""
    if isinstance(task, str):
        from django.utils.module_loading import import_string

        task = import_string(task)
    with transaction.atomic():
        with audit.action("job_enqueue"):
            job = Job.objects.create(
                kind=kind,
                title=str(title)[:200],
                owner=owner,
                language=translation.get_language() or "",
            )
        result = task.enqueue(job_id=job.pk, **kwargs)
    Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))
    job.refresh_from_db()
    return job


class JobAbandoned(Exception):
    """This run's job was given up (its heartbeat had stopped) and retried or failed
    elsewhere: the run stops without writing anything more."""


def plain_error(exc: BaseException) -> str:
    """What to tell the job's owner about ``exc``, in the active language: never a
    database message (it quotes SQL); the messages of a ValidationError; an engine's
    ``InputError`` worded by :mod:`ccops.core.engine_messages`; else its text."""
    if isinstance(exc, DatabaseError):
        return _(
            "The database refused the task's changes, so none of them were saved. Try "
            "again; if it fails again, an administrator finds the details in the server log."
        )
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    if isinstance(exc, InputError):  # the engine's message, in the reader's language
        return engine_messages.error_text(exc)
    return str(exc) or type(exc).__name__


class JobRun:
    """Handle given to a running task to report progress and the result."""

    def __init__(self, job: Job):
        self.job = job
        self.finished = False

    def _mine(self):
        return Job.objects.filter(
            pk=self.job.pk, status=Job.Status.RUNNING, attempts=self.job.attempts
        )

    def progress(self, fraction: float, message: str = "") -> None:
        """Report progress (0 to 1) and what is being done; seen live on "My tasks"."""
        fraction = max(0.0, min(1.0, float(fraction)))
        updated = self._mine().update(
            progress=fraction, message=str(message)[:300], heartbeat_at=timezone.now()
        )
        if not updated:
            raise JobAbandoned(self.job.pk)
        self.job.progress = fraction
        self.job.message = str(message)[:300]

    def succeed(self, result: dict | None = None, *, text: str = "", filename: str = "") -> None:
        """Finish successfully with a JSON summary and optionally a downloadable text file."""
        job = self.job
        if not self._mine().exists():
            raise JobAbandoned(job.pk)
        job.status = Job.Status.SUCCEEDED
        job.progress = 1.0
        job.result = result
        job.result_text = text
        job.result_filename = filename
        job.finished_at = job.heartbeat_at = timezone.now()
        with audit.action("job_succeed"):
            job.save()
        self.finished = True


class _Heartbeat(threading.Thread):
    """Writes the job's heartbeat every few seconds while the task runs (a long solver
    step reports no progress but is alive). Its own database connection, closed at the
    end; a failed write (SQLite busy with the task's own transaction) is retried next time."""

    def __init__(self, job: Job, interval: float):
        super().__init__(name=f"job-{job.pk}-heartbeat", daemon=True)
        self.job_pk, self.attempt, self.interval = job.pk, job.attempts, interval
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.interval):
                try:
                    Job.objects.filter(
                        pk=self.job_pk, status=Job.Status.RUNNING, attempts=self.attempt
                    ).update(heartbeat_at=timezone.now())
                except DatabaseError:
                    logger.warning("job %s: heartbeat not written (database busy)", self.job_pk)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=self.interval + 5)


def _write_failure(job_pk: int, exc: BaseException) -> None:
    message = plain_error(exc)
    if isinstance(exc, DatabaseError):
        # the SQL stays in the server log, not on the owner's page
        error = f"{type(exc).__name__}: {message}"
    else:
        error = f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc()}"
    job = Job.objects.get(pk=job_pk)
    if job.is_finished:
        return
    job.status = Job.Status.FAILED
    job.error = error[:20000]
    job.message = message[:300]
    job.finished_at = timezone.now()
    with audit.action("job_fail"):
        job.save()


def _record_failure(job_pk: int, exc: BaseException) -> None:
    """Mark the job failed, even when ``exc`` broke the database connection."""
    logger.error("job %s failed", job_pk, exc_info=exc)
    try:
        _write_failure(job_pk, exc)
    except DatabaseError:
        if connection.in_atomic_block:
            raise
        connection.close()  # a lost or broken connection: the next query reconnects
        _write_failure(job_pk, exc)


@contextlib.contextmanager
def job_run(job_id: int) -> Iterator[JobRun]:
    """Mark the job running, attribute changes to its owner, keep its heartbeat, record
    success or failure."""
    job = Job.objects.select_related("owner").get(pk=job_id)
    if job.is_finished:
        raise JobAbandoned(job.pk)
    now = timezone.now()
    job.status = Job.Status.RUNNING
    job.started_at = now
    job.heartbeat_at = now
    job.attempts += 1
    job.worker_id = WORKER_ID[:200]
    with (
        translation.override(job.language or None),
        audit.acting_as(job.owner, via=audit.VIA_TASK),
    ):
        with audit.action("job_start"):
            job.save()
        beat = _Heartbeat(job, heartbeat_seconds())
        beat.start()
        run = JobRun(job)
        try:
            yield run
            if not run.finished:
                run.succeed(None)
        except JobAbandoned:
            raise
        except Exception as exc:
            _record_failure(job.pk, exc)
            raise
        finally:
            beat.stop()


# --- jobs whose worker is gone ----------------------------------------------------------

_ABANDONED_HANDLERS: dict[str, Callable] = {}


def on_abandoned(task):
    """Register ``handler(job=, kwargs=, message=)`` to run when a job of ``task`` is given
    up because its worker is gone (mark the task's own record failed)::

        @on_abandoned(import_run)
        def _import_abandoned(*, job, kwargs, message):
            ...
    """

    def register(handler: Callable) -> Callable:
        _ABANDONED_HANDLERS[task.module_path] = handler
        return handler

    return register


def _stale(queryset, threshold):
    return queryset.filter(status=Job.Status.RUNNING).filter(
        Q(heartbeat_at__lt=threshold) | Q(heartbeat_at__isnull=True, started_at__lt=threshold)
    )


def jobs_reap_stale() -> list[Job]:
    """Retry (once) or fail every running job whose heartbeat stopped; returns them."""
    threshold = timezone.now() - timedelta(seconds=stale_seconds())
    reaped = []
    for pk in list(_stale(Job.objects.all(), threshold).values_list("pk", flat=True)):
        job = _reap(pk, threshold)
        if job is not None:
            reaped.append(job)
    return reaped


@transaction.atomic
def _reap(pk: int, threshold) -> Job | None:
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    job = _stale(Job.objects.select_for_update(), threshold).filter(pk=pk).first()
    if job is None:  # finished, or reaped by another worker meanwhile
        return None
    old = DBTaskResult.objects.filter(id=job.task_result_id).first() if job.task_result_id else None
    task = None
    if old is not None:
        if old.status not in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED):
            DBTaskResult.objects.filter(pk=old.pk).update(
                status=TaskResultStatus.FAILED, finished_at=timezone.now()
            )
        try:
            task = old.task
        except Exception:  # the task no longer exists in this version
            logger.exception("job %s: its task %s cannot be loaded", job.pk, old.task_path)
    seconds = int(stale_seconds())
    with (
        translation.override(job.language or None),
        audit.acting_as(None, via=audit.VIA_SYSTEM),
    ):
        if task is not None and job.attempts <= int(getattr(settings, "CCOPS_JOB_RETRIES", 1)):
            args = old.args_kwargs.get("args", [])
            kwargs = old.args_kwargs.get("kwargs", {})
            result = task.enqueue(*args, **kwargs)
            job.status = Job.Status.QUEUED
            job.progress = 0.0
            job.message = _(
                "Started again: the worker running it stopped (no sign of life for %(s)d s)."
            ) % {"s": seconds}
            job.task_result_id = str(result.id)
            job.started_at = job.heartbeat_at = None
            with audit.action("job_retry"):
                job.save()
            logger.warning("job %s: worker %s gone, enqueued again", job.pk, job.worker_id)
            return job
        job.status = Job.Status.FAILED
        job.message = _(
            "The worker running this task stopped (no sign of life for %(s)d s), so it did "
            "not finish. Start it again."
        ) % {"s": seconds}
        job.error = ""  # the message says it all; the worker's name is in the server log
        job.finished_at = timezone.now()
        with audit.action("job_fail"):
            job.save()
        logger.warning("job %s: worker %s gone, marked failed", job.pk, job.worker_id)
        handler = _ABANDONED_HANDLERS.get(old.task_path) if old is not None else None
        if handler is not None:
            handler(job=job, kwargs=old.args_kwargs.get("kwargs", {}), message=job.message)
    return job


# --- the worker's own heartbeat (/healthz) ----------------------------------------------


class WorkerPulse:
    """``ccops worker``'s sign of life: its :class:`WorkerHeartbeat` row, written every
    ``CCOPS_JOB_HEARTBEAT_SECONDS`` from a thread, which also reaps stale jobs."""

    def __init__(self, worker_id: str):
        self.worker_id = f"{WORKER_ID}:{worker_id}"[:200]
        self.started_at = timezone.now()
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None

    def pulse(self) -> None:
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname()[:200],
                "pid": os.getpid(),
                "started_at": self.started_at,
                "seen_at": now,
            },
        )
        jobs_reap_stale()

    def _loop(self) -> None:
        try:
            while True:
                try:
                    self.pulse()
                except Exception:  # never let the pulse kill the worker
                    logger.exception("worker heartbeat failed")
                if self.stopped.wait(heartbeat_seconds()):
                    return
        finally:
            connection.close()

    def start(self) -> None:
        self.thread = threading.Thread(target=self._loop, name="worker-pulse", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        if self.thread is not None:
            self.thread.join(timeout=heartbeat_seconds() + 5)
