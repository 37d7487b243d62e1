"""Shared test helpers every app's tests reuse (importable, no pytest fixtures needed).

* :func:`build_world` makes a small center: a site, queues, a calendar, an area with two
  groups, one user per role (each with an employee record) and a second agent in another
  group — enough to check scopes.
* :class:`PermissionMatrix` subclasses declare, for every page URL name and API operation
  of an app, which roles may use it; the generated tests check anonymous (login redirect /
  401), allowed roles (200/201/302) and the others (403). ``tests/web/test_matrix.py`` fails
  when a registered URL or API operation is in no matrix.
* :class:`OwnRowsTests` checks that an agent sees only their own rows of a model, on the
  list page, the detail page (404 for others) and the API.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from types import SimpleNamespace
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from ccops.core import audit
from ccops.core.roles import ROLES, sync_roles

_counter = itertools.count(1)
PASSWORD = "Test-password-42"


def make_user(role: str | None = None, *, username: str | None = None, **extra):
    """A user with ``role`` (a role slug) and the test password."""
    user_model = get_user_model()
    username = username or f"{role or 'user'}{next(_counter)}"
    user = user_model.objects.create_user(username=username, password=PASSWORD, **extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def build_world() -> SimpleNamespace:
    """A small center for permission tests (see module docstring). Returns a namespace with
    ``site, queue, period, area, group1, group2, skill, users[role], employees[role],
    other_agent, other_employee, other_skill`` and ``employee_skill`` (the agent's)."""
    from ccops.core.models import CalendarPeriod, Queue, Site
    from ccops.people.models import Employee, EmployeeSkill, Skill, Team

    if not Group.objects.filter(name="agent").exists():
        sync_roles()
    n = next(_counter)
    w = SimpleNamespace(users={}, employees={})
    with audit.acting_as(None, via=audit.VIA_SYSTEM):
        w.site = Site.objects.create(code=f"sh{n}", name=f"Shanghai {n}")
        w.queue = Queue.objects.create(site=w.site, code=f"retail{n}", name="Retail")
        today = date.today()
        w.period = CalendarPeriod.objects.create(
            site=w.site,
            kind="billing_period",
            name="Billing days",
            start_date=today,
            end_date=today + timedelta(days=3),
        )
        w.area = Team.objects.create(site=w.site, code=f"a{n}", name="Area A", kind="area")
        w.group1 = Team.objects.create(
            site=w.site, code=f"g{n}a", name="Group 1", kind="group", parent=w.area
        )
        other_area = Team.objects.create(site=w.site, code=f"b{n}", name="Area B", kind="area")
        w.group2 = Team.objects.create(
            site=w.site, code=f"g{n}b", name="Group 2", kind="group", parent=other_area
        )
        w.skill = Skill.objects.create(code=f"card{n}", name="Cards", queue=w.queue)
        for number, slug in enumerate(ROLES, 1):
            user = make_user(slug, username=f"{slug}{n}", first_name=str(ROLES[slug].name))
            team = {"agent": w.group1, "group_manager": w.group1, "area_manager": w.area}.get(slug)
            w.users[slug] = user
            w.employees[slug] = Employee.objects.create(
                user=user,
                employee_number=f"E{n}-{number:02d}",
                full_name=f"{slug} {n}",
                site=w.site,
                team=team,
                job_title=str(ROLES[slug].name),
            )
        w.group1.leader = w.employees["group_manager"]
        w.group1.save()
        w.area.leader = w.employees["area_manager"]
        w.area.save()
        w.other_agent = make_user("agent", username=f"otheragent{n}")
        w.other_employee = Employee.objects.create(
            user=w.other_agent,
            employee_number=f"E{n}-99",
            full_name=f"Other agent {n}",
            site=w.site,
            team=w.group2,
        )
        w.employee_skill = EmployeeSkill.objects.create(
            employee=w.employees["agent"], skill=w.skill, level=3
        )
        w.other_skill = EmployeeSkill.objects.create(
            employee=w.other_employee, skill=w.skill, level=2
        )
    return w


@dataclass
class Check:
    """One page or API operation of a permission matrix.

    ``allowed``  role slugs that may use it (the others get 403)
    ``args``     ``(world, user) -> list`` of URL arguments (pages) / path values (API)
    ``method``   HTTP method; ``data`` ``(world, user) -> dict`` for POST/PATCH
    ``ok``       status codes accepted for allowed roles
    """

    allowed: frozenset[str] | set[str]
    args: Callable[[Any, Any], list] | None = None
    method: str = "get"
    data: Callable[[Any, Any], dict] | None = None
    ok: tuple[int, ...] = (200,)
    anonymous: tuple[int, ...] = field(default=(302,))
    #: A public page (login, language switch): anonymous is not sent to the login page.
    public: bool = False


def _call(client, method: str, url: str, data: dict | None, json: bool):
    if method == "get":
        return client.get(url, data or {})
    if json:
        import json as _json

        return getattr(client, method)(
            url, data=_json.dumps(data or {}), content_type="application/json"
        )
    return getattr(client, method)(url, data or {})


class PageClient(Client):
    """A test client that keeps no copy of the templates' contexts.

    Django's test client copies the context of every template a response renders (for
    ``response.context``): a third of a page's time. Tests that only read the status, the
    headers and the body (the permission matrices, the crawls) use this one; a view's
    exception still comes back as the 500 the user would get.
    """

    def request(self, **request):
        response = self.handler(self._base_environ(**request))
        response.client = self
        response.request = request
        response.json = partial(self._parse_json, response)
        if response.cookies:
            self.cookies.update(response.cookies)
        return response


def _logged_in(world) -> dict:
    """One logged-in test client per role of the world (a login per request was a fifth of
    the matrices' time)."""
    clients = {}
    for slug, user in world.users.items():
        clients[slug] = PageClient()
        clients[slug].force_login(user)
    return clients


def _client_of(clients: dict, slug: str, user):
    """The role's client, logged in again when a request (log out, a password change)
    ended its session."""
    client = clients[slug]
    if client.cookies.get("sessionid") is None or not client.cookies["sessionid"].value:
        client.force_login(user)
    return client


class PermissionMatrix:
    """Declare ``pages = {url_name: Check}`` and ``api = {operation_id: Check}``.

    The API checks resolve an operation's path from the registered NinjaAPI and send the
    request with the session of each role (the API accepts the session and tokens alike).
    """

    pages: dict[str, Check] = {}
    api: dict[str, Check] = {}

    def _page_url(self, name, check, world, user):
        args = check.args(world, user) if check.args else []
        return reverse(name, args=args)

    def test_pages_anonymous(self, client, db):
        world = build_world()
        for name, check in self.pages.items():
            url = self._page_url(name, check, world, world.users["agent"])
            data = check.data(world, None) if check.data else None
            response = _call(client, check.method, url, data, json=False)
            assert response.status_code in check.anonymous, (name, response.status_code)
            if response.status_code == 302 and not check.public:
                assert response["Location"].startswith(reverse("login")), name

    def test_pages_by_role(self, client, db):
        world = build_world()
        failures = []
        clients = _logged_in(world)
        for name, check in self.pages.items():
            for slug, user in world.users.items():
                client = _client_of(clients, slug, user)
                url = self._page_url(name, check, world, user)
                data = check.data(world, user) if check.data else None
                response = _call(client, check.method, url, data, json=False)
                expected = check.ok if slug in check.allowed else (403,)
                if response.status_code not in expected:
                    failures.append(f"{name} as {slug}: {response.status_code} not in {expected}")
        assert not failures, "\n".join(failures)

    def _api_url(self, operation_id, check, world, user):
        path = api_operation_paths()[operation_id]
        values = check.args(world, user) if check.args else []
        for value in values:
            start = path.index("{")
            end = path.index("}", start)
            path = path[:start] + str(value) + path[end + 1 :]
        return path

    def test_api_anonymous(self, client, db):
        world = build_world()
        for operation_id, check in self.api.items():
            url = self._api_url(operation_id, check, world, world.users["agent"])
            data = check.data(world, None) if check.data else None
            response = _call(client, check.method, url, data, json=True)
            assert response.status_code == 401, (operation_id, response.status_code)

    def test_api_by_role(self, client, db):
        world = build_world()
        failures = []
        clients = _logged_in(world)
        for operation_id, check in self.api.items():
            for slug, user in world.users.items():
                client = _client_of(clients, slug, user)
                url = self._api_url(operation_id, check, world, user)
                data = check.data(world, user) if check.data else None
                response = _call(client, check.method, url, data, json=True)
                expected = check.ok if slug in check.allowed else (403,)
                if response.status_code not in expected:
                    failures.append(
                        f"{operation_id} as {slug}: {response.status_code} not in {expected}"
                        f" {response.content[:200]!r}"
                    )
        assert not failures, "\n".join(failures)


API_SCHEMA_URL = "/api/v1/openapi.json"
_PATHS: dict[str, str] | None = None


def api_operation_paths() -> dict[str, str]:
    """operation_id -> URL path template (``/api/v1/people/employees/{pk}``) of every API
    operation registered on the NinjaAPI (read from the schema once per process)."""
    global _PATHS
    if _PATHS is None:
        schema = Client().get(API_SCHEMA_URL).json()
        _PATHS = {
            operation["operationId"]: path
            for path, methods in schema["paths"].items()
            for operation in methods.values()
        }
    return _PATHS


class OwnRowsTests:
    """An agent sees only their own rows of ``model`` (list page, detail page, API list).

    Declare ``model``, ``list_url`` (URL name), ``detail_url`` (URL name), ``api_list``
    (operation id), ``own(world)`` and ``others(world)`` returning row objects.
    """

    model = None
    list_url: str = ""
    detail_url: str = ""
    api_list: str = ""

    def own(self, world):  # pragma: no cover - declared by subclasses
        raise NotImplementedError

    def others(self, world):  # pragma: no cover - declared by subclasses
        raise NotImplementedError

    def test_agent_sees_only_own_rows(self, client, db):
        world = build_world()
        client.force_login(world.users["agent"])
        own, other = self.own(world), self.others(world)
        visible = set(self.model.objects.restrict(world.users["agent"], "view"))
        assert own in visible and other not in visible
        page = client.get(reverse(self.list_url))
        assert page.status_code == 200
        assert list(page.context["object_list"]).count(other) == 0
        assert own in list(page.context["object_list"])
        assert client.get(reverse(self.detail_url, args=[own.pk])).status_code == 200
        assert client.get(reverse(self.detail_url, args=[other.pk])).status_code == 404
        if self.api_list:
            response = client.get(api_operation_paths()[self.api_list])
            assert response.status_code == 200
            ids = {row["id"] for row in response.json()["items"]}
            assert own.pk in ids and other.pk not in ids


# --- parallel requests ---------------------------------------------------------------------


@dataclass
class RaceResult:
    """What each of the parallel calls of :func:`race` returned or raised, in call order."""

    results: list
    errors: list

    @property
    def statuses(self) -> list:
        """HTTP status codes, for calls that returned test-client responses."""
        return [getattr(r, "status_code", None) for r in self.results]

    def count(self, status: int) -> int:
        return self.statuses.count(status)


def requires_row_locks():
    """A pytest mark that skips a race test unless the database has row locks
    (PostgreSQL). SQLite serialises writers and has no real parallel transactions."""
    import pytest
    from django.db import connection

    return pytest.mark.skipif(
        connection.vendor != "postgresql", reason="parallel transactions need PostgreSQL"
    )


def race(*calls: Callable[[], Any], timeout: float = 30.0) -> RaceResult:
    """Run ``calls`` at the same moment, each in its own thread and database connection,
    behind a barrier; return what each returned (or raised).

    For real parallel requests use test clients made inside the call, e.g.::

        def approve():
            c = Client(); c.force_login(manager)
            return c.post(url)
        outcome = race(approve, approve, approve)
        assert sorted(outcome.statuses) == [200, 409, 409]

    The test must see committed rows from other connections: mark it
    ``@pytest.mark.django_db(transaction=True)`` and skip it off PostgreSQL with
    :func:`requires_row_locks`.
    """
    import threading

    from django.db import connections

    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list = [None] * len(calls)

    def run(index: int, fn: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout)
            results[index] = fn()
        except Exception as exc:  # recorded for the test to look at
            errors[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return RaceResult(results=results, errors=errors)
