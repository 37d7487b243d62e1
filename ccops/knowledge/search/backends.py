"""Full-text search of articles on SQLite (FTS5, bm25) and PostgreSQL (a ``tsvector``
with a GIN index, ``ts_rank``), over the same pre-segmented terms.

``knowledge_searchentry`` holds each article's terms as space-separated text, one column
per field (title, tags, body). The database keeps its own index of it, filled by
triggers (migration ``0002_search_index``):

* SQLite: an external-content FTS5 table ``knowledge_search_fts`` (``unicode61``
  tokenizer: our terms are runs of letters, digits or CJK characters, so it keeps them
  whole), ranked by ``bm25`` with the title weighted 10, tags 4, body 1;
* PostgreSQL: a ``document tsvector`` column built from the terms by a trigger as a
  tsvector *literal* (never through a text-search parser, which would drop CJK
  characters under a ``C`` locale), weights A (title), B (tags), C (body), a GIN index,
  and ``ts_rank`` with the weights {D 0.1, C 0.3, B 0.6, A 1.0} (``ts_rank_cd``, the
  cover density, costs five times as much with the alternatives of a query).

A query is a list of :class:`~ccops.knowledge.search.segment.Group`. Both backends
return the articles matching *any* group, those matching *every* group first, each part
by rank, with the total count, in one statement.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, transaction

from ccops.knowledge.search.segment import Alternative, Group

FTS_TABLE = "knowledge_search_fts"
BM25_WEIGHTS = (10.0, 4.0, 1.0, 0.0)
PG_WEIGHTS = "{0.1,0.3,0.6,1.0}"
TEXT_COLUMNS = "{title_tokens tags_tokens body_tokens}"
#: PostgreSQL: facet lexemes start with a character no text term has.
PG_FACET = "#"


def state_term(state: str) -> str:
    return "s" + state.replace("_", "")


def visibility_term(visibility: str) -> str:
    return "v" + visibility


def category_term(pk: int) -> str:
    return f"c{int(pk)}"


def _facets(filters: Filters) -> list[list[str]]:
    """The filters as facet terms: every list must have one term present."""
    wanted = []
    if filters.states:
        wanted.append([state_term(s) for s in filters.states])
    if filters.category_ids is not None:
        wanted.append([category_term(pk) for pk in filters.category_ids] or ["c0"])
    if filters.visibility:
        wanted.append([visibility_term(filters.visibility)])
    return wanted


@dataclass(frozen=True)
class Hit:
    article_id: int
    score: float
    all_words: bool


@dataclass(frozen=True)
class Filters:
    """Which articles a search may return (``category_ids``: any of these categories or
    their sub-categories)."""

    states: Sequence[str] = ("published",)
    category_ids: Sequence[int] | None = None
    visibility: str | None = None


# --- query expressions ----------------------------------------------------------------------


def _fts_alternative(alt: Alternative) -> str:
    if alt.phrase:
        return '"' + " ".join(alt.terms) + '"'
    if len(alt.terms) == 1:
        return f'"{alt.terms[0]}"'
    return "(" + " AND ".join(f'"{t}"' for t in alt.terms) + ")"


def _pg_quote(term: str) -> str:
    return "'" + term.replace("'", "''").replace("\\", "\\\\") + "'"


def _pg_alternative(alt: Alternative) -> str:
    if alt.phrase:
        return "(" + " <-> ".join(_pg_quote(t) for t in alt.terms) + ")"
    if len(alt.terms) == 1:
        return _pg_quote(alt.terms[0])
    return "(" + " & ".join(_pg_quote(t) for t in alt.terms) + ")"


def _alternatives(group: Group, whole_words: bool):
    """A group's alternatives; ``whole_words`` leaves out the characters-all-present one,
    which only counts when every word of the query is there (else any article with a
    common character would be found)."""
    return [a for a in group.alternatives if not (whole_words and a.characters)]


class _Syntax:
    """The operators of one backend's query language."""

    def __init__(self, alternative, and_, or_):
        self.alternative, self.and_, self.or_ = alternative, and_, or_

    def group(self, group: Group, whole_words: bool) -> str:
        alts = [self.alternative(a) for a in _alternatives(group, whole_words)]
        return "(" + self.or_.join(alts) + ")"

    def every(self, groups: Sequence[Group]) -> str:
        return self.and_.join(self.group(g, False) for g in groups)


FTS5 = _Syntax(_fts_alternative, " AND ", " OR ")
TSQUERY = _Syntax(_pg_alternative, " & ", " | ")
#: Tiers with more subsets than this skip to "any word".
MAX_SUBSETS = 12


def tiers(groups: Sequence[Group], syntax: _Syntax) -> list[str]:
    """The query as nested tiers, strictest first, each containing the ones before it:
    every word; every word but one (three words or more); any word. Below the first tier a
    word counts as written or as a synonym only: the characters of a Chinese word, all
    present, count when every word is there (they are common, and costly to rank)."""
    k = len(groups)
    every = syntax.every(groups)
    if k == 1:
        return [every]
    found = [every]
    broader = every
    if k >= 3 and k <= MAX_SUBSETS:
        whole = [syntax.group(g, True) for g in groups]
        subsets = [syntax.and_.join(w for j, w in enumerate(whole) if j != i) for i in range(k)]
        broader = syntax.or_.join(f"({q})" for q in subsets)
        found.append(broader)
    words = [syntax.group(g, True) for g in groups]
    found.append(syntax.or_.join([*words, f"({broader})"]))
    return found


def fts5_query(groups: Sequence[Group], operator: str) -> str:
    """An FTS5 MATCH expression: ``AND`` every group, ``OR`` any (the loosest tier)."""
    return FTS5.every(groups) if operator == "AND" else tiers(groups, FTS5)[-1]


def tsquery(groups: Sequence[Group], operator: str) -> str:
    """A PostgreSQL tsquery literal, the same as :func:`fts5_query`."""
    return TSQUERY.every(groups) if operator == "AND" else tiers(groups, TSQUERY)[-1]


def _filtered(text: str, filters: Filters) -> str:
    """A tier's text query restricted to the text columns and to the filters."""
    if connection.vendor == "postgresql":
        parts = [f"({text})"]
        for terms in _facets(filters):
            parts.append("(" + " | ".join(_pg_quote(PG_FACET + t) for t in terms) + ")")
        return " & ".join(parts)
    parts = [f"{TEXT_COLUMNS} : ({text})"]
    for terms in _facets(filters):
        parts.append("facet_tokens : (" + " OR ".join(f'"{t}"' for t in terms) + ")")
    return " AND ".join(parts)


@contextlib.contextmanager
def _index_scans():
    """PostgreSQL: a cursor that uses the GIN index. The planner sees a small table and
    picks a sequential scan, not knowing that each row's tsvector is stored apart
    (TOAST) and costly to read: 100 ms against 1 ms at 10,000 articles."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
        try:
            yield cursor
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL enable_seqscan = on")


def _exists(cursor, query: str) -> bool:
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT 1 FROM knowledge_searchentry WHERE document @@ CAST(%s AS tsquery) LIMIT 1",
            [query],
        )
    else:
        cursor.execute(f"SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT 1", [query])
    return cursor.fetchone() is not None


def prune_characters(groups: Sequence[Group]) -> list[Group]:
    """Keep a word's characters-all-present alternative only when the word, as written or
    by a synonym, is in no article at all (jieba cut the text otherwise: 说卡, 提额): the
    characters of common words are in thousands of articles and make every statement
    slow, while a word the index has needs no such help."""
    syntax = TSQUERY if connection.vendor == "postgresql" else FTS5
    pruned = []
    with _index_scans() as cursor:
        for group in groups:
            if any(a.characters for a in group.alternatives):
                words = syntax.group(group, True)
                query = words if syntax is TSQUERY else f"{TEXT_COLUMNS} : {words}"
                if _exists(cursor, query):
                    group = Group(
                        group.word, tuple(a for a in group.alternatives if not a.characters)
                    )
            pruned.append(group)
    return pruned


# --- running a search --------------------------------------------------------------------


#: Past this many articles a search says "more than" instead of counting them all.
MAX_COUNT = 1000


def _count(cursor, query: str, cap: int) -> int:
    """The articles of a tier, counted up to ``cap`` (the index stops there)."""
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM knowledge_searchentry "
            "WHERE document @@ CAST(%s AS tsquery) LIMIT %s) t",
            [query, cap],
        )
    else:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT %s)",
            [query, cap],
        )
    return int(cursor.fetchone()[0])


def _rank(cursor, query, text, exclude, limit, offset) -> list[tuple[int, float]]:
    """Ranked ids of the tier ``query`` less the tier ``exclude`` (None: nothing);
    PostgreSQL ranks with ``text``, the query's words or-ed (``ts_rank``: how often and
    where they are; the tier already says how many of them)."""
    if connection.vendor == "postgresql":
        excluded = "AND NOT (document @@ CAST(%s AS tsquery)) " if exclude else ""
        cursor.execute(
            "SELECT article_id, ts_rank(%s, document, CAST(%s AS tsquery)) AS score "
            "FROM knowledge_searchentry "
            f"WHERE document @@ CAST(%s AS tsquery) {excluded}"
            "ORDER BY score DESC, article_id LIMIT %s OFFSET %s",
            [PG_WEIGHTS, text, query, *([exclude] if exclude else []), limit, offset],
        )
        return [(r[0], float(r[1])) for r in cursor.fetchall()]
    excluded = (
        f"AND rowid NOT IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) "
        if exclude
        else ""
    )
    weights = ", ".join(str(w) for w in BM25_WEIGHTS)
    cursor.execute(
        f"SELECT rowid, bm25({FTS_TABLE}, {weights}) AS score FROM {FTS_TABLE} "
        f"WHERE {FTS_TABLE} MATCH %s {excluded}ORDER BY score ASC, rowid LIMIT %s OFFSET %s",
        [query, *([exclude] if exclude else []), limit, offset],
    )
    return [(r[0], -float(r[1])) for r in cursor.fetchall()]


def run(
    groups: Sequence[Group], filters: Filters, *, limit: int = 20, offset: int = 0
) -> tuple[list[Hit], int]:
    """The page ``[offset, offset + limit)`` of hits and the number of articles found (at
    most :data:`MAX_COUNT`; more than that returns ``MAX_COUNT + 1``).

    Tiers (:func:`tiers`) are counted only as far as the page needs (cheap: the filters are
    facet terms of the same index, so no statement joins another table), and only the
    tiers the page reaches are ranked: ranking the articles that share one common word
    with the query is the costly part, needed only when fewer have more of the words.
    """
    if not groups:
        return [], 0
    syntax = TSQUERY if connection.vendor == "postgresql" else FTS5
    texts = tiers(groups, syntax)
    queries = [_filtered(text, filters) for text in texts]
    rank_text = " | ".join(syntax.group(g, True) for g in groups)
    end = offset + limit
    hits: list[Hit] = []
    with _index_scans() as cursor:
        before = 0
        for index, query in enumerate(queries):
            last = index == len(queries) - 1
            found = _count(cursor, query, MAX_COUNT + 1 if last else end)
            if offset < found and before < end:
                exclude = queries[index - 1] if index else None
                start = max(0, offset - before)
                ranked = _rank(cursor, query, rank_text, exclude, end - max(before, offset), start)
                hits.extend(Hit(pk, score, index == 0) for pk, score in ranked)
            before = found
            if found >= end and not last:
                # the page is full: only the total is left to count
                before = _count(cursor, queries[-1], MAX_COUNT + 1)
                break
    return hits[:limit], before
