"""The customer-data disclosure register (客户档案资料): requests from a court, a
procuratorate or a public-security bureau on a legal document (verified by a call back),
or special cases approved by the responsible leader; exactly what was released, to whom
and how; the scanned documents.

A request moves ``received → verified → approved | refused → fulfilled → closed``. Its
releases can only be recorded once it is approved; fulfilling it signs it (the releaser's
signature), after which the request and its releases are locked. The database refuses a
fulfilled request without an approval, and one on a legal document without the document's
number and a verification (``CheckConstraint``), whatever code tries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ccops.core import audit
from ccops.core.limits import MAX_SHORT_TEXT, BoundedTextField
from ccops.core.models import ArchivableModel, AuditedModel, SignableModel, Site
from ccops.registers.choices import (
    AuthorityType,
    DisclosureBasis,
    DisclosureStatus,
    DocumentKind,
    ReleaseChannel,
)
from ccops.registers.storage import private_storage, upload_name

DECIDED = ("approved", "refused")


class DisclosureRequest(SignableModel):
    """A request for customer records from outside the company."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DisclosureStatus.choices,
        default=DisclosureStatus.RECEIVED,
    )
    received_at = models.DateTimeField(_("received"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requester_name = models.CharField(_("requesting officer"), max_length=100)
    requester_organisation = models.CharField(_("officer's organisation"), max_length=150)
    requester_position = models.CharField(_("officer's position"), max_length=100, blank=True)
    requester_id_number = models.CharField(
        _("officer's ID or warrant card"), max_length=60, blank=True
    )
    requester_contact = models.CharField(_("officer's contact"), max_length=60)
    basis = models.CharField(_("basis"), max_length=20, choices=DisclosureBasis.choices)
    authority_type = models.CharField(
        _("issuing authority type"), max_length=20, choices=AuthorityType.choices, blank=True
    )
    document_type = models.CharField(
        _("document type"),
        max_length=100,
        blank=True,
        help_text=_("E.g. notice of assistance in an investigation, court ruling."),
    )
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    issuing_authority = models.CharField(_("issuing authority"), max_length=150, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    special_reason = BoundedTextField(_("special case: why"), max_length=MAX_SHORT_TEXT, blank=True)
    customer_reference = models.CharField(
        _("customer"), max_length=100, help_text=_("Customer number or account named.")
    )
    records_requested = BoundedTextField(_("records requested"), max_length=MAX_SHORT_TEXT)
    callback_number = models.CharField(_("number called back"), max_length=30, blank=True)
    callback_source = models.CharField(_("where the number came from"), max_length=150, blank=True)
    callback_contact = models.CharField(_("who confirmed"), max_length=100, blank=True)
    callback_note = models.CharField(_("call-back note"), max_length=500, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved or refused by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    outcome = models.CharField(
        _("decision"),
        max_length=10,
        blank=True,
        choices=[("approved", _("approved")), ("refused", _("refused"))],
    )
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closing_note = models.CharField(_("closing note"), max_length=500, blank=True)

    #: After fulfilment (the signature) only closing may still happen.
    mutable_after_sign = SignableModel.mutable_after_sign | {
        "status",
        "closed_at",
        "closed_by_id",
        "closing_note",
    }

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("disclosure request")
        verbose_name_plural = _("disclosure requests")
        permissions = [
            ("approve_disclosurerequest", _("Can approve a disclosure on a legal document")),
            (
                "approve_special_disclosure",
                _("Can approve a special-case disclosure (responsible leader)"),
            ),
            ("view_disclosurereport", _("Can read the disclosure report")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "refused", "fulfilled", "closed"])
                | Q(decided_by__isnull=False, decided_at__isnull=False, outcome__in=DECIDED),
                name="registers_disclosure_decided",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "fulfilled"]) | Q(outcome="approved"),
                name="registers_disclosure_approved_before_release",
            ),
            models.CheckConstraint(
                condition=~(Q(status="fulfilled") | Q(status="closed", outcome="approved"))
                | Q(basis="special_case")
                | (Q(verified_at__isnull=False) & ~Q(document_number="") & ~Q(authority_type="")),
                name="registers_disclosure_legal_basis",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["fulfilled", "closed"]) | Q(signed_at__isnull=False),
                name="registers_disclosure_signed_when_done",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Disclosure request %(ref)s") % {"ref": self.reference or "–"})

    def get_absolute_url(self) -> str:
        return reverse("registers:disclosurerequest_detail", args=[self.pk])

    @property
    def is_released(self) -> bool:
        """Records went out: fulfilled (and perhaps closed since)."""
        return self.outcome == "approved" and self.status in ("fulfilled", "closed")


class _LockedWithRequest:
    """Rows of a disclosure request cannot change once it is fulfilled (signed)."""

    @staticmethod
    def _request_signed(request_id) -> bool:
        return bool(
            request_id
            and DisclosureRequest.all_objects.filter(
                pk=request_id, signed_at__isnull=False
            ).exists()
        )

    @property
    def is_locked(self) -> bool:
        return self._request_signed(self.request_id)

    def check_lock(self, before: dict, after: dict) -> None:
        if self._request_signed(before.get("request_id")):
            raise audit.RecordLocked(
                gettext("%(record)s belongs to a fulfilled disclosure request and cannot change.")
                % {"record": self}
            )


class DisclosureRelease(_LockedWithRequest, AuditedModel):
    """Exactly which records and fields were released, to whom and how."""

    request = models.ForeignKey(
        DisclosureRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        related_name="releases",
    )
    record_type = models.CharField(
        _("records"), max_length=100, help_text=_("E.g. customer profile, call recordings.")
    )
    record_reference = models.CharField(
        _("which records"),
        max_length=300,
        help_text=_("Identifiers or period of the records, e.g. calls of 2026-03-01 to 03-31."),
    )
    fields_released = BoundedTextField(
        _("fields released"),
        max_length=MAX_SHORT_TEXT,
        help_text=_("Exactly which fields, one per line or comma-separated."),
    )
    recipient_name = models.CharField(_("released to"), max_length=100)
    recipient_organisation = models.CharField(_("recipient's organisation"), max_length=150)
    channel = models.CharField(_("how"), max_length=20, choices=ReleaseChannel.choices)
    released_at = models.DateTimeField(_("released"))
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("released by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["released_at", "pk"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")

    def __str__(self) -> str:
        return f"{self.record_type} → {self.recipient_name}"

    def get_absolute_url(self) -> str:
        return self.request.get_absolute_url()


class DisclosureDocument(ArchivableModel):
    """A scanned document of a request (the legal document, an approval, a receipt),
    kept in private storage with its size and SHA-256; never changed once uploaded."""

    request = models.ForeignKey(
        DisclosureRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=upload_name, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("scanned document")
        verbose_name_plural = _("scanned documents")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return self.request.get_absolute_url()

    @property
    def is_locked(self) -> bool:
        return True

    def check_lock(self, before: dict, after: dict) -> None:
        """An uploaded scan never changes (it may be archived while the request is open)."""
        changed = set(audit.diff(before, after)) - {"archived_at", "archived_by_id"}
        if changed:
            raise audit.RecordLocked(
                gettext("The scanned document %(record)s never changes once uploaded.")
                % {"record": self}
            )
        if _LockedWithRequest._request_signed(before.get("request_id")):
            raise audit.RecordLocked(
                gettext("%(record)s belongs to a fulfilled disclosure request and cannot change.")
                % {"record": self}
            )
