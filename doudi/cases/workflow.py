"""The case procedure as data: states, the moves between them, the permission each move needs, and the time limit
(in working days) of each step, and the materials an application needs. The actions (``actions/procedure.py``)
refuse any move that is not listed here.

Sources: [D21] 《最低生活保障审核确认办法》 §9–§24; [T21] 《特困人员认定办法》 §10–§18.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from doudi.accounts.roles import Perm as P
from doudi.core.labels import said
from doudi.programmes.shapes import CASE_PROGRAMMES, SHAPES


class CaseState(models.TextChoices):
    """The states of the procedure (``Case.state``), named as the regulations name them; ``STATES`` adds the
    English name and whether the state is final."""

    DRAFT = "draft", _("待受理")
    ACCEPTED = "accepted", _("已受理，待入户调查")
    SURVEYED = "surveyed", _("已调查，待申请核对")
    VERIFYING = "verifying", _("核对中")
    VERIFIED = "verified", _("已核对，待乡镇审核")
    TOWNSHIP_REVIEWED = "township_reviewed", _("乡镇已审核，待公示")
    NOTICING = "noticing", _("公示中")
    OBJECTED = "objected", _("公示有异议")
    APPRAISED = "appraised", _("已民主评议")
    COUNTY_REVIEW = "county_review", _("县级审批中")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("不予批准")
    WITHDRAWN = "withdrawn", _("已撤回")


@dataclass(frozen=True)
class State:
    code: CaseState
    en: str
    final: bool = False

    @property
    def zh(self) -> str:
        with translation.override("zh-hans"):
            return str(self.code.label)

    @property
    def label(self) -> str:
        """The state's name in the reader's language."""
        return str(self.code.label)


S = CaseState
STATES: dict[str, State] = {
    s.code: s
    for s in [
        State(S.DRAFT, "Draft"),
        State(S.ACCEPTED, "Accepted, survey due"),
        State(S.SURVEYED, "Surveyed"),
        State(S.VERIFYING, "Verification requested"),
        State(S.VERIFIED, "Verification attached"),
        State(S.TOWNSHIP_REVIEWED, "Township opinion given"),
        State(S.NOTICING, "Public notice"),
        State(S.OBJECTED, "Objection received"),
        State(S.APPRAISED, "Democratic appraisal held"),
        State(S.COUNTY_REVIEW, "County review"),
        State(S.APPROVED, "Approved", final=True),
        State(S.REFUSED, "Refused", final=True),
        State(S.WITHDRAWN, "Withdrawn", final=True),
    ]
}
FINAL_STATES = [code for code, s in STATES.items() if s.final]
OPEN_STATES = [code for code, s in STATES.items() if not s.final]


@dataclass(frozen=True)
class Move:
    code: str
    sources: tuple[str, ...]
    target: str | None  # None: the state does not change (a record is added)
    perm: str  # the permission the move needs (doudi/accounts/roles.py decides which roles have it)
    zh: str
    en: str

    @property
    def label(self) -> str:
        """The move's name in the reader's language."""
        return said(self.zh, self.en)


MOVES = {
    m.code: m
    for m in [
        Move("accept", (S.DRAFT,), S.ACCEPTED, P.CASE_HANDLE, "受理", "Accept"),
        Move("record_survey", (S.ACCEPTED,), S.SURVEYED, P.CASE_HANDLE, "录入入户调查", "Record household survey"),
        Move(
            "request_verification",
            (S.SURVEYED,),
            S.VERIFYING,
            P.CASE_HANDLE,
            "申请经济状况核对",
            "Request verification",
        ),
        Move(
            "attach_verification",
            (S.VERIFYING,),
            S.VERIFIED,
            P.CASE_VERIFY,
            "录入核对结果",
            "Record verification results",
        ),
        Move(
            "township_opinion",
            (S.VERIFIED, S.APPRAISED),
            S.TOWNSHIP_REVIEWED,
            P.CASE_TOWNSHIP_REVIEW,
            "乡镇审核意见",
            "Township opinion",
        ),
        Move(
            "start_notice",
            (S.TOWNSHIP_REVIEWED,),
            S.NOTICING,
            P.CASE_HANDLE,
            "开始公示（7天）",
            "Start 7-day public notice",
        ),
        Move("record_objection", (S.NOTICING,), S.OBJECTED, P.CASE_HANDLE, "登记公示异议", "Record an objection"),
        Move("resurvey", (S.OBJECTED,), S.ACCEPTED, P.CASE_HANDLE, "重新入户调查", "Re-survey"),
        Move(
            "record_appraisal", (S.OBJECTED,), S.APPRAISED, P.CASE_HANDLE, "录入民主评议", "Record democratic appraisal"
        ),
        Move(
            "submit_to_county",
            (S.NOTICING, S.TOWNSHIP_REVIEWED),
            S.COUNTY_REVIEW,
            P.CASE_SUBMIT,
            "公示期满，报县审批",
            "Notice ended: submit to county",
        ),
        Move("record_complaint", (S.COUNTY_REVIEW,), None, P.CASE_COUNTY_REVIEW, "登记投诉举报", "Record a complaint"),
        Move("record_home_visit", (S.COUNTY_REVIEW,), None, P.CASE_HOME_VISIT, "县级入户核查", "County home visit"),
        Move(
            "extend",
            tuple(s for s in OPEN_STATES if s != S.DRAFT),
            None,
            P.CASE_EXTEND,
            "延期至45个工作日",
            "Extend to 45 working days",
        ),
        Move("approve", (S.COUNTY_REVIEW,), S.APPROVED, P.CASE_DECIDE, "批准", "Approve"),
        Move("refuse", (S.COUNTY_REVIEW,), S.REFUSED, P.CASE_DECIDE, "不予批准", "Refuse"),
        Move("withdraw", tuple(s for s in OPEN_STATES), S.WITHDRAWN, P.CASE_WITHDRAW, "撤回申请", "Withdraw"),
    ]
}

# Step time limits in working days from entering a state [D21 §12, §17, §21; T21 §11, §15]: each programme's
# procedure as data (doudi/programmes/shapes/<code>.py).
STEP_LIMITS = {code: SHAPES[code].procedure.step_limits() for code in CASE_PROGRAMMES}
# Programmes whose procedure has a public notice (公示) before the county decides.
NOTICE_PROGRAMMES = tuple(code for code in CASE_PROGRAMMES if SHAPES[code].procedure.public_notice_days)
TOTAL_LIMIT = 30  # working days from acceptance [D21 §24]
TOTAL_LIMIT_EXTENDED = 45
REFUSAL_NOTICE_DAYS = 3  # written reasons within 3 working days [D21 §23]
NOTICE_DAYS = 7  # calendar days of public notice [D21 §20]


def notice_days(programme: str) -> int:
    """Calendar days of a programme's public notice (its procedure's ``public_notice_days``)."""
    return SHAPES[programme].procedure.public_notice_days or NOTICE_DAYS


DUE_SOON_WORKING_DAYS = 3

# The materials an application needs [D21 §10]: anything missing is named, all at once, in one notice (一次性告知),
# and the case cannot be accepted until it is in. The optional ones may be handed in too.
REQUIRED_MATERIALS = {  # in Chinese (the notices are); material_labels() gives them in the reader's language
    "authorisation": gettext_noop("家庭经济状况核对授权书（全体成员签字）"),
    "pledge": gettext_noop("承诺书"),
    "id_copy": gettext_noop("身份证、户口簿复印件"),
    "income_proof": gettext_noop("收入情况说明或证明"),
}


def material_labels() -> dict[str, str]:
    """The required materials by their names in the reader's language."""
    return {code: gettext(zh) for code, zh in REQUIRED_MATERIALS.items()}


OPTIONAL_MATERIALS = ("disability_card", "medical", "other")


def state_label(code: str) -> str:
    s = STATES.get(code)
    return f"{s.zh}" if s else code


def moves_from(state: str) -> list[Move]:
    return [m for m in MOVES.values() if state in m.sources]


__all__ = [
    "CaseState",
    "STATES",
    "OPEN_STATES",
    "FINAL_STATES",
    "MOVES",
    "Move",
    "State",
    "STEP_LIMITS",
    "TOTAL_LIMIT",
    "TOTAL_LIMIT_EXTENDED",
    "REQUIRED_MATERIALS",
    "OPTIONAL_MATERIALS",
]
