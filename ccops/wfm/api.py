"""REST API of workforce management (mounted at ``/api/v1/wfm/``)."""

from __future__ import annotations

from ccops.wfm.api_parts import imports, intraday, planning, schedules, selfservice  # noqa: F401  (register operations)
from ccops.wfm.api_parts.base import router

__all__ = ["router"]
