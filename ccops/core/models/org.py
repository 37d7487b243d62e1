"""Sites, queues (service lines) and the period calendar."""

from __future__ import annotations

import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ccops.core.choices import Channel, IntervalMinutes, PeriodKind
from ccops.core.models.base import ActiveManager, ArchivableModel


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not a known time zone (e.g. Asia/Shanghai)"),
            params={"value": value},
        )


class Site(ArchivableModel):
    """A call-center site: its own time zone and interval length."""

    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Shanghai", validators=[validate_time_zone]
    )
    interval_minutes = models.PositiveSmallIntegerField(
        _("interval length"), choices=IntervalMinutes.choices, default=IntervalMinutes.THIRTY
    )
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(archived_at__isnull=True), name="core_site_code_active"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:site_detail", args=[self.pk])

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class QueueManager(ActiveManager):
    """A queue names its site (``Retail (sh)``): lists and choice fields fetch the site with
    it instead of one query per queue."""

    def get_queryset(self):
        return super().get_queryset().select_related("site")


class Queue(ArchivableModel):
    """A queue / service line of a site, with its service-level target."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="queues"
    )
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.VOICE
    )
    service_level_percent = models.PositiveSmallIntegerField(
        _("service level target (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    service_level_seconds = models.PositiveSmallIntegerField(
        _("answered within (seconds)"), default=20, validators=[MinValueValidator(1)]
    )
    description = models.TextField(_("description"), blank=True)

    objects = QueueManager()

    class Meta:
        ordering = ["site__code", "code"]
        verbose_name = _("queue")
        verbose_name_plural = _("queues")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "code"],
                condition=Q(archived_at__isnull=True),
                name="core_queue_site_code_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.site.code})"

    def get_absolute_url(self) -> str:
        return reverse("core:queue_detail", args=[self.pk])


class CalendarPeriod(ArchivableModel):
    """A dated period of the operations calendar: billing period, emergency, holiday, normal.

    ``start_date`` and ``end_date`` are both included (a one-day holiday has them equal).
    ``site`` empty means every site.
    """

    site = models.ForeignKey(
        Site,
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calendar_periods",
        help_text=_("Leave empty for every site."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PeriodKind.choices)
    name = models.CharField(_("name"), max_length=100)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["start_date", "kind"]
        verbose_name = _("calendar period")
        verbose_name_plural = _("calendar periods")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="core_calendarperiod_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start_date} – {self.end_date})"

    def get_absolute_url(self) -> str:
        return reverse("core:calendarperiod_detail", args=[self.pk])

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The last day is before the first day.")})

    def covers(self, day) -> bool:
        return self.start_date <= day <= self.end_date
