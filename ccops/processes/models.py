"""The process register (chapter 11): each internal process with its owner and its
reviewing supervisor, every version kept, a change reviewed before it takes effect; and
the PDCA improvement projects that follow the manual's six steps."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ccops.core import audit
from ccops.core.limits import MAX_SHORT_TEXT, BoundedTextField
from ccops.core.models import ArchivableModel, AuditedModel, Queue, SignableModel
from ccops.meetings.models import ActionItem
from ccops.people.models import Employee
from ccops.processes.choices import (
    PDCA_PHASE,
    REVIEWER_ROLE,
    EvidenceKind,
    Metric,
    ProcessCategory,
    ProjectStatus,
    StandardKind,
    Step,
    VersionStatus,
)


class Process(ArchivableModel):
    """An internal process of the center, its owner and who reviews its changes."""

    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=150)
    category = models.CharField(_("category"), max_length=15, choices=ProcessCategory.choices)
    owner = models.ForeignKey(
        Employee, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    purpose = BoundedTextField(_("purpose"), max_length=MAX_SHORT_TEXT, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(archived_at__isnull=True),
                name="processes_process_code_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("processes:process_detail", args=[self.pk])

    @property
    def reviewer_role(self) -> str:
        return REVIEWER_ROLE[self.category]

    def reviewer_role_name(self):
        from ccops.core.roles import ROLES

        return ROLES[self.reviewer_role].name

    reviewer_role_name.short_description = _("reviewed by")

    def version_in_effect(self, day=None):
        """The approved version in effect on ``day`` (today): the latest one whose date
        has come."""
        day = day or timezone.localdate()
        return (
            self.versions.filter(status=VersionStatus.APPROVED, effective_from__lte=day)
            .order_by("-effective_from", "-number")
            .first()
        )

    version_in_effect.short_description = _("version in effect")


class ProcessVersion(SignableModel):
    """A version of a process: drafted, submitted, reviewed. The reviewer's decision signs
    it (approved or rejected), so no version ever changes afterwards; an approved one takes
    effect on its date."""

    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    description = BoundedTextField(_("the process"), help_text=_("Its steps, roles and rules."))
    change_summary = BoundedTextField(_("what changes and why"), max_length=MAX_SHORT_TEXT)
    effective_from = models.DateField(_("takes effect on"))
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=500, blank=True)
    project = models.ForeignKey(
        "ImprovementProject",
        verbose_name=_("standardises project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="process_versions",
    )

    class Meta:
        ordering = ["process", "-number"]
        verbose_name = _("process version")
        verbose_name_plural = _("process versions")
        permissions = [("review_processversion", _("Can review process changes"))]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "number"], name="processes_version_number_once"
            ),
            models.UniqueConstraint(
                fields=["process"],
                condition=Q(status__in=["draft", "in_review"]),
                name="processes_one_open_version",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "rejected"]) | Q(signed_at__isnull=False),
                name="processes_version_decided_is_signed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.process.code} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("processes:processversion_detail", args=[self.pk])

    def in_effect(self) -> bool:
        current = self.process.version_in_effect()
        return current is not None and current.pk == self.pk

    in_effect.short_description = _("in effect")


#: The fields of each step; they cannot change once the step is passed.
STEP_FIELDS: dict[int, tuple[str, ...]] = {
    Step.CHOOSE: (
        "process_id",
        "problem",
        "goal",
        "metric",
        "metric_unit",
        "higher_is_better",
        "queue_id",
        "stat_metric",
        "baseline_value",
        "baseline_from",
        "baseline_to",
        "baseline_source",
        "target_value",
    ),
    Step.ANALYSE: ("cause_analysis",),
    Step.PLAN: (),
    Step.IMPLEMENT: ("implementation_notes", "implemented_on"),
    Step.EVALUATE: ("result_value", "result_from", "result_to", "result_source", "evaluation"),
    Step.STANDARDISE: ("standardisation_note",),
}


class ImprovementProject(ArchivableModel):
    """A PDCA improvement project of a process, through the manual's six steps. The
    content of a passed step is locked (the evaluation compares with the baseline as it
    was measured)."""

    title = models.CharField(_("title"), max_length=200)
    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.PROTECT, related_name="projects"
    )
    lead = models.ForeignKey(
        Employee, verbose_name=_("project lead"), on_delete=models.PROTECT, related_name="+"
    )
    members = models.ManyToManyField(
        Employee, verbose_name=_("team"), blank=True, related_name="improvement_projects"
    )
    step = models.PositiveSmallIntegerField(_("step"), choices=Step.choices, default=Step.CHOOSE)
    status = models.CharField(
        _("status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE
    )
    # step 1
    problem = BoundedTextField(_("problem"), max_length=MAX_SHORT_TEXT, blank=True)
    goal = models.CharField(_("goal"), max_length=300, blank=True)
    metric = models.CharField(
        _("measure"),
        max_length=100,
        blank=True,
        help_text=_("What is measured, e.g. service level."),
    )
    metric_unit = models.CharField(_("unit"), max_length=30, blank=True)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    queue = models.ForeignKey(
        Queue,
        verbose_name=_("queue measured"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("To measure from the interval statistics."),
    )
    stat_metric = models.CharField(
        _("figure from the interval statistics"), max_length=20, choices=Metric.choices, blank=True
    )
    baseline_value = models.FloatField(_("baseline"), null=True, blank=True)
    baseline_from = models.DateField(_("baseline measured from"), null=True, blank=True)
    baseline_to = models.DateField(_("baseline measured until"), null=True, blank=True)
    baseline_source = models.CharField(
        _("how the baseline was measured"), max_length=300, blank=True
    )
    target_value = models.FloatField(_("target"), null=True, blank=True)
    # step 2
    cause_analysis = BoundedTextField(_("cause analysis"), blank=True)
    # step 4
    implementation_notes = BoundedTextField(
        _("implementation"), max_length=MAX_SHORT_TEXT, blank=True
    )
    implemented_on = models.DateField(_("implemented on"), null=True, blank=True)
    # step 5
    result_value = models.FloatField(_("result"), null=True, blank=True)
    result_from = models.DateField(_("result measured from"), null=True, blank=True)
    result_to = models.DateField(_("result measured until"), null=True, blank=True)
    result_source = models.CharField(_("how the result was measured"), max_length=300, blank=True)
    evaluation = BoundedTextField(_("evaluation"), max_length=MAX_SHORT_TEXT, blank=True)
    # step 6
    standardisation_note = BoundedTextField(
        _("standardisation"), max_length=MAX_SHORT_TEXT, blank=True
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closing_note = models.CharField(_("closing note"), max_length=500, blank=True)

    restrict_owner_field = "members__user"
    restrict_team_field = "lead__team"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("improvement project")
        verbose_name_plural = _("improvement projects")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("processes:improvementproject_detail", args=[self.pk])

    @property
    def phase(self) -> str:
        return PDCA_PHASE[self.step]

    @property
    def is_active(self) -> bool:
        return self.status == ProjectStatus.ACTIVE

    @property
    def is_locked(self) -> bool:
        return not self.is_active

    @property
    def change(self) -> float | None:
        """The result minus the baseline."""
        if self.result_value is None or self.baseline_value is None:
            return None
        return self.result_value - self.baseline_value

    @property
    def improved(self) -> bool | None:
        change = self.change
        if change is None:
            return None
        return change > 0 if self.higher_is_better else change < 0

    @property
    def target_met(self) -> bool | None:
        if self.result_value is None or self.target_value is None:
            return None
        if self.higher_is_better:
            return self.result_value >= self.target_value
        return self.result_value <= self.target_value

    def check_lock(self, before: dict, after: dict) -> None:
        """Refuse a change of a passed step's content, and any change of an ended project
        except archiving."""
        changed = set(audit.diff(before, after)) - {"archived_at", "archived_by_id", "updated_at"}
        if not changed:
            return
        if before.get("status") != ProjectStatus.ACTIVE:
            raise audit.RecordLocked(
                gettext("%(record)s is closed and cannot change.") % {"record": self}
            )
        step = before.get("step") or 1
        locked = {name for s, names in STEP_FIELDS.items() if s < step for name in names}
        if changed & locked:
            raise audit.RecordLocked(
                gettext("%(record)s: %(fields)s belong to a step already passed and cannot change.")
                % {
                    "record": self,
                    "fields": audit.field_labels(type(self), sorted(changed & locked)),
                }
            )


class StepRecord(SignableModel):
    """The passing of a step: who, when, and the step's content as it was (signed)."""

    project = models.ForeignKey(
        ImprovementProject,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="step_records",
    )
    step = models.PositiveSmallIntegerField(_("step"), choices=Step.choices)
    content = models.JSONField(_("content"), default=dict)

    class Meta:
        ordering = ["project", "step"]
        verbose_name = _("step passed")
        verbose_name_plural = _("steps passed")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "step"],
                condition=Q(archived_at__isnull=True),
                name="processes_step_passed_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.get_step_display()}"

    def get_absolute_url(self) -> str:
        return self.project.get_absolute_url()


class _GenericTarget(models.Model):
    """A generic link to an audited record of any app (see :mod:`ccops.core.links`)."""

    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("record type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    object_id = models.PositiveBigIntegerField(_("record id"), null=True, blank=True)
    object_repr = models.CharField(_("record"), max_length=200, blank=True)

    class Meta:
        abstract = True


class Evidence(_GenericTarget, ArchivableModel):
    """Data behind the cause analysis (or the evaluation): a record of another app (a QA
    result, an incident, a complaint...) or figures of the interval statistics of a queue
    over a period, kept as they were computed."""

    project = models.ForeignKey(
        ImprovementProject,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EvidenceKind.choices)
    queue = models.ForeignKey(
        Queue,
        verbose_name=_("queue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    period_from = models.DateField(_("from"), null=True, blank=True)
    period_to = models.DateField(_("until"), null=True, blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    note = models.CharField(_("what it shows"), max_length=500)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__isnull=False, object_id__isnull=False)
                | Q(queue__isnull=False, period_from__isnull=False, period_to__isnull=False),
                name="processes_evidence_has_a_source",
            )
        ]

    def __str__(self) -> str:
        if self.queue_id:
            return (
                f"{self.get_kind_display()}: {self.queue.code} {self.period_from}–{self.period_to}"
            )
        return f"{self.get_kind_display()}: {self.object_repr}"

    def get_absolute_url(self) -> str:
        return self.project.get_absolute_url()


class Countermeasure(ArchivableModel):
    """A planned countermeasure, followed as a meeting's action item."""

    project = models.ForeignKey(
        ImprovementProject,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="countermeasures",
    )
    cause = models.CharField(_("cause addressed"), max_length=300)
    action_item = models.ForeignKey(
        ActionItem, verbose_name=_("action item"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("countermeasure")
        verbose_name_plural = _("countermeasures")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "action_item"],
                condition=Q(archived_at__isnull=True),
                name="processes_countermeasure_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cause}: {self.action_item}"

    def get_absolute_url(self) -> str:
        return self.project.get_absolute_url()


class Standardisation(_GenericTarget, AuditedModel):
    """Where the result was standardised: a new version of the process, an article or a
    service-manual entry (of whichever app keeps them)."""

    project = models.ForeignKey(
        ImprovementProject,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="standardisations",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=StandardKind.choices)
    process_version = models.ForeignKey(
        ProcessVersion,
        verbose_name=_("process version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("standardisation")
        verbose_name_plural = _("standardisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(process_version__isnull=False)
                | Q(content_type__isnull=False, object_id__isnull=False),
                name="processes_standardisation_has_a_target",
            )
        ]

    def __str__(self) -> str:
        if self.process_version_id:
            return str(self.process_version)
        return self.object_repr

    def get_absolute_url(self) -> str:
        return self.project.get_absolute_url()
