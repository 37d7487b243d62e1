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
    NORMAL = "normal", _("normal period")
    BILLING = "billing", _("billing period")
    EMERGENCY = "emergency", _("emergency period")
    HOLIDAY = "holiday", _("holiday")
