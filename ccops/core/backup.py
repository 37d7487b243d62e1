"""Backups of the whole database, and restoring one into an empty database.

* SQLite: SQLite's online backup API (``sqlite3.Connection.backup``) copies a consistent
  snapshot while the server and workers keep running; the backup is itself a SQLite file.
* PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore`` (the PostgreSQL client tools,
  which must be installed and not older than the server); connection settings go through
  the ``PG*`` environment variables, never the command line.

A restore goes into an empty database (the tables are created from the backup), unless
``force`` is given: then the current content is replaced (SQLite: the old file is kept
beside it as ``<name>.before-restore-<time>``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


def _kind(settings_dict: dict) -> str:
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"backups support SQLite and PostgreSQL, not {engine}")


def default_name(settings_dict: dict) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    ext = "sqlite3" if _kind(settings_dict) == "sqlite" else "pgdump"
    return f"ccops-{stamp}.{ext}"


# --- SQLite -------------------------------------------------------------------------------


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
    )
    return [r[0] for r in rows]


def _sqlite_backup(connection, out: Path) -> None:
    connection.ensure_connection()
    source = connection.connection  # the live sqlite3 connection (also an in-memory one)
    tmp = out.with_name(out.name + ".partial")
    tmp.unlink(missing_ok=True)
    target = sqlite3.connect(tmp)
    try:
        source.backup(target)
    finally:
        target.close()
    tmp.replace(out)


def _sqlite_restore(backup: Path, target: Path, *, force: bool) -> None:
    with contextlib.closing(sqlite3.connect(backup)) as check:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"{backup} is damaged (SQLite integrity check failed)")
    if target.exists() and target.stat().st_size:
        with contextlib.closing(sqlite3.connect(target)) as current:
            if _sqlite_tables(current) and not force:
                raise BackupError(
                    f"{target} is not empty: restore into an empty database, or use "
                    "--force to replace its content (stop the server and workers first)"
                )
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        keep = target.with_name(f"{target.name}.before-restore-{stamp}")
        shutil.copy2(target, keep)
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(backup)
    dest = sqlite3.connect(target)
    try:
        source.backup(dest)
    finally:
        source.close()
        dest.close()


# --- PostgreSQL ---------------------------------------------------------------------------


def _pg_env(settings_dict: dict) -> dict:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    env["PGDATABASE"] = str(settings_dict["NAME"])
    return env


def _tool(name: str) -> str:
    exe = shutil.which(name)
    if exe is None:
        raise BackupError(
            f"{name} not found: install the PostgreSQL client tools, the same major version "
            f"as the server or newer (Debian: apt-get install postgresql-client)"
        )
    return exe


def _run(command: list[str], env: dict, what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(
            f"{what} failed: " + (" ".join(detail[-3:]) or f"exit {result.returncode}")
        )


def _pg_backup(settings_dict: dict, out: Path) -> None:
    tmp = out.with_name(out.name + ".partial")
    command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
    _run([*command, f"--file={tmp}"], _pg_env(settings_dict), "pg_dump")
    tmp.replace(out)


def _pg_has_tables(settings_dict: dict) -> bool:
    import psycopg

    params = {
        "dbname": settings_dict["NAME"],
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
    }
    try:
        with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as conn:
            row = conn.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
            ).fetchone()
    except psycopg.OperationalError as exc:
        raise BackupError(f"cannot connect to database {settings_dict['NAME']}: {exc}") from None
    return row[0] > 0


def _pg_restore(backup: Path, settings_dict: dict, *, force: bool) -> None:
    exe = _tool("pg_restore")
    has_tables = _pg_has_tables(settings_dict)
    if has_tables and not force:
        raise BackupError(
            f"database {settings_dict['NAME']} is not empty: restore into an empty database "
            "(createdb), or use --force to replace its content (stop the server and workers "
            "first)"
        )
    command = [exe, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    if has_tables:
        command += ["--clean", "--if-exists"]
    _run(
        [*command, f"--dbname={settings_dict['NAME']}", str(backup)],
        _pg_env(settings_dict),
        "pg_restore",
    )


# --- entry points -------------------------------------------------------------------------


def backup_database(connection, out: Path) -> Path:
    """Write a backup of ``connection``'s database to ``out`` (a file, or a folder for a
    file with a time-stamped name); returns the file."""
    settings_dict = connection.settings_dict
    out = Path(out)
    if out.is_dir():
        out = out / default_name(settings_dict)
    if out.exists():
        raise BackupError(f"{out} exists: choose another file name")
    out.parent.mkdir(parents=True, exist_ok=True)
    if _kind(settings_dict) == "sqlite":
        _sqlite_backup(connection, out)
    else:
        _pg_backup(settings_dict, out)
    return out


def restore_database(backup: Path, settings_dict: dict, *, force: bool = False) -> None:
    """Restore the backup file into the database of ``settings_dict`` (a Django
    ``DATABASES`` entry)."""
    backup = Path(backup)
    if not backup.is_file():
        raise BackupError(f"{backup}: no such backup file")
    with backup.open("rb") as fh:
        head = fh.read(16)
    kind = _kind(settings_dict)
    if head.startswith(SQLITE_MAGIC):
        if kind != "sqlite":
            raise BackupError(f"{backup} is a SQLite backup; this database is PostgreSQL")
        name = str(settings_dict["NAME"])
        if name == ":memory:" or name.startswith("file:"):
            raise BackupError("cannot restore into an in-memory database")
        _sqlite_restore(backup, Path(name), force=force)
    elif head.startswith(PGDUMP_MAGIC):
        if kind != "postgresql":
            raise BackupError(f"{backup} is a PostgreSQL backup; this database is SQLite")
        _pg_restore(backup, settings_dict, force=force)
    else:
        raise BackupError(f"{backup} is not a ccops backup (neither SQLite nor pg_dump)")
