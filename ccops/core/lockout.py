"""Lock-out after failed logins (django-axes), per user name and per client address.

The manual's rule locks an account after ``CCOPS_LOCKOUT_FAILURES`` failed logins; an
attacker who tries many user names from one address is stopped too, after
``CCOPS_LOCKOUT_ADDRESS_FAILURES`` failures from that address (a higher limit, since one
office may sit behind one address). Axes compares one failure count with one limit, so
:class:`LockoutHandler` reports the failures measured against the user-name limit: the
user name's own count, or the full limit once the address has reached its limit.

Behind a reverse proxy the client address is the proxy's unless ``CCOPS_PROXY_COUNT`` says
how many proxies append to ``X-Forwarded-For`` (see :func:`client_ip`).
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def _count(queryset) -> int:
    return queryset.aggregate(n=Sum("failures_since_start"))["n"] or 0


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a separate, higher limit per address."""

    def get_failures(self, request, credentials=None) -> int:
        by_user, by_address = self.get_user_attempts(request, credentials)
        failures = _count(by_user)
        if _count(by_address) >= settings.CCOPS_LOCKOUT_ADDRESS_FAILURES:
            failures = max(failures, settings.AXES_FAILURE_LIMIT)
        return failures


def client_ip(request) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or with ``CCOPS_PROXY_COUNT=n`` trusted
    proxies the address the n-th proxy from us saw (``X-Forwarded-For``, right to left),
    so a client cannot forge its address by sending the header itself."""
    count = settings.CCOPS_PROXY_COUNT
    if count > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


def username_locked(username: str) -> bool:
    """Is this user name locked out now (too many failed logins within the cool-off)?"""
    attempts = AccessAttempt.objects.filter(
        username=username, attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME
    )
    return _count(attempts) >= settings.AXES_FAILURE_LIMIT
