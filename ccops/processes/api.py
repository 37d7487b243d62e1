"""REST API of the process register (processes, versions, review) and the improvement
projects (steps, evidence, countermeasures, standardisation)."""

from __future__ import annotations

from datetime import date

from ninja import ModelSchema, Router, Schema, Status

from ccops.core.apitools import get_or_404, register_crud, require_perm, resolve_pk, resolve_pks
from ccops.core.models import Queue
from ccops.meetings.models import ActionItem, Meeting
from ccops.people.models import Employee
from ccops.processes import services
from ccops.processes.filters import ImprovementProjectFilter, ProcessFilter, ProcessVersionFilter
from ccops.processes.models import (
    Countermeasure,
    Evidence,
    ImprovementProject,
    Process,
    ProcessVersion,
    Standardisation,
    StepRecord,
)

router = Router(tags=["processes"])


def _employee(actor, pk, field):
    return resolve_pk(Employee, pk, field, Employee.objects.restrict(actor, "view"))


class ProcessOut(ModelSchema):
    reviewer_role: str
    version_in_effect: int | None

    class Meta:
        model = Process
        fields = ["id", "code", "name", "category", "owner", "purpose", "archived_at"]

    @staticmethod
    def resolve_reviewer_role(obj):
        return obj.reviewer_role

    @staticmethod
    def resolve_version_in_effect(obj):
        current = obj.version_in_effect()
        return current.pk if current else None


class ProcessIn(Schema):
    code: str
    name: str
    category: str
    owner: int
    description: str
    effective_from: date
    purpose: str = ""


class ProcessPatch(Schema):
    code: str | None = None
    name: str | None = None
    category: str | None = None
    owner: int | None = None
    purpose: str | None = None


def _process_register(*, actor, owner, **data):
    return services.process_register(owner=_employee(actor, owner, "owner"), actor=actor, **data)


def _process_update(*, instance, actor, **data):
    if "owner" in data:
        data["owner"] = _employee(actor, data["owner"], "owner")
    return services.process_update(process=instance, actor=actor, **data)


register_crud(
    router,
    Process,
    path="register",
    out_schema=ProcessOut,
    in_schema=ProcessIn,
    patch_schema=ProcessPatch,
    filterset=ProcessFilter,
    create=_process_register,
    update=_process_update,
)


class VersionOut(ModelSchema):
    class Meta:
        model = ProcessVersion
        fields = [
            "id",
            "process",
            "number",
            "description",
            "change_summary",
            "effective_from",
            "status",
            "author",
            "submitted_at",
            "signed_at",
            "signed_by",
            "review_note",
            "project",
        ]


class VersionIn(Schema):
    process: int
    description: str
    change_summary: str
    effective_from: date


class VersionPatch(Schema):
    description: str | None = None
    change_summary: str | None = None
    effective_from: date | None = None


class ReviewIn(Schema):
    approve: bool
    note: str = ""


register_crud(
    router,
    ProcessVersion,
    path="versions",
    out_schema=VersionOut,
    filterset=ProcessVersionFilter,
    archive=False,
)


@router.post(
    "/versions/",
    response={201: VersionOut},
    operation_id="processes_processversion_create",
    summary="Draft the next version of a process",
)
def version_create(request, payload: VersionIn):
    require_perm(request, ProcessVersion, "add")
    process = resolve_pk(
        Process, payload.process, "process", Process.objects.restrict(request.user, "view")
    )
    data = payload.dict()
    data.pop("process")
    return Status(201, services.version_draft(process=process, actor=request.user, **data))


@router.patch(
    "/versions/{int:pk}",
    response=VersionOut,
    operation_id="processes_processversion_update",
    summary="Change a draft version",
)
def version_update(request, pk: int, payload: VersionPatch):
    require_perm(request, ProcessVersion, "change")
    return services.version_update(
        version=get_or_404(request, ProcessVersion, pk, "change"),
        actor=request.user,
        **payload.dict(exclude_unset=True),
    )


@router.post(
    "/versions/{int:pk}/submit",
    response=VersionOut,
    operation_id="processes_processversion_submit",
    summary="Submit a draft for review",
)
def version_submit(request, pk: int):
    require_perm(request, ProcessVersion, "change")
    return services.version_submit(
        version=get_or_404(request, ProcessVersion, pk, "change"), actor=request.user
    )


@router.post(
    "/versions/{int:pk}/review",
    response=VersionOut,
    operation_id="processes_processversion_review",
    summary="Approve or reject a version in review (the process's reviewing supervisor)",
)
def version_review(request, pk: int, payload: ReviewIn):
    require_perm(request, ProcessVersion, "view")
    return services.version_review(
        version=get_or_404(request, ProcessVersion, pk),
        approve=payload.approve,
        note=payload.note,
        actor=request.user,
    )


# --- projects -------------------------------------------------------------------------------


class StepRecordOut(ModelSchema):
    class Meta:
        model = StepRecord
        fields = ["id", "step", "content", "signed_at", "signed_by"]


class EvidenceOut(ModelSchema):
    class Meta:
        model = Evidence
        fields = [
            "id",
            "kind",
            "content_type",
            "object_id",
            "object_repr",
            "queue",
            "period_from",
            "period_to",
            "figures",
            "note",
            "added_by",
        ]


class CountermeasureOut(ModelSchema):
    class Meta:
        model = Countermeasure
        fields = ["id", "cause", "action_item"]


class StandardisationOut(ModelSchema):
    class Meta:
        model = Standardisation
        fields = [
            "id",
            "kind",
            "process_version",
            "content_type",
            "object_id",
            "object_repr",
            "note",
        ]


class ProjectOut(ModelSchema):
    members: list[int]
    gaps: list[str]
    steps_passed: list[StepRecordOut]
    evidence: list[EvidenceOut]
    countermeasures: list[CountermeasureOut]
    standardisations: list[StandardisationOut]
    change: float | None
    improved: bool | None
    target_met: bool | None

    class Meta:
        model = ImprovementProject
        exclude = ["members", "archived_by", "updated_at"]

    @staticmethod
    def resolve_members(obj):
        return list(obj.members.values_list("pk", flat=True))

    @staticmethod
    def resolve_gaps(obj):
        return [str(g) for g in services.step_gaps(obj)] if obj.is_active else []

    @staticmethod
    def resolve_steps_passed(obj):
        return list(obj.step_records.all())

    @staticmethod
    def resolve_evidence(obj):
        return list(obj.evidence.filter(archived_at__isnull=True))

    @staticmethod
    def resolve_countermeasures(obj):
        return list(obj.countermeasures.filter(archived_at__isnull=True))

    @staticmethod
    def resolve_standardisations(obj):
        return list(obj.standardisations.all())

    @staticmethod
    def resolve_change(obj):
        return obj.change

    @staticmethod
    def resolve_improved(obj):
        return obj.improved

    @staticmethod
    def resolve_target_met(obj):
        return obj.target_met


class ProjectIn(Schema):
    process: int
    title: str
    lead: int
    members: list[int] = []
    problem: str = ""
    goal: str = ""


class ProjectPatch(Schema):
    title: str | None = None
    problem: str | None = None
    goal: str | None = None
    metric: str | None = None
    metric_unit: str | None = None
    higher_is_better: bool | None = None
    queue: int | None = None
    stat_metric: str | None = None
    baseline_value: float | None = None
    baseline_from: date | None = None
    baseline_to: date | None = None
    baseline_source: str | None = None
    target_value: float | None = None
    cause_analysis: str | None = None
    implementation_notes: str | None = None
    implemented_on: date | None = None
    result_value: float | None = None
    result_from: date | None = None
    result_to: date | None = None
    result_source: str | None = None
    evaluation: str | None = None
    standardisation_note: str | None = None
    members: list[int] | None = None


def _project_start(*, actor, process, lead, members, **data):
    return services.project_start(
        process=resolve_pk(Process, process, "process", Process.objects.restrict(actor, "view")),
        lead=_employee(actor, lead, "lead"),
        members=resolve_pks(Employee.objects.restrict(actor, "view"), members, "members"),
        actor=actor,
        **data,
    )


def _project_update(*, instance, actor, members=None, **data):
    if "queue" in data:
        data["queue"] = resolve_pk(
            Queue, data["queue"], "queue", Queue.objects.restrict(actor, "view")
        )
    people = (
        resolve_pks(Employee.objects.restrict(actor, "view"), members, "members")
        if members is not None
        else None
    )
    return services.project_update(project=instance, actor=actor, members=people, **data)


register_crud(
    router,
    ImprovementProject,
    path="projects",
    out_schema=ProjectOut,
    in_schema=ProjectIn,
    patch_schema=ProjectPatch,
    filterset=ImprovementProjectFilter,
    create=_project_start,
    update=_project_update,
)


class MeasureIn(Schema):
    which: str


class EvidenceRecordIn(Schema):
    kind: str
    content_type: str
    object_id: int
    note: str


class EvidenceStatsIn(Schema):
    queue: int
    period_from: date
    period_to: date
    note: str


class CountermeasureIn(Schema):
    cause: str
    action_item: int | None = None
    meeting: int | None = None
    title: str = ""
    owner: int | None = None
    due_date: date | None = None


class StandardiseIn(Schema):
    kind: str
    process_version: int | None = None
    content_type: str | None = None
    object_id: int | None = None
    note: str = ""


class NoteIn(Schema):
    note: str


def _project(request, pk):
    require_perm(request, ImprovementProject, "view")
    return get_or_404(request, ImprovementProject, pk)


@router.post(
    "/projects/{int:pk}/measure",
    response=ProjectOut,
    operation_id="processes_improvementproject_measure",
    summary="Measure the baseline or the result from the interval statistics",
)
def project_measure(request, pk: int, payload: MeasureIn):
    return services.project_measure(
        project=_project(request, pk), which=payload.which, actor=request.user
    )


@router.post(
    "/projects/{int:pk}/evidence",
    response={201: EvidenceOut},
    operation_id="processes_evidence_create",
    summary="Link a record of any app as evidence (content_type: app.model)",
)
def evidence_record(request, pk: int, payload: EvidenceRecordIn):
    evidence = services.evidence_add_record(
        project=_project(request, pk), actor=request.user, **payload.dict()
    )
    return Status(201, evidence)


@router.post(
    "/projects/{int:pk}/evidence/statistics",
    response={201: EvidenceOut},
    operation_id="processes_evidence_create_statistics",
    summary="Add the interval statistics of a queue over a period as evidence",
)
def evidence_stats(request, pk: int, payload: EvidenceStatsIn):
    evidence = services.evidence_add_statistics(
        project=_project(request, pk),
        queue=resolve_pk(
            Queue, payload.queue, "queue", Queue.objects.restrict(request.user, "view")
        ),
        period_from=payload.period_from,
        period_to=payload.period_to,
        note=payload.note,
        actor=request.user,
    )
    return Status(201, evidence)


@router.post(
    "/projects/{int:pk}/countermeasures",
    response={201: CountermeasureOut},
    operation_id="processes_countermeasure_create",
    summary="Plan a countermeasure as an action item (step 3)",
)
def countermeasure(request, pk: int, payload: CountermeasureIn):
    user = request.user
    measure = services.countermeasure_add(
        project=_project(request, pk),
        cause=payload.cause,
        action_item=resolve_pk(
            ActionItem,
            payload.action_item,
            "action_item",
            ActionItem.objects.restrict(user, "view"),
        ),
        meeting=resolve_pk(
            Meeting, payload.meeting, "meeting", Meeting.objects.restrict(user, "view")
        ),
        title=payload.title,
        owner=_employee(user, payload.owner, "owner"),
        due_date=payload.due_date,
        actor=user,
    )
    return Status(201, measure)


@router.post(
    "/projects/{int:pk}/standardisations",
    response={201: StandardisationOut},
    operation_id="processes_standardisation_create",
    summary="Record where the result was standardised (step 6)",
)
def standardise(request, pk: int, payload: StandardiseIn):
    version = resolve_pk(
        ProcessVersion,
        payload.process_version,
        "process_version",
        ProcessVersion.objects.restrict(request.user, "view"),
    )
    row = services.standardisation_add(
        project=_project(request, pk),
        kind=payload.kind,
        process_version=version,
        content_type=payload.content_type,
        object_id=payload.object_id,
        note=payload.note,
        actor=request.user,
    )
    return Status(201, row)


class AdvanceIn(Schema):
    step: int | None = None


@router.post(
    "/projects/{int:pk}/advance",
    response=ProjectOut,
    operation_id="processes_improvementproject_advance",
    summary="Pass the current step (refused while it lacks content; 409 if already passed)",
)
def advance(request, pk: int, payload: AdvanceIn):
    return services.project_advance(
        project=_project(request, pk), step=payload.step, actor=request.user
    )


@router.post(
    "/projects/{int:pk}/cancel",
    response=ProjectOut,
    operation_id="processes_improvementproject_cancel",
    summary="End a project without standardising",
)
def cancel(request, pk: int, payload: NoteIn):
    return services.project_cancel(
        project=_project(request, pk), note=payload.note, actor=request.user
    )
