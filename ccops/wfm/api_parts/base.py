"""The wfm API router and helpers shared by its modules."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["wfm"])
