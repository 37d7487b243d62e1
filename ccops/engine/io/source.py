"""Input files as the readers see them: a path or a binary stream, with a display name.

:func:`open_source` reads the file once, within the limits of
:mod:`ccops.engine.io.limits`: the size as given is checked before reading (for a path)
or while reading (a stream), compressed content (gzip, bzip2, xz, or a zip holding one
CSV; recognised by its first bytes, not its name) is decompressed in chunks and
refused as soon as it passes :data:`~ccops.engine.io.limits.MAX_DECOMPRESSED_BYTES`,
and a CSV line longer than :data:`~ccops.engine.io.limits.MAX_LINE_BYTES` is refused
before any parsing. Errors name the file by its display ``name`` (the uploaded file's
name on the web), never a temporary path.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ccops.engine.io import limits
from ccops.engine.io.errors import InputError, Message
from ccops.engine.io.limits import megabytes

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_COMPRESSED_SUFFIXES = (".gz", ".bz2", ".xz", ".zip")
_CHUNK = 1024 * 1024
#: First bytes of compressed content -> (opener of a binary stream, what to call it).
_COMPRESSORS = (
    (b"\x1f\x8b", (lambda f: gzip.GzipFile(fileobj=f), "gzip")),
    (b"BZh", (bz2.BZ2File, "bzip2")),
    (b"\xfd7zXZ\x00", (lzma.LZMAFile, "xz")),
)


@dataclass(frozen=True)
class Source:
    """The content of one input file (decompressed) and the name errors give it."""

    name: str
    data: bytes
    #: ``"csv"`` or ``"excel"``.
    format: str = "csv"

    def stream(self) -> io.BytesIO:
        return io.BytesIO(self.data)


def _suffix(name: str) -> str:
    """The suffix that says the layout: ``calls.csv.gz`` -> ``.csv``."""
    suffixes = [s.lower() for s in Path(name).suffixes]
    while suffixes and suffixes[-1] in _COMPRESSED_SUFFIXES:
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def _read_capped(stream, name: str, limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(Message("file_too_large", size=megabytes(limit)), path=name)
    return data


def _decompress(stream, name: str, limit: int, what: str) -> bytes:
    """Read a decompressing stream in chunks, stopping as soon as ``limit`` is passed."""
    out = bytearray()
    try:
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            out += chunk
            if len(out) > limit:
                raise InputError(
                    Message("decompresses_too_large", size=megabytes(limit), format=what),
                    path=name,
                )
    except (OSError, EOFError, lzma.LZMAError, zipfile.BadZipFile, ValueError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(Message("cannot_decompress", format=what, error=exc), path=name) from exc
    return bytes(out)


def _longest_line_check(data: bytes, name: str, limit: int) -> None:
    """Refuse a line longer than ``limit`` bytes (vectorised, in chunks)."""
    if len(data) <= limit:
        return
    arr = np.frombuffer(data, dtype=np.uint8)
    prev = -1
    line = 1
    step = 16 * _CHUNK
    for off in range(0, len(arr), step):
        nl = np.flatnonzero(arr[off : off + step] == 10) + off
        if len(nl):
            lengths = np.diff(np.concatenate(([prev], nl))) - 1
            over = np.flatnonzero(lengths > limit)
            if len(over):
                _too_long(name, line + int(over[0]), limit)
            line += len(nl)
            prev = int(nl[-1])
        elif min(off + step, len(arr)) - prev - 1 > limit:
            _too_long(name, line, limit)
    if len(arr) - prev - 1 > limit:
        _too_long(name, line, limit)


def _too_long(name: str, line: int, limit: int):
    raise InputError(
        Message("line_too_long", limit=f"{limit:,}"),
        path=name,
        line=line,
    )


def open_source(
    obj,
    name: str | None = None,
    *,
    max_bytes: int | None = None,
    max_decompressed: int | None = None,
    max_line: int | None = None,
) -> Source:
    """Read ``obj`` (a path, a binary stream, bytes, or a :class:`Source`) as a checked
    :class:`Source` named ``name`` (default: the path as given, or the stream's ``name``).
    The limits default to those of :mod:`ccops.engine.io.limits` (read at each call).

    Raises
    ------
    InputError
        File not found, too large (as given or decompressed), undecompressable, an old
        ``.xls`` workbook, or a line too long; the message names ``name``.
    """
    if isinstance(obj, Source):
        return obj
    max_bytes = max_bytes or limits.MAX_FILE_BYTES
    max_decompressed = max_decompressed or limits.MAX_DECOMPRESSED_BYTES
    max_line = max_line or limits.MAX_LINE_BYTES
    if isinstance(obj, str | Path):
        path = Path(obj)
        name = name or str(obj)
        if not path.is_file():
            raise InputError(Message("file_not_found"), path=name)
        if path.stat().st_size > max_bytes:
            raise InputError(Message("file_too_large", size=megabytes(max_bytes)), path=name)
        with path.open("rb") as fh:
            raw = _read_capped(fh, name, max_bytes)
    elif isinstance(obj, bytes | bytearray | memoryview):
        name = name or "upload"
        raw = bytes(obj)
        if len(raw) > max_bytes:
            raise InputError(Message("file_too_large", size=megabytes(max_bytes)), path=name)
    else:
        name = name or str(getattr(obj, "name", None) or "upload")
        raw = _read_capped(obj, name, max_bytes)
    suffix = _suffix(name)
    if suffix == ".xls":
        raise InputError(Message("old_xls"), path=name)
    head = raw[:6]
    if head.startswith(b"PK\x03\x04"):
        if suffix in EXCEL_SUFFIXES:
            _check_zip_sizes(raw, name, max_decompressed)
            return Source(name=name, data=raw, format="excel")
        with _open_zip(raw, name) as zf:
            members = [i for i in zf.infolist() if not i.is_dir()]
            if len(members) != 1:
                raise InputError(Message("zip_members", count=len(members)), path=name)
            _check_zip_sizes(raw, name, max_decompressed)
            with zf.open(members[0]) as fh:
                data = _decompress(fh, name, max_decompressed, "zip")
    else:
        opener = next((o for magic, o in _COMPRESSORS if head.startswith(magic)), None)
        if opener is None:
            data = raw
        else:
            with opener[0](io.BytesIO(raw)) as fh:
                data = _decompress(fh, name, max_decompressed, opener[1])
    if suffix in EXCEL_SUFFIXES:
        raise InputError(Message("not_xlsx"), path=name)
    _longest_line_check(data, name, max_line)
    return Source(name=name, data=data, format="csv")


def _open_zip(raw: bytes, name: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile as exc:
        raise InputError(Message("cannot_read", error=exc), path=name) from exc


def _check_zip_sizes(raw: bytes, name: str, limit: int) -> None:
    """A zip (also an .xlsx) whose members decompress to more than ``limit`` is refused
    before it is opened (``zipfile`` never yields more than a member's declared size)."""
    with _open_zip(raw, name) as zf:
        total = sum(i.file_size for i in zf.infolist())
    if total > limit:
        raise InputError(Message("zip_too_large", size=megabytes(limit)), path=name)
