"""Workbooks built to kill the reader end as a refused upload, never as a dead worker.

Two files of the kind that made python-calamine abort the process: a sheet whose
dimension claims 1,048,576 rows by 16,384 columns with a cell in the far corner, and
a zip bomb. Each is refused by the command and through the upload page (the people
file by the job, the roster during the request) with a message, and the same process
goes on to check the next, good upload. Without the archive check, the sheet reader
(a child process) dies instead of the worker.
"""

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from pilar.beneficiaries.exchange import COLUMNS
from pilar.beneficiaries.models import Person
from pilar.imports import sheets
from pilar.imports.models import Upload, UploadStatus
from pilar.imports.sheets import TableError, read_sheet
from tests.beneficiaries.test_people_import import row
from tests.workforce.roster import csv_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DIMENSION_REFUSED = (
    "Lembar kerja menyatakan 1.048.576 baris kali 16.384 kolom, lebih dari yang dapat dimuat oleh impor. "
    "Hapus baris dan kolom kosong (atau salin data ke lembar baru) lalu unggah lagi."
)
BOMB_REFUSED = "Lembar kerja dipadatkan jauh melebihi lembar yang sebenarnya; berkas ditolak karena tidak aman."
READER_DIED = (
    "Lembar kerja tidak dapat dibaca dengan aman (rusak, atau memuat lebih dari yang tampak). "
    "Simpan sebagai CSV, atau salin data ke buku kerja baru, lalu unggah lagi."
)


def workbook(rows: list[list[str]], change: Callable[[bytes], bytes] = lambda sheet: sheet) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet()
    for number, values in enumerate(rows):
        sheet.write_row(number, 0, values)
    book.close()
    source, rebuilt = zipfile.ZipFile(io.BytesIO(buffer.getvalue())), io.BytesIO()
    with zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member.filename)
            target.writestr(member.filename, change(content) if member.filename.endswith("sheet1.xml") else content)
    return rebuilt.getvalue()


def far_corner(sheet: bytes) -> bytes:
    """A dimension of the whole grid and a cell in its last row and column."""
    sheet = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', sheet)
    return sheet.replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    )


def without_dimension(sheet: bytes) -> bytes:
    return re.sub(rb'<dimension ref="[^"]*"/>', b"", far_corner(sheet))


def bomb(sheet: bytes) -> bytes:
    """40 MB of padding inside the sheet: it packs to a few tens of kilobytes."""
    return sheet.replace(b"<sheetData>", b"<sheetData>" + b" " * 40_000_000)


def people_file(change: Callable[[bytes], bytes]) -> bytes:
    return workbook([COLUMNS, row(1, "18.01.04.2001")], change)


HOSTILE = {"far_corner": (far_corner, DIMENSION_REFUSED), "bomb": (bomb, BOMB_REFUSED)}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_the_command_refuses_a_hostile_workbook_with_a_message(kind: str, lampung: object, tmp_path: Path) -> None:
    change, message = HOSTILE[kind]
    path = tmp_path / "pemetaan.xlsx"
    path.write_bytes(people_file(change))
    err = io.StringIO()

    with pytest.raises(CommandError, match="1 masalah"):
        call_command("import", "people", str(path), stdout=io.StringIO(), stderr=err)

    assert err.getvalue() == f"{path}: {message}\n"
    assert Person.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_hostile_upload_is_refused_and_the_next_upload_is_still_processed(
    kind: str, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    change, message = HOSTILE[kind]
    client = client_for("tksk")

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/psks/impor/", {"kind": "people", "file": SimpleUploadedFile("a.xlsx", people_file(change), XLSX)})
    with django_capture_on_commit_callbacks(execute=True):
        good = csv_bytes([row(2, "18.01.04.2001")], COLUMNS)
        client.post("/psks/impor/", {"kind": "people", "file": SimpleUploadedFile("b.csv", good, "text/csv")})
    refused, checked = Upload.objects.order_by("pk")

    assert (refused.status, refused.report["errors"]) == (
        UploadStatus.REJECTED,
        [{"row": 0, "column": "", "message": message}],
    )
    assert (checked.status, checked.report["created"]) == (UploadStatus.CHECKED, 1)
    assert client.get(f"/psks/impor/{refused.pk}/").status_code == 200


@pytest.mark.django_db
def test_a_hostile_roster_is_refused_during_the_request(client_for: Any) -> None:
    roster = workbook([["jenis", "nik"], ["PSM", "1"]], far_corner)

    client = client_for("operator_regency")

    response = client.post("/psks/impor/", {"kind": "workers", "file": SimpleUploadedFile("r.xlsx", roster, XLSX)})
    upload = Upload.objects.get()

    assert response["Location"] == f"/psks/impor/{upload.pk}/"
    assert (upload.status, upload.report["errors"]) == (
        UploadStatus.REJECTED,
        [{"row": 0, "column": "", "message": DIMENSION_REFUSED}],
    )
    assert DIMENSION_REFUSED in client.get(response["Location"]).content.decode()


def test_when_a_workbook_gets_past_the_checks_only_the_child_reader_dies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheets, "check_archive", lambda data: None)

    with pytest.raises(TableError) as refused:
        read_sheet(workbook([["a"]], far_corner), suffix=".xlsx")

    assert str(refused.value) == READER_DIED


def test_a_sheet_without_a_dimension_is_read_by_the_child_and_refused_when_it_dies() -> None:
    with pytest.raises(TableError) as refused:
        read_sheet(workbook([["a"]], without_dimension), suffix=".xlsx")

    assert str(refused.value) == READER_DIED


def test_an_ordinary_workbook_reads_back_with_its_values() -> None:
    assert read_sheet(workbook([["nik", "nama"], ["1801", "Siti"]]), suffix=".xlsx") == [
        ["nik", "nama"],
        ["1801", "Siti"],
    ]


def test_a_file_that_is_not_a_workbook_is_refused_with_a_message() -> None:
    with pytest.raises(TableError, match="bukan berkas XLSX yang sah"):
        read_sheet(b"not a zip", suffix=".xlsx")


@pytest.mark.django_db
def test_an_upload_the_job_has_not_checked_yet_shows_that_it_waits(client_for: Any) -> None:
    client = client_for("tksk")
    data = csv_bytes([row(1, "18.01.04.2001")], COLUMNS)

    client.post("/psks/impor/", {"kind": "people", "file": SimpleUploadedFile("a.csv", data, "text/csv")})  # no job ran
    upload = Upload.objects.get()
    page = client.get(f"/psks/impor/{upload.pk}/")
    errors = client.get(f"/psks/impor/{upload.pk}/galat.xlsx")

    assert (upload.status, upload.report) == (UploadStatus.CHECKING, {})
    assert page.status_code == 200
    assert "Menunggu diperiksa" in page.content.decode()
    assert errors.status_code == 200
