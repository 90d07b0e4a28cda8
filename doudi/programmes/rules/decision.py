"""A decision and its explanation: each step names its rule, says it in Chinese and English with the
numbers, and carries its value — so a caseworker can read it aloud."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from doudi.core.money import fmt


@dataclass
class Step:
    rule: str
    zh: str
    en: str
    value: Any = None

    def as_dict(self) -> dict:
        value = fmt(self.value) if isinstance(self.value, Decimal) else self.value
        return {"rule": self.rule, "zh": self.zh, "en": self.en, "value": value}


@dataclass
class MemberLine:
    name: str
    index: int
    counted: bool
    excluded_reason: str | None = None
    addon: Decimal = Decimal("0.00")
    addon_rule: str | None = None
    income: Decimal = Decimal("0.00")
    amount: Decimal | None = None  # programmes paid per person (elderly, children, disability)
    detail: dict = field(default_factory=dict)  # their own figures (living and care subsidy, bracket, kind)

    def as_dict(self) -> dict:
        if self.amount is not None:
            return {
                "name": self.name,
                "index": self.index,
                "amount": fmt(self.amount),
                "excluded_reason": self.excluded_reason,
                **{k: fmt(v) if isinstance(v, Decimal) else v for k, v in self.detail.items()},
            }
        return {
            "name": self.name,
            "index": self.index,
            "counted": self.counted,
            "excluded_reason": self.excluded_reason,
            "addon": fmt(self.addon),
            "addon_rule": self.addon_rule,
            "income": fmt(self.income),
        }


@dataclass
class Decision:
    programme: str
    eligible: bool = False
    monthly_amount: Decimal = Decimal("0.00")
    per_capita_income: Decimal = Decimal("0.00")
    counted_members: int = 0
    members: list[MemberLine] = field(default_factory=list)
    explanation: list[Step] = field(default_factory=list)
    reasons_ineligible: list[dict] = field(default_factory=list)
    parameters: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)
    # The programmes of issue 15 answer in their own terms: ``amount`` (paid once) or ``monthly_amount`` with
    # each member's amount, and their own result fields (approval_level, fast_track, …) at the top level.
    once: bool = False
    result: dict | None = None
    amount: Decimal = Decimal("0.00")

    def step(self, rule: str, zh: str, en: str, value: Any = None) -> Any:
        self.explanation.append(Step(rule, zh, en, value))
        return value

    def refuse(self, code: str, zh: str, en: str) -> None:
        self.reasons_ineligible.append({"code": code, "zh": zh, "en": en})

    def as_dict(self) -> dict:
        if self.result is not None:
            return {
                "programme": self.programme,
                "eligible": self.eligible,
                **({"amount": fmt(self.amount)} if self.once else {"monthly_amount": fmt(self.monthly_amount)}),
                **{k: fmt(v) if isinstance(v, Decimal) else v for k, v in self.result.items()},
                "members": [m.as_dict() for m in self.members],
                "explanation": [s.as_dict() for s in self.explanation],
                "reasons_ineligible": self.reasons_ineligible,
            }
        return {
            "programme": self.programme,
            "eligible": self.eligible,
            "monthly_amount": fmt(self.monthly_amount),
            "per_capita_income": fmt(self.per_capita_income),
            "counted_members": self.counted_members,
            "members": [m.as_dict() for m in self.members],
            "explanation": [s.as_dict() for s in self.explanation],
            "reasons_ineligible": self.reasons_ineligible,
            **({"extra": self.extra} if self.extra else {}),
        }
