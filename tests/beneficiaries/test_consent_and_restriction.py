"""Consent as a record and restriction of processing (issue 18, points 3 and 4): a
withdrawn consent, or the person's request, hides them from every list, page, export
and the field download of everyone but the operators of their area; the recaps count
them still; every restriction is a recorded request."""

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from pilar.beneficiaries.models import Consent, LegalBasis, Person, SubjectRequest
from pilar.regions.models import Region
from pilar.reports.ppks import ppks_recap
from tests.cases.conftest import HAJIMENA, open_for, register
from tests.test_photos_keep_only_pixels import tagged_jpeg

pytestmark = pytest.mark.django_db


def seen_by(client: Any, person: Person) -> dict[str, object]:
    """What a user finds of `person`: list, page, case list, export, API, field download."""
    listed = client.get("/ppks/orang/").context
    return {
        "list": f"/ppks/orang/{person.pk}/" in [row["href"] for row in listed["rows"]],
        "page": client.get(f"/ppks/orang/{person.pk}/").status_code,
        "export": person.full_name in client.get("/ppks/orang/unduh.csv").content.decode("utf-8-sig"),
        "api": client.get(f"/api/v1/people/{person.pk}/").status_code,
    }


def test_consent_needs_its_witness_or_its_form_and_becomes_the_legal_basis(client_for: Any, people: Any) -> None:
    sumini = register("Sumini", HAJIMENA, people["psm_a"])
    psm = client_for("psm_a")
    url = f"/ppks/orang/{sumini.pk}/persetujuan/"
    today = timezone.localdate().isoformat()
    covers = "Pemetaan, pendampingan dan rujukan"

    no_witness = psm.post(url, {"given_on": today, "method": "lisan", "covers": covers})
    no_form = psm.post(url, {"given_on": today, "method": "formulir", "covers": covers})
    verbal = psm.post(url, {"given_on": today, "method": "lisan", "covers": covers, "witness": "Pak RT Darmo"})
    signed = psm.post(
        url,
        {
            "given_on": today,
            "method": "formulir",
            "covers": covers,
            "form_photo": SimpleUploadedFile("formulir.jpg", tagged_jpeg(), "image/jpeg"),
        },
    )

    assert "Persetujuan lisan memerlukan nama saksinya." in no_witness.content.decode()
    assert "Lampirkan foto formulir yang ditandatangani." in no_form.content.decode()
    assert verbal.status_code == signed.status_code == 302
    assert list(Consent.objects.order_by("pk").values_list("method", "witness", "taken_by__username")) == [
        ("lisan", "Pak RT Darmo", "psm_a"),
        ("formulir", "", "psm_a"),
    ]
    photo = Consent.objects.get(method="formulir").form_photo.read()
    assert b"TelefonMerk" not in photo
    assert Image.open(io.BytesIO(photo)).format == "JPEG"
    assert Person.objects.get(pk=sumini.pk).legal_basis == LegalBasis.CONSENT


def test_a_withdrawn_consent_hides_the_person_from_all_but_the_operators(client_for: Any, people: Any) -> None:
    sumini = register("Sumini", HAJIMENA, people["psm_a"])
    open_for(sumini, people["psm_a"])
    psm = client_for("psm_a")
    psm.post(
        f"/ppks/orang/{sumini.pk}/persetujuan/",
        {"given_on": timezone.localdate().isoformat(), "method": "lisan", "covers": "Pemetaan", "witness": "Bu Siti"},
    )
    before = ppks_recap(Region.objects.get(code="18.01")).counts
    seen_before = seen_by(psm, sumini)

    withdrawn = psm.post(
        f"/ppks/orang/{sumini.pk}/persetujuan/", {"withdraw": Consent.objects.get().pk, "note": "Tidak mau lagi"}
    )

    assert seen_before == {"list": True, "page": 200, "export": True, "api": 200}
    assert withdrawn["Location"] == "/ppks/orang/"
    assert seen_by(psm, sumini) == {"list": False, "page": 404, "export": False, "api": 404}
    assert sumini.pk not in psm.get("/api/v1/field/").json()["keep"]["people"]  # the phone forgets her
    assert seen_by(client_for("tksk"), sumini) == {"list": False, "page": 404, "export": False, "api": 404}
    assert client_for("tksk").get("/kasus/?daftar=semua").context["page"].paginator.count == 0
    assert seen_by(client_for("operator_regency"), sumini)["page"] == 200
    assert ppks_recap(Region.objects.get(code="18.01")).counts == before
    assert list(SubjectRequest.objects.values_list("kind", "status", "legal_ground")) == [
        ("pembatasan", "dipenuhi", "UU 27/2022 pasal 9")
    ]


def test_an_operator_restricts_and_lifts_and_others_change_nothing(client_for: Any, people: Any) -> None:
    sumini = register("Sumini", HAJIMENA, people["psm_a"])
    url = f"/ppks/orang/{sumini.pk}/data-pribadi/batasi/"

    refused = client_for("tksk").post(url, {"note": "Keberatan"})
    outside = client_for("operator_other_province").post(url, {"note": "Keberatan"})
    unchanged = Person.objects.get(pk=sumini.pk).restricted_at
    client_for("operator_regency").post(url, {"note": "Keberatan atas pemrosesan"})
    hidden = client_for("psm_a").get(f"/ppks/orang/{sumini.pk}/").status_code
    client_for("operator_regency").post(url, {"note": "Keberatan dicabut", "lift": "1"})

    assert refused.status_code == 403
    assert outside.status_code == 404
    assert unchanged is None
    assert hidden == 404
    assert client_for("psm_a").get(f"/ppks/orang/{sumini.pk}/").status_code == 200
    assert SubjectRequest.objects.get().decision == "Pembatasan dicabut: Keberatan dicabut"
