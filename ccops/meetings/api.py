"""REST API of the meetings app: meetings, action items (progress, close), emergency-meeting
requests (raise, decide), experience exchanges (lessons)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import ModelSchema, Router, Schema, Status

from ccops.core.apitools import get_or_404, register_crud, require_perm, resolve_pk, resolve_pks
from ccops.core.models import Site
from ccops.meetings import services
from ccops.meetings.filters import (
    ActionItemFilter,
    EmergencyMeetingRequestFilter,
    ExperienceExchangeFilter,
    MeetingFilter,
)
from ccops.meetings.models import (
    ActionItem,
    ActionItemProgress,
    EmergencyMeetingDecision,
    EmergencyMeetingRequest,
    ExperienceExchange,
    ExperienceLesson,
    Meeting,
)
from ccops.people.models import Employee

router = Router(tags=["meetings"])


def _employee(actor, pk, field):
    return resolve_pk(Employee, pk, field, Employee.objects.restrict(actor, "view"))


# --- meetings -----------------------------------------------------------------------------


class MeetingOut(ModelSchema):
    attendees: list[int]
    open_earlier_items: list[int]

    class Meta:
        model = Meeting
        fields = [
            "id",
            "site",
            "kind",
            "title",
            "starts_at",
            "location",
            "chair",
            "agenda",
            "minutes",
            "decisions",
            "status",
            "emergency_request",
            "archived_at",
        ]

    @staticmethod
    def resolve_attendees(obj):
        return list(obj.attendees.values_list("pk", flat=True))

    @staticmethod
    def resolve_open_earlier_items(obj):
        return list(services.open_items_of_earlier_meetings(obj).values_list("pk", flat=True))


class MeetingIn(Schema):
    site: int
    kind: str
    title: str
    starts_at: datetime
    chair: int
    attendees: list[int] = []
    agenda: str = ""
    location: str = ""


class MeetingPatch(Schema):
    title: str | None = None
    starts_at: datetime | None = None
    location: str | None = None
    attendees: list[int] | None = None
    agenda: str | None = None
    minutes: str | None = None
    decisions: str | None = None


def _meeting_schedule(*, actor, site, chair, attendees, **data):
    return services.meeting_schedule(
        actor=actor,
        site=resolve_pk(Site, site, "site"),
        chair=_employee(actor, chair, "chair"),
        attendees=resolve_pks(Employee.objects.restrict(actor, "view"), attendees, "attendees"),
        **data,
    )


def _meeting_update(*, instance, actor, attendees=None, **data):
    people = (
        resolve_pks(Employee.objects.restrict(actor, "view"), attendees, "attendees")
        if attendees is not None
        else None
    )
    return services.meeting_update(meeting=instance, actor=actor, attendees=people, **data)


register_crud(
    router,
    Meeting,
    path="meetings",
    out_schema=MeetingOut,
    in_schema=MeetingIn,
    patch_schema=MeetingPatch,
    filterset=MeetingFilter,
    create=_meeting_schedule,
    update=_meeting_update,
)


# --- action items -------------------------------------------------------------------------


class ProgressOut(ModelSchema):
    class Meta:
        model = ActionItemProgress
        fields = ["id", "reported_by", "text", "reports_done", "created_at"]


class ActionItemOut(ModelSchema):
    overdue: bool
    progress: list[ProgressOut]

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "meeting",
            "title",
            "description",
            "owner",
            "due_date",
            "status",
            "closed_by",
            "closed_at",
            "archived_at",
        ]

    @staticmethod
    def resolve_overdue(obj):
        return obj.is_overdue

    @staticmethod
    def resolve_progress(obj):
        return list(obj.progress.all())


class ActionItemIn(Schema):
    meeting: int
    title: str
    owner: int
    due_date: date
    description: str = ""


class ActionItemPatch(Schema):
    title: str | None = None
    owner: int | None = None
    due_date: date | None = None
    description: str | None = None


class ProgressIn(Schema):
    text: str
    done: bool = False


class CloseIn(Schema):
    outcome: str


def _item_assign(*, actor, meeting, owner, **data):
    return services.action_item_assign(
        actor=actor,
        meeting=resolve_pk(Meeting, meeting, "meeting", Meeting.objects.restrict(actor, "view")),
        owner=_employee(actor, owner, "owner"),
        **data,
    )


def _item_update(*, instance, actor, **data):
    if "owner" in data:
        data["owner"] = _employee(actor, data["owner"], "owner")
    return services.action_item_update(item=instance, actor=actor, **data)


register_crud(
    router,
    ActionItem,
    path="action-items",
    out_schema=ActionItemOut,
    in_schema=ActionItemIn,
    patch_schema=ActionItemPatch,
    filterset=ActionItemFilter,
    queryset=lambda request: ActionItem.objects.prefetch_related("progress"),
    create=_item_assign,
    update=_item_update,
)


@router.post(
    "/action-items/{int:pk}/progress",
    response={201: ProgressOut},
    operation_id="meetings_actionitem_progress",
    summary="Report progress of your action item (or that it is done)",
)
def item_progress(request, pk: int, payload: ProgressIn):
    require_perm(request, ActionItem, "view")
    item = get_or_404(request, ActionItem, pk)
    report = services.action_item_report_progress(
        item=item, text=payload.text, done=payload.done, actor=request.user
    )
    return Status(201, report)


@router.post(
    "/action-items/{int:pk}/close",
    response=ActionItemOut,
    operation_id="meetings_actionitem_close",
    summary="Confirm an action item done, or cancel it (chair or supervisor)",
)
def item_close(request, pk: int, payload: CloseIn):
    require_perm(request, ActionItem, "change")
    item = get_or_404(request, ActionItem, pk)
    return services.action_item_close(item=item, outcome=payload.outcome, actor=request.user)


# --- emergency-meeting requests -----------------------------------------------------------


class DecisionOut(ModelSchema):
    class Meta:
        model = EmergencyMeetingDecision
        fields = ["id", "decided_by", "level", "approve", "note", "created_at"]


class RequestOut(ModelSchema):
    decisions: list[DecisionOut]
    meeting: int | None

    class Meta:
        model = EmergencyMeetingRequest
        fields = [
            "id",
            "site",
            "requested_by",
            "requester_level",
            "reason",
            "proposed_at",
            "status",
            "approved_level",
        ]

    @staticmethod
    def resolve_decisions(obj):
        return list(obj.decisions.all())

    @staticmethod
    def resolve_meeting(obj):
        meeting = Meeting.objects.filter(emergency_request=obj).first()
        return meeting.pk if meeting else None


class RequestIn(Schema):
    site: int
    reason: str
    proposed_at: datetime


class DecideIn(Schema):
    approve: bool
    note: str = ""


register_crud(
    router,
    EmergencyMeetingRequest,
    path="emergency-requests",
    out_schema=RequestOut,
    filterset=EmergencyMeetingRequestFilter,
    archive=False,
)


@router.post(
    "/emergency-requests/",
    response={201: RequestOut},
    operation_id="meetings_emergencymeetingrequest_create",
    summary="Request an emergency meeting",
)
def request_raise(request, payload: RequestIn):
    require_perm(request, EmergencyMeetingRequest, "add")
    raised = services.emergency_request_raise(
        site=resolve_pk(Site, payload.site, "site"),
        reason=payload.reason,
        proposed_at=payload.proposed_at,
        actor=request.user,
    )
    return Status(201, raised)


@router.post(
    "/emergency-requests/{int:pk}/decide",
    response=RequestOut,
    operation_id="meetings_emergencymeetingrequest_decide",
    summary="Approve or reject an emergency-meeting request at your step of the chain",
)
def request_decide(request, pk: int, payload: DecideIn):
    require_perm(request, EmergencyMeetingRequest, "change")
    emergency = get_or_404(request, EmergencyMeetingRequest, pk, "change")
    return services.emergency_request_decide(
        request=emergency, approve=payload.approve, note=payload.note, actor=request.user
    )


# --- experience exchanges -----------------------------------------------------------------


class LessonOut(ModelSchema):
    class Meta:
        model = ExperienceLesson
        fields = ["id", "text", "for_service_manual"]


class ExchangeOut(ModelSchema):
    participants: list[int]
    lessons: list[LessonOut]

    class Meta:
        model = ExperienceExchange
        fields = ["id", "site", "held_on", "topic", "summary", "archived_at"]

    @staticmethod
    def resolve_participants(obj):
        return list(obj.participants.values_list("pk", flat=True))

    @staticmethod
    def resolve_lessons(obj):
        return list(obj.lessons.all())


class ExchangeIn(Schema):
    site: int
    held_on: date
    topic: str
    summary: str = ""
    participants: list[int] = []


class ExchangePatch(Schema):
    held_on: date | None = None
    topic: str | None = None
    summary: str | None = None
    participants: list[int] | None = None


class LessonIn(Schema):
    text: str
    for_service_manual: bool = False


def _exchange_record(*, actor, site, participants, **data):
    return services.experience_exchange_record(
        actor=actor,
        site=resolve_pk(Site, site, "site"),
        participants=resolve_pks(
            Employee.objects.restrict(actor, "view"), participants, "participants"
        ),
        **data,
    )


def _exchange_update(*, instance, actor, participants=None, **data):
    people = (
        resolve_pks(Employee.objects.restrict(actor, "view"), participants, "participants")
        if participants is not None
        else None
    )
    return services.experience_exchange_update(
        exchange=instance, actor=actor, participants=people, **data
    )


register_crud(
    router,
    ExperienceExchange,
    path="exchanges",
    out_schema=ExchangeOut,
    in_schema=ExchangeIn,
    patch_schema=ExchangePatch,
    filterset=ExperienceExchangeFilter,
    create=_exchange_record,
    update=_exchange_update,
)


@router.post(
    "/exchanges/{int:pk}/lessons",
    response={201: LessonOut},
    operation_id="meetings_experiencelesson_create",
    summary="Add a lesson to an experience exchange",
)
def lesson_add(request, pk: int, payload: LessonIn):
    require_perm(request, ExperienceExchange, "change")
    exchange = get_or_404(request, ExperienceExchange, pk, "change")
    lesson = services.experience_lesson_add(
        exchange=exchange,
        text=payload.text,
        for_service_manual=payload.for_service_manual,
        actor=request.user,
    )
    return Status(201, lesson)
