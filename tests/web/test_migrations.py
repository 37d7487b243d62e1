"""The suite builds its databases from the models (``--nomigrations``); this test runs every
migration, in order, into an empty database (SQLite, and a scratch PostgreSQL database on
the PostgreSQL run), and checks that the models need no migration that is not written."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

REPO = Path(__file__).resolve().parents[2]


SCRIPT = """
import django
from io import StringIO
from django.core.management import call_command
django.setup()
call_command("migrate", interactive=False, verbosity=0)
from django.db.migrations.recorder import MigrationRecorder
applied = {(m.app, m.name) for m in MigrationRecorder.Migration.objects.all()}
assert ("knowledge", "0002_search_index") in applied, sorted(applied)
call_command("makemigrations", check=True, dry_run=True, verbosity=0)
print("ok", len(applied))
"""


def _migrate_and_check(database_url: str) -> None:
    """One process: every migration from empty, the search index's among them, then no
    model change without its migration (``makemigrations --check`` exits non-zero)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CCOPS_", "PYTEST"))}
    env.update(
        PYTHONPATH=str(REPO),
        CCOPS_DATABASE_URL=database_url,
        CCOPS_DEMO="1",
        DJANGO_SETTINGS_MODULE="ccops.web.settings",
    )
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=600,
    )
    assert done.returncode == 0 and done.stdout.startswith("ok"), (done.stdout + done.stderr)[
        -3000:
    ]


@pytest.mark.django_db
def test_every_migration_runs_into_an_empty_database(tmp_path):
    if connection.vendor != "postgresql":
        _migrate_and_check(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
        return
    import psycopg

    settings = connection.settings_dict
    name = f"ccops_migrations_{uuid.uuid4().hex[:8]}"
    server = (
        f"postgresql://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/postgres"
    )
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        _migrate_and_check(server.rsplit("/", 1)[0] + f"/{name}")
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
