"""The spelling key now writes every j as y (Wijaja finds Wijaya): the stored keys of
the people follow. The new key is the old one with j replaced, since that is the
key's last step."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.db.models import Value
from django.db.models.functions import Replace


def rekey(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Person = apps.get_model("beneficiaries", "Person")
    Person.objects.filter(search_name__contains="j").update(search_name=Replace("search_name", Value("j"), Value("y")))


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0004_person_transfers")]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop)]
