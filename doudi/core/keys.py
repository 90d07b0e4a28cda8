"""Keys live outside the database, in a key file only the service account may read.

The file is JSON: ``{"version": 1, "keys": [{"id": "audit-1", "purpose": "audit", "key": "<base64>",
"created": "2026-12-01"}, ...]}``. The last key listed for a purpose is the one in use; older ones stay so that
what they sealed or encrypted can still be checked or read (each stored value names its key id). Adding a key
(``doudi keys add``) rotates: new work uses it from then on.

At start the file's permissions are checked: a key file that the group or others may read is refused, as is a
missing file when ``DOUDI_KEY_FILE_CREATE`` is off (production). In development and tests a missing file is
created with fresh random keys and mode 0600.

A key management service or hardware security module plugs in behind the same two functions,
``current_key(purpose)`` and ``key_by_id(key_id)`` (``DOUDI_KEY_PROVIDER``: a dotted path to an object with
those two methods; see docs/security.md).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import secrets
import stat
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

# audit: HMAC-SM3 of the audit chain; backup: SM4-GCM/AES-GCM of backups; data: of personal data in the
# database; index: HMAC-SM3 blind indexes for equality search on encrypted columns; files: of stored files
PURPOSES = ("audit", "backup", "data", "index", "files")
KEY_BYTES = 32

_lock = threading.Lock()
_cache: dict[str, tuple[float, dict]] = {}


class KeyFileError(ImproperlyConfigured):
    """The key file is missing, unreadable, too open or malformed. The message is for the operator."""


def key_file() -> Path:
    return Path(settings.DOUDI_KEY_FILE)


def _new_key(purpose: str, existing: list[dict]) -> dict:
    n = 1 + sum(1 for k in existing if k["purpose"] == purpose)
    return {  # the random tail tells keys of different key files apart: a wrong file says so, not "changed"
        "id": f"{purpose}-{n}-{secrets.token_hex(2)}",
        "purpose": purpose,
        "key": base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode(),
        "created": dt.date.today().isoformat(),
    }


def _write(path: Path, data: dict) -> None:
    """Write the key file atomically with mode 0600 (created so, never widened)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".new")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(data, f, indent=1)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def keys_init(path: Path | None = None) -> Path:
    """Create the key file with one fresh key per purpose; refuses to overwrite an existing file."""
    path = path or key_file()
    if path.exists():
        raise KeyFileError(f"密钥文件已存在，未改动：{path}")
    keys: list[dict] = []
    for purpose in PURPOSES:
        keys.append(_new_key(purpose, keys))
    _write(path, {"version": 1, "keys": keys})
    cache_clear()
    return path


def keys_add(purpose: str, path: Path | None = None) -> str:
    """Rotate: append a new key for ``purpose``, which is used from now on. Returns its id."""
    if purpose not in PURPOSES:
        raise KeyFileError(f"没有这种用途的密钥：{purpose}（可选：{'、'.join(PURPOSES)}）")
    path = path or key_file()
    with _lock:
        data = _read(path)
        key = _new_key(purpose, data["keys"])
        data["keys"].append(key)
        _write(path, data)
        cache_clear()
    return key["id"]


def _check_mode(path: Path) -> None:
    mode = path.stat().st_mode
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyFileError(
            f"密钥文件 {path} 的权限过宽（{stat.filemode(mode)}），其他用户可以读取。请执行 chmod 600 {path}。"
            f" / The key file {path} may be read by others ({stat.filemode(mode)}): run chmod 600 {path}."
        )


def _read(path: Path) -> dict:
    if not path.exists():
        if settings.DOUDI_KEY_FILE_CREATE:
            keys_init(path)
        else:
            raise KeyFileError(
                f"找不到密钥文件 {path}（DOUDI_KEY_FILE）。请运行 doudi keys init 生成，并妥善备份。"
                f" / Key file {path} not found: run `doudi keys init` and back it up."
            )
    _check_mode(path)
    try:
        data = json.loads(path.read_text())
        for k in data["keys"]:
            if k["purpose"] in PURPOSES and len(base64.b64decode(k["key"])) != KEY_BYTES:
                raise ValueError(f"key {k['id']} is not {KEY_BYTES} bytes")
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise KeyFileError(f"密钥文件 {path} 无法读取或格式不对：{e}") from e
    return data


RECHECK_SECONDS = 2.0  # how often the key file is looked at again (a rotation by another process is seen then)
_checked: dict[str, float] = {}


def _keys() -> dict:
    path = key_file()
    name = str(path)
    now = time.monotonic()
    cached = _cache.get(name)
    if cached is not None and now - _checked.get(name, 0.0) < RECHECK_SECONDS:
        return cached[1]  # the hot path: sealing a million values must not stat a file a million times
    with _lock:
        mtime = path.stat().st_mtime if path.exists() else -1.0
        if cached is None or cached[0] != mtime:
            data = _read(path)
            _cache[name] = (path.stat().st_mtime, data)
        _checked[name] = now
        return _cache[name][1]


class FileKeys:
    """Keys from the key file (the default provider)."""

    def current_key(self, purpose: str) -> tuple[str, bytes]:
        found = [k for k in _keys()["keys"] if k["purpose"] == purpose]
        if not found and settings.DOUDI_KEY_FILE_CREATE and purpose in PURPOSES:
            keys_add(purpose)  # development: a key file made before this purpose existed gets its key
            found = [k for k in _keys()["keys"] if k["purpose"] == purpose]
        if not found:
            raise KeyFileError(f"密钥文件中没有“{purpose}”用途的密钥。请运行 doudi keys add --purpose {purpose}。")
        return found[-1]["id"], base64.b64decode(found[-1]["key"])

    def key_by_id(self, key_id: str) -> bytes:
        for k in _keys()["keys"]:
            if k["id"] == key_id:
                return base64.b64decode(k["key"])
        raise KeyFileError(f"密钥文件中没有编号为 {key_id} 的密钥（是否换用了别的密钥文件？）")

    def key_ids(self) -> list[dict]:
        """Ids, purposes and dates (never the keys themselves)."""
        return [{k: v for k, v in key.items() if k != "key"} for key in _keys()["keys"]]


def cache_clear() -> None:
    """Forget what was read from key files (tests switch files; ``keys_add`` changes one)."""
    _cache.clear()
    _checked.clear()
    _fast.clear()


def provider():
    dotted = getattr(settings, "DOUDI_KEY_PROVIDER", "")
    return import_string(dotted)() if dotted else FileKeys()


_fast: dict[str, tuple[float, object, tuple[str, bytes]]] = {}


def current_key(purpose: str) -> tuple[str, bytes]:
    where = settings.DOUDI_KEY_FILE
    hit = _fast.get(purpose)
    now = time.monotonic()
    if hit is not None and hit[0] > now and hit[1] is where:
        return hit[2]
    found = provider().current_key(purpose)
    _fast[purpose] = (now + RECHECK_SECONDS, where, found)
    return found


def key_by_id(key_id: str) -> bytes:
    return provider().key_by_id(key_id)


def keys_check() -> None:
    """Called at start: the key file exists (or may be created) and is not readable by others."""
    if not getattr(settings, "DOUDI_KEY_PROVIDER", ""):
        _keys()
