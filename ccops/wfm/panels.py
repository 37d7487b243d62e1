"""Home-page panels and menu entries of workforce management."""

from __future__ import annotations


def register() -> None:
    return None
