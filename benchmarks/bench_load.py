"""Load benchmark: 50 concurrent users (agents, managers, supervisors; pages and API)
against ``ccops serve`` (gunicorn) on PostgreSQL with the demo center, on loopback.

    python -m benchmarks.bench_load                      # PostgreSQL database ccops_bench
    python -m benchmarks.bench_load --database-url postgres://postgres@127.0.0.1:5432/NAME \\
        --users 50 --duration 60 --workers 5 --threads 4
    python -m benchmarks.bench_load --queries            # SQL queries per page and role

It builds the demo center in the database (``ccops demo --no-serve``, idempotent), makes an
API token per role, starts ``ccops serve`` on a free loopback port, logs every virtual user
in, warms every page up once, then lets each user request a random page or API operation
of its role and think 0.5-1.5 s (uniform) before the next, for ``--duration`` seconds
(bounded: at most ``--max-requests`` per user, 30 s per request; it stops by itself). It
prints p50 / p95 / max per page group and the slowest URLs; any answer other than 200 is
an error. Targets: p95 <= 300 ms for pages and API, no errors.

``--queries`` runs in-process instead (no server): each page and API operation once per
role through Django's test client, printing the number of SQL queries and the statements
repeated most often (an N+1 shows as one statement repeated per row).

Only loopback addresses are ever contacted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PASSWORD = "ccops-demo-2026"

#: 50 virtual users: (login, how many)
ROLE_MIX = [
    ("agent", 26),
    ("group_manager", 8),
    ("area_manager", 4),
    ("operations_supervisor", 5),
    ("general_supervisor", 4),
    ("center_director", 3),
]
KIND = {
    "agent": "agent",
    "group_manager": "manager",
    "area_manager": "manager",
    "operations_supervisor": "supervisor",
    "general_supervisor": "supervisor",
    "center_director": "supervisor",
}
PAGES = {
    "agent": [
        "/",
        "/wfm/my/",
        "/wfm/time-off/",
        "/wfm/swaps/",
        "/shiftops/attendance/",
        "/core/notifications/",
        "/meetings/actions/",
        "/core/account/",
    ],
    "manager": [
        "/",
        "/people/employees/",
        "/wfm/shifts/",
        "/wfm/time-off/",
        "/wfm/swaps/",
        "/wfm/schedules/",
        "/wfm/schedules/{schedule}/",
        "/shiftops/handovers/",
        "/shiftops/attendance/",
        "/shiftops/diary/",
        "/meetings/meetings/",
        "/meetings/actions/",
    ],
    "supervisor": [
        "/",
        "/core/audit/",
        "/core/queues/",
        "/people/employees/",
        "/wfm/forecasts/",
        "/wfm/plans/",
        "/wfm/intraday/",
        "/wfm/schedules/",
        "/wfm/schedules/{schedule}/",
        "/shiftops/handovers/",
        "/shiftops/briefings/",
        "/meetings/meetings/",
    ],
}
API = {
    "agent": [
        "/api/v1/core/me",
        "/api/v1/wfm/my/shifts/",
        "/api/v1/core/notifications/",
        "/api/v1/wfm/time-off/",
        "/api/v1/shiftops/attendance/",
    ],
    "manager": [
        "/api/v1/people/employees/",
        "/api/v1/wfm/shifts/",
        "/api/v1/wfm/swaps/",
        "/api/v1/shiftops/attendance/",
        "/api/v1/shiftops/handovers/",
    ],
    "supervisor": [
        "/api/v1/core/audit/",
        "/api/v1/people/employees/",
        "/api/v1/wfm/schedules/",
        "/api/v1/wfm/forecasts/",
        "/api/v1/meetings/action-items/",
        "/api/v1/shiftops/handovers/",
    ],
}
API_SHARE = 0.3  # of a user's requests go to the API (with the role's token)


def _mix(users: int) -> list[tuple[str, int]]:
    """ROLE_MIX scaled to ``users`` (at least one of each role)."""
    total = sum(n for _login, n in ROLE_MIX)
    return [(login, max(1, round(n * users / total))) for login, n in ROLE_MIX]


def _group(kind: str, url: str) -> str:
    return "API" if url.startswith("/api/") else f"{kind} pages"


def _loopback(host: str) -> None:
    if host not in {"127.0.0.1", "localhost", "::1"} and not host.startswith("127."):
        raise SystemExit(f"refusing to load {host}: this benchmark only targets loopback")


# --- the client ---------------------------------------------------------------------------


@dataclass
class Result:
    group: str
    url: str
    ms: float
    status: int


class VirtualUser:
    """One browser: its own keep-alive connection, session cookie and CSRF token."""

    def __init__(self, host: str, port: int, login: str, token: str):
        self.host, self.port, self.login, self.token = host, port, login, token
        self.kind = KIND[login]
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        return self.conn

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn = None  # the server closed the keep-alive connection: reconnect
                if attempt == 2:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location") or "", data

    def log_in(self) -> None:
        status, _, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise RuntimeError(f"login page answered {status}")
        form = urllib.parse.urlencode(
            {
                "username": self.login,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1).decode(),
            }
        ).encode()
        status, location, _ = self.request(
            "POST",
            "/accounts/login/",
            form,
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 302 or "login" in location:
            raise RuntimeError(f"{self.login} could not log in ({status} {location})")

    def get(self, url: str) -> Result:
        headers = {"Authorization": f"Bearer {self.token}"} if url.startswith("/api/") else {}
        began = time.perf_counter()
        try:
            status, _, _ = self.request("GET", url, headers=headers)
        except OSError:
            status = 0
        return Result(_group(self.kind, url), url, (time.perf_counter() - began) * 1000, status)


def _urls(kind: str, schedule: int | None) -> tuple[list[str], list[str]]:
    def fill(items):
        return [u.format(schedule=schedule) for u in items if "{schedule}" not in u or schedule]

    return fill(PAGES[kind]), fill(API[kind])


def _run_user(user: VirtualUser, args, schedule, stop_at: float, out: list, lock) -> None:
    pages, api = _urls(user.kind, schedule)
    rng = random.Random(hash(user) ^ int(time.time()))
    mine = []
    for _ in range(args.max_requests):
        if time.monotonic() >= stop_at:
            break
        url = rng.choice(api) if rng.random() < API_SHARE else rng.choice(pages)
        mine.append(user.get(url))
        time.sleep(rng.uniform(0.5, 1.5))
    with lock:
        out.extend(mine)


def _percentile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def report(results: list[Result], seconds: float) -> dict:
    groups: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        groups[r.group].append(r)
    summary = {}
    print(f"\n{len(results)} requests in {seconds:.0f} s ({len(results) / seconds:.1f}/s)\n")
    print("| group | requests | errors | p50 ms | p95 ms | max ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name in sorted(groups):
        rows = groups[name]
        ms = [r.ms for r in rows]
        errors = sum(r.status != 200 for r in rows)
        p50, p95 = _percentile(ms, 50), _percentile(ms, 95)
        summary[name] = {"requests": len(rows), "errors": errors, "p50": p50, "p95": p95}
        print(f"| {name} | {len(rows)} | {errors} | {p50:.0f} | {p95:.0f} | {max(ms):.0f} |")
    by_url: dict[str, list[float]] = defaultdict(list)
    for r in results:
        by_url[r.url].append(r.ms)
    print("\nslowest URLs by p95:")
    slowest = sorted(by_url.items(), key=lambda kv: -_percentile(kv[1], 95))[:8]
    for url, ms in slowest:
        print(f"  {_percentile(ms, 95):6.0f} ms p95  {statistics.median(ms):5.0f} ms p50  {url}")
    bad = Counter((r.url, r.status) for r in results if r.status != 200)
    for (url, status), n in bad.most_common(10):
        print(f"  error: {n} × {status} {url}")
    return summary


# --- setting up the server ----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ensure_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    try:
        conn = psycopg.connect(admin, autocommit=True)
    except psycopg.OperationalError as exc:
        raise SystemExit(f"PostgreSQL is not reachable ({exc}); pass --database-url") from None
    with conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _env(args, secret: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        CCOPS_DATABASE_URL=args.database_url,
        CCOPS_DATA_DIR=str(REPO / "var" / "bench-load"),
        CCOPS_SECRET_KEY=secret,
        CCOPS_LOG_LEVEL="WARNING",
    )
    env.pop("CCOPS_DEBUG", None)
    return env


def _ccops(env, *argv, capture=True) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "ccops", *argv], env=env, capture_output=capture, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"ccops {' '.join(argv)} failed:\n{result.stderr}")
    return result.stdout


def _tokens(env) -> dict[str, str]:
    tokens = {}
    for login, _n in ROLE_MIX:
        out = _ccops(env, "manage", "api_token", login, "--name", "bench-load", "--days", "1")
        tokens[login] = re.search(r"ccops_\S+", out).group(0)
    return tokens


def run_load(args) -> int:
    host = urllib.parse.urlparse(args.database_url).hostname or "127.0.0.1"
    _loopback(host)
    _ensure_database(args.database_url)
    secret = secrets.token_urlsafe(50)
    env = _env(args, secret)
    print("building the demo center (idempotent) ...", flush=True)
    demo_env = {**env, "CCOPS_DEMO": "1"}
    demo_env.pop("CCOPS_SECRET_KEY")
    _ccops(demo_env, "demo", "--no-serve")
    tokens = _tokens(env)
    port = _free_port()
    serve = [
        sys.executable, "-m", "ccops", "serve", "--bind", f"127.0.0.1:{port}",
        "--workers", str(args.workers), "--threads", str(args.threads),
    ]  # fmt: skip
    server = subprocess.Popen(serve, env=env)
    try:
        probe = VirtualUser("127.0.0.1", port, "agent", "")
        for _ in range(200):
            try:
                if probe.request("GET", "/healthz")[0] in (200, 503):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("ccops serve did not start")
        sup = VirtualUser(
            "127.0.0.1", port, "operations_supervisor", tokens["operations_supervisor"]
        )
        _, _, body = sup.request(
            "GET", "/api/v1/wfm/schedules/?status=published",
            headers={"Authorization": f"Bearer {sup.token}"},
        )  # fmt: skip
        items = json.loads(body).get("items", [])
        schedule = items[0]["id"] if items else None
        users = [
            VirtualUser("127.0.0.1", port, login, tokens[login])
            for login, n in _mix(args.users)
            for _ in range(n)
        ]
        print(f"logging {len(users)} users in ...", flush=True)
        for u in users:
            u.log_in()
        print("warming up every page ...", flush=True)
        warm = []
        for kind in ("agent", "manager", "supervisor"):
            u = next(x for x in users if x.kind == kind)
            pages, api = _urls(kind, schedule)
            warm += [u.get(url) for url in pages + api]
        failed = [f"{r.status} {r.url}" for r in warm if r.status != 200]
        if failed:
            print("warm-up errors:", ", ".join(failed))
        print(
            f"{len(users)} users, {args.workers} processes × {args.threads} threads, "
            f"{args.duration} s ...",
            flush=True,
        )
        results: list[Result] = []
        lock = threading.Lock()
        began = time.monotonic()
        stop_at = began + args.duration
        threads = [
            threading.Thread(target=_run_user, args=(u, args, schedule, stop_at, results, lock))
            for u in users
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=args.duration + 60)
        summary = report(results, time.monotonic() - began)
        if args.json:
            Path(args.json).write_text(json.dumps(summary, indent=2))
        worst = max(v["p95"] for v in summary.values())
        errors = sum(v["errors"] for v in summary.values())
        ok = worst <= 300 and errors == 0
        print(f"\ntarget p95 <= 300 ms and no errors: {'met' if ok else 'NOT met'}")
        return 0 if ok else 1
    finally:
        server.send_signal(2)  # SIGINT: gunicorn's quick shutdown
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


# --- queries per page (N+1 finder) ----------------------------------------------------------


def _normalise(sql: str) -> str:
    sql = re.sub(r"'[^']*'", "?", sql)
    sql = re.sub(r"\b\d+\b", "?", sql)
    return re.sub(r"\(\?(, \?)*\)", "(...)", sql)


def run_queries(args) -> int:
    os.environ.update(
        CCOPS_DATABASE_URL=args.database_url,
        CCOPS_DATA_DIR=str(REPO / "var" / "bench-load"),
        CCOPS_DEMO="1",
    )
    from ccops.cli._django import setup_django

    setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ccops.wfm.models import Schedule

    published = Schedule.objects.filter(status="published").order_by("-week_start").first()
    schedule = published.pk if published else None
    rows = []
    for login, _n in ROLE_MIX:
        user = get_user_model().objects.get(username=login)
        client = Client()
        client.force_login(user)
        pages, api = _urls(KIND[login], schedule)
        for url in pages + api:
            with CaptureQueriesContext(connection) as ctx:
                status = client.get(url).status_code
            repeated = Counter(_normalise(q["sql"]) for q in ctx.captured_queries)
            sql, times = repeated.most_common(1)[0] if repeated else ("", 0)
            rows.append((login, url, status, len(ctx), times, sql))
    print("| role | url | status | queries | most repeated |")
    print("| --- | --- | ---: | ---: | ---: |")
    for login, url, status, n, times, _sql in rows:
        print(f"| {login} | {url} | {status} | {n} | {times} |")
    print("\nstatements repeated 5 times or more on one page (N+1 suspects):")
    for login, url, _status, _n, times, sql in rows:
        if times >= 5:
            print(f"  {login} {url}: {times} × {sql[:220]}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "CCOPS_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ccops_bench"
        ),
        help="PostgreSQL database for the demo center (created if missing; loopback only)",
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--max-requests", type=int, default=200, help="per user, at most")
    parser.add_argument("--workers", type=int, default=5, help="ccops serve processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per process")
    parser.add_argument("--json", default=None, help="write the summary to this file")
    parser.add_argument("--queries", action="store_true", help="count SQL queries per page")
    args = parser.parse_args(argv)
    if not 1 <= args.users <= 200 or not 1 <= args.duration <= 600:
        raise SystemExit("--users must be 1-200 and --duration 1-600 s (a bounded benchmark)")
    return run_queries(args) if args.queries else run_load(args)


if __name__ == "__main__":
    sys.exit(main())
