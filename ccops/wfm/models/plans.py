"""Staffing plans, shift template sets, schedules and their shifts, intraday adjustments."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ccops.core import formats
from ccops.core.limits import MAX_SHORT_TEXT, BoundedTextField
from ccops.core.models import ArchivableModel, Job, Queue, Site
from ccops.people.models import Employee
from ccops.wfm.choices import (
    ActivityKind,
    AdjustmentKind,
    PatienceShape,
    PlanPeriod,
    QueueModel,
    ScheduleStatus,
    ServiceShape,
)
from ccops.wfm.models.stats import Forecast


class StaffingPlan(ArchivableModel):
    """Service targets, shrinkage and queueing model of one queue for a period type."""

    name = models.CharField(_("name"), max_length=100)
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    queue = models.ForeignKey(
        Queue, verbose_name=_("queue"), on_delete=models.PROTECT, related_name="staffing_plans"
    )
    period_type = models.CharField(
        _("period type"), max_length=20, choices=PlanPeriod.choices, default=PlanPeriod.NORMAL
    )
    forecast = models.ForeignKey(
        Forecast,
        verbose_name=_("forecast"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )
    service_level_percent = models.DecimalField(
        _("service level target (%)"),
        max_digits=5,
        decimal_places=2,
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(99.99)],
    )
    answer_within_seconds = models.PositiveIntegerField(_("answered within (seconds)"), default=20)
    max_occupancy_percent = models.DecimalField(
        _("maximum occupancy (%)"),
        max_digits=5,
        decimal_places=2,
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    max_abandon_percent = models.DecimalField(
        _("maximum abandonment (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(99.99)],
    )
    shrinkage_percent = models.DecimalField(
        _("shrinkage (%)"),
        max_digits=5,
        decimal_places=2,
        default=30,
        validators=[MinValueValidator(0), MaxValueValidator(95)],
        help_text=_(
            "Share of paid time not available for calls: breaks, meetings, training, absence."
        ),
    )
    model = models.CharField(
        _("queueing model"),
        max_length=10,
        choices=QueueModel.choices,
        default=QueueModel.ERLANG_C,
    )
    patience_seconds = models.PositiveIntegerField(
        _("mean caller patience (s)"),
        null=True,
        blank=True,
        help_text=_(
            "Required by Erlang A; with the simulation an exponential patience of this mean "
            "(empty: callers never hang up)."
        ),
    )
    patience_shape = models.CharField(
        _("patience"),
        max_length=12,
        choices=PatienceShape.choices,
        default=PatienceShape.EXPONENTIAL,
        help_text=_(
            "Simulation only. Kaplan-Meier: the patience estimated from the waits of the "
            "queue's imported call records of the last 13 weeks, a served caller's wait "
            "counting as a lower bound on their patience."
        ),
    )
    service_shape = models.CharField(
        _("service-time shape"),
        max_length=12,
        choices=ServiceShape.choices,
        default=ServiceShape.EXPONENTIAL,
        help_text=_("Simulation only: Erlang C and Erlang A assume exponential handle times."),
    )
    service_cv = models.DecimalField(
        _("service-time coefficient of variation"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.05")), MaxValueValidator(10)],
        help_text=_(
            "Standard deviation of the handle time over its mean, for a lognormal shape "
            "(real call centers: about 1 to 2)."
        ),
    )
    simulation_replications = models.PositiveSmallIntegerField(
        _("simulation runs"),
        default=20,
        validators=[MinValueValidator(2), MaxValueValidator(200)],
        help_text=_("Independent runs of each day; the confidence interval narrows with more."),
    )
    simulation_seed = models.PositiveIntegerField(
        _("simulation seed"),
        default=0,
        help_text=_("The same seed gives the same figures."),
    )
    default_aht_seconds = models.PositiveIntegerField(
        _("default AHT (s)"),
        default=180,
        help_text=_("Used where the forecast has no handle time."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["site__code", "queue__code", "period_type", "name"]
        verbose_name = _("staffing plan")
        verbose_name_plural = _("staffing plans")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("wfm:staffingplan_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.model == QueueModel.ERLANG_A and not self.patience_seconds:
            errors["patience_seconds"] = _("Erlang A needs the mean patience.")
        if self.patience_shape == PatienceShape.KAPLAN_MEIER:
            if self.model != QueueModel.SIMULATION:
                errors["patience_shape"] = _(
                    "Only the simulation draws from a patience fitted to call records; "
                    "Erlang A assumes an exponential patience."
                )
            elif self.patience_seconds:
                errors["patience_seconds"] = _(
                    "Leave the mean patience empty: the Kaplan-Meier patience comes from "
                    "the call records."
                )
            elif (
                self.queue_id
                and not self.queue.call_records.filter(
                    outcome="abandoned", wait_seconds__isnull=False
                ).exists()
            ):
                errors["patience_shape"] = _(
                    "The queue has no imported call record of an abandoned call to estimate "
                    "the patience from; import per-call records first."
                )
        if self.model == QueueModel.SIMULATION:
            if self.service_shape == ServiceShape.LOGNORMAL and self.service_cv is None:
                errors["service_cv"] = _(
                    "A lognormal service time needs its coefficient of variation."
                )
            if self.service_shape == ServiceShape.EXPONENTIAL and self.service_cv not in (
                None,
                1,
            ):
                errors["service_cv"] = _(
                    "An exponential service time has a coefficient of variation of 1: "
                    "leave it empty or choose the lognormal shape."
                )
        else:
            if self.service_shape != ServiceShape.EXPONENTIAL:
                errors["service_shape"] = _(
                    "Only the simulation draws from a service-time shape; Erlang C and "
                    "Erlang A assume exponential handle times."
                )
            if self.service_cv is not None:
                errors["service_cv"] = _("Only the simulation uses a coefficient of variation.")
        if errors:
            raise ValidationError(errors)
        if self.queue_id and self.site_id and self.queue.site_id != self.site_id:
            raise ValidationError({"queue": _("The queue is on another site.")})


class ShiftTemplateSet(ArchivableModel):
    """A named set of shift templates (YAML text in the scheduling engine's format)."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    definition = models.TextField(
        _("templates (YAML)"),
        help_text=_("Shift templates in the format of docs/scheduling.md."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["site__code", "name"]
        verbose_name = _("shift template set")
        verbose_name_plural = _("shift template sets")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "name"],
                condition=Q(archived_at__isnull=True),
                name="wfm_templateset_name_active",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("wfm:shifttemplateset_detail", args=[self.pk])


class Schedule(ArchivableModel):
    """A version of the schedule of a site for one week (Monday to Sunday, site time): one
    schedule for every queue and seat of the site, built from each queue's staffing plan."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    week_start = models.DateField(_("week of"))
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=ScheduleStatus.choices, default=ScheduleStatus.DRAFT
    )
    plans = models.ManyToManyField(
        StaffingPlan,
        verbose_name=_("staffing plans"),
        blank=True,
        related_name="schedules",
        help_text=_("The staffing plan of each queue and period type the week was built from."),
    )
    template_set = models.ForeignKey(
        ShiftTemplateSet,
        verbose_name=_("shift templates"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="schedules",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    job = models.ForeignKey(
        Job,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-week_start", "-version"]
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "week_start", "version"], name="wfm_schedule_version"
            ),
            models.UniqueConstraint(
                fields=["site", "week_start"],
                condition=Q(status="published"),
                name="wfm_schedule_one_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site.code} {self.week_start} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("wfm:schedule_detail", args=[self.pk])


class ScheduledShift(ArchivableModel):
    """One shift of a schedule; ``employee`` is empty until the shift is rostered."""

    schedule = models.ForeignKey(
        Schedule, verbose_name=_("schedule"), on_delete=models.PROTECT, related_name="shifts"
    )
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shifts",
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    breaks = models.JSONField(
        _("breaks"),
        default=list,
        blank=True,
        help_text=_('A list of {"start": ISO time, "end": ISO time, "paid": bool}.'),
    )
    template = models.CharField(_("template"), max_length=60, blank=True)
    queue = models.ForeignKey(
        Queue,
        verbose_name=_("queue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The first queue the shift serves."),
    )
    # every queue the shift's agent may serve (ids; the agent holds all their skills)
    queue_ids = models.JSONField(_("queues"), default=list, blank=True)

    restrict_owner_field = "employee__user"
    restrict_team_field = "employee__team"

    # display-only rows of the shift page (set by the view) and their labels
    break_list = queue_list = ""
    column_labels = {"break_list": _("breaks"), "queue_list": _("queues")}

    class Meta:
        ordering = ["start", "employee__full_name"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="wfm_shift_end_after_start"
            )
        ]
        indexes = [models.Index(fields=["employee", "start"])]

    def __str__(self) -> str:
        who = self.employee.full_name if self.employee_id else _("unassigned")
        return f"{who} {formats.format_range(self.start, self.end, self.schedule.site)}"

    def get_absolute_url(self) -> str:
        return reverse("wfm:scheduledshift_detail", args=[self.pk])

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600

    @property
    def serves(self) -> tuple[int, ...]:
        """The queues (ids) the shift serves: ``queue_ids``, or its one ``queue``."""
        if self.queue_ids:
            return tuple(self.queue_ids)
        return (self.queue_id,) if self.queue_id else ()


class Unavailability(ArchivableModel):
    """A time an employee cannot work, every week (a weekday and hours, site time) or on
    one date; generation never plans a shift into it and every edit is checked against it."""

    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="unavailabilities",
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        null=True,
        blank=True,
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
        help_text=_("Every week on this day; leave empty for one date."),
    )
    date = models.DateField(_("date"), null=True, blank=True)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(
        _("until"), help_text=_("00:00 means midnight at the end of the day.")
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    restrict_owner_field = "employee__user"
    restrict_team_field = "employee__team"

    class Meta:
        ordering = ["employee__employee_number", "weekday", "date", "start_time"]
        verbose_name = _("unavailability")
        verbose_name_plural = _("unavailabilities")
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__isnull=False) ^ Q(date__isnull=False),
                name="wfm_unavailability_weekday_or_date",
            )
        ]

    def __str__(self) -> str:
        when = (
            self.get_weekday_display()
            if self.weekday is not None
            else formats.format_date(self.date)
        )
        return f"{self.employee.full_name}: {when} {self.start_time:%H:%M}-{self.end_time:%H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("wfm:unavailability_detail", args=[self.pk])

    def clean(self) -> None:
        if (self.weekday is None) == (self.date is None):
            raise ValidationError({"weekday": _("Give a weekday or a date, not both.")})
        midnight = (
            self.end_time is not None and self.end_time.hour == 0 and self.end_time.minute == 0
        )
        if self.start_time and self.end_time and not midnight and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("The end must be after the start.")})


class ShiftActivity(ArchivableModel):
    """Training, coaching or a meeting inside a shift: the agent is off the phones."""

    shift = models.ForeignKey(
        ScheduledShift, verbose_name=_("shift"), on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=120)
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("placed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    restrict_owner_field = "shift__employee__user"
    restrict_team_field = "shift__employee__team"

    class Meta:
        ordering = ["start", "shift__employee__full_name"]
        verbose_name = _("activity in a shift")
        verbose_name_plural = _("activities in shifts")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="wfm_activity_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.title} {formats.format_range(self.start, self.end, self.shift.schedule.site)}"
        )

    def get_absolute_url(self) -> str:
        return self.shift.schedule.get_absolute_url()


class ScheduleFeedback(ArchivableModel):
    """An agent's feedback on a published schedule (the manual: collect the staff's views
    once a new shift plan runs), for the planners."""

    schedule = models.ForeignKey(
        Schedule, verbose_name=_("schedule"), on_delete=models.PROTECT, related_name="feedback"
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (does not work for me) to 5 (works well)."),
    )
    comment = BoundedTextField(_("comment"), max_length=MAX_SHORT_TEXT, blank=True)

    restrict_owner_field = "employee__user"
    restrict_team_field = "employee__team"

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("schedule feedback")
        verbose_name_plural = _("schedule feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "employee"],
                condition=Q(archived_at__isnull=True),
                name="wfm_feedback_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee.full_name}: {self.schedule}"

    def get_absolute_url(self) -> str:
        return self.schedule.get_absolute_url()


class IntradayAdjustment(ArchivableModel):
    """A temporary change of today's staffing: call-in, overtime, cancelled training..."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    queue = models.ForeignKey(
        Queue,
        verbose_name=_("queue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AdjustmentKind.choices)
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    heads = models.IntegerField(
        _("heads"), help_text=_("Agents added (negative: removed) during the period.")
    )
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-start"]
        verbose_name = _("intraday adjustment")
        verbose_name_plural = _("intraday adjustments")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="wfm_adjustment_end_after_start"
            )
        ]

    def __str__(self) -> str:
        when = formats.format_range(self.start, self.end, self.site)
        return f"{self.get_kind_display()} {self.heads:+d} {when}"

    def get_absolute_url(self) -> str:
        return reverse("wfm:intradayadjustment_detail", args=[self.pk])


class SimulatedFigures(models.Model):
    """The simulation's figures for one set of inputs, computed once (a cache, not a
    record): a plan's simulated staffing of a day, or a schedule's simulated projection of
    one queue and day. ``key`` is the SHA-256 of every input (heads, calls, AHT, targets,
    distributions, runs, seed), so a changed shift or plan asks for new figures and the old
    ones stay for the versions that still have them. ``figures`` is empty while a
    background task computes them."""

    key = models.CharField(_("inputs"), max_length=64, unique=True)
    purpose = models.CharField(_("purpose"), max_length=20)
    figures = models.JSONField(_("figures"), null=True, blank=True)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)

    class Meta:
        verbose_name = _("simulated figures")
        verbose_name_plural = _("simulated figures")

    def __str__(self) -> str:
        return f"{self.purpose} {self.key[:12]}"
