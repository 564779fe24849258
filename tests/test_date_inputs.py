"""Every date field of every form renders its value as the browser's date input needs
it (2026-12-03), in Indonesian as in English: the locale's 03-12-2026 would leave the
field empty on the page."""

import datetime
import importlib

import pytest
from django import forms
from django.utils import translation

from pilar.core.widgets import DateInput

FORM_MODULES = ["pilar.activities.forms", "pilar.beneficiaries.forms", "pilar.cases.forms", "pilar.workforce.forms"]
DAY = datetime.date(2026, 12, 3)


def date_fields() -> list[tuple[str, str, forms.Field]]:
    found = []
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == module_name:
                for field_name, field in value.base_fields.items():
                    if isinstance(field, forms.DateField):
                        found.append((f"{name}.{field_name}", field_name, field))
    return found


def test_there_are_date_fields_to_check() -> None:
    assert len(date_fields()) >= 8


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize(("where", "name", "field"), date_fields(), ids=[where for where, _n, _f in date_fields()])
def test_a_date_field_shows_its_value_in_iso(language: str, where: str, name: str, field: forms.Field) -> None:
    with translation.override(language):
        html = field.widget.render(name, DAY)

    assert isinstance(field.widget, DateInput), where
    assert 'type="date"' in html
    assert 'value="2026-12-03"' in html
