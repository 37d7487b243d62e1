"""Difficult cases and their escalation, the knowledge base (咨询库: categories, articles and
their revisions, synonyms, links to other records, the search index) and the service
manual's editions with their acknowledgements."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ccops.core import audit
from ccops.core.limits import MAX_SHORT_TEXT, BoundedTextField
from ccops.core.models import ArchivableModel, AuditedModel, Queue, SignableModel, Site
from ccops.knowledge.choices import (
    OPEN_REVISION_STATUSES,
    WAITING_STATUSES,
    ArticleState,
    CaseEventKind,
    CaseLevel,
    CaseStatus,
    EntryKind,
    RevisionStatus,
    Visibility,
)
from ccops.people.models import Employee, Team
from ccops.shiftops.models import HandoverCheck

# --- escalation targets ------------------------------------------------------------------


class Department(ArchivableModel):
    """A department outside the floor that answers escalated cases (card centre, risk,
    network operations), with the hours it has to answer."""

    name = models.CharField(_("name"), max_length=100)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    answer_hours = models.PositiveSmallIntegerField(
        _("hours to answer"),
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(archived_at__isnull=True),
                name="knowledge_department_name",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("knowledge:department_detail", args=[self.pk])


# --- difficult cases ------------------------------------------------------------------------


class DifficultCase(ArchivableModel):
    """A customer's question an agent could not answer, followed until it is answered.

    It goes to the agent's group manager, who answers it or escalates it to a named
    expert or a department; ``assignee`` is who has to act now (for a department, the
    person who escalated and records its answer) and ``due_at`` when.
    """

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    reported_by = models.ForeignKey(
        Employee, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("group"),
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
    call_reference = models.CharField(_("call reference"), max_length=60, blank=True)
    occurred_at = models.DateTimeField(_("time of the call"))
    question = BoundedTextField(_("customer's question"), max_length=MAX_SHORT_TEXT)
    told_customer = BoundedTextField(
        _("what the customer was told"), max_length=MAX_SHORT_TEXT, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    level = models.CharField(
        _("level"), max_length=15, choices=CaseLevel.choices, default=CaseLevel.GROUP_MANAGER
    )
    assignee = models.ForeignKey(
        Employee,
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    answer = BoundedTextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        Employee,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    handover_check = models.ForeignKey(
        HandoverCheck,
        verbose_name=_("from the handover's open problem"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    article = models.ForeignKey(
        "Article",
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="source_cases",
    )

    restrict_owner_field = "reported_by__user"
    restrict_team_field = "team"

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("difficult case")
        verbose_name_plural = _("difficult cases")
        indexes = [models.Index(fields=["status", "due_at"], name="knowledge_case_due")]

    def __str__(self) -> str:
        return str(_("Case #%(n)s") % {"n": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("knowledge:difficultcase_detail", args=[self.pk])

    @property
    def is_waiting(self) -> bool:
        return self.status in WAITING_STATUSES

    @property
    def is_overdue(self) -> bool:
        return bool(self.is_waiting and self.due_at and self.due_at < timezone.now())

    @property
    def title(self) -> str:
        text = " ".join(self.question.split())
        return text if len(text) <= 60 else text[:59] + "…"


class CaseEvent(AuditedModel):
    """One step of a case's life: recorded, escalated, answered, a follow-up, merged."""

    case = models.ForeignKey(
        DifficultCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=CaseEventKind.choices)
    by = models.ForeignKey(
        Employee, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("level"), max_length=15, choices=CaseLevel.choices, blank=True)
    to_employee = models.ForeignKey(
        Employee,
        verbose_name=_("to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_department = models.ForeignKey(
        Department,
        verbose_name=_("to department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    text = BoundedTextField(_("text"), blank=True)
    other_case = models.ForeignKey(
        DifficultCase,
        verbose_name=_("other case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()}"


# --- the knowledge base ------------------------------------------------------------------


class Category(ArchivableModel):
    """A category of the knowledge base; categories form a tree, and the top level is the
    chapter structure of the service manual."""

    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=10)
    description = models.CharField(_("description"), max_length=500, blank=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"],
                condition=Q(archived_at__isnull=True),
                name="knowledge_category_name",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("knowledge:category_detail", args=[self.pk])


class Article(ArchivableModel):
    """An article of the knowledge base. Its text lives in revisions: ``live_revision`` is
    the published one everybody reads, while a newer revision may be written or reviewed
    beside it. ``title``, ``tags`` are those of the revision shown (live, else the latest).
    """

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="articles"
    )
    title = models.CharField(_("title"), max_length=200)
    tags = models.CharField(_("tags"), max_length=300, blank=True)
    owner = models.ForeignKey(
        Employee,
        verbose_name=_("responsible"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Who keeps the article right and verifies it."),
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ArticleState.choices, default=ArticleState.DRAFT
    )
    live_revision = models.ForeignKey(
        "ArticleRevision",
        verbose_name=_("published revision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_interval_days = models.PositiveSmallIntegerField(
        _("review interval (days)"),
        default=180,
        validators=[MinValueValidator(7), MaxValueValidator(730)],
        help_text=_("How often the article is verified again after publication."),
    )
    verified_on = models.DateField(_("last verified"), null=True, blank=True)
    next_review_on = models.DateField(_("verify again by"), null=True, blank=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [
            ("review_article", "Can approve or reject article revisions and verify articles")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:article_detail", args=[self.pk])

    @property
    def tag_list(self) -> list[str]:
        return [t for t in (x.strip() for x in self.tags.split(",")) if t]

    @property
    def is_review_overdue(self) -> bool:
        return bool(
            self.state == ArticleState.PUBLISHED
            and self.next_review_on
            and self.next_review_on < timezone.localdate()
        )


class ArticleRevision(AuditedModel):
    """One version of an article's text. A draft is written by editors; once submitted it
    is reviewed (approved: it goes live; rejected: back to draft with the reviewer's
    note). Published and superseded revisions never change."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.PROTECT, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("revision"))
    title = models.CharField(_("title"), max_length=200)
    body = BoundedTextField(_("text"))
    tags = models.CharField(
        _("tags"), max_length=300, blank=True, help_text=_("Separated by commas.")
    )
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RevisionStatus.choices, default=RevisionStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("sent for review"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.CharField(_("reviewer's note"), max_length=500, blank=True)

    #: Fields a submitted revision keeps.
    CONTENT_FIELDS = ("title", "body", "tags", "change_note", "article_id", "number")

    class Meta:
        ordering = ["article", "-number"]
        verbose_name = _("article revision")
        verbose_name_plural = _("article revisions")
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="knowledge_revision_number"),
            models.UniqueConstraint(
                fields=["article"],
                condition=Q(status__in=OPEN_REVISION_STATUSES),
                name="knowledge_one_open_revision",
            ),
        ]

    def __str__(self) -> str:
        return str(_("%(title)s, revision %(n)s") % {"title": self.title, "n": self.number})

    def get_absolute_url(self) -> str:
        return reverse("knowledge:articlerevision_detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.status != RevisionStatus.DRAFT

    def check_lock(self, before: dict, after: dict) -> None:
        """A submitted revision's text never changes (review, publication and
        supersession only change its status)."""
        if not before or before.get("status") == RevisionStatus.DRAFT:
            return
        changed = [f for f in self.CONTENT_FIELDS if before.get(f) != after.get(f)]
        if changed:
            raise audit.RecordLocked(
                gettext(
                    "%(record)s is %(status)s: its %(fields)s cannot change. Write a new "
                    "revision instead."
                )
                % {
                    "record": self,
                    "status": RevisionStatus(before["status"]).label,
                    "fields": audit.field_labels(type(self), changed),
                }
            )


class Synonym(ArchivableModel):
    """Words that mean the same to a caller (product names above all): a query for one
    finds articles with any of them."""

    terms = models.CharField(
        _("terms"),
        max_length=500,
        help_text=_("Separated by commas, e.g. 信用卡, 贷记卡, credit card."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["terms"]
        verbose_name = _("synonym set")
        verbose_name_plural = _("synonym sets")

    def __str__(self) -> str:
        return self.terms

    def get_absolute_url(self) -> str:
        return reverse("knowledge:synonym_detail", args=[self.pk])

    @property
    def term_list(self) -> list[str]:
        return [t for t in (x.strip() for x in self.terms.replace("，", ",").split(",")) if t]


class ArticleLink(ArchivableModel):
    """An article linked to another record (a difficult case, a handover, an incident, a
    handover question), by a generic link so that the apps above knowledge can link
    without knowledge knowing them. Unlinking archives the link."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.PROTECT, related_name="links"
    )
    target_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), on_delete=models.PROTECT, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(_("record id"))
    target = GenericForeignKey("target_type", "target_id")
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("article link")
        verbose_name_plural = _("article links")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "target_type", "target_id"],
                condition=Q(archived_at__isnull=True),
                name="knowledge_link_once",
            )
        ]
        indexes = [models.Index(fields=["target_type", "target_id"], name="knowledge_link_target")]

    def __str__(self) -> str:
        return f"{self.article} → {self.target_type.name} #{self.target_id}"

    def get_absolute_url(self) -> str:
        return self.article.get_absolute_url()


class SearchEntry(models.Model):
    """The search index's row of an article: its segmented terms per field
    (:mod:`ccops.knowledge.search`). Derived data, rewritten whenever the article's text
    changes; the database indexes it (FTS5 on SQLite, a tsvector on PostgreSQL)."""

    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    title_tokens = models.TextField(default="")
    tags_tokens = models.TextField(default="")
    body_tokens = models.TextField(default="")
    facet_tokens = models.TextField(default="")
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self) -> str:
        return f"search entry of article {self.article_id}"


# --- the service manual --------------------------------------------------------------------


class ManualEdition(SignableModel):
    """An edition of the service manual compiled from published articles and the lessons
    of experience exchanges; publishing it (signing) freezes it, and the floor staff
    acknowledge reading it."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    version = models.CharField(_("version"), max_length=30, help_text=_("e.g. 2026 H2"))
    title = models.CharField(_("title"), max_length=200)
    foreword = BoundedTextField(_("foreword"), max_length=MAX_SHORT_TEXT, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("service manual edition")
        verbose_name_plural = _("service manual editions")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "version"],
                condition=Q(archived_at__isnull=True),
                name="knowledge_edition_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"

    def get_absolute_url(self) -> str:
        return reverse("knowledge:manualedition_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.is_signed


class ManualEntry(AuditedModel):
    """One section of an edition: the text of an article's published revision or a
    lesson, copied when the edition was compiled (the edition reads the same forever)."""

    edition = models.ForeignKey(
        ManualEdition, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="entries"
    )
    chapter = models.PositiveSmallIntegerField(_("chapter"))
    chapter_title = models.CharField(_("chapter title"), max_length=100)
    order = models.PositiveIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = BoundedTextField(_("text"))
    revision = models.ForeignKey(
        ArticleRevision,
        verbose_name=_("article revision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lesson = models.ForeignKey(
        "meetings.ExperienceLesson",
        verbose_name=_("lesson"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["edition", "chapter", "order"]
        verbose_name = _("manual section")
        verbose_name_plural = _("manual sections")

    def __str__(self) -> str:
        return f"{self.chapter}.{self.order} {self.title}"

    def check_lock(self, before: dict, after: dict) -> None:
        edition = before.get("edition_id")
        if (
            edition
            and ManualEdition.all_objects.filter(pk=edition, signed_at__isnull=False).exists()
        ):
            raise audit.RecordLocked(
                gettext("%(record)s belongs to a published edition and cannot change.")
                % {"record": self}
            )


class ManualAcknowledgement(AuditedModel):
    """An employee's confirmation of having read an edition."""

    edition = models.ForeignKey(
        ManualEdition,
        verbose_name=_("edition"),
        on_delete=models.PROTECT,
        related_name="acknowledgements",
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="+"
    )

    restrict_owner_field = "employee__user"
    restrict_team_field = "employee__team"

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["edition", "employee"], name="knowledge_ack_once")
        ]

    def __str__(self) -> str:
        return f"{self.employee.full_name}: {self.edition}"
