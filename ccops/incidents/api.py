"""REST API of the incidents app: playbooks, incidents and their workflow (steps, timeline,
hand-overs, recovery, emergency meeting, break-in records, account actions, fault record,
follow-ups, closing), the fault archive and monthly report, cause acknowledgements, surge
plans and call-in requests. The same services and permission checks as the pages."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import ModelSchema, Query, Router, Schema, Status
from ninja.errors import HttpError

from ccops.core.apitools import get_or_404, register_crud, require_perm, resolve_pk, resolve_pks
from ccops.core.models import Queue, Site
from ccops.core.permissions import missing_permission
from ccops.incidents import services, surge
from ccops.incidents.filters import (
    AcknowledgementFilter,
    CallInOfferFilter,
    FaultRecordFilter,
    IncidentFilter,
    PlaybookFilter,
    SurgePlanFilter,
)
from ccops.incidents.models import (
    Acknowledgement,
    CallInOffer,
    FaultRecord,
    Incident,
    IncidentStep,
    Playbook,
    SurgePlan,
)
from ccops.people.models import Employee

router = Router(tags=["incidents"])


# --- playbooks -----------------------------------------------------------------------------


class StepOut(Schema):
    order: int
    role: str
    text_en: str
    text_zh: str
    requires: str


class ContactOut(Schema):
    kind: str
    name: str
    phone: str
    name_zh: str = ""


class PlaybookOut(ModelSchema):
    steps: list[StepOut]
    contacts: list[ContactOut]

    class Meta:
        model = Playbook
        fields = [
            "id",
            "kind",
            "version",
            "is_current",
            "title_en",
            "title_zh",
            "summary_en",
            "summary_zh",
            "created_at",
        ]

    @staticmethod
    def resolve_steps(obj):
        return list(obj.steps.all())

    @staticmethod
    def resolve_contacts(obj):
        return obj.contact_dicts


class StepIn(Schema):
    role: str
    text_en: str
    text_zh: str
    requires: str = ""


class PlaybookReviseIn(Schema):
    title_en: str
    title_zh: str
    summary_en: str = ""
    summary_zh: str = ""
    contacts: list[ContactOut] | None = None
    steps: list[StepIn]


register_crud(
    router,
    Playbook,
    path="playbooks",
    out_schema=PlaybookOut,
    filterset=PlaybookFilter,
    archive=False,
)


@router.post(
    "/playbooks/{int:pk}/revise",
    response={201: PlaybookOut},
    operation_id="incidents_playbook_revise",
    summary="Revise a playbook (a new version)",
)
def playbook_revise(request, pk: int, payload: PlaybookReviseIn):
    require_perm(request, Playbook, "change")
    data = payload.dict()
    steps = "\n".join(
        " | ".join([s["role"], s["text_en"], s["text_zh"], s["requires"]])
        for s in data.pop("steps")
    )
    if data["contacts"] is not None:
        data["contacts"] = services.parse_contacts(
            "\n".join(
                " | ".join(c.get(k, "") for k in ("kind", "name", "phone", "name_zh"))
                for c in data["contacts"]
            )
        )
    new = services.playbook_revise(
        playbook=get_or_404(request, Playbook, pk, "change"),
        steps=services.parse_steps(steps),
        actor=request.user,
        **data,
    )
    return Status(201, new)


# --- incidents -----------------------------------------------------------------------------


class IncidentStepOut(ModelSchema):
    class Meta:
        model = IncidentStep
        fields = [
            "id",
            "order",
            "role",
            "text_en",
            "text_zh",
            "requires",
            "done_at",
            "done_by",
            "note",
        ]


class TimelineOut(Schema):
    at: dt.datetime
    kind: str
    author: int | None
    text: str

    @staticmethod
    def resolve_author(obj):
        return obj.author_id


class IncidentOut(ModelSchema):
    queues: list[int]
    systems: list[str]
    steps: list[IncidentStepOut]
    timeline: list[TimelineOut]

    class Meta:
        model = Incident
        fields = [
            "id",
            "site",
            "playbook",
            "kind",
            "severity",
            "title",
            "started_at",
            "symptoms",
            "status",
            "declared_by",
            "lead",
            "scribe",
            "recovered_at",
            "closed_at",
            "emergency_request",
            "police_report_number",
            "scene_sealed_at",
            "duty_staff_interviewed",
        ]

    @staticmethod
    def resolve_queues(obj):
        return list(obj.queues.values_list("pk", flat=True))

    @staticmethod
    def resolve_steps(obj):
        return list(obj.steps.all())

    @staticmethod
    def resolve_timeline(obj):
        return list(obj.timeline.all())


class DeclareIn(Schema):
    site: int
    kind: str
    severity: str
    title: str
    started_at: dt.datetime
    symptoms: str
    systems: list[str] = []
    queues: list[int] = []


register_crud(
    router,
    Incident,
    path="incidents",
    out_schema=IncidentOut,
    filterset=IncidentFilter,
    archive=False,
)


@router.post(
    "/incidents/",
    response={201: IncidentOut},
    operation_id="incidents_incident_create",
    summary="Declare an incident",
)
def incident_declare(request, payload: DeclareIn):
    require_perm(request, Incident, "add")
    data = payload.dict()
    site = resolve_pk(Site, data.pop("site"), "site")
    queues = resolve_pks(Queue.objects.filter(site=site), data.pop("queues"), "queues")
    incident = services.incident_declare(site=site, queues=queues, actor=request.user, **data)
    return Status(201, incident)


def _run(request, pk) -> Incident:
    require_perm(request, Incident, "change")
    return get_or_404(request, Incident, pk)


class NoteIn(Schema):
    note: str = ""


class TextIn(Schema):
    text: str


class AssignIn(Schema):
    role: str
    employee: int
    note: str = ""


class RecoverIn(Schema):
    recovered_at: dt.datetime | None = None


class RecordsIn(Schema):
    police_report_number: str | None = None
    scene_sealed_at: dt.datetime | None = None
    duty_staff_interviewed: str | None = None


class AccountIn(Schema):
    user: int
    action: str


class AccountOut(Schema):
    action: str
    user: int
    temporary_password: str | None


class FaultIn(Schema):
    cause: str
    actions_taken: str
    responsible_department: str
    agreement: str
    impact: str = ""
    window_start: dt.datetime | None = None
    window_end: dt.datetime | None = None


class FaultOut(ModelSchema):
    calls_lost: int

    class Meta:
        model = FaultRecord
        fields = [
            "id",
            "incident",
            "cause",
            "impact",
            "window_start",
            "window_end",
            "downtime_minutes",
            "calls_offered",
            "calls_answered",
            "calls_abandoned",
            "actions_taken",
            "responsible_department",
            "agreement",
            "signed_at",
            "signed_by",
        ]

    @staticmethod
    def resolve_calls_lost(obj):
        return obj.calls_lost


class FollowUpIn(Schema):
    title: str
    owner: int
    due_date: dt.date
    description: str = ""


class FollowUpOut(Schema):
    id: int
    title: str
    owner: int
    due_date: dt.date
    status: str

    @staticmethod
    def resolve_owner(obj):
        return obj.owner_id


def _employee(request, pk, field) -> Employee:
    return resolve_pk(Employee, pk, field, Employee.objects.restrict(request.user, "view"))


@router.post(
    "/steps/{int:pk}/tick",
    response=IncidentStepOut,
    operation_id="incidents_incidentstep_tick",
    summary="Tick a playbook step off",
)
def step_tick(request, pk: int, payload: NoteIn):
    require_perm(request, Incident, "change")
    return services.incident_step_tick(
        step=get_or_404(request, IncidentStep, pk), note=payload.note, actor=request.user
    )


@router.post(
    "/incidents/{int:pk}/updates",
    response={201: TimelineOut},
    operation_id="incidents_incident_update",
    summary="Add an update to the timeline",
)
def incident_update(request, pk: int, payload: TextIn):
    entry = services.incident_update_add(
        incident=_run(request, pk), text=payload.text, actor=request.user
    )
    return Status(201, entry)


@router.post(
    "/incidents/{int:pk}/assign",
    response=IncidentOut,
    operation_id="incidents_incident_assign",
    summary="Hand the lead or the scribe's role over",
)
def incident_assign(request, pk: int, payload: AssignIn):
    incident = _run(request, pk)
    return services.incident_assign(
        incident=incident,
        role=payload.role,
        employee=_employee(request, payload.employee, "employee"),
        note=payload.note,
        actor=request.user,
    )


@router.post(
    "/incidents/{int:pk}/recover",
    response=IncidentOut,
    operation_id="incidents_incident_recover",
    summary="Mark the incident recovered",
)
def incident_recover(request, pk: int, payload: RecoverIn):
    return services.incident_recover(
        incident=_run(request, pk), recovered_at=payload.recovered_at, actor=request.user
    )


@router.post(
    "/incidents/{int:pk}/emergency-meeting",
    response=IncidentOut,
    operation_id="incidents_incident_meeting",
    summary="Request the emergency meeting of the incident",
)
def incident_meeting(request, pk: int):
    return services.incident_meeting_request(incident=_run(request, pk), actor=request.user)


@router.post(
    "/incidents/{int:pk}/records",
    response=IncidentOut,
    operation_id="incidents_incident_records",
    summary="Record the police report number, scene sealed, duty staff interviewed",
)
def incident_records(request, pk: int, payload: RecordsIn):
    return services.incident_records_set(
        incident=_run(request, pk), actor=request.user, **payload.dict()
    )


@router.post(
    "/incidents/{int:pk}/account-action",
    response=AccountOut,
    operation_id="incidents_incident_account",
    summary="Lock a login or force a password change",
)
def incident_account(request, pk: int, payload: AccountIn):
    incident = _run(request, pk)
    if not request.user.has_perm("incidents.lock_account"):
        raise HttpError(403, missing_permission("incidents.lock_account"))
    user = resolve_pk(get_user_model(), payload.user, "user")
    row, password = services.incident_account_action(
        incident=incident, user=user, action=payload.action, actor=request.user
    )
    return {"action": row.action, "user": user.pk, "temporary_password": password}


@router.put(
    "/incidents/{int:pk}/fault",
    response=FaultOut,
    operation_id="incidents_incident_fault",
    summary="Write the fault record (until it is signed)",
)
def incident_fault(request, pk: int, payload: FaultIn):
    incident = _run(request, pk)
    require_perm(request, FaultRecord, "add")
    return services.fault_record_save(incident=incident, actor=request.user, **payload.dict())


@router.post(
    "/incidents/{int:pk}/follow-ups",
    response={201: FollowUpOut},
    operation_id="incidents_incident_followup",
    summary="Add a follow-up action (a meetings action item)",
)
def incident_followup(request, pk: int, payload: FollowUpIn):
    incident = _run(request, pk)
    item = services.incident_follow_up_add(
        incident=incident,
        title=payload.title,
        owner=_employee(request, payload.owner, "owner"),
        due_date=payload.due_date,
        description=payload.description,
        actor=request.user,
    )
    return Status(201, item)


@router.post(
    "/incidents/{int:pk}/close",
    response=IncidentOut,
    operation_id="incidents_incident_close",
    summary="Close the incident with its fault record",
)
def incident_close(request, pk: int):
    return services.incident_close(incident=_run(request, pk), actor=request.user)


# --- the fault archive ---------------------------------------------------------------------

register_crud(
    router,
    FaultRecord,
    path="faults",
    out_schema=FaultOut,
    filterset=FaultRecordFilter,
    queryset=lambda request: FaultRecord.objects.filter(signed_at__isnull=False),
    archive=False,
)


class ReportQuery(Schema):
    month: str


class SystemRow(Schema):
    system: str
    label: str
    faults: int
    downtime: int
    lost: int


class ReportOut(Schema):
    month: dt.date
    faults: int
    downtime: int
    lost: int
    systems: list[SystemRow]


@router.get(
    "/fault-report",
    response=ReportOut,
    operation_id="incidents_fault_report",
    summary="The monthly fault report (faults, downtime and calls lost by system)",
)
def fault_report(request, query: Query[ReportQuery]):
    if not request.user.has_perm("incidents.view_faultreport"):
        raise HttpError(403, missing_permission("incidents.view_faultreport"))
    try:
        month = dt.datetime.strptime(query.month, "%Y-%m").date()
    except ValueError as exc:
        raise ValidationError(
            {"month": _("Give the month as YYYY-MM, not %(value)s.") % {"value": query.month}}
        ) from exc
    report = services.fault_report(month)
    return {"month": report["month"], **report["total"], "systems": report["systems"]}


# --- acknowledgements ----------------------------------------------------------------------


class AckOut(ModelSchema):
    class Meta:
        model = Acknowledgement
        fields = ["id", "incident", "employee", "acknowledged_at", "recorded_by"]


register_crud(
    router,
    Acknowledgement,
    path="acknowledgements",
    out_schema=AckOut,
    filterset=AcknowledgementFilter,
    archive=False,
)


@router.post(
    "/acknowledgements/{int:pk}/acknowledge",
    response=AckOut,
    operation_id="incidents_acknowledgement_confirm",
    summary="Acknowledge the cause of a fault (your own)",
)
def ack_confirm(request, pk: int):
    require_perm(request, Acknowledgement, "change")
    return services.acknowledgement_confirm(
        ack=get_or_404(request, Acknowledgement, pk, "change"), actor=request.user
    )


@router.post(
    "/acknowledgements/{int:pk}/record",
    response=AckOut,
    operation_id="incidents_acknowledgement_record",
    summary="Record that you told an employee the cause in person",
)
def ack_record(request, pk: int):
    require_perm(request, Acknowledgement, "change")
    return services.acknowledgement_record(
        ack=get_or_404(request, Acknowledgement, pk), actor=request.user
    )


# --- the surge -----------------------------------------------------------------------------


class IntervalOut(Schema):
    start: dt.datetime
    base: float
    retrial: float
    calls: float
    needed: int
    available: int
    gap: int


class SurgeOut(ModelSchema):
    shortfall: int
    retrial_total: float
    intervals: list[IntervalOut]

    class Meta:
        model = SurgePlan
        fields = [
            "id",
            "incident",
            "queue",
            "recovery_at",
            "hours",
            "retrial_share",
            "retrial_delay_minutes",
            "lost_calls",
            "leave_frozen_until",
        ]

    @staticmethod
    def resolve_shortfall(obj):
        return obj.shortfall

    @staticmethod
    def resolve_retrial_total(obj):
        return obj.retrial_total


class SurgeIn(Schema):
    queue: int
    hours: int = 4
    share: float | None = None
    delay_minutes: float | None = None


register_crud(
    router, SurgePlan, path="surges", out_schema=SurgeOut, filterset=SurgePlanFilter, archive=False
)


@router.post(
    "/incidents/{int:pk}/surge",
    response={201: SurgeOut},
    operation_id="incidents_incident_surge",
    summary="Estimate the surge after recovery and the staffing gap",
)
def incident_surge(request, pk: int, payload: SurgeIn):
    require_perm(request, SurgePlan, "add")
    incident = get_or_404(request, Incident, pk)
    queue = resolve_pk(Queue, payload.queue, "queue")
    plan = surge.surge_plan_create(
        incident=incident,
        queue=queue,
        hours=payload.hours,
        share=payload.share,
        delay_minutes=payload.delay_minutes,
        actor=request.user,
    )
    return Status(201, plan)


class FreezeOut(Schema):
    refused: int
    skipped: int


@router.post(
    "/surges/{int:pk}/freeze-leave",
    response=FreezeOut,
    operation_id="incidents_surgeplan_freeze",
    summary="Freeze leave for the surge window",
)
def surge_freeze(request, pk: int):
    require_perm(request, SurgePlan, "change")
    return surge.surge_leave_freeze(surge=get_or_404(request, SurgePlan, pk), actor=request.user)


class CallInIn(Schema):
    count: int | None = None


class OfferOut(ModelSchema):
    class Meta:
        model = CallInOffer
        fields = [
            "id",
            "surge",
            "employee",
            "rank",
            "start",
            "end",
            "reason",
            "status",
            "responded_at",
        ]


@router.post(
    "/surges/{int:pk}/call-in",
    response={201: list[OfferOut]},
    operation_id="incidents_surgeplan_callin",
    summary="Ask the first agents of the ranked call-in list to come in",
)
def surge_callin(request, pk: int, payload: CallInIn):
    require_perm(request, SurgePlan, "change")
    offers = surge.surge_call_in(
        surge=get_or_404(request, SurgePlan, pk), count=payload.count, actor=request.user
    )
    return Status(201, offers)


register_crud(
    router,
    CallInOffer,
    path="call-ins",
    out_schema=OfferOut,
    filterset=CallInOfferFilter,
    archive=False,
)


class RespondIn(Schema):
    accept: bool


@router.post(
    "/call-ins/{int:pk}/respond",
    response=OfferOut,
    operation_id="incidents_callinoffer_respond",
    summary="Accept or decline a call-in request (your own)",
)
def callin_respond(request, pk: int, payload: RespondIn):
    require_perm(request, CallInOffer, "change")
    return surge.call_in_respond(
        offer=get_or_404(request, CallInOffer, pk, "change"),
        accept=payload.accept,
        actor=request.user,
    )
