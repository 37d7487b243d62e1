"""Choices of the incidents app: the manual's emergency types, severities, states."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class IncidentKind(models.TextChoices):
    POWER = "power", _("power cut or terminal power failure")
    BILLING = "billing", _("billing system fault")
    PLATFORM = "platform", _("customer-service platform fault")
    VOIP = "voip", _("VOIP fault")
    KNOWLEDGE_BASE = "knowledge_base", _("knowledge base fault")
    EARTHQUAKE_FIRE = "earthquake_fire", _("earthquake or fire")
    VIRUS = "virus", _("computer virus")
    PASSWORD = "password", _("stolen or forgotten login password")
    BREAK_IN = "break_in", _("break-in")


class Severity(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")
    CRITICAL = "critical", pgettext_lazy("severity", "critical")


class IncidentStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("incident status", "active")
    RECOVERED = "recovered", _("recovered")
    CLOSED = "closed", pgettext_lazy("incident status", "closed")


OPEN_STATUSES = (IncidentStatus.ACTIVE, IncidentStatus.RECOVERED)


class System(models.TextChoices):
    POWER = "power", _("power supply")
    BILLING = "billing", _("billing system")
    PLATFORM = "platform", _("customer-service platform")
    VOIP = "voip", _("VOIP")
    KNOWLEDGE_BASE = "knowledge_base", _("knowledge base")
    NETWORK = "network", _("network")
    WORKSTATIONS = "workstations", _("workstations")
    ACCOUNTS = "accounts", _("logins and accounts")
    BUILDING = "building", _("building")


class StepRole(models.TextChoices):
    DUTY_LEAD = "duty_lead", _("duty lead")
    SCRIBE = "scribe", _("scribe")
    IT = "it", _("IT and vendors")
    LEADERS = "leaders", _("leaders")
    STAFF = "staff", _("all staff")
    PLANNER = "planner", _("planner")
    SECURITY = "security", _("security")


class ContactKind(models.TextChoices):
    POWER = "power", _("power")
    IT = "it", _("IT")
    POLICE = "police", _("police")
    FIRE = "fire", _("fire brigade")
    LEADERS = "leaders", _("leaders")
    VENDOR = "vendor", _("vendor")


class RequiredRecord(models.TextChoices):
    """What a step needs written down before it is ticked."""

    POLICE_REPORT = "police_report_number", _("police report number")
    SCENE_SEALED = "scene_sealed_at", _("time the scene was sealed")
    DUTY_STAFF = "duty_staff_interviewed", _("duty staff interviewed")
    ACCOUNT_ACTION = "account_action", _("account locked or password change forced")
    RECOVERY = "recovered_at", _("recovery time")


class AssignRole(models.TextChoices):
    LEAD = "lead", _("incident lead")
    SCRIBE = "scribe", _("scribe")


class TimelineKind(models.TextChoices):
    DECLARED = "declared", _("declared")
    STEP = "step", _("step done")
    UPDATE = "update", _("update")
    HANDOVER = "handover", _("hand-over")
    NOTIFIED = "notified", _("leaders notified")
    MEETING = "meeting", _("emergency meeting requested")
    RECORD = "record", _("record")
    ACCOUNT = "account", _("account action")
    RECOVERED = "recovered", _("recovered")
    CLOSED = "closed", pgettext_lazy("incident status", "closed")
    SURGE = "surge", _("surge plan")


class AccountActionKind(models.TextChoices):
    LOCK = "lock", _("lock the account")
    FORCE_CHANGE = "force_change", _("force a password change")


class CallInStatus(models.TextChoices):
    OFFERED = "offered", _("asked")
    ACCEPTED = "accepted", pgettext_lazy("call-in", "accepted")
    DECLINED = "declined", pgettext_lazy("call-in", "declined")


class MoveKind(models.TextChoices):
    BREAK = "break", _("break moved")
    TRAINING = "training", _("training moved")
