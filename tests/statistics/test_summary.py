"""The annual work summary: the seed's structure with the catalogue's figures, the year's targets and their
completion, in Chinese and English, as Markdown and .docx; the bureau's own template replaces ours; LibreOffice opens
the .docx (converted to PDF here) and the figures read back."""

import io
import os
import shutil
import subprocess

import pytest
from django.core.management import call_command
from docx import Document

from doudi.core.errors import ApplicationError
from doudi.statistics.actions import target_approve, target_enter
from doudi.statistics.summary import summary_docx, summary_markdown

from ..pdftext import flat, pdf_text

pytestmark = pytest.mark.django_db
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture
def targets(county):
    p = county["people"]
    for year, code, value in (
        (2026, "DB0302100000", "220"),
        (2026, "DB0302200000", "120"),
        (2027, "DB0302100000", "260"),
    ):
        t = target_enter(actor=p["county_reviewer"], year=year, code=code, area_code="511425000000", value=value)
        target_approve(actor=p["approver"], target_id=t.pk)
    return county


# what the hand-built county's summary must say (figures from test_catalogue.EXPECTED, as of March)
ZH = [
    "青神县民政局2026年社会救助工作总结",
    "一、主要工作完成情况",
    "城乡低保标准分别为每人每月400.00元和230.00元",
    "1—3月共取消不符合条件的低保对象1人，及时将符合条件的7人纳入城乡低保",
    "截至3月底，全县共有低保对象3户6人，其中城市低保1户1人、农村低保2户5人",
    "全年累计发放低保资金2050.00元",
    "城市低保累计月人均补助水平200.0元，为目标任务220.00元的90.9%",
    "农村低保累计月人均补助水平111.5元，为目标任务120.00元的92.9%",
    "全县共有特困人员2人，其中集中供养1人、分散供养1人，集中供养率达到50.0%",
    # the other programmes: one-offs counted over the year, monthly ones on the roll at March
    "（二）统筹各项救助和福利，织密兜底保障网",
    "全年实施临时救助1户次，支出临时救助资金1000.00元",
    "全年救助困难群众1人次，支出医疗救助资金350.00元",
    "全县享受高龄津贴1人，1—3月新增2人，全年发放高龄津贴500.00元",
    "全县保障孤儿和事实无人抚养儿童1人，全年发放基本生活费2400.00元",
    "全县1人享受困难残疾人生活补贴和重度残疾人护理补贴，全年发放240.00元",
    "全年为1名逝者减免基本殡葬服务费用2000.00元",
    "全县1名优抚对象按月领取定期抚恤补助，全年发放1100.00元",
    "二、工作亮点",
    "三、存在的问题",
    "2027年城市低保累计月人均补助水平达到260.00元",
]


def test_the_summary_reads_like_the_seed_with_its_own_figures(targets):
    text = summary_markdown(2026)
    for sentence in ZH:
        assert sentence in text
    en = summary_markdown(2026, lang="en")
    assert "The cumulative monthly per-capita subsidy was 200.0 yuan urban, 90.9% of the target of 220.00 yuan" in en
    assert "a centralised support rate of 50.0%" in en and "I. Main work completed" in en
    assert "Temporary assistance. Household grants paid in the year: 1, 1000.00 yuan in all." in en
    assert "Deceased people whose basic funeral fees were waived in the year: 1; 2000.00 yuan in all" in en
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in en.replace("青神县", ""))


def test_the_docx_has_the_headings_and_figures(targets, tmp_path):
    out = tmp_path / "s.docx"
    call_command("summary", "--year", "2026", "--out", str(out), stdout=io.StringIO())
    doc = Document(str(out))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[0] == "青神县民政局2026年社会救助工作总结"
    assert "二、工作亮点" in paragraphs
    assert any(ZH[6] in p for p in paragraphs)


def test_the_bureaus_own_template_is_used(targets, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    (tmp_path / "summary-zh.md").write_text(
        "# 本局{{ year }}年总结\n\n低保{{ f.DB0101000000 }}户。\n", encoding="utf-8"
    )
    assert summary_markdown(2026) == "# 本局2026年总结\n\n低保3户。\n"


def test_a_year_with_nothing_paid_is_refused(county):
    with pytest.raises(ApplicationError) as e:
        summary_markdown(2024)
    assert e.value.field == "year"


@pytest.mark.skipif(not SOFFICE, reason="LibreOffice (soffice) is not installed: `make test` installs it as root")
def test_libreoffice_opens_the_summary_and_the_figures_read_back(targets, tmp_path):
    for lang, expected in (("zh", ZH), ("en", ["90.9%", "2050.00", "50.0%", "I. Main work completed"])):
        docx = tmp_path / f"summary-{lang}.docx"
        docx.write_bytes(summary_docx(2026, lang=lang))
        subprocess.run(
            [SOFFICE, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
            check=True,
            capture_output=True,
            timeout=180,
            env={**os.environ, "HOME": str(tmp_path)},  # its own profile: never the user's, never shared
        )
        text = pdf_text((tmp_path / f"summary-{lang}.pdf").read_bytes())
        for sentence in expected:
            assert flat(sentence) in text
