"""doudi summary --year YYYY --out FILE.docx [--lang zh|en]: the annual work summary (statistics/summary), as .docx,
or as Markdown when FILE ends in .md."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from doudi.core.errors import ApplicationError
from doudi.statistics.summary import markdown_docx, summary_markdown


class Command(BaseCommand):
    help = "Write the annual work summary (.docx, or Markdown for a .md file)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--out", required=True, help="FILE.docx or FILE.md")
        parser.add_argument("--lang", default="zh", choices=["zh", "en"])

    def handle(self, *args, year, out, lang, **options):
        try:
            text = summary_markdown(year, lang=lang)
        except ApplicationError as e:
            self.stderr.write(f"--{e.field}：{e.message}")
            sys.exit(2)
        path = Path(out)
        if path.suffix.lower() == ".md":
            path.write_text(text, encoding="utf-8")
        else:
            path.write_bytes(markdown_docx(text))
        self.stdout.write(f"{out}: {path.stat().st_size} bytes")
