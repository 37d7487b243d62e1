"""The import-layer check runs inside the suite too, so a layering break fails `pytest`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.engine


def test_import_contracts_hold():
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    result = subprocess.run(
        [exe, "--config", str(REPO / "pyproject.toml")],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_engine_source_never_mentions_django_imports():
    """A cheap second guard that also catches imports hidden inside functions."""
    offenders = []
    for path in (REPO / "ccops" / "engine").rglob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            stripped = line.strip()
            if stripped.startswith(("import django", "from django", "import ninja", "from ninja")):
                offenders.append(f"{path.relative_to(REPO)}:{number}: {stripped}")
    assert not offenders, "\n".join(offenders)
