"""The shift-operations home-page panels and menu entries."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccops.core.home import register_panel
from ccops.core.models import Site
from ccops.core.navigation import register_menu_item
from ccops.core.roles import MANAGERS, SUPERVISORS
from ccops.people.services import employee_for
from ccops.shiftops import attendance
from ccops.shiftops.models import AttendanceRecord, Handover
from ccops.shiftops.services import handover_watch


def handover_watch_context(request):
    sites = Site.objects.restrict(request.user, "view")
    return {"rows": handover_watch(sites=sites)}


def handovers_to_sign_context(request):
    user = request.user
    waiting = (
        Handover.objects.filter(signed_at__isnull=True)
        .filter(
            Q(outgoing_lead__user=user, outgoing_signed_at__isnull=True)
            | Q(incoming_lead__user=user, outgoing_signed_at__isnull=False)
        )
        .select_related("site")
        .order_by("handover_at")[:10]
    )
    if not waiting:
        return None
    return {"handovers": waiting}


def my_clock_context(request):
    employee = employee_for(request.user)
    if employee is None:
        return None
    shift = attendance.current_shift(employee, timezone.now())
    open_record = AttendanceRecord.objects.filter(
        employee=employee, clock_in__isnull=False, clock_out__isnull=True
    ).first()
    if shift is None and open_record is None:
        return None
    return {"shift": shift, "open_record": open_record}


def attendance_today_context(request):
    since = timezone.now() - dt.timedelta(hours=24)
    records = (
        AttendanceRecord.objects.restrict(request.user, "view")
        .filter(shift_start__gte=since)
        .exclude(status__in=["on_time", "open", "excused"])
        .select_related("employee")[:20]
    )
    not_ready = (
        AttendanceRecord.objects.restrict(request.user, "view")
        .filter(shift_start__gte=since, ready_in_time=False)
        .count()
    )
    return {"records": records, "not_ready": not_ready}


def register() -> None:
    register_panel(
        "shiftops.my_clock",
        title=_("My shift"),
        template="shiftops/panels/_my_clock.html",
        context=my_clock_context,
        order=6,
    )
    register_panel(
        "shiftops.attendance_today",
        title=_("Attendance: last 24 hours"),
        template="shiftops/panels/_attendance_today.html",
        context=attendance_today_context,
        roles=SUPERVISORS | MANAGERS,
        order=13,
    )
    register_panel(
        "shiftops.handover_watch",
        title=_("Late or missing handovers"),
        template="shiftops/panels/_handover_watch.html",
        context=handover_watch_context,
        roles=SUPERVISORS,
        order=12,
    )
    register_panel(
        "shiftops.handovers_to_sign",
        title=_("Handovers waiting for my signature"),
        template="shiftops/panels/_handovers_to_sign.html",
        context=handovers_to_sign_context,
        order=8,
    )
    section = _("Shift operations")
    for order, (label, name, perm) in enumerate(
        [
            (_("Handovers"), "shiftops:handover_list", "shiftops.view_handover"),
            (_("Duty diary"), "shiftops:dutydiaryentry_list", "shiftops.view_dutydiaryentry"),
            (_("Briefings"), "shiftops:briefing_list", "shiftops.view_briefing"),
            (_("My clock"), "shiftops:attendance_clock", "shiftops.add_attendancerecord"),
            (_("Attendance"), "shiftops:attendancerecord_list", "shiftops.view_attendancerecord"),
            (_("Handover times"), "shiftops:handovertime_list", "shiftops.view_handovertime"),
            (
                _("Handover checklist"),
                "shiftops:checklistitemtemplate_list",
                "shiftops.view_checklistitemtemplate",
            ),
            (
                _("Question bank"),
                "shiftops:handoverquestion_list",
                "shiftops.view_handoverquestion",
            ),
        ]
    ):
        register_menu_item(
            "shiftops", section, label, name, permission=perm, order=order, section_order=30
        )
