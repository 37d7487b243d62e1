"""The errors services raise, and the one shape every API error takes.

Services raise Django's ``ValidationError`` (a rule refused the input: 422),
``PermissionDenied`` (403), ``Http404`` (404) or :class:`Conflict` (the row changed under
the request, e.g. a parallel request decided it first: 409). The API's global handlers
(``ccops/web/api.py``) turn each into::

    {"detail": "one readable message", "errors": [{"field": "start", "message": "..."}]}

``errors`` lists the field errors (``field`` is ``null`` for errors about the whole
request); ``detail`` is always a string.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext


class Conflict(ValidationError):
    """A state transition lost a race or met a state that no longer allows it (HTTP 409).

    A subclass of ``ValidationError`` so that page views showing a refused form show it
    the same way; the API answers 409 instead of 422.
    """


def error_items(exc: ValidationError) -> list[dict]:
    """The field errors of ``exc`` as ``[{"field": name or None, "message": text}]``."""
    items: list[dict] = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            name = None if field in (NON_FIELD_ERRORS, "__all__") else field
            items.extend({"field": name, "message": str(message)} for message in errors)
    else:
        items.extend({"field": None, "message": str(message)} for message in exc.messages)
    return items


def error_body(detail: str, errors: list[dict] | None = None) -> dict:
    """The one JSON shape of an API error."""
    return {"detail": str(detail), "errors": list(errors or [])}


def validation_body(exc: ValidationError) -> dict:
    """``error_body`` of a ValidationError: ``detail`` joins the messages."""
    items = error_items(exc)
    parts = [
        f"{item['field']}: {item['message']}" if item["field"] else item["message"]
        for item in items
    ]
    return error_body("; ".join(parts) or gettext("The input is not valid."), items)
