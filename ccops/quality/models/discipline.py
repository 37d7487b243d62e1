"""Labour-discipline records: derived from attendance (lateness, early leave, absence)
and missing handovers, or entered for breaches of the employee code; each deducts points
and the agent may appeal."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ccops.core.limits import MAX_SHORT_TEXT, BoundedTextField
from ccops.core.models import ArchivableModel, Site
from ccops.people.models import Employee
from ccops.quality.choices import DisciplineKind, DisciplineStatus


class DisciplineRecord(ArchivableModel):
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="+"
    )
    occurred_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=DisciplineKind.choices)
    description = BoundedTextField(_("what happened"), max_length=MAX_SHORT_TEXT)
    points = models.FloatField(
        _("points deducted"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    derived = models.BooleanField(_("derived from attendance or handovers"), default=False)
    attendance = models.ForeignKey(
        "shiftops.AttendanceRecord",
        verbose_name=_("attendance record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handover = models.ForeignKey(
        "shiftops.Handover",
        verbose_name=_("handover"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DisciplineStatus.choices,
        default=DisciplineStatus.RECORDED,
    )
    appeal_reason = BoundedTextField(_("appeal"), blank=True, max_length=MAX_SHORT_TEXT)
    appealed_at = models.DateTimeField(_("appealed"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("appeal decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("appeal decided"), null=True, blank=True)
    decision_note = BoundedTextField(_("decision"), blank=True, max_length=MAX_SHORT_TEXT)

    restrict_owner_field = "employee__user"
    restrict_team_field = "employee__team"

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("discipline record")
        verbose_name_plural = _("discipline records")
        constraints = [
            models.UniqueConstraint(
                fields=["attendance", "kind"],
                condition=Q(archived_at__isnull=True, attendance__isnull=False),
                name="quality_discipline_attendance_once",
            ),
            models.UniqueConstraint(
                fields=["handover", "employee"],
                condition=Q(archived_at__isnull=True, handover__isnull=False),
                name="quality_discipline_handover_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.employee.full_name} {self.occurred_on}"

    def get_absolute_url(self) -> str:
        return reverse("quality:disciplinerecord_detail", args=[self.pk])
