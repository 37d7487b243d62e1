"""Limits on input, shared by every app: text lengths, how values are quoted in errors,
how many problems a report lists.

* Model text fields use :class:`BoundedTextField` (a ``TextField`` whose ``max_length`` is
  enforced by ``full_clean``, not only by the form widget, as Django's own is).
* Errors quote the offending value with :func:`shorten`, so a 300 MB field never becomes a
  300 MB error message.
* Reports of bad rows list the first :data:`MAX_REPORTED_PROBLEMS` problems and a count.
"""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models

from ccops.engine.io.limits import MAX_QUOTED, MAX_REPORTED_PROBLEMS, shorten

#: Free text: notes, minutes, descriptions (about 20 pages of prose).
MAX_TEXT = 20_000
#: Short free text: a comment, a reason, an answer.
MAX_SHORT_TEXT = 2_000
#: (``MAX_QUOTED``, ``MAX_REPORTED_PROBLEMS`` and ``shorten`` come from the engine's
#: :mod:`ccops.engine.io.limits`, so that imports read by the command line and the web
#: quote and count alike.)
__all__ = [
    "MAX_QUOTED",
    "MAX_REPORTED_PROBLEMS",
    "MAX_SHORT_TEXT",
    "MAX_TEXT",
    "BoundedTextField",
    "shorten",
]


class BoundedTextField(models.TextField):
    """A ``TextField`` with a ``max_length`` that model validation enforces
    (default :data:`MAX_TEXT`)."""

    def __init__(self, *args, max_length: int | None = MAX_TEXT, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        if self.max_length is not None:
            self.validators.append(MaxLengthValidator(self.max_length))
