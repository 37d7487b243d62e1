"""Sample processes and projects for the tests."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from ccops.core import audit
from ccops.processes import services
from ccops.wfm.models import IntervalStat

_n = itertools.count(1)


def process(w, category="operational", owner="group_manager", actor="general_supervisor"):
    return services.process_register(
        code=f"P{next(_n)}",
        name="Handling of lost-card calls",
        category=category,
        owner=w.employees[owner],
        description="1. Verify the caller.\n2. Block the card.\n3. Offer a replacement.",
        effective_from=timezone.localdate(),
        actor=w.users[actor],
    )


def approve_first(w, p):
    """Submit and approve the first version of ``p`` (reviewer by its category)."""
    version = p.versions.get(number=1)
    services.version_submit(version=version, actor=version.author)
    reviewer = "operations_supervisor" if p.category == "operational" else "center_director"
    return services.version_review(version=version, approve=True, actor=w.users[reviewer])


def stats(w, day: dt.date, *, offered=100, within=70, abandoned=10, aht=300.0, intervals=4):
    """Interval statistics of the world's queue on ``day`` (site time)."""
    start = dt.datetime.combine(day, dt.time(9), tzinfo=w.site.zone)
    with audit.acting_as(None, via=audit.VIA_SYSTEM):
        IntervalStat.objects.bulk_create(
            [
                IntervalStat(
                    site=w.site,
                    queue=w.queue,
                    interval_start=start + dt.timedelta(minutes=30 * i),
                    interval_minutes=30,
                    offered=offered,
                    answered=offered - abandoned,
                    abandoned=abandoned,
                    answered_within_target=within,
                    aht_seconds=aht,
                    asa_seconds=20.0,
                )
                for i in range(intervals)
            ],
            ignore_conflicts=True,
        )


def project(w, p=None, lead="group_manager"):
    if p is None:
        p = process(w)
        approve_first(w, p)
    return services.project_start(
        process=p,
        title="Fewer abandoned calls at lunch",
        lead=w.employees[lead],
        members=[w.employees["agent"]],
        problem="Abandonment doubles between 12:00 and 13:30.",
        goal="Halve abandonment at lunch",
        actor=w.users[lead],
    )
