"""The PPKS criteria checklist on a 360 px phone: the conditions of the types the PSM
ticks appear under the types, the others stay out of the way, and what she ticks is
kept with the record."""

import pytest

from pilar.beneficiaries.models import PpksRecord
from tests.browser.helpers import off_the_loop


@pytest.mark.django_db(transaction=True)
def test_ticking_a_type_shows_its_conditions_and_they_are_kept(live_server, people, phone_of) -> None:  # type: ignore[no-untyped-def]
    page = phone_of(people["psm_a"])
    page.goto(f"{live_server.url}/ppks/orang/baru/")
    hidden_at_first = page.locator("fieldset.criteria:visible").count()

    page.fill("#id_full_name", "Painem")
    page.select_option("#id_sex", "P")
    page.fill("#id_birth_date", "1950-07-15")
    page.get_by_label("PPKS-08 Lanjut Usia Telantar").check()
    shown = page.locator("fieldset.criteria:visible legend").all_inner_texts()
    page.get_by_label("Tidak mampu bekerja atau tidak berpenghasilan tetap").check()
    page.locator("form.stack button[type=submit]").last.click()
    page.wait_for_url("**/ppks/orang/*/")

    record = off_the_loop(lambda: PpksRecord.objects.get(person__full_name="Painem"))
    assert hidden_at_first == 0
    assert shown == ["PPKS-08 Lanjut Usia Telantar"]
    assert (record.category, record.checklist) == ("PPKS-08", [3])
    assert page.locator("ul.ticked li").all_inner_texts() == ["Tidak mampu bekerja atau tidak berpenghasilan tetap"]
