"""API of evaluation forms, QA plans, calls, evaluations, disputes and coaching."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import ModelSchema, Schema, Status
from ninja.errors import HttpError

from ccops.core.apitools import get_or_404, register_crud, require_perm, resolve_pk, resolve_pks
from ccops.core.models import Queue
from ccops.core.permissions import not_found
from ccops.people.models import Employee, Team
from ccops.quality.api_parts.base import AnswerIn, answers_dict, employee, router, site_of
from ccops.quality.filters import (
    CallRecordFilter,
    CoachingFilter,
    DisputeFilter,
    EvaluationFilter,
    EvaluationFormFilter,
    QAPlanFilter,
)
from ccops.quality.models import (
    CoachingSession,
    Evaluation,
    EvaluationDispute,
    EvaluationForm,
    EvaluationRevision,
    FormQuestion,
    FormVersion,
    QAPlan,
)
from ccops.quality.services import evaluations as services
from ccops.wfm.models import CallRecord

# --- forms --------------------------------------------------------------------------------


class QuestionOut(ModelSchema):
    class Meta:
        model = FormQuestion
        fields = [
            "id",
            "key",
            "text",
            "guidance",
            "kind",
            "points",
            "scale_min",
            "scale_max",
            "allow_na",
            "critical",
            "fatal",
            "bonus",
            "order",
        ]


class SectionOut(Schema):
    id: int
    title: str
    weight: float
    questions: list[QuestionOut]


class VersionOut(Schema):
    id: int
    number: int
    note: str
    sections: list[SectionOut]


class FormOut(ModelSchema):
    versions: list[VersionOut]

    class Meta:
        model = EvaluationForm
        fields = ["id", "site", "name", "description", "queue", "skill", "archived_at"]

    @staticmethod
    def resolve_versions(obj):
        out = []
        for v in obj.versions.order_by("-number"):
            sections = [
                {
                    "id": s.pk,
                    "title": s.title,
                    "weight": s.weight,
                    "questions": list(s.questions.order_by("order", "pk")),
                }
                for s in v.sections.order_by("order", "pk")
            ]
            out.append({"id": v.pk, "number": v.number, "note": v.note, "sections": sections})
        return out


register_crud(
    router, EvaluationForm, path="forms", out_schema=FormOut, filterset=EvaluationFormFilter
)


# --- plans --------------------------------------------------------------------------------


class PlanOut(ModelSchema):
    queues: list[int]
    teams: list[int]
    inspectors: list[int]

    class Meta:
        model = QAPlan
        fields = [
            "id",
            "site",
            "month",
            "name",
            "quota_per_agent",
            "min_handle_seconds",
            "transfers",
            "complaints_only",
            "seed",
            "due_days",
            "status",
            "drawn_at",
            "draw_report",
            "archived_at",
        ]

    @staticmethod
    def resolve_queues(obj):
        return list(obj.queues.values_list("pk", flat=True))

    @staticmethod
    def resolve_teams(obj):
        return list(obj.teams.values_list("pk", flat=True))

    @staticmethod
    def resolve_inspectors(obj):
        return list(obj.inspectors.values_list("pk", flat=True))


class PlanIn(Schema):
    site: int
    month: dt.date
    name: str
    quota_per_agent: int | None = None
    queues: list[int] = []
    teams: list[int] = []
    inspectors: list[int] = []
    min_handle_seconds: int | None = None
    transfers: str = "any"
    complaints_only: bool = False
    seed: int | None = None
    due_days: int = 7


def _plan_create(*, actor, site, queues, teams, inspectors, **data):
    return services.qa_plan_create(
        site=site_of(site),
        actor=actor,
        queues=resolve_pks(Queue.objects.all(), queues, "queues"),
        teams=resolve_pks(Team.objects.restrict(actor, "view"), teams, "teams"),
        inspectors=resolve_pks(Employee.objects.restrict(actor, "view"), inspectors, "inspectors"),
        **data,
    )


class PlanPatch(Schema):
    name: str | None = None
    quota_per_agent: int | None = None
    min_handle_seconds: int | None = None
    transfers: str | None = None
    complaints_only: bool | None = None
    seed: int | None = None
    due_days: int | None = None


def _plan_update(*, instance, actor, **data):
    return services.qa_plan_update(plan=instance, actor=actor, **data)


register_crud(
    router,
    QAPlan,
    path="plans",
    out_schema=PlanOut,
    in_schema=PlanIn,
    patch_schema=PlanPatch,
    filterset=QAPlanFilter,
    create=_plan_create,
    update=_plan_update,
)


@router.post(
    "/plans/{int:pk}/draw",
    response=PlanOut,
    operation_id="quality_qaplan_draw",
    summary="Draw the plan's calls at random (reproducible by its seed)",
)
def plan_draw(request, pk: int):
    require_perm(request, QAPlan, "change")
    return services.qa_plan_draw(plan=get_or_404(request, QAPlan, pk, "change"), actor=request.user)


# --- calls --------------------------------------------------------------------------------


class CallOut(ModelSchema):
    class Meta:
        model = CallRecord
        fields = [
            "id",
            "site",
            "queue",
            "call_reference",
            "started_at",
            "answered_at",
            "ended_at",
            "outcome",
            "wait_seconds",
            "talk_seconds",
            "hold_seconds",
            "acw_seconds",
            "handle_seconds",
            "transferred",
            "agent_login",
            "employee",
        ]


register_crud(
    router, CallRecord, path="calls", out_schema=CallOut, filterset=CallRecordFilter, archive=False
)


# --- evaluations ----------------------------------------------------------------------------


class AnswerOut(Schema):
    question: int
    value: float | None
    na: bool
    earned: float
    possible: float
    comment: str


class RevisionOut(ModelSchema):
    answers: list[AnswerOut]

    class Meta:
        model = EvaluationRevision
        fields = [
            "id",
            "number",
            "scored_by",
            "reason",
            "score",
            "critical_score",
            "fatal",
            "section_scores",
            "coaching_note",
            "locked_at",
            "created_at",
        ]

    @staticmethod
    def resolve_answers(obj):
        return [
            {
                "question": a.question_id,
                "value": a.value,
                "na": a.na,
                "earned": a.earned,
                "possible": a.possible,
                "comment": a.comment,
            }
            for a in obj.answers.all()
        ]


class EvaluationOut(ModelSchema):
    revisions: list[RevisionOut]

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "site",
            "plan",
            "form_version",
            "agent",
            "inspector",
            "call",
            "call_reference",
            "call_started_at",
            "queue",
            "recording_url",
            "due_date",
            "status",
            "score",
            "critical_score",
            "fatal",
            "released_at",
            "dispute_until",
            "acknowledged_at",
        ]

    @staticmethod
    def resolve_revisions(obj):
        return list(obj.revisions.order_by("number"))


class EvaluationIn(Schema):
    call: int
    form_version: int
    recording_url: str = ""


class ScoreIn(Schema):
    answers: list[AnswerIn]
    coaching_note: str = ""
    recording_url: str | None = None
    release: bool = False


class DisputeIn(Schema):
    questions: list[int]
    reason: str


def _evaluation_create(*, actor, call, form_version, recording_url):
    row = resolve_pk(CallRecord, call, "call", CallRecord.objects.restrict(actor, "view"))
    if row.employee is None:
        raise ValidationError({"call": _("The call's agent is not matched to an employee.")})
    return services.evaluation_create(
        site=row.site,
        agent=row.employee,
        call=row,
        call_reference=row.call_reference,
        form_version=resolve_pk(FormVersion, form_version, "form_version"),
        recording_url=recording_url,
        actor=actor,
    )


register_crud(
    router,
    Evaluation,
    path="evaluations",
    out_schema=EvaluationOut,
    filterset=EvaluationFilter,
    queryset=lambda request: services.visible_evaluations(request.user),
    archive=False,
)


@router.post(
    "/evaluations/",
    response={201: EvaluationOut},
    operation_id="quality_evaluation_create",
    summary="Evaluate an imported call outside the plan",
)
def evaluation_create(request, payload: EvaluationIn):
    require_perm(request, Evaluation, "add")
    return Status(201, _evaluation_create(actor=request.user, **payload.dict()))


def _visible(request, pk):
    row = services.visible_evaluations(request.user).filter(pk=pk).first()
    if row is None:
        raise HttpError(404, not_found(Evaluation._meta.verbose_name, pk))
    return row


@router.post(
    "/evaluations/{int:pk}/score",
    response=EvaluationOut,
    operation_id="quality_evaluation_score",
    summary="Save the inspector's answers (and release them to the agent)",
)
def evaluation_score(request, pk: int, payload: ScoreIn):
    require_perm(request, Evaluation, "change")
    row = get_or_404(request, Evaluation, pk, "change")
    return services.evaluation_score(
        evaluation=row,
        answers=answers_dict(payload.answers),
        coaching_note=payload.coaching_note,
        recording_url=payload.recording_url,
        release=payload.release,
        actor=request.user,
    )


@router.post(
    "/evaluations/{int:pk}/release",
    response=EvaluationOut,
    operation_id="quality_evaluation_release",
    summary="Release a scored evaluation",
)
def evaluation_release(request, pk: int):
    require_perm(request, Evaluation, "change")
    return services.evaluation_release(
        evaluation=get_or_404(request, Evaluation, pk, "change"), actor=request.user
    )


@router.post(
    "/evaluations/{int:pk}/acknowledge",
    response=EvaluationOut,
    operation_id="quality_evaluation_acknowledge",
    summary="The agent acknowledges a released evaluation",
)
def evaluation_acknowledge(request, pk: int):
    require_perm(request, Evaluation, "view")
    return services.evaluation_acknowledge(evaluation=_visible(request, pk), actor=request.user)


class DisputeOut(ModelSchema):
    questions: list[int]

    class Meta:
        model = EvaluationDispute
        fields = [
            "id",
            "evaluation",
            "raised_by",
            "reason",
            "status",
            "respond_by",
            "decided_by",
            "decided_at",
            "decision_note",
            "revision",
            "created_at",
        ]

    @staticmethod
    def resolve_questions(obj):
        return list(obj.questions.values_list("pk", flat=True))


@router.post(
    "/evaluations/{int:pk}/dispute",
    response={201: DisputeOut},
    operation_id="quality_evaluation_dispute",
    summary="The agent disputes an evaluation within the window",
)
def evaluation_dispute(request, pk: int, payload: DisputeIn):
    require_perm(request, EvaluationDispute, "add")
    row = _visible(request, pk)
    questions = resolve_pks(FormQuestion.objects.all(), payload.questions, "questions")
    return Status(
        201,
        services.dispute_raise(
            evaluation=row, questions=questions, reason=payload.reason, actor=request.user
        ),
    )


register_crud(
    router,
    EvaluationDispute,
    path="disputes",
    out_schema=DisputeOut,
    filterset=DisputeFilter,
    archive=False,
)


class RescoreIn(Schema):
    answers: list[AnswerIn]
    reason: str


class DeclineIn(Schema):
    note: str


@router.post(
    "/disputes/{int:pk}/rescore",
    response=RevisionOut,
    operation_id="quality_evaluationdispute_rescore",
    summary="Rescore a disputed evaluation (a new revision)",
)
def dispute_rescore(request, pk: int, payload: RescoreIn):
    require_perm(request, EvaluationDispute, "change")
    return services.dispute_rescore(
        dispute=get_or_404(request, EvaluationDispute, pk, "change"),
        answers=answers_dict(payload.answers),
        reason=payload.reason,
        actor=request.user,
    )


@router.post(
    "/disputes/{int:pk}/decline",
    response=DisputeOut,
    operation_id="quality_evaluationdispute_decline",
    summary="Decline a dispute",
)
def dispute_decline(request, pk: int, payload: DeclineIn):
    require_perm(request, EvaluationDispute, "change")
    return services.dispute_decline(
        dispute=get_or_404(request, EvaluationDispute, pk, "change"),
        note=payload.note,
        actor=request.user,
    )


# --- coaching ---------------------------------------------------------------------------------


class CoachingOut(ModelSchema):
    class Meta:
        model = CoachingSession
        fields = [
            "id",
            "site",
            "agent",
            "coach",
            "evaluation",
            "topic",
            "planned_for",
            "notes",
            "follow_up_due",
            "follow_up_note",
            "status",
            "held_at",
            "acknowledged_at",
            "closed_at",
            "archived_at",
        ]


class CoachingIn(Schema):
    agent: int
    topic: str
    planned_for: dt.date
    evaluation: int | None = None


class HoldIn(Schema):
    notes: str
    follow_up_due: dt.date


class FollowUpIn(Schema):
    note: str


def _coaching_plan(*, actor, agent, evaluation, **data):
    return services.coaching_plan(
        agent=employee(actor, agent, "agent"),
        actor=actor,
        evaluation=resolve_pk(
            Evaluation, evaluation, "evaluation", Evaluation.objects.restrict(actor, "view")
        ),
        **data,
    )


register_crud(
    router, CoachingSession, path="coaching", out_schema=CoachingOut, filterset=CoachingFilter
)


@router.post(
    "/coaching/",
    response={201: CoachingOut},
    operation_id="quality_coachingsession_create",
    summary="Plan a coaching session",
)
def coaching_create(request, payload: CoachingIn):
    require_perm(request, CoachingSession, "add")
    return Status(201, _coaching_plan(actor=request.user, **payload.dict()))


@router.post(
    "/coaching/{int:pk}/hold",
    response=CoachingOut,
    operation_id="quality_coachingsession_hold",
    summary="Record a held coaching session",
)
def coaching_hold(request, pk: int, payload: HoldIn):
    require_perm(request, CoachingSession, "change")
    return services.coaching_hold(
        session=get_or_404(request, CoachingSession, pk),
        notes=payload.notes,
        follow_up_due=payload.follow_up_due,
        actor=request.user,
    )


@router.post(
    "/coaching/{int:pk}/follow-up",
    response=CoachingOut,
    operation_id="quality_coachingsession_follow_up",
    summary="Record the follow-up",
)
def coaching_follow_up(request, pk: int, payload: FollowUpIn):
    require_perm(request, CoachingSession, "change")
    return services.coaching_follow_up(
        session=get_or_404(request, CoachingSession, pk), note=payload.note, actor=request.user
    )


@router.post(
    "/coaching/{int:pk}/acknowledge",
    response=CoachingOut,
    operation_id="quality_coachingsession_acknowledge",
    summary="The agent acknowledges the coaching",
)
def coaching_acknowledge(request, pk: int):
    require_perm(request, CoachingSession, "view")
    return services.coaching_acknowledge(
        session=get_or_404(request, CoachingSession, pk), actor=request.user
    )
