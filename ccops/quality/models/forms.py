"""Evaluation forms: versions, weighted sections and questions, and the per-site settings
of the quality app."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ccops.core.limits import MAX_SHORT_TEXT, BoundedTextField
from ccops.core.models import ArchivableModel, AuditedModel, Queue, Site
from ccops.people.models import Skill
from ccops.quality.choices import FatalScope, QuestionType


class QualitySettings(ArchivableModel):
    """The quality rules of one site: the scorecard's four weights (the manual leaves them
    open), the dispute and review windows, and the points complaints and discipline cost."""

    site = models.OneToOneField(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="quality_settings"
    )
    weight_service = models.FloatField(_("weight of service quality"), default=40)
    weight_work = models.FloatField(_("weight of work quality"), default=30)
    weight_skills = models.FloatField(_("weight of business skills"), default=15)
    weight_discipline = models.FloatField(_("weight of labour discipline"), default=15)
    dispute_window_days = models.PositiveSmallIntegerField(
        _("dispute window (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("How long after release an agent may dispute an evaluation."),
    )
    review_window_days = models.PositiveSmallIntegerField(
        _("review window (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("How long the quality supervisor has to rescore or decline a dispute."),
    )
    complaint_points = models.FloatField(
        _("points per substantiated complaint"),
        default=5,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Deducted from service quality; half for a partly substantiated one."),
    )
    points_lateness = models.FloatField(_("points per lateness"), default=1)
    points_early_leave = models.FloatField(_("points per early leave"), default=1)
    points_absence = models.FloatField(_("points per absence"), default=5)
    points_missing_handover = models.FloatField(_("points per missing handover"), default=2)
    min_evaluations = models.PositiveSmallIntegerField(
        _("evaluations per agent and month"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("The default quota of a QA plan."),
    )

    class Meta:
        verbose_name = _("quality settings")
        verbose_name_plural = _("quality settings")

    def __str__(self) -> str:
        return str(_("Quality settings of %(site)s") % {"site": self.site})

    def get_absolute_url(self) -> str:
        return reverse("quality:qualitysettings_detail", args=[self.pk])

    def clean(self) -> None:
        parts = [self.weight_service, self.weight_work, self.weight_skills, self.weight_discipline]
        if any(p is None or p < 0 for p in parts) or abs(sum(p or 0 for p in parts) - 100) > 1e-6:
            raise ValidationError(
                {
                    "weight_service": _("The four weights must add up to 100 (now %(sum)s).")
                    % {"sum": round(sum(p or 0 for p in parts), 2)}
                }
            )


class EvaluationForm(ArchivableModel):
    """An evaluation form for a queue or a skill (or every call); its scoring lives in
    versions, and every evaluation keeps the version it was scored with."""

    site = models.ForeignKey(
        Site,
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leave empty for every site."),
    )
    name = models.CharField(_("name"), max_length=120)
    description = BoundedTextField(_("description"), blank=True, max_length=MAX_SHORT_TEXT)
    queue = models.ForeignKey(
        Queue,
        verbose_name=_("queue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The calls of this queue are scored with this form."),
    )
    skill = models.ForeignKey(
        Skill,
        verbose_name=_("skill"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Or: calls of the queues this skill answers."),
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("evaluation form")
        verbose_name_plural = _("evaluation forms")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("quality:evaluationform_detail", args=[self.pk])

    @property
    def current_version(self):
        return self.versions.order_by("-number").first()


class FormVersion(AuditedModel):
    """One version of a form's scoring. A version that has been used to score is never
    re-weighted: a scoring change makes the next version."""

    form = models.ForeignKey(
        EvaluationForm, verbose_name=_("form"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    note = models.CharField(_("what changed"), max_length=300, blank=True)

    class Meta:
        ordering = ["form", "-number"]
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="quality_formversion_once")
        ]

    def __str__(self) -> str:
        return f"{self.form.name} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("quality:formversion_detail", args=[self.pk])

    @property
    def in_use(self) -> bool:
        return self.evaluations.exists() or self.calibrations.exists()

    def questions(self):
        return (
            FormQuestion.objects.filter(section__version=self)
            .select_related("section")
            .order_by("section__order", "section__pk", "order", "pk")
        )


class FormSection(ArchivableModel):
    version = models.ForeignKey(
        FormVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="sections"
    )
    title = models.CharField(_("title"), max_length=120)
    weight = models.FloatField(
        _("weight"), default=1, validators=[MinValueValidator(0), MaxValueValidator(1000)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=10)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("form section")
        verbose_name_plural = _("form sections")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.version.get_absolute_url()


class FormQuestion(ArchivableModel):
    """A question of a section. ``key`` stays the same across versions, so that agreement
    and score statistics follow a question from one version to the next."""

    section = models.ForeignKey(
        FormSection, verbose_name=_("section"), on_delete=models.PROTECT, related_name="questions"
    )
    key = models.CharField(_("key"), max_length=40)
    text = models.CharField(_("question"), max_length=300)
    guidance = BoundedTextField(_("guidance"), blank=True, max_length=MAX_SHORT_TEXT)
    kind = models.CharField(
        _("answer type"), max_length=10, choices=QuestionType.choices, default=QuestionType.YES_NO
    )
    points = models.FloatField(
        _("points"), default=1, validators=[MinValueValidator(0.01), MaxValueValidator(1000)]
    )
    scale_min = models.SmallIntegerField(_("scale from"), default=1)
    scale_max = models.SmallIntegerField(_("scale to"), default=5)
    allow_na = models.BooleanField(_("N/A allowed"), default=True)
    critical = models.BooleanField(_("critical"), default=False)
    fatal = models.CharField(
        _("fatal (auto-fail)"), max_length=10, choices=FatalScope.choices, default="", blank=True
    )
    bonus = models.BooleanField(_("bonus"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=10)

    #: Changing one of these changes how evaluations score: a used version gets a new one.
    SCORING_FIELDS = (
        "kind",
        "points",
        "scale_min",
        "scale_max",
        "allow_na",
        "critical",
        "fatal",
        "bonus",
    )
    #: Wording: edited in place, whatever the version.
    WORDING_FIELDS = ("text", "guidance", "order")

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("form question")
        verbose_name_plural = _("form questions")
        constraints = [
            models.UniqueConstraint(
                fields=["section", "key"],
                condition=Q(archived_at__isnull=True),
                name="quality_formquestion_key",
            )
        ]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return self.section.version.get_absolute_url()

    def clean(self) -> None:
        if self.kind == QuestionType.SCALE and self.scale_max <= self.scale_min:
            raise ValidationError({"scale_max": _("The scale must end above where it starts.")})
        if self.fatal and self.kind != QuestionType.YES_NO:
            raise ValidationError({"fatal": _("Only a yes/no question can be fatal.")})
        if self.fatal and self.bonus:
            raise ValidationError({"bonus": _("A bonus question cannot be fatal.")})
