"""Attachments of a case: type and size checks, stored on disk under DOUDI_DATA_DIR/documents/<case>/."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

from django.conf import settings

from doudi.accounts.roles import Perm
from doudi.accounts.scope import covers, perm_require
from doudi.audit.actions import audit_record
from doudi.core.actions import action
from doudi.core.errors import ApplicationError, NotFound
from doudi.core.sealedfiles import write_sealed
from doudi.core.uploads import document_max_bytes, too_large
from doudi.core.validation import text_clean

from .audit_actions import AuditAction
from .models import Case, Document, DocumentKind

# Accepted types by their first bytes (what the file is, not what its name says).
SIGNATURES = {
    b"%PDF-": ("pdf", "application/pdf"),
    b"\x89PNG\r\n\x1a\n": ("png", "image/png"),
    b"\xff\xd8\xff": ("jpg", "image/jpeg"),
}


def documents_root() -> Path:
    return Path(settings.DATA_DIR) / "documents"


def _sniff(content: bytes) -> tuple[str, str]:
    for magic, kind in SIGNATURES.items():
        if content.startswith(magic):
            return kind
    raise ApplicationError(
        "只接受 PDF、JPG 或 PNG 文件", "Only PDF, JPG or PNG files are accepted", field="file", code="bad_type"
    )


@action
def document_attach(*, actor, case: Case, kind: str, filename: str, content: bytes) -> Document:
    perm_require(actor, Perm.CASE_DOCUMENT)
    if not covers(actor, case.area_code):
        raise NotFound()
    if kind not in DocumentKind.values:
        raise ApplicationError(
            f"材料类型无效，可选：{'、'.join(DocumentKind.values)}",
            f"Invalid document kind; allowed: {', '.join(DocumentKind.values)}",
            field="kind",
            code="invalid_choice",
        )
    if not content:
        raise ApplicationError("文件为空", "The file is empty", field="file", code="empty")
    if len(content) > document_max_bytes():
        raise too_large(document_max_bytes(), size=len(content))
    name = text_clean(Path(filename or "").name, field="file", zh_label="文件名", en_label="File name", max_length=200)
    ext, content_type = _sniff(content)
    folder = documents_root() / str(case.pk)
    stored = f"{uuid.uuid4().hex}.{ext}"
    doc = Document.objects.create(
        case=case,
        kind=kind,
        original_name=name,
        stored_name=stored,
        size=len(content),
        content_type=content_type,
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.DOCUMENT_ATTACH,
        target=case,
        area_code=case.area_code,
        household_id=case.household_id,
        new={"document": doc.pk, "kind": kind, "size": len(content), "sha256": doc.sha256},
    )
    folder.mkdir(parents=True, exist_ok=True)  # the file last: a refusal above leaves nothing on disk
    write_sealed(folder / stored, content)  # stored sealed (SM4-GCM); the download decrypts it
    return doc


def document_path(doc: Document) -> Path:
    return documents_root() / str(doc.case_id) / doc.stored_name
