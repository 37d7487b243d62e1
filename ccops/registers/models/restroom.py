"""The rest room: the rooms of a site, and their cleaning rota (daily, and weekly
thorough) signed off by whoever did it."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccops.core.models import ArchivableModel, SignableModel, Site
from ccops.people.models import Employee
from ccops.registers.choices import CleaningKind

#: The manual: rests of more than half an hour may use the rest room.
REST_ROOM_MIN_MINUTES = 30


class RestRoom(ArchivableModel):
    """A rest room of a site (shown to agents on their rests of more than half an hour)."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    location = models.CharField(_("location"), max_length=150)
    capacity = models.PositiveSmallIntegerField(
        _("places"), default=6, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    weekly_cleaning_day = models.PositiveSmallIntegerField(
        _("weekly thorough cleaning on"),
        default=4,
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
    )
    rules = models.CharField(_("house rules"), max_length=500, blank=True)

    class Meta:
        ordering = ["site__code", "name"]
        verbose_name = _("rest room")
        verbose_name_plural = _("rest rooms")

    def __str__(self) -> str:
        return f"{self.name} ({self.location})"

    def get_absolute_url(self) -> str:
        return reverse("registers:restroom_detail", args=[self.pk])


class CleaningDuty(SignableModel):
    """One cleaning of the rota: a day's cleaning or the week's thorough cleaning, by an
    assignee, who signs it off as done (the sign-off locks it)."""

    room = models.ForeignKey(
        RestRoom, verbose_name=_("rest room"), on_delete=models.PROTECT, related_name="duties"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CleaningKind.choices)
    due_date = models.DateField(_("day"))
    assignee = models.ForeignKey(
        Employee, verbose_name=_("assignee"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    restrict_owner_field = "assignee__user"
    restrict_team_field = "assignee__team"

    class Meta:
        ordering = ["due_date", "kind", "pk"]
        verbose_name = _("cleaning duty")
        verbose_name_plural = _("cleaning rota")
        constraints = [
            models.UniqueConstraint(
                fields=["room", "kind", "due_date"],
                condition=Q(archived_at__isnull=True, amends__isnull=True),
                name="registers_cleaning_once_a_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_date} {self.room.name}"

    def get_absolute_url(self) -> str:
        return reverse("registers:cleaningduty_detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return not self.is_signed and self.due_date < timezone.localdate()

    def state(self):
        if self.signed_at:
            return _("done")
        if self.is_overdue:
            return _("missed")
        return _("to do")

    state.short_description = _("state")
