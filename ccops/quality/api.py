"""REST API of the quality app (mounted at ``/api/v1/quality/``)."""

from __future__ import annotations

from ccops.quality.api_parts import evaluations, others  # noqa: F401  (register operations)
from ccops.quality.api_parts.base import router

__all__ = ["router"]
