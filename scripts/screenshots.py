"""Screenshots of the home page (for a few roles) and of a household page, from the demo county, for the docs.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--households N] [--seed S] [--port P]

Builds the demo county in a temporary folder (``doudi migrate`` and ``doudi demo``), serves it (``doudi serve
--no-worker``), signs in as each demo login in headless Chromium (Debian's, as the browser tests use) and writes
the PNGs, reduced to a 256-colour palette so they stay small. The household shown is the demo household of
汉阳镇 with the longest story (cases, amount changes and payroll lines). Nothing outside the temporary folder is
touched but the PNGs."""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "Doudi-demo-2026"
WIDTH, MAX_HEIGHT = 1280, 2200
# (file, login, path or "household", language)
SHOTS = [
    ("home-caseworker.png", "caseworker", "/", "zh-hans"),
    ("home-approver.png", "approver", "/", "zh-hans"),
    ("home-finance.png", "finance", "/", "zh-hans"),
    ("home-admin.png", "admin", "/", "zh-hans"),
    ("household.png", "caseworker", "household", "zh-hans"),
    ("household-en.png", "caseworker", "household", "en"),
    ("dashboard.png", "reviewer", "/statistics/dashboard/", "zh-hans"),
    ("dashboard-en.png", "reviewer", "/statistics/dashboard/", "en"),
]
TALL = {"dashboard.png", "dashboard-en.png"}  # the whole dashboard, the map of townships at its foot included
# the household of 汉阳镇 with the longest story: cases, amount changes and payroll lines
PICK = """
from django.db.models import Count
from doudi.registry.models import Household
h = (Household.objects.filter(area__code__startswith="511425101")
     .annotate(lines=Count("enrolments__payroll_lines", distinct=True),
               changes=Count("enrolments__changes", distinct=True), cases_n=Count("cases", distinct=True))
     .order_by("-lines", "-changes", "-cases_n", "pk").first())
print(h.pk)
"""


def run(env, *args) -> str:
    done = subprocess.run([sys.executable, "-m", "doudi", *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"doudi {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    sys.exit(f"the demo server did not answer on port {port}")


def shoot(base: str, household: int, out: Path) -> None:
    from PIL import Image
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        for name, login, path, language in SHOTS:
            context = browser.new_context(viewport={"width": WIDTH, "height": 900}, locale=language)
            page = context.new_page()
            page.goto(f"{base}/accounts/login/")
            page.fill("#id_username", login)
            page.fill("#id_password", PASSWORD)
            page.press("#id_password", "Enter")
            page.wait_for_load_state()
            if "/accounts/2fa/" in page.url:  # the roles that need a second factor: the demo authenticator's code
                from django_otp.oath import TOTP

                key = "646f7564692d64656d6f2d636f756e7479"  # doudi.demo ... DEMO_OTP_KEY
                page.fill("input[name=token]", f"{TOTP(bytes.fromhex(key)).token():06d}")
                page.press("input[name=token]", "Enter")
            page.wait_for_url(f"{base}/")
            if language == "en":
                page.click("form.lang button[value=en]")
                page.wait_for_load_state()
            page.goto(base + (f"/households/{household}/" if path == "household" else path))
            if path.startswith("/statistics/dashboard/"):
                page.wait_for_selector("[data-chart=map] svg")  # drawn: the last chart of the page
            height = min(page.evaluate("document.documentElement.scrollHeight"), 4000 if name in TALL else MAX_HEIGHT)
            target = out / name
            page.screenshot(path=str(target), clip={"x": 0, "y": 0, "width": WIDTH, "height": height}, full_page=True)
            Image.open(target).convert("RGB").quantize(colors=256).save(target, optimize=True)
            print(
                f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}: {target.stat().st_size // 1024} KB"
            )
            context.close()
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--households", type=int, default=None)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="doudi-shots-") as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3",
            "DOUDI_DATA_DIR": f"{tmp}/var",
            "DJANGO_SETTINGS_MODULE": "doudi.settings.base",
        }
        run(env, "migrate")
        demo = ["demo"]
        if args.households:
            demo += ["--households", str(args.households)]
        if args.seed is not None:
            demo += ["--seed", str(args.seed)]
        print(run(env, *demo).strip().splitlines()[0])
        household = int(run(env, "shell", "-c", PICK).strip().splitlines()[-1])
        run(env, "statistics_refresh")  # the dashboard's figures, computed before it is shown
        port = args.port or free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "doudi", "serve", "--port", str(port), "--no-worker"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(port)
            shoot(f"http://127.0.0.1:{port}", household, out)
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
