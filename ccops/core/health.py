"""``/healthz``: is this web process able to serve? For load balancers and monitoring.

JSON, no login, no secrets (no host names, versions or database names)::

    {"status": "ok", "database": {"ok": true, "ms": 1.4},
     "worker": {"ok": true, "last_seen_seconds": 3.2, "alive": 1}}

200 while the database answers (``status`` is ``degraded`` when no background worker has
been seen within ``CCOPS_JOB_STALE_SECONDS``: pages work, background tasks wait); 503 when
the database does not answer.
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from ccops.core.jobs import stale_seconds
from ccops.core.models import WorkerHeartbeat


@login_not_required
@never_cache
@require_safe
def healthz(request):
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        latest = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True)
        seen = latest.first()
        now = timezone.now()
        alive = WorkerHeartbeat.objects.filter(
            seen_at__gte=now - timedelta(seconds=stale_seconds())
        ).count()
    except DatabaseError:
        return JsonResponse(
            {"status": "error", "database": {"ok": False}, "worker": {"ok": None}}, status=503
        )
    ms = round((time.perf_counter() - started) * 1000, 1)
    age = None if seen is None else round((now - seen).total_seconds(), 1)
    worker_ok = alive > 0
    return JsonResponse(
        {
            "status": "ok" if worker_ok else "degraded",
            "database": {"ok": True, "ms": ms},
            "worker": {"ok": worker_ok, "last_seen_seconds": age, "alive": alive},
        }
    )
