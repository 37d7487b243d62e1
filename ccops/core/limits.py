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

#: Free text: notes, minutes, descriptions (about 20 pages of prose).
MAX_TEXT = 20_000
#: Short free text: a comment, a reason, an answer.
MAX_SHORT_TEXT = 2_000
#: How long a quoted value may be in an error message.
MAX_QUOTED = 60
#: How many problems a validation report lists before it only counts the rest.
MAX_REPORTED_PROBLEMS = 20


def shorten(value, limit: int = MAX_QUOTED) -> str:
    """``repr``-like quote of ``value`` cut to ``limit`` characters with an ellipsis and the
    full length, for error messages: ``'aaaa…' (300000 characters)``."""
    text = value if isinstance(value, str) else str(value)
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}… ({len(text):,} characters)"


class BoundedTextField(models.TextField):
    """A ``TextField`` with a ``max_length`` that model validation enforces
    (default :data:`MAX_TEXT`)."""

    def __init__(self, *args, max_length: int | None = MAX_TEXT, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        if self.max_length is not None:
            self.validators.append(MaxLengthValidator(self.max_length))
