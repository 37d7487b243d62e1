"""The machine room and other restricted areas: who is authorised, every entry and exit
(with the escort of a visitor and the approval of an entry by someone not authorised), and
the monthly review of the access list and the log, signed by a supervisor."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ccops.core.limits import MAX_SHORT_TEXT, BoundedTextField
from ccops.core.models import ArchivableModel, SignableModel, Site
from ccops.people.models import Employee
from ccops.registers.choices import AccessStatus, AreaKind
from ccops.registers.models.visitors import Visit


class RestrictedArea(ArchivableModel):
    """A room only authorised people enter: the machine room, the network room, an archive."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=20, choices=AreaKind.choices, default=AreaKind.MACHINE_ROOM
    )
    location = models.CharField(_("location"), max_length=150, blank=True)
    rules = BoundedTextField(
        _("entry rules"),
        max_length=MAX_SHORT_TEXT,
        blank=True,
        help_text=_("Shown at the door: what entrants must know (no food, sign the log...)."),
    )

    class Meta:
        ordering = ["site__code", "code"]
        verbose_name = _("restricted area")
        verbose_name_plural = _("restricted areas")
        permissions = [("approve_areaaccess", _("Can approve entry by someone not authorised"))]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "code"],
                condition=Q(archived_at__isnull=True),
                name="registers_area_code_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("registers:restrictedarea_detail", args=[self.pk])


class AreaAuthorization(ArchivableModel):
    """An employee on the access list of an area, from a date (until a date or revoked)."""

    area = models.ForeignKey(
        RestrictedArea,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="authorizations",
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoke_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)

    class Meta:
        ordering = ["area", "employee__full_name"]
        verbose_name = _("area authorisation")
        verbose_name_plural = _("area authorisations")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "employee"],
                condition=Q(revoked_at__isnull=True, archived_at__isnull=True),
                name="registers_authorization_once",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="registers_authorization_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee.full_name} → {self.area.code}"

    def get_absolute_url(self) -> str:
        return reverse("registers:areaauthorization_detail", args=[self.pk])

    def is_valid_on(self, day) -> bool:
        if self.revoked_at is not None and self.revoked_at.date() <= day:
            return False
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class AreaAccess(ArchivableModel):
    """One entry into (and exit from) a restricted area by an employee or a visitor.

    ``authorised`` says whether the entrant was on the access list at entry; an entry that
    was not waits for an approver (``approved_by``), who approves as themselves."""

    area = models.ForeignKey(
        RestrictedArea, verbose_name=_("area"), on_delete=models.PROTECT, related_name="log"
    )
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    visit = models.ForeignKey(
        Visit,
        verbose_name=_("visitor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="area_entries",
    )
    status = models.CharField(_("status"), max_length=10, choices=AccessStatus.choices)
    purpose = models.CharField(_("purpose"), max_length=300)
    escort = models.ForeignKey(
        Employee,
        verbose_name=_("escort"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    authorised = models.BooleanField(_("on the access list"), default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entry approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approval_note = models.CharField(_("approval note"), max_length=300, blank=True)
    entered_at = models.DateTimeField(_("entered"), null=True, blank=True)
    exited_at = models.DateTimeField(_("left"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    exit_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("exit recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("restricted-area entry")
        verbose_name_plural = _("restricted-area log")
        constraints = [
            models.CheckConstraint(
                condition=Q(employee__isnull=True, visit__isnull=False)
                | Q(employee__isnull=False, visit__isnull=True),
                name="registers_access_one_entrant",
            ),
            models.CheckConstraint(
                condition=Q(authorised=True)
                | Q(approved_by__isnull=False)
                | Q(status__in=["awaiting", "refused"]),
                name="registers_access_approved_unless_authorised",
            ),
            models.UniqueConstraint(
                fields=["area", "employee"],
                condition=Q(status__in=["awaiting", "inside"], employee__isnull=False),
                name="registers_access_employee_once_inside",
            ),
            models.UniqueConstraint(
                fields=["area", "visit"],
                condition=Q(status__in=["awaiting", "inside"], visit__isnull=False),
                name="registers_access_visitor_once_inside",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entrant_name()} → {self.area.code}"

    def get_absolute_url(self) -> str:
        return reverse("registers:areaaccess_detail", args=[self.pk])

    def entrant_name(self) -> str:
        if self.employee_id:
            return self.employee.full_name
        if self.visit_id:
            return str(_("%(name)s (visitor)") % {"name": self.visit.visitor_name})
        return ""

    entrant_name.short_description = _("entrant")


class AreaAccessReview(SignableModel):
    """The monthly review of an area's access list and log, signed by a supervisor. The
    figures and the list as reviewed are kept in ``summary`` so the signed review shows
    what was looked at, whatever changes later."""

    area = models.ForeignKey(
        RestrictedArea, verbose_name=_("area"), on_delete=models.PROTECT, related_name="reviews"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month reviewed."))
    reviewer = models.ForeignKey(
        Employee, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    findings = BoundedTextField(_("findings"), max_length=MAX_SHORT_TEXT, blank=True)
    actions = BoundedTextField(_("actions decided"), max_length=MAX_SHORT_TEXT, blank=True)
    summary = models.JSONField(_("what was reviewed"), default=dict, blank=True)

    class Meta:
        ordering = ["-month", "area"]
        verbose_name = _("access review")
        verbose_name_plural = _("access reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "month"],
                condition=Q(amends__isnull=True, archived_at__isnull=True),
                name="registers_review_once_a_month",
            ),
            models.UniqueConstraint(
                fields=["amends"],
                condition=Q(amends__isnull=False, signed_at__isnull=True),
                name="registers_review_one_open_amendment",
            ),
        ]

    def __str__(self) -> str:
        text = _("Access review %(area)s %(month)s") % {
            "area": self.area.code if self.area_id else "",
            "month": f"{self.month:%Y-%m}" if self.month else "",
        }
        if self.amends_id:
            return str(_("%(review)s (amendment)") % {"review": text})
        return str(text)

    def get_absolute_url(self) -> str:
        return reverse("registers:areaaccessreview_detail", args=[self.pk])
