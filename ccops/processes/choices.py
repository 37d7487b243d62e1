"""Choices of the process register and the PDCA improvement projects."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcessCategory(models.TextChoices):
    OPERATIONAL = "operational", _("operational process")
    WEB = "web", _("web process")
    COMPLAINTS = "complaints", _("complaints")
    APPOINTMENTS = "appointments", _("appointments")
    SUGGESTIONS = "suggestions", _("suggestions")
    ACCEPTANCE = "acceptance", _("acceptance")


#: The manual: the operations supervisor reviews the operational processes, the general
#: supervisor the web processes and those of complaints, appointments, suggestions and
#: acceptance.
REVIEWER_ROLE = {
    ProcessCategory.OPERATIONAL: "operations_supervisor",
    ProcessCategory.WEB: "general_supervisor",
    ProcessCategory.COMPLAINTS: "general_supervisor",
    ProcessCategory.APPOINTMENTS: "general_supervisor",
    ProcessCategory.SUGGESTIONS: "general_supervisor",
    ProcessCategory.ACCEPTANCE: "general_supervisor",
}


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


#: A version still being worked on (one at a time per process).
OPEN_VERSION_STATUSES = (VersionStatus.DRAFT, VersionStatus.IN_REVIEW)


class Step(models.IntegerChoices):
    """The manual's six steps of an improvement project."""

    CHOOSE = 1, _("1. Choose the process and measure its current state")
    ANALYSE = 2, _("2. Analyse the causes on data")
    PLAN = 3, _("3. Plan countermeasures")
    IMPLEMENT = 4, _("4. Implement")
    EVALUATE = 5, _("5. Evaluate the effect against the baseline")
    STANDARDISE = 6, _("6. Standardise the result")


#: Where each step sits in the Plan-Do-Check-Act cycle.
PDCA_PHASE = {1: "P", 2: "P", 3: "P", 4: "D", 5: "C", 6: "A"}


class ProjectStatus(models.TextChoices):
    ACTIVE = "active", _("in progress")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("ended without standardising")


class EvidenceKind(models.TextChoices):
    QA_RESULT = "qa_result", _("QA results")
    INTERVAL_STATISTICS = "interval_statistics", _("interval statistics")
    INCIDENT = "incident", _("incident")
    COMPLAINT = "complaint", _("complaint")
    OTHER = "other", _("other record")


class Metric(models.TextChoices):
    """Figures computed from the interval statistics of a queue over a period."""

    SERVICE_LEVEL = "service_level", _("service level (%)")
    ABANDON_RATE = "abandon_rate", _("abandonment (%)")
    AHT = "aht_seconds", _("average handle time (s)")
    ASA = "asa_seconds", _("average speed of answer (s)")
    OFFERED = "offered", _("calls offered")


class StandardKind(models.TextChoices):
    PROCESS_VERSION = "process_version", _("a new process version")
    ARTICLE = "article", _("a knowledge-base article")
    SERVICE_MANUAL = "service_manual", _("a service-manual entry")
