"""Choice lists of the workforce-management models."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ccops.people.choices import LeaveCategory


class ImportKind(models.TextChoices):
    CALLS = "calls", _("call records")
    INTERVALS = "intervals", _("interval report")


class CallOutcome(models.TextChoices):
    ANSWERED = "answered", _("answered")
    ABANDONED = "abandoned", _("abandoned")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    #: Checked; it would replace earlier values, so it waits for the importer's go-ahead.
    REVIEW = "review", _("awaiting confirmation")
    SUCCEEDED = "succeeded", _("succeeded")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")


class ForecastStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")


class PlanPeriod(models.TextChoices):
    """The period types of the manual a staffing plan is made for."""

    NORMAL = "normal", _("normal period")
    BILLING = "billing_period", _("billing period")
    EMERGENCY = "emergency", _("emergency period")


class QueueModel(models.TextChoices):
    ERLANG_C = "erlang_c", _("Erlang C (no abandonment)")
    ERLANG_A = "erlang_a", _("Erlang A (callers abandon)")
    SIMULATION = "simulation", _("Simulation (service-time and patience distributions)")


class ServiceShape(models.TextChoices):
    """The shape of the handle-time distribution a simulation plan draws from (its mean is
    the interval's AHT)."""

    EXPONENTIAL = "exponential", _("exponential (Erlang's assumption, CV 1)")
    LOGNORMAL = "lognormal", _("lognormal (give its coefficient of variation)")


class PatienceShape(models.TextChoices):
    """How a simulation plan's callers lose patience."""

    EXPONENTIAL = "exponential", _("exponential (of the mean patience)")
    KAPLAN_MEIER = "kaplan_meier", _("Kaplan-Meier, from the queue's imported call records")


class ScheduleStatus(models.TextChoices):
    QUEUED = "queued", _("being generated")
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    SUPERSEDED = "superseded", _("superseded")
    FAILED = "failed", _("failed")


#: The kinds of time off are the leave categories of ``ccops.people`` (each site's leave
#: types say which of them have a yearly balance).
TimeOffKind = LeaveCategory


class DayPart(models.TextChoices):
    """Half a day of time off (the code of conduct's half-day leave): the morning is the
    site's day up to noon, the afternoon from noon; it counts half a working day."""

    MORNING = "morning", _("morning")
    AFTERNOON = "afternoon", _("afternoon")


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    CANCELLED = "cancelled", _("cancelled")


class SwapStatus(models.TextChoices):
    REQUESTED = "requested", _("waiting for the colleague")
    ACCEPTED = "accepted", _("waiting for the manager")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    CANCELLED = "cancelled", _("cancelled")


class AdjustmentKind(models.TextChoices):
    CALL_IN = "call_in", _("call-in")
    OVERTIME = "overtime", _("overtime")
    CANCELLED_TRAINING = "cancelled_training", _("cancelled training")
    SENT_HOME = "sent_home", _("sent home")
    OTHER = "other", _("other")


class ActivityKind(models.TextChoices):
    """Work off the phones placed inside a shift (the manual: when staff and load match,
    training belongs in working hours, not in people's rest time)."""

    TRAINING = "training", _("training")
    COACHING = "coaching", _("coaching")
    MEETING = "meeting", _("meeting")
    OTHER = "other", _("other activity")
