"""``ccops backup`` and ``ccops restore``: the whole database to one file and back.

SQLite through its online backup API (safe while the server runs), PostgreSQL through
``pg_dump``/``pg_restore`` (install the PostgreSQL client tools). A restore goes into an
empty database unless ``--force`` (see docs/deployment.md).
"""

from __future__ import annotations


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "backup",
        help="back up the database to a file (SQLite or PostgreSQL)",
        description="Write a consistent backup of the whole database (every record, the "
        "audit log, accounts) while the server keeps running. SQLite: a SQLite file; "
        "PostgreSQL: a pg_dump custom-format file.",
    )
    p.add_argument(
        "--out",
        default=None,
        help="file or folder (default: <data dir>/backups/ccops-<UTC time>.sqlite3|.pgdump)",
    )
    p.set_defaults(handler=run_backup)
    r = subparsers.add_parser(
        "restore",
        help="restore a backup into an empty database",
        description="Restore a file written by `ccops backup` into the database that "
        "CCOPS_DATABASE_URL (or --database-url) names. It must be empty (create it first) "
        "unless --force replaces its content; stop the server and workers during a restore.",
    )
    r.add_argument("file", help="the backup file")
    r.add_argument("--database-url", default=None, help="restore into this database instead")
    r.add_argument(
        "--force", action="store_true", help="replace the content of a database that is not empty"
    )
    r.set_defaults(handler=run_restore)


def run_backup(args) -> int:
    from ccops.cli import CommandError
    from ccops.cli._django import setup_django

    setup_django()
    from django.conf import settings
    from django.db import connection

    from ccops.core.backup import BackupError, backup_database

    out = args.out or settings.DATA_DIR / "backups"
    if args.out is None:
        (settings.DATA_DIR / "backups").mkdir(parents=True, exist_ok=True)
    try:
        path = backup_database(connection, out)
    except BackupError as exc:
        raise CommandError(str(exc)) from None
    print(f"Backup written: {path} ({path.stat().st_size:,} bytes)")
    return 0


def run_restore(args) -> int:
    from ccops.cli import CommandError
    from ccops.cli._django import setup_django

    setup_django()
    import dj_database_url
    from django.conf import settings

    from ccops.core.backup import BackupError, restore_database

    target = (
        dj_database_url.parse(args.database_url)
        if args.database_url
        else settings.DATABASES["default"]
    )
    try:
        restore_database(args.file, target, force=args.force)
    except BackupError as exc:
        raise CommandError(str(exc)) from None
    print(f"Restored {args.file} into {target['NAME']}.")
    print("Next: ccops manage migrate (if the backup is from an older version).")
    return 0
