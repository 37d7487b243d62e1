"""Core's home-page panels and menu entries."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccops.core.home import register_panel
from ccops.core.models import AuditEntry, CalendarPeriod, Job, Notification
from ccops.core.navigation import register_menu_item
from ccops.core.roles import SUPERVISORS
from ccops.core.services import unread_count


def notifications_context(request):
    rows = Notification.objects.filter(user=request.user, read_at__isnull=True)
    unread = list(rows[:5])
    if not unread:
        return None
    return {"notifications": unread, "count": unread_count(request.user)}


def my_tasks_context(request):
    jobs = Job.objects.filter(owner=request.user).order_by("-created_at")[:5]
    return {"jobs": jobs}


def running_tasks_context(request):
    jobs = (
        Job.objects.restrict(request.user, "view")
        .filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
        .select_related("owner")[:10]
    )
    failed = (
        Job.objects.restrict(request.user, "view")
        .filter(status=Job.Status.FAILED, finished_at__gte=timezone.now() - timedelta(days=1))
        .count()
    )
    return {"jobs": jobs, "failed_today": failed}


def recent_audit_context(request):
    entries = (
        AuditEntry.objects.restrict(request.user, "view")
        .select_related("content_type")
        .exclude(action__in=["login", "logout"])[:10]
    )
    return {"entries": entries}


def calendar_context(request):
    today = timezone.localdate()
    periods = (
        CalendarPeriod.objects.restrict(request.user, "view")
        .filter(end_date__gte=today, start_date__lte=today + timedelta(days=31))
        .select_related("site")
        .order_by("start_date")[:8]
    )
    return {"periods": periods, "today": today}


def register() -> None:
    register_panel(
        "core.notifications",
        title=_("Notifications"),
        template="core/panels/_notifications.html",
        context=notifications_context,
        order=2,
    )
    register_panel(
        "core.calendar",
        title=_("Calendar: now and next 31 days"),
        template="core/panels/_calendar.html",
        context=calendar_context,
        order=20,
    )
    register_panel(
        "core.recent_audit",
        title=_("Recent changes"),
        template="core/panels/_recent_audit.html",
        context=recent_audit_context,
        roles=SUPERVISORS,
        order=80,
        wide=True,
    )
    register_panel(
        "core.running_tasks",
        title=_("Running background tasks"),
        template="core/panels/_running_tasks.html",
        context=running_tasks_context,
        roles=SUPERVISORS,
        order=85,
    )
    register_panel(
        "core.my_tasks",
        title=_("My background tasks"),
        template="core/panels/_my_tasks.html",
        context=my_tasks_context,
        order=90,
    )
    center = _("Center")
    register_menu_item(
        "center",
        center,
        _("Sites"),
        "core:site_list",
        permission="core.view_site",
        order=10,
        section_order=10,
    )
    register_menu_item(
        "center",
        center,
        _("Queues"),
        "core:queue_list",
        permission="core.view_queue",
        order=20,
        section_order=10,
    )
    register_menu_item(
        "center",
        center,
        _("Calendar"),
        "core:calendarperiod_list",
        permission="core.view_calendarperiod",
        order=30,
        section_order=10,
    )
    admin = _("Administration")
    register_menu_item(
        "admin",
        admin,
        _("Audit log"),
        "core:auditentry_list",
        permission="core.view_auditentry",
        order=10,
        section_order=900,
    )
    register_menu_item(
        "admin",
        admin,
        _("Background tasks"),
        "core:job_list",
        permission="core.view_job",
        order=20,
        section_order=900,
    )
