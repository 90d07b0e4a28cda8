"""The case actions: the only writers of applications, cases, enrolments and their records. Each is one
transaction that checks the role and the area scope and writes an audit event beside its change.

- ``applications``: one-door acceptance — application_submit, materials_notice_issue, materials_add,
  referral_answer;
- ``procedure``: case_move and the handler of each move of workflow.MOVES;
- ``enrolments``: change_report_record, and the amount history and termination the moves share;
- ``dynamic``: dynamic_management_run, the daily job.

Reads (queues, the decision preview, the materials still missing) are in ``doudi.cases.selectors``; who may
make which move in ``doudi.cases.moves``."""

from .applications import application_submit, materials_add, materials_notice_issue, referral_answer
from .dynamic import dynamic_management_run
from .enrolments import change_report_record
from .procedure import case_move

__all__ = [
    "application_submit",
    "case_move",
    "change_report_record",
    "dynamic_management_run",
    "materials_add",
    "materials_notice_issue",
    "referral_answer",
]
