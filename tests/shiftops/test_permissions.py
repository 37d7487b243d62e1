"""Permission matrix of the shift-operations pages and API, and agents' own briefings."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from ccops.core import audit
from ccops.core.roles import ALL_ROLES, MANAGERS, SUPERVISORS
from ccops.core.testing import Check, OwnRowsTests, PermissionMatrix
from ccops.shiftops import services
from ccops.shiftops.models import (
    AttendanceRecord,
    Briefing,
    ChecklistItemTemplate,
    HandoverTime,
)
from tests.shiftops.helpers import employee_of, question, signed_handover

_n = itertools.count(1)
FLOOR = SUPERVISORS | MANAGERS
CONFIGURERS = {"center_director", "operations_supervisor", "general_supervisor"}
BANK_VIEW = FLOOR | {"trainer"}
BANK_EDIT = SUPERVISORS | {"trainer"}
NOW = "2026-11-27T08:00:00Z"


def my_handover(w, u):
    """An open handover the user gives (outgoing lead) to the other agent."""
    return services.handover_open(
        site=w.site,
        handover_at=timezone.now() - dt.timedelta(minutes=next(_n)),
        outgoing_lead=employee_of(w, u),
        incoming_lead=w.other_employee,
        actor=w.users["operations_supervisor"],
    )


def my_handover_pk(w, u):
    return [my_handover(w, u).pk]


def my_check(w, u):
    h = my_handover(w, u)
    with audit.acting_as(None, via=audit.VIA_SYSTEM):
        check = h.checks.create(category="equipment", item="Headsets")
    return [check.pk]


def my_answer(w, u):
    h = my_handover(w, u)
    answer = services.handover_question_ask(
        handover=h, question=question(w), asked_to=w.other_employee, actor=u
    )
    return [answer.pk]


def signed_pk(w, u):
    return [signed_handover(w).pk]


def my_entry(w, u):
    entry = services.diary_entry_write(
        site=w.site,
        time=timezone.now() + dt.timedelta(hours=next(_n)),
        category="other",
        text="Note",
        actor=u,
    )
    return [entry.pk]


def my_briefing(w, u):
    briefing = services.briefing_record(
        site=w.site,
        team=w.group1,
        kind="pre_shift",
        held_at=timezone.now(),
        led_by=w.employees["group_manager"],
        attendees=[employee_of(w, u)],
        actor=w.users["group_manager"],
    )
    return [briefing.pk]


def _unique_time() -> dt.time:
    k = next(_n)
    return dt.time(k // 60 % 24, k % 60)


def handover_time(w, u):
    with audit.acting_as(None, via=audit.VIA_SYSTEM):
        t = HandoverTime.objects.create(site=w.site, time=_unique_time(), name="Change")
    return [t.pk]


def checklist_item(w, u):
    with audit.acting_as(None, via=audit.VIA_SYSTEM):
        return [ChecklistItemTemplate.objects.create(category="seats", text="Seat 12").pk]


def bank_question(w, u):
    return [question(w).pk]


def _record(w, employee, **extra):
    with audit.acting_as(None, via=audit.VIA_SYSTEM):
        return AttendanceRecord.objects.create(
            employee=employee,
            clock_in=timezone.now() - dt.timedelta(hours=9),
            clock_out=timezone.now() - dt.timedelta(hours=1),
            status="unscheduled",
            **extra,
        )


def my_record(w, u):
    return [_record(w, employee_of(w, u)).pk]


def agents_record(w, u):
    return [_record(w, w.employees["agent"]).pk]


def clocked_in(w, u):
    """Make sure the user is clocked in (for the clock-out check); no request data."""
    employee = employee_of(w, u) if u is not None else w.employees["agent"]
    if not AttendanceRecord.objects.filter(employee=employee, clock_out__isnull=True).exists():
        with audit.acting_as(None, via=audit.VIA_SYSTEM):
            AttendanceRecord.objects.create(
                employee=employee, clock_in=timezone.now(), status="unscheduled"
            )
    return {}


class TestShiftopsPermissions(PermissionMatrix):
    pages = {
        "shiftops:handover_list": Check(ALL_ROLES),
        "shiftops:handover_detail": Check(ALL_ROLES, args=my_handover_pk),
        "shiftops:handover_add": Check(FLOOR),
        "shiftops:handover_edit": Check(FLOOR, args=my_handover_pk),
        "shiftops:handover_archive": Check(FLOOR, args=my_handover_pk),
        "shiftops:handover_sign": Check(
            ALL_ROLES,
            args=my_handover_pk,
            method="post",
            data=lambda w, u: {"side": "outgoing"},
            ok=(302,),
        ),
        "shiftops:handover_amend": Check(FLOOR, args=signed_pk),
        "shiftops:handover_ask": Check(
            ALL_ROLES,
            args=my_handover_pk,
            method="post",
            data=lambda w, u: {"question": question(w).pk, "asked_to": w.other_employee.pk},
            ok=(302,),
        ),
        "shiftops:handovercheck_set": Check(
            ALL_ROLES, args=my_check, method="post", data=lambda w, u: {"status": "ok"}, ok=(302,)
        ),
        "shiftops:handoveranswer_record": Check(
            ALL_ROLES,
            args=my_answer,
            method="post",
            data=lambda w, u: {"answer": "Hotline", "correct": "true"},
            ok=(302,),
        ),
        "shiftops:dutydiaryentry_list": Check(ALL_ROLES),
        "shiftops:dutydiaryentry_detail": Check(
            ALL_ROLES, args=lambda w, u: my_entry(w, w.users["group_manager"])
        ),
        "shiftops:dutydiaryentry_add": Check(FLOOR),
        "shiftops:dutydiaryentry_edit": Check(FLOOR, args=my_entry),
        "shiftops:dutydiaryentry_archive": Check(FLOOR, args=my_entry),
        "shiftops:briefing_list": Check(ALL_ROLES),
        "shiftops:briefing_detail": Check(ALL_ROLES, args=my_briefing),
        "shiftops:briefing_add": Check(FLOOR),
        "shiftops:briefing_edit": Check(FLOOR, args=my_briefing),
        "shiftops:briefing_archive": Check(FLOOR, args=my_briefing),
        "shiftops:attendancerecord_list": Check(ALL_ROLES),
        "shiftops:attendancerecord_detail": Check(ALL_ROLES, args=my_record),
        "shiftops:attendancerecord_edit": Check(FLOOR, args=agents_record),
        "shiftops:attendance_clock": Check(ALL_ROLES),
        "shiftops:attendance_settle": Check(FLOOR, method="post", ok=(302,)),
        "shiftops:handovertime_list": Check(ALL_ROLES),
        "shiftops:handovertime_detail": Check(ALL_ROLES, args=handover_time),
        "shiftops:handovertime_add": Check(CONFIGURERS),
        "shiftops:handovertime_edit": Check(CONFIGURERS, args=handover_time),
        "shiftops:handovertime_archive": Check(CONFIGURERS, args=handover_time),
        "shiftops:checklistitemtemplate_list": Check(ALL_ROLES),
        "shiftops:checklistitemtemplate_detail": Check(ALL_ROLES, args=checklist_item),
        "shiftops:checklistitemtemplate_add": Check(CONFIGURERS),
        "shiftops:checklistitemtemplate_edit": Check(CONFIGURERS, args=checklist_item),
        "shiftops:checklistitemtemplate_archive": Check(CONFIGURERS, args=checklist_item),
        "shiftops:handoverquestion_list": Check(BANK_VIEW),
        "shiftops:handoverquestion_detail": Check(BANK_VIEW, args=bank_question),
        "shiftops:handoverquestion_add": Check(BANK_EDIT),
        "shiftops:handoverquestion_edit": Check(BANK_EDIT, args=bank_question),
        "shiftops:handoverquestion_archive": Check(BANK_EDIT, args=bank_question),
    }
    api = {
        "shiftops_handover_list": Check(ALL_ROLES),
        "shiftops_handover_get": Check(ALL_ROLES, args=my_handover_pk),
        "shiftops_handover_create": Check(
            FLOOR,
            method="post",
            data=lambda w, u: {
                "site": w.site.pk,
                # One handover per site and time: each role opens its own shift change.
                "handover_at": f"2026-11-27T08:{(u.pk if u else 0) % 60:02d}:00Z",
                "outgoing_lead": w.employees["group_manager"].pk,
                "incoming_lead": w.employees["agent"].pk,
            },
            ok=(201,),
        ),
        "shiftops_handover_update": Check(
            FLOOR, args=my_handover_pk, method="patch", data=lambda w, u: {"notes": "More"}
        ),
        "shiftops_handover_archive": Check(FLOOR, args=my_handover_pk, method="post"),
        "shiftops_handover_sign": Check(
            ALL_ROLES, args=my_handover_pk, method="post", data=lambda w, u: {"side": "outgoing"}
        ),
        "shiftops_handover_amend": Check(
            FLOOR, args=signed_pk, method="post", data=lambda w, u: {"notes": "Fixed"}, ok=(201,)
        ),
        "shiftops_handover_ask": Check(
            ALL_ROLES,
            args=my_handover_pk,
            method="post",
            data=lambda w, u: {"question": question(w).pk, "asked_to": w.other_employee.pk},
            ok=(201,),
        ),
        "shiftops_handovercheck_set": Check(
            ALL_ROLES, args=my_check, method="patch", data=lambda w, u: {"status": "ok"}
        ),
        "shiftops_handoveranswer_record": Check(
            ALL_ROLES,
            args=my_answer,
            method="patch",
            data=lambda w, u: {"answer": "Hotline", "correct": True},
        ),
        "shiftops_dutydiaryentry_list": Check(ALL_ROLES),
        "shiftops_dutydiaryentry_get": Check(
            ALL_ROLES, args=lambda w, u: my_entry(w, w.users["group_manager"])
        ),
        "shiftops_dutydiaryentry_create": Check(
            FLOOR,
            method="post",
            data=lambda w, u: {
                "site": w.site.pk,
                "time": (timezone.now() + dt.timedelta(days=1)).isoformat(),
                "category": "other",
                "text": "x",
            },
            ok=(201,),
        ),
        "shiftops_dutydiaryentry_update": Check(
            FLOOR, args=my_entry, method="patch", data=lambda w, u: {"text": "Corrected"}
        ),
        "shiftops_dutydiaryentry_archive": Check(FLOOR, args=my_entry, method="post"),
        "shiftops_briefing_list": Check(ALL_ROLES),
        "shiftops_briefing_get": Check(ALL_ROLES, args=my_briefing),
        "shiftops_briefing_create": Check(
            FLOOR,
            method="post",
            data=lambda w, u: {
                "site": w.site.pk,
                "team": w.group1.pk,
                "kind": "post_shift",
                "held_at": NOW,
                "led_by": employee_of(w, u).pk,
                "attendees": [w.employees["agent"].pk],
                "topics": "Queue 2",
            },
            ok=(201,),
        ),
        "shiftops_briefing_update": Check(
            FLOOR, args=my_briefing, method="patch", data=lambda w, u: {"topics": "More"}
        ),
        "shiftops_briefing_archive": Check(FLOOR, args=my_briefing, method="post"),
        "shiftops_attendancerecord_list": Check(ALL_ROLES),
        "shiftops_attendancerecord_get": Check(ALL_ROLES, args=my_record),
        "shiftops_attendancerecord_update": Check(
            FLOOR,
            args=agents_record,
            method="patch",
            data=lambda w, u: {
                "clock_in": "2026-11-27T00:00:00Z",
                "clock_out": "2026-11-27T08:00:00Z",
                "note": "Badge reader down",
            },
        ),
        "shiftops_attendance_clock_in": Check(ALL_ROLES, method="post", ok=(201,)),
        "shiftops_attendance_clock_out": Check(ALL_ROLES, method="post", data=clocked_in),
        "shiftops_attendance_settle": Check(FLOOR, method="post"),
        "shiftops_handovertime_list": Check(ALL_ROLES),
        "shiftops_handovertime_get": Check(ALL_ROLES, args=handover_time),
        "shiftops_handovertime_create": Check(
            CONFIGURERS,
            method="post",
            data=lambda w, u: {"site": w.site.pk, "time": _unique_time().isoformat(), "name": "C"},
            ok=(201,),
        ),
        "shiftops_handovertime_update": Check(
            CONFIGURERS, args=handover_time, method="patch", data=lambda w, u: {"name": "Late"}
        ),
        "shiftops_handovertime_archive": Check(CONFIGURERS, args=handover_time, method="post"),
        "shiftops_checklistitemtemplate_list": Check(ALL_ROLES),
        "shiftops_checklistitemtemplate_get": Check(ALL_ROLES, args=checklist_item),
        "shiftops_checklistitemtemplate_create": Check(
            CONFIGURERS,
            method="post",
            data=lambda w, u: {"category": "hygiene", "text": "Desks clean"},
            ok=(201,),
        ),
        "shiftops_checklistitemtemplate_update": Check(
            CONFIGURERS, args=checklist_item, method="patch", data=lambda w, u: {"order": 3}
        ),
        "shiftops_checklistitemtemplate_archive": Check(
            CONFIGURERS, args=checklist_item, method="post"
        ),
        "shiftops_handoverquestion_list": Check(BANK_VIEW),
        "shiftops_handoverquestion_get": Check(BANK_VIEW, args=bank_question),
        "shiftops_handoverquestion_create": Check(
            BANK_EDIT,
            method="post",
            data=lambda w, u: {"topic": "Loans", "text": "What is the rate?"},
            ok=(201,),
        ),
        "shiftops_handoverquestion_update": Check(
            BANK_EDIT, args=bank_question, method="patch", data=lambda w, u: {"topic": "Cards"}
        ),
        "shiftops_handoverquestion_archive": Check(BANK_EDIT, args=bank_question, method="post"),
    }


class TestBriefingsOwnRows(OwnRowsTests):
    model = Briefing
    list_url = "shiftops:briefing_list"
    detail_url = "shiftops:briefing_detail"
    api_list = "shiftops_briefing_list"

    def own(self, w):
        return Briefing.objects.get(pk=my_briefing(w, w.users["agent"])[0])

    def others(self, w):
        return services.briefing_record(
            site=w.site,
            team=w.group2,
            kind="post_shift",
            held_at=timezone.now(),
            led_by=w.employees["operations_supervisor"],
            attendees=[w.other_employee],
            actor=w.users["operations_supervisor"],
        )


class TestAttendanceOwnRows(OwnRowsTests):
    model = AttendanceRecord
    list_url = "shiftops:attendancerecord_list"
    detail_url = "shiftops:attendancerecord_detail"
    api_list = "shiftops_attendancerecord_list"

    def own(self, w):
        return _record(w, w.employees["agent"])

    def others(self, w):
        return _record(w, w.other_employee)
