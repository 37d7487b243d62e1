"""Models of the incidents app: versioned emergency playbooks, incidents run from them
(steps, timeline, lead and scribe hand-overs, break-in and password records), the fault
record that closes an incident (signed: immutable), cause acknowledgements, and the surge
plan after recovery with its call-in list."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ccops.core.limits import MAX_SHORT_TEXT, BoundedTextField
from ccops.core.models import ArchivableModel, AuditedModel, Queue, SignableModel, Site
from ccops.incidents.choices import (
    AccountActionKind,
    AssignRole,
    CallInStatus,
    ContactKind,
    IncidentKind,
    IncidentStatus,
    RequiredRecord,
    Severity,
    StepRole,
    TimelineKind,
)
from ccops.meetings.models import ActionItem, EmergencyMeetingRequest, Meeting
from ccops.people.models import Employee
from ccops.wfm.models import IntradayAdjustment


def _chinese() -> bool:
    return (translation.get_language() or "").lower().startswith("zh")


def _person(user) -> str:
    """A user shown by their name (their employee record's, else the account's)."""
    if user is None:
        return "—"
    employee = getattr(user, "employee", None)
    return employee.full_name if employee is not None else (user.get_full_name() or user.username)


class Bilingual:
    """``text`` / ``title`` in the reader's language (Chinese or English)."""

    def _pick(self, name: str) -> str:
        zh, en = getattr(self, f"{name}_zh"), getattr(self, f"{name}_en")
        return (zh or en) if _chinese() else (en or zh)


class Playbook(Bilingual, ArchivableModel):
    """One version of an emergency playbook. A revision is a new version; an incident keeps
    the version it ran."""

    kind = models.CharField(_("type"), max_length=20, choices=IncidentKind.choices)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current version"), default=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    summary_en = BoundedTextField(_("summary (English)"), blank=True, max_length=MAX_SHORT_TEXT)
    summary_zh = BoundedTextField(_("summary (Chinese)"), blank=True, max_length=MAX_SHORT_TEXT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    column_labels = {"title": _("title"), "summary": _("summary")}

    class Meta:
        ordering = ["kind", "-version"]
        verbose_name = _("playbook")
        verbose_name_plural = _("playbooks")
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="incidents_playbook_version"),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(is_current=True, archived_at__isnull=True),
                name="incidents_playbook_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @property
    def title(self) -> str:
        return self._pick("title")

    @property
    def summary(self) -> str:
        return self._pick("summary")

    @property
    def contact_dicts(self) -> list[dict]:
        return [
            {"kind": c.kind, "name": c.name_en, "name_zh": c.name_zh, "phone": c.phone}
            for c in self.contacts.all()
        ]

    def author(self) -> str:
        return _person(self.created_by) if self.created_by_id else _("the manual")

    author.short_description = _("written by")

    def get_absolute_url(self) -> str:
        return reverse("incidents:playbook_detail", args=[self.pk])


class PlaybookContact(Bilingual, AuditedModel):
    """Who a playbook version says to call (power room, IT, police, leaders...)."""

    playbook = models.ForeignKey(
        Playbook, verbose_name=_("playbook"), on_delete=models.PROTECT, related_name="contacts"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=10, choices=ContactKind.choices)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40)

    class Meta:
        ordering = ["playbook", "order"]
        verbose_name = _("playbook contact")
        verbose_name_plural = _("playbook contacts")

    def __str__(self) -> str:
        return f"{self.name}: {self.phone}"

    @property
    def name(self) -> str:
        return self._pick("name")


class PlaybookStep(Bilingual, AuditedModel):
    """A step of a playbook version (never changed: a revision copies the steps)."""

    playbook = models.ForeignKey(
        Playbook, verbose_name=_("playbook"), on_delete=models.PROTECT, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    role = models.CharField(_("responsible"), max_length=20, choices=StepRole.choices)
    text_en = models.CharField(_("step (English)"), max_length=300)
    text_zh = models.CharField(_("step (Chinese)"), max_length=300)
    requires = models.CharField(
        _("record required"), max_length=30, choices=RequiredRecord.choices, blank=True
    )

    class Meta:
        ordering = ["playbook", "order"]
        verbose_name = _("playbook step")
        verbose_name_plural = _("playbook steps")
        constraints = [
            models.UniqueConstraint(fields=["playbook", "order"], name="incidents_step_order")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.text}"

    @property
    def text(self) -> str:
        return self._pick("text")


class Incident(ArchivableModel):
    """An emergency being run from a playbook version, until its fault record closes it."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    playbook = models.ForeignKey(
        Playbook, verbose_name=_("playbook"), on_delete=models.PROTECT, related_name="incidents"
    )
    kind = models.CharField(_("type"), max_length=20, choices=IncidentKind.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    title = models.CharField(_("title"), max_length=200)
    started_at = models.DateTimeField(_("started"))
    symptoms = BoundedTextField(_("symptoms"), max_length=MAX_SHORT_TEXT)
    systems = models.JSONField(_("affected systems"), default=list, blank=True)
    queues = models.ManyToManyField(Queue, verbose_name=_("affected queues"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=IncidentStatus.choices, default=IncidentStatus.ACTIVE
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declared by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    lead = models.ForeignKey(
        Employee, verbose_name=_("incident lead"), on_delete=models.PROTECT, related_name="+"
    )
    scribe = models.ForeignKey(
        Employee,
        verbose_name=_("scribe"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recovered_at = models.DateTimeField(_("recovered"), null=True, blank=True)
    closed_at = models.DateTimeField(pgettext_lazy("incident", "closed"), null=True, blank=True)
    emergency_request = models.OneToOneField(
        EmergencyMeetingRequest,
        verbose_name=_("emergency meeting request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incident",
    )
    review_meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("follow-up meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    follow_ups = models.ManyToManyField(
        ActionItem, verbose_name=_("follow-up actions"), blank=True, related_name="incidents"
    )
    # the break-in playbook's records
    police_report_number = models.CharField(_("police report number"), max_length=60, blank=True)
    scene_sealed_at = models.DateTimeField(_("scene sealed"), null=True, blank=True)
    duty_staff_interviewed = BoundedTextField(
        _("duty staff interviewed"), blank=True, max_length=MAX_SHORT_TEXT
    )

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = pgettext_lazy("emergency", "incident")
        verbose_name_plural = _("incidents")
        permissions = [
            ("declare_incident", _("Can declare and run incidents")),
            ("lock_account", _("Can lock accounts and force password changes in an incident")),
            ("view_faultreport", _("Can see the monthly fault report")),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("incidents:incident_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status != IncidentStatus.CLOSED

    @property
    def system_labels(self) -> list[str]:
        from ccops.incidents.choices import System

        labels = dict(System.choices)
        return [str(labels.get(s, s)) for s in self.systems]


class IncidentStep(Bilingual, AuditedModel):
    """A step of the incident's playbook version, ticked off with time and person."""

    incident = models.ForeignKey(
        Incident,
        verbose_name=pgettext_lazy("emergency", "incident"),
        on_delete=models.PROTECT,
        related_name="steps",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    role = models.CharField(_("responsible"), max_length=20, choices=StepRole.choices)
    text_en = models.CharField(_("step (English)"), max_length=300)
    text_zh = models.CharField(_("step (Chinese)"), max_length=300)
    requires = models.CharField(
        _("record required"), max_length=30, choices=RequiredRecord.choices, blank=True
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        Employee,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["incident", "order"]
        verbose_name = _("incident step")
        verbose_name_plural = _("incident steps")
        constraints = [
            models.UniqueConstraint(fields=["incident", "order"], name="incidents_istep_order")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.text}"

    @property
    def text(self) -> str:
        return self._pick("text")

    def get_absolute_url(self) -> str:
        return self.incident.get_absolute_url()


class TimelineEntry(AuditedModel):
    """One line of an incident's timeline (written by the services, never edited)."""

    incident = models.ForeignKey(
        Incident,
        verbose_name=pgettext_lazy("emergency", "incident"),
        on_delete=models.PROTECT,
        related_name="timeline",
    )
    at = models.DateTimeField(_("time"))
    kind = models.CharField(_("kind"), max_length=12, choices=TimelineKind.choices)
    author = models.ForeignKey(
        Employee,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = BoundedTextField(_("text"), blank=True, max_length=MAX_SHORT_TEXT)

    class Meta:
        ordering = ["incident", "at", "pk"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class RoleHandover(AuditedModel):
    """The trail of who led (or wrote for) an incident, and when it was handed over."""

    incident = models.ForeignKey(
        Incident,
        verbose_name=pgettext_lazy("emergency", "incident"),
        on_delete=models.PROTECT,
        related_name="handovers",
    )
    role = models.CharField(_("role"), max_length=10, choices=AssignRole.choices)
    from_employee = models.ForeignKey(
        Employee,
        verbose_name=_("from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_employee = models.ForeignKey(
        Employee, verbose_name=_("to"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["incident", "at", "pk"]
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")


class AccountAction(AuditedModel):
    """A login locked or made to change its password during a password or break-in
    incident (through the platform's account services, audited there too)."""

    incident = models.ForeignKey(
        Incident,
        verbose_name=pgettext_lazy("emergency", "incident"),
        on_delete=models.PROTECT,
        related_name="account_actions",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=15, choices=AccountActionKind.choices)
    at = models.DateTimeField(_("time"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["incident", "at"]
        verbose_name = _("account action")
        verbose_name_plural = _("account actions")


class FaultRecord(SignableModel):
    """The written record of a fault: cause, impact, what was done, what was agreed with
    the responsible department. Signing it closes the incident; it is immutable then."""

    incident = models.OneToOneField(
        Incident,
        verbose_name=pgettext_lazy("emergency", "incident"),
        on_delete=models.PROTECT,
        related_name="fault",
    )
    cause = BoundedTextField(_("cause"), max_length=MAX_SHORT_TEXT)
    impact = BoundedTextField(_("impact"), blank=True, max_length=MAX_SHORT_TEXT)
    window_start = models.DateTimeField(_("outage from"))
    window_end = models.DateTimeField(_("outage until"))
    downtime_minutes = models.PositiveIntegerField(_("downtime (minutes)"), default=0)
    calls_offered = models.PositiveIntegerField(_("calls offered"), default=0)
    calls_answered = models.PositiveIntegerField(_("calls answered"), default=0)
    calls_abandoned = models.PositiveIntegerField(_("calls abandoned"), default=0)
    actions_taken = BoundedTextField(_("what was done"), max_length=MAX_SHORT_TEXT)
    responsible_department = models.CharField(_("responsible department"), max_length=120)
    agreement = BoundedTextField(
        _("agreed with the responsible department"), max_length=MAX_SHORT_TEXT
    )

    column_labels = {"calls_lost": _("calls lost")}

    class Meta:
        ordering = ["-window_start", "-pk"]
        verbose_name = _("fault record")
        verbose_name_plural = _("fault archive")

    def __str__(self) -> str:
        return f"{self.incident.title} ({self.window_start:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return self.incident.get_absolute_url()

    @property
    def calls_lost(self) -> int:
        return max(self.calls_offered - self.calls_answered, 0)


class Acknowledgement(AuditedModel):
    """A staff member on the roster of the affected days confirms they know the cause."""

    incident = models.ForeignKey(
        Incident,
        verbose_name=pgettext_lazy("emergency", "incident"),
        on_delete=models.PROTECT,
        related_name="acknowledgements",
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("told in person by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Set when a manager recorded it for someone (told at a briefing)."),
    )

    restrict_owner_field = "employee__user"
    restrict_team_field = "employee__team"

    class Meta:
        ordering = ["incident", "employee__full_name"]
        verbose_name = _("cause acknowledgement")
        verbose_name_plural = _("cause acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["incident", "employee"], name="incidents_ack_once")
        ]

    def __str__(self) -> str:
        return f"{self.employee.full_name}: {self.incident.title}"

    def get_absolute_url(self) -> str:
        return reverse("incidents:acknowledgement_list")


class SurgePlan(ArchivableModel):
    """The surge after recovery for one queue: retrials estimated by the engine, the next
    hours re-forecast, the staffing gap against the published schedule, and the planner's
    actions (leave frozen, breaks and training moved, the call-in list)."""

    incident = models.ForeignKey(
        Incident,
        verbose_name=pgettext_lazy("emergency", "incident"),
        on_delete=models.PROTECT,
        related_name="surges",
    )
    queue = models.ForeignKey(
        Queue, verbose_name=_("queue"), on_delete=models.PROTECT, related_name="+"
    )
    recovery_at = models.DateTimeField(_("recovered"))
    hours = models.PositiveSmallIntegerField(_("hours planned"), default=4)
    retrial_share = models.FloatField(_("retrial share"))
    retrial_delay_minutes = models.FloatField(_("retrial delay (minutes)"))
    lost_calls = models.FloatField(_("calls lost in the outage"), default=0)
    intervals = models.JSONField(_("intervals"), default=list, blank=True)
    leave_frozen_until = models.DateTimeField(_("leave frozen until"), null=True, blank=True)
    adjustments = models.ManyToManyField(
        IntradayAdjustment, verbose_name=_("intraday adjustments"), blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("planned by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-recovery_at", "-pk"]
        verbose_name = _("surge plan")
        verbose_name_plural = _("surge plans")

    def __str__(self) -> str:
        return f"{self.queue.name}: {self.incident.title}"

    def get_absolute_url(self) -> str:
        return reverse("incidents:surgeplan_detail", args=[self.pk])

    def planner(self) -> str:
        return _person(self.created_by)

    planner.short_description = _("planned by")

    @property
    def retrial_total(self) -> float:
        return sum(row.get("retrial", 0) for row in self.intervals)

    @property
    def shortfall(self) -> int:
        return -min((row.get("gap", 0) for row in self.intervals), default=0)


class CallInOffer(ArchivableModel):
    """A resting agent asked to come in for overtime during the surge; they accept or
    decline. Accepting records a call-in intraday adjustment."""

    surge = models.ForeignKey(
        SurgePlan, verbose_name=_("surge plan"), on_delete=models.PROTECT, related_name="offers"
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("agent"), on_delete=models.PROTECT, related_name="+"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    reason = models.CharField(_("why on the list"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CallInStatus.choices, default=CallInStatus.OFFERED
    )
    responded_at = models.DateTimeField(pgettext_lazy("call-in", "answered"), null=True, blank=True)
    adjustment = models.OneToOneField(
        IntradayAdjustment,
        verbose_name=_("intraday adjustment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    restrict_owner_field = "employee__user"
    restrict_team_field = "employee__team"

    class Meta:
        ordering = ["surge", "rank"]
        verbose_name = _("call-in request")
        verbose_name_plural = _("call-in requests")
        constraints = [
            models.UniqueConstraint(
                fields=["surge", "employee"],
                condition=Q(archived_at__isnull=True),
                name="incidents_callin_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee.full_name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("incidents:callinoffer_list")
