"""Imported interval statistics and forecasts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ccops.core import formats
from ccops.core.engine_messages import data_text
from ccops.core.models import ArchivableModel, Job, Queue, Site
from ccops.core.models.base import AuditedQuerySet
from ccops.wfm.choices import CallOutcome, ForecastStatus, ImportKind, ImportStatus
from ccops.wfm.import_labels import preset_label


class MeasurementQuerySet(AuditedQuerySet):
    """Measurements (interval counts, forecast values) are written in bulk by an import or a
    forecast job: that job's own row (``ImportBatch``, ``Forecast``) is the audited record,
    so the thousands of values are not logged one by one."""

    def bulk_create(self, objs, *args, **kwargs):
        return models.QuerySet.bulk_create(self, objs, *args, **kwargs)

    def delete(self):
        return models.QuerySet.delete(self)

    delete.queryset_only = True


class CallRecordQuerySet(AuditedQuerySet):
    """Call records are written in bulk by an import (its ``ImportBatch`` is the audited
    record) and never deleted: a later import of the same calls supersedes them
    (``superseded_by``), which keeps them."""

    def bulk_create(self, objs, *args, **kwargs):
        return models.QuerySet.bulk_create(self, objs, *args, **kwargs)

    def current(self):
        return self.filter(superseded_by__isnull=True)

    def superseded(self):
        return self.filter(superseded_by__isnull=False)


class CurrentCallRecordManager(models.Manager.from_queryset(CallRecordQuerySet)):
    """The default manager of call records: only the current ones (not superseded by a
    later import), so that lists, the QA sample and every statistic count each call once."""

    def get_queryset(self):
        return super().get_queryset().filter(superseded_by__isnull=True)


class ImportBatch(ArchivableModel):
    """One import of call records or an interval report, with its validation report."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ImportKind.choices)
    preset = models.CharField(_("format"), max_length=60)
    filename = models.CharField(_("file name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    job = models.ForeignKey(
        Job,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    intervals_written = models.PositiveIntegerField(_("intervals written"), default=0)
    first_interval = models.DateTimeField(_("first interval"), null=True, blank=True)
    last_interval = models.DateTimeField(_("last interval"), null=True, blank=True)
    report = models.JSONField(_("validation report"), default=dict, blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    #: The uploaded file, kept in the database so that a worker on another machine reads it.
    content = models.BinaryField(null=True, blank=True, editable=False)
    #: The earlier interval values this import replaced with different ones (a gzipped
    #: interval-history CSV with the UTC start, the queue code and the import that wrote
    #: them): replaced data is kept, never silently deleted.
    superseded = models.BinaryField(null=True, blank=True, editable=False)

    audit_exclude = ("content", "superseded")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    #: Display-only columns of the import list.
    column_labels = {"format_label": _("format"), "problem": _("problem")}

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("wfm:importbatch_detail", args=[self.pk])

    @property
    def format_label(self) -> str:
        """The format in the reader's language (``ccops.wfm.import_labels``)."""
        return preset_label(self.preset)

    @property
    def problem(self) -> str:
        """Why a failed import wrote nothing, in the reader's language (the engine's
        message worded from its code, see ``ccops.core.engine_messages``); empty otherwise."""
        report = self.report or {}
        if report.get("error_data"):
            return data_text(report["error_data"])
        return str(report.get("error") or "")


class IntervalStat(models.Model):
    """Counts of one queue in one interval ``[interval_start, +interval_minutes)`` (UTC)."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    queue = models.ForeignKey(
        Queue, verbose_name=_("queue"), on_delete=models.PROTECT, related_name="interval_stats"
    )
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("import"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="intervals",
    )
    interval_start = models.DateTimeField(_("interval start"))
    interval_minutes = models.PositiveSmallIntegerField(_("interval length"), default=30)
    offered = models.PositiveIntegerField(_("offered"))
    answered = models.PositiveIntegerField(_("answered"), null=True, blank=True)
    abandoned = models.PositiveIntegerField(_("abandoned"), null=True, blank=True)
    answered_within_target = models.PositiveIntegerField(
        _("answered within target"), null=True, blank=True
    )
    aht_seconds = models.FloatField(_("AHT (s)"), null=True, blank=True)
    asa_seconds = models.FloatField(_("ASA (s)"), null=True, blank=True)

    objects = models.Manager.from_queryset(MeasurementQuerySet)()

    class Meta:
        ordering = ["queue", "interval_start"]
        verbose_name = _("interval statistic")
        verbose_name_plural = _("interval statistics")
        constraints = [
            models.UniqueConstraint(
                fields=["queue", "interval_start"], name="wfm_intervalstat_queue_interval"
            )
        ]
        indexes = [models.Index(fields=["site", "interval_start"])]

    def __str__(self) -> str:
        when = formats.format_datetime(self.interval_start, self.site)
        return f"{self.queue_id} {when}: {self.offered}"


class CallRecord(models.Model):
    """One call as the ACD recorded it, kept from an import of per-call records (the same
    import that adds them up into ``IntervalStat``): the QA sample is drawn from these and
    the agents' work statistics are derived from them. Times are UTC; durations in seconds,
    ``None`` where the export has no value. ``employee`` is the serving agent, matched by
    the employee's ACD agent login (``agent_login``)."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    queue = models.ForeignKey(
        Queue, verbose_name=_("queue"), on_delete=models.PROTECT, related_name="call_records"
    )
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("import"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="call_records",
    )
    call_reference = models.CharField(_("call reference"), max_length=100, blank=True)
    started_at = models.DateTimeField(_("started"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=CallOutcome.choices)
    wait_seconds = models.FloatField(_("wait (s)"), null=True, blank=True)
    talk_seconds = models.FloatField(_("talk (s)"), null=True, blank=True)
    hold_seconds = models.FloatField(_("hold (s)"), null=True, blank=True)
    acw_seconds = models.FloatField(_("after-call work (s)"), null=True, blank=True)
    handle_seconds = models.FloatField(_("handle time (s)"), null=True, blank=True)
    transferred = models.BooleanField(_("transferred"), default=False)
    agent_login = models.CharField(_("ACD agent"), max_length=60, blank=True)
    employee = models.ForeignKey(
        "people.Employee",
        verbose_name=_("agent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    #: The later import that replaced this record (``None``: the record is current). A
    #: superseded record is kept, linked to that import, and counted nowhere.
    superseded_by = models.ForeignKey(
        ImportBatch,
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="superseded_call_records",
    )
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True, editable=False)

    objects = CurrentCallRecordManager()
    #: Every record, the superseded ones too.
    all_objects = models.Manager.from_queryset(CallRecordQuerySet)()

    restrict_owner_field = "employee__user"
    restrict_team_field = "employee__team"

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("call record")
        verbose_name_plural = _("call records")
        indexes = [
            models.Index(fields=["site", "started_at"]),
            models.Index(fields=["employee", "started_at"]),
            models.Index(fields=["site", "call_reference"]),
        ]

    def __str__(self) -> str:
        if self.call_reference:
            return self.call_reference
        return f"{self.queue_id} {formats.format_datetime(self.started_at, self.site)}"


class Forecast(ArchivableModel):
    """A version of the volume and handle-time forecast of one queue over a horizon."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    queue = models.ForeignKey(
        Queue, verbose_name=_("queue"), on_delete=models.PROTECT, related_name="forecasts"
    )
    version = models.PositiveIntegerField(_("version"))
    horizon_start = models.DateField(_("first day"))
    horizon_days = models.PositiveSmallIntegerField(_("days"))
    interval_minutes = models.PositiveSmallIntegerField(_("interval length"), default=30)
    method = models.CharField(_("method"), max_length=40)
    status = models.CharField(
        _("status"), max_length=10, choices=ForecastStatus.choices, default=ForecastStatus.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    job = models.ForeignKey(
        Job,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history_start = models.DateField(_("history from"), null=True, blank=True)
    history_end = models.DateField(_("history to"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    #: A planner's manual adjustment is a new version: ``based_on`` is the version it
    #: changed (kept as it was), ``adjustment`` what was changed and why (days, percent or
    #: calls, the factor applied, the calls before and after, the reason).
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("adjusted from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adjusted_versions",
    )
    adjustment = models.JSONField(_("adjustment"), default=dict, blank=True)

    class Meta:
        ordering = ["queue", "-version"]
        verbose_name = _("forecast")
        verbose_name_plural = _("forecasts")
        constraints = [
            models.UniqueConstraint(fields=["queue", "version"], name="wfm_forecast_version")
        ]

    def __str__(self) -> str:
        return f"{self.queue.name} v{self.version} ({self.horizon_start})"

    def get_absolute_url(self) -> str:
        return reverse("wfm:forecast_detail", args=[self.pk])


class ForecastInterval(models.Model):
    """The forecast of one interval (UTC start) of a forecast version."""

    forecast = models.ForeignKey(
        Forecast, verbose_name=_("forecast"), on_delete=models.PROTECT, related_name="intervals"
    )
    interval_start = models.DateTimeField(_("interval start"))
    calls = models.FloatField(_("calls"))
    #: The 80 % band of the calls (``None`` in versions computed before it was stored).
    calls_low = models.FloatField(_("calls, low"), null=True, blank=True)
    calls_high = models.FloatField(_("calls, high"), null=True, blank=True)
    aht_seconds = models.FloatField(_("AHT (s)"))

    objects = models.Manager.from_queryset(MeasurementQuerySet)()

    class Meta:
        ordering = ["forecast", "interval_start"]
        verbose_name = _("forecast interval")
        verbose_name_plural = _("forecast intervals")
        constraints = [
            models.UniqueConstraint(
                fields=["forecast", "interval_start"], name="wfm_forecastinterval_once"
            )
        ]

    def __str__(self) -> str:
        when = formats.format_datetime(self.interval_start, self.forecast.site)
        return f"{when}: {self.calls:.1f}"
