from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    OPEN = "open", _("waiting for the group manager")
    ESCALATED = "escalated", _("escalated")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed as answered")
    MERGED = "merged", _("merged into another case")


#: A case someone still has to answer.
WAITING_STATUSES = (CaseStatus.OPEN, CaseStatus.ESCALATED)
#: A case that may still change (answered cases take follow-ups).
ACTIVE_STATUSES = (CaseStatus.OPEN, CaseStatus.ESCALATED, CaseStatus.ANSWERED)


class CaseLevel(models.TextChoices):
    GROUP_MANAGER = "group_manager", _("group manager")
    EXPERT = "expert", _("expert")
    DEPARTMENT = "department", _("department")


class CaseEventKind(models.TextChoices):
    RECORDED = "recorded", _("recorded")
    ESCALATED = "escalated", _("escalated")
    ANSWERED = "answered", _("answered")
    FOLLOW_UP = "follow_up", _("follow-up question")
    CLOSED = "closed", _("closed as answered")
    MERGED = "merged", _("merged")
    ARTICLE = "article", _("article drafted")


class ArticleState(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    PUBLISHED = "published", _("published")
    ARCHIVED = "archived", _("archived")


class Visibility(models.TextChoices):
    INTERNAL = "internal", _("internal")
    CUSTOMER = "customer", _("for customers")


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    PUBLISHED = "published", _("published")
    SUPERSEDED = "superseded", _("superseded")


#: A revision still being written or reviewed (one per article at most).
OPEN_REVISION_STATUSES = (RevisionStatus.DRAFT, RevisionStatus.IN_REVIEW)


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class EntryKind(models.TextChoices):
    ARTICLE = "article", _("article")
    LESSON = "lesson", _("lesson of an experience exchange")
