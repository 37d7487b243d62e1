"""Handover workflow: checklist, questions, signatures as oneself, lock, amendments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from ccops.core import audit
from ccops.core.models import AuditEntry
from ccops.core.testing import api_operation_paths, build_world
from ccops.shiftops import services
from ccops.shiftops.models import DutyDiaryEntry, Handover, HandoverCheck
from tests.shiftops.helpers import handover, question, signed_handover

pytestmark = pytest.mark.django_db


def test_handover_opens_with_the_template_checklist():
    w = build_world()
    h = handover(w)
    assert [c.item for c in h.checks.all()] == ["Headsets", "CRM running"]
    assert all(c.status == "unchecked" for c in h.checks.all())
    assert AuditEntry.objects.for_object(h).filter(action="handover_open").exists()


def test_outgoing_side_signs_first_and_only_with_every_item_marked():
    w = build_world()
    h = handover(w)
    gm = w.users["group_manager"]
    with pytest.raises(ValidationError, match="Mark every checklist item"):
        services.handover_sign(handover=h, side="outgoing", actor=gm)
    with pytest.raises(ValidationError, match="outgoing side signs first"):
        services.handover_sign(handover=h, side="incoming", actor=w.users["agent"])
    check = h.checks.first()
    with pytest.raises(ValidationError, match="Describe the problem"):
        services.handover_check_set(check=check, status="problem", actor=gm)
    services.handover_check_set(check=check, status="problem", note="2 broken", actor=gm)
    for c in h.checks.exclude(pk=check.pk):
        services.handover_check_set(check=c, status="ok", actor=gm)
    services.handover_sign(handover=h, side="outgoing", actor=gm)
    h.refresh_from_db()
    assert h.outgoing_signed_by == gm and not h.is_signed
    with pytest.raises(ValidationError, match="outgoing side has signed"):
        services.handover_check_set(check=check, status="ok", actor=gm)


def test_each_side_signs_as_itself_only():
    w = build_world()
    h = handover(w)
    for c in h.checks.all():
        services.handover_check_set(check=c, status="ok", actor=w.users["group_manager"])
    for intruder in (w.users["operations_supervisor"], w.users["agent"], w.other_agent):
        with pytest.raises(PermissionDenied):
            services.handover_sign(handover=h, side="outgoing", actor=intruder)
    services.handover_sign(handover=h, side="outgoing", actor=w.users["group_manager"])
    with pytest.raises(PermissionDenied):
        services.handover_sign(handover=h, side="incoming", actor=w.users["group_manager"])


def test_incoming_side_must_answer_every_question_before_signing():
    w = build_world()
    h = handover(w)
    gm = w.users["group_manager"]
    for c in h.checks.all():
        services.handover_check_set(check=c, status="ok", actor=gm)
    answer = services.handover_question_ask(
        handover=h, question=question(w), asked_to=w.employees["agent"], actor=gm
    )
    assert answer.question_text == "How is a lost card blocked?"
    services.handover_sign(handover=h, side="outgoing", actor=gm)
    with pytest.raises(ValidationError, match="answer to every question"):
        services.handover_sign(handover=h, side="incoming", actor=w.users["agent"])
    services.handover_answer_record(answer=answer, text="No idea", correct=False, actor=gm)
    services.handover_sign(handover=h, side="incoming", actor=w.users["agent"])
    h.refresh_from_db()
    assert h.is_signed and h.signed_by == w.users["agent"]
    assert h.incoming_signed_by == w.users["agent"]
    actions = set(AuditEntry.objects.for_object(h).values_list("action", flat=True))
    assert {"handover_sign_outgoing", "handover_sign_incoming"} <= actions


def test_signed_handover_cannot_be_edited_by_service_or_model_save():
    w = build_world()
    h = signed_handover(w)
    with pytest.raises(ValidationError, match="signed by both sides"):
        services.handover_update(handover=h, notes="rewritten", actor=w.users["center_director"])
    h.notes = "rewritten"
    with pytest.raises(audit.RecordLocked):
        h.save()
    with pytest.raises(audit.RecordLocked):
        Handover.objects.filter(pk=h.pk).update(notes="rewritten")
    check = h.checks.first()
    check.status = "problem"
    with pytest.raises(audit.RecordLocked):
        check.save()
    with pytest.raises(audit.RecordLocked):
        HandoverCheck.objects.filter(handover=h).update(note="x")
    answer = h.answers.first()
    with pytest.raises(ValidationError, match="amendment"):
        services.handover_answer_record(
            answer=answer, text="changed", correct=False, actor=w.users["group_manager"]
        )
    h.refresh_from_db()
    assert h.notes == "Queue 2 was slow after 15:00."


def test_signed_handover_cannot_be_edited_on_the_page(client):
    w = build_world()
    h = signed_handover(w)
    client.force_login(w.users["operations_supervisor"])
    url = reverse("shiftops:handover_edit", args=[h.pk])
    page = client.get(url, follow=True)
    assert "signed by both sides and cannot be changed" in page.text
    response = client.post(url, {"handover_at": "2026-01-01T10:00", "notes": "rewritten"})
    assert response.status_code == 302
    h.refresh_from_db()
    assert h.notes == "Queue 2 was slow after 15:00."
    check = h.checks.first()
    client.post(reverse("shiftops:handovercheck_set", args=[check.pk]), {"status": "problem"})
    check.refresh_from_db()
    assert check.status == "ok"


def test_signed_handover_cannot_be_edited_through_the_api(client):
    w = build_world()
    h = signed_handover(w)
    client.force_login(w.users["operations_supervisor"])
    path = api_operation_paths()["shiftops_handover_update"].replace("{pk}", str(h.pk))
    response = client.patch(path, data={"notes": "x"}, content_type="application/json")
    assert response.status_code == 409
    assert "amendment" in response.text
    check_path = api_operation_paths()["shiftops_handovercheck_set"]
    check_path = check_path.replace("{pk}", str(h.checks.first().pk))
    response = client.patch(
        check_path, data={"status": "problem", "note": "x"}, content_type="application/json"
    )
    assert response.status_code == 409
    h.refresh_from_db()
    assert h.notes == "Queue 2 was slow after 15:00."


def test_amendment_copies_the_record_links_the_original_and_is_signed_again():
    w = build_world()
    h = signed_handover(w)
    with pytest.raises(ValidationError, match="not signed yet"):
        services.handover_amend(
            handover=handover(w), notes="x", actor=w.users["operations_supervisor"]
        )
    amendment = services.handover_amend(
        handover=h, notes="Queue 2 was slow after 14:30.", actor=w.users["operations_supervisor"]
    )
    assert amendment.amends == h and not amendment.is_signed
    assert amendment.outgoing_signed_at is None and amendment.incoming_signed_by is None
    assert [c.status for c in amendment.checks.all()] == ["ok", "ok"]
    assert amendment.answers.get().answer == "Call the hotline"
    with pytest.raises(ValidationError, match="already open"):
        services.handover_amend(handover=h, notes="y", actor=w.users["operations_supervisor"])
    services.handover_sign(handover=amendment, side="outgoing", actor=w.users["group_manager"])
    services.handover_sign(handover=amendment, side="incoming", actor=w.users["agent"])
    amendment.refresh_from_db()
    assert amendment.is_signed
    h.refresh_from_db()
    assert h.notes == "Queue 2 was slow after 15:00."


def test_sign_and_amend_pages_and_api(client):
    w = build_world()
    h = handover(w)
    gm, agent = w.users["group_manager"], w.users["agent"]
    client.force_login(gm)
    for check in h.checks.all():
        client.post(reverse("shiftops:handovercheck_set", args=[check.pk]), {"status": "ok"})
    client.post(
        reverse("shiftops:handover_ask", args=[h.pk]),
        {"question": question(w).pk, "asked_to": w.employees["agent"].pk},
    )
    answer = h.answers.get()
    client.post(
        reverse("shiftops:handoveranswer_record", args=[answer.pk]),
        {"answer": "Hotline", "correct": "true"},
    )
    client.post(reverse("shiftops:handover_sign", args=[h.pk]), {"side": "outgoing"})
    client.force_login(agent)
    sign = api_operation_paths()["shiftops_handover_sign"].replace("{pk}", str(h.pk))
    response = client.post(sign, data={"side": "incoming"}, content_type="application/json")
    assert response.status_code == 200, response.text
    assert response.json()["signed_at"] is not None
    client.force_login(w.users["operations_supervisor"])
    page = client.post(reverse("shiftops:handover_amend", args=[h.pk]), {"notes": "fixed"})
    amendment = Handover.objects.get(amends=h)
    assert page["Location"] == amendment.get_absolute_url()
    detail = client.get(reverse("shiftops:handover_detail", args=[h.pk]))
    assert "locked" in detail.text and amendment.get_absolute_url() in detail.text


def test_duty_diary_entries_are_written_as_oneself_and_signed_with_the_handover():
    w = build_world()
    now = timezone.now()
    gm = w.users["group_manager"]
    entry = services.diary_entry_write(
        site=w.site,
        time=now - dt.timedelta(hours=1),
        category="systems",
        text="CRM slow",
        actor=gm,
    )
    assert entry.author == w.employees["group_manager"] and entry.handover is None
    h = signed_handover(w, when=now - dt.timedelta(minutes=5))
    entry.refresh_from_db()
    assert entry.handover == h
    with pytest.raises(ValidationError, match="amendment"):
        services.diary_entry_update(entry=entry, text="changed", actor=gm)
    entry.text = "changed"
    with pytest.raises(audit.RecordLocked):
        entry.save()
    with pytest.raises(ValidationError, match="handed over"):
        services.diary_entry_write(
            site=w.site,
            time=now - dt.timedelta(minutes=30),
            category="other",
            text="late",
            actor=gm,
        )
    later = services.diary_entry_write(
        site=w.site, time=now, category="other", text="next shift", actor=gm
    )
    with pytest.raises(PermissionDenied):
        services.diary_entry_update(entry=later, text="not mine", actor=w.users["area_manager"])
    assert DutyDiaryEntry.objects.filter(handover__isnull=True).count() == 1


def test_admin_shows_a_signed_handover_read_only_instead_of_failing(client):
    from django.contrib.auth import get_user_model

    world = build_world()
    h = signed_handover(world)
    admin_user = get_user_model().objects.create_superuser("root", "root@example.org", "x" * 12)
    client.force_login(admin_user)
    url = reverse("admin:shiftops_handover_change", args=[h.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.text  # no save button: the form is read-only
    assert client.post(url, {"notes": "rewritten"}).status_code == 403
    h.refresh_from_db()
    assert h.notes == "Queue 2 was slow after 15:00."
    # an open handover can still be edited there
    other = handover(world, when=timezone.now() - dt.timedelta(hours=2))
    page = client.get(reverse("admin:shiftops_handover_change", args=[other.pk]))
    assert 'name="_save"' in page.text
