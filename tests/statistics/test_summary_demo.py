"""The demo county's annual work summary (issue 14, "Done when"): built by `doudi demo` with the seed's standards and
targets, its .docx opens in LibreOffice (converted to PDF) and states the dibao standards, the recipients, the
cumulative per-capita subsidies with their completion against target and the centralised support rate, and the
year's temporary assistance, old-age allowance and funeral waivers (paid every month of the year by the demo) —
the catalogue's own figures for the demo's data."""

import os
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from doudi.core.money import add_months, month_start
from doudi.statistics.summary import summary_context, summary_docx

from ..pdftext import flat, pdf_text

pytestmark = pytest.mark.django_db
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(not SOFFICE, reason="LibreOffice (soffice) is not installed: `make test` installs it as root")
def test_the_demo_countys_summary_opens_in_libreoffice_with_its_figures(tmp_path):
    call_command("demo", households=200, seed=7, reset=True)
    year = add_months(month_start(timezone.localdate()), -1).year  # the year of the last month paid
    ctx = summary_context(year)
    f, t, c = ctx["f"], ctx["t"], ctx["c"]
    # the other programmes were paid every month of the year (doudi/demo/year.py): section (二) has their figures
    for code in ("LS0101000000", "LS0301000000", "GL0102000000", "GL0301000000", "BZ0101000000", "BZ0301000000"):
        assert f[code] > 0, code
    # the seed's targets, set by the demo; figures that are there to state
    assert (t["DB0302100000"], t["DB0302200000"]) == (Decimal("220.00"), Decimal("120.00"))
    assert f["DB0101000000"] > 0 and f["DB0102000000"] >= f["DB0101000000"] and f["TK0102000000"] > 0
    assert f["DB0201100000"] and f["DB0201200000"] and f["TK0105000000"] is not None
    docx = tmp_path / "summary.docx"
    docx.write_bytes(summary_docx(year))
    subprocess.run(
        [SOFFICE, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},  # its own profile: never the user's, never shared
    )
    text = pdf_text((tmp_path / "summary.pdf").read_bytes())
    for sentence in (
        f"城乡低保标准分别为每人每月{f['DB0201100000']}元和{f['DB0201200000']}元",
        f"全县共有低保对象{f['DB0101000000']}户{f['DB0102000000']}人",
        f"城市低保累计月人均补助水平{f['DB0302100000']}元，为目标任务{t['DB0302100000']}元的{c['DB0302100000']}%",
        f"农村低保累计月人均补助水平{f['DB0302200000']}元，为目标任务{t['DB0302200000']}元的{c['DB0302200000']}%",
        f"集中供养率达到{f['TK0105000000']}%，其中农村特困人员集中供养率{f['TK0105200000']}%",
        f"全年实施临时救助{f['LS0101000000']}户次，支出临时救助资金{f['LS0301000000']}元",
        f"全年发放高龄津贴{f['GL0301000000']}元",
        f"全年为{f['BZ0101000000']}名逝者减免基本殡葬服务费用{f['BZ0301000000']}元",
    ):
        assert flat(sentence) in text, sentence
