"""Every string a user can see has an Indonesian translation.

makemessages runs on a copy of the source tree (it writes next to the sources), and
the resulting catalogue must have no empty or fuzzy entry. When this fails, run
`make messages`, translate the new entries in pilar/locale/id/LC_MESSAGES/django.po,
and commit the .po and the compiled .mo.
"""

import contextlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def untranslated(po_text: str) -> list[str]:
    problems = []
    for block in po_text.split("\n\n")[1:]:
        msgid = "".join(re.findall(r'"(.*)"', block.split("msgstr")[0]))
        strings = re.findall(r'msgstr(?:\[\d\])? ((?:".*"\n?)+)', block + "\n")
        if "#, fuzzy" in block or any(not "".join(re.findall(r'"(.*)"', s)) for s in strings):
            problems.append(msgid)
    return problems


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (installed by .ci/run)")
def test_every_visible_string_has_an_indonesian_translation(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    for folder in ("pilar", "config"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("data", "__pycache__"))
    settings.LOCALE_PATHS = [tmp_path / "pilar" / "locale"]

    with contextlib.chdir(tmp_path):
        call_command("makemessages", locale=["id"], no_obsolete=True, verbosity=0)

    catalogue = (tmp_path / "pilar" / "locale" / "id" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert untranslated(catalogue) == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext (installed by .ci/run)")
def test_committed_mo_is_compiled_from_the_committed_po(tmp_path: Path) -> None:
    messages = ROOT / "pilar" / "locale" / "id" / "LC_MESSAGES"
    fresh = tmp_path / "django.mo"

    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(messages / "django.po")], check=True)  # noqa: S603,S607

    assert fresh.read_bytes() == (messages / "django.mo").read_bytes()
