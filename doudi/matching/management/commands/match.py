"""doudi match --left LEFT.csv --right RIGHT.csv --out PAIRS.csv [--threshold P] [--model MODEL.json] [--lang en]

Writes one row per matched pair at or above the threshold: ``left_id,right_id,probability`` (then the match
weight and the reasons). A missing column, an unreadable file or a bad value exits 2 naming it, in Chinese
(English with --lang en)."""

import sys

from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from doudi.core.errors import ApplicationError
from doudi.matching.csvfiles import read_list, write_pairs
from doudi.matching.linking import MatchSettings, match


class Command(BaseCommand):
    help = "Match two lists of people (UTF-8 CSV: record_id,name,id_number,birth_date,sex,address) and write the pairs."

    def add_arguments(self, parser):
        parser.add_argument("--left", required=True, help="the first list (e.g. the registry's)")
        parser.add_argument("--right", required=True, help="the second list (e.g. a department's)")
        parser.add_argument("--out", required=True, help="where to write the pairs (CSV)")
        parser.add_argument("--threshold", default="0.9", help="lowest match probability written, 0 to 1 (default 0.9)")
        parser.add_argument("--model", default=None, help="a trained model file (default: the packaged model)")
        parser.add_argument("--lang", default="zh-hans", choices=("zh-hans", "zh", "en"), help="language of messages")

    def handle(self, *args, left, right, out, threshold, model, lang, **options):
        with translation.override("en" if lang == "en" else "zh-hans"):
            try:
                p = float(threshold)
                if not 0 <= p <= 1:
                    raise ValueError
            except ValueError:
                self.fail(_("--threshold 应为 0 到 1 之间的概率，实为 %(value)s") % {"value": threshold})
            try:
                left_rows = read_list(left, option="--left")
                right_rows = read_list(right, option="--right")
                pairs = match(left_rows, right_rows, MatchSettings(threshold=p, model_path=model))
                write_pairs(
                    out,
                    [
                        [m.left_id, m.right_id, f"{m.probability:.6f}", f"{m.match_weight:.2f}", m.explanation()]
                        for m in pairs
                    ],
                )
            except ApplicationError as e:
                self.fail(e.zh if lang != "en" else e.en)
            self.stdout.write(
                _("已匹配 %(pairs)s 对（左 %(left)s 条，右 %(right)s 条，阈值 %(threshold)s），写入 %(out)s")
                % {"pairs": len(pairs), "left": len(left_rows), "right": len(right_rows), "threshold": p, "out": out}
            )

    def fail(self, message: str):
        self.stderr.write(message)
        sys.exit(2)
