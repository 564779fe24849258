"""Screenshots of Pilar as its users see it, for the README: `make screenshots`.

Builds the demo in a scratch folder (its own SQLite database, all regions and the demo
data; nothing of data/ is touched), serves it on a loopback port, signs in as the
demo's PSM, TKSK and regency operator in the system's chromium, and saves the home
page, the person form, a case, the verification queue and the dashboard at 360 px
(a cheap phone) and 1366 px (an office laptop) into docs/screenshots/."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "pilar-demo-2026"  # noqa: S105 (the demo's published password, see pilar.core.demo)
WIDTHS = {"phone": (360, 740), "desk": (1366, 900)}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (loopback, our own server)
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the demo server did not answer at {url}")


def signed_in(browser: Browser, base: str, username: str, size: tuple[int, int], env: dict[str, str]) -> Page:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="id-ID")
    page = context.new_page()
    page.goto(f"{base}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.press("#id_password", "Enter")
    page.goto(f"{base}/")
    if "/akun/dua-langkah/" in page.url:  # an operator: the second step, as the demo gives it
        code = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "config.cli", "demo_code", username],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        page.fill("#id_code", code)
        with page.expect_navigation():
            page.press("#id_code", "Enter")
    return page


def shoot(page: Page, url: str, name: str, *, full_page: bool = True) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=OUT / f"{name}.png", full_page=full_page)
    print(f"  docs/screenshots/{name}.png")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pilar-screenshots-") as scratch:
        env = {
            **os.environ,
            "PILAR_DATA_DIR": scratch,
            "PILAR_DEMO": "true",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        env.pop("DATABASE_URL", None)
        pilar = [sys.executable, "-m", "config.cli"]
        print("Building the demo (all regions, about a minute)...")
        subprocess.run([*pilar, "demo", "--no-serve"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)  # noqa: S603
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(  # noqa: S603 (our own command)
            [*pilar, "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(f"{base}/sehat/")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--lang=id"])
                for width, size in WIDTHS.items():
                    psm = signed_in(browser, base, "psm.hajimena", size, env)
                    shoot(psm, f"{base}/", f"home-psm-{width}")
                    shoot(psm, f"{base}/ppks/orang/baru/", f"person-form-{width}")
                    psm.goto(f"{base}/kasus/")
                    case = psm.locator("main table a[href^='/kasus/']").first.get_attribute("href")
                    shoot(psm, f"{base}{case}", f"case-{width}")
                    tksk = signed_in(browser, base, "tksk.natar", size, env)
                    # As the screen shows it: its buttons stay at the bottom, under the thumb.
                    shoot(tksk, f"{base}/ppks/verifikasi/", f"verification-queue-{width}", full_page=False)
                    shoot(tksk, f"{base}/", f"home-tksk-{width}")
                    operator = signed_in(browser, base, "dinsos.lampungselatan", size, env)
                    shoot(operator, f"{base}/rekap/dasbor/", f"dashboard-{width}")
                    shoot(operator, f"{base}/", f"home-office-{width}")
                    shoot(operator, f"{base}/psks/penugasan/", f"tksk-assignments-{width}")
                    operator.goto(f"{base}/psks/pengukuhan/")
                    pengukuhan = operator.locator("main table a[href^='/psks/pengukuhan/']").first.get_attribute("href")
                    shoot(operator, f"{base}{pengukuhan}", f"pengukuhan-{width}")
                    operator.goto(f"{base}/ppks/orang/")
                    person = operator.locator("main table a[href^='/ppks/orang/']").first.get_attribute("href")
                    # The person's rights at the office: access, restriction, erasure.
                    shoot(operator, f"{base}{person}data-pribadi/", f"person-data-{width}")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
