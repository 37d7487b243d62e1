"""``ccops manage ARGS``: Django's management commands with ccops' settings."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "manage",
        help="run a Django management command (migrate, createsuperuser, sync_roles, ...)",
        description=(
            "Run a Django management command with ccops' settings (from the CCOPS_* "
            "environment variables), e.g. `ccops manage migrate` or "
            "`ccops manage api_token alice --name laptop`."
        ),
    )
    p.add_argument("arguments", nargs=argparse.REMAINDER, help="the command and its options")
    p.set_defaults(handler=run)


def run(args) -> int:
    from ccops.cli._django import setup_django

    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ccops manage", *args.arguments])
    return 0
