"""The national social-assistance programmes a case is most often referred to. The
administrator adds regional ones (or retires these) on the programmes page."""

from django.db import migrations

PROGRAMMES = [
    ("pkh", "PKH (Program Keluarga Harapan)"),
    ("sembako", "Sembako / BPNT"),
    ("pbi-jk", "PBI-JK (Penerima Bantuan Iuran Jaminan Kesehatan)"),
    ("atensi", "ATENSI (Asistensi Rehabilitasi Sosial)"),
    ("balai-rehabilitasi", "Balai/Loka Rehabilitasi Sosial"),
    ("rutilahu", "Rehabilitasi Sosial Rumah Tidak Layak Huni (RS-RTLH)"),
]


def add_programmes(apps, schema_editor):  # type: ignore[no-untyped-def]
    Programme = apps.get_model("cases", "Programme")
    for code, name in PROGRAMMES:
        Programme.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_cases")]

    operations = [migrations.RunPython(add_programmes, migrations.RunPython.noop)]
