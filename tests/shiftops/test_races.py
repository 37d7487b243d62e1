"""Parallel requests at every shift-operations transition, on PostgreSQL (issue 12, point
1): real HTTP requests in threads behind a barrier, each with its own connection. Exactly
one wins; the others get a clear 409 or 422, and one audit entry is written."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ccops.core.models import AuditEntry
from ccops.core.testing import api_operation_paths, build_world, race, requires_row_locks
from ccops.shiftops import services
from ccops.shiftops.models import AttendanceRecord, DutyDiaryEntry, Handover
from tests.shiftops.helpers import handover, question, signed_handover, template
from tests.wfm.fixtures import fresh_week

pytestmark = [requires_row_locks(), pytest.mark.django_db(transaction=True)]


def _path(operation_id, pk=None):
    path = api_operation_paths()[operation_id]
    return path.replace("{pk}", str(pk)) if pk is not None else path


def call(user, method, path, body=None):
    """A request as ``user`` from a fresh client (one per thread)."""

    def run():
        client = Client()
        client.force_login(user)
        if method == "get":
            return client.get(path)
        return getattr(client, method)(
            path, data=json.dumps(body or {}), content_type="application/json"
        )

    return run


def entries(action, obj=None):
    rows = AuditEntry.objects.filter(action=action)
    return rows.filter(object_id=str(obj.pk)) if obj is not None else rows


def _checked(w):
    h = handover(w)
    for check in h.checks.all():
        services.handover_check_set(check=check, status="ok", actor=w.users["group_manager"])
    return h


def test_parallel_starts_of_one_handover_open_one():
    w = build_world()
    template(w)
    body = {
        "site": w.site.pk,
        "handover_at": timezone.now().replace(microsecond=0).isoformat(),
        "outgoing_lead": w.employees["group_manager"].pk,
        "incoming_lead": w.employees["agent"].pk,
    }
    start = call(w.users["operations_supervisor"], "post", _path("shiftops_handover_create"), body)
    outcome = race(start, start, start)
    assert sorted(outcome.statuses) == [201, 409, 409], outcome.errors
    assert Handover.objects.filter(site=w.site).count() == 1
    assert entries("handover_open").filter(content_type__model="handover").count() == 1


def test_parallel_outgoing_signatures_sign_once():
    w = build_world()
    h = _checked(w)
    sign = call(
        w.users["group_manager"],
        "post",
        _path("shiftops_handover_sign", h.pk),
        {"side": "outgoing"},
    )
    outcome = race(sign, sign, sign)
    assert sorted(outcome.statuses) == [200, 409, 409], outcome.errors
    assert entries("handover_sign_outgoing", h).count() == 1


def test_parallel_incoming_signatures_sign_once():
    w = build_world()
    h = _checked(w)
    services.handover_sign(handover=h, side="outgoing", actor=w.users["group_manager"])
    sign = call(
        w.users["agent"], "post", _path("shiftops_handover_sign", h.pk), {"side": "incoming"}
    )
    outcome = race(sign, sign, sign)
    assert sorted(outcome.statuses) == [200, 409, 409], outcome.errors
    assert entries("handover_sign_incoming", h).count() == 1


def test_three_parallel_amendment_requests_open_one_amendment():
    w = build_world()
    h = signed_handover(w)
    amend = call(
        w.users["operations_supervisor"],
        "post",
        _path("shiftops_handover_amend", h.pk),
        {"notes": "Queue 2 was slow after 14:30."},
    )
    outcome = race(amend, amend, amend)
    assert sorted(outcome.statuses) == [201, 409, 409], outcome.errors
    assert Handover.objects.filter(amends=h).count() == 1
    assert (
        entries("handover_amend")
        .filter(
            object_id__in=[
                str(pk) for pk in Handover.objects.filter(amends=h).values_list("pk", flat=True)
            ]
        )
        .count()
        == 1
    )


def test_a_question_and_the_incoming_signature_never_pass_each_other():
    w = build_world()
    h = _checked(w)
    services.handover_sign(handover=h, side="outgoing", actor=w.users["group_manager"])
    ask = call(
        w.users["group_manager"],
        "post",
        _path("shiftops_handover_ask", h.pk),
        {"question": question(w).pk, "asked_to": h.incoming_lead_id},
    )
    sign = call(
        w.users["agent"], "post", _path("shiftops_handover_sign", h.pk), {"side": "incoming"}
    )
    outcome = race(ask, sign)
    # Asked first: the signature waits for the answer (422). Signed first: too late (409).
    assert outcome.statuses in ([201, 422], [409, 200]), outcome.errors
    h.refresh_from_db()
    assert h.is_signed == (outcome.statuses[1] == 200)
    assert h.answers.count() == (1 if outcome.statuses[0] == 201 else 0)


def test_a_checklist_mark_never_lands_after_the_outgoing_signature():
    w = build_world()
    h = _checked(w)
    check = h.checks.first()
    mark = call(
        w.users["group_manager"],
        "patch",
        _path("shiftops_handovercheck_set", check.pk),
        {"status": "problem", "note": "headset 3 broken"},
    )
    sign = call(
        w.users["group_manager"],
        "post",
        _path("shiftops_handover_sign", h.pk),
        {"side": "outgoing"},
    )
    outcome = race(mark, sign)
    assert outcome.statuses[1] == 200 and outcome.statuses[0] in (200, 409), outcome.errors
    signed_at = entries("handover_sign_outgoing", h).get().pk
    marks = entries("handover_check", check)
    assert not marks.filter(pk__gt=signed_at).exists()


def test_a_diary_entry_and_the_signature_closing_its_shift_never_pass_each_other():
    w = build_world()
    h = _checked(w)
    services.handover_sign(handover=h, side="outgoing", actor=w.users["group_manager"])
    write = call(
        w.users["group_manager"],
        "post",
        _path("shiftops_dutydiaryentry_create"),
        {
            "site": w.site.pk,
            "time": (h.handover_at - dt.timedelta(minutes=10)).isoformat(),
            "category": "systems",
            "text": "CRM restarted",
        },
    )
    sign = call(
        w.users["agent"], "post", _path("shiftops_handover_sign", h.pk), {"side": "incoming"}
    )
    outcome = race(write, sign)
    assert outcome.statuses[1] == 200 and outcome.statuses[0] in (201, 422), outcome.errors
    # Never an entry left open in a shift that is handed over.
    loose = DutyDiaryEntry.objects.filter(handover__isnull=True, time__lte=h.handover_at)
    assert not loose.exists()


def test_parallel_archives_of_a_diary_entry_archive_once():
    w = build_world()
    entry = services.diary_entry_write(
        site=w.site, time=timezone.now(), category="other", text="x", actor=w.users["group_manager"]
    )
    archive = call(
        w.users["operations_supervisor"], "post", _path("shiftops_dutydiaryentry_archive", entry.pk)
    )
    outcome = race(archive, archive, archive)
    assert sorted(outcome.statuses) == [200, 409, 409], outcome.errors
    assert entries("archive", entry).count() == 1


def test_parallel_briefing_changes_are_serialised_and_archived_once():
    w = build_world()
    briefing = services.briefing_record(
        site=w.site,
        kind="pre_shift",
        held_at=timezone.now(),
        led_by=w.employees["group_manager"],
        attendees=[],
        team=w.group1,
        actor=w.users["group_manager"],
    )
    path = _path("shiftops_briefing_update", briefing.pk)
    gm = w.users["group_manager"]
    sets = [[w.employees["agent"].pk], [w.employees["group_manager"].pk], []]
    outcome = race(*(call(gm, "patch", path, {"attendees": s}) for s in sets))
    assert outcome.statuses == [200, 200, 200], outcome.errors
    assert sorted(briefing.attendees.values_list("pk", flat=True)) in [sorted(s) for s in sets]
    archive = call(gm, "post", _path("shiftops_briefing_archive", briefing.pk))
    outcome = race(archive, archive, archive)
    assert sorted(outcome.statuses) == [200, 409, 409], outcome.errors


def _on_shift(w):
    start = timezone.now() + dt.timedelta(minutes=30)
    (shift,) = fresh_week(w, [w.employees["agent"]])
    shift.__class__.objects.filter(pk=shift.pk).update(
        start=start, end=start + dt.timedelta(hours=8)
    )
    return shift


def test_parallel_clock_ins_record_one_clock_in():
    w = build_world()
    _on_shift(w)
    clock_in = call(w.users["agent"], "post", _path("shiftops_attendance_clock_in"), {})
    outcome = race(clock_in, clock_in, clock_in)
    assert sorted(outcome.statuses) == [201, 409, 409], outcome.errors
    assert AttendanceRecord.objects.filter(employee=w.employees["agent"]).count() == 1
    assert entries("attendance_clock_in").count() == 1
    clock_out = call(w.users["agent"], "post", _path("shiftops_attendance_clock_out"), {})
    outcome = race(clock_out, clock_out, clock_out)
    assert sorted(outcome.statuses) == [200, 409, 409], outcome.errors
    assert entries("attendance_clock_out").count() == 1


def test_parallel_clock_ins_from_the_page_record_one_clock_in():
    w = build_world()
    _on_shift(w)

    def press():
        client = Client()
        client.force_login(w.users["agent"])
        return client.post(reverse("shiftops:attendance_clock"), {"action": "in"})

    outcome = race(press, press, press)
    assert outcome.statuses == [302, 302, 302], outcome.errors  # no server error
    assert AttendanceRecord.objects.filter(employee=w.employees["agent"]).count() == 1


def test_parallel_settlements_record_each_absence_once():
    w = build_world()
    shifts = fresh_week(w, [w.employees["agent"], w.other_employee])
    past = timezone.now() - dt.timedelta(days=1)
    for shift in shifts:
        shift.__class__.objects.filter(pk=shift.pk).update(
            start=past, end=past + dt.timedelta(hours=8)
        )
    settle = call(w.users["operations_supervisor"], "post", _path("shiftops_attendance_settle"))
    outcome = race(settle, settle)
    assert outcome.statuses == [200, 200], outcome.errors
    assert sorted(r.json()["recorded"] for r in outcome.results) == [0, 2]
    assert AttendanceRecord.objects.filter(shift__in=shifts).count() == 2
    assert entries("attendance_settle").count() == 2
