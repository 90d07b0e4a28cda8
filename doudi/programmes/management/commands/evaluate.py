"""doudi evaluate --programme {dibao|tekun|temporary|medical|elderly|disability|children|funeral|veterans} --household FILE.json
[--on YYYY-MM-DD]

Prints one JSON decision and exits 0; input that is not valid exits 2 with a message naming the field."""

import datetime as dt
import json
import sys

from django.core.management.base import BaseCommand
from django.utils import timezone

from doudi.core.errors import ApplicationError
from doudi.programmes.rules import PROGRAMMES, evaluate
from doudi.programmes.rules.inputs import household_from_json


class Command(BaseCommand):
    help = "Evaluate one household (JSON file, docs/policy.md) for a programme and print the decision as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--programme", required=True, choices=PROGRAMMES)
        parser.add_argument("--household", required=True, help="household JSON file ('-' for standard input)")
        parser.add_argument("--on", default=None, help="evaluation date YYYY-MM-DD (default today)")

    def fail(self, message: str):
        self.stderr.write(message)
        sys.exit(2)

    def handle(self, *args, programme, household, on, **options):
        try:
            date = dt.date.fromisoformat(on) if on else timezone.localdate()
        except ValueError:
            self.fail(f"--on：日期格式应为 YYYY-MM-DD / --on: date must be YYYY-MM-DD, got {on!r}")
        try:
            text = sys.stdin.read() if household == "-" else open(household, encoding="utf-8").read()
        except OSError as e:
            self.fail(f"--household：无法读取文件 / cannot read file: {e}")
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as e:
            self.fail(f"household：不是有效的JSON / not valid JSON: {e}")
        try:
            decision = evaluate(programme, household_from_json(raw), date)
        except ApplicationError as e:
            self.fail(f"{e.field}: {e.message}" if e.field and not e.zh.startswith(str(e.field)) else e.message)
        self.stdout.write(json.dumps(decision.as_dict(), ensure_ascii=False, indent=2))
