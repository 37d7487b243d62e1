"""A group manager decides the swaps of their own teams only (issue 12, point 4).

The swap service belongs to the wfm rewrite (issue 11): this test records the rule and
is expected to fail until that work lands."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from ccops.core.testing import build_world
from ccops.wfm import services
from tests.wfm.fixtures import agent_swap

pytestmark = pytest.mark.django_db


@pytest.mark.xfail(
    strict=True,
    reason=(
        "issue 12 point 4, left to the wfm rewrite (issue 11): shift_swap_approve lets a "
        "group manager approve a swap whose colleague works in another group, because the "
        "swap is in scope as soon as one participant is in the manager's team"
    ),
)
def test_group_manager_cannot_approve_a_swap_with_someone_outside_their_teams():
    w = build_world()
    # The agent (group 1) swaps with the other agent, who works in group 2.
    swap = agent_swap(w, accepted=True)
    with pytest.raises(PermissionDenied):
        services.shift_swap_approve(swap=swap, actor=w.users["group_manager"])
