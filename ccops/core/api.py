"""REST API of the core app: sites, queues, calendar periods, audit log, background tasks."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import ModelSchema, Router, Schema

from ccops.core import services
from ccops.core.apitools import get_or_404, register_crud, require_perm
from ccops.core.filters import (
    AuditEntryFilter,
    CalendarPeriodFilter,
    JobFilter,
    QueueFilter,
    SiteFilter,
)
from ccops.core.models import AuditEntry, CalendarPeriod, Job, Notification, Queue, Site
from ccops.core.roles import user_roles

router = Router(tags=["core"])


class SiteOut(ModelSchema):
    class Meta:
        model = Site
        fields = ["id", "code", "name", "time_zone", "interval_minutes", "address", "archived_at"]


class SiteIn(Schema):
    code: str
    name: str
    time_zone: str = "Asia/Shanghai"
    interval_minutes: int = 30
    address: str = ""


class SitePatch(Schema):
    code: str | None = None
    name: str | None = None
    time_zone: str | None = None
    interval_minutes: int | None = None
    address: str | None = None


class QueueOut(ModelSchema):
    class Meta:
        model = Queue
        fields = [
            "id",
            "site",
            "code",
            "name",
            "channel",
            "service_level_percent",
            "service_level_seconds",
            "description",
            "archived_at",
        ]


class QueueIn(Schema):
    site: int
    code: str
    name: str
    channel: str = "voice"
    service_level_percent: int = 80
    service_level_seconds: int = 20
    description: str = ""


class QueuePatch(Schema):
    code: str | None = None
    name: str | None = None
    channel: str | None = None
    service_level_percent: int | None = None
    service_level_seconds: int | None = None
    description: str | None = None


class CalendarPeriodOut(ModelSchema):
    class Meta:
        model = CalendarPeriod
        fields = ["id", "site", "kind", "name", "start_date", "end_date", "notes", "archived_at"]


class CalendarPeriodIn(Schema):
    site: int | None = None
    kind: str
    name: str
    start_date: date
    end_date: date
    notes: str = ""


class CalendarPeriodPatch(Schema):
    site: int | None = None
    kind: str | None = None
    name: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    notes: str | None = None


class AuditEntryOut(ModelSchema):
    record_type: str
    before: dict | None
    after: dict | None
    changed_fields: list[str]

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "time",
            "actor",
            "actor_name",
            "via",
            "action",
            "object_id",
            "object_repr",
            "before",
            "after",
            "changed_fields",
            "note",
        ]

    @staticmethod
    def resolve_record_type(obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"


class JobOut(ModelSchema):
    percent: int
    result: Any = None  # what the task returned (any JSON value)

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "title",
            "owner",
            "status",
            "progress",
            "message",
            "result",
            "result_filename",
            "created_at",
            "started_at",
            "finished_at",
        ]


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    roles: list[str]
    permissions: list[str]


def _calendar_create(*, actor, site=None, **data):
    site_obj = Site.objects.filter(pk=site).first() if site else None
    return services.calendar_period_declare(actor=actor, site=site_obj, **data)


register_crud(
    router,
    Site,
    path="sites",
    out_schema=SiteOut,
    in_schema=SiteIn,
    patch_schema=SitePatch,
    filterset=SiteFilter,
    create=services.site_create,
)
register_crud(
    router,
    Queue,
    path="queues",
    out_schema=QueueOut,
    in_schema=QueueIn,
    patch_schema=QueuePatch,
    filterset=QueueFilter,
)
register_crud(
    router,
    CalendarPeriod,
    path="calendar",
    out_schema=CalendarPeriodOut,
    in_schema=CalendarPeriodIn,
    patch_schema=CalendarPeriodPatch,
    filterset=CalendarPeriodFilter,
    create=_calendar_create,
)
register_crud(
    router,
    AuditEntry,
    path="audit",
    out_schema=AuditEntryOut,
    filterset=AuditEntryFilter,
    queryset=lambda request: AuditEntry.objects.select_related("content_type"),
    archive=False,
)
register_crud(
    router,
    Job,
    path="tasks",
    out_schema=JobOut,
    filterset=JobFilter,
    archive=False,
)


@router.get("/me", response=MeOut, operation_id="core_me", url_name="me", summary="Who am I")
def me(request):
    user = request.user
    return {
        "id": user.pk,
        "username": user.get_username(),
        "full_name": user.get_full_name(),
        "roles": [role.slug for role in user_roles(user)],
        "permissions": sorted(user.get_all_permissions()),
    }


# --- notifications ------------------------------------------------------------------------


class NotificationOut(ModelSchema):
    text: str  # the message in the request's language (Accept-Language or the session's)

    class Meta:
        model = Notification
        fields = ["id", "message", "url", "created_at", "read_at"]

    @staticmethod
    def resolve_text(obj: Notification) -> str:
        return obj.text


@router.get(
    "/notifications/",
    response=list[NotificationOut],
    operation_id="core_notification_list",
    summary="My notifications (newest first, at most 100)",
)
def notification_list(request, unread: bool = False):
    require_perm(request, Notification, "view")
    rows = Notification.objects.filter(user=request.user)
    if unread:
        rows = rows.filter(read_at__isnull=True)
    return list(rows[:100])


@router.post(
    "/notifications/{int:pk}/read",
    response=NotificationOut,
    operation_id="core_notification_read",
    summary="Mark one of my notifications as read",
)
def notification_read(request, pk: int):
    require_perm(request, Notification, "view")
    note = get_or_404(request, Notification, pk)
    return services.notification_read(notification=note, actor=request.user)


class ReadAllOut(Schema):
    marked: int


@router.post(
    "/notifications/read",
    response=ReadAllOut,
    operation_id="core_notifications_read_all",
    summary="Mark all my notifications as read",
)
def notifications_read_all(request):
    require_perm(request, Notification, "view")
    return {"marked": services.notifications_read_all(actor=request.user)}
