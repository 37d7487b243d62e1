"""The wfm API router and helpers shared by its modules."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Router
from ninja.errors import HttpError

router = Router(tags=["wfm"])


def call_service(fn, *args, **kwargs):
    """Run a service; its refusals become 422 (rules) or 403 (not allowed)."""
    try:
        return fn(*args, **kwargs)
    except ValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        raise HttpError(422, str(detail)) from None
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "forbidden") from None
