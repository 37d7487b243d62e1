from django.db import models
from django.utils.translation import gettext_lazy as _


class ChecklistCategory(models.TextChoices):
    EQUIPMENT = "equipment", _("equipment")
    SEATS = "seats", _("seats")
    SYSTEMS = "systems", _("system running state")
    TERMINALS = "terminals", _("terminals")
    HYGIENE = "hygiene", _("hygiene")
    OPEN_PROBLEMS = "open_problems", _("open problems")
    DIFFICULT_CASES = "difficult_cases", _("difficult cases")


class CheckStatus(models.TextChoices):
    UNCHECKED = "unchecked", _("not checked")
    OK = "ok", _("OK")
    PROBLEM = "problem", _("problem")


class HandoverSide(models.TextChoices):
    OUTGOING = "outgoing", _("outgoing")
    INCOMING = "incoming", _("incoming")


class DiaryCategory(models.TextChoices):
    OPERATIONS = "operations", _("operations")
    SYSTEMS = "systems", _("systems")
    STAFFING = "staffing", _("staffing")
    CUSTOMER = "customer", _("customer case")
    INCIDENT = "incident", _("incident")
    OTHER = "other", _("other")


class BriefingKind(models.TextChoices):
    PRE_SHIFT = "pre_shift", _("pre-shift briefing")
    POST_SHIFT = "post_shift", _("post-shift briefing")


class AttendanceStatus(models.TextChoices):
    ON_TIME = "on_time", _("on time")
    LATE = "late", _("late")
    EARLY_LEAVE = "early_leave", _("left early")
    LATE_AND_EARLY = "late_early", _("late and left early")
    ABSENT = "absent", _("absent")
    EXCUSED = "excused", _("on approved leave")
    OPEN = "open", _("clocked in")
    UNSCHEDULED = "unscheduled", _("no scheduled shift")


class QuestionKind(models.TextChoices):
    """How a question of the bank is answered (and marked, in a skills test)."""

    SHORT = "short", _("short answer (marked by the trainer)")
    SINGLE = "single", _("single choice")
    MULTIPLE = "multiple", _("multiple choice")
    TRUE_FALSE = "true_false", _("true or false")


#: Kinds a skills test marks automatically.
AUTO_MARKED = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE)
