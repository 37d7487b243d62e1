"""Confidential documents in custody: work, technical and statistical materials with their
keeper, permitted scope of use and periodic checks; the custody handover when the keeper
changes, signed by both keepers over an inventory (the same signing and locking as a shift
handover); reports of leaks or of material taken out, with their handling and links to
discipline records of whichever app keeps them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ccops.core import audit, formats
from ccops.core.limits import MAX_SHORT_TEXT, BoundedTextField
from ccops.core.models import ArchivableModel, AuditedModel, SignableModel, Site
from ccops.people.models import Employee
from ccops.registers.choices import (
    CheckResult,
    Classification,
    IncidentKind,
    IncidentStatus,
    ItemCondition,
    MaterialCategory,
)
from ccops.registers.models.base import Overseen, OverseenAllManager, OverseenManager


class ConfidentialDocument(Overseen, ArchivableModel):
    """A confidential material in someone's custody."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(_("reference"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=15, choices=MaterialCategory.choices)
    classification = models.CharField(
        _("classification"),
        max_length=15,
        choices=Classification.choices,
        default=Classification.CONFIDENTIAL,
    )
    copies = models.PositiveSmallIntegerField(
        _("copies"), default=1, validators=[MinValueValidator(1), MaxValueValidator(999)]
    )
    keeper = models.ForeignKey(
        Employee, verbose_name=_("keeper"), on_delete=models.PROTECT, related_name="+"
    )
    scope_of_use = BoundedTextField(
        _("permitted scope of use"),
        max_length=MAX_SHORT_TEXT,
        help_text=_("Who may use it, for what, and where (e.g. only in the training room)."),
    )
    location = models.CharField(_("kept at"), max_length=150)
    check_interval_days = models.PositiveSmallIntegerField(
        _("check every (days)"),
        default=90,
        validators=[MinValueValidator(7), MaxValueValidator(366)],
    )
    last_checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)

    oversee_permission = "registers.oversee_confidentialdocument"
    own_paths = ("keeper__user",)
    objects = OverseenManager()
    all_objects = OverseenAllManager()

    class Meta:
        ordering = ["site__code", "reference"]
        verbose_name = _("confidential document")
        verbose_name_plural = _("confidential documents")
        permissions = [
            ("oversee_confidentialdocument", _("Can see every confidential document")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "reference"],
                condition=Q(archived_at__isnull=True),
                name="registers_document_reference_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("registers:confidentialdocument_detail", args=[self.pk])

    def _next_check_due(self) -> dt.date:
        since = self.last_checked_at or self.created_at or timezone.now()
        return timezone.localdate(since) + dt.timedelta(days=self.check_interval_days)

    _next_check_due.short_description = _("next check due")
    next_check_due = property(_next_check_due)

    @property
    def check_overdue(self) -> bool:
        return self.archived_at is None and self.next_check_due < timezone.localdate()


class CustodyCheck(SignableModel):
    """A periodic check of a document: present and intact, or a discrepancy. Signed by
    the checker when recorded."""

    document = models.ForeignKey(
        ConfidentialDocument,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="checks",
    )
    checked_at = models.DateTimeField(_("checked"))
    copies_found = models.PositiveSmallIntegerField(_("copies found"))
    result = models.CharField(_("result"), max_length=15, choices=CheckResult.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-checked_at", "-pk"]
        verbose_name = _("custody check")
        verbose_name_plural = _("custody checks")

    def __str__(self) -> str:
        return (
            f"{self.document.reference} {formats.format_date(self.checked_at, self.document.site)}"
        )

    def get_absolute_url(self) -> str:
        return self.document.get_absolute_url()


class CustodyHandover(Overseen, SignableModel):
    """The handover of documents from one keeper to the next, over an inventory.

    The outgoing keeper signs first (every item counted, every discrepancy described), the
    incoming keeper then signs, which locks the handover and its items and makes them the
    keeper. A correction is an amendment, signed again by both."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    from_keeper = models.ForeignKey(
        Employee, verbose_name=_("outgoing keeper"), on_delete=models.PROTECT, related_name="+"
    )
    to_keeper = models.ForeignKey(
        Employee, verbose_name=_("incoming keeper"), on_delete=models.PROTECT, related_name="+"
    )
    handover_at = models.DateTimeField(_("handover time"))
    notes = BoundedTextField(_("notes"), max_length=MAX_SHORT_TEXT, blank=True)
    outgoing_signed_at = models.DateTimeField(
        _("signed by the outgoing keeper"), null=True, blank=True
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
        _("signed by the incoming keeper"), null=True, blank=True
    )
    incoming_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("incoming signature"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    oversee_permission = "registers.oversee_confidentialdocument"
    own_paths = ("from_keeper__user", "to_keeper__user")
    objects = OverseenManager()
    all_objects = OverseenAllManager()

    class Meta:
        ordering = ["-handover_at", "-pk"]
        verbose_name = _("custody handover")
        verbose_name_plural = _("custody handovers")
        constraints = [
            models.UniqueConstraint(
                fields=["amends"],
                condition=Q(amends__isnull=False, signed_at__isnull=True),
                name="registers_custody_one_open_amendment",
            ),
        ]

    def __str__(self) -> str:
        text = _("Custody handover #%(n)s") % {"n": self.pk or "–"}
        if self.amends_id:
            return str(
                _("%(handover)s (amendment of #%(of)s)") % {"handover": text, "of": self.amends_id}
            )
        return str(text)

    def get_absolute_url(self) -> str:
        return reverse("registers:custodyhandover_detail", args=[self.pk])

    def state(self):
        if self.signed_at:
            return _("signed by both keepers")
        if self.outgoing_signed_at:
            return _("signed by the outgoing keeper")
        return _("not signed yet")

    state.short_description = _("state")


class CustodyHandoverItem(ArchivableModel):
    """One document of a custody handover's inventory: copies expected and counted."""

    handover = models.ForeignKey(
        CustodyHandover, verbose_name=_("handover"), on_delete=models.PROTECT, related_name="items"
    )
    document = models.ForeignKey(
        ConfidentialDocument, verbose_name=_("document"), on_delete=models.PROTECT, related_name="+"
    )
    copies_expected = models.PositiveSmallIntegerField(_("copies expected"))
    copies_counted = models.PositiveSmallIntegerField(_("copies counted"), null=True, blank=True)
    condition = models.CharField(
        _("condition"),
        max_length=15,
        choices=ItemCondition.choices,
        default=ItemCondition.UNCOUNTED,
    )
    note = models.CharField(_("discrepancy"), max_length=500, blank=True)
    #: The handover will change the document's keeper (not yet signed by both): one at a time.
    pending = models.BooleanField(_("pending"), default=True)

    class Meta:
        ordering = ["document__reference", "pk"]
        verbose_name = _("inventory item")
        verbose_name_plural = _("inventory items")
        constraints = [
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(pending=True),
                name="registers_document_one_open_handover",
            )
        ]

    def __str__(self) -> str:
        return f"{self.document.reference}: {self.get_condition_display()}"

    def get_absolute_url(self) -> str:
        return self.handover.get_absolute_url()

    @staticmethod
    def _handover_signed(handover_id) -> bool:
        return bool(
            handover_id
            and CustodyHandover.all_objects.filter(pk=handover_id, signed_at__isnull=False).exists()
        )

    @property
    def is_locked(self) -> bool:
        return self._handover_signed(self.handover_id)

    def check_lock(self, before: dict, after: dict) -> None:
        if self._handover_signed(before.get("handover_id")):
            raise audit.RecordLocked(
                gettext(
                    "%(record)s belongs to a signed custody handover and cannot change: "
                    "record an amendment of the handover instead."
                )
                % {"record": self}
            )


class LeakReport(Overseen, SignableModel):
    """A report of a leak, or of material taken out or lost, and how it was handled.
    Closing it signs it (the handler's signature)."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=15, choices=IncidentKind.choices)
    document = models.ForeignKey(
        ConfidentialDocument,
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leak_reports",
    )
    occurred_at = models.DateTimeField(_("when it happened"))
    reported_by = models.ForeignKey(
        Employee, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    people_involved = models.ManyToManyField(
        Employee, verbose_name=_("people involved"), blank=True, related_name="+"
    )
    description = BoundedTextField(_("what happened"), max_length=MAX_SHORT_TEXT)
    status = models.CharField(
        _("status"),
        max_length=15,
        choices=IncidentStatus.choices,
        default=IncidentStatus.REPORTED,
    )
    handling = BoundedTextField(_("handling"), max_length=MAX_SHORT_TEXT, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    oversee_permission = "registers.oversee_leakreport"
    own_paths = ("reported_by__user",)
    objects = OverseenManager()
    all_objects = OverseenAllManager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("leak report")
        verbose_name_plural = _("leak reports")
        permissions = [("oversee_leakreport", _("Can see and handle every leak report"))]

    def __str__(self) -> str:
        return str(_("Leak report #%(n)s") % {"n": self.pk or "–"})

    def get_absolute_url(self) -> str:
        return reverse("registers:leakreport_detail", args=[self.pk])


class DisciplineLink(AuditedModel):
    """A leak report's link to a discipline record of whichever app keeps them (a generic
    link: the quality app is not imported). The target's text is kept as it was."""

    report = models.ForeignKey(
        LeakReport, verbose_name=_("leak report"), on_delete=models.PROTECT, related_name="links"
    )
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    object_repr = models.CharField(_("record"), max_length=200)
    note = models.CharField(_("note"), max_length=300, blank=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("linked by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("discipline link")
        verbose_name_plural = _("discipline links")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "content_type", "object_id"], name="registers_link_once"
            )
        ]

    def __str__(self) -> str:
        return self.object_repr

    def get_absolute_url(self) -> str:
        return self.report.get_absolute_url()
