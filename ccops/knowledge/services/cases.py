"""Difficult cases: recorded by an agent, answered or escalated by the group manager, up to
a named expert or a department, each level with a due time; follow-ups, closing and
merging duplicates. One transaction each, locked first, audited, notifying who acts next."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ccops.core import audit
from ccops.core.errors import Conflict
from ccops.core.models import Queue
from ccops.core.permissions import can
from ccops.core.roles import MANAGERS, is_supervisor, user_role_slugs
from ccops.core.services import lock_for_update, notify, record_create, record_update, require_state
from ccops.knowledge.choices import (
    ACTIVE_STATUSES,
    WAITING_STATUSES,
    CaseEventKind,
    CaseLevel,
    CaseStatus,
)
from ccops.knowledge.models import CaseEvent, Department, DifficultCase
from ccops.people.choices import EmploymentStatus
from ccops.people.models import Employee
from ccops.people.services import employee_for
from ccops.shiftops.choices import CheckStatus
from ccops.shiftops.models import HandoverCheck

#: Hours each level has to answer (a department: its own ``answer_hours``).
GROUP_MANAGER_HOURS = 4
EXPERT_HOURS = 24


def actor_employee(actor) -> Employee:
    employee = employee_for(actor)
    if employee is None:
        raise PermissionDenied(_("Your account has no employee record."))
    return employee


def _user_of(employee: Employee | None):
    return employee.user if employee is not None and employee.user_id else None


def _event(case, kind, by, actor, **data) -> CaseEvent:
    return record_create(
        CaseEvent,
        data={"case": case, "kind": kind, "by": by, **data},
        actor=actor,
        verb=f"case_{kind}",
    )


def group_manager_of(employee: Employee) -> Employee | None:
    """The leader of the employee's group, else of its area."""
    team = employee.team
    while team is not None:
        if team.leader_id and team.leader.status == EmploymentStatus.ACTIVE:
            return team.leader
        team = team.parent
    return None


def may_handle(user, case: DifficultCase) -> bool:
    """Who acts on a waiting case: the person it waits for and the supervisors; at the
    group manager's level also the other managers of the agent's group and area."""
    if not case.is_waiting:
        return False
    if case.assignee_id and case.assignee.user_id == getattr(user, "pk", None):
        return True
    if is_supervisor(user):
        return True
    return (
        case.level == CaseLevel.GROUP_MANAGER
        and bool(user_role_slugs(user) & MANAGERS)
        and can(user, case, "change")
    )


def _require_turn(seen: DifficultCase, locked: DifficultCase, actor) -> None:
    """The actor may act on the locked row; if they could on the copy they saw, or the
    case changed after their request began, a parallel request moved the case on first
    (409), else it is not their case (403)."""
    if may_handle(actor, locked):
        return
    started = getattr(audit.current_actor().request, "ccops_started_at", None)
    if may_handle(actor, seen) or (started is not None and locked.updated_at >= started):
        raise Conflict(
            _("%(case)s was just passed on: reload the page to see who it waits for.")
            % {"case": locked}
        )
    raise PermissionDenied(_("This case waits for someone else."))


def may_merge(user, case: DifficultCase) -> bool:
    return case.status in ACTIVE_STATUSES and (
        is_supervisor(user)
        or (bool(user_role_slugs(user) & MANAGERS) and can(user, case, "change"))
    )


def expert_choices(case: DifficultCase):
    """Who a case can be escalated to by name: active employees of the site with a login
    who are not only agents, except whoever it waits for now."""
    rows = Employee.objects.filter(
        site=case.site, user__isnull=False, user__is_active=True, status=EmploymentStatus.ACTIVE
    ).exclude(user__groups__name="agent")
    if case.assignee_id:
        rows = rows.exclude(pk=case.assignee_id)
    return rows.exclude(pk=case.reported_by_id).distinct().order_by("full_name")


@transaction.atomic
def case_record(
    *,
    question: str,
    occurred_at: dt.datetime,
    actor,
    queue: Queue | None = None,
    call_reference: str = "",
    told_customer: str = "",
    handover_check: HandoverCheck | None = None,
) -> DifficultCase:
    """Record a question the actor could not answer; it goes to their group manager."""
    reporter = actor_employee(actor)
    if not question.strip():
        raise ValidationError({"question": _("Write down the customer's question.")})
    if occurred_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"occurred_at": _("The call cannot be in the future.")})
    if queue is not None and queue.site_id != reporter.site_id:
        raise ValidationError(
            {"queue": _("%(queue)s is a queue of another site.") % {"queue": queue}}
        )
    manager = group_manager_of(reporter)
    if manager is None:
        raise ValidationError(
            _("Your group has no manager to pass the case to: ask a supervisor to set one.")
        )
    if handover_check is not None and handover_check.status != CheckStatus.PROBLEM:
        raise ValidationError(
            {"handover_check": _("Only an item marked as a problem is an open problem.")}
        )
    due = timezone.now() + dt.timedelta(hours=GROUP_MANAGER_HOURS)
    case = record_create(
        DifficultCase,
        data={
            "site": reporter.site,
            "reported_by": reporter,
            "team": reporter.team,
            "queue": queue,
            "call_reference": call_reference.strip(),
            "occurred_at": occurred_at,
            "question": question.strip(),
            "told_customer": told_customer.strip(),
            "level": CaseLevel.GROUP_MANAGER,
            "assignee": manager,
            "due_at": due,
            "handover_check": handover_check,
        },
        actor=actor,
        verb="case_record",
    )
    _event(
        case,
        CaseEventKind.RECORDED,
        reporter,
        actor,
        level=CaseLevel.GROUP_MANAGER,
        to_employee=manager,
        due_at=due,
        text=case.question,
    )
    if manager.user_id != actor.pk:
        notify(
            user=_user_of(manager),
            message=gettext_noop("Difficult case #%(n)s from %(agent)s waits for your answer."),
            params={"n": case.pk, "agent": reporter.full_name},
            url=case.get_absolute_url(),
        )
    return case


@transaction.atomic
def case_escalate(
    *,
    case: DifficultCase,
    actor,
    expert: Employee | None = None,
    department: Department | None = None,
    note: str = "",
    due_at: dt.datetime | None = None,
) -> DifficultCase:
    """Pass a waiting case up to a named expert or a department (exactly one). For a
    department the escalating person stays responsible and records its answer."""
    seen, case = case, lock_for_update(case)
    require_state(case, "status", WAITING_STATUSES)
    _require_turn(seen, case, actor)
    if (expert is None) == (department is None):
        raise ValidationError(_("Escalate to a named expert or to a department."))
    by = actor_employee(actor)
    now = timezone.now()
    if expert is not None:
        if not expert_choices(case).filter(pk=expert.pk).exists():
            raise ValidationError(
                {"expert": _("%(who)s cannot take this case.") % {"who": expert.full_name}}
            )
        level, assignee, hours = CaseLevel.EXPERT, expert, EXPERT_HOURS
    else:
        level, assignee, hours = CaseLevel.DEPARTMENT, by, department.answer_hours
    due = due_at or now + dt.timedelta(hours=hours)
    if due <= now:
        raise ValidationError({"due_at": _("The due time must be in the future.")})
    record_update(
        case,
        data={
            "status": CaseStatus.ESCALATED,
            "level": level,
            "assignee": assignee,
            "department": department,
            "due_at": due,
        },
        actor=actor,
        verb="case_escalate",
    )
    _event(
        case,
        CaseEventKind.ESCALATED,
        by,
        actor,
        level=level,
        to_employee=expert,
        to_department=department,
        due_at=due,
        text=note.strip(),
    )
    if expert is not None and expert.user_id != actor.pk:
        notify(
            user=_user_of(expert),
            message=gettext_noop("Difficult case #%(n)s was escalated to you by %(who)s."),
            params={"n": case.pk, "who": by.full_name},
            url=case.get_absolute_url(),
        )
    return case


def _reporters(case: DifficultCase) -> list[Employee]:
    people = [case.reported_by]
    for duplicate in DifficultCase.objects.filter(merged_into=case).select_related("reported_by"):
        if duplicate.reported_by_id not in {p.pk for p in people}:
            people.append(duplicate.reported_by)
    return people


@transaction.atomic
def case_answer(*, case: DifficultCase, answer: str, actor) -> DifficultCase:
    """Record the answer (the group manager's, the expert's, or the department's as
    recorded by whoever escalated); the agent and those of merged duplicates are told."""
    seen, case = case, lock_for_update(case)
    require_state(case, "status", WAITING_STATUSES)
    _require_turn(seen, case, actor)
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer down.")})
    by = actor_employee(actor)
    record_update(
        case,
        data={
            "status": CaseStatus.ANSWERED,
            "answer": answer.strip(),
            "answered_by": by,
            "answered_at": timezone.now(),
            "due_at": None,
        },
        actor=actor,
        verb="case_answer",
    )
    _event(
        case,
        CaseEventKind.ANSWERED,
        by,
        actor,
        level=case.level,
        text=case.answer,
        to_department=case.department,
    )
    for person in _reporters(case):
        if person.user_id and person.user_id != actor.pk:
            notify(
                user=person.user,
                message=gettext_noop("Your difficult case #%(n)s has been answered."),
                params={"n": case.pk},
                url=case.get_absolute_url(),
            )
    return case


@transaction.atomic
def case_follow_up(*, case: DifficultCase, text: str, actor) -> DifficultCase:
    """The agent asks again about an answered case: it goes back to whoever answered it
    (at the same level), with a new due time."""
    case = lock_for_update(case)
    require_state(case, "status", [CaseStatus.ANSWERED])
    if case.reported_by.user_id != actor.pk:
        raise PermissionDenied(_("Only the agent who recorded the case follows it up."))
    if not text.strip():
        raise ValidationError({"text": _("Write the follow-up question.")})
    by = case.reported_by
    back_to = case.answered_by or case.assignee
    hours = {
        CaseLevel.GROUP_MANAGER: GROUP_MANAGER_HOURS,
        CaseLevel.EXPERT: EXPERT_HOURS,
    }.get(case.level, case.department.answer_hours if case.department_id else EXPERT_HOURS)
    due = timezone.now() + dt.timedelta(hours=hours)
    status = CaseStatus.OPEN if case.level == CaseLevel.GROUP_MANAGER else CaseStatus.ESCALATED
    record_update(
        case,
        data={"status": status, "assignee": back_to, "due_at": due},
        actor=actor,
        verb="case_follow_up",
    )
    _event(
        case,
        CaseEventKind.FOLLOW_UP,
        by,
        actor,
        level=case.level,
        to_employee=back_to,
        due_at=due,
        text=text.strip(),
    )
    notify(
        user=_user_of(back_to),
        message=gettext_noop("%(agent)s asked a follow-up question on difficult case #%(n)s."),
        params={"n": case.pk, "agent": by.full_name},
        url=case.get_absolute_url(),
    )
    return case


@transaction.atomic
def case_close(*, case: DifficultCase, actor) -> DifficultCase:
    """Close an answered case (the agent is satisfied, or a manager closes it)."""
    case = lock_for_update(case)
    require_state(case, "status", [CaseStatus.ANSWERED])
    if case.reported_by.user_id != actor.pk and not may_merge(actor, case):
        raise PermissionDenied(_("The agent who recorded the case or a manager closes it."))
    by = actor_employee(actor)
    record_update(case, data={"status": CaseStatus.CLOSED}, actor=actor, verb="case_close")
    _event(case, CaseEventKind.CLOSED, by, actor)
    return case


@transaction.atomic
def case_merge(*, duplicate: DifficultCase, into: DifficultCase, actor) -> DifficultCase:
    """Merge a duplicate into another case: the duplicate stops waiting, its agent gets
    the other case's answer (now, if it has one)."""
    if duplicate.pk == into.pk:
        raise ValidationError({"into": _("A case cannot be merged into itself.")})
    first, second = sorted([duplicate, into], key=lambda c: c.pk)
    locked = {c.pk: lock_for_update(c) for c in (first, second)}
    duplicate, into = locked[duplicate.pk], locked[into.pk]
    require_state(duplicate, "status", ACTIVE_STATUSES)
    if into.status == CaseStatus.MERGED:
        raise ValidationError(
            {"into": _("%(case)s is itself merged into another case.") % {"case": into}}
        )
    if into.site_id != duplicate.site_id:
        raise ValidationError({"into": _("%(case)s is a case of another site.") % {"case": into}})
    if not (may_merge(actor, duplicate) and can(actor, into, "view")):
        raise PermissionDenied(_("Managers and supervisors merge duplicate cases."))
    by = actor_employee(actor)
    record_update(
        duplicate,
        data={"status": CaseStatus.MERGED, "merged_into": into, "due_at": None},
        actor=actor,
        verb="case_merge",
    )
    for older in DifficultCase.objects.filter(merged_into=duplicate):
        record_update(older, data={"merged_into": into}, actor=actor, verb="case_merge")
    _event(duplicate, CaseEventKind.MERGED, by, actor, other_case=into)
    _event(into, CaseEventKind.MERGED, by, actor, other_case=duplicate, text=duplicate.question)
    if duplicate.reported_by.user_id and duplicate.reported_by.user_id != actor.pk:
        answered = into.status in (CaseStatus.ANSWERED, CaseStatus.CLOSED)
        notify(
            user=duplicate.reported_by.user,
            message=(
                gettext_noop("Your case #%(n)s was merged into #%(into)s, which has an answer.")
                if answered
                else gettext_noop(
                    "Your case #%(n)s was merged into #%(into)s; you will get its answer."
                )
            ),
            params={"n": duplicate.pk, "into": into.pk},
            url=into.get_absolute_url(),
        )
    return duplicate


# --- what waits ------------------------------------------------------------------------------


def cases_waiting_for(user):
    """Waiting cases ``user`` has to act on, the most urgent first."""
    return (
        DifficultCase.objects.filter(assignee__user=user, status__in=WAITING_STATUSES)
        .select_related("reported_by", "department")
        .order_by("due_at", "pk")
    )


def overdue_cases(user, now: dt.datetime | None = None):
    """Waiting cases past their due time that ``user`` may see."""
    now = now or timezone.now()
    return (
        DifficultCase.objects.restrict(user, "view")
        .filter(status__in=WAITING_STATUSES, due_at__lt=now)
        .select_related("reported_by", "assignee", "department")
        .order_by("due_at", "pk")
    )


def describe_target(case: DifficultCase) -> str:
    """Who a case waits for, for messages and tables."""
    if case.department_id:
        return f"{case.department} ({case.assignee.full_name if case.assignee_id else ''})"
    return case.assignee.full_name if case.assignee_id else "—"
