"""Files the system keeps (bank files, case documents, import reports) are stored sealed: the chunked SM4-GCM (or
AES-256-GCM) stream of doudi/core/crypto.py under the key file's ``files`` key. ``open_plain`` gives the content
back to whoever the calling action has let read it (and audited); a file stored before encryption was switched
on is read as it is.

A sealed file is written next to its final name and renamed into place, so a reader never sees half a file."""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

from .crypto import MAGIC, decrypt_stream, encrypt_stream
from .keys import current_key, provider

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


# ---- key rotation -----------------------------------------------------------------------------------------------
# The folders of DOUDI_DATA_DIR that hold the stored files (not backups, keys, the audit archive, nor the bureau's
# own summary templates, which are its documents, not personal data).
STORED_FOLDERS = ("bank", "documents", "import-reports", "roster-previews", "medical-imports", "exports")


def file_key_id(path: Path) -> str | None:
    """The key id a sealed file names in its header; None for a file in the clear."""
    with open(path, "rb") as f:
        if f.read(len(MAGIC)) != MAGIC:
            return None
        try:
            return json.loads(f.readline())["key_id"]
        except (ValueError, KeyError):
            return None


def stored_files(root: Path | None = None):
    root = Path(settings.DATA_DIR) if root is None else root
    for folder in STORED_FOLDERS:
        if (root / folder).is_dir():
            # a name starting with "." is a file being sealed right now (write_sealed's temporary)
            yield from sorted(p for p in (root / folder).rglob("*") if p.is_file() and not p.name.startswith("."))


def files_rotate(root: Path | None = None, progress=None) -> int:
    """Seal every stored file with the current ``files`` key: those sealed under an older one, and those kept in the
    clear from before files were sealed. Each file is rewritten under a temporary name and renamed into place, so
    a kill leaves every file whole, under the old key or the new one, and a rerun carries on; done, a rerun does
    nothing. A sealed file under a key that is not a ``files`` key is left alone."""
    current, _key = current_key(PURPOSE)
    ours = {k["id"] for k in provider().key_ids() if k["purpose"] == PURPOSE}
    done = 0
    for path in stored_files(root):
        key_id = file_key_id(path)
        if key_id == current or (key_id is not None and key_id not in ours):
            continue
        with open_plain(path) as plain:
            write_sealed(path, plain)
        done += 1
        if progress:
            progress(path, done)
    return done
