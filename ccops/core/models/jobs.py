"""Background jobs as the user sees them: kind, owner, status, progress and result."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ccops.core.models.base import AuditedModel


class Job(AuditedModel):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="jobs",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.FloatField(_("progress"), default=0.0)
    # the language of the request that started the job: the worker speaks it, so the
    # owner reads progress messages and errors in their own language
    language = models.CharField(_("language"), max_length=15, blank=True)
    message = models.CharField(_("message"), max_length=300, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    result_text = models.TextField(_("result file"), blank=True)
    result_filename = models.CharField(_("result file name"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    task_result_id = models.CharField(_("task id"), max_length=64, blank=True, db_index=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # written by the running task every few seconds: a running job whose heartbeat stops
    # lost its worker (ccops.core.jobs.jobs_reap_stale retries or fails it)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    worker_id = models.CharField(_("worker"), max_length=200, blank=True)

    restrict_owner_field = "owner"
    # Progress ticks are not worth an audit entry; status changes are.
    audit_exclude = ("progress", "message", "result_text", "task_result_id", "heartbeat_at")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("background task")
        verbose_name_plural = _("background tasks")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("core:job_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}

    @property
    def percent(self) -> int:
        return round(max(0.0, min(1.0, self.progress)) * 100)


class WorkerHeartbeat(models.Model):
    """A ``ccops worker`` process and when it was last seen alive (for ``/healthz``).

    Written every few seconds by the worker itself; not audited (it is a pulse, not a
    record of anyone's work)."""

    worker_id = models.CharField(_("worker"), max_length=200, unique=True)
    hostname = models.CharField(_("host"), max_length=200)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started"))
    seen_at = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        ordering = ["-seen_at"]
        verbose_name = _("worker")
        verbose_name_plural = _("workers")

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"
