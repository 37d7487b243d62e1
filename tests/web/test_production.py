"""A real server and safe defaults: /healthz, debug off and the demo key refused outside the
demo, the Content-Security-Policy (no inline script anywhere), the HTTPS settings, the API
docs from vendored files, and `ccops serve` running gunicorn with several processes."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.test import Client, override_settings

from ccops.core.testing import build_world

REPO = Path(__file__).resolve().parents[2]


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CCOPS_", "PYTEST"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["PYTHONPATH"] = str(REPO)
    env.update(extra)
    return env


def _settings_in_subprocess(**env) -> subprocess.CompletedProcess:
    code = (
        "import json, django, os; os.environ['DJANGO_SETTINGS_MODULE']='ccops.web.settings'; "
        "from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k, None) for k in ['DEBUG', 'SECURE_SSL_REDIRECT', "
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', "
        "'SECURE_PROXY_SSL_HEADER']}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=_env(**env), capture_output=True, text=True, cwd=REPO
    )


# --- /healthz -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_reports_database_and_worker_without_login_or_secrets():
    from django.conf import settings

    from ccops.core.jobs import WorkerPulse

    response = Client().get("/healthz")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["status"] == "degraded" and body["worker"] == {
        "ok": False,
        "last_seen_seconds": None,
        "alive": 0,
    }
    WorkerPulse("w1").pulse()
    body = Client().get("/healthz").json()
    assert body["status"] == "ok" and body["worker"]["alive"] == 1
    assert 0 <= body["worker"]["last_seen_seconds"] < 5
    text = Client().get("/healthz").content.decode()
    db_name = str(settings.DATABASES["default"]["NAME"])
    assert settings.SECRET_KEY not in text and db_name not in text and "w1" not in text
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not():
    def refuse(execute, sql, params, many, context):
        raise OperationalError("connection refused")

    with connection.execute_wrapper(refuse):
        response = Client().get("/healthz")
    assert response.status_code == 503 and response.json()["database"]["ok"] is False


# --- debug and the secret key --------------------------------------------------------------


def test_debug_is_off_by_default_and_a_secret_key_is_required():
    refused = _settings_in_subprocess()
    assert refused.returncode != 0 and "CCOPS_SECRET_KEY is not set" in refused.stderr
    ok = _settings_in_subprocess(CCOPS_SECRET_KEY="x" * 50)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["DEBUG"] is False


def test_the_demo_key_is_refused_outside_the_demo():
    from ccops.web.settings import DEMO_SECRET_KEY

    copied = _settings_in_subprocess(CCOPS_SECRET_KEY=DEMO_SECRET_KEY, CCOPS_DEBUG="1")
    assert copied.returncode != 0 and "published demo key" in copied.stderr
    demo = _settings_in_subprocess(CCOPS_DEMO="1", CCOPS_DEBUG="1")
    assert demo.returncode == 0, demo.stderr
    assert json.loads(demo.stdout)["DEBUG"] is True


def test_the_command_line_says_what_is_missing():
    result = subprocess.run(
        [sys.executable, "-m", "ccops", "serve", "--check"],
        env=_env(),
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("ccops: error: CCOPS_SECRET_KEY is not set")
    assert "Traceback" not in result.stderr


def test_https_settings_come_from_the_environment():
    plain = json.loads(_settings_in_subprocess(CCOPS_SECRET_KEY="x" * 50).stdout)
    assert plain["SECURE_SSL_REDIRECT"] is False and plain["SESSION_COOKIE_SECURE"] is False
    assert plain["SECURE_HSTS_SECONDS"] == 0 and plain["SECURE_PROXY_SSL_HEADER"] is None
    https = _settings_in_subprocess(
        CCOPS_SECRET_KEY="x" * 50,
        CCOPS_HTTPS="1",
        CCOPS_HSTS_SECONDS="31536000",
        CCOPS_PROXY_SSL_HEADER="1",
    )
    values = json.loads(https.stdout)
    assert values["SECURE_SSL_REDIRECT"] is True and values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True and values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


@pytest.mark.django_db
@override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=3600,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
)
def test_behind_the_proxy_http_is_redirected_and_https_gets_hsts():
    plain = Client().get("/accounts/login/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    assert Client().get("/healthz").status_code == 200  # the load balancer's check
    secure = Client().get("/accounts/login/", headers={"x-forwarded-proto": "https"})
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=3600"


# --- Content-Security-Policy -------------------------------------------------------------


@pytest.mark.django_db
def test_every_page_has_a_strict_script_policy(client):
    w = build_world()
    client.force_login(w.users["center_director"])
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe-eval" not in policy and "http" not in policy


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inline, self.handlers = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.handlers += [k for k in attrs if k.startswith("on")]
        if tag == "script" and not attrs.get("src") and attrs.get("type") != "application/json":
            self.inline.append(self.getpos())


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for path in sorted((REPO / "ccops").rglob("templates/**/*.html")):
        text = path.read_text(encoding="utf-8")
        # {{ x|json_script:"id" }} renders a JSON block, not a script
        parser = _Scripts()
        parser.feed(re.sub(r"\{[{%].*?[%}]\}", "X", text))
        if parser.inline or parser.handlers:
            offenders.append(f"{path.relative_to(REPO)}: {parser.inline} {parser.handlers}")
    assert not offenders, offenders


# --- the API docs from vendored files -----------------------------------------------------


class _References(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        self.urls += [v for k, v in attrs if k in {"src", "href"} and v]


@pytest.mark.django_db
def test_the_api_docs_page_references_no_external_host(client):
    client.force_login(build_world().users["statistician"])
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    parser = _References()
    parser.feed(html)
    assert any(u.endswith("swagger-ui-bundle.js") for u in parser.urls), parser.urls
    external = [u for u in parser.urls if re.match(r"^([a-z]+:)?//", u)]
    assert not external, external
    assert "cdn." not in html and "unpkg" not in html
    for url in parser.urls:  # every asset is served by ccops itself
        if url.startswith("/static/"):
            assert client.get(url).status_code == 200, url


# --- ccops serve ----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


@pytest.mark.skipif(not Path("/proc").exists(), reason="needs /proc to count processes")
def test_ccops_serve_runs_gunicorn_with_several_processes(tmp_path):
    env = _env(
        CCOPS_SECRET_KEY="s" * 50, CCOPS_DATA_DIR=str(tmp_path), CCOPS_FAST_PASSWORD_HASHER="1"
    )
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ccops",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "2",
        ],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
            except urllib.error.HTTPError as answer:  # not migrated (no tables): unhealthy
                assert answer.code == 503 and json.loads(answer.read())["status"] == "error"
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("ccops serve did not answer")
        with urllib.request.urlopen(f"{base}/static/ccops/ccops.css", timeout=5) as r:
            assert r.status == 200 and b"{" in r.read()  # WhiteNoise serves static files
        with urllib.request.urlopen(f"{base}/accounts/login/", timeout=5) as r:
            assert r.status == 200 and r.headers["Server"].startswith("gunicorn")
            assert "script-src 'self'" in r.headers["Content-Security-Policy"]
        assert len(_children(server.pid)) == 2  # two worker processes under the master
    finally:
        server.send_signal(signal.SIGINT)  # quick shutdown
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
