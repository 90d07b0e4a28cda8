"""Programmes whose lines are paid to someone other than the household (a funeral waiver to the funeral home):
apps above payments register a function that rewrites a payroll's payee accounts as it is generated, and the
anomaly checks then check those accounts instead of the household's."""

from __future__ import annotations

PAYEE_RESOLVERS: dict[str, list] = {}


def payee_resolver_register(programme: str, resolver) -> None:
    """``resolver(payroll)`` sets the account and holder of the lines it pays elsewhere, in the generation's
    transaction, before the anomaly checks and the bank file."""
    if resolver not in PAYEE_RESOLVERS.setdefault(programme, []):
        PAYEE_RESOLVERS[programme].append(resolver)
