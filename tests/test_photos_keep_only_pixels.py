"""A photo taken in the field carries where and with what it was taken (EXIF GPS,
make, model), and a file may carry more than its image: Pilar keeps the pixels alone,
upright, at most 2,560 px a side (issue 18, point 7)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, PngImagePlugin

from pilar.activities import services as activities
from pilar.activities.models import Activity, ActivityPhoto
from pilar.cases import services as cases
from pilar.cases.models import Attachment
from pilar.core.images import pixels_only
from pilar.regions.models import Region
from pilar.workforce.forms import WorkerEditForm
from tests.cases.conftest import HAJIMENA, open_for, register

GPS, MAKE, MODEL, ORIENTATION = 0x8825, 0x010F, 0x0110, 0x0112
PAYLOAD = b"<html><script>alert('x')</script></html>"


def tagged_jpeg(width: int = 60, height: int = 40) -> bytes:
    """A phone's photo: its maker, model and position, turned (orientation 6), and
    something appended after the image."""
    exif = Image.Exif()
    exif[MAKE] = "TelefonMerk"
    exif[MODEL] = "Model-X1"
    exif[ORIENTATION] = 6
    exif.get_ifd(GPS).update({1: "S", 2: (5.0, 21.0, 0.0), 3: "E", 4: (105.0, 15.0, 0.0)})
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#886644").save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue() + PAYLOAD


def assert_pixels_only(content: bytes, kind: str) -> Image.Image:
    assert b"TelefonMerk" not in content
    assert b"Model-X1" not in content
    assert b"<script" not in content
    assert b"Exif" not in content
    image = Image.open(io.BytesIO(content))
    assert image.format == kind
    assert dict(image.getexif()) == {}
    return image


def test_a_jpeg_is_kept_upright_without_its_exif_and_what_follows_it() -> None:
    kept = pixels_only(io.BytesIO(tagged_jpeg()), "image/jpeg")

    image = assert_pixels_only(kept.read(), "JPEG")
    assert image.size == (40, 60)  # orientation 6 applied: the picture stands as it was taken


def test_a_png_loses_its_text_and_a_huge_photo_is_made_smaller() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "lokasi -5.35, 105.25 TelefonMerk")
    buffer = io.BytesIO()
    Image.new("RGB", (4000, 1000), "#224466").save(buffer, "PNG", pnginfo=info)

    kept = pixels_only(io.BytesIO(buffer.getvalue()), "image/png")

    image = assert_pixels_only(kept.read(), "PNG")
    assert image.size == (2560, 640)
    assert "Comment" not in image.info


@pytest.mark.parametrize(
    "content",
    [b"\xff\xd8\xff" + PAYLOAD, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, tagged_jpeg()[:200]],
    ids=["html behind a jpeg header", "an empty png", "a cut jpeg"],
)
def test_a_file_that_only_starts_like_an_image_is_refused(content: bytes) -> None:
    with pytest.raises(ValidationError, match="Foto tidak dapat dibaca"):
        pixels_only(io.BytesIO(content), "image/png" if content.startswith(b"\x89PNG") else "image/jpeg")


@pytest.mark.django_db
def test_every_photo_pilar_keeps_is_its_pixels_alone(people) -> None:  # type: ignore[no-untyped-def]
    psm = people["psm_a"]
    case = open_for(register("Sumini", HAJIMENA, psm), psm)
    cases.record_visit(
        case,
        expected_version=case.version,
        happened_on=timezone.localdate(),
        action_taken="Kunjungan",
        photo=SimpleUploadedFile("kunjungan.jpg", tagged_jpeg(), "image/jpeg"),
        acting_user=psm,
    )
    case.refresh_from_db()
    cases.add_attachment(
        case,
        expected_version=case.version,
        upload=SimpleUploadedFile("rumah.jpg", tagged_jpeg(), "image/jpeg"),
        acting_user=psm,
    )
    activity = activities.record_activity(
        kind="penyuluhan_sosial",
        title="Penyuluhan",
        held_on=timezone.localdate(),
        region=Region.objects.get(code=HAJIMENA),
        men=1,
        women=1,
        acting_user=psm,
    )
    activities.add_photo(
        activity, upload=SimpleUploadedFile("kegiatan.jpg", tagged_jpeg(), "image/jpeg"), acting_user=psm
    )
    form = WorkerEditForm(data={}, files={"photo": SimpleUploadedFile("wajah.jpg", tagged_jpeg(), "image/jpeg")})
    form.is_valid()

    stored = [attachment.file.read() for attachment in Attachment.objects.filter(case=case)]
    stored += [photo.file.read() for photo in ActivityPhoto.objects.filter(activity__in=Activity.objects.all())]
    assert len(stored) == 3
    for content in [*stored, form.cleaned_data["photo"].read()]:
        assert_pixels_only(content, "JPEG")
    assert {attachment.size for attachment in Attachment.objects.all()} == {len(stored[0])}
