"""REST API of workforce management (mounted at ``/api/v1/wfm/``)."""

from __future__ import annotations

from ccops.wfm.api_parts import (  # noqa: F401  (register operations)
    imports,
    intraday,
    leave,
    planning,
    review,
    schedules,
    selfservice,
)
from ccops.wfm.api_parts.base import router

__all__ = ["router"]
