"""Models of the core app (re-exported here; defined in the submodules)."""

from ccops.core.models.accounts import AccountState, ApiToken
from ccops.core.models.auditlog import AuditEntry
from ccops.core.models.base import (
    ArchivableModel,
    AuditedModel,
    AuditedQuerySet,
    SignableModel,
    TimeStampedModel,
)
from ccops.core.models.jobs import Job, WorkerHeartbeat
from ccops.core.models.notifications import Notification
from ccops.core.models.org import CalendarPeriod, Queue, Site

__all__ = [
    "AccountState",
    "ApiToken",
    "ArchivableModel",
    "AuditEntry",
    "AuditedModel",
    "AuditedQuerySet",
    "CalendarPeriod",
    "Job",
    "Notification",
    "Queue",
    "SignableModel",
    "Site",
    "TimeStampedModel",
    "WorkerHeartbeat",
]
