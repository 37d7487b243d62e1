"""Property-based fuzzing of the whole REST API with Schemathesis, against the app's own
OpenAPI schema (``/api/v1/openapi.json``) through its WSGI application.

Every operation is called as two roles (an agent and the operations supervisor, each with
a personal API token) with requests generated from the schema; a run fails on any 5xx
answer, an undocumented status code, a wrong content type or a body that does not match
the documented schema (errors included: ``{"detail": str, "errors": [...]}``).

Bounded for the suite (a fixed seed, a few examples per operation and role; about a
minute on two cores). A longer run on demand::

    CCOPS_FUZZ_EXAMPLES=60 CCOPS_FUZZ_SEED=7 .venv/bin/pytest tests/web/test_fuzz_api.py -q

(``CCOPS_FUZZ_SHRINK=1`` also shrinks a failing example to its smallest form.)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re

import pytest
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, seed, settings

from ccops.core import services as core_services
from ccops.core.testing import API_SCHEMA_URL, build_world
from ccops.incidents import surge
from ccops.meetings import services as meeting_services
from ccops.shiftops import services as shift_services
from tests.incidents import helpers as incident_helpers
from tests.meetings.helpers import item, meeting
from tests.shiftops.helpers import handover, signed_handover
from tests.wfm.fixtures import agent_shift, agent_swap, agent_time_off

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("CCOPS_FUZZ_EXAMPLES", "3"))
SEED = int(os.environ.get("CCOPS_FUZZ_SEED", "12"))
SHRINK = os.environ.get("CCOPS_FUZZ_SHRINK", "") not in ("", "0")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
ROLES = ("agent", "operations_supervisor")
MAX_REPORTED = 30


def _sample_rows(w) -> None:
    """Rows of every shift-operations and meetings kind, so that the fuzzer meets real
    records (open and signed handovers, diary entries, briefings, action items...)."""
    for hours in (4, 1):  # one closed by the signed handover, one open
        shift_services.diary_entry_write(
            site=w.site,
            time=timezone.now() - dt.timedelta(hours=hours),
            category="systems",
            text="CRM slow",
            actor=w.users["group_manager"],
        )
        if hours == 4:
            signed_handover(w, when=timezone.now() - dt.timedelta(hours=3))
    handover(w)
    shift_services.briefing_record(
        site=w.site,
        kind="pre_shift",
        held_at=timezone.now(),
        led_by=w.employees["group_manager"],
        attendees=[w.employees["agent"]],
        team=w.group1,
        actor=w.users["group_manager"],
    )
    m = meeting(w)
    item(w, m)
    meeting_services.emergency_request_raise(
        site=w.site,
        reason="CRM down",
        proposed_at=timezone.now() + dt.timedelta(hours=1),
        actor=w.users["group_manager"],
    )
    agent_shift(w)  # a published week, a time-off request and a swap
    agent_time_off(w)
    agent_swap(w)
    meeting_services.experience_exchange_record(
        site=w.site,
        held_on=timezone.localdate(),
        topic="Difficult callers",
        participants=[w.employees["agent"]],
        actor=w.users["quality_supervisor"],
    )
    # incidents: one recovered with its fault record written and a surge plan, one closed
    incident = incident_helpers.recovered(w, kind="break_in", systems=["building"])
    incident_helpers.write_fault(w, incident)
    surge.surge_plan_create(
        incident=incident, queue=w.queue, actor=w.users["operations_supervisor"]
    )
    incident_helpers.closed(w)


def _pin_path_ids(raw: dict, client: Client) -> None:
    """Point the ``{pk}`` of every ``/things/{pk}...`` operation at rows that exist (read
    from the ``/things/`` list as the supervisor) and one that does not."""
    for path, methods in raw["paths"].items():
        match = re.match(r"^(.*/)\{pk\}", path)
        if not match:
            continue
        listing = match.group(1)
        if "get" not in raw["paths"].get(listing, {}):
            continue
        response = client.get(listing, {"page_size": 500})
        if response.status_code != 200:
            continue
        body = response.json()
        rows = body["items"] if isinstance(body, dict) else body
        ids = [*[row["id"] for row in rows if "id" in row][:12], 987654]
        for operation in methods.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] == "pk":
                    parameter["schema"] = {"type": "integer", "enum": ids}


def _fuzz(operation, headers: dict) -> str | None:
    phases = [Phase.explicit, Phase.generate] + ([Phase.shrink] if SHRINK else [])

    @seed(SEED)
    @settings(
        max_examples=EXAMPLES,
        derandomize=False,
        database=None,
        deadline=None,
        phases=phases,
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(case=operation.as_strategy())
    def run(case):
        # Each request in a savepoint rolled back afterwards: every example meets the same
        # rows, and a database error cannot poison the test's transaction (PostgreSQL).
        with transaction.atomic():
            response = case.call(headers=headers)
            transaction.set_rollback(True)
        case.validate_response(response, checks=CHECKS)

    try:
        run()
    except (Exception, BaseExceptionGroup) as exc:  # a failed check or a crash: report it
        first = str(exc).strip().splitlines()
        return f"{operation.label}: {' | '.join(first[:6])[:600]}"
    return None


@contextlib.contextmanager
def wsgi_keeps_the_test_connection():
    """Requests through the WSGI application send Django's request signals, whose
    ``close_old_connections`` would close the test's connection on PostgreSQL (it is in a
    transaction): detach it as Django's own test client does (which reconnects it after
    each of its requests, so this wraps the WSGI calls only)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_every_api_operation_survives_fuzzing_as_an_agent_and_a_supervisor():
    w = build_world()
    _sample_rows(w)
    tokens = {
        slug: core_services.api_token_create(user=w.users[slug], name="fuzz", actor=None)[1]
        for slug in ROLES
    }
    supervisor = Client()
    supervisor.force_login(w.users["operations_supervisor"])
    raw = supervisor.get(API_SCHEMA_URL).json()
    _pin_path_ids(raw, supervisor)
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = get_wsgi_application()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 100
    failures = []
    with wsgi_keeps_the_test_connection():
        for slug in ROLES:
            headers = {"Authorization": f"Bearer {tokens[slug]}"}
            for operation in operations:
                failure = _fuzz(operation, headers)
                if failure:
                    failures.append(f"[{slug}] {failure}")
    shown = "\n".join(failures[:MAX_REPORTED])
    assert not failures, f"{len(failures)} operations failed under fuzzing:\n{shown}"
