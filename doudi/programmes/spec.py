"""The shape every programme has (docs/policy.md, "Adding a programme"): its parameter schema (``ParamSpec``),
its procedure as data (``Procedure``) and its identity and payment (``ProgrammeShape``). Pure data: the rules
(``rules/<code>.py``) and the case engine (``doudi/cases``) read it; nothing here touches the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class ParamSpec:
    """One parameter: its stored name, kind, label and help text (Chinese and English), unit, and range.

    Kinds: ``money`` (yuan, two decimals), ``ratio`` (a fraction 0–1 stored with up to four decimals, shown and
    edited as a percentage), ``number`` (up to four decimals: a multiple, months, m²), ``int``, ``bool``,
    ``choice`` (one of ``choices``) and ``list`` (several of ``choices``)."""

    name: str
    kind: str  # money | ratio | number | int | bool | choice | list
    zh: str
    en: str
    minimum: Decimal | int | None = None
    maximum: Decimal | int | None = None
    choices: tuple[str, ...] = ()
    unit: str = ""
    unit_en: str = ""
    help: str = ""
    help_en: str = ""
    positive: bool = False  # money: greater than 0
    labels: tuple[tuple[str, str, str], ...] = ()  # choice/list: (value, Chinese, English)

    def label(self, en: bool = False) -> str:
        return self.en if en else self.zh

    def choice_label(self, value: str, en: bool = False) -> str:
        for code, zh, english in self.labels:
            if code == value:
                return english if en else zh
        return value


M, R = "money", "ratio"
ROUNDING = (("yuan_half_up", "四舍五入到元", "Half up to the yuan"), ("fen", "精确到分", "To the fen"))
SUPPORT_FROM = (
    ("sibling", "兄弟姐妹给付的赡养/扶养费", "Support from siblings"),
    ("supporter_60_plus", "60岁以上赡养人给付的赡养费", "Support from supporters aged 60+"),
    ("other", "其他赡养人给付的赡养费", "Support from other supporters"),
)
PER_PERSON_MONTH = {"unit": "元/人·月", "unit_en": "yuan/person/month"}
PER_MONTH = {"unit": "元/月", "unit_en": "yuan/month"}
YUAN = {"unit": "元", "unit_en": "yuan"}
RATIO = {"minimum": Decimal(0), "maximum": Decimal(1)}
YEAR = {"unit": "元/年", "unit_en": "yuan/year"}
PER_DAY = {"unit": "元/天", "unit_en": "yuan/day"}


@dataclass(frozen=True)
class ProcedureStep:
    """One step of a programme's procedure: who does it (a role, named as staff know it), what they do, and the
    time limit in working days (None: none). ``state`` links the step to the case engine's state it starts on
    (doudi/cases/workflow.py ``CaseState``), for programmes decided through a case."""

    who: str  # village | township | federation | county | funeral_home | hospital | hotline
    zh: str
    en: str
    working_days: int | None = None
    state: str | None = None


@dataclass(frozen=True)
class Procedure:
    """A programme's procedure as data [IM; D21; T21; TA18; 民发〔2019〕62号; 国发〔2015〕52号]: where one applies,
    the steps with who does them and their time limits, the public notice (days, or None), the whole procedure's
    limit, who approves (by amount where the rule says so), and from when it pays."""

    applies_at: str  # hukou_township | hardship_township | hospital | funeral_home | registry | federation
    applies_zh: str
    applies_en: str
    steps: tuple[ProcedureStep, ...]
    public_notice_days: int | None = None
    total_working_days: int | None = None
    approval: str = "county"  # county | by_amount (township up to a limit, above it the county)
    pays_from: str = "month_after_approval"  # month_after_approval | month_of_application | birthday_month | once
    through_case: bool = False  # decided through the case procedure (doudi/cases)
    # its applications and reviews are cases decided on the programme's own pages, on its own steps: the case
    # procedure's moves (survey, notice, approve…) are not offered on them but the withdrawal (doudi/cases/moves.py)
    own_case_pages: bool = False
    fast_track: bool = False  # may be paid first and documented afterwards (先行救助)

    def step_limits(self) -> dict[str, int]:
        """The case engine's step time limits: working days from entering each state."""
        return {s.state: s.working_days for s in self.steps if s.state and s.working_days is not None}


@dataclass(frozen=True)
class ProgrammeShape:
    """Everything that makes a programme a programme, besides its rules: identity, who it is for (a household
    or a person), how it pays (``monthly`` enrolment or ``once`` per event), the parameters it reads from other
    programmes (``reads``: tekun reads dibao's standards), the event an evaluation needs besides the household
    (``event``: hardship, claim or funeral; None for a standing entitlement), its parameter schema, its
    procedure and the demo pack's versions of its parameters."""

    code: str
    name_zh: str
    name_en: str
    kind: str  # programmes.models.ProgrammeKind
    unit: str  # household | person
    payment: str  # monthly | once
    specs: tuple[ParamSpec, ...]
    procedure: Procedure
    pack: tuple[dict, ...] = ()
    reads: tuple[str, ...] = ()
    event: str | None = None
    source: str = ""
    payee: str = "beneficiary"  # beneficiary | funeral_home
    extra: dict = field(default_factory=dict)
    # What shared code reads about the programme, so that none of it names a programme:
    # - the recipient as the payroll's checks name them (a deceased recipient is flagged), e.g. tekun's 供养对象;
    recipient_zh: str = "领取对象"
    recipient_en: str = "the recipient"
    # - programmes one person may not receive together with this one: a payroll line of this programme whose
    #   person (or, paid to a household, a current member) also receives one is flagged (dibao ⇄ tekun [T21 §3]);
    exclusive_with: tuple[str, ...] = ()
    # - a case's support mode (scattered or centralised: tekun [T21 §16]) is asked and passed to the rules;
    support_modes: bool = False
    # - (member field, programme): for a case's applicant, the rules' member field is set when the applicant
    #   receives that programme (tekun: an orphan on the children's allowance is not tekun, domain.md §5b).
    flags_from_enrolments: tuple[tuple[str, str], ...] = ()
