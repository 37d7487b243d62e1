"""Exit 0 if the PostgreSQL server of a database URL accepts connections, else 1.

Used by ``make test`` to decide whether the PostgreSQL run of the suite can go.
"""

from __future__ import annotations

import sys


def reachable(url: str) -> bool:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return False
    try:
        with psycopg.connect(url.replace("postgres://", "postgresql://", 1), connect_timeout=3):
            return True
    except psycopg.Error:
        return False


if __name__ == "__main__":
    raise SystemExit(0 if reachable(sys.argv[1]) else 1)
