"""The monthly 100-point scorecard: a month of a site (computed, released, then frozen)
and one scorecard per agent; corrections are amendments with a reason."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ccops.core.limits import MAX_SHORT_TEXT, BoundedTextField
from ccops.core.models import ArchivableModel, SignableModel, Site
from ccops.people.models import Employee, Team
from ccops.quality.choices import ScorecardStatus


class ScorecardMonth(ArchivableModel):
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ScorecardStatus.choices,
        default=ScorecardStatus.DRAFT,
    )
    weights = models.JSONField(_("weights"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("released by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.JSONField(_("notes"), default=dict, blank=True)

    class Meta:
        ordering = ["-month", "-pk"]
        verbose_name = _("scorecard month")
        verbose_name_plural = _("scorecard months")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "month"],
                condition=Q(archived_at__isnull=True),
                name="quality_scorecardmonth_once",
            )
        ]

    def __str__(self) -> str:
        return str(_("Scorecards %(month)s") % {"month": f"{self.month:%Y-%m}"})

    def get_absolute_url(self) -> str:
        return reverse("quality:scorecardmonth_detail", args=[self.pk])

    @property
    def is_released(self) -> bool:
        return self.status == ScorecardStatus.RELEASED


class Scorecard(SignableModel):
    """One agent's month: four dimensions and the total, with what each came from
    (``details``). Signed (frozen) when the month is released; an amendment is a new
    scorecard with ``amends`` and a reason, signed at once."""

    month = models.ForeignKey(
        ScorecardMonth,
        verbose_name=_("month"),
        on_delete=models.PROTECT,
        related_name="scorecards",
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("agent"), on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    area = models.ForeignKey(
        Team,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    service_points = models.FloatField(_("service quality"))
    work_points = models.FloatField(_("work quality"))
    skills_points = models.FloatField(_("business skills"))
    discipline_points = models.FloatField(_("labour discipline"))
    total = models.FloatField(_("total"))
    qa_mean = models.FloatField(_("QA score"), null=True, blank=True)
    qa_count = models.PositiveSmallIntegerField(_("evaluations"), default=0)
    qa_margin = models.FloatField(_("QA margin of error (95 %)"), null=True, blank=True)
    complaint_points = models.FloatField(_("complaint deductions"), default=0)
    kpi_points = models.FloatField(_("KPI points"), default=0)
    skills_percent = models.FloatField(_("test result (%)"), null=True, blank=True)
    discipline_deducted = models.FloatField(_("discipline deductions"), default=0)
    details = models.JSONField(_("sources"), default=dict, blank=True)
    reason = BoundedTextField(_("reason for the amendment"), blank=True, max_length=MAX_SHORT_TEXT)

    restrict_owner_field = "employee__user"
    restrict_team_field = "employee__team"

    class Meta:
        ordering = ["month", "-total", "employee__employee_number"]
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "employee"],
                condition=Q(amends__isnull=True, archived_at__isnull=True),
                name="quality_scorecard_once",
            ),
            models.UniqueConstraint(
                fields=["amends"],
                condition=Q(amends__isnull=False, archived_at__isnull=True),
                name="quality_scorecard_one_amendment",
                violation_error_message=_("This scorecard has been amended already."),
            ),
        ]

    def __str__(self) -> str:
        label = f"{self.employee.full_name} {self.month.month:%Y-%m}"
        return f"{label} ({_('amendment')})" if self.amends_id else label

    def get_absolute_url(self) -> str:
        return reverse("quality:scorecard_detail", args=[self.pk])
