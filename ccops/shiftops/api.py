"""REST API of the shift-operations app: handovers (with sign, amend, questions, checklist),
duty diary, briefings, handover times, the checklist template and the question bank."""

from __future__ import annotations

from datetime import datetime

from ninja import ModelSchema, Router, Schema, Status

from ccops.core.apitools import (
    LocalTime,
    get_or_404,
    register_crud,
    require_perm,
    resolve_pk,
    resolve_pks,
)
from ccops.core.models import Site
from ccops.people.models import Employee, Team
from ccops.shiftops import services
from ccops.shiftops.api_attendance import router as attendance_router
from ccops.shiftops.filters import (
    BriefingFilter,
    ChecklistItemTemplateFilter,
    DutyDiaryEntryFilter,
    HandoverFilter,
    HandoverQuestionFilter,
    HandoverTimeFilter,
)
from ccops.shiftops.models import (
    Briefing,
    ChecklistItemTemplate,
    DutyDiaryEntry,
    Handover,
    HandoverAnswer,
    HandoverCheck,
    HandoverQuestion,
    HandoverTime,
)

router = Router(tags=["shiftops"])
router.add_router("", attendance_router)


def _employee(request_user, pk, field):
    return resolve_pk(Employee, pk, field, Employee.objects.restrict(request_user, "view"))


class HandoverCheckOut(ModelSchema):
    class Meta:
        model = HandoverCheck
        fields = ["id", "category", "item", "order", "status", "note"]


class HandoverAnswerOut(ModelSchema):
    class Meta:
        model = HandoverAnswer
        fields = ["id", "question", "question_text", "asked_to", "answer", "correct"]


class HandoverOut(ModelSchema):
    checks: list[HandoverCheckOut]
    answers: list[HandoverAnswerOut]
    diary_entries: list[int]

    class Meta:
        model = Handover
        fields = [
            "id",
            "site",
            "handover_at",
            "outgoing_lead",
            "incoming_lead",
            "notes",
            "outgoing_signed_at",
            "outgoing_signed_by",
            "incoming_signed_at",
            "incoming_signed_by",
            "signed_at",
            "amends",
            "archived_at",
        ]

    @staticmethod
    def resolve_checks(obj):
        return list(obj.checks.all())

    @staticmethod
    def resolve_answers(obj):
        return list(obj.answers.all())

    @staticmethod
    def resolve_diary_entries(obj):
        return list(obj.diary_entries.values_list("pk", flat=True))


class HandoverIn(Schema):
    site: int
    handover_at: datetime
    outgoing_lead: int
    incoming_lead: int
    notes: str = ""


class HandoverPatch(Schema):
    handover_at: datetime | None = None
    outgoing_lead: int | None = None
    incoming_lead: int | None = None
    notes: str | None = None


class SignIn(Schema):
    side: str


class AmendIn(Schema):
    notes: str


class AskIn(Schema):
    question: int
    asked_to: int


class CheckIn(Schema):
    status: str
    note: str = ""


class AnswerIn(Schema):
    answer: str
    correct: bool | None


def _handover_open(*, actor, site, outgoing_lead, incoming_lead, **data):
    return services.handover_open(
        actor=actor,
        site=resolve_pk(Site, site, "site"),
        outgoing_lead=_employee(actor, outgoing_lead, "outgoing_lead"),
        incoming_lead=_employee(actor, incoming_lead, "incoming_lead"),
        **data,
    )


def _handover_update(*, instance, actor, **data):
    for field in ("outgoing_lead", "incoming_lead"):
        if field in data:
            data[field] = _employee(actor, data[field], field)
    return services.handover_update(handover=instance, actor=actor, **data)


register_crud(
    router,
    Handover,
    path="handovers",
    out_schema=HandoverOut,
    in_schema=HandoverIn,
    patch_schema=HandoverPatch,
    filterset=HandoverFilter,
    create=_handover_open,
    update=_handover_update,
)


@router.post(
    "/handovers/{int:pk}/sign",
    response=HandoverOut,
    operation_id="shiftops_handover_sign",
    summary="Sign one side of a handover, as yourself",
)
def handover_sign(request, pk: int, payload: SignIn):
    require_perm(request, Handover, "view")
    handover = get_or_404(request, Handover, pk)
    return services.handover_sign(handover=handover, side=payload.side, actor=request.user)


@router.post(
    "/handovers/{int:pk}/amend",
    response={201: HandoverOut},
    operation_id="shiftops_handover_amend",
    summary="Record an amendment of a signed handover",
)
def handover_amend(request, pk: int, payload: AmendIn):
    require_perm(request, Handover, "add")
    handover = get_or_404(request, Handover, pk)
    return Status(
        201, services.handover_amend(handover=handover, notes=payload.notes, actor=request.user)
    )


@router.post(
    "/handovers/{int:pk}/questions",
    response={201: HandoverAnswerOut},
    operation_id="shiftops_handover_ask",
    summary="Put a question of the bank to someone of the incoming shift",
)
def handover_ask(request, pk: int, payload: AskIn):
    require_perm(request, Handover, "view")
    handover = get_or_404(request, Handover, pk)
    services.check_may_work_on(request.user, handover)
    answer = services.handover_question_ask(
        handover=handover,
        question=resolve_pk(HandoverQuestion, payload.question, "question"),
        asked_to=resolve_pk(Employee, payload.asked_to, "asked_to"),
        actor=request.user,
    )
    return Status(201, answer)


@router.patch(
    "/checks/{int:pk}",
    response=HandoverCheckOut,
    operation_id="shiftops_handovercheck_set",
    summary="Mark a checklist item of a handover",
)
def check_set(request, pk: int, payload: CheckIn):
    require_perm(request, Handover, "view")
    check = resolve_pk(HandoverCheck, pk, "check")
    handover = get_or_404(request, Handover, check.handover_id)
    services.check_may_work_on(request.user, handover)
    return services.handover_check_set(
        check=check, status=payload.status, note=payload.note, actor=request.user
    )


@router.patch(
    "/answers/{int:pk}",
    response=HandoverAnswerOut,
    operation_id="shiftops_handoveranswer_record",
    summary="Record the answer to a handover question and mark it",
)
def answer_record(request, pk: int, payload: AnswerIn):
    require_perm(request, Handover, "view")
    answer = resolve_pk(HandoverAnswer, pk, "answer")
    handover = get_or_404(request, Handover, answer.handover_id)
    services.check_may_work_on(request.user, handover)
    return services.handover_answer_record(
        answer=answer, text=payload.answer, correct=payload.correct, actor=request.user
    )


# --- duty diary ---------------------------------------------------------------------------


class DutyDiaryEntryOut(ModelSchema):
    class Meta:
        model = DutyDiaryEntry
        fields = ["id", "site", "time", "category", "text", "author", "handover", "archived_at"]


class DutyDiaryEntryIn(Schema):
    site: int
    time: datetime
    category: str
    text: str


class DutyDiaryEntryPatch(Schema):
    time: datetime | None = None
    category: str | None = None
    text: str | None = None


def _diary_write(*, actor, site, **data):
    return services.diary_entry_write(actor=actor, site=resolve_pk(Site, site, "site"), **data)


def _diary_update(*, instance, actor, **data):
    return services.diary_entry_update(entry=instance, actor=actor, **data)


register_crud(
    router,
    DutyDiaryEntry,
    path="diary",
    out_schema=DutyDiaryEntryOut,
    in_schema=DutyDiaryEntryIn,
    patch_schema=DutyDiaryEntryPatch,
    filterset=DutyDiaryEntryFilter,
    create=_diary_write,
    update=_diary_update,
)


# --- briefings ----------------------------------------------------------------------------


class BriefingOut(ModelSchema):
    attendees: list[int]

    class Meta:
        model = Briefing
        fields = [
            "id",
            "site",
            "team",
            "kind",
            "held_at",
            "led_by",
            "topics",
            "problems_raised",
            "questions_asked",
            "archived_at",
        ]

    @staticmethod
    def resolve_attendees(obj):
        return list(obj.attendees.values_list("pk", flat=True))


class BriefingIn(Schema):
    site: int
    team: int | None = None
    kind: str
    held_at: datetime
    led_by: int
    attendees: list[int] = []
    topics: str = ""
    problems_raised: str = ""
    questions_asked: str = ""


class BriefingPatch(Schema):
    kind: str | None = None
    held_at: datetime | None = None
    attendees: list[int] | None = None
    topics: str | None = None
    problems_raised: str | None = None
    questions_asked: str | None = None


def _briefing_record(*, actor, site, team, led_by, attendees, **data):
    return services.briefing_record(
        actor=actor,
        site=resolve_pk(Site, site, "site"),
        team=resolve_pk(Team, team, "team"),
        led_by=_employee(actor, led_by, "led_by"),
        attendees=resolve_pks(Employee.objects.restrict(actor, "view"), attendees, "attendees"),
        **data,
    )


def _briefing_update(*, instance, actor, attendees=None, **data):
    people = (
        resolve_pks(Employee.objects.restrict(actor, "view"), attendees, "attendees")
        if attendees is not None
        else None
    )
    return services.briefing_update(briefing=instance, actor=actor, attendees=people, **data)


register_crud(
    router,
    Briefing,
    path="briefings",
    out_schema=BriefingOut,
    in_schema=BriefingIn,
    patch_schema=BriefingPatch,
    filterset=BriefingFilter,
    create=_briefing_record,
    update=_briefing_update,
)


# --- configuration ------------------------------------------------------------------------


class HandoverTimeOut(ModelSchema):
    class Meta:
        model = HandoverTime
        fields = ["id", "site", "time", "name", "grace_minutes", "archived_at"]


class HandoverTimeIn(Schema):
    site: int
    time: LocalTime
    name: str
    grace_minutes: int = 30


class HandoverTimePatch(Schema):
    time: LocalTime | None = None
    name: str | None = None
    grace_minutes: int | None = None


class ChecklistItemOut(ModelSchema):
    class Meta:
        model = ChecklistItemTemplate
        fields = ["id", "site", "category", "text", "order", "archived_at"]


class ChecklistItemIn(Schema):
    site: int | None = None
    category: str
    text: str
    order: int = 10


class ChecklistItemPatch(Schema):
    category: str | None = None
    text: str | None = None
    order: int | None = None


class QuestionOut(ModelSchema):
    class Meta:
        model = HandoverQuestion
        fields = [
            "id",
            "topic",
            "text",
            "kind",
            "options",
            "answer_true",
            "expected_answer",
            "points",
            "for_handovers",
            "for_tests",
            "archived_at",
        ]


class QuestionOption(Schema):
    text: str
    correct: bool = False


class QuestionIn(Schema):
    topic: str
    text: str
    expected_answer: str = ""
    kind: str = "short"
    options: list[QuestionOption] = []
    answer_true: bool | None = None
    points: int = 1
    for_handovers: bool = True
    for_tests: bool = True


class QuestionPatch(Schema):
    topic: str | None = None
    text: str | None = None
    expected_answer: str | None = None
    kind: str | None = None
    options: list[QuestionOption] | None = None
    answer_true: bool | None = None
    points: int | None = None
    for_handovers: bool | None = None
    for_tests: bool | None = None


register_crud(
    router,
    HandoverTime,
    path="handover-times",
    out_schema=HandoverTimeOut,
    in_schema=HandoverTimeIn,
    patch_schema=HandoverTimePatch,
    filterset=HandoverTimeFilter,
)
register_crud(
    router,
    ChecklistItemTemplate,
    path="checklist",
    out_schema=ChecklistItemOut,
    in_schema=ChecklistItemIn,
    patch_schema=ChecklistItemPatch,
    filterset=ChecklistItemTemplateFilter,
)
register_crud(
    router,
    HandoverQuestion,
    path="questions",
    out_schema=QuestionOut,
    in_schema=QuestionIn,
    patch_schema=QuestionPatch,
    filterset=HandoverQuestionFilter,
)
