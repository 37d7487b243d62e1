"""Sample shift-operations rows for the tests."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from ccops.core import audit
from ccops.people.models import Employee
from ccops.shiftops import services
from ccops.shiftops.models import ChecklistItemTemplate, HandoverQuestion

_n = itertools.count(1)


def employee_of(world, user) -> Employee:
    employee = Employee.objects.filter(user=user).first()
    if employee is None:  # a user without an employee record (not in build_world)
        employee = Employee.objects.create(
            user=user, employee_number=f"X{next(_n)}", full_name=str(user), site=world.site
        )
    return employee


def template(world):
    with audit.acting_as(None, via=audit.VIA_SYSTEM):
        if not ChecklistItemTemplate.objects.exists():
            ChecklistItemTemplate.objects.create(category="equipment", text="Headsets", order=1)
            ChecklistItemTemplate.objects.create(category="systems", text="CRM running", order=2)


def question(world) -> HandoverQuestion:
    with audit.acting_as(None, via=audit.VIA_SYSTEM):
        return HandoverQuestion.objects.create(
            topic="Cards", text="How is a lost card blocked?", expected_answer="Hotline"
        )


def handover(world, outgoing=None, incoming=None, when=None):
    """An open handover at ``world.site`` (default: group manager hands over to the agent)."""
    template(world)
    outgoing = outgoing or world.employees["group_manager"]
    incoming = incoming or world.employees["agent"]
    return services.handover_open(
        site=world.site,
        handover_at=when or timezone.now() - dt.timedelta(minutes=5),
        outgoing_lead=outgoing,
        incoming_lead=incoming,
        notes="Queue 2 was slow after 15:00.",
        actor=world.users["operations_supervisor"],
    )


def signed_handover(world, outgoing=None, incoming=None, when=None):
    h = handover(world, outgoing, incoming, when)
    for check in h.checks.all():
        services.handover_check_set(check=check, status="ok", actor=outgoing_user(h))
    answer = services.handover_question_ask(
        handover=h, question=question(world), asked_to=h.incoming_lead, actor=outgoing_user(h)
    )
    services.handover_answer_record(
        answer=answer, text="Call the hotline", correct=True, actor=outgoing_user(h)
    )
    services.handover_sign(handover=h, side="outgoing", actor=outgoing_user(h))
    services.handover_sign(handover=h, side="incoming", actor=h.incoming_lead.user)
    h.refresh_from_db()
    return h


def outgoing_user(h):
    return h.outgoing_lead.user
