"""`ccops backup` and `ccops restore`: a backup restored into an empty database has every
row and every audit entry of the original, on SQLite and on PostgreSQL."""

from __future__ import annotations

import sqlite3
from urllib.parse import quote

import pytest
from django.db import connection

from ccops.cli import main
from ccops.core import backup as backup_module
from ccops.core import services
from ccops.core.models import AuditEntry
from ccops.core.testing import build_world
from ccops.people import services as people_services

pytestmark = pytest.mark.django_db(transaction=True)


def _some_history():
    """A small center, and changes that leave audit entries of several kinds."""
    w = build_world()
    director = w.users["center_director"]
    services.record_update(w.queue, data={"name": "=Retail 'quoted' 零售"}, actor=director)
    people_services.employee_archive(employee=w.other_employee, actor=director)
    services.api_token_create(user=w.users["agent"], name="laptop", actor=w.users["agent"])
    return w


def _tables() -> list[str]:
    return sorted(connection.introspection.table_names())


def _rows(cursor, table: str, quote_char='"') -> list:
    cursor.execute(f"SELECT * FROM {quote_char}{table}{quote_char}")
    return sorted(cursor.fetchall(), key=repr)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backup")
def test_sqlite_backup_restores_every_row_and_audit_entry(tmp_path, capsys):
    _some_history()
    file = tmp_path / "ccops.sqlite3"
    assert main(["backup", "--out", str(file)]) == 0
    assert "Backup written" in capsys.readouterr().out
    target = tmp_path / "restored" / "ccops.sqlite3"
    assert main(["restore", str(file), "--database-url", f"sqlite:///{target}"]) == 0

    restored = sqlite3.connect(target)
    # the original through a plain driver connection too (Django's converts the values);
    # the test database is a shared in-memory one, reachable by its URI
    original = sqlite3.connect(connection.settings_dict["NAME"], uri=True).cursor()
    for table in _tables():
        assert _rows(restored.cursor(), table) == _rows(original, table), table
    audit = restored.execute("SELECT count(*) FROM core_auditentry").fetchone()[0]
    assert audit == AuditEntry.objects.count() > 5
    restored.close()

    # a database that is not empty is not overwritten by mistake
    assert main(["restore", str(file), "--database-url", f"sqlite:///{target}"]) == 2
    assert "is not empty" in capsys.readouterr().err
    assert main(["restore", str(file), "--database-url", f"sqlite:///{target}", "--force"]) == 0
    assert list(target.parent.glob("ccops.sqlite3.before-restore-*"))


def test_a_file_that_is_no_backup_is_refused(tmp_path, capsys):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello")
    assert main(["restore", str(bogus), "--database-url", f"sqlite:///{tmp_path}/x.db"]) == 2
    assert "is not a ccops backup" in capsys.readouterr().err


def _pg_url(settings_dict, name: str) -> str:
    user = quote(settings_dict.get("USER") or "")
    password = f":{quote(settings_dict['PASSWORD'])}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backup")
def test_postgresql_backup_restores_every_row_and_audit_entry(tmp_path, capsys):
    import psycopg

    _some_history()
    source = connection.settings_dict
    name = f"{source['NAME']}_restore"  # derived from this run's own test database
    admin_url = _pg_url(source, "postgres")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        file = tmp_path / "ccops.pgdump"
        assert main(["backup", "--out", str(file)]) == 0, capsys.readouterr().err
        url = _pg_url(source, name)
        assert main(["restore", str(file), "--database-url", url]) == 0, capsys.readouterr().err
        plain = psycopg.connect(_pg_url(source, source["NAME"]))  # not Django's adapters
        with psycopg.connect(url) as restored, plain, plain.cursor() as original:
            for table in _tables():
                assert _rows(restored.cursor(), table) == _rows(original, table), table
            audit = restored.execute("SELECT count(*) FROM core_auditentry").fetchone()[0]
            assert audit == AuditEntry.objects.count() > 5
        assert main(["restore", str(file), "--database-url", url]) == 2
        assert "is not empty" in capsys.readouterr().err
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_without_pg_dump_the_error_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(backup_module.shutil, "which", lambda name: None)
    settings_dict = {"ENGINE": "django.db.backends.postgresql", "NAME": "x"}
    with pytest.raises(
        backup_module.BackupError, match="pg_dump not found: install the PostgreSQL client"
    ):
        backup_module._pg_backup(settings_dict, tmp_path / "x.pgdump")
