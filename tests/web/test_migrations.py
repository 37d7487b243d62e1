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


def _manage(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CCOPS_", "PYTEST"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(PYTHONPATH=str(REPO), CCOPS_DATABASE_URL=database_url, CCOPS_DEMO="1")
    return subprocess.run(
        [sys.executable, "-m", "ccops", "manage", *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=600,
    )


def _migrate_and_check(database_url: str) -> None:
    done = _manage(database_url, "migrate", "--no-input")
    assert done.returncode == 0, done.stderr[-3000:]
    # the search index migration ran: the full-text table or column exists
    shown = _manage(database_url, "showmigrations", "knowledge")
    assert "[X] 0002_search_index" in shown.stdout, shown.stdout + shown.stderr
    missing = _manage(database_url, "makemigrations", "--check", "--dry-run")
    assert missing.returncode == 0, missing.stdout + missing.stderr


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
