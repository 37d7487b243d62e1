"""Work quality from the system's reports: per-agent monthly statistics (imported from an
ACD agent report or derived from per-call records), signed by the statistician, and the
site's rules turning each KPI into points."""

from __future__ import annotations

import itertools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ccops.core.limits import MAX_SHORT_TEXT, BoundedTextField
from ccops.core.models import ArchivableModel, AuditedModel, SignableModel, Site
from ccops.people.models import Employee
from ccops.quality.choices import KPI, Better, StatSource
from ccops.quality.models._locks import LockedWithParent


class AgentStatMonth(SignableModel):
    """A month's per-agent figures of a site. The statistician reviews and signs them;
    signed figures are immutable (a correction is an amendment, signed again)."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"))
    source = models.CharField(_("source"), max_length=10, choices=StatSource.choices)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    note = BoundedTextField(_("note"), blank=True, max_length=MAX_SHORT_TEXT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-month", "-pk"]
        verbose_name = _("agent statistics month")
        verbose_name_plural = _("agent statistics months")

    def __str__(self) -> str:
        label = _("Agent statistics %(month)s") % {"month": f"{self.month:%Y-%m}"}
        return f"{label} ({_('amendment')})" if self.amends_id else str(label)

    def get_absolute_url(self) -> str:
        return reverse("quality:agentstatmonth_detail", args=[self.pk])


class AgentMonthStat(LockedWithParent, AuditedModel):
    """One agent's figures of a month (``None``: not in the source)."""

    lock_parent_field = "period"

    period = models.ForeignKey(
        AgentStatMonth, verbose_name=_("month"), on_delete=models.PROTECT, related_name="rows"
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("agent"), on_delete=models.PROTECT, related_name="+"
    )
    calls_handled = models.PositiveIntegerField(_("calls handled"), default=0)
    aht_seconds = models.FloatField(_("AHT (s)"), null=True, blank=True)
    talk_seconds = models.FloatField(_("talk (s)"), null=True, blank=True)
    hold_seconds = models.FloatField(_("hold (s)"), null=True, blank=True)
    acw_seconds = models.FloatField(_("after-call work (s)"), null=True, blank=True)
    transfers = models.PositiveIntegerField(_("transfers"), default=0)
    transfer_rate = models.FloatField(_("transfer rate"), null=True, blank=True)
    login_seconds = models.FloatField(_("login time (s)"), null=True, blank=True)
    ready_seconds = models.FloatField(_("ready time (s)"), null=True, blank=True)
    adherence_percent = models.FloatField(_("adherence (%)"), null=True, blank=True)
    csat = models.FloatField(_("customer satisfaction"), null=True, blank=True)
    days_with_calls = models.PositiveSmallIntegerField(_("days with calls"), null=True, blank=True)

    restrict_owner_field = "employee__user"
    restrict_team_field = "employee__team"

    class Meta:
        ordering = ["period", "employee__employee_number"]
        verbose_name = _("agent month statistics")
        verbose_name_plural = _("agent month statistics")
        constraints = [
            models.UniqueConstraint(fields=["period", "employee"], name="quality_agentstat_once")
        ]

    def __str__(self) -> str:
        return f"{self.employee.full_name} {self.period.month:%Y-%m}"

    def get_absolute_url(self) -> str:
        return self.period.get_absolute_url()

    @property
    def ready_ratio(self):
        if self.login_seconds and self.ready_seconds is not None:
            return self.ready_seconds / self.login_seconds
        return None

    def kpi_value(self, kpi: str):
        return self.ready_ratio if kpi == KPI.READY_RATIO else getattr(self, kpi)


class KPIRule(ArchivableModel):
    """Points of one KPI by bands against targets, set per site: with "lower is better"
    a value within a threshold earns its points, with "higher is better" a value reaching
    it."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    kpi = models.CharField(_("KPI"), max_length=20, choices=KPI.choices)
    better = models.CharField(_("direction"), max_length=6, choices=Better.choices)
    thresholds = models.JSONField(_("thresholds"), help_text=_("Ascending, e.g. 300, 360, 420."))
    points = models.JSONField(_("points"), help_text=_("One per threshold, e.g. 10, 7, 4."))
    order = models.PositiveSmallIntegerField(_("order"), default=10)

    class Meta:
        ordering = ["site", "order", "pk"]
        verbose_name = _("KPI rule")
        verbose_name_plural = _("KPI rules")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "kpi"],
                condition=Q(archived_at__isnull=True),
                name="quality_kpirule_once",
                violation_error_message=_("The site already has a rule for this KPI."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kpi_display()} ({self.site.code})"

    def get_absolute_url(self) -> str:
        return reverse("quality:kpirule_detail", args=[self.pk])

    def clean(self) -> None:
        th, pts = self.thresholds, self.points
        if not isinstance(th, list) or not isinstance(pts, list) or not th or len(th) != len(pts):
            raise ValidationError({"points": _("Give one number of points for each threshold.")})
        try:
            th = [float(v) for v in th]
            pts = [float(v) for v in pts]
        except (TypeError, ValueError):
            raise ValidationError({"thresholds": _("Thresholds and points are numbers.")}) from None
        if any(b <= a for a, b in itertools.pairwise(th)):
            raise ValidationError({"thresholds": _("Thresholds must be ascending.")})
        if any(p < 0 for p in pts):
            raise ValidationError({"points": _("Points cannot be negative.")})
        self.thresholds, self.points = th, pts

    @property
    def max_points(self) -> float:
        return max((float(p) for p in self.points or []), default=0.0)

    @property
    def bands(self) -> list[tuple[float, float]]:
        return list(zip(self.thresholds or [], self.points or [], strict=False))
