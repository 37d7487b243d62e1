"""Handovers (checklist, notes, questions, two signatures), the duty diary, the handover
times of each site, the checklist template, the question bank and shift briefings."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ccops.core import audit, formats
from ccops.core.models import ArchivableModel, SignableModel, Site
from ccops.people.models import Employee, Team
from ccops.shiftops.choices import (
    AttendanceStatus,
    BriefingKind,
    ChecklistCategory,
    CheckStatus,
    DiaryCategory,
    QuestionKind,
)


class HandoverTime(ArchivableModel):
    """A shift change of a site at which a handover is expected (local time of day)."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="handover_times"
    )
    time = models.TimeField(_("time of day"), help_text=_("In the site's time zone."))
    name = models.CharField(_("name"), max_length=60)
    grace_minutes = models.PositiveSmallIntegerField(
        _("grace period (minutes)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
        help_text=_("A handover not signed by both sides this long after is late."),
    )

    class Meta:
        ordering = ["site__code", "time"]
        verbose_name = _("handover time")
        verbose_name_plural = _("handover times")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "time"],
                condition=Q(archived_at__isnull=True),
                name="shiftops_handovertime_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.time:%H:%M} ({self.site.code})"

    def get_absolute_url(self) -> str:
        return reverse("shiftops:handovertime_detail", args=[self.pk])


class ChecklistItemTemplate(ArchivableModel):
    """One item of the handover checklist every new handover starts from."""

    site = models.ForeignKey(
        Site,
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leave empty for every site."),
    )
    category = models.CharField(_("category"), max_length=20, choices=ChecklistCategory.choices)
    text = models.CharField(_("item"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=10)

    class Meta:
        ordering = ["order", "category", "text"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.text}"

    def get_absolute_url(self) -> str:
        return reverse("shiftops:checklistitemtemplate_detail", args=[self.pk])


class HandoverQuestion(ArchivableModel):
    """A question of the center's one question bank: put to the incoming staff at a
    handover, and drawn into the quarterly business-skills tests (``ccops.quality``).

    ``kind`` says how it is answered: a short answer (compared with ``expected_answer``
    by whoever marks it), a single or multiple choice among ``options`` (each
    ``{"text": ..., "correct": bool}``), or true/false (``answer_true``)."""

    topic = models.CharField(_("topic"), max_length=100)
    text = models.TextField(_("question"))
    expected_answer = models.TextField(_("expected answer"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=12, choices=QuestionKind.choices, default=QuestionKind.SHORT
    )
    options = models.JSONField(_("options"), default=list, blank=True)
    answer_true = models.BooleanField(_("the statement is true"), null=True, blank=True)
    points = models.PositiveSmallIntegerField(
        _("points"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    for_handovers = models.BooleanField(_("asked at handovers"), default=True)
    for_tests = models.BooleanField(_("used in skills tests"), default=True)

    class Meta:
        ordering = ["topic", "pk"]
        verbose_name = _("handover question")
        verbose_name_plural = _("handover questions")

    def __str__(self) -> str:
        return f"{self.topic}: {self.text[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("shiftops:handoverquestion_detail", args=[self.pk])

    def clean(self) -> None:
        options = self.options or []
        if self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            if not isinstance(options, list) or not all(
                isinstance(o, dict) and str(o.get("text", "")).strip() for o in options
            ):
                raise ValidationError({"options": _("Each option needs a text.")})
            if len(options) < 2:
                raise ValidationError(
                    {"options": _("A choice question needs two options or more.")}
                )
            correct = sum(1 for o in options if o.get("correct"))
            if self.kind == QuestionKind.SINGLE and correct != 1:
                raise ValidationError(
                    {"options": _("A single-choice question has exactly one correct option.")}
                )
            if self.kind == QuestionKind.MULTIPLE and correct < 1:
                raise ValidationError(
                    {
                        "options": _(
                            "Mark at least one option of a multiple-choice question correct."
                        )
                    }
                )
        elif options:
            raise ValidationError({"options": _("Only choice questions have options.")})
        if self.kind == QuestionKind.TRUE_FALSE and self.answer_true is None:
            raise ValidationError({"answer_true": _("Say whether the statement is true.")})

    @property
    def correct_options(self) -> list[int]:
        return [i for i, o in enumerate(self.options or []) if o.get("correct")]


class Handover(SignableModel):
    """The formal handover from the outgoing to the incoming shift of a site.

    Each side signs as itself (``outgoing_signed_*``, ``incoming_signed_*``); when both have
    signed, ``signed_at`` locks the record, its checklist, answers and the duty-diary entries
    it closes. A correction is an amendment (``amends``), signed again by both sides.
    """

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="handovers"
    )
    handover_at = models.DateTimeField(_("handover time"))
    outgoing_lead = models.ForeignKey(
        Employee,
        verbose_name=_("outgoing duty lead"),
        on_delete=models.PROTECT,
        related_name="handovers_given",
    )
    incoming_lead = models.ForeignKey(
        Employee,
        verbose_name=_("incoming duty lead"),
        on_delete=models.PROTECT,
        related_name="handovers_taken",
    )
    notes = models.TextField(_("outgoing side's notes"), blank=True)
    outgoing_signed_at = models.DateTimeField(
        _("signed by the outgoing side"), null=True, blank=True
    )
    outgoing_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("outgoing signature"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    incoming_signed_at = models.DateTimeField(
        _("signed by the incoming side"), null=True, blank=True
    )
    incoming_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("incoming signature"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-handover_at", "-pk"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        constraints = [
            # One handover per site and shift change (amendments aside).
            models.UniqueConstraint(
                fields=["site", "handover_at"],
                condition=Q(amends__isnull=True, archived_at__isnull=True),
                name="shiftops_handover_once_per_time",
            ),
            # One open (unsigned) amendment of a handover at a time.
            models.UniqueConstraint(
                fields=["amends"],
                condition=Q(amends__isnull=False, signed_at__isnull=True, archived_at__isnull=True),
                name="shiftops_handover_one_open_amendment",
            ),
        ]

    def __str__(self) -> str:
        label = _("Handover %(site)s %(time)s") % {
            "site": self.site.code if self.site_id else "",
            "time": formats.format_datetime(self.handover_at, self.site if self.site_id else None),
        }
        if self.amends_id:
            return str(_("%(handover)s (amendment)") % {"handover": label})
        return str(label)

    def get_absolute_url(self) -> str:
        return reverse("shiftops:handover_detail", args=[self.pk])

    def state(self):
        if self.signed_at:
            return _("signed by both sides")
        if self.outgoing_signed_at:
            return _("signed by the outgoing side")
        return _("not signed yet")

    state.short_description = _("state")


class _LockedWithHandover:
    """Child rows of a handover are immutable once the handover is signed by both sides."""

    @staticmethod
    def _handover_signed(handover_id) -> bool:
        return bool(
            handover_id
            and Handover.all_objects.filter(pk=handover_id, signed_at__isnull=False).exists()
        )

    @property
    def is_locked(self) -> bool:
        """The handover is signed (admin shows the row read-only)."""
        return self._handover_signed(self.handover_id)

    def check_lock(self, before: dict, after: dict) -> None:
        """Refuse any change (archiving included) of a row of a signed handover, and
        moving a row into a signed handover."""
        moved_in = after.get("handover_id") != before.get("handover_id")
        if self._handover_signed(before.get("handover_id")) or (
            moved_in and self._handover_signed(after.get("handover_id"))
        ):
            raise audit.RecordLocked(
                gettext(
                    "%(record)s belongs to a signed handover and cannot be changed, moved or "
                    "archived: record an amendment of the handover instead."
                )
                % {"record": self}
            )


class HandoverCheck(_LockedWithHandover, ArchivableModel):
    """One checklist item of a handover: OK, or a problem with a note."""

    handover = models.ForeignKey(
        Handover, verbose_name=_("handover"), on_delete=models.PROTECT, related_name="checks"
    )
    category = models.CharField(_("category"), max_length=20, choices=ChecklistCategory.choices)
    item = models.CharField(_("item"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=10)
    status = models.CharField(
        _("status"), max_length=10, choices=CheckStatus.choices, default=CheckStatus.UNCHECKED
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("handover check")
        verbose_name_plural = _("handover checks")

    def __str__(self) -> str:
        return f"{self.item}: {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return self.handover.get_absolute_url()


class HandoverAnswer(_LockedWithHandover, ArchivableModel):
    """A question of the bank put to someone of the incoming shift, with the answer."""

    handover = models.ForeignKey(
        Handover, verbose_name=_("handover"), on_delete=models.PROTECT, related_name="answers"
    )
    question = models.ForeignKey(
        HandoverQuestion, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+"
    )
    question_text = models.TextField(_("question asked"))
    asked_to = models.ForeignKey(
        Employee, verbose_name=_("asked to"), on_delete=models.PROTECT, related_name="+"
    )
    answer = models.TextField(_("answer"), blank=True)
    correct = models.BooleanField(_("correct"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("handover answer")
        verbose_name_plural = _("handover answers")

    def __str__(self) -> str:
        return f"{self.asked_to.full_name}: {self.question_text[:60]}"

    def get_absolute_url(self) -> str:
        return self.handover.get_absolute_url()


class DutyDiaryEntry(_LockedWithHandover, ArchivableModel):
    """An entry of the duty diary of a shift; the handover closing the shift locks it."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    time = models.DateTimeField(_("time"))
    category = models.CharField(_("category"), max_length=20, choices=DiaryCategory.choices)
    text = models.TextField(_("entry"))
    author = models.ForeignKey(
        Employee, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    handover = models.ForeignKey(
        Handover,
        verbose_name=_("handover"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="diary_entries",
    )

    class Meta:
        ordering = ["-time", "-pk"]
        verbose_name = _("duty diary entry")
        verbose_name_plural = _("duty diary entries")

    def __str__(self) -> str:
        return f"{formats.format_datetime(self.time, self.site)} {self.get_category_display()}"

    def get_absolute_url(self) -> str:
        return reverse("shiftops:dutydiaryentry_detail", args=[self.pk])

    @staticmethod
    def shift_closed(site_id, time) -> bool:
        """Is the shift of ``time`` at the site handed over (a signed original handover at
        or after it)? Its diary is signed and closed: no entry may be written or moved
        into it."""
        if not site_id or time is None:
            return False
        return Handover.all_objects.filter(
            site_id=site_id, signed_at__isnull=False, handover_at__gte=time, amends__isnull=True
        ).exists()

    def _closed_error(self):
        return ValidationError(
            {"time": gettext("That shift has been handed over; its diary is signed and closed.")}
        )

    def clean(self) -> None:
        super().clean()
        if self.handover_id is None and self.shift_closed(self.site_id, self.time):
            raise self._closed_error()

    def check_lock(self, before: dict, after: dict) -> None:
        super().check_lock(before, after)
        if after.get("handover_id") is not None:
            return
        time = after.get("time")
        time = parse_datetime(time) if isinstance(time, str) else time
        moved = time != parse_datetime(before["time"]) if before.get("time") else True
        moved = moved or after.get("site_id") != before.get("site_id")
        if moved and self.shift_closed(after.get("site_id"), time):
            raise audit.RecordLocked(self._closed_error().message_dict["time"][0])


class Briefing(ArchivableModel):
    """A pre-shift or post-shift briefing: who attended, topics, problems and questions."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=BriefingKind.choices)
    held_at = models.DateTimeField(_("held at"))
    led_by = models.ForeignKey(
        Employee, verbose_name=_("led by"), on_delete=models.PROTECT, related_name="+"
    )
    attendees = models.ManyToManyField(
        Employee, verbose_name=_("attendees"), related_name="briefings", blank=True
    )
    topics = models.TextField(_("topics"), blank=True)
    problems_raised = models.TextField(_("problems raised"), blank=True)
    questions_asked = models.TextField(_("questions asked"), blank=True)

    restrict_owner_field = "attendees__user"
    restrict_team_field = "team"

    class Meta:
        ordering = ["-held_at", "-pk"]
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {formats.format_datetime(self.held_at, self.site)}"

    def get_absolute_url(self) -> str:
        return reverse("shiftops:briefing_detail", args=[self.pk])


class AttendanceRecord(ArchivableModel):
    """A clock-in and clock-out of an employee against a published shift, with lateness,
    early leave and absence derived from them (see :mod:`ccops.shiftops.attendance`).

    A record without ``clock_in`` is an absence found when the shift was settled; it is
    ``excused`` when approved leave covers the shift."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="+"
    )
    shift = models.ForeignKey(
        "wfm.ScheduledShift",
        verbose_name=_("shift"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    shift_start = models.DateTimeField(_("shift start"), null=True, blank=True)
    shift_end = models.DateTimeField(_("shift end"), null=True, blank=True)
    clock_in = models.DateTimeField(_("clocked in"), null=True, blank=True)
    clock_out = models.DateTimeField(_("clocked out"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=AttendanceStatus.choices)
    ready_in_time = models.BooleanField(
        _("ready 10 minutes before"),
        null=True,
        blank=True,
        help_text=_("Clocked in at least ten minutes before the shift started."),
    )
    late_minutes = models.PositiveIntegerField(_("minutes late"), default=0)
    early_leave_minutes = models.PositiveIntegerField(_("minutes left early"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)

    restrict_owner_field = "employee__user"
    restrict_team_field = "employee__team"

    class Meta:
        ordering = ["-shift_start", "-clock_in", "-pk"]
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        constraints = [
            models.UniqueConstraint(
                fields=["shift"],
                condition=Q(archived_at__isnull=True, shift__isnull=False),
                name="shiftops_attendance_once_per_shift",
            ),
            # One clock-in without clock-out per employee.
            models.UniqueConstraint(
                fields=["employee"],
                condition=Q(
                    archived_at__isnull=True, clock_in__isnull=False, clock_out__isnull=True
                ),
                name="shiftops_attendance_one_open_clock_in",
            ),
        ]

    def __str__(self) -> str:
        when = self.shift_start or self.clock_in
        day = formats.format_date(when, self.employee.site)
        return f"{self.employee.full_name} {day} {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("shiftops:attendancerecord_detail", args=[self.pk])
