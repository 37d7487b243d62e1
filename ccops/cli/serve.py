"""``ccops serve``: the production web server (gunicorn, several processes).

Runs ccops' WSGI application in gunicorn: ``--workers`` processes with ``--threads`` threads
each (gunicorn's ``gthread`` worker), listening on ``--bind`` (repeatable; a host:port or
``unix:/path``). Static files are served by WhiteNoise from the same processes. Put a
reverse proxy in front for TLS (docs/deployment.md). Set ``CCOPS_SECRET_KEY`` and
``CCOPS_ALLOWED_HOSTS``; run ``ccops manage migrate`` before the first start and after
each upgrade. Background tasks run in ``ccops worker``, here or on other machines.
"""

from __future__ import annotations

import os


def _default_workers() -> int:
    return max(2, min(8, 2 * (os.cpu_count() or 1) + 1))


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "serve",
        help="run the production web server (gunicorn)",
        description=__doc__.split("\n\n", 1)[1],
    )
    p.add_argument(
        "--bind",
        action="append",
        default=None,
        help="address to listen on, host:port or unix:PATH (repeatable; default 127.0.0.1:8000)",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=_default_workers(),
        help=f"worker processes (default 2 × CPUs + 1, at most 8: {_default_workers()})",
    )
    p.add_argument("--threads", type=int, default=4, help="threads per process (default 4)")
    p.add_argument(
        "--timeout",
        type=int,
        default=60,
        help="seconds before a silent request's worker is restarted (default 60)",
    )
    p.add_argument(
        "--max-requests",
        type=int,
        default=2000,
        help="restart a process after this many requests, 0 = never (default 2000)",
    )
    p.add_argument(
        "--forwarded-allow-ips",
        default=os.environ.get("CCOPS_FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
        help="proxies trusted to set X-Forwarded-* headers (default CCOPS_FORWARDED_ALLOW_IPS "
        "or 127.0.0.1,::1)",
    )
    p.add_argument("--access-log", default=None, help="file for the access log ('-' = stdout)")
    p.add_argument(
        "--check",
        action="store_true",
        help="run Django's deployment checks (manage check --deploy) and exit",
    )
    p.set_defaults(handler=run)


def gunicorn_options(args) -> dict:
    """gunicorn settings for ``args`` (also used by the tests and the load benchmark)."""
    options = {
        "bind": args.bind or ["127.0.0.1:8000"],
        "workers": args.workers,
        "threads": args.threads,
        "worker_class": "gthread" if args.threads > 1 else "sync",
        "timeout": args.timeout,
        "graceful_timeout": 30,
        "keepalive": 5,
        "max_requests": args.max_requests,
        "max_requests_jitter": args.max_requests // 10 if args.max_requests else 0,
        "forwarded_allow_ips": args.forwarded_allow_ips,
        "preload_app": True,  # load Django once, fork the processes (less memory)
        "proc_name": "ccops",
        "errorlog": "-",
        # gunicorn >= 25.1 opens a control socket in $HOME: two servers of one user would
        # fight over it, and ccops does not need it
        "control_socket_disable": True,
    }
    if args.access_log:
        options["accesslog"] = args.access_log
    return options


def run(args) -> int:
    from ccops.cli import CommandError
    from ccops.cli._django import setup_django

    for name in ("workers", "threads", "timeout"):
        if getattr(args, name) < 1:
            raise CommandError(f"--{name} must be at least 1, got {getattr(args, name)}")
    if args.max_requests < 0:
        raise CommandError(f"--max-requests must be zero or more, got {args.max_requests}")
    # persistent database connections: each thread keeps its own (processes × threads in
    # all, plus the workers', must stay below PostgreSQL's max_connections)
    os.environ.setdefault("CCOPS_DB_CONN_MAX_AGE", "60")
    setup_django()
    from django.core.management import call_command

    if args.check:
        call_command("check", deploy=True)
        return 0
    call_command("check")  # refuse to start on a broken configuration

    from django.core.wsgi import get_wsgi_application
    from gunicorn.app.base import BaseApplication

    application = get_wsgi_application()  # ccops.web.wsgi's, without importing the web layer

    class Server(BaseApplication):
        def load_config(self):
            for key, value in gunicorn_options(args).items():
                if key in self.cfg.settings:  # older gunicorns lack some settings
                    self.cfg.set(key, value)

        def load(self):
            return application

    Server().run()
    return 0
