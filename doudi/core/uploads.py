"""Uploaded files: a size limit checked before the content is read, and checks of what a file really is.

Django streams an upload to a temporary file as it arrives; ``UploadLimitHandler`` (first in
FILE_UPLOAD_HANDLERS) stops storing a file as soon as it passes the largest limit of any upload, so a 2 GB
file never reaches the disk. ``upload_read`` then applies the limit of the page that receives it (imports:
DOUDI_IMPORT_MAX_MB, case documents: DOUDI_DOCUMENT_MAX_MB) and names it when it refuses.
"""

from __future__ import annotations

import base64
import binascii
import io
import os
import zipfile
from typing import BinaryIO

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from openpyxl import load_workbook

from .errors import ApplicationError

MB = 1024 * 1024


def import_max_bytes() -> int:
    return settings.DOUDI_IMPORT_MAX_MB * MB


def document_max_bytes() -> int:
    return settings.DOUDI_DOCUMENT_MAX_MB * MB


def largest_upload_bytes() -> int:
    return max(import_max_bytes(), document_max_bytes())


def too_large(max_bytes: int, *, field: str = "file", size: int | None = None) -> ApplicationError:
    limit = f"{max_bytes / MB:g} MB"
    got_zh = f"（此文件 {size / MB:.1f} MB）" if size else ""
    got_en = f" (this one is {size / MB:.1f} MB)" if size else ""
    return ApplicationError(
        f"文件超过 {limit} 的上限{got_zh}，请拆分后分批上传",
        f"The file exceeds the {limit} limit{got_en}; split it and upload the parts",
        field=field,
        code="too_large",
        extra={"max_bytes": max_bytes},
    )


class UploadLimitHandler(FileUploadHandler):
    """Stops receiving a file once it passes the largest upload limit; the rest of the request is discarded
    and the view is told (``request.upload_too_large``) so it can name the limit."""

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > largest_upload_bytes():
            self.request.upload_too_large = self.field_name
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def upload_read(
    request, *, max_bytes: int, field: str = "file", zh_label: str = "文件", en_label: str = "file"
) -> tuple[str, bytes]:
    """The name and content of the uploaded file ``field``, refused before it is read when it is larger than
    ``max_bytes`` (or missing, or empty)."""
    name, upload = upload_get(request, max_bytes=max_bytes, field=field, zh_label=zh_label, en_label=en_label)
    return name, upload.read()


def upload_get(request, *, max_bytes: int, field: str = "file", zh_label: str = "文件", en_label: str = "file"):
    """The name and the uploaded file ``field`` itself (a binary file, for a caller that reads it as a stream),
    refused when it is larger than ``max_bytes``, missing or empty, or its name is over 200 characters."""
    if getattr(request, "upload_too_large", None) == field:
        raise too_large(max_bytes, field=field)
    upload = request.FILES.get(field)
    if upload is None:
        raise ApplicationError(f"请选择{zh_label}", f"Choose a {en_label}", field=field, code="required")
    if upload.size > max_bytes:
        raise too_large(max_bytes, field=field, size=upload.size)
    if upload.size == 0:
        raise ApplicationError("文件为空", "The file is empty", field=field, code="empty")
    name = upload.name or ""
    if len(name) > 200:
        raise ApplicationError(
            f"文件名最多200个字，现有{len(name)}个，请改短后再上传",
            f"The file name is at most 200 characters; got {len(name)}. Rename the file",
            field=field,
            code="too_long",
        )
    return name, upload


def text_file_read(path: str, *, max_bytes: int | None = None) -> str:
    """A UTF-8 text file named on the command line (areas, calendars), refused before it is read when it is
    larger than the import limit, missing, or not UTF-8 text."""
    limit = max_bytes or import_max_bytes()
    try:
        size = os.stat(path).st_size
        if size > limit:
            raise too_large(limit, size=size)
        with open(path, "rb") as f:
            content = f.read(limit + 1)
    except OSError as e:
        raise ApplicationError(
            f"无法读取文件 {path}：{e.strerror}", f"Cannot read {path}: {e.strerror}", field="file", code="no_file"
        ) from None
    if b"\x00" in content:
        raise ApplicationError(
            "该文件不是文本（含有二进制内容）",
            "The file is not text (it has binary content)",
            field="file",
            code="bad_file",
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApplicationError(
            "文件须为UTF-8编码的文本", "The file must be UTF-8 text", field="file", code="bad_file"
        ) from None


def xlsx_open(content: bytes | BinaryIO, *, field: str = "file", max_unpacked_bytes: int | None = None):
    """Open an .xlsx workbook (its bytes, or a binary file) read-only after checking it is one: a zip archive
    that unpacks to at most ``max_unpacked_bytes`` (ten times the import limit by default) — a "zip bomb" is
    refused before any of it is unpacked."""
    stream = io.BytesIO(content) if isinstance(content, (bytes, bytearray)) else content
    limit = max_unpacked_bytes or 10 * import_max_bytes()
    not_xlsx = ApplicationError(
        "无法读取该Excel文件：它不是 .xlsx 格式（可用 Excel 打开后另存为 .xlsx）",
        "Cannot read this file as Excel: it is not an .xlsx workbook (open it in Excel and save it as .xlsx)",
        field=field,
        code="bad_file",
    )
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
            if len(archive.infolist()) > 10_000:
                raise not_xlsx
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise not_xlsx from None
    if unpacked > limit:
        raise ApplicationError(
            f"该Excel文件解压后超过 {limit / MB:g} MB，无法导入，请拆分后分批上传",
            f"This Excel file unpacks to more than {limit / MB:g} MB; split it and upload the parts",
            field=field,
            code="too_large",
            extra={"max_unpacked_bytes": limit},
        )
    try:
        stream.seek(0)
        return load_workbook(stream, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for a damaged workbook
        raise not_xlsx from None


# What a file is, by its first bytes (not by its name): an .xlsx workbook is a zip archive, a Parquet file starts
# and ends with PAR1, a CSV is text (no NUL byte in its first 8 KB).
FILE_KINDS = {
    "xlsx": (".xlsx", "Excel（.xlsx）", "an Excel workbook (.xlsx)"),
    "parquet": (".parquet", "Parquet", "a Parquet file"),
    "csv": (".csv", "CSV 文本", "CSV text"),
}


def file_kind(content: bytes) -> str | None:
    """``xlsx``, ``parquet`` or ``csv`` by the content's first bytes; None for anything else (binary)."""
    if content[:4] == b"PK\x03\x04":
        return "xlsx"
    if content[:4] == b"PAR1" and content[-4:] == b"PAR1":
        return "parquet"
    if b"\x00" not in content[:8192]:
        return "csv"
    return None


def base64_upload(
    value: str,
    *,
    file_name: str,
    field: str = "content_base64",
    kinds: tuple[str, ...] = ("csv", "xlsx"),
    max_bytes: int | None = None,
) -> bytes:
    """The bytes of a file an API call sends in base64 (``field``), checked before anyone reads it: at most
    ``max_bytes`` (the import limit by default; refused before decoding when the text alone says it is larger),
    valid base64, and, when ``file_name`` ends in one of ``kinds``, really a file of that kind by its
    content. Every refusal names the field, in Chinese and in English."""
    limit = max_bytes or import_max_bytes()
    if len(value) // 4 * 3 > limit + 2:
        raise too_large(limit, field=field, size=len(value) // 4 * 3)
    try:
        content = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ApplicationError(
            f"{field} 不是有效的 Base64", f"{field} is not valid base64", field=field, code="invalid"
        ) from None
    if len(content) > limit:
        raise too_large(limit, field=field, size=len(content))
    suffix = os.path.splitext(file_name or "")[1].lower()
    claimed = next((k for k in kinds if FILE_KINDS[k][0] == suffix), None)
    found = file_kind(content)
    if content and claimed is not None and found != claimed:  # an empty file is the importer's to refuse
        _suffix, zh, en = FILE_KINDS[claimed]
        raise ApplicationError(
            f"{field} 的内容不是{zh}文件（文件名为 {file_name}），请检查所传文件",
            f"The content of {field} is not {en} (named {file_name}); check the file sent",
            field=field,
            code="bad_file",
        )
    return content
