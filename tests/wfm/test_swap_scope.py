"""A group manager decides the swaps of their own teams only (issue 12, point 4): both
people concerned must be in a team they manage; supervisors decide any swap."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from ccops.core.testing import build_world
from ccops.people.models import EmployeeSkill
from ccops.wfm import services
from tests.wfm.fixtures import agent_swap, fresh_week

pytestmark = pytest.mark.django_db


def _cross_group_swap(w):
    """The agent (group 1) swaps with the other agent, who works in group 2."""
    mine, theirs = fresh_week(w, [w.employees["agent"], w.other_employee])
    swap = services.shift_swap_request(
        shift=mine, colleague=w.other_employee, colleague_shift=theirs, actor=w.users["agent"]
    )
    return services.shift_swap_accept(swap=swap, actor=w.other_agent)


def test_group_manager_cannot_approve_a_swap_with_someone_outside_their_teams():
    w = build_world()
    swap = _cross_group_swap(w)
    with pytest.raises(PermissionDenied, match="every employee concerned"):
        services.shift_swap_approve(swap=swap, actor=w.users["group_manager"])
    with pytest.raises(PermissionDenied):
        services.shift_swap_reject(swap=swap, actor=w.users["group_manager"])
    # a supervisor may
    approved = services.shift_swap_approve(swap=swap, actor=w.users["operations_supervisor"])
    assert approved.status == "approved"


def test_group_manager_approves_a_swap_inside_their_group():
    w = build_world()
    swap = agent_swap(w, accepted=True)  # with a colleague of the same group
    assert EmployeeSkill.objects.filter(employee=swap.colleague, skill=w.skill).exists()
    approved = services.shift_swap_approve(swap=swap, actor=w.users["group_manager"])
    assert approved.status == "approved"
