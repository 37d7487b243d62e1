"""Writes and computations of workforce management.

This package is the one place that converts between the wfm models and the engine's types
(NumPy arrays, frozen dataclasses). Each write is a keyword-only ``<entity>_<verb>(*, ...,
actor)`` function running in one transaction and writing its audit entry.
"""

from ccops.wfm.services.requests import (
    calendar_feed_create,
    calendar_feed_revoke,
    calendar_feed_user,
    published_shifts,
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
from ccops.wfm.services.rules import shift_violations
from ccops.wfm.services.schedules import (
    schedule_archive,
    schedule_create,
    schedule_publish,
    shift_add,
    shift_change,
    shift_remove,
    week_bounds,
)

__all__ = [
    "calendar_feed_create",
    "calendar_feed_revoke",
    "calendar_feed_user",
    "published_shifts",
    "schedule_archive",
    "schedule_create",
    "schedule_publish",
    "shift_add",
    "shift_change",
    "shift_remove",
    "shift_swap_accept",
    "shift_swap_approve",
    "shift_swap_cancel",
    "shift_swap_reject",
    "shift_swap_request",
    "shift_violations",
    "swap_violations",
    "time_off_approve",
    "time_off_cancel",
    "time_off_reject",
    "time_off_request",
    "week_bounds",
]
