"""Sample meetings for the tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ccops.meetings import services


def meeting(w, *, chair=None, days_ago=0, kind="weekly_quality", attendees=None, actor=None):
    chair = chair or w.employees["quality_supervisor"]
    return services.meeting_schedule(
        site=w.site,
        kind=kind,
        title=f"Quality meeting -{days_ago}d",
        starts_at=timezone.now() - dt.timedelta(days=days_ago),
        chair=chair,
        attendees=attendees if attendees is not None else [w.employees["agent"]],
        agenda="Scores of the week\nHeadsets",
        actor=actor or w.users["quality_supervisor"],
    )


def item(w, m=None, *, owner=None, due_in_days=7):
    m = m or meeting(w)
    return services.action_item_assign(
        meeting=m,
        title="Replace headsets",
        owner=owner or w.employees["agent"],
        due_date=timezone.localdate() + dt.timedelta(days=due_in_days),
        actor=w.users["quality_supervisor"],
    )
