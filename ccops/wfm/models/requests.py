"""Agents' requests (time off, shift swaps) and calendar-feed tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ccops.core import formats
from ccops.core.models import ArchivableModel
from ccops.core.names import person_name
from ccops.people.models import Employee, LeaveType
from ccops.wfm.choices import DayPart, RequestStatus, SwapStatus, TimeOffKind
from ccops.wfm.models.plans import ScheduledShift


class TimeOffRequest(ArchivableModel):
    """An agent asks for time off; their manager approves or rejects it."""

    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="time_off_requests",
    )
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    kind = models.CharField(_("kind"), max_length=20, choices=TimeOffKind.choices)
    leave_type = models.ForeignKey(
        LeaveType,
        verbose_name=_("leave type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    days = models.DecimalField(
        _("working days"),
        max_digits=5,
        decimal_places=1,
        default=0,
        help_text=_("Working days of the employee's calendar the time off takes."),
    )
    day_part = models.CharField(
        _("half day"),
        max_length=10,
        choices=DayPart.choices,
        blank=True,
        help_text=_("The morning or the afternoon of one day: half a working day."),
    )
    reason = models.TextField(_("reason"), blank=True)
    emergency = models.BooleanField(
        _("emergency"),
        default=False,
        help_text=_("An emergency may be asked for at any time, even just before a shift."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RequestStatus.choices,
        default=RequestStatus.REQUESTED,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)

    restrict_owner_field = "employee__user"
    restrict_team_field = "employee__team"

    class Meta:
        ordering = ["-start"]
        verbose_name = _("time-off request")
        verbose_name_plural = _("time-off requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="wfm_timeoff_end_after_start"
            )
        ]

    def __str__(self) -> str:
        days = formats.format_day_span(self.start, self.end, self.employee.site)
        part = f" ({self.get_day_part_display()})" if self.day_part else ""
        return f"{self.employee.full_name}: {self.get_kind_display()} {days}{part}"

    def get_absolute_url(self) -> str:
        return reverse("wfm:timeoffrequest_detail", args=[self.pk])


class ShiftSwapRequest(ArchivableModel):
    """An agent offers their shift to a colleague (for one of the colleague's shifts, or
    as a give-away); the colleague accepts, then a manager approves."""

    requester = models.ForeignKey(
        Employee, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    shift = models.ForeignKey(
        ScheduledShift,
        verbose_name=_("shift given"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    colleague = models.ForeignKey(
        Employee, verbose_name=_("colleague"), on_delete=models.PROTECT, related_name="+"
    )
    colleague_shift = models.ForeignKey(
        ScheduledShift,
        verbose_name=_("shift taken"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the colleague takes the shift without giving one back."),
    )
    participants = models.ManyToManyField(
        Employee, verbose_name=_("participants"), related_name="swap_requests", editable=False
    )
    reason = models.TextField(_("reason"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SwapStatus.choices, default=SwapStatus.REQUESTED
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)

    restrict_owner_field = "participants__user"
    restrict_team_field = "participants__team"

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("shift swap request")
        verbose_name_plural = _("shift swap requests")
        constraints = [
            # one open swap per shift, whichever side of the swap it is on
            models.UniqueConstraint(
                fields=["shift"],
                condition=Q(status__in=["requested", "accepted"]),
                name="wfm_swap_one_open_per_shift",
            ),
            models.UniqueConstraint(
                fields=["colleague_shift"],
                condition=Q(status__in=["requested", "accepted"]),
                name="wfm_swap_one_open_per_taken_shift",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester.full_name} ⇄ {self.colleague.full_name}"

    def get_absolute_url(self) -> str:
        return reverse("wfm:shiftswaprequest_detail", args=[self.pk])


def hash_feed_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class CalendarFeedToken(ArchivableModel):
    """The secret in a user's iCalendar feed URL (only its SHA-256 is stored); archiving
    it revokes the feed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    restrict_owner_field = "user"
    audit_secret = ("key_hash",)
    audit_exclude = ("last_used_at",)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{person_name(self.user)} ({formats.format_date(self.created_at)})"

    @staticmethod
    def generate() -> str:
        return secrets.token_urlsafe(32)
