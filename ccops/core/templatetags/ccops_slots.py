"""``{% page_slot "name" %}``: the pieces other apps registered for this place of a page
(see :mod:`ccops.core.slots`)."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from ccops.core.slots import pieces_for

register = template.Library()


@register.simple_tag(takes_context=True)
def page_slot(context, name: str):
    request = context.get("request")
    if request is None:
        return ""
    flat = context.flatten()
    parts = [
        render_to_string(piece.template, {**flat, "slot": piece_context}, request=request)
        for piece, piece_context in pieces_for(name, request, flat)
    ]
    return mark_safe("".join(parts))
