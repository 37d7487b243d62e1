"""The search test set (tests/knowledge/corpus.py): recall@5 of at least 0.9, on SQLite
and on PostgreSQL alike (the suite runs again with CCOPS_DATABASE_URL)."""

from __future__ import annotations

import pytest

from ccops.core.testing import build_world
from ccops.knowledge import search
from tests.knowledge.corpus import ARTICLES, QUERIES, SYNONYMS
from tests.knowledge.helpers import load_corpus

pytestmark = pytest.mark.django_db


def test_the_test_set_is_big_enough():
    assert len(ARTICLES) >= 40 and len(QUERIES) >= 40
    assert all(keys and set(keys) <= set(ARTICLES) for _q, keys in QUERIES)


def test_recall_at_5_on_the_test_set(django_db_blocker):
    w = build_world()
    made = load_corpus(w, ARTICLES, SYNONYMS)
    ids = {key: a.pk for key, a in made.items()}
    misses = []
    for query, keys in QUERIES:
        top = [r.article.pk for r in search.search(query, per_page=5).results]
        if not any(ids[k] in top for k in keys):
            names = [next(k for k, v in ids.items() if v == pk) for pk in top]
            misses.append(f"{query!r}: expected {keys}, got {names}")
    recall = 1 - len(misses) / len(QUERIES)
    print(f"recall@5 = {recall:.3f} ({len(QUERIES) - len(misses)}/{len(QUERIES)})")
    print("\n".join(misses))
    assert recall >= 0.9, "\n".join(misses)
