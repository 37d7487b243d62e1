"""``ccops demo``: build a demo center and serve it on http://127.0.0.1:8000.

Migrates the database (SQLite in ``./var`` unless ``CCOPS_DATABASE_URL`` says otherwise),
builds the demo center (synthetic queues, calendar, ~40 employees with skills, one login
per role, whose credentials are printed), writes the synthetic calls and interval history
to ``<data dir>/demo/``, then starts a background worker and the web server. Running it
again reuses what the first run built.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "demo",
        help="build a demo center and serve it on http://127.0.0.1:8000",
        description=__doc__.split("\n\n", 1)[1],
    )
    p.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--seed", type=int, default=1, help="seed of the synthetic center")
    p.add_argument("--weeks", type=int, default=8, help="weeks of synthetic history (default 8)")
    p.add_argument(
        "--no-serve", action="store_true", help="build the demo center, then exit (no server)"
    )
    p.add_argument("--no-worker", action="store_true", help="do not start a background worker")
    p.add_argument(
        "--language",
        choices=["zh-hans", "en"],
        default=os.environ.get("CCOPS_DEMO_LANGUAGE", "zh-hans"),
        help="language of the demo data: site, teams, checklists, people's names "
        "(default zh-hans, or $CCOPS_DEMO_LANGUAGE)",
    )
    p.set_defaults(handler=run)


def run(args) -> int:
    from ccops.cli import CommandError
    from ccops.cli._django import setup_django

    if not 1 <= args.port <= 65535:
        raise CommandError(f"--port must be 1 to 65535, got {args.port}")
    if not 1 <= args.weeks <= 52:
        raise CommandError(f"--weeks must be 1 to 52, got {args.weeks}")
    # The demo (and the worker it starts) runs on the published demo key with debug pages;
    # nothing else may (ccops.web.settings).
    os.environ["CCOPS_DEMO"] = "1"
    os.environ.setdefault("CCOPS_DEBUG", "1")
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from ccops.knowledge.demo import build_demo_knowledge
    from ccops.meetings.demo import build_demo_meetings
    from ccops.people.demo import build_demo_center
    from ccops.quality.demo import build_demo_quality
    from ccops.shiftops.demo import build_demo_shiftops

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    db = settings.DATABASES["default"]
    where = db["NAME"] if db["ENGINE"].endswith("sqlite3") else f"{db['ENGINE']} {db['NAME']}"
    print(f"Database: {where}")
    call_command("migrate", interactive=False, verbosity=0)
    from django.utils import translation

    from ccops.core.demotext import demo_language

    # The demo's texts in one language (rows made by an earlier run keep theirs); labels
    # written while building (audit records, notification values) in that language too.
    language = contextlib.ExitStack()
    language.enter_context(demo_language(args.language))
    language.enter_context(translation.override(args.language))
    report = build_demo_center(
        seed=args.seed, weeks=args.weeks, data_dir=settings.DATA_DIR / "demo"
    )
    today = dt.date.today()
    from ccops.wfm.demo import build_demo_wfm

    wfm = build_demo_wfm(
        site=report.site,
        queues=report.queues,
        history=report.history,
        today=today,
        calls=report.call_records,
    )
    shifts = wfm["schedule"].shifts
    agents = shifts.exclude(employee=None).values("employee").distinct().count()
    print(
        f"Workforce: {wfm['intervals']} imported intervals, a forecast and a staffing plan "
        f"for each of {len(wfm['queues'])} queues, published site schedule {wfm['schedule']} "
        f"({shifts.count()} shifts, {agents} agents)."
    )
    handovers = build_demo_shiftops(site=report.site, today=today)
    meetings = build_demo_meetings(site=report.site, today=today)
    if handovers or meetings:
        print(f"Sample handovers and meetings added: {handovers} and {meetings}.")
    knowledge = build_demo_knowledge(site=report.site, today=today)
    if knowledge:
        print(f"Knowledge base: {knowledge} articles, difficult cases and a service manual added.")
    quality = build_demo_quality(site=report.site, today=today)
    if quality:
        print(
            f"Quality: {quality['evaluations']} evaluations, a calibration, the quarter's test, "
            f"{quality['scorecards']} scorecards of {quality['month']:%Y-%m} released."
        )
    from ccops.processes.demo import build_demo_processes
    from ccops.registers.demo import build_demo_registers

    registers = build_demo_registers(site=report.site, today=today)
    processes = build_demo_processes(site=report.site, today=today)
    from ccops.incidents.demo import build_demo_incidents

    incidents = build_demo_incidents(site=report.site, today=today)
    language.close()
    if registers or processes:
        print(f"Sample registers added: {registers}; processes added: {processes}.")
    if incidents:
        print(f"Incidents: {incidents} added (two archived faults, one open).")
    print(
        f"Demo center: {report.site.name}, {len(report.queues)} queues, {report.employees} "
        f"employees, {report.periods} calendar periods."
    )
    if report.data_dir is not None:
        print(f"Synthetic history ({report.calls} calls): {report.data_dir}")
    print("\nLog in as (username / password):")
    width = max(len(u) for _r, u, _p in report.logins)
    for _role, username, password in report.logins:
        print(f"  {username:<{width}}  {password}")
    if args.no_serve:
        return 0
    worker = None
    if not args.no_worker:
        worker = WorkerSupervisor([sys.executable, "-m", "ccops", "worker", "--no-migrate"])
        worker.start()
        print(f"\nBackground worker started (pid {worker.process.pid}).")
    print(f"Serving http://{args.host}:{args.port}/  (Ctrl+C to stop)\n")
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        call_command(
            "runserver", f"{args.host}:{args.port}", use_reloader=False, use_threading=True
        )
    except KeyboardInterrupt:
        pass
    finally:
        if worker is not None:
            worker.stop()
        signal.signal(signal.SIGTERM, previous)
    return 0


class WorkerSupervisor:
    """Keeps the demo's background worker running: a thread checks it every
    ``interval`` seconds and starts a new one when it has died (killed, out of memory),
    at most ``max_restarts`` times in ``window`` seconds, so a worker that cannot start
    does not loop for ever. The jobs it left are taken up by the new worker's reaper."""

    def __init__(self, command, *, interval=2.0, max_restarts=5, window=600.0, out=None):
        self.command = list(command)
        self.interval, self.max_restarts, self.window = interval, max_restarts, window
        self.out = out or sys.stdout
        self.process = None
        self.restarts: list[float] = []
        self.gave_up = False
        self._stop = threading.Event()
        self._thread = None

    def _spawn(self) -> None:
        self.process = subprocess.Popen(self.command, env=os.environ.copy())

    def start(self) -> None:
        self._spawn()
        self._thread = threading.Thread(target=self._watch, name="worker-supervisor", daemon=True)
        self._thread.start()

    def check(self) -> bool:
        """Restart the worker if it has died; True when it was restarted."""
        code = self.process.poll()
        if code is None or self._stop.is_set() or self.gave_up:
            return False
        now = time.monotonic()
        self.restarts = [t for t in self.restarts if now - t < self.window]
        if len(self.restarts) >= self.max_restarts:
            print(
                f"The background worker keeps stopping (exit code {code}); not restarting "
                f"it again. Start it with `ccops worker` once the cause is fixed.",
                file=self.out,
                flush=True,
            )
            self.gave_up = True
            return False
        self.restarts.append(now)
        self._spawn()
        print(
            f"The background worker stopped (exit code {code}); started a new one "
            f"(pid {self.process.pid}).",
            file=self.out,
            flush=True,
        )
        return True

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            self.check()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval + 1)
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def _stop(signum, frame):
    """SIGTERM stops the demo like Ctrl+C does (the worker is stopped too)."""
    raise KeyboardInterrupt
