"""The forms a PSM and a TKSK meet on a 360 px phone (issue 23, points 4, 5, 6 and
12): the own village is offered and already chosen, a place outside the area is an
error beside the field with everything typed kept, and every problem of the form
shows at once; a case the PSM escalated stays hers to accompany; the verification
queue filters by village, chooses all and keeps its buttons on screen."""

import pytest

from pilar.beneficiaries.models import Person, PpksRecord
from pilar.cases.models import Case, CaseEvent, EventKind
from tests.browser.helpers import off_the_loop
from tests.cases.conftest import HAJIMENA, SIDOSARI, act, open_for, register

# The verification buttons are on screen, at its bottom, without scrolling.
UNDER_THE_THUMB = """(() => { const bar = document.querySelector('.action-bar').getBoundingClientRect();
  return bar.top >= 0 && bar.bottom <= window.innerHeight; })()"""


@pytest.mark.django_db(transaction=True)
def test_the_psm_finds_her_village_chosen_and_sees_every_problem_at_once(  # type: ignore[no-untyped-def]
    live_server, people, phone_of
) -> None:
    page = phone_of(people["psm_a"])
    page.goto(f"{live_server.url}/ppks/orang/baru/")

    assert page.locator("#id_village option:checked").inner_text() == "Hajimena (Natar)"
    assert page.locator("#id_village option").all_inner_texts() == ["—", "Hajimena (Natar)"]

    page.fill("#id_full_name", "Painem")
    page.select_option("#id_sex", "P")
    page.fill("#id_nik", "1801041234567890")  # month 34: not a NIK
    page.fill("#id_family_card", "12345")
    page.fill("#id_birth_date", "2099-01-01")
    page.locator("form.stack button[type=submit]").last.click()
    page.wait_for_selector(".errorlist")

    errors = page.locator(".errorlist li").all_inner_texts()
    assert "Tanggal lahir berada di masa depan." in errors
    assert "Nomor kartu keluarga (No. KK) terdiri dari tepat 16 angka." in errors
    assert any("NIK" in error for error in errors)
    assert page.locator("#id_full_name").input_value() == "Painem"  # nothing typed is lost
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert off_the_loop(lambda: Person.objects.filter(full_name="Painem").count()) == 0


@pytest.mark.django_db(transaction=True)
def test_a_tksk_chooses_among_her_villages_and_an_operator_types_a_name(  # type: ignore[no-untyped-def]
    live_server, people, phone_of, monkeypatch
) -> None:
    tksk = phone_of(people["tksk"])
    tksk.goto(f"{live_server.url}/kegiatan/baru/")
    assert tksk.locator("#id_region option").all_inner_texts() == [
        "—",
        "Natar (Kabupaten Lampung Selatan)",
        "Hajimena (Natar)",
        "Sidosari (Natar)",
    ]

    monkeypatch.setattr("pilar.core.areas.MAX_CHOICES", 0)  # as a province's 2,600 villages would
    operator = phone_of(people["operator_other_province"])  # Bengkulu: Hajimena is not theirs
    operator.goto(f"{live_server.url}/ppks/orang/baru/")
    operator.fill("#id_full_name", "Painem")
    operator.select_option("#id_sex", "P")
    operator.fill("#id_village", "Hajimena")
    operator.locator("form.stack button[type=submit]").last.click()
    operator.wait_for_selector(".errorlist")
    assert "Tidak ada tempat Hajimena di wilayah Anda." in operator.locator(".errorlist").all_inner_texts()
    assert operator.locator("#id_full_name").input_value() == "Painem"

    operator.fill("#id_village", "Air Sulau")  # their own village, by name
    operator.locator("form.stack button[type=submit]").last.click()
    operator.wait_for_url("**/ppks/orang/*/")
    assert off_the_loop(lambda: Person.objects.get(full_name="Painem").village_id) == "17.01.01.2001"


@pytest.mark.django_db(transaction=True)
def test_the_psm_keeps_accompanying_a_case_she_escalated(live_server, people, phone_of) -> None:  # type: ignore[no-untyped-def]
    def escalated() -> Case:
        case = open_for(register("Sumini", HAJIMENA, people["psm_a"]), people["psm_a"])
        return act(case, "escalate", people["psm_a"], "Butuh bantuan kecamatan")

    case = off_the_loop(escalated)
    page = phone_of(people["psm_a"])
    page.goto(f"{live_server.url}/kasus/{case.pk}/")
    assert page.locator("h2", has_text="Dampingi orangnya").count() == 1
    assert page.locator("form[action$='/tindakan/']").count() == 0  # the TKSK moves the case now

    page.locator("a.button", has_text="Catat kunjungan").click()
    page.fill("#id_action_taken", "Kunjungan setelah eskalasi: lansia sudah makan")
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_selector("text=Kunjungan setelah eskalasi: lansia sudah makan")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    def visits() -> list[tuple[str, int | None]]:
        return list(CaseEvent.objects.filter(case=case, kind=EventKind.VISIT).values_list("text", "actor_id"))

    assert off_the_loop(visits) == [("Kunjungan setelah eskalasi: lansia sudah makan", people["psm_a"].pk)]
    sibling = phone_of(people["psm_b"])
    assert sibling.goto(f"{live_server.url}/kasus/{case.pk}/kunjungan/").status == 404


@pytest.mark.django_db(transaction=True)
def test_the_tksk_verifies_a_village_at_a_time_with_the_buttons_under_her_thumb(  # type: ignore[no-untyped-def]
    live_server, people, phone_of
) -> None:
    def mapped() -> None:
        for number in range(15):
            register(f"Warga Hajimena {number:02d}", HAJIMENA, people["psm_a"])
            register(f"Warga Sidosari {number:02d}", SIDOSARI, people["psm_b"])

    off_the_loop(mapped)
    page = phone_of(people["tksk"])
    page.goto(f"{live_server.url}/ppks/verifikasi/")
    assert page.locator("input[name=record]").count() == 25  # a page, not all 30
    assert page.evaluate(UNDER_THE_THUMB)

    page.select_option("#desa", SIDOSARI)
    page.locator(".queue-filters button").click()
    page.wait_for_url("**desa=18.01.04.2002**")
    assert page.locator("input[name=record]").count() == 15
    page.check("[data-choose-all]")
    assert page.locator("input[name=record]:checked").count() == 15
    assert page.evaluate(UNDER_THE_THUMB)
    page.locator(".action-bar button[value=terverifikasi]").click()
    page.wait_for_selector("text=15 catatan sekarang terverifikasi")
    assert "desa=18.01.04.2002" in page.url  # the same filters after the action

    def statuses() -> dict[str, int]:
        rows = PpksRecord.objects.values_list("region_id", "status")
        return {f"{region} {status}": sum(1 for row in rows if row == (region, status)) for region, status in set(rows)}

    assert off_the_loop(statuses) == {f"{SIDOSARI} terverifikasi": 15, f"{HAJIMENA} dilaporkan": 15}
