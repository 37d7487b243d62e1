"""The router every part of the knowledge API registers on."""

from ninja import Router

router = Router(tags=["knowledge"])
