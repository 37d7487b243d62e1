"""Speed of the readers, the history writer and the synthetic center.

Run: ``nice python -m benchmarks.bench_ingest [--repeat 3] [--memory-rows 200000]``.
Prints the median wall time of each step. The Anonymous Bank rows are skipped when the
data folder (../shared/data/anonymous-bank-1999) is absent.

The memory lines import a per-call file of ``--memory-rows`` calls (preset
``ccops-calls``), once as CSV and once as an Excel workbook, through the import pipeline
the web import runs (``read_import`` of the uploaded bytes), each in a fresh process:
the peak resident memory above that of the process before the import (``VmHWM`` of
``/proc/self/status``; ``ru_maxrss`` elsewhere, which on Linux keeps the parent's peak
across ``exec``), and the wall time. ``--memory-rows 0`` skips them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from ccops.engine.io.calls import read_anonymous_bank, read_calls
from ccops.engine.io.history import aggregate_calls, read_history_csv, write_history_csv
from ccops.engine.io.mapping import load_preset
from ccops.engine.synthetic import CALL_CSV_COLUMNS, generate_center, write_center

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "anonymous-bank-1999"


def timed(fn, repeat):
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


#: Run in a fresh interpreter: import one file as the web import does, print the figures.
_PROBE = """
import json, resource, sys, time
from pathlib import Path
from ccops.engine.io.mapping import load_preset
from ccops.engine.io.pipeline import ImportOptions, read_import
import openpyxl, pandas  # loaded before the baseline, as in a running worker

def high_water_kib():
    # VmHWM is this process's own peak (ru_maxrss keeps the parent's across exec)
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

path = Path(sys.argv[1])
base = high_water_kib()
t0 = time.perf_counter()
content = path.read_bytes()  # the web import reads the upload from the database
result = read_import(
    [(content, path.name)], load_preset("ccops-calls"), ImportOptions(interval_minutes=30)
)
seconds = time.perf_counter() - t0
peak = high_water_kib()
print(json.dumps({"rows": len(result.records), "kib": peak - base, "seconds": seconds}))
"""

CALL_HEADER = CALL_CSV_COLUMNS  # the ccops-calls layout


def call_rows(n: int, seed: int = 1):
    """``n`` per-call rows of the ``ccops-calls`` layout over four weeks and four queues."""
    rng = np.random.default_rng(seed)
    start = dt.datetime(2026, 3, 2)
    offsets = np.sort(rng.integers(0, 28 * 86400, n))
    answered = rng.random(n) < 0.9
    waits = rng.integers(0, 60, n)
    handles = rng.integers(30, 600, n)
    for i in range(n):
        arrival = start + dt.timedelta(seconds=int(offsets[i]))
        ok = bool(answered[i])
        served = (arrival + dt.timedelta(seconds=int(waits[i]))).isoformat() if ok else ""
        yield [
            str(i),
            arrival.isoformat(),
            f"Q{i % 4}",
            "answered" if ok else "abandoned",
            str(int(waits[i])),
            str(int(handles[i])) if ok else "",
            served,
            f"A{i % 50}" if ok else "",
            "0",
        ]


def write_call_files(n: int, folder: Path) -> dict[str, Path]:
    """The same ``n`` calls as ``calls.csv`` and ``calls.xlsx``."""
    from openpyxl import Workbook

    csv_path = folder / "calls.csv"
    with csv_path.open("w", encoding="utf-8") as fh:
        fh.write(",".join(CALL_HEADER) + "\n")
        for row in call_rows(n):
            fh.write(",".join(row) + "\n")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Calls")
    sheet.append(list(CALL_HEADER))
    for row in call_rows(n):
        sheet.append(row)
    xlsx_path = folder / "calls.xlsx"
    workbook.save(xlsx_path)
    _declare_size(xlsx_path, f"A1:I{n + 1}")
    return {"CSV": csv_path, "XLSX": xlsx_path}


def _declare_size(path: Path, ref: str) -> None:
    """Write the sheet's ``<dimension>`` as Excel does (openpyxl's write-only mode leaves it
    out, and openpyxl's reader then parses such a sheet twice to find its size)."""
    import zipfile

    member = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as zf:
        items = [(info, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in items:
            if info.filename == member:
                data = data.replace(
                    b"<sheetViews>", f'<dimension ref="{ref}"/><sheetViews>'.encode(), 1
                )
            zf.writestr(info, data)


def memory_rows(n: int, folder: Path) -> list[tuple[str, int, float, float, float]]:
    """(format, rows, file MB, peak MB above the baseline, seconds) per format."""
    out = []
    for fmt, path in write_call_files(n, folder).items():
        probe = subprocess.run(
            [sys.executable, "-c", _PROBE, str(path)],
            check=True,
            capture_output=True,
            text=True,
        )
        figures = json.loads(probe.stdout.strip().splitlines()[-1])
        size = path.stat().st_size / 2**20
        out.append((fmt, figures["rows"], size, figures["kib"] / 1024, figures["seconds"]))
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--memory-rows", type=int, default=200_000)
    parser.add_argument("--only-memory", action="store_true", help="skip the timings")
    args = parser.parse_args(argv)
    if args.only_memory:
        return print_memory(args.memory_rows)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        files = sorted(DATA.glob("anonymous_bank_1999-*.csv.gz"))
        if files:
            t, calls = timed(lambda: read_anonymous_bank(files), args.repeat)
            rows.append((f"read_anonymous_bank, {len(files)} months", len(calls), t))
            t, hist = timed(lambda: aggregate_calls(calls, interval_minutes=30), args.repeat)
            rows.append(("aggregate_calls, 30 min", len(hist), t))
            path = tmp / "ab.csv"
            t, _ = timed(lambda: write_history_csv(hist, path), args.repeat)
            rows.append(("write_history_csv", len(hist), t))
            t, _ = timed(lambda: read_history_csv(path), args.repeat)
            rows.append(("read_history_csv", len(hist), t))
        t, center = timed(lambda: generate_center(weeks=26, queues=4, seed=1), args.repeat)
        rows.append(("generate_center, 26 weeks x 4 queues", len(center.calls), t))
        out = tmp / "demo"
        t, paths = timed(lambda: write_center(center, out), args.repeat)
        rows.append(("write_center (calls.csv etc.)", len(center.calls), t))
        mapping = load_preset("ccops-calls")
        t, _ = timed(lambda: read_calls(paths["calls"], mapping), args.repeat)
        rows.append(("read_calls, preset ccops-calls", len(center.calls), t))
    print(f"{'step':<40} {'rows':>9} {'median s':>9}")
    for name, n, t in rows:
        print(f"{name:<40} {n:>9} {t:>9.2f}")
    return print_memory(args.memory_rows)


def print_memory(n: int) -> int:
    if n <= 0:
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        figures = memory_rows(n, Path(tmp))
    print()
    title = "import (read_import, ccops-calls)"
    print(f"{title:<40} {'rows':>9} {'file MB':>8} {'peak MB':>8} {'s':>7}")
    for fmt, rows, size, peak, seconds in figures:
        print(f"{'memory: ' + fmt:<40} {rows:>9} {size:>8.1f} {peak:>8.1f} {seconds:>7.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
