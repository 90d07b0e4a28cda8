"""The facts a grant on the person page or through the API decides on (the household as the registry holds it),
unless the programme's own app says what else its rules read that month: the disability subsidies (doudi/medical,
above this app) read the household's dibao and the person's tekun of each month — the living subsidy is a dibao
household's. An app registers its provider at start-up (its ``apps.ready``), as the enrolment watchers are."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from doudi.core.money import month_start
from doudi.programmes.rules.registry_input import household_input

_PROVIDERS: dict[str, Callable] = {}


def grant_facts_register(programme: str, provider: Callable) -> None:
    """``provider(household, person_id, month) -> HouseholdInput``."""
    _PROVIDERS[programme] = provider


def grant_facts(programme: str, household, person, today: dt.date):
    """(the facts of this month, the facts of any earlier month it pays — or None: this month's)."""
    provider = _PROVIDERS.get(programme)
    if provider is None:
        return household_input(household), None
    return (
        provider(household, person.pk, month_start(today)),
        lambda month: provider(household, person.pk, month),
    )
