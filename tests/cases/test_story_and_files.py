"""A sensitive case's story reaches only those handling it; attachments are checked by
content and size, and served only through the view that checks access."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from pilar.cases import services
from pilar.cases.attachments import MAX_BYTES
from pilar.cases.models import Attachment, Case
from tests.cases.conftest import act, fresh, open_for, register
from tests.images import PNG

STORY = "Dugaan kekerasan oleh paman"


@pytest.mark.django_db
def test_a_sensitive_story_is_shown_only_to_those_handling_the_case(client_for, api_for, people) -> None:  # type: ignore[no-untyped-def]
    child = register("Dewi", "18.01.04.2001", people["psm_a"], category="PPKS-03")
    case = open_for(child, people["tksk"], summary=STORY, is_sensitive=True)
    attachment = services.add_attachment(
        fresh(case),
        expected_version=fresh(case).version,
        upload=SimpleUploadedFile("visum.pdf", b"%PDF-1.7\n"),
        acting_user=people["tksk"],
    )

    pages = {
        name: client_for(name).get(f"/kasus/{case.pk}/") for name in ("tksk", "psm_a", "operator_province", "pusat")
    }
    files = {
        name: client_for(name).get(f"/kasus/lampiran/{attachment.pk}/").status_code
        for name in ("tksk", "psm_a", "operator_regency", "pusat", "psm_b")
    }
    summaries = {
        name: api_for(name).get(f"/api/v1/cases/{case.pk}/").json()["summary"] for name in ("tksk", "psm_a", "pusat")
    }

    assert {name: STORY in page.content.decode() for name, page in pages.items()} == {
        "tksk": True,
        "psm_a": False,
        "operator_province": False,
        "pusat": False,
    }
    assert (
        "Kasus ini sensitif: uraiannya hanya ditampilkan kepada yang menanganinya." in pages["psm_a"].content.decode()
    )
    assert files == {"tksk": 200, "psm_a": 403, "operator_regency": 403, "pusat": 403, "psm_b": 404}
    assert summaries == {"tksk": STORY, "psm_a": None, "pusat": None}

    act(case, "escalate", people["tksk"], "Perlu UPTD PPA kabupaten")
    regency = client_for("operator_regency").get(f"/kasus/{case.pk}/").content.decode()
    still_tksk = client_for("tksk").get(f"/kasus/{case.pk}/").content.decode()
    assert STORY in regency
    assert STORY in still_tksk


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("catatan.txt", b"bukan gambar", "Lampirkan foto (JPEG, PNG, atau WebP) atau dokumen PDF."),
        ("palsu.png", b"<script>alert(1)</script>", "Lampirkan foto (JPEG, PNG, atau WebP) atau dokumen PDF."),
        ("besar.png", PNG + b"\x00" * MAX_BYTES, "Berkas berukuran 10,0 MB; paling besar 10 MB yang diterima."),
    ],
)
def test_a_bad_attachment_is_refused_with_a_message_and_nothing_is_stored(  # type: ignore[no-untyped-def]
    client_for, people, sumini, name, content, message
) -> None:
    case = open_for(sumini, people["psm_a"])

    response = client_for("psm_a").post(
        f"/kasus/{case.pk}/lampiran/", {"version": case.version, "file": SimpleUploadedFile(name, content)}
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Attachment.objects.count() == 0
    assert (fresh(case).version, fresh(case).events.count()) == (1, 1)
    with pytest.raises(ValidationError) as refused:
        services.add_attachment(
            case, expected_version=1, upload=SimpleUploadedFile(name, content), acting_user=people["psm_a"]
        )
    assert refused.value.messages == [message]


@pytest.mark.django_db
def test_a_visit_with_a_bad_photo_saves_neither_the_visit_nor_the_photo(client_for, people, sumini) -> None:  # type: ignore[no-untyped-def]
    case = open_for(sumini, people["psm_a"])

    response = client_for("psm_a").post(
        f"/kasus/{case.pk}/kunjungan/simpan/",
        {
            "version": 1,
            "happened_on": fresh(case).opened_at.date().isoformat(),
            "action_taken": "Kunjungan",
            "photo": SimpleUploadedFile("x.png", b"GIF89a"),
        },
    )

    assert response.status_code == 400
    assert (fresh(case).version, Case.objects.get().events.count(), Attachment.objects.count()) == (1, 1, 0)
