"""Choice lists of the quality models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionType(models.TextChoices):
    YES_NO = "yes_no", _("yes / no")
    SCALE = "scale", _("scale")
    POINTS = "points", _("points")


class FatalScope(models.TextChoices):
    NONE = "", _("not fatal")
    FORM = "form", _("zeroes the whole form")
    SECTION = "section", _("zeroes its section")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    DRAWN = "drawn", _("drawn")


class TransferFilter(models.TextChoices):
    ANY = "any", _("any call")
    ONLY = "only", _("transferred calls only")
    EXCLUDE = "exclude", _("calls not transferred")


class EvaluationStatus(models.TextChoices):
    ASSIGNED = "assigned", _("assigned")
    DRAFT = "draft", _("being scored")
    RELEASED = "released", _("released to the agent")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    DISPUTED = "disputed", _("disputed")
    CLOSED = "closed", _("closed")
    CANCELLED = "cancelled", _("cancelled")


#: Statuses in which the agent sees an evaluation and its score counts.
RELEASED_STATUSES = (
    EvaluationStatus.RELEASED,
    EvaluationStatus.ACKNOWLEDGED,
    EvaluationStatus.DISPUTED,
    EvaluationStatus.CLOSED,
)
#: Statuses of the inspector's to-do list.
OPEN_EVALUATION_STATUSES = (EvaluationStatus.ASSIGNED, EvaluationStatus.DRAFT)


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("waiting for the quality supervisor")
    RESCORED = "rescored", _("rescored")
    DECLINED = "declined", _("declined")


class CoachingStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held, follow-up due")
    CLOSED = "closed", _("followed up")
    CANCELLED = "cancelled", _("cancelled")


class ReferenceMethod(models.TextChoices):
    EXPERT = "expert", _("an expert's answers")
    CONSENSUS = "consensus", _("consensus answers agreed after scoring")


class CalibrationStatus(models.TextChoices):
    OPEN = "open", _("open for scoring")
    CLOSED = "closed", _("closed")


class ComplaintChannel(models.TextChoices):
    PHONE = "phone", _("telephone")
    EMAIL = "email", _("e-mail")
    LETTER = "letter", _("letter")
    WEB = "web", _("web or app")
    REGULATOR = "regulator", _("regulator")


class ComplaintCategory(models.TextChoices):
    ATTITUDE = "attitude", _("attitude")
    WRONG_INFORMATION = "wrong_information", _("wrong information")
    PROCESS = "process", _("process not followed")
    WAITING = "waiting", _("waiting time")
    UNRESOLVED = "unresolved", _("problem not solved")
    PRIVACY = "privacy", _("privacy")
    OTHER = "other", _("other")


class ComplaintStatus(models.TextChoices):
    REGISTERED = "registered", _("registered")
    INVESTIGATING = "investigating", _("being investigated")
    CLOSED = "closed", _("closed")


class ComplaintOutcome(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("substantiated")
    PARTLY = "partly", _("partly substantiated")
    UNSUBSTANTIATED = "unsubstantiated", _("not substantiated")
    WITHDRAWN = "withdrawn", _("withdrawn by the customer")


class TestStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("open to take")
    CLOSED = "closed", _("closed")


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("in progress")
    SUBMITTED = "submitted", _("waiting for marking")
    MARKED = "marked", _("marked")


class KPI(models.TextChoices):
    CALLS_HANDLED = "calls_handled", _("calls handled")
    AHT = "aht_seconds", _("average handle time (s)")
    ACW = "acw_seconds", _("average after-call work (s)")
    HOLD = "hold_seconds", _("average hold (s)")
    TRANSFER_RATE = "transfer_rate", _("transfer rate")
    READY_RATIO = "ready_ratio", _("ready time / login time")
    ADHERENCE = "adherence_percent", _("schedule adherence (%)")
    CSAT = "csat", _("customer satisfaction (mean)")


class Better(models.TextChoices):
    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")


class StatSource(models.TextChoices):
    DERIVED = "derived", _("derived from per-call records")
    IMPORTED = "imported", _("imported ACD agent report")


class DisciplineKind(models.TextChoices):
    LATENESS = "lateness", _("lateness")
    EARLY_LEAVE = "early_leave", _("early leave")
    ABSENCE = "absence", _("absence")
    MISSING_HANDOVER = "missing_handover", _("missing handover")
    ID_MISUSE = "id_misuse", _("another person's ID used")
    CONFIDENTIALITY = "confidentiality", _("confidentiality breach")
    CODE_OTHER = "code_other", _("other breach of the employee code")


#: Kinds derived from attendance and handovers (the others are entered by hand).
DERIVED_KINDS = (
    DisciplineKind.LATENESS,
    DisciplineKind.EARLY_LEAVE,
    DisciplineKind.ABSENCE,
    DisciplineKind.MISSING_HANDOVER,
)


class DisciplineStatus(models.TextChoices):
    RECORDED = "recorded", _("recorded")
    APPEALED = "appealed", _("appealed")
    UPHELD = "upheld", _("appeal declined")
    WITHDRAWN = "withdrawn", _("withdrawn on appeal")


#: Records whose points count.
COUNTING_DISCIPLINE = (
    DisciplineStatus.RECORDED,
    DisciplineStatus.APPEALED,
    DisciplineStatus.UPHELD,
)


class ScorecardStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    RELEASED = "released", _("released")
