"""Signed means signed (issue 12, point 4): a signed handover and the diary it closed
cannot be archived or moved, by any path; answers are marked by the outgoing lead; a
group manager records briefings of their own teams only."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from ccops.core import audit
from ccops.core import services as core_services
from ccops.core.models import AuditEntry
from ccops.core.testing import api_operation_paths, build_world
from ccops.shiftops import services
from ccops.shiftops.models import Briefing, DutyDiaryEntry, Handover
from tests.shiftops.helpers import handover, question, signed_handover

pytestmark = pytest.mark.django_db


def _path(operation_id, pk=None):
    path = api_operation_paths()[operation_id]
    return path.replace("{pk}", str(pk)) if pk is not None else path


def _closed_shift(w):
    """A diary entry at -2 h closed by a handover signed at -1 h."""
    entry = services.diary_entry_write(
        site=w.site,
        time=timezone.now() - dt.timedelta(hours=2),
        category="systems",
        text="CRM slow",
        actor=w.users["group_manager"],
    )
    h = signed_handover(w, when=timezone.now() - dt.timedelta(hours=1))
    entry.refresh_from_db()
    assert entry.handover == h
    return h, entry


def test_a_signed_handover_cannot_be_archived_by_api_page_service_or_queryset(client):
    w = build_world()
    h, _entry = _closed_shift(w)
    director = w.users["center_director"]
    client.force_login(director)
    response = client.post(_path("shiftops_handover_archive", h.pk))
    assert response.status_code == 409, response.content
    assert "signed" in response.json()["detail"]
    page = client.post(reverse("shiftops:handover_archive", args=[h.pk]))
    assert page.status_code == 302 and page["Location"] == h.get_absolute_url()
    with pytest.raises(audit.RecordLocked):
        core_services.record_archive(h, actor=director)
    with pytest.raises(audit.RecordLocked):
        Handover.objects.filter(pk=h.pk).update(archived_at=timezone.now())
    h.refresh_from_db()
    assert h.archived_at is None and Handover.objects.filter(pk=h.pk).exists()
    assert not AuditEntry.objects.for_object(h).filter(action="archive").exists()
    # ... and its shift's diary stays closed.
    with pytest.raises(Exception, match="handed over"):
        services.diary_entry_write(
            site=w.site,
            time=timezone.now() - dt.timedelta(hours=2),
            category="other",
            text="late",
            actor=w.users["group_manager"],
        )


def test_a_diary_entry_of_a_signed_shift_cannot_be_archived(client):
    w = build_world()
    _h, entry = _closed_shift(w)
    client.force_login(w.users["center_director"])
    response = client.post(_path("shiftops_dutydiaryentry_archive", entry.pk))
    assert response.status_code == 409, response.content
    page = client.post(reverse("shiftops:dutydiaryentry_archive", args=[entry.pk]))
    assert page.status_code == 302  # the page shows why instead of a server error
    entry.refresh_from_db()
    assert entry.archived_at is None


def test_a_diary_entry_cannot_be_moved_into_a_signed_shift(client):
    w = build_world()
    _closed_shift(w)
    gm = w.users["group_manager"]
    later = services.diary_entry_write(
        site=w.site, time=timezone.now(), category="other", text="next shift", actor=gm
    )
    assert later.handover is None
    client.force_login(gm)
    into_closed = (timezone.now() - dt.timedelta(hours=3)).isoformat()
    response = client.patch(
        _path("shiftops_dutydiaryentry_update", later.pk),
        data=json.dumps({"time": into_closed}),
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == "time"
    later.refresh_from_db()
    assert later.time > timezone.now() - dt.timedelta(minutes=5)
    # The ORM refuses it too, whatever path a write takes.
    with pytest.raises(audit.RecordLocked):
        DutyDiaryEntry.objects.filter(pk=later.pk).update(
            time=timezone.now() - dt.timedelta(hours=3)
        )
    later.time = timezone.now() - dt.timedelta(hours=3)
    with pytest.raises(audit.RecordLocked):
        later.save()


def test_an_entry_moved_before_an_open_handover_joins_it():
    w = build_world()
    gm = w.users["group_manager"]
    h = handover(w, when=timezone.now() + dt.timedelta(hours=1))
    entry = services.diary_entry_write(
        site=w.site,
        time=timezone.now() + dt.timedelta(hours=2),
        category="other",
        text="x",
        actor=gm,
    )
    assert entry.handover is None
    entry = services.diary_entry_update(entry=entry, time=timezone.now(), actor=gm)
    assert entry.handover == h


def test_answers_are_marked_by_the_outgoing_lead_not_by_the_person_answering(client):
    w = build_world()
    h = handover(w)  # the group manager hands over to the agent
    answer = services.handover_question_ask(
        handover=h, question=question(w), asked_to=h.incoming_lead, actor=w.users["group_manager"]
    )
    client.force_login(w.users["agent"])  # the person answering, and the incoming lead
    path = _path("shiftops_handoveranswer_record", answer.pk)
    marked = client.patch(
        path,
        data=json.dumps({"answer": "Call the hotline", "correct": True}),
        content_type="application/json",
    )
    assert marked.status_code == 403, marked.content
    answer.refresh_from_db()
    assert answer.correct is None
    written = client.patch(
        path,
        data=json.dumps({"answer": "Call the hotline", "correct": None}),
        content_type="application/json",
    )
    assert written.status_code == 200
    with pytest.raises(PermissionDenied):  # a supervisor does not mark for the lead either
        services.handover_answer_record(
            answer=answer, text="x", correct=False, actor=w.users["operations_supervisor"]
        )
    services.handover_answer_record(
        answer=answer, text="Call the hotline", correct=True, actor=w.users["group_manager"]
    )
    answer.refresh_from_db()
    assert answer.correct is True
    # On the page the person answering sees no marking control, and cannot post one.
    page = reverse("shiftops:handoveranswer_record", args=[answer.pk])
    detail = client.get(h.get_absolute_url()).text
    assert 'name="correct"' not in detail and 'name="answer"' in detail
    client.post(page, {"answer": "Call the hotline", "correct": "false"})
    answer.refresh_from_db()
    assert answer.correct is True
    client.post(page, {"answer": "Call the hotline at once"})  # a new answer drops the mark
    answer.refresh_from_db()
    assert answer.answer == "Call the hotline at once" and answer.correct is None
    client.force_login(w.users["group_manager"])
    assert 'name="correct"' in client.get(h.get_absolute_url()).text


def test_a_group_manager_records_briefings_of_their_own_teams_only(client):
    w = build_world()
    client.force_login(w.users["group_manager"])
    body = {
        "site": w.site.pk,
        "kind": "pre_shift",
        "held_at": timezone.now().isoformat(),
        "led_by": w.employees["group_manager"].pk,
    }
    path = _path("shiftops_briefing_create")
    for team in (w.group2.pk, None):  # another group, the whole site
        response = client.post(
            path, data=json.dumps({**body, "team": team}), content_type="application/json"
        )
        assert response.status_code == 403, (team, response.content)
    own = client.post(
        path, data=json.dumps({**body, "team": w.group1.pk}), content_type="application/json"
    )
    assert own.status_code == 201, own.content
    page = client.post(
        reverse("shiftops:briefing_add"),
        {
            "site": w.site.pk,
            "kind": "pre_shift",
            "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "led_by": w.employees["group_manager"].pk,
        },
    )
    assert page.status_code == 200  # the form shows why; no briefing for the whole site
    assert not Briefing.objects.filter(team__isnull=True).exists()
    supervisor = services.briefing_record(
        site=w.site,
        kind="post_shift",
        held_at=timezone.now(),
        led_by=w.employees["operations_supervisor"],
        attendees=[],
        actor=w.users["operations_supervisor"],
    )
    assert supervisor.team is None
