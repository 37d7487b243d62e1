"""Limits on input, shared by every app: text lengths, how values are quoted in errors,
how many problems a report lists.

* Model text fields use :class:`BoundedTextField` (a ``TextField`` whose ``max_length`` is
  enforced by ``full_clean``, not only by the form widget, as Django's own is).
* Errors quote the offending value with :func:`shorten`, so a 300 MB field never becomes a
  300 MB error message.
* Reports of bad rows list the first :data:`MAX_REPORTED_PROBLEMS` problems and a count.
* An uploaded CSV of any app is read with :func:`read_upload_csv` (the engine's
  :func:`~ccops.engine.io.cells.read_csv_cells`: the size as uploaded and decompressed, the
  line and value lengths of the imports), its errors a ``ValidationError`` of the field
  ``file`` (:func:`input_error`) in the shape of the wfm imports' report.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext as _

from ccops.core.engine_messages import data_text, problem_texts
from ccops.engine.io.cells import CsvCells, read_csv_cells
from ccops.engine.io.errors import InputError
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
    "input_error",
    "read_upload_csv",
    "shorten",
]


class BoundedTextField(models.TextField):
    """A ``TextField`` with a ``max_length`` that model validation enforces
    (default :data:`MAX_TEXT`)."""

    def __init__(self, *args, max_length: int | None = MAX_TEXT, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        if self.max_length is not None:
            self.validators.append(MaxLengthValidator(self.max_length))


def input_error(exc: InputError, field: str = "file") -> ValidationError:
    """``exc`` (a bad input file) as a ``ValidationError`` of ``field``: one message per
    bad value listed, each naming the file, line, column and value (quoted shortened), and
    how many more there are."""
    data = exc.data()  # worded in the reader's language
    if not exc.problems:
        return ValidationError({field: [data_text(data)]})
    prefix = f"{exc.path}: " if exc.path else ""
    messages = [prefix + text for text in problem_texts(data)[:MAX_REPORTED_PROBLEMS]]
    if exc.total > len(messages):
        messages.append(_("and %(n)s more problems") % {"n": exc.total - len(messages)})
    return ValidationError({field: messages})


def read_upload_csv(
    content: bytes, filename: str, *, max_bytes: int, columns=None, field: str = "file"
) -> CsvCells:
    """An uploaded CSV (``content`` named ``filename``) as text cells within the limits of
    the imports: at most ``max_bytes`` as uploaded and four times that decompressed (a
    ``.csv.gz`` is read too), lines and values no longer than the imports allow. Raises a
    ``ValidationError`` of ``field`` naming the file and each bad value."""
    try:
        return read_csv_cells(
            content,
            filename,
            max_bytes=max_bytes,
            max_decompressed=4 * max_bytes,
            columns=columns,
            empty=_("the file is empty (expected a header row)"),
        )
    except InputError as exc:
        raise input_error(exc, field) from None
