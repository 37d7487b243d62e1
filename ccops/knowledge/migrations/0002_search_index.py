"""The database side of the search index: an FTS5 table on SQLite, a tsvector column with a
GIN index on PostgreSQL, both kept by triggers (see ccops.knowledge.search.backends, whose
queries expect these columns). The statements are frozen here as they were written; a
later change of the index is a new migration."""

from django.db import migrations

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE knowledge_search_fts USING fts5(\n        title_tokens, tags_tokens, body_tokens, facet_tokens,\n        content='knowledge_searchentry', content_rowid='article_id',\n        tokenize='unicode61 remove_diacritics 0')",
    'CREATE TRIGGER knowledge_searchentry_ai AFTER INSERT ON knowledge_searchentry BEGIN\n        INSERT INTO knowledge_search_fts(rowid, title_tokens, tags_tokens, body_tokens, facet_tokens)\n        VALUES (new.article_id, new.title_tokens, new.tags_tokens, new.body_tokens,\n                new.facet_tokens);\n    END',
    "CREATE TRIGGER knowledge_searchentry_ad AFTER DELETE ON knowledge_searchentry BEGIN\n        INSERT INTO knowledge_search_fts(knowledge_search_fts, rowid, title_tokens, tags_tokens, body_tokens,\n                                facet_tokens)\n        VALUES ('delete', old.article_id, old.title_tokens, old.tags_tokens, old.body_tokens,\n                old.facet_tokens);\n    END",
    "CREATE TRIGGER knowledge_searchentry_au AFTER UPDATE ON knowledge_searchentry BEGIN\n        INSERT INTO knowledge_search_fts(knowledge_search_fts, rowid, title_tokens, tags_tokens, body_tokens,\n                                facet_tokens)\n        VALUES ('delete', old.article_id, old.title_tokens, old.tags_tokens, old.body_tokens,\n                old.facet_tokens);\n        INSERT INTO knowledge_search_fts(rowid, title_tokens, tags_tokens, body_tokens, facet_tokens)\n        VALUES (new.article_id, new.title_tokens, new.tags_tokens, new.body_tokens,\n                new.facet_tokens);\n    END",
    "INSERT INTO knowledge_search_fts(knowledge_search_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    'DROP TRIGGER IF EXISTS knowledge_searchentry_ai',
    'DROP TRIGGER IF EXISTS knowledge_searchentry_ad',
    'DROP TRIGGER IF EXISTS knowledge_searchentry_au',
    'DROP TABLE IF EXISTS knowledge_search_fts',
]
PG_CREATE = [
    "ALTER TABLE knowledge_searchentry ADD COLUMN document tsvector NOT NULL DEFAULT ''",
    "CREATE FUNCTION knowledge_searchentry_document() RETURNS trigger AS $$\n    BEGIN\n        NEW.document := coalesce((\n            SELECT string_agg(\n                CASE WHEN length(u.tok) = 1 AND u.tok !~ '^[0-9a-z]$' THEN quote_literal(u.tok)\n                ELSE quote_literal(u.tok) || ':' || least(u.pos, 16383) || u.w END, ' ')\n            FROM (\n                SELECT t.tok AS tok, t.pos + 0 AS pos, 'A' AS w\n        FROM unnest(string_to_array(NEW.title_tokens, ' ')) WITH ORDINALITY AS t(tok, pos)\n                UNION ALL\n                SELECT t.tok AS tok, t.pos + 1000 AS pos, 'B' AS w\n        FROM unnest(string_to_array(NEW.tags_tokens, ' ')) WITH ORDINALITY AS t(tok, pos)\n                UNION ALL\n                SELECT t.tok AS tok, t.pos + 2000 AS pos, 'C' AS w\n        FROM unnest(string_to_array(NEW.body_tokens, ' ')) WITH ORDINALITY AS t(tok, pos)\n                UNION ALL\n                SELECT '#' || t.tok AS tok, t.pos + 16000 AS pos, 'D' AS w\n        FROM unnest(string_to_array(NEW.facet_tokens, ' ')) WITH ORDINALITY AS t(tok, pos)\n            ) u WHERE u.tok <> '' AND u.tok <> '#'\n        ), '')::tsvector;\n        RETURN NEW;\n    END\n    $$ LANGUAGE plpgsql",
    'CREATE TRIGGER knowledge_searchentry_document BEFORE INSERT OR UPDATE\n        ON knowledge_searchentry FOR EACH ROW EXECUTE FUNCTION knowledge_searchentry_document()',
    'CREATE INDEX knowledge_searchentry_document_gin ON knowledge_searchentry USING GIN (document)',
    'UPDATE knowledge_searchentry SET title_tokens = title_tokens',
]
PG_DROP = [
    'DROP TRIGGER IF EXISTS knowledge_searchentry_document ON knowledge_searchentry',
    'DROP FUNCTION IF EXISTS knowledge_searchentry_document()',
    'DROP INDEX IF EXISTS knowledge_searchentry_document_gin',
    'ALTER TABLE knowledge_searchentry DROP COLUMN IF EXISTS document',
]


def _run(schema_editor, statements):
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise RuntimeError(f"the knowledge search supports SQLite and PostgreSQL, not {vendor}")
    _run(schema_editor, {"sqlite": SQLITE_CREATE, "postgresql": PG_CREATE})


def backwards(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": PG_DROP})


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
