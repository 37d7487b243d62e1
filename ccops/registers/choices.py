"""Choices of the registers: visits, restricted areas, disclosure requests, documents in
custody, rest-room cleaning."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# --- visitors ------------------------------------------------------------------------------


class VisitKind(models.TextChoices):
    ANNOUNCED = "announced", _("announced by the host")
    WALK_IN = "walk_in", _("walk-in")


class VisitStatus(models.TextChoices):
    AWAITING = "awaiting", _("waiting for approval")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")
    ON_SITE = "on_site", _("on site")
    LEFT = "left", _("left")
    CANCELLED = "cancelled", _("cancelled")


#: Visits not yet decided or not yet over.
OPEN_VISIT_STATUSES = (VisitStatus.AWAITING, VisitStatus.APPROVED, VisitStatus.ON_SITE)


# --- restricted areas ---------------------------------------------------------------------


class AreaKind(models.TextChoices):
    MACHINE_ROOM = "machine_room", _("machine room")
    NETWORK_ROOM = "network_room", _("network and telephony room")
    ARCHIVE = "archive", _("archive room")
    OTHER = "other", _("other restricted area")


class AccessStatus(models.TextChoices):
    AWAITING = "awaiting", _("waiting for approval")
    INSIDE = "inside", _("inside")
    LEFT = "left", _("left")
    REFUSED = "refused", _("refused")


# --- customer-data disclosure -------------------------------------------------------------


class DisclosureBasis(models.TextChoices):
    LEGAL_DOCUMENT = "legal_document", _("legal document")
    SPECIAL_CASE = "special_case", _("special case approved by the responsible leader")


class AuthorityType(models.TextChoices):
    COURT = "court", _("court")
    PROCURATORATE = "procuratorate", _("procuratorate")
    PUBLIC_SECURITY = "public_security", _("public-security bureau")


class DisclosureStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    VERIFIED = "verified", _("verified")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")
    FULFILLED = "fulfilled", _("fulfilled")
    CLOSED = "closed", _("closed")


class ReleaseChannel(models.TextChoices):
    IN_PERSON = "in_person", _("handed over in person")
    SEALED_LETTER = "sealed_letter", _("sealed letter")
    ENCRYPTED_FILE = "encrypted_file", _("encrypted file")
    SECURE_FAX = "secure_fax", _("fax to the verified number")


class DocumentKind(models.TextChoices):
    LEGAL_DOCUMENT = "legal_document", _("scanned legal document")
    APPROVAL = "approval", _("signed approval")
    RECEIPT = "receipt", _("receipt of the released records")
    OTHER = "other", _("other")


# --- documents in custody -----------------------------------------------------------------


class MaterialCategory(models.TextChoices):
    WORK = "work", _("work material")
    TECHNICAL = "technical", _("technical material")
    STATISTICAL = "statistical", _("statistical material")


class Classification(models.TextChoices):
    INTERNAL = "internal", _("internal")
    CONFIDENTIAL = "confidential", _("confidential")
    SECRET = "secret", _("secret")


class CheckResult(models.TextChoices):
    INTACT = "intact", _("complete and intact")
    DISCREPANCY = "discrepancy", _("discrepancy")


class ItemCondition(models.TextChoices):
    UNCOUNTED = "uncounted", _("not counted yet")
    COMPLETE = "complete", _("complete")
    DISCREPANCY = "discrepancy", _("discrepancy")


class IncidentKind(models.TextChoices):
    LEAK = "leak", _("leak of confidential material")
    TAKEN_OUT = "taken_out", _("material taken out without permission")
    LOST = "lost", _("material lost")


class IncidentStatus(models.TextChoices):
    REPORTED = "reported", _("reported")
    INVESTIGATING = "investigating", _("being handled")
    CLOSED = "closed", _("closed")


# --- rest room ---------------------------------------------------------------------------


class CleaningKind(models.TextChoices):
    DAILY = "daily", _("daily cleaning")
    WEEKLY = "weekly", _("weekly thorough cleaning")
