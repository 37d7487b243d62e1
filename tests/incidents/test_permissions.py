"""Permission matrix of the incidents pages and API; agents see only their own
acknowledgements and call-in requests."""

from __future__ import annotations

import datetime as dt

from ccops.core import audit
from ccops.core.roles import ALL_ROLES, MANAGERS, SUPERVISORS
from ccops.core.testing import Check, OwnRowsTests, PermissionMatrix, make_user
from ccops.incidents import services
from ccops.incidents.models import Acknowledgement, CallInOffer, Incident, SurgePlan
from ccops.incidents.roles import DUTY, PLANNERS
from tests.incidents import helpers
from tests.shiftops.helpers import employee_of

REPORT = SUPERVISORS | MANAGERS
POSTED = (302,)
API_ACTION = (200, 201, 409, 422)


def _incident(w) -> Incident:
    """One recovered break-in incident per world (the pages' actions answer with a
    message and a redirect whatever its state)."""
    if not hasattr(w, "_incident"):
        w._incident = helpers.recovered(w, kind="break_in", systems=["building"])
    return w._incident


def inc(w, u):
    return [_incident(w).pk]


def step(w, u):
    return [_incident(w).steps.first().pk]


def playbook(w, u):
    return [services.current_playbook("billing").pk]


def _surge(w) -> SurgePlan:
    if not hasattr(w, "_surge"):
        with audit.acting_as(None, via=audit.VIA_SYSTEM):
            w._surge = SurgePlan.objects.create(
                incident=_incident(w),
                queue=w.queue,
                recovery_at=_incident(w).recovered_at,
                retrial_share=0.5,
                retrial_delay_minutes=20,
            )
    return w._surge


def surge(w, u):
    return [_surge(w).pk]


def my_offer(w, u):
    employee = employee_of(w, u or w.users["agent"])
    with audit.acting_as(None, via=audit.VIA_SYSTEM):
        offer, _ = CallInOffer.objects.get_or_create(
            surge=_surge(w),
            employee=employee,
            defaults={
                "rank": 1,
                "start": _surge(w).recovery_at,
                "end": _surge(w).recovery_at + dt.timedelta(hours=2),
            },
        )
    return [offer.pk]


def my_ack(w, u):
    employee = employee_of(w, u or w.users["agent"])
    with audit.acting_as(None, via=audit.VIA_SYSTEM):
        ack, _ = Acknowledgement.objects.get_or_create(incident=_incident(w), employee=employee)
    return [ack.pk]


def account_data(w, u):
    return {"username": make_user().username, "action": "lock"}


def api_account(w, u):
    return {"user": make_user().pk, "action": "lock"}


def note(w, u):
    return {"note": "n"}


def fault(w, u):
    return {
        "cause": "c",
        "actions_taken": "a",
        "responsible_department": "IT",
        "agreement": "g",
    }


def declare(w, u):
    return {
        "site": w.site.pk,
        "kind": "power",
        "severity": "low",
        "title": "Lights out",
        "started_at": dt.datetime.now(dt.UTC).isoformat(),
        "symptoms": "Dark",
    }


def follow_up(w, u):
    return {
        "title": "t",
        "owner": w.employees["editor"].pk,
        "due_date": (dt.date.today() + dt.timedelta(days=3)).isoformat(),
    }


def post(allowed, args=inc, data=None):
    return Check(allowed, args=args, method="post", data=data, ok=POSTED)


def action(allowed, args=inc, data=None, method="post"):
    return Check(allowed, args=args, method=method, data=data or (lambda w, u: {}), ok=API_ACTION)


class TestIncidentsMatrix(PermissionMatrix):
    pages = {
        "incidents:playbook_list": Check(ALL_ROLES),
        "incidents:playbook_detail": Check(ALL_ROLES, args=playbook),
        "incidents:playbook_edit": Check(SUPERVISORS, args=playbook),
        "incidents:incident_list": Check(ALL_ROLES),
        "incidents:incident_add": Check(DUTY),
        "incidents:incident_detail": Check(ALL_ROLES, args=inc),
        "incidents:incident_update": post(DUTY, data=lambda w, u: {"text": "t"}),
        "incidents:incident_assign": post(DUTY),
        "incidents:incident_recover": post(DUTY),
        "incidents:incident_meeting": post(DUTY),
        "incidents:incident_records": post(DUTY, data=lambda w, u: {"police_report_number": "1"}),
        "incidents:incident_account": post(SUPERVISORS, data=account_data),
        "incidents:incident_fault": post(DUTY, data=fault),
        "incidents:incident_followup": post(DUTY),
        "incidents:incident_close": post(DUTY),
        "incidents:incident_acknowledge": post(ALL_ROLES),
        "incidents:incident_surge": post(PLANNERS, data=lambda w, u: {"queue": w.queue.pk}),
        "incidents:incidentstep_tick": post(DUTY, args=step, data=note),
        "incidents:faultrecord_list": Check(ALL_ROLES),
        "incidents:fault_report": Check(REPORT),
        "incidents:acknowledgement_list": Check(ALL_ROLES),
        "incidents:acknowledgement_record": post(REPORT, args=my_ack),
        "incidents:surgeplan_detail": Check(PLANNERS, args=surge),
        "incidents:surgeplan_freeze": post(PLANNERS, args=surge),
        "incidents:surgeplan_move": post(PLANNERS, args=surge),
        "incidents:surgeplan_callin": post(PLANNERS, args=surge),
        "incidents:callinoffer_list": Check(ALL_ROLES),
        "incidents:callinoffer_respond": post(
            ALL_ROLES, args=my_offer, data=lambda w, u: {"accept": "0"}
        ),
    }
    api = {
        "incidents_playbook_list": Check(ALL_ROLES),
        "incidents_playbook_get": Check(ALL_ROLES, args=playbook),
        "incidents_playbook_revise": action(
            SUPERVISORS,
            args=playbook,
            data=lambda w, u: {
                "title_en": "t",
                "title_zh": "t",
                "steps": [{"role": "staff", "text_en": "a", "text_zh": "b"}],
            },
        ),
        "incidents_incident_list": Check(ALL_ROLES),
        "incidents_incident_get": Check(ALL_ROLES, args=inc),
        "incidents_incident_create": action(DUTY, args=None, data=declare),
        "incidents_incidentstep_tick": action(DUTY, args=step, data=note),
        "incidents_incident_update": action(DUTY, data=lambda w, u: {"text": "t"}),
        "incidents_incident_assign": action(
            DUTY, data=lambda w, u: {"role": "scribe", "employee": employee_of(w, u).pk}
        ),
        "incidents_incident_recover": action(DUTY),
        "incidents_incident_meeting": action(DUTY),
        "incidents_incident_records": action(DUTY, data=lambda w, u: {"police_report_number": "9"}),
        "incidents_incident_account": action(SUPERVISORS, data=api_account),
        "incidents_incident_fault": action(DUTY, data=fault, method="put"),
        "incidents_incident_followup": action(DUTY, data=follow_up),
        "incidents_incident_close": action(DUTY),
        "incidents_faultrecord_list": Check(ALL_ROLES),
        "incidents_faultrecord_get": Check(ALL_ROLES, args=lambda w, u: [0], ok=(404,)),
        "incidents_fault_report": Check(REPORT, data=lambda w, u: {"month": "2026-11"}),
        "incidents_acknowledgement_list": Check(ALL_ROLES),
        "incidents_acknowledgement_get": Check(ALL_ROLES, args=my_ack),
        "incidents_acknowledgement_confirm": action(ALL_ROLES, args=my_ack),
        "incidents_acknowledgement_record": action(REPORT, args=my_ack),
        "incidents_surgeplan_list": Check(PLANNERS),
        "incidents_surgeplan_get": Check(PLANNERS, args=surge),
        "incidents_incident_surge": action(PLANNERS, data=lambda w, u: {"queue": w.queue.pk}),
        "incidents_surgeplan_freeze": action(PLANNERS, args=surge),
        "incidents_surgeplan_callin": action(PLANNERS, args=surge),
        "incidents_callinoffer_list": Check(ALL_ROLES),
        "incidents_callinoffer_get": Check(ALL_ROLES, args=my_offer),
        "incidents_callinoffer_respond": action(
            ALL_ROLES, args=my_offer, data=lambda w, u: {"accept": False}
        ),
    }


class TestOwnAcknowledgements(OwnRowsTests):
    model = Acknowledgement
    list_url = "incidents:acknowledgement_list"
    detail_url = "incidents:acknowledgement_list"
    api_list = "incidents_acknowledgement_list"

    def own(self, world):
        return Acknowledgement.objects.get(pk=my_ack(world, world.users["agent"])[0])

    def others(self, world):
        return Acknowledgement.objects.get(pk=my_ack(world, world.other_agent)[0])

    def test_agent_sees_only_own_rows(self, client, db):
        from ccops.core.testing import build_world

        world = build_world()
        own, other = self.own(world), self.others(world)
        visible = set(Acknowledgement.objects.restrict(world.users["agent"], "view"))
        assert own in visible and other not in visible
        client.force_login(world.users["agent"])
        page = client.get("/incidents/acknowledgements/")
        assert list(page.context["object_list"]) == [own]
        rows = client.get("/api/v1/incidents/acknowledgements/").json()["items"]
        assert [r["id"] for r in rows] == [own.pk]
        manager = set(Acknowledgement.objects.restrict(world.users["group_manager"], "view"))
        assert own in manager and other not in manager
