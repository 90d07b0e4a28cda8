"""The uploaded roster kept between its preview and its confirmation (the children's roster, a village's old-age
roster): sealed under ``DOUDI_DATA_DIR/roster-previews/<account>-<what>-<token>.xlsx``, readable only by the
account that uploaded it and only for what it previewed (the children's roster, or one village's roster).

Nothing stays there longer than it is needed: confirming takes the file (read once and removed, whether the import
then succeeds or is refused — a refused confirmation is uploaded again), cancelling removes it, and a preview left
unanswered (the page closed) is removed by the next preview of anyone once it is older than a day (``KEEP``)."""

from __future__ import annotations

import datetime as dt
import re
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.http import Http404

from doudi.core.sealedfiles import read_plain, write_sealed

FOLDER = "roster-previews"
KEEP = dt.timedelta(days=1)


def preview_folder() -> Path:
    return Path(settings.DATA_DIR) / FOLDER


def _path(user, what: str, token: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{32}", token or ""):
        raise Http404
    return preview_folder() / f"{user.pk}-{what}-{token}.xlsx"


def previews_sweep(*, now: float | None = None) -> int:
    """Remove the previews older than ``KEEP`` (every account's); returns how many."""
    folder = preview_folder()
    if not folder.is_dir():
        return 0
    before = (now if now is not None else time.time()) - KEEP.total_seconds()
    removed = 0
    for path in folder.glob("*.xlsx"):
        try:
            if path.stat().st_mtime < before:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # taken or removed meanwhile
            continue
    return removed


def preview_keep(user, what: str, content: bytes) -> str:
    """Keep ``content`` sealed until it is confirmed or cancelled; returns the token naming it. Old previews left
    unanswered are removed first."""
    previews_sweep()
    token = uuid.uuid4().hex
    path = _path(user, what, token)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_sealed(path, content)
    return token


def preview_take(user, what: str, token: str) -> bytes | None:
    """The previewed content, removed as it is read (a token is used once); None when it is gone (confirmed,
    cancelled or expired)."""
    path = _path(user, what, token)
    try:
        return read_plain(path)
    except FileNotFoundError:
        return None
    finally:
        path.unlink(missing_ok=True)


def preview_drop(user, what: str, token: str) -> None:
    """Cancelled: the previewed file is removed."""
    _path(user, what, token).unlink(missing_ok=True)
