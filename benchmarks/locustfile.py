"""A day's mix of work by township and county staff, for Locust (run by benchmarks/load.py).

Each simulated person logs in with their own account (load01…load50, made by benchmarks/load.py across the
county's townships and roles) and then, with a few seconds' thought between clicks, does what the role does all
day: the home page, searching households by name, opening a household, the case queue and a case, enrolments,
payrolls; revealing a full ID number (an audited write, sealed into the audit chain). A response that is not
200, or a page that is not what was asked for, counts as an error.
"""

from __future__ import annotations

import json
import os
import random
import re

from locust import HttpUser, between, events, task

from benchmarks.login import log_in
from doudi.accounts.roles import Perm, roles_with

PASSWORD = os.environ.get("DOUDI_LOAD_PASSWORD", "Load-test-2026!")
ACCOUNTS = [f"load{n:02d}:township_caseworker" for n in range(1, 51)]
# who opens the payroll list: the roles granted payroll.view (the load once sent county reviewers, who may not: 403)
PAYROLL_ROLES = set(roles_with(Perm.PAYROLL_VIEW))
LOGINS: list[float] = []  # seconds per login, written at the end (logins are not a day's clicks: kept apart)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_next = iter(range(10**6))

HOUSEHOLD = re.compile(r'href="/households/(\d+)/"')
CASE = re.compile(r'href="/cases/(\d+)/"')
PERSON = re.compile(r"/reveal/person/(\d+)/")


@events.init_command_line_parser.add_listener
def _options(parser):
    parser.add_argument("--doudi-accounts", default=",".join(ACCOUNTS))


class Staff(HttpUser):
    wait_time = between(1, 5)

    def on_start(self):
        accounts = self.environment.parsed_options.doudi_accounts.split(",")
        self.username, self.role = accounts[next(_next) % len(accounts)].split(":")
        # Logging in (a deliberately slow Argon2 check) happens once a day per person, not once per few clicks as
        # in a 5-minute run: benchmarks/load.py logs everyone in before the run and hands over the sessions; run on
        # its own, each simulated person logs in here, timed apart from the clicks.
        sessions = os.environ.get("DOUDI_LOAD_SESSIONS")
        if sessions:
            with open(sessions) as f:
                cookies = json.load(f)[self.username]
        else:
            cookies, seconds = log_in(self.host, self.username, PASSWORD, os.environ["DOUDI_LOAD_OTP_KEY"])
            LOGINS.append(seconds)
        for name, value in cookies.items():
            self.client.cookies.set(name, value)
        self.households: list[str] = []
        self.cases: list[str] = []

    def _get(self, url: str, name: str, must: str | None = None):
        with self.client.get(url, name=name, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")
            elif "/accounts/login/" in r.url:
                r.failure("sent to the login page")
            elif must and must not in r.text:
                r.failure(f"page lacks {must!r}")
            return r

    @task(3)
    def home(self):
        self._get("/", "home")

    @task(4)
    def search(self):
        r = self._get(f"/households/?q={random.choice(SURNAMES)}", "household search")
        found = HOUSEHOLD.findall(r.text or "")
        if found:
            self.households = found[:10]

    @task(4)
    def household(self):
        if not self.households:
            return self.search()
        r = self._get(f"/households/{random.choice(self.households)}/", "household page")
        people = PERSON.findall(r.text or "")
        if people and random.random() < 0.2:
            self._get(f"/reveal/person/{people[0]}/", "reveal ID number (audited)")

    @task(3)
    def cases(self):
        r = self._get("/cases/", "case queue")
        found = CASE.findall(r.text or "")
        if found:
            self.cases = found[:10]
            self._get(f"/cases/{random.choice(self.cases)}/", "case page")

    @task(1)
    def enrolments(self):
        self._get("/enrolments/", "enrolment list")

    @task(1)
    def payrolls(self):
        if self.role in PAYROLL_ROLES:
            self._get("/payments/", "payroll list")


@events.test_stop.add_listener
def _logins(environment, **kwargs):
    path = os.environ.get("DOUDI_LOAD_LOGINS")
    if path:
        with open(path, "w") as f:
            json.dump(sorted(LOGINS), f)
