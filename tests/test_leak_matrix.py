"""The leak matrix: every route of the pages and of the API, for every role at village, township and county level,
against objects outside the account's area, of a wider area, and missing.

- An object outside the account's area answers exactly as a missing one does (status and redirect target).
- An object of a wider area (the county's payroll, the county's draft standard) may be shown read-only, but is
  never acted on: any write to it answers as missing.
- No response (page, JSON, CSV, .xlsx, PDF) carries a name, ID number, phone or account of a household outside
  the account's area, and nothing outside the area is written (no audit event there, no case opened there).

The routes are read from the URL configuration and the API's OpenAPI schema; ``test_every_route_is_covered``
fails when a route is added without a line in ROUTES here, so a new route cannot slip past the matrix.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.urls import URLResolver, get_resolver
from stdnum import luhn

from doudi.accounts.actions import staff_create
from doudi.accounts.models import Staff
from doudi.accounts.roles import Role
from doudi.areas.models import Area
from doudi.audit.models import AuditEvent
from doudi.benefits.actions import elderly_roster_build, funeral_home_create
from doudi.benefits.children import children_grant, parent_situation_end, parent_situation_record
from doudi.benefits.children_applications import children_application_record
from doudi.benefits.funeral import funeral_waive
from doudi.benefits.life import person_death_record
from doudi.benefits.models import ElderlyRoster
from doudi.benefits.temporary import hotline_call_record, temporary_apply
from doudi.benefits.transfers import transfer_request
from doudi.benefits.veterans import veteran_decide, veteran_enter
from doudi.cases.actions import application_submit, case_move
from doudi.cases.documents import document_attach
from doudi.cases.models import Case, ChangeKind, Enrolment, EnrolmentChange, Overpayment
from doudi.medical.certificates import certificate_import
from doudi.medical.settlements import settlement_enter
from doudi.payments.actions import payroll_approve, payroll_check, payroll_export
from doudi.payments.generation import payroll_generate
from doudi.programmes.actions import parameter_version_create, policy_pack_load
from doudi.programmes.batch import evaluation_run
from doudi.programmes.pack import DEMO_PACK
from doudi.programmes.rules.inputs import FuneralService
from doudi.registry.actions import household_register, record_add
from doudi.statistics.models import Target
from doudi.verification.generator import file_bytes
from doudi.verification.loads import dataset_load
from doudi.verification.models import Alert, Discovery
from doudi.verification.monitoring import monitoring_enter
from doudi.verification.report import objection_record, report_build
from doudi.verification.requests import request_send

from .conftest import PASSWORD, make_id

# ---- the routes --------------------------------------------------------------------------------------------------
# Each route names the kind of object each of its parameters refers to (or fixed values to try), the query
# parameters and body fields that refer to objects, and the methods to send. Kinds: household, person, record,
# case, application, document, enrolment, payroll, export, run, version, staff, area, report, job, overpayment,
# transfer (a household's move to another township: seen by both townships, here one neither A nor B),
# homechange (a funeral home to change: the place's township's, and as the wider object the county's, which a
# township's accounts see and choose but never change).
GET, POST, PATCH, DELETE = "GET", "POST", "PATCH", "DELETE"


@dataclass
class R:
    methods: tuple[str, ...] = (GET,)
    params: dict = field(default_factory=dict)  # name -> kind, or a list of literal values
    query: dict = field(default_factory=dict)  # name -> kind or literal
    body: dict = field(default_factory=dict)  # name -> kind or literal (form data, or JSON for the API)


H, P = "household", "person"
PAGES: dict[str, R] = {
    "i18n/setlang/": R((POST,), body={"language": "zh-hans"}),
    "api/v1/openapi.json": R(),
    "api/v1/docs": R(),
    "favicon.ico": R(),
    "api/v1/": R(),
    "accounts/login/": R(),
    "accounts/logout/": R((POST,)),
    "accounts/tokens/": R((GET, POST), body={"name": "矩阵"}),
    "staff/": R(),
    "staff/<key:pk>/toggle/": R((POST,), {"pk": "staff"}),
    "staff/<key:pk>/": R((GET, POST), {"pk": "staff"}, body={"full_name": "矩阵", "role": "auditor", "area": "area"}),
    "staff/<key:pk>/password-reset/": R((POST,), {"pk": "staff"}),
    "accounts/password/": R((GET, POST), body={"old_password": "wrong", "new_password": "x", "new_password2": "y"}),
    "accounts/2fa/": R((GET, POST), body={"token": "000000"}),
    "accounts/2fa/recovery/": R((POST,)),
    "security/": R((GET, POST), body={"password_min_length": "1", "idle_minutes": "30"}),  # refused: below the floor
    "security/accounts/": R(query={"q": "cw"}),
    "security/accounts/<key:pk>/": R((GET, POST), {"pk": "staff"}, body={"role": "auditor"}),
    "security/accounts/<key:pk>/2fa-reset/": R((POST,), {"pk": "staff"}),
    "security/accounts/<key:pk>/unlock/": R((POST,), {"pk": "staff"}),
    "security/accounts/<key:pk>/token/": R(
        (GET, POST), {"pk": "staff"}, body={"serial": "HT-9", "seed": "ab" * 16, "code": "123456"}
    ),
    "security/keys/": R(),
    "": R(),
    "households/": R(query={"area": "area", "q": "head"}),
    "households/new/": R(
        (GET, POST),
        body={"area": "area", "hukou_type": "rural", "member_count": "1", "m0-name": "矩阵新户", "m0-relation": "head"},
    ),
    "households/new/member-row/": R(query={"index": "1"}),
    "households/export.xlsx": R(query={"area": "area"}),
    "households/import/": R(),
    "households/import/template.xlsx": R(),
    "households/import/report/<str:token>.xlsx": R(params={"token": "report"}),
    "households/<key:pk>/": R(params={"pk": H}),
    "households/<key:pk>/edit/": R((GET, POST), {"pk": H}, body={"area": "area", "hukou_type": "urban"}),
    "households/<key:pk>/members/new/": R((GET, POST), {"pk": H}),
    "households/<key:pk>/<slug:kind>/new/": R(
        (GET, POST), {"pk": H, "kind": ["incomes"]}, body={"person": P, "kind": "wage", "monthly": "1.00"}
    ),
    "households/<key:pk>/<slug:kind>/<key:record_id>/": R(
        (GET, POST), {"pk": H, "kind": ["incomes"], "record_id": "record"}
    ),
    "households/<key:pk>/<slug:kind>/<key:record_id>/delete/": R(
        (POST,), {"pk": H, "kind": ["incomes"], "record_id": "record"}
    ),
    "people/<key:pk>/edit/": R((GET, POST), {"pk": P}),
    "people/<key:pk>/move/": R((GET, POST), {"pk": P}, body={"household": H, "relation": "other"}),
    "people/<key:pk>/leave/": R((GET, POST), {"pk": P}, body={"reason": "外出"}),
    "reveal/<str:kind>/<key:pk>/": R(params={"kind": ["person"], "pk": P}),
    "areas/": R(),
    "audit/": R(query={"target": H}),
    "audit/export.xlsx": R(),
    "audit/chain/": R((GET, POST), body={"do": "verify"}),
    "programmes/": R(),
    "programmes/versions/<key:pk>/": R(params={"pk": "version"}),
    "programmes/versions/new/": R(
        (GET, POST), query={"area": "area"}, body={"programme": "dibao", "area": "area", "effective_from": "2026-09-01"}
    ),
    "programmes/versions/<key:pk>/approve/": R((GET, POST), {"pk": "version"}, body={"confirm": "2026-07-01"}),
    "programmes/versions/<key:pk>/withdraw/": R((POST,), {"pk": "version"}),
    "programmes/versions/<key:pk>/simulate/": R((POST,), {"pk": "version"}),
    "programmes/runs/": R((GET, POST), body={"programme": "dibao", "on": "2026-03-02"}),
    "programmes/runs/<key:pk>/": R(params={"pk": "run"}, query={"area": "area"}),
    "programmes/runs/<key:pk>/households.xlsx": R(params={"pk": "run"}, query={"area": "area"}),
    "programmes/exports/<key:pk>.xlsx": R(params={"pk": "job"}),
    "households/<key:pk>/decision/<slug:programme>/": R(params={"pk": H, "programme": ["dibao"]}),
    "cases/": R(query={"queue": "mine"}),
    "cases/daily/": R((POST,)),
    "cases/notice.pdf": R(query={"area": "area"}),
    "cases/<key:pk>/": R(params={"pk": "case"}),
    "cases/<key:pk>/move/<slug:move>/": R(
        (POST,), {"pk": "case", "move": ["accept", "withdraw", "approve"]}, body={"reason": "矩阵"}
    ),
    "cases/<key:pk>/documents/": R((POST,), {"pk": "case"}),
    "cases/<key:pk>/<slug:kind>.pdf": R(params={"pk": "case", "kind": ["application", "survey", "approval"]}),
    "documents/<key:pk>/": R(params={"pk": "document"}),
    "households/<key:household_id>/apply/": R((GET, POST), {"household_id": H}, body={"applicant": P}),
    "applications/<key:pk>/materials-notice.pdf": R(params={"pk": "application"}),
    "applications/<key:pk>/": R((GET, POST), {"pk": "application"}, body={"issue_notice": "1"}),
    "enrolments/": R(query={"area": "area"}),
    "enrolments/export.xlsx": R(query={"area": "area"}),
    "enrolments/termination-notice.pdf": R(query={"area": "area"}),
    "enrolments/<key:pk>/notice.pdf": R(params={"pk": "enrolment"}),
    "enrolments/<key:pk>/": R(
        (GET, POST), {"pk": "enrolment"}, body={"kind": "income_up", "effective_month": "2026-04", "details": "矩阵"}
    ),
    "jobs/<key:pk>/": R(params={"pk": "job"}),
    "temporary/": R(),
    "temporary/hotline/": R(
        (GET, POST), body={"caller_name": "矩阵", "area_code": "area", "need": "矩阵来电", "outcome": "advice"}
    ),
    "temporary/new/": R(
        (GET, POST),
        query={"household": "household", "call": "call"},
        body={"household": "household", "call": "call", "kind": "emergency", "cause": "矩阵", "loss": "100"},
    ),
    "temporary/<key:pk>/": R(params={"pk": "temporary"}),
    "temporary/<key:pk>/<slug:verb>/": R(
        (POST,),
        {"pk": "temporary", "verb": ["pay-first", "approve", "refuse", "paperwork"]},
        body={"reason": "矩阵", "record": "矩阵"},
    ),
    "elderly/rosters/": R((GET, POST), query={"month": "2026-03"}, body={"month": "2026-03"}),
    "elderly/rosters/<key:pk>/": R((GET, POST), {"pk": "roster"}, body={"mark-1": "present"}),
    "elderly/rosters/<key:pk>/roster.xlsx": R(params={"pk": "roster"}),
    "elderly/rosters/<key:pk>/import/": R((POST,), {"pk": "roster"}),
    "veterans/": R((GET, POST), query={"area": "area", "status": "active"}, body={"do": "uprate", "month": "2026-03"}),
    "veterans/new/": R(
        (GET, POST), query={"person": P}, body={"person": P, "category": "demobilised", "start_month": "2026-03"}
    ),
    "veterans/amounts/": R((GET, POST), query={"on": "2026-03-02"}),
    "veterans/<key:pk>/": R(params={"pk": "veteran"}),
    "veterans/<key:pk>/<slug:verb>/": R(
        (POST,),
        {"pk": "veteran", "verb": ["suspend", "resume", "approve", "correct", "account"]},
        body={
            "bank_account": "6222021234567890128",
            "started_on": "2026-03-02",
            "released_on": "2026-03-20",
            "cause": "war",
            "grade": "6",
            "from_month": "2026-03",
            "reason": "矩阵",
        },
    ),
    "children/": R(),
    "children/children.xlsx": R(),
    "children/reviews/run/": R((POST,)),
    "children/import/": R((GET, POST), body={"token": "0" * 32}),
    "children/reviews/<key:pk>/": R((GET, POST), {"pk": "childreview"}, body={"outcome": "stop", "reason": "矩阵"}),
    "children/applications/": R(query={"step": "all"}),
    "children/applications/<key:pk>/": R(
        (GET, POST),
        {"pk": "childapp"},
        body={"verb": "submit", "opinion": "矩阵", "outcome": "refuse", "reason": "矩阵"},
    ),
    "people/<key:pk>/children/": R(
        (GET, POST),
        {"pk": P},
        body={"verb": "record", "parent": "mother", "status": "dead", "since": "2020-01-01", "evidence": "矩阵"},
    ),
    "people/<key:pk>/": R(params={"pk": P}),
    "people/<key:pk>/funeral/": R(
        (GET, POST),
        {"pk": "deceased"},
        body={"funeral_home": "funeralhome", "fee_cremation": "400.00", "do": "preview"},
    ),
    "funeral/": R(
        (GET, POST),
        query={"area": "area", "month": "2026-03"},
        body={"name": "矩阵殡仪馆", "area": "area", "bank_account": "6228480000123456789", "account_holder": "矩阵"},
    ),
    "funeral/waivers.xlsx": R(query={"area": "area", "month": "2026-03"}),
    "funeral/homes/<key:pk>/": R(
        (GET, POST),
        {"pk": "homechange"},
        body={"name": "矩阵殡仪馆改名", "bank_account": "", "account_holder": "矩阵"},
    ),
    "people/<key:pk>/grant/<slug:programme>/": R((GET, POST), {"pk": P, "programme": ["elderly", "disability"]}),
    "people/<key:pk>/report/<slug:event>/": R(
        (GET, POST),
        {"pk": P, "event": ["death", "move-out", "move-within"]},
        body={"on": "2026-03-02", "details": "矩阵", "to_household": H, "relation": "other", "confirm": "0"},
    ),
    "households/<key:pk>/change-report/": R(
        (GET, POST), {"pk": H}, body={"kind": "income", "month": "2026-04", "details": "矩阵", "confirm": "0"}
    ),
    "enrolments/<key:pk>/stop/": R((POST,), {"pk": "enrolment"}, body={"month": "2026-04", "reason": "矩阵"}),
    "enrolments/<key:pk>/hold/": R((POST,), {"pk": "enrolment"}, body={"pay": "1", "reason": "矩阵"}),
    "households/<key:pk>/transfer/": R(
        (GET, POST), {"pk": H}, body={"to_area": "511425103201", "moved_on": "2026-03-02", "reason": "矩阵"}
    ),
    "transfers/": R(),
    "transfers/<key:pk>/": R(params={"pk": "transfer"}),
    "transfers/<key:pk>/<slug:verb>/": R(
        (POST,), {"pk": "transfer", "verb": ["accept", "refuse", "withdraw"]}, body={"note": "矩阵"}
    ),
    "medical/": R(query={"year": "2026"}),
    "medical/import/": R((GET, POST)),
    "medical/new/": R(
        (GET, POST),
        body={
            "number": "JZ-矩阵",
            "name": "矩阵",
            "id_number": "511425196001010011",
            "hospital": "矩阵医院",
            "admitted_on": "2026-03-01",
            "discharged_on": "2026-03-02",
            "total_cost": "100.00",
            "insurance_paid": "50.00",
            "in_scope_oop": "50.00",
        },
    ),
    "medical/settlements/<key:pk>/": R(params={"pk": "settlement"}),
    "medical/premiums/": R((GET, POST), query={"year": "2026"}, body={"year": "2026"}),
    "medical/export.xlsx": R(query={"year": "2026"}),
    "medical/people/<key:pk>/<int:year>/": R(params={"pk": "person", "year": ["2026"]}),
    "medical/people/<key:pk>/<int:year>/statement.pdf": R(params={"pk": "person", "year": ["2026"]}),
    "medical/certificates/": R(query={"state": "imported"}),
    "medical/certificates/import/": R((GET, POST)),
    "medical/certificates/follow/": R((POST,)),
    "medical/certificates/<key:pk>/<slug:verb>/": R(
        (POST,), {"pk": "certificate", "verb": ["pass", "reject", "approve", "refuse"]}, body={"note": "矩阵"}
    ),
    "payments/": R(),
    "payments/start/": R((POST,), body={"programme": "dibao", "month": "2026-04"}),
    "payments/recoveries/": R((GET, POST), body={"overpayment": "overpayment", "amount": "1.00"}),
    "payments/figures/": R(query={"year": "2026"}),
    "statistics/": R(query={"month": "2026-02", "area": "area"}),
    "statistics/<slug:code>/": R(params={"code": ["DB0101000000"]}, query={"month": "2026-02", "area": "area"}),
    "statistics/report.xlsx": R(query={"month": "2026-02"}),
    "statistics/dashboard/": R((GET, POST), query={"area": "area", "year": "2026"}),
    "statistics/targets/": R(
        (GET, POST), body={"year": "2026", "code": "DB0302100000", "area": "area", "value": "220.00"}
    ),
    "statistics/targets/<key:pk>/approve/": R((POST,), {"pk": "target"}),
    "payments/files/<key:pk>/": R(params={"pk": "export"}),
    "payments/<key:pk>/": R(params={"pk": "payroll"}),
    "payments/<key:pk>/<slug:verb>/": R(
        (POST,),
        {"pk": "payroll", "verb": ["check", "approve", "cancel", "export", "anomaly"]},
        body={"reason": "矩阵", "fmt": "csv"},
    ),
    "verification/": R(),
    "verification/loads/new/": R((GET, POST), body={"kind": "wage", "as_of": "2026-03-01"}),
    "verification/loads/<key:pk>/": R(params={"pk": "load"}),
    "verification/kinds/<slug:kind>/": R(params={"kind": ["wage"]}),
    "verification/requests/": R((GET, POST), body={"department": "human_resources", "scope": "case", "case": "case"}),
    "verification/requests/<key:pk>/": R((GET, POST), {"pk": "request"}, body={"kind": "wage", "as_of": "2026-03-01"}),
    "verification/requests/<key:pk>/file.csv": R(params={"pk": "request"}),
    "verification/findings/<key:pk>/<slug:verb>/": R(
        (POST,), {"pk": "finding", "verb": ["confirm", "dispute", "object", "resolve"]}, body={"reason": "矩阵"}
    ),
    "cases/<key:pk>/verification/": R((GET, POST), {"pk": "case"}),
    "verification/alerts/": R(
        (GET, POST), query={"township": "area"}, body={"alert": "alert", "reason": "矩阵", "do": "resolve"}
    ),
    "cases/<key:pk>/verification/report.pdf": R(params={"pk": "case"}),
    "verification/discovery/": R(query={"township": "area"}),
    "verification/discovery/export.xlsx": R(query={"township": "area"}),
    "verification/discovery/<key:pk>/": R(
        (GET, POST), {"pk": "discovery"}, body={"outcome": "refused", "note": "矩阵", "application": "application"}
    ),
    "verification/monitoring/": R((GET, POST), body={"household": H, "tier": "rigid", "reason": "矩阵"}),
    "verification/monitoring/<key:pk>/leave/": R((POST,), {"pk": "entry"}, body={"reason": "矩阵"}),
    "verification/monitoring/<key:pk>/": R(
        (GET, POST), {"pk": "entry"}, body={"do": "assign", "cadre": "cadre", "reason": "矩阵"}
    ),
}

API: dict[str, R] = {
    "GET /api/v1/areas": R(),
    "GET /api/v1/areas/{code}": R(params={"code": "area"}),
    "GET /api/v1/households": R(query={"area": "area", "q": "head"}),
    "POST /api/v1/households": R(
        body={
            "area_code": "area",
            "hukou_type": "rural",
            "members": [{"name": "矩阵新户", "id_number": make_id("1970-01-01", 901), "relation": "head"}],
        }
    ),
    "GET /api/v1/households/{household_id}": R(params={"household_id": H}),
    "PATCH /api/v1/households/{household_id}": R(params={"household_id": H}, body={"phone": "13900000000"}),
    "POST /api/v1/households/{household_id}/members": R(
        params={"household_id": H},
        body={"name": "矩阵成员", "id_number": make_id("1990-01-01", 902), "relation": "other"},
    ),
    "POST /api/v1/households/{household_id}/records/{kind}": R(
        params={"household_id": H, "kind": ["incomes"]}, body={"data": {"person": P, "kind": "wage", "monthly": "1.00"}}
    ),
    "DELETE /api/v1/households/{household_id}/records/{kind}/{record_id}": R(
        params={"household_id": H, "kind": ["incomes"], "record_id": "record"}
    ),
    "GET /api/v1/people/{person_id}": R(params={"person_id": P}),
    "PATCH /api/v1/people/{person_id}": R(params={"person_id": P}, body={"phone": "13900000000"}),
    "GET /api/v1/people/{person_id}/id-number": R(params={"person_id": P}),
    "POST /api/v1/people/{person_id}/move": R(
        params={"person_id": P}, body={"to_household_id": H, "relation": "other"}
    ),
    "POST /api/v1/evaluate": R(body={"programme": "dibao", "household": {"area_code": "area"}}),
    "GET /api/v1/households/{household_id}/decision/{programme}": R(params={"household_id": H, "programme": ["dibao"]}),
    "GET /api/v1/programmes": R(),
    "GET /api/v1/programmes/{code}/versions": R(params={"code": ["dibao"]}),
    "POST /api/v1/programmes/{code}/versions": R(
        params={"code": ["dibao"]},
        body={"area_code": "area", "effective_from": "2026-07-01", "values": {"standard_rural": "900.00"}},
    ),
    "POST /api/v1/versions/{version_id}/approve": R(params={"version_id": "version"}),
    "POST /api/v1/versions/{version_id}/simulate": R(params={"version_id": "version"}),
    "POST /api/v1/evaluation-runs": R(body={"programme": "dibao", "on": "2026-03-02", "area_code": "area"}),
    "GET /api/v1/evaluation-runs/{run_id}": R(params={"run_id": "run"}),
    "GET /api/v1/evaluation-runs/{run_id}/households": R(params={"run_id": "run"}, query={"area": "area"}),
    "GET /api/v1/evaluation-runs/{run_id}/households.xlsx": R(params={"run_id": "run"}, query={"area": "area"}),
    "GET /api/v1/programmes/{code}/parameters": R(params={"code": ["dibao"]}),
    "GET /api/v1/evaluation-exports/{job_id}": R(params={"job_id": "job"}),
    "GET /api/v1/versions/{version_id}": R(params={"version_id": "version"}),
    "GET /api/v1/deadline": R(query={"start": "2026-03-02", "working_days": "3"}),
    "GET /api/v1/cases": R(query={"queue": "mine"}),
    "POST /api/v1/applications": R(body={"household_id": H, "applicant_id": P, "programmes": ["dibao"]}),
    "GET /api/v1/cases/{case_id}": R(params={"case_id": "case"}),
    "POST /api/v1/cases/{case_id}/moves/{move}": R(
        params={"case_id": "case", "move": ["accept", "withdraw"]}, body={"data": {"reason": "矩阵"}}
    ),
    "GET /api/v1/enrolments": R(query={"area": "area"}),
    "GET /api/v1/transfers": R(),
    "POST /api/v1/households/{household_id}/transfers": R(
        params={"household_id": H}, body={"to_area": "511425103201", "moved_on": "2026-03-02", "reason": "矩阵"}
    ),
    "POST /api/v1/transfers/{transfer_id}/{verb}": R(
        params={"transfer_id": "transfer", "verb": ["accept", "refuse", "withdraw"]}, body={"note": "矩阵"}
    ),
    "POST /api/v1/enrolments/{enrolment_id}/change-reports": R(
        params={"enrolment_id": "enrolment"},
        body={"kind": "income_up", "effective_month": "2026-04-01", "details": "矩阵"},
    ),
    "GET /api/v1/people/{person_id}/programmes": R(params={"person_id": P}),
    "GET /api/v1/households/{household_id}/programmes": R(params={"household_id": H}),
    "POST /api/v1/people/{person_id}/death": R(
        params={"person_id": P}, body={"died_on": "2026-03-02", "details": "矩阵", "preview": True}
    ),
    "POST /api/v1/people/{person_id}/move-out": R(
        params={"person_id": P}, body={"on": "2026-03-02", "details": "矩阵", "preview": True}
    ),
    "POST /api/v1/people/{person_id}/move-within": R(
        params={"person_id": P},
        body={"to_household_id": H, "relation": "other", "on": "2026-03-02", "details": "矩阵", "preview": True},
    ),
    "POST /api/v1/households/{household_id}/change-report": R(
        params={"household_id": H}, body={"kind": "income", "effective_month": "2026-04", "details": "矩阵"}
    ),
    "POST /api/v1/people/{person_id}/grants": R(params={"person_id": P}, body={"programme": "elderly"}),
    "POST /api/v1/enrolments/{enrolment_id}/stop": R(
        params={"enrolment_id": "enrolment"}, body={"month": "2026-04", "reason": "矩阵"}
    ),
    "POST /api/v1/enrolments/{enrolment_id}/hold": R(
        params={"enrolment_id": "enrolment"}, body={"pay": True, "reason": "矩阵"}
    ),
    "POST /api/v1/payrolls": R(body={"programme": "dibao", "month": "2026-05"}),
    "GET /api/v1/payrolls/{payroll_id}": R(params={"payroll_id": "payroll"}),
    "POST /api/v1/payrolls/{payroll_id}/{verb}": R(params={"payroll_id": "payroll", "verb": ["check", "approve"]}),
    "GET /api/v1/elderly-rosters": R(query={"month": "2026-03"}),
    "GET /api/v1/veterans": R(query={"area": "area"}),
    "GET /api/v1/veterans/{veteran_id}": R(params={"veteran_id": "veteran"}),
    "POST /api/v1/veterans/{veteran_id}/suspend": R(
        params={"veteran_id": "veteran"}, body={"started_on": "2026-03-02"}
    ),
    "POST /api/v1/veterans/{veteran_id}/correct": R(
        params={"veteran_id": "veteran"},
        body={"cause": "war", "grade": 6, "from_month": "2026-03", "reason": "矩阵"},
    ),
    "POST /api/v1/veterans/{veteran_id}/account": R(
        params={"veteran_id": "veteran"},
        body={"bank_account": "6222021234567890128", "reason": "矩阵"},
    ),
    "POST /api/v1/veterans/{veteran_id}/resume": R(
        params={"veteran_id": "veteran"}, body={"released_on": "2026-03-20"}
    ),
    "POST /api/v1/veterans": R(
        body={
            "person_id": P,
            "category": "disabled",
            "grade": 6,
            "cause": "duty",
            "start_month": "2026-03",
            "certificate_no": "矩阵",
        }
    ),
    "POST /api/v1/veterans/{veteran_id}/approve": R(params={"veteran_id": "veteran"}),
    "POST /api/v1/veterans/{veteran_id}/refuse": R(params={"veteran_id": "veteran"}, body={"reason": "矩阵"}),
    "POST /api/v1/veterans/grants": R(body={"kind": "spring_festival", "month": "2026-02"}),
    "GET /api/v1/children": R(),
    "POST /api/v1/people/{person_id}/children-allowance": R(params={"person_id": P}, body={"note": "矩阵"}),
    "GET /api/v1/hotline-calls": R(),
    "POST /api/v1/hotline-calls": R(
        body={"caller_name": "矩阵", "area_code": "area", "need": "矩阵来电", "outcome": "advice"}
    ),
    "GET /api/v1/temporary": R(),
    "GET /api/v1/temporary/{ta_id}": R(params={"ta_id": "temporary"}),
    "POST /api/v1/temporary": R(
        body={
            "household_id": H,
            "applicant_id": P,
            "kind": "emergency",
            "cause": "矩阵",
            "hardship_date": "2026-03-01",
            "loss": "100",
            "call_id": "call",
        }
    ),
    "POST /api/v1/temporary/{ta_id}/{verb}": R(
        params={"ta_id": "temporary", "verb": ["pay-first", "approve", "refuse", "paperwork"]},
        body={"reason": "矩阵", "record": "矩阵"},
    ),
    "GET /api/v1/people/{person_id}/parent-situations": R(params={"person_id": P}),
    "POST /api/v1/people/{person_id}/parent-situations": R(
        params={"person_id": P},
        body={"parent": "mother", "status": "dead", "since": "2020-01-01", "evidence": "矩阵"},
    ),
    "POST /api/v1/children/reviews/{case_id}/decide": R(
        params={"case_id": "childreview"}, body={"outcome": "stop", "reason": "矩阵"}
    ),
    "GET /api/v1/children/applications": R(query={"step": "accepted"}),
    "POST /api/v1/children/applications": R(
        body={"child_id": "childapplicant", "accepted_on": "2026-03-02", "applied_by": "矩阵"}
    ),
    "POST /api/v1/children/applications/{case_id}/submit": R(params={"case_id": "childapp"}, body={"opinion": "矩阵"}),
    "POST /api/v1/children/applications/{case_id}/withdraw": R(params={"case_id": "childapp"}, body={"reason": "矩阵"}),
    "POST /api/v1/children/applications/{case_id}/decide": R(
        params={"case_id": "childapp"}, body={"outcome": "refuse", "reason": "矩阵"}
    ),
    "GET /api/v1/elderly-rosters/{roster_id}": R(params={"roster_id": "roster"}),
    "GET /api/v1/funeral-homes": R(),
    "POST /api/v1/funeral-homes": R(
        body={
            "name": "矩阵殡仪馆",
            "area_code": "area",
            "bank_account": "6228480000123456789",
            "account_holder": "矩阵",
        }
    ),
    "PATCH /api/v1/funeral-homes/{home_id}": R(
        params={"home_id": "homechange"}, body={"name": "矩阵殡仪馆改名", "account_holder": "矩阵"}
    ),
    "GET /api/v1/funeral-waivers": R(query={"area": "area", "month": "2026-03"}),
    "POST /api/v1/people/{person_id}/funeral-waiver": R(
        params={"person_id": "deceased"},
        body={"funeral_home_id": "funeralhome", "services": [{"kind": "cremation", "fee": "400.00"}]},
    ),
    "POST /api/v1/elderly-rosters/{roster_id}/confirm": R(
        params={"roster_id": "roster"}, body={"lines": [{"line_id": "roster", "mark": "present"}]}
    ),
    "GET /api/v1/payment-figures": R(query={"year": "2026"}),
    "GET /api/v1/indicators": R(query={"month": "2026-02", "area": "area", "format": "csv"}),
    "GET /api/v1/targets": R(),
    "POST /api/v1/targets": R(body={"year": 2026, "code": "DB0302100000", "area": "area", "value": "220.00"}),
    "POST /api/v1/targets/{target_id}/approve": R(params={"target_id": "target"}),
    "GET /api/v1/jobs/{job_id}": R(params={"job_id": "job"}),
    "GET /api/v1/verification/kinds": R(),
    "GET /api/v1/verification/loads": R(),
    "POST /api/v1/verification/loads": R(
        body={
            "kind": "wage",
            "as_of": "2026-03-01",
            "file_name": "w.csv",
            "content_base64": "",
            "request_id": "request",
        }
    ),
    "GET /api/v1/verification/loads/{load_id}": R(params={"load_id": "load"}),
    "POST /api/v1/verification/requests": R(body={"department": "human_resources", "case_ids": ["case"]}),
    "GET /api/v1/verification/requests/{request_id}": R(params={"request_id": "request"}),
    "GET /api/v1/cases/{case_id}/verification": R(params={"case_id": "case"}),
    "POST /api/v1/cases/{case_id}/verification": R(params={"case_id": "case"}),
    "GET /api/v1/verification/alerts": R(),
    "GET /api/v1/verification/village-alerts": R(),
    "GET /api/v1/medical/settlements": R(query={"year": "2026"}),
    "GET /api/v1/medical/settlements/{settlement_id}": R(params={"settlement_id": "settlement"}),
    "POST /api/v1/medical/settlements": R(
        body={
            "number": "JZ-矩阵",
            "name": "矩阵",
            "id_number": "511425196001010011",
            "hospital": "矩阵医院",
            "admitted_on": "2026-03-01",
            "discharged_on": "2026-03-02",
            "total_cost": "100.00",
            "insurance_paid": "50.00",
            "in_scope_out_of_pocket": "50.00",
        }
    ),
    "POST /api/v1/medical/settlement-imports": R(body={"file_name": "s.csv", "content_base64": ""}),
    "POST /api/v1/medical/premium-rosters": R(body={"year": 2026}),
    "GET /api/v1/medical/certificates": R(query={"state": "imported"}),
    "POST /api/v1/medical/certificate-imports": R(body={"file_name": "c.csv", "content_base64": ""}),
    "POST /api/v1/medical/certificates/{certificate_id}/{verb}": R(
        params={"certificate_id": "certificate", "verb": ["pass", "reject", "approve", "refuse"]}, body={"note": "矩阵"}
    ),
    "GET /api/v1/medical/statements/{person_id}/{year}": R(params={"person_id": "person", "year": [2026]}),
    "POST /api/v1/verification/alerts/{verb}": R(
        params={"verb": ["resolve", "review", "leave"]}, body={"alert_ids": ["alert"], "reason": "矩阵"}
    ),
    "POST /api/v1/verification/findings/{finding_id}/objections": R(
        params={"finding_id": "finding"},
        body={"received_on": "2026-03-02", "content": "矩阵", "evidence_id": "document"},
    ),
    "POST /api/v1/verification/objections/{objection_id}/resolve": R(
        params={"objection_id": "objection"}, body={"outcome": "rejected", "note": "矩阵"}
    ),
    "POST /api/v1/verification/findings/{finding_id}/{verb}": R(
        params={"finding_id": "finding", "verb": ["confirm", "dispute"]}, body={"reason": "矩阵"}
    ),
    # the three administrators' API (issue 12)
    "GET /api/v1/staff": R(),
    "POST /api/v1/staff": R(body={"username": "matrix_new", "password": "A-strong-passphrase-9", "area_code": "area"}),
    "PATCH /api/v1/staff/{staff_id}": R(params={"staff_id": "staff"}, body={"full_name": "矩阵", "area_code": "area"}),
    "GET /api/v1/security/accounts": R(),
    "PUT /api/v1/security/accounts/{staff_id}/role": R(params={"staff_id": "staff"}, body={"role": "auditor"}),
    "POST /api/v1/security/accounts/{staff_id}/unlock": R(params={"staff_id": "staff"}),
    "POST /api/v1/security/accounts/{staff_id}/second-factor-reset": R(params={"staff_id": "staff"}),
    "POST /api/v1/security/accounts/{staff_id}/hardware-token": R(
        params={"staff_id": "staff"}, body={"serial": "HT-9", "seed": "ab" * 16, "code": "123456"}
    ),
    "GET /api/v1/security/policy": R(),
    "PUT /api/v1/security/policy": R(  # refused: below the floor
        body={
            "password_min_length": 1,
            "password_max_age_days": 90,
            "password_history": 5,
            "idle_minutes": 30,
            "single_session": True,
            "second_factor_roles": [],
        }
    ),
    "GET /api/v1/audit/chain": R(),
    "POST /api/v1/audit/chain/verify": R(),
    "GET /api/v1/verification/discoveries": R(),
    "POST /api/v1/verification/discoveries/{discovery_id}/visit": R(
        params={"discovery_id": "discovery"},
        body={"outcome": "refused", "note": "矩阵", "application_id": "application"},
    ),
    "GET /api/v1/verification/monitoring": R(),
    "POST /api/v1/verification/monitoring": R(body={"household_id": H, "tier": "rigid", "reason": "矩阵"}),
    "POST /api/v1/verification/monitoring/{entry_id}/leave": R(params={"entry_id": "entry"}, body={"reason": "矩阵"}),
    "POST /api/v1/verification/discoveries/{discovery_id}/assign": R(
        params={"discovery_id": "discovery"}, body={"cadre_id": "cadre", "reason": "矩阵"}
    ),
    "POST /api/v1/verification/monitoring/{entry_id}/assign": R(
        params={"entry_id": "entry"}, body={"cadre_id": "cadre", "reason": "矩阵"}
    ),
}


def _page_routes(patterns=None, prefix=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            yield from _page_routes(p.url_patterns, prefix + str(p.pattern))
        elif not prefix.startswith("api/v1/") or p.name in ("openapi-json", "openapi-view", "api-root"):
            # the API's operations are listed from its schema (below); its own pages are routes here
            yield prefix + str(p.pattern)


def _api_routes():
    from doudi.api.api import api

    for path, ops in api.get_openapi_schema()["paths"].items():
        for method in ops:
            yield f"{method.upper()} {path}"


def test_every_route_is_covered():
    """A route added to the URL configuration or the API without a line in this matrix fails here."""
    pages, api = set(_page_routes()), set(_api_routes())
    assert pages - set(PAGES) == set(), "routes missing from the leak matrix (PAGES)"
    assert api - set(API) == set(), "API operations missing from the leak matrix (API)"
    assert set(PAGES) - pages == set() and set(API) - api == set(), "the matrix names routes that no longer exist"


# ---- the county: A (汉阳镇, the accounts' own), B (瑞峰镇, another township), C (夹江县, another county) ----
AREAS = [
    ("511425000000", "青神县", "county", "rural", None),
    ("511425101000", "汉阳镇", "township", "rural", "511425000000"),
    ("511425101201", "东风村", "village", "rural", "511425101000"),
    ("511425101001", "汉阳社区", "village", "urban", "511425101000"),
    ("511425102000", "瑞峰镇", "township", "rural", "511425000000"),
    ("511425102201", "南河村", "village", "rural", "511425102000"),
    ("511426000000", "夹江县", "county", "rural", None),
    ("511426101000", "漹城镇", "township", "rural", "511426000000"),
    ("511426101201", "迎江村", "village", "rural", "511426101000"),
    # where the places' households ask to move (another township of their county, neither A's nor B's)
    ("511425103000", "西龙镇", "township", "rural", "511425000000"),
    ("511425103201", "新桥村", "village", "rural", "511425103000"),
    ("511426102000", "甘江镇", "township", "rural", "511426000000"),
    ("511426102201", "黄桥村", "village", "rural", "511426102000"),
]
PLACES = {  # place: (county, township, village, head name, spouse name, seed)
    "A": ("511425000000", "511425101000", "511425101201", "汉甲户", "汉甲妻", 1),
    "B": ("511425102000", "511425102000", "511425102201", "瑞乙户", "瑞乙妻", 2),
    "C": ("511426000000", "511426101000", "511426101201", "邻丙户", "邻丙妻", 3),
}
LEVELS = {"village": "511425101201", "township": "511425101000", "county": "511425000000"}
MISSING = {
    "household": 987654321,
    "person": 987654321,
    "record": 987654321,
    "case": 987654321,
    "application": 987654321,
    "document": 987654321,
    "enrolment": 987654321,
    "payroll": 987654321,
    "export": 987654321,
    "run": 987654321,
    "version": 987654321,
    "staff": 987654321,
    "overpayment": 987654321,
    "target": 987654321,
    "area": "511425199000",
    "report": "0" * 32,
    "job": 987654321,
    "call": 987654321,
    "temporary": 987654321,
    "settlement": 987654321,
    "certificate": 987654321,
    "load": 987654321,
    "request": 987654321,
    "finding": 987654321,
    "objection": 987654321,
    "alert": 987654321,
    "roster": 987654321,
    "childreview": 987654321,
    "childapp": 987654321,
    "childapplicant": 987654321,
    "discovery": 987654321,
    "entry": 987654321,
    "veteran": 987654321,
    "transfer": 987654321,
    "cadre": 987654321,
    "deceased": 987654321,
    "funeralhome": 987654321,
    "homechange": 987654321,
}


def _card(seed: int) -> str:
    body = f"62170000{seed:010d}"
    return body + luhn.calc_check_digit(body)


def _place(name, tmp):
    county, township, village, head, spouse, n = PLACES[name]
    mk = lambda user, role, area: staff_create(
        actor=None,
        username=f"{user}{name}",
        password=PASSWORD,
        role=role,  # noqa: E731
        area_code=area,
        full_name=f"{user}{name}",
        check_password=False,
    )
    cw, cw2 = mk("cw", "township_caseworker", township), mk("cwx-", "township_caseworker", township)
    crev = mk("crev", "county_reviewer", county)
    cadre = mk("vcm", "village_cadre", village)  # a visit is given to a cadre of the township only
    fin, fin2 = mk("fin", "finance_officer", township), mk("finb", "finance_officer", township)
    births = ("1960-01-01", "1962-02-02")
    h = household_register(
        actor=cw,
        area_code=village,
        data={"hukou_type": "rural", "phone": f"1380000{n:04d}", "bank_account": _card(n)},
        members=[
            {"name": head, "id_number": make_id(births[0], 10 + n), "relation": "head"},
            {"name": spouse, "id_number": make_id(births[1], 20 + n), "relation": "spouse"},
        ],
    )
    person = h.memberships.get(relation="head").person
    record = record_add(
        actor=cw, household=h, kind="incomes", data={"person": person.pk, "kind": "wage", "monthly": "300.00"}
    )
    on = dt.date(2026, 3, 2)
    app = application_submit(
        actor=cw,
        household=h,
        applicant=person,
        programmes=["dibao"],
        on=on,
        materials=["authorisation", "pledge", "id_copy", "income_proof"],
    )
    case = app.cases.get()
    case_move(actor=cw, case=case, move="accept", on=on)
    doc = document_attach(actor=cw, case=case, kind="other", filename=f"{head}.pdf", content=b"%PDF-1.4 test")
    approved = Case.objects.create(
        programme_id="dibao", household=h, applicant=person, area_code=h.area_id, created_by=cw, state="approved"
    )
    e = Enrolment.objects.create(
        programme_id="dibao",
        household=h,
        case=approved,
        area_code=h.area_id,
        start_month=dt.date(2026, 1, 1),
        monthly_amount=Decimal("300.00"),
        counted_members=2,
        review_category="stable",
        next_review_due=dt.date(2026, 1, 1),
    )
    EnrolmentChange.objects.create(
        enrolment=e, kind=ChangeKind.START, from_month=e.start_month, new_amount=e.monthly_amount, reason="纳入"
    )
    over = Overpayment.objects.create(enrolment=e, amount=Decimal("50.00"), reason="多发", created_by=cw)
    target = Target.objects.create(
        year=2026, code="DB0302100000", area_id=township, value=Decimal("220.00"), created_by=cw
    )
    payroll = payroll_generate(actor=fin, programme="dibao", month=dt.date(2026, 2, 1))
    payroll_check(actor=fin, payroll=payroll)
    payroll_approve(actor=fin2, payroll=payroll)
    export = payroll_export(actor=fin2, payroll=payroll)
    run = evaluation_run(actor=cw, programme="dibao", on=on)
    version = parameter_version_create(
        actor=crev if name != "B" else mk("crevx", "county_reviewer", county),
        programme="dibao",
        area_code=township,
        effective_from=dt.date(2026, 7, 1),
        values={"standard_rural": "901.00"},
        note=f"{name} 草稿",
    )
    token = uuid.uuid4().hex
    folder = tmp / "import-reports"
    folder.mkdir(exist_ok=True)
    (folder / f"{cw.pk}-{token}.xlsx").write_bytes(b"PK")
    from doudi.payments.tasks import payroll_generate_enqueue

    job = payroll_generate_enqueue(actor=fin, programme="tekun", month=dt.date(2026, 2, 1)).pk  # inline in tests
    call = hotline_call_record(
        actor=cw,
        caller_name=head,
        caller_phone=f"1380000{n:04d}",
        area_code=village,
        need="房屋失火",
        outcome="application",
    )
    ta = temporary_apply(
        actor=cw,
        household=h,
        person=person,
        kind="emergency",
        cause="房屋失火",
        hardship_date=dt.date(2026, 3, 1),
        loss="300.00",
        call=call,
    )
    # verification: the county's (for B: the township's) centre loads a wage file naming the head, sends a request
    # about the case (its authorisation on file), and the caseworker builds the case's report
    document_attach(actor=cw, case=case, kind="authorisation", filename="授权书.pdf", content=b"%PDF-1.4 signed")
    wage = file_bytes(
        ["姓名", "身份证号码", "工作单位", "所属月份", "应发工资（元/月）"],
        [[head, make_id(births[0], 10 + n), "矩阵单位", "2026-02", "900.00"]],
        "csv",
    )
    load = dataset_load(actor=crev, kind="wage", as_of=on, filename="w.csv", content=wage)
    vreq = request_send(actor=crev, department="human_resources", case_ids=[case.pk], on=on)
    finding = report_build(actor=cw, case=case)[0]
    objection = objection_record(actor=cw, finding_id=finding.pk, received_on=on, content="矩阵异议")
    # the old-age allowance: an 86-year-old in the village, on the village's roster of March
    old_name = f"{head[0]}老{'甲乙丙'[n - 1]}"
    household_register(
        actor=cw,
        area_code=village,
        data={"hukou_type": "rural"},
        members=[{"name": old_name, "id_number": make_id("1940-01-01", 40 + n), "relation": "head"}],
    )
    elderly_roster_build(actor=mk("appr", "county_approver", county), month=dt.date(2026, 3, 1))
    roster = ElderlyRoster.objects.get(area_code=village, month=dt.date(2026, 3, 1))
    # veterans' payments: the head, a grade 6 disabled serviceman, entered by the township, approved by the county
    veteran = veteran_decide(
        actor=mk("vapp", "county_approver", county),
        entitlement=veteran_enter(
            actor=cw, person=person, category="disabled", grade=6, cause="duty", start_month=dt.date(2026, 1, 1)
        ),
        approve=True,
        on=dt.date(2026, 1, 5),
    )
    # the children's allowance: a grandchild whose father is in prison and mother dead, paid; the father released,
    # a review raised
    child_name = f"{head[0]}小{'甲乙丙'[n - 1]}"
    gh = household_register(
        actor=cw,
        area_code=village,
        data={"hukou_type": "rural"},
        members=[
            {"name": f"{head[0]}奶奶", "id_number": make_id("1955-01-01", 50 + n), "relation": "head"},
            {"name": child_name, "id_number": make_id("2015-01-01", 60 + n), "relation": "grandchild"},
        ],
    )
    child = gh.memberships.get(relation="grandchild").person
    prison = parent_situation_record(
        actor=cw, child=child, parent="father", status="in_prison", since="2022-01-01", evidence="矩阵", on=on
    )
    parent_situation_record(
        actor=cw, child=child, parent="mother", status="dead", since="2020-01-01", evidence="矩阵", on=on
    )
    child_enrolment = children_grant(actor=mk("cappr", "county_approver", county), person=child, on=on)
    parent_situation_end(actor=cw, situation=prison, until="2026-03-01", reason="刑满释放", on=on)
    child_review = Case.objects.get(enrolment=child_enrolment, kind="review")
    # a child's application received by the township (the orphan's sibling: parents recorded, not yet paid), and a
    # cousin with none yet, for whom an application may be recorded
    sibling = household_register(
        actor=cw,
        area_code=village,
        data={"hukou_type": "rural"},
        members=[
            {"name": f"{head[0]}姥姥", "id_number": make_id("1956-01-01", 52 + n), "relation": "head"},
            {"name": f"{head[0]}小申{n}", "id_number": make_id("2016-01-01", 62 + n), "relation": "grandchild"},
            {"name": f"{head[0]}小表{n}", "id_number": make_id("2017-01-01", 64 + n), "relation": "grandchild"},
        ],
    )
    applicant, cousin = (
        m.person for m in sibling.memberships.filter(relation="grandchild").order_by("person__birth_date")
    )
    for parent in ("father", "mother"):
        for kid in (applicant, cousin):
            parent_situation_record(
                actor=cw, child=kid, parent=parent, status="dead", since="2020-01-01", evidence="矩阵", on=on
            )
    child_app = children_application_record(actor=cw, child=applicant, accepted_on=on, applied_by="矩阵", on=on)
    # the funeral waiver: a household's father and mother died; the township's funeral home was paid the father's
    # waiver; the mother's is still to be granted
    mourner, father, mother = (f"{head[0]}{who}{'甲乙丙'[n - 1]}" for who in ("孝子", "殁父", "殁母"))
    fh = household_register(
        actor=cw,
        area_code=village,
        data={"hukou_type": "rural"},
        members=[
            {"name": mourner, "id_number": make_id("1970-01-01", 70 + n), "relation": "head"},
            {"name": father, "id_number": make_id("1945-01-01", 71 + n), "relation": "parent"},
            {"name": mother, "id_number": make_id("1946-01-01", 72 + n), "relation": "parent"},
        ],
    )
    dead = {m.person.name: m.person for m in fh.memberships.select_related("person")}
    for parent in (father, mother):
        person_death_record(actor=cw, person=dead[parent], died_on=dt.date(2026, 3, 1), details="病故")
    fapp = mk("fapp", "county_approver", county)
    home = funeral_home_create(
        actor=fapp,
        name=f"{head[0]}镇殡仪馆",
        area_code=township,
        bank_account=_card(80 + n),
        account_holder=f"{head[0]}镇殡仪馆",
    )
    funeral_waive(
        actor=fapp,
        person=dead[father],
        funeral_home=home,
        services=(FuneralService("cremation", Decimal("400.00")),),
        note="矩阵",
        on=on,
    )
    discovery = Discovery.objects.create(
        rule="disability",
        person=person,
        household=h,
        area_code=h.area_id,
        load=load,
        record=load.records.first(),
        reason=f"{head}：新办残疾人证 / new certificate",
        assigned_to=cw,
        visit_due=on,
    )
    entry = monitoring_enter(actor=cw, household_id=h.pk, tier="edge", reason=f"{head} 边缘家庭")
    transfer = transfer_request(
        actor=cw,
        household=h,
        to_area="511426102201" if name == "C" else "511425103201",
        moved_on=on,
        reason=f"{head} 投靠子女",
    )
    claim = settlement_enter(
        actor=mk("capp", "county_approver", county),
        data={
            "number": f"JS-{name}",
            "name": head,
            "id_number": make_id(births[0], 10 + n),
            "hospital": "矩阵医院",
            "admitted_on": "2026-02-20",
            "discharged_on": "2026-03-01",
            "total_cost": "3000.00",
            "insurance_paid": "1500.00",
            "in_scope_oop": "1000.00",
        },
        on=on,
    )
    assert claim.amount == Decimal("700.00")  # a dibao member: 70%
    certificate = (
        certificate_import(
            actor=crev,
            filename="残联.csv",
            content=(
                "姓名,身份证号,残疾证号,残疾类别,残疾等级,发证日期,有效期至\n"
                f"{spouse},{make_id(births[1], 20 + n)},5114251962020200{n}242,肢体残疾,2,2020-05-01,2030-05-01"
            ).encode(),
            on=on,
        )
        .certificates.get()
        .pk
    )
    objects = {
        "call": call.pk,
        "temporary": ta.pk,
        "settlement": claim.pk,
        "certificate": certificate,
        "household": h.pk,
        "person": person.pk,
        "record": record.pk,
        "case": case.pk,
        "application": app.pk,
        "document": doc.pk,
        "enrolment": e.pk,
        "payroll": payroll.pk,
        "export": export.pk,
        "run": run.pk,
        "version": version.pk,
        "staff": cw2.pk,
        "overpayment": over.pk,
        "target": target.pk,
        "area": village,
        "report": token,
        "job": job,
        "load": load.pk,
        "request": vreq.pk,
        "finding": finding.pk,
        "objection": objection.pk,
        "alert": Alert.objects.get(household=h, rule="income_above").pk,  # the head's 900.00 wage
        "roster": roster.pk,
        "childreview": child_review.pk,
        "childapp": child_app.pk,
        "childapplicant": cousin.pk,
        "discovery": discovery.pk,
        "entry": entry.pk,
        "veteran": veteran.pk,
        "transfer": transfer.pk,
        "cadre": cadre.pk,
        "deceased": dead[mother].pk,
        "funeralhome": home.pk,
        "homechange": home.pk,
    }
    markers = [
        head,
        spouse,
        make_id(births[0], 10 + n),
        make_id(births[1], 20 + n),
        f"1380000{n:04d}",
        _card(n),
        f"{head}.pdf",
        old_name,
        child_name,
        f"{head[0]}小申{n}",
        father,
        mother,
        home.name,
        f"cwx-{name}",  # a character no CSRF token holds: the marker cannot turn up by chance
    ]
    return objects, markers


@pytest.fixture
def world(db, settings, tmp_path):
    """Three places with one of everything in each, plus a county payroll, a county draft and a county funeral
    home (wider objects for the township's accounts)."""
    settings.DATA_DIR = tmp_path
    for code, name, level, kind, parent in AREAS:
        Area.objects.create(code=code, name=name, level=level, kind=kind, parent_id=parent)
    policy_pack_load(actor=None, county_code="511425000000", pack=DEMO_PACK)
    policy_pack_load(actor=None, county_code="511426000000", pack=DEMO_PACK)
    places = {name: _place(name, tmp_path) for name in PLACES}
    fin = staff_create(
        actor=None,
        username="county_fin",
        password=PASSWORD,
        role="finance_officer",
        area_code="511425000000",
        check_password=False,
    )
    county_payroll = payroll_generate(actor=fin, programme="dibao", month=dt.date(2026, 3, 1))
    assert county_payroll.line_count == 2  # A's and B's households: a township sees only its own
    crev = staff_create(
        actor=None,
        username="county_rev",
        password=PASSWORD,
        role="county_reviewer",
        area_code="511425000000",
        check_password=False,
    )
    from doudi.programmes.models import ParameterVersion

    values = ParameterVersion.objects.filter(programme_id="dibao", area_id="511425000000").first().values
    county_draft = parameter_version_create(
        actor=crev, programme="dibao", area_code="511425000000", effective_from=dt.date(2026, 8, 1), values=values
    )
    users = {
        (role, level): staff_create(
            actor=None, username=f"m_{role}_{level}", password=PASSWORD, role=role, area_code=code, check_password=False
        )
        for role in Role.values
        for level, code in LEVELS.items()
    }
    county_home = funeral_home_create(  # the county's: its townships' accounts choose it, never change it
        actor=staff_create(
            actor=None,
            username="county_appr",
            password=PASSWORD,
            role="county_approver",
            area_code="511425000000",
            check_password=False,
        ),
        name="青神县殡仪馆",
        area_code="511425000000",
        bank_account=_card(90),
        account_holder="青神县殡仪馆",
    )
    wider = {"payroll": county_payroll.pk, "version": county_draft.pk, "homechange": county_home.pk}
    return {"places": places, "wider": wider, "users": users}


# ---- asking -------------------------------------------------------------------------------------------------------
def _fill(value, objs):
    if isinstance(value, str) and value in MISSING:
        return objs[value]
    if value == "head":
        return objs["head"]
    if isinstance(value, dict):
        return {k: _fill(v, objs) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, objs) for v in value]
    return value


def _url(route: str, values: dict, api: bool) -> str:
    if api:
        return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), route)
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if content[:2] == b"PK":  # .xlsx: the shared strings and sheets
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as z:
                return " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
        except zipfile.BadZipFile:
            return content.decode("utf-8", "replace")
    if "pdf" in kind:
        from pypdf import PdfReader

        return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    return content.decode("utf-8-sig", "replace")


def _answer(response, ident: str) -> tuple:
    """What a client learns: the status and where it is sent (the object's id written as <id>)."""
    location = response.get("Location", "").replace(ident, "<id>")
    return response.status_code, location


def _ask(client, user, method, url, body, api):
    client.force_login(user)
    if api:
        data = json.dumps(body) if body else ""
        return client.generic(method, url, data, content_type="application/json")
    if method == GET:
        return client.get(url, body)
    return client.post(url, body)


def _cases(spec: R, objs: dict, kinds_used: set):
    """Every combination of literal values for the route's parameters (objects filled from ``objs``)."""
    combos = [{}]
    for name, value in spec.params.items():
        options = value if isinstance(value, list) else [objs[value]]
        combos = [{**c, name: o} for c in combos for o in options]
    return combos


def _kinds(spec: R) -> set[str]:
    found = set()

    def walk(v):
        if isinstance(v, str) and v in MISSING:
            found.add(v)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    walk(spec.params), walk(spec.query), walk(spec.body)
    return found


def _outside_writes(prefix: str, since: int) -> list[str]:
    return [f"{e.action} {e.area_code}" for e in AuditEvent.objects.filter(pk__gt=since, area_code__startswith=prefix)]


def test_leak_matrix(client, world):
    """0 leaks for every role at every level, on every route."""
    problems: list[str] = []
    a_objs = {**world["places"]["A"][0], "head": PLACES["A"][3]}
    requests = 0
    for (role, level), user in world["users"].items():
        outside = "C" if level == "county" else "B"
        objs, markers = world["places"][outside]
        objs = {**objs, "head": PLACES[outside][3]}
        missing = {**MISSING, "head": "无此人"}
        prefix = PLACES[outside][0][:6] if outside == "C" else PLACES[outside][1][:9]
        wider = world["wider"] if level != "county" else {}
        since = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        cases_outside = Case.objects.filter(area_code__startswith=prefix).count()
        for api, table in ((False, PAGES), (True, API)):
            for key, spec in table.items():
                if api:
                    method_list, route = [key.split(" ", 1)[0]], key.split(" ", 1)[1]
                else:
                    method_list, route = list(spec.methods), key
                kinds = _kinds(spec)
                # the objects to try: outside (must answer as missing), wider (read-only), and, for routes with two
                # objects, the user's own household with an outside one (e.g. an outside record of an own household)
                trials = [("outside", objs)]
                for kind, pk in wider.items():
                    if kind in kinds:
                        trials.append(("wider", {**a_objs, kind: pk}))
                if {"household", "record"} <= kinds or ({"household", "person"} <= kinds and spec.body):
                    mixed = (
                        {**a_objs, "record": objs["record"]}
                        if "record" in kinds
                        else {**a_objs, "household": objs["household"]}
                        if "household" in _kinds(R(body=spec.body))
                        else {**a_objs, "person": objs["person"]}
                    )
                    trials.append(("mixed", mixed))
                for method in method_list:
                    for label, chosen in trials:
                        for literal in _cases(spec, chosen, kinds):
                            url = _url(route, literal, api)
                            query = _fill(spec.query, chosen)
                            body = _fill(spec.body, chosen) if method != GET else query
                            if api and query:
                                url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
                            r = _ask(client, user, method, url, body, api)
                            requests += 1
                            where = f"{role}@{level} {method} {url} ({label})"
                            text = (
                                _text(r)
                                if r.status_code == 200
                                else r.content.decode("utf-8", "replace")
                                if not r.streaming
                                else ""
                            )
                            sent = url + json.dumps(body, ensure_ascii=False)
                            leaked = [m for m in markers if m in text and m not in sent]  # not the query echoed
                            if leaked:
                                at = text.find(leaked[0])
                                problems.append(f"{where}: shows {leaked} …{text[max(at - 80, 0) : at + 20]!r}")
                            if r.status_code >= 500:
                                problems.append(f"{where}: server error {r.status_code}")
                            if label == "wider" and method == GET:
                                continue  # shown as the account's part (markers checked above)
                            if not kinds:
                                continue
                            # the same request with missing objects in place of the outside/wider ones
                            target = {
                                k: (missing[k] if chosen[k] != a_objs.get(k) else a_objs[k])
                                for k in MISSING
                                if k in chosen
                            }
                            target["head"] = missing["head"]
                            literal_m = {
                                n: (target[v] if isinstance(v, str) else literal[n]) for n, v in spec.params.items()
                            }
                            url_m = _url(route, literal_m, api)
                            query_m = _fill(spec.query, target)
                            body_m = _fill(spec.body, target) if method != GET else query_m
                            if api and query_m:
                                url_m += "?" + "&".join(f"{k}={v}" for k, v in query_m.items())
                            r_m = _ask(client, user, method, url_m, body_m, api)
                            requests += 1
                            idents = [str(v) for k, v in chosen.items() if k in kinds and v != a_objs.get(k)]
                            idents_m = [str(target[k]) for k in kinds if k in target and chosen[k] != a_objs.get(k)]
                            ans, ans_m = (
                                _answer(r, idents[0] if idents else "\0"),
                                _answer(r_m, idents_m[0] if idents_m else "\0"),
                            )
                            if ans[0] == 200 and ans_m[0] == 200 and method == GET and not spec.params:
                                continue  # a list filtered by an outside area: empty either way (markers checked)
                            if ans != ans_m:
                                problems.append(f"{where}: answers {ans}, a missing object answers {ans_m}")
        writes = _outside_writes(prefix, since)
        if writes:
            problems.append(f"{role}@{level}: wrote outside its area: {writes[:5]}")
        if Case.objects.filter(area_code__startswith=prefix).count() != cases_outside:
            problems.append(f"{role}@{level}: opened or removed cases outside its area")
    assert requests > 5000
    assert not problems, f"{len(problems)} leaks:\n" + "\n".join(problems[:80])
    # a sanity check that the matrix asks real questions: the own household is there for those who may see it
    client.force_login(world["users"][("township_caseworker", "township")])
    assert client.get(f"/households/{a_objs['household']}/").status_code == 200
    client.force_login(world["users"][("finance_officer", "township")])
    part = client.get(f"/payments/{world['wider']['payroll']}/").content.decode()
    assert PLACES["A"][3] in part and "300.00" in part and PLACES["B"][3] not in part and "600.00" not in part
    # a township's approver changes its own township's funeral home, not the county's it sees (nor changes it here)
    client.force_login(world["users"][("county_approver", "township")])
    assert client.get(f"/funeral/homes/{a_objs['homechange']}/").status_code == 200
    assert client.get(f"/funeral/homes/{world['wider']['homechange']}/").status_code == 404
    assert "青神县殡仪馆" in client.get("/funeral/").content.decode()
    assert Staff.objects.count() > 24
