"""QA plans (the month's sample), evaluations with their revisions and answers, disputes
and coaching sessions."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ccops.core import audit
from ccops.core.limits import MAX_SHORT_TEXT, BoundedTextField
from ccops.core.models import ArchivableModel, AuditedModel, Queue, Site
from ccops.people.models import Employee, Team
from ccops.quality.choices import (
    RELEASED_STATUSES,
    CoachingStatus,
    DisputeStatus,
    EvaluationStatus,
    PlanStatus,
    TransferFilter,
)
from ccops.quality.models._locks import LockedWithParent
from ccops.quality.models.forms import FormQuestion, FormVersion

#: The keys of ``QAPlan.draw_report`` in the reader's language.
DRAW_REPORT_LABELS = {
    "candidates": _("calls that qualify"),
    "evaluations": _("evaluations drawn"),
    "agents": _("agents drawn"),
    "agents short of calls": _("agents short of calls"),
    "queues without a form": _("queues without a form"),
}


class QAPlan(ArchivableModel):
    """The QA plan of a month: which calls are drawn (quota per agent, filters), with which
    seed, and which inspectors evaluate them by when."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"), help_text=_("Any day of the month."))
    name = models.CharField(_("name"), max_length=120)
    quota_per_agent = models.PositiveSmallIntegerField(
        _("calls per agent"), default=4, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    queues = models.ManyToManyField(
        Queue,
        verbose_name=_("queues"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty for every queue."),
    )
    teams = models.ManyToManyField(
        Team,
        verbose_name=_("teams"),
        blank=True,
        related_name="+",
        help_text=_("Agents of these teams only; leave empty for everyone."),
    )
    min_handle_seconds = models.PositiveIntegerField(
        _("long calls only: at least (s)"), null=True, blank=True
    )
    transfers = models.CharField(
        _("transfers"), max_length=10, choices=TransferFilter.choices, default=TransferFilter.ANY
    )
    complaints_only = models.BooleanField(_("only calls with a complaint"), default=False)
    seed = models.PositiveIntegerField(
        _("seed"), help_text=_("The same seed draws the same calls again.")
    )
    due_days = models.PositiveSmallIntegerField(
        _("days to evaluate"), default=7, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    inspectors = models.ManyToManyField(
        Employee, verbose_name=_("QA inspectors"), related_name="+", blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    drawn_at = models.DateTimeField(_("drawn"), null=True, blank=True)
    draw_report = models.JSONField(_("draw report"), default=dict, blank=True)

    class Meta:
        ordering = ["-month", "-pk"]
        verbose_name = _("QA plan")
        verbose_name_plural = _("QA plans")

    def draw_report_rows(self) -> list[tuple[str, object]]:
        """The draw report (stored by key) with labels in the reader's language."""
        return [(DRAW_REPORT_LABELS.get(k, k), v) for k, v in (self.draw_report or {}).items()]

    def __str__(self) -> str:
        return f"{self.name} ({self.month:%Y-%m})"

    def get_absolute_url(self) -> str:
        return reverse("quality:qaplan_detail", args=[self.pk])


class Evaluation(ArchivableModel):
    """An inspector's evaluation of one call of an agent. Its scores live in revisions:
    the inspector's, then every rescore after a dispute; nothing is overwritten."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    plan = models.ForeignKey(
        QAPlan,
        verbose_name=_("QA plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    form_version = models.ForeignKey(
        FormVersion,
        verbose_name=_("form version"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    agent = models.ForeignKey(
        Employee, verbose_name=_("agent"), on_delete=models.PROTECT, related_name="+"
    )
    inspector = models.ForeignKey(
        Employee, verbose_name=_("QA inspector"), on_delete=models.PROTECT, related_name="+"
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
    call_started_at = models.DateTimeField(_("call time"), null=True, blank=True)
    queue = models.ForeignKey(
        Queue,
        verbose_name=_("queue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recording_url = models.URLField(_("recording"), max_length=500, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.ASSIGNED,
    )
    score = models.FloatField(_("score"), null=True, blank=True)
    critical_score = models.FloatField(_("critical score"), null=True, blank=True)
    fatal = models.BooleanField(_("auto-fail"), default=False)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    dispute_until = models.DateTimeField(_("may be disputed until"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)

    restrict_owner_field = "agent__user"
    restrict_team_field = "agent__team"

    class Meta:
        ordering = ["-call_started_at", "-pk"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        indexes = [models.Index(fields=["site", "status", "call_started_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "call"],
                condition=Q(archived_at__isnull=True, plan__isnull=False, call__isnull=False),
                name="quality_evaluation_call_once_per_plan",
            )
        ]

    def __str__(self) -> str:
        return str(
            _("Evaluation #%(n)s of %(agent)s") % {"n": self.pk, "agent": self.agent.full_name}
        )

    def get_absolute_url(self) -> str:
        return reverse("quality:evaluation_detail", args=[self.pk])

    @property
    def is_released(self) -> bool:
        return self.status in RELEASED_STATUSES

    @property
    def is_overdue(self) -> bool:
        return bool(
            self.due_date
            and self.status in (EvaluationStatus.ASSIGNED, EvaluationStatus.DRAFT)
            and self.due_date < timezone.localdate()
        )

    @property
    def current_revision(self):
        return self.revisions.order_by("-number").first()


class EvaluationRevision(AuditedModel):
    """One scoring of an evaluation. Locked once released (the inspector's) or recorded
    (a rescore): a later change is a new revision."""

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.PROTECT,
        related_name="revisions",
    )
    number = models.PositiveSmallIntegerField(_("revision"))
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scored by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = BoundedTextField(_("reason for the rescore"), blank=True, max_length=MAX_SHORT_TEXT)
    score = models.FloatField(_("score"), null=True, blank=True)
    critical_score = models.FloatField(_("critical score"), null=True, blank=True)
    fatal = models.BooleanField(_("auto-fail"), default=False)
    section_scores = models.JSONField(_("section scores"), default=list, blank=True)
    coaching_note = BoundedTextField(_("coaching note"), blank=True, max_length=MAX_SHORT_TEXT)
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)

    class Meta:
        ordering = ["evaluation", "number"]
        verbose_name = _("evaluation revision")
        verbose_name_plural = _("evaluation revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "number"], name="quality_evaluationrevision_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} r{self.number}"

    def get_absolute_url(self) -> str:
        return self.evaluation.get_absolute_url()

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def check_lock(self, before: dict, after: dict) -> None:
        if before.get("locked_at"):
            raise audit.RecordLocked(
                gettext("%(record)s is released and cannot change: rescore the call instead.")
                % {"record": self}
            )


class EvaluationAnswer(LockedWithParent, AuditedModel):
    lock_parent_field = "revision"

    revision = models.ForeignKey(
        EvaluationRevision,
        verbose_name=_("revision"),
        on_delete=models.PROTECT,
        related_name="answers",
    )
    question = models.ForeignKey(
        FormQuestion, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.FloatField(_("answer"), null=True, blank=True)
    na = models.BooleanField(_("N/A"), default=False)
    earned = models.FloatField(_("points earned"), default=0)
    possible = models.FloatField(_("points possible"), default=0)
    comment = BoundedTextField(_("comment"), blank=True, max_length=MAX_SHORT_TEXT)

    class Meta:
        ordering = ["revision", "pk"]
        verbose_name = _("evaluation answer")
        verbose_name_plural = _("evaluation answers")
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "question"], name="quality_evaluationanswer_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question}: {'N/A' if self.na else self.value}"

    def get_absolute_url(self) -> str:
        return self.revision.get_absolute_url()


class EvaluationDispute(ArchivableModel):
    """An agent's dispute of a released evaluation, naming the questions and the reason;
    the quality supervisor rescores (a new revision) or declines within the review window."""

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.PROTECT,
        related_name="disputes",
    )
    raised_by = models.ForeignKey(
        Employee, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="+"
    )
    questions = models.ManyToManyField(
        FormQuestion, verbose_name=_("disputed questions"), related_name="+"
    )
    reason = BoundedTextField(_("reason"), max_length=MAX_SHORT_TEXT)
    status = models.CharField(
        _("status"), max_length=10, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    respond_by = models.DateTimeField(_("answer due by"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = BoundedTextField(_("decision"), blank=True, max_length=MAX_SHORT_TEXT)
    revision = models.ForeignKey(
        EvaluationRevision,
        verbose_name=_("rescore"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    restrict_owner_field = "evaluation__agent__user"
    restrict_team_field = "evaluation__agent__team"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation"],
                condition=Q(status="open", archived_at__isnull=True),
                name="quality_dispute_one_open",
                violation_error_message=_("This evaluation already has an open dispute."),
            )
        ]

    def __str__(self) -> str:
        return str(_("Dispute of %(evaluation)s") % {"evaluation": self.evaluation})

    def get_absolute_url(self) -> str:
        return reverse("quality:evaluationdispute_detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.status == DisputeStatus.OPEN and self.respond_by < timezone.now()


class CoachingSession(ArchivableModel):
    """A coaching session with an agent (often after an evaluation), followed up like an
    action item: planned, held (follow-up due), followed up."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    agent = models.ForeignKey(
        Employee, verbose_name=_("agent"), on_delete=models.PROTECT, related_name="+"
    )
    coach = models.ForeignKey(
        Employee, verbose_name=_("coach"), on_delete=models.PROTECT, related_name="+"
    )
    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coaching_sessions",
    )
    topic = models.CharField(_("topic"), max_length=200)
    planned_for = models.DateField(_("planned for"))
    notes = BoundedTextField(_("what was agreed"), blank=True, max_length=MAX_SHORT_TEXT)
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    follow_up_note = BoundedTextField(_("follow-up"), blank=True, max_length=MAX_SHORT_TEXT)
    status = models.CharField(
        _("status"), max_length=10, choices=CoachingStatus.choices, default=CoachingStatus.PLANNED
    )
    held_at = models.DateTimeField(_("held"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged by the agent"), null=True, blank=True)
    closed_at = models.DateTimeField(_("followed up"), null=True, blank=True)

    restrict_owner_field = "agent__user"
    restrict_team_field = "agent__team"

    class Meta:
        ordering = ["planned_for", "pk"]
        verbose_name = _("coaching session")
        verbose_name_plural = _("coaching sessions")

    def __str__(self) -> str:
        return f"{self.topic} – {self.agent.full_name}"

    def get_absolute_url(self) -> str:
        return reverse("quality:coachingsession_detail", args=[self.pk])

    @property
    def due_date(self):
        if self.status == CoachingStatus.PLANNED:
            return self.planned_for
        if self.status == CoachingStatus.HELD:
            return self.follow_up_due
        return None

    @property
    def is_overdue(self) -> bool:
        due = self.due_date
        return bool(due and due < timezone.localdate())
