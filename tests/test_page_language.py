"""Every page, in both languages, speaks its language: no English sentence left on an
Indonesian page, no stored code shown instead of its label ("KARANG_TARUNA",
"Aktif (aktif)"), no date in ISO form and no large figure without its thousands
separator.

The pages are those of tests/access_matrix.py (every HTML GET route), opened by the
roles that reach them, with the matrix's objects of village A in place."""

import re
from functools import cache
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from pilar.accounts.models import User
from pilar.exports.models import Export, ExportKind, ExportStatus
from tests.access_matrix import OWN, ROUTES, Subject
from tests.personas import sign_in

PAGES = sorted(name for name, route in ROUTES.items() if route.method == "get" and not route.api)
READERS = ["psm_a", "tksk", "operator_regency", "admin", "pusat"]

# Words of English that no Indonesian page has reason to show.
ENGLISH_WORDS = re.compile(r"\b(the|of|and|with|Select|created|updated|page|None|True|False)\b")
ISO_DATE = re.compile(r"(?<![\d.-])\d{4}-\d{2}-\d{2}(?![\d-])")
# A figure of five digits or more that stands alone (not a code, a NIK or a phone number).
UNGROUPED = re.compile(r"(?<![\d.,*/+-])\d{5,9}(?![\d.,*/-])")
# Text that is data, not interface: NIKs, codes, names typed by people.
SKIP_CLASSES = {"nik", "code", "data"}


class VisibleText(HTMLParser):
    """The text a reader sees: text nodes and the titles, placeholders and labels of
    elements; not scripts, styles or templates."""

    HIDDEN = {"script", "style", "template", "code"}
    SEEN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        if tag in self.HIDDEN or classes & SKIP_CLASSES:
            self.hidden += 1
            self._stack.append(True)
        elif tag not in {"br", "img", "input", "meta", "link", "hr", "wbr", "source"}:
            self._stack.append(False)
        if not self.hidden:
            for name in self.SEEN_ATTRIBUTES:
                if attributes.get(name):
                    self.texts.append(str(attributes[name]).strip())

    def handle_endtag(self, tag: str) -> None:
        if tag in {"br", "img", "input", "meta", "link", "hr", "wbr", "source"}:
            return
        if self._stack and self._stack.pop():
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.texts.append(" ".join(data.split()))

    def feed(self, data: str) -> None:
        self._stack: list[bool] = []
        super().feed(data)


def visible_texts(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.texts


@cache
def english_messages() -> frozenset[str]:
    """Pilar's English messages that Indonesian says otherwise (whole sentences and
    labels, at least two letters)."""
    catalog = trans_real.translation("id")._catalog  # type: ignore[attr-defined]
    return frozenset(
        message
        for message, translated in catalog.items()
        if isinstance(message, str) and message and translated != message and re.search(r"[A-Za-z]{2}", message)
    )


@cache
def raw_values(language: str) -> dict[str, str]:
    """Each stored choice value that differs from its label, with the label: what a
    page shows when it forgets get_FOO_display. A short name that leads its label
    ("PSM" of "PSM (Pekerja Sosial Masyarakat)") is a name, not a code."""
    values = {}
    with translation.override(language):
        for model in apps.get_models():
            if not model.__module__.startswith("pilar."):
                continue
            for field in model._meta.get_fields():
                for value, label in getattr(field, "flatchoices", None) or []:
                    if isinstance(value, str) and value and value != str(label).split(" (")[0]:
                        values[value] = str(label)
    return values


# Text that is the same in every language: the language switcher's own names.
EVERY_LANGUAGE = {"English", "Bahasa Indonesia"}


def problems(texts: list[str], *, language: str, ignore: set[str]) -> list[str]:
    found = []
    english = english_messages()
    raw = raw_values(language)
    for text in texts:
        if text in ignore or text in EVERY_LANGUAGE:
            continue
        if language == "id" and text in english:
            found.append(f"English: {text!r}")
        if language == "id" and (match := ENGLISH_WORDS.search(text)):
            found.append(f"English word {match.group()!r}: {text!r}")
        if text in raw and text.casefold() != raw[text].casefold():
            found.append(f"raw value: {text!r} (label {raw[text]!r})")
        for label, value in re.findall(r"([\w ]+) \(([^()]+)\)", text):
            if label.casefold().endswith(value.replace("_", " ").casefold()):
                found.append(f"a label glossed with itself: {text!r}")
        for word in re.findall(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b", text):
            found.append(f"raw code {word!r}: {text!r}")
        if match := ISO_DATE.search(text):
            found.append(f"ISO date {match.group()!r}: {text!r}")
        if match := UNGROUPED.search(text):
            found.append(f"figure without separator {match.group()!r}: {text!r}")
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("persona", READERS)
def test_every_page_speaks_its_language(persona: str, language: str, people: dict[str, User]) -> None:
    subject = Subject("village_a")
    export = Export.objects.create(kind=ExportKind.PEOPLE, file_format="csv", requested_by=people[persona])
    Export.objects.filter(pk=export.pk).update(status=ExportStatus.READY, row_count=12345, area=["18.01"])
    urls = {
        name: reverse(
            name, kwargs={"export_id": export.pk} if ROUTES[name].kind == OWN else ROUTES[name].kwargs(subject)
        )
        for name in PAGES
    }
    client = Client()
    sign_in(client, people[persona])
    client.cookies["django_language"] = language

    # The personas' user names are role codes ("tksk", "admin"): data, not labels.
    usernames = {user.username for user in people.values()}
    found: dict[str, list[str]] = {}
    opened = 0
    for name, url in urls.items():
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        opened += 1
        if page_problems := problems(visible_texts(response.content.decode()), language=language, ignore=usernames):
            found[f"{name} {url}"] = sorted(set(page_problems))

    assert opened > 20
    assert found == {}
