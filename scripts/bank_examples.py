"""Write the example bank files in docs/examples/bank-files/, one per layout in doudi/payments/banklayouts.py,
from three fictional payments, with the code that writes the real files (doudi/payments/bankfiles.py
``write_rows``). tests/payments/test_bank_files.py checks the examples are what the code writes now.

Run: .venv/bin/python scripts/bank_examples.py
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from decimal import Decimal
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "docs" / "examples" / "bank-files"


def _card(body: str) -> str:
    from stdnum import luhn  # noqa: PLC0415  (after django.setup(), like every import below)

    return body + luhn.calc_check_digit(body)


def example_rows() -> list[dict]:
    """Three fictional payments of 最低生活保障 for January 2026 in the demo county (made-up names, ID numbers
    and card numbers with valid check digits)."""
    from doudi.core.idnumber import id_make  # noqa: PLC0415

    memo = "最低生活保障2026年01月"
    return [
        dict(
            ref="1041",
            account=_card("621700001234567890"),
            name="张大山",
            id_number=id_make("511425", dt.date(1958, 4, 12), 15),
            amount=Decimal("240.00"),
            memo=memo,
            area="511425101201",
            month="2026-01",
        ),
        dict(
            ref="1042",
            account=_card("622848040256489001"),
            name="李秀英",
            id_number=id_make("511425", dt.date(1966, 9, 3), 26),
            amount=Decimal("1720.50"),
            memo=memo + "含补发",
            area="511425101201",
            month="2026-01",
        ),
        dict(
            ref="1043",
            account=_card("621799001122334455"),
            name="阿依古丽·买买提",
            id_number=id_make("511425", dt.date(1949, 12, 30), 19),
            amount=Decimal("460.00"),
            memo=memo,
            area="511425102203",
            month="2026-01",
        ),
    ]


def write(folder: Path = FOLDER) -> list[Path]:
    from doudi.payments.bankfiles import row_values, write_rows  # noqa: PLC0415
    from doudi.payments.banklayouts import LAYOUTS  # noqa: PLC0415
    from doudi.payments.models import BankLayout  # noqa: PLC0415

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in LAYOUTS.values():
        layout = BankLayout(
            name=spec.name,
            columns=list(spec.columns),
            headers=list(spec.headers),
            delimiter=spec.delimiter,
            encoding=spec.encoding,
            full_id=spec.full_id,
        )
        path = folder / f"{spec.code}.{spec.fmt}"
        write_rows(path, [row_values(layout, **r) for r in example_rows()], layout, spec.fmt)
        written.append(path)
    return written


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doudi.settings.test")
    django.setup()
    for p in write():
        print(p.relative_to(ROOT))
