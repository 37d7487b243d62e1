"""Run every ``benchmarks/bench_*.py`` module as ``python -m`` would; exit 1 if any fails."""

from __future__ import annotations

import pkgutil
import runpy
import sys
from pathlib import Path

failed = []
for info in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
    if not info.name.startswith("bench_"):
        continue
    print(f"== benchmarks.{info.name}", flush=True)
    try:
        runpy.run_module(f"benchmarks.{info.name}", run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        if exc.code not in (None, 0):
            failed.append(info.name)
sys.exit(1 if failed else 0)
