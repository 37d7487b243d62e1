"""Choice lists of the core models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IntervalMinutes(models.IntegerChoices):
    FIFTEEN = 15, _("15 minutes")
    THIRTY = 30, _("30 minutes")


class Channel(models.TextChoices):
    VOICE = "voice", _("voice")
    CALLBACK = "callback", _("callback")
    CHAT = "chat", _("chat")
    EMAIL = "email", _("email")


class PeriodKind(models.TextChoices):
    """The kinds of the period calendar (the same slugs as the engine's calendar CSV)."""

    NORMAL = "normal", _("normal period")
    BILLING = "billing_period", _("billing period")
    EMERGENCY = "emergency", _("emergency period")
    HOLIDAY = "holiday", _("holiday")
    CAMPAIGN = "campaign", _("campaign")
    OUTAGE = "outage", _("outage")
