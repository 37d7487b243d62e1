"""Suite-wide fixtures: the real call-center data and the engine marker."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# Web tests: a fast password hasher (settings read it; the engine never imports Django).
os.environ.setdefault("CCOPS_FAST_PASSWORD_HASHER", "1")

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("CCOPS_SHARED_DATA", REPO.parent / "shared" / "data"))
ANONYMOUS_BANK = SHARED_DATA / "anonymous-bank-1999"


@pytest.fixture(autouse=True)
def _language_reset():
    """The language and the cache are reset after each test. Requests through the test
    client leave their language active in the thread (LocaleMiddleware activates and never
    deactivates); a test that reads a page in Chinese must not make the next test on the
    same worker speak Chinese."""
    yield
    if "django.utils.translation" in sys.modules:
        from django.utils import translation

        translation.deactivate()
    if "django.core.cache" in sys.modules:
        # results remembered under a stamp of their rows (ccops.core.cache): a rolled-back
        # test's rows must not answer for the next test's
        from django.core.cache import cache

        cache.clear()


# Tests of the pure engine and its command line: no database, so the PostgreSQL run skips them.
ENGINE_TEST_DIRS = (REPO / "tests" / "engine", REPO / "tests" / "cli")


# Tests whose outcome does not depend on the database engine, run once (on SQLite): the
# catalog check runs makemessages, the Chinese crawl reads the words of pages.
ONCE_TEST_FILES = {
    REPO / "tests" / "web" / "test_catalogs.py",
    REPO / "tests" / "web" / "test_chinese_pages.py",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = Path(str(item.fspath))
        if any(directory in path.parents for directory in ENGINE_TEST_DIRS):
            item.add_marker(pytest.mark.engine)
        if path in ONCE_TEST_FILES:
            item.add_marker(pytest.mark.once)


@pytest.fixture(scope="session")
def anonymous_bank_dir() -> Path:
    """The Anonymous Bank 1999 call records, read in place from ../shared/data.

    Skips (or fails, when CI sets CCOPS_REQUIRE_REALDATA) if they are absent: a
    user's fresh clone has no ../shared beside it.
    """
    files = sorted(ANONYMOUS_BANK.glob("anonymous_bank_1999-*.csv.gz"))
    if not files:
        reason = f"real data not found at {ANONYMOUS_BANK} (a clone without ../shared)"
        if os.environ.get("CCOPS_REQUIRE_REALDATA"):
            pytest.fail(reason)
        pytest.skip(reason)
    return ANONYMOUS_BANK


def pytest_configure(config):
    """pytest-django sets Django up before this file is imported, so the environment
    variable above comes too late for the settings module: switch the hasher here."""
    from django.conf import settings

    if settings.configured:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _flush_by_delete() -> None:
    """Empty the tables after a transactional test with ``DELETE`` instead of ``TRUNCATE``
    on PostgreSQL: the tables of a test are nearly empty, and a ``TRUNCATE`` of every
    table cost about a second per test (it replaces each table's files). Django's foreign
    keys are deferrable, so the order of the deletes does not matter inside the flush's
    transaction."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences or allow_cascade:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return ["SET CONSTRAINTS ALL DEFERRED;"] + [
            f"DELETE FROM {self.quote_name(table)};" for table in tables
        ]

    DatabaseOperations.sql_flush = sql_flush


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test databases come from the models (``--nomigrations``); the one migration that
    is raw SQL, the knowledge search index (FTS5 on SQLite, tsvector on PostgreSQL), is
    applied here from the migration itself so the two cannot differ."""
    from importlib import import_module

    from django.db import connections

    if any(c.vendor == "postgresql" for c in connections.all()):
        _flush_by_delete()
    search_index = import_module("ccops.knowledge.migrations.0002_search_index")
    with django_db_blocker.unblock():
        for connection in connections.all():
            with connection.schema_editor() as editor:
                search_index.forwards(None, editor)
