"""Run every ``benchmarks/bench_*.py`` module in turn; exit 1 if any target fails."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

failed = 0
for info in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
    if info.name.startswith("bench_"):
        print(f"== benchmarks.{info.name}")
        failed += bool(importlib.import_module(f"benchmarks.{info.name}").main())
sys.exit(1 if failed else 0)
