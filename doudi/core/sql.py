"""Small pieces of hand-written SQL shared by the set-based statements (facts, batch evaluation, payroll
anomalies, summaries). Each statement runs unchanged on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable


def fen(expression: str) -> str:
    """A decimal amount in yuan as an integer number of fen (each value rounded to the fen, so sums are exact
    on both databases)."""
    return f"CAST(ROUND({expression} * 100) AS BIGINT)"


def literals(values: Iterable[str]) -> str:
    """Constant strings from code (never user input) as an SQL list for ``IN (…)``."""
    return ", ".join("'" + v.replace("'", "''") + "'" for v in sorted(values)) or "''"
