"""The zh-Hans catalogs are complete: every msgid translated, none fuzzy, nothing that
``makemessages`` would add, and the committed ``.mo`` matches its ``.po``."""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "ccops"
TRANSLATABLE = re.compile(r"gettext|\{% *(translate|trans|blocktranslate|blocktrans)\b")
CATALOG = Path("locale/zh_Hans/LC_MESSAGES/django.po")


def _apps_with_strings() -> list[Path]:
    apps = []
    for app in sorted(p for p in PACKAGE.iterdir() if p.is_dir()):
        if app.name in {"engine", "cli", "devtools", "__pycache__"}:
            continue
        files = [*app.rglob("*.py"), *app.rglob("*.html")]
        if any(TRANSLATABLE.search(f.read_text(encoding="utf-8")) for f in files):
            apps.append(app)
    return apps


def _msgfmt() -> str:
    exe = shutil.which("msgfmt")
    if exe is None:
        pytest.fail("msgfmt (gettext) is not installed; .ci/run installs it")
    return exe


def _statistics(po: Path) -> str:
    result = subprocess.run(
        [_msgfmt(), "--check", "--statistics", "-o", os.devnull, str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr.strip().splitlines()[-1]


def _assert_complete(po: Path) -> None:
    stats = _statistics(po)
    assert "fuzzy" not in stats and "untranslated" not in stats, f"{po}: {stats}"


APPS = _apps_with_strings()


def test_every_app_with_strings_has_a_catalog():
    assert {a.name for a in APPS} >= {"core", "people", "web"}
    missing = [str(a.relative_to(REPO)) for a in APPS if not (a / CATALOG).is_file()]
    assert not missing, f"apps with translatable strings but no zh_Hans catalog: {missing}"


@pytest.mark.parametrize("app", APPS, ids=lambda a: a.name)
def test_catalog_is_complete_and_compiled(app, tmp_path):
    po = app / CATALOG
    _assert_complete(po)
    compiled = tmp_path / "django.mo"
    subprocess.run([_msgfmt(), "-o", str(compiled), str(po)], check=True)
    with compiled.open("rb") as fresh, (po.with_suffix(".mo")).open("rb") as committed:
        assert (
            gettext.GNUTranslations(fresh)._catalog == gettext.GNUTranslations(committed)._catalog
        ), f"{po.with_suffix('.mo')} is stale: run compilemessages"


@pytest.mark.parametrize("app", APPS, ids=lambda a: a.name)
def test_makemessages_would_add_nothing(app, tmp_path):
    copy = tmp_path / app.name
    shutil.copytree(app, copy, ignore=shutil.ignore_patterns("__pycache__"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ccops.web.settings",
        "PYTHONPATH": str(REPO),
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-location",
            "--no-obsolete",
        ],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    _assert_complete(copy / CATALOG)
