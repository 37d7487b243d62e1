"""Full-text search of articles on SQLite (FTS5, bm25) and PostgreSQL (a ``tsvector``
with a GIN index, ``ts_rank_cd``), over the same pre-segmented terms.

``knowledge_searchentry`` holds each article's terms as space-separated text, one column
per field (title, tags, body). The database keeps its own index of it, filled by
triggers (migration ``0002_search_index``):

* SQLite: an external-content FTS5 table ``knowledge_search_fts`` (``unicode61``
  tokenizer: our terms are runs of letters, digits or CJK characters, so it keeps them
  whole), ranked by ``bm25`` with the title weighted 10, tags 4, body 1;
* PostgreSQL: a ``document tsvector`` column built from the terms by a trigger as a
  tsvector *literal* (never through a text-search parser, which would drop CJK
  characters under a ``C`` locale), weights A (title), B (tags), C (body), a GIN index,
  and ``ts_rank_cd`` with the weights {D 0.1, C 0.3, B 0.6, A 1.0}.

A query is a list of :class:`~ccops.knowledge.search.segment.Group`. Both backends
return the articles matching *any* group, those matching *every* group first, each part
by rank, with the total count, in one statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection

from ccops.knowledge.search.segment import Alternative, Group

FTS_TABLE = "knowledge_search_fts"
BM25_WEIGHTS = (10.0, 4.0, 1.0)
PG_WEIGHTS = "{0.1,0.3,0.6,1.0}"


@dataclass(frozen=True)
class Hit:
    article_id: int
    score: float
    all_words: bool


@dataclass(frozen=True)
class Filters:
    """Which articles a search may return (ids of categories including their subtrees)."""

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


def fts5_query(groups: Sequence[Group], operator: str) -> str:
    """An FTS5 MATCH expression. ``AND``: every group; ``OR``: any group by its whole
    words or synonyms, or every group."""
    whole = operator == "OR"
    parts = [
        "(" + " OR ".join(_fts_alternative(a) for a in _alternatives(g, whole)) + ")"
        for g in groups
    ]
    parts = [p for p in parts if p != "()"]
    if operator == "AND":
        return " AND ".join(parts)
    every = fts5_query(groups, "AND")
    return " OR ".join([*parts, f"({every})"]) if len(groups) > 1 or not parts else every


def tsquery(groups: Sequence[Group], operator: str) -> str:
    """A PostgreSQL tsquery literal, the same as :func:`fts5_query`."""
    whole = operator == "OR"
    parts = [
        "(" + " | ".join(_pg_alternative(a) for a in _alternatives(g, whole)) + ")" for g in groups
    ]
    parts = [p for p in parts if p != "()"]
    if operator == "AND":
        return " & ".join(parts)
    every = tsquery(groups, "AND")
    return " | ".join([*parts, f"({every})"]) if len(groups) > 1 or not parts else every


# --- running a search --------------------------------------------------------------------


def _filter_sql(filters: Filters) -> tuple[str, list]:
    clauses: list[str] = ["1 = 1"]
    params: list = []
    if filters.states:
        clauses.append("a.state IN (" + ", ".join(["%s"] * len(filters.states)) + ")")
        params.extend(filters.states)
    if filters.category_ids is not None:
        ids = list(filters.category_ids) or [0]
        clauses.append("a.category_id IN (" + ", ".join(["%s"] * len(ids)) + ")")
        params.extend(ids)
    if filters.visibility:
        clauses.append("a.visibility = %s")
        params.append(filters.visibility)
    return " AND ".join(f"({c})" for c in clauses), params


def run(
    groups: Sequence[Group], filters: Filters, *, limit: int = 20, offset: int = 0
) -> tuple[list[Hit], int]:
    """The page ``[offset, offset + limit)`` of hits and the number of articles found."""
    if not groups:
        return [], 0
    where, params = _filter_sql(filters)
    several = len(groups) > 1
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            any_q = tsquery(groups, "OR")
            all_q = tsquery(groups, "AND") if several else any_q
            sql = (
                "SELECT a.id, ts_rank_cd(%s, e.document, q.any_q) AS score, "
                "e.document @@ q.all_q AS all_words, count(*) OVER () AS total "
                "FROM knowledge_searchentry e "
                "JOIN knowledge_article a ON a.id = e.article_id, "
                "(SELECT CAST(%s AS tsquery) AS any_q, CAST(%s AS tsquery) AS all_q) q "
                f"WHERE e.document @@ q.any_q AND {where} "
                "ORDER BY all_words DESC, score DESC, a.id LIMIT %s OFFSET %s"
            )
            cursor.execute(sql, [PG_WEIGHTS, any_q, all_q, *params, limit, offset])
        else:
            any_q = fts5_query(groups, "OR")
            w1, w2, w3 = BM25_WEIGHTS
            if several:
                all_words = f"f.rowid IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"
                all_params = [fts5_query(groups, "AND")]
            else:
                all_words, all_params = "1", []
            # bm25() must run in the statement that matches the FTS table: a
            # materialised CTE keeps it out of the window function's query.
            sql = (
                "WITH m AS MATERIALIZED ("
                f"SELECT f.rowid AS id, bm25({FTS_TABLE}, {w1}, {w2}, {w3}) AS score, "
                f"{all_words} AS all_words FROM {FTS_TABLE} f WHERE {FTS_TABLE} MATCH %s) "
                "SELECT a.id, m.score, m.all_words, count(*) OVER () AS total "
                f"FROM m JOIN knowledge_article a ON a.id = m.id WHERE {where} "
                "ORDER BY m.all_words DESC, m.score ASC, a.id LIMIT %s OFFSET %s"
            )
            cursor.execute(sql, [*all_params, any_q, *params, limit, offset])
        rows = cursor.fetchall()
    total = rows[0][3] if rows else 0
    if not rows and offset:
        total = count(groups, filters)
    hits = [Hit(article_id=r[0], score=float(r[1]), all_words=bool(r[2])) for r in rows]
    return hits, int(total)


def count(groups: Sequence[Group], filters: Filters) -> int:
    """The number of articles matching any group (a page past the end has no rows to
    carry the count)."""
    where, params = _filter_sql(filters)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM knowledge_searchentry e "
                "JOIN knowledge_article a ON a.id = e.article_id "
                f"WHERE e.document @@ CAST(%s AS tsquery) AND {where}",
                [tsquery(groups, "OR"), *params],
            )
        else:
            cursor.execute(
                f"SELECT count(*) FROM {FTS_TABLE} f JOIN knowledge_article a ON a.id = f.rowid "
                f"WHERE {FTS_TABLE} MATCH %s AND {where}",
                [fts5_query(groups, "OR"), *params],
            )
        return int(cursor.fetchone()[0])


# --- the database side of the index (used by the migration) ------------------------------

SQLITE_CREATE = [
    f"""CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        title_tokens, tags_tokens, body_tokens,
        content='knowledge_searchentry', content_rowid='article_id',
        tokenize='unicode61 remove_diacritics 0')""",
    f"""CREATE TRIGGER knowledge_searchentry_ai AFTER INSERT ON knowledge_searchentry BEGIN
        INSERT INTO {FTS_TABLE}(rowid, title_tokens, tags_tokens, body_tokens)
        VALUES (new.article_id, new.title_tokens, new.tags_tokens, new.body_tokens);
    END""",
    f"""CREATE TRIGGER knowledge_searchentry_ad AFTER DELETE ON knowledge_searchentry BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title_tokens, tags_tokens, body_tokens)
        VALUES ('delete', old.article_id, old.title_tokens, old.tags_tokens, old.body_tokens);
    END""",
    f"""CREATE TRIGGER knowledge_searchentry_au AFTER UPDATE ON knowledge_searchentry BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title_tokens, tags_tokens, body_tokens)
        VALUES ('delete', old.article_id, old.title_tokens, old.tags_tokens, old.body_tokens);
        INSERT INTO {FTS_TABLE}(rowid, title_tokens, tags_tokens, body_tokens)
        VALUES (new.article_id, new.title_tokens, new.tags_tokens, new.body_tokens);
    END""",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS knowledge_searchentry_ai",
    "DROP TRIGGER IF EXISTS knowledge_searchentry_ad",
    "DROP TRIGGER IF EXISTS knowledge_searchentry_au",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]

_PG_TERMS = """SELECT t.tok, t.pos + {offset} AS pos, '{weight}' AS w
        FROM unnest(string_to_array(NEW.{column}, ' ')) WITH ORDINALITY AS t(tok, pos)"""
PG_CREATE = [
    "ALTER TABLE knowledge_searchentry ADD COLUMN document tsvector NOT NULL DEFAULT ''",
    f"""CREATE FUNCTION knowledge_searchentry_document() RETURNS trigger AS $$
    BEGIN
        NEW.document := coalesce((
            SELECT string_agg(quote_literal(u.tok) || ':' || least(u.pos, 16383) || u.w, ' ')
            FROM (
                {_PG_TERMS.format(offset=0, weight="A", column="title_tokens")}
                UNION ALL
                {_PG_TERMS.format(offset=1000, weight="B", column="tags_tokens")}
                UNION ALL
                {_PG_TERMS.format(offset=2000, weight="C", column="body_tokens")}
            ) u WHERE u.tok <> ''
        ), '')::tsvector;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER knowledge_searchentry_document BEFORE INSERT OR UPDATE
        ON knowledge_searchentry FOR EACH ROW EXECUTE FUNCTION knowledge_searchentry_document()""",
    "CREATE INDEX knowledge_searchentry_document_gin ON knowledge_searchentry USING GIN (document)",
    "UPDATE knowledge_searchentry SET title_tokens = title_tokens",
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS knowledge_searchentry_document ON knowledge_searchentry",
    "DROP FUNCTION IF EXISTS knowledge_searchentry_document()",
    "DROP INDEX IF EXISTS knowledge_searchentry_document_gin",
    "ALTER TABLE knowledge_searchentry DROP COLUMN IF EXISTS document",
]


def create_index(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_CREATE, "postgresql": PG_CREATE}.get(vendor)
    if statements is None:
        raise RuntimeError(f"the knowledge search supports SQLite and PostgreSQL, not {vendor}")
    for sql in statements:
        schema_editor.execute(sql)


def drop_index(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_DROP, "postgresql": PG_DROP}.get(vendor, []):
        schema_editor.execute(sql)
