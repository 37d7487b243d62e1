"""The visitor register (外来人员登记): who came in, approved by whom, received by whom, why,
with which badge and escort, and when they left."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ccops.core.limits import MAX_SHORT_TEXT, BoundedTextField
from ccops.core.models import ArchivableModel, Site
from ccops.people.models import Employee
from ccops.registers.choices import VisitKind, VisitStatus
from ccops.registers.models.base import Overseen, OverseenAllManager, OverseenManager


class Visit(Overseen, ArchivableModel):
    """One visitor (or party) at a site: announced by the host and approved in advance, or
    a walk-in waiting at the door for approval; then received, badged, escorted and signed
    out. The register keeps every visit; nothing is deleted."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=VisitKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.AWAITING
    )
    visitor_name = models.CharField(_("visitor"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=150, blank=True)
    visitor_phone = models.CharField(_("visitor's phone"), max_length=30, blank=True)
    id_document = models.CharField(
        _("identity document"),
        max_length=60,
        blank=True,
        help_text=_("Type and number of the document shown at the door."),
    )
    party_size = models.PositiveSmallIntegerField(_("people in the party"), default=1)
    host = models.ForeignKey(
        Employee, verbose_name=_("host (receiver)"), on_delete=models.PROTECT, related_name="+"
    )
    reason = BoundedTextField(_("reason for the visit"), max_length=MAX_SHORT_TEXT)
    expected_at = models.DateTimeField(_("expected"), null=True, blank=True)
    expected_until = models.DateTimeField(_("expected to leave"), null=True, blank=True)
    authorizer = models.ForeignKey(
        Employee,
        verbose_name=_("authorizer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)
    arrived_at = models.DateTimeField(_("time received"), null=True, blank=True)
    badge_number = models.CharField(_("badge number"), max_length=20, blank=True)
    escort = models.ForeignKey(
        Employee,
        verbose_name=_("escort"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received at the door by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    left_at = models.DateTimeField(_("time out"), null=True, blank=True)
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed out by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handling = BoundedTextField(_("how it was handled"), max_length=MAX_SHORT_TEXT, blank=True)
    reminded_at = models.DateTimeField(_("sign-out reminder sent"), null=True, blank=True)

    oversee_permission = "registers.oversee_visit"
    own_paths = ("host__user",)
    objects = OverseenManager()
    all_objects = OverseenAllManager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        permissions = [
            ("approve_visit", _("Can approve visits")),
            ("oversee_visit", _("Can see every visit and receive visitors at the door")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "badge_number"],
                condition=Q(status="on_site") & ~Q(badge_number=""),
                name="registers_visit_badge_once_on_site",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["on_site", "left"]) | Q(authorizer__isnull=False),
                name="registers_visit_approved_before_entry",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Visit #%(n)s: %(name)s") % {"n": self.pk or "–", "name": self.visitor_name})

    def get_absolute_url(self) -> str:
        return reverse("registers:visit_detail", args=[self.pk])
