"""Search of the knowledge base in Chinese and English (see :mod:`.segment` for the words
and :mod:`.backends` for the databases): keeping the index, expanding synonyms, ranking
and highlighted snippets."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Max
from django.utils.safestring import SafeString, mark_safe

from ccops.knowledge.search import backends, segment
from ccops.knowledge.search.backends import Filters

SNIPPET_CHARS = 140
MAX_QUERY_CHARS = 200
MAX_GROUPS = 12


# --- the index -------------------------------------------------------------------------------


def indexed_revision(article):
    """The revision whose text the index holds: the published one, else the latest."""
    if article.live_revision_id:
        return article.live_revision
    return article.revisions.order_by("-number").first()


def entry_values(title: str, tags: str, body: str, facets: str = "") -> dict:
    return {
        "title_tokens": " ".join(segment.index_terms(title)),
        "tags_tokens": " ".join(segment.index_terms(tags.replace(",", " "))),
        "body_tokens": " ".join(segment.index_terms(body)),
        "facet_tokens": facets,
    }


def category_ancestors(category_id: int) -> list[int]:
    """The category and its ancestors, nearest first."""
    from ccops.knowledge.models import Category

    parents = dict(Category.all_objects.values_list("pk", "parent_id"))
    chain, pk = [], category_id
    while pk is not None and pk not in chain:
        chain.append(pk)
        pk = parents.get(pk)
    return chain


def facet_terms(article) -> str:
    """The article's filter values as index terms of their own column: its state, its
    visibility and every category from its own to the top, so that filters are part of
    the full-text match (no join to filter on)."""
    return " ".join(
        [
            backends.state_term(article.state),
            backends.visibility_term(article.visibility),
            *(backends.category_term(pk) for pk in category_ancestors(article.category_id)),
        ]
    )


def index_article(article) -> None:
    """Write the article's search-index row from its current text, state, visibility and
    category (in the caller's transaction; the database's triggers update FTS5 or the
    tsvector). Every service that changes one of them calls it."""
    from ccops.knowledge.models import SearchEntry

    revision = indexed_revision(article)
    if revision is None:
        return
    values = entry_values(revision.title, revision.tags, revision.body, facet_terms(article))
    SearchEntry.objects.update_or_create(article_id=article.pk, defaults=values)


def reindex_all(articles: Iterable | None = None) -> int:
    from ccops.knowledge.models import Article

    count = 0
    rows = articles if articles is not None else Article.all_objects.all()
    for article in (
        rows.select_related("live_revision") if hasattr(rows, "select_related") else rows
    ):
        index_article(article)
        count += 1
    return count


# --- synonyms -------------------------------------------------------------------------------

_synonym_cache: dict = {"stamp": None, "map": {}}


def synonym_map() -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    """Term tuple -> the other term tuples of its synonym sets (cached until a synonym
    set changes)."""
    from ccops.knowledge.models import Synonym

    stamp = tuple(Synonym.objects.aggregate(n=Count("pk"), t=Max("updated_at")).values())
    if _synonym_cache["stamp"] == stamp:
        return _synonym_cache["map"]
    mapping: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for synonym in Synonym.objects.all():
        tuples = segment._dedupe(t for t in map(segment.term_tuple, synonym.term_list) if t)
        for key in tuples:
            others = mapping.setdefault(key, [])
            others.extend(t for t in tuples if t != key and t not in others)
    _synonym_cache.update(stamp=stamp, map=mapping)
    return mapping


# --- searching ------------------------------------------------------------------------------


@dataclass
class Result:
    article: object
    score: float
    all_words: bool
    title_html: SafeString
    snippet: SafeString


@dataclass
class SearchPage:
    query: str
    words: list[str]
    results: list[Result] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 20

    @property
    def more(self) -> bool:
        """More articles match than were counted (:data:`.backends.MAX_COUNT`)."""
        return self.total > backends.MAX_COUNT

    @property
    def shown_total(self) -> int:
        return min(self.total, backends.MAX_COUNT)

    @property
    def pages(self) -> int:
        return max(1, -(-self.shown_total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def category_subtree(category_ids: Sequence[int]) -> set[int]:
    """The categories and all their descendants."""
    from ccops.knowledge.models import Category

    children: dict[int | None, list[int]] = {}
    for pk, parent in Category.all_objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, todo = set(), list(category_ids)
    while todo:
        pk = todo.pop()
        if pk in found:
            continue
        found.add(pk)
        todo.extend(children.get(pk, []))
    return found


def groups_for(query: str):
    """The query's groups of alternatives (see :mod:`.segment`), the characters of words
    the index has left out (:func:`.backends.prune_characters`)."""
    query = (query or "")[:MAX_QUERY_CHARS]
    return backends.prune_characters(segment.query_groups(query, synonym_map())[:MAX_GROUPS])


def search(
    query: str,
    *,
    states: Sequence[str] = ("published",),
    category_ids: Sequence[int] | None = None,
    visibility: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> SearchPage:
    """Articles matching ``query`` (see :func:`.backends.run` for the order), with
    highlighted titles and snippets."""
    from ccops.knowledge.models import Article

    groups = groups_for(query)
    result = SearchPage(query=query, words=[g.word for g in groups], page=page, per_page=per_page)
    if not groups:
        return result
    filters = Filters(
        states=tuple(states),
        category_ids=tuple(category_ids) if category_ids else None,
        visibility=visibility or None,
    )
    hits, total = backends.run(
        groups, filters, limit=per_page, offset=(max(1, page) - 1) * per_page
    )
    result.total = total
    articles = Article.all_objects.select_related("category", "live_revision").in_bulk(
        [h.article_id for h in hits]
    )
    terms = _highlight_terms(groups)
    for hit in hits:
        article = articles.get(hit.article_id)
        if article is None:
            continue
        revision = indexed_revision(article)
        body = revision.body if revision else ""
        title = revision.title if revision else article.title
        result.results.append(
            Result(
                article=article,
                score=hit.score,
                all_words=hit.all_words,
                title_html=highlight(title, terms),
                snippet=snippet(body, terms),
            )
        )
    return result


def _highlight_terms(groups) -> list[str]:
    terms = {t for g in groups for t in g.highlight_terms}
    return sorted(terms, key=len, reverse=True)


def _pattern(terms: Sequence[str]) -> re.Pattern | None:
    if not terms:
        return None
    parts = [
        rf"\b{re.escape(t)}[a-z]*" if t.isascii() and t.isalpha() else re.escape(t) for t in terms
    ]
    return re.compile("|".join(parts), re.IGNORECASE)


def highlight(text: str, terms: Sequence[str]) -> SafeString:
    """``text`` escaped, with every occurrence of ``terms`` in ``<mark>``."""
    pattern = _pattern(terms)
    if pattern is None:
        return mark_safe(html.escape(text))
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(html.escape(text[last : match.start()]))
        out.append(f"<mark>{html.escape(match.group(0))}</mark>")
        last = match.end()
    out.append(html.escape(text[last:]))
    return mark_safe("".join(out))


def snippet(text: str, terms: Sequence[str], size: int = SNIPPET_CHARS) -> SafeString:
    """The ``size`` characters of ``text`` with the most different query terms, marked."""
    flat = " ".join(text.split())
    pattern = _pattern(terms)
    matches = list(pattern.finditer(flat))[:200] if pattern else []
    start = 0
    if matches:
        best = (-1, 0)
        for m in matches:
            begin = max(0, m.start() - size // 5)
            distinct = {x.group(0).lower() for x in matches if begin <= x.start() < begin + size}
            if len(distinct) > best[0]:
                best = (len(distinct), begin)
        start = best[1]
    piece = flat[start : start + size]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + size < len(flat) else ""
    return mark_safe(prefix + highlight(piece, terms) + suffix)
