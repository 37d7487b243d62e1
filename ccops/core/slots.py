"""Page slots: a page of one app shows a piece that another app registers, without either
importing the other (like the home-page panels, but inside a page).

The page marks the place::

    {% load ccops_slots %}{% page_slot "wfm.my_schedule" %}

and an app, in ``AppConfig.ready``, fills it::

    register_slot("wfm.my_schedule", key="registers.rest_room",
                  template="registers/slots/_rest_room.html", context=rest_room_context)

``context(request, page_context) -> dict | None`` gets the request and the page's own
context (e.g. its ``shifts``) and returns the piece's context, or ``None`` to show nothing.
Pieces are shown in ``order``; a slot nobody fills renders nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SlotPiece:
    slot: str
    key: str
    template: str
    context: Callable
    order: int


_SLOTS: dict[str, dict[str, SlotPiece]] = {}


def register_slot(
    slot: str, *, key: str, template: str, context: Callable, order: int = 100
) -> SlotPiece:
    """Fill ``slot`` with a piece (registering the same ``key`` again replaces it)."""
    piece = SlotPiece(slot, key, template, context, order)
    _SLOTS.setdefault(slot, {})[key] = piece
    return piece


def pieces_for(slot: str, request, page_context) -> list[tuple[SlotPiece, dict]]:
    """``(piece, context)`` of the pieces of ``slot`` to show, in order."""
    shown = []
    for piece in sorted(_SLOTS.get(slot, {}).values(), key=lambda p: (p.order, p.key)):
        context = piece.context(request, page_context)
        if context is not None:
            shown.append((piece, context))
    return shown
