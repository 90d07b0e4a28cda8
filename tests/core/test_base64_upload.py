"""The one check of a file an API call sends in base64 (doudi/core/uploads.py ``base64_upload``), used by the
department loads and the two medical imports: size limit (before decoding when the text alone says so), valid
base64, the file's kind by its content when its name claims one; each refusal names the field."""

import base64
import io

import pytest
from openpyxl import Workbook

from doudi.core.errors import ApplicationError
from doudi.core.uploads import base64_upload, file_kind


def _b64(content: bytes) -> str:
    return base64.b64encode(content).decode()


def _xlsx() -> bytes:
    wb = Workbook()
    wb.active.append(["姓名", "公民身份号码"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_good_file_comes_back_as_bytes():
    csv = "姓名,公民身份号码\n张三,511425197503020011\n".encode()
    assert base64_upload(_b64(csv), file_name="w.csv") == csv
    assert base64_upload(_b64(_xlsx()), file_name="w.XLSX")[:2] == b"PK"
    parquet = b"PAR1" + b"\x00\x01" * 10 + b"PAR1"
    assert base64_upload(_b64(parquet), file_name="w.parquet", kinds=("csv", "xlsx", "parquet")) == parquet
    assert base64_upload("", file_name="w.csv") == b""  # an empty file is the importer's to refuse


def test_invalid_base64_is_refused_naming_the_field():
    with pytest.raises(ApplicationError) as e:
        base64_upload("不是base64!!", file_name="w.csv")
    assert e.value.field == "content_base64" and "content_base64 不是有效的 Base64" in e.value.message


def test_a_file_over_the_limit_is_refused_before_and_after_decoding(settings):
    settings.DOUDI_IMPORT_MAX_MB = 1
    big = b"a" * (1024 * 1024 + 10)
    with pytest.raises(ApplicationError) as e:
        base64_upload(_b64(big), file_name="w.csv")
    assert e.value.code == "too_large" and e.value.field == "content_base64" and "1 MB" in e.value.message
    with pytest.raises(ApplicationError) as e:
        base64_upload(_b64(b"a" * 100), file_name="w.csv", max_bytes=50, field="file")
    assert e.value.code == "too_large" and e.value.field == "file"


def test_the_content_must_be_what_the_name_says():
    csv = "姓名\n张三\n".encode()
    with pytest.raises(ApplicationError) as e:
        base64_upload(_b64(csv), file_name="w.xlsx")
    assert e.value.code == "bad_file" and e.value.field == "content_base64"
    assert "不是Excel（.xlsx）文件" in e.value.message and "w.xlsx" in e.value.message
    with pytest.raises(ApplicationError) as e:
        base64_upload(_b64(_xlsx()), file_name="w.csv")
    assert "不是CSV 文本文件" in e.value.message
    with pytest.raises(ApplicationError):  # binary bytes named .parquet without the PAR1 marks
        base64_upload(_b64(b"\x00\x01\x02" * 50), file_name="w.parquet", kinds=("csv", "xlsx", "parquet"))
    # a name the caller does not take (.txt) is left to the importer to refuse with its own message
    assert base64_upload(_b64(csv), file_name="w.txt") == csv
    assert (file_kind(_xlsx()), file_kind(csv), file_kind(b"\x00\xff")) == ("xlsx", "csv", None)
