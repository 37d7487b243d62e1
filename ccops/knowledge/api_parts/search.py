"""Knowledge API: the full-text search."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Schema

from ccops.core.apitools import require_perm, resolve_pk
from ccops.knowledge import search
from ccops.knowledge.api_parts.base import router
from ccops.knowledge.choices import ArticleState
from ccops.knowledge.models import (
    Article,
    Category,
)
from ccops.knowledge.services import articles

# --- search ----------------------------------------------------------------------------------


class SearchHit(Schema):
    id: int
    title: str
    title_html: str
    snippet_html: str
    category: str
    state: str
    visibility: str
    score: float
    all_words: bool
    url: str


class SearchOut(Schema):
    query: str
    words: list[str]
    total: int
    more: bool
    page: int
    pages: int
    results: list[SearchHit]


@router.get(
    "/search",
    response=SearchOut,
    operation_id="knowledge_search",
    summary="Full-text search of the knowledge base (Chinese and English)",
)
def search_articles(
    request,
    q: str,
    category: int | None = None,
    state: str | None = None,
    visibility: str | None = None,
    page: int = 1,
    page_size: int = 20,
):
    require_perm(request, Article, "view")
    readable = articles.readable_states(request.user)
    if state and state not in ArticleState.values:
        raise ValidationError(
            {
                "state": _("There is no article state %(state)s: give one of %(states)s.")
                % {"state": state, "states": ", ".join(ArticleState.values)}
            }
        )
    states = (state,) if state and state in readable else (ArticleState.PUBLISHED,)
    if category is not None:
        resolve_pk(Category, category, "category")
    found = search.search(
        q,
        states=states,
        category_ids=[category] if category else None,
        visibility=visibility,
        page=max(1, page),
        per_page=max(1, min(100, page_size)),
    )
    return {
        "query": found.query,
        "words": found.words,
        "total": found.shown_total,
        "more": found.more,
        "page": found.page,
        "pages": found.pages,
        "results": [
            {
                "id": r.article.pk,
                "title": r.article.title,
                "title_html": str(r.title_html),
                "snippet_html": str(r.snippet),
                "category": str(r.article.category),
                "state": r.article.state,
                "visibility": r.article.visibility,
                "score": r.score,
                "all_words": r.all_words,
                "url": r.article.get_absolute_url(),
            }
            for r in found.results
        ],
    }
