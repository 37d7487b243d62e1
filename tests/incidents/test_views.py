"""The pages: an incident run from the phone screen in English and Chinese, the archive,
the report, the surge plan, the call-in answer, the home-page panels."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ccops.core.testing import build_world
from ccops.incidents import surge
from ccops.incidents.models import Incident
from tests.incidents import helpers
from tests.incidents.helpers import ops

pytestmark = pytest.mark.django_db


def test_run_an_incident_from_the_pages(client):
    w = build_world()
    client.force_login(w.users["group_manager"])
    page = client.get(reverse("incidents:incident_add") + "?kind=voip")
    assert page.status_code == 200
    started = helpers.local(w.site, helpers.yesterday(), 9).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("incidents:incident_add"),
        {
            "site": w.site.pk,
            "kind": "voip",
            "severity": "critical",
            "title": "Calls drop",
            "started_at": started,
            "symptoms": "Every call drops after 10 s.",
            "systems": ["voip"],
            "queues": [w.queue.pk],
        },
    )
    incident = Incident.objects.get(title="Calls drop")
    assert response.status_code == 302 and response["Location"] == incident.get_absolute_url()
    step = incident.steps.first()
    client.post(reverse("incidents:incidentstep_tick", args=[step.pk]), {"note": "ok"})
    client.post(reverse("incidents:incident_update", args=[incident.pk]), {"text": "Vendor on it"})
    client.post(reverse("incidents:incident_recover", args=[incident.pk]), {})
    page = client.get(incident.get_absolute_url())
    assert page.status_code == 200
    assert "Vendor on it" in page.content.decode()
    incident.refresh_from_db()
    assert (
        incident.status == "recovered" and incident.steps.filter(done_at__isnull=False).count() == 1
    )
    # closing without the record is refused with the reason
    client.post(reverse("incidents:incident_close", args=[incident.pk]))
    incident.refresh_from_db()
    assert incident.status == "recovered"
    client.post(
        reverse("incidents:incident_fault", args=[incident.pk]),
        {
            "cause": "Vendor firmware bug",
            "actions_taken": "Rolled back",
            "responsible_department": "Telecom",
            "agreement": "Test upgrades at night",
        },
    )
    client.post(reverse("incidents:incident_close", args=[incident.pk]))
    incident.refresh_from_db()
    assert incident.status == "closed"
    client.cookies["django_language"] = "zh-hans"
    page = client.get(incident.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert page.status_code == 200 and "故障记录" in text and "确认" in text


def test_surge_plan_and_call_in_pages(client):
    w = helpers.surge_world()
    client.force_login(ops(w))
    response = client.post(
        reverse("incidents:incident_surge", args=[w.incident.pk]), {"queue": w.queue.pk, "hours": 2}
    )
    plan = w.incident.surges.get()
    assert response["Location"] == plan.get_absolute_url()
    page = client.get(plan.get_absolute_url())
    assert page.status_code == 200 and w.other_employee.full_name in page.content.decode()
    client.post(reverse("incidents:surgeplan_callin", args=[plan.pk]), {"count": 1})
    offer = plan.offers.get()
    client.force_login(w.other_agent)
    home = client.get(reverse("home"))
    assert "incidents:callinoffer_list" not in home.content.decode()
    assert reverse("incidents:callinoffer_list") in home.content.decode()
    client.post(reverse("incidents:callinoffer_respond", args=[offer.pk]), {"accept": "1"})
    offer.refresh_from_db()
    assert offer.status == "accepted"


def test_archive_report_and_panels(client):
    w = build_world()
    day = helpers.yesterday()
    helpers.publish_week(
        w, helpers.monday(day), {w.employees["agent"]: [((day - helpers.monday(day)).days, 9, 8)]}
    )
    incident = helpers.closed(w, day=day)
    open_one = helpers.declare(w, kind="power", systems=["power"])
    client.force_login(ops(w))
    archive = client.get(reverse("incidents:faultrecord_list"), {"q": "disk"})
    assert incident.title in archive.content.decode()
    report = client.get(reverse("incidents:fault_report"), {"month": day.strftime("%Y-%m")})
    assert report.status_code == 200 and "90" in report.content.decode()
    home = client.get(reverse("home")).content.decode()
    assert open_one.title in home and "1 of 1 not yet" in home
    client.force_login(w.users["agent"])
    home = client.get(reverse("home")).content.decode()
    assert open_one.title in home and incident.get_absolute_url() + "#acknowledge" in home
    client.post(reverse("incidents:incident_acknowledge", args=[incident.pk]))
    assert not incident.acknowledgements.filter(acknowledged_at__isnull=True).exists()
    for name in (
        "incidents:playbook_list",
        "incidents:acknowledgement_list",
        "incidents:incident_list",
    ):
        assert client.get(reverse(name)).status_code == 200
    pb = incident.playbook
    assert client.get(pb.get_absolute_url()).status_code == 200
    _ = surge  # the surge pages are covered above


def test_a_supervisor_revises_a_playbook_on_its_page(client):
    from ccops.incidents import services

    w = build_world()
    v1 = services.current_playbook("virus")
    client.force_login(ops(w))
    page = client.get(reverse("incidents:playbook_edit", args=[v1.pk]))
    assert page.status_code == 200 and "duty_lead |" in page.content.decode()
    response = client.post(
        reverse("incidents:playbook_edit", args=[v1.pk]),
        {
            "title_en": "Computer virus",
            "title_zh": "计算机病毒",
            "contacts": "it | IT desk | 8002",
            "steps": "duty_lead | Unplug the network cable | 拔掉网线\nit | Call IT | 联系信息技术",
        },
    )
    v2 = services.current_playbook("virus")
    assert response.status_code == 302 and v2.version == 2 and v2.steps.count() == 2
    assert v2.contact_dicts == [{"kind": "it", "name": "IT desk", "name_zh": "", "phone": "8002"}]
    bad = client.post(
        reverse("incidents:playbook_edit", args=[v2.pk]),
        {"title_en": "x", "title_zh": "x", "steps": "boss | a | b"},
    )
    assert bad.status_code == 200 and services.current_playbook("virus") == v2


def test_the_monthly_report_through_the_api(client):
    w = build_world()
    incident = helpers.closed(w)
    client.force_login(ops(w))
    month = incident.started_at.strftime("%Y-%m")
    body = client.get("/api/v1/incidents/fault-report", {"month": month}).json()
    assert body["faults"] == 1 and body["systems"][0]["system"] == "billing"
    assert client.get("/api/v1/incidents/fault-report", {"month": "13"}).status_code == 422
    faults = client.get("/api/v1/incidents/faults/", {"q": "disk"}).json()["items"]
    assert [f["incident"] for f in faults] == [incident.pk]
