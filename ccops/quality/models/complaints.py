"""Customer complaints (registered, investigated by QA, closed with an outcome that
counts toward service quality), imported post-call satisfaction scores, and the monthly
complaint summary for the monthly operations meeting."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ccops.core.limits import MAX_SHORT_TEXT, BoundedTextField
from ccops.core.models import ArchivableModel, AuditedModel, Queue, Site
from ccops.people.models import Employee
from ccops.quality.choices import (
    ComplaintCategory,
    ComplaintChannel,
    ComplaintOutcome,
    ComplaintStatus,
)


class Complaint(ArchivableModel):
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    received_on = models.DateField(_("received on"))
    channel = models.CharField(_("channel"), max_length=10, choices=ComplaintChannel.choices)
    category = models.CharField(_("category"), max_length=20, choices=ComplaintCategory.choices)
    customer = models.CharField(_("customer"), max_length=120, blank=True)
    call = models.ForeignKey(
        "wfm.CallRecord",
        verbose_name=_("call"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    call_reference = models.CharField(_("call reference"), max_length=100, blank=True)
    agent = models.ForeignKey(
        Employee,
        verbose_name=_("agent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    queue = models.ForeignKey(
        Queue,
        verbose_name=_("queue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = BoundedTextField(_("complaint"), max_length=MAX_SHORT_TEXT)
    status = models.CharField(
        _("status"),
        max_length=14,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.REGISTERED,
    )
    investigator = models.ForeignKey(
        Employee,
        verbose_name=_("investigated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    findings = BoundedTextField(_("findings"), blank=True, max_length=MAX_SHORT_TEXT)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=ComplaintOutcome.choices, blank=True
    )
    points = models.FloatField(
        _("points deducted"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    restrict_owner_field = "agent__user"
    restrict_team_field = "agent__team"

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")

    def __str__(self) -> str:
        return str(_("Complaint #%(n)s") % {"n": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("quality:complaint_detail", args=[self.pk])


class SatisfactionImport(ArchivableModel):
    """One file of post-call satisfaction scores (imported atomically)."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField(_("file name"), max_length=200)
    scale_max = models.PositiveSmallIntegerField(_("best score"), default=5)
    rows = models.PositiveIntegerField(_("scores"), default=0)
    matched = models.PositiveIntegerField(_("matched to a call"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("satisfaction import")
        verbose_name_plural = _("satisfaction imports")

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("quality:satisfactionimport_detail", args=[self.pk])


class SatisfactionScore(AuditedModel):
    """A post-call survey score of one call (``score`` of ``scale_max``)."""

    batch = models.ForeignKey(
        SatisfactionImport,
        verbose_name=_("import"),
        on_delete=models.PROTECT,
        related_name="scores",
    )
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    call_reference = models.CharField(_("call reference"), max_length=100)
    call = models.ForeignKey(
        "wfm.CallRecord",
        verbose_name=_("call"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agent = models.ForeignKey(
        Employee,
        verbose_name=_("agent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    score = models.FloatField(_("score"))
    scale_max = models.PositiveSmallIntegerField(_("best score"), default=5)
    surveyed_at = models.DateTimeField(_("surveyed"))

    restrict_owner_field = "agent__user"
    restrict_team_field = "agent__team"

    class Meta:
        ordering = ["-surveyed_at", "-pk"]
        verbose_name = _("satisfaction score")
        verbose_name_plural = _("satisfaction scores")
        indexes = [models.Index(fields=["site", "surveyed_at"])]

    def __str__(self) -> str:
        return f"{self.call_reference}: {self.score:g}/{self.scale_max}"


class ComplaintSummary(ArchivableModel):
    """The month's complaint figures, put on the agenda of a monthly operations meeting."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"))
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-month", "-pk"]
        verbose_name = _("complaint summary")
        verbose_name_plural = _("complaint summaries")

    def __str__(self) -> str:
        return str(_("Complaint summary %(month)s") % {"month": f"{self.month:%Y-%m}"})

    def get_absolute_url(self) -> str:
        return reverse("quality:complaintsummary_detail", args=[self.pk])
