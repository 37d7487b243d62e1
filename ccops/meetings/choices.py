from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    WEEKLY_QUALITY = "weekly_quality", _("weekly quality meeting")
    MONTHLY_OPERATIONS = "monthly_operations", _("monthly operations meeting")
    EMERGENCY = "emergency", _("emergency meeting")
    POST_SHIFT = "post_shift", _("post-shift meeting")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    REPORTED_DONE = "reported_done", _("reported done")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


#: Statuses of an action item still to be followed.
OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.REPORTED_DONE)


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("waiting for approval")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
