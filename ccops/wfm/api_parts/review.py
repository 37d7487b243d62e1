"""API of the planner's tools on a schedule: activities inside shifts, the comparison of two
versions, and the staff's feedback."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, ModelSchema, Query, Schema, Status

from ccops.core.apitools import get_or_404, require_perm, resolve_pk
from ccops.people.models import Employee
from ccops.people.services import employee_for
from ccops.wfm.api_parts.base import router
from ccops.wfm.choices import ActivityKind
from ccops.wfm.models import Schedule, ScheduleFeedback, ShiftActivity
from ccops.wfm.services import activities, review
from ccops.wfm.services.activities import MAX_ACTIVITY_AGENTS, MAX_ACTIVITY_MINUTES


class ActivityOut(ModelSchema):
    employee: int | None = None

    class Meta:
        model = ShiftActivity
        fields = ["id", "shift", "kind", "title", "start", "end"]

    @staticmethod
    def resolve_employee(obj) -> int | None:
        return obj.shift.employee_id


class ActivityIn(Schema):
    kind: ActivityKind
    title: str = Field(..., min_length=1, max_length=120)
    minutes: int = Field(..., ge=1, le=MAX_ACTIVITY_MINUTES)
    employees: list[int] = Field(..., min_length=1, max_length=MAX_ACTIVITY_AGENTS)
    day: date | None = None


class PlacedOut(Schema):
    employee: int
    activity: ActivityOut | None
    lowest_spare: float | None


@router.get(
    "/schedules/{int:pk}/activities",
    response=list[ActivityOut],
    operation_id="wfm_schedule_activities",
    summary="Training, coaching and meetings inside the schedule's shifts",
)
def schedule_activities(request, pk: int):
    require_perm(request, ShiftActivity, "view")
    # the rows the reader may see (an agent: their own), without needing the schedule itself
    rows = ShiftActivity.objects.restrict(request.user, "view").filter(shift__schedule_id=pk)
    return list(rows.select_related("shift")[:2000])


@router.post(
    "/schedules/{int:pk}/activities",
    response={201: list[PlacedOut]},
    operation_id="wfm_schedule_activity_place",
    summary="Place an activity for each employee where the queues can best spare them",
)
def schedule_activity_place(request, pk: int, payload: ActivityIn):
    require_perm(request, ShiftActivity, "add")
    schedule = get_or_404(request, Schedule, pk, "change")
    visible = Employee.objects.restrict(request.user, "view")
    people = [
        resolve_pk(Employee, e, "employees", visible) for e in dict.fromkeys(payload.employees)
    ]
    placed = activities.activity_place(
        schedule=schedule,
        employees=people,
        kind=payload.kind.value,
        title=payload.title,
        minutes=payload.minutes,
        day=payload.day,
        actor=request.user,
    )
    return Status(
        201,
        [
            {"employee": p.employee.pk, "activity": p.activity, "lowest_spare": p.lowest_spare}
            for p in placed
        ],
    )


@router.post(
    "/activities/{int:pk}/remove",
    response=ActivityOut,
    operation_id="wfm_shiftactivity_remove",
    summary="Take an activity out of its shift (archived)",
)
def activity_remove(request, pk: int):
    require_perm(request, ShiftActivity, "delete")
    activity = get_or_404(request, ShiftActivity, pk, "delete")
    return activities.activity_remove(activity=activity, actor=request.user)


class AgentChangeOut(Schema):
    employee: int | None
    hours: list[float]
    starts: list[list[list]]
    days_off: list[list[int]]
    changed: bool


class CompareOut(Schema):
    old: int
    new: int
    hours: list[float]
    open_shifts: list[int]
    projected_service_level: list[float | None]
    under: list[float]
    over: list[float]
    changed_agents: int
    intervals_changed: int
    agents: list[AgentChangeOut]


@router.get(
    "/schedules/{int:pk}/compare",
    response=CompareOut,
    operation_id="wfm_schedule_compare",
    summary="This version against another (per agent and per interval); `with` defaults to "
    "the published version, the version before, or last week's schedule",
)
def schedule_compare(request, pk: int, with_: int | None = Query(None, alias="with")):
    require_perm(request, Schedule, "view")
    schedule = get_or_404(request, Schedule, pk)
    other = get_or_404(request, Schedule, with_) if with_ else review.compare_default(schedule)
    if other is None:
        other = schedule
    cmp = review.schedule_compare(other, schedule)
    return {
        "old": other.pk,
        "new": schedule.pk,
        "hours": list(cmp["hours"]),
        "open_shifts": list(cmp["open_shifts"]),
        "projected_service_level": list(cmp["projected"]),
        "under": list(cmp["under"]),
        "over": list(cmp["over"]),
        "changed_agents": cmp["changed_agents"],
        "intervals_changed": cmp["intervals_changed"],
        "agents": [
            {
                "employee": r.employee.pk if r.employee else None,
                "hours": list(r.hours),
                "starts": [[list(s) for s in side] for side in r.starts],
                "days_off": [list(side) for side in r.days_off],
                "changed": r.changed,
            }
            for r in cmp["agents"]
        ],
    }


class FeedbackOut(ModelSchema):
    class Meta:
        model = ScheduleFeedback
        fields = ["id", "schedule", "employee", "rating", "comment", "created_at"]


class FeedbackIn(Schema):
    rating: int | None = Field(None, ge=1, le=5)
    comment: str = Field("", max_length=2000)


@router.get(
    "/schedules/{int:pk}/feedback",
    response=list[FeedbackOut],
    operation_id="wfm_schedule_feedback",
    summary="The staff's feedback on a published schedule (agents see their own)",
)
def schedule_feedback(request, pk: int):
    require_perm(request, ScheduleFeedback, "view")
    rows = ScheduleFeedback.objects.restrict(request.user, "view").filter(schedule_id=pk)
    return list(rows[:2000])


@router.post(
    "/schedules/{int:pk}/feedback",
    response={201: FeedbackOut},
    operation_id="wfm_schedule_feedback_add",
    summary="Give my feedback on a published schedule",
)
def schedule_feedback_add(request, pk: int, payload: FeedbackIn):
    require_perm(request, ScheduleFeedback, "add")
    employee = employee_for(request.user)
    if employee is None:
        raise ValidationError(_("Your account has no employee record."))
    schedule = review.schedule_for_feedback(pk, employee)
    row = review.schedule_feedback_add(
        schedule=schedule,
        employee=employee,
        actor=request.user,
        rating=payload.rating,
        comment=payload.comment,
    )
    return Status(201, row)
