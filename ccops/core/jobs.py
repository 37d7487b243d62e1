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
"""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.utils import timezone, translation

from ccops.core import audit
from ccops.core.models import Job


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


class JobRun:
    """Handle given to a running task to report progress and the result."""

    def __init__(self, job: Job):
        self.job = job
        self.finished = False

    def progress(self, fraction: float, message: str = "") -> None:
        """Report progress (0 to 1) and what is being done; seen live on "My tasks"."""
        fraction = max(0.0, min(1.0, float(fraction)))
        Job.objects.filter(pk=self.job.pk).update(progress=fraction, message=str(message)[:300])
        self.job.progress = fraction
        self.job.message = str(message)[:300]

    def succeed(self, result: dict | None = None, *, text: str = "", filename: str = "") -> None:
        """Finish successfully with a JSON summary and optionally a downloadable text file."""
        job = self.job
        job.status = Job.Status.SUCCEEDED
        job.progress = 1.0
        job.result = result
        job.result_text = text
        job.result_filename = filename
        job.finished_at = timezone.now()
        with audit.action("job_succeed"):
            job.save()
        self.finished = True


@contextlib.contextmanager
def job_run(job_id: int) -> Iterator[JobRun]:
    """Mark the job running, attribute changes to its owner, record success or failure."""
    job = Job.objects.select_related("owner").get(pk=job_id)
    job.status = Job.Status.RUNNING
    job.started_at = timezone.now()
    with (
        translation.override(job.language or None),
        audit.acting_as(job.owner, via=audit.VIA_TASK),
    ):
        with audit.action("job_start"):
            job.save()
        run = JobRun(job)
        try:
            yield run
        except Exception as exc:
            job.refresh_from_db()
            job.status = Job.Status.FAILED
            job.error = f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc()}"[:20000]
            job.message = str(exc)[:300]
            job.finished_at = timezone.now()
            with audit.action("job_fail"):
                job.save()
            raise
        if not run.finished:
            run.succeed(None)
