"""The access log becomes append-only for the application on PostgreSQL.

Triggers refuse every UPDATE, DELETE and TRUNCATE of `audit_accesslog`, whoever runs
it; they are ENABLE ALWAYS, so `session_replication_role = replica` (which the people
import uses for its own foreign-key triggers) does not silence them. A user who saw
personal data can no longer be deleted (PROTECT): deactivate them instead. Only the
table's owner could drop the triggers: in production Pilar serves with a role that
does not own its tables (README, Production).
"""

from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

CREATE = """
CREATE FUNCTION pilar_access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the access log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON audit_accesslog
    FOR EACH ROW EXECUTE FUNCTION pilar_access_log_append_only();
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON audit_accesslog
    FOR EACH STATEMENT EXECUTE FUNCTION pilar_access_log_append_only();
ALTER TABLE audit_accesslog ENABLE ALWAYS TRIGGER access_log_append_only;
ALTER TABLE audit_accesslog ENABLE ALWAYS TRIGGER access_log_no_truncate;
"""
DROP = """
DROP TRIGGER IF EXISTS access_log_no_truncate ON audit_accesslog;
DROP TRIGGER IF EXISTS access_log_append_only ON audit_accesslog;
DROP FUNCTION IF EXISTS pilar_access_log_append_only();
"""


def create_triggers(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_triggers(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="accesslog",
            name="user",
            field=models.ForeignKey(
                null=True,
                on_delete=models.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="user",
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
