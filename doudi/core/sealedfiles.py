"""Files the system keeps (bank files, case documents, import reports) are stored sealed: the chunked SM4-GCM (or
AES-256-GCM) stream of doudi/core/crypto.py under the key file's ``files`` key. ``open_plain`` gives the content
back to whoever the calling action has let read it (and audited); a file stored before encryption was switched
on is read as it is.

A sealed file is written next to its final name and renamed into place, so a reader never sees half a file."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

from .crypto import MAGIC, decrypt_stream, encrypt_stream

PURPOSE = "files"
SPOOL_BYTES = 256 * 1024 * 1024  # decrypted content stays in memory up to this size


def is_sealed_file(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(len(MAGIC)) == MAGIC


def write_sealed(path: Path, content: bytes | BinaryIO) -> None:
    """Seal ``content`` into ``path`` (atomically: a temporary name in the same folder, then renamed)."""
    source = io.BytesIO(content) if isinstance(content, (bytes, bytearray)) else content
    tmp = path.with_name(f".{path.name}.sealing")
    try:
        with open(tmp, "wb") as target:
            encrypt_stream(source, target, purpose=PURPOSE)
            target.flush()
            os.fsync(target.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def seal_file(plain: Path, final: Path) -> None:
    """Seal the file at ``plain`` into ``final`` and remove the plain one."""
    with open(plain, "rb") as source:
        write_sealed(final, source)
    plain.unlink(missing_ok=True)


def open_plain(path: Path) -> BinaryIO:
    """The file's content, decrypted (in memory up to 256 MB), positioned at the start."""
    if not is_sealed_file(path):
        return open(path, "rb")
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    with open(path, "rb") as source:
        for block in decrypt_stream(source):
            out.write(block)
    out.seek(0)
    return out


def read_plain(path: Path) -> bytes:
    with open_plain(path) as f:
        return f.read()


def copy_plain(path: Path, target: BinaryIO) -> None:
    with open_plain(path) as f:
        shutil.copyfileobj(f, target)
