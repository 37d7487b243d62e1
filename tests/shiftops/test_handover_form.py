"""Editing a handover (issue 18 point 4): before it starts the outgoing lead changes the
notes without choosing the incoming lead again, even one they may not see; once it has
started, its time and leads are fixed (page and service)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ccops.core.errors import Conflict
from ccops.core.testing import build_world
from ccops.shiftops import services
from tests.shiftops.helpers import handover

pytestmark = pytest.mark.django_db


def test_notes_before_the_start_keep_the_leads_and_the_start_fixes_time_and_leads(client):
    w = build_world()
    later = timezone.now() + dt.timedelta(hours=2)
    # the incoming lead works on another site's team the outgoing lead does not see
    h = handover(w, outgoing=w.employees["group_manager"], incoming=w.other_employee, when=later)
    client.force_login(w.users["group_manager"])
    url = reverse("shiftops:handover_edit", args=[h.pk])
    form = client.get(url).content.decode()
    assert f'value="{w.other_employee.pk}" selected' in form
    response = client.post(
        url,
        {
            "handover_at": timezone.localtime(later, w.site.zone).strftime("%Y-%m-%dT%H:%M"),
            "outgoing_lead": w.employees["group_manager"].pk,
            "incoming_lead": w.other_employee.pk,
            "notes": "Queue 2 slow after 15:00; printer 3 jammed.",
        },
    )
    assert response.status_code == 302, response.content[:500]
    h.refresh_from_db()
    assert "printer 3" in h.notes and h.incoming_lead == w.other_employee
    # under way: only the notes are on the form, and the service refuses the rest
    check = h.checks.first()
    services.handover_check_set(check=check, status="ok", actor=w.users["group_manager"])
    form = client.get(url).content.decode()
    assert 'name="incoming_lead"' not in form and 'name="handover_at"' not in form
    assert 'name="notes"' in form
    with pytest.raises(Conflict, match="started"):
        services.handover_update(
            handover=h, incoming_lead=w.employees["agent"], actor=w.users["group_manager"]
        )
