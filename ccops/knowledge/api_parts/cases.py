"""Knowledge API: difficult cases (record, answer, escalate, follow up, close, merge)."""

from __future__ import annotations

from datetime import datetime

from ninja import ModelSchema, Schema, Status

from ccops.core.apitools import get_or_404, register_crud, require_perm, resolve_pk
from ccops.core.models import Queue
from ccops.knowledge.api_parts.base import router
from ccops.knowledge.filters import (
    DifficultCaseFilter,
)
from ccops.knowledge.models import (
    CaseEvent,
    Department,
    DifficultCase,
)
from ccops.knowledge.services import cases
from ccops.people.models import Employee

# --- difficult cases -------------------------------------------------------------------------


class CaseEventOut(ModelSchema):
    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "kind",
            "by",
            "level",
            "to_employee",
            "to_department",
            "due_at",
            "text",
            "other_case",
            "created_at",
        ]


class CaseOut(ModelSchema):
    overdue: bool
    events: list[CaseEventOut]

    class Meta:
        model = DifficultCase
        fields = [
            "id",
            "site",
            "reported_by",
            "team",
            "queue",
            "call_reference",
            "occurred_at",
            "question",
            "told_customer",
            "status",
            "level",
            "assignee",
            "department",
            "due_at",
            "answer",
            "answered_by",
            "answered_at",
            "merged_into",
            "handover_check",
            "article",
        ]

    @staticmethod
    def resolve_overdue(obj):
        return obj.is_overdue

    @staticmethod
    def resolve_events(obj):
        return list(obj.events.all())


class CaseIn(Schema):
    question: str
    occurred_at: datetime
    queue: int | None = None
    call_reference: str = ""
    told_customer: str = ""


class AnswerIn(Schema):
    answer: str


class EscalateIn(Schema):
    expert: int | None = None
    department: int | None = None
    note: str = ""
    due_at: datetime | None = None


class TextIn(Schema):
    text: str


class MergeIn(Schema):
    into: int


class FromCaseIn(Schema):
    category: int


def _case_record(*, actor, queue=None, **data):
    return cases.case_record(actor=actor, queue=resolve_pk(Queue, queue, "queue"), **data)


register_crud(
    router,
    DifficultCase,
    path="cases",
    out_schema=CaseOut,
    filterset=DifficultCaseFilter,
    archive=False,
)


@router.post(
    "/cases/",
    response={201: CaseOut},
    operation_id="knowledge_difficultcase_create",
    summary="Record a difficult case (it goes to your group manager)",
)
def case_create(request, payload: CaseIn):
    require_perm(request, DifficultCase, "add")
    return Status(201, _case_record(actor=request.user, **payload.dict()))


@router.post(
    "/cases/{int:pk}/answer",
    response=CaseOut,
    operation_id="knowledge_difficultcase_answer",
    summary="Answer a waiting case",
)
def case_answer(request, pk: int, payload: AnswerIn):
    require_perm(request, DifficultCase, "view")
    case = get_or_404(request, DifficultCase, pk)
    return cases.case_answer(case=case, answer=payload.answer, actor=request.user)


@router.post(
    "/cases/{int:pk}/escalate",
    response=CaseOut,
    operation_id="knowledge_difficultcase_escalate",
    summary="Escalate a waiting case to a named expert or a department",
)
def case_escalate(request, pk: int, payload: EscalateIn):
    require_perm(request, DifficultCase, "view")
    case = get_or_404(request, DifficultCase, pk)
    expert = resolve_pk(Employee, payload.expert, "expert", cases.expert_choices(case))
    department = resolve_pk(Department, payload.department, "department")
    return cases.case_escalate(
        case=case,
        expert=expert,
        department=department,
        note=payload.note,
        due_at=payload.due_at,
        actor=request.user,
    )


@router.post(
    "/cases/{int:pk}/follow-up",
    response=CaseOut,
    operation_id="knowledge_difficultcase_follow_up",
    summary="Ask a follow-up question on your answered case",
)
def case_follow_up(request, pk: int, payload: TextIn):
    require_perm(request, DifficultCase, "view")
    case = get_or_404(request, DifficultCase, pk)
    return cases.case_follow_up(case=case, text=payload.text, actor=request.user)


@router.post(
    "/cases/{int:pk}/close",
    response=CaseOut,
    operation_id="knowledge_difficultcase_close",
    summary="Close an answered case",
)
def case_close(request, pk: int):
    require_perm(request, DifficultCase, "view")
    case = get_or_404(request, DifficultCase, pk)
    return cases.case_close(case=case, actor=request.user)


@router.post(
    "/cases/{int:pk}/merge",
    response=CaseOut,
    operation_id="knowledge_difficultcase_merge",
    summary="Merge a duplicate case into another one",
)
def case_merge(request, pk: int, payload: MergeIn):
    require_perm(request, DifficultCase, "change")
    case = get_or_404(request, DifficultCase, pk, "change")
    into = resolve_pk(
        DifficultCase, payload.into, "into", DifficultCase.objects.restrict(request.user, "view")
    )
    return cases.case_merge(duplicate=case, into=into, actor=request.user)
