"""On a 360 px phone (issue 23, points 1, 7 and 8): a date field shows its default (the
browser's date input takes only yyyy-MM-dd), so a visit is saved without typing a
date; a short NIK finds nobody and says why, six digits find, and an old spelling
finds the new one; the TKSK sees who has not sent the month's report."""

import datetime

import pytest
from django.utils import timezone

from pilar.activities import services as reports
from pilar.cases.models import CaseEvent, EventKind
from pilar.workforce.kinds import WorkerKind
from tests.activities.test_monthly_reports import active_worker
from tests.beneficiaries.test_mapping import register as map_person
from tests.browser.helpers import off_the_loop
from tests.cases.conftest import HAJIMENA, SIDOSARI, open_for, register


@pytest.mark.django_db(transaction=True)
def test_the_visit_and_activity_forms_open_with_today_and_a_visit_saves_as_shown(  # type: ignore[no-untyped-def]
    live_server, people, phone_of
) -> None:
    case = off_the_loop(lambda: open_for(register("Sumini", HAJIMENA, people["psm_a"]), people["psm_a"]))
    today = timezone.localdate().isoformat()
    page = phone_of(people["psm_a"])

    page.goto(f"{live_server.url}/kasus/{case.pk}/kunjungan/")
    shown = page.locator("#id_happened_on").input_value()
    page.fill("#id_action_taken", "Kunjungan rumah, kondisi baik.")
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url(f"**/kasus/{case.pk}/**")
    page.goto(f"{live_server.url}/kegiatan/baru/")
    activity_day = page.locator("#id_held_on").input_value()

    assert shown == today
    assert activity_day == today
    visits = off_the_loop(
        lambda: list(CaseEvent.objects.filter(case=case, kind=EventKind.VISIT).values_list("happened_on", "text"))
    )
    assert visits == [(timezone.localdate(), "Kunjungan rumah, kondisi baik.")]


@pytest.mark.django_db(transaction=True)
def test_a_tksk_searches_by_nik_prefix_and_by_an_old_spelling(  # type: ignore[no-untyped-def]
    live_server, people, phone_of
) -> None:
    def setup() -> None:
        map_person("Siti Wijaya", HAJIMENA, nik="1801045507500003", by=people["tksk"])
        map_person("Tuti Rahayu", SIDOSARI, nik="1801045507500004", by=people["tksk"])

    off_the_loop(setup)
    page = phone_of(people["tksk"])

    def search(text: str) -> list[str]:
        page.goto(f"{live_server.url}/ppks/orang/")
        page.fill("#id_q", text)
        page.locator("form.search button[type=submit]").click()
        page.wait_for_load_state()
        return page.locator("table tbody tr td:first-child a").all_inner_texts()

    assert search("Wijaja") == ["Siti Wijaya"]
    assert sorted(search("180104")) == ["Siti Wijaya", "Tuti Rahayu"]
    assert search("18010") == []
    assert "Ketik paling sedikit 6 digit pertama NIK" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.django_db(transaction=True)
def test_the_tksk_reads_on_her_phone_who_owes_the_months_report(  # type: ignore[no-untyped-def]
    live_server, people, phone_of
) -> None:
    """Point 7: 24 active PSM in the kecamatan, one submitted: 23 of 24 are missing."""
    october = datetime.date(2026, 10, 1)

    def setup() -> None:
        workers = [
            active_worker(WorkerKind.PSM, HAJIMENA, None, f"180104150780{number + 10:04d}", f"PSM {number:02d}")
            for number in range(24)
        ]
        reports.submit_report(workers[0], october, narrative="Laporan", acting_user=None)

    off_the_loop(setup)
    page = phone_of(people["tksk"])
    page.goto(f"{live_server.url}/laporan/?bulan=2026-10")

    assert "Belum masuk: 23 dari 24 petugas" in page.locator("main").inner_text()
    assert page.locator("#missing + p + ul > li, #missing + ul > li").count() == 23
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
