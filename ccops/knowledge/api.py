"""REST API of the knowledge app (mounted at ``/api/v1/knowledge/``): difficult cases,
articles and revisions, search, categories, synonyms, departments, links, service-manual
editions (the operations are in ``api_parts``)."""

from __future__ import annotations

from ccops.knowledge.api_parts import articles, cases, manual, reference, search  # noqa: F401
from ccops.knowledge.api_parts.base import router

__all__ = ["router"]
