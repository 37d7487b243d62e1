"""Calibration sessions: several evaluators score the same call blind to each other and
are compared with an expert's or the agreed consensus answers."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ccops.core.limits import MAX_SHORT_TEXT, BoundedTextField
from ccops.core.models import ArchivableModel, AuditedModel, Site
from ccops.people.models import Employee
from ccops.quality.choices import CalibrationStatus, ReferenceMethod
from ccops.quality.models._locks import LockedWithParent
from ccops.quality.models.forms import FormQuestion, FormVersion


class CalibrationSession(ArchivableModel):
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    form_version = models.ForeignKey(
        FormVersion,
        verbose_name=_("form version"),
        on_delete=models.PROTECT,
        related_name="calibrations",
    )
    call = models.ForeignKey(
        "wfm.CallRecord",
        verbose_name=_("call"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    call_reference = models.CharField(_("call reference"), max_length=100)
    recording_url = models.URLField(_("recording"), max_length=500, blank=True)
    method = models.CharField(
        _("reference answers"),
        max_length=10,
        choices=ReferenceMethod.choices,
        default=ReferenceMethod.EXPERT,
    )
    expert = models.ForeignKey(
        Employee,
        verbose_name=_("expert"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    participants = models.ManyToManyField(
        Employee, verbose_name=_("evaluators"), related_name="calibrations"
    )
    due_date = models.DateField(_("score by"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CalibrationStatus.choices,
        default=CalibrationStatus.OPEN,
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    alpha = models.FloatField(_("Krippendorff's alpha"), null=True, blank=True)
    results = models.JSONField(_("results"), default=dict, blank=True)

    restrict_owner_field = "participants__user"

    class Meta:
        ordering = ["-due_date", "-pk"]
        verbose_name = _("calibration session")
        verbose_name_plural = _("calibration sessions")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("quality:calibrationsession_detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.status == CalibrationStatus.CLOSED


class CalibrationScore(LockedWithParent, AuditedModel):
    """One evaluator's blind scoring (or the reference answers, ``is_reference``)."""

    lock_parent_field = "session"

    session = models.ForeignKey(
        CalibrationSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="scores",
    )
    evaluator = models.ForeignKey(
        Employee, verbose_name=_("evaluator"), on_delete=models.PROTECT, related_name="+"
    )
    is_reference = models.BooleanField(_("reference answers"), default=False)
    score = models.FloatField(_("score"), null=True, blank=True)
    critical_score = models.FloatField(_("critical score"), null=True, blank=True)
    fatal = models.BooleanField(_("auto-fail"), default=False)
    note = BoundedTextField(_("note"), blank=True, max_length=MAX_SHORT_TEXT)

    class Meta:
        ordering = ["session", "is_reference", "pk"]
        verbose_name = _("calibration score")
        verbose_name_plural = _("calibration scores")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "evaluator", "is_reference"],
                name="quality_calibrationscore_once",
            ),
            models.UniqueConstraint(
                fields=["session"],
                condition=models.Q(is_reference=True),
                name="quality_calibration_one_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.evaluator.full_name}"

    def get_absolute_url(self) -> str:
        return self.session.get_absolute_url()


class CalibrationAnswer(LockedWithParent, AuditedModel):
    lock_parent_field = "score_row"

    score_row = models.ForeignKey(
        CalibrationScore,
        verbose_name=_("score"),
        on_delete=models.PROTECT,
        related_name="answers",
    )
    question = models.ForeignKey(
        FormQuestion, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.FloatField(_("answer"), null=True, blank=True)
    na = models.BooleanField(_("N/A"), default=False)
    comment = BoundedTextField(_("comment"), blank=True, max_length=MAX_SHORT_TEXT)

    class Meta:
        ordering = ["score_row", "pk"]
        verbose_name = _("calibration answer")
        verbose_name_plural = _("calibration answers")
        constraints = [
            models.UniqueConstraint(
                fields=["score_row", "question"], name="quality_calibrationanswer_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question}: {'N/A' if self.na else self.value}"
