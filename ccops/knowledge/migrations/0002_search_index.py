"""The database side of the search index: FTS5 on SQLite, a tsvector with a GIN index on
PostgreSQL, both kept by triggers (see ccops.knowledge.search.backends)."""

from django.db import migrations

from ccops.knowledge.search import backends


def forwards(apps, schema_editor):
    backends.create_index(schema_editor)


def backwards(apps, schema_editor):
    backends.drop_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
