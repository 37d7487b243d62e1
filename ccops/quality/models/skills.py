"""Quarterly business-skills tests assembled from the one question bank
(``shiftops.HandoverQuestion``), taken online within a time limit and marked
automatically where possible."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccops.core.limits import MAX_SHORT_TEXT, BoundedTextField
from ccops.core.models import ArchivableModel, AuditedModel, Site
from ccops.people.models import Employee, Team
from ccops.quality.choices import AttemptStatus, TestStatus
from ccops.quality.models._locks import LockedWithParent
from ccops.shiftops.choices import QuestionKind
from ccops.shiftops.models import HandoverQuestion


class SkillsTest(ArchivableModel):
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(480)],
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    pass_percent = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=60, validators=[MaxValueValidator(100)]
    )
    teams = models.ManyToManyField(
        Team,
        verbose_name=_("teams"),
        blank=True,
        related_name="+",
        help_text=_("Who takes it; leave empty for every agent of the site."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=TestStatus.choices, default=TestStatus.DRAFT
    )

    class Meta:
        ordering = ["-year", "-quarter", "-pk"]
        verbose_name = _("skills test")
        verbose_name_plural = _("skills tests")

    def __str__(self) -> str:
        return f"{self.title} ({self.year} Q{self.quarter})"

    def get_absolute_url(self) -> str:
        return reverse("quality:skillstest_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        now = timezone.now()
        return self.status == TestStatus.PUBLISHED and self.opens_at <= now < self.closes_at

    @property
    def max_points(self) -> int:
        return sum(q.points for q in self.questions.all())


class SkillsTestQuestion(AuditedModel):
    """A question of a test: a copy of the bank's question when the test was assembled,
    so that later edits of the bank do not change a test people took."""

    test = models.ForeignKey(
        SkillsTest, verbose_name=_("test"), on_delete=models.PROTECT, related_name="questions"
    )
    question = models.ForeignKey(
        HandoverQuestion,
        verbose_name=_("bank question"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    topic = models.CharField(_("topic"), max_length=100)
    text = models.TextField(_("question"))
    kind = models.CharField(_("kind"), max_length=12, choices=QuestionKind.choices)
    options = models.JSONField(_("options"), default=list, blank=True)
    answer_true = models.BooleanField(_("the statement is true"), null=True, blank=True)
    expected_answer = models.TextField(_("expected answer"), blank=True)
    points = models.PositiveSmallIntegerField(_("points"), default=1)

    class Meta:
        ordering = ["test", "order"]
        verbose_name = _("test question")
        verbose_name_plural = _("test questions")
        constraints = [
            models.UniqueConstraint(fields=["test", "question"], name="quality_testquestion_once")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.text[:60]}"

    def get_absolute_url(self) -> str:
        return self.test.get_absolute_url()


class TestAttempt(ArchivableModel):
    """An agent's one attempt at a test: started, answered within the time limit,
    submitted (or cut off at the deadline), marked."""

    test = models.ForeignKey(
        SkillsTest, verbose_name=_("test"), on_delete=models.PROTECT, related_name="attempts"
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("agent"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("started"))
    deadline = models.DateTimeField(_("time is up at"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AttemptStatus.choices,
        default=AttemptStatus.IN_PROGRESS,
    )
    points = models.FloatField(_("points"), null=True, blank=True)
    max_points = models.PositiveSmallIntegerField(_("of"), default=0)
    score_percent = models.FloatField(_("score (%)"), null=True, blank=True)
    marked_at = models.DateTimeField(_("marked"), null=True, blank=True)

    restrict_owner_field = "employee__user"
    restrict_team_field = "employee__team"
    __test__ = False  # not a pytest test class, whatever its name

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("test attempt")
        verbose_name_plural = _("test attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["test", "employee"],
                condition=Q(archived_at__isnull=True),
                name="quality_testattempt_once",
                violation_error_message=_("You have already taken this test."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.test}: {self.employee.full_name}"

    def get_absolute_url(self) -> str:
        return reverse("quality:testattempt_detail", args=[self.pk])

    @property
    def passed(self) -> bool | None:
        if self.score_percent is None:
            return None
        return self.score_percent >= self.test.pass_percent

    @property
    def is_locked(self) -> bool:
        return self.status == AttemptStatus.MARKED


class TestAnswer(LockedWithParent, AuditedModel):
    lock_parent_field = "attempt"
    __test__ = False

    attempt = models.ForeignKey(
        TestAttempt, verbose_name=_("attempt"), on_delete=models.PROTECT, related_name="answers"
    )
    test_question = models.ForeignKey(
        SkillsTestQuestion,
        verbose_name=_("question"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    choices = models.JSONField(_("chosen options"), default=list, blank=True)
    answer_true = models.BooleanField(_("answered true"), null=True, blank=True)
    text = BoundedTextField(_("answer"), blank=True, max_length=MAX_SHORT_TEXT)
    points = models.FloatField(_("points"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["attempt", "test_question__order"]
        verbose_name = _("test answer")
        verbose_name_plural = _("test answers")
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "test_question"], name="quality_testanswer_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attempt}: {self.test_question.order}"
