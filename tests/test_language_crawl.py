"""One language at a time: every page, under every role, in Chinese and in English, shows no code and no word of
the other language.

The crawler logs in as each of the roles (in the leak matrix's world: a township with one of everything in
it), starts from the home page and the menu, adds every GET route of the URL configuration (filled with the
world's objects), follows the links it finds (GET, same site), and reads each page once per URL pattern. Each
page's visible text (text nodes and the attributes people read: title, placeholder, aria-label, alt, button
values) is checked for

- codes: snake_case identifiers (``household_composition``), dotted event names (``household.register``),
  ``create → draft``, ``dibao/rural``, Python reprs (``object (1)``, ``None``), raw JSON, 12-digit area codes;
- in the Chinese interface, English words other than ALLOWED_EN (ID, PDF, CSV, Excel, API, units…);
- in the English interface, Chinese characters, and full-width brackets.

Data is not language: people's and places' names, staff names, what people typed (reasons, notes, file names) are
read from the world's database (DATA_FIELDS) and removed from the text before the check. An element may also say
it is in another language (``lang="en"`` on the language switch) or that it is data (``translate="no"``); its
text is then left out.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.urls import Resolver404, resolve

from doudi.accounts.roles import Role

from .cases.conftest import D, walk
from .conftest import make_id
from .test_leak_matrix import PAGES, PLACES, _page_routes, _url, world  # noqa: F401  (world is a fixture)

# English terms the Chinese interface may use as they are (names of formats, standards and units, the product).
ALLOWED_EN = {
    "ID",
    "PDF",
    "CSV",
    "Excel",
    "JPG",
    "PNG",
    "JSON",
    "SHA",
    "xlsx",
    "API",
    "OpenAPI",
    "Token",
    "HTTP",
    "URL",
    "UTF",
    "Bearer",
    "Doudi",
    "MB",
    "KB",
    "kg",
    "km",
    "Parquet",
    "MZ",  # the civil affairs industry standards (MZ/T 072, MZ/T 073)
    "GM",  # the national cryptography standards and algorithms (GM/T 0021 hardware tokens, SM3)
    "SM",
}
# Where each role works (the level of its account in the world).
ROLE_LEVEL = {
    Role.VILLAGE_CADRE: "village",
    Role.TOWNSHIP_CASEWORKER: "township",
    Role.TOWNSHIP_REVIEWER: "township",
    Role.COUNTY_REVIEWER: "county",
    Role.COUNTY_APPROVER: "county",
    Role.FINANCE_OFFICER: "township",
    Role.AUDITOR: "county",
    Role.SYSTEM_ADMIN: "county",
    Role.SECURITY_ADMIN: "county",
    Role.AUDIT_ADMIN: "county",
}
# Fields whose values are data (names, what people typed), not words of the interface.
DATA_FIELDS = {
    "areas.Area": ["name"],
    "accounts.Staff": ["username", "full_name"],
    "accounts.ApiToken": ["name"],
    "registry.Person": ["name"],
    "registry.Household": ["address"],
    "cases.Document": ["original_name"],
    "cases.Application": ["note", "relative_note"],
    "cases.Case": ["township_opinion", "refusal_reason", "withdraw_reason", "extension_reason"],
    "cases.CaseEvent": ["note"],
    "cases.EnrolmentChange": ["reason"],
    "cases.ChangeReport": ["details"],
    "cases.Overpayment": ["reason"],
    "payments.Anomaly": ["reason"],
    "payments.PayrollLine": ["account_holder"],
    "programmes.ParameterVersion": ["note"],
    "payments.BankLayout": ["name"],  # the bureau names its banks' file layouts
    "payments.BankExport": ["stored_name"],  # a file name
    "benefits.HotlineCall": ["caller_name", "need", "note"],
    "benefits.TemporaryAssistance": ["cause", "paperwork_record", "refusal_reason"],
    "verification.DatasetLoad": ["file_name"],
    "verification.DatasetRecord": ["name"],
    "verification.Finding": ["note"],  # a dispute's reason, a re-check's note
    "verification.FindingObjection": ["content", "outcome_note"],
    "medical.Settlement": ["number", "hospital"],
    "medical.SettlementBatch": ["file_name"],
    "medical.CertificateBatch": ["file_name"],
    "medical.DisabilityCertificate": ["review_note"],
    "verification.MonitoringEntry": ["entry_reason", "leave_reason"],  # typed when a household enters or leaves
    "benefits.ParentSituation": ["evidence", "end_reason"],  # a certificate's number, why a situation ended
    "benefits.StudyProof": ["school", "evidence"],
    "benefits.Transfer": ["reason", "address", "note"],  # typed when a move between townships is asked or answered
    "benefits.FuneralHome": ["name", "account_holder"],  # the bureau names its funeral homes
}
TYPED_KEYS = {"results", "content", "findings", "reason", "opinion", "minutes", "attendees"}  # typed into a move
SKIP_PATHS = re.compile(r"^/(api/|i18n/|static/|accounts/logout/)|\.(pdf|xlsx|csv|json|zip)$|/documents/\d+/$")

CODE_CHECKS = [
    ("snake_case code", re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")),
    ("dotted code", re.compile(r"\b[a-z]{2,}(?:\.[a-z_+]{2,})+\b")),
    ("arrow between codes", re.compile(r"\b[a-z_]+\s*(?:→|->)\s*[a-z_]+\b")),
    ("code pair", re.compile(r"\b(?:dibao|tekun|[a-z]+_[a-z_]+)/[a-z_]+\b|\b[a-z_]+/(?:dibao|tekun|[a-z]+_[a-z_]+)\b")),
    ("programme code", re.compile(r"\b(?:dibao|tekun)\b")),
    ("Python repr", re.compile(r"\bobject \(\d+\)|<[\w.]+ object at|\bTrue\b|\bFalse\b")),
    ("raw JSON", re.compile(r"[{\[]\s*[\"'][^\"']*[\"']\s*:|\[\s*[\"'][a-z_]+[\"']")),
    ("12-digit area code", re.compile(r"(?<![\d*])\d{12}(?![\d*])")),
]
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
FULL_WIDTH = re.compile(r"[（）【】《》：；，。、“”]")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*")
VISIBLE_ATTRS = ("title", "placeholder", "aria-label", "alt")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Page(HTMLParser):
    """The visible text of a page (outside elements in another language or marked as data) and its links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden)

    @property
    def hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.page_lang = a.get("lang", "")
        hidden = (
            self.hidden
            or tag in ("script", "style", "template", "textarea")
            or ("lang" in a and a["lang"] != self.page_lang)
            or a.get("translate") == "no"
        )
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if not hidden:
            self.parts.extend(a[k] for k in VISIBLE_ATTRS if a.get(k))
            if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
                self.parts.append(a["value"])
        if tag not in VOID:
            self.stack.append((tag, hidden))

    page_lang = ""

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.parts.append(data)


def _data_values() -> list[str]:
    """Every value of the data fields in the world, longest first (so a name is removed before its part)."""
    from django.apps import apps

    values: set[str] = set()
    for label, fields in DATA_FIELDS.items():
        for row in apps.get_model(label).objects.values_list(*fields):
            values.update(v for v in row if isinstance(v, str) and v.strip())
    for data in apps.get_model("cases.CaseEvent").objects.values_list("data", flat=True):
        values.update(v for k, v in data.items() if k in TYPED_KEYS and isinstance(v, str) and v.strip())
    return sorted(values, key=len, reverse=True)


FILE_EXTENSION = re.compile(r"\.(?:xlsx|xls|csv|pdf|jpe?g|png)\b")  # a format's name, as ALLOWED_EN


def _problems(text: str, lang: str) -> list[str]:
    text = FILE_EXTENSION.sub(" ", text)
    found = []
    for what, pattern in CODE_CHECKS:
        found += [f"{what}: {m.group(0)!r}" for m in pattern.finditer(text)]
    if lang == "en":
        found += [f"Chinese: {m.group(0)!r}" for m in HAN.finditer(text)]
        found += [f"full-width punctuation: {m.group(0)!r}" for m in FULL_WIDTH.finditer(text)]
    else:
        found += [
            f"English: {m.group(0)!r}"
            for m in LATIN_WORD.finditer(text)
            if m.group(0) not in ALLOWED_EN and len(m.group(0)) > 1
        ]
    return found


def _context(text: str, problem: str) -> str:
    needle = problem.split(": ", 1)[1][1:-1]
    at = text.find(needle)
    return text[max(at - 40, 0) : at + len(needle) + 40].replace("\n", " ")


def _pattern(url: str) -> str | None:
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    keys = sorted(k for k, _ in parse_qsl(parts.query) if k not in ("page",))
    kwargs = "/".join(f"{k}={v}" for k, v in sorted(match.kwargs.items()) if k in ("kind", "slug", "programme"))
    return f"{match.route}?{'&'.join(keys)}#{kwargs}"


def _start_urls(objs: dict) -> list[str]:
    """Every GET route of the pages, filled with the objects of the account's own place."""
    urls = ["/"]
    for route in _page_routes():
        spec = PAGES.get(route)
        if spec is None or "GET" not in spec.methods:
            continue
        combos = [{}]
        for name, kind in spec.params.items():
            options = kind if isinstance(kind, list) else [objs[kind]]
            combos = [{**c, name: o} for c in combos for o in options]
        query = {k: objs.get(v, v) for k, v in spec.query.items()}
        for values in combos:
            url = _url(route, values, api=False)
            urls.append(url + ("?" + urlencode(query) if query else ""))
    return urls


def _crawl(client, user, lang: str, objs: dict, data: list[str], seen_requests: list) -> list[str]:
    client.force_login(user)
    client.cookies["django_language"] = lang
    queue, done, problems = _start_urls(objs), set(), []
    while queue:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc or parts.scheme or SKIP_PATHS.search(parts.path):
            continue
        key = _pattern(url)
        if key is None or key in done:
            continue
        done.add(key)
        r = client.get(url)
        seen_requests.append(url)
        if r.status_code >= 500:
            problems.append(f"{lang} {user.role} GET {url}: server error {r.status_code}")
            continue
        if r.status_code != 200 or "html" not in r.get("Content-Type", ""):
            continue
        page = _Page()
        page.feed(r.content.decode("utf-8"))
        text = "\n".join(page.parts)
        for value in data:
            text = text.replace(value, " ")
        for problem in _problems(text, lang):
            problems.append(f"{lang} {user.role} GET {url}: {problem} in …{_context(text, problem)}…")
        for href in page.links:
            if href.startswith("/") and not href.startswith("//"):
                queue.append(href)
    return problems


@pytest.fixture
def every_state(world):  # noqa: F811
    """The leak matrix's world plus, in place A's village, cases made by the procedure's own moves in each of its
    states (an approval enrols the household with its stored explanation), a tekun case, a change report and an
    anomaly: every label the pages can show."""
    from doudi.accounts.models import Staff
    from doudi.cases.actions import application_submit, case_move
    from doudi.cases.workflow import STATES
    from doudi.registry.actions import household_register, record_add

    users = world["users"]
    people = {
        "caseworker_a": users[("township_caseworker", "township")],
        "caseworker_a2": Staff.objects.get(username="cwx-A"),
        "county_reviewer": users[("county_reviewer", "county")],
        "ts_reviewer": users[("township_reviewer", "township")],
        "approver": users[("county_approver", "county")],
    }
    cw = people["caseworker_a"]
    paths = {
        "approved": [],
        "refused": ["submit_to_county", ("refuse", {"reason": "家庭收入超过标准"})],
        "withdrawn": ["accept", ("withdraw", {"reason": "申请人撤回"})],
        "objected": ["start_notice", ("record_objection", {"received_on": D, "content": "邻居反映有收入"})],
        **{state: [] for state in STATES if state not in ("approved", "refused", "withdrawn", "objected")},
    }
    for n, (state, extra) in enumerate(paths.items(), start=40):
        h = household_register(
            actor=cw,
            area_code=PLACES["A"][2],
            data={"hukou_type": "urban" if n % 2 else "rural"},
            members=[
                {"name": f"状态户{n}", "id_number": make_id("1950-01-01", n), "relation": "head"},
                {"name": f"状态妻{n}", "id_number": make_id("1952-01-01", n), "relation": "spouse"},
            ],
        )
        head = h.memberships.get(relation="head").person
        record_add(actor=cw, household=h, kind="incomes", data={"person": head.pk, "kind": "pension", "monthly": "80"})
        programme = "tekun" if state == "surveyed" else "dibao"
        case = application_submit(
            actor=cw,
            household=h,
            applicant=head,
            programmes=[programme],
            on=D,
            materials=["authorisation", "pledge", "id_copy", "income_proof"],
        ).cases.get()
        stop = state if not extra else {"refused": "county_review", "objected": "township_reviewed"}.get(state, "draft")
        if stop != "draft":
            case = walk(case, people, until=stop)
        for move in extra:
            move, data = move if isinstance(move, tuple) else (move, {})
            if move == "submit_to_county" and case.state == "county_review":
                continue
            actor = people["approver"] if move == "refuse" else cw
            on = case.notice_end if move == "submit_to_county" else D
            case = case_move(actor=actor, case=case, move=move, data=data, on=on)
    return world


def test_both_languages_crawled_clean(client, every_state):
    world = every_state
    objs = {**world["places"]["A"][0], "head": PLACES["A"][3]}
    data = _data_values()
    problems, requests = [], []
    for role in Role.values:
        user = world["users"][(role, ROLE_LEVEL[role])]
        for lang in ("zh-hans", "en"):
            problems += _crawl(client, user, lang, objs, data, requests)
    unique = list(dict.fromkeys(problems))
    assert len(requests) > 200, requests
    assert not unique, f"{len(unique)} problems:\n" + "\n".join(unique[:100])


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("家庭构成 household_composition", "zh-hans", "snake_case"),
        ("操作 household.register", "zh-hans", "dotted"),
        ("create → draft", "en", "arrow"),
        ("dibao/rural", "en", "code pair"),
        ("EvaluationRun object (1)", "en", "Python repr"),
        ('{"amount": "300.00"}', "en", "raw JSON"),
        ("东风村 511425101201", "zh-hans", "12-digit"),
        ("待受理 Draft", "zh-hans", "English"),
        ("Cases 案件", "en", "Chinese"),
        ("Minimum living allowance（November）", "en", "full-width"),
    ],
)
def test_the_checks_catch_what_they_name(text, lang, expected):
    assert any(expected in p for p in _problems(text, lang)), _problems(text, lang)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("身份证号 ID · 导出 Excel / PDF · 5114**********1234", "zh-hans"),
        ("Minimum living allowance, November 2026 · 300.00 yuan · 6217************0001", "en"),
    ],
)
def test_the_checks_pass_clean_text(text, lang):
    assert _problems(text, lang) == []


def test_elements_in_another_language_or_marked_as_data_are_left_out():
    page = _Page()
    page.feed(
        '<html lang="zh-hans"><body><p>首页</p><button lang="en">English</button>'
        '<span translate="no">household_x</span><input type="submit" value="保存"><br><p title="提示">完</p></body></html>'
    )
    assert page.parts == ["首页", "保存", "提示", "完"]


@pytest.mark.parametrize(("lang", "said", "unsaid"), [("zh-hans", "身份证号应为18位", "18"), ("en", "18", "身份证号")])
def test_a_refusal_is_shown_in_one_language(client_for, staff, lang, said, unsaid):
    """An ApplicationError carries both languages ("中文 / English"); the form shows the reader's half only."""
    c = client_for(staff["caseworker_a"])
    c.cookies["django_language"] = lang
    body = {"area": "511425101201", "hukou_type": "rural", "member_count": "1", "m0-name": "甲", "m0-relation": "head"}
    r = c.post("/households/new/", {**body, "m0-id_number": "123"})
    page = _Page()
    page.feed(r.content.decode())
    errors = [t for t in page.parts if said in t]
    assert errors, page.parts
    assert all(
        " / " not in t and (unsaid not in t if lang == "en" else not re.search("[A-Za-z]{3,}", t)) for t in errors
    )
