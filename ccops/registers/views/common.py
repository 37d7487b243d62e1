"""What the registers' pages share: POST actions that call a service and come back (the
one helper of :mod:`ccops.core.generic`)."""

from ccops.core.generic import form_errors, post_action

__all__ = ["form_errors", "post_action"]
