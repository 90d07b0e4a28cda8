"""doudi match_train --out MODEL.json [--left LEFT.csv --right RIGHT.csv] [--size N] [--seed S]

Trains the matching model (Splink: u from random pairs, m by expectation maximisation) on two lists, or,
without them, on the synthetic Chinese set (the packaged model doudi/matching/model.json is made so:
``doudi match_train --out doudi/matching/model.json``), and saves it as JSON for `doudi match --model`."""

import sys
import time

from django.core.management.base import BaseCommand

from doudi.core.errors import ApplicationError
from doudi.matching import synthetic
from doudi.matching.csvfiles import read_list
from doudi.matching.linking import train

PACKAGED_SIZE, PACKAGED_SEED = 20_000, 2026


class Command(BaseCommand):
    help = "Train the matching model and save it as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True)
        parser.add_argument("--left")
        parser.add_argument("--right")
        parser.add_argument("--size", type=int, default=PACKAGED_SIZE, help="synthetic registry size")
        parser.add_argument("--seed", type=int, default=PACKAGED_SEED)

    def handle(self, *args, out, left, right, size, seed, **options):
        started = time.monotonic()
        try:
            if left and right:
                left_rows, right_rows = read_list(left, option="--left"), read_list(right, option="--right")
            elif left or right:
                raise ApplicationError("--left 与 --right 须同时给出", "--left and --right go together", field="--left")
            else:
                data = synthetic.generate(size, seed=seed)
                left_rows, right_rows = data.left, data.right
            train(left_rows, right_rows, path=out, seed=seed)
        except ApplicationError as e:
            self.stderr.write(e.message)
            sys.exit(2)
        self.stdout.write(f"模型已保存 / model saved: {out} ({time.monotonic() - started:.1f} s)")
