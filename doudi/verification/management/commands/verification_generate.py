"""doudi verification_generate --out DIR [--prefix CODE] [--as-of YYYY-MM-DD] [--format csv|xlsx|parquet]
[--rows N --kind KIND] [--seed S]: departments' files for the registry of an area (with the planted discrepancies,
who carries them printed), or N synthetic rows of one kind at benchmark scale."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from doudi.verification.generator import county_files, file_bytes, synthetic_rows
from doudi.verification.schemas import KINDS


class Command(BaseCommand):
    help = "Write departments' files for an area's registry (planted discrepancies), or N synthetic rows of a kind."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True)
        parser.add_argument("--prefix", default="511425")
        parser.add_argument("--as-of", default=None)
        parser.add_argument("--format", choices=["csv", "xlsx", "parquet"], default="csv")
        parser.add_argument("--rows", type=int, default=0, help="synthetic rows of --kind (no registry behind them)")
        parser.add_argument("--kind", choices=sorted(KINDS), default="wage")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, out, prefix, as_of, format, rows, kind, seed, **options):
        try:
            day = dt.date.fromisoformat(as_of) if as_of else dt.date.today().replace(day=1) - dt.timedelta(days=1)
        except ValueError:
            raise CommandError(f"--as-of 应为 YYYY-MM-DD：{as_of}", returncode=2) from None
        folder = Path(out)
        started = time.perf_counter()
        if rows:
            header, data = synthetic_rows(kind, rows, as_of=day, seed=seed)
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{KINDS[kind].department}-{kind}-{rows}.{format}"
            path.write_bytes(file_bytes(header, data, format))
            self.stdout.write(f"{path} ({rows} rows) in {time.perf_counter() - started:.1f} s")
            return
        paths, planted = county_files(out_dir=folder, prefix=prefix, as_of=day, seed=seed, fmt=format)
        for code, path in paths.items():
            self.stdout.write(f"{code}: {path}")
        self.stdout.write(f"planted (registry person ids): {planted.people}")
