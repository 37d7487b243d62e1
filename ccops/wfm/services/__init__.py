"""Writes and computations of workforce management, one module per entity.

This package is the one place that converts between the wfm models and the engine's types
(NumPy arrays, frozen dataclasses). Each write is a keyword-only ``<entity>_<verb>(*, ...,
actor)`` function running in one transaction and writing its audit entry.

Modules depend downwards only: ``queries`` (reads) < ``simulation`` (a plan's
simulation and its kept figures) < ``staffing`` (plans) < ``rules`` (the
one rule check) < ``schedules`` (versions, edits, publishing) < ``requests`` (time off,
swaps) and ``coverage`` (need and coverage per queue) < ``generate`` (schedule generation)
< ``intraday``, ``exports``; services enqueue background tasks by name, so ``tasks`` may
call any of them.
"""

from ccops.wfm.services.queries import published_shifts, week_bounds
from ccops.wfm.services.requests import (
    calendar_feed_create,
    calendar_feed_revoke,
    calendar_feed_user,
    leave_conflicts,
    shift_swap_accept,
    shift_swap_approve,
    shift_swap_cancel,
    shift_swap_reject,
    shift_swap_request,
    swap_violations,
    time_off_approve,
    time_off_cancel,
    time_off_reject,
    time_off_request,
)
from ccops.wfm.services.schedules import (
    schedule_archive,
    schedule_create,
    schedule_publish,
    shift_add,
    shift_change,
    shift_problems,
    shift_remove,
)

__all__ = [
    "calendar_feed_create",
    "calendar_feed_revoke",
    "calendar_feed_user",
    "leave_conflicts",
    "published_shifts",
    "schedule_archive",
    "schedule_create",
    "schedule_publish",
    "shift_add",
    "shift_change",
    "shift_problems",
    "shift_remove",
    "shift_swap_accept",
    "shift_swap_approve",
    "shift_swap_cancel",
    "shift_swap_reject",
    "shift_swap_request",
    "swap_violations",
    "time_off_approve",
    "time_off_cancel",
    "time_off_reject",
    "time_off_request",
    "week_bounds",
]
