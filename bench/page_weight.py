"""Benchmark: the weight of the home pages, the dashboard and the map page, as a
browser on a cheap phone downloads them (gzip, as whitenoise and the server compress
them).

Prints, in one run on a throwaway database holding the demo (all regions, the demo
registry, PPKS, cases, activities):
- the home page (each role's work) of the demo's PSM, TKSK and regency operator on
  first load: HTML + stylesheet + scripts (budget 150 KB);
- the dashboard of the regency operator on first load: HTML + stylesheet + scripts
  (budget 150 KB), and on a later page, with the static files cached (budget 50 KB);
- the map page of a regency, which loads
  its province's kecamatan layer: HTML + Leaflet + topojson-client + the layer
  (budget 400 KB).
Each line gives the size and its share of the budget.

Run: `.venv/bin/python bench/page_weight.py`.
"""

import gzip
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from bench.common import throwaway_database  # noqa: E402
from pilar.accounts import second_factor  # noqa: E402
from pilar.accounts.models import User  # noqa: E402
from pilar.activities.demo import ensure_demo_activities  # noqa: E402
from pilar.beneficiaries.demo import ensure_demo_ppks  # noqa: E402
from pilar.cases.demo import ensure_demo_cases  # noqa: E402
from pilar.core.demo import ensure_demo_accounts  # noqa: E402
from pilar.workforce.demo import ensure_demo_registry  # noqa: E402

KB = 1024
STATIC_REFERENCE = re.compile(r'(?:src|href)="/static/([^"]+)"')


def gz(content: bytes) -> int:
    return len(gzip.compress(content, compresslevel=9))


def static_size(path: str) -> int:
    found = finders.find(path)
    assert found, path
    return gz(Path(found).read_bytes())


def page(client: Client, url: str) -> tuple[int, list[str]]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    html = response.content
    return gz(html), STATIC_REFERENCE.findall(html.decode())


def signed_in(username: str) -> Client:
    """A session of `username`, with the second step taken where the role requires it
    (as if the code of their authenticator app had been typed)."""
    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    if second_factor.must_verify(user):
        device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "bench"})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def report(name: str, size: int, budget_kb: int) -> None:
    print(f"{name:<58} {size / KB:7.1f} KB  budget {budget_kb} KB  ({100 * size / (budget_kb * KB):.0f}%)")


def main() -> None:
    settings.ALLOWED_HOSTS.append("testserver")
    with throwaway_database():
        call_command("load_regions", verbosity=0)
        ensure_demo_accounts()
        ensure_demo_registry()
        ensure_demo_ppks()
        ensure_demo_cases()
        ensure_demo_activities()
        client = signed_in("dinsos.lampungselatan")

        for username in ("psm.hajimena", "tksk.natar", "dinsos.lampungselatan"):
            html, assets = page(signed_in(username), "/")
            first = html + sum(static_size(asset) for asset in assets)
            report(f"home of {username}, first load (HTML + CSS + scripts)", first, 150)

        html, assets = page(client, "/rekap/dasbor/")
        first = html + sum(static_size(asset) for asset in assets)
        print(f"dashboard of Kabupaten Lampung Selatan: HTML {html / KB:.1f} KB + {len(assets)} static files")
        report("dashboard, first load (HTML + CSS + scripts)", first, 150)
        later = max(page(client, url)[0] for url in ("/rekap/dasbor/?region=18.01.04", "/kasus/", "/kegiatan/"))
        report("later page, static cached (largest of dashboard/cases/activities)", later, 50)

        html, assets = page(client, "/rekap/peta/?region=18.01&indikator=ppks")
        layer = static_size("pilar/maps/districts-18.topo.json")
        total = html + sum(static_size(asset) for asset in assets) + layer
        print(f"map of Kabupaten Lampung Selatan: HTML {html / KB:.1f} KB, kecamatan layer {layer / KB:.1f} KB")
        report("map page, first load (HTML + Leaflet + topojson + layer)", total, 400)


if __name__ == "__main__":
    main()
