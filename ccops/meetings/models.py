"""Meetings (weekly quality, monthly operations, emergency, post-shift), their action items
and progress reports, emergency-meeting requests approved up the chain, and experience
exchanges with their lessons."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccops.core import formats
from ccops.core.models import ArchivableModel, AuditedModel, Site
from ccops.meetings.choices import (
    OPEN_STATUSES,
    ActionStatus,
    MeetingKind,
    MeetingStatus,
    RequestStatus,
)
from ccops.people.models import Employee


class EmergencyMeetingRequest(ArchivableModel):
    """A request for an emergency meeting, approved up the chain (see
    :func:`ccops.meetings.services.approval_level_needed`)."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        Employee, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requester_level = models.PositiveSmallIntegerField(_("requester's level"))
    reason = models.TextField(_("reason"))
    proposed_at = models.DateTimeField(_("proposed time"))
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    approved_level = models.PositiveSmallIntegerField(_("approved up to level"))

    restrict_owner_field = "requested_by__user"
    restrict_team_field = "requested_by__team"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("emergency-meeting request")
        verbose_name_plural = _("emergency-meeting requests")

    def __str__(self) -> str:
        return str(_("Emergency meeting request #%(n)s") % {"n": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("meetings:emergencymeetingrequest_detail", args=[self.pk])


class EmergencyMeetingDecision(AuditedModel):
    """One step of the approval chain: approved or rejected, by whom, at which level."""

    request = models.ForeignKey(
        EmergencyMeetingRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    decided_by = models.ForeignKey(
        Employee, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(_("level"))
    approve = models.BooleanField(_("approved"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            # One decision per step of the chain (the approver must stand above the last).
            models.UniqueConstraint(
                fields=["request", "level"], name="meetings_decision_once_per_level"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request} {self.decided_by.full_name}"


class Meeting(ArchivableModel):
    """A meeting: agenda, attendees, minutes, decisions and action items."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    location = models.CharField(_("location"), max_length=100, blank=True)
    chair = models.ForeignKey(
        Employee, verbose_name=_("chair"), on_delete=models.PROTECT, related_name="+"
    )
    attendees = models.ManyToManyField(
        Employee, verbose_name=_("attendees"), related_name="meetings", blank=True
    )
    agenda = models.TextField(_("agenda"), blank=True, help_text=_("One item per line."))
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    emergency_request = models.OneToOneField(
        EmergencyMeetingRequest,
        verbose_name=_("emergency request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting",
    )

    restrict_owner_field = "attendees__user"

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.title} ({formats.format_date(self.starts_at, self.site)})"

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", args=[self.pk])

    @property
    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]


class ActionItem(ArchivableModel):
    """Something a meeting decided someone does by a date, followed until done."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="action_items"
    )
    title = models.CharField(_("action"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        Employee, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="action_items"
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=15, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    restrict_owner_field = "owner__user"
    restrict_team_field = "owner__team"

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:actionitem_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date < timezone.localdate()


class ActionItemProgress(AuditedModel):
    """A progress report of an action item by its owner."""

    action_item = models.ForeignKey(
        ActionItem, verbose_name=_("action item"), on_delete=models.PROTECT, related_name="progress"
    )
    reported_by = models.ForeignKey(
        Employee, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("progress"))
    reports_done = models.BooleanField(_("reports it done"), default=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self) -> str:
        return f"{self.action_item}: {self.text[:40]}"


class ExperienceExchange(ArchivableModel):
    """An experience exchange (at least half-yearly) and the lessons drawn from it."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    participants = models.ManyToManyField(
        Employee, verbose_name=_("participants"), related_name="experience_exchanges", blank=True
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("experience exchange")
        verbose_name_plural = _("experience exchanges")

    def __str__(self) -> str:
        return f"{self.topic} ({self.held_on})"

    def get_absolute_url(self) -> str:
        return reverse("meetings:experienceexchange_detail", args=[self.pk])


class ExperienceLesson(ArchivableModel):
    """A lesson of an experience exchange; flagged ones feed the service manual."""

    exchange = models.ForeignKey(
        ExperienceExchange,
        verbose_name=_("exchange"),
        on_delete=models.PROTECT,
        related_name="lessons",
    )
    text = models.TextField(_("lesson"))
    for_service_manual = models.BooleanField(_("for the service manual"), default=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def __str__(self) -> str:
        return self.text[:60]

    def get_absolute_url(self) -> str:
        return self.exchange.get_absolute_url()
