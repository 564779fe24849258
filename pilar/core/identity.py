"""Facts about a person's official identity: sex and the NIK.

A NIK is 16 digits: province(2) regency(2) kecamatan(2) of first registration, the
birth date as DDMMYY with 40 added to the day for women, and a serial(4). The region
digits say where the number was first issued: they are checked for shape only,
never against the person's current address, and never used for access.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Sex(models.TextChoices):
    MALE = "L", gettext_lazy("Male")
    FEMALE = "P", gettext_lazy("Female")


NIK_LENGTH = 16


@dataclass(frozen=True)
class NikFacts:
    birth_date: datetime.date
    sex: Sex


def parse_nik(nik: str, *, today: datetime.date | None = None) -> NikFacts:
    """The birth date and sex written in `nik`; ValidationError when it cannot be a NIK.

    The year has two digits: it is read as the latest year not after `today`.
    """
    if len(nik) != NIK_LENGTH or not nik.isascii() or not nik.isdigit():
        raise ValidationError(_("A NIK is exactly 16 digits."), code="nik_format")
    province, regency, district = nik[0:2], nik[2:4], nik[4:6]
    if province < "11" or regency == "00" or district == "00":
        raise ValidationError(
            _("The first six digits of a NIK are the province, regency and kecamatan codes; %(digits)s is not.")
            % {"digits": nik[0:6]},
            code="nik_region",
        )
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = Sex.MALE
    if day > 40:
        day -= 40
        sex = Sex.FEMALE
    today = today or datetime.date.today()
    century = 2000 if 2000 + year <= today.year else 1900
    try:
        birth_date = datetime.date(century + year, month, day)
    except ValueError:
        raise ValidationError(
            _("Digits 7 to 12 of a NIK are the birth date (day + 40 for women); %(digits)s is not a date.")
            % {"digits": nik[6:12]},
            code="nik_birth_date",
        ) from None
    if nik[12:] == "0000":
        raise ValidationError(_("The last four digits of a NIK cannot be 0000."), code="nik_serial")
    return NikFacts(birth_date=birth_date, sex=sex)


def check_nik(nik: str, *, sex: str | None = None, birth_date: datetime.date | None = None) -> NikFacts:
    """`parse_nik`, plus agreement with the sex and birth date recorded for the person."""
    facts = parse_nik(nik)
    if sex and sex != facts.sex:
        raise ValidationError(
            _("The NIK is that of a %(nik_sex)s (day of birth %(plus)s 40), but the sex given is %(sex)s.")
            % {
                "nik_sex": Sex(facts.sex).label.lower(),
                "plus": _("above") if facts.sex == Sex.FEMALE else _("not above"),
                "sex": Sex(sex).label.lower(),
            },
            code="nik_sex",
        )
    if birth_date and (birth_date.day, birth_date.month, birth_date.year % 100) != (
        facts.birth_date.day,
        facts.birth_date.month,
        facts.birth_date.year % 100,
    ):
        raise ValidationError(
            _("The NIK gives the birth date %(nik_date)s, but the birth date given is %(date)s.")
            % {"nik_date": facts.birth_date.strftime("%d-%m-%y"), "date": birth_date.strftime("%d-%m-%Y")},
            code="nik_birth_date_mismatch",
        )
    return facts


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Full years of age on `day`."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def mask_nik(nik: str) -> str:
    """The NIK as shown to roles that do not need it: the first four and last four digits."""
    if len(nik) != NIK_LENGTH:
        return "*" * len(nik)
    return f"{nik[:4]}{'*' * 8}{nik[12:]}"
