"""Results computed from rows that change rarely, kept until those rows change.

A page that projects a week's coverage through an LP and the queueing models spends most of
its time recomputing the same answer: the shifts it depends on change a few times a day,
the page is read hundreds of times. :func:`remember` keeps a result in Django's cache
under a *stamp* of the rows it was computed from (:func:`rows_stamp`: how many there are,
archived ones included, and when the last one changed), so any change to them (a save, an
archive, a queryset ``update()``, a bulk insert) gives a new key and the next read
recomputes. Nothing is invalidated by hand, and nothing stale can be served as long as the
stamp names every table the result reads.

The cache is the process's own memory by default (``CACHES`` in the settings); every web
process keeps its own copy, bounded by ``MAX_ENTRIES``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

from django.core.cache import cache
from django.db.models import Count, Max, QuerySet

T = TypeVar("T")

#: How long a remembered result is kept at most (a bound on memory, not on staleness).
REMEMBER_SECONDS = 6 * 3600


def rows_stamp(queryset: QuerySet) -> tuple[int, str]:
    """``(count, last change)`` of the rows of ``queryset`` (one aggregate query). Pass an
    ``all_objects`` queryset so that archiving a row changes the stamp too."""
    row = queryset.aggregate(n=Count("pk"), t=Max("updated_at"))
    return row["n"], row["t"].isoformat() if row["t"] else ""


def remember(
    namespace: str,
    stamp: tuple,
    compute: Callable[[], T],
    *,
    keep: Callable[[T], bool] | None = None,
) -> T:
    """``compute()``'s result, from the cache when it was computed under the same ``stamp``
    (a result ``keep`` refuses, one still waiting for a background task, is not kept)."""
    digest = hashlib.sha256(repr(stamp).encode()).hexdigest()[:32]
    key = f"ccops:{namespace}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        if keep is None or keep(value):
            cache.set(key, value, REMEMBER_SECONDS)
    return value


#: The reads of one GET request that several parts of its page repeat (the reader's
#: employee record: a dozen home-page panels ask for it), or None outside a request.
_REQUEST_MEMO: ContextVar[dict | None] = ContextVar("ccops_request_memo", default=None)


def per_request(key, compute: Callable[[], T]) -> T:
    """``compute()`` once per GET request (each call outside one computes again)."""
    memo = _REQUEST_MEMO.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


class RequestMemoMiddleware:
    """Give each GET/HEAD request its :func:`per_request` memo. Requests that write get
    none: what they change must be read again, not remembered from before the change."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        token = _REQUEST_MEMO.set({})
        try:
            return self.get_response(request)
        finally:
            _REQUEST_MEMO.reset(token)
