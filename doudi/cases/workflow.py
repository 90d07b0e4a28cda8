"""The case procedure as data: states, the moves between them, who may make each move, and the time limit
(in working days) of each step. Actions (actions.py) refuse any move that is not listed here.

Sources: [D21] 《最低生活保障审核确认办法》 §9–§24; [T21] 《特困人员认定办法》 §10–§18.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from doudi.accounts.roles import Role

R = Role


@dataclass(frozen=True)
class State:
    code: str
    zh: str
    en: str
    final: bool = False


STATES = {
    s.code: s
    for s in [
        State("draft", "待受理", "Draft"),
        State("accepted", "已受理，待入户调查", "Accepted, survey due"),
        State("surveyed", "已调查，待申请核对", "Surveyed"),
        State("verifying", "核对中", "Verification requested"),
        State("verified", "已核对，待乡镇审核", "Verification attached"),
        State("township_reviewed", "乡镇已审核，待公示", "Township opinion given"),
        State("noticing", "公示中", "Public notice"),
        State("objected", "公示有异议", "Objection received"),
        State("appraised", "已民主评议", "Democratic appraisal held"),
        State("county_review", "县级审批中", "County review"),
        State("approved", "已批准", "Approved", final=True),
        State("refused", "不予批准", "Refused", final=True),
        State("withdrawn", "已撤回", "Withdrawn", final=True),
    ]
}
OPEN_STATES = [code for code, s in STATES.items() if not s.final]


@dataclass(frozen=True)
class Move:
    code: str
    sources: tuple[str, ...]
    target: str | None  # None: the state does not change (a record is added)
    roles: frozenset[str]
    zh: str
    en: str


TOWNSHIP = frozenset({R.TOWNSHIP_CASEWORKER, R.BUREAU_ADMIN})
MOVES = {
    m.code: m
    for m in [
        Move("accept", ("draft",), "accepted", TOWNSHIP, "受理", "Accept"),
        Move("record_survey", ("accepted",), "surveyed", TOWNSHIP, "录入入户调查", "Record household survey"),
        Move("request_verification", ("surveyed",), "verifying", TOWNSHIP, "申请经济状况核对", "Request verification"),
        Move(
            "attach_verification",
            ("verifying",),
            "verified",
            frozenset({R.COUNTY_REVIEWER, R.BUREAU_ADMIN}),
            "上传核对结果",
            "Attach verification results",
        ),
        Move(
            "township_opinion",
            ("verified", "appraised"),
            "township_reviewed",
            frozenset({R.TOWNSHIP_REVIEWER, R.BUREAU_ADMIN}),
            "乡镇审核意见",
            "Township opinion",
        ),
        Move(
            "start_notice", ("township_reviewed",), "noticing", TOWNSHIP, "开始公示（7天）", "Start 7-day public notice"
        ),
        Move("record_objection", ("noticing",), "objected", TOWNSHIP, "登记公示异议", "Record an objection"),
        Move("resurvey", ("objected",), "accepted", TOWNSHIP, "重新入户调查", "Re-survey"),
        Move("record_appraisal", ("objected",), "appraised", TOWNSHIP, "录入民主评议", "Record democratic appraisal"),
        Move(
            "submit_to_county",
            ("noticing", "township_reviewed"),
            "county_review",
            frozenset({R.TOWNSHIP_CASEWORKER, R.TOWNSHIP_REVIEWER, R.BUREAU_ADMIN}),
            "公示期满，报县审批",
            "Notice ended: submit to county",
        ),
        Move(
            "record_complaint",
            ("county_review",),
            None,
            frozenset({R.COUNTY_REVIEWER, R.COUNTY_APPROVER, R.BUREAU_ADMIN}),
            "登记投诉举报",
            "Record a complaint",
        ),
        Move(
            "record_home_visit",
            ("county_review",),
            None,
            frozenset({R.COUNTY_REVIEWER, R.COUNTY_APPROVER}),
            "县级入户核查",
            "County home visit",
        ),
        Move(
            "extend",
            tuple(s for s in OPEN_STATES if s != "draft"),
            None,
            frozenset({R.COUNTY_REVIEWER, R.COUNTY_APPROVER}),
            "延期至45个工作日",
            "Extend to 45 working days",
        ),
        Move("approve", ("county_review",), "approved", frozenset({R.COUNTY_APPROVER}), "批准", "Approve"),
        Move("refuse", ("county_review",), "refused", frozenset({R.COUNTY_APPROVER}), "不予批准", "Refuse"),
        Move(
            "withdraw", tuple(s for s in OPEN_STATES), "withdrawn", TOWNSHIP | {R.VILLAGE_CADRE}, "撤回申请", "Withdraw"
        ),
    ]
}

# Step time limits in working days from entering a state [D21 §12, §17, §21; T21 §11, §15].
STEP_LIMITS = {
    "dibao": {"accepted": 3, "verifying": 3, "county_review": 10},
    "tekun": {"accepted": 15, "county_review": 15},
}
TOTAL_LIMIT = 30  # working days from acceptance [D21 §24]
TOTAL_LIMIT_EXTENDED = 45
REFUSAL_NOTICE_DAYS = 3  # written reasons within 3 working days [D21 §23]
NOTICE_DAYS = 7  # calendar days of public notice [D21 §20]
DUE_SOON_WORKING_DAYS = 3


def state_label(code: str) -> str:
    s = STATES.get(code)
    return f"{s.zh}" if s else code


def moves_from(state: str) -> list[Move]:
    return [m for m in MOVES.values() if state in m.sources]


__all__ = ["STATES", "MOVES", "Move", "State", "STEP_LIMITS", "TOTAL_LIMIT", "TOTAL_LIMIT_EXTENDED", "_"]
