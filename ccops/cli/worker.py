"""``ccops worker``: run background tasks (forecasts, schedule solving, imports, exports).

A thin wrapper of django-tasks-db's ``db_worker``: workers on any machine that shares the
PostgreSQL database (``CCOPS_DATABASE_URL``) take tasks from the same queue. Each worker
records its own heartbeat (seen by ``/healthz``) and gives up the jobs of workers that
stopped (``ccops.core.jobs.jobs_reap_stale``).
"""

from __future__ import annotations


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "worker",
        help="run the background-task worker",
        description=(
            "Take queued background tasks from the database and run them, reporting progress "
            "to the web pages. Run several (here or on other machines sharing the PostgreSQL "
            "database) for more throughput."
        ),
    )
    p.add_argument(
        "--batch",
        action="store_true",
        help="run the tasks waiting now, then exit (instead of waiting for more)",
    )
    p.add_argument(
        "--interval",
        type=float,
        default=1.0,
        help="seconds to wait between polls when idle (default 1)",
    )
    p.add_argument("--queue", default="*", help="queue names, comma-separated ('*' = all)")
    p.add_argument("--max-tasks", type=int, default=None, help="exit after this many tasks")
    p.add_argument("--worker-id", default=None, help="unique id of this worker (default random)")
    p.add_argument("--no-migrate", action="store_true", help="do not apply migrations first")
    p.set_defaults(handler=run)


def run(args) -> int:
    from ccops.cli import CommandError
    from ccops.cli._django import setup_django

    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils.crypto import get_random_string

    from ccops.core.jobs import WorkerPulse

    backend = settings.TASKS["default"]["BACKEND"]
    if not backend.startswith("django_tasks_db"):
        raise CommandError(
            f"tasks run inline with the {backend} backend; unset CCOPS_TASKS_IMMEDIATE to use "
            "the worker"
        )
    if args.interval < 0:
        raise CommandError(f"--interval must be zero or more, got {args.interval}")
    if args.max_tasks is not None and args.max_tasks <= 0:
        raise CommandError(f"--max-tasks must be positive, got {args.max_tasks}")
    if not args.no_migrate:
        call_command("migrate", interactive=False, verbosity=0)
    options = {
        "queue_name": args.queue,
        "interval": args.interval,
        "batch": args.batch,
        "reload": False,
        "startup_delay": not args.batch,
    }
    if args.max_tasks is not None:
        options["max_tasks"] = args.max_tasks
    worker_id = args.worker_id or get_random_string(16)
    options["worker_id"] = worker_id
    pulse = WorkerPulse(worker_id)
    if args.batch:
        pulse.pulse()  # once: the batch ends soon
    else:
        pulse.start()
    try:
        call_command("db_worker", **options)
    finally:
        pulse.stop()
    return 0
