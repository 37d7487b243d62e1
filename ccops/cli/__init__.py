"""The ``ccops`` command line.

Each sub-command lives in its own module under :mod:`ccops.cli` and exposes
``register(subparsers)``, which adds its parser and sets ``handler`` to a
function ``handler(args) -> int``. Add the module name to ``COMMAND_MODULES``.

Commands that need Django configure it themselves inside their handler, so the
engine commands start fast and work without a database.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from ccops import __version__
from ccops.engine.io.errors import InputError

COMMAND_MODULES: tuple[str, ...] = (
    "ccops.cli.import_",
    "ccops.cli.demo_data",
    "ccops.cli.staff",
    "ccops.cli.validate_staffing",
    "ccops.cli.demo",
    "ccops.cli.serve",
    "ccops.cli.backup",
    "ccops.cli.worker",
    "ccops.cli.manage",
    "ccops.cli.forecast",
    "ccops.cli.backtest",
    "ccops.cli.schedule",
)


class CommandError(Exception):
    """A user-facing failure: printed as ``ccops: error: <message>``, exit code 2."""


def cv_as_sigma(text: str) -> float:
    """``--service-cv CV``: the log-standard deviation of the lognormal of that
    coefficient of variation (the commands take the shape as its sigma)."""
    from ccops.engine.simulate.distributions import lognormal_sigma

    try:
        return lognormal_sigma(float(text))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"a coefficient of variation is a number above 0; got {text!r}"
        ) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ccops",
        description="Run a customer-service call center by its operations manual.",
    )
    parser.add_argument("--version", action="version", version=f"ccops {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 1
    try:
        return int(handler(args) or 0)
    except (CommandError, InputError) as exc:
        print(f"ccops: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `ccops ... | head`
        return 0
